// §3.1 deal KPIs from the period's totals. Pure math: the engine reduces the rows to
// deal_totals; this file turns totals into KPI values exactly as SPEC §3.1 defines them.
#pragma once

#include <cstdint>   // std::int64_t
#include <optional>  // std::optional

#include "abmkpi/metrics/stats.hpp"

namespace abmkpi::metrics {

/// Everything §3.1 needs about one period, already summed. Money is in currency units (exact
/// sums converted once); W = deals won and closed in the period, L = lost and closed in it.
struct deal_totals {
  std::int64_t won = 0;                 ///< |W|
  std::int64_t lost = 0;                ///< |L|
  std::int64_t expansion_won = 0;       ///< |W| of type expansion
  double bookings = 0;                  ///< Σ amount(W)
  double lost_amount = 0;               ///< Σ amount(L)
  double new_bookings = 0;              ///< Σ amount(W) of type new
  double expansion_bookings = 0;        ///< ... expansion
  double renewal_bookings = 0;          ///< ... renewal
  double acv_total = 0;                 ///< Σ acv(W)
  std::int64_t cycle_days_sum = 0;      ///< Σ (close − created) over W
  std::optional<double> cycle_days_median;  ///< median of the same; nullopt when W is empty
  std::int64_t created = 0;             ///< deals created in the period
  double created_amount = 0;            ///< Σ amount of those
  std::int64_t open_at_end = 0;         ///< deals open at the period's end
  double open_amount = 0;               ///< Σ amount of those
  /// Σ amount × probability over deals open at end that have a usable probability.
  double weighted_known = 0;
  /// Σ amount over deals open at end whose probability is replaced by the win rate (empty cell,
  /// no probability column, or closed after the period).
  double weighted_unknown_amount = 0;
  std::int64_t accounts_with_one_win = 0;   ///< accounts with ≥ 1 won deal closed ≤ to
  std::int64_t accounts_with_two_wins = 0;  ///< accounts with ≥ 2 such deals
};

/// The §3.1 KPIs; nullopt where SPEC says null (a zero denominator).
struct deal_kpis {
  std::int64_t deals_won = 0;
  std::int64_t deals_lost = 0;
  std::optional<double> win_rate;
  std::optional<double> win_rate_ci95_low;
  std::optional<double> win_rate_ci95_high;
  std::optional<double> win_rate_by_value;
  double bookings = 0;
  double new_bookings = 0;
  double expansion_bookings = 0;
  double renewal_bookings = 0;
  std::optional<double> avg_deal_size;
  double acv_total = 0;
  std::optional<double> acv_avg;
  std::optional<double> sales_cycle_days_avg;
  std::optional<double> sales_cycle_days_median;
  std::int64_t deals_created = 0;
  double created_pipeline = 0;
  std::int64_t open_deals = 0;
  double open_pipeline = 0;
  std::optional<double> weighted_pipeline;
  std::optional<double> pipeline_velocity;
  std::int64_t expansion_deals_won = 0;
  std::optional<double> repeat_customer_rate;
};

/// Computes §3.1 from totals. weighted_pipeline is 0 when nothing is open, and null only when
/// some open deal needs the win rate and the win rate is null. Does not throw.
inline deal_kpis compute_deal_kpis(const deal_totals& t) noexcept {
  deal_kpis k;
  k.deals_won = t.won;
  k.deals_lost = t.lost;
  const double closed = static_cast<double>(t.won + t.lost);
  k.win_rate = ratio(static_cast<double>(t.won), closed);
  if (auto ci = wilson_interval(static_cast<double>(t.won), closed)) {
    k.win_rate_ci95_low = ci->low;
    k.win_rate_ci95_high = ci->high;
  }
  k.win_rate_by_value = ratio(t.bookings, t.bookings + t.lost_amount);
  k.bookings = t.bookings;
  k.new_bookings = t.new_bookings;
  k.expansion_bookings = t.expansion_bookings;
  k.renewal_bookings = t.renewal_bookings;
  k.avg_deal_size = ratio(t.bookings, static_cast<double>(t.won));
  k.acv_total = t.acv_total;
  k.acv_avg = ratio(t.acv_total, static_cast<double>(t.won));
  k.sales_cycle_days_avg =
      ratio(static_cast<double>(t.cycle_days_sum), static_cast<double>(t.won));
  k.sales_cycle_days_median = t.cycle_days_median;
  k.deals_created = t.created;
  k.created_pipeline = t.created_amount;
  k.open_deals = t.open_at_end;
  k.open_pipeline = t.open_amount;
  if (t.weighted_unknown_amount == 0) {
    k.weighted_pipeline = t.weighted_known;
  } else if (k.win_rate) {
    k.weighted_pipeline = t.weighted_known + *k.win_rate * t.weighted_unknown_amount;
  }
  if (k.win_rate && k.avg_deal_size && k.sales_cycle_days_avg && *k.sales_cycle_days_avg != 0)
    k.pipeline_velocity = static_cast<double>(t.open_at_end) * *k.win_rate * *k.avg_deal_size /
                          *k.sales_cycle_days_avg;
  k.expansion_deals_won = t.expansion_won;
  k.repeat_customer_rate = ratio(static_cast<double>(t.accounts_with_two_wins),
                                 static_cast<double>(t.accounts_with_one_win));
  return k;
}

}  // namespace abmkpi::metrics
