// The one-pass accumulator for the deals table: per-day sums, a per-account summary and the
// sales-cycle histogram. Sums are exact integers, so merging chunks in any order, or feeding rows
// in any order, gives identical results.
#pragma once

#include <algorithm>      // std::sort, std::min, std::max
#include <array>          // std::array
#include <cstddef>        // offsetof
#include <cstdint>        // std::int64_t
#include <limits>         // std::numeric_limits
#include <optional>       // std::optional
#include <span>           // std::span
#include <stdexcept>      // std::logic_error
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <utility>        // std::pair
#include <vector>         // std::vector

#include "abmkpi/detail/batch_text.hpp"
#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/detail/prefetch.hpp"
#include "abmkpi/engine/account_tally.hpp"
#include "abmkpi/engine/cycle_histogram.hpp"
#include "abmkpi/engine/deal_day.hpp"
#include "abmkpi/engine/day_series.hpp"
#include "abmkpi/engine/period.hpp"
#include "abmkpi/metrics/deals.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// Accumulates deals. add() is called once per valid deal; merge() combines accumulators of
/// disjoint row sets; totals() reduces to one period. Memory: distinct days, distinct
/// (close day, cycle length) pairs of won deals, and one entry per account.
class deal_stats {
 public:
  /// A `--by` group number, or none (add).
  static constexpr std::uint32_t no_group = account_tally::no_group;

  /// Adds one valid deal (amount ≥ 0; won/lost deals have a close date ≥ created date).
  /// `group`: the deal's `--by` group, when the group keeps its wins here (track_wins_only);
  /// wins_by_group() gives them back. `part`: with sums_from_parts(), the accumulator of the
  /// part (the `--by` group) that holds this deal (nothing else adds it there): its day sums
  /// and cycles are written when this batch is applied, so call settle_batch() before reading
  /// or merging that part, and its rows and event days are counted from those sums by the
  /// part's count_from_sums() after the pass.
  void add(const deal& d, std::uint32_t group = no_group, deal_stats* part = nullptr) {
    note_deal(d);
    // The part's sums through this batch: one batch entry and one settle() a deal instead of a
    // second add() into the part's own batch (10M deals `--by segment`, see decisions.md).
    deal_stats* const sums = part != nullptr ? part : sums_from_parts_ ? nullptr : this;
    batched& b = batch_[batched_];
    b.created = d.created.days;
    b.amount = d.amount;
    b.acv = d.acv;
    b.probability = d.probability_micros.value_or(no_probability);
    b.percent_cell = d.probability_is_percent_cell;
    b.status = d.status;
    b.type = d.type;
    b.closed = d.status != deal_status::open ? d.closed->days : 0;
    b.created_day = nullptr;
    b.closed_day = nullptr;
    b.cycle_counter = nullptr;
    b.part = part;
    b.group = group;
    // With sums_from_parts() and no part, the day sums and the cycles are the groups' (fold_sums).
    if (sums != nullptr) {
      const auto s = static_cast<std::size_t>(d.status);
      with_sums_[s][with_sums_count_[s]++] = static_cast<std::uint8_t>(batched_);
      b.created_day = &sums->days_.at(d.created);
      prefetch_lines(b.created_day, 0);
      if (d.status != deal_status::open) {
        const date close = *d.closed;
        b.closed_day = &sums->days_.at(close);
        prefetch_lines(b.closed_day, offsetof(deal_day, won));
        if (d.status == deal_status::won && !sums->plan_) {
          b.cycle_counter = sums->cycles_.counter_of(close, close.days - d.created.days);
          if (b.cycle_counter != nullptr) abmkpi::detail::prefetch_write(b.cycle_counter);
        }
      }
    }
    // With customers_only(), a deal that cannot make its account a customer or churn it leaves
    // the account alone: no copy of its id, no hash, no lookup (most deals of an export).
    if (track_accounts_ && (!customers_only_ || keep_briefs_ || d.status == deal_status::won ||
                            (d.status == deal_status::lost && d.type == deal_type::renewal))) {
      b.account_at = account_text_.add(d.account_id);
      b.account_size = static_cast<std::uint32_t>(d.account_id.size());
      b.hash = account_tally::hash(d.account_id);
      tally_.prefetch(b.hash);
      if (group != no_group && d.status == deal_status::won)
        tally_.prefetch_group_win(b.hash, group);
      // The record of the deal tallied `record_lead` deals before: its slot has arrived by now.
      if (tallied_count_ >= record_lead)
        tally_.prefetch_record(batch_[tallied_[tallied_count_ - record_lead]].hash);
      tallied_[tallied_count_++] = static_cast<std::uint8_t>(batched_);
    }
    if (++batched_ == batch_size) settle();
  }

