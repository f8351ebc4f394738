// What the deals say about each account (deal_stats): the summaries the report reads
// (account_deals, keyed by id), and account_tally, which gathers them during the pass.
//
// With 100k accounts every deal's account lookup misses the cache. During the pass each
// account's summary sits beside its id in one cache-line record, found through an index of
// 8-byte slots, and the won close days and deal briefs that some deals add are appended to two
// logs in arrival order rather than to per-account vectors. to_keyed() turns all of it into the
// account_deals view once, after the pass. The `--by` groups of a deal column keep their
// accounts' won days here too, by account position and group (add_group_win).
#pragma once

#include <algorithm>    // std::lower_bound, std::sort, std::unique
#include <cstdint>      // std::int32_t, std::int64_t, std::uint32_t, std::uint64_t
#include <cstring>      // std::memcpy
#include <limits>       // std::numeric_limits
#include <optional>     // std::optional
#include <span>         // std::span
#include <stdexcept>    // std::logic_error
#include <string>       // std::string, std::to_string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/chunk_log.hpp"
#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/detail/huge_pages.hpp"
#include "abmkpi/detail/prefetch.hpp"
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
  // With deal_stats::plan_windows: bit k, a won deal closed in window k (won_days stays empty).
  std::uint8_t won_windows = 0;

  /// A won deal closed in period p (needs won_days: deal_stats::keep_won_days, and no plan;
  /// deal_stats::won_in answers either way).
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
    std::uint8_t won_windows = 0;  // see account_deals

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
      if (o.last_won != no_day && (last_won == no_day || o.last_won > last_won))
        last_won = o.last_won;
      if (o.last_lost_renewal != no_day) add_lost_renewal(o.last_lost_renewal);
      created_in_period = created_in_period || o.created_in_period;
      won_windows |= o.won_windows;
    }
  };

  /// The hash find_or_add takes for `id`.
  static std::uint64_t hash(std::string_view id) noexcept {
    return abmkpi::detail::text_hash(id);
  }
  /// Asks the CPU to fetch the index slot of hash `h`; prefetch_record(h) a little later, then
  /// find_or_add a little after that, do not wait for memory.
  void prefetch(std::uint64_t h) const noexcept {
    if (!index_.empty()) abmkpi::detail::prefetch(&index_[h & (index_.size() - 1)]);
  }
  /// Asks the CPU to fetch the record of hash `h`: the one that the first slot with its tag
  /// points to, among a few slots from its home on. Linear probing puts some keys past their
  /// home slot; looking at the home slot alone left their records missing (10M deals --by
  /// segment, one thread: the stall on a record in find_or_add fell from 32% to 8% of
  /// deal_stats::settle's samples with four slots looked at).
  void prefetch_record(std::uint64_t h) const noexcept {
    if (index_.empty()) return;
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = h & mask, probes = 0; probes < 4; i = (i + 1) & mask, ++probes) {
      const std::uint64_t s = index_[i];
      if (s == 0) return;
      if ((s & tag_bits) == (h & tag_bits))
        return abmkpi::detail::prefetch_write(&records_[(s & ~tag_bits) - 1]);
    }
  }
  /// The summary of `id` (`h` == hash(id)), added empty when new; `at` gets the account's
  /// position in order of first appearance. The reference is valid until the next call.
  tally& find_or_add(std::string_view id, std::uint64_t h, std::uint32_t& at) {
    if ((records_.size() + 1) * 2 > index_.size()) grow();
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const std::uint64_t s = index_[i];
      if (s == 0) {
        at = static_cast<std::uint32_t>(records_.size());
        index_[i] = (h & tag_bits) | (std::uint64_t{at} + 1);
        record& r = records_.emplace_back();
        r.size = static_cast<std::uint8_t>(id.size() <= inline_max ? id.size() : inline_max + 1);
        if (id.size() <= inline_max) std::memcpy(r.text, id.data(), id.size());
        keys_.emplace_back(id);
        return r.summary;
      }
      if ((s & tag_bits) != (h & tag_bits)) continue;
      const auto candidate = static_cast<std::uint32_t>((s & ~tag_bits) - 1);
      const record& r = records_[candidate];
      const bool same =
          r.size > inline_max
              ? keys_[candidate] == id
              : r.size == id.size() && abmkpi::detail::same_bytes(r.text, id.data(), id.size());
      if (same) {
        at = candidate;
        return records_[candidate].summary;
      }
    }
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

  /// A `--by` group number (deal_splits), or none.
  static constexpr std::uint32_t no_group = std::numeric_limits<std::uint32_t>::max();
  /// Asks the CPU to fetch the slot where add_group_win(·, h, group, ·) will look after the
  /// account's record (no slot while every account has won in one group only).
  void prefetch_group_win(std::uint64_t h, std::uint32_t group) const noexcept {
    if (!pairs_.empty())
      abmkpi::detail::prefetch_write(&pairs_[pair_home(h, group) & (pairs_.size() - 1)]);
  }
  /// A won deal closed on `day` of the account at `at` (`h` == hash of its id) in `--by` group
  /// `group`. A group by a deal column splits its accounts' deals, so it needs its own
  /// repeat-customer counts. The first group an account wins in keeps them in the account's
  /// record, which its deal has fetched anyway; any other in a table keyed by the account's
  /// position, one 16-byte slot per (account, group) and no copy or compare of the id (a table
  /// of ids per group took 40 bytes a slot: see docs/decisions.md, "Groups by a deal column").
  void add_group_win(std::uint32_t at, std::uint64_t h, std::uint32_t group, std::int32_t day) {
    group_wins(at, h, group).add(day);
  }
  /// The wins added, per group: entry g holds group g's accounts, in no particular order.
  /// `groups` must exceed every group added.
  std::vector<std::vector<two_earliest>> wins_by_group(std::size_t groups) const {
    std::vector<std::vector<two_earliest>> out(groups);
    for (const record& r : records_)
      if (r.win_group != no_group) out.at(r.win_group).push_back(r.group_wins);
    for (const pair_slot& s : pairs_)
      if (s.at != no_pair) out.at(s.group).push_back(s.wins);
    return out;
  }

  /// Adds another tally of disjoint deals: its accounts' summaries, then its logs after ours
  /// (new accounts join in its order of first appearance, as if its deals came after ours).
  /// `groups[g]` is our number of its group g (add_group_win); std::logic_error when `o` holds
  /// wins of a group the map lacks (a caller that forgot the map must not read past it).
  void merge(const account_tally& o, std::span<const std::uint32_t> groups = {}) {
    // A merge runs on one thread after the pass, while the other cores wait: its lookups are
    // fetched ahead as settle() fetches them (slot, then record), and each id is hashed once.
    // 100k accounts took ~20 ms a merge, nearly all of it waiting on memory.
    std::vector<std::uint64_t> hashes(o.size());
    for (std::size_t i = 0; i < o.size(); ++i) hashes[i] = hash(o.keys_[i]);
    constexpr std::size_t slot_lead = 16, record_lead = 8;
    std::vector<std::uint32_t> ours(o.size());
    for (std::size_t i = 0; i < o.size(); ++i) {
      if (i + slot_lead < o.size()) prefetch(hashes[i + slot_lead]);
      if (i + record_lead < o.size()) prefetch_record(hashes[i + record_lead]);
      find_or_add(o.keys_[i], hashes[i], ours[i]).merge(o.records_[i].summary);
    }
    o.won_.for_each([&](const won_entry& w) { won_.push_back({ours[w.at], w.day}); });
    o.briefs_.for_each([&](const brief_entry& b) { briefs_.push_back({ours[b.at], b.brief}); });
    const auto merge_wins = [&](std::uint32_t their_at, std::uint32_t group,
                                const two_earliest& w) {
      if (group >= groups.size())
        throw std::logic_error("account_tally::merge: no group map entry for group " +
                               std::to_string(group));
      group_wins(ours[their_at], hashes[their_at], groups[group]).merge(w);
    };
    for (std::size_t i = 0; i < o.size(); ++i) {
      if (i + record_lead < o.size())
        abmkpi::detail::prefetch_write(&records_[ours[i + record_lead]]);
      if (const record& r = o.records_[i]; r.win_group != no_group)
        merge_wins(static_cast<std::uint32_t>(i), r.win_group, r.group_wins);
    }
    for (const pair_slot& s : o.pairs_)
      if (s.at != no_pair) merge_wins(s.at, s.group, s.wins);
  }

  /// The summaries as account_deals keyed by id, in order of first appearance; each account's
  /// won days sorted and distinct (on `threads` threads), its briefs in log order.
  abmkpi::detail::keyed<account_deals> to_keyed(unsigned threads = 1) const {
    abmkpi::detail::keyed<account_deals> out;
    // Sized once, and each id's slot fetched a few ids ahead: with 100k accounts the index
    // was grown twelve times, and every insert waited on its slot (perf, the time after the
    // threads of a 10M-deal run).
    out.reserve(size());
    std::vector<std::uint64_t> hashes(size());
    for (std::size_t i = 0; i < size(); ++i) hashes[i] = hash(keys_[i]);
    constexpr std::size_t ahead = 8;
    for (std::size_t i = 0; i < size(); ++i) {
      if (i + ahead < size()) out.prefetch(hashes[i + ahead]);
      out.index(keys_[i], hashes[i]);
    }
    const auto day = [](std::int32_t d) {
      return d == no_day ? std::nullopt : std::optional(date{d});
    };
    for (std::size_t i = 0; i < size(); ++i) {
      const tally& t = records_[i].summary;
      account_deals& a = out.value(i);
      a.deals = t.deals;
      a.first_won = day(t.first_won);
      a.second_won = day(t.second_won);
      a.last_won = day(t.last_won);
      a.last_lost_renewal = day(t.last_lost_renewal);
      a.created_in_period = t.created_in_period;
      a.won_windows = t.won_windows;
    }
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
    for (const record& r : records_) fn(r.summary);
  }
  /// Accounts seen.
  std::size_t size() const noexcept { return records_.size(); }

 private:
  // 100k accounts: 16 MB of 64-byte hash slots (key and summary together) became 2 MB of
  // index and 6.4 MB of records, prefetched a step apart (deal_stats). The gain measured is
  // memory (10M deals --by segment: peak 195 -> 178 MiB); time stayed within the noise.
  // Ids of up to 19 bytes (Salesforce's 18-character ids, HubSpot's numbers) are compared in
  // the record; a longer one in keys_.
  static constexpr std::size_t inline_max = 19;  // fills a record to 64 bytes
  struct alignas(64) record {
    tally summary;
    std::uint32_t win_group = no_group;  // the group whose wins group_wins holds (add_group_win)
    two_earliest group_wins;
    std::uint8_t size = 0;  // inline_max + 1: the id is longer and only in keys_
    char text[inline_max] = {};
  };
  static_assert(sizeof(tally) == 32 && sizeof(record) == 64, "a record is one cache line");
  // An index slot: the top 32 bits of the id's hash, and the record's position + 1 (0: empty).
  static constexpr std::uint64_t tag_bits = ~std::uint64_t{0} << 32;

  void grow() {
    table<std::uint64_t> index(index_.empty() ? 64 : index_.size() * 2);
    const std::size_t mask = index.size() - 1;
    for (std::size_t at = 0; at < keys_.size(); ++at) {
      const std::uint64_t h = hash(keys_[at]);
      std::size_t i = h & mask;
      while (index[i] != 0) i = (i + 1) & mask;
      index[i] = (h & tag_bits) | (at + 1);
    }
    index_.swap(index);
  }
  struct won_entry {
    std::uint32_t at;
    std::int32_t day;
  };
  struct brief_entry {
    std::uint32_t at;
    deal_brief brief;
  };

  // The (account, group) table of add_group_win: linear probing from a home that the id's
  // hash gives, so that it can be fetched before the account's position is known.
  static constexpr std::uint32_t no_pair = std::numeric_limits<std::uint32_t>::max();
  struct pair_slot {
    std::uint32_t at = no_pair;  // the account's position
    std::uint32_t group = 0;
    two_earliest wins;
  };
  static_assert(sizeof(pair_slot) == 16);
  static std::uint64_t pair_home(std::uint64_t h, std::uint32_t group) noexcept {
    return h + group * 0x9E3779B97F4A7C15ULL;
  }
  // Where the wins of (account at `at`, group) are kept: its record's, when that group is the
  // first it won in, else a slot of the table.
  two_earliest& group_wins(std::uint32_t at, std::uint64_t h, std::uint32_t group) {
    record& r = records_[at];
    if (r.win_group == group) return r.group_wins;
    if (r.win_group == no_group) {
      r.win_group = group;
      return r.group_wins;
    }
    return pair_wins(at, h, group);
  }
  two_earliest& pair_wins(std::uint32_t at, std::uint64_t h, std::uint32_t group) {
    if ((pairs_used_ + 1) * 4 > pairs_.size() * 3) grow_pairs();  // load at most 3/4
    const std::size_t mask = pairs_.size() - 1;
    for (std::size_t i = pair_home(h, group) & mask;; i = (i + 1) & mask) {
      pair_slot& s = pairs_[i];
      if (s.at == at && s.group == group) return s.wins;
      if (s.at == no_pair) {
        s.at = at;
        s.group = group;
        ++pairs_used_;
        return s.wins;
      }
    }
  }
  void grow_pairs() {
    table<pair_slot> old(pairs_.empty() ? 64 : pairs_.size() * 2);
    old.swap(pairs_);
    const std::size_t mask = pairs_.size() - 1;
    for (const pair_slot& s : old) {
      if (s.at == no_pair) continue;
      std::size_t i = pair_home(hash(keys_[s.at]), s.group) & mask;
      while (pairs_[i].at != no_pair) i = (i + 1) & mask;
      pairs_[i] = s;
    }
  }

  // The tables looked up at random once a deal, on huge pages (huge_pages.hpp).
  template <class T>
  using table = std::vector<T, abmkpi::detail::huge_pages::allocator<T>>;
  table<std::uint64_t> index_;
  table<record> records_;          // in order of first appearance
  std::vector<std::string> keys_;  // the ids, at their records' positions
  abmkpi::detail::chunk_log<won_entry> won_;  // chunks: see chunk_log.hpp
  abmkpi::detail::chunk_log<brief_entry> briefs_;
  table<pair_slot> pairs_;
  std::size_t pairs_used_ = 0;
};

}  // namespace abmkpi::engine
