// Reductions of the accumulators to the §3.2–§3.5 totals of one period: the per-account joins
// between deals, accounts, touches and spend.
#pragma once

#include <algorithm>      // std::min
#include <cstdint>        // std::int64_t
#include <optional>       // std::optional
#include <string>         // std::string

#include "abmkpi/engine/account_book.hpp"
#include "abmkpi/engine/deal_stats.hpp"
#include "abmkpi/engine/touch_stats.hpp"
#include "abmkpi/metrics/abm.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// Options of the §3.2–§3.5 KPIs.
struct abm_options {
  double gross_margin = 1.0;           ///< --gross-margin
  double max_lifetime_years = 10;      ///< --max-lifetime-years
  std::optional<double> icp_min;       ///< --icp-min
  std::optional<std::int64_t> market_accounts;  ///< --market-accounts
  double mqa_threshold = 50;           ///< --mqa-threshold
  std::int32_t influence_window_days = 90;  ///< --influence-window
};

/// An account's customer dates (SPEC §3.2): the accounts table's when given, else from deals.
struct customer_dates {
  std::optional<date> since, churned;
};

inline customer_dates customer_dates_of(const account_deals* deals, const account_info* info) {
  customer_dates c;
  if (info && info->customer_since) c.since = info->customer_since;
  else if (deals && deals->first_won) c.since = deals->first_won;
  if (info && info->churned_on) {
    c.churned = info->churned_on;
  } else if (deals && deals->last_lost_renewal &&
             (!deals->last_won || *deals->last_lost_renewal > *deals->last_won)) {
    c.churned = deals->last_lost_renewal;  // a lost renewal after all its wins
  }
  return c;
}

/// Calls fn(id, customer_dates) for every account known to the deals or the accounts table.
template <class Fn>
void for_each_customer(const deal_stats& deals, const account_book* book, Fn&& fn) {
  deals.accounts().for_each([&](const std::string& id, const account_deals& d) {
    fn(id, customer_dates_of(&d, book ? book->find(id) : nullptr));
  });
  if (!book) return;
  book->all().for_each([&](const std::string& id, const account_info& info) {
    if (!deals.accounts().find(id)) fn(id, customer_dates_of(nullptr, &info));
  });
}

inline bool is_customer_at_end(const customer_dates& c, const period& p) {
  return c.since && *c.since <= p.to && (!c.churned || *c.churned > p.to);
}

/// The universe (SPEC §3.3): every account row, or those with icp_fit ≥ --icp-min.
inline bool in_universe(const account_info& a, const abm_options& o) {
  return !o.icp_min || (a.icp_fit && *a.icp_fit >= *o.icp_min);
}

/// §3.2 totals. `arpa_note` says which definition of arpa applied.
inline metrics::customer_totals reduce_customers(const deal_stats& deals, const account_book* book,
                                                 const spend_stats* spend, const period& p,
                                                 double acv_total, const abm_options& o,
                                                 std::string& arpa_note) {
  metrics::customer_totals t;
  t.days = p.days();
  t.gross_margin = o.gross_margin;
  t.max_lifetime_years = o.max_lifetime_years;
  money_sum arr_sum = 0;
  std::int64_t arr_count = 0;
  for_each_customer(deals, book, [&](const std::string& id, const customer_dates& c) {
    if (!c.since) return;
    if (p.contains(*c.since)) ++t.new_customers;
    const bool at_start = *c.since < p.from && (!c.churned || *c.churned >= p.from);
    if (at_start) ++t.customers_start;
    if (at_start && c.churned && p.contains(*c.churned)) ++t.churned;
    if (is_customer_at_end(c, p)) {
      ++t.customers_end;
      if (const account_info* info = book ? book->find(id) : nullptr; info && info->arr) {
        arr_sum += *info->arr;
        ++arr_count;
      }
    }
  });
  if (book && book->has_arr) {
    arpa_note = "arpa: mean accounts.arr over the customers at the period's end";
    if (arr_count > 0) t.arpa = to_currency(arr_sum) / static_cast<double>(arr_count);
  } else {
    arpa_note = "arpa: no arr column, so acv_total / accounts with a deal won in the period";
    t.arpa = metrics::ratio(acv_total, static_cast<double>(deals.accounts_won_in(p)));
  }
  if (spend) {
    const spend_day s = spend->totals(p);
    t.spend_marketing_sales = to_currency(s.marketing + s.sales);
    t.spend_all = to_currency(s.marketing + s.sales + s.other);
  }
  return t;
}

