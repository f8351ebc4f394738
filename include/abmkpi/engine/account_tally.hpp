// What the deals say about each account (deal_stats): the summaries the report reads
// (account_deals, keyed by id), and account_tally, which gathers them during the pass.
//
// With 100k accounts every deal's account lookup misses the cache. A string_index slot, then the
// account's record in another array, were two misses a deal: a quarter of a 10M-deal run. So
// during the pass each account's summary sits in its hash slot beside its key, one cache line,
// and the won close days and deal briefs that some deals add are appended to two logs in
// arrival order rather than to per-account vectors. to_keyed() turns all of it into the
// account_deals view once, after the pass.
#pragma once

#include <algorithm>    // std::lower_bound, std::sort, std::unique
#include <cstdint>      // std::int32_t, std::int64_t, std::uint32_t, std::uint64_t
#include <limits>       // std::numeric_limits
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/chunk_log.hpp"
#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/engine/period.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// The little influence matching needs to know of a deal (SPEC §3.5), kept per account only
/// when a touches table is read.
struct deal_brief {
  std::int32_t created;
  std::int32_t closed;  // close date of a won or lost deal; unused for open deals
  std::int64_t amount;
  deal_status status;
};

/// What the deals say about one account, independent of the period.
struct account_deals {
  std::int64_t deals = 0;                 // valid deals of the account
  std::vector<std::int32_t> won_days;     // close dates of its won deals, sorted, distinct
  std::vector<deal_brief> briefs;         // only with deal_stats::keep_briefs, in file order
  std::optional<date> first_won;          // close date of its earliest won deal
  std::optional<date> second_won;         // ... and of the second earliest
  std::optional<date> last_won;           // latest won close date
  std::optional<date> last_lost_renewal;  // latest close date of a lost renewal
  // A deal created within the bounds given to deal_stats::set_requested_period: the HTML
  // funnel's "opportunity" stage, known without keeping the deals.
  bool created_in_period = false;

  /// A won deal closed in period p (needs won_days: deal_stats::keep_won_days).
  bool won_in(const period& p) const noexcept {
    const auto it = std::lower_bound(won_days.begin(), won_days.end(), p.from.days);
    return it != won_days.end() && *it <= p.to.days;
  }
};

/// Per-account summaries gathered deal by deal; see the top of this file.
class account_tally {
 public:
  static constexpr std::int32_t no_day = std::numeric_limits<std::int32_t>::min();

  /// The two earliest won close days of an account, as a multiset: two deals won on one day
  /// are a repeat purchase. Days are date::days, no_day for none.
  struct two_earliest {
    std::int32_t first_won = no_day, second_won = no_day;

    void add(std::int32_t d) noexcept {
      if (first_won == no_day || d < first_won) {
        second_won = first_won;
        first_won = d;
      } else if (second_won == no_day || d < second_won) {
        second_won = d;
      }
    }
    void merge(const two_earliest& o) noexcept {
      if (o.first_won != no_day) add(o.first_won);
      if (o.second_won != no_day) add(o.second_won);
    }
  };

  /// One account's summary, as it lives in the account's slot. Days are date::days, no_day for
  /// none.
  struct tally : two_earliest {
    std::int64_t deals = 0;
    std::int32_t last_won = no_day, last_lost_renewal = no_day;
    std::int32_t last_logged = no_day;  // the won day this account logged last (log_won)
    bool created_in_period = false;

    void add_won(std::int32_t d) noexcept {
      add(d);
      if (last_won == no_day || d > last_won) last_won = d;
    }
    void add_lost_renewal(std::int32_t d) noexcept {
      if (last_lost_renewal == no_day || d > last_lost_renewal) last_lost_renewal = d;
    }
    void merge(const tally& o) noexcept {
      deals += o.deals;
      two_earliest::merge(o);
      if (o.last_won != no_day && (last_won == no_day || o.last_won > last_won)) last_won = o.last_won;
      if (o.last_lost_renewal != no_day) add_lost_renewal(o.last_lost_renewal);
      created_in_period = created_in_period || o.created_in_period;
    }
  };

  /// The hash find_or_add takes for `id`.
  static std::uint64_t hash(std::string_view id) noexcept { return slot_index::hash(id); }
  /// Asks the CPU to fetch the slot of hash `h` for a find_or_add a little later.
  void prefetch(std::uint64_t h) const noexcept { slots_.prefetch(h); }
  /// The summary of `id` (`h` == hash(id)), added empty when new; `at` gets the account's
  /// position in order of first appearance. The reference is valid until the next call.
  tally& find_or_add(std::string_view id, std::uint64_t h, std::uint32_t& at) {
    return slots_.payload(id, h, at);
  }
  /// Logs a won close day of the account at `at`, whose summary is `t`; a day equal to the
  /// one it logged last is left out (to_keyed keeps each day once anyway).
  void log_won(std::uint32_t at, tally& t, std::int32_t day) {
    if (t.last_logged == day) return;
    t.last_logged = day;
    won_.push_back({at, day});
  }
  /// Logs a deal brief of the account at `at`.
  void log_brief(std::uint32_t at, const deal_brief& b) { briefs_.push_back({at, b}); }

