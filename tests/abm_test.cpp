#include "test_shim.hpp"

#include <fstream>
#include <random>
#include <vector>
#include <string>

#include "abmkpi/engine/analysis.hpp"
#include "abmkpi/metrics/abm.hpp"
#include "planned_periods.hpp"

using namespace abmkpi;
using Catch::Matchers::WithinRel;

// ---- §3.2–§3.5 formulas, with the worked example's totals (../shared/worked-example/README.md)

TEST_CASE("compute_customer_kpis: churn, lifetime, CLV and CAC by hand", "[metrics][customers]") {
  metrics::customer_totals t;
  t.new_customers = 3;  // A1, A2, A6
  t.customers_start = 2;  // A4, A5
  t.customers_end = 3;
  t.churned = 1;  // A5
  t.days = 366;
  t.arpa = 58250;  // 233000 / 4
  t.gross_margin = 0.8;
  t.spend_marketing_sales = 42000;  // 20000 + 15000 + 8000 − 1000
  t.spend_all = 47000;              // + 5000 other
  const auto k = metrics::compute_customer_kpis(t);
  CHECK(*k.churn_rate == 0.5);      // 1 / 2
  CHECK(*k.retention_rate == 0.5);  // 1 − 0.5
  // 1 − 0.5^(365.25/366) = 1 − 0.5007107
  CHECK_THAT(*k.churn_rate_annualized, WithinRel(0.4992893036053847, 1e-12));
  CHECK_THAT(*k.customer_lifetime_years, WithinRel(2.002846832045002, 1e-12));  // 1 / 0.4992893
  CHECK_THAT(*k.clv, WithinRel(93332.6623732971, 1e-12));  // 58250 × 0.8 × 2.0028468
  CHECK(*k.cac == 14000);                                  // 42000 / 3
  CHECK_THAT(*k.cac_fully_loaded, WithinRel(15666.666666666666, 1e-12));  // 47000 / 3
  CHECK_THAT(*k.ltv_to_cac, WithinRel(6.666618740949794, 1e-12));        // 93332.66 / 14000
  // 14000 / (58250 × 0.8 / 12) = 14000 / 3883.33
  CHECK_THAT(*k.cac_payback_months, WithinRel(3.6051502145922747, 1e-12));
}

TEST_CASE("compute_customer_kpis: no customers at start leaves churn null",
          "[metrics][customers]") {
  metrics::customer_totals t;
  t.new_customers = 2;
  t.days = 365;
  t.arpa = 30000;
  auto k = metrics::compute_customer_kpis(t);
  CHECK_FALSE(k.churn_rate);
  CHECK_FALSE(k.retention_rate);
  CHECK_FALSE(k.customer_lifetime_years);
  CHECK_FALSE(k.clv);
  CHECK_FALSE(k.cac);  // no spend table
  CHECK_FALSE(k.ltv_to_cac);
}

TEST_CASE("compute_customer_kpis: zero churn gives the lifetime cap", "[metrics][customers]") {
  metrics::customer_totals t;
  t.customers_start = 4;
  t.days = 90;
  t.arpa = 1000;
  t.max_lifetime_years = 7;
  t.spend_marketing_sales = 500;  // but no new customers: cac null
  auto k = metrics::compute_customer_kpis(t);
  CHECK(*k.churn_rate == 0);
  CHECK(*k.churn_rate_annualized == 0);
  CHECK(*k.customer_lifetime_years == 7);
  CHECK(*k.clv == 7000);  // 1000 × 1.0 × 7
  CHECK_FALSE(k.cac);
  t.churned = 1;  // 1/4 in 90 days: 1 − 0.75^(365.25/90) = 0.6888…, lifetime 1.4515
  k = metrics::compute_customer_kpis(t);
  CHECK_THAT(*k.churn_rate_annualized, WithinRel(1 - std::pow(0.75, 365.25 / 90), 1e-12));
  CHECK_THAT(*k.customer_lifetime_years, WithinRel(1 / (1 - std::pow(0.75, 365.25 / 90)), 1e-12));
}

