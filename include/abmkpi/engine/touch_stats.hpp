// The one-pass accumulator for touches (SPEC §3.4, §3.5): per-day counts by channel and action,
// and per account the days of its engagement touches, so that deals can be matched against
// touches of any date. Scores and contacts' engagement are kept per day too, so that any period
// can be reduced afterwards, unless the report's periods are known before the pass: then only
// for those (plan_period_windows).
#pragma once

#include <algorithm>      // std::max, std::min
#include <array>          // std::array
#include <cstdint>        // std::int64_t
#include <cstring>        // std::memcpy
#include <limits>         // std::numeric_limits
#include <map>            // std::map
#include <optional>       // std::optional
#include <stdexcept>      // std::invalid_argument, std::logic_error
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <vector>         // std::vector

#include "abmkpi/detail/batch_text.hpp"
#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/detail/prefetch.hpp"
#include "abmkpi/engine/day_map.hpp"
#include "abmkpi/engine/day_series.hpp"
#include "abmkpi/engine/deal_stats.hpp"
#include "abmkpi/engine/period.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// Weights are exact: millionths of a point, so that scores sum the same in any order.
inline constexpr std::int64_t score_scale = 1'000'000;

/// Engagement weights by action token (SPEC §3.4 defaults; `--weights` overrides entries).
struct engagement_weights {
  std::map<std::string, std::int64_t, std::less<>> by_action{
      {"open", 1 * score_scale},       {"visit", 2 * score_scale},   {"click", 3 * score_scale},
      {"ad_click", 3 * score_scale},   {"social", 2 * score_scale},  {"share", 4 * score_scale},
      {"download", 5 * score_scale},   {"webinar", 8 * score_scale}, {"reply", 8 * score_scale},
      {"form_fill", 10 * score_scale}, {"event", 10 * score_scale},  {"referral", 10 * score_scale},
      {"meeting", 15 * score_scale},   {"demo", 20 * score_scale}};
  std::int64_t other_engagement = 1 * score_scale;  ///< any other engagement action

  /// True unless the action is one of the non-engagement actions of SPEC §3.4.
  static bool is_engagement(std::string_view action) noexcept {
    return action != "sent" && action != "delivered" && action != "impression" &&
           action != "bounce" && action != "unsubscribe";
  }
  /// The weight of an engagement action.
  std::int64_t weight(std::string_view action) const {
    const auto it = by_action.find(action);
    return it == by_action.end() ? other_engagement : it->second;
  }
};

/// Per-day touch counts. Engagement-only fields say so.
struct touch_day {
  std::int64_t touches = 0;
  std::int64_t email_sent = 0, email_open = 0, email_click = 0, email_reply = 0;
  std::int64_t ad_clicks = 0, ad_impressions = 0;  // channel ad: click + ad_click; impression
  std::int64_t form_fills = 0, meetings = 0, demos = 0;
  std::int64_t tofu = 0, mofu = 0, bofu = 0;  // engagement touches by funnel stage
  void merge(const touch_day& o) noexcept {
    touches += o.touches, email_sent += o.email_sent, email_open += o.email_open;
    email_click += o.email_click, email_reply += o.email_reply, ad_clicks += o.ad_clicks;
    ad_impressions += o.ad_impressions, form_fills += o.form_fills, meetings += o.meetings;
    demos += o.demos, tofu += o.tofu, mofu += o.mofu, bofu += o.bofu;
  }
};

/// Engagement of one account: the days of its engagement touches, their scores, and the
/// contacts it engaged through (each a pair index for touch_stats::period_view).
struct account_engagement {
  day_set days;
  // Scores are read only as sums over the report's periods. When those are known before the
  // pass (touch_stats' plan), one sum per period is kept here; otherwise `scores` keeps a score
  // per day. 20M touches: the per-day scores were 88 MB a parsing thread, written at random,
  // and about a quarter of the run (issue 3).
  std::array<std::int64_t, max_period_windows> window_scores{};
  day_scores scores;  // only without a plan
  std::vector<std::uint32_t> contacts;

