#include "test_shim.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "abmkpi/engine/analysis.hpp"
#include "abmkpi/report/json.hpp"

using namespace abmkpi;
using Catch::Matchers::WithinRel;

namespace {
report::report run(engine::analysis_options opts) {
  io::diagnostics diag;
  const auto a = engine::load(opts, diag);
  return engine::build_report(a, opts, diag);
}

// A1 is a target account, A2 is not, A3 is missing from the accounts table (non-target, SPEC §4).
const char* const small_accounts =
    "account_id,target,region\n"
    "A1,yes,EMEA\n"
    "A2,no,\n";
const char* const small_deals =
    "deal_id,account_id,amount,status,created_date,close_date,segment\n"
    "D1,A1,100,won,2024-01-01,2024-01-11,SMB\n"   // cycle 10
    "D2,A1,50,lost,2024-02-01,2024-03-01,SMB\n"
    "D3,A2,30,won,2024-01-01,2024-01-21,\n"       // cycle 20
    "D4,A2,70,won,2024-03-01,2024-04-10,Enterprise\n"  // cycle 40
    "D5,A3,10,lost,2024-05-01,2024-05-02,SMB\n";

// `deals` (written to a scratch file) by its segment column, over 2024, on one thread.
engine::analysis_options by_segment(const char* scratch, const std::string& deals) {
  engine::analysis_options o;
  o.deals_path = abmkpi_test::write_scratch(scratch, deals);
  o.period = engine::parse_period("2024");
  o.by = {"segment"};
  o.threads = 1;
  return o;
}

engine::analysis_options small_options() {
  engine::analysis_options o;
  o.deals_path = abmkpi_test::write_scratch("split_deals.csv", small_deals);
  o.accounts_path = abmkpi_test::write_scratch("split_accounts.csv", small_accounts);
  o.period = engine::parse_period("2024");
  return o;
}
}  // namespace

TEST_CASE("cohorts: target and non-target deals, lift and p-value by hand", "[engine][split]") {
  const auto r = run(small_options());
  REQUIRE(r.cohorts);
  const auto& t = r.cohorts->target;
  const auto& n = r.cohorts->non_target;
  // Target (A1): W = {D1}, L = {D2}: win rate 1/2, bookings 100, cycle 10 days.
  CHECK(t.get("deals_won") == 1);
  CHECK(t.get("deals_lost") == 1);
  CHECK(t.get("win_rate") == 0.5);
  CHECK(t.get("bookings") == 100);
  CHECK(t.get("avg_deal_size") == 100);
  CHECK(t.get("sales_cycle_days_avg") == 10);
  CHECK(t.get("win_rate_by_value") == 100.0 / 150);
  CHECK(t.get("repeat_customer_rate") == 0);  // A1 won once: 0 of 1
  // Non-target (A2 and the unknown A3): W = {D3, D4}, L = {D5}: 2/3, bookings 30 + 70 = 100,
  // avg 50, cycles (20 + 40) / 2 = 30; A2 won twice, so repeat_customer_rate = 1/1.
  CHECK(n.get("deals_won") == 2);
  CHECK(n.get("deals_lost") == 1);
  CHECK_THAT(*n.get("win_rate"), WithinRel(2.0 / 3, 1e-15));
  CHECK(n.get("bookings") == 100);
  CHECK(n.get("avg_deal_size") == 50);
  CHECK(n.get("sales_cycle_days_avg") == 30);
  CHECK(n.get("repeat_customer_rate") == 1);
  // Lift = target ÷ non-target: win rate 0.5 / (2/3) = 0.75, deal size 100 / 50 = 2, cycle
  // 10 / 30 = 1/3; lift_keys order: win_rate, avg_deal_size, acv_avg, cycle, velocity.
  CHECK_THAT(*r.cohorts->lift[0], WithinRel(0.75, 1e-15));
  CHECK(r.cohorts->lift[1] == 2);
  CHECK_THAT(*r.cohorts->lift[3], WithinRel(1.0 / 3, 1e-15));
  // 1 of 2 against 2 of 3: pooled p = 3/5, se = √(0.6 × 0.4 × (1/2 + 1/3)) = √0.2 = 0.447214,
  // z = (0.5 − 0.666667) / 0.447214 = −0.372678, p = erfc(0.372678 / √2) = 0.709388.
  REQUIRE(r.cohorts->win_rate_p_value);
  CHECK_THAT(*r.cohorts->win_rate_p_value, WithinRel(0.7093881150142264, 1e-9));
}

