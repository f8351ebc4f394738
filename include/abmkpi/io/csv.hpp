// Streaming CSV reader (RFC 4180, SPEC §1.1): the input is read in large blocks into one reused
// buffer and each record is handed to a row_sink as string_views into that buffer, so memory stays
// bounded by the largest record and the steady state allocates nothing per cell.
#pragma once

#include <algorithm>    // std::max, std::min
#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint64_t
#include <cstring>      // std::memcpy, std::memmove, std::memcmp
#include <memory>       // std::unique_ptr, std::make_unique_for_overwrite
#include <span>         // std::span
#include <string>       // std::string, std::to_string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#if defined(__SSE2__)
#include <emmintrin.h>  // _mm_cmpeq_epi8, _mm_movemask_epi8
#endif

#include "abmkpi/error.hpp"
#include "abmkpi/io/rows.hpp"
#include "abmkpi/io/source.hpp"

namespace abmkpi::io {

/// How read_csv splits its input, and the limits that keep hostile input from exhausting memory.
struct csv_options {
  /// Field separator; 0 detects `,`, `;` or TAB from the header line (see read_csv).
  char delimiter = 0;
  /// A field longer than this many bytes (after `""` unescaping) is a parse_error.
  std::size_t max_field_bytes = std::size_t{1} << 20;
  /// A record with more fields than this is a parse_error.
  std::size_t max_columns = 10000;
  /// A record longer than this many bytes is a parse_error (the buffer stops doubling here).
  std::size_t max_record_bytes = std::size_t{256} << 20;
  /// Bytes requested per read and the initial buffer size. The buffer grows (doubling) only while
  /// a single record does not fit, so the two limits above also bound memory. Tests set tiny
  /// values to put block boundaries inside every construct.
  std::size_t block_bytes = std::size_t{1} << 20;
  /// A piece of a file cut at a record boundary (parallel reading): the caller has already given
  /// the sink the header, and the piece has no header and no BOM; its records have this many
  /// fields. 0: a whole file, whose first record is the header.
  std::size_t header_fields = 0;
  /// The physical line the input starts on (a piece's line in its file).
  std::uint64_t first_line = 1;
};

}  // namespace abmkpi::io

namespace abmkpi::detail {

/// One pass of read_csv over one input. Records are parsed from their first byte again when they
/// turn out to continue past the buffered bytes; the buffer then holds the whole record after the
/// refill (or has doubled), so re-scanning costs at most a constant factor per record.
class csv_parser {
 public:
  csv_parser(std::string_view name, io::row_sink& sink, const io::csv_options& opts)
      : name_(name), sink_(sink), opts_(opts) {
    if (opts.delimiter == '"' || opts.delimiter == '\r' || opts.delimiter == '\n') {
      throw usage_error("CSV delimiter cannot be a quote or a line break");
    }
    if (opts.delimiter != 0) set_delimiter(opts.delimiter);
    line_ = opts.first_line;
    if (opts.header_fields > 0) {
      header_seen_ = true;
      header_size_ = opts.header_fields;
    }
  }

