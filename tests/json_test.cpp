#include "test_shim.hpp"

#include "abmkpi/io/json.hpp"

#include <algorithm>     // std::find, std::sort
#include <chrono>        // std::chrono::steady_clock
#include <cstddef>       // std::size_t
#include <cstdint>       // std::uint64_t
#include <filesystem>    // std::filesystem
#include <fstream>       // std::ifstream, std::ofstream
#include <iterator>      // std::istreambuf_iterator
#include <limits>        // std::numeric_limits
#include <span>          // std::span
#include <string>        // std::string
#include <string_view>   // std::string_view
#include <vector>        // std::vector

namespace {

using abmkpi::io::json_options;
using abmkpi::io::read_json;
using abmkpi::io::read_ndjson;
using abmkpi::io::row_sink;
using abmkpi::io::table_kind;
using namespace std::literals;
using strings = std::vector<std::string>;
using table = std::vector<strings>;
using lines_t = std::vector<std::uint64_t>;

/// Records every call a reader makes, copying names and cells (their views die with the call).
struct collect_sink final : row_sink {
  std::vector<strings> columns_calls;  // every columns() call, in order
  table rows;
  lines_t lines;  // line of each entry of rows
  table ragged;   // ragged_row() records (a JSON reader never makes one)
  int finish_calls = 0;
  std::string log;  // every event in order, for comparing whole runs

  void columns(std::span<const std::string_view> names) override {
    columns_calls.emplace_back(names.begin(), names.end());
    log += "columns" + join(columns_calls.back()) + "\n";
  }
  void row(std::span<const std::string_view> cells, std::uint64_t line) override {
    rows.emplace_back(cells.begin(), cells.end());
    lines.push_back(line);
    log += "row " + std::to_string(line) + join(rows.back()) + "\n";
  }
  void ragged_row(std::span<const std::string_view> cells, std::uint64_t line) override {
    ragged.emplace_back(cells.begin(), cells.end());
    log += "ragged " + std::to_string(line) + join(ragged.back()) + "\n";
  }
  void finish() override {
    ++finish_calls;
    log += "finish\n";
  }

  /// The last columns() call, or nothing.
  strings header() const { return columns_calls.empty() ? strings{} : columns_calls.back(); }

 private:
  static std::string join(const strings& cells) {
    std::string out;
    for (const auto& c : cells) out += "[" + c + "]";
    return out;
  }
};

/// A selector that hands the one sink every table.
abmkpi::io::sink_selector to(collect_sink& sink) {
  return [&sink](table_kind) -> row_sink* { return &sink; };
}

collect_sink json(std::string_view bytes, const json_options& opts = {},
                  table_kind default_table = table_kind::deals) {
  collect_sink sink;
  read_json(bytes, "x.json", default_table, to(sink), opts);
  return sink;
}

collect_sink ndjson(std::string_view bytes, const json_options& opts = {}) {
  collect_sink sink;
  read_ndjson(bytes, "x.ndjson", sink, opts);
  return sink;
}

/// One sink per table; `skip` tables get nullptr. Records which tables were asked for.
struct bundle_sinks {
  collect_sink deals, accounts, touches, spend;
  std::vector<table_kind> skip;
  std::vector<table_kind> asked;

  collect_sink& of(table_kind t) {
    switch (t) {
      case table_kind::deals:
        return deals;
      case table_kind::accounts:
        return accounts;
      case table_kind::touches:
        return touches;
      case table_kind::spend:
        return spend;
    }
    return deals;
  }
  abmkpi::io::sink_selector selector() {
    return [this](table_kind t) -> row_sink* {
      asked.push_back(t);
      if (std::find(skip.begin(), skip.end(), t) != skip.end()) return nullptr;
      return &of(t);
    };
  }
};


std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The whole log of a run, or "error: <what()>" when it throws.
template <class Read>
std::string outcome(Read&& read) {
  collect_sink sink;
  try {
    read(sink);
  } catch (const abmkpi::parse_error& e) {
    return sink.log + "error: " + e.what();
  }
  return sink.log;
}

constexpr const char* shape_top =
    "expected an array of objects or an object of tables (\"deals\", \"accounts\", \"touches\", "
    "\"spend\"), found ";
constexpr const char* unknown_tail =
    " in the bundle (expected \"deals\", \"accounts\", \"touches\", \"spend\")";

}  // namespace

// ---------------------------------------------------------------------------------------------
// read_json: rows and columns

TEST_CASE("read_json: an array of objects gives one row per object", "[io][json]") {
  const auto s = json(R"([{"id":"d1","amount":100},{"id":"d2","amount":250}])");
  CHECK(s.columns_calls == std::vector<strings>{{"id", "amount"}});
  CHECK(s.rows == table{{"d1", "100"}, {"d2", "250"}});
  CHECK(s.lines == lines_t{1, 1});
  CHECK(s.ragged.empty());
  CHECK(s.finish_calls == 1);
  CHECK(s.log ==
        "columns[id][amount]\n"
        "row 1[d1][100]\n"
        "row 1[d2][250]\n"
        "finish\n");
}

TEST_CASE("read_json: keys first seen in a later object extend the columns", "[io][json]") {
  const auto s = json(R"([{"a":1},{"b":2,"a":3},{"a":5},{"c":4}])");
  // columns() again, with the longer list, each time a key is new; old names keep their place.
  CHECK(s.columns_calls == std::vector<strings>{{"a"}, {"a", "b"}, {"a", "b", "c"}});
  // Earlier rows keep the cell count of the columns() call before them.
  CHECK(s.rows == table{{"1"}, {"3", "2"}, {"5", ""}, {"", "", "4"}});
  CHECK(s.log ==
        "columns[a]\n"
        "row 1[1]\n"
        "columns[a][b]\n"
        "row 1[3][2]\n"
        "row 1[5][]\n"
        "columns[a][b][c]\n"
        "row 1[][][4]\n"
        "finish\n");
}