TEST_CASE("cohorts: none without a target column", "[engine][split]") {
  auto o = small_options();
  o.accounts_path =
      abmkpi_test::write_scratch("split_accounts_plain.csv", "account_id,region\nA1,EMEA\n");
  CHECK_FALSE(run(o).cohorts);
  o.accounts_path.clear();
  CHECK_FALSE(run(o).cohorts);
}

TEST_CASE("groups: a deal column, an account column, and both", "[engine][split]") {
  auto o = small_options();
  o.by = {"segment"};
  auto r = run(o);
  // Values in byte order; D3's empty segment is (none): Enterprise {D4}, SMB {D1, D2, D5}.
  REQUIRE(r.groups.size() == 3);
  CHECK(r.groups[0].values == std::vector<std::string>{"(none)"});
  CHECK(r.groups[1].values == std::vector<std::string>{"Enterprise"});
  CHECK(r.groups[2].values == std::vector<std::string>{"SMB"});
  CHECK(r.groups[2].kpis.get("deals_won") == 1);
  CHECK(r.groups[2].kpis.get("deals_lost") == 2);
  CHECK(r.groups[2].kpis.get("bookings") == 100);
  // region lives on the accounts: A1 EMEA; A2 empty and A3 unknown are both (none).
  o.by = {"Region"};
  r = run(o);
  REQUIRE(r.groups.size() == 2);
  CHECK(r.groups[0].values == std::vector<std::string>{"(none)"});
  CHECK(r.groups[0].kpis.get("deals_won") == 2);  // D3, D4
  CHECK(r.groups[1].values == std::vector<std::string>{"EMEA"});
  CHECK(r.groups[1].kpis.get("deals_won") == 1);  // D1
  // Repeat customers of groups that hold whole accounts come from the accounts' summaries:
  // (none) has A2 with two wins (D3, D4) and A3 with none, so 1/1; EMEA has A1 with one, 0/1.
  CHECK(r.groups[0].kpis.get("repeat_customer_rate") == 1);
  CHECK(r.groups[1].kpis.get("repeat_customer_rate") == 0);
  o.by = {"segment", "region"};
  r = run(o);
  REQUIRE(r.groups.size() == 4);  // (none)/(none), Enterprise/(none), SMB/(none), SMB/EMEA
  CHECK(r.groups[3].key() == "SMB / EMEA");
  CHECK(r.groups[3].kpis.get("deals_lost") == 1);  // D2
}

TEST_CASE("groups: an unknown column is a usage error", "[engine][split]") {
  auto o = small_options();
  o.by = {"colour"};
  CHECK_THROWS_AS(run(o), usage_error);
}

TEST_CASE("cohorts: the accounts of a JSON bundle file count even after its deals",
          "[engine][split]") {
  // The bundle lists deals first: the accounts are read ahead, so D1 is still a target deal.
  const std::string bundle = R"({"deals": [
      {"deal_id": "D1", "account_id": "A1", "amount": 100, "status": "won",
       "created_date": "2024-01-01", "close_date": "2024-01-11"},
      {"deal_id": "D2", "account_id": "A2", "amount": 40, "status": "lost",
       "created_date": "2024-01-01", "close_date": "2024-01-11"}],
    "accounts": [{"account_id": "A1", "target": true}, {"account_id": "A2", "target": false}]})";
  engine::analysis_options o;
  o.deals_path = abmkpi_test::write_scratch("split_bundle.json", bundle);
  const auto r = run(o);
  REQUIRE(r.cohorts);
  CHECK(r.cohorts->target.get("deals_won") == 1);
  CHECK(r.cohorts->target.get("deals_lost") == 0);
  CHECK(r.cohorts->non_target.get("deals_lost") == 1);
}

