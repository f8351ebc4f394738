#include "test_shim.hpp"

#include <algorithm>  // std::find
#include <optional>   // std::optional
#include <string>     // std::string
#include <vector>     // std::vector

#include "abmkpi/check/requirements.hpp"
#include "abmkpi/error.hpp"
#include "abmkpi/metrics/catalog.hpp"
#include "abmkpi/report/report.hpp"

using abmkpi::usage_error;
using abmkpi::check::check_key;
using abmkpi::check::close_matches;
using abmkpi::check::evaluate;
using abmkpi::check::holds;
using abmkpi::check::lookup;
using abmkpi::check::missing_reason;
using abmkpi::check::op;
using abmkpi::check::parse_requirement;
using abmkpi::check::parse_rules;
using Catch::Matchers::Contains;

TEST_CASE("requirements: parse_requirement reads every operator", "[check]") {
  auto ge = parse_requirement("win_rate >= 0.2", "--require");
  CHECK(ge.key == "win_rate");
  CHECK(ge.comparison == op::ge);
  CHECK(ge.threshold == 0.2);
  CHECK(ge.text == "win_rate >= 0.2");

  auto eq = parse_requirement("deals_won==3", "--require");  // no spaces at all
  CHECK(eq.key == "deals_won");
  CHECK(eq.comparison == op::eq);
  CHECK(eq.threshold == 3.0);

  auto gt = parse_requirement("  delta.win_rate > -0.05  ", "--require");
  CHECK(gt.key == "delta.win_rate");
  CHECK(gt.comparison == op::gt);
  CHECK(gt.threshold == -0.05);
  CHECK(gt.text == "delta.win_rate > -0.05");  // trimmed

  auto ne = parse_requirement("cohorts.lift.win_rate != 1", "--require");
  CHECK(ne.key == "cohorts.lift.win_rate");
  CHECK(ne.comparison == op::ne);
  CHECK(ne.threshold == 1.0);

  auto le = parse_requirement("x <= +2", "--require");  // a leading + is allowed
  CHECK(le.key == "x");
  CHECK(le.comparison == op::le);
  CHECK(le.threshold == 2.0);

  auto lt = parse_requirement("a < 1e3", "--require");
  CHECK(lt.key == "a");
  CHECK(lt.comparison == op::lt);
  CHECK(lt.threshold == 1000.0);  // 1e3 = 1000
}

TEST_CASE("requirements: op_text spells every operator", "[check]") {
  using abmkpi::check::op_text;
  CHECK(op_text(op::ge) == ">=");
  CHECK(op_text(op::gt) == ">");
  CHECK(op_text(op::le) == "<=");
  CHECK(op_text(op::lt) == "<");
  CHECK(op_text(op::eq) == "==");
  CHECK(op_text(op::ne) == "!=");
}

TEST_CASE("requirements: a # comment after the number is ignored", "[check]") {
  auto r = parse_requirement("win_rate >= 0.2 # the Q3 target", "--require");
  CHECK(r.key == "win_rate");
  CHECK(r.comparison == op::ge);
  CHECK(r.threshold == 0.2);
  auto tight = parse_requirement("bookings > 100000#no space before the comment", "--require");
  CHECK(tight.key == "bookings");
  CHECK(tight.comparison == op::gt);
  CHECK(tight.threshold == 100000.0);
}

TEST_CASE("requirements: holds, below / equal / above the threshold", "[check]") {
  // Threshold 0.2, actual values 0.1 (below), 0.2 (equal) and 0.3 (above).
  struct row {
    op o;
    bool below, equal, above;
  };
  const row table[] = {
      {op::ge, false, true, true},   //
      {op::gt, false, false, true},  //
      {op::le, true, true, false},   //
      {op::lt, true, false, false},  //
      {op::eq, false, true, false},  //
      {op::ne, true, false, true},   //
  };
  for (const auto& t : table) {
    INFO("op " << abmkpi::check::op_text(t.o));
    CHECK(holds(0.1, t.o, 0.2) == t.below);
    CHECK(holds(0.2, t.o, 0.2) == t.equal);
    CHECK(holds(0.3, t.o, 0.2) == t.above);
  }
  // The parsed threshold compares the same way: "win_rate >= 0.2" against 0.2 itself holds.
  const auto r = parse_requirement("win_rate >= 0.2", "--require");
  CHECK(holds(0.2, r.comparison, r.threshold));
  CHECK_FALSE(holds(0.19, r.comparison, r.threshold));
}