TEST_CASE("read_json: a missing key is an empty cell", "[io][json]") {
  const auto s = json(R"([{"a":"x","b":"y"},{"b":"z"},{},{"a":"w"}])");
  CHECK(s.columns_calls == std::vector<strings>{{"a", "b"}});
  CHECK(s.rows == table{{"x", "y"}, {"", "z"}, {"", ""}, {"w", ""}});
  // Key order within an object does not matter once the columns are known.
  CHECK(json(R"([{"a":1,"b":2},{"b":3,"a":4}])").rows == table{{"1", "2"}, {"4", "3"}});
}

TEST_CASE("read_json: an empty object first is a row without cells", "[io][json]") {
  const auto s = json(R"([{},{"a":1}])");
  CHECK(s.log ==
        "columns\n"
        "row 1\n"
        "columns[a]\n"
        "row 1[1]\n"
        "finish\n");
}

TEST_CASE("read_json: numbers keep the text they were written with", "[io][json]") {
  const auto s =
      json(R"([{"a":2.50,"b":1e5,"c":-0,"d":123456789012345678901234567890,"e":0,"f":-12,)"
           R"("g":1E+2,"h":-0.0,"i":18446744073709551615,"j":18446744073709551616,)"
           R"("k":-9223372036854775808,"l":-9223372036854775809,"m":1e-400,)"
           R"("n":-123456789012345678901234567890,"o":0.1000000000000000000001,"p":42}])");
  CHECK(s.rows == table{{"2.50", "1e5", "-0", "123456789012345678901234567890", "0", "-12", "1E+2",
                         "-0.0", "18446744073709551615", "18446744073709551616",
                         "-9223372036854775808", "-9223372036854775809", "1e-400",
                         "-123456789012345678901234567890", "0.1000000000000000000001", "42"}});
  // The same in NDJSON.
  CHECK(ndjson(R"({"a":-0,"b":2.50,"c":123456789012345678901234567890})").rows ==
        table{{"-0", "2.50", "123456789012345678901234567890"}});
}

TEST_CASE("read_json: true, false and null", "[io][json]") {
  const auto s = json(R"([{"won":true,"closed":false,"amount":null,"x":"null"}])");
  CHECK(s.columns_calls == std::vector<strings>{{"won", "closed", "amount", "x"}});
  CHECK(s.rows == table{{"true", "false", "", "null"}});
}

TEST_CASE("read_json: strings are unescaped and UTF-8 is kept", "[io][json]") {
  const auto s =
      json(R"([{"esc":"q\"b\\s\/\b\f\n\r\t","u":"\u00e9\u20AC","pair":"\ud83d\ude00",)"
           "\"raw\":\"Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x98\x80\",\"nul\":\"a\\u0000b\","
           R"("k\u0065y":"","sp":"  padded  "}])");
  CHECK(s.columns_calls == std::vector<strings>{{"esc", "u", "pair", "raw", "nul", "key", "sp"}});
  REQUIRE(s.rows.size() == 1);
  CHECK(s.rows[0] == strings{"q\"b\\s/\b\f\n\r\t", "\xC3\xA9\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                             "Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x98\x80", "a\0b"s, "",
                             "  padded  "});
  // Invalid UTF-8 in a string is malformed JSON.
  REQUIRE_THROWS_WITH(json("[{\"a\":\"\xFF\"}]"),
                      "x.json:1:8: malformed JSON: syntax error while parsing value - invalid "
                      "string: ill-formed UTF-8 byte; last read: '\"\xFF'");
}

TEST_CASE("read_json: a row's line is the line of its opening brace", "[io][json]") {
  const std::string doc =
      "[\n"
      "  {\"a\": 1,\n"
      "   \"b\": \"x\\ny\"},\n"
      "\n"
      "  {\n"
      "    \"a\": 3\n"
      "  }, {\"a\": 4}\n"
      "]\n";
  const auto lf = json(doc);
  CHECK(lf.rows == table{{"1", "x\ny"}, {"3", ""}, {"4", ""}});
  CHECK(lf.lines == lines_t{2, 5, 7});

  std::string crlf;
  for (char c : doc) crlf += c == '\n' ? "\r\n"s : std::string(1, c);
  const auto cr = json(crlf);
  CHECK(cr.rows == lf.rows);
  CHECK(cr.lines == lines_t{2, 5, 7});

  // The brace on a line of its own after a line holding only the array's start.
  CHECK(json("[\r\n\r\n{\"a\":1}\r\n]").lines == lines_t{3});
  // A UTF-8 BOM is skipped.
  const auto bom = json("\xEF\xBB\xBF[{\"a\":1},\n{\"a\":2}]");
  CHECK(bom.rows == table{{"1"}, {"2"}});
  CHECK(bom.lines == lines_t{1, 2});
}

// ---------------------------------------------------------------------------------------------
// read_json: bundles

