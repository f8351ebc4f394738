// `abmkpi explain KPI`: one KPI's formula from SPEC §3 with this data's numbers plugged in, e.g.
// `win_rate = deals_won / (deals_won + deals_lost) = 41 / (41 + 96) = 0.2993`. Formatting only:
// the values come from the report (KPIs and the sums behind them, report::terms).
#pragma once

#include <fmt/format.h>

#include <algorithm>    // std::max
#include <cctype>       // std::islower, std::isdigit
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/text.hpp"
#include "abmkpi/metrics/catalog.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/report.hpp"

namespace abmkpi::report {

/// A KPI computed from other values: its expression over KPI keys and report::terms names.
/// KPIs not listed are counts or sums over rows, explained by their catalog formula alone.
struct kpi_expression {
  std::string_view key;
  std::string_view expression;
};

inline constexpr kpi_expression kpi_expressions[] = {
    {"win_rate", "deals_won / (deals_won + deals_lost)"},
    {"bookings", "Σ amount over the deals_won deals won in the period"},
    {"acv_total", "Σ amount × 12 / contract_months over the deals_won deals won in the period"},
    {"created_pipeline", "Σ amount over the deals_created deals created in the period"},
    {"open_pipeline", "Σ amount over the open_deals deals open at the period's end"},
    {"influenced_pipeline",
     "Σ amount over the influenced_deals influenced deals created in the period"},
    {"win_rate_ci95_low", "wilson_low(deals_won, deals_won + deals_lost, z = 1.959963984540054)"},
    {"win_rate_ci95_high", "wilson_high(deals_won, deals_won + deals_lost, z = 1.959963984540054)"},
    {"win_rate_by_value", "bookings / (bookings + lost_amount)"},
    {"avg_deal_size", "bookings / deals_won"},
    {"acv_avg", "acv_total / deals_won"},
    {"sales_cycle_days_avg", "sum_cycle_days / deals_won"},
    {"weighted_pipeline", "weighted_known + win_rate × weighted_unknown_amount"},
    {"pipeline_velocity", "open_deals × win_rate × avg_deal_size / sales_cycle_days_avg"},
    {"repeat_customer_rate", "accounts_with_two_wins / accounts_with_one_win"},
    {"churn_rate", "churned_customers / customers_start"},
    {"retention_rate", "1 - churn_rate"},
    {"churn_rate_annualized", "1 - (1 - churn_rate) ^ (365.25 / days)"},
    {"customer_lifetime_years", "min(1 / churn_rate_annualized, max_lifetime_years)"},
    {"clv", "arpa × gross_margin × customer_lifetime_years"},
    {"cac", "spend_marketing_sales / new_customers"},
    {"cac_fully_loaded", "spend_all / new_customers"},
    {"ltv_to_cac", "clv / cac"},
    {"cac_payback_months", "cac / (arpa × gross_margin / 12)"},
    {"tam", "Σ over universe_accounts of (potential when > 0, else acv_avg)"},
    {"market_penetration", "customers_end_in_universe / universe_accounts"},
    {"nps", "100 × (nps_promoters - nps_detractors) / nps_responses"},
    {"email_open_rate", "email_opens / emails_sent"},
    {"email_click_rate", "email_clicks / emails_sent"},
    {"email_click_to_open_rate", "email_clicks / email_opens"},
    {"email_reply_rate", "email_replies / emails_sent"},
    {"ad_ctr", "ad_clicks / ad_impressions"},
    {"contacts_per_engaged_account", "contacts_on_engaged_accounts / engaged_accounts"},
    {"influence_rate", "influenced_pipeline / created_pipeline"},
    {"roi", "(influenced_bookings × gross_margin - marketing_spend) / marketing_spend"},
};

/// Why a KPI (or cohorts.win_rate_p_value) is null; empty when nothing says.
inline std::string null_reason(const report& r, std::string_view key) {
  const auto it = r.null_reasons.find(key);
  return it == r.null_reasons.end() ? std::string() : it->second;
}

namespace detail {
/// The value an identifier names in `r`: a KPI or a term; nullopt (with found=false) for
/// anything else, such as a function name.
inline std::optional<double> named_value(const report& r, std::string_view name, bool& found) {
  if (const kpi_value* k = r.kpis.find(name)) {
    found = true;
    return k->value;
  }
  const auto t = r.terms.find(name);
  found = t != r.terms.end();
  return found ? std::optional(t->second) : std::nullopt;
}

/// Calls `visit(name)` for each identifier of an expression and `text(piece)` for the rest.
template <class Visit, class Text>
void scan_expression(std::string_view e, Visit visit, Text text) {
  std::size_t i = 0;
  while (i < e.size()) {
    std::size_t j = i;
    while (j < e.size() && (std::islower(static_cast<unsigned char>(e[j])) || e[j] == '_' ||
                            (j > i && std::isdigit(static_cast<unsigned char>(e[j])))))
      ++j;
    if (j > i) {
      visit(e.substr(i, j - i));
      i = j;
    } else {
      text(e.substr(i, 1));
      ++i;
    }
  }
}
}  // namespace detail

/// The explanation of KPI `key` in `r` (a key of the catalog), as lines of text.
inline std::string render_explanation(const report& r, std::string_view key) {
  const kpi_value* k = r.kpis.find(key);
  if (k == nullptr) return {};
  std::string out = fmt::format("{}  (SPEC §{})\n", key, k->info->spec);
  out += fmt::format("  period   {}\n", format_period(r.period));
  out += fmt::format("  formula  {}\n", k->info->formula);
  std::string_view expression;
  for (const auto& e : kpi_expressions)
    if (e.key == key) expression = e.expression;
  // §3.4 falls back to the universe when there are no target accounts.
  if (key == "account_engagement_rate")
    expression = r.get("target_accounts").value_or(0) > 0
                     ? "target_engaged_accounts / target_accounts"
                     : "engaged_accounts / universe_accounts";
  const std::string result =
      k->value ? fmt::format("{}  ({})", format_plain(k->value), format_value(*k, r.currency))
               : "null" + [&] {
                   const std::string why = null_reason(r, key);
                   return why.empty() ? std::string() : ": " + why;
                 }();
  if (expression.empty()) {
    out += fmt::format("\n  {} = {}\n", key, result);
    return out;
  }
  // The inputs, each once, in order of appearance; then the expression with them plugged in.
  std::vector<std::string_view> inputs;
  std::string plugged;
  detail::scan_expression(
      expression,
      [&](std::string_view name) {
        bool found = false;
        const auto v = detail::named_value(r, name, found);
        if (!found) {
          plugged += name;
          return;
        }
        plugged += format_plain(v);
        for (auto seen : inputs)
          if (seen == name) return;
        inputs.push_back(name);
      },
      [&](std::string_view piece) { plugged += piece; });
  out += "\n";
  std::size_t width = 0;
  for (auto name : inputs) width = std::max(width, name.size());
  for (auto name : inputs) {
    bool found = false;
    const auto v = detail::named_value(r, name, found);
    const kpi_value* input = r.kpis.find(name);
    out += fmt::format("  {:<{}}  {}{}\n", name, width, format_plain(v),
                       input && v && input->info->kind != metrics::unit::count
                           ? "  (" + format_value(*input, r.currency) + ")"
                           : std::string());
  }
  const std::string indent(key.size() + 1, ' ');
  out += fmt::format("\n  {} = {}\n  {}= {}\n  {}= {}\n", key, expression, indent, plugged, indent,
                     result);
  return out;
}

}  // namespace abmkpi::report