  /// Adds another tally of disjoint deals: its accounts' summaries, then its logs after ours
  /// (new accounts join in its order of first appearance, as if its deals came after ours).
  void merge(const account_tally& o) {
    std::vector<const tally*> theirs(o.size());
    o.slots_.for_each_payload([&](std::size_t i, const tally& t) { theirs[i] = &t; });
    std::vector<std::uint32_t> ours(o.size());
    for (std::size_t i = 0; i < o.size(); ++i) {
      const std::string& id = o.slots_.key(i);
      find_or_add(id, hash(id), ours[i]).merge(*theirs[i]);
    }
    o.won_.for_each([&](const won_entry& w) { won_.push_back({ours[w.at], w.day}); });
    o.briefs_.for_each([&](const brief_entry& b) { briefs_.push_back({ours[b.at], b.brief}); });
  }

  /// The summaries as account_deals keyed by id, in order of first appearance; each account's
  /// won days sorted and distinct (on `threads` threads), its briefs in log order.
  abmkpi::detail::keyed<account_deals> to_keyed(unsigned threads = 1) const {
    abmkpi::detail::keyed<account_deals> out;
    for (std::size_t i = 0; i < size(); ++i) out.index(slots_.key(i), hash(slots_.key(i)));
    const auto day = [](std::int32_t d) { return d == no_day ? std::nullopt : std::optional(date{d}); };
    slots_.for_each_payload([&](std::size_t i, const tally& t) {
      account_deals& a = out.value(i);
      a.deals = t.deals;
      a.first_won = day(t.first_won);
      a.second_won = day(t.second_won);
      a.last_won = day(t.last_won);
      a.last_lost_renewal = day(t.last_lost_renewal);
      a.created_in_period = t.created_in_period;
    });
    // Exact sizes first, so that each list is allocated once.
    std::vector<std::uint32_t> won(size()), briefs(size());
    won_.for_each([&](const won_entry& w) { ++won[w.at]; });
    briefs_.for_each([&](const brief_entry& b) { ++briefs[b.at]; });
    for (std::size_t i = 0; i < size(); ++i) {
      out.value(i).won_days.reserve(won[i]);
      out.value(i).briefs.reserve(briefs[i]);
    }
    won_.for_each([&](const won_entry& w) { out.value(w.at).won_days.push_back(w.day); });
    briefs_.for_each([&](const brief_entry& b) { out.value(b.at).briefs.push_back(b.brief); });
    out.for_each_mut_parallel(threads, [](const std::string&, account_deals& a) {
      std::sort(a.won_days.begin(), a.won_days.end());
      a.won_days.erase(std::unique(a.won_days.begin(), a.won_days.end()), a.won_days.end());
    });
    return out;
  }

  /// Calls fn(summary) for every account, in no particular order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    slots_.for_each_payload([&](std::size_t, const tally& t) { fn(t); });
  }
  /// Accounts seen.
  std::size_t size() const noexcept { return slots_.size(); }

 private:
  using slot_index = abmkpi::detail::basic_string_index<tally, 64>;
  static_assert(sizeof(tally) == 32, "a slot is one cache line: 32 bytes of key, 32 of tally");
  struct won_entry {
    std::uint32_t at;
    std::int32_t day;
  };
  struct brief_entry {
    std::uint32_t at;
    deal_brief brief;
  };

  slot_index slots_;
  abmkpi::detail::chunk_log<won_entry> won_;  // chunks: see chunk_log.hpp
  abmkpi::detail::chunk_log<brief_entry> briefs_;
};

/// The two earliest won close days of each account that won a deal, and nothing else: what a
/// subset that splits accounts' deals (a group by a deal column) needs for its repeat-customer
/// counts. A slot is 40 bytes instead of account_tally's 64, and only won deals come here: the
/// groups' account_tallies were the largest part of a `--by` run's extra memory (issue 3).
class account_wins {
 public:
  using wins = account_tally::two_earliest;
  static std::uint64_t hash(std::string_view id) noexcept { return slot_index::hash(id); }
  void prefetch(std::uint64_t h) const noexcept { slots_.prefetch(h); }
  /// A won deal of `id` (`h` == hash(id)) closed on `day`.
  void add(std::string_view id, std::uint64_t h, std::int32_t day) {
    std::uint32_t at = 0;
    slots_.payload(id, h, at).add(day);
  }
  /// Adds the wins of other deals.
  void merge(const account_wins& o) {
    o.slots_.for_each_payload([&](std::size_t i, const wins& w) {
      const std::string& id = o.slots_.key(i);
      std::uint32_t at = 0;
      slots_.payload(id, hash(id), at).merge(w);
    });
  }
  /// Calls fn(wins) for every account, in no particular order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    slots_.for_each_payload([&](std::size_t, const wins& w) { fn(w); });
  }

 private:
  using slot_index = abmkpi::detail::basic_string_index<wins, 8>;
  slot_index slots_;
};

}  // namespace abmkpi::engine