TEST_CASE("compute_market_kpis: penetration and NPS", "[metrics][market]") {
  metrics::market_totals t;
  t.universe_accounts = 6;
  t.target_accounts = 3;
  t.tam = 855333.3333333335;
  t.customers_end_in_universe = 3;
  t.nps_promoters = 3;   // 9, 10, 9
  t.nps_detractors = 1;  // 3
  t.nps_responses = 5;   // and one 8
  const auto k = metrics::compute_market_kpis(t);
  CHECK(*k.market_penetration == 0.5);  // 3 / 6
  CHECK(*k.nps == 40);                  // 100 × (3 − 1) / 5
  CHECK(*k.target_accounts == 3);
  CHECK_FALSE(metrics::compute_market_kpis(metrics::market_totals{}).nps);
}

TEST_CASE("compute_engagement_kpis: rates and the engagement fallback", "[metrics][engagement]") {
  metrics::engagement_totals t;
  t.engaged_accounts = 5;
  t.target_engaged_accounts = 2;
  t.target_accounts = 3;
  t.universe_accounts = 6;
  t.email_sent = 4, t.email_open = 3, t.email_click = 1, t.email_reply = 0;
  t.ad_clicks = 1, t.ad_impressions = 2;
  t.contacts_on_engaged = 8;
  auto k = metrics::compute_engagement_kpis(t);
  CHECK_THAT(*k.account_engagement_rate, WithinRel(2.0 / 3, 1e-15));  // 2 targets of 3
  CHECK(*k.email_open_rate == 0.75);          // 3 / 4
  CHECK(*k.email_click_rate == 0.25);         // 1 / 4
  CHECK_THAT(*k.email_click_to_open_rate, WithinRel(1.0 / 3, 1e-15));
  CHECK(*k.email_reply_rate == 0);
  CHECK(*k.ad_ctr == 0.5);                    // 1 / 2
  CHECK(*k.contacts_per_engaged_account == 1.6);  // 8 / 5
  t.target_accounts = 0;  // no targets: engaged / universe = 5 / 6
  CHECK_THAT(*metrics::compute_engagement_kpis(t).account_engagement_rate,
             WithinRel(5.0 / 6, 1e-15));
  t.email_sent = 0;
  CHECK_FALSE(metrics::compute_engagement_kpis(t).email_open_rate);
}

TEST_CASE("compute_influence_kpis: influence rate and ROI", "[metrics][influence]") {
  metrics::influence_totals t;
  t.influenced_pipeline = 340000;
  t.created_pipeline = 407000;
  t.influenced_bookings = 260000;
  t.marketing_spend = 19000;
  t.gross_margin = 0.8;
  const auto k = metrics::compute_influence_kpis(t);
  CHECK_THAT(*k.influence_rate, WithinRel(340000.0 / 407000, 1e-15));
  CHECK_THAT(*k.roi, WithinRel(189000.0 / 19000, 1e-15));  // (260000 × 0.8 − 19000) / 19000
  t.marketing_spend = 0;
  CHECK_FALSE(metrics::compute_influence_kpis(t).roi);
}

// ---- the engine's joins, on small files

namespace {
std::string file(const std::string& name, const std::string& text) {
  return abmkpi_test::write_scratch(name, text);
}

report::report run(engine::analysis_options opts) {
  io::diagnostics diag;
  const auto a = engine::load(opts, diag);
  return engine::build_report(a, opts, diag);
}

const char* deals_csv =
    "deal_id,account_id,amount,status,created_date,close_date,type\n"
    "D1,A,1000,won,2023-01-10,2023-02-01,new\n"     // A: customer since 2023-02-01
    "D2,A,500,lost,2024-01-10,2024-03-01,renewal\n"  // a lost renewal after its wins: churned
    "D3,B,2000,won,2024-02-01,2024-04-01,new\n"      // B: new customer in 2024
    "D4,C,300,open,2024-05-01,,new\n";
}  // namespace

TEST_CASE("customers: since and churn come from deals when the accounts do not say",
          "[engine][customers]") {
  engine::analysis_options o;
  o.deals_path = file("deals.csv", deals_csv);
  o.period = engine::parse_period("2024");
  auto r = run(o);
  CHECK(r.get("new_customers") == 1);      // B (2024-04-01)
  CHECK(r.get("customers_start") == 1);    // A (since 2023-02-01)
  CHECK(r.get("churned_customers") == 1);  // A: lost renewal 2024-03-01 after its win
  CHECK(r.get("customers_end") == 1);      // B
  CHECK(r.get("churn_rate") == 1);
  CHECK(r.get("arpa") == 2000);            // acv_total 2000 / 1 account won in 2024 (B)
  // accounts.customer_since and churned_on win over the deals.
  o.accounts_path = file("accounts.csv",
                         "account_id,customer_since,churned_on\nA,,2025-01-01\nB,2023-06-01,\n");
  r = run(o);
  CHECK(r.get("customers_start") == 2);  // A and B (B since 2023-06-01 by the accounts table)
  CHECK(r.get("churned_customers") == 0);  // A churns in 2025
  CHECK(r.get("new_customers") == 0);
  CHECK(r.get("customers_end") == 2);
}

