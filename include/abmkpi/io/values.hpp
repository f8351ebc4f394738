// Cell value parsing (SPEC §1.2–1.3): money, booleans and plain numbers, plus the normalisation
// of enumerated values and header names (dates are in dates.hpp). Readers call these once per cell,
// so the primitives neither throw nor allocate: they return a result with a `std::errc`, the way
// fast_float's from_chars does, and the reader turns a failure into a row error with context.
#pragma once

#include <cmath>         // std::isfinite
#include <cstddef>       // std::size_t
#include <cstdint>       // std::int64_t, std::uint64_t, std::uint8_t
#include <cstring>       // std::memcpy
#include <string>        // std::string
#include <string_view>   // std::string_view
#include <system_error>  // std::errc
#include <type_traits>   // std::is_constant_evaluated

#include <fast_float/fast_float.h>  // fast_float::from_chars

#include "abmkpi/model.hpp"  // abmkpi::date, make_date, days_in_month, money_max_units

namespace abmkpi::io {

namespace detail {

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
constexpr char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// ASCII case-insensitive equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

constexpr std::size_t skip_spaces(std::string_view s, std::size_t i) noexcept {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// ---------------------------------------------------------------------------------------------
// money

/// A currency symbol at the start of `s`: how many bytes it takes and the ISO code it stands for.
struct symbol_match {
  std::size_t length = 0;  // 0: no symbol
  std::string_view code;
};

// UTF-8 spellings; other symbols (R$, ₹, CHF-like prefixes) are rare in CRM exports and would
// need a table of ambiguous meanings ($ alone is already a guess), so they are rejected.
constexpr symbol_match match_symbol(std::string_view s) noexcept {
  if (s.starts_with("$")) return {1, "USD"};
  if (s.starts_with("\xE2\x82\xAC")) return {3, "EUR"};  // €
  if (s.starts_with("\xC2\xA3")) return {2, "GBP"};      // £
  if (s.starts_with("\xC2\xA5")) return {2, "JPY"};      // ¥
  return {};
}

/// Three ASCII letters at `i` that are not part of a longer word.
constexpr bool is_code_at(std::string_view s, std::size_t i) noexcept {
  return i + 3 <= s.size() && is_alpha(s[i]) && is_alpha(s[i + 1]) && is_alpha(s[i + 2]) &&
         (i + 3 == s.size() || !is_alpha(s[i + 3]));
}

/// The syntax of one decimal number: where its digits are, before any arithmetic.
struct decimal_text {
  std::string_view integer;   // digits, possibly with group marks
  std::string_view fraction;  // digits only
  std::int64_t exponent = 0;  // clamped to ±10^7, far beyond anything that fits
  bool grouped = false;
  std::size_t end = 0;  // index just past the number
  std::errc ec{};
};

/// Scans `[digits with groups][point digits][e[sign]digits]` starting at `pos`.
constexpr decimal_text scan_decimal(std::string_view s, std::size_t pos, char group,
                                    char point) noexcept {
  decimal_text r;
  const std::size_t n = s.size();
  std::size_t i = pos;
  std::size_t group_len = 0;
  std::size_t int_digits = 0;
  bool first_group = true;
  while (i < n) {
    if (is_digit(s[i])) {
      ++group_len, ++int_digits, ++i;
      continue;
    }
    if (s[i] != group) break;
    // A leading zero before a group mark ("0,123") is almost always a decimal number written
    // in the other convention, so it is rejected rather than read as 123.
    const bool ok =
        first_group ? (group_len >= 1 && group_len <= 3 && s[pos] != '0') : group_len == 3;
    if (!ok) return r.ec = std::errc::invalid_argument, r;
    first_group = false;
    r.grouped = true;
    group_len = 0;
    ++i;
  }
  if (r.grouped && group_len != 3) return r.ec = std::errc::invalid_argument, r;
  r.integer = s.substr(pos, i - pos);
  if (i < n && s[i] == point) {
    const std::size_t fb = ++i;
    while (i < n && is_digit(s[i])) ++i;
    r.fraction = s.substr(fb, i - fb);
  }
  if (int_digits + r.fraction.size() == 0) return r.ec = std::errc::invalid_argument, r;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    // An exponent with grouping ("1,234e3") is no format any program writes: reject the guess.
    if (r.grouped) return r.ec = std::errc::invalid_argument, r;
    ++i;
    bool negative = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i >= n || !is_digit(s[i])) return r.ec = std::errc::invalid_argument, r;
    std::int64_t e = 0;
    for (; i < n && is_digit(s[i]); ++i) {
      if (e < 10'000'000) e = e * 10 + (s[i] - '0');
    }
    r.exponent = negative ? -e : e;
  }
  r.end = i;
  return r;
}

inline constexpr std::size_t max_significant_digits = 40;

/// Exact conversion of scanned digits to money units (× 10^4), rounding half away from zero on
/// the first dropped digit: no binary floating point is involved, so "0.1" is exactly 1000.
/// The result's currency is left empty.
constexpr auto to_units(const decimal_text& d) noexcept {
  struct result {
    std::int64_t units;
    std::errc ec;
  };
  std::int64_t int_digits = 0;
  for (const char c : d.integer) int_digits += is_digit(c);
  // Weight of the first digit, as a power of ten of money units; each later digit is one less.
  std::int64_t k = int_digits - 1 + d.exponent + 4;
  std::uint64_t acc = 0;  // stays below 10^19 < 2^64 as long as no digit weighs 10^19 or more
  bool round_up = false;
  bool too_large = false;
  std::size_t significant = 0;
  auto visit = [&](char c) {
    const unsigned digit = static_cast<unsigned>(c - '0');
    significant += significant != 0 || digit != 0;
    if (k >= 19) {
      too_large = too_large || digit != 0;
    } else if (k >= 0) {
      acc = acc * 10 + digit;
    } else if (k == -1) {
      round_up = digit >= 5;  // ≥ half already, so later digits cannot change the outcome
    }
    --k;
  };
  for (const char c : d.integer) {
    if (is_digit(c)) visit(c);
  }
  for (const char c : d.fraction) visit(c);
  if (significant > max_significant_digits || too_large) {
    return result{0, std::errc::result_out_of_range};
  }
  for (; k >= 0 && acc != 0; --k) acc *= 10;  // digits not written, such as 1e3's three zeros
  acc += round_up;
  if (acc > static_cast<std::uint64_t>(abmkpi::money_max_units)) {
    return result{0, std::errc::result_out_of_range};
  }
  return result{static_cast<std::int64_t>(acc), std::errc{}};
}

}  // namespace detail