/// §3.3 totals (needs the accounts table).
inline metrics::market_totals reduce_market(const deal_stats& deals, const account_book& book,
                                            const period& p, std::optional<double> acv_avg,
                                            const abm_options& o) {
  metrics::market_totals t;
  std::int64_t universe = 0, targets = 0;
  money_sum potential = 0;
  std::int64_t needs_acv = 0;
  book.all().for_each([&](const std::string& id, const account_info& a) {
    targets += a.target;
    if (a.nps) {
      ++t.nps_responses;
      t.nps_promoters += *a.nps >= 9;
      t.nps_detractors += *a.nps <= 6;
    }
    if (!in_universe(a, o)) return;
    ++universe;
    if (a.potential && *a.potential > 0) potential += *a.potential;
    else ++needs_acv;
    if (is_customer_at_end(customer_dates_of(deals.accounts().find(id), &a), p))
      ++t.customers_end_in_universe;
  });
  if (book.has_target) t.target_accounts = targets;
  if (o.market_accounts) {
    t.universe_accounts = *o.market_accounts;
    if (acv_avg) t.tam = static_cast<double>(*o.market_accounts) * *acv_avg;
  } else {
    t.universe_accounts = universe;
    if (needs_acv == 0) t.tam = to_currency(potential);
    else if (acv_avg) t.tam = to_currency(potential) + static_cast<double>(needs_acv) * *acv_avg;
  }
  return t;
}

/// §3.4 totals and the plain counts.
inline metrics::engagement_totals reduce_engagement(const touch_stats& touches,
                                                    const account_book* book, const period& p,
                                                    const abm_options& o, touch_day& counts) {
  metrics::engagement_totals t;
  counts = touches.totals(p);
  t.touches = counts.touches;
  t.email_sent = counts.email_sent, t.email_open = counts.email_open;
  t.email_click = counts.email_click, t.email_reply = counts.email_reply;
  t.ad_clicks = counts.ad_clicks, t.ad_impressions = counts.ad_impressions;
  std::int64_t target_engaged = 0, target_mqa = 0;
  const auto threshold = static_cast<std::int64_t>(o.mqa_threshold * score_scale);
  const touch_stats::period_view view = touches.over(p);
  touches.accounts().for_each([&](const std::string& id, const account_engagement& a) {
    if (!a.any_between(p.from, p.to)) return;
    ++t.engaged_accounts;
    const bool mqa = view.score(a) >= threshold;
    t.mqa_accounts += mqa;
    const account_info* info = book ? book->find(id) : nullptr;
    target_engaged += info && info->target;
    target_mqa += info && info->target && mqa;  // the HTML funnel's MQA stage
    // Each of the account's contacts is a distinct contact: count those engaged in the period.
    for (const std::uint32_t pair : a.contacts)
      t.contacts_on_engaged += view.contact_engaged(pair);
  });
  if (book) {
    std::int64_t universe = 0, targets = 0;
    book->all().for_each([&](const std::string&, const account_info& a) {
      universe += in_universe(a, o);
      targets += a.target;
    });
    t.universe_accounts = o.market_accounts ? *o.market_accounts : universe;
    if (book->has_target) {
      t.target_accounts = targets;
      t.target_engaged_accounts = target_engaged;
      t.target_mqa_accounts = target_mqa;
    }
  }
  return t;
}

/// §3.5 totals: every deal brief against its account's engagement days (of any date).
inline metrics::influence_totals reduce_influence(const deal_stats& deals,
                                                  const touch_stats& touches,
                                                  const spend_stats* spend, const period& p,
                                                  double created_pipeline, const abm_options& o) {
  metrics::influence_totals t;
  t.created_pipeline = created_pipeline;
  t.gross_margin = o.gross_margin;
  money_sum influenced = 0, sourced = 0, bookings = 0;
  const std::int32_t w = o.influence_window_days;
  deals.accounts().for_each([&](const std::string& id, const account_deals& a) {
    const account_engagement* e = touches.accounts().find(id);
    if (!e) return;
    for (const deal_brief& b : a.briefs) {
      const date start{b.created - w};
      // The window ends at the close date, or at `to` when the deal is open or closes later.
      const bool closed = b.status != deal_status::open;
      const date end{closed ? std::min(b.closed, p.to.days) : p.to.days};
      const bool is_influenced = e->any_between(start, end);
      if (p.contains(date{b.created})) {
        if (is_influenced) {
          ++t.influenced_deals;
          influenced += b.amount;
        }
        if (e->any_between(start, date{b.created})) sourced += b.amount;
      }
      if (b.status == deal_status::won && p.contains(date{b.closed}) && is_influenced)
        bookings += b.amount;
    }
  });
  t.influenced_pipeline = to_currency(influenced);
  t.sourced_pipeline = to_currency(sourced);
  t.influenced_bookings = to_currency(bookings);
  if (spend) {
    const spend_day s = spend->totals(p);
    t.marketing_spend = to_currency(spend->has_abm ? s.marketing_abm : s.marketing);
  }
  return t;
}

}  // namespace abmkpi::engine