TEST_CASE("market: universe, --icp-min, --market-accounts and tam", "[engine][market]") {
  engine::analysis_options o;
  o.deals_path = file("deals.csv", deals_csv);
  o.accounts_path = file("m_accounts.csv",
                         "account_id,target,icp_fit,potential,arr,nps\n"
                         "A,yes,80,,1000,10\nB,no,20,5000,3000,6\nC,yes,,0,,\nD,no,90,100,,9\n");
  o.period = engine::parse_period("2024");
  auto r = run(o);
  CHECK(r.get("universe_accounts") == 4);
  CHECK(r.get("target_accounts") == 2);
  // acv_avg = 2000 (B's deal); A and C have no potential > 0: 5000 + 100 + 2 × 2000
  CHECK(r.get("tam") == 9100);
  CHECK(r.get("market_penetration") == 0.25);  // customers at end: B only, of 4
  CHECK(r.get("nps") == Approx(100.0 * (2 - 1) / 3));  // 10, 6, 9
  CHECK(r.get("arpa") == 3000);  // arr column: mean arr of customers at the end (B)
  o.abm.icp_min = 50;  // universe A (80) and D (90): C has no icp_fit
  r = run(o);
  CHECK(r.get("universe_accounts") == 2);
  CHECK(r.get("tam") == 2100);  // A: acv_avg 2000, D: 100
  CHECK(r.get("market_penetration") == 0);
  o.abm.icp_min.reset();
  o.abm.market_accounts = 1000;
  r = run(o);
  CHECK(r.get("universe_accounts") == 1000);
  CHECK(r.get("tam") == 2'000'000);  // 1000 × acv_avg 2000
}

TEST_CASE("engagement and influence: windows, period and weights", "[engine][touches]") {
  engine::analysis_options o;
  o.deals_path = file("deals.csv", deals_csv);
  o.accounts_path = file("e_accounts.csv", "account_id,target\nA,yes\nB,yes\nC,no\n");
  o.touches_path = file("touches.csv",
                        "account_id,contact_id,timestamp,channel,action,funnel_stage\n"
                        "B,b1,2023-11-04,email,open,tofu\n"   // 89 days before D3: sourced
                        "B,b1,2024-01-05,email,sent,\n"
                        "B,b2,2024-03-20,sales,demo,bofu\n"   // 20 + 1 = 21 points
                        "C,c1,2024-02-01,web,visit,tofu\n"    // 90 days before D4 (2024-05-01)
                        "A,a1,2025-02-01,sales,meeting,bofu\n");  // after the period
  o.period = engine::parse_period("2024");
  auto r = run(o);
  CHECK(r.get("touches") == 3);           // the 2023 open and the 2025 meeting are out
  CHECK(r.get("engaged_accounts") == 2);  // B (demo), C (visit); the sent is no engagement
  CHECK(r.get("target_engaged_accounts") == 1);  // B
  CHECK(r.get("account_engagement_rate") == 0.5);  // 1 of targets A, B
  CHECK(r.get("mqa_accounts") == 0);      // B scores 20 in 2024 (< 50)
  CHECK(r.get("contacts_per_engaged_account") == 1);  // B {b2}, C {c1}: 2 / 2
  CHECK(r.get("bofu_touches") == 1);
  CHECK(r.get("tofu_touches") == 1);
  CHECK(r.get("demos") == 1);
  CHECK(r.get("email_open_rate") == 0);  // 0 opens / 1 sent (the 2023 open is out)
  // Influence: D2 (A, created 2024-01-10): A's only touch is in 2025 → no.
  // D3 (B, created 2024-02-01, won 2024-04-01): window from 2023-11-03 holds the open → yes,
  // and the open is before creation → sourced. D4 (C, open, created 2024-05-01): the visit on
  // 2024-02-01 is 90 days before, the window's first day → yes, and sourced.
  CHECK(r.get("influenced_deals") == 2);
  CHECK(r.get("influenced_pipeline") == 2300);
  CHECK(r.get("sourced_pipeline") == 2300);
  CHECK(r.get("influenced_bookings") == 2000);
  CHECK(r.get("influence_rate") == Approx(2300.0 / 2800));  // created in 2024: D2, D3, D4
  o.abm.influence_window_days = 89;  // the visit is now one day early for D4
  r = run(o);
  CHECK(r.get("influenced_pipeline") == 2000);
  o.weights_path = file("weights.csv", "action,weight\nDemo,50\n");
  r = run(o);
  CHECK(r.get("mqa_accounts") == 1);  // B: demo 50 + nothing else in 2024
}