TEST_CASE("read_json: bundle routes rows to their tables", "[io][json]") {
  bundle_sinks b;
  read_json(
      "{\"deals\": [{\"id\":\"d1\",\"amount\":10},\n"
      "            {\"id\":\"d2\"}],\n"
      " \"accounts\": [{\"id\":\"a1\",\"name\":\"Acme\"}],\n"
      " \"touches\": [],\n"
      " \"spend\": [{\"amount\":5},\n{\"amount\":6,\"channel\":\"ads\"}]}",
      "b.json", table_kind::deals, b.selector());
  CHECK(b.asked == std::vector<table_kind>{table_kind::deals, table_kind::accounts,
                                           table_kind::touches, table_kind::spend});
  CHECK(b.deals.log ==
        "columns[id][amount]\n"
        "row 1[d1][10]\n"
        "row 2[d2][]\n"
        "finish\n");
  CHECK(b.accounts.log ==
        "columns[id][name]\n"
        "row 3[a1][Acme]\n"
        "finish\n");
  CHECK(b.touches.log ==
        "columns\n"
        "finish\n");
  CHECK(b.spend.log ==
        "columns[amount]\n"
        "row 5[5]\n"
        "columns[amount][channel]\n"
        "row 6[6][ads]\n"
        "finish\n");
}

TEST_CASE("read_json: bundle tables may come in any order, and only some of them", "[io][json]") {
  bundle_sinks b;
  read_json(R"({"spend":[{"x":1}],"accounts":[{"y":2}]})", "b.json", table_kind::deals,
            b.selector());
  // The default table (deals) is absent: it is still asked for and told it has no columns.
  CHECK(b.asked ==
        std::vector<table_kind>{table_kind::spend, table_kind::accounts, table_kind::deals});
  CHECK(b.deals.log == "columns\nfinish\n");
  CHECK(b.accounts.log == "columns[y]\nrow 1[2]\nfinish\n");
  CHECK(b.touches.log.empty());
  CHECK(b.spend.log == "columns[x]\nrow 1[1]\nfinish\n");
}

TEST_CASE("read_json: a table whose selector returns nullptr is parsed and discarded",
          "[io][json]") {
  {
    bundle_sinks b;
    b.skip = {table_kind::accounts};
    read_json(R"({"accounts":[{"id":"a1"},{"id":"a2","x":1}],"deals":[{"id":"d1"}]})", "b.json",
              table_kind::deals, b.selector());
    CHECK(b.asked == std::vector<table_kind>{table_kind::accounts, table_kind::deals});
    CHECK(b.accounts.log.empty());
    CHECK(b.deals.log == "columns[id]\nrow 1[d1]\nfinish\n");
  }
  {
    // The default table discarded: nothing at all reaches a sink.
    bundle_sinks b;
    b.skip = {table_kind::deals};
    read_json(R"([{"id":"d1"}])", "b.json", table_kind::deals, b.selector());
    CHECK(b.asked == std::vector<table_kind>{table_kind::deals});
    CHECK(b.deals.log.empty());
    bundle_sinks e;
    e.skip = {table_kind::deals};
    read_json("{}", "b.json", table_kind::deals, e.selector());
    CHECK(e.asked == std::vector<table_kind>{table_kind::deals});
    CHECK(e.deals.log.empty());
  }
  // A discarded table is still parsed: its errors are errors.
  const auto read_skipping_accounts = [](std::string_view doc) {
    bundle_sinks b;
    b.skip = {table_kind::accounts};
    read_json(doc, "b.json", table_kind::deals, b.selector());
  };
  REQUIRE_THROWS_WITH(read_skipping_accounts(R"({"accounts":[{"id":"a1",}],"deals":[]})"),
                      "b.json:1:25: malformed JSON: syntax error while parsing object key - "
                      "unexpected '}'; expected string literal");
  REQUIRE_THROWS_WITH(read_skipping_accounts(R"({"accounts":[{"id":1,"id":2}]})"),
                      "b.json:1:28: duplicate key \"id\" in one object");
  REQUIRE_THROWS_WITH(read_skipping_accounts(R"({"accounts":[{"id":[1]}]})"),
                      "b.json:1:20: id: nested objects and arrays are not supported as cell "
                      "values");
  REQUIRE_THROWS_WITH(read_skipping_accounts(R"({"accounts":[5]})"),
                      "b.json:1:15: expected an object for each row, found a number");
  REQUIRE_THROWS_WITH(read_skipping_accounts(R"({"accounts":[],"accounts":[]})"),
                      "b.json:1:25: the bundle holds the table \"accounts\" twice");
}

TEST_CASE("read_json: an empty array is a table without columns", "[io][json]") {
  const auto s = json("[]");
  CHECK(s.log == "columns\nfinish\n");
  CHECK(s.columns_calls == std::vector<strings>{{}});
  CHECK(s.rows.empty());
  CHECK(s.finish_calls == 1);
  CHECK(json(" \r\n[ \n ] \n").log == "columns\nfinish\n");
}

TEST_CASE("read_json: an empty bundle gives the default table columns({}) and finish()",
          "[io][json]") {
  bundle_sinks b;
  read_json(" { } ", "b.json", table_kind::accounts, b.selector());
  CHECK(b.asked == std::vector<table_kind>{table_kind::accounts});
  CHECK(b.accounts.log == "columns\nfinish\n");
  CHECK(b.deals.log.empty());

  // An empty table inside a bundle is the same as an absent one for its sink.
  bundle_sinks e;
  read_json(R"({"deals":[]})", "b.json", table_kind::deals, e.selector());
  CHECK(e.deals.log == "columns\nfinish\n");
}

// ---------------------------------------------------------------------------------------------
// read_json: errors

