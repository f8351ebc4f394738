// The progress line on standard error while the inputs are read (issue 7): bytes, rows a second
// and the time left, redrawn at most ten times a second, only when standard error is a terminal.
#pragma once

#include <chrono>              // std::chrono::steady_clock
#include <condition_variable>  // std::condition_variable
#include <cstdint>             // std::uint64_t
#include <mutex>               // std::mutex
#include <string>              // std::string
#include <string_view>         // std::string_view
#include <thread>              // std::thread
#include <vector>              // std::vector

#include "abmkpi/io/progress.hpp"

namespace abmkpi::cli {

class progress_line {
 public:
  /// Starts the line's thread when `enabled`. `total_bytes` is 0 when unknown (standard input).
  /// The line appears once the inputs are at least `min_bytes` or the work has taken a second.
  progress_line(bool enabled, std::uint64_t total_bytes, std::uint64_t min_bytes);
  ~progress_line() { stop(); }
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;

  /// Erases the line and ends the thread (idempotent).
  void stop();

  /// Writes `text` to standard error without tearing the line: erases it first; the next tick
  /// draws it again below. Usable whether or not a line is active.
  static void print(std::string_view text);

 private:
  void run();
  void draw();  // with mutex_ held

  io::progress_meter meter_;
  std::uint64_t total_ = 0, min_bytes_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool drawn_ = false, done_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

/// The bytes of the given input files that are regular files (0 when one is standard input).
std::uint64_t input_bytes(const std::vector<std::string>& paths);

/// "412.3 MB", "1.07 GB": decimal units, as file managers show sizes.
std::string format_bytes(double bytes);

}  // namespace abmkpi::cli
