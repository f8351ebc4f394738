#include "test_shim.hpp"

#include "abmkpi/engine/period.hpp"

using namespace abmkpi;
using engine::parse_period;
using engine::period_kind;

TEST_CASE("parse_period: years, quarters and months", "[engine][period]") {
  auto y = parse_period("2024");
  CHECK(y.from == make_date(2024, 1, 1));
  CHECK(y.to == make_date(2024, 12, 31));
  CHECK(y.kind == period_kind::year);
  CHECK(period{*y.from, *y.to}.days() == 366);  // a leap year
  auto q = parse_period("2024-Q3");
  CHECK(q.from == make_date(2024, 7, 1));
  CHECK(q.to == make_date(2024, 9, 30));
  CHECK(period{*q.from, *q.to}.days() == 92);  // 31 + 31 + 30
  CHECK(parse_period("2023-q1").to == make_date(2023, 3, 31));
  auto m = parse_period("2024-02");
  CHECK(m.from == make_date(2024, 2, 1));
  CHECK(m.to == make_date(2024, 2, 29));
  CHECK(parse_period("2023-02").to == make_date(2023, 2, 28));
}

TEST_CASE("parse_period: malformed text is a usage error", "[engine][period]") {
  for (const char* bad : {"", "24", "2024-13", "2024-Q5", "2024-Q0", "2024-1", "2024/07", "20x4",
                          "2024-07-01"})
    CHECK_THROWS_AS(parse_period(bad), usage_error);
  CHECK_THROWS_WITH(parse_period("2024-13"),
                    "--period: cannot read \"2024-13\" (expected YYYY, YYYY-Qn or YYYY-MM, e.g. "
                    "2024, 2024-Q3, 2024-07)");
}

TEST_CASE("resolve_period: each bound defaults to the event span", "[engine][period]") {
  const date first = make_date(2023, 2, 1), last = make_date(2024, 12, 1);
  engine::period_request r;
  auto p = engine::resolve_period(r, first, last);
  REQUIRE(p);
  CHECK(p->from == first);
  CHECK(p->to == last);
  r.from = make_date(2024, 1, 1);
  p = engine::resolve_period(r, first, last);
  CHECK(p->from == make_date(2024, 1, 1));
  CHECK(p->to == last);
  CHECK_FALSE(engine::resolve_period(engine::period_request{}, std::nullopt, std::nullopt));
  r.from = make_date(2025, 1, 1);  // after the last event
  CHECK_THROWS_AS(engine::resolve_period(r, first, last), usage_error);
}

TEST_CASE("previous_period: the calendar unit before a named period (SPEC §4)",
          "[engine][period]") {
  using engine::previous_period;
  using engine::period_kind;
  const auto prev = [](std::string_view named) {
    const auto req = engine::parse_period(named);
    return previous_period(period{*req.from, *req.to}, req.kind);
  };
  // 2024 (366 days) → all of 2023 (365 days), not the 366 days ending 2023-12-31.
  CHECK(prev("2024").from == make_date(2023, 1, 1));
  CHECK(prev("2024").to == make_date(2023, 12, 31));
  CHECK(prev("2024").days() == 365);
  // Q1 → the previous year's Q4; Q3 → Q2 (91 days: 30 + 31 + 30).
  CHECK(prev("2024-Q1").from == make_date(2023, 10, 1));
  CHECK(prev("2024-Q1").to == make_date(2023, 12, 31));
  CHECK(prev("2024-Q3").from == make_date(2024, 4, 1));
  CHECK(prev("2024-Q3").days() == 91);
  // March of a leap year → its February, 29 days; January → the previous December.
  CHECK(prev("2024-03").from == make_date(2024, 2, 1));
  CHECK(prev("2024-03").days() == 29);
  CHECK(prev("2023-03").days() == 28);
  CHECK(prev("2024-01").from == make_date(2023, 12, 1));
  CHECK(prev("2024-01").to == make_date(2023, 12, 31));
}

TEST_CASE("previous_period: a custom range gets the equal-length range before it",
          "[engine][period]") {
  // 2024-03-10 .. 2024-03-19 is 10 days; the 10 days before end on 2024-03-09: 02-29 .. 03-09.
  const period p{make_date(2024, 3, 10), make_date(2024, 3, 19)};
  const period before = engine::previous_period(p, engine::period_kind::custom);
  CHECK(before.from == make_date(2024, 2, 29));
  CHECK(before.to == make_date(2024, 3, 9));
  CHECK(before.days() == p.days());
  // A one-day period: the day before.
  const period day{make_date(2024, 1, 1), make_date(2024, 1, 1)};
  CHECK(engine::previous_period(day, engine::period_kind::custom).from == make_date(2023, 12, 31));
  CHECK(engine::previous_period(day, engine::period_kind::custom).to == make_date(2023, 12, 31));
}
