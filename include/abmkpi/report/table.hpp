// The terminal table and the Markdown report (SPEC §5): KPIs under Revenue, Relationships and
// Market with units. Every text that came from input is escaped: it never reaches a terminal raw.
#pragma once

#include <fmt/format.h>

#include <string>  // std::string
#include <vector>  // std::vector

#include "abmkpi/detail/text.hpp"
#include "abmkpi/io/rows.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/report.hpp"
#include "abmkpi/version.hpp"

namespace abmkpi::report {

namespace detail {
inline constexpr metrics::section sections[] = {
    metrics::section::revenue, metrics::section::relationships, metrics::section::market};

/// One entry per input table read: `deals deals.csv (14 rows, 0 rejected)`.
inline std::vector<std::string> input_entries(const report& r) {
  std::vector<std::string> out;
  for (auto t : {io::table_kind::deals, io::table_kind::accounts, io::table_kind::touches,
                 io::table_kind::spend}) {
    const auto i = static_cast<std::size_t>(t);
    if (!r.inputs[i]) continue;
    out.push_back(fmt::format("{} {} ({} rows, {} rejected)", io::table_name(t),
                              abmkpi::detail::escape_control(r.input_names[i]), r.inputs[i]->rows,
                              r.inputs[i]->rejected));
  }
  return out;
}
}  // namespace detail

/// The plain-text table for a terminal: a header block, one block per section with a KPI per
/// line (key, value with unit), then the notes.
inline std::string render_table(const report& r) {
  std::string out = fmt::format("abmkpi {}\n", version_string);
  const auto inputs = detail::input_entries(r);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    out += fmt::format("  {:<10}{}\n", i == 0 ? "Inputs" : "", inputs[i]);
  out += fmt::format("  Period    {}\n", format_period(r.period));
  out += fmt::format("  Currency  {}\n",
                     r.currency ? abmkpi::detail::escape_control(*r.currency) : "none");
  for (auto s : detail::sections) {
    std::string rows;
    for (const auto& k : r.kpis)
      if (k.info->where == s && k.available)
        rows += fmt::format("  {:<30} {:>24}\n", k.info->key,
                            abmkpi::detail::escape_control(format_value(k, r.currency)));
    if (!rows.empty()) out += fmt::format("\n{}\n{}", metrics::section_title(s), rows);
  }
  if (!r.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : r.notes) out += "  - " + abmkpi::detail::escape_control(n) + "\n";
  }
  return out;
}

/// Text for a Markdown table cell: control characters escaped, `|` and backslashes escaped.
inline std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : abmkpi::detail::escape_control(text)) {
    if (c == '|' || c == '\\' || c == '`' || c == '*' || c == '_' || c == '<') out += '\\';
    out += c;
  }
  return out;
}

/// The report as GitHub-flavoured Markdown: a heading, a summary list, a table per section,
/// and the notes as a list.
inline std::string render_markdown(const report& r) {
  std::string out = "# abmkpi report\n\n";
  std::string inputs;
  for (const auto& entry : detail::input_entries(r)) inputs += (inputs.empty() ? "" : "; ") + entry;
  out += fmt::format("- **Inputs:** {}\n", markdown_cell(inputs));
  out += fmt::format("- **Period:** {}\n", format_period(r.period));
  out += fmt::format("- **Currency:** {}\n", r.currency ? markdown_cell(*r.currency) : "none");
  for (auto s : detail::sections) {
    std::string rows;
    for (const auto& k : r.kpis)
      if (k.info->where == s && k.available)
        rows += fmt::format("| {} | {} |\n", markdown_cell(k.info->key),
                            markdown_cell(format_value(k, r.currency)));
    if (!rows.empty())
      out += fmt::format("\n## {}\n\n| KPI | Value |\n|---|---:|\n{}", metrics::section_title(s),
                         rows);
  }
  if (!r.notes.empty()) {
    out += "\n## Notes\n\n";
    for (const auto& n : r.notes) out += "- " + markdown_cell(n) + "\n";
  }
  return out;
}

}  // namespace abmkpi::report