namespace detail {
constexpr std::string_view trim_ends(std::string_view s) noexcept {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}
}  // namespace detail

/// Removes leading and trailing ASCII spaces and tabs. Returns a view into `s` (empty for an
/// all-blank input). Does not throw and does not allocate.
[[gnu::always_inline]] constexpr std::string_view trim(std::string_view s) noexcept {
  // Nearly every cell has nothing to trim: this test, inlined at each of the many calls a row
  // makes, spares them a call (trim was 3% of a 10M-deal run). Space and TAB are both at most
  // 0x20, so one compare an end lets nearly every cell through; a control byte there takes
  // trim_ends, which keeps it.
  const auto plain = [](char c) { return static_cast<unsigned char>(c) > ' '; };
  if (s.empty() || (plain(s.front()) && plain(s.back()))) [[likely]]
    return s;
  return detail::trim_ends(s);
}

// =============================================================================================
// money

/// A parsed money cell. `units` is in money units (abmkpi::money_scale = 10000 per currency unit).
/// `currency` is the code the cell names, or empty: for a symbol it is one of the static strings
/// "USD", "EUR", "GBP", "JPY"; for a written code it is a view of the 3 letters as written
/// (possibly lower-case — callers upper-case it). On error `units` is 0 and `currency` is empty.
struct money_result {
  std::int64_t units = 0;
  std::string_view currency;
  std::errc ec{};
};