  /// Applies the deals waiting in the batch, among them those of parts given to add().
  void settle_batch() const { settle(); }

  /// An empty accumulator with the same options (what it keeps, the requested period): a
  /// subset met first in a later piece of a file must keep what that piece's subset keeps.
  deal_stats empty_like() const {
    deal_stats s;
    s.track_accounts_ = track_accounts_;
    s.customers_only_ = customers_only_;
    s.wins_only_ = wins_only_;
    s.sums_from_parts_ = sums_from_parts_;
    s.keep_won_days_ = keep_won_days_;
    s.keep_briefs_ = keep_briefs_;
    s.requested_from_ = requested_from_;
    s.requested_to_ = requested_to_;
    s.plan_ = plan_;
    return s;
  }

  /// Adds another accumulator over a disjoint set of rows. `groups[g]` is our number of its
  /// `--by` group g (add).
  void merge(const deal_stats& o, std::span<const std::uint32_t> groups = {}) {
    // Accounts' wins in other windows, or won days against windows, cannot be added up.
    if (plan_ != o.plan_)
      throw std::logic_error("deal_stats: merging accumulators of different plans");
    settle();
    o.settle();
    rows_ += o.rows_;
    days_.merge(o.days_);
    cycles_.merge(o.cycles_);
    tally_.merge(o.tally_, groups);
    accounts_stale_ = true;
    first_day_ = std::min(first_day_, o.first_day_);
    last_day_ = std::max(last_day_, o.last_day_);
    probability_above_one_ = probability_above_one_ || o.probability_above_one_;
  }

  /// Adds the day sums and the cycles of `part`, an accumulator of some of the same deals: with
  /// sums_from_parts(), after the last add or merge, once for each of the parts that together
  /// hold every deal once.
  void fold_sums(const deal_stats& part) {
    if (!part.counted_from_sums_)
      throw std::logic_error("deal_stats: folding a part before count_from_sums()");
    if (plan_ != part.plan_)
      throw std::logic_error("deal_stats: folding the sums of a part with another plan");
    settle();
    part.settle();
    days_.merge(part.days_);
    cycles_.merge(part.cycles_);
  }

  /// For a part fed through the totals' add() (add's `part`), after the last add and merge:
  /// its rows and event days from its day sums (every deal counts on its created day, a won or
  /// lost one on its close day too: what note_deal would have counted), and the probability
  /// column's kind from the totals, a property of the whole column (SPEC §1.2). Counting each
  /// deal a second time as it came cost a 10M-deal `--by segment` run 7% on one thread (1.505 →
  /// 1.405 s), 1% on two.
  void count_from_sums(const deal_stats& totals) {
    totals.settle();  // this part's last deals may still wait in the totals' batch
    settle();
    rows_ = 0;
    first_day_ = std::numeric_limits<std::int32_t>::max();
    last_day_ = std::numeric_limits<std::int32_t>::min();
    days_.for_each([&](date d, const deal_day& c) {
      rows_ += c.created;
      if (c.created != 0 || c.won != 0 || c.lost != 0) note_event(d);
    });
    probability_above_one_ = totals.probability_above_one_;
    counted_from_sums_ = true;
  }

