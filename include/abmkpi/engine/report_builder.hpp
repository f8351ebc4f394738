// build_report(): the accumulators of an analysis reduced to every KPI of SPEC §3 for one
// period, with a note for every null saying which input or which zero denominator.
// Included by engine/analysis.hpp.
#pragma once

#include <map>     // std::map
#include <set>     // std::set
#include <string>  // std::string
#include <vector>  // std::vector

#include "abmkpi/engine/analysis.hpp"

namespace abmkpi::engine {

namespace detail {
/// Collects why KPIs are null; notes() groups the keys that share a reason into one line.
class null_reasons {
 public:
  void add(std::string_view key, std::string reason) {
    if (seen_.insert(std::string(key)).second) by_reason_[std::move(reason)].emplace_back(key);
  }
  bool has(std::string_view key) const { return seen_.count(std::string(key)) > 0; }
  /// Appends one note per reason, naming the keys that are null in `r`, and records each null
  /// key's reason in `by_key`.
  void write(const report::kpi_set& r, std::vector<std::string>& notes,
             std::map<std::string, std::string, std::less<>>& by_key) const {
    for (const auto& [reason, keys] : by_reason_) {
      std::vector<std::string> null_keys;
      for (const auto& k : keys)
        if (!r.get(k)) {
          null_keys.push_back(k);
          by_key[k] = reason;
        }
      if (!null_keys.empty()) notes.push_back(join(null_keys) + ": " + reason);
    }
  }

