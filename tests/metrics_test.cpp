#include "test_shim.hpp"

#include "abmkpi/metrics/deals.hpp"
#include "abmkpi/metrics/stats.hpp"

using abmkpi::metrics::compute_deal_kpis;
using abmkpi::metrics::deal_totals;
using Catch::Matchers::WithinRel;

TEST_CASE("wilson_interval: 6 of 9 matches the worked example", "[metrics][stats]") {
  // (k + z²/2 ∓ z·√(k(n−k)/n + z²/4)) / (n + z²) with k=6, n=9, z²=3.8414588:
  // (7.9207294 ∓ 3.3722569) / 12.8414588 = 0.354202 / 0.879416.
  auto ci = abmkpi::metrics::wilson_interval(6, 9);
  REQUIRE(ci);
  CHECK_THAT(ci->low, WithinRel(0.3542021355803963, 1e-12));
  CHECK_THAT(ci->high, WithinRel(0.879416181613089, 1e-12));
}

TEST_CASE("wilson_interval: all successes reach 1, none is 0 trials", "[metrics][stats]") {
  // k = n = 2: √(0 + z²/4) = z/2, so the low end is 2 / (2 + z²) = 2 / 5.8414588 = 0.342380.
  auto ci = abmkpi::metrics::wilson_interval(2, 2);
  REQUIRE(ci);
  CHECK_THAT(ci->low, WithinRel(0.34238022750665303, 1e-12));
  CHECK(ci->high == 1.0);
  CHECK_FALSE(abmkpi::metrics::wilson_interval(0, 0));
}

TEST_CASE("ratio: zero denominators are null, never NaN", "[metrics][stats]") {
  CHECK_FALSE(abmkpi::metrics::ratio(1.0, 0.0));
  CHECK_FALSE(abmkpi::metrics::ratio(0.0, 0.0));
  CHECK(*abmkpi::metrics::ratio(3.0, 4.0) == 0.75);
}

// The 2024 deals of ../shared/worked-example, summed by hand (its README, §3.1).
static deal_totals worked_example_2024() {
  deal_totals t;
  t.won = 6;                  // D01 D02 D04 D08 D12 D14
  t.lost = 3;                 // D03 D05 D13
  t.expansion_won = 3;        // D04 D08 D14
  t.bookings = 278000;        // 120000+30000+50000+15000+18000+45000
  t.lost_amount = 69000;      // 20000+40000+9000
  t.new_bookings = 168000;    // 120000+30000+18000
  t.expansion_bookings = 110000;
  t.acv_total = 233000;       // 60000+30000+50000+30000+18000+45000
  t.cycle_days_sum = 435;     // 60+60+60+120+90+45
  t.cycle_days_median = 60;   // 45,60,60,60,90,120
  t.created = 11;
  t.created_amount = 407000;
  t.open_at_end = 3;          // D06, D07, D11 (closes after to)
  t.open_amount = 78000;      // 60000+10000+8000
  t.weighted_known = 600;     // D06: 60000 × 1 %
  t.weighted_unknown_amount = 18000;  // D07 (empty) + D11 (closed after to)
  t.accounts_with_one_win = 5;
  t.accounts_with_two_wins = 3;
  return t;
}

TEST_CASE("compute_deal_kpis: the worked example's 2024 values", "[metrics][deals]") {
  const auto k = compute_deal_kpis(worked_example_2024());
  CHECK(k.deals_won == 6);
  CHECK(k.deals_lost == 3);
  CHECK_THAT(*k.win_rate, WithinRel(6.0 / 9, 1e-15));
  CHECK_THAT(*k.win_rate_by_value, WithinRel(278000.0 / 347000, 1e-15));  // 0.801153
  CHECK_THAT(*k.avg_deal_size, WithinRel(46333.333333333336, 1e-15));      // 278000 / 6
  CHECK_THAT(*k.acv_avg, WithinRel(38833.333333333336, 1e-15));            // 233000 / 6
  CHECK(*k.sales_cycle_days_avg == 72.5);                                  // 435 / 6
  CHECK(*k.sales_cycle_days_median == 60);
  CHECK(*k.weighted_pipeline == 12600);  // 600 + 18000 × 2/3
  // 3 × (6/9) × 46333.33 / 72.5 = 1278.16
  CHECK_THAT(*k.pipeline_velocity, WithinRel(1278.16091954023, 1e-12));
  CHECK(*k.repeat_customer_rate == 0.6);  // 3 / 5
  CHECK(k.expansion_deals_won == 3);
}

