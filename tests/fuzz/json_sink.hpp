// The row sink fuzz_json and fuzz_ndjson share: it checks the row_sink protocol of the JSON
// readers (io/json.hpp) as events arrive and logs them, so that two runs can be compared.
#pragma once

#include <cstddef>        // std::size_t
#include <cstdint>        // std::uint64_t
#include <span>           // std::span
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <unordered_set>  // std::unordered_set
#include <vector>         // std::vector

#include "abmkpi/io/rows.hpp"
#include "fuzz_support.hpp"

namespace abmkpi_fuzz {

class json_checking_sink final : public abmkpi::io::row_sink {
 public:
  /// `tag` prefixes this sink's lines in `log`; `max_line` is the last line a row can start on.
  json_checking_sink(std::string tag, std::string& log, std::uint64_t max_line)
      : tag_(std::move(tag)), log_(log), max_line_(max_line) {}

  void columns(std::span<const std::string_view> names) override {
    ABMKPI_FUZZ_CHECK(!finished_);
    // A later call only extends the list: old names keep their positions, names are unique.
    ABMKPI_FUZZ_CHECK(names.size() >= names_.size());
    for (std::size_t i = 0; i < names_.size(); ++i) ABMKPI_FUZZ_CHECK(names[i] == names_[i]);
    std::unordered_set<std::string_view> seen(names.begin(), names.end());
    ABMKPI_FUZZ_CHECK(seen.size() == names.size());
    names_.assign(names.begin(), names.end());
    announced_ = true;
    add("columns", names, 0);
  }
  void row(std::span<const std::string_view> cells, std::uint64_t line) override {
    ABMKPI_FUZZ_CHECK(announced_ && !finished_);
    ABMKPI_FUZZ_CHECK(cells.size() == names_.size());
    ABMKPI_FUZZ_CHECK(line >= 1 && line <= max_line_ && line >= last_line_);
    last_line_ = line;
    add("row", cells, line);
  }
  void ragged_row(std::span<const std::string_view>, std::uint64_t) override {
    ABMKPI_FUZZ_CHECK(!"a JSON reader never makes a ragged row");
  }
  void finish() override {
    ABMKPI_FUZZ_CHECK(announced_ && !finished_);
    finished_ = true;
    log_ += tag_ + " finish\n";
  }
  bool finished() const { return finished_; }

 private:
  void add(const char* what, std::span<const std::string_view> cells, std::uint64_t line) {
    log_ += tag_;
    log_ += ' ';
    log_ += what;
    log_ += ' ';
    log_ += std::to_string(line);
    for (const std::string_view c : cells) {
      log_ += '[';
      log_ += c;
      log_ += ']';
    }
    log_ += '\n';
  }

  std::string tag_;
  std::string& log_;
  std::uint64_t max_line_;
  std::vector<std::string> names_;
  bool announced_ = false;
  bool finished_ = false;
  std::uint64_t last_line_ = 0;
};

/// Field and column limits small enough to be hit, where this version of json_options has them
/// (the depth limit is set by the caller).
template <class Options>
void set_small_json_limits(Options& o) {
  if constexpr (requires { o.max_field_bytes; }) o.max_field_bytes = 16;
  if constexpr (requires { o.max_columns; }) o.max_columns = 4;
}

/// 1 + the number of LF bytes: the last line a row can start on.
inline std::uint64_t last_line_of(std::string_view text) {
  std::uint64_t lines = 1;
  for (const char c : text) lines += c == '\n';
  return lines;
}

}  // namespace abmkpi_fuzz