  /// `read(dst, n)` fills up to n bytes and returns 0 only at end of input.
  template <class Read>
  char run(Read& read, std::size_t block_bytes) {
    cap_ = std::max<std::size_t>(block_bytes, 1);
    buf_ = std::make_unique<char[]>(cap_ + 1 + scan_pad);  // zeroed: see scan_to
    fill(read);
    while (end_ < 3 && !eof_) fill(read);
    if (!header_seen_ && end_ >= 3 && std::memcmp(buf_.get(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;
    for (;;) {
      plain_records();
      if (!skip_blank_lines()) {
        fill(read);
        continue;
      }
      if (begin_ == end_) break;  // skip_blank_lines only stops at end_ at end of input
      if (delim_ == 0 && !detect_delimiter()) {
        fill(read);
        continue;
      }
      if (!parse_record()) {
        fill(read);
        continue;
      }
      if (!header_seen_) {
        header_seen_ = true;
        header_size_ = record_.size();
        sink_.csv_delimiter(delim_);
        sink_.columns(record_);
      } else if (record_.size() == header_size_) {
        sink_.row(record_, record_line_);
      } else {
        sink_.ragged_row(record_, record_line_);
      }
    }
    if (!header_seen_) sink_.columns({});
    sink_.finish();
    return delim_ == 0 ? ',' : delim_;
  }

  /// The physical line after the last byte read (after run(): first_line + the line breaks of
  /// the input, CR, LF and CRLF each counting one, as in every message).
  std::uint64_t next_line() const noexcept { return line_; }

 private:
  using byte_table = std::array<bool, 256>;

  static std::size_t byte(char c) noexcept { return static_cast<unsigned char>(c); }

  [[noreturn]] void fail(std::uint64_t line, std::size_t column, const std::string& message) const {
    throw parse_error(name_, line, column, message);
  }

  [[noreturn]] void fail_too_long(std::uint64_t line, std::size_t column,
                                  bool quoted = false) const {
    fail(line, column, std::string(quoted ? "quoted field" : "field") + " longer than " +
                           std::to_string(opts_.max_field_bytes) + " bytes (--max-field-bytes)" +
                           (quoted ? "; is its closing quote missing?" : ""));
  }

  void set_delimiter(char d) {
    delim_ = d;
    masks_ = {};  // masks kept from before compared bytes with another delimiter
    // A sentinel '\n' after the buffered bytes is special in both tables, so the scanning loops
    // need no bounds check per byte.
    unquoted_ = {};
    unquoted_[byte(d)] = unquoted_['\r'] = unquoted_['\n'] = true;
    quoted_ = {};
    quoted_['"'] = quoted_['\r'] = quoted_['\n'] = true;
  }

  /// The first byte at or after `p` that is `c`, CR or LF (`stops` holds those three): the end
  /// of an unquoted field (c = the delimiter) or the next byte of a quoted one that needs a look
  /// (c = '"'). The '\n' sentinel at end_ bounds it. Sixteen bytes a step where SSE2 is there
  /// (every x86-64): a byte at a time through the table was most of the parse. A load may read
  /// up to 15 bytes past the sentinel, into unread buffer or scan_pad: no such byte decides
  /// anything, as the sentinel matches first, and the buffer is zeroed so that none is
  /// uninitialized either.
  static const char* scan_to(const char* p, char c, const byte_table& stops) noexcept {
#if defined(__SSE2__)
    (void)stops;
    const __m128i want = _mm_set1_epi8(c), cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
    for (;; p += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, want),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
      if (const int mask = _mm_movemask_epi8(hit); mask != 0) return p + __builtin_ctz(mask);
    }
#else
    (void)c;
    while (!stops[byte(*p)]) ++p;
    return p;
#endif
  }

  /// Moves the unparsed tail to the front, doubles the buffer if that tail already fills it, and
  /// reads until the buffer is full or the input ends. Filling completely (not one read) matters
  /// for pipes, whose short reads would otherwise make a long record re-scan many times.
  template <class Read>
  void fill(Read& read) {
    const std::size_t live = end_ - begin_;
    if (begin_ > 0) std::memmove(buf_.get(), buf_.get() + begin_, live);
    begin_ = 0;
    end_ = live;
    if (end_ == cap_) {
      if (cap_ >= opts_.max_record_bytes)
        fail(line_, 1, "record longer than " + std::to_string(opts_.max_record_bytes) +
                           " bytes (--max-line-bytes)");
      auto bigger = std::make_unique<char[]>(2 * cap_ + 1 + scan_pad);
      std::memcpy(bigger.get(), buf_.get(), end_);
      buf_ = std::move(bigger);
      cap_ *= 2;
    }
    while (end_ < cap_ && !eof_) {
      const std::size_t got = read(buf_.get() + end_, cap_ - end_);
      if (got == 0) eof_ = true;
      end_ += got;
    }
    buf_[end_] = '\n';
    masks_ = {};  // the bytes moved (or the sentinel did)
  }

  /// Skips empty lines, counting them. Returns false when more input is needed: at the end of the
  /// buffer, or on a CR as its last byte (an LF may follow and must not count as a second line).
  bool skip_blank_lines() {
    const char* const d = buf_.get();
    while (begin_ < end_) {
      if (d[begin_] == '\n') {
        ++begin_;
      } else if (d[begin_] == '\r') {
        if (begin_ + 1 == end_ && !eof_) return false;
        begin_ += (begin_ + 1 < end_ && d[begin_ + 1] == '\n') ? 2 : 1;
      } else {
        return true;
      }
      ++line_;
    }
    return eof_;
  }

  /// Picks the most frequent of `,` `;` TAB outside quotes on the header line; ties and absence
  /// prefer `,` then `;`. Returns false when the header line is not complete in the buffer yet.
  bool detect_delimiter() {
    std::size_t comma = 0, semicolon = 0, tab = 0;
    bool quoted = false, field_start = true, complete = eof_;
    const char* const end = buf_.get() + end_;
    for (const char* p = buf_.get() + begin_; p < end; ++p) {
      const char c = *p;
      if (quoted) {
        if (c != '"') continue;
        if (p + 1 == end && !eof_) return false;
        if (p + 1 < end && p[1] == '"') {
          ++p;
        } else {
          quoted = false;
        }
        continue;
      }
      if (c == '\n' || c == '\r') {
        complete = true;
        break;
      }
      // Only a quote that opens a field quotes; one inside a field is literal, as in parse_record.
      if (c == '"' && field_start) quoted = true;
      comma += c == ',';
      semicolon += c == ';';
      tab += c == '\t';
      field_start = c == ',' || c == ';' || c == '\t';
    }
    if (!complete) return false;
    char best = ',';
    std::size_t best_count = comma;
    if (semicolon > best_count) best = ';', best_count = semicolon;
    if (tab > best_count) best = '\t';
    set_delimiter(best);
    return true;
  }

  /// Appends bytes of an unescaped quoted field to the scratch buffer. Scratch is as large as the
  /// buffer (an unescaped record is never longer than its raw bytes), so it never reallocates
  /// while views into it are live; it is (re)allocated only at its first use in a record.
  void append_scratch(const char* from, const char* to) {
    if (scratch_cap_ < cap_) {
      scratch_ = std::make_unique_for_overwrite<char[]>(cap_);
      scratch_cap_ = cap_;
    }
    std::memcpy(scratch_.get() + scratch_used_, from, static_cast<std::size_t>(to - from));
    scratch_used_ += static_cast<std::size_t>(to - from);
  }

  /// Where the bytes of one 64-byte block of the buffer (its offset a multiple of 64) are the
  /// delimiter, LF, or a quote or CR (which a plain record has none of, but a CR before its LF).
  struct block_masks {
    std::size_t at = npos_block;  // the block's offset in buf_; npos_block: none yet
    std::uint64_t delim = 0, lf = 0, special = 0;
  };
  static constexpr std::size_t npos_block = ~std::size_t{0};

  /// Sets `m` to the masks of the block at buffer offset `at` unless it holds them already (a
  /// record of ~100 bytes shares its first and last blocks with its neighbours: each byte is
  /// compared once, not once for every record whose blocks hold it).
  void load_masks(std::size_t at, block_masks& m) const noexcept {
    if (m.at == at) return;
    m.at = at;
    const char* const block = buf_.get() + at;
#if defined(__SSE2__)
    const __m128i delim = _mm_set1_epi8(delim_), lf = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
    std::uint64_t d = 0, l = 0, x = 0;
    for (int k = 0; k < 4; ++k) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k));
      const auto bits = [&](__m128i hit) {
        const auto b = static_cast<unsigned>(_mm_movemask_epi8(hit));
        return static_cast<std::uint64_t>(b) << (16 * k);
      };
      d |= bits(_mm_cmpeq_epi8(v, delim));
      l |= bits(_mm_cmpeq_epi8(v, lf));
      x |= bits(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr)));
    }
    m.delim = d, m.lf = l, m.special = x;