  /// True when an engagement touch falls in [lo, hi] (after finish()).
  bool any_between(date lo, date hi) const noexcept { return days.any_between(lo.days, hi.days); }
};

/// Accumulates touches. add() once per valid touch; finish() once before reducing.
class touch_stats {
 public:
  /// With a `plan` scores and contacts' engagement are kept only for its windows, and over()
  /// answers only for those periods. std::invalid_argument for more than max_period_windows.
  explicit touch_stats(engagement_weights w = {},
                       const std::optional<std::vector<period_window>>& plan = {})
      : weights_(std::move(w)), plan_(plan) {}

  void add(const touch& t) {
    if (batched_ == batch_size) settle();
    ++rows_;
    note_event(t.day);
    touch_day& d = days_.at(t.day);
    ++d.touches;
    const action_effect& e = effect_of(t.channel, t.action);
    d.email_sent += e.email_sent, d.email_open += e.email_open;
    d.email_click += e.email_click, d.email_reply += e.email_reply;
    d.ad_clicks += e.ad_click, d.ad_impressions += e.ad_impression;
    d.form_fills += e.form_fill, d.meetings += e.meeting, d.demos += e.demo;
    if (!e.engagement) return;
    d.tofu += t.stage == funnel_stage::tofu;
    d.mofu += t.stage == funnel_stage::mofu;
    d.bofu += t.stage == funnel_stage::bofu;
    batched& b = batch_[batched_++];
    b.windows = plan_ ? plan_.bits(t.day.days) : 0;
    // With a plan only a contact's engagement in a window counts: a touch outside every window
    // needs no (account, contact) lookup. (--period 2024 of three years' touches: two thirds.)
    keep_ids(b, t.account_id, !plan_ || b.windows ? t.contact_id : std::string_view());
    b.account_hash = abmkpi::detail::string_index::hash(account_of(b));
    accounts_.prefetch(b.account_hash);
    if (b.contact_size > 0) {
      b.pair_hash = abmkpi::detail::string_index::hash(pair_of(b));
      pairs_.prefetch(b.pair_hash);
    }
    b.day = t.day.days;
    b.weight = e.weight;
  }

  /// Adds another accumulator over a disjoint set of rows, with the same plan (before finish()).
  void merge(const touch_stats& o) {
    // Sums of other windows, or per-day scores against sums, cannot be added up.
    if (plan_ != o.plan_)
      throw std::logic_error("touch_stats: merging accumulators of different plans");
    settle();
    o.settle();
    rows_ += o.rows_;
    days_.merge(o.days_);
    if (o.first_) note_event(*o.first_);
    if (o.last_) note_event(*o.last_);
    const bool planned = static_cast<bool>(plan_);
    o.accounts_.for_each([&](const std::string& id, const account_engagement& theirs) {
      const std::size_t at = accounts_.index(id, abmkpi::detail::string_index::hash(id));
      account_engagement& ours = accounts_.value(at);
      ours.days.merge(theirs.days);
      ours.scores.merge(theirs.scores);
      for (std::size_t k = 0; k < max_period_windows; ++k)
        ours.window_scores[k] += theirs.window_scores[k];
      for (const std::uint32_t pair : theirs.contacts) {
        const std::string& key = o.pairs_.key(pair);
        const std::uint32_t ours_at =
            find_or_add_pair(at, key, abmkpi::detail::string_index::hash(key));
        if (planned) contact_windows_[ours_at] |= o.contact_windows_[pair];
        else contact_days_[ours_at].merge(o.contact_days_[pair]);
      }
    });
  }

  /// Makes the days ready for queries (call once after the last add or merge), on `threads`
  /// threads.
  void finish(unsigned threads = 1) {
    settle();
    // A contact's days belong to one account: each thread finishes its accounts' own.
    accounts_.for_each_mut_parallel(threads, [&](const std::string&, account_engagement& acct) {
      acct.days.finish();
      acct.scores.finish();
      if (!plan_)
        for (const std::uint32_t pair : acct.contacts) contact_days_[pair].finish();
    });
  }

  /// Sums of the per-day counts over period p.
  touch_day totals(const period& p) const {
    touch_day t;
    days_.for_each([&](date d, const touch_day& c) {
      if (p.contains(d)) t.merge(c);
    });
    return t;
  }

