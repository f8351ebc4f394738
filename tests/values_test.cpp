#include "test_shim.hpp"

#include "abmkpi/io/dates.hpp"
#include "abmkpi/io/token_cache.hpp"
#include "abmkpi/io/values.hpp"

#include <algorithm>    // std::shuffle
#include <cmath>        // std::signbit
#include <cstdint>      // std::int64_t, std::uint64_t
#include <random>       // std::mt19937, std::mt19937_64, std::uniform_int_distribution
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <system_error>  // std::errc

namespace Catch {
template <>
struct StringMaker<abmkpi::date> {
  static std::string convert(abmkpi::date d) {
    return abmkpi::to_iso(d) + " (" + std::to_string(d.days) + ")";
  }
};
}  // namespace Catch

namespace {

using abmkpi::make_date;
using abmkpi::io::date_order;
using abmkpi::io::date_shape;
using abmkpi::io::parse_bool;
using abmkpi::io::parse_date;
using abmkpi::io::parse_money;
using abmkpi::io::parse_number;

constexpr auto invalid = std::errc::invalid_argument;
constexpr auto out_of_range = std::errc::result_out_of_range;

/// Parses `text` and checks the units and currency of a readable cell.
void check_money(std::string_view text, std::int64_t units, std::string_view currency = {},
                 bool decimal_comma = false) {
  INFO("text: \"" << std::string(text) << "\" decimal_comma: " << decimal_comma);
  const auto r = parse_money(text, decimal_comma);
  CHECK(r.ec == std::errc{});
  CHECK(r.units == units);
  CHECK(r.currency == currency);
}

/// Parses `text` and checks that it fails with `ec`, units 0 and no currency.
void check_money_error(std::string_view text, std::errc ec, bool decimal_comma = false) {
  INFO("text: \"" << std::string(text) << "\" decimal_comma: " << decimal_comma);
  const auto r = parse_money(text, decimal_comma);
  CHECK(r.ec == ec);
  CHECK(r.units == 0);
  CHECK(r.currency.empty());
}

void check_date(std::string_view text, date_order order, abmkpi::date expected) {
  INFO("text: \"" << std::string(text) << "\" order: " << static_cast<int>(order));
  const auto r = parse_date(text, order);
  CHECK(r.ec == std::errc{});
  CHECK(r.value == expected);
}

void check_date_error(std::string_view text, date_order order = date_order::undecided) {
  INFO("text: \"" << std::string(text) << "\" order: " << static_cast<int>(order));
  CHECK(parse_date(text, order).ec == invalid);
}

/// `-1,234.56` style text for an amount in cents.
std::string format_cents(std::int64_t cents, char group, char point) {
  const std::uint64_t mag =
      cents < 0 ? 0 - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
  const std::string whole = std::to_string(mag / 100);
  std::string out = cents < 0 ? "-" : "";
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i != 0 && (whole.size() - i) % 3 == 0) out += group;
    out += whole[i];
  }
  out += point;
  out += static_cast<char>('0' + mag % 100 / 10);
  out += static_cast<char>('0' + mag % 10);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// trim

TEST_CASE("trim: drops ASCII spaces and tabs at both ends only", "[io][values]") {
  using abmkpi::io::trim;
  CHECK(trim("  a b \t") == "a b");
  CHECK(trim("\t\tx") == "x");
  CHECK(trim("") == "");
  CHECK(trim(" \t ") == "");
  CHECK(trim("\nx\r") == "\nx\r");  // line ends belong to the CSV layer, not to cells
  CHECK(trim("x ") == "x");         // one end only
  CHECK(trim("\tx") == "x");
  const std::string_view controls("\0x \x1f", 4);
  CHECK(trim(controls) == controls);  // control bytes at the ends stay
}

// ---------------------------------------------------------------------------------------------
// money

