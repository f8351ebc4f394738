// Row errors and warnings (SPEC §1.4): every problem a reader finds is recorded here, under a
// named policy, so that nothing is dropped silently.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint64_t
#include <functional>   // std::function
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
  /// input quoted with detail::quote_cell.
  void row_error(std::string_view file, std::uint64_t line, std::string_view column,
                 std::string_view problem) {
    ++row_errors_;
    if (row_errors_ > max_shown_) return;
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
    if (emit_) emit_(msg);
  }

  /// A warning that does not reject anything (e.g. an inferred date order).
  void warning(std::string_view text) {
    if (emit_) emit_(std::string("warning: ") + std::string(text));
  }

  /// A note that belongs in the report's `notes` (and is not printed on stderr).
  void note(std::string text) { notes_.push_back(std::move(text)); }

  /// Called once all inputs are read: prints how many row errors went unshown, and throws
  /// row_errors under the `fail` policy when any row failed.
  void finish_reading() {
    if (row_errors_ > max_shown_ && emit_)
      emit_("... and " + std::to_string(row_errors_ - max_shown_) + " more row errors");
    if (policy_ == row_error_policy::fail && row_errors_ > 0) throw row_errors(row_errors_);
  }

  row_error_policy policy() const noexcept { return policy_; }
  std::size_t row_error_count() const noexcept { return row_errors_; }
  const std::vector<std::string>& notes() const noexcept { return notes_; }

 private:
  row_error_policy policy_;
  emitter emit_;
  std::size_t max_shown_;
  std::size_t row_errors_ = 0;
  std::vector<std::string> notes_;
};

}  // namespace abmkpi::io
