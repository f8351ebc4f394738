// Plain value types shared by every layer: calendar dates, exact money, the typed deal record and
// the reporting period. Standard headers only.
#pragma once

#include <cstdint>      // std::int32_t, std::int64_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace abmkpi {

/// A calendar date as a count of days since 1970-01-01 (proleptic Gregorian). No time zone.
struct date {
  std::int32_t days = 0;
  friend constexpr auto operator<=>(date, date) = default;
};

/// Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). m is 1..12, d is 1..31;
/// does not validate. Does not throw.
constexpr date make_date(int y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return date{static_cast<std::int32_t>(era * 146097 + static_cast<int>(doe) - 719468)};
}

/// The civil year, month and day of a date.
struct civil {
  int year;
  unsigned month;
  unsigned day;
};

/// Inverse of make_date (Hinnant's civil_from_days). Does not throw.
constexpr civil to_civil(date dt) noexcept {
  const int z = dt.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return civil{y + (m <= 2), m, d};
}

/// True for a leap year of the Gregorian calendar.
constexpr bool is_leap_year(int y) noexcept { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

/// Number of days in month m (1..12) of year y.
constexpr unsigned days_in_month(int y, unsigned m) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29u : days[m - 1];
}

/// `YYYY-MM-DD` for years 0..9999.
inline std::string to_iso(date dt) {
  const civil c = to_civil(dt);
  char buf[16];
  const int y = c.year < 0 ? 0 : (c.year > 9999 ? 9999 : c.year);
  buf[0] = static_cast<char>('0' + y / 1000);
  buf[1] = static_cast<char>('0' + y / 100 % 10);
  buf[2] = static_cast<char>('0' + y / 10 % 10);
  buf[3] = static_cast<char>('0' + y % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + c.month / 10);
  buf[6] = static_cast<char>('0' + c.month % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + c.day / 10);
  buf[9] = static_cast<char>('0' + c.day % 10);
  return std::string(buf, 10);
}

/// Money is exact: an integer count of 1/10000 of a currency unit (a hundredth of a cent), so
/// sums never depend on row order. Cells with more decimals are rounded half away from zero.
inline constexpr std::int64_t money_scale = 10000;

/// Largest money magnitude a single cell may hold: 10^14 units of currency (10^18 money units),
/// so any cell fits 64 bits; sums are accumulated in 128 bits.
inline constexpr std::int64_t money_max_units = 100'000'000'000'000LL * money_scale;

/// Converts exact minor units to a double for reporting.
constexpr double to_double_money(long double units) noexcept {
  return static_cast<double>(units / money_scale);
}

/// Outcome of a deal (SPEC §1.2 status rules).
enum class deal_status : std::uint8_t { open, won, lost };

/// Kind of a deal (SPEC §1.2 type rules). Empty type means new.
enum class deal_type : std::uint8_t { new_business, expansion, renewal };

/// A typed deal record. Strings are views into the reader's buffers and live only for the call
/// that receives the record.
struct deal {
  std::string_view deal_id;
  std::string_view account_id;  // falls back to account_name when the id column is absent/empty
  std::int64_t amount = 0;      // money units (money_scale), >= 0
  std::string_view currency;    // ISO code, empty when unknown
  deal_status status = deal_status::open;
  deal_type type = deal_type::new_business;
  date created;
  std::optional<date> closed;   // required for won/lost
  // A won deal's amount × 12 / contract months, rounded to a money unit; 0 for other deals
  // (only won deals' ACV is summed, SPEC §3.1).
  std::int64_t acv = 0;
  /// Probability in millionths as written (not yet scaled for a percentage column); empty when
  /// the cell is empty or there is no probability column.
  std::optional<std::int64_t> probability_micros;
  bool probability_is_percent_cell = false;  // the cell ended in '%'
  /// The cells of the `--by` columns, in `--by` order; nullopt where this table lacks the column
  /// (the accounts table may have it). Empty when no `--by` was given.
  std::span<const std::optional<std::string_view>> dims;
};

/// A row of the accounts table (SPEC §1.2). Optional fields are empty when the cell is.
struct account {
  std::string_view account_id;
  std::string_view name;
  bool target = false;
  std::optional<double> icp_fit;
  std::optional<date> customer_since;
  std::optional<date> churned_on;
  std::optional<std::int64_t> arr;        // money units
  std::optional<std::int64_t> potential;  // money units
  std::optional<int> nps;                 // 0..10
  std::span<const std::optional<std::string_view>> dims;  // as deal::dims
};

/// Funnel stage of a touch; other values count in none of the three.
enum class funnel_stage : std::uint8_t { none, tofu, mofu, bofu };

/// A row of the touches table. `channel` and `action` are normalized tokens (`form_fill`).
struct touch {
  std::string_view account_id;
  std::string_view contact_id;
  date day;
  std::string_view channel;
  std::string_view action;
  funnel_stage stage = funnel_stage::none;
};

/// Category of a spend line: empty means marketing, an unknown value other.
enum class spend_category : std::uint8_t { marketing, sales, other };

/// A row of the spend table.
struct spend_line {
  date day;
  std::int64_t amount = 0;  // money units; negative for refunds
  spend_category category = spend_category::marketing;
  bool abm = false;
};

/// An inclusive range of days, SPEC §2.
struct period {
  date from;
  date to;
  /// to − from + 1.
  constexpr std::int32_t days() const noexcept { return to.days - from.days + 1; }
  constexpr bool contains(date d) const noexcept { return from <= d && d <= to; }
};

}  // namespace abmkpi
