#include "test_shim.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "abmkpi/engine/deal_stats.hpp"
#include "abmkpi/metrics/deals.hpp"
#include "planned_periods.hpp"

using namespace abmkpi;

namespace {
struct owned_deal {
  std::string id, account;
  deal d;
};

// Random deals with replayable seeds: amounts with cents, all statuses and types, probabilities.
std::vector<owned_deal> random_deals(std::uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<owned_deal> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    owned_deal& o = out[static_cast<std::size_t>(i)];
    o.id = "D" + std::to_string(i);
    o.account = "A" + std::to_string(rng() % 40);
    o.d.amount = static_cast<std::int64_t>(rng() % 10'000'000) * 100;  // up to 100000.00
    o.d.created = date{19000 + static_cast<std::int32_t>(rng() % 800)};
    o.d.status = static_cast<deal_status>(rng() % 3);
    o.d.type = static_cast<deal_type>(rng() % 3);
    o.d.acv = o.d.amount * 12 / (1 + static_cast<std::int64_t>(rng() % 36));
    if (o.d.status != deal_status::open)
      // Cycles up to 699 days: both the per-day counter rows (< 512) and the table beyond.
      o.d.closed =
          date{o.d.created.days + static_cast<std::int32_t>(rng() % (rng() % 4 ? 200 : 700))};
    if (rng() % 3 != 0) o.d.probability_micros = static_cast<std::int64_t>(rng() % 1'000'001);
  }
  return out;
}

engine::deal_stats feed(std::vector<owned_deal>& deals, std::size_t begin, std::size_t end) {
  engine::deal_stats s;
  for (std::size_t i = begin; i < end; ++i) {
    deals[i].d.deal_id = deals[i].id;
    deals[i].d.account_id = deals[i].account;
    s.add(deals[i].d);
  }
  return s;
}

void require_same(const metrics::deal_totals& a, const metrics::deal_totals& b) {
  CHECK(a.won == b.won);
  CHECK(a.lost == b.lost);
  CHECK(a.expansion_won == b.expansion_won);
  CHECK(a.bookings == b.bookings);  // exact: money sums are integers
  CHECK(a.lost_amount == b.lost_amount);
  CHECK(a.new_bookings == b.new_bookings);
  CHECK(a.expansion_bookings == b.expansion_bookings);
  CHECK(a.renewal_bookings == b.renewal_bookings);
  CHECK(a.acv_total == b.acv_total);
  CHECK(a.cycle_days_sum == b.cycle_days_sum);
  CHECK(a.cycle_days_median == b.cycle_days_median);
  CHECK(a.created == b.created);
  CHECK(a.created_amount == b.created_amount);
  CHECK(a.open_at_end == b.open_at_end);
  CHECK(a.open_amount == b.open_amount);
  CHECK(a.weighted_known == b.weighted_known);
  CHECK(a.weighted_unknown_amount == b.weighted_unknown_amount);
  CHECK(a.accounts_with_one_win == b.accounts_with_one_win);
  CHECK(a.accounts_with_two_wins == b.accounts_with_two_wins);
}

// A naive reference: SPEC §2 and §3.1 applied deal by deal.
metrics::deal_totals naive(const std::vector<owned_deal>& deals, period p) {
  metrics::deal_totals t;
  long double won = 0, open_amount = 0;
  std::vector<std::int32_t> cycles;
  for (const auto& o : deals) {
    const deal& d = o.d;
    if (d.status == deal_status::won && p.contains(*d.closed)) {
      ++t.won;
      won += d.amount;
      cycles.push_back(d.closed->days - d.created.days);
    }
    if (d.status == deal_status::lost && p.contains(*d.closed)) ++t.lost;
    if (p.contains(d.created)) ++t.created;
    const bool open = d.created <= p.to && (d.status == deal_status::open || *d.closed > p.to);
    if (open) {
      ++t.open_at_end;
      open_amount += d.amount;
    }
  }
  t.bookings = static_cast<double>(won / money_scale);
  t.open_amount = static_cast<double>(open_amount / money_scale);
  std::sort(cycles.begin(), cycles.end());
  if (!cycles.empty()) {
    const std::size_t n = cycles.size();
    t.cycle_days_median = n % 2 ? cycles[n / 2] : (cycles[n / 2 - 1] + cycles[n / 2]) / 2.0;
  }
  return t;
}
}  // namespace

