// abmkpi: builds the command line, runs the chosen command, and maps errors to exit codes
// (sysexits, SPEC §1.4). Nothing else happens here.
#include <csignal>  // std::signal, SIGPIPE
#include <cstdio>   // std::fprintf

#include "abmkpi/detail/text.hpp"
#include "abmkpi/version.hpp"
#include "cli/commands.hpp"

namespace {
// Messages may quote input; escape_control keeps it from acting on the terminal.
void fail(const std::exception& e, const char* prefix = "") {
  std::fprintf(stderr, "abmkpi: %s%s\n", prefix, abmkpi::detail::escape_control(e.what()).c_str());
}
}  // namespace

int main(int argc, char** argv) {
  using namespace abmkpi;
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe shows up as EPIPE, handled in write_stdout
  CLI::App app{"abmkpi: account-based-marketing and B2B revenue KPIs from raw CRM exports"};
  app.set_version_flag("--version", version_string);
  app.require_subcommand(1);
  cli::report_options report;
  cli::validate_options validate;
  cli::metrics_options metrics;
  CLI::App* report_cmd = cli::add_report(app, report);
  CLI::App* validate_cmd = cli::add_validate(app, validate);
  CLI::App* metrics_cmd = cli::add_metrics(app, metrics);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 64;  // CLI11's own codes become EX_USAGE
  }
  try {
    if (report_cmd->parsed()) return cli::run_report(report);
    if (validate_cmd->parsed()) return cli::run_validate(validate);
    if (metrics_cmd->parsed()) return cli::run_metrics(metrics);
    return 64;
  } catch (const io::row_errors& e) {
    fail(e);
    return 65;
  } catch (const parse_error& e) {
    fail(e);
    return 65;
  } catch (const input_error& e) {
    fail(e);
    return 66;
  } catch (const usage_error& e) {
    fail(e);
    return 64;
  } catch (const output_error& e) {
    fail(e);
    return 74;
  } catch (const std::exception& e) {
    fail(e, "internal error: ");
    return 70;
  }
}