TEST_CASE("spend: categories, refunds and the abm column", "[engine][spend]") {
  engine::analysis_options o;
  o.deals_path = file("deals.csv", deals_csv);
  o.touches_path = file("s_touches.csv", "account_id,timestamp,action\nB,2023-12-01,visit\n");
  o.spend_path = file("spend.csv",
                      "date,amount,category,abm\n"
                      "2024-01,1000,marketing,yes\n2024-02-01,400,Sales,no\n"
                      "2024-03-01,250,Tools,no\n2024-04-01,600,,no\n2024-05-01,-100,marketing,yes\n"
                      "2023-12-01,9999,marketing,yes\n");
  o.abm.gross_margin = 0.5;
  o.period = engine::parse_period("2024");
  auto r = run(o);
  CHECK(r.get("marketing_spend") == 900);  // abm marketing rows of 2024: 1000 − 100
  CHECK(r.get("cac") == 1900);             // (1000 + 600 − 100) + 400, one new customer (B)
  CHECK(r.get("cac_fully_loaded") == 2150);  // + 250 other
  CHECK(r.get("roi") == Approx((2000 * 0.5 - 900) / 900.0));  // D3 influenced by the 2023 visit
}

TEST_CASE("currencies: --fx converts, mixed without it fails", "[engine][fx]") {
  engine::analysis_options o;
  o.deals_path =
      file("fx_deals.csv",
           "deal_id,account_id,amount,currency,status,created_date,close_date\n"
           "D1,A,100,EUR,won,2024-01-01,2024-02-01\nD2,B,50,USD,won,2024-01-01,2024-02-01\n");
  o.period = engine::parse_period("2024");
  CHECK_THROWS_AS(run(o), parse_error);
  o.fx_path = file("fx.csv", "currency,rate\nUSD,1\nEUR,1.1\n");
  o.currency = "USD";
  auto r = run(o);
  CHECK(r.get("bookings") == Approx(160));  // 100 EUR × 1.1 / 1 + 50
  CHECK(r.currency == "USD");
  o.currency = "EUR";
  r = run(o);
  CHECK(r.get("bookings") == Approx(100 + 50 / 1.1));
}

TEST_CASE("touch_stats: contacts are told apart per account, however the ids split",
          "[engine][touches]") {
  // Account "ab" with contact "c" and account "a" with contact "bc" join to the same bytes;
  // they are two (account, contact) pairs. "a" also reaches "bc" twice and "x" once, so:
  // pairs ab/c, a/bc, a/x = 3 contacts on engaged accounts; a touch without a contact adds
  // none. Engagement opens (1 point each), days 100..104, period 90..110.
  engine::touch_stats s;
  const auto open = [&](std::string_view account, std::string_view contact, std::int32_t day) {
    touch t;
    t.account_id = account;
    t.contact_id = contact;
    t.day = date{day};
    t.channel = "email";
    t.action = "open";
    s.add(t);
  };
  open("ab", "c", 100);
  open("a", "bc", 101);
  open("a", "bc", 102);
  open("a", "x", 103);
  open("ab", "", 104);
  s.finish();
  engine::abm_options o;
  engine::touch_day counts;
  const auto t = engine::reduce_engagement(s, nullptr, period{date{90}, date{110}}, o, counts);
  CHECK(t.engaged_accounts == 2);
  CHECK(t.contacts_on_engaged == 3);
  std::size_t pairs = 0;
  s.accounts().for_each(
      [&](const std::string&, const engine::account_engagement& a) { pairs += a.contacts.size(); });
  CHECK(pairs == 3);
  // A period that holds only day 101..102: account a, through contact bc alone.
  const auto u = engine::reduce_engagement(s, nullptr, period{date{101}, date{102}}, o, counts);
  CHECK(u.engaged_accounts == 1);
  CHECK(u.contacts_on_engaged == 1);
}