TEST_CASE("requirements: malformed requirements are usage errors", "[check]") {
  CHECK_THROWS_AS(parse_requirement("win_rate 0.2", "--require"), usage_error);
  CHECK_THROWS_WITH(parse_requirement("win_rate 0.2", "--require"),
                    Contains("--require: no comparison operator in \"win_rate 0.2\"") &&
                        Contains("expected KEY OP NUMBER"));
  // A single = is not an operator.
  CHECK_THROWS_WITH(parse_requirement("win_rate = 0.2", "--require"),
                    Contains("no comparison operator"));

  CHECK_THROWS_AS(parse_requirement(">= 1", "--require"), usage_error);
  CHECK_THROWS_WITH(parse_requirement(">= 1", "--require"), Contains("--require: no key"));

  CHECK_THROWS_AS(parse_requirement("win_rate >=", "--require"), usage_error);
  CHECK_THROWS_WITH(parse_requirement("win_rate >=", "--require"),
                    Contains("--require: no number"));
  // Only a comment after the operator: still no number.
  CHECK_THROWS_WITH(parse_requirement("win_rate >= # later", "--require"),
                    Contains("no number"));

  CHECK_THROWS_AS(parse_requirement("win_rate >= abc", "--require"), usage_error);
  CHECK_THROWS_WITH(parse_requirement("win_rate >= abc", "--require"),
                    Contains("--require: cannot read \"abc\" as a number"));
  CHECK_THROWS_WITH(parse_requirement("win_rate >= 0.2x", "--require"),
                    Contains("--require: cannot read \"0.2x\" as a number"));
  // One sign only, and the message quotes the number as written.
  CHECK_THROWS_WITH(parse_requirement("win_rate >= +-1", "--require"),
                    Contains("cannot read \"+-1\" as a number"));
  CHECK_THROWS_WITH(parse_requirement("win_rate >= ++1", "--require"),
                    Contains("cannot read \"++1\" as a number"));

  CHECK_THROWS_AS(parse_requirement("win_rate >= 20%", "--require"), usage_error);
  CHECK_THROWS_WITH(parse_requirement("win_rate >= 20%", "--require"),
                    Contains("--require:") && Contains("fractions") && Contains("0.2"));

  CHECK_THROWS_AS(parse_requirement("win_rate >= inf", "--require"), usage_error);
  CHECK_THROWS_WITH(parse_requirement("win_rate >= inf", "--require"),
                    Contains("--require: cannot read \"inf\" as a number"));
  CHECK_THROWS_WITH(parse_requirement("win_rate >= nan", "--require"),
                    Contains("--require: cannot read \"nan\" as a number"));
  CHECK_THROWS_AS(parse_requirement("win_rate >= -inf", "--require"), usage_error);

  // The where prefix is whatever the caller passes.
  CHECK_THROWS_WITH(parse_requirement("win_rate >= abc", "rules.txt:7"),
                    Contains("rules.txt:7: cannot read"));
}

TEST_CASE("requirements: parse_rules skips blanks and comments, reads CRLF", "[check]") {
  const std::string content =
      "# gates for the quarterly report\r\n"
      "\r\n"
      "win_rate >= 0.2\r\n"
      "   \n"
      "  # an indented comment\n"
      "bookings > 100000 # trailing comment\n"
      "deals_lost <= 3";  // no final newline
  const auto rules = parse_rules(content, "rules.txt");
  REQUIRE(rules.size() == 3);
  CHECK(rules[0].key == "win_rate");
  CHECK(rules[0].comparison == op::ge);
  CHECK(rules[0].threshold == 0.2);
  CHECK(rules[0].text == "win_rate >= 0.2");  // no \r left behind
  CHECK(rules[1].key == "bookings");
  CHECK(rules[1].comparison == op::gt);
  CHECK(rules[1].threshold == 100000.0);
  CHECK(rules[2].key == "deals_lost");
  CHECK(rules[2].comparison == op::le);
  CHECK(rules[2].threshold == 3.0);

  CHECK(parse_rules("", "rules.txt").empty());
  CHECK(parse_rules("\n\n# only comments\r\n", "rules.txt").empty());
}

