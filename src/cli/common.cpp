#include "cli/common.hpp"

#include <unistd.h>  // write

#include <cerrno>    // errno, EPIPE
#include <cstdio>    // std::fputs
#include <cstdlib>   // std::_Exit
#include <cstring>   // std::strerror

#include "abmkpi/io/values.hpp"

namespace abmkpi::cli {

void add_input_flags(CLI::App& cmd, input_flags& f, bool with_period) {
  cmd.add_option("FILE", f.deals, "Deals file (CSV, JSON, NDJSON, or a JSON bundle); - for stdin");
  cmd.add_option("--deals", f.deals_option, "Deals file, instead of the positional FILE");
  cmd.add_option("--input-format", f.input_format, "csv, json or ndjson (default: from the "
                 "extension, else the first byte)")
      ->check(CLI::IsMember({"auto", "csv", "json", "ndjson", "jsonl"}));
  cmd.add_option("--map", f.maps, "Map a column: CANONICAL=HEADER or TABLE.CANONICAL=HEADER "
                 "(repeatable), e.g. --map amount='Net Value'");
  cmd.add_flag("--decimal-comma", f.decimal_comma, "Money uses a decimal comma: 1.234,50");
  cmd.add_option("--date-format", f.date_format, "Order of slash/dot dates: ymd, mdy or dmy "
                 "(default: inferred per column)")
      ->check(CLI::IsMember({"ymd", "mdy", "dmy"}));
  cmd.add_option("--term-months", f.term_months, "Contract months when a deal has none (default 12)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--currency", f.currency, "Report currency (ISO 4217 code)");
  cmd.add_flag("--skip-invalid", f.skip_invalid, "Skip rows that cannot be read (counted in "
               "inputs.<table>.rejected) instead of failing with exit 65");
  if (!with_period) return;
  auto* period = cmd.add_option("--period", f.period, "Calendar period: 2024, 2024-Q3 or 2024-07");
  auto* from = cmd.add_option("--from", f.from, "First day of the period, YYYY-MM-DD (default: "
                              "the earliest event date)");
  auto* to = cmd.add_option("--to", f.to, "Last day of the period, YYYY-MM-DD (default: the "
                            "latest event date)");
  period->excludes(from)->excludes(to);
}

namespace {
date parse_iso_flag(const std::string& flag, const std::string& text) {
  const io::date_result r = io::parse_date(text, io::date_order::ymd);
  if (r.ec != std::errc{} || r.shape != io::date_shape::iso || text.size() != 10)
    throw usage_error(flag + ": cannot read \"" + text + "\" as a date (expected YYYY-MM-DD)");
  return r.value;
}
}  // namespace

engine::analysis_options to_analysis_options(const input_flags& f) {
  engine::analysis_options o;
  if (!f.deals.empty() && !f.deals_option.empty())
    throw usage_error("give the deals file once: as FILE or as --deals, not both");
  o.deals_path = f.deals.empty() ? f.deals_option : f.deals;
  if (o.deals_path.empty()) throw usage_error("a deals file is required (FILE or --deals)");
  o.format = *io::parse_input_format(f.input_format);
  for (const std::string& m : f.maps) {
    std::string problem;
    auto mapping = io::parse_column_mapping(m, problem);
    if (!mapping) throw usage_error("--map " + m + ": " + problem);
    const bool deals_table = !mapping->table || *mapping->table == io::table_kind::deals;
    bool known = false;
    for (const auto& c : io::deal_columns) known = known || c.name == mapping->canonical;
    if (deals_table && !known)
      throw usage_error("--map " + m + ": unknown column \"" + mapping->canonical +
                        "\" for the deals table");
    if (deals_table) o.deals.maps.push_back(*mapping);
  }
  o.deals.decimal_comma = f.decimal_comma;
  if (f.date_format == "ymd") o.deals.dates = io::date_order::ymd;
  if (f.date_format == "mdy") o.deals.dates = io::date_order::mdy;
  if (f.date_format == "dmy") o.deals.dates = io::date_order::dmy;
  o.deals.term_months = f.term_months;
  if (!f.currency.empty()) {
    std::string c = f.currency;
    for (char& ch : c) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    if (c.size() != 3 || c.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
      throw usage_error("--currency: expected a three-letter ISO 4217 code, got \"" + f.currency + "\"");
    o.currency = c;
  }
  if (!f.period.empty()) o.period = engine::parse_period(f.period);
  if (!f.from.empty()) o.period.from = parse_iso_flag("--from", f.from);
  if (!f.to.empty()) o.period.to = parse_iso_flag("--to", f.to);
  if (o.period.from && o.period.to && *o.period.from > *o.period.to)
    throw usage_error("--from " + f.from + " is after --to " + f.to);
  return o;
}

io::diagnostics make_diagnostics(const input_flags& f) {
  return io::diagnostics(f.skip_invalid ? io::row_error_policy::skip : io::row_error_policy::fail,
                         [](std::string_view line) {
                           std::string text(line);
                           text += '\n';
                           std::fputs(text.c_str(), stderr);
                         });
}

void write_stdout(const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(1, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EPIPE) std::_Exit(0);  // the reader stopped reading: not an error
    if (n <= 0) throw output_error(std::string("cannot write the output: ") + std::strerror(errno));
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace abmkpi::cli
