// JSON and NDJSON readers (SPEC §1.1): a JSON array of objects, a bundle object of such arrays
// ({"deals": [...], "accounts": [...], ...}), or one object per line. Both stream through
// nlohmann's SAX parser, so no document is ever built in memory; each object becomes a row.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>      // std::max, std::fill
#include <array>          // std::array
#include <charconv>       // std::to_chars
#include <cstddef>        // std::size_t, std::ptrdiff_t
#include <cstdint>        // std::uint64_t
#include <cstring>        // std::memchr, std::memmove
#include <exception>      // std::exception_ptr, std::rethrow_exception
#include <functional>     // std::function
#include <iterator>       // std::input_iterator_tag
#include <memory>         // std::unique_ptr
#include <optional>       // std::optional
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

#include "abmkpi/error.hpp"
#include "abmkpi/io/rows.hpp"
#include "abmkpi/io/source.hpp"

namespace abmkpi::io {

/// Limits of the JSON readers.
struct json_options {
  /// Deeper nesting is rejected while parsing, before anything deep is built (DoS guard).
  std::size_t max_depth = 64;
  /// Read size; tests make it tiny so rows span blocks.
  std::size_t block_bytes = std::size_t{1} << 20;
  /// Longest NDJSON line (DoS guard against a file with no newline).
  std::size_t max_line_bytes = std::size_t{256} << 20;
  /// Longest string value or key, as for a CSV field.
  std::size_t max_field_bytes = std::size_t{1} << 20;
  /// Most distinct keys in one table's rows (each one becomes a column).
  std::size_t max_columns = 10000;
};

/// Picks the sink for a table; nullptr means the caller does not read that table (its rows are
/// parsed and discarded).
using sink_selector = std::function<row_sink*(table_kind)>;

namespace json_detail {

/// Bytes from a byte_source (or memory) handed to nlohmann one at a time, counting lines and
/// columns as they go so that rows and errors can name where they are.
class byte_stream {
 public:
  byte_stream(byte_source* src, std::string_view memory, std::size_t block_bytes)
      : src_(src), block_(std::max<std::size_t>(block_bytes, 1)) {
    if (src_ == nullptr) {
      data_ = memory.data();
      len_ = memory.size();
    } else {
      buf_ = std::make_unique<char[]>(block_);
      data_ = buf_.get();
      refill();
    }
  }

  bool done() const noexcept { return pos_ >= len_; }
  char current() const noexcept { return data_[pos_]; }
  void advance() {
    last_line_ = line_;
    last_column_ = column_;
    if (data_[pos_] == '\0' && nul_line_ == 0) {  // nlohmann takes NUL for the end of input
      nul_line_ = line_;
      nul_column_ = column_;
    }
    if (data_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    if (++pos_ == len_ && src_ != nullptr) refill();
  }
  std::uint64_t line() const noexcept { return line_; }
  std::uint64_t column() const noexcept { return column_; }
  /// Position of the last byte read. nlohmann reads one byte past a number before it reports
  /// it, so this is where a value ends (or the byte after a number), as in its own messages.
  std::uint64_t last_line() const noexcept { return last_line_; }
  std::uint64_t last_column() const noexcept { return last_column_; }
  /// Line of the first NUL byte read, 0 if none: nlohmann ends a document at a NUL outside a
  /// string and would drop whatever follows, so a parse that saw one must fail.
  std::uint64_t nul_line() const noexcept { return nul_line_; }
  std::uint64_t nul_column() const noexcept { return nul_column_; }

 private:
  void refill() {
    pos_ = 0;
    len_ = src_->read(buf_.get(), block_);
  }
  byte_source* src_;
  std::size_t block_;
  std::unique_ptr<char[]> buf_;
  const char* data_ = nullptr;
  std::size_t pos_ = 0, len_ = 0;
  std::uint64_t line_ = 1, column_ = 1;
  std::uint64_t last_line_ = 1, last_column_ = 1;
  std::uint64_t nul_line_ = 0, nul_column_ = 0;
};

/// The input iterator nlohmann's iterator adapter reads through; a null stream is the end.
class stream_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = char;

