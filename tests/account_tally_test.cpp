#include "test_shim.hpp"

#include <cstdint>
#include <map>
#include <utility>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "abmkpi/engine/account_tally.hpp"

using namespace abmkpi;
using engine::account_tally;

namespace {
// One deal as the tally sees it.
struct event {
  std::string account;
  std::int32_t created, closed;
  deal_status status;
  bool renewal;
};

// What deal_stats::settle does with a deal.
void tally_one(account_tally& t, const event& e) {
  std::uint32_t at = 0;
  account_tally::tally& a = t.find_or_add(e.account, account_tally::hash(e.account), at);
  ++a.deals;
  t.log_brief(at, {e.created, e.closed, 100, e.status});
  if (e.status == deal_status::lost && e.renewal) a.add_lost_renewal(e.closed);
  if (e.status != deal_status::won) return;
  a.add_won(e.closed);
  t.log_won(at, a, e.closed);
}

std::vector<event> random_events(std::uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<event> out;
  for (int i = 0; i < n; ++i) {
    const auto created = static_cast<std::int32_t>(19000 + rng() % 400);
    const auto roll = rng() % 3;
    // Some ids longer than the 19 bytes a record holds, so both key paths are used; the 18-byte
    // prefix gives ids of 19 bytes (in the record) and 20 (outside) around the limit.
    const char* const prefixes[] = {"A", "account-with-a-long-identifier-", "abcdefghijklmnopqr"};
    std::string id = prefixes[rng() % 3] + std::to_string(rng() % 30);
    out.push_back({id, created, created + static_cast<std::int32_t>(rng() % 50),
                   roll == 0 ? deal_status::won : roll == 1 ? deal_status::lost : deal_status::open,
                   rng() % 2 == 0});
  }
  return out;
}

void check_same(const detail::keyed<engine::account_deals>& x,
                const detail::keyed<engine::account_deals>& y) {
  REQUIRE(x.size() == y.size());
  x.for_each([&](const std::string& id, const engine::account_deals& a) {
    const engine::account_deals* b = y.find(id);
    REQUIRE(b != nullptr);
    CHECK(a.deals == b->deals);
    CHECK(a.first_won == b->first_won);
    CHECK(a.second_won == b->second_won);
    CHECK(a.last_won == b->last_won);
    CHECK(a.last_lost_renewal == b->last_lost_renewal);
    CHECK(a.won_days == b->won_days);
    REQUIRE(a.briefs.size() == b->briefs.size());
    for (std::size_t i = 0; i < a.briefs.size(); ++i)
      CHECK(a.briefs[i].created == b->briefs[i].created);
  });
}
}  // namespace

TEST_CASE("account_tally: summaries worked out by hand", "[engine][deals]") {
  account_tally t;
  // A: won on days 30, 10, 10 and 20; lost renewals on days 5 and 25; one open deal.
  for (const event& e : std::vector<event>{{"A", 1, 30, deal_status::won, false},
                                           {"A", 1, 10, deal_status::won, false},
                                           {"A", 2, 5, deal_status::lost, true},
                                           {"B", 3, 0, deal_status::open, false},
                                           {"A", 2, 10, deal_status::won, false},
                                           {"A", 3, 25, deal_status::lost, true},
                                           {"A", 4, 20, deal_status::won, false},
                                           {"A", 5, 0, deal_status::open, false}})
    tally_one(t, e);
  const auto view = t.to_keyed();
  REQUIRE(view.size() == 2);
  const engine::account_deals& a = *view.find("A");
  CHECK(a.deals == 7);                  // 4 won + 2 lost + 1 open
  CHECK(a.first_won == date{10});       // the two earliest of {30, 10, 10, 20}: 10 and 10
  CHECK(a.second_won == date{10});
  CHECK(a.last_won == date{30});
  CHECK(a.last_lost_renewal == date{25});  // max of 5 and 25
  CHECK(a.won_days == std::vector<std::int32_t>{10, 20, 30});  // sorted, 10 once
  REQUIRE(a.briefs.size() == 7);        // every deal of A, in arrival order
  CHECK(a.briefs[0].closed == 30);
  CHECK(a.briefs[6].created == 5);
  const engine::account_deals& b = *view.find("B");
  CHECK(b.deals == 1);
  CHECK_FALSE(b.first_won);
  CHECK(b.won_days.empty());
  // Order of first appearance: A, then B.
  std::vector<std::string> order;
  view.for_each([&](const std::string& id, const engine::account_deals&) { order.push_back(id); });
  CHECK(order == std::vector<std::string>{"A", "B"});
}

TEST_CASE("account_tally: a tally merged from pieces equals one tally of every deal",
          "[engine][deals]") {
  const std::vector<event> events = random_events(5, 3000);
  account_tally whole;
  for (const event& e : events) tally_one(whole, e);
  for (const std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{1234}, events.size()}) {
    account_tally first, second;
    for (std::size_t i = 0; i < events.size(); ++i) tally_one(i < cut ? first : second, events[i]);
    first.merge(second);
    check_same(whole.to_keyed(), first.to_keyed(2));
    // Accounts come in the order a sequential read meets them.
    std::vector<std::string> a, b;
    whole.to_keyed().for_each(
        [&](const std::string& id, const engine::account_deals&) { a.push_back(id); });
    first.to_keyed().for_each(
        [&](const std::string& id, const engine::account_deals&) { b.push_back(id); });
    CHECK(a == b);
  }
}

