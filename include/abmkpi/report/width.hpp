// Display widths for the terminal table: how many terminal cells a text takes, so that columns
// of group values in any script line up (`東京` and `🚀` take two cells, a combining mark none).
// Needs libutf8proc (the CLI and the tests link it; the rest of the library does not).
#pragma once

#include <utf8proc.h>

#include <cstdint>      // std::uint8_t
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "abmkpi/detail/text.hpp"

namespace abmkpi::report {

namespace detail {
/// The code point at the start of `text` and its length in bytes; length 0 when `text` does not
/// start with a valid UTF-8 sequence (utf8proc's rules: no overlongs, surrogates or > U+10FFFF).
struct decoded {
  std::int32_t code_point = -1;
  std::size_t length = 0;
};

inline decoded decode_one(std::string_view text) noexcept {
  utf8proc_int32_t cp = -1;
  const utf8proc_ssize_t n =
      utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                       static_cast<utf8proc_ssize_t>(text.size()), &cp);
  if (n <= 0 || cp < 0) return {};
  return {cp, static_cast<std::size_t>(n)};
}

/// Whether abmkpi::detail::escape_control writes `cp` as escapes: C0 controls, DEL, C1 controls.
constexpr bool is_escaped_control(std::int32_t cp) noexcept {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}
}  // namespace detail

/// The number of terminal cells `text` takes once printed by the terminal table. A code point
/// counts as utf8proc_charwidth says (East Asian wide and emoji 2, combining marks and other
/// zero-width characters 0, the rest 1); a control character, and every byte of invalid UTF-8,
/// counts as the `\xNN` escape the table prints instead (4 cells per byte). SGR colour escapes
/// are not expected in `text`: measure before painting. Does not throw or allocate.
inline std::size_t display_width(std::string_view text) noexcept {
  std::size_t width = 0;
  while (!text.empty()) {
    const detail::decoded d = detail::decode_one(text);
    if (d.length == 0) {  // an invalid byte: printed as \xNN
      width += 4;
      text.remove_prefix(1);
      continue;
    }
    if (detail::is_escaped_control(d.code_point)) {
      width += 4 * d.length;  // one \xNN per byte, as escape_control writes it
    } else {
      const int w = utf8proc_charwidth(d.code_point);
      width += w > 0 ? static_cast<std::size_t>(w) : 0;
    }
    text.remove_prefix(d.length);
  }
  return width;
}

/// `text` made safe for a terminal: control characters escaped as abmkpi::detail::escape_control
/// does, and each byte of invalid UTF-8 written as a visible `\xNN` escape too, so that what
/// display_width measures is exactly what the terminal shows. Escaping twice changes nothing
/// more. Does not throw except std::bad_alloc.
inline std::string terminal_text(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  const std::string escaped = abmkpi::detail::escape_control(text);
  std::string_view rest = escaped;
  std::string out;
  out.reserve(escaped.size());
  while (!rest.empty()) {
    const detail::decoded d = detail::decode_one(rest);
    if (d.length == 0) {
      const auto b = static_cast<std::uint8_t>(rest.front());
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
      rest.remove_prefix(1);
      continue;
    }
    out.append(rest.substr(0, d.length));
    rest.remove_prefix(d.length);
  }
  return out;
}

/// How pad() aligns a text in its column.
enum class align : std::uint8_t { left, right };

/// The spaces that fill `text` up to `width` display cells (display_width); none when it is as
/// wide or wider. For padding text that is painted afterwards: measure the plain text.
inline std::string padding(std::string_view text, std::size_t width) {
  const std::size_t w = display_width(text);
  return std::string(w < width ? width - w : 0, ' ');
}

/// `text` padded with spaces to `width` display cells, on the right for align::left and on the
/// left for align::right; a wider text is returned whole, never cut (as fmt's `{:<N}` does).
inline std::string pad(std::string_view text, std::size_t width, align where) {
  return where == align::left ? std::string(text) + padding(text, width)
                              : padding(text, width) + std::string(text);
}

}  // namespace abmkpi::report
