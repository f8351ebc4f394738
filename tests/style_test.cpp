#include "test_shim.hpp"

#include <cmath>    // std::nan
#include <sstream>  // std::istringstream
#include <string>   // std::string
#include <vector>   // std::vector

#include "abmkpi/metrics/catalog.hpp"
#include "abmkpi/report/style.hpp"
#include "abmkpi/report/table.hpp"
#include "abmkpi/report/width.hpp"

using namespace abmkpi;
using report::display_width;

TEST_CASE("display_width: ASCII is one cell a byte", "[report][width]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("win_rate 42.59 %") == 16);
}

TEST_CASE("display_width: accents precomposed or combining take one cell", "[report][width]") {
  CHECK(display_width("Z\u00fcrich") == 6);    // ü as one code point (2 bytes)
  CHECK(display_width("Zu\u0308rich") == 6);   // u + COMBINING DIAERESIS (0 cells)
  CHECK(display_width("e\u0301\u0327") == 1);  // two combining marks on one letter
}

TEST_CASE("display_width: East Asian wide characters and emoji take two cells", "[report][width]") {
  CHECK(display_width("東京") == 4);
  CHECK(display_width("🚀") == 2);
  CHECK(display_width("🚀 Rocket") == 9);
  CHECK(display_width("\u3000") == 2);  // IDEOGRAPHIC SPACE
}

TEST_CASE("display_width: controls and invalid bytes count as their \\xNN escapes",
          "[report][width]") {
  CHECK(display_width("\x1b") == 4);
  CHECK(display_width("a\tb") == 6);
  CHECK(display_width("\x7f") == 4);
  CHECK(display_width("\xc2\x9b") == 8);  // C1 CSI: escaped byte by byte, \xc2\x9b
  CHECK(display_width("\xff") == 4);
  CHECK(display_width("a\xe6\x9d") == 9);  // a truncated 3-byte sequence: two escapes
  // What is measured is what terminal_text prints (ASCII once escaped: one cell a byte).
  for (const char* text : {"\x1b[31mred", "tab\there", "\xc2\x9b[31m", "bad \xff\xfe"})
    CHECK(display_width(text) == report::terminal_text(text).size());
}

TEST_CASE("terminal_text: escapes controls and invalid UTF-8, keeps valid text",
          "[report][width]") {
  CHECK(report::terminal_text("\x1b[2Jb") == "\\x1b[2Jb");
  CHECK(report::terminal_text("\xc2\x9b[31m") == "\\xc2\\x9b[31m");
  CHECK(report::terminal_text("Müller \xff") == "Müller \\xff");
  CHECK(report::terminal_text("東京 🚀 Zu\u0308rich") == "東京 🚀 Zu\u0308rich");
  CHECK(report::terminal_text(report::terminal_text("a\x1b\xff")) == "a\\x1b\\xff");
}

TEST_CASE("pad: fills to display cells, never cuts", "[report][width]") {
  CHECK(report::pad("東京", 6, report::align::left) == "東京  ");
  CHECK(report::pad("🚀", 4, report::align::right) == "  🚀");
  CHECK(report::pad("Zu\u0308rich", 8, report::align::left) == "Zu\u0308rich  ");
  CHECK(report::pad("abcdef", 3, report::align::left) == "abcdef");
  CHECK(report::padding("東京", 3).empty());
}

TEST_CASE("bar: eighth-block resolution over 10 cells", "[report][bar]") {
  CHECK(report::bar(0) == "");
  CHECK(report::bar(-0.5) == "");
  CHECK(report::bar(std::nan("")) == "");
  CHECK(report::bar(1.0 / 80) == "▏");  // one eighth of a cell
  CHECK(report::bar(0.0001) == "▏");    // above 0 always shows
  CHECK(report::bar(1.0 / 8) == "█▎");  // 1/8 of 10 cells = 1 2/8 cells
  CHECK(report::bar(0.5) == "█████");
  CHECK(report::bar(0.6667) == "██████▋");  // 53.3 eighths → 53 = 6 cells + 5/8
  CHECK(report::bar(1) == "██████████");
  CHECK(report::bar(3) == "██████████");  // clamped
  CHECK(report::bar(0.5, 4) == "██");
  CHECK(display_width(report::bar(0.99)) == 10);
}

TEST_CASE("paint: SGR sequences only with colour on", "[report][style]") {
  const report::text_style off{}, on{true};
  CHECK(report::paint(off, report::tone::bad, "FAIL") == "FAIL");
  CHECK(report::paint(on, report::tone::bad, "FAIL") == "\x1b[31mFAIL\x1b[0m");
  CHECK(report::paint(on, report::tone::good, "PASS") == "\x1b[32mPASS\x1b[0m");
  CHECK(report::paint(on, report::tone::warn, "SKIP") == "\x1b[33mSKIP\x1b[0m");
  CHECK(report::paint(on, report::tone::heading, "Revenue") == "\x1b[1mRevenue\x1b[0m");
  CHECK(report::paint(on, report::tone::plain, "x") == "x");
  CHECK(report::paint(on, report::tone::bad, "") == "");
  CHECK(report::paint_value(on, "278,000.00 USD") == "278,000.00 \x1b[2mUSD\x1b[0m");
  CHECK(report::paint_value(on, "1,278.16 USD/day") == "1,278.16 \x1b[2mUSD/day\x1b[0m");
  CHECK(report::paint_value(on, "23") == "23");
  CHECK(report::paint_value(off, "66.67 %") == "66.67 %");
}

