#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>  // std::max
#include <fstream>    // std::ifstream
#include <iterator>   // std::istreambuf_iterator
#include <utility>    // std::pair

#include "abmkpi/check/requirements.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/style.hpp"
#include "abmkpi/report/width.hpp"
#include "cli/commands.hpp"

namespace abmkpi::cli {

CLI::App* add_check(CLI::App& app, check_options& opts) {
  CLI::App* cmd = app.add_subcommand(
      "check", "Compute the report and check requirements on it, for CI: exit 1 when one fails");
  add_input_flags(*cmd, opts.input, true);
  add_output_flags(*cmd, opts.output);
  cmd->add_option("--require", opts.require,
                  "A requirement KEY OP NUMBER, e.g. 'win_rate >= 0.2' or "
                  "'cohorts.lift.win_rate > 1' (repeatable); OP is >= > <= < == or !=")
      ->group("Requirements");
  cmd->add_option("--rules", opts.rules, "A file of requirements, one per line; # starts a comment")
      ->group("Requirements");
  cmd->add_flag("--allow-missing", opts.allow_missing,
                "A null KPI passes (it fails by default)")
      ->group("Requirements");
  cmd->add_flag("--json", opts.json, "Print the outcome as JSON")->group("Requirements");
  cmd->footer(
      "KEY is a kpis key (abmkpi metrics lists them) or a path of the JSON report: "
      "cohorts.target.KEY, cohorts.non_target.KEY, cohorts.lift.KEY, cohorts.win_rate_p_value, "
      "groups.VALUE.KEY (with --by), previous.KEY and delta.KEY (these two turn on --compare "
      "previous).\n"
      "Exit status: 0 every requirement holds, 1 one fails, 64 bad arguments or an unknown key, "
      "65 invalid input data, 66 input cannot be opened, 70 internal error, 74 output cannot be "
      "written.");
  return cmd;
}

namespace {
std::vector<check::requirement> read_requirements(const check_options& opts) {
  std::vector<check::requirement> reqs;
  for (const std::string& text : opts.require)
    reqs.push_back(check::parse_requirement(text, "--require"));
  if (!opts.rules.empty()) {
    std::ifstream in(opts.rules, std::ios::binary);
    if (!in) throw input_error(opts.rules + ": cannot open the rules file");
    const std::string content((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    for (auto& r : check::parse_rules(content, opts.rules)) reqs.push_back(std::move(r));
  }
  if (reqs.empty())
    throw usage_error("check needs a requirement: --require 'KEY OP NUMBER' or --rules FILE");
  return reqs;
}

std::string render_outcomes_json(const std::vector<check::outcome>& outcomes, bool passed) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& o : outcomes)
    list.push_back(
        {{"requirement", o.req->text},
         {"key", o.req->key},
         {"op", check::op_text(o.req->comparison)},
         {"threshold", o.req->threshold},
         {"actual", o.actual ? nlohmann::ordered_json(*o.actual) : nlohmann::ordered_json(nullptr)},
         {"result", !o.passed   ? "fail"
                    : o.missing ? "missing"
                                : "pass"}});
  nlohmann::ordered_json out{{"passed", passed}, {"requirements", std::move(list)}};
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}
}  // namespace

int run_check(const check_options& opts) {
  const std::vector<check::requirement> reqs = read_requirements(opts);
  engine::analysis_options options = to_analysis_options(opts.input);
  for (const auto& q : reqs)  // unknown keys are refused before any input is read
    options.compare_previous =
        check::check_key(q.key, !options.by.empty()).needs_previous || options.compare_previous;
  io::diagnostics diag = make_diagnostics(opts.input, opts.output);
  const engine::analysis a = load_inputs(options, diag, opts.output);
  const report::report r = engine::build_report(a, options, diag);
  const auto outcomes = check::evaluate(r, reqs, opts.allow_missing);
  std::size_t failed = 0;
  for (const auto& o : outcomes) failed += !o.passed;
  if (opts.json) {
    write_output(opts.output, render_outcomes_json(outcomes, failed == 0));
    return failed == 0 ? 0 : 1;
  }
  const report::text_style style{use_color(opts.output)};
  std::size_t width = 0;  // in display cells, so that requirements in any script line up
  for (const auto& q : reqs)
    width = std::max(width, report::display_width(report::terminal_text(q.text)));
  std::string out;
  for (const auto& o : outcomes) {
    std::string actual = "actual " + report::format_plain(o.actual);
    if (o.missing) {
      const std::string why = check::missing_reason(r, o.req->key);
      actual += why.empty() ? "" : " (" + why + ")";
      if (o.passed) actual += ", allowed by --allow-missing";
    }
    const auto [verdict, shade] = !o.passed ? std::pair("FAIL", report::tone::bad)
                                  : o.missing ? std::pair("SKIP", report::tone::warn)
                                              : std::pair("PASS", report::tone::good);
    out += report::paint(style, shade, verdict) + "  " +
           report::pad(report::terminal_text(o.req->text), width, report::align::left) + "  " +
           report::terminal_text(actual) + "\n";
  }
  const std::size_t n = outcomes.size();
  if (failed == 0)
    out += n == 1 ? "the requirement holds\n" : fmt::format("all {} requirements hold\n", n);
  else
    out += fmt::format("{} of {} requirement{} failed\n", failed, n, n == 1 ? "" : "s");
  write_output(opts.output, out);
  return failed == 0 ? 0 : 1;
}

}  // namespace abmkpi::cli