  /// Reduces to the totals of period `p`. `percent_header` says the probability header holds a
  /// `%` (Salesforce's "Probability (%)").
  metrics::deal_totals totals(const period& p, bool percent_header) const {
    settle();
    metrics::deal_totals t;
    money_sum won_amount = 0, lost_amount = 0, won_new = 0, won_exp = 0, won_ren = 0, acv = 0;
    money_sum created_amount = 0, open_amount = 0, closed_by_created_amount = 0;
    money_sum done_amount = 0, prob_plain = 0, prob_percent = 0, no_prob = 0;
    std::int64_t open = 0, closed_by_created = 0, done = 0;
    days_.for_each([&](date d, const deal_day& c) {
      if (p.contains(d)) {
        t.won += c.won, t.lost += c.lost, t.expansion_won += c.expansion_won;
        t.cycle_days_sum += c.won_cycle_days;
        won_amount += c.won_amount, lost_amount += c.lost_amount, acv += c.won_acv;
        won_new += c.won_by_type[type_index(deal_type::new_business)];
        won_exp += c.won_by_type[type_index(deal_type::expansion)];
        won_ren += c.won_by_type[type_index(deal_type::renewal)];
        t.created += c.created;
        created_amount += c.created_amount;
      }
      if (d <= p.to) {
        open += c.open + c.closed_by_created;
        open_amount += c.open_amount + c.closed_by_created_amount;
        closed_by_created_amount += c.closed_by_created_amount;
        closed_by_created += c.closed_by_created;
        done += c.won + c.lost;
        done_amount += c.won_amount + c.lost_amount;
        prob_plain += c.open_prob_plain;
        prob_percent += c.open_prob_percent;
        no_prob += c.open_no_prob_amount;
      }
    });
    t.bookings = to_currency(won_amount);
    t.lost_amount = to_currency(lost_amount);
    t.new_bookings = to_currency(won_new);
    t.expansion_bookings = to_currency(won_exp);
    t.renewal_bookings = to_currency(won_ren);
    t.acv_total = to_currency(acv);
    t.created_amount = to_currency(created_amount);
    t.open_at_end = open - done;
    t.open_amount = to_currency(open_amount - done_amount);
    // Deals closed after `to` are open at its end; their exported probability would leak the
    // outcome, so they join the deals weighted by the win rate.
    t.weighted_unknown_amount = to_currency(no_prob + closed_by_created_amount - done_amount);
    const bool percent_column = percent_header || probability_above_one_;
    const long double micros = 1e6L;
    t.weighted_known = static_cast<double>(
        (static_cast<long double>(prob_plain) / (percent_column ? 100 : 1) +
         static_cast<long double>(prob_percent) / 100) /
        micros / money_scale);
    t.cycle_days_median = median_cycle(p);
    const auto count_repeat = [&](const account_tally::two_earliest& w) {
      const auto by_end = [&](std::int32_t d) {
        return d != account_tally::no_day && d <= p.to.days;
      };
      t.accounts_with_one_win += by_end(w.first_won);
      t.accounts_with_two_wins += by_end(w.second_won);
    };
    if (wins_only_)
      for (const account_tally::two_earliest& w : wins_) count_repeat(w);
    else
      tally_.for_each(count_repeat);
    return t;
  }

  /// Per calendar month overlapping p, clipped to p, in order: Σ amount of the deals created and
  /// of the won deals closed. The months add up exactly to the period's created_amount and
  /// bookings (totals()). Empty input gives zero sums; does not throw except std::bad_alloc.
  std::vector<month_money> monthly(const period& p) const {
    settle();  // the day sums of the last deals may still wait in the batch
    std::vector<month_money> out;
    for (date d = p.from; d <= p.to;) {
      const civil c = to_civil(d);
      const date month_end = make_date(c.year, c.month, days_in_month(c.year, c.month));
      const date last = std::min(month_end, p.to);
      out.push_back({period{d, last}});
      d = date{last.days + 1};
    }
    std::size_t i = 0;
    days_.for_each([&](date d, const deal_day& c) {  // ascending days: i only moves forward
      if (!p.contains(d)) return;
      while (d > out[i].span.to) ++i;
      out[i].created_amount += c.created_amount;
      out[i].won_amount += c.won_amount;
    });
    return out;
  }

