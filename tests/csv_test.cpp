#include "test_shim.hpp"

#include "abmkpi/io/csv.hpp"

#include <nlohmann/json.hpp>  // nlohmann::json

#include <algorithm>    // std::sort
#include <cstdint>      // std::uint64_t
#include <filesystem>   // std::filesystem
#include <fstream>      // std::ifstream, std::ofstream
#include <random>       // std::mt19937
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace {

using abmkpi::io::csv_options;
using abmkpi::io::read_csv;
using namespace std::literals;
using strings = std::vector<std::string>;
using table = std::vector<strings>;

/// Records every call a reader makes, copying the cells (their views die with the call).
struct collect_sink final : abmkpi::io::row_sink {
  strings header;
  table rows;                        // row() and ragged_row() records, in order
  std::vector<std::uint64_t> lines;  // line of each entry of rows
  std::vector<int> ragged;           // 1 where the record came through ragged_row()
  int columns_calls = 0;
  int finish_calls = 0;

  void columns(std::span<const std::string_view> names) override {
    ++columns_calls;
    header.assign(names.begin(), names.end());
  }
  void row(std::span<const std::string_view> cells, std::uint64_t line) override {
    add(cells, line, 0);
  }
  void ragged_row(std::span<const std::string_view> cells, std::uint64_t line) override {
    add(cells, line, 1);
  }
  void finish() override { ++finish_calls; }

  /// Everything seen, one event per line, for comparing whole runs.
  std::string dump() const {
    std::string out = "columns x" + std::to_string(columns_calls) + ":" + join(header) + "\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out += (ragged[i] ? "ragged " : "row ") + std::to_string(lines[i]) + ":" + join(rows[i]);
      out += "\n";
    }
    return out + "finish x" + std::to_string(finish_calls) + "\n";
  }

 private:
  void add(std::span<const std::string_view> cells, std::uint64_t line, int is_ragged) {
    rows.emplace_back(cells.begin(), cells.end());
    lines.push_back(line);
    ragged.push_back(is_ragged);
  }
  static std::string join(const strings& cells) {
    std::string out;
    for (const auto& c : cells) out += "[" + c + "]";
    return out;
  }
};

collect_sink parse(std::string_view bytes, const csv_options& opts = {}) {
  collect_sink sink;
  read_csv(bytes, "x.csv", sink, opts);
  return sink;
}

char delimiter_of(std::string_view bytes, const csv_options& opts = {}) {
  collect_sink sink;
  return read_csv(bytes, "x.csv", sink, opts);
}

csv_options with_block(std::size_t block_bytes) {
  csv_options opts;
  opts.block_bytes = block_bytes;
  return opts;
}

/// Reference line counting: LF, CRLF and a lone CR each end one physical line.
std::uint64_t line_at(std::string_view text, std::size_t offset) {
  std::uint64_t line = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
    } else if (text[i] == '\r') {
      ++line;
      if (i + 1 < offset && text[i + 1] == '\n') ++i;
    }
  }
  return line;
}

}  // namespace

TEST_CASE("read_csv: header then rows with their line numbers", "[io][csv]") {
  const auto s = parse("a,b,c\n1,2,3\n4,5,6\n");
  CHECK(s.columns_calls == 1);
  CHECK(s.header == strings{"a", "b", "c"});
  CHECK(s.rows == table{{"1", "2", "3"}, {"4", "5", "6"}});
  CHECK(s.lines == std::vector<std::uint64_t>{2, 3});
  CHECK(s.ragged == std::vector<int>{0, 0});
  CHECK(s.finish_calls == 1);
}

TEST_CASE("read_csv: header without rows is zero rows", "[io][csv]") {
  const auto s = parse("a,b\n");
  CHECK(s.header == strings{"a", "b"});
  CHECK(s.rows.empty());
  CHECK(s.finish_calls == 1);
}

TEST_CASE("read_csv: empty fields are kept", "[io][csv]") {
  const auto s = parse(",\n,\na,\n,b\n");
  CHECK(s.header == strings{"", ""});
  CHECK(s.rows == table{{"", ""}, {"a", ""}, {"", "b"}});
}

