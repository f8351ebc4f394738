// The report as one self-contained HTML page (issue 7): the charts of report/svg.hpp and every
// KPI table the terminal shows, formatted as it formats them (format.hpp, grid.hpp). Nothing is
// loaded from anywhere: no script, no stylesheet, font or image file, and a Content Security
// Policy that would block them if input text ever smuggled one in. Every input text is escaped.
// The page holds no date or time of its own, so the same report gives the same bytes.
#pragma once

#include <fmt/format.h>

#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/io/rows.hpp"
#include "abmkpi/metrics/catalog.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/grid.hpp"
#include "abmkpi/report/report.hpp"
#include "abmkpi/report/svg.hpp"
#include "abmkpi/version.hpp"

namespace abmkpi::report {

namespace detail {
// Light, quiet and readable on screen and paper; system fonts only (nothing to load).
inline constexpr std::string_view html_style = R"(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7fa; color: #1f2933;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 24px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; }
h3 { font-size: 15px; margin: 0 0 2px; }
header.report, .tile, figure.chart, .card, ul.notes {
  background: #fff; border: 1px solid #e1e6eb; border-radius: 10px; }
header.report { padding: 18px 20px; }
header.report dl {
  display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 10px 0 0; }
header.report dt { color: #616e7c; }
header.report dd { margin: 0; }
.tiles {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 12px;
  margin-top: 16px; }
.tile { padding: 12px 16px; }
.tile .name { color: #616e7c; font-size: 12px; }
.tile .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .change { color: #616e7c; font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure.chart { margin: 0; padding: 14px 16px; }
figcaption p { margin: 0 0 8px; color: #52606d; font-size: 12.5px; }
.chart-svg { display: block; width: 100%; height: auto; }
.chart-svg text { fill: #3e4c59; font-size: 11px; }
.chart-svg .label { fill: #1f2933; font-size: 12px; }
.chart-svg .heading { font-weight: 600; }
.chart-svg .value { fill: #1f2933; }
.chart-svg .small { font-size: 10px; }
.chart-svg .muted { fill: #7b8794; font-style: italic; }
.chart-svg .axis-title { fill: #616e7c; font-size: 11px; }
.chart-svg .on-bar { fill: #fff; font-weight: 600; }
.no-data { color: #7b8794; font-style: italic; text-align: center; padding: 40px 0; margin: 0; }
details { margin-top: 8px; font-size: 12.5px; }
summary { cursor: pointer; color: #52606d; }
.card { padding: 4px 0; overflow-x: auto; }
table.kpis { border-collapse: collapse; width: 100%; }
table.kpis th, table.kpis td {
  padding: 5px 14px; border-bottom: 1px solid #edf0f3; text-align: left; vertical-align: baseline; }
table.kpis thead th { color: #52606d; font-weight: 600; border-bottom: 1px solid #d9e0e7; }
table.kpis tbody tr:last-child > * { border-bottom: 0; }
table.kpis tbody tr:nth-child(even) { background: #fafbfc; }
table.kpis .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kpis tbody th {
  font-weight: 500; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
p.verdict { margin: 10px 0 0; }
ul.notes { margin: 0; padding: 12px 16px 12px 34px; }
footer { margin-top: 32px; color: #7b8794; font-size: 12px; }
@media print {
  body { background: #fff; }
  .charts { grid-template-columns: 1fr; }
  figure.chart, .card { break-inside: avoid; } }
)";

/// A grid (grid.hpp) as an HTML table; its cells are escaped here. Left columns are row headers;
/// with `formulas`, a first cell that is a KPI key gets the key's formula as its tooltip.
inline std::string html_table(const grid& g, bool formulas = false) {
  std::string out = "<div class=\"card\"><table class=\"kpis\">\n<thead><tr>";
  for (std::size_t c = 0; c < g.heading.size(); ++c)
    out +=
        fmt::format("<th{}>{}</th>", c < g.left ? "" : " class=\"num\"", html_escape(g.heading[c]));
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : g.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      std::string tip;
      if (formulas && c == 0)
        if (const auto info = metrics::find_kpi(row[c]))
          tip = " title=\"" + html_escape(info->formula) + "\"";
      out += c < g.left ? fmt::format("<th scope=\"row\"{}>{}</th>", tip, html_escape(row[c]))
                        : fmt::format("<td class=\"num\">{}</td>", html_escape(row[c]));
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

/// The KPIs of one section as the terminal shows them: key and value, or with --compare
/// previous current, previous and change; the key's formula as its tooltip. Empty when the
/// section has no available KPI.
inline std::string html_section(const report& r, metrics::section s) {
  grid g;
  if (r.previous) {
    g = previous_grid(r, s);
  } else {
    g.heading = {"", "value"};
    for (const auto& k : r.kpis)
      if (k.info->where == s && k.available)
        g.rows.push_back({std::string(k.info->key), format_value(k, r.currency)});
  }
  if (g.rows.empty()) return {};
  return fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n", metrics::section_title(s),
                     metrics::section_title(s), html_table(g, true));
}

/// The headline numbers: a tile each, with the change on the previous period when compared.
inline std::string html_tiles(const report& r) {
  std::string out = "<section class=\"tiles\" aria-label=\"Headline KPIs\">\n";
  for (std::string_view key : {"bookings", "win_rate", "created_pipeline", "open_pipeline"}) {
    const kpi_value* k = r.kpis.find(key);
    if (!k) continue;
    std::string change;
    if (r.delta)
      if (const kpi_value* d = r.delta->find(key))
        change = "<div class=\"change\">" + html_escape(format_change(*d, r.currency)) +
                 " on the previous period</div>";
    out += fmt::format(
        "<div class=\"tile\"><div class=\"name\">{}</div><div class=\"value\">{}"
        "</div>{}</div>\n",
        key, html_escape(format_value(*k, r.currency)), change);
  }
  return out + "</section>\n";
}

/// Where the numbers come from: inputs, period, currency.
inline std::string html_header(const report& r) {
  std::string inputs;
  for (auto t : {io::table_kind::deals, io::table_kind::accounts, io::table_kind::touches,
                 io::table_kind::spend}) {
    const auto i = static_cast<std::size_t>(t);
    if (!r.inputs[i]) continue;
    inputs += fmt::format("<dt>{}</dt><dd>{} ({} rows, {} rejected)</dd>\n", io::table_name(t),
                          html_escape(r.input_names[i]), r.inputs[i]->rows, r.inputs[i]->rejected);
  }
  std::string previous;
  if (r.previous_period)
    previous = "<dt>Previous</dt><dd>" + html_escape(format_period(r.previous_period)) + "</dd>\n";
  return fmt::format(
      "<header class=\"report\">\n<h1>ABM and revenue KPIs</h1>\n<dl>\n{}<dt>Period</dt><dd>{}"
      "</dd>\n{}<dt>Currency</dt><dd>{}</dd>\n</dl>\n</header>\n",
      inputs, html_escape(format_period(r.period)), previous,
      r.currency ? html_escape(*r.currency) : std::string("none"));
}
}  // namespace detail

/// The whole report as one HTML document (UTF-8): a header with the inputs and period, headline
/// tiles, the four charts of svg.hpp, then the Revenue, Relationships and Market tables, the
/// cohorts, the groups and the notes, as the terminal table shows them. Loads nothing and runs
/// no script; input text is escaped (html_escape). Throws only std::bad_alloc.
inline std::string render_html(const report& r) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"abmkpi {}\">\n<title>abmkpi report {}</title>\n"
      "<style>{}</style>\n</head>\n<body>\n<main>\n",
      version_string, html_escape(format_period(r.period)), detail::html_style);
  out += detail::html_header(r);
  out += detail::html_tiles(r);
  out += "<h2>Charts</h2>\n<section class=\"charts\">\n";
  out += svg::funnel_chart(r);
  out += svg::monthly_chart(r);
  out += svg::win_rate_chart(r);
  out += svg::churn_chart(r);
  out += "</section>\n";
  for (auto s :
       {metrics::section::revenue, metrics::section::relationships, metrics::section::market})
    out += detail::html_section(r, s);
  if (r.cohorts) {
    out += "<section id=\"cohorts\">\n<h2>Cohorts: target against non-target accounts</h2>\n";
    out += detail::html_table(cohort_grid(r), true);
    out += "<p class=\"verdict\">" + html_escape(cohort_verdict(r)) + "</p>\n</section>\n";
  }
  if (!r.group_by.empty()) {
    std::string names;
    for (const auto& by : r.group_by) names += (names.empty() ? "" : ", ") + by;
    out += "<section id=\"groups\">\n<h2>Groups by " + html_escape(names) + "</h2>\n";
    out += r.groups.empty() ? std::string("<p class=\"no-data\">(no deals)</p>\n")
                            : detail::html_table(group_grid(r));
    out += "</section>\n";
  }
  if (!r.notes.empty()) {
    out += "<section id=\"notes\">\n<h2>Notes</h2>\n<ul class=\"notes\">\n";
    for (const auto& n : r.notes) out += "<li>" + html_escape(n) + "</li>\n";
    out += "</ul>\n</section>\n";
  }
  out += fmt::format(
      "<footer>abmkpi {}: every KPI is defined in SPEC.md; where it is silent, "
      "docs/decisions.md says what abmkpi does.</footer>\n</main>\n</body>\n</html>\n",
      version_string);
  return out;
}

}  // namespace abmkpi::report
