// abmkpi: builds the command line, runs the chosen command, and maps errors to exit codes
// (sysexits, SPEC §1.4). Nothing else happens here.
#include <csignal>  // std::signal, SIGPIPE
#include <cstdio>   // std::fprintf

#include "abmkpi/detail/text.hpp"
#include "abmkpi/version.hpp"
#include "cli/commands.hpp"
#include "cli/config.hpp"

namespace {
// Messages may quote input; escape_control keeps it from acting on the terminal.
void fail(const std::exception& e, const char* prefix = "") {
  std::fprintf(stderr, "abmkpi: %s%s\n", prefix, abmkpi::detail::escape_control(e.what()).c_str());
}

// sysexits: 65 invalid data, 66 an input cannot be opened, 64 bad usage, 74 output failed,
// 70 anything unexpected.
int exit_status(const std::exception& e) {
  using namespace abmkpi;
  if (dynamic_cast<const io::row_errors*>(&e) || dynamic_cast<const parse_error*>(&e)) return 65;
  if (dynamic_cast<const input_error*>(&e)) return 66;
  if (dynamic_cast<const usage_error*>(&e)) return 64;
  if (dynamic_cast<const output_error*>(&e)) return 74;
  return 70;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace abmkpi;
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe shows up as EPIPE, handled in write_output
  CLI::App app{"abmkpi: account-based-marketing and B2B revenue KPIs from raw CRM exports"};
  app.option_defaults()->always_capture_default();  // --help and --print-config show defaults
  app.set_version_flag("--version", version_string);
  app.require_subcommand(1);
  cli::report_options report;
  cli::validate_options validate;
  cli::metrics_options metrics;
  cli::check_options check;
  cli::explain_options explain;
  CLI::App* report_cmd = cli::add_report(app, report);
  CLI::App* validate_cmd = cli::add_validate(app, validate);
  CLI::App* check_cmd = cli::add_check(app, check);
  CLI::App* metrics_cmd = cli::add_metrics(app, metrics);
  CLI::App* explain_cmd = cli::add_explain(app, explain);
  cli::completion_options completion;
  CLI::App* completion_cmd = cli::add_completion(app, completion);
  cli::add_config(app, argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ConfigError& e) {  // CLI11 does not name the file
    std::fprintf(stderr, "abmkpi: %s: %s\n", cli::config_path(app).c_str(), e.what());
    return 64;
  } catch (const CLI::FileError& e) {  // --config names a file that cannot be read
    std::fprintf(stderr, "abmkpi: --config: %s\n", e.what());
    return 66;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 64;  // CLI11's own codes become EX_USAGE
  }
  try {
    for (auto [cmd, out] : {std::pair{report_cmd, &report.output}, {validate_cmd, &validate.output},
                            {metrics_cmd, &metrics.output}, {check_cmd, &check.output},
                            {explain_cmd, &explain.output}})
      if (cmd->parsed() && out->print_config) {
        cli::write_output({}, cli::effective_config(app, *cmd));
        return 0;
      }
    if (report_cmd->parsed()) return cli::run_report(report);
    if (validate_cmd->parsed()) return cli::run_validate(validate);
    if (metrics_cmd->parsed()) return cli::run_metrics(metrics);
    if (check_cmd->parsed()) return cli::run_check(check);
    if (explain_cmd->parsed()) return cli::run_explain(explain);
    if (completion_cmd->parsed()) return cli::run_completion(app, completion);
    return 64;
  } catch (const std::exception& e) {
    const int status = exit_status(e);
    fail(e, status == 70 ? "internal error: " : "");
    return status;
  }
}