namespace {
// Random deals and accounts: several segments (on deals) and regions (on accounts), some empty,
// some deals of accounts missing from the accounts table, amounts with cents.
struct random_tables {
  std::string accounts, deals_header;
  std::vector<std::string> deal_rows;
};

random_tables make_random(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char* segments[] = {"SMB", "Mid-Market", "Enterprise", ""};
  const char* regions[] = {"EMEA", "NA", "APAC", ""};
  random_tables t;
  t.accounts = "account_id,target,region\n";
  for (int a = 0; a < 30; ++a)
    t.accounts += "A" + std::to_string(a) + "," + (rng() % 3 == 0 ? "yes" : "no") + "," +
                  regions[rng() % 4] + "\n";
  t.deals_header = "deal_id,account_id,amount,status,created_date,close_date,segment,probability\n";
  for (int i = 0; i < 600; ++i) {
    const int status = static_cast<int>(rng() % 3);
    const int created = 1 + static_cast<int>(rng() % 28);
    std::string row = "D" + std::to_string(i) + ",A" + std::to_string(rng() % 36) + "," +
                      std::to_string(rng() % 100000) + "." + std::to_string(10 + rng() % 90) + "," +
                      (status == 0 ? "open" : status == 1 ? "won" : "lost") + ",2024-0" +
                      std::to_string(1 + rng() % 9) + "-" + (created < 10 ? "0" : "") +
                      std::to_string(created) + ",";
    if (status != 0) row += "2024-11-" + std::to_string(10 + rng() % 19);
    row += std::string(",") + segments[rng() % 4] + "," +
           (rng() % 2 ? std::to_string(rng() % 100) : "");
    t.deal_rows.push_back(row + "\n");
  }
  return t;
}

std::string join_rows(const random_tables& t) {
  std::string out = t.deals_header;
  for (const auto& row : t.deal_rows) out += row;
  return out;
}
}  // namespace

TEST_CASE("groups and cohorts: sums over the subsets give the totals (random data)",
          "[engine][split]") {
  for (std::uint64_t seed : {3u, 17u, 2024u}) {
    INFO("seed " << seed);
    const random_tables t = make_random(seed);
    engine::analysis_options o;
    o.deals_path = abmkpi_test::write_scratch("split_random_deals.csv", join_rows(t));
    o.accounts_path = abmkpi_test::write_scratch("split_random_accounts.csv", t.accounts);
    for (const auto& by :
         std::vector<std::vector<std::string>>{{"segment"}, {"region"}, {"segment", "region"}}) {
      o.by = by;
      const auto r = run(o);
      REQUIRE(r.cohorts);
      for (const char* key :
           {"deals_won", "deals_lost", "deals_created", "open_deals", "expansion_deals_won"}) {
        INFO(key);
        double sum = 0;
        for (const auto& g : r.groups) sum += *g.kpis.get(key);
        CHECK(sum == *r.get(key));  // counts: exact
        CHECK(*r.cohorts->target.get(key) + *r.cohorts->non_target.get(key) == *r.get(key));
      }
      for (const char* key : {"bookings", "created_pipeline", "open_pipeline", "acv_total"}) {
        INFO(key);
        double sum = 0;
        for (const auto& g : r.groups) sum += *g.kpis.get(key);
        CHECK_THAT(sum, WithinRel(*r.get(key), 1e-12));  // each part is exact; the sum of doubles
      }
      for (const auto& g : r.groups)
        if (auto w = g.kpis.get("win_rate")) {
          CHECK(*w >= 0);
          CHECK(*w <= 1);
        }
    }
  }
}

