#!/usr/bin/env bash
# package.deb: CPack makes the Debian package from this build tree (no new compile: CPack installs
# what the build made); its control fields and file list are checked, and the binary it holds runs.
# Usage: check_deb.sh CPACK BINARY_DIR VERSION WORK_DIR
# Exit 77 (skipped) on a machine without dpkg-deb or dpkg-shlibdeps (not Debian, or no dpkg-dev).
set -euo pipefail
cpack=$1 binary_dir=$2 version=$3 work=$4

for tool in dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "SKIP: no $tool (scripts/setup installs dpkg-dev)"; exit 77; }
done
failures=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok    $what"; else echo "FAIL  $what"; failures=$((failures + 1)); fi
}

rm -rf "$work"
mkdir -p "$work"
if ! "$cpack" -G DEB --config "$binary_dir/CPackConfig.cmake" -B "$work" > "$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "FAIL  cpack -G DEB"
  exit 1
fi
deb=$work/abmkpi_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { ls -l "$work"; echo "FAIL  no $(basename "$deb")"; exit 1; }

dpkg-deb -I "$deb"
field() { dpkg-deb -f "$deb" "$1"; }
check "Package is abmkpi" test "$(field Package)" = abmkpi
check "Version is $version" test "$(field Version)" = "$version"
check "Section is utils" test "$(field Section)" = utils
check "Depends has libfmt9 (dpkg-shlibdeps)" grep -qE '(^|, )libfmt9( |,|$)' <<<"$(field Depends)"
check "Depends has libstdc++6" grep -qE '(^|, )libstdc\+\+6( |,|$)' <<<"$(field Depends)"
check "Recommends has nlohmann-json3-dev and libfast-float-dev" \
  grep -qE 'nlohmann-json3-dev.*libfast-float-dev' <<<"$(field Recommends)"

contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
has() { grep -qE "^$1\$" <<<"$contents"; }
check "holds usr/bin/abmkpi" has '\./usr/bin/abmkpi'
check "holds usr/include/abmkpi/abmkpi.hpp" has '\./usr/include/abmkpi/abmkpi\.hpp'
check "holds usr/lib/.../cmake/abmkpi/abmkpiConfig.cmake" \
  has '\./usr/lib/([^/]+/)?cmake/abmkpi/abmkpiConfig\.cmake'
check "holds usr/share/man/man1/abmkpi.1" has '\./usr/share/man/man1/abmkpi\.1(\.gz)?'
check "holds nothing outside /usr" test -z "$(grep -vE '^\./(usr(/.*)?)?$' <<<"$contents")"

dpkg-deb -x "$deb" "$work/root"
check "the packaged abmkpi --version prints $version" \
  test "$("$work/root/usr/bin/abmkpi" --version)" = "$version"

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "package.deb: $(basename "$deb") is right"
