// The CSV report (SPEC §5): `section,kpi,value` rows for spreadsheets, with the formula-injection
// guard on every text cell.
#pragma once

#include <fmt/format.h>

#include <string>       // std::string
#include <string_view>  // std::string_view

#include "abmkpi/report/report.hpp"

namespace abmkpi::report {

/// A text cell for a spreadsheet: a leading `=`, `+`, `-`, `@`, TAB or CR gets a `'` in front so
/// that the spreadsheet shows it instead of running it; then RFC 4180 quoting when needed.
/// Numbers are written by csv_number and never pass through here, so `-5` stays a number.
inline std::string csv_text(std::string_view text) {
  std::string cell;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    cell += '\'';
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

/// A number in full round-trip precision, or an empty cell for null.
inline std::string csv_number(const kpi_value& k) {
  if (!k.value) return "";
  if (k.info->kind == metrics::unit::count)
    return fmt::format("{}", static_cast<long long>(*k.value));
  return fmt::format("{}", *k.value);
}

/// A plain number in full round-trip precision, or an empty cell for null.
inline std::string csv_number(const std::optional<double>& v) {
  return v ? fmt::format("{}", *v) : std::string();
}

/// The report as CSV: header `section,kpi,value`; report metadata rows (section `report`), one
/// row per KPI (all of them, null as an empty value), one per note (section `notes`), then the
/// comparisons of SPEC §4 under the JSON paths as sections: `cohorts.target`,
/// `cohorts.non_target`, `cohorts.lift`, `cohorts` (win_rate_p_value), `groups.<value>` (several
/// --by values joined by " / "), `previous` and `delta`.
inline std::string render_csv(const report& r) {
  std::string out = "section,kpi,value\r\n";
  auto row = [&](std::string_view section, std::string_view key, const std::string& value) {
    out += csv_text(section) + "," + csv_text(key) + "," + value + "\r\n";
  };
  row("report", "period_from", r.period ? to_iso(r.period->from) : "");
  row("report", "period_to", r.period ? to_iso(r.period->to) : "");
  row("report", "period_days", r.period ? std::to_string(r.period->days()) : "");
  row("report", "currency", r.currency ? csv_text(*r.currency) : "");
  for (const auto& k : r.kpis)
    row(metrics::section_title(k.info->where), k.info->key, csv_number(k));
  for (const auto& n : r.notes) row("notes", "note", csv_text(n));
  const auto rows = [&](std::string_view section, const kpi_set& set) {
    for (const auto& k : set) row(section, k.info->key, csv_number(k));
  };
  if (r.cohorts) {
    rows("cohorts.target", r.cohorts->target);
    rows("cohorts.non_target", r.cohorts->non_target);
    for (std::size_t i = 0; i < lift_keys.size(); ++i)
      row("cohorts.lift", lift_keys[i], csv_number(r.cohorts->lift[i]));
    row("cohorts", "win_rate_p_value", csv_number(r.cohorts->win_rate_p_value));
  }
  for (const auto& g : r.groups) rows("groups." + g.key(), g.kpis);
  if (r.previous) rows("previous", *r.previous);
  if (r.delta) rows("delta", *r.delta);
  return out;
}

}  // namespace abmkpi::report
