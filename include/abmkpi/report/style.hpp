// How the terminal renderers look: whether to colour (the caller decides: the CLI's --color),
// what each kind of text is painted with, and the inline bar charts of the table's grids.
// Markdown, CSV and JSON are never coloured.
#pragma once

#include <algorithm>    // std::clamp
#include <cmath>        // std::lround
#include <cstdint>      // std::uint8_t
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace abmkpi::report {

/// Options of the terminal renderers. Off (the default), their output has no escape sequence.
struct text_style {
  bool color = false;  ///< wrap headings, units and good/bad changes in SGR colour sequences
};

/// What a piece of text is, for colouring: each tone has one SGR sequence (see sgr()).
enum class tone : std::uint8_t {
  plain,    ///< not painted
  heading,  ///< section titles, header block labels, column headings: bold
  unit,     ///< the unit after a number (`USD`, `%`, `days`): dim
  good,     ///< a change the good way (a KPI's metrics::better direction): green
  bad,      ///< a change the bad way: red
  warn,     ///< a skipped check: yellow
};

/// The SGR sequence that starts `t` (empty for tone::plain).
constexpr std::string_view sgr(tone t) noexcept {
  switch (t) {
    case tone::plain: return "";
    case tone::heading: return "\x1b[1m";
    case tone::unit: return "\x1b[2m";
    case tone::good: return "\x1b[32m";
    case tone::bad: return "\x1b[31m";
    case tone::warn: return "\x1b[33m";
  }
  return "";
}

/// The SGR sequence that ends any tone.
inline constexpr std::string_view sgr_reset = "\x1b[0m";

/// `text` wrapped in the sequences of `t` when `style.color` is on; `text` unchanged otherwise,
/// for tone::plain and for an empty text. Pad before painting: the sequences take no cell on a
/// terminal but count in fmt's widths and in display_width's.
inline std::string paint(const text_style& style, tone t, std::string_view text) {
  if (!style.color || t == tone::plain || text.empty()) return std::string(text);
  std::string out(sgr(t));
  out += text;
  out += sgr_reset;
  return out;
}

/// A formatted value (`278,000.00 USD`, `66.67 %`, `72.5 days`) with its unit — everything
/// after the first space — painted tone::unit; a value without unit (`23`, `n/a`) unchanged.
inline std::string paint_value(const text_style& style, std::string_view text) {
  const std::size_t space = text.find(' ');
  if (!style.color || space == std::string_view::npos) return std::string(text);
  return std::string(text.substr(0, space + 1)) + paint(style, tone::unit, text.substr(space + 1));
}

/// The cells a bar of the table's grids takes at its longest.
inline constexpr std::size_t bar_cells = 10;

/// A horizontal bar of Unicode block elements for `fraction` (0..1, clamped; NaN is 0) of
/// `cells` cells, at eighth-of-a-cell resolution: `█` per full cell, then one of `▏▎▍▌▋▊▉` for the
/// rest, rounded to the nearest eighth. Any fraction above 0 shows at least `▏`, so that a small
/// value is told from none; 0 is the empty string. Not padded: the result is fraction × cells
/// cells wide, rounded.
inline std::string bar(double fraction, std::size_t cells = bar_cells) {
  static constexpr std::string_view partial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (!(fraction > 0) || cells == 0) return {};
  fraction = std::clamp(fraction, 0.0, 1.0);
  long eighths = std::lround(fraction * static_cast<double>(cells) * 8);
  if (eighths == 0) eighths = 1;
  std::string out;
  for (long i = 0; i < eighths / 8; ++i) out += "█";
  out += partial[eighths % 8];
  return out;
}

}  // namespace abmkpi::report