TEST_CASE("read_json: a document of the wrong shape is an error", "[io][json]") {
  // Positions are those of the last byte read: the value's last byte, or for a number the byte
  // after it (nlohmann reads one past a number).
  REQUIRE_THROWS_WITH(json("5"), "x.json:1:1: "s + shape_top + "a number");
  REQUIRE_THROWS_WITH(json("\n  42\n"), "x.json:2:5: "s + shape_top + "a number");
  REQUIRE_THROWS_WITH(json(R"("deals")"), "x.json:1:7: "s + shape_top + "a string");
  REQUIRE_THROWS_WITH(json("true"), "x.json:1:4: "s + shape_top + "a boolean");
  REQUIRE_THROWS_WITH(json("null"), "x.json:1:4: "s + shape_top + "null");

  REQUIRE_THROWS_WITH(json("[1]"), "x.json:1:3: expected an object for each row, found a number");
  REQUIRE_THROWS_WITH(json(R"([{"a":1},"x"])"),
                      "x.json:1:12: expected an object for each row, found a string");
  REQUIRE_THROWS_WITH(json("[\n{\"a\":1},\nnull]"),
                      "x.json:3:4: expected an object for each row, found null");
  REQUIRE_THROWS_WITH(json("[[1]]"), "x.json:1:2: expected an object for each row, found an array");
  REQUIRE_THROWS_WITH(json(R"([{"a":1},[]])"),
                      "x.json:1:10: expected an object for each row, found an array");
  // A number at the end of a line is reported on its own line.
  REQUIRE_THROWS_WITH(json("[\n  {\"a\": 1},\n  2\n]"),
                      "x.json:3:4: expected an object for each row, found a number");

  REQUIRE_THROWS_WITH(json(R"({"deals":5})"),
                      "x.json:1:11: the bundle's \"deals\" must be an array of objects, found a "
                      "number");
  REQUIRE_THROWS_WITH(json(R"({"deals":{}})"),
                      "x.json:1:10: the bundle's \"deals\" must be an array of objects, found an "
                      "object");
  REQUIRE_THROWS_WITH(json(R"({"accounts":"x"})"),
                      "x.json:1:15: the bundle's \"accounts\" must be an array of objects, found "
                      "a string");
  REQUIRE_THROWS_WITH(json(R"({"deals":[5]})"),
                      "x.json:1:12: expected an object for each row, found a number");
  REQUIRE_THROWS_WITH(json(R"({"deals":[[]]})"),
                      "x.json:1:11: expected an object for each row, found an array");

  REQUIRE_THROWS_WITH(json(R"({"deals":[],"leads":[]})"),
                      "x.json:1:19: unknown table \"leads\""s + unknown_tail);
  REQUIRE_THROWS_WITH(json(R"({"Deals":[]})"),
                      "x.json:1:8: unknown table \"Deals\""s + unknown_tail);
  REQUIRE_THROWS_WITH(json(R"({"":[]})"), "x.json:1:3: unknown table \"\""s + unknown_tail);

  REQUIRE_THROWS_WITH(json(R"({"deals":[],"accounts":[],"deals":[{"a":1}]})"),
                      "x.json:1:33: the bundle holds the table \"deals\" twice");

  // Rows delivered before the error stay delivered; finish() is not called.
  collect_sink sink;
  REQUIRE_THROWS_WITH(read_json(R"([{"a":1},2])", "x.json", table_kind::deals, to(sink)),
                      "x.json:1:11: expected an object for each row, found a number");
  CHECK(sink.log == "columns[a]\nrow 1[1]\n");
}

TEST_CASE("read_json: a nested object or array as a cell is an error", "[io][json]") {
  REQUIRE_THROWS_WITH(json(R"([{"id":1,"tags":["a"]}])"),
                      "x.json:1:17: tags: nested objects and arrays are not supported as cell "
                      "values");
  REQUIRE_THROWS_WITH(json(R"([{"owner":{"name":"x"}}])"),
                      "x.json:1:11: owner: nested objects and arrays are not supported as cell "
                      "values");
  REQUIRE_THROWS_WITH(json(R"([{"empty":[]}])"),
                      "x.json:1:11: empty: nested objects and arrays are not supported as cell "
                      "values");
  REQUIRE_THROWS_WITH(json("{\"deals\":[\n{\"a\":1,\n \"b\":{}}]}"),
                      "x.json:3:6: b: nested objects and arrays are not supported as cell values");
}

TEST_CASE("read_json: a duplicate key in one object is an error", "[io][json]") {
  REQUIRE_THROWS_WITH(json(R"([{"a":1,"b":2,"a":3}])"),
                      "x.json:1:20: duplicate key \"a\" in one object");
  REQUIRE_THROWS_WITH(json(R"([{"a":null,"a":null}])"),
                      "x.json:1:19: duplicate key \"a\" in one object");
  REQUIRE_THROWS_WITH(json(R"([{"b":"x"},{"a":"1","a":"1"}])"),
                      "x.json:1:27: duplicate key \"a\" in one object");
  // The same key in different objects is what rows are made of.
  CHECK(json(R"([{"a":1},{"a":2}])").rows == table{{"1"}, {"2"}});
}

TEST_CASE("read_json: keys and strings over max_field_bytes, tables over max_columns",
          "[io][json]") {
  json_options opts;
  opts.max_field_bytes = 3;
  CHECK(json(R"([{"abc":"xyz"}])", opts).rows == table{{"xyz"}});
  REQUIRE_THROWS_WITH(json(R"([{"abc":"wxyz"}])", opts),
                      "x.json:1:14: a value longer than 3 bytes (--max-field-bytes)");
  REQUIRE_THROWS_WITH(ndjson(R"({"abcd":1})", opts),
                      "x.ndjson:1:7: a key longer than 3 bytes (--max-field-bytes)");
  opts = {};
  opts.max_columns = 2;
  CHECK(json(R"([{"a":1,"b":2},{"b":3,"a":4}])", opts).rows == table{{"1", "2"}, {"4", "3"}});
  // The third distinct key fails even when it comes in a later row.
  REQUIRE_THROWS_WITH(json(R"([{"a":1,"b":2},{"c":3}])", opts),
                      "x.json:1:22: more than 2 distinct keys (--max-columns)");
}