  /// The period bounds asked for on the command line (engine::analysis_options::period), set
  /// before the first add(): account_deals::created_in_period tells a deal created within them.
  /// An absent bound defaults to the first or last event date, and every created date is an
  /// event date, so an absent bound excludes nothing.
  void set_requested_period(std::optional<date> from, std::optional<date> to) noexcept {
    requested_from_ = from;
    requested_to_ = to;
  }

  /// Keep the per-account summaries (on by default). A subset whose deals are all the deals of
  /// its accounts (a cohort) turns it off: the totals' summaries serve it, and repeat customers
  /// are then counted from those (accounts_with_*_wins stay 0 here).
  void track_accounts(bool on) noexcept { track_accounts_ = on; }
  /// Keep account summaries of customers only (off by default): only won deals and lost
  /// renewals, the deals that make an account a customer or churn it (SPEC §3.2), reach them.
  /// accounts() then lists the accounts with such a deal, and their `deals` and
  /// `created_in_period` count those deals alone. Every KPI reads only these, except where an
  /// accounts table or touches are read (analysis_options::every_account_summary). Ignored
  /// while keep_briefs() is on. Set before the first add().
  void customers_only(bool on) noexcept { customers_only_ = on; }
  /// Count repeat customers from each account's two earliest won days (off by default), in
  /// place of the summaries: a group by a deal column splits its accounts' deals, and its
  /// totals need them. The totals keep them, by group (add's `group`, wins_by_group), and
  /// adopt_wins() hands them over after the pass. accounts() stays empty.
  void track_wins_only() noexcept {
    track_accounts_ = false;
    wins_only_ = true;
  }
  bool tracks_wins_only() const noexcept { return wins_only_; }
  /// With track_wins_only(): the two earliest won days of each of this group's accounts.
  void adopt_wins(std::vector<account_tally::two_earliest> wins) { wins_ = std::move(wins); }
  /// The wins of the deals added with a group, per group: entry g holds group g's accounts.
  /// `groups` must exceed every group added.
  std::vector<std::vector<account_tally::two_earliest>> wins_by_group(std::size_t groups) const {
    settle();
    return tally_.wins_by_group(groups);
  }
  /// Leave the day sums and the cycle histogram to parts that split the same deals between
  /// them (off by default): `--by` groups hold every deal once, and fold_sums() adds theirs
  /// after the pass, so each deal updates those sums once instead of twice. Set before the
  /// first add().
  void sums_from_parts(bool on) noexcept { sums_from_parts_ = on; }
  /// Keep each account's won days (on by default), which accounts_won_in() needs; the subsets
  /// of SPEC §4 report §3.1 only and turn it off.
  void keep_won_days(bool on) noexcept { keep_won_days_ = on; }

  /// Keep a brief of every deal per account, for influence matching against touches.
  void keep_briefs(bool on) noexcept { keep_briefs_ = on; }
  bool keeps_briefs() const noexcept { return keep_briefs_; }

  /// Builds the per-account summaries (call once after the last add or merge), sorting their
  /// won days on `threads` threads. Reading them builds them too, on one thread.
  void finish(unsigned threads = 1) { build_accounts(threads); }

  /// Keep, per account, whether it won a deal closed in each window of `plan` (at most
  /// max_period_windows; plan_period_windows) instead of its won days, which are a log entry
  /// per won deal and a sort after the pass; and the sales cycles of won deals per window
  /// instead of per close day (a row of counters per day, written at random). won_in() and
  /// totals() then answer only for those periods. Set before the first add(); the subsets
  /// whose sums fold into these (sums_from_parts) need the same plan. std::invalid_argument
  /// for more than max_period_windows windows.
  void plan_windows(const std::optional<std::vector<period_window>>& plan) {
    plan_ = window_plan(plan);
  }

