// The walk that tests of planned accumulators share (touch_stats' scores, deal_stats' wins and
// sums): every shape of period request, with and without --compare previous, resolved as
// build_report resolves it, whether another table's events reach beyond this one's or not.
#pragma once

#include <cstddef>   // std::size_t
#include <cstdint>   // std::int32_t
#include <optional>  // std::nullopt
#include <string>    // std::string, std::to_string
#include <vector>    // std::vector

#include "abmkpi/engine/period.hpp"
#include "abmkpi/model.hpp"
#include "test_shim.hpp"

namespace abmkpi_test {

/// Six requests around `year`: all events, the year, its third quarter, --from Feb 10 --to
/// Nov 3, --to Jun 1 only, --from Jun 1 only.
inline std::vector<abmkpi::engine::period_request> period_requests(int year) {
  using abmkpi::engine::period_kind;
  const auto d = [&](unsigned m, unsigned day) { return abmkpi::make_date(year, m, day); };
  const std::string y = std::to_string(year);
  return {{},
          abmkpi::engine::parse_period(y),
          abmkpi::engine::parse_period(y + "-Q3"),
          {d(2, 10), d(11, 3), period_kind::custom},
          {std::nullopt, d(6, 1), period_kind::custom},
          {d(6, 1), std::nullopt, period_kind::custom}};
}

/// For each request of `requests` and --compare choice that has a plan: `build(plan)` makes
/// the planned accumulator, then `check(accumulator, q)` runs for each period q a report asks
/// (the period and, with --compare, the previous one), with events spanning [first, last] and
/// with other events 45 days beyond on both sides. Returns how many checks ran.
template <class Build, class Check>
std::size_t walk_planned_periods(const std::vector<abmkpi::engine::period_request>& requests,
                                 abmkpi::date first, abmkpi::date last, Build&& build,
                                 Check&& check) {
  namespace engine = abmkpi::engine;
  std::size_t checks = 0;
  for (const auto& r : requests)
    for (const bool previous : {false, true}) {
      const auto plan = engine::plan_period_windows(r, previous);
      if (!plan) {  // only the previous period of --from without --to depends on the data
        CHECK((previous && r.from && !r.to));
        continue;
      }
      const auto planned = build(*plan);
      for (const std::int32_t wider : {0, 45}) {
        const auto p = engine::resolve_period(r, abmkpi::date{first.days - wider},
                                              abmkpi::date{last.days + wider});
        REQUIRE(p);
        std::vector<abmkpi::period> asked{*p};
        if (previous) asked.push_back(engine::previous_period(*p, r.kind));
        for (const abmkpi::period& q : asked) {
          check(planned, q);
          ++checks;
        }
      }
    }
  return checks;
}

}  // namespace abmkpi_test