TEST_CASE("read_json: nesting deeper than max_depth is an error", "[io][json]") {
  json_options opts;
  opts.max_depth = 1;
  REQUIRE_THROWS_WITH(json(R"([{"a":1}])", opts),
                      "x.json:1:2: nesting deeper than 1 levels (--max-json-depth)");
  REQUIRE_THROWS_WITH(json(R"({"deals":[]})", opts),
                      "x.json:1:10: nesting deeper than 1 levels (--max-json-depth)");
  CHECK(json("[]", opts).log == "columns\nfinish\n");
  opts.max_depth = 2;
  CHECK(json(R"([{"a":1}])", opts).rows == table{{"1"}});
  REQUIRE_THROWS_WITH(json(R"({"deals":[{"a":1}]})", opts),
                      "x.json:1:11: nesting deeper than 2 levels (--max-json-depth)");
  opts.max_depth = 3;
  CHECK(json(R"({"deals":[{"a":1}]})", opts).rows == table{{"1"}});
  opts.max_depth = 0;
  REQUIRE_THROWS_WITH(json("[]", opts),
                      "x.json:1:1: nesting deeper than 0 levels (--max-json-depth)");
  REQUIRE_THROWS_WITH(ndjson(R"({"a":1})", opts),
                      "x.ndjson:1:1: nesting deeper than 0 levels (--max-json-depth)");
  // In NDJSON a row is at level 1, a nested value at level 2.
  opts.max_depth = 1;
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\n{\"a\":{}}", opts),
                      "x.ndjson:2:6: nesting deeper than 1 levels (--max-json-depth)");
}

TEST_CASE("read_json: very deep nesting fails at once, without recursion", "[io][json]") {
  constexpr std::size_t n = 100000;
  const std::string arrays(n, '[');
  std::string objects;
  for (std::size_t i = 0; i < n; ++i) objects += R"({"a":)";
  const auto start = std::chrono::steady_clock::now();

  // Default limits: the reader sees the shape is wrong long before the depth matters.
  REQUIRE_THROWS_WITH(json(arrays), "x.json:1:2: expected an object for each row, found an array");
  REQUIRE_THROWS_WITH(json(arrays + std::string(n, ']')),
                      "x.json:1:2: expected an object for each row, found an array");
  REQUIRE_THROWS_WITH(json(objects), "x.json:1:4: unknown table \"a\""s + unknown_tail);
  REQUIRE_THROWS_WITH(json(R"({"deals":[)" + objects),
                      "x.json:1:16: a: nested objects and arrays are not supported as cell "
                      "values");
  REQUIRE_THROWS_WITH(json(R"([{"a":)" + arrays),
                      "x.json:1:7: a: nested objects and arrays are not supported as cell values");
  REQUIRE_THROWS_WITH(ndjson(objects),
                      "x.ndjson:1:6: a: nested objects and arrays are not supported as cell "
                      "values");
  REQUIRE_THROWS_WITH(ndjson(arrays),
                      "x.ndjson:1:1: expected an object on each line, found an array");

  // With the depth guard below the shape's own depth, the guard speaks first.
  json_options opts;
  opts.max_depth = 1;
  REQUIRE_THROWS_WITH(json(arrays, opts),
                      "x.json:1:2: nesting deeper than 1 levels (--max-json-depth)");
  REQUIRE_THROWS_WITH(ndjson(objects, opts),
                      "x.ndjson:1:6: nesting deeper than 1 levels (--max-json-depth)");
  opts.max_depth = 2;
  REQUIRE_THROWS_WITH(json(R"({"deals":[)" + objects, opts),
                      "x.json:1:11: nesting deeper than 2 levels (--max-json-depth)");
  // With no practical limit, still no stack growth: the parser is iterative and stops at once.
  opts.max_depth = std::numeric_limits<std::size_t>::max();
  REQUIRE_THROWS_WITH(json(arrays, opts),
                      "x.json:1:2: expected an object for each row, found an array");
  REQUIRE_THROWS_WITH(json(R"([{"a":)" + arrays, opts),
                      "x.json:1:7: a: nested objects and arrays are not supported as cell values");

  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took < std::chrono::seconds(2));
}

TEST_CASE("read_json: empty input is malformed JSON", "[io][json]") {
  REQUIRE_THROWS_WITH(json(""),
                      "x.json:1:1: malformed JSON: syntax error while parsing value - unexpected "
                      "end of input; expected '[', '{', or a literal");
  REQUIRE_THROWS_WITH(json(" \n  "),
                      "x.json:2:3: malformed JSON: syntax error while parsing value - unexpected "
                      "end of input; expected '[', '{', or a literal");
  REQUIRE_THROWS_WITH(json("\xEF\xBB\xBF"),
                      "x.json:1:4: malformed JSON: syntax error while parsing value - unexpected "
                      "end of input; expected '[', '{', or a literal");
}