TEST_CASE("read_csv: doubled quotes unescape", "[io][csv]") {
  const auto s =
      parse("a,b\n\"ha \"\"ha\"\" ha\",\"\"\"\"\n\"a\"\"b\",\"c\"\"d\"\n\"\"\"\"\"\",x\n");
  CHECK(s.rows == table{{"ha \"ha\" ha", "\""}, {"a\"b", "c\"d"}, {"\"\"", "x"}});
}

TEST_CASE("read_csv: quoted fields hold the delimiter, CR and LF", "[io][csv]") {
  const auto s = parse("a,b\n\"x,y\",\"1\n2\"\n\"p\r\nq\",\"r\rs\"\n");
  CHECK(s.rows == table{{"x,y", "1\n2"}, {"p\r\nq", "r\rs"}});
  CHECK(s.lines == std::vector<std::uint64_t>{2, 4});
}

TEST_CASE("read_csv: embedded line breaks advance later line numbers", "[io][csv]") {
  // LF, CRLF and a lone CR inside quotes each count as one physical line.
  const auto s = parse("a,b\n1,\"x\ny\"\n2,\"u\r\nv\rw\"\n\n3,4\n");
  CHECK(s.rows == table{{"1", "x\ny"}, {"2", "u\r\nv\rw"}, {"3", "4"}});
  CHECK(s.lines == std::vector<std::uint64_t>{2, 4, 8});
}

TEST_CASE("read_csv: CRLF and lone CR end records", "[io][csv]") {
  CHECK(parse("a,b\r\n1,2\r\n3,4\r\n").rows == table{{"1", "2"}, {"3", "4"}});
  const auto cr = parse("a,b\r1,2\r\r3,4\r");
  CHECK(cr.header == strings{"a", "b"});
  CHECK(cr.rows == table{{"1", "2"}, {"3", "4"}});
  CHECK(cr.lines == std::vector<std::uint64_t>{2, 4});
  const auto mixed = parse("a\n1\r\n2\r3\n\"4\"\r");
  CHECK(mixed.rows == table{{"1"}, {"2"}, {"3"}, {"4"}});
  CHECK(mixed.lines == std::vector<std::uint64_t>{2, 3, 4, 5});
}

TEST_CASE("read_csv: UTF-8 BOM at the start is skipped", "[io][csv]") {
  const auto s = parse(
      "\xEF\xBB\xBF"
      "id,name\n1,x\n");
  CHECK(s.header == strings{"id", "name"});
  CHECK(s.lines == std::vector<std::uint64_t>{2});
  // Only a complete BOM, and only at the very start.
  CHECK(parse("\xEF\xBB"
              "a\n")
            .header == strings{"\xEF\xBB"
                               "a"});
  CHECK(parse("a\n\xEF\xBB\xBF"
              "x\n")
            .rows == table{{"\xEF\xBB\xBF"
                            "x"}});
}

TEST_CASE("read_csv: blank lines are skipped everywhere", "[io][csv]") {
  const auto s = parse("\n\r\n\ra,b\n\n1,2\r\n\r\n3,4\n\n\n");
  CHECK(s.header == strings{"a", "b"});
  CHECK(s.rows == table{{"1", "2"}, {"3", "4"}});
  CHECK(s.lines == std::vector<std::uint64_t>{6, 8});
  const auto bom = parse("\xEF\xBB\xBF\n\na\n1\n");
  CHECK(bom.header == strings{"a"});
  CHECK(bom.lines == std::vector<std::uint64_t>{4});
  // One column: a blank line between records would be a record of one empty field if the
  // plain-record loop took it.
  const auto one = parse("a\n1\n\n2\r\n\r\n3\n\n");
  CHECK(one.rows == table{{"1"}, {"2"}, {"3"}});
  CHECK(one.lines == std::vector<std::uint64_t>{2, 4, 6});
}