  stream_iterator() = default;
  explicit stream_iterator(byte_stream* s) : s_(s) {}
  char operator*() const noexcept { return s_->current(); }
  stream_iterator& operator++() {
    s_->advance();
    return *this;
  }
  stream_iterator operator++(int) {
    stream_iterator old = *this;
    s_->advance();
    return old;
  }
  bool operator==(const stream_iterator& o) const noexcept { return at_end() == o.at_end(); }

 private:
  bool at_end() const noexcept { return s_ == nullptr || s_->done(); }
  byte_stream* s_ = nullptr;
};

/// The rows of one table: its columns in order of first appearance and the current row's cells.
struct table_state {
  row_sink* sink = nullptr;
  std::vector<std::string> names;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::string> cells;
  std::vector<bool> set;
  std::size_t announced = 0;  // how many names the sink has been told
  bool announced_once = false;
  bool started = false;
};

/// Where a position in the input is, for messages.
struct position {
  std::uint64_t line, column;
};

/// SAX handler: turns objects into rows. In document mode the top level is an array of rows or a
/// bundle object; in line mode (NDJSON) it is one row.
class row_handler : public nlohmann::json_sax<nlohmann::json> {
 public:
  row_handler(std::string_view name, table_kind default_table, const sink_selector& select,
              const json_options& limits, bool line_mode)
      : name_(name),
        default_table_(default_table),
        select_(select),
        limits_(limits),
        line_mode_(line_mode) {}

  /// Called before each parse: the stream to take row positions from, and (NDJSON) the line.
  void start(const byte_stream* stream, std::uint64_t line_offset) {
    stream_ = stream;
    line_offset_ = line_offset;
    depth_ = 0;
    row_open_ = false;
  }

  bool null() override { return scalar(std::string_view{}, "null"); }
  bool boolean(bool v) override { return scalar(v ? "true" : "false", "a boolean"); }
  // nlohmann reports every number written with '-' here, so 0 can only have been "-0".
  bool number_integer(number_integer_t v) override {
    return v == 0 ? scalar("-0", "a number") : integer(v);
  }
  bool number_unsigned(number_unsigned_t v) override { return integer(v); }
  bool number_float(number_float_t, const string_t& raw) override {
    return scalar(raw, "a number");  // the text as written: exact decimals, 1e400 stays 1e400
  }
  bool string(string_t& v) override { return scalar(v, "a string"); }
  bool binary(binary_t&) override { return shape("binary data", depth_ + 1); }

  bool start_object(std::size_t) override {
    if (!deeper()) return false;
    if (row_open_) return nested();
    if (is_row_level()) return open_row();
    if (depth_ == 1 && !line_mode_) {  // the bundle object
      bundle_ = true;
      return true;
    }
    return shape("an object", depth_);
  }

  bool key(string_t& k) override {
    if (k.size() > limits_.max_field_bytes) return too_long("a key");
    if (row_open_) {
      key_ = k;
      return true;
    }
    // A key of the bundle object names a table.
    for (auto t : {table_kind::deals, table_kind::accounts, table_kind::touches, table_kind::spend})
      if (table_name(t) == k) {
        if (tables_[static_cast<std::size_t>(t)].started)
          return fail_here("the bundle holds the table \"" + k + "\" twice");
        current_ = t;
        return true;
      }
    return fail_here("unknown table \"" + k +
                     "\" in the bundle (expected \"deals\", \"accounts\", \"touches\", \"spend\")");
  }

  bool end_object() override {
    --depth_;
    if (row_open_) return close_row();
    return true;
  }

  bool start_array(std::size_t) override {
    if (!deeper()) return false;
    if (row_open_) return nested();
    if (!line_mode_ && ((depth_ == 1 && !bundle_) || (depth_ == 2 && bundle_))) {
      if (depth_ == 1) current_ = default_table_;
      begin_table(current_);
      return true;
    }
    return shape("an array", depth_);
  }

  bool end_array() override {
    --depth_;
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    error_ = translate(ex);
    return false;
  }

  /// The error that stopped parsing (set whenever a callback returned false).
  const std::optional<abmkpi::parse_error>& error() const noexcept { return error_; }