/// Parses a money cell (SPEC §1.3) such as `1,234.50`, `-$5`, `€ 99`, `99 €`, `USD 1234`,
/// `1234 usd`, `(1,234)` (accounting negative), `1.2e5` or `.5`.
///
/// `decimal_comma` swaps the marks: `.` groups thousands and `,` is the decimal mark
/// (`1.234,50`). Thousands groups are 1–3 digits then exactly three digits each, and a grouped
/// number has no exponent and does not start with 0. A code is separated from the number by a
/// space; a symbol may touch it. A symbol and a code in one cell must agree (`$5 USD`). One sign
/// at most, before or after a leading symbol/code; none inside parentheses.
///
/// The conversion is exact from the decimal digits (no double rounding); digits beyond the 4th
/// decimal are rounded half away from zero (`0.00005` → 1 unit). Returns ec
/// `invalid_argument` for unreadable text, empty text included (callers decide whether an
/// empty cell is allowed, so they check emptiness first), and `result_out_of_range` for a
/// magnitude above abmkpi::money_max_units or more than 40 significant digits. `-0` gives 0.
/// Does not throw and does not allocate.
namespace detail {
// The units of one money unit per number of decimals: no division per digit.
inline constexpr std::int64_t decimal_scale[] = {money_scale, money_scale / 10, money_scale / 100,
                                                 money_scale / 1000, money_scale / 10000};
static_assert(money_scale == 10000);

/// The value of eight digit values 0..9, one a byte, the first (lowest address) the most
/// significant: pairs, then fours, then all eight, a multiplication each.
[[gnu::always_inline]] inline std::uint64_t eight_digits(std::uint64_t v) noexcept {
  v = v * 10 + (v >> 8);  // byte 2i: the pair 10 × digit 2i + digit 2i+1 (≤ 99, no carry)
  constexpr std::uint64_t pairs = 0x000000FF000000FFULL;
  // Pairs 0 and 2 × 10^6 and 10^2, pairs 1 and 3 × 10^4 and 1, summed in bits 32..63.
  return ((v & pairs) * (100 + (1000000ULL << 32)) +
          ((v >> 16) & pairs) * (1 + (10000ULL << 32))) >> 32;
}

/// The bytes of `w` that are not ASCII digits: 0x80 in each such byte, 0 elsewhere.
[[gnu::always_inline]] inline std::uint64_t non_digits(std::uint64_t w) noexcept {
  constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL, top = 0x8080808080808080ULL;
  const std::uint64_t t = w ^ 0x3030303030303030ULL;  // a digit byte now holds 0..9
  // t + 0x76 reaches 0x80 from t = 10 on; without t's top bit no byte carries into the next.
  return (((t & low7) + 0x7676767676767676ULL) | t) & top;
}

/// plain_money for 8 to 16 bytes: two overlapping 8-byte loads and the arithmetic on all
/// digits at once, with no branch on where the point falls: the loop below ends at the point,
/// which moves with the amount's size, and so mispredicted about once a row (3M of the
/// benchmark's deals, amounts of 7 to 9 bytes, took 5% less user time when all had 9). False
/// for anything else the loop might take, which the loop then reads.
[[gnu::always_inline]] inline bool plain_money_8_to_16(std::string_view s, char point,
                                                       std::int64_t& units) noexcept {
  const std::size_t n = s.size();
  std::uint64_t lo = 0, hi = 0;  // s[0, 8) and s[n − 8, n), byte i at bits 8i
  std::memcpy(&lo, s.data(), 8);
  std::memcpy(&hi, s.data() + n - 8, 8);
  const std::uint64_t odd_lo = non_digits(lo), odd_hi = non_digits(hi);
  // The point, if any, is hi's byte q (3..6: 1 to 4 decimals), which is s's byte p; q = 8:
  // none. The integer part is s[0, p): p ≤ 14 digits, the first not 0 (p ≥ 3 here).
  const unsigned q = odd_hi == 0 ? 8 : static_cast<unsigned>(__builtin_ctzll(odd_hi)) / 8;
  const std::size_t p = q + n - 8;
  const std::uint64_t point_bit = q == 8 ? 0 : std::uint64_t{0x80} << (8 * q);
  if (odd_hi != point_bit || (q != 8 && (q < 3 || q > 6 || s[p] != point)) ||
      odd_lo != (p < 8 ? std::uint64_t{0x80} << (8 * p) : 0) || p > 14 || s[0] == '0')
    return false;
  // Digit values; the point's byte is shifted or masked out below.
  const std::uint64_t vlo = lo ^ 0x3030303030303030ULL, vhi = hi ^ 0x3030303030303030ULL;
  // s[0, n − 8): the integer part's leading digits, moved to the low end of eight (16 − n
  // bytes of 0 before them; a shift of 64 is split in two).
  const unsigned lead_shift = 4 * static_cast<unsigned>(16 - n);
  const std::uint64_t lead = eight_digits((vlo << lead_shift) << lead_shift);
  // hi's bytes before the point: the integer part's last q digits.
  const std::uint64_t tail = eight_digits(vhi << (8 * (8 - q)));
  // hi's bytes after the point: the decimals (none when q is 8).
  const unsigned decimals = 7 - (q == 8 ? 7 : q);
  const std::uint64_t fraction =
      q == 8 ? 0 : eight_digits(vhi & (~std::uint64_t{0} << (8 * (q + 1))));
  constexpr std::uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                     100000000};
  const std::uint64_t whole = lead * pow10[q] + tail;  // < 10^14
  units = static_cast<std::int64_t>(whole * money_scale) +
          static_cast<std::int64_t>(fraction) * decimal_scale[decimals];
  return true;
}