TEST_CASE("read_csv: a piece detects its delimiter before any record is cut by it", "[io][csv]") {
  // A piece of a file (header_fields) has no header line, and its delimiter is detected from
  // its first record. A record met before that must not leave block masks made with no
  // delimiter (NUL) for later records of the same block: "x\0y\0z,w" cut at its NULs would
  // be a row of three fields. Found by fuzz_csv.
  csv_options opts;
  opts.header_fields = 3;
  const auto s = parse(",b,\nx\0y\0z,w\n1,2,3\n"sv, opts);
  CHECK(s.rows == table{{"", "b", ""}, {"x\0y\0z"s, "w"}, {"1", "2", "3"}});
  CHECK(s.ragged == std::vector<int>{0, 1, 0});
  // Nor may the first record be cut by NULs before the delimiter is known.
  const auto first = parse("x\0y\0z\n1,2,3\n"sv, opts);
  CHECK(first.rows == table{{"x\0y\0z"s}, {"1", "2", "3"}});
  CHECK(first.ragged == std::vector<int>{1, 0});
}

TEST_CASE("read_csv: a quoted empty field is a record, not a blank line", "[io][csv]") {
  const auto s = parse("a\n\"\"\n\nx\n");
  CHECK(s.rows == table{{""}, {"x"}});
  CHECK(s.lines == std::vector<std::uint64_t>{2, 4});
}

TEST_CASE("read_csv: final record without a newline counts", "[io][csv]") {
  CHECK(parse("a,b\n1,2").rows == table{{"1", "2"}});
  CHECK(parse("a,b,c\n1,2,").rows == table{{"1", "2", ""}});
  CHECK(parse("a,b\n1,\"x\"").rows == table{{"1", "x"}});
  CHECK(parse("a,b\n1,\"x\"\"\"").rows == table{{"1", "x\""}});
  CHECK(parse("a,b").header == strings{"a", "b"});
}

TEST_CASE("read_csv: empty input gives empty columns then finish", "[io][csv]") {
  for (const std::string_view input :
       {""sv, "\xEF\xBB\xBF"sv, "\n\r\n\r"sv, "\xEF\xBB\xBF\r\n"sv}) {
    collect_sink s;
    CHECK(read_csv(input, "x.csv", s) == ',');
    CHECK(s.columns_calls == 1);
    CHECK(s.header.empty());
    CHECK(s.rows.empty());
    CHECK(s.finish_calls == 1);
  }
  csv_options tab;
  tab.delimiter = '\t';
  CHECK(delimiter_of("", tab) == '\t');
}

TEST_CASE("read_csv: records with another field count go to ragged_row", "[io][csv]") {
  const auto s = parse("a,b\n1\n1,2,3\n4,5\n\"\"\n");
  CHECK(s.rows == table{{"1"}, {"1", "2", "3"}, {"4", "5"}, {""}});
  CHECK(s.ragged == std::vector<int>{1, 1, 0, 1});
  CHECK(s.lines == std::vector<std::uint64_t>{2, 3, 4, 5});
}

TEST_CASE("read_csv: a record wider than the header by a block of fields is ragged", "[io][csv]") {
  // The plain-record path stores a block's field ends before it counts them: 100 fields in
  // two blocks of commas, then a record of the header's width.
  const std::string wide(99, ',');
  const auto s = parse("a,b\n" + wide + "\n1,2\n");
  REQUIRE(s.rows.size() == 2);
  CHECK(s.rows[0] == strings(100, ""));
  CHECK(s.rows[1] == strings{"1", "2"});
  CHECK(s.ragged == std::vector<int>{1, 0});
  CHECK(s.lines == std::vector<std::uint64_t>{2, 3});
}

TEST_CASE("read_csv: delimiter is detected from the header line", "[io][csv]") {
  CHECK(delimiter_of("a;b;c\n1;2;3\n") == ';');
  CHECK(parse("a;b;c\n1;2,5;3\n").rows == table{{"1", "2,5", "3"}});
  CHECK(delimiter_of("a\tb\n1\t2\n") == '\t');
  CHECK(parse("a\tb\n1\t2\n").rows == table{{"1", "2"}});
  CHECK(delimiter_of("a;b,c;d\n") == ';');
  CHECK(delimiter_of("a\n1\n") == ',');
  // Ties prefer `,` then `;` then TAB.
  CHECK(delimiter_of("a,b;c\n") == ',');
  CHECK(delimiter_of("a;b\tc\n") == ';');
  CHECK(delimiter_of("a,b\tc\n") == ',');
  // Only the header line counts, quoted delimiters do not, blank lines before it are skipped.
  CHECK(delimiter_of("a,b\n1;2;3;4\n") == ',');
  CHECK(delimiter_of("\"x;y;z\",b\n") == ',');
  CHECK(parse("\"x;y;z\",b\n").header == strings{"x;y;z", "b"});
  CHECK(delimiter_of("\"x\"\";\"\";z\";b;c\n") == ';');
  CHECK(delimiter_of("\n\r\na;b\n") == ';');
  // A quote inside an unquoted field is literal for detection too.
  CHECK(parse("a\"b;c;d\n").header == strings{"a\"b", "c", "d"});
}