TEST_CASE("requirements: parse_rules names the file and line of a bad line", "[check]") {
  // Line 1 a comment, line 2 blank, line 3 bad: blank and comment lines still count.
  const std::string content = "# gates\n\nwin_rate >= 20%\nbookings > 0\n";
  CHECK_THROWS_AS(parse_rules(content, "rules.txt"), usage_error);
  CHECK_THROWS_WITH(parse_rules(content, "rules.txt"),
                    Contains("rules.txt:3:") && Contains("fractions"));
  // The same with CRLF line endings.
  CHECK_THROWS_WITH(parse_rules("# gates\r\n\r\nwin_rate 0.2\r\n", "rules.txt"),
                    Contains("rules.txt:3: no comparison operator"));
}

TEST_CASE("requirements: check_key accepts every known key", "[check]") {
  for (const auto& k : abmkpi::metrics::kpi_catalog) {
    const std::string key(k.key);
    INFO(key);
    const auto use = check_key(key, false);
    CHECK_FALSE(use.needs_previous);
    CHECK_FALSE(use.needs_groups);
    CHECK_NOTHROW(check_key("kpis." + key, false));
  }
  for (const char* key : {"kpis.win_rate", "cohorts.target.win_rate", "cohorts.non_target.bookings",
                          "cohorts.lift.pipeline_velocity", "cohorts.win_rate_p_value"}) {
    INFO(key);
    const auto use = check_key(key, false);
    CHECK_FALSE(use.needs_previous);
    CHECK_FALSE(use.needs_groups);
  }
  for (const char* key : {"previous.tam", "delta.win_rate"}) {
    INFO(key);
    const auto use = check_key(key, false);
    CHECK(use.needs_previous);
    CHECK_FALSE(use.needs_groups);
  }
  const auto group = check_key("groups.EMEA.win_rate", true);
  CHECK(group.needs_groups);
  CHECK_FALSE(group.needs_previous);
  // A group value may itself contain a dot: the KPI is after the last one.
  CHECK(check_key("groups.A.B.win_rate", true).needs_groups);
}

TEST_CASE("requirements: check_key rejects unknown keys with suggestions", "[check]") {
  CHECK_THROWS_AS(check_key("win_rte", false), usage_error);
  CHECK_THROWS_WITH(check_key("win_rte", false),
                    Contains("unknown key \"win_rte\"") && Contains("did you mean win_rate"));

  // tam is a §3.3 key: no cohort or group has it.
  CHECK_THROWS_AS(check_key("cohorts.target.tam", false), usage_error);
  CHECK_THROWS_WITH(check_key("cohorts.target.tam", false),
                    Contains("unknown key \"cohorts.target.tam\""));
  // bookings has no lift (SPEC §4 lifts only lift_keys).
  CHECK_THROWS_AS(check_key("cohorts.lift.bookings", false), usage_error);
  CHECK_THROWS_WITH(check_key("cohorts.lift.bookings", false),
                    Contains("unknown key \"cohorts.lift.bookings\""));

  CHECK_THROWS_AS(check_key("groups.EMEA.win_rate", false), usage_error);
  CHECK_THROWS_WITH(check_key("groups.EMEA.win_rate", false), Contains("--by"));

  CHECK_THROWS_AS(check_key("groups.EMEA.tam", true), usage_error);
  CHECK_THROWS_WITH(check_key("groups.EMEA.tam", true),
                    Contains("unknown key \"groups.EMEA.tam\"") && Contains("deal KPI"));
  // No value between groups. and the KPI.
  CHECK_THROWS_AS(check_key("groups.win_rate", true), usage_error);

  CHECK_THROWS_AS(check_key("nonsense_key_entirely", false), usage_error);
  CHECK_THROWS_WITH(check_key("nonsense_key_entirely", false),
                    Contains("unknown key \"nonsense_key_entirely\"") &&
                        Contains("abmkpi metrics"));
}