TEST_CASE("deal_stats: results do not depend on row order or chunking (seed 7)",
          "[engine][deals]") {
  auto deals = random_deals(7, 3000);
  const period periods[] = {{date{19000}, date{19799}}, {date{19100}, date{19400}},
                            {date{19500}, date{19500}}, {date{20000}, date{20100}}};
  const engine::deal_stats whole = feed(deals, 0, deals.size());
  auto shuffled = deals;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(99));
  const engine::deal_stats reordered = feed(shuffled, 0, shuffled.size());
  engine::deal_stats merged = feed(deals, 2000, 3000);  // chunks merged out of order
  merged.merge(feed(deals, 0, 700));
  merged.merge(feed(deals, 700, 2000));
  for (const period& p : periods) {
    for (bool percent : {false, true}) {
      const auto expected = whole.totals(p, percent);
      require_same(expected, reordered.totals(p, percent));
      require_same(expected, merged.totals(p, percent));
    }
  }
  CHECK(merged.rows() == 3000);
  CHECK(merged.first_event() == whole.first_event());
  CHECK(merged.last_event() == whole.last_event());
}

TEST_CASE("deal_stats: parts fed through the totals' batch count as if added on their own",
          "[engine][deals]") {
  // The --by path: the totals (sums_from_parts) take every deal and write its day sums and
  // cycles into its group's accumulator (add's `part`); fold_sums adds the groups back.
  auto deals = random_deals(17, 1000);
  for (auto& o : deals) o.d.deal_id = o.id, o.d.account_id = o.account;
  engine::deal_stats all, even, odd;
  all.sums_from_parts(true);
  for (std::size_t i = 0; i < deals.size(); ++i)
    all.add(deals[i].d, engine::deal_stats::no_group, i % 2 == 0 ? &even : &odd);
  CHECK_THROWS_AS(all.fold_sums(even), std::logic_error);  // rows and events not counted yet
  // 1000 deals: the last 8 wait in the totals' batch (32), which count_from_sums applies first.
  even.count_from_sums(all);
  odd.count_from_sums(all);
  all.fold_sums(even);
  all.fold_sums(odd);
  std::vector<owned_deal> evens, odds;
  for (std::size_t i = 0; i < deals.size(); ++i) (i % 2 == 0 ? evens : odds).push_back(deals[i]);
  const engine::deal_stats whole = feed(deals, 0, deals.size());
  const engine::deal_stats even_alone = feed(evens, 0, evens.size());
  const engine::deal_stats odd_alone = feed(odds, 0, odds.size());
  const period p{date{19000}, date{19799}};
  require_same(whole.totals(p, false), all.totals(p, false));
  // Rows and event days, counted from the day sums, are those of the deals added on their own.
  CHECK(even.rows() == 500);
  CHECK(odd.rows() == 500);
  CHECK(even.first_event() == even_alone.first_event());
  CHECK(even.last_event() == even_alone.last_event());
  CHECK(odd.first_event() == odd_alone.first_event());
  CHECK(odd.last_event() == odd_alone.last_event());
  CHECK(even.probability_above_one() == all.probability_above_one());
  // The groups keep no accounts of their own (the totals do): compare their sums.
  metrics::deal_totals e = even.totals(p, false), e_alone = even_alone.totals(p, false);
  e_alone.accounts_with_one_win = e_alone.accounts_with_two_wins = 0;
  require_same(e_alone, e);
}