TEST_CASE("groups: whole-account groups count repeat customers as tracked groups do",
          "[engine][split]") {
  // The same split made twice: --by region reads the accounts' region; a deals column holding
  // each deal's account region (written below) is split per deal, with its own per-account
  // summaries. Both must give the same repeat_customer_rate per group.
  const random_tables t = make_random(41);
  std::map<std::string, std::string> region;  // account id → region
  std::size_t start = t.accounts.find('\n') + 1;
  while (start < t.accounts.size()) {
    const std::size_t end = t.accounts.find('\n', start);
    const std::string line = t.accounts.substr(start, end - start);
    region[line.substr(0, line.find(','))] = line.substr(line.rfind(',') + 1);
    start = end + 1;
  }
  std::string deals =
      "deal_id,account_id,amount,status,created_date,close_date,segment,probability,deal_region\n";
  for (const auto& row : t.deal_rows) {
    const std::size_t a = row.find(',') + 1;
    const std::string account = row.substr(a, row.find(',', a) - a);
    deals +=
        row.substr(0, row.size() - 1) + "," + (region.count(account) ? region[account] : "") + "\n";
  }
  engine::analysis_options o;
  o.deals_path = abmkpi_test::write_scratch("split_repeat_deals.csv", deals);
  o.accounts_path = abmkpi_test::write_scratch("split_repeat_accounts.csv", t.accounts);
  o.period = engine::parse_period("2024");
  o.by = {"region"};
  const auto by_account = run(o);
  o.by = {"deal_region"};
  const auto by_deal = run(o);
  REQUIRE(by_account.groups.size() == by_deal.groups.size());
  for (std::size_t i = 0; i < by_deal.groups.size(); ++i) {
    INFO(by_deal.groups[i].key());
    CHECK(by_account.groups[i].values == by_deal.groups[i].values);
    CHECK(by_account.groups[i].kpis.get("repeat_customer_rate") ==
          by_deal.groups[i].kpis.get("repeat_customer_rate"));
    CHECK(by_account.groups[i].kpis.get("bookings") == by_deal.groups[i].kpis.get("bookings"));
  }
}

TEST_CASE("groups and cohorts: independent of row order and of threads", "[engine][split]") {
  random_tables t = make_random(99);
  engine::analysis_options o;
  o.accounts_path = abmkpi_test::write_scratch("split_order_accounts.csv", t.accounts);
  o.by = {"segment", "region"};
  o.threads = 1;
  o.deals_path = abmkpi_test::write_scratch("split_order_a.csv", join_rows(t));
  const std::string first = report::render_json(run(o));
  std::shuffle(t.deal_rows.begin(), t.deal_rows.end(), std::mt19937_64(5));
  o.deals_path = abmkpi_test::write_scratch("split_order_b.csv", join_rows(t));
  CHECK(report::render_json(run(o)) == first);
  o.threads = 3;
  o.parallel_min_bytes = 1;  // split even this small file into pieces
  CHECK(report::render_json(run(o)) == first);
}

TEST_CASE("groups: a group first met in a later piece keeps its repeat customers",
          "[engine][split]") {
  // 60 "Early" deals, each account E<i> winning once, then three "Late" deals at the end of the
  // file, which a read on two threads puts in the second piece only: A1 wins on Feb 1 and
  // Mar 1, A2 on Mar 2. Late: 2 accounts with a win, 1 with two, repeat_customer_rate 1/2.
  std::string deals = "deal_id,account_id,amount,status,created_date,close_date,segment\n";
  for (int i = 0; i < 60; ++i)
    deals += "D" + std::to_string(i) + ",E" + std::to_string(i) +
             ",10,won,2024-01-02,2024-01-10,Early\n";
  deals += "D900,A1,100,won,2024-01-05,2024-02-01,Late\n";
  deals += "D901,A1,200,won,2024-01-06,2024-03-01,Late\n";
  deals += "D902,A2,50,won,2024-01-07,2024-03-02,Late\n";
  engine::analysis_options o = by_segment("split_late_group.csv", deals);
  const auto one = run(o);
  REQUIRE(one.groups.size() == 2);
  CHECK(one.groups[0].kpis.get("repeat_customer_rate") == 0);  // Early: 0 of 60
  CHECK(one.groups[1].values == std::vector<std::string>{"Late"});
  CHECK(one.groups[1].kpis.get("repeat_customer_rate") == 0.5);
  o.threads = 2;
  o.parallel_min_bytes = 1;
  const auto two = run(o);
  REQUIRE(two.groups.size() == 2);
  CHECK(two.groups[1].kpis.get("repeat_customer_rate") == 0.5);
  CHECK(report::render_json(two) == report::render_json(one));
}

