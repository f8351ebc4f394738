// §3.2–§3.5 KPIs from their totals: customers and churn, value and acquisition cost, market,
// engagement, influence and return. Pure math; the engine reduces rows to these totals.
#pragma once

#include <algorithm>  // std::min
#include <cmath>      // std::pow
#include <cstdint>    // std::int64_t
#include <optional>   // std::optional

#include "abmkpi/metrics/stats.hpp"

namespace abmkpi::metrics {

/// Inputs of §3.2 for one period.
struct customer_totals {
  std::int64_t new_customers = 0, customers_start = 0, customers_end = 0, churned = 0;
  std::int32_t days = 0;              ///< the period's length
  std::optional<double> arpa;         ///< annual revenue per account (see engine)
  double gross_margin = 1.0;          ///< --gross-margin
  double max_lifetime_years = 10;     ///< --max-lifetime-years
  std::optional<double> spend_marketing_sales;  ///< nullopt without a spend table
  std::optional<double> spend_all;
};

struct customer_kpis {
  std::int64_t new_customers = 0, customers_start = 0, customers_end = 0, churned_customers = 0;
  std::optional<double> churn_rate, retention_rate, churn_rate_annualized, arpa,
      customer_lifetime_years, clv, cac, cac_fully_loaded, ltv_to_cac, cac_payback_months;
};

/// SPEC §3.2. churn_rate is null without customers at the start; the lifetime is the cap when
/// churn is 0; cac is null without spend or without new customers. Does not throw.
inline customer_kpis compute_customer_kpis(const customer_totals& t) noexcept {
  customer_kpis k;
  k.new_customers = t.new_customers;
  k.customers_start = t.customers_start;
  k.customers_end = t.customers_end;
  k.churned_customers = t.churned;
  k.churn_rate = ratio(static_cast<double>(t.churned), static_cast<double>(t.customers_start));
  if (k.churn_rate && t.days > 0) {
    k.retention_rate = 1 - *k.churn_rate;
    k.churn_rate_annualized = 1 - std::pow(1 - *k.churn_rate, 365.25 / t.days);
    k.customer_lifetime_years =
        *k.churn_rate_annualized <= 0
            ? t.max_lifetime_years
            : std::min(1 / *k.churn_rate_annualized, t.max_lifetime_years);
  }
  k.arpa = t.arpa;
  if (k.arpa && k.customer_lifetime_years)
    k.clv = *k.arpa * t.gross_margin * *k.customer_lifetime_years;
  const double new_customers = static_cast<double>(t.new_customers);
  if (t.spend_marketing_sales) k.cac = ratio(*t.spend_marketing_sales, new_customers);
  if (t.spend_all) k.cac_fully_loaded = ratio(*t.spend_all, new_customers);
  k.ltv_to_cac = ratio(k.clv, k.cac);
  if (k.cac && k.arpa) k.cac_payback_months = ratio(*k.cac, *k.arpa * t.gross_margin / 12);
  return k;
}

/// Inputs of §3.3.
struct market_totals {
  std::int64_t universe_accounts = 0;           ///< rows in the universe, or --market-accounts
  std::optional<std::int64_t> target_accounts;  ///< nullopt without a target column
  std::optional<double> tam;                    ///< null when acv_avg is needed and null
  std::int64_t customers_end_in_universe = 0;
  std::int64_t nps_promoters = 0, nps_detractors = 0, nps_responses = 0;
};

struct market_kpis {
  std::int64_t universe_accounts = 0;
  std::optional<double> target_accounts, tam, market_penetration, nps;
};

/// SPEC §3.3. Does not throw.
inline market_kpis compute_market_kpis(const market_totals& t) noexcept {
  market_kpis k;
  k.universe_accounts = t.universe_accounts;
  if (t.target_accounts) k.target_accounts = static_cast<double>(*t.target_accounts);
  k.tam = t.tam;
  k.market_penetration = ratio(static_cast<double>(t.customers_end_in_universe),
                               static_cast<double>(t.universe_accounts));
  if (auto share = ratio(static_cast<double>(t.nps_promoters - t.nps_detractors),
                         static_cast<double>(t.nps_responses)))
    k.nps = 100 * *share;
  return k;
}

/// Inputs of §3.4 beyond the plain counts.
struct engagement_totals {
  std::int64_t touches = 0, engaged_accounts = 0, mqa_accounts = 0, contacts_on_engaged = 0;
  std::optional<std::int64_t> target_engaged_accounts;  ///< nullopt without targets
  std::optional<std::int64_t> target_mqa_accounts;      ///< MQAs that are targets (idem)
  std::optional<std::int64_t> target_accounts;
  std::optional<std::int64_t> universe_accounts;        ///< nullopt without an accounts table
  std::int64_t email_sent = 0, email_open = 0, email_click = 0, email_reply = 0;
  std::int64_t ad_clicks = 0, ad_impressions = 0;
};

struct engagement_kpis {
  std::optional<double> account_engagement_rate, email_open_rate, email_click_rate,
      email_click_to_open_rate, email_reply_rate, ad_ctr, contacts_per_engaged_account;
};

/// SPEC §3.4 rates. account_engagement_rate falls back to engaged / universe when there are
/// no target accounts. Does not throw.
inline engagement_kpis compute_engagement_kpis(const engagement_totals& t) noexcept {
  engagement_kpis k;
  auto d = [](std::int64_t v) { return static_cast<double>(v); };
  if (t.target_accounts && *t.target_accounts > 0 && t.target_engaged_accounts)
    k.account_engagement_rate = ratio(d(*t.target_engaged_accounts), d(*t.target_accounts));
  else if (t.universe_accounts)
    k.account_engagement_rate = ratio(d(t.engaged_accounts), d(*t.universe_accounts));
  k.email_open_rate = ratio(d(t.email_open), d(t.email_sent));
  k.email_click_rate = ratio(d(t.email_click), d(t.email_sent));
  k.email_click_to_open_rate = ratio(d(t.email_click), d(t.email_open));
  k.email_reply_rate = ratio(d(t.email_reply), d(t.email_sent));
  k.ad_ctr = ratio(d(t.ad_clicks), d(t.ad_impressions));
  k.contacts_per_engaged_account = ratio(d(t.contacts_on_engaged), d(t.engaged_accounts));
  return k;
}

/// Inputs of §3.5.
struct influence_totals {
  std::int64_t influenced_deals = 0;
  double influenced_pipeline = 0, sourced_pipeline = 0, influenced_bookings = 0;
  double created_pipeline = 0;
  std::optional<double> marketing_spend;  ///< nullopt without a spend table
  double gross_margin = 1.0;
};

struct influence_kpis {
  std::optional<double> influence_rate, roi;
};

/// SPEC §3.5 rates. Does not throw.
inline influence_kpis compute_influence_kpis(const influence_totals& t) noexcept {
  influence_kpis k;
  k.influence_rate = ratio(t.influenced_pipeline, t.created_pipeline);
  if (t.marketing_spend)
    k.roi = ratio(t.influenced_bookings * t.gross_margin - *t.marketing_spend, *t.marketing_spend);
  return k;
}

}  // namespace abmkpi::metrics
