// The subsets SPEC §4 compares: deals of target accounts against the others (cohorts), and deals
// by the values of the `--by` columns (groups). Each subset gets its own deal_stats, filled in the
// same pass as the totals, so a subset is computed "as if it were the whole input".
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint32_t
#include <cstring>      // std::memcpy
#include <map>          // std::map
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/engine/account_book.hpp"
#include "abmkpi/engine/deal_stats.hpp"
#include "abmkpi/error.hpp"
#include "abmkpi/io/token_cache.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// The group of deals whose account, or whose `--by` cell, is empty or unknown (SPEC §4).
inline constexpr std::string_view none_group = "(none)";

/// What a deal is split by. `accounts` must be complete before the first deal arrives (the
/// accounts table is read first, engine::load).
struct split_plan {
  bool cohorts = false;                 ///< the accounts table has a target column
  std::vector<std::string> by;          ///< `--by` names, in order
  const account_book* accounts = nullptr;
  std::size_t max_groups = 10000;       ///< `--max-groups`: each group costs an accumulator
  std::string deals_name;               ///< for messages
  /// The report's periods when known before the pass: every subset keeps its sales cycles per
  /// period (deal_stats::plan_windows), as the totals that fold them in do.
  std::optional<std::vector<period_window>> windows;
  bool active() const noexcept { return cohorts || !by.empty(); }
};

/// Per-subset accumulators. add() routes a deal; merge() combines pieces of one file.
class deal_splits {
 public:
  using group_key = std::vector<std::string>;  // one value per --by name

  deal_splits() { untrack_cohorts(); }
  explicit deal_splits(const split_plan* plan) : plan_(plan) {
    untrack_cohorts();
    if (plan_ != nullptr) {
      target_.plan_windows(plan_->windows);
      non_target_.plan_windows(plan_->windows);
    }
  }
  // Moves keep by_index_ valid (std::map moves its nodes); a copy would point into the original.
  deal_splits(deal_splits&&) noexcept = default;
  deal_splits& operator=(deal_splits&&) noexcept = default;
  deal_splits(const deal_splits&) = delete;
  deal_splits& operator=(const deal_splits&) = delete;

  /// Where the totals' add() puts a deal of a `--by` group (deal_stats::add's `group` and
  /// `part`).
  struct route {
    std::uint32_t wins_group = deal_stats::no_group;  ///< when the totals keep the group's wins
    deal_stats* part = nullptr;                       ///< the group, whose sums the totals feed
  };

  /// Adds `d` to its cohort, and finds its `--by` group, which the totals' add() feeds (so
  /// deal_pass::add does). Returns the group (none without `--by`).
  route add(const deal& d) {
    if (plan_ == nullptr || !plan_->active()) return {};
    const account_info* account =
        plan_->accounts != nullptr ? plan_->accounts->find(d.account_id) : nullptr;
    // Deals of accounts missing from the accounts table count as non-target (SPEC §4).
    if (plan_->cohorts) (account != nullptr && account->target ? target_ : non_target_).add(d);
    if (plan_->by.empty()) return {};
    // A group is found by its key's encoding in one hash lookup, and with one --by column each
    // spelling's group is remembered: a std::map walk comparing vectors of values was 7% of the
    // instructions of a --by run (callgrind, 200k deals). The vector is only built for a new
    // group.
    const auto value = [&](std::size_t i) -> std::string_view {
      std::string_view v;
      if (i < d.dims.size() && d.dims[i]) {
        v = *d.dims[i];
      } else if (account != nullptr && i < account->dims.size()) {
        v = account->dims[i];
      }  // else (none): engine::load refuses a --by column that neither table has
      return v.empty() ? none_group : v;
    };
    // The memo keeps the route itself: the group's number and its record were two more
    // dependent loads a deal after the spelling's (a fifth of the --by routing's samples).
    if (plan_->by.size() == 1)
      return one_column_(value(0), [&](std::string_view v, route& to) {
        encoded_.clear();
        append_encoded(encoded_, v);
        to = route_of(group_of(d));
      });
    encoded_.clear();
    for (std::size_t i = 0; i < plan_->by.size(); ++i) append_encoded(encoded_, value(i));
    return route_of(group_of(d));
  }

  /// Adds the subsets of another piece. Returns our number of each of its groups, by its
  /// number (for deal_stats::merge).
  std::vector<std::uint32_t> merge(const deal_splits& o) {
    account_groups_ = account_groups_ || o.account_groups_;
    target_.merge(o.target_);
    non_target_.merge(o.non_target_);
    std::vector<std::uint32_t> ours(o.by_index_.size());
    for (std::size_t i = 0; i < o.by_index_.size(); ++i) {
      encoded_ = o.index_.key(i);
      bool added = false;
      const std::size_t at = index_.find_or_add(encoded_, added);
      const deal_stats& stats = *o.by_index_[i];
      (added ? emplace(at, stats.empty_like()) : *by_index_[at]).merge(stats);
      ours[i] = static_cast<std::uint32_t>(at);
    }
    check_group_count(groups_.size());  // pieces of a file may each stay under the limit
    return ours;
  }

