// The comparisons of SPEC §4 as grids of text cells (a heading row, then one row per KPI or per
// group), which the terminal table and the Markdown report both lay out. Formatting only.
#pragma once

#include <fmt/format.h>

#include <algorithm>    // std::clamp, std::max
#include <cmath>        // std::fabs
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/text.hpp"
#include "abmkpi/metrics/stats.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/report.hpp"
#include "abmkpi/report/style.hpp"

namespace abmkpi::report {

/// Bars beside one column of a grid, one per row: the fraction (0..1) of the column's scale that
/// the row's value is, or nullopt for no bar. Renderers that draw charts (the terminal table)
/// put them in a column of their own right after column `after`; the others ignore them.
struct bar_column {
  std::size_t after = 0;
  std::vector<std::optional<double>> fill;
};

/// Rows of text cells under a heading row. The first `left` columns are left-aligned (names),
/// the others right-aligned (values). `tones` is empty, or holds one tone per cell of `rows`:
/// tone::good or tone::bad for a change or lift that moved its KPI the good or the bad way
/// (metrics::good_direction), tone::plain otherwise; renderers that colour use it.
struct grid {
  std::vector<std::string> heading;
  std::vector<std::vector<std::string>> rows;
  std::size_t left = 1;
  std::vector<std::vector<tone>> tones = {};
  std::vector<bar_column> bars = {};
};

/// How a movement of KPI `key` reads: `rise` > 0 it went up, < 0 down, 0 not at all (as shown).
/// tone::good or tone::bad by metrics::good_direction, tone::plain for no movement or a neutral
/// KPI. Does not throw.
inline tone movement_tone(std::string_view key, int rise) noexcept {
  const metrics::better way = metrics::good_direction(key);
  if (rise == 0 || way == metrics::better::neutral) return tone::plain;
  return (rise > 0) == (way == metrics::better::higher) ? tone::good : tone::bad;
}

/// The tone of a `delta` value `change` of KPI `key` shown as `shown`: plain when null or when
/// the shown text has no non-zero digit (a change that rounds to 0 is no change).
inline tone change_tone(std::string_view key, const std::optional<double>& change,
                        std::string_view shown) noexcept {
  if (!change || shown.find_first_of("123456789") == std::string_view::npos) return tone::plain;
  return movement_tone(key, *change > 0 ? 1 : *change < 0 ? -1 : 0);
}

/// The tone of a cohort lift (target ÷ non-target) of KPI `key`: above 1 is a rise. Plain when
/// null or when it rounds to 1.00x as shown.
inline tone lift_tone(std::string_view key, const std::optional<double>& lift) noexcept {
  if (!lift || std::fabs(*lift - 1) < 0.005) return tone::plain;
  return movement_tone(key, *lift > 1 ? 1 : -1);
}

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
    std::string shown = format_change(*change, r.currency);
    const tone t = change_tone(k.info->key, change->value, shown);
    g.rows.push_back({std::string(k.info->key), format_value(k, r.currency),
                      format_value(*before, r.currency), std::move(shown)});
    g.tones.push_back({tone::plain, tone::plain, tone::plain, t});
  }
  return g;
}

/// The fraction of `scale` that `v` is, for a bar: nullopt when either is null or the scale is
/// not above 0; clamped to 0..1.
inline std::optional<double> bar_fill(const std::optional<double>& v, std::optional<double> scale) {
  // value_or, not *scale behind a check: g++ 12 -O3 took *scale for maybe-uninitialized.
  const double top = scale.value_or(0.0);
  if (!v || !(top > 0)) return std::nullopt;
  return std::clamp(*v / top, 0.0, 1.0);
}

/// Every §3.1 KPI of the two cohorts side by side, with the lift where SPEC §4 defines one
/// (toned by metrics::good_direction), and bars beside both cohorts' win_rate (0..100 %) and
/// bookings (0..the larger of the two).
inline grid cohort_grid(const report& r) {
  grid g{{"", "target", "non-target", "lift"}, {}, 1};
  const cohort_report& c = *r.cohorts;
  std::optional<double> top_bookings;
  for (const kpi_set* s : {&c.target, &c.non_target})
    if (const auto b = s->get("bookings")) top_bookings = std::max(top_bookings.value_or(*b), *b);
  bar_column target_bars{1, {}}, non_target_bars{2, {}};
  auto t = c.target.begin();
  auto n = c.non_target.begin();
  for (; t != c.target.end(); ++t, ++n) {
    std::string lift;
    tone lift_shade = tone::plain;
    for (std::size_t i = 0; i < lift_keys.size(); ++i)
      if (lift_keys[i] == t->info->key) {
        lift = format_multiple(c.lift[i]);
        lift_shade = lift_tone(t->info->key, c.lift[i]);
      }
    g.rows.push_back({std::string(t->info->key), format_value(*t, r.currency),
                      format_value(*n, r.currency), lift});
    g.tones.push_back({tone::plain, tone::plain, tone::plain, lift_shade});
    const std::string_view key = t->info->key;
    // Set by statements, not a conditional expression of optionals: inlined differently in
    // the profile-guided build, that drew a false -Wmaybe-uninitialized from GCC 12.
    std::optional<double> scale;
    if (key == "win_rate") {
      scale = 1.0;
    } else if (key == "bookings") {
      scale = top_bookings;
    }
    target_bars.fill.push_back(bar_fill(t->value, scale));
    non_target_bars.fill.push_back(bar_fill(n->value, scale));
  }
  g.bars = {std::move(target_bars), std::move(non_target_bars)};
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

/// One row per --by group: its values, then the group_columns KPIs, with bars beside win_rate
/// (0..100 %) and bookings (0..the largest bookings of the groups).
inline grid group_grid(const report& r) {
  grid g;
  g.left = r.group_by.size();
  for (const auto& by : r.group_by) g.heading.push_back(abmkpi::detail::escape_control(by));
  for (std::string_view key : group_columns) g.heading.emplace_back(key);
  std::optional<double> top_bookings;
  for (const auto& group : r.groups)
    if (const auto b = group.kpis.get("bookings"))
      top_bookings = std::max(top_bookings.value_or(*b), *b);
  const auto column_of = [&](std::string_view key) {
    std::size_t c = 0;
    while (group_columns[c] != key) ++c;
    return g.left + c;
  };
  bar_column win_rate_bars{column_of("win_rate"), {}}, bookings_bars{column_of("bookings"), {}};
  for (const auto& group : r.groups) {
    std::vector<std::string> row;
    for (const auto& v : group.values) row.push_back(abmkpi::detail::escape_control(v));
    for (std::string_view key : group_columns)
      row.push_back(format_value(*group.kpis.find(key), r.currency));
    g.rows.push_back(std::move(row));
    win_rate_bars.fill.push_back(bar_fill(group.kpis.get("win_rate"), 1.0));
    bookings_bars.fill.push_back(bar_fill(group.kpis.get("bookings"), top_bookings));
  }
  g.bars = {std::move(win_rate_bars), std::move(bookings_bars)};
  return g;
}

}  // namespace abmkpi::report
