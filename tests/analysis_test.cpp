#include "test_shim.hpp"

#include <fstream>
#include <string>

#include "abmkpi/engine/analysis.hpp"
#include "abmkpi/report/json.hpp"

using namespace abmkpi;

namespace {
std::string write_file(const std::string& name, const std::string& text) {
  return abmkpi_test::write_scratch(name, text);
}

report::report run(const std::string& path, engine::analysis_options opts = {}) {
  opts.deals_path = path;
  io::diagnostics diag;
  const auto a = engine::load(opts, diag);
  return engine::build_report(a, opts, diag);
}
}  // namespace

TEST_CASE("analysis: the worked example's deals give its §3.1 values", "[engine][analysis]") {
  engine::analysis_options opts;
  opts.period = engine::parse_period("2024");
  const auto r = run(abmkpi_test::shared_testdata() + "/../worked-example/deals.csv", opts);
  REQUIRE(r.period);
  CHECK(r.period->days() == 366);
  CHECK(r.currency == "USD");  // from "45000 USD", the only currency seen
  CHECK(r.get("deals_won") == 6);
  CHECK(r.get("bookings") == 278000);
  CHECK(r.get("weighted_pipeline") == 12600);  // 600 + 18000 × 2/3 (README §3.1)
  CHECK(r.get("open_pipeline") == 78000);
  CHECK(r.get("sales_cycle_days_median") == 60);
  CHECK_FALSE(r.get("tam"));
}

TEST_CASE("analysis: customers' summaries alone give the same report as every account's",
          "[engine][analysis]") {
  // Deals alone (no accounts table, no touches): load() keeps only customers' summaries unless
  // every_account_summary is set; no KPI may change. B has only an open and a lost deal.
  const auto path = write_file("customers-only.csv",
                               "deal_id,account_id,amount,stage,type,created_date,close_date\n"
                               "D1,A,100,Closed Won,New,2024-01-05,2024-02-01\n"
                               "D2,A,50,Closed Won,Expansion,2024-03-01,2024-04-01\n"
                               "D3,B,70,Prospecting,New,2024-03-01,2024-09-01\n"
                               "D4,B,80,Closed Lost,New,2024-02-01,2024-03-01\n"
                               "D5,C,90,Closed Won,New,2023-01-01,2023-02-01\n"
                               "D6,C,90,Closed Lost,Renewal,2024-01-01,2024-05-01\n");
  engine::analysis_options opts;
  opts.period = engine::parse_period("2024");
  opts.deals_path = path;
  io::diagnostics diag;
  const auto lean = engine::load(opts, diag);
  CHECK(lean.deals.accounts().size() == 2);  // A and C
  engine::analysis_options every = opts;
  every.every_account_summary = true;
  const auto full = engine::load(every, diag);
  CHECK(full.deals.accounts().size() == 3);
  const report::report r = engine::build_report(lean, opts, diag);
  CHECK(report::render_json(r) == report::render_json(engine::build_report(full, every, diag)));
  CHECK(r.get("repeat_customer_rate") == 0.5);  // A has two wins by the period's end, C one
  CHECK(r.get("churned_customers") == 1);     // C: won in 2023, lost its renewal in 2024
}

TEST_CASE("analysis: the default period spans the event dates", "[engine][analysis]") {
  // Open deals' close dates are expected dates, not events: 2025-06-01 does not extend the span.
  const auto path = write_file("span.csv",
                               "deal_id,account_id,amount,created_date,close_date,status\n"
                               "D1,A,10,2024-01-05,2024-02-01,won\n"
                               "D2,A,10,2024-03-01,2025-06-01,open\n");
  const auto r = run(path);
  REQUIRE(r.period);
  CHECK(to_iso(r.period->from) == "2024-01-05");
  CHECK(to_iso(r.period->to) == "2024-03-01");
  CHECK(r.get("open_deals") == 1);
}

TEST_CASE("analysis: mixed currencies are an error naming them", "[engine][analysis]") {
  const auto path = write_file("fx.csv",
                               "deal_id,account_id,amount,created_date\n"
                               "D1,A,$10,2024-01-05\nD2,A,10 EUR,2024-01-06\n");
  CHECK_THROWS_WITH(run(path), path + ": amounts in more than one currency (EUR, USD): give "
                                      "--fx FILE (currency,rate) and --currency to convert them");
  engine::analysis_options opts;
  opts.currency = "GBP";
  const auto usd =
      write_file("usd.csv", "deal_id,account_id,amount,created_date\nD1,A,$10,2024-01-05\n");
  CHECK_THROWS_WITH(run(usd, opts), Catch::Contains("(USD; report currency GBP)"));
}

TEST_CASE("analysis: nulls come with notes", "[engine][analysis]") {
  const auto path = write_file("open.csv",
                               "deal_id,account_id,amount,created_date\nD1,A,10,2024-01-05\n");
  const auto r = run(path);
  CHECK_FALSE(r.get("win_rate"));
  CHECK_FALSE(r.get("weighted_pipeline"));  // the open deal needs the (null) win rate
  auto has = [&](std::string_view start) {
    for (const auto& n : r.notes)
      if (n.rfind(start, 0) == 0) return true;
    return false;
  };
  CHECK(has("win_rate, win_rate_ci95_low"));
  CHECK(has("weighted_pipeline: open deals need the win rate"));
  CHECK(has("universe_accounts, target_accounts, tam, market_penetration, nps: need an accounts"));
  // No spend table: cac and the KPIs built on it are null, and a note says so.
  CHECK_FALSE(r.get("cac"));
  CHECK(has("cac, cac_fully_loaded, ltv_to_cac, cac_payback_months, marketing_spend: need a "
            "spend table (--spend)"));
  CHECK(has("roi: needs a touches table (--touches) for influenced_bookings"));
  // No customer at the start (the only deal is open): churn is null with its reason.
  CHECK(has("churn_rate, retention_rate, churn_rate_annualized, customer_lifetime_years, clv: no "
            "customers at the period's start"));
}