  /// Tells whether an account of accounts() won a deal closed in period p (see won_in).
  struct won_test {
    std::optional<std::size_t> window;  // with a plan: p's window
    period p;
    bool operator()(const account_deals& a) const noexcept {
      return window ? ((a.won_windows >> *window) & 1) != 0 : a.won_in(p);
    }
  };
  /// The won_test of period p. With a plan, p must be one of its windows as the deals see it
  /// (the same won deals), or std::logic_error: a report must use the period options its
  /// load() planned for.
  won_test won_in(const period& p) const {
    if (!plan_) return {std::nullopt, p};
    if (!first_event()) return {0, p};  // no deals: no account won
    return {window_of(p, "wins"), p};
  }

  /// Accounts with a won deal closed in period p (std::logic_error as won_in).
  std::int64_t accounts_won_in(const period& p) const {
    const won_test won = won_in(p);
    std::int64_t n = 0;
    accounts().for_each([&](const std::string&, const account_deals& a) { n += won(a); });
    return n;
  }

  /// Earliest and latest event date seen (created dates, close dates of won and lost deals).
  std::optional<date> first_event() const noexcept {
    return first_day_ <= last_day_ ? std::optional(date{first_day_}) : std::nullopt;
  }
  std::optional<date> last_event() const noexcept {
    return first_day_ <= last_day_ ? std::optional(date{last_day_}) : std::nullopt;
  }
  /// Deals added.
  std::int64_t rows() const noexcept { return rows_; }
  /// Some plain probability cell was above 1, which makes the column a percentage column.
  bool probability_above_one() const noexcept { return probability_above_one_; }
  /// Per-account summaries, keyed by account id.
  const abmkpi::detail::keyed<account_deals>& accounts() const {
    build_accounts(1);
    return accounts_;
  }

 private:
  // With a plan and some deal: the window holding the same deals as p, or std::logic_error
  // naming `what` was not kept for p.
  std::size_t window_of(const period& p, const char* what) const {
    if (const auto k = matching_window(plan_.windows(), date{first_day_}, date{last_day_}, p))
      return *k;
    throw std::logic_error(std::string("deal_stats: ") + what + " were not kept for the period " +
                           to_iso(p.from) + ".." + to_iso(p.to) +
                           " (load and report with the same period options)");
  }

  // The account_deals view of the tally, built again when deals came since.
  void build_accounts(unsigned threads) const {
    settle();
    if (!accounts_stale_) return;
    accounts_ = tally_.to_keyed(threads);
    accounts_stale_ = false;
  }

  std::optional<double> median_cycle(const period& p) const {
    std::vector<std::pair<std::int32_t, std::int64_t>> in;  // (cycle days, count)
    std::int64_t n = 0;
    period rows = p;
    if (plan_) {
      if (!first_event()) return std::nullopt;  // no deals
      const date k{static_cast<std::int32_t>(window_of(p, "cycles"))};
      rows = {k, k};  // p's window's row (see apply)
    }
    cycles_.for_each_in(rows, [&](std::int32_t cycle, std::int64_t count) {
      in.emplace_back(cycle, count);
      n += count;
    });
    if (n == 0) return std::nullopt;
    std::sort(in.begin(), in.end());
    auto nth = [&](std::int64_t k) {  // k-th smallest, 0-based
      for (const auto& [cycle, count] : in) {
        if (k < count) return cycle;
        k -= count;
      }
      return in.back().first;
    };
    if (n % 2 == 1) return static_cast<double>(nth(n / 2));
    return (static_cast<double>(nth(n / 2 - 1)) + static_cast<double>(nth(n / 2))) / 2;
  }