TEST_CASE("deal_stats: a move keeps the deals waiting in the batch", "[engine][deals]") {
  // Fewer deals than a batch, a third won after 600+ days (the table beyond the counter rows):
  // all of them wait in the batch when the accumulator moves, and must land in the moved-to one.
  auto deals = random_deals(19, 31);
  for (std::size_t i = 0; i < deals.size(); i += 3) {  // won, with cycles past the counters
    deals[i].d.status = deal_status::won;
    deals[i].d.closed = date{deals[i].d.created.days + 600 + static_cast<std::int32_t>(i)};
  }
  const engine::deal_stats reference = feed(deals, 0, deals.size());
  std::vector<engine::deal_stats> moved;
  moved.push_back(feed(deals, 0, deals.size()));
  moved.reserve(8);  // and once more, as the vector grows
  const period p{date{19000}, date{19799}};
  require_same(reference.totals(p, false), moved[0].totals(p, false));
}

TEST_CASE("deal_stats: agrees with a naive per-deal reference (seed 11)", "[engine][deals]") {
  auto deals = random_deals(11, 2000);
  const engine::deal_stats s = feed(deals, 0, deals.size());
  for (const period& p : {period{date{19000}, date{19799}}, period{date{19200}, date{19300}}}) {
    const auto got = s.totals(p, false);
    const auto want = naive(deals, p);
    CHECK(got.won == want.won);
    CHECK(got.lost == want.lost);
    CHECK(got.created == want.created);
    CHECK(got.open_at_end == want.open_at_end);
    CHECK(got.bookings == want.bookings);
    CHECK(got.open_amount == want.open_amount);
    CHECK(got.cycle_days_median == want.cycle_days_median);
    const auto k = metrics::compute_deal_kpis(got);
    if (k.win_rate) {
      CHECK(*k.win_rate >= 0);
      CHECK(*k.win_rate <= 1);
      CHECK(*k.win_rate_ci95_low <= *k.win_rate);
      CHECK(*k.win_rate_ci95_high >= *k.win_rate);
    }
  }
}

TEST_CASE("deal_stats: repeat customers count wins closed by the period's end", "[engine][deals]") {
  std::vector<owned_deal> deals(3);
  deals[0] = {"D1", "A", {}};
  deals[1] = {"D2", "A", {}};
  deals[2] = {"D3", "B", {}};
  for (auto& o : deals) o.d.status = deal_status::won;
  deals[0].d.created = date{100}, deals[0].d.closed = date{110};
  deals[1].d.created = date{100}, deals[1].d.closed = date{300};
  deals[2].d.created = date{100}, deals[2].d.closed = date{120};
  const auto s = feed(deals, 0, 3);
  auto t = s.totals(period{date{100}, date{200}}, false);
  CHECK(t.accounts_with_one_win == 2);  // A (day 110) and B (day 120)
  CHECK(t.accounts_with_two_wins == 0);  // A's second win is on day 300
  t = s.totals(period{date{100}, date{300}}, false);
  CHECK(t.accounts_with_two_wins == 1);
  // Merging A's wins from two chunks keeps both, and not twice the same one.
  engine::deal_stats split = feed(deals, 0, 1);
  split.merge(feed(deals, 1, 3));
  CHECK(split.totals(period{date{100}, date{300}}, false).accounts_with_two_wins == 1);
  engine::deal_stats one = feed(deals, 0, 1);
  one.merge(feed(deals, 2, 3));
  CHECK(one.totals(period{date{100}, date{300}}, false).accounts_with_two_wins == 0);
}

