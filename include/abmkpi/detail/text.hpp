// Text helpers shared by diagnostics and renderers: making input text safe to print.
#pragma once

#include <cstdint>      // std::uint8_t
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace abmkpi::detail {

/// Copies `text`, replacing every byte a terminal could act on — C0 controls, DEL, and the UTF-8
/// encodings of C1 controls (U+0080..U+009F, which some terminals treat as CSI) — with a visible
/// `\xNN` escape, so that input can never move the cursor, change colours or set the title.
/// Other bytes, including invalid UTF-8, pass through. Does not throw except std::bad_alloc.
inline std::string escape_control(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  auto put_escape = [&](std::uint8_t b) {
    out += "\\x";
    out += hex[b >> 4];
    out += hex[b & 15];
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(text[i]);
    if (b < 0x20 || b == 0x7f) {
      put_escape(b);
    } else if (b == 0xc2 && i + 1 < text.size() &&
               static_cast<std::uint8_t>(text[i + 1]) >= 0x80 &&
               static_cast<std::uint8_t>(text[i + 1]) <= 0x9f) {
      put_escape(b);
      put_escape(static_cast<std::uint8_t>(text[++i]));
    } else {
      out += text[i];
    }
  }
  return out;
}

/// `"text"` with control characters escaped and at most `max_bytes` of it shown (then `...`),
/// for quoting a cell in a message.
inline std::string quote_cell(std::string_view text, std::size_t max_bytes = 60) {
  const bool cut = text.size() > max_bytes;
  if (cut) text = text.substr(0, max_bytes);
  return "\"" + escape_control(text) + (cut ? "...\"" : "\"");
}

}  // namespace abmkpi::detail