TEST_CASE("read_csv: a forced delimiter wins over detection", "[io][csv]") {
  csv_options opts;
  opts.delimiter = '\t';
  collect_sink s;
  CHECK(read_csv("a,b,c\tx\n1,2\t3\n", "x.tsv", s, opts) == '\t');
  CHECK(s.header == strings{"a,b,c", "x"});
  CHECK(s.rows == table{{"1,2", "3"}});
  opts.delimiter = '|';
  CHECK(parse("a|b\n1|\"|\"\n", opts).rows == table{{"1", "|"}});
}

TEST_CASE("read_csv: a quote or line break as delimiter is a usage error", "[io][csv]") {
  for (const char bad : {'"', '\r', '\n'}) {
    csv_options opts;
    opts.delimiter = bad;
    REQUIRE_THROWS_AS(parse("a\n", opts), abmkpi::usage_error);
    REQUIRE_THROWS_WITH(parse("a\n", opts), "CSV delimiter cannot be a quote or a line break");
  }
}

TEST_CASE("read_csv: a quote inside an unquoted field is literal", "[io][csv]") {
  const auto s = parse("a,b\nab\"c,12\" monitor\n x\"y\" ,\"\"\"\"\n");
  CHECK(s.rows == table{{"ab\"c", "12\" monitor"}, {" x\"y\" ", "\""}});
  // Right before a line end, where a CR would be taken off, a quote stays (LF and CRLF).
  const auto ends = parse("a,b\n1,2\"\n3,4\"\r\n5,6\r\n");
  CHECK(ends.rows == table{{"1", "2\""}, {"3", "4\""}, {"5", "6"}});
}

TEST_CASE("read_csv: unterminated quote names where it opened", "[io][csv]") {
  REQUIRE_THROWS_WITH(parse("a,b\n1,2,\"abc"),
                      "x.csv:2:5: unterminated quoted field (opened here)");
  REQUIRE_THROWS_WITH(parse("a,b\n1,\"x\ny\nz,3\n"),
                      "x.csv:2:3: unterminated quoted field (opened here)");
  REQUIRE_THROWS_WITH(parse("\"a"), "x.csv:1:1: unterminated quoted field (opened here)");
  REQUIRE_THROWS_WITH(parse("a\n\n\"x\"\"\n"),
                      "x.csv:3:1: unterminated quoted field (opened here)");
  try {
    parse("a,b\r\n1,\"x\r\n");
    FAIL("no throw");
  } catch (const abmkpi::parse_error& e) {
    CHECK(e.file() == "x.csv");
    CHECK(e.line() == 2);
    CHECK(e.column() == 3);
  }
}

TEST_CASE("read_csv: unexpected character after closing quote", "[io][csv]") {
  REQUIRE_THROWS_WITH(parse("a,b\n\"ab\"c,d\n"),
                      "x.csv:2:5: unexpected character after closing quote");
  // Column counts from the start of the physical line the character is on.
  REQUIRE_THROWS_WITH(parse("a,b\n1,\"x\ny\"z\n"),
                      "x.csv:3:3: unexpected character after closing quote");
  REQUIRE_THROWS_WITH(parse("a,b\n1,\"x\" \n"),
                      "x.csv:2:6: unexpected character after closing quote");
  // The BOM is not part of the line's columns.
  REQUIRE_THROWS_WITH(parse("\xEF\xBB\xBF\"ab\"\"\"c\n"),
                      "x.csv:1:7: unexpected character after closing quote");
}