  /// Ends the input: announces tables that received no row and calls finish() on every table
  /// that appeared, and on the default table always (a bundle without it, or an empty NDJSON
  /// file, is then a table without columns, which its sink reports).
  void finish_all() {
    begin_table(default_table_);
    for (auto& t : tables_) {
      if (!t.started || t.sink == nullptr) continue;
      to_sink([&] {
        if (!t.announced_once) t.sink->columns({});
        t.sink->finish();
      });
    }
    if (deferred_) std::rethrow_exception(deferred_);
  }

 private:
  bool is_row_level() const noexcept {
    if (line_mode_) return depth_ == 1;
    return (depth_ == 2 && !bundle_) || (depth_ == 3 && bundle_);
  }

  position here() const noexcept {
    return {stream_->last_line() + line_offset_, stream_->last_column()};
  }

  bool fail_here(const std::string& message) {
    const position p = here();
    error_.emplace(std::string(name_), p.line, p.column, message);
    return false;
  }

  bool deeper() {
    if (++depth_ <= limits_.max_depth) return true;
    return fail_here("nesting deeper than " + std::to_string(limits_.max_depth) +
                     " levels (--max-json-depth)");
  }

  bool too_long(std::string_view what) {
    return fail_here(std::string(what) + " longer than " + std::to_string(limits_.max_field_bytes) +
                     " bytes (--max-field-bytes)");
  }

  // `level` is the nesting level the unexpected value sits at: 1 is the whole document.
  bool shape(std::string_view found, std::size_t level) {
    if (line_mode_)
      return fail_here("expected an object on each line, found " + std::string(found));
    if (level <= 1)
      return fail_here("expected an array of objects or an object of tables (\"deals\", "
                       "\"accounts\", \"touches\", \"spend\"), found " + std::string(found));
    if (bundle_ && level == 2)
      return fail_here("the bundle's \"" + std::string(table_name(current_)) +
                       "\" must be an array of objects, found " + std::string(found));
    return fail_here("expected an object for each row, found " + std::string(found));
  }

  bool nested() {
    return fail_here(key_ + ": nested objects and arrays are not supported as cell values");
  }

  void begin_table(table_kind t) {
    table_state& s = tables_[static_cast<std::size_t>(t)];
    if (s.started) return;
    s.started = true;
    s.sink = select_(t);
  }

  bool open_row() {
    const table_kind t = line_mode_ ? default_table_ : current_;
    if (line_mode_) begin_table(t);
    row_table_ = &tables_[static_cast<std::size_t>(t)];
    row_line_ = here().line;
    row_open_ = true;
    std::fill(row_table_->set.begin(), row_table_->set.end(), false);
    for (auto& c : row_table_->cells) c.clear();
    return true;
  }

  template <class Int>
  bool integer(Int v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return scalar(std::string_view(buf, static_cast<std::size_t>(end - buf)), "a number");
  }

  bool scalar(std::string_view text, std::string_view what) {
    if (!row_open_) return shape(what, depth_ + 1);
    if (text.size() > limits_.max_field_bytes) return too_long("a value");
    table_state& t = *row_table_;
    auto [it, fresh] = t.index.try_emplace(key_, t.names.size());
    if (fresh && t.names.size() >= limits_.max_columns)
      return fail_here("more than " + std::to_string(limits_.max_columns) +
                       " distinct keys (--max-columns)");
    if (fresh) {
      t.names.push_back(key_);
      t.cells.emplace_back();
      t.set.push_back(false);
    }
    const std::size_t i = it->second;
    if (t.set[i]) return fail_here("duplicate key \"" + key_ + "\" in one object");
    t.set[i] = true;
    t.cells[i].assign(text);
    return true;
  }

  bool close_row() {
    row_open_ = false;
    table_state& t = *row_table_;
    if (t.sink == nullptr) return true;
    to_sink([&] {
      if (t.announced != t.names.size() || !t.announced_once) {
        t.announced_once = true;
        std::vector<std::string_view> names(t.names.begin(), t.names.end());
        t.sink->columns(names);
        t.announced = t.names.size();
      }
      views_.assign(t.cells.begin(), t.cells.end());
      t.sink->row(views_, row_line_);
    });
    return true;
  }

  // A sink's error (a missing column, say) waits until the whole input has been parsed: a file
  // that is not valid JSON is reported as such, with its position, whatever its rows held.
  // After the first such error no sink hears anything more.
  template <class F>
  void to_sink(F&& f) {
    if (deferred_) return;
    try {
      f();
    } catch (const abmkpi::error&) {
      deferred_ = std::current_exception();
    }
  }