  /// What the touches say of one period (after finish()): an account's score, and whether a
  /// contact engaged in it.
  class period_view {
   public:
    std::int64_t score(const account_engagement& a) const noexcept {
      if (window_) return a.window_scores[*window_];
      bool any = false;
      return a.scores.sum_between(p_.from.days, p_.to.days, any);
    }
    /// `pair`: an index from account_engagement::contacts.
    bool contact_engaged(std::uint32_t pair) const noexcept {
      if (window_) return (s_->contact_windows_[pair] >> *window_) & 1;
      return s_->contact_days_[pair].any_between(p_.from.days, p_.to.days);
    }

   private:
    friend class touch_stats;
    period_view(const touch_stats& s, const period& p, std::optional<std::size_t> window)
        : s_(&s), p_(p), window_(window) {}
    const touch_stats* s_;
    period p_;
    std::optional<std::size_t> window_;  // with a plan: p's window
  };
  /// The view of period p. With a plan, p must be one of its windows as the touches see it (the
  /// same days of touches), or std::logic_error: a report must use the period options its
  /// load() planned for.
  period_view over(const period& p) const {
    return period_view(*this, p, plan_ ? std::optional(window_of(p)) : std::nullopt);
  }
  /// The windows it was made with (nullopt: none), for an accumulator of another piece.
  std::optional<std::vector<period_window>> plan() const {
    return plan_ ? std::optional(plan_.windows()) : std::nullopt;
  }

  const abmkpi::detail::keyed<account_engagement>& accounts() const {
    settle();
    return accounts_;
  }
  const engagement_weights& weights() const noexcept { return weights_; }
  std::optional<date> first_event() const noexcept { return first_; }
  std::optional<date> last_event() const noexcept { return last_; }
  std::int64_t rows() const noexcept { return rows_; }

 private:
  // What a touch of one channel and action adds to its day, and its weight. Worked out once per
  // distinct action and remembered in a small direct-mapped table: a dozen string comparisons
  // and a map lookup per touch were a tenth of a 20M-touch run.
  struct action_effect {
    std::uint8_t email_sent = 0, email_open = 0, email_click = 0, email_reply = 0;
    std::uint8_t ad_click = 0, ad_impression = 0, form_fill = 0, meeting = 0, demo = 0;
    bool engagement = false;
    std::int64_t weight = 0;
  };
  enum channel_kind : std::uint8_t { other_channel, email_channel, ad_channel };
  action_effect work_out(channel_kind channel, std::string_view a) const {
    action_effect e;
    if (channel == email_channel) {
      e.email_sent = a == "sent", e.email_open = a == "open";
      e.email_click = a == "click", e.email_reply = a == "reply";
    } else if (channel == ad_channel) {
      e.ad_click = a == "click" || a == "ad_click";
      e.ad_impression = a == "impression";
    }
    e.form_fill = a == "form_fill", e.meeting = a == "meeting", e.demo = a == "demo";
    e.engagement = engagement_weights::is_engagement(a);
    if (e.engagement) e.weight = weights_.weight(a);
    return e;
  }
  const action_effect& effect_of(std::string_view channel, std::string_view action) {
    using abmkpi::detail::first_bytes;
    // Short tokens compare as one integer: a string compare call per touch was 1% of a run.
    static constexpr std::uint64_t email = first_bytes("email"), ad = first_bytes("ad");
    const std::uint64_t c = first_bytes(channel);
    const channel_kind k = channel.size() == 5 && c == email ? email_channel
                           : channel.size() == 2 && c == ad  ? ad_channel
                                                             : other_channel;
    const std::uint64_t head = first_bytes(action);
    const std::uint64_t key = head ^ (action.size() << 56);
    // Open addressing: two actions whose keys share a slot must not evict each other on every
    // touch (they did, with one slot a key: a fifth of the touches worked their effect out
    // again). The first 8 bytes and the size decide most actions without a string compare.
    std::size_t i = abmkpi::detail::mix64(key) % effects_.size();
    for (std::size_t probes = 0; probes < effects_.size();
         ++probes, i = (i + 1) % effects_.size()) {
      remembered& r = effects_[i];
      if (!r.known) {
        r.action.assign(action);
        r.head = head;
        for (channel_kind ch : {other_channel, email_channel, ad_channel})
          r.effect[ch] = work_out(ch, action);
        r.known = true;
        return r.effect[k];
      }
      if (r.head == head && r.action.size() == action.size() &&
          (action.size() <= 8 || r.action == action))
        return r.effect[k];
    }
    scratch_ = work_out(k, action);  // more distinct actions than slots: no memory
    return scratch_;
  }
  struct remembered {
    bool known = false;
    std::uint64_t head = 0;  // first_bytes(action)
    std::string action;
    std::array<action_effect, 3> effect;
  };
  std::array<remembered, 64> effects_;
  action_effect scratch_;

