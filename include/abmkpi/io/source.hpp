// Byte sources: a file or standard input, read in large blocks with read(2) (measured faster than
// mmap on this machine kind, see PERF-NOTES). Readers pull blocks; nothing holds a whole file.
#pragma once

#include <fcntl.h>     // open
#include <sys/stat.h>  // fstat
#include <unistd.h>    // read, close

#include <cerrno>    // errno
#include <cstddef>   // std::size_t
#include <cstring>   // std::strerror
#include <string>    // std::string
#include <utility>   // std::exchange

#include "abmkpi/error.hpp"

namespace abmkpi::io {

/// An open input: a named file, or standard input for the name "-". Move-only.
class byte_source {
 public:
  /// Opens `path` ("-" is standard input). Throws input_error when it cannot be opened, is a
  /// directory, or is not readable.
  explicit byte_source(const std::string& path) : name_(path == "-" ? "<stdin>" : path) {
    if (path == "-") {
      fd_ = 0;
      owned_ = false;
      return;
    }
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw input_error(path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      throw input_error(path + ": cannot open: Is a directory");
    }
  }
  byte_source(byte_source&& other) noexcept
      : name_(std::move(other.name_)), fd_(std::exchange(other.fd_, -1)), owned_(other.owned_) {}
  byte_source& operator=(byte_source&&) = delete;
  byte_source(const byte_source&) = delete;
  ~byte_source() {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }

  /// Reads up to `n` bytes into `dst`; returns 0 only at end of input. Retries on EINTR.
  /// Throws input_error on a read failure.
  std::size_t read(char* dst, std::size_t n) {
    for (;;) {
      const ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno == EINTR) continue;
      throw input_error(name_ + ": cannot read: " + std::strerror(errno));
    }
  }

  /// The name used in messages: the path as given, or `<stdin>`.
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
  int fd_ = -1;
  bool owned_ = true;
};

}  // namespace abmkpi::io