TEST_CASE("deal_stats: customers_only keeps the summaries of won deals and lost renewals alone",
          "[engine][deals]") {
  std::vector<owned_deal> deals(5);
  deals[0] = {"D1", "A", {}};  // A: won on day 110 and open: a customer
  deals[1] = {"D2", "A", {}};
  deals[2] = {"D3", "B", {}};  // B: an open deal and a lost new-business deal: no customer
  deals[3] = {"D4", "B", {}};
  deals[4] = {"D5", "C", {}};  // C: a lost renewal (churn, SPEC §3.2)
  for (auto& o : deals) o.d.created = date{100};
  deals[0].d.status = deal_status::won, deals[0].d.closed = date{110};
  deals[3].d.status = deal_status::lost, deals[3].d.closed = date{150};
  deals[4].d.status = deal_status::lost, deals[4].d.closed = date{160};
  deals[4].d.type = deal_type::renewal;
  const engine::deal_stats full = feed(deals, 0, deals.size());
  engine::deal_stats lean;
  lean.customers_only(true);
  for (auto& o : deals) {
    o.d.deal_id = o.id;
    o.d.account_id = o.account;
    lean.add(o.d);
  }
  CHECK(full.accounts().size() == 3);
  REQUIRE(lean.accounts().size() == 2);  // A and C; B has no deal that makes it a customer
  CHECK_FALSE(lean.accounts().find("B"));
  CHECK(lean.accounts().find("A")->first_won == date{110});
  CHECK(lean.accounts().find("A")->deals == 1);  // the open deal does not reach the summary
  CHECK(lean.accounts().find("C")->last_lost_renewal == date{160});
  CHECK(lean.rows() == 5);
  // Keeping briefs (influence reads every deal) overrides it.
  engine::deal_stats briefs;
  briefs.customers_only(true);
  briefs.keep_briefs(true);
  for (const auto& o : deals) briefs.add(o.d);
  CHECK(briefs.accounts().size() == 3);
}

TEST_CASE("deal_stats: customers_only changes no total, merged or not (seed 17)",
          "[engine][deals]") {
  auto deals = random_deals(17, 3000);
  const engine::deal_stats full = feed(deals, 0, deals.size());
  const auto lean_of = [&](std::size_t begin, std::size_t end) {
    engine::deal_stats s;
    s.customers_only(true);
    for (std::size_t i = begin; i < end; ++i) s.add(deals[i].d);  // feed() set the views
    return s;
  };
  engine::deal_stats lean = lean_of(1200, 3000);
  lean.merge(lean_of(0, 1200));
  for (const period& p : {period{date{19000}, date{19799}}, period{date{19300}, date{19500}}}) {
    require_same(full.totals(p, false), lean.totals(p, false));
    CHECK(full.accounts_won_in(p) == lean.accounts_won_in(p));
  }
  // Every account with a win or a lost renewal keeps the same dates.
  std::size_t customers = 0;
  full.accounts().for_each([&](const std::string& id, const engine::account_deals& a) {
    const engine::account_deals* l = lean.accounts().find(id);
    if (!a.first_won && !a.last_lost_renewal) {
      CHECK_FALSE(l);
      return;
    }
    ++customers;
    REQUIRE(l);
    CHECK(l->first_won == a.first_won);
    CHECK(l->second_won == a.second_won);
    CHECK(l->last_won == a.last_won);
    CHECK(l->last_lost_renewal == a.last_lost_renewal);
    CHECK(l->won_days == a.won_days);
  });
  CHECK(customers == lean.accounts().size());
}

TEST_CASE("cycle_histogram: counters carry into the table past their maximum", "[engine][deals]") {
  // 8-bit counters carry at 256. Day 100, cycle 5: 300 deals in one histogram, 250 + 250 in two
  // merged ones (the merge's sum passes 255); cycle 600 is beyond the rows. Period [100, 100].
  using hist = engine::basic_cycle_histogram<std::uint8_t>;
  const auto counts = [](const hist& h, period p) {
    std::map<std::int32_t, std::int64_t> out;
    h.for_each_in(p, [&](std::int32_t c, std::int64_t n) { out[c] += n; });
    return out;
  };
  const period day100{date{100}, date{100}};
  hist one;
  for (int i = 0; i < 300; ++i) one.add(date{100}, 5);
  one.add(date{100}, 600);
  one.add(date{101}, 5);  // outside the period
  CHECK(counts(one, day100) == std::map<std::int32_t, std::int64_t>{{5, 300}, {600, 1}});
  hist a, b;
  for (int i = 0; i < 250; ++i) a.add(date{100}, 5), b.add(date{100}, 5);
  b.add(date{100}, 7);
  a.merge(b);
  CHECK(counts(a, day100) == std::map<std::int32_t, std::int64_t>{{5, 500}, {7, 1}});
  CHECK(counts(a, period{date{90}, date{99}}).empty());
}

