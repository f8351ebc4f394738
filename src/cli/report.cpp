#include "abmkpi/report/csv.hpp"
#include "abmkpi/report/html.hpp"
#include "abmkpi/report/json.hpp"
#include "abmkpi/report/table.hpp"
#include "cli/commands.hpp"

namespace abmkpi::cli {

CLI::App* add_report(CLI::App& app, report_options& opts) {
  CLI::App* cmd = app.add_subcommand("report", "Compute the KPI report for a deals export");
  add_input_flags(*cmd, opts.input, true);
  add_output_flags(*cmd, opts.output);
  cmd->add_option(
         "--format", opts.format,
         "Output: table, json, csv, markdown or html (one self-contained page with charts; "
         "default table)")
      ->check(CLI::IsMember({"table", "json", "csv", "markdown", "md", "html"}));
  cmd->add_flag("--json", opts.json, "Same as --format json");
  cmd->footer(
      "Row errors: by default every unreadable row is reported as FILE:LINE: COLUMN: PROBLEM "
      "(up to 20, then a count) and the command exits 65 with no report; --skip-invalid skips "
      "such rows and counts them in inputs.<table>.rejected.\n"
      "Exit status: 0 ok, 64 bad arguments, 65 invalid input data, 66 input cannot be opened, "
      "70 internal error, 74 output cannot be written.");
  return cmd;
}

int run_report(const report_options& opts) {
  const engine::analysis_options options = to_analysis_options(opts.input);
  io::diagnostics diag = make_diagnostics(opts.input, opts.output);
  const engine::analysis a = load_inputs(options, diag, opts.output);
  const report::report r = engine::build_report(a, options, diag);
  const std::string format = opts.json ? "json" : opts.format;
  if (format == "json") write_output(opts.output, report::render_json(r));
  else if (format == "csv") write_output(opts.output, report::render_csv(r));
  else if (format == "markdown" || format == "md")
    write_output(opts.output, report::render_markdown(r));
  else if (format == "html") write_output(opts.output, report::render_html(r));
  else write_output(opts.output, report::render_table(r, {use_color(opts.output)}));
  return 0;
}

}  // namespace abmkpi::cli
