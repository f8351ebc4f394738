// The terminal table and the Markdown report (SPEC §5): KPIs under Revenue, Relationships and
// Market with units. Every text that came from input is escaped: it never reaches a terminal raw.
// The terminal table aligns by display width (report/width) and colours only when asked
// (report/style); Markdown is never coloured.
#pragma once

#include <fmt/format.h>

#include <algorithm>    // std::any_of, std::max
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/text.hpp"
#include "abmkpi/io/rows.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/grid.hpp"
#include "abmkpi/report/report.hpp"
#include "abmkpi/report/style.hpp"
#include "abmkpi/report/width.hpp"
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

/// A grid as aligned text for a terminal, each line indented by two spaces. Columns are as wide
/// as their widest cell in display cells (display_width), so that text in any script lines up;
/// the bars of `g.bars` get a column of bar_cells cells each. With `style.color`, the heading
/// row is painted tone::heading, cells that `g.tones` marks good or bad are painted so, and the
/// unit of every other value cell is dimmed; padding stays outside the colour sequences.
inline std::string layout_text(const grid& g, const text_style& style = {}) {
  struct column {
    std::size_t cell;  ///< the grid column, or the bar column's index in g.bars
    bool is_bar;
    std::size_t width;
  };
  std::vector<column> columns;
  for (std::size_t c = 0; c < g.heading.size(); ++c) {
    std::size_t width = 0;
    const auto widen = [&](const std::vector<std::string>& row) {
      if (c < row.size()) width = std::max(width, display_width(terminal_text(row[c])));
    };
    widen(g.heading);
    for (const auto& row : g.rows) widen(row);
    columns.push_back({c, false, width});
    for (std::size_t b = 0; b < g.bars.size(); ++b) {
      const auto& fill = g.bars[b].fill;
      if (g.bars[b].after == c &&
          std::any_of(fill.begin(), fill.end(), [](auto f) { return f.has_value(); }))
        columns.push_back({b, true, bar_cells});
    }
  }
  // row: nullptr for the heading row, else the index in g.rows.
  const auto line = [&](const std::vector<std::string>& cells, const std::size_t* row) {
    std::string text = " ";
    for (const column& col : columns) {
      if (col.is_bar) {
        const auto& fill = g.bars[col.cell].fill;
        const std::string drawn =
            row && *row < fill.size() && fill[*row] ? bar(*fill[*row], col.width) : "";
        text += "  " + drawn + padding(drawn, col.width);
        continue;
      }
      const std::string cell =
          col.cell < cells.size() ? terminal_text(cells[col.cell]) : std::string();
      const bool left = col.cell < g.left;
      tone shade = tone::plain;
      if (!row)
        shade = tone::heading;
      else if (*row < g.tones.size() && col.cell < g.tones[*row].size())
        shade = g.tones[*row][col.cell];
      const std::string painted = shade != tone::plain ? paint(style, shade, cell)
                                  : left               ? cell
                                                       : paint_value(style, cell);
      text += left ? " " + painted + padding(cell, col.width)
                   : "  " + padding(cell, col.width) + painted;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string out = line(g.heading, nullptr);
  for (std::size_t i = 0; i < g.rows.size(); ++i) out += line(g.rows[i], &i);
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

/// The comparisons of SPEC §4, each a titled block laid out by `layout`; `title(text)` makes the
/// title line of a block from its text (which holds input text unescaped).
template <class Layout, class Title>
std::string comparison_sections(const report& r, Layout layout, Title title) {
  std::string out;
  if (r.cohorts) {
    out += "\n" + title("Cohorts: target against non-target accounts") + "\n\n";
    out += layout(cohort_grid(r));
    out += "\n" + cohort_verdict(r) + "\n";
  }
  if (!r.group_by.empty()) {
    std::string names;
    for (const auto& by : r.group_by) names += (names.empty() ? "" : ", ") + by;
    out += "\n" + title("Groups by " + names) + "\n\n";
    out += r.groups.empty() ? std::string("(no deals)\n") : layout(group_grid(r));
  }
  return out;
}

/// comparison_sections with each title `title_prefix` + the title, control characters escaped.
template <class Layout>
std::string comparison_blocks(const report& r, Layout layout, std::string_view title_prefix) {
  return comparison_sections(r, layout, [&](const std::string& text) {
    return std::string(title_prefix) + abmkpi::detail::escape_control(text);
  });
}
}  // namespace detail

/// The plain-text table for a terminal: a header block, one block per section with a KPI per
/// line (key, value with unit), the comparisons (with bar charts beside win rates and bookings),
/// then the notes. Columns are aligned by display width (display_width). With `style.color`,
/// headings and labels are bold, units dim, and changes and lifts green or red by the KPI's good
/// direction (metrics::good_direction); without, the text has no escape sequence at all.
inline std::string render_table(const report& r, const text_style& style = {}) {
  const auto heading = [&](std::string_view text) {
    return paint(style, tone::heading, terminal_text(text));
  };
  const auto label = [&](std::string_view text) {  // a header block label in 10 cells
    return paint(style, tone::heading, text) + padding(text, 10);
  };
  std::string out = heading(fmt::format("abmkpi {}", version_string)) + "\n";
  const auto inputs = detail::input_entries(r);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    out += "  " + label(i == 0 ? "Inputs" : "") + terminal_text(inputs[i]) + "\n";
  out += "  " + label("Period") + format_period(r.period) + "\n";
  out += "  " + label("Currency") + (r.currency ? terminal_text(*r.currency) : "none") + "\n";
  if (r.previous_period) out += "  " + label("Previous") + format_period(r.previous_period) + "\n";
  for (auto s : detail::sections) {
    if (r.previous) {
      const grid g = previous_grid(r, s);
      if (!g.rows.empty())
        out += "\n" + heading(metrics::section_title(s)) + "\n" + detail::layout_text(g, style);
      continue;
    }
    std::string rows;
    for (const auto& k : r.kpis)
      if (k.info->where == s && k.available) {
        const std::string value = terminal_text(format_value(k, r.currency));
        rows += "  " + pad(k.info->key, 30, align::left) + " " + padding(value, 24) +
                paint_value(style, value) + "\n";
      }
    if (!rows.empty()) out += "\n" + heading(metrics::section_title(s)) + "\n" + rows;
  }
  out += detail::comparison_sections(
      r, [&](const grid& g) { return detail::layout_text(g, style); }, heading);
  if (!r.notes.empty()) {
    out += "\n" + heading("Notes") + "\n";
    for (const auto& n : r.notes) out += "  - " + terminal_text(n) + "\n";
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