TEST_CASE("touch_stats: merging halves equals reading the whole (seed 9)", "[engine][touches]") {
  std::mt19937 rng(9);
  const char* actions[] = {"open", "sent", "click", "meeting", "impression", "visit"};
  const char* channels[] = {"email", "ad", "web", "sales"};
  std::vector<std::string> accounts, contacts;
  for (int i = 0; i < 3000; ++i) {
    accounts.push_back("A" + std::to_string(rng() % 40));
    contacts.push_back(rng() % 5 ? "c" + std::to_string(rng() % 200) : "");
  }
  auto make = [&](int i) {
    touch t;
    t.account_id = accounts[static_cast<std::size_t>(i)];
    t.contact_id = contacts[static_cast<std::size_t>(i)];
    t.day = date{19700 + static_cast<std::int32_t>((i * 7919) % 500)};
    t.action = actions[i % 6];
    t.channel = channels[i % 4];
    t.stage = static_cast<funnel_stage>(i % 4);
    return t;
  };
  engine::touch_stats whole, first, second;
  for (int i = 0; i < 3000; ++i) whole.add(make(i));
  for (int i = 0; i < 1200; ++i) first.add(make(i));
  for (int i = 1200; i < 3000; ++i) second.add(make(i));
  first.merge(second);
  whole.finish();
  first.finish();
  const period p{date{19800}, date{20000}};
  engine::abm_options o;
  engine::touch_day a, b;
  const auto x = engine::reduce_engagement(whole, nullptr, p, o, a);
  const auto y = engine::reduce_engagement(first, nullptr, p, o, b);
  CHECK(x.touches == y.touches);
  CHECK(x.engaged_accounts == y.engaged_accounts);
  CHECK(x.mqa_accounts == y.mqa_accounts);
  CHECK(x.contacts_on_engaged == y.contacts_on_engaged);
  CHECK(a.email_open == b.email_open);
  CHECK(a.tofu == b.tofu);
  CHECK(x.touches > 0);
}

TEST_CASE("touch_stats: planned windows keep one score sum each", "[engine][touches]") {
  // Windows: days 100..109 and 90..99. Account A: a demo (20 points) with contact x on day 95,
  // a meeting (15) with y and an open (1) with x on day 105, a visit (2) with z on day 120,
  // outside both. Window 0: 15 + 1 = 16 points, contacts x and y; window 1: 20 points, x.
  engine::touch_stats s({}, std::vector<engine::period_window>{{100, 109}, {90, 99}});
  const auto touch_on = [&](std::int32_t day, std::string_view action, std::string_view contact) {
    touch t;
    t.account_id = "A";
    t.contact_id = contact;
    t.day = date{day};
    t.channel = "sales";
    t.action = action;
    s.add(t);
  };
  touch_on(95, "demo", "x");
  touch_on(105, "meeting", "y");
  touch_on(105, "open", "x");
  touch_on(120, "visit", "z");
  s.finish();
  const engine::account_engagement& a = *s.accounts().find("A");
  const auto now = s.over(period{date{100}, date{109}}),
             before = s.over(period{date{90}, date{99}});
  CHECK(now.score(a) == 16 * engine::score_scale);
  CHECK(before.score(a) == 20 * engine::score_scale);
  // x and y in order of first touch; z engaged in no window, so it is not kept.
  REQUIRE(a.contacts.size() == 2);
  CHECK(now.contact_engaged(a.contacts[0]));
  CHECK(now.contact_engaged(a.contacts[1]));
  CHECK(before.contact_engaged(a.contacts[0]));
  CHECK_FALSE(before.contact_engaged(a.contacts[1]));
  // The touches span days 95..120: 0..99 holds the same touches as 90..99.
  CHECK(s.over(period{date{0}, date{99}}).score(a) == 20 * engine::score_scale);
  CHECK_THROWS_AS(s.over(period{date{100}, date{120}}), std::logic_error);
  CHECK(a.any_between(date{110}, date{120}));  // the days stay whole: the visit on 120
  // Accumulators of another plan, or of none, do not merge.
  engine::touch_stats other({}, std::vector<engine::period_window>{{100, 109}}), none;
  CHECK_THROWS_AS(s.merge(other), std::logic_error);
  CHECK_THROWS_AS(s.merge(none), std::logic_error);
  engine::touch_stats same({}, std::vector<engine::period_window>{{100, 109}, {90, 99}});
  CHECK_NOTHROW(same.merge(s));
}

