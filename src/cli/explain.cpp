#include "abmkpi/check/requirements.hpp"
#include "abmkpi/report/explain.hpp"
#include "cli/commands.hpp"

namespace abmkpi::cli {

CLI::App* add_explain(CLI::App& app, explain_options& opts) {
  CLI::App* cmd = app.add_subcommand(
      "explain", "Show one KPI's formula with this data's numbers plugged in");
  cmd->add_option("KPI", opts.kpi, "A kpis key (abmkpi metrics lists them)")->required();
  add_input_flags(*cmd, opts.input, true);
  add_output_flags(*cmd, opts.output);
  return cmd;
}

int run_explain(const explain_options& opts) {
  if (!metrics::find_kpi(opts.kpi)) {
    check::check_key(opts.kpi, false);  // throws, naming close matches
    throw usage_error("explain takes a kpis key, not \"" + opts.kpi + "\"");
  }
  const engine::analysis_options options = to_analysis_options(opts.input);
  io::diagnostics diag = make_diagnostics(opts.input, opts.output);
  const engine::analysis a = load_inputs(options, diag, opts.output);
  const report::report r = engine::build_report(a, options, diag);
  write_output(opts.output, report::render_explanation(r, opts.kpi));
  return 0;
}

}  // namespace abmkpi::cli
