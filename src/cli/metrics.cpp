#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "abmkpi/metrics/catalog.hpp"
#include "cli/commands.hpp"

namespace abmkpi::cli {

namespace {
std::string_view unit_name(metrics::unit u) {
  switch (u) {
    case metrics::unit::count: return "count";
    case metrics::unit::money: return "money";
    case metrics::unit::money_per_day: return "money/day";
    case metrics::unit::rate: return "rate";
    case metrics::unit::days: return "days";
    case metrics::unit::months: return "months";
    case metrics::unit::years: return "years";
    case metrics::unit::ratio: return "ratio";
    case metrics::unit::score: return "score";
  }
  return "";
}

std::string_view needs_name(metrics::needs n) {
  switch (n) {
    case metrics::needs::deals: return "deals";
    case metrics::needs::accounts: return "deals, accounts";
    case metrics::needs::touches: return "deals, touches";
    case metrics::needs::spend: return "deals, spend";
    case metrics::needs::accounts_or_deals: return "deals (accounts optional)";
  }
  return "";
}
}  // namespace

CLI::App* add_metrics(CLI::App& app, metrics_options& opts) {
  CLI::App* cmd = app.add_subcommand("metrics", "List every KPI with its formula, unit and inputs");
  cmd->add_flag("--json", opts.json, "Print the list as JSON");
  add_output_flags(*cmd, opts.output);
  return cmd;
}

int run_metrics(const metrics_options& opts) {
  if (opts.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& k : metrics::kpi_catalog)
      list.push_back({{"key", k.key},
                      {"section", metrics::section_title(k.where)},
                      {"unit", unit_name(k.kind)},
                      {"inputs", needs_name(k.input)},
                      {"spec", k.spec},
                      {"formula", k.formula}});
    write_output(opts.output, list.dump(2) + "\n");
    return 0;
  }
  std::string out = fmt::format("{:<30} {:<10} {:<26} {}\n", "KPI", "UNIT", "INPUTS", "FORMULA");
  for (const auto& k : metrics::kpi_catalog)
    out += fmt::format("{:<30} {:<10} {:<26} {}\n", k.key, unit_name(k.kind), needs_name(k.input),
                       k.formula);
  write_output(opts.output, out);
  return 0;
}

}  // namespace abmkpi::cli