  // nlohmann's messages start "[json.exception.parse_error.101] parse error at line 2, column 5:
  // "; we keep its explanation and put the position in our own FILE:LINE:COLUMN form.
  abmkpi::parse_error translate(const nlohmann::detail::exception& ex) const {
    std::string_view what = ex.what();
    position p = here();
    if (const auto bracket = what.find("] "); bracket != std::string_view::npos)
      what.remove_prefix(bracket + 2);
    if (const auto at = what.find("at line "); at != std::string_view::npos) {
      std::uint64_t line = 0, column = 0;
      const char* s = what.data() + at + 8;
      const char* end = what.data() + what.size();
      auto r = std::from_chars(s, end, line);
      if (r.ec == std::errc{} &&
          std::string_view(r.ptr, static_cast<std::size_t>(end - r.ptr)).starts_with(", column ")) {
        auto r2 = std::from_chars(r.ptr + 9, end, column);
        if (r2.ec == std::errc{}) {
          p = {line + line_offset_, column == 0 ? 1 : column};
          what = std::string_view(r2.ptr, static_cast<std::size_t>(end - r2.ptr));
          if (what.starts_with(": ")) what.remove_prefix(2);
        }
      }
    } else if (ex.id == 406) {  // "number overflow parsing '1e400'": valid grammar, not finite
      return abmkpi::parse_error(std::string(name_), p.line, p.column,
                                 "number out of range: " + std::string(what));
    }
    return abmkpi::parse_error(std::string(name_), p.line, p.column,
                               "malformed JSON: " + std::string(what));
  }

  std::string_view name_;
  table_kind default_table_;
  const sink_selector& select_;
  const json_options& limits_;
  bool line_mode_;
  const byte_stream* stream_ = nullptr;
  std::uint64_t line_offset_ = 0;
  std::size_t depth_ = 0;
  bool bundle_ = false;
  table_kind current_ = table_kind::deals;
  std::array<table_state, 4> tables_;
  table_state* row_table_ = nullptr;
  bool row_open_ = false;
  std::uint64_t row_line_ = 0;
  std::string key_;
  std::vector<std::string_view> views_;
  std::optional<abmkpi::parse_error> error_;
  std::exception_ptr deferred_;
};

inline void parse_document(byte_source* src, std::string_view memory, std::string_view name,
                           table_kind default_table, const sink_selector& select,
                           const json_options& opts) {
  byte_stream stream(src, memory, opts.block_bytes);
  row_handler handler(name, default_table, select, opts, false);
  handler.start(&stream, 0);
  const bool ok = nlohmann::json::sax_parse(stream_iterator(&stream), stream_iterator(), &handler);
  if (!ok || handler.error()) {
    if (handler.error()) throw *handler.error();
    throw parse_error(std::string(name), stream.line(), stream.column(), "malformed JSON");
  }
  if (stream.nul_line() != 0)
    throw parse_error(std::string(name), stream.nul_line(), stream.nul_column(),
                      "malformed JSON: unexpected NUL byte");
  handler.finish_all();
}

/// Splits NDJSON input into lines without holding more than the longest line.
class line_reader {
 public:
  line_reader(byte_source* src, std::string_view memory, std::size_t block, std::size_t max_line)
      : src_(src), memory_(memory), block_(std::max<std::size_t>(block, 1)), max_line_(max_line) {
    // memchr and memmove need a real pointer even for 0 bytes: never let buf_.data() be null.
    if (src_ != nullptr) buf_.resize(block_);
  }