TEST_CASE("deal_stats: monthly() sees deals still waiting in the batch", "[engine][deals]") {
  // add() batches its updates; monthly() called right after must count them. Two deals of
  // 100.00 and 50.00 (money units ×10000), created day 100, the first won on day 110:
  // created Σ = 1500000 units, won Σ = 1000000 units.
  engine::deal_stats s;
  abmkpi::deal d;
  d.deal_id = "D1";
  d.account_id = "A";
  d.amount = 1000000;
  d.status = abmkpi::deal_status::won;
  d.created = date{100};
  d.closed = date{110};
  s.add(d);
  d.deal_id = "D2";
  d.amount = 500000;
  d.status = abmkpi::deal_status::open;
  d.closed.reset();
  s.add(d);
  engine::money_sum created = 0, won = 0;
  for (const auto& m : s.monthly(period{date{90}, date{130}}))
    created += m.created_amount, won += m.won_amount;
  CHECK(created == 1500000);
  CHECK(won == 1000000);
}

namespace {
engine::deal_stats planned(std::vector<owned_deal>& deals, std::size_t begin, std::size_t end,
                           const std::vector<engine::period_window>& plan) {
  engine::deal_stats s;
  s.plan_windows(plan);
  for (std::size_t i = begin; i < end; ++i) {
    deals[i].d.deal_id = deals[i].id;
    deals[i].d.account_id = deals[i].account;
    s.add(deals[i].d);
  }
  return s;
}
}  // namespace

TEST_CASE("deal_stats: a plan keeps each account's wins and cycles per window",
          "[engine][deals]") {
  // All created on day 50. A wins on days 150 and 95, B on day 100, C loses on day 120 and D
  // wins on day 99. Windows: the period [100, 199] and the previous one [0, 99].
  // Won in [100, 199]: A (150), B (100) = 2; cycles 100 and 50, median 75.
  // Won in [0, 99]: A (95), D (99) = 2; cycles 45 and 49, median 47.
  std::vector<owned_deal> deals(5);
  const auto set = [&](std::size_t i, const char* account, deal_status s, int closed) {
    deals[i] = {"D" + std::to_string(i), account, {}};
    deals[i].d.status = s;
    deals[i].d.created = date{50};
    deals[i].d.closed = date{closed};
  };
  set(0, "A", deal_status::won, 150);
  set(1, "B", deal_status::won, 100);
  set(2, "C", deal_status::lost, 120);
  set(3, "A", deal_status::won, 95);
  set(4, "D", deal_status::won, 99);
  const std::vector<engine::period_window> plan{{100, 199}, {0, 99}};
  const period now{date{100}, date{199}}, before{date{0}, date{99}};
  const engine::deal_stats s = planned(deals, 0, 5, plan);
  CHECK(s.accounts_won_in(now) == 2);
  CHECK(s.accounts_won_in(before) == 2);
  CHECK(s.totals(now, false).cycle_days_median == 75.0);
  CHECK(s.totals(before, false).cycle_days_median == 47.0);
  CHECK(s.accounts().find("A")->won_windows == 0b11);
  CHECK(s.accounts().find("C")->won_windows == 0);
  CHECK(s.accounts().find("A")->won_days.empty());  // no log of won days under a plan
  // Events span days 50..150: [100, 160] holds the same wins as [100, 199] ...
  CHECK(s.won_in(period{date{100}, date{160}}).window == std::size_t{0});
  // ... and [100, 120] does not: it was not planned.
  CHECK_THROWS_AS(s.accounts_won_in(period{date{100}, date{120}}), std::logic_error);
  CHECK_THROWS_AS(s.totals(period{date{100}, date{120}}, false), std::logic_error);
  // Pieces merge: A's two wins come from two accumulators.
  engine::deal_stats merged = planned(deals, 0, 3, plan);
  merged.merge(planned(deals, 3, 5, plan));
  CHECK(merged.accounts().find("A")->won_windows == 0b11);
  CHECK(merged.accounts_won_in(now) == 2);
  CHECK(merged.accounts_won_in(before) == 2);
  CHECK(merged.totals(now, false).cycle_days_median == 75.0);
  // Without a plan the won days answer the same.
  const engine::deal_stats plain = feed(deals, 0, 5);
  CHECK(plain.accounts_won_in(now) == 2);
  CHECK(plain.accounts_won_in(before) == 2);
  CHECK_THROWS_AS(merged.merge(plain), std::logic_error);  // different plans
  engine::deal_stats three;
  CHECK_THROWS_AS(three.plan_windows(std::vector<engine::period_window>{{0, 1}, {2, 3}, {4, 5}}),
                  std::invalid_argument);
}

