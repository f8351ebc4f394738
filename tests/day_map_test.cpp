#include "test_shim.hpp"

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "abmkpi/engine/day_map.hpp"

using namespace abmkpi;

namespace {
struct add_op {
  std::int32_t day;
  std::int64_t weight;
};

// Days drawn from a span of `span` days after 19000, and one in `stray` far away (0: none).
std::vector<add_op> random_ops(std::uint64_t seed, int n, std::int32_t span, int stray) {
  std::mt19937_64 rng(seed);
  std::vector<add_op> ops;
  for (int i = 0; i < n; ++i) {
    std::int32_t d = 19000 + static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(span));
    if (stray && rng() % static_cast<std::uint64_t>(stray) == 0) d = rng() % 2 ? -700000 : 2900000;
    ops.push_back({d, static_cast<std::int64_t>(rng() % 41) - 20});  // weights may be 0 or < 0
  }
  return ops;
}

// The reference: a std::map, and every query answered by walking it.
template <class Map>
void check_against(const Map& m, const std::map<std::int32_t, std::int64_t>& ref,
                   std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int q = 0; q < 400; ++q) {
    std::int32_t lo = 18900 + static_cast<std::int32_t>(rng() % 1500);
    std::int32_t hi = lo + static_cast<std::int32_t>(rng() % 400) - 20;  // sometimes empty
    if (q % 50 == 0) lo = -800000, hi = 3000000;                        // everything
    bool want_any = false;
    std::int64_t want_sum = 0;
    for (auto it = ref.lower_bound(lo); it != ref.end() && it->first <= hi; ++it) {
      want_any = true;
      want_sum += it->second;
    }
    bool any = true;
    const std::int64_t sum = m.sum_between(lo, hi, any);
    INFO("seed " << seed << " [" << lo << ", " << hi << "]");
    CHECK(any == want_any);
    CHECK(m.any_between(lo, hi) == want_any);
    CHECK(sum == want_sum);
  }
}
}  // namespace

TEST_CASE("day_map: agrees with a std::map for sparse, dense and stray days (seeds 1-40)",
          "[engine][day_map]") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    // Few touches over years, many over one year, many over a few days, with and without strays.
    const std::int32_t span = seed % 4 == 0 ? 3000 : seed % 4 == 1 ? 366 : seed % 4 == 2 ? 9 : 1100;
    const int n = static_cast<int>(seed % 5 == 0 ? 12 : 50 + seed * 97);
    const auto ops = random_ops(seed, n, span, seed % 3 == 0 ? 40 : 0);
    engine::day_scores m;
    std::map<std::int32_t, std::int64_t> ref;
    for (const add_op& o : ops) {
      m.add(o.day, o.weight);
      ref[o.day] += o.weight;
    }
    m.finish();
    check_against(m, ref, seed);
    std::map<std::int32_t, std::int64_t> seen;
    m.for_each([&](std::int32_t d, std::int64_t w) { seen[d] += w; });
    CHECK(seen == ref);
  }
}

TEST_CASE("day_map: a set records days, and the order of adds does not matter (seed 7)",
          "[engine][day_map]") {
  auto ops = random_ops(7, 3000, 800, 100);
  engine::day_set forward, backward;
  std::map<std::int32_t, std::int64_t> ref;
  for (const add_op& o : ops) {
    forward.add(o.day);
    ref[o.day] = 0;  // a set's days score 0
  }
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) backward.add(it->day);
  forward.finish();
  backward.finish();
  CHECK(forward.bitmap_days() > 0);
  check_against(forward, ref, 7);
  check_against(backward, ref, 7);
}

TEST_CASE("day_map: merging pieces equals adding everything to one (seed 11)",
          "[engine][day_map]") {
  const auto ops = random_ops(11, 5000, 1200, 200);
  engine::day_scores whole, first, second;
  std::map<std::int32_t, std::int64_t> ref;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    whole.add(ops[i].day, ops[i].weight);
    (i < 1700 ? first : second).add(ops[i].day, ops[i].weight);
    ref[ops[i].day] += ops[i].weight;
  }
  first.merge(second);
  whole.finish();
  first.finish();
  check_against(whole, ref, 11);
  check_against(first, ref, 11);
}

TEST_CASE("day_map: merging bitmaps of different spans, lists and strays (seeds 1-30)",
          "[engine][day_map]") {
  // Each side is a list, a bitmap, or a bitmap with strays, over spans that overlap, nest or
  // lie apart; the merge must answer as one map of every add, both ways round, and for a set.
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const std::int32_t span_a = seed % 3 == 0 ? 5 : 400, span_b = seed % 2 ? 900 : 40;
    const int n_a = seed % 5 == 0 ? 6 : 1500, n_b = seed % 7 == 0 ? 3 : 1200;
    auto a_ops = random_ops(seed, n_a, span_a, seed % 4 == 0 ? 50 : 0);
    auto b_ops = random_ops(seed + 100, n_b, span_b, seed % 3 == 1 ? 60 : 0);
    for (add_op& o : b_ops)
      if (o.day > 0 && o.day < 2000000)
        o.day += static_cast<std::int32_t>(seed % 4) * 300;  // shift b
    std::map<std::int32_t, std::int64_t> ref;
    for (const auto* ops : {&a_ops, &b_ops})
      for (const add_op& o : *ops) ref[o.day] += o.weight;
    for (const bool swap : {false, true}) {
      engine::day_scores a, b;
      engine::day_set sa, sb;
      for (const add_op& o : a_ops) a.add(o.day, o.weight), sa.add(o.day);
      for (const add_op& o : b_ops) b.add(o.day, o.weight), sb.add(o.day);
      if (swap) {
        b.merge(a);
        sb.merge(sa);
      } else {
        a.merge(b);
        sa.merge(sb);
      }
      engine::day_scores& m = swap ? b : a;
      engine::day_set& s = swap ? sb : sa;
      m.finish();
      s.finish();
      check_against(m, ref, seed);
      std::map<std::int32_t, std::int64_t> days;
      for (const auto& [d, w] : ref) days[d] = 0;
      check_against(s, days, seed);
    }
  }
}

TEST_CASE("day_map: memory follows distinct days: one day touched a million times stays a list",
          "[engine][day_map]") {
  engine::day_scores m;
  for (int i = 0; i < 1'000'000; ++i) m.add(19000 + i % 3, 1);
  m.finish();
  bool any = false;
  CHECK(m.sum_between(19000, 19000, any) == 333'334);  // i % 3 == 0 for 0, 3, ..., 999999
  CHECK(any);
  CHECK(m.sum_between(19000, 19002, any) == 1'000'000);
  CHECK_FALSE(m.any_between(19003, 20000));
  CHECK(m.bitmap_days() == 0);  // 3 entries: smaller than a 64-day block of scores
}

TEST_CASE("day_map: a stray date decades away does not stretch the bitmap", "[engine][day_map]") {
  engine::day_set m;
  for (int d = 0; d < 366; ++d) m.add(19000 + d);  // a year, every day: a bitmap of 6 words
  m.add(19000 + 36500);                             // a typo a century later
  m.finish();
  CHECK(m.bitmap_days() > 0);
  CHECK(m.bitmap_days() <= 448 + 448 / 4);  // days 19000..19365 lie in 7 blocks, plus headroom
  CHECK(m.any_between(55500, 55500));
  CHECK_FALSE(m.any_between(19366, 55499));
  int days = 0;
  m.for_each([&](std::int32_t, std::int64_t) { ++days; });
  CHECK(days == 367);
}