TEST_CASE("good_direction: one place says which way each KPI is good", "[metrics][catalog]") {
  using metrics::better;
  for (auto key : {"win_rate", "bookings", "open_pipeline", "retention_rate", "deals_won", "nps"})
    CHECK(metrics::good_direction(key) == better::higher);
  for (auto key : {"churn_rate", "cac", "sales_cycle_days_avg", "sales_cycle_days_median",
                   "cac_payback_months", "deals_lost", "churned_customers"})
    CHECK(metrics::good_direction(key) == better::lower);
  for (auto key : {"touches", "tofu_touches", "marketing_spend", "tam", "no_such_kpi"})
    CHECK(metrics::good_direction(key) == better::neutral);
}

namespace {
/// The lines of `text`.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// A display width written independently of display_width, for the few scripts these tests
/// use: CJK ideographs and Hangul, and emoji take 2 cells, combining diacritics 0, the rest 1
/// (ASCII, Latin-1, block elements). Valid UTF-8 only.
std::size_t reference_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    char32_t cp = n == 1 ? b : b & (0x7f >> n);
    for (std::size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3f);
    i += n;
    if (cp >= 0x300 && cp <= 0x36f) continue;
    const bool wide = (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3) ||
                      (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x1f300 && cp <= 0x1faff);
    width += wide ? 2 : 1;
  }
  return width;
}

/// The display column where `needle` ends in `line` (its first occurrence), or 0 when absent.
std::size_t end_column(const std::string& line, std::string_view needle) {
  const std::size_t at = line.find(needle);
  if (at == std::string::npos) return 0;
  return reference_width(std::string_view(line).substr(0, at + needle.size()));
}

report::group_report group(std::vector<std::string> values, double won, double lost,
                           double bookings) {
  report::group_report g;
  g.values = std::move(values);
  g.kpis.set("deals_won", won);
  g.kpis.set("deals_lost", lost);
  g.kpis.set("win_rate", won / (won + lost));
  g.kpis.set("bookings", bookings);
  if (won > 0) g.kpis.set("avg_deal_size", bookings / won);
  return g;
}

report::report base() {
  report::report r;
  r.period = period{make_date(2024, 1, 1), make_date(2024, 12, 31)};
  r.currency = "USD";
  r.inputs[0] = report::table_counts{14, 0};
  r.input_names[0] = "deals.csv";
  r.set("deals_won", 6);
  r.set("win_rate", 2.0 / 3);
  r.set("bookings", 278000);
  r.set("churn_rate", 0.5);
  r.set("touches", 20);
  r.set("sales_cycle_days_avg", 72.5);
  return r;
}

/// base() with every comparison: previous period, cohorts and groups in several scripts.
report::report compared() {
  report::report r = base();
  r.previous_period = period{make_date(2023, 1, 1), make_date(2023, 12, 31)};
  r.previous.emplace();
  r.delta.emplace();
  r.previous->set("bookings", 60000);
  r.delta->set("bookings", 218000);  // up, good
  r.previous->set("churn_rate", 0.4);
  r.delta->set("churn_rate", 0.1);  // up, bad
  r.previous->set("touches", 2);
  r.delta->set("touches", 18);  // neutral
  r.previous->set("sales_cycle_days_avg", 75);
  r.delta->set("sales_cycle_days_avg", -2.5);  // down, good
  r.cohorts.emplace();
  r.cohorts->target.set("win_rate", 0.8);
  r.cohorts->non_target.set("win_rate", 0.5);
  r.cohorts->target.set("bookings", 210000);
  r.cohorts->non_target.set("bookings", 68000);
  r.cohorts->lift[0] = 1.6;   // win_rate: good
  r.cohorts->lift[3] = 1.76;  // sales_cycle_days_avg: bad
  r.group_by = {"segment"};
  r.groups.push_back(group({"plain"}, 1, 1, 1000));
  r.groups.push_back(group({"東京"}, 3, 1, 90000));
  r.groups.push_back(group({"🚀 Rocket"}, 1, 0, 15000));
  r.groups.push_back(group({"Z\u00fcrich"}, 2, 2, 40000));  // precomposed
  r.groups.push_back(group({"Zu\u0308rich"}, 0, 2, 0));     // combining diaeresis
  r.groups.push_back(group({"ab\x1b\xff"}, 1, 3, 5000));    // control and invalid byte
  return r;
}
}  // namespace

TEST_CASE("reference_width: the tests' own width agrees with display_width", "[report][width]") {
  for (const char* text : {"abc", "Z\u00fcrich", "Zu\u0308rich", "東京", "🚀 Rocket", "한국 ソウル",
                           "█▎", "ab\\x1b\\xff"})
    CHECK(reference_width(text) == display_width(text));
}