TEST_CASE("requirements: close_matches suggests at most three keys, best first", "[check]") {
  const auto rte = close_matches("win_rte");  // one letter missing: distance 1
  REQUIRE_FALSE(rte.empty());
  CHECK(rte.front() == "win_rate");
  CHECK(rte.size() <= 3);

  const auto bookngs = close_matches("bookngs");
  CHECK(std::find(bookngs.begin(), bookngs.end(), "bookings") != bookngs.end());
  CHECK(bookngs.size() <= 3);

  // win_rate is inside many keys (kpis.win_rate, delta.win_rate, win_rate_ci95_low, ...), yet
  // only three come back, the exact match (distance 0) first.
  const auto many = close_matches("win_rate");
  CHECK(many.size() == 3);
  CHECK(many.front() == "win_rate");

  CHECK(close_matches("nonsense_key_entirely").empty());
}

namespace {
/// A report with a few values in every place a key can name.
abmkpi::report::report sample_report() {
  abmkpi::report::report r;
  r.set("win_rate", 0.25);
  r.set("bookings", 278000);
  r.set("deals_won", 6);
  // tam stays null.

  abmkpi::report::cohort_report c;
  c.target.set("win_rate", 0.5);
  c.non_target.set("win_rate", 0.2);
  c.non_target.set("bookings", 50000);
  c.lift[0] = 2.5;  // lift_keys[0] is win_rate: 0.5 / 0.2 = 2.5
  c.lift[4] = 1.2;  // lift_keys[4] is pipeline_velocity
  c.win_rate_p_value = 0.04;
  r.cohorts = c;

  abmkpi::report::group_report emea;
  emea.values = {"EMEA"};
  emea.kpis.set("win_rate", 0.4);
  r.groups.push_back(emea);
  abmkpi::report::group_report dotted;
  dotted.values = {"A.B"};
  dotted.kpis.set("win_rate", 0.1);
  r.groups.push_back(dotted);
  abmkpi::report::group_report two;
  two.values = {"EMEA", "Enterprise"};
  two.kpis.set("bookings", 90000);
  r.groups.push_back(two);

  r.previous = abmkpi::report::kpi_set{};
  r.previous->set("win_rate", 0.2);
  r.previous->set("tam", 5000000);
  r.delta = abmkpi::report::kpi_set{};
  r.delta->set("win_rate", 0.05);  // 0.25 - 0.2, set by hand
  return r;
}
}  // namespace

TEST_CASE("requirements: lookup finds each kind of key", "[check]") {
  const auto r = sample_report();
  CHECK(lookup(r, "win_rate") == 0.25);
  CHECK(lookup(r, "kpis.win_rate") == 0.25);
  CHECK(lookup(r, "bookings") == 278000.0);
  CHECK(lookup(r, "kpis.deals_won") == 6.0);
  CHECK(lookup(r, "cohorts.target.win_rate") == 0.5);
  CHECK(lookup(r, "cohorts.non_target.win_rate") == 0.2);
  CHECK(lookup(r, "cohorts.non_target.bookings") == 50000.0);
  CHECK(lookup(r, "cohorts.lift.win_rate") == 2.5);
  CHECK(lookup(r, "cohorts.lift.pipeline_velocity") == 1.2);
  CHECK(lookup(r, "cohorts.win_rate_p_value") == 0.04);
  CHECK(lookup(r, "groups.EMEA.win_rate") == 0.4);
  CHECK(lookup(r, "groups.A.B.win_rate") == 0.1);
  CHECK(lookup(r, "groups.EMEA / Enterprise.bookings") == 90000.0);
  CHECK(lookup(r, "previous.win_rate") == 0.2);
  CHECK(lookup(r, "previous.tam") == 5000000.0);
  CHECK(lookup(r, "delta.win_rate") == 0.05);
}