#else
    m.delim = m.lf = m.special = 0;
    for (std::size_t i = 0; i < 64; ++i) {
      const char c = block[i];
      m.delim |= std::uint64_t{c == delim_} << i;
      m.lf |= std::uint64_t{c == '\n'} << i;
      m.special |= std::uint64_t{c == '"' || c == '\r'} << i;
    }
#endif
  }

  /// Cuts the record at buffer offset `begin` when it is plain (nearly every record of an
  /// export): as many fields as the header, no quote, no CR but one right before its LF, that
  /// LF not the sentinel, and no field over the limit. Its field ends come from the blocks' bit
  /// masks instead of one scan_to per field. Writes the fields to `out` and the offset after
  /// the LF to `next`; false for any other record (the header, a ragged one), which
  /// parse_record's general loop then reads (and reports, when it is wrong). `m` holds the
  /// masks of the block looked at last. The blocks are read up to the first LF at or after
  /// `begin`, which the sentinel (fill) bounds; a block's 64 bytes lie within cap_ + 1 +
  /// scan_pad. `out` has room for a block's 64 cuts past the header's fields: one test a block.
  [[gnu::always_inline]] bool cut_plain(std::size_t begin, block_masks& m, std::string_view* out,
                                        std::size_t& next) const noexcept {
    const char* const data = buf_.get();
    std::size_t n = 0;
    const char* field = data + begin;
    std::size_t at = begin & ~std::size_t{63};
    std::uint64_t keep = ~std::uint64_t{0} << (begin & 63);  // bytes of this record
    for (;; at += 64, keep = ~std::uint64_t{0}) {
      load_masks(at, m);
      const std::uint64_t ends = m.lf & keep;
      // Bytes up to and including the first LF (all 64 when there is none).
      const std::uint64_t upto = (ends == 0 ? ~std::uint64_t{0} : ends ^ (ends - 1)) & keep;
      const char* const block = data + at;
      bool crlf = false;
      if (const std::uint64_t special = m.special & upto; special != 0) {
        // Only a CR right before the LF (CRLF, as Windows exports end lines) is allowed.
        const std::uint64_t lf_bit = ends & upto;
        if (special != (lf_bit >> 1) || block[__builtin_ctzll(special)] != '\r') return false;
        crlf = true;
      }
      for (std::uint64_t cuts = m.delim & upto; cuts != 0; cuts &= cuts - 1) {
        const char* const cut = block + __builtin_ctzll(cuts);
        out[n++] = std::string_view(field, static_cast<std::size_t>(cut - field));
        field = cut + 1;
      }
      if (n >= header_size_) return false;  // more fields than the header: ragged
      if (ends == 0) continue;
      const char* const lf = block + __builtin_ctzll(ends);
      if (lf == data + end_ || n + 1 != header_size_) return false;  // the sentinel, or ragged
      // No field is longer than its record: one test spares one a field.
      if (static_cast<std::size_t>(lf - (data + begin)) > opts_.max_field_bytes) return false;
      out[n] = std::string_view(field, static_cast<std::size_t>(lf - crlf - field));
      next = static_cast<std::size_t>(lf + 1 - data);
      return true;
    }
  }

  /// plain_'s fields, with room for a block's 64 cuts past the header's.
  std::string_view* plain_fields() {
    if (plain_.size() != header_size_ + 64) plain_.resize(header_size_ + 64);
    return plain_.data();
  }

  /// Hands the sink the plain records from begin_ on, up to the first that is not, with no
  /// other test between them and the parse's place kept in locals: the sink is a virtual call,
  /// after which members would be read again. A blank line goes to skip_blank_lines (with one
  /// column, cut_plain would take it). A sink that throws leaves the parser unusable, as always.
  void plain_records() {
    // A piece of a file (header_fields) has its header before its delimiter is known.
    if (!header_seen_ || delim_ == 0) return;
    const char* const data = buf_.get();
    std::string_view* const out = plain_fields();
    const std::span<const std::string_view> fields(out, header_size_);
    block_masks m = masks_;
    std::size_t at = begin_, next = 0;
    std::uint64_t line = line_;
    while (at < end_ && data[at] != '\n' && data[at] != '\r' && cut_plain(at, m, out, next)) {
      at = next;
      sink_.row(fields, line++);
    }
    begin_ = at;
    line_ = line;
    masks_ = m;
  }

  /// Parses the record at begin_ into record_: one plain_records did not take (the header, a
  /// quoted or ragged one, one that continues past the buffered bytes, the first after a blank
  /// line). Returns false, changing nothing but fields_ and scratch, when the record may
  /// continue past the buffered bytes. Throws parse_error.
  bool parse_record() {
    const char* const data = buf_.get();
    const char* const end = data + end_;
    const char* p = data + begin_;
    const char* line_start = p;  // for 1-based byte columns in messages
    std::uint64_t line = line_;
    const auto column = [&line_start](const char* at) {
      return static_cast<std::size_t>(at - line_start) + 1;
    };
    fields_.clear();
    scratch_used_ = 0;
    for (;;) {
      if (fields_.size() == opts_.max_columns) {
        fail(line, column(p),
             "record has more than " + std::to_string(opts_.max_columns) +
                 " fields (--max-columns)");
      }
      if (*p != '"') {
        // Unquoted. A quote further inside the field is taken literally (`ab"c`), as most readers
        // and spreadsheets do, rather than rejecting exports that contain inch marks.
        const char* const field = p;
        p = scan_to(p, delim_, unquoted_);
        if (static_cast<std::size_t>(p - field) > opts_.max_field_bytes) {
          fail_too_long(line, column(field));
        }
        if (p == end && !eof_) return false;
        fields_.emplace_back(field, static_cast<std::size_t>(p - field));
      } else {
        const std::uint64_t open_line = line;
        const std::size_t open_column = column(p);
        const std::size_t scratch_begin = scratch_used_;
        bool escaped = false;
        const char* segment = ++p;  // bytes not yet copied to scratch
        for (;;) {
          p = scan_to(p, '"', quoted_);
          if (p == end) {
            // The length first: how much of the field is buffered must not change the message.
            if (scratch_used_ - scratch_begin + static_cast<std::size_t>(p - segment) >
                opts_.max_field_bytes) {
              fail_too_long(open_line, open_column, true);
            }
            if (eof_) fail(open_line, open_column, "unterminated quoted field (opened here)");
            return false;
          }
          if (*p == '"') {
            if (p + 1 == end && !eof_) return false;  // `""` may straddle the refill
            if (p[1] != '"') break;                   // closing quote (p[1] may be the sentinel)
            append_scratch(segment, p + 1);
            escaped = true;
            p += 2;
            segment = p;
            continue;
          }
          if (*p == '\r') {  // CR, CRLF and LF each count as one line
            if (p + 1 == end && !eof_) return false;
            if (p + 1 < end && p[1] == '\n') ++p;
          }
          ++p;
          ++line;
          line_start = p;
        }
        std::string_view cell(segment, static_cast<std::size_t>(p - segment));
        if (escaped) {
          append_scratch(segment, p);
          cell = {scratch_.get() + scratch_begin, scratch_used_ - scratch_begin};
        }
        if (cell.size() > opts_.max_field_bytes) fail_too_long(open_line, open_column, true);
        ++p;
        if (p == end && !eof_) return false;
        if (!unquoted_[byte(*p)]) fail(line, column(p), "unexpected character after closing quote");
        fields_.push_back(cell);
      }
      // p is at a delimiter, CR, LF, or the end of input.
      if (p == end) break;
      if (*p == delim_) {
        ++p;
        continue;
      }
      if (*p == '\r') {
        if (p + 1 == end && !eof_) return false;
        if (p + 1 < end && p[1] == '\n') ++p;
      }
      ++p;
      ++line;
      break;
    }
    record_line_ = line_;
    line_ = line;
    begin_ = static_cast<std::size_t>(p - data);
    record_ = fields_;
    return true;
  }

  std::string name_;
  io::row_sink& sink_;
  const io::csv_options opts_;
  char delim_ = 0;
  byte_table unquoted_{};  // bytes that end an unquoted field
  byte_table quoted_{};    // bytes that need a look inside a quoted field

  // Read, never used, by the last load of scan_to (16 bytes) or load_masks (64 bytes).
  static constexpr std::size_t scan_pad = 63;
  std::unique_ptr<char[]> buf_;  // cap_ + 1 + scan_pad bytes: the '\n' sentinel at end_, then pad
  std::size_t cap_ = 0;
  std::size_t begin_ = 0;  // first unparsed byte
  std::size_t end_ = 0;    // one past the last buffered byte
  bool eof_ = false;

  std::unique_ptr<char[]> scratch_;  // unescaped quoted fields of the current record
  std::size_t scratch_cap_ = 0;
  std::size_t scratch_used_ = 0;

  std::vector<std::string_view> fields_;  // reused for every record of the general loop
  std::vector<std::string_view> plain_;   // cut_plain's fields, and room for 64 more
  std::span<const std::string_view> record_;  // the fields of the record just parsed
  block_masks masks_;                     // the last block cut_plain looked at
  std::uint64_t line_ = 1;                // physical line at begin_
  std::uint64_t record_line_ = 0;
  bool header_seen_ = false;
  std::size_t header_size_ = 0;
};

}  // namespace abmkpi::detail