TEST_CASE(
    "account_tally: group wins, the two earliest won days per (account, group), merged from pieces",
    "[engine][deals]") {
  // Group 0: A wins on days 30, 10, 10, 20 (a multiset: the two earliest are 10 and 10), B on
  // day 7 only, a long id (kept outside its record) on 40 and 5. Group 1: A on day 50 only.
  // Split over two pieces that number the groups in opposite order (piece 2 meets group 1
  // first), merged both ways round.
  const std::string long_id = "account-with-a-long-identifier-1";
  struct win {
    std::string id;
    std::uint32_t group;  // the whole file's number
    std::int32_t day;
  };
  const std::vector<win> piece1{{"A", 0, 30}, {"B", 0, 7}, {long_id, 0, 40}};
  const std::vector<win> piece2{
      {"A", 1, 50}, {"A", 0, 10}, {"A", 0, 10}, {"A", 0, 20}, {long_id, 0, 5}};
  const auto fill = [](account_tally& t, const std::vector<win>& wins, bool swapped) {
    for (const win& w : wins) {
      std::uint32_t at = 0;
      const std::uint64_t h = account_tally::hash(w.id);
      t.find_or_add(w.id, h, at);
      t.add_group_win(at, h, swapped ? 1 - w.group : w.group, w.day);
    }
  };
  // (first, second) → accounts
  using wins_map = std::map<std::pair<std::int32_t, std::int32_t>, int>;
  const auto seen = [](const std::vector<account_tally::two_earliest>& wins) {
    wins_map m;
    for (const auto& w : wins) ++m[{w.first_won, w.second_won}];
    return m;
  };
  const std::int32_t none = account_tally::no_day;
  for (const bool second_first : {false, true}) {
    account_tally first, second;
    fill(first, piece1, false);
    fill(second, piece2, true);  // its group 0 is the file's group 1
    const std::vector<std::uint32_t> second_groups{1, 0};
    account_tally whole;
    if (second_first) {
      whole.merge(second, second_groups);
      whole.merge(first, std::vector<std::uint32_t>{0, 1});
    } else {
      whole.merge(first, std::vector<std::uint32_t>{0, 1});
      whole.merge(second, second_groups);
    }
    const auto groups = whole.wins_by_group(2);
    REQUIRE(groups.size() == 2);
    CHECK(seen(groups[0]) == wins_map{{{10, 10}, 1}, {{7, none}, 1}, {{5, 40}, 1}});
    CHECK(seen(groups[1]) == wins_map{{{50, none}, 1}});
  }
  // Group wins merged without their map (or a map too short for them) are a programming error.
  account_tally second;
  fill(second, piece2, true);
  account_tally whole;
  CHECK_THROWS_AS(whole.merge(second), std::logic_error);
  CHECK_THROWS_AS(whole.merge(second, std::vector<std::uint32_t>{1}), std::logic_error);
}

TEST_CASE("account_tally: group wins of 3000 accounts in 7 groups survive the table's growth",
          "[engine][deals]") {
  // Account i wins in group i % 7 on days 100 + i and 200 + i, and in group (i + 3) % 7 on day
  // 300 + i: each (account, group) pair is found again after the table grew past it.
  account_tally t;
  for (const int round : {0, 1})
    for (int i = 0; i < 3000; ++i) {
      const std::string id = "acct-" + std::to_string(i);
      const std::uint64_t h = account_tally::hash(id);
      std::uint32_t at = 0;
      t.find_or_add(id, h, at);
      t.add_group_win(at, h, static_cast<std::uint32_t>(i % 7), (round == 0 ? 100 : 200) + i);
      if (round == 0) t.add_group_win(at, h, static_cast<std::uint32_t>((i + 3) % 7), 300 + i);
    }
  const auto groups = t.wins_by_group(7);
  std::size_t pairs = 0;
  for (std::size_t g = 0; g < 7; ++g) {
    pairs += groups[g].size();
    for (const auto& w : groups[g]) {
      // Group g holds accounts i ≡ g (two wins, 100 + i and 200 + i) and i ≡ g - 3 (one win,
      // 300 + i), mod 7.
      if (w.second_won != account_tally::no_day) {
        CHECK((w.first_won - 100) % 7 == static_cast<std::int32_t>(g));
        CHECK(w.second_won == w.first_won + 100);
      } else {
        CHECK((w.first_won - 300 + 3) % 7 == static_cast<std::int32_t>(g));
      }
    }
  }
  CHECK(pairs == 6000);  // 3000 accounts × 2 groups each
}

TEST_CASE("account_tally: 5000 accounts keep their summaries and positions as the index grows",
          "[engine][deals]") {
  // Ids of 31 bytes (the longest kept in a record), 32 bytes (kept only outside it) and short
  // ones; ids of one length differ only in their digits. Account i gets i + 1 deals, added
  // in two rounds: the second round must find every account the first one added.
  const auto id_of = [](int i) {
    const std::string digits = std::to_string(i);
    if (i % 3 == 0) return std::string(31 - digits.size(), 'x') + digits;
    if (i % 3 == 1) return std::string(32 - digits.size(), 'y') + digits;
    return "A" + digits;
  };
  account_tally t;
  for (const int round : {0, 1})
    for (int i = 0; i < 5000; ++i) {
      const std::string id = id_of(i);
      std::uint32_t at = 0;
      account_tally::tally& a = t.find_or_add(id, account_tally::hash(id), at);
      CHECK(at == static_cast<std::uint32_t>(i));
      a.deals += round == 0 ? 1 : i;  // 1 + i in all
    }
  REQUIRE(t.size() == 5000);
  const auto keyed = t.to_keyed();
  for (int i = 0; i < 5000; i += 7) {
    const engine::account_deals* a = keyed.find(id_of(i));
    REQUIRE(a != nullptr);
    CHECK(a->deals == i + 1);
  }
}
