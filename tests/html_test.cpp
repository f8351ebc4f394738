#include "test_shim.hpp"

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "abmkpi/engine/analysis.hpp"
#include "abmkpi/report/html.hpp"

using namespace abmkpi;
using Catch::Matchers::WithinRel;

namespace {
report::report run(const engine::analysis_options& opts) {
  io::diagnostics diag;
  const auto a = engine::load(opts, diag);
  return engine::build_report(a, opts, diag);
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A1, A2, A3 are target accounts, A4 is not; A5 (a touch only) is in no table.
const char* const funnel_accounts =
    "account_id,target,segment\n"
    "A1,yes,SMB\n"
    "A2,yes,Enterprise\n"
    "A3,yes,SMB\n"
    "A4,no,SMB\n";
// Q1 2024 (Jan, Feb, Mar). Created in Q1: D1 Jan 100, D2 Jan 50, D3 Feb 30. Won and closed in
// Q1: D1 Jan 100, D3 Feb 30, D5 Feb 40 (created in 2023). D4 is lost: never bookings.
const char* const funnel_deals =
    "deal_id,account_id,amount,status,created_date,close_date\n"
    "D1,A1,100,won,2024-01-05,2024-01-20\n"
    "D2,A2,50,open,2024-01-10,\n"
    "D3,A1,30,won,2024-02-01,2024-02-15\n"
    "D4,A4,20,lost,2023-12-20,2024-02-10\n"
    "D5,A3,40,won,2023-11-01,2024-02-28\n";
// Engagement scores in Q1 (default weights): A1 meeting 15 + demo 20 + form_fill 10 + webinar 8
// = 53 (an MQA at 50); A2 open 1; A3 only "sent" (not engagement) in Q1, its meeting is in
// 2023; A4 demo × 3 = 60 (an MQA, not a target); A5 meeting 15.
const char* const funnel_touches =
    "account_id,timestamp,action\n"
    "A1,2024-01-03,meeting\n"
    "A1,2024-01-04,demo\n"
    "A1,2024-01-05,form_fill\n"
    "A1,2024-01-06,webinar\n"
    "A2,2024-02-01,open\n"
    "A3,2024-01-02,sent\n"
    "A3,2023-12-01,meeting\n"
    "A4,2024-01-02,demo\n"
    "A4,2024-01-03,demo\n"
    "A4,2024-01-04,demo\n"
    "A5,2024-01-01,meeting\n";

engine::analysis_options funnel_options(bool with_touches = true) {
  engine::analysis_options o;
  o.deals_path = abmkpi_test::write_scratch("html_deals.csv", funnel_deals);
  o.accounts_path = abmkpi_test::write_scratch("html_accounts.csv", funnel_accounts);
  if (with_touches) o.touches_path = abmkpi_test::write_scratch("html_touches.csv", funnel_touches);
  o.period = engine::parse_period("2024-Q1");
  return o;
}

std::string examples() { return abmkpi_test::test_data() + "/../../examples/"; }

engine::analysis_options full_example() {
  engine::analysis_options o;
  o.deals_path = examples() + "salesforce-opportunities.csv";
  o.accounts_path = examples() + "salesforce-accounts.csv";
  o.touches_path = examples() + "salesforce-touches.csv";
  o.spend_path = examples() + "salesforce-spend.csv";
  o.period = engine::parse_period("2024");
  o.by = {"segment"};
  o.compare_previous = true;
  return o;
}
}  // namespace

TEST_CASE("months: pipeline created and bookings per month, worked by hand", "[engine][html]") {
  const auto r = run(funnel_options(false));
  REQUIRE(r.months.size() == 3);  // Jan, Feb, Mar 2024
  CHECK(r.months[0].span.from == make_date(2024, 1, 1));
  CHECK(r.months[0].span.to == make_date(2024, 1, 31));
  CHECK(r.months[1].span.to == make_date(2024, 2, 29));  // a leap year
  CHECK(r.months[2].span.to == make_date(2024, 3, 31));
  // Jan: created D1 100 + D2 50 = 150; won D1 100.
  CHECK(r.months[0].created_pipeline == 150);
  CHECK(r.months[0].bookings == 100);
  // Feb: created D3 30; won D3 30 + D5 40 = 70 (D5 was created in 2023, D4 was lost).
  CHECK(r.months[1].created_pipeline == 30);
  CHECK(r.months[1].bookings == 70);
  CHECK(r.months[2].created_pipeline == 0);
  CHECK(r.months[2].bookings == 0);
  // Σ months = the period's KPIs: 150 + 30 + 0 = 180, 100 + 70 + 0 = 170.
  CHECK(r.get("created_pipeline") == 180);
  CHECK(r.get("bookings") == 170);
}

TEST_CASE("months: clipped to a period that starts and ends inside a month", "[engine][html]") {
  auto o = funnel_options(false);
  o.period = {make_date(2024, 1, 15), make_date(2024, 2, 20), engine::period_kind::custom};
  const auto r = run(o);
  REQUIRE(r.months.size() == 2);
  CHECK(r.months[0].span.from == make_date(2024, 1, 15));
  CHECK(r.months[0].span.to == make_date(2024, 1, 31));
  CHECK(r.months[1].span.from == make_date(2024, 2, 1));
  CHECK(r.months[1].span.to == make_date(2024, 2, 20));
  // Jan 15..31: nothing created (D1 on the 5th, D2 on the 10th); D1 won on the 20th: 100.
  CHECK(r.months[0].created_pipeline == 0);
  CHECK(r.months[0].bookings == 100);
  // Feb 1..20: D3 created and won, 30; D5 closes on the 28th, after the period.
  CHECK(r.months[1].created_pipeline == 30);
  CHECK(r.months[1].bookings == 30);
  CHECK(r.get("created_pipeline") == 30);
  CHECK(r.get("bookings") == 130);
}

TEST_CASE("months: the exact monthly sums add up to created_pipeline and bookings",
          "[engine][html]") {
  // The Salesforce example has cents (e.g. 41,820.11): the exact sums of the months, converted
  // once, must equal the period's KPIs to the last bit.
  const auto o = full_example();
  io::diagnostics diag;
  const auto a = engine::load(o, diag);
  const auto r = engine::build_report(a, o, diag);
  REQUIRE(r.period);
  engine::money_sum created = 0, won = 0;
  const auto months = a.deals.monthly(*r.period);
  CHECK(months.size() == 12);
  for (const auto& m : months) created += m.created_amount, won += m.won_amount;
  CHECK(engine::to_currency(created) == *r.get("created_pipeline"));
  CHECK(engine::to_currency(won) == *r.get("bookings"));
  double created_sum = 0, bookings_sum = 0;
  for (const auto& m : r.months) created_sum += m.created_pipeline, bookings_sum += m.bookings;
  CHECK_THAT(created_sum, WithinRel(*r.get("created_pipeline"), 1e-12));
  CHECK_THAT(bookings_sum, WithinRel(*r.get("bookings"), 1e-12));
  CHECK(*r.get("bookings") > 0);
}

TEST_CASE("funnel: target accounts at each stage, worked by hand", "[engine][html]") {
  const auto r = run(funnel_options());
  REQUIRE(r.funnel);
  const auto& f = *r.funnel;
  CHECK(f.target == 3);   // A1, A2, A3
  CHECK(f.engaged == 2);  // A1, A2 (A3's only Q1 touch is "sent"; A4 and A5 are not targets)
  CHECK(f.mqa == 1);      // A1 scores 53 ≥ 50; A2 scores 1
  CHECK(r.get("mqa_accounts") == 2);  // A1 and the non-target A4 (60)
  CHECK(f.opportunity == 2);          // A1 (D1, D3) and A2 (D2); A3's D5 was created in 2023
  CHECK(f.won == 2);  // A1 (D1, D3) and A3 (D5), never engaged: stages are independent
  CHECK(r.get("target_accounts") == f.target);
  CHECK(r.get("target_engaged_accounts") == *f.engaged);
}

TEST_CASE("funnel: an explicit period leaves out the deals and touches outside it",
          "[engine][html]") {
  auto o = funnel_options();
  o.period = {make_date(2024, 1, 15), make_date(2024, 2, 20), engine::period_kind::custom};
  const auto f = *run(o).funnel;
  CHECK(f.target == 3);
  CHECK(f.engaged == 1);      // only A2's open on Feb 1; A1's touches are Jan 3..6
  CHECK(f.mqa == 0);          // A2 scores 1
  CHECK(f.opportunity == 1);  // A1's D3 (Feb 1); D1 (Jan 5) and D2 (Jan 10) came before
  CHECK(f.won == 1);          // A1 (D1 Jan 20, D3 Feb 15); D5 closes Feb 28, after the period
  // Only a lower bound: the upper one is the last event (D5's close, Feb 28). Created on or
  // after Jan 8: D2 (A2) and D3 (A1); D4 is not a target's.
  o.period = {make_date(2024, 1, 8), std::nullopt, engine::period_kind::custom};
  const auto from_only = *run(o).funnel;
  CHECK(from_only.opportunity == 2);
  CHECK(from_only.won == 2);  // A1, A3
}

TEST_CASE("funnel: the same with the deals file read in pieces", "[engine][html]") {
  auto o = funnel_options();
  o.period = {make_date(2024, 1, 15), make_date(2024, 2, 20), engine::period_kind::custom};
  o.threads = 3;
  o.parallel_min_bytes = 1;  // split even this small file into pieces, each with its bounds
  const auto f = *run(o).funnel;
  CHECK(f.opportunity == 1);
  CHECK(f.won == 1);
}

TEST_CASE("funnel: engaged and MQA unknown without touches, no funnel without targets",
          "[engine][html]") {
  const auto r = run(funnel_options(false));
  REQUIRE(r.funnel);
  CHECK_FALSE(r.funnel->engaged);
  CHECK_FALSE(r.funnel->mqa);
  CHECK(r.funnel->opportunity == 2);
  const std::string html = report::render_html(r);
  CHECK(count_of(html, ">needs --touches</text>") == 2);  // the engaged and MQA rows
  auto o = funnel_options(false);
  o.accounts_path =
      abmkpi_test::write_scratch("html_accounts_plain.csv", "account_id,segment\nA1,SMB\n");
  const auto plain = run(o);
  CHECK_FALSE(plain.funnel);
  CHECK(report::render_html(plain).find("id=\"chart-funnel-no-data\"") != std::string::npos);
  o.accounts_path.clear();
  CHECK_FALSE(run(o).funnel);
}

TEST_CASE("html_escape: markup, quotes and controls", "[report][html]") {
  CHECK(report::html_escape("<script>alert(\"x\")</script> & 'co'") ==
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;");
  CHECK(report::html_escape("a\x1b[2Jb") == "a\\x1b[2Jb");
  CHECK(report::html_escape("Müller") == "Müller");
}

TEST_CASE("render_html: hostile file names and group values are escaped", "[report][html]") {
  auto o = funnel_options();
  const std::string hostile = "<script>alert(\"x\")</script> & 'co'";
  o.deals_path = abmkpi_test::write_scratch(
      "<img onerror=x>&'\".csv",
      std::string("deal_id,account_id,amount,status,created_date,close_date,segment\n"
                  "D1,A1,100,won,2024-01-05,2024-01-20,\"") +
          "<script>alert(\"\"x\"\")</script> & 'co'" +
          "\"\n"
          "D2,<b>A9</b>,50,lost,2024-01-10,2024-01-30,SMB\n");
  o.by = {"segment"};
  const auto r = run(o);
  REQUIRE(r.groups.size() == 2);
  CHECK(r.groups[0].key() == hostile);
  const std::string html = report::render_html(r);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  // The group in the win-rate chart and in the groups table, the file name in the header, the
  // unknown account in a note.
  CHECK(count_of(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;") >=
        3);
  CHECK(html.find("&lt;img onerror=x&gt;&amp;&#39;&quot;.csv") != std::string::npos);
  CHECK(html.find("&lt;b&gt;A9&lt;/b&gt;") != std::string::npos);
}

TEST_CASE("render_html: self-contained, every chart, every table", "[report][html]") {
  const std::string html = report::render_html(run(full_example()));
  // Nothing to fetch: the only URL is the SVG namespace, and there is no script, link or src.
  const std::regex url("https?://[^\"' <>]*");
  std::set<std::string> urls;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator();
       ++it)
    urls.insert(it->str());
  CHECK(urls == std::set<std::string>{"http://www.w3.org/2000/svg"});
  for (const char* banned : {"<script", "<link", "src=", "url(", "@import", "<iframe", "<object"})
    CHECK(html.find(banned) == std::string::npos);
  CHECK(html.find("Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
  // The four charts, each an SVG with a title and a description, and no "no data".
  for (const char* id : {"funnel", "months", "win-rate", "churn"}) {
    INFO(id);
    CHECK(count_of(html, std::string("<svg id=\"chart-") + id + "\"") == 1);
    CHECK(count_of(html, std::string("<title id=\"chart-") + id + "-title\">") == 1);
    CHECK(count_of(html, std::string("<desc id=\"chart-") + id + "-desc\">") == 1);
  }
  CHECK(html.find("No data") == std::string::npos);
  // Every section and comparison, formatted as the terminal formats them.
  for (const char* part :
       {"<h2>Revenue</h2>", "<h2>Relationships</h2>", "<h2>Market</h2>",
        "<h2>Cohorts: target against non-target accounts</h2>", "<h2>Groups by segment</h2>",
        "<h2>Notes</h2>", "<th class=\"num\">previous</th>"})
    CHECK(html.find(part) != std::string::npos);
  CHECK(html.find("<td class=\"num\">961,862.50 USD</td>") != std::string::npos);  // bookings 2024
  CHECK(html.find("<td class=\"num\">42.59 %</td>") != std::string::npos);         // win_rate
  // The 12 months of 2024, each with two bars.
  CHECK(count_of(html, ": created pipeline ") == 12);
  CHECK(count_of(html, ": bookings ") == 12);
}

TEST_CASE("render_html: a chart without data says so instead of drawing", "[report][html]") {
  auto o = funnel_options(false);
  o.period = engine::parse_period("2030");  // nothing happens in 2030
  const std::string html = report::render_html(run(o));
  CHECK(html.find("id=\"chart-months-no-data\"") != std::string::npos);
  CHECK(html.find("<svg id=\"chart-months\"") == std::string::npos);
  CHECK(html.find("id=\"chart-win-rate-no-data\"") != std::string::npos);
  CHECK(html.find("<svg id=\"chart-funnel\"") != std::string::npos);  // 3 targets, all stages 0
}

TEST_CASE("funnel and months: the worked example by hand", "[engine][html]") {
  engine::analysis_options o;
  const std::string dir = ABMKPI_SHARED_DIR "/worked-example/";
  o.deals_path = dir + "deals.csv";
  o.accounts_path = dir + "accounts.csv";
  o.touches_path = dir + "touches.csv";
  o.period = engine::parse_period("2024");
  const auto r = run(o);
  REQUIRE(r.funnel);
  const auto& f = *r.funnel;
  CHECK(f.target == 3);  // A1, A2, A5
  // A1 and A2 have engagement touches in 2024; A5's only 2024 touch is "sent".
  CHECK(f.engaged == 2);
  // A1: open 1 + click 3 + meeting 15 + demo 20 + chat 1 + form_fill 10 = 50 ≥ 50; A2: open 1 +
  // ad_click 3 + webinar 8 = 12.
  CHECK(f.mqa == 1);
  CHECK(f.opportunity == 3);  // A1 (D01, D06, D14), A2 (D02, D08), A5 (D05)
  CHECK(f.won == 2);          // A1 (D01, D14), A2 (D02, D08); A5 won D09 in 2023
  // Months: March holds D01's 120000 won and D03's 20000 created; created in 2024 sums to
  // created_pipeline 407000, won to bookings 278000 (the worked example's README).
  REQUIRE(r.months.size() == 12);
  CHECK(r.months[2].bookings == 120000);
  CHECK(r.months[2].created_pipeline == 20000);
  double created = 0, bookings = 0;
  for (const auto& m : r.months) created += m.created_pipeline, bookings += m.bookings;
  CHECK(created == 407000);
  CHECK(bookings == 278000);
}