  // An engagement touch's account and contact work waits in a batch, as in deal_stats: add()
  // prefetches the account's slot and the (account, contact) pair's, and settle() resolves the
  // batch in passes (the slots, then the days) so that the cache misses overlap. The pair is
  // one key (pair_key), so its slot is found in one step: an index of contacts, then a map of
  // (account, contact index) pairs, were two dependent misses a touch.
  struct batched {
    // The ids, copied into ids_ (the touch's views die with its row) as a pair key.
    std::uint32_t ids_at, account_size, contact_size;
    std::uint64_t account_hash, pair_hash;
    std::int32_t day;
    std::int64_t weight;
    std::uint8_t windows;  // with a plan: bit k says the day is in window k
  };
  static constexpr std::size_t batch_size = 32;

  // pair_key: the account id's length (4 bytes), the account id, the contact id. The length
  // makes it one-to-one: ("ab", "c") and ("a", "bc") differ.
  void keep_ids(batched& b, std::string_view account, std::string_view contact) {
    const auto size = static_cast<std::uint32_t>(account.size());
    char* to = ids_.append(4 + account.size() + contact.size(), b.ids_at);
    std::memcpy(to, &size, 4);
    if (!account.empty()) std::memcpy(to + 4, account.data(), account.size());
    if (!contact.empty()) std::memcpy(to + 4 + account.size(), contact.data(), contact.size());
    b.account_size = size;
    b.contact_size = static_cast<std::uint32_t>(contact.size());
  }
  std::string_view account_of(const batched& b) const noexcept {
    return ids_.view(b.ids_at + 4, b.account_size);
  }
  std::string_view pair_of(const batched& b) const noexcept {
    return ids_.view(b.ids_at, 4 + std::size_t{b.account_size} + b.contact_size);
  }
  // The index in contact_days_ (or contact_windows_) of the pair `key` (hash `h`) of the
  // account at `account`, added when new.
  std::uint32_t find_or_add_pair(std::size_t account, std::string_view key, std::uint64_t h) const {
    bool added = false;
    const auto pair = static_cast<std::uint32_t>(pairs_.find_or_add(key, h, added));
    if (added) {
      if (plan_) contact_windows_.push_back(0);
      else contact_days_.emplace_back();
      accounts_.value(account).contacts.push_back(pair);
    }
    return pair;
  }

