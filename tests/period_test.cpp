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
