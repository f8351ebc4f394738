// Fuzz target: the streaming CSV reader (io/csv.hpp). The first byte picks the options (block
// size, delimiter, small limits, piece mode); the rest is the CSV text. Every run is parsed twice,
// with the chosen block size and with one block, and both runs must tell the sink the same
// thing or fail with the same message (SPEC: results do not depend on chunking). Only
// abmkpi::error may escape read_csv; anything else, or a broken row_sink protocol, is a finding.
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint64_t
#include <cstdio>       // std::fprintf
#include <cstdlib>      // std::abort
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "abmkpi/error.hpp"
#include "abmkpi/io/csv.hpp"
#include "fuzz_support.hpp"

namespace {

using abmkpi::io::csv_options;

/// Checks the row_sink protocol of read_csv as it happens and logs every event, so that two
/// runs can be compared as a whole.
struct checking_sink final : abmkpi::io::row_sink {
  checking_sink(const csv_options& opts, std::string_view input) : opts_(opts), input_(input) {
    for (const char c : input) breaks_ += c == '\n' || c == '\r';
    if (opts.header_fields > 0) {  // a piece: the caller has already seen the header
      header_seen_ = true;
      header_size_ = opts.header_fields;
    }
  }

  std::string log;
  char delimiter = 0;  // as told by csv_delimiter()

  void csv_delimiter(char d) override {
    ABMKPI_FUZZ_CHECK(!header_seen_ && !finished_ && delimiter == 0);
    ABMKPI_FUZZ_CHECK(opts_.delimiter != 0 ? d == opts_.delimiter
                                           : (d == ',' || d == ';' || d == '\t'));
    delimiter = d;
    log += "delimiter ";
    log += d;
    log += '\n';
  }
  void columns(std::span<const std::string_view> names) override {
    ABMKPI_FUZZ_CHECK(!header_seen_ && !finished_);
    // columns({}) is the empty input, which has no delimiter to report; a header has one.
    ABMKPI_FUZZ_CHECK(names.empty() || delimiter != 0);
    header_seen_ = true;
    header_size_ = names.size();
    add("columns", names, 0);
  }
  void row(std::span<const std::string_view> cells, std::uint64_t line) override {
    ABMKPI_FUZZ_CHECK(header_seen_ && !finished_);
    ABMKPI_FUZZ_CHECK(cells.size() == header_size_);
    record(cells, line);
    add("row", cells, line);
  }
  void ragged_row(std::span<const std::string_view> cells, std::uint64_t line) override {
    ABMKPI_FUZZ_CHECK(header_seen_ && !finished_);
    ABMKPI_FUZZ_CHECK(cells.size() != header_size_);
    record(cells, line);
    add("ragged", cells, line);
  }
  void finish() override {
    ABMKPI_FUZZ_CHECK(header_seen_ && !finished_);
    finished_ = true;
    log += "finish\n";
  }
  bool finished() const { return finished_; }

 private:
  /// Invariants of every record: limits hold, cells never hold more bytes than the input, and
  /// records start on increasing lines that exist in the input.
  void record(std::span<const std::string_view> cells, std::uint64_t line) {
    ABMKPI_FUZZ_CHECK(!cells.empty());  // even a lone empty field is one cell
    ABMKPI_FUZZ_CHECK(cells.size() <= opts_.max_columns);
    for (const std::string_view c : cells) {
      ABMKPI_FUZZ_CHECK(c.size() <= opts_.max_field_bytes);
      cell_bytes_ += c.size();
    }
    ABMKPI_FUZZ_CHECK(cell_bytes_ <= input_.size());
    ABMKPI_FUZZ_CHECK(line >= opts_.first_line && line > last_line_);
    ABMKPI_FUZZ_CHECK(line <= opts_.first_line + breaks_);
    last_line_ = line;
  }
  void add(const char* what, std::span<const std::string_view> cells, std::uint64_t line) {
    log += what;
    log += ' ';
    log += std::to_string(line);
    for (const std::string_view c : cells) {
      log += '[';
      log += c;
      log += ']';
    }
    log += '\n';
  }

  const csv_options& opts_;
  std::string_view input_;
  std::uint64_t breaks_ = 0;
  bool header_seen_ = false;
  std::size_t header_size_ = 0;
  bool finished_ = false;
  std::uint64_t last_line_ = 0;
  std::size_t cell_bytes_ = 0;
};

/// One parse: the sink's log, then the returned delimiter or the error message.
std::string parse(std::string_view text, const csv_options& opts) {
  checking_sink sink(opts, text);
  try {
    const char d = abmkpi::io::read_csv(text, "fuzz.csv", sink, opts);
    ABMKPI_FUZZ_CHECK(sink.finished());
    // The delimiter returned is the one asked for, else the one told to the sink; a piece
    // detects one without telling; an input without a header has ','.
    if (opts.delimiter != 0) {
      ABMKPI_FUZZ_CHECK(d == opts.delimiter);
    } else if (sink.delimiter != 0) {
      ABMKPI_FUZZ_CHECK(d == sink.delimiter);
    } else if (opts.header_fields > 0) {
      ABMKPI_FUZZ_CHECK(d == ',' || d == ';' || d == '\t');
    } else {
      ABMKPI_FUZZ_CHECK(d == ',');
    }
    return sink.log + "returned " + d + "\n";
  } catch (const abmkpi::parse_error& e) {
    ABMKPI_FUZZ_CHECK(!sink.finished());
    ABMKPI_FUZZ_CHECK(e.line() >= opts.first_line && e.column() >= 1);
    return sink.log + "error " + e.what() + "\n";
  } catch (const abmkpi::error& e) {
    return sink.log + "error " + e.what() + "\n";
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  csv_options opts;
  constexpr std::size_t blocks[] = {1, 7, 64, std::size_t{1} << 20};
  constexpr char delimiters[] = {0, ',', ';', '\t'};
  opts.block_bytes = blocks[mode & 3];
  opts.delimiter = delimiters[(mode >> 2) & 3];
  if (mode & 0x10) {  // limits small enough to be hit
    opts.max_field_bytes = 16;
    opts.max_columns = 8;
  }
  if (mode & 0x20) {  // a piece of a file read in parallel: no header, 3 fields a record
    opts.header_fields = 3;
    opts.first_line = 10;
  }

  const std::string chosen = parse(text, opts);
  csv_options whole = opts;
  whole.block_bytes = std::size_t{1} << 20;
  const std::string reference = parse(text, whole);
  if (chosen != reference) {
    std::fprintf(stderr,
                 "block size %zu changes the result:\n--- one block\n%s--- blocks of %zu\n%s",
                 opts.block_bytes, reference.c_str(), opts.block_bytes, chosen.c_str());
    std::abort();
  }
  return 0;
}
