// The comparisons of SPEC §4 as grids of text cells (a heading row, then one row per KPI or per
// group), which the terminal table and the Markdown report both lay out. Formatting only.
#pragma once

#include <fmt/format.h>

#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/text.hpp"
#include "abmkpi/metrics/stats.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/report.hpp"

namespace abmkpi::report {

/// Rows of text cells under a heading row. The first `left` columns are left-aligned (names),
/// the others right-aligned (values).
struct grid {
  std::vector<std::string> heading;
  std::vector<std::vector<std::string>> rows;
  std::size_t left = 1;
};

/// A change of a KPI with its unit and a sign: `+12,000.00 USD`, `-16.67 pp` for rates
/// (percentage points), `n/a` for null.
inline std::string format_change(const kpi_value& k, const std::optional<std::string>& currency) {
  if (!k.value) return "n/a";
  std::string text;
  if (k.info->kind == metrics::unit::rate)
    text = fmt::format("{:.2f} pp", *k.value * 100);
  else
    text = format_value(k, currency);
  if (*k.value > 0 && text.find_first_of("123456789") != std::string::npos) return "+" + text;
  return text;
}

/// A plain multiple (a lift), or `n/a`.
inline std::string format_multiple(const std::optional<double>& v) {
  return v ? fmt::format("{:.2f}x", *v) : "n/a";
}

/// Each available KPI of `section` with its current value, its previous value and the change.
inline grid previous_grid(const report& r, metrics::section where) {
  grid g{{"", "current", "previous", "change"}, {}, 1};
  for (const auto& k : r.kpis) {
    if (k.info->where != where || !k.available) continue;
    const kpi_value* before = r.previous->find(k.info->key);
    const kpi_value* change = r.delta->find(k.info->key);
    g.rows.push_back({std::string(k.info->key), format_value(k, r.currency),
                      format_value(*before, r.currency), format_change(*change, r.currency)});
  }
  return g;
}

/// Every §3.1 KPI of the two cohorts side by side, with the lift where SPEC §4 defines one.
inline grid cohort_grid(const report& r) {
  grid g{{"", "target", "non-target", "lift"}, {}, 1};
  const cohort_report& c = *r.cohorts;
  auto t = c.target.begin();
  auto n = c.non_target.begin();
  for (; t != c.target.end(); ++t, ++n) {
    std::string lift;
    for (std::size_t i = 0; i < lift_keys.size(); ++i)
      if (lift_keys[i] == t->info->key) lift = format_multiple(c.lift[i]);
    g.rows.push_back({std::string(t->info->key), format_value(*t, r.currency),
                      format_value(*n, r.currency), lift});
  }
  return g;
}

/// One sentence on whether target accounts win at a different rate, at the 5% level.
inline std::string cohort_verdict(const report& r) {
  const cohort_report& c = *r.cohorts;
  const auto rate = [](const kpi_set& s) {
    const auto v = s.get("win_rate");
    return v ? fmt::format("{:.2f} %", *v * 100) : std::string("n/a");
  };
  std::string text = fmt::format("Win rate {} for target accounts against {} for the others: ",
                                 rate(c.target), rate(c.non_target));
  if (!c.win_rate_p_value)
    return text + "no test possible (a cohort has no won or lost deal, or every deal of both "
                  "was won, or every one lost).";
  const bool significant = *c.win_rate_p_value < 0.05;
  return text + fmt::format("the difference is {}significant at 5% (p = {:.4f}, two-sided "
                            "two-proportion z-test).",
                            significant ? "" : "not ", *c.win_rate_p_value);
}

/// The §3.1 KPIs a group row shows; JSON and CSV carry all of them.
inline constexpr std::string_view group_columns[] = {
    "deals_won", "deals_lost", "win_rate", "bookings", "avg_deal_size",
    "sales_cycle_days_avg", "created_pipeline", "open_pipeline"};

/// One row per --by group: its values, then the group_columns KPIs.
inline grid group_grid(const report& r) {
  grid g;
  g.left = r.group_by.size();
  for (const auto& by : r.group_by) g.heading.push_back(abmkpi::detail::escape_control(by));
  for (std::string_view key : group_columns) g.heading.emplace_back(key);
  for (const auto& group : r.groups) {
    std::vector<std::string> row;
    for (const auto& v : group.values) row.push_back(abmkpi::detail::escape_control(v));
    for (std::string_view key : group_columns) row.push_back(format_value(*group.kpis.find(key), r.currency));
    g.rows.push_back(std::move(row));
  }
  return g;
}

}  // namespace abmkpi::report
