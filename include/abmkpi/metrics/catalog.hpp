// Every KPI key of SPEC §3 with its section, unit, formula and inputs: the single list that the
// report's key order, the `metrics` command, notes and renderers' units all come from.
#pragma once

#include <array>        // std::array
#include <cstdint>      // std::uint8_t
#include <optional>     // std::optional
#include <string_view>  // std::string_view

namespace abmkpi::metrics {

/// Where a KPI is shown in the table and Markdown reports (SPEC §5).
enum class section : std::uint8_t { revenue, relationships, market };

/// How a value is read and shown.
enum class unit : std::uint8_t {
  count,          ///< an integer count (JSON integer)
  money,          ///< report currency
  money_per_day,  ///< pipeline velocity
  rate,           ///< a fraction, shown as a percentage
  days,
  months,
  years,
  ratio,          ///< a plain multiple (ltv_to_cac, roi)
  score,          ///< nps (−100..100)
};

/// The inputs a KPI needs besides deals.
enum class needs : std::uint8_t { deals, accounts, touches, spend, accounts_or_deals };

struct kpi_info {
  std::string_view key;
  section where;
  unit kind;
  needs input;
  std::string_view spec;     ///< SPEC section, e.g. "3.1"
  std::string_view formula;  ///< as SPEC writes it
};

inline constexpr std::array<kpi_info, 66> kpi_catalog{{
    {"deals_won", section::revenue, unit::count, needs::deals, "3.1",
     "|W|: deals won and closed in the period"},
    {"deals_lost", section::revenue, unit::count, needs::deals, "3.1",
     "|L|: deals lost and closed in the period"},
    {"win_rate", section::revenue, unit::rate, needs::deals, "3.1", "|W| / (|W| + |L|)"},
    {"win_rate_ci95_low", section::revenue, unit::rate, needs::deals, "3.1",
     "Wilson score interval, lower end, z = 1.959963984540054"},
    {"win_rate_ci95_high", section::revenue, unit::rate, needs::deals, "3.1",
     "Wilson score interval, upper end"},
    {"win_rate_by_value", section::revenue, unit::rate, needs::deals, "3.1",
     "sum amount(W) / sum amount(W and L)"},
    {"bookings", section::revenue, unit::money, needs::deals, "3.1", "sum amount(W)"},
    {"new_bookings", section::revenue, unit::money, needs::deals, "3.1",
     "sum amount(W) of type new"},
    {"expansion_bookings", section::revenue, unit::money, needs::deals, "3.1",
     "sum amount(W) of type expansion"},
    {"renewal_bookings", section::revenue, unit::money, needs::deals, "3.1",
     "sum amount(W) of type renewal"},
    {"avg_deal_size", section::revenue, unit::money, needs::deals, "3.1", "bookings / |W|"},
    {"acv_total", section::revenue, unit::money, needs::deals, "3.1",
     "sum acv(W), acv = amount x 12 / contract_months"},
    {"acv_avg", section::revenue, unit::money, needs::deals, "3.1", "acv_total / |W|"},
    {"sales_cycle_days_avg", section::revenue, unit::days, needs::deals, "3.1",
     "mean of (close_date - created_date) over W"},
    {"sales_cycle_days_median", section::revenue, unit::days, needs::deals, "3.1",
     "median of (close_date - created_date) over W"},
    {"deals_created", section::revenue, unit::count, needs::deals, "3.1",
     "deals created in the period"},
    {"created_pipeline", section::revenue, unit::money, needs::deals, "3.1",
     "sum amount of deals created in the period"},
    {"open_deals", section::revenue, unit::count, needs::deals, "3.1",
     "deals open at the period's end"},
    {"open_pipeline", section::revenue, unit::money, needs::deals, "3.1",
     "sum amount of deals open at end"},
    {"weighted_pipeline", section::revenue, unit::money, needs::deals, "3.1",
     "sum amount x probability over deals open at end (win_rate when empty or closed after to)"},
    {"pipeline_velocity", section::revenue, unit::money_per_day, needs::deals, "3.1",
     "open_deals x win_rate x avg_deal_size / sales_cycle_days_avg"},
    {"expansion_deals_won", section::revenue, unit::count, needs::deals, "3.1",
     "|W| of type expansion"},
    {"repeat_customer_rate", section::revenue, unit::rate, needs::deals, "3.1",
     "accounts with >= 2 won deals closed by to / accounts with >= 1"},
    {"new_customers", section::relationships, unit::count, needs::accounts_or_deals, "3.2",
     "accounts with from <= customer_since <= to"},
    {"customers_start", section::relationships, unit::count, needs::accounts_or_deals, "3.2",
     "accounts with customer_since < from, not churned before from"},
    {"customers_end", section::relationships, unit::count, needs::accounts_or_deals, "3.2",
     "accounts with customer_since <= to and no churned_on <= to"},
    {"churned_customers", section::relationships, unit::count, needs::accounts_or_deals, "3.2",
     "customers_start accounts with from <= churned_on <= to"},
    {"churn_rate", section::relationships, unit::rate, needs::accounts_or_deals, "3.2",
     "churned_customers / customers_start"},
    {"retention_rate", section::relationships, unit::rate, needs::accounts_or_deals, "3.2",
     "1 - churn_rate"},
    {"churn_rate_annualized", section::relationships, unit::rate, needs::accounts_or_deals, "3.2",
     "1 - (1 - churn_rate)^(365.25 / days)"},
    {"arpa", section::revenue, unit::money, needs::accounts_or_deals, "3.2",
     "mean accounts.arr over customers_end, else acv_total / distinct accounts in W"},
    {"customer_lifetime_years", section::revenue, unit::years, needs::accounts_or_deals, "3.2",
     "1 / churn_rate_annualized, capped at --max-lifetime-years"},
    {"clv", section::revenue, unit::money, needs::accounts_or_deals, "3.2",
     "arpa x gross_margin x customer_lifetime_years"},
    {"cac", section::revenue, unit::money, needs::spend, "3.2",
     "sum spend of category marketing or sales in the period / new_customers"},
    {"cac_fully_loaded", section::revenue, unit::money, needs::spend, "3.2",
     "sum of all spend in the period / new_customers"},
    {"ltv_to_cac", section::revenue, unit::ratio, needs::spend, "3.2", "clv / cac"},
    {"cac_payback_months", section::revenue, unit::months, needs::spend, "3.2",
     "cac / (arpa x gross_margin / 12)"},
    {"universe_accounts", section::market, unit::count, needs::accounts, "3.3",
     "|universe| (accounts, or those with icp_fit >= --icp-min), or --market-accounts"},
    {"target_accounts", section::market, unit::count, needs::accounts, "3.3",
     "accounts with target true"},
    {"tam", section::market, unit::money, needs::accounts, "3.3",
     "sum over universe of (potential when > 0, else acv_avg)"},
    {"market_penetration", section::market, unit::rate, needs::accounts, "3.3",
     "customers_end inside the universe / universe_accounts"},
    {"nps", section::market, unit::score, needs::accounts, "3.3",
     "100 x (promoters (9-10) - detractors (0-6)) / responses"},
    {"touches", section::relationships, unit::count, needs::touches, "3.4",
     "touches in the period"},
    {"engaged_accounts", section::relationships, unit::count, needs::touches, "3.4",
     "distinct accounts with >= 1 engagement touch in the period"},
    {"target_engaged_accounts", section::relationships, unit::count, needs::touches, "3.4",
     "engaged accounts that are target accounts"},
    {"account_engagement_rate", section::relationships, unit::rate, needs::touches, "3.4",
     "target_engaged_accounts / target_accounts"},
    {"mqa_accounts", section::relationships, unit::count, needs::touches, "3.4",
     "accounts with engagement score >= --mqa-threshold"},
    {"email_open_rate", section::relationships, unit::rate, needs::touches, "3.4",
     "email: open / sent"},
    {"email_click_rate", section::relationships, unit::rate, needs::touches, "3.4",
     "email: click / sent"},
    {"email_click_to_open_rate", section::relationships, unit::rate, needs::touches, "3.4",
     "email: click / open"},
    {"email_reply_rate", section::relationships, unit::rate, needs::touches, "3.4",
     "email: reply / sent"},
    {"ad_ctr", section::relationships, unit::rate, needs::touches, "3.4",
     "ad: (click + ad_click) / impression"},
    {"form_fills", section::relationships, unit::count, needs::touches, "3.4", "form_fill touches"},
    {"meetings", section::relationships, unit::count, needs::touches, "3.4", "meeting touches"},
    {"demos", section::relationships, unit::count, needs::touches, "3.4", "demo touches"},
    {"contacts_per_engaged_account", section::relationships, unit::ratio, needs::touches, "3.4",
     "mean distinct contacts on engagement touches per engaged account"},
    {"tofu_touches", section::relationships, unit::count, needs::touches, "3.4",
     "engagement touches with funnel_stage tofu"},
    {"mofu_touches", section::relationships, unit::count, needs::touches, "3.4",
     "engagement touches with funnel_stage mofu"},
    {"bofu_touches", section::relationships, unit::count, needs::touches, "3.4",
     "engagement touches with funnel_stage bofu"},
    {"influenced_deals", section::revenue, unit::count, needs::touches, "3.5",
     "influenced deals created in the period"},
    {"influenced_pipeline", section::revenue, unit::money, needs::touches, "3.5",
     "sum amount of influenced deals created in the period"},
    {"sourced_pipeline", section::revenue, unit::money, needs::touches, "3.5",
     "sum amount of sourced deals created in the period"},
    {"influence_rate", section::revenue, unit::rate, needs::touches, "3.5",
     "influenced_pipeline / created_pipeline"},
    {"influenced_bookings", section::revenue, unit::money, needs::touches, "3.5",
     "sum amount over W of influenced deals"},
    {"marketing_spend", section::revenue, unit::money, needs::spend, "3.5",
     "sum spend of category marketing in the period (abm rows only when an abm column exists)"},
    {"roi", section::revenue, unit::ratio, needs::spend, "3.5",
     "(influenced_bookings x gross_margin - marketing_spend) / marketing_spend"},
}};

/// Which way a KPI moving is good news: what the renderers colour a change (`delta`) or a cohort
/// lift by, green the good way and red the bad way. Neutral where a rise is neither good nor bad by
/// itself: customers_start, the market's size (universe_accounts, target_accounts, tam), activity
/// volumes (touches, tofu/mofu/bofu_touches) and marketing_spend.
enum class better : std::uint8_t {
  neutral,  ///< no colour
  higher,   ///< a rise is good (win_rate, bookings, pipeline, retention_rate, ...)
  lower,    ///< a rise is bad (churn_rate, cac, sales_cycle_days_*, deals_lost, ...)
};

struct kpi_direction {
  std::string_view key;
  better way;
};

/// The good direction of every kpi_catalog key, in catalog order (checked below: a new KPI must
/// be given one here).
inline constexpr std::array<kpi_direction, kpi_catalog.size()> kpi_directions{{
    {"deals_won", better::higher},
    {"deals_lost", better::lower},
    {"win_rate", better::higher},
    {"win_rate_ci95_low", better::higher},
    {"win_rate_ci95_high", better::higher},
    {"win_rate_by_value", better::higher},
    {"bookings", better::higher},
    {"new_bookings", better::higher},
    {"expansion_bookings", better::higher},
    {"renewal_bookings", better::higher},
    {"avg_deal_size", better::higher},
    {"acv_total", better::higher},
    {"acv_avg", better::higher},
    {"sales_cycle_days_avg", better::lower},
    {"sales_cycle_days_median", better::lower},
    {"deals_created", better::higher},
    {"created_pipeline", better::higher},
    {"open_deals", better::higher},
    {"open_pipeline", better::higher},
    {"weighted_pipeline", better::higher},
    {"pipeline_velocity", better::higher},
    {"expansion_deals_won", better::higher},
    {"repeat_customer_rate", better::higher},
    {"new_customers", better::higher},
    {"customers_start", better::neutral},
    {"customers_end", better::higher},
    {"churned_customers", better::lower},
    {"churn_rate", better::lower},
    {"retention_rate", better::higher},
    {"churn_rate_annualized", better::lower},
    {"arpa", better::higher},
    {"customer_lifetime_years", better::higher},
    {"clv", better::higher},
    {"cac", better::lower},
    {"cac_fully_loaded", better::lower},
    {"ltv_to_cac", better::higher},
    {"cac_payback_months", better::lower},
    {"universe_accounts", better::neutral},
    {"target_accounts", better::neutral},
    {"tam", better::neutral},
    {"market_penetration", better::higher},
    {"nps", better::higher},
    {"touches", better::neutral},
    {"engaged_accounts", better::higher},
    {"target_engaged_accounts", better::higher},
    {"account_engagement_rate", better::higher},
    {"mqa_accounts", better::higher},
    {"email_open_rate", better::higher},
    {"email_click_rate", better::higher},
    {"email_click_to_open_rate", better::higher},
    {"email_reply_rate", better::higher},
    {"ad_ctr", better::higher},
    {"form_fills", better::higher},
    {"meetings", better::higher},
    {"demos", better::higher},
    {"contacts_per_engaged_account", better::higher},
    {"tofu_touches", better::neutral},
    {"mofu_touches", better::neutral},
    {"bofu_touches", better::neutral},
    {"influenced_deals", better::higher},
    {"influenced_pipeline", better::higher},
    {"sourced_pipeline", better::higher},
    {"influence_rate", better::higher},
    {"influenced_bookings", better::higher},
    {"marketing_spend", better::neutral},
    {"roi", better::higher},
}};

static_assert(
    [] {
      for (std::size_t i = 0; i < kpi_catalog.size(); ++i)
        if (kpi_directions[i].key != kpi_catalog[i].key) return false;
      return true;
    }(),
    "kpi_directions must list every kpi_catalog key, in catalog order");

/// The good direction of KPI `key`; better::neutral for a key not in the catalog. Does not throw.
constexpr better good_direction(std::string_view key) noexcept {
  for (const auto& d : kpi_directions)
    if (d.key == key) return d.way;
  return better::neutral;
}

/// The catalog entry for `key`, or nullopt.
constexpr std::optional<kpi_info> find_kpi(std::string_view key) noexcept {
  for (const auto& k : kpi_catalog)
    if (k.key == key) return k;
  return std::nullopt;
}

/// Title of a section as the table prints it.
constexpr std::string_view section_title(section s) noexcept {
  switch (s) {
    case section::revenue: return "Revenue";
    case section::relationships: return "Relationships";
    case section::market: return "Market";
  }
  return "";
}

}  // namespace abmkpi::metrics
