// Byte sources: a file or standard input, read in large blocks with read(2) (measured faster than
// mmap on this machine kind, see PERF-NOTES). Readers pull blocks; nothing holds a whole file.
#pragma once

#include <fcntl.h>     // open
#include <sys/stat.h>  // fstat
#include <unistd.h>    // read, close

#include <cerrno>    // errno
#include <cstddef>   // std::size_t
#include <algorithm>  // std::min
#include <cstring>   // std::strerror, std::memcpy
#include <string_view>  // std::string_view
#include <string>    // std::string
#include <utility>   // std::exchange

#include "abmkpi/error.hpp"
#include "abmkpi/io/progress.hpp"

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
      : name_(std::move(other.name_)),
        fd_(std::exchange(other.fd_, -1)),
        owned_(other.owned_),
        prefix_(std::move(other.prefix_)),
        peeked_(other.peeked_) {}
  byte_source& operator=(byte_source&&) = delete;
  byte_source(const byte_source&) = delete;
  ~byte_source() {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }

  /// Reads up to `n` bytes into `dst`; returns 0 only at end of input. Retries on EINTR.
  /// Throws input_error on a read failure.
  std::size_t read(char* dst, std::size_t n) {
    if (peeked_ < prefix_.size()) {  // hand back what peek() read first
      const std::size_t take = std::min(n, prefix_.size() - peeked_);
      std::memcpy(dst, prefix_.data() + peeked_, take);
      peeked_ += take;
      return take;
    }
    return read_raw(dst, n);
  }

  /// The first up-to-`n` bytes of the input, without consuming them (later read() calls return
  /// them again). Works on pipes too. Call before the first read(). Throws input_error.
  std::string_view peek(std::size_t n) {
    while (prefix_.size() < n) {
      const std::size_t old = prefix_.size();
      prefix_.resize(n);
      const std::size_t got = read_raw(prefix_.data() + old, n - old);
      prefix_.resize(old + got);
      if (got == 0) break;
    }
    return std::string_view(prefix_).substr(0, std::min(n, prefix_.size()));
  }

  /// The name used in messages: the path as given, or `<stdin>`.
  const std::string& name() const noexcept { return name_; }

 private:
  std::size_t read_raw(char* dst, std::size_t n) {
    for (;;) {
      const ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) {
        note_bytes_read(static_cast<std::uint64_t>(got));
        return static_cast<std::size_t>(got);
      }
      if (errno == EINTR) continue;
      throw input_error(name_ + ": cannot read: " + std::strerror(errno));
    }
  }

  std::string name_;
  int fd_ = -1;
  bool owned_ = true;
  std::string prefix_;      // bytes read by peek(), not yet returned by read()
  std::size_t peeked_ = 0;  // how many of them read() has returned
};

}  // namespace abmkpi::io
