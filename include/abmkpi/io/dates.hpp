// Date cells (SPEC §1.3): ISO dates and date-times, slash and dot dates whose day/month order a
// column proves or a flag gives. Like the other cell primitives (values.hpp), these neither
// throw nor allocate.
#pragma once

#include <array>         // std::array
#include <cstddef>       // std::size_t
#include <cstdint>       // std::int32_t, std::uint8_t
#include <cstring>       // std::memcpy
#include <string_view>   // std::string_view
#include <system_error>  // std::errc

#include "abmkpi/io/values.hpp"  // trim, detail::is_digit
#include "abmkpi/model.hpp"      // abmkpi::date, make_date, days_in_month

namespace abmkpi::io {

namespace detail {

struct digit_run {
  unsigned value = 0;
  std::size_t length = 0;
};

/// Reads a run of digits at `i` (advancing it); the value is exact up to 9 digits.
constexpr digit_run read_digits(std::string_view s, std::size_t& i) noexcept {
  digit_run r;
  for (; i < s.size() && is_digit(s[i]); ++i, ++r.length) {
    if (r.length < 9) r.value = r.value * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return r;
}

/// `HH:MM[:SS[.fraction]]` followed by nothing, `Z`, `±HH:MM`, `±HHMM` or `[spaces]AM|PM`.
constexpr bool valid_time(std::string_view t) noexcept {
  const std::size_t n = t.size();
  std::size_t i = 0;
  const digit_run h = read_digits(t, i);
  if (h.length < 1 || h.length > 2 || i >= n || t[i] != ':') return false;
  ++i;
  const digit_run m = read_digits(t, i);
  if (m.length != 2 || m.value > 59) return false;
  if (i < n && t[i] == ':') {
    ++i;
    const digit_run sec = read_digits(t, i);
    if (sec.length != 2 || sec.value > 60) return false;  // 60: a leap second
    if (i < n && (t[i] == '.' || t[i] == ',')) {
      ++i;
      if (read_digits(t, i).length == 0) return false;
    }
  }
  if (i == n) return h.value <= 23;
  if (t[i] == 'Z' || t[i] == 'z') return i + 1 == n && h.value <= 23;
  if (t[i] == '+' || t[i] == '-') {
    ++i;
    const digit_run oh = read_digits(t, i);
    if (oh.length == 4) {
      return i == n && h.value <= 23 && oh.value / 100 <= 23 && oh.value % 100 <= 59;
    }
    if (oh.length != 2 || oh.value > 23 || i >= n || t[i] != ':') return false;
    ++i;
    const digit_run om = read_digits(t, i);
    return om.length == 2 && om.value <= 59 && i == n && h.value <= 23;
  }
  i = skip_spaces(t, i);
  if (n - i != 2 || to_lower(t[i + 1]) != 'm') return false;
  const char ap = to_lower(t[i]);
  return (ap == 'a' || ap == 'p') && h.value >= 1 && h.value <= 12;
}

/// Whatever follows a date from index `i`: nothing, or spaces (or for ISO a `T`) and a time.
constexpr bool valid_tail(std::string_view s, std::size_t i, bool iso) noexcept {
  if (i == s.size()) return true;
  if (iso && (s[i] == 'T' || s[i] == 't')) return valid_time(s.substr(i + 1));
  if (!is_space(s[i])) return false;
  return valid_time(s.substr(skip_spaces(s, i)));
}

/// A 4-digit year as written, a 2-digit one as 20yy; −1 for any other length.
constexpr int year_of(digit_run r) noexcept {
  if (r.length == 4) return static_cast<int>(r.value);
  if (r.length == 2) return 2000 + static_cast<int>(r.value);
  return -1;
}

constexpr bool valid_civil(int y, unsigned m, unsigned d) noexcept {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/// The first day of each month of the years 1900..2155, 13 entries a year: months 1..12 at
/// [(year - 1900) * 13 + month - 1], then the next year's January 1, so that [i + 1] - [i] is
/// the length of month i.
inline constexpr int month_table_first_year = 1900;
inline constexpr std::array<std::int32_t, 256 * 13> month_starts = [] {
  std::array<std::int32_t, 256 * 13> t{};
  for (std::size_t y = 0; y < 256; ++y) {
    const int year = month_table_first_year + static_cast<int>(y);
    for (unsigned m = 1; m <= 12; ++m) t[y * 13 + m - 1] = make_date(year, m, 1).days;
    t[y * 13 + 12] = make_date(year + 1, 1, 1).days;
  }
  return t;
}();

/// Reads exactly 10 bytes `YYYY-MM-DD` of a real calendar day with a year the month table
/// covers (1900..2155) into `out`; false for anything else, which the general path then reads
/// (and rejects where it must). Two loads and integer arithmetic on all the bytes at once,
/// instead of a test and a branch per byte: row_context::day calls it first for every cell of
/// 10 bytes (two per deal: 125 instructions a date became ~40).
[[gnu::always_inline]] inline bool iso_day(std::string_view s, abmkpi::date& out) noexcept {
  if (s.size() != 10) return false;
  std::uint64_t w = 0;  // "YYYY-MM-", byte i at bits 8i
  std::uint16_t dd = 0;
  std::memcpy(&w, s.data(), 8);
  std::memcpy(&dd, s.data() + 8, 2);
  constexpr std::uint64_t digits = 0x00FFFF00FFFFFFFFULL;  // bytes 0-3 and 5-6
  constexpr std::uint64_t dashes = 0x2D00002D00000000ULL;  // '-' at bytes 4 and 7
  constexpr std::uint64_t high = 0xF0F0F0F0F0F0F0F0ULL, zeros = 0x3030303030303030ULL;
  constexpr std::uint64_t six = 0x0606060606060606ULL;
  // A byte is a digit when its high nibble is 3 both as it is and with 6 added ('9' + 6 is
  // 0x3F, ':' + 6 is 0x40). The addition cannot carry into a digit byte from a '-' byte.
  if ((w & ~digits) != dashes || (w & digits & high) != (zeros & digits) ||
      ((w + six) & digits & high) != (zeros & digits))
    return false;
  const unsigned d0 = static_cast<unsigned>(dd & 0xFF) - '0';
  const unsigned d1 = static_cast<unsigned>(dd >> 8) - '0';
  if (d0 > 9 || d1 > 9) return false;
  const std::uint64_t v = w & 0x0F0F0F0F0F0F0F0FULL;  // each digit byte now holds its value
  const auto at = [v](int i) { return static_cast<unsigned>(v >> (8 * i) & 0xFF); };
  const int y = static_cast<int>(at(0) * 1000 + at(1) * 100 + at(2) * 10 + at(3));
  const unsigned m = at(5) * 10 + at(6), day = d0 * 10 + d1;
  if (y < month_table_first_year || y >= month_table_first_year + 256 || m - 1 >= 12)
    return false;
  const auto row = static_cast<std::size_t>(y - month_table_first_year) * 13 + m - 1;
  const std::int32_t first = month_starts[row], next = month_starts[row + 1];
  if (day < 1 || static_cast<std::int32_t>(day) > next - first) return false;
  out = abmkpi::date{first + static_cast<std::int32_t>(day) - 1};
  return true;
}
}  // namespace detail


/// Order of the parts of a slash or dot date (`--date-format`).
enum class date_order : std::uint8_t { undecided, ymd, mdy, dmy };

/// How a date was written: ISO (`2024-03-05`), with slashes or with dots.
enum class date_shape : std::uint8_t { iso, slash, dot };

/// A parsed date cell.
struct date_result {
  abmkpi::date value{};
  std::errc ec{};
  date_shape shape = date_shape::iso;
  /// Which order the text itself proves: ymd for ISO dates and 4-digit first parts; for other
  /// slash/dot dates dmy when the first part is > 12, mdy when the second part is > 12, else
  /// undecided. Set whatever `order` was passed, so a caller can spot contradicting cells. When
  /// the call's order was undecided and so is the evidence, `value` is NOT set and ec is
  /// std::errc{}: the caller decides the column's order and calls again with it.
  date_order evidence = date_order::undecided;
};

namespace detail {
/// parse_date without its fast path (kept apart so that a test can compare the two).
constexpr date_result parse_date_general(std::string_view text, date_order order) noexcept {
  using detail::digit_run;
  date_result r;
  auto fail = [&r]() {
    r.value = {};
    r.ec = std::errc::invalid_argument;
    return r;
  };
  const std::string_view s = trim(text);
  const std::size_t n = s.size();
  std::size_t i = 0;
  const digit_run p1 = detail::read_digits(s, i);
  if (p1.length == 0 || i >= n) return fail();
  const char sep = s[i++];

  if (sep == '-') {
    r.shape = date_shape::iso;
    r.evidence = date_order::ymd;
    if (p1.length != 4) return fail();
    const digit_run month = detail::read_digits(s, i);
    if (month.length < 1 || month.length > 2) return fail();
    unsigned day = 1;
    if (i < n && s[i] == '-') {
      ++i;
      const digit_run d = detail::read_digits(s, i);
      if (d.length < 1 || d.length > 2) return fail();
      day = d.value;
      if (!detail::valid_tail(s, i, true)) return fail();
    } else if (i != n) {
      return fail();  // a month alone (`2024-03`) takes no time
    }
    const int y = static_cast<int>(p1.value);
    if (!detail::valid_civil(y, month.value, day)) return fail();
    r.value = make_date(y, month.value, day);
    return r;
  }

  if (sep != '/' && sep != '.') return fail();
  r.shape = sep == '/' ? date_shape::slash : date_shape::dot;
  const digit_run p2 = detail::read_digits(s, i);
  if (p2.length < 1 || p2.length > 2 || i >= n || s[i] != sep) return fail();
  ++i;
  const digit_run p3 = detail::read_digits(s, i);
  if (!detail::valid_tail(s, i, false)) return fail();
  if (p1.length == 3 || p1.length > 4 || p3.length == 0 || p3.length == 3 || p3.length > 4) {
    return fail();
  }

  r.evidence = p1.length == 4  ? date_order::ymd
               : p1.value > 12 ? date_order::dmy
               : p2.value > 12 ? date_order::mdy
                               : date_order::undecided;
  date_order use = p1.length == 4 ? date_order::ymd : order;
  if (use == date_order::undecided) use = r.evidence;

  int y = detail::year_of(p3);
  if (use == date_order::undecided) {
    // Both parts are ≤ 12, so either order gives a real date unless a part is 0 or the year
    // is unreadable: report those now rather than after the caller's second call.
    const bool either = detail::valid_civil(y, p1.value, p2.value) ||
                        detail::valid_civil(y, p2.value, p1.value);
    return either ? r : fail();
  }
  unsigned m = use == date_order::mdy ? p1.value : p2.value;
  unsigned d = use == date_order::mdy ? p2.value : p1.value;
  if (use == date_order::ymd) {
    if (p3.length > 2) return fail();
    y = detail::year_of(p1);
    d = p3.value;
  }
  if (!detail::valid_civil(y, m, d)) return fail();
  r.value = make_date(y, m, d);
  return r;
}
}  // namespace detail

/// Parses a date cell (SPEC §1.3): `YYYY-MM-DD`; `YYYY-MM` (the first day of that month); an ISO
/// date-time (`2024-03-05T14:22:00Z`, `…00.123+02:00`, `2024-03-05 14:22`) whose date part is
/// used without time-zone shifting; slash and dot dates (`3/5/2024`, `2024/03/05`,
/// `05.03.2024`), optionally followed by spaces and a time (`3/5/2024 2:22 PM`).
///
/// Month and day take 1 or 2 digits. A time is `H[H]:MM[:SS[.fraction]]` then nothing, `Z`,
/// `±HH:MM`, `±HHMM`, or `AM`/`PM` (hours 1–12); anything else makes the cell invalid. In
/// slash/dot dates a 2-digit year means 20yy (`3/5/24` is 2024-03-05), a 4-digit first part
/// always means year-month-day, and `order` says how to read the others (see
/// date_result::evidence for undecided). The calendar is checked (no 2023-02-29); years are
/// 1000..9999. Empty or unreadable text gives ec `invalid_argument`. Does not throw and does
/// not allocate.
inline date_result parse_date(std::string_view text, date_order order) noexcept {
  // The shape of nearly every export, YYYY-MM-DD with or without a time, read at once (5% of a
  // 10M-deal run went to the general path). It gives what the general path gives
  // (tests/values_test.cpp compares them).
  const std::string_view s = trim(text);
  if (s.size() >= 10) {
    date_result r;
    r.evidence = date_order::ymd;
    if (detail::iso_day(s.substr(0, 10), r.value)) {
      if (s.size() > 10 && !detail::valid_tail(s, 10, true)) {
        r.value = {};
        r.ec = std::errc::invalid_argument;
      }
      return r;
    }
  }
  return detail::parse_date_general(s, order);
}

}  // namespace abmkpi::io
