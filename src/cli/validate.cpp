#include <fmt/format.h>

#include "cli/commands.hpp"

namespace abmkpi::cli {

CLI::App* add_validate(CLI::App& app, validate_options& opts) {
  CLI::App* cmd = app.add_subcommand(
      "validate", "Read the inputs and report every row error; compute nothing. Exit 0 when "
                  "clean, 65 otherwise");
  add_input_flags(*cmd, opts.input, false);
  add_output_flags(*cmd, opts.output, false);
  return cmd;
}

int run_validate(const validate_options& opts) {
  input_flags flags = opts.input;
  flags.skip_invalid = false;  // validate reports every row error as an error
  const engine::analysis_options options = to_analysis_options(flags);
  io::diagnostics diag = make_diagnostics(flags, opts.output);
  const engine::analysis a = load_inputs(options, diag, opts.output);  // throws row_errors when any
  std::string out;
  for (auto t : {io::table_kind::deals, io::table_kind::accounts, io::table_kind::touches,
                 io::table_kind::spend})
    if (a.has(t))
      out += fmt::format("{} ({}): {} rows, no errors\n", a.names[static_cast<std::size_t>(t)],
                         io::table_name(t), a.summaries[static_cast<std::size_t>(t)]->rows);
  write_output(opts.output, out);
  return 0;
}

}  // namespace abmkpi::cli
