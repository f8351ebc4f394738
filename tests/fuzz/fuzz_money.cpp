// Fuzz target: the money and plain-number cell parsers (io/values.hpp parse_money, parse_number).
// The whole input is one cell. Invariants: results are deterministic and in range, failures
// carry nothing, surrounding blanks change nothing, swapping `.` and `,` swaps the decimal-comma
// mode exactly, a leading `-` negates, and a plain decimal agrees with parse_number up to the
// rounding of doubles.
#include <cmath>         // std::isfinite, std::signbit, std::fabs
#include <cstddef>       // std::size_t
#include <cstdint>       // std::uint8_t, std::int64_t
#include <string>        // std::string
#include <string_view>   // std::string_view
#include <system_error>  // std::errc

#include "abmkpi/io/values.hpp"
#include "abmkpi/model.hpp"
#include "fuzz_support.hpp"

namespace {

using abmkpi::io::money_result;
using abmkpi::io::parse_money;
using abmkpi::io::parse_number;

bool same(const money_result& a, const money_result& b) {
  return a.units == b.units && a.currency == b.currency && a.ec == b.ec;
}

bool is_upper_or_lower_code(std::string_view c) {
  if (c.size() != 3) return false;
  for (const char ch : c)
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))) return false;
  return true;
}

std::string swap_marks(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c == '.' ? ',' : c == ',' ? '.' : c;
  return out;
}

void check_money(std::string_view text, bool decimal_comma) {
  const money_result r = parse_money(text, decimal_comma);
  ABMKPI_FUZZ_CHECK(same(r, parse_money(text, decimal_comma)));  // deterministic
  if (r.ec == std::errc{}) {
    ABMKPI_FUZZ_CHECK(r.units >= -abmkpi::money_max_units && r.units <= abmkpi::money_max_units);
    ABMKPI_FUZZ_CHECK(r.currency.empty() || is_upper_or_lower_code(r.currency));
  } else {
    ABMKPI_FUZZ_CHECK(r.ec == std::errc::invalid_argument ||
                      r.ec == std::errc::result_out_of_range);
    ABMKPI_FUZZ_CHECK(r.units == 0 && r.currency.empty());
  }
  // Blanks around the cell are trimmed.
  const std::string padded = " \t" + std::string(text) + "\t ";
  ABMKPI_FUZZ_CHECK(same(r, parse_money(padded, decimal_comma)));
  // The two conventions are mirror images.
  const std::string swapped = swap_marks(text);
  ABMKPI_FUZZ_CHECK(same(r, parse_money(swapped, !decimal_comma)));
  // A `-` before a cell without any sign or parentheses negates it.
  const std::string_view t = abmkpi::io::trim(text);
  if (r.ec == std::errc{} && t.find_first_of("+-()") == std::string_view::npos) {
    const std::string negated = "-" + std::string(t);  // outlives the currency view into it
    const money_result neg = parse_money(negated, decimal_comma);
    ABMKPI_FUZZ_CHECK(neg.ec == std::errc{} && neg.units == -r.units && neg.currency == r.currency);
  }
}

void check_number(std::string_view text) {
  const auto r = parse_number(text);
  const auto again = parse_number(text);
  ABMKPI_FUZZ_CHECK(r.ec == again.ec && r.percent_sign == again.percent_sign &&
                    (r.value == again.value));
  if (r.ec == std::errc{}) {
    ABMKPI_FUZZ_CHECK(std::isfinite(r.value));
    ABMKPI_FUZZ_CHECK(!(r.value == 0 && std::signbit(r.value)));  // -0 gives +0
  } else {
    ABMKPI_FUZZ_CHECK(r.value == 0 && !r.percent_sign);
  }
  // A plain decimal (digits, one point, an exponent) is the same amount as money, to within
  // one unit of rounding plus the double's own error.
  const std::string_view t = abmkpi::io::trim(text);
  if (r.ec != std::errc{} || r.percent_sign || t.empty() ||
      t.find_first_not_of("0123456789.eE+-") != std::string_view::npos)
    return;
  const money_result m = parse_money(t, false);
  if (m.ec != std::errc{}) return;
  const double units = r.value * static_cast<double>(abmkpi::money_scale);
  const double diff = std::fabs(units - static_cast<double>(m.units));
  ABMKPI_FUZZ_CHECK(diff <= 1.0 + std::fabs(units) * 1e-12);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_money(text, false);
  check_money(text, true);
  check_number(text);
  return 0;
}
