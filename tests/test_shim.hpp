// The one include every unit test starts with: Catch2 v2, the paths to the test data and a
// private scratch folder.
#pragma once

#include <catch2/catch.hpp>

#include "scratch.hpp"

#include <filesystem>    // std::filesystem
#include <fstream>       // std::ofstream
#include <string>        // std::string
#include <string_view>   // std::string_view

namespace abmkpi_test {
/// ../shared/testdata beside the checkout (csv-spectrum, JSONTestSuite).
inline std::string shared_testdata() { return ABMKPI_SHARED_DIR "/testdata"; }
/// tests/data in the source tree.
inline std::string test_data() { return ABMKPI_TEST_DATA_DIR; }

/// A scratch folder owned by this process, removed when it exits. ctest runs every test case as
/// its own process, several at once, so a fixed /tmp name would let two cases overwrite each
/// other's files.
inline const std::filesystem::path& scratch_dir() {
  static const owned_folder scratch(std::filesystem::temp_directory_path(), "abmkpi-test-");
  return scratch.path();
}

/// Writes `bytes` to `name` in the scratch folder and returns its path.
inline std::string write_scratch(std::string_view name, std::string_view bytes) {
  const auto path = scratch_dir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path.string();
}
}  // namespace abmkpi_test
