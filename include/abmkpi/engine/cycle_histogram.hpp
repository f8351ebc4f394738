// Won deals counted by (close day, sales-cycle length), exactly: the median sales cycle of any
// period is read from it after the pass. Memory grows with the days that close won deals.
#pragma once

#include <array>    // std::array
#include <cstdint>  // std::int32_t, std::uint32_t, std::uint64_t
#include <limits>   // std::numeric_limits
#include <memory>   // std::unique_ptr

#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/engine/day_series.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// Cycles under `dense` days (nearly every B2B deal) are counted in a row of 16-bit counters per
/// close day, so a won deal costs one array increment. (16 bits: a row is 1 KiB, not 2, and the
/// rows of every subset and thread were 21 MiB of a 10M-deal run's peak; more than 65535 won
/// deals of one close day and cycle carry into the table.) One hash table keyed by (day, cycle) was
/// a tenth of a 10M-deal run: its 16 MB missed the cache on almost every deal. Longer cycles,
/// and the carry of a counter past its maximum, go to that table still. `Counter` is an unsigned
/// type; tests use a narrow one to reach the carry.
template <class Counter>
class basic_cycle_histogram {
 public:
  using counter = Counter;

  void add(date close, std::int32_t cycle) { bump(counter_of(close, cycle), close, cycle); }

  /// The counter add(close, cycle) increments, or nullptr when that goes to the table. A caller
  /// may prefetch it and increment it a little later with bump().
  Counter* counter_of(date close, std::int32_t cycle) {
    return cycle < 0 || cycle >= dense ? nullptr : &row(close)[static_cast<std::size_t>(cycle)];
  }
  /// Counts a won deal of (close, cycle) whose counter_of() was `n`.
  void bump(Counter* n, date close, std::int32_t cycle) {
    if (n == nullptr)
      ++sparse_[key(close, cycle)];
    else if (++*n == 0)
      sparse_[key(close, cycle)] += carry;
  }

  /// Adds another histogram over a disjoint set of deals.
  void merge(const basic_cycle_histogram& o) {
    o.rows_.for_each([&](date d, const row_ptr& theirs) {
      if (!theirs.counts) return;
      auto& mine = row(d);
      for (std::int32_t c = 0; c < dense; ++c) {
        const auto i = static_cast<std::size_t>(c);
        std::uint64_t sum = std::uint64_t{mine[i]} + (*theirs.counts)[i];
        if (sum >= carry) {
          sparse_[key(d, c)] += carry;
          sum -= carry;
        }
        mine[i] = static_cast<Counter>(sum);
      }
    });
    o.sparse_.for_each([&](std::uint64_t k, std::int64_t n) { sparse_[k] += n; });
  }

  /// Calls fn(cycle, count) for the won deals closed in p; a cycle may come more than once
  /// (its counts then add up), in no particular order.
  template <class Fn>
  void for_each_in(const period& p, Fn&& fn) const {
    rows_.for_each([&](date d, const row_ptr& r) {
      if (!r.counts || !p.contains(d)) return;
      for (std::int32_t c = 0; c < dense; ++c)
        if (const Counter n = (*r.counts)[static_cast<std::size_t>(c)])
          fn(c, static_cast<std::int64_t>(n));
    });
    sparse_.for_each([&](std::uint64_t k, std::int64_t n) {
      const date close{static_cast<std::int32_t>(static_cast<std::uint32_t>(k >> 32))};
      if (p.contains(close)) fn(static_cast<std::int32_t>(static_cast<std::uint32_t>(k)), n);
    });
  }

 private:
  static constexpr std::int32_t dense = 512;
  static constexpr std::uint64_t carry = std::uint64_t{std::numeric_limits<Counter>::max()} + 1;
  using counter_row = std::array<Counter, dense>;
  struct row_ptr {
    std::unique_ptr<counter_row> counts;  // allocated at the day's first won deal
  };

  static std::uint64_t key(date close, std::int32_t cycle) noexcept {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(close.days)) << 32) |
           static_cast<std::uint32_t>(cycle);
  }
  counter_row& row(date d) {
    row_ptr& r = rows_.at(d);
    if (!r.counts) r.counts = std::make_unique<counter_row>();  // zeroed
    return *r.counts;
  }

  day_series<row_ptr> rows_;
  abmkpi::detail::counter_map sparse_;  // key(close, cycle) → won deals
};

using cycle_histogram = basic_cycle_histogram<std::uint16_t>;

}  // namespace abmkpi::engine