TEST_CASE("parse_money: plain decimals in money units", "[io][values]") {
  check_money("1234.5", 12'345'000);  // 1234.5 × 10^4
  check_money("-12", -120'000);
  check_money("+12", 120'000);
  check_money("0", 0);
  check_money("0.0001", 1);
  check_money(".5", 5'000);
  check_money("5.", 50'000);
  check_money("007.25", 72'500);
  check_money("  \t12.5 \t", 125'000);
}

TEST_CASE("parse_money: the plain-number fast path agrees with the general path", "[io][values]") {
  // Random strings over digits and the two marks (seed 11), both mark conventions: wherever the
  // fast path answers, the general parser gives the same units; and parse_money as a whole
  // equals the general parser everywhere.
  using abmkpi::io::detail::parse_money_general;
  using abmkpi::io::detail::plain_money;
  std::mt19937_64 rng(11);
  const std::string_view alphabet = "0123456789012345678901234567890123456789.,";
  int fast = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string text(1 + rng() % 20, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    for (const bool comma : {false, true}) {
      INFO(text << (comma ? " with --decimal-comma" : ""));
      const auto general = parse_money_general(text, comma);
      std::int64_t units = 0;
      if (plain_money(text, comma ? ',' : '.', units)) {
        ++fast;
        REQUIRE(general.ec == std::errc{});
        REQUIRE(general.units == units);
        REQUIRE(general.currency.empty());
      }
      const auto whole = parse_money(text, comma);
      REQUIRE(whole.ec == general.ec);
      REQUIRE(whole.units == general.units);
    }
  }
  CHECK(fast > 10000);  // the property was exercised
  // By hand: 1234.5 = 1234 × 10^4 + 5 × 10^3 units.
  std::int64_t units = 0;
  CHECK(plain_money("1234.5", '.', units));
  CHECK(units == 12'345'000);
  CHECK_FALSE(plain_money("012", '.', units));          // leading zero: the general path decides
  CHECK_FALSE(plain_money("1.23456", '.', units));      // a fifth decimal is rounded there
  CHECK_FALSE(plain_money("123456789012345", '.', units));  // 15 integer digits
}

TEST_CASE("plain_money: 8 to 16 bytes at once, with the point anywhere it may be", "[io][values]") {
  using abmkpi::io::detail::plain_money_8_to_16;
  std::int64_t units = -1;
  // 164250.62 = 164250 × 10^4 + 62 × 10^2 units (2 decimals).
  CHECK((plain_money_8_to_16("164250.62", '.', units) && units == 1'642'506'200));
  // 8 bytes, 4 decimals: 100.1234 = 100 × 10^4 + 1234.
  CHECK((plain_money_8_to_16("100.1234", '.', units) && units == 1'001'234));
  // 14 integer digits and no point (the most the loop takes), × 10^4.
  CHECK((plain_money_8_to_16("12345678901234", '.', units) &&
         units == 123'456'789'012'340'000LL));
  // 16 bytes: 14 digits, the point, 1 decimal: 98765432109876.5.
  CHECK((plain_money_8_to_16("98765432109876.5", '.', units) &&
         units == 987'654'321'098'765'000LL));
  // A decimal comma: 1234567,8 = 12345678 × 10^3.
  CHECK((plain_money_8_to_16("1234567,8", ',', units) && units == 12'345'678'000));
  // Left to the loop (which refuses them, or the general path rounds): the other mark, a
  // leading zero, 5 decimals, 15 integer digits, two points, a sign, a space, a letter.
  for (const char* text : {"1234567,8", "01234.56", "123.45678", "123456789012345",
                           "12.34.56", "-1234.56", "1234.5 6", "1234.5x6"})
    CHECK_FALSE(plain_money_8_to_16(text, '.', units));
  // Random strings of 8 to 16 bytes over digits and both marks (seed 12) against the loop of
  // plain_money, which parse_money's test above holds to the general parser: the word path
  // takes exactly the strings the loop takes, with the same units.
  std::mt19937_64 rng(12);
  const std::string_view alphabet = "01234567890123456789012345678901234567890123456789.,";
  int taken = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string text(8 + rng() % 9, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    for (const char point : {'.', ','}) {
      INFO(text << " point " << point);
      std::int64_t fast = 0, loop = 0;
      const bool by_words = plain_money_8_to_16(text, point, fast);
      REQUIRE(by_words == abmkpi::io::detail::plain_money_loop(text, point, loop));
      if (!by_words) continue;
      ++taken;
      REQUIRE(fast == loop);
    }
  }
  CHECK(taken > 10000);
}

TEST_CASE("parse_money: thousands groups need three digits", "[io][values]") {
  check_money("1,234.50", 12'345'000);
  check_money("12,345", 123'450'000);
  check_money("123,456,789.01", 1'234'567'890'100);
  check_money("1,000,000", 10'000'000'000);
  check_money_error("1,2345", invalid);
  check_money_error("12,34", invalid);
  check_money_error("1,234,5", invalid);
  check_money_error("1234,567", invalid);  // first group longer than 3 digits
  check_money_error(",123", invalid);
  check_money_error("1,,234", invalid);
  check_money_error("1,", invalid);
  check_money_error("1,234,", invalid);
  check_money_error("0,123", invalid);  // a decimal comma in disguise, not 123
  check_money_error("1 234", invalid);
}

TEST_CASE("parse_money: currency symbols and codes", "[io][values]") {
  check_money("$1,234.50", 12'345'000, "USD");
  check_money("-$5", -50'000, "USD");
  check_money("$-5", -50'000, "USD");
  check_money("$ 5", 50'000, "USD");
  check_money("\xE2\x82\xAC 99", 990'000, "EUR");  // € 99
  check_money("99 \xE2\x82\xAC", 990'000, "EUR");  // 99 €
  check_money("\xC2\xA3" "5", 50'000, "GBP");      // £5
  check_money("\xC2\xA5" "100", 1'000'000, "JPY");  // ¥100
  check_money("1234 USD", 12'340'000, "USD");
  check_money("USD 1234", 12'340'000, "USD");
  check_money("USD -5", -50'000, "USD");
  check_money("usd 12", 120'000, "usd");  // the code as written: callers upper-case it
  check_money("12 eur", 120'000, "eur");
  check_money("$5 USD", 50'000, "USD");
  check_money("$5 usd", 50'000, "USD");  // the symbol's static spelling wins
  check_money("usd 5 $", 50'000, "USD");
  check_money("EUR 5 eur", 50'000, "EUR");
}

TEST_CASE("parse_money: inconsistent or misplaced currency is rejected", "[io][values]") {
  check_money_error("$5 EUR", invalid);
  check_money_error("EUR 5 USD", invalid);
  check_money_error("\xC2\xA3" "5 $", invalid);
  check_money_error("$", invalid);
  check_money_error("USD", invalid);
  check_money_error("USD5", invalid);  // a code is separated by a space
  check_money_error("5USD", invalid);
  check_money_error("5 US", invalid);
  check_money_error("5 USDX", invalid);
  check_money_error("$$5", invalid);
  check_money_error("5 $ USD", invalid);
  check_money_error("R$ 5", invalid);
}

TEST_CASE("parse_money: accounting parentheses are negative", "[io][values]") {
  check_money("(1,234)", -12'340'000);
  check_money("($1,234.00)", -12'340'000, "USD");
  check_money("( 12.5 )", -125'000);
  check_money("(5 USD)", -50'000, "USD");
  check_money("(0)", 0);
  check_money_error("(-5)", invalid);
  check_money_error("($-5)", invalid);
  check_money_error("-(5)", invalid);
  check_money_error("(5", invalid);
  check_money_error("5)", invalid);
  check_money_error("()", invalid);
  check_money_error("(", invalid);
}

TEST_CASE("parse_money: exponent forms convert exactly", "[io][values]") {
  check_money("1.2e5", 1'200'000'000);  // 120000 × 10^4
  check_money("1E-2", 100);             // 0.01
  check_money("1.5E+3", 15'000'000);
  check_money("12e-4", 12);              // 0.0012
  check_money("5e-5", 1);                // 0.00005 rounds away from zero
  check_money("1e-5", 0);
  check_money("0.1e1", 10'000);
  check_money("0e400", 0);
  check_money("1e-400", 0);
  check_money("1e14", 1'000'000'000'000'000'000);  // exactly money_max_units
  check_money("$1.5e3", 15'000'000, "USD");
  check_money_error("1,234e3", invalid);  // grouped numbers take no exponent
  check_money_error("1,234.5e2", invalid);
  check_money_error("1e", invalid);
  check_money_error("1e+", invalid);
  check_money_error("e5", invalid);
  check_money_error("1e5.5", invalid);
}

TEST_CASE("parse_money: more than 4 decimals round half away from zero", "[io][values]") {
  check_money("0.00005", 1);
  check_money("0.00004", 0);
  check_money("0.000049999", 0);
  check_money("-0.00005", -1);
  check_money("1.23455", 12'346);
  check_money("1.234549999", 12'345);
  check_money("-1.23455", -12'346);
  check_money("2.99995", 30'000);
  check_money("(0.00015)", -2);
}

TEST_CASE("parse_money: decimal_comma swaps the marks", "[io][values]") {
  check_money("1.234,50", 12'345'000, {}, true);
  check_money("12,5", 125'000, {}, true);
  check_money("1.234", 12'340'000, {}, true);
  check_money("1234,567", 12'345'670, {}, true);
  check_money(",5", 5'000, {}, true);
  check_money("1,5e3", 15'000'000, {}, true);
  check_money("\xE2\x82\xAC 1.234.567,89", 12'345'678'900, "EUR", true);
  check_money("-1.000,00 EUR", -10'000'000, "EUR", true);
  check_money("(1.234)", -12'340'000, {}, true);
  check_money_error("1.5", invalid, true);  // '.' groups thousands: one digit is no group
  check_money_error("1,234.50", invalid, true);
  check_money_error("1.2345", invalid, true);
  check_money_error("1.234e3", invalid, true);
  check_money_error("1,2,3", invalid, true);
}

TEST_CASE("parse_money: magnitudes beyond money_max_units are out of range", "[io][values]") {
  check_money("100000000000000", abmkpi::money_max_units);  // 10^14 currency units
  check_money("-100,000,000,000,000", -abmkpi::money_max_units);
  check_money("99999999999999.99995", abmkpi::money_max_units);  // rounds up onto the limit
  check_money_error("100000000000001", out_of_range);
  check_money_error("100000000000000.0001", out_of_range);
  check_money_error("1e400", out_of_range);
  check_money_error("-1e19", out_of_range);
  check_money_error("1e99999999999999999999", out_of_range);
  check_money_error("99999999999999999999999999", out_of_range);
}

TEST_CASE("parse_money: at most 40 significant digits", "[io][values]") {
  const std::string forty = "1234567890123456789012345678901234567890";
  // 0.1234|5678… : the fifth decimal is 5, so 1234 rounds up to 1235.
  check_money("0." + forty, 1'235);
  // 0.0001|234… = 1.234 units: leading zeros are not significant, and do not count.
  check_money("0.000" + forty, 1);
  check_money_error("0." + forty + "1", out_of_range);
  check_money_error("1." + forty, out_of_range);
}

TEST_CASE("parse_money: unreadable text is invalid", "[io][values]") {
  for (const char* text :
       {"", "   ", "nan", "NaN", "inf", "-inf", "Infinity", "1.2.3", "12,3x", "--5", "+-5", "-+5",
        "$", "1 2", "- 5", "5-", "abc", ".", "-", "-.", "0x10", "1_000", "\xE2\x82\xAC", "5 %"}) {
    check_money_error(text, invalid);
  }
}

TEST_CASE("parse_money: negative zero is zero", "[io][values]") {
  check_money("-0", 0);
  check_money("-0.00", 0);
  check_money("-$0", 0, "USD");
  check_money("-0.00004", 0);
}

TEST_CASE("parse_money: formatted cents round-trip (seed 20240305)", "[io][values]") {
  constexpr std::uint64_t seed = 20240305;
  INFO("std::mt19937_64 seed " << seed);
  REQUIRE(format_cents(123'456, ',', '.') == "1,234.56");
  REQUIRE(format_cents(-5, '.', ',') == "-0,05");
  std::mt19937_64 rng(seed);
  // ±10^15 cents = ±10^13 currency units, well inside money_max_units.
  std::uniform_int_distribution<std::int64_t> cents_dist(-1'000'000'000'000'000,
                                                         1'000'000'000'000'000);
  std::uniform_int_distribution<int> digits_dist(1, 15);
  int failures = 0;
  for (int i = 0; i < 1000; ++i) {
    // Mix magnitudes so short amounts are as common as long ones.
    std::int64_t cents = cents_dist(rng);
    std::int64_t limit = 1;
    for (int d = digits_dist(rng); d > 0; --d) limit *= 10;
    cents %= limit;
    const std::string dot_text = format_cents(cents, ',', '.');
    const std::string comma_text = format_cents(cents, '.', ',');
    const auto a = parse_money(dot_text, false);
    const auto b = parse_money(comma_text, true);
    if (a.ec != std::errc{} || a.units != cents * 100 || b.ec != std::errc{} ||
        b.units != cents * 100) {
      ++failures;
      INFO("cents " << cents << " text " << dot_text << " / " << comma_text);
      CHECK(a.units == cents * 100);
      CHECK(b.units == cents * 100);
    }
  }
  CHECK(failures == 0);
}

// ---------------------------------------------------------------------------------------------
// dates

TEST_CASE("parse_date: make_date day counts checked by hand", "[io][values]") {
  // 1970..2023 is 54 years: 54 × 365 = 19710, plus 13 leap days (1972, 1976, …, 2020).
  CHECK(make_date(2024, 1, 1).days == 19723);
  // 2024-03-05 = 19723 + 31 (Jan) + 29 (Feb, leap) + 4.
  CHECK(parse_date("2024-03-05", date_order::undecided).value.days == 19787);
  // 2000-01-01 = 30 × 365 + 7 leap days (1972…1996) = 10957; + 31 + 29 → 2000-03-01.
  CHECK(parse_date("2000-03-01", date_order::undecided).value.days == 11017);
  CHECK(parse_date("1970-01-01", date_order::undecided).value.days == 0);
  CHECK(parse_date("1969-12-31", date_order::undecided).value.days == -1);
}

TEST_CASE("parse_date: ISO dates and months", "[io][values]") {
  const auto r = parse_date("2024-03-05", date_order::undecided);
  CHECK(r.ec == std::errc{});
  CHECK(r.value == make_date(2024, 3, 5));
  CHECK(r.shape == date_shape::iso);
  CHECK(r.evidence == date_order::ymd);
  check_date("2024-03", date_order::undecided, make_date(2024, 3, 1));
  check_date("2024-3-5", date_order::undecided, make_date(2024, 3, 5));
  check_date("  2024-12-31\t", date_order::undecided, make_date(2024, 12, 31));
  // The order only concerns slash and dot dates.
  check_date("2024-03-05", date_order::dmy, make_date(2024, 3, 5));
  check_date_error("2024-03 14:22");
  check_date_error("2024-");
  check_date_error("2024-03-");
  check_date_error("2024-003-05");
  check_date_error("24-03-05");
  check_date_error("20240305");
  check_date_error("2024-03-05x");
  check_date_error("2024-03-05-");
  check_date_error("");
  check_date_error("   ");
}

TEST_CASE("parse_date: ISO date-times use the date part", "[io][values]") {
  const auto day = make_date(2024, 3, 5);
  for (const char* text :
       {"2024-03-05T14:22:00Z", "2024-03-05T14:22:00.123+02:00", "2024-03-05 14:22",
        "2024-03-05 14:22:07", "2024-03-05T14:22:00-0500", "2024-03-05t14:22:00z",
        "2024-03-05T23:59:60Z", "2024-03-05  2:22 PM", "2024-03-05 12:00AM",
        "2024-03-05T00:00:00,5+14:00", "2024-03-05T14:22+01:00"}) {
    check_date(text, date_order::undecided, day);
  }
}

TEST_CASE("parse_date: a malformed time part makes the cell invalid", "[io][values]") {
  for (const char* text :
       {"2024-03-05T", "2024-03-05 14", "2024-03-05 14:2", "2024-03-05 24:00",
        "2024-03-05 14:60", "2024-03-05 14:22:61", "2024-03-05 14:22:7", "2024-03-05 14:22:00.",
        "2024-03-05T14:22:00+2", "2024-03-05T14:22:00+02", "2024-03-05T14:22:00+24:00",
        "2024-03-05T14:22:00+02:60", "2024-03-05T14:22:00+0260", "2024-03-05 14:22 XM",
        "2024-03-05 13:22 PM", "2024-03-05 0:22 AM", "2024-03-05 14:22:00 UTC",
        "2024-03-05T14:22:00ZZ", "2024-03-05T14:22Z+01:00", "2024-03-05 2:22 PM Z",
        "2024-03-05 PM", "2024-03-05T 14:22"}) {
    check_date_error(text);
  }
}

TEST_CASE("parse_date: the calendar is validated", "[io][values]") {
  check_date("2024-02-29", date_order::undecided, make_date(2024, 2, 29));
  check_date("2000-02-29", date_order::undecided, make_date(2000, 2, 29));  // divisible by 400
  check_date("1000-01-01", date_order::undecided, make_date(1000, 1, 1));
  check_date("9999-12-31", date_order::undecided, make_date(9999, 12, 31));
  for (const char* text : {"2024-02-30", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10",
                           "2024-01-00", "2024-04-31", "2024-01-32", "0999-12-31", "999-01-01",
                           "10000-01-01", "2024-13"}) {
    check_date_error(text);
  }
}

TEST_CASE("parse_date: slash and dot dates report their evidence", "[io][values]") {
  SECTION("both parts <= 12 leave the order undecided and the value unset") {
    const auto r = parse_date("3/5/2024", date_order::undecided);
    CHECK(r.ec == std::errc{});
    CHECK(r.shape == date_shape::slash);
    CHECK(r.evidence == date_order::undecided);
    CHECK(r.value == abmkpi::date{});
    CHECK(parse_date("12.12.2024", date_order::undecided).evidence == date_order::undecided);
    CHECK(parse_date("12.12.2024", date_order::undecided).shape == date_shape::dot);
  }
  SECTION("a first part above 12 proves day-first") {
    const auto r = parse_date("13/5/2024", date_order::undecided);
    CHECK(r.ec == std::errc{});
    CHECK(r.evidence == date_order::dmy);
    CHECK(r.value == make_date(2024, 5, 13));
    check_date("25.12.2023", date_order::undecided, make_date(2023, 12, 25));
  }
  SECTION("a second part above 12 proves month-first") {
    const auto r = parse_date("5/13/2024", date_order::undecided);
    CHECK(r.ec == std::errc{});
    CHECK(r.evidence == date_order::mdy);
    CHECK(r.value == make_date(2024, 5, 13));
  }
  SECTION("a 4-digit first part proves year-first") {
    const auto r = parse_date("2024/03/05", date_order::undecided);
    CHECK(r.ec == std::errc{});
    CHECK(r.shape == date_shape::slash);
    CHECK(r.evidence == date_order::ymd);
    CHECK(r.value == make_date(2024, 3, 5));
    check_date("2024.3.5", date_order::undecided, make_date(2024, 3, 5));
  }
  SECTION("evidence is reported even when an order is given") {
    const auto r = parse_date("5/13/2024", date_order::mdy);
    CHECK(r.evidence == date_order::mdy);
    CHECK(parse_date("3/5/2024", date_order::dmy).evidence == date_order::undecided);
  }
}

TEST_CASE("parse_date: a given order reads slash and dot dates", "[io][values]") {
  check_date("3/5/2024", date_order::mdy, make_date(2024, 3, 5));
  check_date("03/05/2024", date_order::mdy, make_date(2024, 3, 5));
  check_date("3/5/2024", date_order::dmy, make_date(2024, 5, 3));
  check_date("05.03.2024", date_order::dmy, make_date(2024, 3, 5));
  check_date("05.03.2024", date_order::mdy, make_date(2024, 5, 3));
  check_date("24/03/05", date_order::ymd, make_date(2024, 3, 5));  // yy/mm/dd
  // A 4-digit first part is year-first whatever the order says.
  check_date("2024/03/05", date_order::mdy, make_date(2024, 3, 5));
  check_date("2024/03/05", date_order::dmy, make_date(2024, 3, 5));
  // The text contradicts the order.
  check_date_error("13/5/2024", date_order::mdy);
  check_date_error("5/13/2024", date_order::dmy);
  check_date_error("3/5/2024", date_order::ymd);
  check_date_error("2024/13/05", date_order::undecided);
}

TEST_CASE("parse_date: two-digit years are 20yy", "[io][values]") {
  check_date("3/5/24", date_order::mdy, make_date(2024, 3, 5));
  check_date("3/5/99", date_order::mdy, make_date(2099, 3, 5));
  check_date("31.12.00", date_order::undecided, make_date(2000, 12, 31));
  check_date_error("3/5/4", date_order::mdy);
  check_date_error("3/5/202", date_order::mdy);
  check_date_error("3/5/02024", date_order::mdy);
}

TEST_CASE("parse_date: slash and dot dates with a time", "[io][values]") {
  check_date("3/5/2024 2:22 PM", date_order::mdy, make_date(2024, 3, 5));
  check_date("3/5/2024 14:22", date_order::mdy, make_date(2024, 3, 5));
  check_date("3/5/2024 2:22:07 am", date_order::mdy, make_date(2024, 3, 5));
  check_date("05.03.2024 14:22:07", date_order::dmy, make_date(2024, 3, 5));
  check_date("13/5/2024 9:00", date_order::undecided, make_date(2024, 5, 13));
  check_date_error("3/5/2024T14:22", date_order::mdy);
  check_date_error("3/5/2024 14:22 PM", date_order::mdy);
  check_date_error("3/5/2024 2 PM", date_order::mdy);
  // An undecided date still has its time checked before the caller is asked to decide.
  check_date_error("3/5/2024 25:00", date_order::undecided);
}

TEST_CASE("parse_date: malformed slash and dot dates", "[io][values]") {
  for (const char* text :
       {"3/5", "3/5/", "/5/2024", "3-5-2024", "3/5.2024", "3.5/2024", "3/5/2024x", "123/5/2024",
        "3/123/2024", "0/5/2024", "3/0/2024", "31/2/2024", "29/2/2023", "3//2024", "3/5/2024/1",
        "2024/03/2024", "a/b/c", "3 /5/2024"}) {
    check_date_error(text);
  }
  check_date("29/2/2024", date_order::undecided, make_date(2024, 2, 29));
}

// ---------------------------------------------------------------------------------------------
// booleans

TEST_CASE("parse_bool: the listed words, any case", "[io][values]") {
  for (const char* text : {"true", "TRUE", "True", "yes", "Yes", "y", "Y", "1", "x", "X", " x "}) {
    INFO(text);
    const auto r = parse_bool(text);
    CHECK(r.ec == std::errc{});
    CHECK(r.value);
  }
  for (const char* text : {"false", "FALSE", "no", "No", "n", "N", "0", "", "   "}) {
    INFO(text);
    const auto r = parse_bool(text);
    CHECK(r.ec == std::errc{});
    CHECK_FALSE(r.value);
  }
}

TEST_CASE("parse_bool: anything else is invalid", "[io][values]") {
  for (const char* text : {"maybe", "2", "t", "f", "-1", "yes please", "on", "off", "1.0", "xx"}) {
    INFO(text);
    const auto r = parse_bool(text);
    CHECK(r.ec == invalid);
    CHECK_FALSE(r.value);
  }
}

// ---------------------------------------------------------------------------------------------
// plain numbers

TEST_CASE("parse_number: decimals and a trailing percent sign", "[io][values]") {
  struct row {
    const char* text;
    double value;
    bool percent;
  };
  for (const row& c : {row{"12", 12.0, false}, row{"0.75", 0.75, false}, row{"75%", 75.0, true},
                       row{" 75 % ", 75.0, true}, row{"+5", 5.0, false}, row{"-2.5", -2.5, false},
                       row{".5", 0.5, false}, row{"5.", 5.0, false}, row{"1e3", 1000.0, false},
                       row{"2.5E-1%", 0.25, true}, row{"1e-400", 0.0, false}}) {
    INFO(c.text);
    const auto r = parse_number(c.text);
    CHECK(r.ec == std::errc{});
    CHECK(r.value == c.value);  // each literal is exactly representable or rounds identically
    CHECK(r.percent_sign == c.percent);
  }
  const auto zero = parse_number("-0");
  CHECK(zero.ec == std::errc{});
  CHECK_FALSE(std::signbit(zero.value));
}

TEST_CASE("parse_number: non-finite and unreadable text is rejected", "[io][values]") {
  for (const char* text : {"", "  ", "%", " % ", "nan", "NaN", "inf", "-inf", "+inf", "infinity",
                           "1,000", "12abc", "1 2", "0x10", "--1", "+-1", "-+1", "-", "+", ".",
                           "75%%", "%75", "$5", "1e", "1e+"}) {
    INFO(text);
    const auto r = parse_number(text);
    CHECK(r.ec == invalid);
    CHECK(r.value == 0);
  }
  for (const char* text : {"1e400", "-1e400", "1e309%"}) {
    INFO(text);
    const auto r = parse_number(text);
    CHECK(r.ec == out_of_range);
    CHECK(r.value == 0);
  }
}

// ---------------------------------------------------------------------------------------------
// tokens and headers

TEST_CASE("normalize_token: case and separator runs", "[io][values]") {
  std::string out = "left over from a previous call";
  const auto norm = [&out](std::string_view text) {
    abmkpi::io::normalize_token(text, out);
    return out;
  };
  CHECK(norm("Existing Customer - Upgrade") == "existing_customer_upgrade");
  CHECK(norm("Form Fill") == "form_fill");
  CHECK(norm("form-fill") == "form_fill");
  CHECK(norm("FORM_FILL") == "form_fill");
  CHECK(norm("  --Form__Fill--  ") == "form_fill");
  CHECK(norm("Closed\tWon") == "closed_won");
  CHECK(norm("up-sell") == "up_sell");
  CHECK(norm("add-on") == "add_on");
  CHECK(norm("renewal") == "renewal");
  CHECK(norm("Caf\xC3\xA9 Visit") == "caf\xC3\xA9_visit");  // UTF-8 bytes kept as they are
  CHECK(norm("") == "");
  CHECK(norm(" - _ ") == "");
}

TEST_CASE("normalize_header: ignores case, spaces, '_', '-' and '.'", "[io][values]") {
  std::string out = "stale";
  const auto norm = [&out](std::string_view text) {
    abmkpi::io::normalize_header(text, out);
    return out;
  };
  CHECK(norm("Probability (%)") == "probability(%)");
  CHECK(norm("Close Date") == "closedate");
  CHECK(norm("ACCOUNTID") == "accountid");
  CHECK(norm("Account_ID") == "accountid");
  CHECK(norm("account-id") == "accountid");
  CHECK(norm("Opportunity.Amount") == "opportunityamount");
  CHECK(norm("Contract Term (months)") == "contractterm(months)");
  CHECK(norm(" \tDeal  Stage ") == "dealstage");
  CHECK(norm("") == "");
}

TEST_CASE("parse_date: the YYYY-MM-DD fast path agrees with the general path (seed 3)",
          "[io][values]") {
  // Real dates, impossible ones (2023-02-29, month 13, day 00), years before 1000, digits
  // swapped for other bytes, with and without a time or a broken tail: the same day or the same
  // failure as parse_date_general, under every column order.
  std::mt19937_64 rng(3);
  const std::string alphabet = "0123456789012345678901234567890123456789-/ x";
  const char* tails[] = {"", "T06:58:00Z", " 14:22", "t23:59:59.5+02:00", "T25:00", "3", " ", "x",
                         "T", "  2:22 PM", "T06:58:00Zx"};
  for (int i = 0; i < 200000; ++i) {
    std::string s = std::to_string(900 + rng() % 9200);
    while (s.size() < 4) s.insert(0, "0");
    s += '-' + std::to_string(100 + rng() % 14).substr(1) + '-' +
         std::to_string(100 + rng() % 33).substr(1);
    if (i % 4 == 0) s[rng() % s.size()] = alphabet[rng() % alphabet.size()];
    s += tails[rng() % std::size(tails)];
    for (auto order : {date_order::undecided, date_order::mdy, date_order::dmy}) {
      const auto fast = parse_date(s, order);
      const auto general = abmkpi::io::detail::parse_date_general(s, order);
      INFO(s);
      REQUIRE(fast.ec == general.ec);
      REQUIRE(fast.value.days == general.value.days);
      if (fast.ec == std::errc{}) REQUIRE(fast.evidence == general.evidence);
    }
  }
}

TEST_CASE("iso_day: reads exactly the 10-byte dates the general path reads (seed 5)",
          "[io][values]") {
  // Every byte of a real date replaced in turn by each byte value: iso_day may only accept what
  // parse_date_general reads as the same day; and the real days of the table's years (every 1
  // to 7 days) must all be taken, so that the fast path is the one row_context uses.
  using abmkpi::io::detail::iso_day;
  using abmkpi::io::detail::parse_date_general;
  abmkpi::date d{};
  // By hand (see "make_date day counts"): 2024-03-05 is day 19787, 1900-01-01 is
  // −(70 × 365 + 17 leap days 1904…1968) = −25567, 2155-12-31 the table's last day.
  REQUIRE(iso_day("2024-03-05", d));
  CHECK(d.days == 19787);
  REQUIRE(iso_day("1900-01-01", d));
  CHECK(d.days == -25567);
  CHECK(iso_day("2155-12-31", d));
  CHECK_FALSE(iso_day("2156-01-01", d));  // past the table: the general path reads it
  CHECK_FALSE(iso_day("1899-12-31", d));
  CHECK_FALSE(iso_day("2023-02-29", d));  // not a day: the general path rejects it
  CHECK_FALSE(iso_day("2024-3-05 ", d));
  CHECK_FALSE(iso_day("2024-03-05T", d));  // 11 bytes
  CHECK_FALSE(iso_day("2024/03/05", d));
  for (const std::string base : {"2024-03-05", "1999-12-31", "2000-02-29", "2155-12-31"}) {
    for (std::size_t at = 0; at < base.size(); ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string s = base;
        s[at] = static_cast<char>(b);
        INFO(s);
        if (!iso_day(s, d)) continue;
        const auto general = parse_date_general(s, date_order::undecided);
        REQUIRE(general.ec == std::errc{});
        REQUIRE(general.value.days == d.days);
      }
    }
  }
  std::mt19937_64 rng(5);
  int taken = 0;
  for (std::int32_t day = make_date(1900, 1, 1).days; day <= make_date(2155, 12, 31).days;
       day += 1 + static_cast<std::int32_t>(rng() % 7)) {
    const std::string s = abmkpi::to_iso(abmkpi::date{day});
    INFO(s);
    REQUIRE(iso_day(s, d));
    REQUIRE(d.days == day);
    ++taken;
  }
  CHECK(taken > 20000);  // 93,500 days, one in four on average
}

TEST_CASE("parse_number: whole numbers read at once equal fast_float's (seed 4)", "[io][values]") {
  // "N" takes the whole-number path, "N.0" fast_float's: same value, percent sign and error.
  std::mt19937_64 rng(4);
  const std::string alphabet = "0123456789012345678901234567890123456789%. -x";
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    const std::size_t n = 1 + rng() % 10;
    for (std::size_t k = 0; k < n; ++k) s += alphabet[rng() % (i % 3 ? 10 : alphabet.size())];
    const std::string_view t = abmkpi::io::trim(s);
    const bool pct = !t.empty() && t.back() == '%';
    const std::string body(abmkpi::io::trim(pct ? t.substr(0, t.size() - 1) : t));
    const auto whole = parse_number(s);
    const auto general = parse_number(body + ".0" + (pct ? "%" : ""));
    INFO(s);
    // Not a whole number: the general path decides alone.
    if (whole.ec != std::errc{} || body.find('.') != std::string::npos) continue;
    REQUIRE(general.ec == std::errc{});
    REQUIRE(whole.value == general.value);
    REQUIRE(whole.percent_sign == general.percent_sign);
  }
  CHECK(parse_number("000000075").value == 75);
  CHECK(parse_number("999999999").value == 999999999.0);
  CHECK(parse_number("75 %").percent_sign);
}

TEST_CASE("token_cache: spellings sharing their first 8 bytes stay apart", "[io][values]") {
  // The cache matches on length, first and last 8 bytes, then the rest: each spelling must come
  // back normalized as normalize_token gives it, however many share a prefix or a suffix (with
  // the same length), and past 16 spellings.
  abmkpi::io::token_cache cache;
  std::vector<std::string> spellings = {"Existing Business", "Existing Customer - Upgrade",
                                        "Existing Business ", "existing", "Existing",
                                        "", "New", "new", "Closed Won", "Closed Lost",
                                        "Closed Won!", "12345678", "123456789", "Closed Wox",
                                        "Existing Business A", "Existing Business B",
                                        "Existing Xusiness A", "Xxisting Business"};
  for (int i = 0; i < 20; ++i) spellings.push_back("Stage " + std::to_string(i));
  // Rounds in other orders too: the 38 spellings share the 32 hint slots, so a slot's hint
  // often leads to another spelling, which must then be found by the scan.
  std::mt19937 rng(5);
  for (int round = 0; round < 6; ++round) {
    if (round >= 3) std::shuffle(spellings.begin(), spellings.end(), rng);
    for (const std::string& raw : spellings) {
      std::string want;
      abmkpi::io::normalize_token(raw, want);
      INFO(raw);
      CHECK(cache(raw) == want);
    }
  }
}

TEST_CASE("spelling_memo: a meaning is worked out once per spelling, up to 16", "[io][values]") {
  // 20 spellings seen 3 times each: the first 16 are worked out once (16 calls), the other 4
  // every time (4 × 3 = 12 calls), 28 calls in all; each answer is the spelling's own length.
  abmkpi::io::spelling_memo<std::size_t> memo;
  int calls = 0;
  const auto length = [&calls](std::string_view raw, std::size_t& out) {
    ++calls;
    out = raw.size();
  };
  std::vector<std::string> spellings;
  for (int i = 0; i < 20; ++i) spellings.push_back(std::string(static_cast<std::size_t>(i), 'x'));
  for (int round = 0; round < 3; ++round)
    for (const std::string& raw : spellings) CHECK(memo(raw, length) == raw.size());
  CHECK(calls == 28);
}
