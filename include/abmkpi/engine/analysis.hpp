// The whole pipeline in one place for the CLI and for library users: read the inputs in one
// streaming pass into accumulators, then reduce them to a report for the requested period.
#pragma once

#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "abmkpi/engine/deal_stats.hpp"
#include "abmkpi/engine/period.hpp"
#include "abmkpi/io/deal_reader.hpp"
#include "abmkpi/io/diagnostics.hpp"
#include "abmkpi/io/input.hpp"
#include "abmkpi/metrics/deals.hpp"
#include "abmkpi/report/report.hpp"

namespace abmkpi::engine {

/// Inputs and options of one analysis (the report command's flags).
struct analysis_options {
  std::string deals_path;  ///< a file, or "-" for standard input
  io::input_format format = io::input_format::automatic;
  io::deal_read_options deals;
  std::optional<std::string> currency;  ///< --currency
  period_request period;
};

/// What one pass over the inputs gathered.
struct analysis {
  std::string deals_name;
  deal_stats deals;
  io::deal_read_summary deals_summary;
  std::vector<std::string> ignored_tables;  ///< bundle tables this version does not read
};

/// Reads every input once. Row errors go to `diag` (under the `fail` policy they end in a
/// row_errors exception after all rows were read). Throws input_error, parse_error, usage_error.
inline analysis load(const analysis_options& opts, io::diagnostics& diag) {
  analysis a;
  a.deals_name = opts.deals_path == "-" ? "<stdin>" : opts.deals_path;
  io::deal_row_reader<deal_stats> reader(a.deals_name, opts.deals, diag, a.deals);
  io::read_table_file(opts.deals_path, io::table_kind::deals, opts.format,
                      [&](io::table_kind t) -> io::row_sink* {
                        if (t == io::table_kind::deals) return &reader;
                        a.ignored_tables.emplace_back(io::table_name(t));
                        return nullptr;
                      });
  diag.finish_reading();
  a.deals_summary = reader.summary();
  return a;
}

namespace detail {
inline std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

/// The report currency (SPEC §1.3): --currency, else the single currency seen, else none.
inline std::optional<std::string> report_currency(const analysis& a,
                                                  const std::optional<std::string>& requested) {
  const auto& seen = a.deals_summary.currencies;
  const bool mixed = seen.size() > 1 || (requested && seen.size() == 1 && *seen.begin() != *requested);
  if (mixed) {
    std::vector<std::string> all(seen.begin(), seen.end());
    throw parse_error(a.deals_name, 0, 0,
                      "amounts in more than one currency (" + join(all) +
                          (requested ? "; report currency " + *requested : std::string()) +
                          "); this version cannot convert between currencies");
  }
  if (requested) return requested;
  if (seen.size() == 1) return *seen.begin();
  return std::nullopt;
}
}  // namespace detail

/// Reduces an analysis to the report for the requested period. `notes` from reading are copied
/// in first. Throws usage_error (bad period) and parse_error (mixed currencies).
inline report::report build_report(const analysis& a, const analysis_options& opts,
                                   const io::diagnostics& diag) {
  report::report r;
  r.currency = detail::report_currency(a, opts.currency);
  r.inputs[static_cast<std::size_t>(io::table_kind::deals)] =
      report::table_counts{a.deals_summary.rows, a.deals_summary.rejected};
  r.input_names[static_cast<std::size_t>(io::table_kind::deals)] = a.deals_name;
  r.notes = diag.notes();
  r.period = resolve_period(opts.period, a.deals.first_event(), a.deals.last_event());
  if (!r.period) {
    r.notes.push_back("period: the deals hold no dates and no --from/--to was given");
  } else {
    const metrics::deal_totals t =
        a.deals.totals(*r.period, a.deals_summary.probability_percent_header);
    const metrics::deal_kpis k = metrics::compute_deal_kpis(t);
    auto n = [](std::int64_t v) { return std::optional<double>(static_cast<double>(v)); };
    r.set("deals_won", n(k.deals_won));
    r.set("deals_lost", n(k.deals_lost));
    r.set("win_rate", k.win_rate);
    r.set("win_rate_ci95_low", k.win_rate_ci95_low);
    r.set("win_rate_ci95_high", k.win_rate_ci95_high);
    r.set("win_rate_by_value", k.win_rate_by_value);
    r.set("bookings", k.bookings);
    r.set("new_bookings", k.new_bookings);
    r.set("expansion_bookings", k.expansion_bookings);
    r.set("renewal_bookings", k.renewal_bookings);
    r.set("avg_deal_size", k.avg_deal_size);
    r.set("acv_total", k.acv_total);
    r.set("acv_avg", k.acv_avg);
    r.set("sales_cycle_days_avg", k.sales_cycle_days_avg);
    r.set("sales_cycle_days_median", k.sales_cycle_days_median);
    r.set("deals_created", n(k.deals_created));
    r.set("created_pipeline", k.created_pipeline);
    r.set("open_deals", n(k.open_deals));
    r.set("open_pipeline", k.open_pipeline);
    r.set("weighted_pipeline", k.weighted_pipeline);
    r.set("pipeline_velocity", k.pipeline_velocity);
    r.set("expansion_deals_won", n(k.expansion_deals_won));
    r.set("repeat_customer_rate", k.repeat_customer_rate);
    if (!k.win_rate)
      r.notes.push_back("win_rate, win_rate_ci95_low, win_rate_ci95_high, win_rate_by_value, "
                        "pipeline_velocity: no deal was won or lost in the period");
    else if (t.bookings + t.lost_amount == 0)
      r.notes.push_back("win_rate_by_value: the won and lost deals of the period sum to 0");
    if (k.deals_won == 0)
      r.notes.push_back("avg_deal_size, acv_avg, sales_cycle_days_avg, sales_cycle_days_median: "
                        "no deal was won in the period");
    else if (!k.pipeline_velocity && k.win_rate)
      r.notes.push_back("pipeline_velocity: the average sales cycle is 0 days");
    if (!k.weighted_pipeline)
      r.notes.push_back("weighted_pipeline: open deals need the win rate, which is null");
    if (!k.repeat_customer_rate)
      r.notes.push_back("repeat_customer_rate: no account has a won deal closed by the period's end");
  }
  // Later sections of SPEC §3 need tables or computations this version does not have yet.
  std::vector<std::string> by_need[5];
  for (const auto& k : metrics::kpi_catalog)
    if (k.input != metrics::needs::deals) by_need[static_cast<int>(k.input)].emplace_back(k.key);
  using metrics::needs;
  const std::pair<needs, const char*> why[] = {
      {needs::accounts_or_deals, "not computed by this version (customers and churn)"},
      {needs::accounts, "need an accounts table (--accounts), not read by this version"},
      {needs::touches, "need a touches table (--touches), not read by this version"},
      {needs::spend, "need a spend table (--spend), not read by this version"}};
  for (const auto& [need, text] : why) {
    r.notes.push_back(detail::join(by_need[static_cast<int>(need)]) + ": " + text);
    r.mark_unavailable(need);
  }
  for (const auto& t : a.ignored_tables)
    r.notes.push_back(a.deals_name + ": the bundle's \"" + t + "\" table is not read by this version");
  return r;
}

}  // namespace abmkpi::engine