namespace abmkpi::io {

/// Reads all of `src` as CSV and feeds `sink`: `columns()` once with the first non-blank record
/// (the header), then `row()` per record with as many fields, `ragged_row()` per record with a
/// different count, and `finish()`. `line` is the 1-based physical line where a record starts.
/// Accepts a UTF-8 BOM, LF, CRLF or lone CR line ends, and quoted fields holding delimiters,
/// `""` and line breaks; skips blank lines; passes NUL and invalid UTF-8 through untouched.
/// Empty input (no bytes, only a BOM or blank lines) gives `columns({})` then `finish()`.
/// Returns the delimiter used: `opts.delimiter`, else the most frequent of `,` `;` TAB on the
/// header line (`,` when none or on a tie, then `;`).
/// Throws parse_error (file = src.name(), 1-based line and byte column) for a quote left open at
/// end of input (position of the opening quote), a character after a closing quote, a field over
/// `opts.max_field_bytes` or a record over `opts.max_columns` fields; input_error on a read
/// failure; usage_error when `opts.delimiter` is a quote, CR or LF; whatever the sink throws.
inline char read_csv(byte_source& src, row_sink& sink, const csv_options& opts = {}) {
  abmkpi::detail::csv_parser parser(src.name(), sink, opts);
  auto read = [&src](char* dst, std::size_t n) { return src.read(dst, n); };
  return parser.run(read, opts.block_bytes);
}

/// Same as above for bytes already in memory (tests, fuzzing); `name` is the file name in
/// messages. The bytes go through the same block buffer as a file, so block boundaries behave
/// identically.
inline char read_csv(std::string_view bytes, std::string_view name, row_sink& sink,
                     const csv_options& opts = {}) {
  abmkpi::detail::csv_parser parser(name, sink, opts);
  auto read = [&bytes](char* dst, std::size_t n) {
    const std::size_t k = std::min(n, bytes.size());
    if (k > 0) std::memcpy(dst, bytes.data(), k);
    bytes.remove_prefix(k);
    return k;
  };
  // A small input needs no 1 MiB buffer.
  return parser.run(read, std::min(opts.block_bytes, std::max<std::size_t>(bytes.size(), 1)));
}

}  // namespace abmkpi::io
