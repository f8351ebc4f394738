# CPack: the Debian package abmkpi (`cmake --workflow --preset deb` makes build/deb/abmkpi_*.deb).
# It holds what `cmake --install` installs: the binary, the man page, the headers under
# include/abmkpi and the CMake package files. Configure with CMAKE_INSTALL_PREFIX=/usr (the deb
# preset does) so that GNUInstallDirs picks Debian's multiarch lib/<triplet>/cmake directory.

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME abmkpi)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "abmkpi maintainers")
# A placeholder: the project has no public address yet (.invalid never resolves).
set(CPACK_PACKAGE_CONTACT "abmkpi maintainers <maintainers@abmkpi.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The extended description (CPack indents it for the control file; keep lines under 80 columns).
set(CPACK_PACKAGE_DESCRIPTION [=[
abmkpi turns raw CRM exports (Salesforce reports, Salesforce Data Loader,
HubSpot) into account-based-marketing and B2B revenue KPIs: win rate with its
confidence interval, bookings, ACV, sales cycle, pipeline and its velocity;
with accounts, touches and spend also churn, CLV, CAC, TAM, engagement,
influenced pipeline and ROI. It reads CSV, JSON and NDJSON as exported, in one
streaming pass, with money summed exactly.

The package holds the command-line tool abmkpi, its manual page, and the
header-only C++20 library it is built on, with a CMake package
(find_package(abmkpi), target abmkpi::abmkpi).]=])
set(CPACK_PACKAGE_INSTALL_DIRECTORY abmkpi)
set(CPACK_STRIP_FILES ON)
set(CPACK_VERBATIM_VARIABLES ON)
# The package is made under the build tree; never beside the sources.
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR})

set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # abmkpi_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
# Homepage: none yet. When the project has one:
# set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://...")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)  # what dpkg-deb itself uses by default
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Depends: dpkg-shlibdeps reads the binary's shared libraries (libfmt9, libutf8proc2, libstdc++6,
# libc6, libgcc-s1). Needs dpkg-dev and file, which scripts/setup installs.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The binary needs none of these. The headers do: nlohmann_json and fast_float are what the
# installed abmkpiConfig.cmake finds (find_dependency), so find_package(abmkpi) fails without
# them: Recommends, which apt installs by default, and `--no-install-recommends` leaves out for
# those who only want the tool. fmt and utf8proc only serve the renderers under report/:
# Suggests.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nlohmann-json3-dev (>= 3.11), libfast-float-dev")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libfmt-dev (>= 9), libutf8proc-dev")

include(CPack)