TEST_CASE("read_csv: more fields than max_columns is a parse error", "[io][csv]") {
  csv_options opts;
  opts.max_columns = 3;
  CHECK(parse("a,b,c\n1,2,3\n", opts).rows == table{{"1", "2", "3"}});
  REQUIRE_THROWS_WITH(parse("a,b,c\n1,2,3,4\n", opts),
                      "x.csv:2:7: record has more than 3 fields (--max-columns)");
  REQUIRE_THROWS_WITH(parse("a,b,c,\n", opts),
                      "x.csv:1:7: record has more than 3 fields (--max-columns)");
}

TEST_CASE("read_csv: a field over max_field_bytes is a parse error", "[io][csv]") {
  csv_options opts;
  opts.max_field_bytes = 3;
  CHECK(parse("abc\nxyz\n\"ab\"\"\"\n", opts).rows == table{{"xyz"}, {"ab\""}});
  REQUIRE_THROWS_WITH(parse("a,b\n1,abcd\n", opts),
                      "x.csv:2:3: field longer than 3 bytes (--max-field-bytes)");
  REQUIRE_THROWS_WITH(parse("a,b\n1,\"ab\"\"c\"\n", opts),
                      "x.csv:2:3: quoted field longer than 3 bytes (--max-field-bytes); is its "
                      "closing quote missing?");
  REQUIRE_THROWS_WITH(parse("a,b\n1,\"\nabcd\"\n", opts),
                      "x.csv:2:3: quoted field longer than 3 bytes (--max-field-bytes); is its "
                      "closing quote missing?");
}

TEST_CASE("read_csv: a giant field is refused while streaming", "[io][csv]") {
  // The guard fires on the partial field, before the buffer grows to hold it all.
  csv_options opts = with_block(64);
  opts.max_field_bytes = 1000;
  const std::string unquoted = "a\n" + std::string(1 << 20, 'x');
  REQUIRE_THROWS_WITH(parse(unquoted, opts),
                      "x.csv:2:1: field longer than 1000 bytes (--max-field-bytes)");
  const std::string quoted = "a\n\"" + std::string(1 << 20, 'x') + "\"\n";
  REQUIRE_THROWS_WITH(parse(quoted, opts),
                      "x.csv:2:1: quoted field longer than 1000 bytes (--max-field-bytes); is its "
                      "closing quote missing?");
}

TEST_CASE("read_csv: a record over max_record_bytes is refused before the buffer grows past it",
          "[io][csv]") {
  csv_options opts = with_block(16);
  opts.max_record_bytes = 64;  // the buffer doubles 16 → 32 → 64, then refuses
  std::string row;
  for (int i = 0; i < 20; ++i) row += "abcd,";  // 20 short fields, 100 bytes in all
  const std::string header = "a" + std::string(19 * 2, ',').substr(0, 19) + "\n";
  CHECK_THROWS_WITH(parse(header + row.substr(0, row.size() - 1) + "\n", opts),
                    "x.csv:2:1: record longer than 64 bytes (--max-line-bytes)");
  CHECK(parse(header + std::string(19, ',') + "\n", opts).rows.size() == 1);  // 20 bytes: fine
}

TEST_CASE("read_csv: a record larger than the block grows the buffer", "[io][csv]") {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += (i % 7 == 0) ? "\"\"" : "ab,\n";
  const std::string input = "a,b\n\"" + big + "\",z\n1,2\n";
  std::string expected;
  for (int i = 0; i < 20000; ++i) expected += (i % 7 == 0) ? "\"" : "ab,\n";
  const auto s = parse(input, with_block(1000));
  REQUIRE(s.rows.size() == 2);
  CHECK(s.rows[0] == strings{expected, "z"});
  CHECK(s.rows[1] == strings{"1", "2"});
  CHECK(s.lines[1] == 3 + 20000 - (20000 + 6) / 7);  // after the big row's embedded LFs
}

TEST_CASE("read_csv: NUL and invalid UTF-8 pass through untouched", "[io][csv]") {
  const auto s = parse("a,b\n\0x,\xB0\xFF\n\"q\0\xC3\",\xED\xA0\x80\n"s);
  CHECK(s.rows == table{{"\0x"s, "\xB0\xFF"}, {"q\0\xC3"s, "\xED\xA0\x80"}});
}