/// plain_money a byte at a time (any length).
constexpr bool plain_money_loop(std::string_view s, char point, std::int64_t& units) noexcept {
  const std::size_t n = s.size();
  std::size_t i = 0;
  std::int64_t v = 0;
  for (; i < n; ++i) {
    // A byte below '0' wraps to a large unsigned: one comparison per digit.
    const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0';
    if (d > 9) break;
    if (i == 14) return false;  // a 15th digit: stop before v could overflow
    v = v * 10 + d;
  }
  if (i == 0 || (s[0] == '0' && i > 1)) return false;
  if (i == n) {
    units = v * money_scale;
    return true;
  }
  const std::size_t decimals = n - i - 1;
  if (s[i] != point || decimals == 0 || decimals > 4) return false;
  for (++i; i < n; ++i) {
    const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0';
    if (d > 9) return false;
    v = v * 10 + d;
  }
  units = v * decimal_scale[decimals];
  return true;
}

// Most exports hold plain `1234` or `1234.5`: read those at once, without the symbol, code and
// grouping checks. Anything else (a sign, more than 14 integer digits or 4 decimals, a leading
// zero before more digits, a lone point) returns false for the general path, so both paths
// agree on every input the fast one takes (tests/values_test.cpp checks it over many strings).
constexpr bool plain_money(std::string_view s, char point, std::int64_t& units) noexcept {
  if (!std::is_constant_evaluated() && s.size() >= 8 && s.size() <= 16 &&
      plain_money_8_to_16(s, point, units))
    return true;
  return plain_money_loop(s, point, units);
}
}  // namespace detail

