// Where a command's output goes and how it looks: --color, --quiet and -o/--output, shared by
// every command.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>  // std::uint64_t
#include <string>   // std::string

namespace abmkpi::cli {

struct output_flags {
  std::string color = "auto";  ///< auto, always or never
  bool quiet = false;          ///< no progress line, no warnings (errors still print)
  std::string path;            ///< -o/--output; empty: standard output
  bool print_config = false;   ///< --print-config: print the effective settings and stop
  std::uint64_t progress_min_bytes = 50'000'000;  ///< inputs this large show progress at once
};

/// Adds --color, --quiet, --print-config and (when `with_file`) -o/--output to `cmd`.
void add_output_flags(CLI::App& cmd, output_flags& f, bool with_file = true);

/// Whether to colour the output: `always`, `never`, or for `auto` when the output is standard
/// output and a terminal, NO_COLOR is unset or empty and TERM is not `dumb`.
bool use_color(const output_flags& f);

/// Whether standard error is a terminal that a progress line may redraw.
bool stderr_is_terminal();

/// Writes `text` to -o FILE or standard output. A file is written to a temporary file beside it
/// and renamed over it when complete, so a failed run never leaves half a report. Throws
/// output_error when the write fails (a full disk); a closed pipe (EPIPE) on standard output ends
/// the program quietly with status 0.
void write_output(const output_flags& f, const std::string& text);

}  // namespace abmkpi::cli