TEST_CASE("touch_stats: scores of planned windows equal sums of per-day scores (seed 21)",
          "[engine][touches]") {
  // Random engagement touches over days 19700..20199 (2023-12-09..2025-04-22), with weights
  // that are not all positive. For every shape of period request, with and without
  // --compare previous, and whether another table's events reach beyond the touches or not:
  // the scores kept per window equal the per-day scores summed over the period as
  // build_report resolves it.
  std::mt19937 rng(21);
  engine::engagement_weights w;
  w.by_action["visit"] = -3 * engine::score_scale / 2;
  std::vector<touch> touches;
  std::vector<std::string> ids, contacts{"", "c1", "c2", "c3", "c4", "c5"};
  for (int i = 0; i < 40; ++i) ids.push_back("A" + std::to_string(i));
  const char* actions[] = {"open", "visit", "demo", "sent", "webinar"};
  for (int i = 0; i < 4000; ++i) {
    touch t;
    t.account_id = ids[rng() % ids.size()];
    t.contact_id = contacts[rng() % contacts.size()];
    t.day = date{19700 + static_cast<std::int32_t>(rng() % 500)};
    t.channel = "email";
    t.action = actions[rng() % 5];
    touches.push_back(t);
  }
  engine::touch_stats plain(w);
  for (const touch& t : touches) plain.add(t);
  plain.finish();
  const auto build = [&](const std::vector<engine::period_window>& plan) {
    engine::touch_stats planned(w, plan);
    for (const touch& t : touches) planned.add(t);
    planned.finish();
    return planned;
  };
  std::size_t accounts = 0;
  const auto check = [&](const engine::touch_stats& planned, const period& q) {
    const auto by_window = planned.over(q);
    const auto by_day = plain.over(q);
    plain.accounts().for_each([&](const std::string& id, const engine::account_engagement& a) {
      const engine::account_engagement* b = planned.accounts().find(id);
      REQUIRE(b);
      CHECK(by_window.score(*b) == by_day.score(a));
      // A plan keeps only the contacts engaged in one of its windows: compare the counts
      // the report reads, the account's contacts engaged in the period.
      const auto engaged = [](const auto& view, const engine::account_engagement& e) {
        std::size_t n = 0;
        for (const std::uint32_t c : e.contacts) n += view.contact_engaged(c);
        return n;
      };
      CHECK(engaged(by_window, *b) == engaged(by_day, a));
      CHECK(b->any_between(q.from, q.to) == a.any_between(q.from, q.to));
      ++accounts;
    });
  };
  // Deals dated 45 days beyond the touches, or not: 2 spans, 6 periods + 5 with previous.
  CHECK(abmkpi_test::walk_planned_periods(abmkpi_test::period_requests(2024),
                                          *plain.first_event(), *plain.last_event(), build,
                                          check) == 2 * (6 + 2 * 5));
  CHECK(accounts == 40 * 2 * (6 + 2 * 5));  // 40 accounts in each
}

TEST_CASE("accounts: a repeated account id is a row error", "[engine][accounts]") {
  engine::analysis_options o;
  o.deals_path = file("deals.csv", deals_csv);
  o.accounts_path = file("dup_accounts.csv", "account_id,target\nA,yes\nB,no\nA,no\n");
  std::vector<std::string> messages;
  io::diagnostics diag(io::row_error_policy::skip,
                       [&](std::string_view m) { messages.emplace_back(m); });
  const auto a = engine::load(o, diag);
  CHECK(a.summaries[1]->rejected == 1);
  CHECK(a.accounts.find("A")->target);  // the first row stands
  // Row errors are shown when reading ends, before the warning that deal account C is not in
  // the accounts file.
  REQUIRE(messages.size() == 2);
  CHECK(messages[0] == "warning: " + o.accounts_path +
                           ":4: account_id: duplicate id \"A\" (first on line 2) (row skipped)");
}