namespace detail {
/// parse_money without its fast path (kept apart so that a test can compare the two).
constexpr money_result parse_money_general(std::string_view text, bool decimal_comma) noexcept {
  constexpr money_result bad{0, {}, std::errc::invalid_argument};
  std::string_view s = trim(text);
  bool parens = false;
  if (!s.empty() && s.front() == '(') {
    if (s.size() < 2 || s.back() != ')') return bad;
    s = trim(s.substr(1, s.size() - 2));
    parens = true;
  }
  const std::size_t n = s.size();
  std::size_t i = 0;
  char sign = 0;
  if (i < n && (s[i] == '-' || s[i] == '+')) sign = s[i++];

  std::string_view prefix;
  bool prefix_is_symbol = false;
  if (const auto sym = detail::match_symbol(s.substr(i)); sym.length != 0) {
    prefix = sym.code;
    prefix_is_symbol = true;
    i = detail::skip_spaces(s, i + sym.length);
  } else if (detail::is_code_at(s, i)) {
    prefix = s.substr(i, 3);
    i += 3;
    if (i >= n || !detail::is_space(s[i])) return bad;
    i = detail::skip_spaces(s, i);
  }
  if (!prefix.empty() && i < n && (s[i] == '-' || s[i] == '+')) {
    if (sign != 0) return bad;
    sign = s[i++];
  }
  if (parens && sign != 0) return bad;

  const detail::decimal_text number =
      detail::scan_decimal(s, i, decimal_comma ? '.' : ',', decimal_comma ? ',' : '.');
  if (number.ec != std::errc{}) return bad;
  const std::size_t after_number = number.end;
  i = detail::skip_spaces(s, after_number);

  std::string_view suffix;
  bool suffix_is_symbol = false;
  if (i < n) {
    if (const auto sym = detail::match_symbol(s.substr(i)); sym.length != 0) {
      suffix = sym.code;
      suffix_is_symbol = true;
      i += sym.length;
    } else if (i > after_number && detail::is_code_at(s, i)) {
      suffix = s.substr(i, 3);
      i += 3;
    } else {
      return bad;
    }
    if (i != n) return bad;
  }
  if (!prefix.empty() && !suffix.empty() && !detail::iequals(prefix, suffix)) return bad;

  const auto u = detail::to_units(number);
  if (u.ec != std::errc{}) return {0, {}, u.ec};
  // The static upper-case spelling of a symbol is preferred over a code as written.
  const std::string_view currency = suffix_is_symbol && !prefix_is_symbol ? suffix
                                    : !prefix.empty()                     ? prefix
                                                                          : suffix;
  return {(sign == '-' || parens) ? -u.units : u.units, currency, std::errc{}};
}
}  // namespace detail

constexpr money_result parse_money(std::string_view text, bool decimal_comma) noexcept {
  const std::string_view s = trim(text);
  if (std::int64_t units = 0; detail::plain_money(s, decimal_comma ? ',' : '.', units))
    return {units, {}, std::errc{}};
  return detail::parse_money_general(s, decimal_comma);
}

// =============================================================================================
// booleans and plain numbers

/// A parsed boolean cell.
struct bool_result {
  bool value = false;
  std::errc ec{};
};

/// Parses a boolean cell (SPEC §1.3), ignoring ASCII case: `true`/`yes`/`y`/`1`/`x` are true,
/// `false`/`no`/`n`/`0` and empty text are false; anything else gives ec `invalid_argument`
/// (and value false). Does not throw and does not allocate.
constexpr bool_result parse_bool(std::string_view text) noexcept {
  const std::string_view s = trim(text);
  if (s.empty()) return {false, std::errc{}};
  for (const std::string_view t : {"true", "yes", "y", "1", "x"}) {
    if (detail::iequals(s, t)) return {true, std::errc{}};
  }
  for (const std::string_view f : {"false", "no", "n", "0"}) {
    if (detail::iequals(s, f)) return {false, std::errc{}};
  }
  return {false, std::errc::invalid_argument};
}

/// A parsed plain number. `percent_sign` says the cell ended in `%`; `value` is as written
/// (`75%` gives 75, not 0.75) because the column decides the scale (SPEC §1.2, probability).
struct number_result {
  double value = 0;
  bool percent_sign = false;
  std::errc ec{};
};

