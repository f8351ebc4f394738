// The terminal table and the Markdown report (SPEC §5): KPIs under Revenue, Relationships and
// Market with units. Every text that came from input is escaped: it never reaches a terminal raw.
#pragma once

#include <fmt/format.h>

#include <string>  // std::string
#include <vector>  // std::vector

#include "abmkpi/detail/text.hpp"
#include "abmkpi/io/rows.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/grid.hpp"
#include "abmkpi/report/report.hpp"
#include "abmkpi/version.hpp"

namespace abmkpi::report {

/// Text for a Markdown table cell: control characters escaped, `|` and backslashes escaped.
inline std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : abmkpi::detail::escape_control(text)) {
    if (c == '|' || c == '\\' || c == '`' || c == '*' || c == '_' || c == '<') out += '\\';
    out += c;
  }
  return out;
}

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

/// A grid as aligned plain text, each line indented by two spaces, the heading underlined.
inline std::string layout_text(const grid& g) {
  std::vector<std::size_t> width(g.heading.size(), 0);
  const auto widen = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  };
  widen(g.heading);
  for (const auto& row : g.rows) widen(row);
  const auto line = [&](const std::vector<std::string>& row) {
    std::string text = " ";
    for (std::size_t c = 0; c < width.size(); ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      text += c < g.left ? fmt::format(" {:<{}}", cell, width[c]) : fmt::format("  {:>{}}", cell, width[c]);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string out = line(g.heading);
  for (const auto& row : g.rows) out += line(row);
  return out;
}

/// A grid as a GitHub-flavoured Markdown table.
inline std::string layout_markdown(const grid& g) {
  const auto line = [](const std::vector<std::string>& row) {
    std::string text = "|";
    for (const auto& cell : row) text += " " + markdown_cell(cell) + " |";
    return text + "\n";
  };
  std::string out = line(g.heading) + "|";
  for (std::size_t c = 0; c < g.heading.size(); ++c) out += c < g.left ? "---|" : "---:|";
  out += "\n";
  for (const auto& row : g.rows) out += line(row);
  return out;
}

/// The comparisons of SPEC §4, each a titled block laid out by `layout`.
template <class Layout>
std::string comparison_blocks(const report& r, Layout layout, std::string_view title_prefix) {
  std::string out;
  if (r.cohorts) {
    out += fmt::format("\n{}Cohorts: target against non-target accounts\n\n", title_prefix);
    out += layout(cohort_grid(r));
    out += "\n" + cohort_verdict(r) + "\n";
  }
  if (!r.group_by.empty()) {
    std::string names;
    for (const auto& by : r.group_by) names += (names.empty() ? "" : ", ") + abmkpi::detail::escape_control(by);
    out += fmt::format("\n{}Groups by {}\n\n", title_prefix, names);
    out += r.groups.empty() ? std::string("(no deals)\n") : layout(group_grid(r));
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
  if (r.previous_period) out += fmt::format("  Previous  {}\n", format_period(r.previous_period));
  for (auto s : detail::sections) {
    if (r.previous) {
      const grid g = previous_grid(r, s);
      if (!g.rows.empty()) out += fmt::format("\n{}\n{}", metrics::section_title(s), detail::layout_text(g));
      continue;
    }
    std::string rows;
    for (const auto& k : r.kpis)
      if (k.info->where == s && k.available)
        rows += fmt::format("  {:<30} {:>24}\n", k.info->key,
                            abmkpi::detail::escape_control(format_value(k, r.currency)));
    if (!rows.empty()) out += fmt::format("\n{}\n{}", metrics::section_title(s), rows);
  }
  out += detail::comparison_blocks(r, detail::layout_text, "");
  if (!r.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : r.notes) out += "  - " + abmkpi::detail::escape_control(n) + "\n";
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
  if (r.previous_period)
    out += fmt::format("- **Previous period:** {}\n", format_period(r.previous_period));
  for (auto s : detail::sections) {
    if (r.previous) {
      const grid g = previous_grid(r, s);
      if (!g.rows.empty())
        out += fmt::format("\n## {}\n\n{}", metrics::section_title(s), detail::layout_markdown(g));
      continue;
    }
    std::string rows;
    for (const auto& k : r.kpis)
      if (k.info->where == s && k.available)
        rows += fmt::format("| {} | {} |\n", markdown_cell(k.info->key),
                            markdown_cell(format_value(k, r.currency)));
    if (!rows.empty())
      out += fmt::format("\n## {}\n\n| KPI | Value |\n|---|---:|\n{}", metrics::section_title(s),
                         rows);
  }
  out += detail::comparison_blocks(r, detail::layout_markdown, "## ");
  if (!r.notes.empty()) {
    out += "\n## Notes\n\n";
    for (const auto& n : r.notes) out += "- " + markdown_cell(n) + "\n";
  }
  return out;
}

}  // namespace abmkpi::report
