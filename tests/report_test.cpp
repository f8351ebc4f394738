#include "test_shim.hpp"

#include <nlohmann/json.hpp>

#include "abmkpi/detail/text.hpp"
#include "abmkpi/report/csv.hpp"
#include "abmkpi/report/json.hpp"
#include "abmkpi/report/table.hpp"

using namespace abmkpi;

TEST_CASE("escape_control: C0, DEL and C1 controls become visible", "[report][text]") {
  CHECK(detail::escape_control("a\x1b[2Jb") == "a\\x1b[2Jb");
  CHECK(detail::escape_control("tab\there\x7f") == "tab\\x09here\\x7f");
  CHECK(detail::escape_control("\xc2\x9b" "31m") == "\\xc2\\x9b31m");  // C1 CSI in UTF-8
  CHECK(detail::escape_control("Müller \xff") == "Müller \xff");     // other bytes pass
}

TEST_CASE("group_thousands: separators, rounding and sign", "[report][format]") {
  CHECK(report::group_thousands(1234567.891, 2) == "1,234,567.89");
  // 999.995 is stored as 999.99500000000000455, so it rounds up and gains a group.
  CHECK(report::group_thousands(999.995, 2) == "1,000.00");
  CHECK(report::group_thousands(0, 0) == "0");
  CHECK(report::group_thousands(-1234.5, 1) == "-1,234.5");
  CHECK(report::group_thousands(-0.001, 2) == "0.00");
  CHECK(report::group_thousands(100, 0) == "100");
}

TEST_CASE("csv_text: formula injection guard and quoting", "[report][csv]") {
  CHECK(report::csv_text("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(report::csv_text("+1") == "'+1");
  CHECK(report::csv_text("-cmd") == "'-cmd");
  CHECK(report::csv_text("@SUM(A1)") == "'@SUM(A1)");
  CHECK(report::csv_text("\tx") == "'\tx");
  CHECK(report::csv_text("\rx") == "\"'\rx\"");
  CHECK(report::csv_text("plain") == "plain");
  CHECK(report::csv_text("a,b") == "\"a,b\"");
}

namespace {
report::report sample() {
  report::report r;
  r.period = period{make_date(2024, 1, 1), make_date(2024, 12, 31)};
  r.currency = "USD";
  r.inputs[0] = report::table_counts{14, 1};
  r.input_names[0] = "deals\x1b.csv";
  r.set("deals_won", 6);
  r.set("win_rate", 2.0 / 3);
  r.set("bookings", 278000);
  r.set("weighted_pipeline", -5400);
  r.notes.push_back("=note with \x1b[31m");
  r.kpis.mark_unavailable(metrics::needs::touches);
  return r;
}
}  // namespace

TEST_CASE("render_json: every key present, counts as integers, nulls", "[report][json]") {
  const auto j = nlohmann::json::parse(report::render_json(sample()));
  CHECK(j["kpis"].size() == metrics::kpi_catalog.size());
  CHECK(j["kpis"]["deals_won"].is_number_integer());
  CHECK(j["kpis"]["bookings"].get<double>() == 278000.0);
  CHECK(j["kpis"]["tam"].is_null());
  CHECK(j["period"]["days"] == 366);
  CHECK(j["inputs"]["deals"]["rejected"] == 1);
  CHECK(j["inputs"]["accounts"].is_null());
  for (const char* k : {"cohorts", "groups", "previous", "delta"}) CHECK(j[k].empty());
}

TEST_CASE("render_json: invalid UTF-8 from input is replaced, not fatal", "[report][json]") {
  auto r = sample();
  r.notes.push_back("bad \xff\xfe bytes");
  const auto j = nlohmann::json::parse(report::render_json(r));
  CHECK(j["notes"][1] == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

TEST_CASE("render_table: units, unavailable KPIs left out, input escaped", "[report][table]") {
  const std::string t = report::render_table(sample());
  CHECK(t.find("278,000.00 USD") != std::string::npos);
  CHECK(t.find("66.67 %") != std::string::npos);
  CHECK(t.find("-5,400.00 USD") != std::string::npos);
  CHECK(t.find("touches ") == std::string::npos);  // needs --touches: not a row of the table
  CHECK(t.find('\x1b') == std::string::npos);
  CHECK(t.find("deals\\x1b.csv") != std::string::npos);
}

TEST_CASE("render_table: invalid UTF-8 from input is shown as \\xNN escapes", "[report][table]") {
  auto r = sample();
  r.notes.push_back("bad \xff\xfe bytes in Z\u00fcrich");
  r.currency = "U\xc3";  // a truncated sequence
  const std::string t = report::render_table(r);
  CHECK(t.find("  - bad \\xff\\xfe bytes in Z\u00fcrich\n") != std::string::npos);
  CHECK(t.find("  Currency  U\\xc3\n") != std::string::npos);
  CHECK(t.find("278,000.00 U\\xc3\n") != std::string::npos);
  // Markdown keeps its own escaping (control characters only).
  CHECK(report::render_markdown(r).find("bad \xff\xfe") != std::string::npos);
}

TEST_CASE("render_csv: numbers raw, text guarded", "[report][csv]") {
  const std::string c = report::render_csv(sample());
  CHECK(c.rfind("section,kpi,value\r\n", 0) == 0);
  CHECK(c.find("Revenue,weighted_pipeline,-5400\r\n") != std::string::npos);  // not guarded
  CHECK(c.find("Revenue,win_rate,0.6666666666666666\r\n") != std::string::npos);
  CHECK(c.find("Market,tam,\r\n") != std::string::npos);  // null is an empty cell
  CHECK(c.find("notes,note,'=note") != std::string::npos);
}