TEST_CASE("requirements: lookup is nullopt for null or absent values", "[check]") {
  const auto r = sample_report();
  CHECK_FALSE(lookup(r, "tam"));                        // null KPI
  CHECK_FALSE(lookup(r, "kpis.tam"));
  CHECK_FALSE(lookup(r, "cohorts.target.bookings"));    // null in the cohort
  CHECK_FALSE(lookup(r, "cohorts.lift.acv_avg"));       // null lift
  CHECK_FALSE(lookup(r, "cohorts.lift.bookings"));      // no such lift
  CHECK_FALSE(lookup(r, "groups.APAC.win_rate"));       // no such group
  CHECK_FALSE(lookup(r, "groups.EMEA.bookings"));       // null in the group
  CHECK_FALSE(lookup(r, "previous.bookings"));
  CHECK_FALSE(lookup(r, "delta.bookings"));
  CHECK_FALSE(lookup(r, "no_such_key"));

  abmkpi::report::report bare;  // no cohorts, no groups, no previous period
  bare.set("win_rate", 0.25);
  CHECK(lookup(bare, "win_rate") == 0.25);
  CHECK_FALSE(lookup(bare, "cohorts.target.win_rate"));
  CHECK_FALSE(lookup(bare, "cohorts.non_target.win_rate"));
  CHECK_FALSE(lookup(bare, "cohorts.lift.win_rate"));
  CHECK_FALSE(lookup(bare, "cohorts.win_rate_p_value"));
  CHECK_FALSE(lookup(bare, "groups.EMEA.win_rate"));
  CHECK_FALSE(lookup(bare, "previous.win_rate"));
  CHECK_FALSE(lookup(bare, "delta.win_rate"));
}

TEST_CASE("requirements: evaluate passes, fails and handles missing values", "[check]") {
  const auto r = sample_report();
  const auto reqs = parse_rules(
      "win_rate >= 0.2\n"               // 0.25 >= 0.2: passes
      "win_rate >= 0.3\n"               // 0.25 >= 0.3: fails
      "tam >= 1\n"                      // null
      "groups.EMEA.win_rate > 0.35\n"   // 0.4 > 0.35: passes
      "cohorts.lift.win_rate < 2\n",    // 2.5 < 2: fails
      "rules.txt");
  REQUIRE(reqs.size() == 5);

  const auto strict = evaluate(r, reqs, false);
  REQUIRE(strict.size() == 5);
  CHECK(strict[0].req == &reqs[0]);
  CHECK(strict[0].actual == 0.25);
  CHECK(strict[0].passed);
  CHECK_FALSE(strict[0].missing);

  CHECK(strict[1].actual == 0.25);
  CHECK_FALSE(strict[1].passed);
  CHECK_FALSE(strict[1].missing);

  CHECK_FALSE(strict[2].actual);
  CHECK_FALSE(strict[2].passed);  // a missing value fails by default
  CHECK(strict[2].missing);

  CHECK(strict[3].actual == 0.4);
  CHECK(strict[3].passed);
  CHECK(strict[4].actual == 2.5);
  CHECK_FALSE(strict[4].passed);

  const auto lenient = evaluate(r, reqs, true);
  REQUIRE(lenient.size() == 5);
  CHECK(lenient[0].passed);
  CHECK_FALSE(lenient[1].passed);  // --allow-missing does not excuse a real failure
  CHECK(lenient[2].passed);        // ... but does excuse a missing value
  CHECK(lenient[2].missing);
  CHECK_FALSE(lenient[2].actual);
}

TEST_CASE("requirements: missing_reason says why a key has no value", "[check]") {
  abmkpi::report::report bare;
  CHECK_THAT(missing_reason(bare, "cohorts.lift.win_rate"), Contains("target column"));
  CHECK_THAT(missing_reason(bare, "cohorts.win_rate_p_value"), Contains("no cohorts"));
  CHECK(missing_reason(bare, "groups.X.win_rate") == "no group \"X\"");

  const auto r = sample_report();
  CHECK(missing_reason(r, "groups.APAC.win_rate") == "no group \"APAC\"");
  CHECK(missing_reason(r, "groups.A.B.bookings").find("no group") == std::string::npos);
  // delta.* with the current value null says so.
  CHECK(missing_reason(bare, "delta.win_rate") == "kpis.win_rate is null");

  // A null KPI gives the reason the report recorded for it.
  abmkpi::report::report noted;
  noted.null_reasons["win_rate"] = "no deals closed in the period";
  noted.null_reasons["bookings"] = "no deals closed in the period";
  CHECK(missing_reason(noted, "win_rate") == "no deals closed in the period");
  CHECK(missing_reason(noted, "kpis.bookings") == "no deals closed in the period");
  CHECK(missing_reason(noted, "tam").empty());
}
