// Small two-column CSV files that configure a run: `--fx` (currency,rate) and `--weights`
// (action,weight). Strict: any bad line is an error naming it.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::pair
#include <vector>       // std::vector

#include "abmkpi/detail/text.hpp"
#include "abmkpi/error.hpp"
#include "abmkpi/io/csv.hpp"
#include "abmkpi/io/source.hpp"
#include "abmkpi/io/values.hpp"

namespace abmkpi::io {

namespace detail {
class pair_sink final : public row_sink {
 public:
  pair_sink(std::string file, std::string_view what) : file_(std::move(file)), what_(what) {}
  void columns(std::span<const std::string_view> names) override {
    if (names.size() != 2)
      throw parse_error(file_, 1, 0, "expected two columns (" + std::string(what_) + "), found " +
                                         std::to_string(names.size()));
  }
  void row(std::span<const std::string_view> cells, std::uint64_t line) override {
    const number_result n = parse_number(cells[1]);
    if (n.ec != std::errc{} || n.percent_sign || trim(cells[0]).empty())
      throw parse_error(file_, line, 0, "cannot read " + abmkpi::detail::quote_cell(cells[1]) +
                                            " as a number (expected " + std::string(what_) + ")");
    pairs.emplace_back(std::string(trim(cells[0])), n.value);
  }
  void ragged_row(std::span<const std::string_view>, std::uint64_t line) override {
    throw parse_error(file_, line, 0, "expected two fields (" + std::string(what_) + ")");
  }
  void finish() override {}
  std::vector<std::pair<std::string, double>> pairs;

 private:
  std::string file_;
  std::string_view what_;
};
}  // namespace detail

/// Reads a CSV file with a header line and two columns, KEY and a number, e.g. `currency,rate`.
/// Throws input_error (cannot open) or parse_error (any line that is not KEY,NUMBER).
inline std::vector<std::pair<std::string, double>> read_pairs(const std::string& path,
                                                              std::string_view what) {
  byte_source src(path);
  detail::pair_sink sink(src.name(), what);
  read_csv(src, sink);
  return std::move(sink.pairs);
}

}  // namespace abmkpi::io
