// Row errors and warnings (SPEC §1.4): every problem a reader finds is recorded here, under a
// named policy, so that nothing is dropped silently.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint64_t
#include <algorithm>    // std::max_element, std::stable_sort
#include <functional>   // std::function
#include <utility>      // std::pair
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/error.hpp"

namespace abmkpi::io {

/// What to do with a row that cannot be read.
enum class row_error_policy : std::uint8_t {
  fail,  ///< default: report every row error (up to a limit), then fail with no report
  skip,  ///< skip the row, report the same message as a warning, count it as rejected
};

/// Thrown after reading when the policy is `fail` and rows had errors (exit 65).
class row_errors : public error {
 public:
  explicit row_errors(std::size_t count)
      : error(std::to_string(count) + (count == 1 ? " row error" : " row errors") +
              "; no report (use --skip-invalid to skip invalid rows)"),
        count_(count) {}
  std::size_t count() const noexcept { return count_; }

 private:
  std::size_t count_;
};

/// Collects row errors, warnings and notes. Messages go to `emit` as they happen (the CLI
/// writes them to stderr); after `max_shown` row errors only the count grows.
class diagnostics {
 public:
  using emitter = std::function<void(std::string_view line)>;

  explicit diagnostics(row_error_policy policy = row_error_policy::fail, emitter emit = {},
                       std::size_t max_shown = 20)
      : policy_(policy), emit_(std::move(emit)), max_shown_(max_shown) {}

  /// Records a row error: `FILE:LINE: COLUMN: PROBLEM`. The problem text must already have any
  /// input quoted with detail::quote_cell. The messages are shown by finish_reading(), in line
  /// order, the first `max_shown` of them: rows are not always read in line order (rows waiting
  /// for a date order, pieces of a file read in parallel).
  void row_error(std::string_view file, std::uint64_t line, std::string_view column,
                 std::string_view problem) {
    ++row_errors_;
    if (kept_.size() >= max_shown_ && line >= kept_max_line()) return;
    keep(line, format_row_error(file, line, column, problem));
  }

  /// Adds the row errors of a parallel piece (its counts and kept messages).
  void absorb(const diagnostics& piece) {
    row_errors_ += piece.row_errors_;
    for (const auto& [line, message] : piece.kept_)
      if (kept_.size() < max_shown_ || line < kept_max_line()) keep(line, message);
  }
  /// Shows a line formatted elsewhere (a replayed warning).
  void replay_line(std::string_view line) {
    if (emit_) emit_(line);
  }

  diagnostics(const diagnostics&) = delete;
  diagnostics& operator=(const diagnostics&) = delete;
  diagnostics(diagnostics&&) = default;
  diagnostics& operator=(diagnostics&&) = default;
  /// Shows row errors that finish_reading() did not (reading stopped on an exception).
  ~diagnostics() { show_row_errors(); }

 private:
  std::string format_row_error(std::string_view file, std::uint64_t line, std::string_view column,
                               std::string_view problem) const {
    std::string msg;
    if (policy_ == row_error_policy::skip) msg += "warning: ";
    msg += file;
    msg += ':';
    msg += std::to_string(line);
    msg += ": ";
    if (!column.empty()) {
      msg += column;
      msg += ": ";
    }
    msg += problem;
    if (policy_ == row_error_policy::skip) msg += " (row skipped)";
    return msg;
  }

 public:

  /// A warning that does not reject anything (e.g. an inferred date order).
  void warning(std::string_view text) {
    if (emit_) emit_(std::string("warning: ") + std::string(text));
  }

  /// A note that belongs in the report's `notes` (and is not printed on stderr).
  void note(std::string text) { notes_.push_back(std::move(text)); }

  /// Called once all inputs are read: prints how many row errors went unshown, and throws
  /// row_errors under the `fail` policy when any row failed.
  void finish_reading() {
    show_row_errors();
    if (policy_ == row_error_policy::fail && row_errors_ > 0) throw row_errors(row_errors_);
  }

  row_error_policy policy() const noexcept { return policy_; }
  std::size_t max_shown() const noexcept { return max_shown_; }
  std::size_t row_error_count() const noexcept { return row_errors_; }
  const std::vector<std::string>& notes() const noexcept { return notes_; }

 private:
  row_error_policy policy_;
  void keep(std::uint64_t line, std::string message) {
    if (kept_.size() >= max_shown_) {  // replace the latest line kept
      auto latest = std::max_element(kept_.begin(), kept_.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
      });
      *latest = {line, std::move(message)};
      return;
    }
    kept_.emplace_back(line, std::move(message));
  }
  std::uint64_t kept_max_line() const {
    std::uint64_t m = 0;
    for (const auto& k : kept_) m = std::max(m, k.first);
    return m;
  }
  void show_row_errors() {
    if (shown_) return;
    shown_ = true;
    std::stable_sort(kept_.begin(), kept_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (emit_) {
      for (const auto& [line, message] : kept_) emit_(message);
      if (row_errors_ > kept_.size())
        emit_("... and " + std::to_string(row_errors_ - kept_.size()) + " more row errors");
    }
  }

  emitter emit_;
  std::vector<std::pair<std::uint64_t, std::string>> kept_;  // the first row errors by line
  bool shown_ = false;
  std::size_t max_shown_;
  std::size_t row_errors_ = 0;
  std::vector<std::string> notes_;
};

}  // namespace abmkpi::io