TEST_CASE("read_csv: every block size gives the same result", "[io][csv]") {
  const std::string input =
      "\xEF\xBB\xBF\r\n\n"
      "name,\"note\",qty\r\n"
      "acme,\"multi\r\nline, \"\"quoted\"\"\",3\r\n"
      "\r\n"
      "beta,\"\"\"\"\"\",\r"
      "gamma,x\"y,\n"
      "delta,\"a\nb\rc\",9\n"
      "short\n"
      "\"\",\"\",\"\"\n"
      "end,\"quoted at eof\",\"\"\"\"";
  const std::string reference = parse(input).dump();
  CHECK(reference ==
        "columns x1:[name][note][qty]\n"
        "row 4:[acme][multi\r\nline, \"quoted\"][3]\n"
        "row 7:[beta][\"\"][]\n"
        "row 8:[gamma][x\"y][]\n"
        "row 9:[delta][a\nb\rc][9]\n"
        "ragged 12:[short]\n"
        "row 13:[][][]\n"
        "row 14:[end][quoted at eof][\"]\n"
        "finish x1\n");
  for (std::size_t block = 1; block <= 17; ++block) {
    INFO("block_bytes " << block);
    CHECK(parse(input, with_block(block)).dump() == reference);
  }
  // Errors do not depend on where the blocks end either.
  for (std::size_t block = 1; block <= 17; ++block) {
    INFO("block_bytes " << block);
    REQUIRE_THROWS_WITH(parse("a,b\r\n1,\"x\r\n\"\"y\r\n", with_block(block)),
                        "x.csv:2:3: unterminated quoted field (opened here)");
    REQUIRE_THROWS_WITH(parse("a,b\r\n1,\"x\r\n\"\"y\"z\r\n", with_block(block)),
                        "x.csv:3:5: unexpected character after closing quote");
  }
}

TEST_CASE("read_csv: random records round-trip at random block sizes", "[io][csv]") {
  // Differential test against the writer below; the seed makes any failure replayable.
  const std::uint32_t seed = 20240611;
  std::mt19937 rng(seed);
  const std::string alphabet = "ab,;\t\" \r\n\xB0";
  const auto pick = [&rng](std::size_t n) {
    return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
  };
  const char* const line_ends[] = {"\n", "\r\n", "\r"};
  for (int round = 0; round < 200; ++round) {
    INFO("seed " << seed << " round " << round);
    std::string text = "c1,c2,c3\n";
    table expected_rows;
    std::vector<std::uint64_t> expected_lines;
    const std::size_t records = pick(8);
    for (std::size_t r = 0; r < records; ++r) {
      if (pick(4) == 0) text += line_ends[pick(3)];  // a blank line
      expected_lines.push_back(line_at(text, text.size()));
      strings cells(1 + pick(4));
      for (std::size_t c = 0; c < cells.size(); ++c) {
        for (std::size_t n = pick(7); n > 0; --n) cells[c] += alphabet[pick(alphabet.size())];
        const bool needs_quotes =
            cells[c].empty() || cells[c].find_first_of(",\"\r\n") != std::string::npos;
        if (c > 0) text += ',';
        if (needs_quotes || pick(5) == 0) {
          text += '"';
          for (const char ch : cells[c]) text += ch == '"' ? "\"\"" : std::string(1, ch);
          text += '"';
        } else {
          text += cells[c];
        }
      }
      expected_rows.push_back(cells);
      if (r + 1 < records || pick(2) == 0) text += line_ends[pick(3)];
    }
    const std::size_t block = 1 + pick(40);
    INFO("block_bytes " << block << " input " << text);
    const auto s = parse(text, with_block(block));
    CHECK(s.header == strings{"c1", "c2", "c3"});
    CHECK(s.rows == expected_rows);
    CHECK(s.lines == expected_lines);
    CHECK(s.dump() == parse(text).dump());
  }
}

