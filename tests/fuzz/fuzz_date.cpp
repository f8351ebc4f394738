// Fuzz target: the date cell parser (io/values.hpp parse_date) under every date_order. The whole
// input is one cell. Invariants: deterministic; a date that is set is a real calendar day in
// 1000..9999 that round-trips through to_civil/make_date and through its ISO text; the evidence
// and an explicit order agree; an undecided cell can be read in at least one order; blanks around
// the cell change nothing.
#include <cstddef>       // std::size_t
#include <cstdint>       // std::uint8_t
#include <string>        // std::string
#include <string_view>   // std::string_view
#include <system_error>  // std::errc

#include "abmkpi/io/dates.hpp"
#include "abmkpi/io/values.hpp"
#include "abmkpi/model.hpp"
#include "fuzz_support.hpp"

namespace {

using abmkpi::io::date_order;
using abmkpi::io::date_result;
using abmkpi::io::date_shape;
using abmkpi::io::parse_date;

bool same(const date_result& a, const date_result& b) {
  return a.value == b.value && a.ec == b.ec && a.shape == b.shape && a.evidence == b.evidence;
}

void check_day(abmkpi::date d) {
  const abmkpi::civil c = abmkpi::to_civil(d);
  ABMKPI_FUZZ_CHECK(c.year >= 1000 && c.year <= 9999);
  ABMKPI_FUZZ_CHECK(c.month >= 1 && c.month <= 12);
  ABMKPI_FUZZ_CHECK(c.day >= 1 && c.day <= abmkpi::days_in_month(c.year, c.month));
  ABMKPI_FUZZ_CHECK(abmkpi::make_date(c.year, c.month, c.day) == d);
  // The ISO spelling reads back as the same day in any order.
  const std::string iso = abmkpi::to_iso(d);
  for (const date_order o : {date_order::undecided, date_order::ymd, date_order::mdy,
                             date_order::dmy}) {
    const date_result back = parse_date(iso, o);
    ABMKPI_FUZZ_CHECK(back.ec == std::errc{} && back.value == d);
    ABMKPI_FUZZ_CHECK(back.shape == date_shape::iso && back.evidence == date_order::ymd);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string padded = "\t " + std::string(text) + " \t";
  date_result by_order[4];
  for (const date_order o : {date_order::undecided, date_order::ymd, date_order::mdy,
                             date_order::dmy}) {
    const date_result r = parse_date(text, o);
    by_order[static_cast<int>(o)] = r;
    ABMKPI_FUZZ_CHECK(same(r, parse_date(text, o)));
    ABMKPI_FUZZ_CHECK(same(r, parse_date(padded, o)));
    if (r.ec != std::errc{}) {
      ABMKPI_FUZZ_CHECK(r.ec == std::errc::invalid_argument);
      ABMKPI_FUZZ_CHECK(r.value == abmkpi::date{});
      continue;
    }
    if (o == date_order::undecided && r.evidence == date_order::undecided) {
      ABMKPI_FUZZ_CHECK(r.shape != date_shape::iso);
      ABMKPI_FUZZ_CHECK(r.value == abmkpi::date{});  // the caller must decide and call again
      continue;
    }
    check_day(r.value);
    if (r.shape == date_shape::iso) ABMKPI_FUZZ_CHECK(r.evidence == date_order::ymd);
  }
  const date_result& undecided = by_order[0];
  if (undecided.ec == std::errc{}) {
    // Whatever order the text proves, reading it with that order gives the same day.
    if (undecided.evidence != date_order::undecided) {
      const date_result& proven = by_order[static_cast<int>(undecided.evidence)];
      ABMKPI_FUZZ_CHECK(proven.ec == std::errc{} && proven.value == undecided.value);
    } else {
      // An ambiguous cell is readable in at least one of the two orders.
      ABMKPI_FUZZ_CHECK(by_order[static_cast<int>(date_order::mdy)].ec == std::errc{} ||
                        by_order[static_cast<int>(date_order::dmy)].ec == std::errc{});
    }
  }
  // Evidence and shape describe the text, not the order asked for.
  for (int o = 1; o < 4; ++o)
    if (by_order[o].ec == std::errc{} && undecided.ec == std::errc{})
      ABMKPI_FUZZ_CHECK(by_order[o].evidence == undecided.evidence &&
                        by_order[o].shape == undecided.shape);
  return 0;
}
