// Fuzz target: a whole report run (engine::load, engine::build_report and every renderer) on
// fuzzed bytes, as `abmkpi report` does it. The first byte picks the options:
//   bits 0-1  format: automatic (sniffed, file without extension), csv, json, ndjson
//   bit  2    --skip-invalid (else the default fail policy)
//   bit  3    --decimal-comma
//   bits 4-5  --date-format: inferred, ymd, mdy, dmy
//   bit  6    the rest is split at form feeds (\f) into deals, accounts, touches and spend files
//   bit  7    read a CSV deals file in two parallel pieces however small it is
// Only abmkpi::error may escape. Invariants: the JSON report parses back and holds only finite
// numbers; the CSV report reads back as 3 fields a record with finite numbers; the table and
// Markdown reports and every diagnostic line hold no terminal control bytes.
// ABMKPI_FUZZ_VERBOSE=1 in the environment prints each run's outcome (for checking seeds).
#include <cmath>        // std::isfinite
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint64_t
#include <cstdio>       // std::fprintf
#include <cstdlib>      // std::abort, std::getenv
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <system_error>  // std::errc
#include <vector>       // std::vector

#include <nlohmann/json.hpp>  // nlohmann::json

#include "abmkpi/engine/analysis.hpp"
#include "abmkpi/engine/report_builder.hpp"
#include "abmkpi/error.hpp"
#include "abmkpi/io/csv.hpp"
#include "abmkpi/io/dates.hpp"
#include "abmkpi/io/values.hpp"
#include "abmkpi/report/csv.hpp"
#include "abmkpi/report/json.hpp"
#include "abmkpi/report/table.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace abmkpi;

/// No byte a terminal acts on, except the line feeds in `allowed`.
void check_printable(std::string_view text, std::string_view allowed = "") {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (allowed.find(text[i]) != std::string_view::npos) continue;
    ABMKPI_FUZZ_CHECK(b >= 0x20 && b != 0x7f);
    if (b == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      ABMKPI_FUZZ_CHECK(!(next >= 0x80 && next <= 0x9f));
    }
  }
}

void check_json_numbers(const nlohmann::json& j) {
  if (j.is_number_float()) ABMKPI_FUZZ_CHECK(std::isfinite(j.get<double>()));
  if (j.is_structured())
    for (const auto& v : j) check_json_numbers(v);
}

void check_json_report(const std::string& text) {
  ABMKPI_FUZZ_CHECK(!text.empty() && text.back() == '\n');
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  ABMKPI_FUZZ_CHECK(!j.is_discarded());  // valid JSON (valid UTF-8 included) for any input
  ABMKPI_FUZZ_CHECK(j.is_object() && j.contains("kpis") && j["kpis"].is_object());
  check_json_numbers(j);
}

/// Reads the CSV report back with the library's own reader.
struct csv_report_sink final : io::row_sink {
  std::size_t records = 0;
  void columns(std::span<const std::string_view> names) override {
    ABMKPI_FUZZ_CHECK(names.size() == 3 && names[0] == "section" && names[2] == "value");
  }
  void row(std::span<const std::string_view> cells, std::uint64_t) override {
    ++records;
    if (cells[0] == "report" || cells[0] == "notes" || cells[2].empty()) return;
    const auto n = io::parse_number(cells[2]);  // a KPI value: a finite number
    ABMKPI_FUZZ_CHECK(n.ec == std::errc{} && !n.percent_sign);
  }
  void ragged_row(std::span<const std::string_view>, std::uint64_t) override {
    ABMKPI_FUZZ_CHECK(!"the CSV report has 3 fields in every record");
  }
  void finish() override {}
};

void check_csv_report(const std::string& text) {
  csv_report_sink sink;
  io::csv_options opts;
  opts.delimiter = ',';
  try {
    io::read_csv(text, "report.csv", sink, opts);
  } catch (const abmkpi::error& e) {
    std::fprintf(stderr, "the CSV report does not read back: %s\n", e.what());
    std::abort();
  }
  ABMKPI_FUZZ_CHECK(sink.records >= 4);
}

std::vector<std::string_view> split_at_form_feeds(std::string_view text) {
  std::vector<std::string_view> parts;
  while (parts.size() < 3) {
    const auto ff = text.find('\f');
    if (ff == std::string_view::npos) break;
    parts.push_back(text.substr(0, ff));
    text.remove_prefix(ff + 1);
  }
  parts.push_back(text);
  return parts;
}

bool verbose() {
  static const bool on = std::getenv("ABMKPI_FUZZ_VERBOSE") != nullptr;
  return on;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  engine::analysis_options opts;
  constexpr io::input_format formats[] = {io::input_format::automatic, io::input_format::csv,
                                          io::input_format::json, io::input_format::ndjson};
  constexpr const char* extensions[] = {"", ".csv", ".json", ".ndjson"};
  opts.format = formats[mode & 3];
  const std::string ext = extensions[mode & 3];
  const bool skip_invalid = (mode & 4) != 0;
  opts.read.decimal_comma = (mode & 8) != 0;
  opts.read.dates = static_cast<io::date_order>((mode >> 4) & 3);
  if (mode & 0x80) {
    opts.threads = 2;
    opts.parallel_min_bytes = 0;
  } else {
    opts.threads = 1;
  }

  const std::vector<std::string_view> parts =
      mode & 0x40 ? split_at_form_feeds(text) : std::vector<std::string_view>{text};
  std::string* const paths[] = {&opts.deals_path, &opts.accounts_path, &opts.touches_path,
                                &opts.spend_path};
  constexpr const char* names[] = {"deals", "accounts", "touches", "spend"};
  for (std::size_t i = 0; i < parts.size(); ++i)
    *paths[i] = abmkpi_fuzz::write_scratch(names[i] + ext, parts[i]);

  std::size_t emitted = 0;
  io::diagnostics diag(skip_invalid ? io::row_error_policy::skip : io::row_error_policy::fail,
                       [&emitted](std::string_view line) {
                         ++emitted;
                         check_printable(line);
                       });
  report::report r;
  try {
    const engine::analysis a = engine::load(opts, diag);
    r = engine::build_report(a, opts, diag);
  } catch (const io::row_errors& e) {
    if (verbose()) std::fprintf(stderr, "mode 0x%02x: %s\n", mode, e.what());
    ABMKPI_FUZZ_CHECK(!skip_invalid);  // --skip-invalid never ends in row errors
    return 0;
  } catch (const abmkpi::error& e) {
    if (verbose()) std::fprintf(stderr, "mode 0x%02x: %s\n", mode, e.what());
    return 0;
  }
  const std::string json = report::render_json(r);
  if (verbose())
    std::fprintf(stderr, "mode 0x%02x: a report of %zu bytes, %zu diagnostic lines\n", mode,
                 json.size(), emitted);
  check_json_report(json);
  check_csv_report(report::render_csv(r));
  check_printable(report::render_table(r), "\n");
  check_printable(report::render_markdown(r), "\n");
  return 0;
}
