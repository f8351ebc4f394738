# Profile-guided optimisation of the abmkpi binary (ABMKPI_PGO, on in the release preset):
#   1. a nested build of this source tree compiles an instrumented abmkpi (-fprofile-generate);
#   2. scripts/pgo-train runs it on the reports it is made for (generated deals and touches, the
#      bundled examples), which writes how often each branch and call ran;
#   3. abmkpi_cli is compiled with that profile (-fprofile-use): GCC lays out the hot paths,
#      inlines and unrolls where the runs spent their time: 10M deals 4-10% faster
#      (docs/decisions.md, "Profile-guided release build"); reports identical.
# The training runs use one thread and fixed seeds, so the profile, and the binary, are the same
# on every build. Nothing is downloaded: the nested build is this tree, the data is generated.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  message(STATUS "ABMKPI_PGO: the profile flags are GCC's; building without a profile")
  return()
endif()

include(ExternalProject)
set(abmkpi_pgo_dir ${PROJECT_BINARY_DIR}/pgo)
set(abmkpi_pgo_profile ${abmkpi_pgo_dir}/profile)
# Profile files are named by each object's path below the build directory
# (-fprofile-prefix-path), which is the same in the nested build and in this one.
set(abmkpi_pgo_flags -fprofile-generate=${abmkpi_pgo_profile}
                     -fprofile-prefix-path=${abmkpi_pgo_dir}/build)
list(JOIN abmkpi_pgo_flags " " abmkpi_pgo_flags)
ExternalProject_Add(abmkpi_pgo_instrumented
  SOURCE_DIR ${PROJECT_SOURCE_DIR}
  BINARY_DIR ${abmkpi_pgo_dir}/build
  CMAKE_ARGS -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
             -DABMKPI_BUILD_TESTS=OFF -DABMKPI_PGO=OFF
             "-DCMAKE_CXX_FLAGS=${abmkpi_pgo_flags}"
  BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target abmkpi_cli
  BUILD_BYPRODUCTS ${abmkpi_pgo_dir}/build/abmkpi
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON)  # the nested build tracks the sources itself; a no-op when none changed

add_executable(abmkpi_pgo_generate ${PROJECT_SOURCE_DIR}/bench/generate.cpp)
target_link_libraries(abmkpi_pgo_generate PRIVATE abmkpi::abmkpi)

add_custom_command(OUTPUT ${abmkpi_pgo_dir}/trained.stamp
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${abmkpi_pgo_profile}
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/pgo-train ${abmkpi_pgo_dir}/build/abmkpi
          $<TARGET_FILE:abmkpi_pgo_generate> ${abmkpi_pgo_dir}/data
  COMMAND ${CMAKE_COMMAND} -E touch ${abmkpi_pgo_dir}/trained.stamp
  DEPENDS ${abmkpi_pgo_dir}/build/abmkpi abmkpi_pgo_generate ${PROJECT_SOURCE_DIR}/scripts/pgo-train
  COMMENT "Training the instrumented abmkpi (scripts/pgo-train)" VERBATIM)
add_custom_target(abmkpi_pgo_profile DEPENDS ${abmkpi_pgo_dir}/trained.stamp)
add_dependencies(abmkpi_pgo_profile abmkpi_pgo_instrumented)
add_dependencies(abmkpi_cli abmkpi_pgo_profile)

# -fprofile-partial-training: code the training never ran is optimised as without a profile,
# not for size. A source without profile data (none here) is no error.
target_compile_options(abmkpi_cli PRIVATE -fprofile-use=${abmkpi_pgo_profile}
                       -fprofile-prefix-path=${PROJECT_BINARY_DIR} -fprofile-partial-training
                       -Wno-missing-profile)
get_target_property(abmkpi_cli_sources_all abmkpi_cli SOURCES)
set_source_files_properties(${abmkpi_cli_sources_all} TARGET_DIRECTORY abmkpi_cli
                            PROPERTIES OBJECT_DEPENDS ${abmkpi_pgo_dir}/trained.stamp)