TEST_CASE("render_table: group values in any script line up by display width",
          "[report][table][width]") {
  const auto lines = lines_of(report::render_table(compared()));
  std::size_t heading = 0;
  while (heading < lines.size() &&
         lines[heading].find("deals_won  deals_lost") == std::string::npos)
    ++heading;
  REQUIRE(heading + 6 < lines.size());
  // Right-aligned value columns end at the same display column as their heading on every row.
  const std::size_t win_rate_end = end_column(lines[heading], "win_rate");
  const std::size_t deals_won_end = end_column(lines[heading], "deals_won");
  REQUIRE(win_rate_end > 0);
  for (std::size_t i = heading + 1; i <= heading + 6; ++i) {
    INFO(lines[i]);
    CHECK(end_column(lines[i], " %") == win_rate_end);
    CHECK(end_column(lines[i], " USD") > win_rate_end);
  }
  // deals_won of the 東京 row (3) and the 🚀 row (1): the digit sits under the heading's end.
  CHECK(end_column(lines[heading + 2], "3") == deals_won_end);
  CHECK(end_column(lines[heading + 3], "1") == deals_won_end);
  // The group value of the last row is shown escaped, and its width counted as escaped.
  CHECK(lines[heading + 6].find("ab\\x1b\\xff") != std::string::npos);
}

TEST_CASE("render_table: bars beside win rate and bookings of groups and cohorts",
          "[report][table][bar]") {
  const std::string t = report::render_table(compared());
  // Groups: win rate 75 % → 7.5 cells; bookings scaled to the largest, 90,000.
  // The bar column is 10 cells, then the next column's 2-cell gap and right-alignment padding.
  CHECK(t.find("  75.00 %  ███████▌    90,000.00 USD  ██████████  ") != std::string::npos);
  CHECK(t.find(" 100.00 %  ██████████  15,000.00 USD  █▋        ") != std::string::npos);
  CHECK(t.find("  0.00 %" + std::string(2 + 10 + 2 + 5, ' ') + "0.00 USD  " +
               std::string(10, ' ')) != std::string::npos);  // no bar for 0
  // Cohorts: beside each cohort's value, bookings scaled to the larger cohort (68/210 → 2 3/8).
  CHECK(t.find("80.00 %  ████████" + std::string(2 + 2 + 6, ' ') + "50.00 %  █████" +
               std::string(5 + 2, ' ') + "1.60x\n") != std::string::npos);
  CHECK(t.find("210,000.00 USD  ██████████  68,000.00 USD  ███▎\n") != std::string::npos);
  // Never in Markdown.
  CHECK(report::render_markdown(compared()).find("█") == std::string::npos);
}

TEST_CASE("render_table: colour off has no escape sequence at all", "[report][table][style]") {
  CHECK(report::render_table(compared()).find('\x1b') == std::string::npos);
  CHECK(report::render_table(compared(), report::text_style{false}).find('\x1b') ==
        std::string::npos);
  CHECK(report::render_table(base()).find('\x1b') == std::string::npos);
  CHECK(report::render_markdown(compared()).find('\x1b') == std::string::npos);
}

TEST_CASE("render_table: colour on paints headings, units and good and bad changes",
          "[report][table][style]") {
  const report::text_style on{true};
  const std::string plain = report::render_table(base(), on);
  CHECK(plain.find("\x1b[1mRevenue\x1b[0m\n") != std::string::npos);
  CHECK(plain.find("\x1b[1mRelationships\x1b[0m\n") != std::string::npos);
  CHECK(plain.find("  \x1b[1mPeriod\x1b[0m    2024-01-01") != std::string::npos);
  CHECK(plain.find("  \x1b[1mInputs\x1b[0m    deals deals.csv") != std::string::npos);
  // Padding stays outside: the value still ends in column 57 as without colour.
  CHECK(plain.find("  bookings" + std::string(22 + 1 + 10, ' ') +
                   "278,000.00 \x1b[2mUSD\x1b[0m\n") != std::string::npos);

  const std::string t = report::render_table(compared(), on);
  CHECK(t.find("\x1b[32m+218,000.00 USD\x1b[0m") != std::string::npos);  // bookings up: good
  CHECK(t.find("\x1b[31m+10.00 pp\x1b[0m") != std::string::npos);        // churn_rate up: bad
  CHECK(t.find("\x1b[32m-2.5 days\x1b[0m") != std::string::npos);        // cycle down: good
  CHECK(t.find("  +18\n") != std::string::npos);                         // touches: neutral
  CHECK(t.find("\x1b[32m1.60x\x1b[0m") != std::string::npos);            // win_rate lift > 1
  CHECK(t.find("\x1b[31m1.76x\x1b[0m") != std::string::npos);            // cycle lift > 1: bad
  CHECK(t.find("\x1b[1mGroups by segment\x1b[0m") != std::string::npos);
  CHECK(t.find("\x1b[1mchange\x1b[0m") != std::string::npos);
  // Stripped of its escapes, the coloured table is the plain one.
  std::string stripped;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\x1b') {
      while (t[i] != 'm') ++i;
      continue;
    }
    stripped += t[i];
  }
  CHECK(stripped == report::render_table(compared()));
}