TEST_CASE("read_json: a truncated document is malformed JSON", "[io][json]") {
  REQUIRE_THROWS_WITH(json("["),
                      "x.json:1:2: malformed JSON: syntax error while parsing value - unexpected "
                      "end of input; expected '[', '{', or a literal");
  REQUIRE_THROWS_WITH(json(R"([{"a":1})"),
                      "x.json:1:9: malformed JSON: syntax error while parsing array - unexpected "
                      "end of input; expected ']'");
  REQUIRE_THROWS_WITH(json(R"([{"a":1},)"),
                      "x.json:1:10: malformed JSON: syntax error while parsing value - "
                      "unexpected end of input; expected '[', '{', or a literal");
  REQUIRE_THROWS_WITH(json(R"([{"a":)"),
                      "x.json:1:7: malformed JSON: syntax error while parsing value - unexpected "
                      "end of input; expected '[', '{', or a literal");
  REQUIRE_THROWS_WITH(json(R"([{"a")"),
                      "x.json:1:6: malformed JSON: syntax error while parsing object separator - "
                      "unexpected end of input; expected ':'");
  REQUIRE_THROWS_WITH(json(R"([{"a":"xy)"),
                      "x.json:1:10: malformed JSON: syntax error while parsing value - invalid "
                      "string: missing closing quote; last read: '\"xy'");
  REQUIRE_THROWS_WITH(json(R"([{"a":tr)"),
                      "x.json:1:9: malformed JSON: syntax error while parsing value - invalid "
                      "literal; last read: '\"a\":tr'");
  REQUIRE_THROWS_WITH(json("{\"deals\":[\n{\"a\":1}\n"),
                      "x.json:3:1: malformed JSON: syntax error while parsing array - unexpected "
                      "end of input; expected ']'");
  // Rows before the cut were delivered; finish() never comes.
  collect_sink sink;
  CHECK_THROWS_AS(read_json(R"([{"a":1},{"a":2)", "x.json", table_kind::deals, to(sink)),
                  abmkpi::parse_error);
  CHECK(sink.log == "columns[a]\nrow 1[1]\n");
}

TEST_CASE("read_json: text after the document is malformed JSON", "[io][json]") {
  REQUIRE_THROWS_WITH(json("[] []"),
                      "x.json:1:4: malformed JSON: syntax error while parsing value - unexpected "
                      "'['; expected end of input");
  REQUIRE_THROWS_WITH(json("[]\n,"),
                      "x.json:2:1: malformed JSON: syntax error while parsing value - unexpected "
                      "','; expected end of input");
}

TEST_CASE("read_json: a NUL byte outside a string is an error, not the end of input",
          "[io][json]") {
  // nlohmann treats NUL as the end of input; what follows must not be dropped silently.
  REQUIRE_THROWS_WITH(json("[{\"a\":1}]\0[{\"b\":2}]"sv),
                      "x.json:1:10: malformed JSON: unexpected NUL byte");
  REQUIRE_THROWS_WITH(json("[]\n\0"sv), "x.json:2:1: malformed JSON: unexpected NUL byte");
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\n{\"a\":2}\0junk\n"sv),
                      "x.ndjson:2:8: malformed JSON: unexpected NUL byte");
  // Inside a string it is a control character, as before.
  REQUIRE_THROWS_WITH(json("[{\"a\":\"x\0\"}]"sv),
                      "x.json:1:9: malformed JSON: syntax error while parsing value - invalid "
                      "string: control character U+0000 (NUL) must be escaped to \\u0000; last "
                      "read: '\"x<U+0000>'");
}

TEST_CASE("read_json: a number out of range is an error", "[io][json]") {
  REQUIRE_THROWS_WITH(json(R"([{"amount":1e400}])"),
                      "x.json:1:17: number out of range: number overflow parsing '1e400'");
  REQUIRE_THROWS_WITH(json("[{\"a\":1},\n {\"amount\":-1.5E+400}\n]"),
                      "x.json:2:21: number out of range: number overflow parsing '-1.5E+400'");
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\n{\"a\":1e400}\n"),
                      "x.ndjson:2:11: number out of range: number overflow parsing '1e400'");
  // The same out of a row: the number is refused before its place is looked at.
  REQUIRE_THROWS_WITH(json("1e400"),
                      "x.json:1:5: number out of range: number overflow parsing '1e400'");
}

// ---------------------------------------------------------------------------------------------
// read_json / read_ndjson through a byte_source

TEST_CASE("read_json: reading a file in small blocks gives the same rows and lines", "[io][json]") {
  const std::string doc =
      "\xEF\xBB\xBF{\"deals\": [\r\n"
      "  {\"id\": \"d1\", \"amount\": 2.50, \"won\": true},\r\n"
      "  {\"id\": \"d\\u00e9\",\r\n"
      "   \"amount\": 123456789012345678901234567890, \"note\": null},\r\n"
      "  {\"id\": \"d3\", \"amount\": -0, \"note\": \"Z\xC3\xBCrich\"}],\r\n"
      " \"accounts\": [{\"id\": \"a1\"}, {\"id\": \"a2\", \"tier\": \"1\"}]}\r\n";
  const std::string broken = "[{\"a\":1},\n {\"a\":2},\n {\"a\":3,,}]";
  const std::string expected_rows =
      "columns[id][amount][won]\n"
      "row 2[d1][2.50][true]\n"
      "columns[id][amount][won][note]\n"
      "row 3[d\xC3\xA9][123456789012345678901234567890][][]\n"
      "row 5[d3][-0][][Z\xC3\xBCrich]\n"
      "columns[id]\n"
      "row 6[a1]\n"
      "columns[id][tier]\n"
      "row 6[a2][1]\n"
      "finish\n"
      "finish\n";
  const std::string file = abmkpi_test::write_scratch("blocks.json", doc);
  const std::string bad = abmkpi_test::write_scratch("broken.json", broken);

  const std::string in_memory =
      outcome([&](collect_sink& s) { read_json(doc, file, table_kind::deals, to(s)); });
  CHECK(in_memory == expected_rows);
  const std::string bad_in_memory =
      outcome([&](collect_sink& s) { read_json(broken, bad, table_kind::deals, to(s)); });
  CHECK(bad_in_memory == "columns[a]\nrow 1[1]\nrow 2[2]\nerror: " + bad +
                             ":3:9: malformed JSON: syntax error while parsing object key - "
                             "unexpected ','; expected string literal");

  for (std::size_t block : {1, 2, 3, 7, 4096}) {
    INFO("block_bytes = " << block);
    json_options opts;
    opts.block_bytes = block;
    CHECK(outcome([&](collect_sink& s) {
            abmkpi::io::byte_source src(file);
            read_json(src, table_kind::deals, to(s), opts);
          }) == in_memory);
    CHECK(outcome([&](collect_sink& s) {
            abmkpi::io::byte_source src(bad);
            read_json(src, table_kind::deals, to(s), opts);
          }) == bad_in_memory);
  }
}

