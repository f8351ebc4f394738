// Number and text formatting shared by the human-readable renderers (table, Markdown).
#pragma once

#include <fmt/format.h>

#include <cmath>        // std::fabs, std::floor
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "abmkpi/metrics/catalog.hpp"
#include "abmkpi/report/report.hpp"

namespace abmkpi::report {

/// `1234567.891` with `decimals` digits → `1,234,567.89`. Does not use the locale.
inline std::string group_thousands(double v, int decimals) {
  std::string digits = fmt::format("{:.{}f}", std::fabs(v), decimals);
  const std::size_t dot = digits.find('.');
  const std::size_t int_len = dot == std::string::npos ? digits.size() : dot;
  std::string out;
  // "-0.00" would read as a negative number; print it as 0.
  const bool negative = v < 0 && digits.find_first_not_of("0.") != std::string::npos;
  if (negative) out += '-';
  for (std::size_t i = 0; i < int_len; ++i) {
    if (i > 0 && (int_len - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  out.append(digits, int_len, std::string::npos);
  return out;
}

/// A KPI value with its unit, e.g. `278,000.00 USD`, `66.67 %`, `72.5 days`; `n/a` for null.
inline std::string format_value(const kpi_value& k, const std::optional<std::string>& currency) {
  if (!k.value) return "n/a";
  const double v = *k.value;
  const std::string cur = currency ? " " + *currency : std::string();
  switch (k.info->kind) {
    case metrics::unit::count: return group_thousands(v, 0);
    case metrics::unit::money: return group_thousands(v, 2) + cur;
    case metrics::unit::money_per_day: return group_thousands(v, 2) + cur + "/day";
    case metrics::unit::rate: return fmt::format("{:.2f} %", v * 100);
    case metrics::unit::days: return group_thousands(v, 1) + " days";
    case metrics::unit::months: return group_thousands(v, 1) + " months";
    case metrics::unit::years: return fmt::format("{:.2f} years", v);
    case metrics::unit::ratio: return group_thousands(v, 2);
    case metrics::unit::score: return fmt::format("{:.1f}", v);
  }
  return fmt::format("{}", v);
}

/// A number without unit or grouping, as a person checks it: integers whole (`41`), others with
/// up to 4 decimals and no trailing zeros (`0.2993`, `1876732.49`); `null` for null.
inline std::string format_plain(const std::optional<double>& v) {
  if (!v) return "null";
  if (std::fabs(*v) < 9e15 && *v == std::floor(*v))
    return fmt::format("{}", static_cast<long long>(*v));
  std::string text = fmt::format("{:.4f}", *v);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

/// `2024-01-01 .. 2024-12-31 (366 days)`, or `none` without a period.
inline std::string format_period(const std::optional<abmkpi::period>& p) {
  if (!p) return "none";
  return fmt::format("{} .. {} ({} days)", to_iso(p->from), to_iso(p->to), p->days());
}

}  // namespace abmkpi::report