  // add() only notes a deal in a small batch and asks the CPU to fetch what it will update: its
  // created and close days' sums, its cycle counter and its account's index slot (account_tally;
  // record_lead adds later, the record the slot points to). With 100k accounts and years of days
  // each of these misses the cache; settle() then applies the batch, the sums and then the
  // accounts, by which time the lines have arrived: the misses overlap instead of following
  // one another. Measured on 10M deals of 100k accounts (bench/run).
  static constexpr std::int64_t no_probability = -1;
  struct batched {
    std::uint32_t account_at, account_size;  // a copy in account_text_ (the row's views die)
    std::uint64_t hash;
    deal_day* created_day;
    deal_day* closed_day;                // nullptr for an open deal
    cycle_histogram::counter* cycle_counter;  // a won deal's, when the histogram has a row for it
    // add()'s part, whose days and cycles these are, or nullptr for this accumulator's own (not
    // a pointer to this, which a move of a batch waiting in it would leave behind).
    const deal_stats* part;
    std::uint32_t group;                       // see add()
    std::int64_t amount, acv, probability;  // probability: micros, or no_probability
    std::int32_t created, closed;
    deal_status status;
    deal_type type;
    bool percent_cell;
  };
  static constexpr std::size_t batch_size = 32;  // tallied_ holds its positions in bytes
  static constexpr std::size_t record_lead = 16;

  static void prefetch_lines(const deal_day* day, std::size_t offset) noexcept {
    const char* at = reinterpret_cast<const char*>(day) + offset;
    abmkpi::detail::prefetch_write(at);
    abmkpi::detail::prefetch_write(at + 64);
  }

  // The sums of one deal (the batch's second pass), into b.part or this.
  // Instantiated per status, which the batch keeps its deals' positions by (add): rows mix the
  // statuses at random, and a test of each deal's status mispredicted often.
  template <deal_status Status>
  void apply(const batched& b) const {
    deal_day& created = *b.created_day;
    ++created.created;
    created.created_amount += b.amount;
    if constexpr (Status == deal_status::open) {
      ++created.open;
      created.open_amount += b.amount;
      if (b.probability == no_probability) {
        created.open_no_prob_amount += b.amount;
      } else {
        const money_sum weighted = static_cast<money_sum>(b.amount) * b.probability;
        (b.percent_cell ? created.open_prob_percent : created.open_prob_plain) += weighted;
      }
      return;
    }
    ++created.closed_by_created;
    created.closed_by_created_amount += b.amount;
    deal_day& closed = *b.closed_day;
    if constexpr (Status == deal_status::lost) {
      ++closed.lost;
      closed.lost_amount += b.amount;
      return;
    }
    ++closed.won;
    closed.won_amount += b.amount;
    closed.won_acv += b.acv;
    const std::int32_t cycle = b.closed - b.created;
    closed.won_cycle_days += cycle;
    closed.won_by_type[type_index(b.type)] += b.amount;
    closed.expansion_won += b.type == deal_type::expansion;
    const deal_stats& sums = b.part != nullptr ? *b.part : *this;
    if (!sums.plan_) return sums.cycles_.bump(b.cycle_counter, date{b.closed}, cycle);
    // Planned: a row of the histogram per window, keyed by the window's number.
    for (std::uint8_t k = 0, in = sums.plan_.bits(b.closed); in != 0; ++k, in >>= 1)
      if (in & 1) sums.cycles_.add(date{k}, cycle);
  }