  /// Hands each group that counts repeat customers from wins the totals kept its own
  /// (deal_stats::track_wins_only), after the last add or merge.
  void adopt_wins(const deal_stats& totals) {
    auto wins = totals.wins_by_group(by_index_.size());
    for (std::size_t g = 0; g < by_index_.size(); ++g)
      if (by_index_[g]->tracks_wins_only()) by_index_[g]->adopt_wins(std::move(wins[g]));
  }

  /// Call once after the last add or merge (deal_stats::finish for every subset). Forgets the
  /// plan, which may not outlive the pass.
  void finish() {
    plan_ = nullptr;
    target_.finish();
    non_target_.finish();
    for (auto& [key, stats] : groups_) stats.finish();
  }

  const deal_stats& target() const noexcept { return target_; }
  const deal_stats& non_target() const noexcept { return non_target_; }
  /// Groups in key order (byte order of the values, column by column).
  const std::map<group_key, deal_stats>& groups() const noexcept { return groups_; }
  /// deal_stats::count_from_sums for every group, whose deals came through `totals`.
  void count_groups_from_sums(const deal_stats& totals) {
    for (auto& [key, stats] : groups_) stats.count_from_sums(totals);
  }
  /// Every --by column is an account column: each group holds whole accounts.
  bool account_groups() const noexcept { return account_groups_; }

 private:
  void check_group_count(std::size_t n) const {
    if (plan_ != nullptr && n > plan_->max_groups)
      throw parse_error(plan_->deals_name, 0, 0,
                        "--by: more than " + std::to_string(plan_->max_groups) +
                            " groups (--max-groups); group by a column with fewer values");
  }

  // A key's values, each after its length (4 bytes), so that ("ab","c") and ("a","bc") differ.
  static void append_encoded(std::string& out, std::string_view value) {
    const auto n = static_cast<std::uint32_t>(value.size());
    out.append(reinterpret_cast<const char*>(&n), sizeof n);
    out.append(value);
  }

  route route_of(std::uint32_t g) const {
    deal_stats& group = *by_index_[g];
    return {group.tracks_wins_only() ? g : deal_stats::no_group, &group};
  }

  // The number of the group whose key encoded_ holds, made for deal `d` when new.
  std::uint32_t group_of(const deal& d) {
    bool added = false;
    const auto at = static_cast<std::uint32_t>(index_.find_or_add(encoded_, added));
    if (!added) return at;
    check_group_count(groups_.size() + 1);
    deal_stats fresh;
    fresh.plan_windows(plan_->windows);
    // Groups by account columns only hold whole accounts, like cohorts; a deal column splits an
    // account's deals, so its groups keep their own per-account summaries.
    bool by_deal_column = false;
    for (const auto& cell : d.dims) by_deal_column = by_deal_column || cell.has_value();
    if (by_deal_column)
      fresh.track_wins_only();
    else
      fresh.track_accounts(false);
    account_groups_ = !by_deal_column;
    emplace(at, std::move(fresh));
    return at;
  }

  // Adds the group whose encoding index_ just numbered `at` (encoded_ holds it).
  deal_stats& emplace(std::size_t at, deal_stats&& stats) {
    group_key key;
    for (std::size_t i = 0; i < encoded_.size();) {
      std::uint32_t n = 0;
      std::memcpy(&n, encoded_.data() + i, sizeof n);
      key.emplace_back(encoded_, i + sizeof n, n);
      i += sizeof n + n;
    }
    deal_stats& group = groups_.emplace(std::move(key), std::move(stats)).first->second;
    by_index_.resize(at + 1);  // indices are dense, in order of first appearance
    by_index_[at] = &group;    // std::map nodes do not move
    return group;
  }

  void untrack_cohorts() noexcept {
    target_.track_accounts(false);
    non_target_.track_accounts(false);
  }

  const split_plan* plan_ = nullptr;
  deal_stats target_, non_target_;
  std::map<group_key, deal_stats> groups_;
  abmkpi::detail::string_index index_;  // encoded key → position in by_index_
  std::vector<deal_stats*> by_index_;   // the groups_ entries, by index_ position
  std::string encoded_;                 // reused: no allocation per deal once the values were seen
  io::spelling_memo<route> one_column_;  // with one --by column: spelling → its group's route
  bool account_groups_ = false;
};

/// The consumer of the deals reader: the totals and the subsets, in one pass.
struct deal_pass {
  deal_stats all;
  deal_splits splits;

  /// Prepares for a pass split as `plan` says (before the first add): with `--by` groups,
  /// which hold every deal once, the totals take their day sums from the groups (finish).
  void set_plan(const split_plan* plan) {
    splits = deal_splits(plan);
    all.sums_from_parts(plan != nullptr && !plan->by.empty());
  }
  /// Call once after the last add or merge, before splits.finish().
  void finish() {
    splits.count_groups_from_sums(all);
    for (const auto& [key, group] : splits.groups()) all.fold_sums(group);
    splits.adopt_wins(all);
  }

  void add(const deal& d) {
    const deal_splits::route to = splits.add(d);
    all.add(d, to.wins_group, to.part);
  }
  void merge(const deal_pass& o) {
    o.all.settle_batch();  // the sums of o's groups may still wait in it
    const std::vector<std::uint32_t> groups = splits.merge(o.splits);
    all.merge(o.all, groups);
  }
};

}  // namespace abmkpi::engine