  /// The next line without its '\n' (and '\r'); nullopt at the end. Throws parse_error for a
  /// line longer than the limit.
  std::optional<std::string_view> next(std::string_view name) {
    if (src_ == nullptr) {
      if (memory_.empty()) return std::nullopt;
      const auto nl = memory_.find('\n');
      std::string_view line = memory_.substr(0, nl);
      memory_ = nl == std::string_view::npos ? std::string_view{} : memory_.substr(nl + 1);
      return strip_cr(line);
    }
    for (;;) {
      if (const void* nl = std::memchr(buf_.data() + begin_, '\n', end_ - begin_)) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
        std::string_view line(buf_.data() + begin_, at - begin_);
        begin_ = at + 1;
        return strip_cr(line);
      }
      if (eof_) {
        if (begin_ == end_) return std::nullopt;
        std::string_view line(buf_.data() + begin_, end_ - begin_);
        begin_ = end_;
        return strip_cr(line);
      }
      if (end_ - begin_ > max_line_)
        throw parse_error(
            std::string(name), line_number_hint_, 0,
            "line longer than " + std::to_string(max_line_) + " bytes (--max-line-bytes)");
      // Move the partial line to the front and read more after it.
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
      if (buf_.size() - end_ < block_) buf_.resize(end_ + block_);
      const std::size_t got = src_->read(buf_.data() + end_, buf_.size() - end_);
      if (got == 0) eof_ = true;
      end_ += got;
    }
  }
  void set_line_hint(std::uint64_t line) noexcept { line_number_hint_ = line; }

 private:
  static std::string_view strip_cr(std::string_view s) noexcept {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
  }
  byte_source* src_;
  std::string_view memory_;
  std::size_t block_, max_line_;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_hint_ = 0;
};

inline void parse_lines(byte_source* src, std::string_view memory, std::string_view name,
                        row_sink& sink, const json_options& opts) {
  const sink_selector select = [&](table_kind) { return &sink; };
  row_handler handler(name, table_kind::deals, select, opts, true);
  line_reader lines(src, memory, opts.block_bytes, opts.max_line_bytes);
  std::uint64_t line_no = 0;
  bool first = true;
  while (true) {
    lines.set_line_hint(line_no + 1);
    auto line = lines.next(name);
    if (!line) break;
    ++line_no;
    if (first && line->starts_with("\xEF\xBB\xBF")) line->remove_prefix(3);
    first = false;
    if (line->find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
    byte_stream stream(nullptr, *line, 0);
    handler.start(&stream, line_no - 1);
    const bool ok =
        nlohmann::json::sax_parse(stream_iterator(&stream), stream_iterator(), &handler);
    if (!ok || handler.error()) {
      if (handler.error()) throw *handler.error();
      throw parse_error(std::string(name), line_no, 0, "malformed JSON");
    }
    if (stream.nul_line() != 0)
      throw parse_error(std::string(name), line_no, stream.nul_column(),
                        "malformed JSON: unexpected NUL byte");
  }
  handler.finish_all();
}

}  // namespace json_detail

/// Reads a JSON document from `src`: an array of objects (rows of `default_table`) or a bundle
/// object {"deals": [...], "accounts": [...], "touches": [...], "spend": [...]}. Each object is a
/// row; its keys are the columns (a key first seen in a later object extends them). Cells hold
/// strings as they are, numbers as written, `true`/`false`, and null as empty. Streams: memory
/// does not grow with the document. Throws parse_error naming line and column for malformed
/// JSON (empty input included), for a document of the wrong shape, for nested values in a row,
/// for a duplicate key in an object, and for nesting deeper than opts.max_depth.
inline void read_json(byte_source& src, table_kind default_table, const sink_selector& select,
                      const json_options& opts = {}) {
  json_detail::parse_document(&src, {}, src.name(), default_table, select, opts);
}

/// read_json for bytes in memory; `name` is used in messages.
inline void read_json(std::string_view bytes, std::string_view name, table_kind default_table,
                      const sink_selector& select, const json_options& opts = {}) {
  json_detail::parse_document(nullptr, bytes, name, default_table, select, opts);
}

/// Reads NDJSON (JSON Lines) from `src`: one object per line, blank lines skipped, `\r\n`
/// accepted. An empty input is zero rows. Errors name the line and the column within it.
inline void read_ndjson(byte_source& src, row_sink& sink, const json_options& opts = {}) {
  json_detail::parse_lines(&src, {}, src.name(), sink, opts);
}

/// read_ndjson for bytes in memory; `name` is used in messages.
inline void read_ndjson(std::string_view bytes, std::string_view name, row_sink& sink,
                        const json_options& opts = {}) {
  json_detail::parse_lines(nullptr, bytes, name, sink, opts);
}

}  // namespace abmkpi::io
