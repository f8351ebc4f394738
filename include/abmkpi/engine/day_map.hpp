// The days of one account's engagement touches with their scores, or of one contact's, kept so
// that any period can be reduced after the pass (SPEC §3.4, §3.5).
//
// Touches arrive in any order. A (day, score) entry per touch, sorted at the end, grew with rows:
// 20M touches held 500 MiB and spent a seventh of the run sorting (issue 3). A day_map keeps a
// short unsorted list while it knows few days and moves them into a bitmap over its span of days
// (with an array of scores beside it) once the bitmap costs no more than twice the list. Memory
// then grows with distinct days, never with rows, and days inside the bitmap are never sorted.
#pragma once

#include <algorithm>  // std::sort, std::min, std::max, std::copy
#include <bit>        // std::countr_zero
#include <cstdint>    // std::int32_t, std::int64_t, std::uint64_t
#include <type_traits>  // std::conditional_t
#include <vector>     // std::vector

#include "abmkpi/detail/prefetch.hpp"

namespace abmkpi::engine {

/// A set of days (`Scored` false) or a map from day to an exact integer score (`Scored` true).
/// add() and merge() in any order; call finish() once after the last of them, before any query.
/// Nothing here throws but std::bad_alloc.
template <bool Scored>
class day_map {
 public:
  using score_t = std::int64_t;

  /// Records day `d`, adding `w` to its score (`w` is ignored by a set).
  void add(std::int32_t d, score_t w = 0) {
    if (in_bitmap(d)) return set(d, w);
    // Consecutive touches of one day (a time-ordered export) share an entry.
    if (!list_.empty() && list_.back().day == d) return list_.back().add(w);
    list_.push_back(entry{d, w});
    if (list_.size() >= limit_) tidy();
  }

  /// Asks the CPU to fetch what add(d) will write, so that a later add does not wait for memory.
  void prefetch(std::int32_t d) const noexcept {
    if (in_bitmap(d)) {
      const auto at = static_cast<std::size_t>(d - first_day());
      abmkpi::detail::prefetch(&bits_[at / 64]);
      if constexpr (Scored) abmkpi::detail::prefetch(&scores_[at]);
    } else if (!list_.empty()) {
      abmkpi::detail::prefetch(&list_.back());
    }
  }

  /// Adds every day (and score) of `o`. A bitmap merges word by word, over the union of both
  /// spans (each was worth its bitmap): day by day, merging the parallel pieces of 20M touches
  /// was a third of the serial time after the pass.
  void merge(const day_map& o) {
    if (!o.bits_.empty()) {
      const std::int32_t o_last = o.base_ + static_cast<std::int32_t>(o.bits_.size()) - 1;
      if (bits_.empty()) {
        rebase(o.base_, o.bits_.size());
      } else {
        const std::int32_t last = base_ + static_cast<std::int32_t>(bits_.size()) - 1;
        const std::int32_t lo = std::min(base_, o.base_), hi = std::max(last, o_last);
        rebase(lo, static_cast<std::size_t>(hi - lo) + 1);
      }
      const auto shift = static_cast<std::size_t>(o.base_ - base_);
      for (std::size_t w = 0; w < o.bits_.size(); ++w) bits_[shift + w] |= o.bits_[w];
      if constexpr (Scored)
        for (std::size_t i = 0; i < o.scores_.size(); ++i) scores_[shift * 64 + i] += o.scores_[i];
      // Days of our list that the bitmap now spans move into it, as tidy() moves them.
      std::size_t kept = 0;
      for (std::size_t i = 0; i < list_.size(); ++i) {
        if (in_bitmap(list_[i].day))
          set(list_[i].day, list_[i].score());
        else
          list_[kept++] = list_[i];
      }
      list_.erase(list_.begin() + static_cast<std::ptrdiff_t>(kept), list_.end());
    }
    for (const entry& e : o.list_) add(e.day, e.score());
  }