TEST_CASE("read_csv: unquoted records across 64-byte blocks, with every line end", "[io][csv]") {
  // The plain-record path finds field ends 64 bytes at a time: fields and line ends must come
  // out the same wherever they fall against those blocks, a CRLF split between two of them
  // included. Record r starts with a field of r bytes, which moves everything after it by one.
  const char* const line_ends[] = {"\n", "\r\n", "\r"};
  const std::size_t lengths[] = {0, 1, 62, 63, 64, 65, 130};
  for (const char* end : line_ends) {
    for (const std::size_t block : {std::size_t{1} << 20, std::size_t{7}, std::size_t{64}}) {
      INFO("line end " << (end[0] == '\r' ? (end[1] ? "CRLF" : "CR") : "LF") << " block " << block);
      std::string text = "pad,a,b,c" + std::string(end);
      table expected;
      std::vector<std::uint64_t> lines;
      for (std::size_t r = 0; r < 70; ++r) {
        strings cells{std::string(r, 'p')};
        for (std::size_t c = 0; c < 3; ++c) cells.push_back(std::string(lengths[(r + c) % 7], 'x'));
        lines.push_back(2 + r);
        text += cells[0] + "," + cells[1] + "," + cells[2] + "," + cells[3] + end;
        expected.push_back(cells);
      }
      const auto s = parse(text, with_block(block));
      CHECK(s.rows == expected);
      CHECK(s.lines == lines);
    }
  }
}

TEST_CASE("read_csv: csv-spectrum files parse to their JSON", "[io][csv]") {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(abmkpi_test::shared_testdata()) / "csv-spectrum";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(root / "csvs")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 12);
  for (const auto& file : files) {
    const std::string name = file.stem().string();
    INFO(name);
    abmkpi::io::byte_source src(file.string());
    collect_sink s;
    CHECK(read_csv(src, s) == ',');
    table expected;
    if (name == "location_coordinates") {
      // Upstream defect: json/location_coordinates.json is one object instead of an array and its
      // phone number (1234567890) is not the CSV's (2095257564). So this file is checked against
      // the CSV's own values. Its degree signs are stored as the bytes EF BF BD (a mangled 0xB0);
      // they, and the literal `"` inside unquoted fields, must come through untouched.
      CHECK(s.header ==
            strings{"Contact Phone Number", "Location Coordinates", "Cities", "Counties"});
      expected = {{"2095257564",
                   "37\xEF\xBF\xBD"
                   "36'37.8\"N 121\xEF\xBF\xBD"
                   "2'17.9\"W",
                   "Modesto", "Stanislaus"}};
    } else {
      std::ifstream in(root / "json" / (name + ".json"), std::ios::binary);
      const auto json = nlohmann::json::parse(in);
      REQUIRE(json.is_array());
      for (const auto& object : json) {
        REQUIRE(object.size() == s.header.size());
        strings cells;
        for (const auto& column : s.header) cells.push_back(object.at(column).get<std::string>());
        expected.push_back(cells);
      }
    }
    CHECK(s.rows == expected);
    CHECK(s.ragged == std::vector<int>(expected.size(), 0));
  }
}

TEST_CASE("read_csv: reads a file through byte_source", "[io][csv]") {
  namespace fs = std::filesystem;
  const fs::path path = abmkpi_test::scratch_dir() / "read.csv";
  std::string content = "\xEF\xBB\xBFid;note\r\n";
  for (int i = 0; i < 5000; ++i) {
    content += std::to_string(i) + (i % 3 == 0 ? ";\"multi\nline \"\"q\"\"\"\r\n" : ";plain\r\n");
  }
  {
    std::ofstream out(path, std::ios::binary);
    out << content;
  }
  csv_options opts = with_block(4096);
  abmkpi::io::byte_source src(path.string());
  collect_sink s;
  CHECK(read_csv(src, s, opts) == ';');
  CHECK(s.header == strings{"id", "note"});
  REQUIRE(s.rows.size() == 5000);
  CHECK(s.rows[0] == strings{"0", "multi\nline \"q\""});
  CHECK(s.rows[4999] == strings{"4999", "plain"});
  CHECK(s.lines[1] == 4);                           // row 0 spans lines 2 and 3
  CHECK(s.lines[4999] == 2 + 4999 + 4999 / 3 + 1);  // one extra line per multi-line row before it

  {
    std::ofstream out(path, std::ios::binary);
    out << "a,b\n1,2\n3,\"open\n";
  }
  abmkpi::io::byte_source bad(path.string());
  collect_sink ignored;
  REQUIRE_THROWS_WITH(read_csv(bad, ignored),
                      path.string() + ":3:3: unterminated quoted field (opened here)");
  fs::remove(path);
}