TEST_CASE("read_ndjson: reading a file in small blocks gives the same rows and lines",
          "[io][json]") {
  const std::string doc =
      "\xEF\xBB\xBF{\"id\": \"d1\", \"amount\": 2.50}\r\n"
      "\r\n"
      "{\"id\": \"d2\", \"won\": false}\n"
      "   \n"
      "{\"id\": \"d\\u00e9\", \"amount\": -0}";
  const std::string broken = "{\"a\":1}\r\n\r\n{\"a\":2}\r\n{\"a\" 3}\r\n{\"a\":4}\r\n";
  const std::string file = abmkpi_test::write_scratch("blocks.ndjson", doc);
  const std::string bad = abmkpi_test::write_scratch("broken.ndjson", broken);

  const std::string in_memory = outcome([&](collect_sink& s) { read_ndjson(doc, file, s); });
  CHECK(in_memory ==
        "columns[id][amount]\n"
        "row 1[d1][2.50]\n"
        "columns[id][amount][won]\n"
        "row 3[d2][][false]\n"
        "row 5[d\xC3\xA9][-0][]\n"
        "finish\n");
  const std::string bad_in_memory =
      outcome([&](collect_sink& s) { read_ndjson(broken, bad, s); });
  CHECK(bad_in_memory == "columns[a]\nrow 1[1]\nrow 3[2]\nerror: " + bad +
                             ":4:6: malformed JSON: syntax error while parsing object separator - "
                             "unexpected number literal; expected ':'");

  for (std::size_t block : {1, 2, 3, 7, 4096}) {
    INFO("block_bytes = " << block);
    json_options opts;
    opts.block_bytes = block;
    CHECK(outcome([&](collect_sink& s) {
            abmkpi::io::byte_source src(file);
            read_ndjson(src, s, opts);
          }) == in_memory);
    CHECK(outcome([&](collect_sink& s) {
            abmkpi::io::byte_source src(bad);
            read_ndjson(src, s, opts);
          }) == bad_in_memory);
  }
}

TEST_CASE("read_ndjson: a line longer than max_line_bytes is an error", "[io][json]") {
  const std::string file = abmkpi_test::write_scratch("long.ndjson", "{\"a\":1}\n{\"a\":12345}\n");
  json_options opts;
  opts.block_bytes = 1;
  opts.max_line_bytes = 8;
  collect_sink sink;
  abmkpi::io::byte_source src(file);
  REQUIRE_THROWS_WITH(read_ndjson(src, sink, opts),
                      file + ":2: line longer than 8 bytes (--max-line-bytes)");
  CHECK(sink.log == "columns[a]\nrow 1[1]\n");
}

// ---------------------------------------------------------------------------------------------
// read_ndjson

TEST_CASE("read_ndjson: one row per line", "[io][json]") {
  const auto s = ndjson(
      "{\"id\":\"d1\",\"amount\":1}\n{\"amount\":2,\"id\":\"d2\",\"won\":true}\n"
      "{\"id\":\"d3\"}\n");
  CHECK(s.columns_calls == std::vector<strings>{{"id", "amount"}, {"id", "amount", "won"}});
  CHECK(s.rows == table{{"d1", "1"}, {"d2", "2", "true"}, {"d3", "", ""}});
  CHECK(s.lines == lines_t{1, 2, 3});
  CHECK(s.ragged.empty());
  CHECK(s.finish_calls == 1);
  // No newline at the end, and spaces around the object.
  CHECK(ndjson("  {\"a\":1}  \n\t{\"a\":2}").rows == table{{"1"}, {"2"}});
}

TEST_CASE("read_ndjson: blank lines are skipped and CRLF is accepted", "[io][json]") {
  const auto s = ndjson("\n{\"a\":1}\r\n\r\n  \t \n{\"a\":2}\r\n\n");
  CHECK(s.log ==
        "columns[a]\n"
        "row 2[1]\n"
        "row 5[2]\n"
        "finish\n");
}