namespace detail {
/// 1 to 9 ASCII digits, nothing else: their value (exact as a double). Whole numbers such as
/// months and percentages are read at once, without fast_float (row_context::number tries this
/// first, inlined, for every number cell).
[[gnu::always_inline]] inline bool whole_number(std::string_view s, std::uint32_t& out) noexcept {
  if (s.empty() || s.size() > 9) return false;
  std::uint32_t v = 0;
  bool digits = true;
  for (const char c : s) {
    digits = digits && is_digit(c);
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  out = v;
  return digits;
}
}  // namespace detail

/// Parses a plain decimal number (contract months, probability, ICP fit, NPS): an optional sign,
/// digits with an optional `.` fraction and exponent (`12`, `0.75`, `.5`, `1e3`), then
/// optionally spaces and `%` (`75%`, ` 75 % `). No thousands separators. The value is the
/// nearest double (fast_float). Empty text, `nan`, `inf` and anything unreadable give ec
/// `invalid_argument`; a value beyond the range of double gives `result_out_of_range`; both with
/// value 0. `-0` gives +0. Does not throw and does not allocate.
inline number_result parse_number(std::string_view text) noexcept {
  constexpr number_result bad{0, false, std::errc::invalid_argument};
  std::string_view s = trim(text);
  bool percent = false;
  if (!s.empty() && s.back() == '%') {
    percent = true;
    s = trim(s.substr(0, s.size() - 1));
  }
  if (s.empty()) return bad;
  // fast_float also reads nan/inf and C++'s from_chars refuses '+': check the start ourselves.
  const bool plus = s.front() == '+';
  const std::string_view body = s.front() == '+' || s.front() == '-' ? s.substr(1) : s;
  if (body.empty() || !(detail::is_digit(body.front()) || body.front() == '.')) return bad;
  if (std::uint32_t whole = 0; detail::whole_number(s, whole))
    return {static_cast<double>(whole), percent, std::errc{}};
  const char* first = s.data() + (plus ? 1 : 0);
  const char* last = s.data() + s.size();
  double v = 0;
  const auto res = fast_float::from_chars(first, last, v);
  if (res.ec == std::errc::result_out_of_range) return {0, false, std::errc::result_out_of_range};
  if (res.ec != std::errc{} || res.ptr != last) return bad;
  if (!std::isfinite(v)) return {0, false, std::errc::result_out_of_range};
  return {v == 0 ? 0.0 : v, percent, std::errc{}};
}

// =============================================================================================
// tokens and headers

/// Normalises an enumerated value (SPEC §1.2) into `out` (cleared first, so a caller can reuse
/// its capacity): ASCII lower-case, each run of `_`, `-`, space or tab becomes one `_`, and
/// leading/trailing runs are dropped (`Existing Customer - Upgrade` →
/// `existing_customer_upgrade`, `Form Fill` → `form_fill`). Other bytes, UTF-8 included, are
/// kept. Empty text gives an empty `out`. Throws only std::bad_alloc.
inline void normalize_token(std::string_view text, std::string& out) {
  out.clear();
  bool pending_separator = false;
  for (const char c : text) {
    if (c == '_' || c == '-' || detail::is_space(c)) {
      pending_separator = !out.empty();
      continue;
    }
    if (pending_separator) out.push_back('_');
    pending_separator = false;
    out.push_back(detail::to_lower(c));
  }
}

/// Normalises a header name for matching (SPEC §1.2) into `out` (cleared first): ASCII
/// lower-case with spaces, tabs, `_`, `-` and `.` removed (`Probability (%)` → `probability(%)`,
/// `Close Date` → `closedate`). Empty text gives an empty `out`. Throws only std::bad_alloc.
inline void normalize_header(std::string_view text, std::string& out) {
  out.clear();
  for (const char c : text) {
    if (c == '_' || c == '-' || c == '.' || detail::is_space(c)) continue;
    out.push_back(detail::to_lower(c));
  }
}

}  // namespace abmkpi::io
