// The exact sums that deal_stats keeps per day (deal_day) and per month (month_money), in
// money units that cannot overflow, so that any order of adding and merging gives the same sums.
#pragma once

#include <array>    // std::array
#include <cstddef>  // offsetof, std::size_t
#include <cstdint>  // std::int64_t

#include "abmkpi/engine/period.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// Exact money sums: 128 bits of money units cannot overflow for any realistic input.
__extension__ typedef __int128 money_sum;  // __extension__: GCC and Clang have it; ISO C++ not

/// Converts an exact sum of money units to currency units.
inline double to_currency(money_sum units) noexcept {
  return static_cast<double>(static_cast<long double>(units) / money_scale);
}

/// Per-day sums of deals. Fields say which date keys them. Four cache lines: the created-date
/// fields fill the first two and the close-date fields the last two, so that deal_stats can
/// prefetch exactly what a deal will update.
struct alignas(64) deal_day {
  // Keyed by created date: every deal; deals whose status is open; won and lost deals (with the
  // close-date sums below these give the deals created by `to` that close after it).
  std::int64_t created = 0, open = 0, closed_by_created = 0;
  money_sum created_amount = 0, open_amount = 0;
  money_sum open_prob_plain = 0;     // Σ amount × probability micros, cells without '%'
  money_sum open_prob_percent = 0;   // the same for cells ending in '%'
  money_sum open_no_prob_amount = 0; // Σ amount where the probability is empty
  money_sum closed_by_created_amount = 0;
  // Keyed by close date, won and lost deals (W and L when the day is in the period).
  std::int64_t won = 0, lost = 0, expansion_won = 0, won_cycle_days = 0;
  money_sum won_amount = 0, lost_amount = 0;
  // By deal_type (new business, expansion, renewal): indexed by the type, with no test of it.
  std::array<money_sum, 3> won_by_type{};
  money_sum won_acv = 0;

  void merge(const deal_day& o) noexcept {
    won += o.won, lost += o.lost, expansion_won += o.expansion_won;
    won_cycle_days += o.won_cycle_days;
    won_amount += o.won_amount, lost_amount += o.lost_amount, won_acv += o.won_acv;
    for (std::size_t t = 0; t < won_by_type.size(); ++t) won_by_type[t] += o.won_by_type[t];
    created += o.created, created_amount += o.created_amount;
    open += o.open, open_amount += o.open_amount, open_prob_plain += o.open_prob_plain;
    open_prob_percent += o.open_prob_percent, open_no_prob_amount += o.open_no_prob_amount;
    closed_by_created += o.closed_by_created;
    closed_by_created_amount += o.closed_by_created_amount;
  }
};
static_assert(sizeof(deal_day) == 256 && offsetof(deal_day, won) == 128);

/// A deal type's place in deal_day::won_by_type.
constexpr std::size_t type_index(deal_type t) noexcept { return static_cast<std::size_t>(t); }

/// Exact sums of one calendar month clipped to a period (deal_stats::monthly).
struct month_money {
  period span;                   // the month's days inside the period
  money_sum created_amount = 0;  // Σ amount of deals created in span
  money_sum won_amount = 0;      // Σ amount of won deals closed in span
};

}  // namespace abmkpi::engine