  // Applies the batch. const because every reader calls it first: the batch is a write buffer,
  // and the accumulator's value does not change by settling it.
  void settle() const {
    // add() fetched each deal's index slot, and record_lead adds later the record that slot
    // points to. The last deals' records are asked for here; they come while the sums and the
    // earlier deals' accounts are applied. (Fetched here alone, with no sums between under
    // --by, nearly all of them were still missing when find_or_add read them.)
    const std::size_t tallied = tallied_count_;
    for (std::size_t k = tallied > record_lead ? tallied - record_lead : 0; k < tallied; ++k)
      tally_.prefetch_record(batch_[tallied_[k]].hash);
    const auto apply_all = [&]<deal_status Status>() {
      const auto& at = with_sums_[static_cast<std::size_t>(Status)];
      for (std::size_t k = 0, n = with_sums_count_[static_cast<std::size_t>(Status)]; k < n; ++k)
        apply<Status>(batch_[at[k]]);
    };
    apply_all.template operator()<deal_status::open>();
    apply_all.template operator()<deal_status::won>();
    apply_all.template operator()<deal_status::lost>();
    if (tallied > 0) {
      for (std::size_t k = 0; k < tallied; ++k) {
        const batched& b = batch_[tallied_[k]];
        std::uint32_t at = 0;
        account_tally::tally& acct = tally_.find_or_add(account_of(b), b.hash, at);
        ++acct.deals;
        if ((!requested_from_ || b.created >= requested_from_->days) &&
            (!requested_to_ || b.created <= requested_to_->days))
          acct.created_in_period = true;
        if (keep_briefs_) tally_.log_brief(at, {b.created, b.closed, b.amount, b.status});
        if (b.status == deal_status::lost && b.type == deal_type::renewal)
          acct.add_lost_renewal(b.closed);
        if (b.status != deal_status::won) continue;
        acct.add_won(b.closed);
        if (b.group != no_group) tally_.add_group_win(at, b.hash, b.group, b.closed);
        if (plan_) {
          acct.won_windows |= plan_.bits(b.closed);
        } else if (keep_won_days_) {
          tally_.log_won(at, acct, b.closed);
        }
      }
      accounts_stale_ = true;
    }
    batched_ = 0;
    tallied_count_ = 0;
    with_sums_count_.fill(0);
    account_text_.clear();
  }

  std::string_view account_of(const batched& b) const noexcept {
    return account_text_.view(b.account_at, b.account_size);
  }

  // What add() counts of a deal at once: rows, the probability column's kind, event dates.
  void note_deal(const deal& d) noexcept {
    ++rows_;
    // Any plain value above 1, on any deal, makes the whole column a percentage column (SPEC
    // §1.2); the decision is applied when the totals are reduced.
    if (d.probability_micros && !d.probability_is_percent_cell && *d.probability_micros > 1'000'000)
      probability_above_one_ = true;
    note_event(d.created);
    // An open deal's close date is an expectation, not an event: its created date again.
    note_event(d.status != deal_status::open ? *d.closed : d.created);
  }

  void note_event(date d) noexcept {
    first_day_ = std::min(first_day_, d.days);
    last_day_ = std::max(last_day_, d.days);
  }

  day_series<deal_day> days_;       // settle() writes its cells through the batch's pointers
  mutable cycle_histogram cycles_;  // mutable: see settle()
  mutable account_tally tally_;  // mutable: see settle()
  std::vector<account_tally::two_earliest> wins_;  // with track_wins_only(): adopt_wins
  mutable abmkpi::detail::keyed<account_deals> accounts_;  // built from tally_: build_accounts
  mutable bool accounts_stale_ = false;
  mutable std::array<batched, batch_size> batch_;
  mutable std::size_t batched_ = 0;
  // The batch positions of the deals whose account summary takes them (track_accounts,
  // customers_only), in order: settle() walks these alone, with no test per deal that rows mix
  // at random.
  mutable std::array<std::uint8_t, batch_size> tallied_{};
  mutable std::size_t tallied_count_ = 0;
  // The batch positions of the deals whose sums are applied (batched::sums), by status.
  mutable std::array<std::array<std::uint8_t, batch_size>, 3> with_sums_{};
  mutable std::array<std::size_t, 3> with_sums_count_{};
  mutable abmkpi::detail::batch_text account_text_;  // the batch's account ids
  // The earliest and latest event day; none while first_day_ > last_day_. Plain integers: the
  // min and max of every deal's dates take no branch.
  std::int32_t first_day_ = std::numeric_limits<std::int32_t>::max();
  std::int32_t last_day_ = std::numeric_limits<std::int32_t>::min();
  std::optional<date> requested_from_, requested_to_;  // see set_requested_period
  window_plan plan_;                                    // see plan_windows
  std::int64_t rows_ = 0;
  bool probability_above_one_ = false;
  bool counted_from_sums_ = false;  // see count_from_sums, which fold_sums requires
  bool keep_briefs_ = false;
  bool track_accounts_ = true;
  bool customers_only_ = false;
  bool wins_only_ = false;
  bool sums_from_parts_ = false;
  bool keep_won_days_ = true;
};

}  // namespace abmkpi::engine