TEST_CASE("compute_deal_kpis: nothing closed leaves rates null", "[metrics][deals]") {
  deal_totals t;
  t.open_at_end = 2;
  t.open_amount = 500;
  t.weighted_known = 100;
  auto k = compute_deal_kpis(t);
  CHECK_FALSE(k.win_rate);
  CHECK_FALSE(k.win_rate_ci95_low);
  CHECK_FALSE(k.avg_deal_size);
  CHECK_FALSE(k.pipeline_velocity);
  CHECK(*k.weighted_pipeline == 100);  // every open deal had its own probability
  t.weighted_unknown_amount = 50;      // one needs the (null) win rate
  CHECK_FALSE(compute_deal_kpis(t).weighted_pipeline);
}

TEST_CASE("compute_deal_kpis: nothing open weighs 0", "[metrics][deals]") {
  deal_totals t;
  t.won = 1;
  t.bookings = 10;
  t.cycle_days_sum = 30;
  auto k = compute_deal_kpis(t);
  CHECK(*k.weighted_pipeline == 0);
  CHECK(*k.win_rate == 1);
  CHECK(*k.pipeline_velocity == 0);  // 0 open deals × 1 × 10 / 30 days
  t.cycle_days_sum = 0;              // a same-day win: the mean cycle is 0 days → null velocity
  CHECK_FALSE(compute_deal_kpis(t).pipeline_velocity);
}

TEST_CASE("two_proportion_p_value: the worked example's cohorts", "[metrics][stats]") {
  // 4 of 5 against 2 of 4: pooled p = 6/9, se = √(6/9 × 3/9 × (1/5 + 1/4)) = √(0.2222 × 0.45)
  // = √0.1 = 0.316228; z = (0.8 − 0.5) / 0.316228 = 0.948683; p = erfc(z/√2) = 0.342782.
  const auto p = abmkpi::metrics::two_proportion_p_value(4, 5, 2, 4);
  REQUIRE(p);
  CHECK_THAT(*p, WithinRel(0.3427817111479114, 1e-12));
  // The test is two-sided: swapping the cohorts gives the same p-value.
  CHECK_THAT(*abmkpi::metrics::two_proportion_p_value(2, 4, 4, 5), WithinRel(*p, 1e-15));
}

TEST_CASE("two_proportion_p_value: z = 2 is just significant at 5%", "[metrics][stats]") {
  // 30 of 50 against 20 of 50: pooled p = 0.5, se = √(0.25 × (1/50 + 1/50)) = √0.01 = 0.1,
  // z = (0.6 − 0.4) / 0.1 = 2, p = erfc(2/√2) = 2 × (1 − Φ(2)) = 2 × 0.0227501 = 0.0455003.
  const auto p = abmkpi::metrics::two_proportion_p_value(30, 50, 20, 50);
  REQUIRE(p);
  CHECK_THAT(*p, WithinRel(0.04550026389635842, 1e-9));
  CHECK(*p < 0.05);
  // Equal rates: z = 0, p = 1.
  CHECK(abmkpi::metrics::two_proportion_p_value(10, 20, 5, 10) == 1.0);
}

TEST_CASE("two_proportion_p_value: null without trials or without variance", "[metrics][stats]") {
  CHECK_FALSE(abmkpi::metrics::two_proportion_p_value(0, 0, 2, 4));  // a cohort closed nothing
  CHECK_FALSE(abmkpi::metrics::two_proportion_p_value(3, 3, 5, 5));  // all won: pooled p = 1
  CHECK_FALSE(abmkpi::metrics::two_proportion_p_value(0, 3, 0, 5));  // all lost: pooled p = 0
}
