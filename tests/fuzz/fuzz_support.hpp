// Shared by the fuzz targets: an invariant check that crashes loudly (so libFuzzer records the
// input), and a per-process scratch file for targets that must read through a byte_source.
#pragma once

#include <fcntl.h>   // open
#include <unistd.h>  // access, close, ftruncate, getpid, write

#include <cstdio>       // std::fprintf
#include <cstdlib>      // std::abort
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <system_error>  // std::error_code
#include <filesystem>    // std::filesystem

#include "../scratch.hpp"

/// Aborts with the failed condition when an invariant does not hold: a finding, not an
/// "expected" outcome. Unlike assert it is never compiled out.
#define ABMKPI_FUZZ_CHECK(cond)                                                        \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (false)

namespace abmkpi_fuzz {

/// Input byte `i`, or 0 past the end: targets read their options from the first bytes.
inline unsigned char byte_at(const unsigned char* data, std::size_t size, std::size_t i) {
  return i < size ? data[i] : 0;
}

/// A folder owned by this process (several fuzzers may run at once), created on first use and
/// removed at normal exit. Files in it are rewritten on every iteration, never created anew, so
/// a long run does not fill the disk. It is in /dev/shm when there is one: on ext4 rewriting a
/// file through O_TRUNC makes close() flush it to disk, which made runs ~10x slower.
inline const std::filesystem::path& scratch_dir() {
  static const abmkpi_test::owned_folder scratch(
      [] {
        std::error_code ec;
        if (std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0)
          return std::filesystem::path("/dev/shm");
        return std::filesystem::temp_directory_path();
      }(),
      "abmkpi-fuzz-");
  return scratch.path();
}

/// Writes `bytes` to `name` in the scratch folder (replacing what it held) and returns the path.
inline std::string write_scratch(const std::string& name, std::string_view bytes) {
  const std::string path = (scratch_dir() / name).string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::perror(path.c_str());
    std::abort();  // the harness itself is broken: stop rather than report false findings
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      std::perror(path.c_str());
      std::abort();
    }
    done += static_cast<std::size_t>(n);
  }
  if (::ftruncate(fd, static_cast<off_t>(bytes.size())) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  ::close(fd);
  return path;
}

}  // namespace abmkpi_fuzz