 private:
  std::set<std::string> seen_;
  std::map<std::string, std::vector<std::string>> by_reason_;
};

/// The report currency (SPEC §1.3): --currency, else the single currency seen, else none.
inline std::optional<std::string> report_currency(const analysis& a,
                                                  const std::optional<std::string>& requested) {
  if (!a.fx.report_currency.empty()) return a.fx.report_currency;  // amounts were converted
  std::set<std::string> seen;
  for (const auto& s : a.summaries)
    if (s) seen.insert(s->currencies.begin(), s->currencies.end());
  const bool mixed =
      seen.size() > 1 || (requested && seen.size() == 1 && *seen.begin() != *requested);
  if (mixed) {
    std::vector<std::string> all(seen.begin(), seen.end());
    throw parse_error(a.names[0], 0, 0,
                      "amounts in more than one currency (" + join(all) +
                          (requested ? "; report currency " + *requested : std::string()) +
                          "): give --fx FILE (currency,rate) and --currency to convert them");
  }
  if (requested) return requested;
  if (seen.size() == 1) return *seen.begin();
  return std::nullopt;
}

inline std::optional<date> earliest(std::initializer_list<std::optional<date>> ds) {
  std::optional<date> out;
  for (const auto& d : ds)
    if (d && (!out || *d < *out)) out = d;
  return out;
}
inline std::optional<date> latest(std::initializer_list<std::optional<date>> ds) {
  std::optional<date> out;
  for (const auto& d : ds)
    if (d && (!out || *d > *out)) out = d;
  return out;
}

inline std::optional<double> count(std::int64_t v) { return static_cast<double>(v); }
}  // namespace detail

/// The §3.1 KPIs of `deals` for period p, into `out` (the whole report, a cohort or a group).
/// With `terms`, the sums behind the KPIs go there too (for `abmkpi explain`).
inline metrics::deal_kpis fill_deal_kpis(const deal_stats& deals, const period& p,
                                         bool percent_header, report::kpi_set& out,
                                         report::term_map* terms = nullptr) {
  const metrics::deal_totals t = deals.totals(p, percent_header);
  const metrics::deal_kpis k = metrics::compute_deal_kpis(t);
  if (terms) {
    auto& m = *terms;
    m["lost_amount"] = t.lost_amount;
    m["sum_cycle_days"] = static_cast<double>(t.cycle_days_sum);
    m["weighted_known"] = t.weighted_known;
    m["weighted_unknown_amount"] = t.weighted_unknown_amount;
    m["accounts_with_one_win"] = static_cast<double>(t.accounts_with_one_win);
    m["accounts_with_two_wins"] = static_cast<double>(t.accounts_with_two_wins);
  }
  out.set("deals_won", detail::count(k.deals_won));
  out.set("deals_lost", detail::count(k.deals_lost));
  out.set("win_rate", k.win_rate);
  out.set("win_rate_ci95_low", k.win_rate_ci95_low);
  out.set("win_rate_ci95_high", k.win_rate_ci95_high);
  out.set("win_rate_by_value", k.win_rate_by_value);
  out.set("bookings", k.bookings);
  out.set("new_bookings", k.new_bookings);
  out.set("expansion_bookings", k.expansion_bookings);
  out.set("renewal_bookings", k.renewal_bookings);
  out.set("avg_deal_size", k.avg_deal_size);
  out.set("acv_total", k.acv_total);
  out.set("acv_avg", k.acv_avg);
  out.set("sales_cycle_days_avg", k.sales_cycle_days_avg);
  out.set("sales_cycle_days_median", k.sales_cycle_days_median);
  out.set("deals_created", detail::count(k.deals_created));
  out.set("created_pipeline", k.created_pipeline);
  out.set("open_deals", detail::count(k.open_deals));
  out.set("open_pipeline", k.open_pipeline);
  out.set("weighted_pipeline", k.weighted_pipeline);
  out.set("pipeline_velocity", k.pipeline_velocity);
  out.set("expansion_deals_won", detail::count(k.expansion_deals_won));
  out.set("repeat_customer_rate", k.repeat_customer_rate);
  return k;
}

/// The deals' probability column holds percentages (SPEC §1.2). Decided over the whole file: a
/// cohort or group whose own values are all ≤ 1 still reads them as percentages.
inline bool percent_header(const analysis& a) {
  return (a.summaries[0] && a.summaries[0]->percent_header) || a.deals.probability_above_one();
}

/// Every KPI of SPEC §3 for period p into `r`; why a KPI is null into `why`, other notes (which
/// arpa was used) into `notes`, and the sums behind the KPIs into `terms` when given.
inline void fill_kpis(const analysis& a, const analysis_options& opts, const period& p,
                      report::kpi_set& r, detail::null_reasons& why,
                      std::vector<std::string>& notes, report::term_map* terms = nullptr,
                      std::optional<metrics::engagement_totals>* engagement = nullptr) {
  report::term_map unused;
  report::term_map& term = terms ? *terms : unused;
  const bool has_accounts = a.has(io::table_kind::accounts),
             has_touches = a.has(io::table_kind::touches), has_spend = a.has(io::table_kind::spend);
  const metrics::deal_kpis k = fill_deal_kpis(a.deals, p, percent_header(a), r, &term);
  const std::string no_closed = "no deal was won or lost in the period";
  if (!k.win_rate)
    for (const char* key :
         {"win_rate", "win_rate_ci95_low", "win_rate_ci95_high", "win_rate_by_value"})
      why.add(key, no_closed);
  else if (!k.win_rate_by_value)
    why.add("win_rate_by_value", "the won and lost deals of the period sum to 0");
  if (k.deals_won == 0)
    for (const char* key : {"avg_deal_size", "acv_avg", "sales_cycle_days_avg",
                            "sales_cycle_days_median", "pipeline_velocity", "tam"})
      why.add(key, "no deal was won in the period");
  else if (!k.pipeline_velocity)
    why.add("pipeline_velocity", "the average sales cycle is 0 days");
  if (!k.weighted_pipeline)
    why.add("weighted_pipeline", "open deals need the win rate, which is null");
  if (!k.repeat_customer_rate)
    why.add("repeat_customer_rate", "no account has a won deal closed by the period's end");

  // §3.2
  std::string arpa_note;
  const metrics::customer_totals ct =
      reduce_customers(a.deals, has_accounts ? &a.accounts : nullptr,
                       has_spend ? &a.spend : nullptr, p, k.acv_total, opts.abm, arpa_note);
  const metrics::customer_kpis c = metrics::compute_customer_kpis(ct);
  term["days"] = ct.days;
  term["gross_margin"] = ct.gross_margin;
  term["max_lifetime_years"] = ct.max_lifetime_years;
  if (ct.spend_marketing_sales) term["spend_marketing_sales"] = *ct.spend_marketing_sales;
  if (ct.spend_all) term["spend_all"] = *ct.spend_all;
  r.set("new_customers", detail::count(c.new_customers));
  r.set("customers_start", detail::count(c.customers_start));
  r.set("customers_end", detail::count(c.customers_end));
  r.set("churned_customers", detail::count(c.churned_customers));
  r.set("churn_rate", c.churn_rate);
  r.set("retention_rate", c.retention_rate);
  r.set("churn_rate_annualized", c.churn_rate_annualized);
  r.set("arpa", c.arpa);
  r.set("customer_lifetime_years", c.customer_lifetime_years);
  r.set("clv", c.clv);
  r.set("cac", c.cac);
  r.set("cac_fully_loaded", c.cac_fully_loaded);
  r.set("ltv_to_cac", c.ltv_to_cac);
  r.set("cac_payback_months", c.cac_payback_months);
  notes.push_back(arpa_note);
  if (!c.churn_rate)
    for (const char* key : {"churn_rate", "retention_rate", "churn_rate_annualized",
                            "customer_lifetime_years", "clv", "ltv_to_cac"})
      why.add(key, "no customers at the period's start");
  if (!c.arpa)
    for (const char* key : {"arpa", "clv", "ltv_to_cac", "cac_payback_months"})
      why.add(key,
              "arpa has no value: no arr among the customers at the period's end, or no deal won "
              "in it");
  if (has_spend && c.new_customers == 0)
    for (const char* key : {"cac", "cac_fully_loaded", "ltv_to_cac", "cac_payback_months"})
      why.add(key, "no new customers in the period");

  // §3.3
  if (has_accounts) {
    const metrics::market_totals mt = reduce_market(a.deals, a.accounts, p, k.acv_avg, opts.abm);
    const metrics::market_kpis m = metrics::compute_market_kpis(mt);
    term["customers_end_in_universe"] = static_cast<double>(mt.customers_end_in_universe);
    term["nps_promoters"] = static_cast<double>(mt.nps_promoters);
    term["nps_detractors"] = static_cast<double>(mt.nps_detractors);
    term["nps_responses"] = static_cast<double>(mt.nps_responses);
    r.set("universe_accounts", detail::count(m.universe_accounts));
    r.set("target_accounts", m.target_accounts);
    r.set("tam", m.tam);
    r.set("market_penetration", m.market_penetration);
    r.set("nps", m.nps);
    if (!m.target_accounts)
      for (const char* key : {"target_accounts", "target_engaged_accounts"})
        why.add(key, "the accounts table has no target column");
    if (!m.market_penetration) why.add("market_penetration", "the universe has no accounts");
    if (!m.nps) why.add("nps", "no account has an NPS answer");
  }

  // §3.4 and §3.5
  if (has_touches) {
    touch_day counts;
    const metrics::engagement_totals et =
        reduce_engagement(a.touches, has_accounts ? &a.accounts : nullptr, p, opts.abm, counts);
    const metrics::engagement_kpis e = metrics::compute_engagement_kpis(et);
    if (engagement) *engagement = et;
    term["emails_sent"] = static_cast<double>(et.email_sent);
    term["email_opens"] = static_cast<double>(et.email_open);
    term["email_clicks"] = static_cast<double>(et.email_click);
    term["email_replies"] = static_cast<double>(et.email_reply);
    term["ad_clicks"] = static_cast<double>(et.ad_clicks);
    term["ad_impressions"] = static_cast<double>(et.ad_impressions);
    term["contacts_on_engaged_accounts"] = static_cast<double>(et.contacts_on_engaged);
    r.set("touches", detail::count(et.touches));
    r.set("engaged_accounts", detail::count(et.engaged_accounts));
    if (et.target_engaged_accounts)
      r.set("target_engaged_accounts", detail::count(*et.target_engaged_accounts));
    r.set("account_engagement_rate", e.account_engagement_rate);
    r.set("mqa_accounts", detail::count(et.mqa_accounts));
    r.set("email_open_rate", e.email_open_rate);
    r.set("email_click_rate", e.email_click_rate);
    r.set("email_click_to_open_rate", e.email_click_to_open_rate);
    r.set("email_reply_rate", e.email_reply_rate);
    r.set("ad_ctr", e.ad_ctr);
    r.set("form_fills", detail::count(counts.form_fills));
    r.set("meetings", detail::count(counts.meetings));
    r.set("demos", detail::count(counts.demos));
    r.set("contacts_per_engaged_account", e.contacts_per_engaged_account);
    r.set("tofu_touches", detail::count(counts.tofu));
    r.set("mofu_touches", detail::count(counts.mofu));
    r.set("bofu_touches", detail::count(counts.bofu));
    if (!has_accounts) why.add("target_engaged_accounts", "needs an accounts table (--accounts)");
    if (!e.account_engagement_rate)
      why.add("account_engagement_rate", has_accounts ? "no target accounts and an empty universe"
                                                      : "needs an accounts table (--accounts)");
    for (const char* key : {"email_open_rate", "email_click_rate", "email_reply_rate"})
      if (!r.get(key)) why.add(key, "no email was sent in the period");
    if (!e.email_click_to_open_rate)
      why.add("email_click_to_open_rate", "no email was opened in the period");
    if (!e.ad_ctr) why.add("ad_ctr", "no ad impression in the period");
    if (!e.contacts_per_engaged_account)
      why.add("contacts_per_engaged_account", "no engaged account in the period");

    const metrics::influence_totals it = reduce_influence(
        a.deals, a.touches, has_spend ? &a.spend : nullptr, p, k.created_pipeline, opts.abm);
    const metrics::influence_kpis inf = metrics::compute_influence_kpis(it);
    r.set("influenced_deals", detail::count(it.influenced_deals));
    r.set("influenced_pipeline", it.influenced_pipeline);
    r.set("sourced_pipeline", it.sourced_pipeline);
    r.set("influence_rate", inf.influence_rate);
    r.set("influenced_bookings", it.influenced_bookings);
    r.set("roi", inf.roi);
    if (!inf.influence_rate) why.add("influence_rate", "no pipeline was created in the period");
    if (has_spend && !inf.roi) why.add("roi", "no marketing spend in the period");
  }
  if (has_spend) {
    const spend_day s = a.spend.totals(p);
    r.set("marketing_spend", to_currency(a.spend.has_abm ? s.marketing_abm : s.marketing));
  }
}

namespace detail {
/// repeat_customer_rate of subsets that hold whole accounts (cohorts, groups by account columns),
/// from the totals' per-account summaries: accounts with ≥ 2 won deals closed by `to` over
/// those with ≥ 1, per subset. `subset_of(id, info)` names an account's subset.
template <class Key, class SubsetOf>
std::map<Key, std::optional<double>> repeat_rates(const analysis& a, const period& p,
                                                  SubsetOf subset_of) {
  std::map<Key, std::pair<std::int64_t, std::int64_t>> counts;  // (one win, two wins)
  a.deals.accounts().for_each([&](const std::string& id, const account_deals& d) {
    if (!d.first_won || *d.first_won > p.to) return;
    auto& c = counts[subset_of(id, a.accounts.find(id))];
    ++c.first;
    c.second += d.second_won && *d.second_won <= p.to;
  });
  std::map<Key, std::optional<double>> out;
  for (const auto& [key, c] : counts)
    out[key] = metrics::ratio(static_cast<double>(c.second), static_cast<double>(c.first));
  return out;
}
}  // namespace detail

/// Target against non-target cohorts for period p (SPEC §4).
inline report::cohort_report build_cohorts(const analysis& a, const period& p) {
  report::cohort_report c;
  const metrics::deal_kpis t = fill_deal_kpis(a.splits.target(), p, percent_header(a), c.target);
  const metrics::deal_kpis n =
      fill_deal_kpis(a.splits.non_target(), p, percent_header(a), c.non_target);
  const auto repeat = detail::repeat_rates<bool>(
      a, p, [](const std::string&, const account_info* info) { return info && info->target; });
  c.target.set("repeat_customer_rate", repeat.count(true) ? repeat.at(true) : std::nullopt);
  c.non_target.set("repeat_customer_rate", repeat.count(false) ? repeat.at(false) : std::nullopt);
  for (std::size_t i = 0; i < report::lift_keys.size(); ++i)
    c.lift[i] =
        metrics::ratio(c.target.get(report::lift_keys[i]), c.non_target.get(report::lift_keys[i]));
  c.win_rate_p_value = metrics::two_proportion_p_value(
      static_cast<double>(t.deals_won), static_cast<double>(t.deals_won + t.deals_lost),
      static_cast<double>(n.deals_won), static_cast<double>(n.deals_won + n.deals_lost));
  return c;
}

/// The funnel of target accounts in period p (docs/decisions.md, "HTML report"). Each stage
/// counts target accounts on its own; `engagement` is nullopt without touches. "opportunity"
/// reads the flag set against the requested bounds during the pass, so `a` must come from
/// load() with the same options' period as p was resolved from.
inline report::funnel_counts build_funnel(
    const analysis& a, const period& p,
    const std::optional<metrics::engagement_totals>& engagement) {
  report::funnel_counts f;
  a.accounts.all().for_each(
      [&](const std::string&, const account_info& info) { f.target += info.target; });
  if (engagement) {
    f.engaged = engagement->target_engaged_accounts.value_or(0);
    f.mqa = engagement->target_mqa_accounts.value_or(0);
  }
  const deal_stats::won_test won = a.deals.won_in(p);
  a.deals.accounts().for_each([&](const std::string& id, const account_deals& d) {
    const account_info* info = a.accounts.find(id);
    if (!info || !info->target) return;  // unknown accounts are not targets (SPEC §4)
    f.opportunity += d.created_in_period;
    f.won += won(d);
  });
  return f;
}

/// current − previous for every key; null when either side is (SPEC §4).
inline report::kpi_set kpi_delta(const report::kpi_set& current, const report::kpi_set& previous) {
  report::kpi_set d;
  for (const auto& k : current) {
    const auto before = previous.get(k.info->key);
    d.set(k.info->key, k.value && before ? std::optional(*k.value - *before) : std::nullopt);
  }
  return d;
}

inline report::report build_report(const analysis& a, const analysis_options& opts,
                                   const io::diagnostics& diag) {
  using io::table_kind;
  report::report r;
  r.currency = detail::report_currency(a, opts.currency);
  for (auto t : {table_kind::deals, table_kind::accounts, table_kind::touches, table_kind::spend}) {
    const auto& s = a.summaries[detail::at(t)];
    if (!s) continue;
    r.inputs[detail::at(t)] = report::table_counts{s->rows, s->rejected};
    r.input_names[detail::at(t)] = a.names[detail::at(t)];
  }
  r.notes = diag.notes();
  const bool has_accounts = a.has(table_kind::accounts), has_touches = a.has(table_kind::touches),
             has_spend = a.has(table_kind::spend);
  r.period = resolve_period(
      opts.period,
      detail::earliest({a.deals.first_event(), a.touches.first_event(), a.spend.first_event()}),
      detail::latest({a.deals.last_event(), a.touches.last_event(), a.spend.last_event()}));
  detail::null_reasons why;
  using metrics::needs;
  auto unavailable = [&](needs n, const char* reason) {
    for (const auto& k : metrics::kpi_catalog)
      if (k.input == n) why.add(k.key, reason);
    r.kpis.mark_unavailable(n);
  };
  if (!has_accounts) unavailable(needs::accounts, "need an accounts table (--accounts)");
  if (!has_touches) {
    unavailable(needs::touches, "need a touches table (--touches)");
    why.add("roi", "needs a touches table (--touches) for influenced_bookings");
    r.kpis.mark_unavailable_key("roi");
  }
  if (!has_spend) {
    for (const char* k : {"cac", "cac_fully_loaded", "ltv_to_cac", "cac_payback_months",
                          "marketing_spend", "roi"})
      why.add(k, "need a spend table (--spend)");
    r.kpis.mark_unavailable(needs::spend);
  }
  if (!r.period) {
    r.notes.push_back("period: the inputs hold no dates and no --from/--to was given");
    why.write(r.kpis, r.notes, r.null_reasons);
    return r;
  }
  const period p = *r.period;
  std::optional<metrics::engagement_totals> engagement;
  fill_kpis(a, opts, p, r.kpis, why, r.notes, &r.terms, &engagement);
  for (const month_money& m : a.deals.monthly(p))
    r.months.push_back({m.span, to_currency(m.created_amount), to_currency(m.won_amount)});
  if (has_accounts && a.accounts.has_target) r.funnel = build_funnel(a, p, engagement);
  // A safety net: every null KPI gets a reason.
  for (const auto& kv : r.kpis)
    if (!kv.value && !why.has(kv.info->key))
      why.add(kv.info->key, "not computable (a zero denominator)");
  why.write(r.kpis, r.notes, r.null_reasons);
  if (a.cohorts) {
    r.cohorts = build_cohorts(a, p);
    if (!r.cohorts->win_rate_p_value) {
      const std::string why_p =
          "needs won or lost deals in both cohorts, and not all of them won or all lost";
      r.notes.push_back("cohorts.win_rate_p_value: " + why_p);
      r.null_reasons["cohorts.win_rate_p_value"] = why_p;
    }
  } else if (a.has(table_kind::accounts) && a.accounts.has_target) {
    r.notes.push_back("cohorts: not computed: standard input held the accounts after the deals "
                      "(give the JSON bundle as a file, or put its accounts first)");
  }
  r.group_by = opts.by;
  std::map<deal_splits::group_key, std::optional<double>> account_repeat;
  if (a.splits.account_groups())
    account_repeat = detail::repeat_rates<deal_splits::group_key>(
        a, p, [&](const std::string&, const account_info* info) {
          deal_splits::group_key key;
          for (std::size_t i = 0; i < opts.by.size(); ++i) {
            const std::string value = info && i < info->dims.size() ? info->dims[i] : std::string();
            key.push_back(value.empty() ? std::string(none_group) : value);
          }
          return key;
        });
  for (const auto& [values, stats] : a.splits.groups()) {
    report::group_report g;
    g.values = values;
    fill_deal_kpis(stats, p, percent_header(a), g.kpis);
    if (a.splits.account_groups()) {
      const auto it = account_repeat.find(values);
      g.kpis.set("repeat_customer_rate", it == account_repeat.end() ? std::nullopt : it->second);
    }
    r.groups.push_back(std::move(g));
  }
  if (opts.compare_previous) {
    r.previous_period = previous_period(p, opts.period.kind);
    report::kpi_set previous = r.kpis;  // the same availability, no value yet
    previous.clear_values();
    detail::null_reasons unused_reasons;
    std::vector<std::string> unused_notes;
    fill_kpis(a, opts, *r.previous_period, previous, unused_reasons, unused_notes);
    r.delta = kpi_delta(r.kpis, previous);
    r.previous = std::move(previous);
  }
  return r;
}

}  // namespace abmkpi::engine