TEST_CASE(
    "groups: one --by column with more spellings than the memo holds, some alike at both ends",
    "[engine][split]") {
  // 20 segments (the memo remembers 16): "Segment-XX-of-the-book" share their first and last 8
  // bytes and differ only in the middle, so a match on the ends alone would merge them. Segment
  // k gets k + 1 won deals of 10 each, on two threads and on one.
  std::string deals = "deal_id,account_id,amount,status,created_date,close_date,segment\n";
  int id = 0;
  for (int round = 0; round < 20; ++round)
    for (int k = round; k < 20; ++k) {  // interleaved, so every segment recurs after the others
      const std::string name =
          "Segment-" + std::string(k < 10 ? "0" : "") + std::to_string(k) + "-of-the-book";
      deals += "D" + std::to_string(id++) + ",A" + std::to_string(k) +
               ",10,won,2024-01-02,2024-01-10," + name + "\n";
    }
  engine::analysis_options o = by_segment("split_many_spellings.csv", deals);
  const auto one = run(o);
  REQUIRE(one.groups.size() == 20);
  for (int k = 0; k < 20; ++k) {
    INFO("segment " << k);
    CHECK(one.groups[k].kpis.get("deals_won") == k + 1);  // rounds 0..k each gave one deal
    CHECK(one.groups[k].kpis.get("bookings") == 10.0 * (k + 1));
  }
  o.threads = 2;
  o.parallel_min_bytes = 1;
  CHECK(report::render_json(run(o)) == report::render_json(one));
}

TEST_CASE("groups: the totals are the same with and without --by, whatever the column",
          "[engine][split]") {
  // With --by, the totals' day sums and cycles are the groups' added up after the pass
  // (deal_pass::finish), so a deal missing from every group, or in two, would change them.
  // Random deals of every status, type and probability shape, over two years.
  std::mt19937 rng(20261206);
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* const segments[] = {"SMB", "Enterprise", "", "Mid-Market"};
  const char* const statuses[] = {"won", "lost", "open"};
  const char* const types[] = {"New Business", "Expansion", "Renewal", ""};
  const char* const probabilities[] = {"", "0.25", "40", "75%"};
  std::string deals =
      "deal_id,account_id,amount,status,type,created_date,close_date,probability,segment\n";
  std::string accounts = "account_id,target,region\n";
  for (int a = 0; a < 40; ++a)
    accounts += "A" + std::to_string(a) + "," + (a % 3 == 0 ? "yes" : "no") + "," +
                (a % 4 ? "EMEA" : "") + "\n";
  for (int i = 0; i < 600; ++i) {
    const date created{19358 + pick(600)};  // 2023-01-01 + up to 600 days
    const std::string status = statuses[pick(3)];
    deals += "D" + std::to_string(i) + ",A" + std::to_string(pick(45)) + "," +
             std::to_string(pick(100000)) + "." + std::to_string(pick(100)) + "," + status + "," +
             types[pick(4)] + "," + to_iso(created) + "," +
             (status == "open" ? "" : to_iso(date{created.days + pick(200)})) + "," +
             (status == "open" ? probabilities[pick(4)] : "") + "," + segments[pick(4)] + "\n";
  }
  engine::analysis_options o;
  o.deals_path = abmkpi_test::write_scratch("split_totals_by.csv", deals);
  o.accounts_path = abmkpi_test::write_scratch("split_totals_by_accounts.csv", accounts);
  o.period = engine::parse_period("2024");
  o.threads = 1;
  const auto totals = [&](std::vector<std::string> by, unsigned threads) {
    o.by = std::move(by);
    o.threads = threads;
    o.parallel_min_bytes = 1;
    report::report r = run(o);
    INFO("--by " << (o.by.empty() ? "(none)" : o.by[0]) << ", threads " << threads);
    if (!o.by.empty()) CHECK(r.groups.size() >= 2);
    r.groups.clear();
    r.group_by.clear();
    return report::render_json(r);
  };
  const std::string plain = totals({}, 1);
  CHECK(totals({"segment"}, 1) == plain);  // a deal column
  CHECK(totals({"region"}, 1) == plain);   // an account column
  CHECK(totals({"segment", "region"}, 1) == plain);
  CHECK(totals({"segment"}, 2) == plain);
  CHECK(totals({"region"}, 2) == plain);
}