TEST_CASE("deal_stats: planned wins and cycles agree with per-day ones for every request (seed 13)",
          "[engine][deals]") {
  auto deals = random_deals(13, 3000);  // created days 19000..19799 (2022-01-08..2024-03-17)
  const engine::deal_stats plain = feed(deals, 0, deals.size());
  const auto build = [&](const std::vector<engine::period_window>& plan) {
    engine::deal_stats by_window = planned(deals, 1000, deals.size(), plan);
    by_window.merge(planned(deals, 0, 1000, plan));
    return by_window;
  };
  const auto check = [&](const engine::deal_stats& by_window, const period& q) {
    require_same(by_window.totals(q, false), plain.totals(q, false));
    CHECK(by_window.accounts_won_in(q) == plain.accounts_won_in(q));
    const auto won = by_window.won_in(q);
    plain.accounts().for_each([&](const std::string& id, const engine::account_deals& a) {
      CHECK(won(*by_window.accounts().find(id)) == a.won_in(q));
    });
  };
  // Two spans of each: 6 requests' periods (12), and 5 previous plans' two periods each (20).
  CHECK(abmkpi_test::walk_planned_periods(abmkpi_test::period_requests(2022),
                                          *plain.first_event(), *plain.last_event(), build,
                                          check) == 32);
}

TEST_CASE("day_series: cells on both sides of block bounds and of day 0", "[engine][deals]") {
  // Blocks are 64 days, floor(day / 64): day -65 is in block -2, -64 and -1 in block -1, 0 and
  // 63 in block 0, 64 in block 1. Each day's cell holds its own count, in any order of arrival.
  struct cell {
    std::int64_t n = 0;
    void merge(const cell& o) { n += o.n; }
  };
  engine::day_series<cell> s;
  const std::int32_t days[] = {64, -1, 0, -65, 63, -64, -1, 64, 64};
  for (const std::int32_t d : days) ++s.at(date{d}).n;
  std::map<std::int32_t, std::int64_t> seen;
  std::int32_t previous = std::numeric_limits<std::int32_t>::min();
  s.for_each([&](date d, const cell& c) {
    CHECK(d.days > previous);  // ascending
    previous = d.days;
    if (c.n != 0) seen[d.days] = c.n;
  });
  CHECK(seen == std::map<std::int32_t, std::int64_t>{{-65, 1}, {-64, 1}, {-1, 2}, {0, 1},
                                                      {63, 1}, {64, 3}});
  CHECK(previous == 127);  // blocks -2..1 allocated: the last day visited is 127
}