  /// Sorts and merges the list; queries need it.
  void finish() {
    tidy();
    list_.shrink_to_fit();
  }

  /// True when a day in [lo, hi] is recorded (after finish()).
  bool any_between(std::int32_t lo, std::int32_t hi) const noexcept {
    bool any = false;
    scan(lo, hi, any, false);
    return any;
  }

  /// The sum of the scores of the days in [lo, hi]; `any` says whether there was one (after
  /// finish()).
  score_t sum_between(std::int32_t lo, std::int32_t hi, bool& any) const noexcept {
    any = false;
    return scan(lo, hi, any, true);
  }

  /// Calls fn(day, score) for every recorded day, in no particular order (a set's scores are 0).
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const entry& e : list_) fn(e.day, e.score());
    for (std::size_t w = 0; w < bits_.size(); ++w)
      for (std::uint64_t b = bits_[w]; b; b &= b - 1) {
        const std::size_t at = w * 64 + static_cast<std::size_t>(std::countr_zero(b));
        fn(first_day() + static_cast<std::int32_t>(at), Scored ? scores_[at] : 0);
      }
  }

  /// The days the bitmap spans (0: all days are in the list); for tests.
  std::size_t bitmap_days() const noexcept { return bits_.size() * 64; }

 private:
  struct scored_entry {
    std::int32_t day;
    score_t value;
    scored_entry(std::int32_t d, score_t w) : day(d), value(w) {}
    void add(score_t w) noexcept { value += w; }
    score_t score() const noexcept { return value; }
  };
  struct plain_entry {
    std::int32_t day;
    plain_entry(std::int32_t d, score_t) : day(d) {}
    void add(score_t) noexcept {}
    score_t score() const noexcept { return 0; }
  };
  using entry = std::conditional_t<Scored, scored_entry, plain_entry>;
  static constexpr std::size_t min_limit = 16;

  static std::int32_t block_of(std::int32_t d) noexcept {
    return d >= 0 ? d / 64 : -((-d + 63) / 64);
  }
  std::int32_t first_day() const noexcept { return base_ * 64; }
  bool in_bitmap(std::int32_t d) const noexcept {
    return !bits_.empty() && d >= first_day() &&
           static_cast<std::uint64_t>(d - first_day()) < bits_.size() * 64;
  }
  void set(std::int32_t d, score_t w) noexcept {
    const auto at = static_cast<std::size_t>(d - first_day());
    bits_[at / 64] |= std::uint64_t{1} << (at % 64);
    if constexpr (Scored) scores_[at] += w;
  }
  static std::size_t bitmap_bytes(std::size_t blocks) noexcept {
    return blocks * (8 + (Scored ? 64 * sizeof(score_t) : 0));
  }

  // Sorts and merges the list, then moves it into the bitmap when the bitmap over the union of
  // both spans costs at most twice what the two cost now. Entries outside that span (a stray
  // date decades away) stay in the list.
  void tidy() {
    std::sort(list_.begin(), list_.end(),
              [](const entry& a, const entry& b) { return a.day < b.day; });
    std::size_t out = 0;
    for (std::size_t i = 0; i < list_.size(); ++i) {
      if (out > 0 && list_[out - 1].day == list_[i].day) list_[out - 1].add(list_[i].score());
      else list_[out++] = list_[i];
    }
    list_.erase(list_.begin() + static_cast<std::ptrdiff_t>(out), list_.end());
    if (!list_.empty()) {
      std::int32_t lo = block_of(list_.front().day), hi = block_of(list_.back().day);
      if (!bits_.empty()) {
        lo = std::min(lo, base_);
        hi = std::max(hi, base_ + static_cast<std::int32_t>(bits_.size()) - 1);
      }
      const std::size_t now = list_.size() * sizeof(entry) + bitmap_bytes(bits_.size());
      const auto fits = [&](std::int32_t l, std::int32_t h) {
        return bitmap_bytes(static_cast<std::size_t>(h - l) + 1) <= 2 * now;
      };
      if (fits(lo, hi)) {
        // A bitmap that grows grows by a quarter more on that side, so that a time-ordered
        // export does not copy it every few days.
        if (!bits_.empty()) {
          const auto extra = static_cast<std::int32_t>(bits_.size() / 4);
          const std::int32_t l = lo < base_ ? lo - extra : lo;
          const std::int32_t h =
              hi >= base_ + static_cast<std::int32_t>(bits_.size()) ? hi + extra : hi;
          if (fits(l, h)) lo = l, hi = h;
        }
        rebase(lo, static_cast<std::size_t>(hi - lo) + 1);
        for (const entry& e : list_) set(e.day, e.score());
        std::vector<entry>().swap(list_);  // its capacity would be a third of the memory
      }
    }
    limit_ = static_cast<std::uint32_t>(std::max(min_limit, 2 * list_.size()));
  }

  // Re-lays the bitmap over `blocks` blocks from block `lo` (which cover the old ones).
  void rebase(std::int32_t lo, std::size_t blocks) {
    if (!bits_.empty() && lo == base_ && blocks == bits_.size()) return;
    std::vector<std::uint64_t> bits(blocks);
    std::vector<score_t> scores(Scored ? blocks * 64 : 0);
    const auto shift = static_cast<std::size_t>(base_ - lo);
    if (!bits_.empty()) {
      std::copy(bits_.begin(), bits_.end(), bits.begin() + static_cast<std::ptrdiff_t>(shift));
      if constexpr (Scored)
        std::copy(scores_.begin(), scores_.end(),
                  scores.begin() + static_cast<std::ptrdiff_t>(shift * 64));
    }
    bits_.swap(bits);
    scores_.swap(scores);
    base_ = lo;
  }

  // Visits the days in [lo, hi]: sets `any` when one is recorded and, when `sum`, returns the sum
  // of their scores (else returns at the first day found).
  score_t scan(std::int32_t lo, std::int32_t hi, bool& any, bool sum) const noexcept {
    score_t total = 0;
    if (lo > hi) return total;
    auto it = std::lower_bound(list_.begin(), list_.end(), lo,
                               [](const entry& e, std::int32_t d) { return e.day < d; });
    for (; it != list_.end() && it->day <= hi; ++it) {
      any = true;
      if (!sum) return total;
      total += it->score();
    }
    if (bits_.empty()) return total;
    const std::int64_t first = first_day(),
                       last = first + static_cast<std::int64_t>(bits_.size()) * 64 - 1;
    const std::int64_t a = std::max<std::int64_t>(lo, first), b = std::min<std::int64_t>(hi, last);
    if (a > b) return total;
    const auto from = static_cast<std::size_t>(a - first), to = static_cast<std::size_t>(b - first);
    for (std::size_t w = from / 64; w <= to / 64; ++w) {
      std::uint64_t m = bits_[w];
      if (w == from / 64) m &= ~std::uint64_t{0} << (from % 64);
      if (w == to / 64 && to % 64 != 63) m &= (std::uint64_t{1} << (to % 64 + 1)) - 1;
      if (m == 0) continue;
      any = true;
      if (!sum) return total;
    }
    if constexpr (Scored)
      for (std::size_t i = from; i <= to; ++i) total += scores_[i];  // unset days hold 0
    return total;
  }

  std::vector<entry> list_;             // unsorted between tidy() calls
  std::vector<std::uint64_t> bits_;     // bit i: day first_day() + i is recorded
  std::vector<score_t> scores_;         // Scored: the score of day first_day() + i
  std::int32_t base_ = 0;               // the first block (64 days) of the bitmap
  std::uint32_t limit_ = min_limit;     // the list size that calls tidy()
};

/// A day → score map and a set of days.
using day_scores = day_map<true>;
using day_set = day_map<false>;

}  // namespace abmkpi::engine
