// Options shared by the commands that read inputs (report, validate), and the output helpers.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>  // std::vector

#include "abmkpi/engine/analysis.hpp"
#include "cli/output.hpp"

namespace abmkpi::cli {

/// Input and period flags as typed; turned into engine options by to_analysis_options().
struct input_flags {
  std::string deals;
  std::string deals_option;
  std::string accounts, touches, spend, fx, weights;
  double gross_margin = 1.0;
  double max_lifetime_years = 10;
  std::optional<double> icp_min;
  std::optional<std::int64_t> market_accounts;
  double mqa_threshold = 50;
  int influence_window = 90;
  unsigned threads = 0;
  std::uint64_t parallel_min_bytes = 8 << 20;
  std::string input_format = "auto";
  std::vector<std::string> maps;
  bool decimal_comma = false;
  std::string date_format;
  double term_months = 12;
  std::string currency;
  bool skip_invalid = false;
  io::read_limits limits;  // --max-*
  std::string period, from, to;
  std::vector<std::string> by;  // --by (SPEC §4)
  std::size_t max_groups = 10000;
  std::string compare;          // --compare previous
};

/// Adds the input flags (positional FILE, --deals, --map, ...) to `cmd`.
void add_input_flags(CLI::App& cmd, input_flags& f, bool with_period);

/// Validates flag values that CLI11 cannot check alone. Throws usage_error.
engine::analysis_options to_analysis_options(const input_flags& f);

/// engine::load with a progress line on standard error (when it is a terminal and not --quiet).
engine::analysis load_inputs(const engine::analysis_options& options, io::diagnostics& diag,
                             const output_flags& out);

/// The row-error policy and a diagnostics sink that writes to stderr (without the warnings
/// under --quiet).
io::diagnostics make_diagnostics(const input_flags& f, const output_flags& out);

}  // namespace abmkpi::cli