  // const because every reader calls it first: the batch is a write buffer.
  void settle() const {
    constexpr std::uint32_t no_contact = ~std::uint32_t{0};
    std::array<std::size_t, batch_size> at;
    std::array<std::uint32_t, batch_size> contact;  // the pair's index (find_or_add_pair)
    for (std::size_t i = 0; i < batched_; ++i) {
      const batched& b = batch_[i];
      at[i] = accounts_.index(account_of(b), b.account_hash);
      abmkpi::detail::prefetch(&accounts_.value(at[i]));
      contact[i] =
          b.contact_size == 0 ? no_contact : find_or_add_pair(at[i], pair_of(b), b.pair_hash);
      if (contact[i] != no_contact && !plan_) abmkpi::detail::prefetch(&contact_days_[contact[i]]);
    }
    for (std::size_t i = 0; i < batched_; ++i) {
      const account_engagement& acct = accounts_.value(at[i]);
      acct.days.prefetch(batch_[i].day);
      if (plan_) continue;
      acct.scores.prefetch(batch_[i].day);
      if (contact[i] != no_contact) contact_days_[contact[i]].prefetch(batch_[i].day);
    }
    for (std::size_t i = 0; i < batched_; ++i) {
      const batched& b = batch_[i];
      account_engagement& acct = accounts_.value(at[i]);
      acct.days.add(b.day);
      // Exact integers: any order sums the same.
      if (plan_) {
        for (std::uint8_t k = 0, in = b.windows; in != 0; ++k, in >>= 1)
          if (in & 1) acct.window_scores[k] += b.weight;
        if (contact[i] != no_contact) contact_windows_[contact[i]] |= b.windows;
      } else {
        acct.scores.add(b.day, b.weight);
        if (contact[i] != no_contact) contact_days_[contact[i]].add(b.day);
      }
    }
    batched_ = 0;
    ids_.clear();
  }

  // The window of the plan that holds the same touch days as p. Every touch day is in
  // [first_, last_], so a window and p agree when both, cut to that span, are equal or empty.
  std::size_t window_of(const period& p) const {
    if (!first_) return 0;  // no touches: every window's sums are 0
    if (const auto k = matching_window(plan_.windows(), *first_, *last_, p)) return *k;
    throw std::logic_error("touch_stats: scores were not kept for the period " + to_iso(p.from) +
                           ".." + to_iso(p.to) + " (load and report with the same period options)");
  }

  void note_event(date d) noexcept {
    if (!first_ || d < *first_) first_ = d;
    if (!last_ || d > *last_) last_ = d;
  }

  engagement_weights weights_;
  window_plan plan_;
  day_series<touch_day> days_;
  mutable abmkpi::detail::keyed<account_engagement> accounts_;  // mutable: see settle()
  mutable abmkpi::detail::string_index pairs_;  // (account, contact) pair keys (keep_ids)
  // Per pair, at its index in pairs_: without a plan its days; with one, bit k says it engaged
  // in window k. 20M touches of 80k pairs: the pairs' bitmaps were 11 MB a thread, each touch
  // setting a bit at random in them.
  mutable std::vector<day_set> contact_days_;
  mutable std::vector<std::uint8_t> contact_windows_;
  mutable std::array<batched, batch_size> batch_;
  mutable std::size_t batched_ = 0;
  mutable abmkpi::detail::batch_text ids_;  // the batch's ids (keep_ids)
  std::optional<date> first_, last_;
  std::int64_t rows_ = 0;
};

/// Per-day spend sums by category (SPEC §3.2, §3.5), exact.
struct spend_day {
  money_sum marketing = 0, sales = 0, other = 0, marketing_abm = 0;
  void merge(const spend_day& o) noexcept {
    marketing += o.marketing, sales += o.sales, other += o.other, marketing_abm += o.marketing_abm;
  }
};

/// Accumulates spend lines by day.
class spend_stats {
 public:
  void add(const spend_line& s) {
    ++rows_;
    if (!first_ || s.day < *first_) first_ = s.day;
    if (!last_ || s.day > *last_) last_ = s.day;
    spend_day& d = days_.at(s.day);
    switch (s.category) {
      case spend_category::marketing:
        d.marketing += s.amount;
        if (s.abm) d.marketing_abm += s.amount;
        break;
      case spend_category::sales: d.sales += s.amount; break;
      case spend_category::other: d.other += s.amount; break;
    }
  }
  spend_day totals(const period& p) const {
    spend_day t;
    days_.for_each([&](date d, const spend_day& c) {
      if (p.contains(d)) t.merge(c);
    });
    return t;
  }
  std::optional<date> first_event() const noexcept { return first_; }
  std::optional<date> last_event() const noexcept { return last_; }
  std::int64_t rows() const noexcept { return rows_; }

  bool has_abm = false;  ///< the spend table has an abm column: marketing_spend counts abm rows

 private:
  day_series<spend_day> days_;
  std::optional<date> first_, last_;
  std::int64_t rows_ = 0;
};

}  // namespace abmkpi::engine