TEST_CASE("read_ndjson: a BOM on the first line is skipped", "[io][json]") {
  CHECK(ndjson("\xEF\xBB\xBF{\"a\":1}\n{\"a\":2}\n").log ==
        "columns[a]\nrow 1[1]\nrow 2[2]\nfinish\n");
  // A first line that holds only the BOM is blank.
  CHECK(ndjson("\xEF\xBB\xBF\r\n{\"a\":1}").log == "columns[a]\nrow 2[1]\nfinish\n");
  CHECK(ndjson("\xEF\xBB\xBF").log == "columns\nfinish\n");
  // As in CSV, the BOM is not part of the first line's columns.
  REQUIRE_THROWS_WITH(ndjson("\xEF\xBB\xBF{\"a\":x}"),
                      "x.ndjson:1:6: malformed JSON: syntax error while parsing value - invalid "
                      "literal; last read: '\"a\":x'");
}

TEST_CASE("read_ndjson: errors name the line and the column within it", "[io][json]") {
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\n\n{\"a\":tru}\n"),
                      "x.ndjson:3:9: malformed JSON: syntax error while parsing value - invalid "
                      "literal; last read: '\"a\":tru}'");
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\r\n{\"a\":}\r\n"),
                      "x.ndjson:2:6: malformed JSON: syntax error while parsing value - "
                      "unexpected '}'; expected '[', '{', or a literal");
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1} {\"a\":2}\n"),
                      "x.ndjson:1:9: malformed JSON: syntax error while parsing value - "
                      "unexpected '{'; expected end of input");
  // An object may not span lines.
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1,\n\"b\":2}\n"),
                      "x.ndjson:1:8: malformed JSON: syntax error while parsing object key - "
                      "unexpected end of input; expected string literal");
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\n{\"b\":2,\"b\":3}"),
                      "x.ndjson:2:13: duplicate key \"b\" in one object");
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\n{\"b\":[1]}"),
                      "x.ndjson:2:6: b: nested objects and arrays are not supported as cell "
                      "values");
}

TEST_CASE("read_ndjson: a line that is not an object is an error", "[io][json]") {
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\n[{\"a\":2}]\n"),
                      "x.ndjson:2:1: expected an object on each line, found an array");
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\n\"x\"\n"),
                      "x.ndjson:2:3: expected an object on each line, found a string");
  REQUIRE_THROWS_WITH(ndjson("{\"a\":1}\n 5\n"),
                      "x.ndjson:2:2: expected an object on each line, found a number");
  REQUIRE_THROWS_WITH(ndjson("null"), "x.ndjson:1:4: expected an object on each line, found null");
  REQUIRE_THROWS_WITH(ndjson("false"),
                      "x.ndjson:1:5: expected an object on each line, found a boolean");
  // A bundle is not NDJSON: its keys are cells, its tables nested values.
  REQUIRE_THROWS_WITH(ndjson(R"({"deals":[{"a":1}]})"),
                      "x.ndjson:1:10: deals: nested objects and arrays are not supported as cell "
                      "values");
}

TEST_CASE("read_ndjson: empty input is zero rows", "[io][json]") {
  const auto s = ndjson("");
  CHECK(s.columns_calls == std::vector<strings>{{}});
  CHECK(s.rows.empty());
  CHECK(s.finish_calls == 1);
  CHECK(ndjson("\n\r\n  \n").log == "columns\nfinish\n");
}

// ---------------------------------------------------------------------------------------------
// JSONTestSuite (https://github.com/nst/JSONTestSuite): y_ must parse, n_ must be refused,
// i_ may go either way but must not crash.

TEST_CASE("read_json: JSONTestSuite", "[io][json]") {
  const std::filesystem::path dir = abmkpi_test::shared_testdata() + "/jsontestsuite";
  REQUIRE(std::filesystem::is_directory(dir));
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());

  // The position part of a message: "NAME:LINE:COLUMN: " with both numbers >= 1; returns what
  // follows it, or nothing when the message does not have that form.
  const auto after_position = [](const std::string& what, const std::string& name) -> std::string {
    if (what.rfind(name + ":", 0) != 0) return {};
    std::size_t at = name.size() + 1;
    for (int field = 0; field < 2; ++field) {
      std::uint64_t n = 0;
      const std::size_t from = at;
      while (at < what.size() && what[at] >= '0' && what[at] <= '9')
        n = n * 10 + static_cast<std::uint64_t>(what[at++] - '0');
      if (at == from || n == 0 || at >= what.size() || what[at] != ':') return {};
      ++at;
    }
    if (what.compare(at, 1, " ") != 0) return {};
    return what.substr(at + 1);
  };

  int y = 0, n = 0, i = 0;
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    const std::string bytes = slurp(path);
    INFO(name);
    collect_sink sink;
    const auto read = [&] { read_json(bytes, name, table_kind::deals, to(sink)); };
    if (name.starts_with("n_")) {
      ++n;
      try {
        read();
        FAIL_CHECK("accepted");
      } catch (const abmkpi::parse_error& e) {
        const std::string message = after_position(e.what(), name);
        INFO(e.what());
        CHECK(!message.empty());
      }
    } else if (name.starts_with("y_")) {
      ++y;
      try {
        read();
        CHECK(sink.finish_calls == 1);
      } catch (const abmkpi::parse_error& e) {
        // Valid JSON may be of a shape we do not read, but it is never called malformed.
        const std::string message = after_position(e.what(), name);
        INFO(e.what());
        CHECK(!message.empty());
        CHECK(!message.starts_with("malformed JSON"));
      }
    } else if (name.starts_with("i_")) {
      ++i;
      try {
        read();
      } catch (const abmkpi::parse_error& e) {
        INFO(e.what());
        CHECK(!after_position(e.what(), name).empty());
      }
    }
  }
  CHECK(y == 95);
  CHECK(n == 188);
  CHECK(i == 35);
}
