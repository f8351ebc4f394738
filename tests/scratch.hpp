// A folder owned by one test process: ctest and the fuzzers run several processes at once, so
// each writes its files in a folder named after its pid, removed when the process exits.
// Kept apart from test_shim.hpp so that the fuzz targets can use it without Catch2.
#pragma once

#include <unistd.h>  // getpid

#include <filesystem>    // std::filesystem
#include <string>        // std::string
#include <system_error>  // std::error_code

namespace abmkpi_test {

/// Creates `base`/`prefix`-PID now and removes it with everything in it on destruction; hold
/// one in a function-local static.
class owned_folder {
 public:
  owned_folder(const std::filesystem::path& base, const std::string& prefix)
      : path_(base / (prefix + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  owned_folder(const owned_folder&) = delete;
  owned_folder& operator=(const owned_folder&) = delete;
  ~owned_folder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace abmkpi_test
