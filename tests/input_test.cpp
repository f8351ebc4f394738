#include "test_shim.hpp"

#include <cstdio>
#include <fstream>
#include <string>

#include "abmkpi/io/input.hpp"

using namespace abmkpi::io;

TEST_CASE("sniff: the first non-space byte decides, '{' lines tell NDJSON from a bundle",
          "[io][input]") {
  CHECK(detail::sniff("deal_id,amount\n1,2\n") == input_format::csv);
  CHECK(detail::sniff("  \n[{\"a\":1}]") == input_format::json);
  CHECK(detail::sniff("\xEF\xBB\xBF[]") == input_format::json);
  CHECK(detail::sniff("{\"a\":1}\n{\"a\":2}\n") == input_format::ndjson);
  CHECK(detail::sniff("{\"a\":1}\r\n") == input_format::ndjson);
  CHECK(detail::sniff("{\"deals\": [{\"a\":1}]}\n") == input_format::json);  // a one-line bundle
  CHECK(detail::sniff("{\n  \"deals\": [\n") == input_format::json);         // a bundle
  CHECK(detail::sniff("{\"a\":1}") == input_format::json);  // no newline: one document
  CHECK(detail::sniff("") == input_format::csv);
}

TEST_CASE("choose_format: flag, then extension, then content", "[io][input]") {
  const std::string path = abmkpi_test::write_scratch("input.dat", "[{\"deal_id\": 1}]");
  byte_source src(path);
  CHECK(choose_format(src, "x.CSV", input_format::automatic) == input_format::csv);
  CHECK(choose_format(src, "x.jsonl", input_format::automatic) == input_format::ndjson);
  CHECK(choose_format(src, "x.json", input_format::automatic) == input_format::json);
  CHECK(choose_format(src, path, input_format::ndjson) == input_format::ndjson);
  CHECK(choose_format(src, path, input_format::automatic) == input_format::json);
  // peek() gave nothing away: read() still starts at the first byte.
  char buf[64];
  const std::size_t n = src.read(buf, sizeof buf);
  CHECK(std::string(buf, n) == "[{\"deal_id\": 1}]");
}

TEST_CASE("byte_source: a missing file and a directory are input errors", "[io][input]") {
  CHECK_THROWS_WITH(byte_source("/no/such/file.csv"),
                    "/no/such/file.csv: cannot open: No such file or directory");
  CHECK_THROWS_WITH(byte_source("/tmp"), "/tmp: cannot open: Is a directory");
}

TEST_CASE("parse_input_format: names", "[io][input]") {
  CHECK(parse_input_format("csv") == input_format::csv);
  CHECK(parse_input_format("jsonl") == input_format::ndjson);
  CHECK_FALSE(parse_input_format("xml"));
}
