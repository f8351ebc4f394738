// Reading one large CSV file on several cores (issue 3): the file is cut into pieces at record
// boundaries, each piece is parsed by its own reader into its own accumulator, and the
// accumulators merge. Sums are exact, so the result is the same for any number of pieces.
//
// A boundary is the first line end after the cut that lies outside quotes; the quote state at the
// cut comes from counting quotes before it. A stray quote inside an unquoted field (`5" screen`)
// can mislead that count, so every piece must end exactly at a record end; when one does not, or
// when pieces disagree about a date column's day/month order, or when anything throws, the caller
// reads the file again sequentially, which reproduces every error exactly.
#pragma once

#include <fcntl.h>     // open
#include <sys/stat.h>  // fstat
#include <unistd.h>    // pread, close

#include <algorithm>    // std::min
#include <cstdint>      // std::uint64_t
#include <exception>    // std::exception_ptr
#include <optional>     // std::optional
#include <string>       // std::string
#include <thread>       // std::thread
#include <utility>      // std::pair
#include <vector>       // std::vector

#include "abmkpi/io/csv.hpp"
#include "abmkpi/io/diagnostics.hpp"
#include "abmkpi/io/input.hpp"
#include "abmkpi/io/progress.hpp"
#include "abmkpi/io/table_reader.hpp"

namespace abmkpi::engine {

namespace detail {
/// A read-only file descriptor, closed on destruction.
struct file_handle {
  int fd = -1;
  explicit file_handle(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~file_handle() {
    if (fd >= 0) ::close(fd);
  }
  file_handle(const file_handle&) = delete;
  file_handle& operator=(const file_handle&) = delete;
  /// pread that retries on EINTR and short reads; returns the bytes read (short only at EOF).
  std::size_t read_at(char* dst, std::size_t n, std::uint64_t offset) const {
    std::size_t done = 0;
    while (done < n) {
      const ssize_t got = ::pread(fd, dst + done, n - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }
};

/// Quotes and line feeds in [begin, end).
struct byte_counts {
  std::uint64_t quotes = 0, newlines = 0;
};
inline byte_counts count_bytes(const file_handle& f, std::uint64_t begin, std::uint64_t end) {
  byte_counts c;
  std::vector<char> buf(1 << 20);
  for (std::uint64_t at = begin; at < end;) {
    const std::size_t got = f.read_at(buf.data(), std::min<std::uint64_t>(buf.size(), end - at), at);
    if (got == 0) break;
    // One pass counting both, in 64-byte blocks whose fixed-length inner loop the compiler
    // turns into vector compares (two std::count calls were 7% of a 10M-row run).
    const char* p = buf.data();
    std::size_t i = 0;
    for (; i + 64 <= got; i += 64) {
      unsigned q = 0, n = 0;
      for (std::size_t j = 0; j < 64; ++j) {
        q += p[i + j] == '"';
        n += p[i + j] == '\n';
      }
      c.quotes += q;
      c.newlines += n;
    }
    for (; i < got; ++i) {
      c.quotes += p[i] == '"';
      c.newlines += p[i] == '\n';
    }
    at += got;
  }
  return c;
}

/// The first offset after a '\n' outside quotes at or after `from`, given whether `from` is
/// inside quotes; `size` when there is none. Also counts the line feeds skipped.
inline std::uint64_t next_record_start(const file_handle& f, std::uint64_t from, std::uint64_t size,
                                       bool in_quotes, std::uint64_t& newlines) {
  std::vector<char> buf(1 << 16);
  for (std::uint64_t at = from; at < size;) {
    const std::size_t got = f.read_at(buf.data(), std::min<std::uint64_t>(buf.size(), size - at), at);
    if (got == 0) break;
    for (std::size_t i = 0; i < got; ++i) {
      if (buf[i] == '"') in_quotes = !in_quotes;
      if (buf[i] != '\n') continue;
      ++newlines;
      if (!in_quotes) return at + i + 1;
    }
    at += got;
  }
  return size;
}

/// Captures a CSV header (names and delimiter) and stops the parse.
struct header_sink final : io::row_sink {
  struct stop {};
  std::vector<std::string> names;
  char delimiter = 0;
  void csv_delimiter(char d) override { delimiter = d; }
  void columns(std::span<const std::string_view> n) override {
    names.assign(n.begin(), n.end());
    throw stop{};
  }
  void row(std::span<const std::string_view>, std::uint64_t) override {}
  void ragged_row(std::span<const std::string_view>, std::uint64_t) override {}
  void finish() override {}
};

/// The warnings of one piece, for the caller to replay in piece order.
struct piece_log {
  std::vector<std::string> warnings;
};
}  // namespace detail

/// Reads the CSV file `path` in `threads` pieces into `out`, each piece through a consumer made
/// by `make_consumer()` and a table_reader made by `make_reader(diag, consumer)`. Returns false, having changed nothing
/// in `out`, `main` or `diag`, when the file should be read sequentially instead (too small, not a
/// regular file, a boundary that is not a record end, pieces disagreeing on a date order, any
/// error). On success the merged reader state is in `main` (summary, table state, ids).
template <class Table, class Consumer, class MakeConsumer, class MakeReader>
bool read_csv_parallel(const std::string& path, unsigned threads, std::uint64_t min_bytes,
                       const io::read_limits& limits, io::diagnostics& diag, Consumer& out,
                       io::table_reader<Table, Consumer>& main, MakeConsumer make_consumer,
                       MakeReader make_reader) {
  if (threads < 2 || path == "-") return false;
  detail::file_handle f(path);
  struct stat st {};
  if (f.fd < 0 || ::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < min_bytes || size < threads * 2ULL) return false;

  // The header: names and delimiter, from the first MiB.
  detail::header_sink header;
  {
    std::string head(std::min<std::uint64_t>(size, 1 << 20), '\0');
    head.resize(f.read_at(head.data(), head.size(), 0));
    io::check_text_start(head, path);
    try {
      io::read_csv(head, path, header);
    } catch (const detail::header_sink::stop&) {
    } catch (...) {
      return false;
    }
    if (header.names.empty() || header.delimiter == 0) return false;
  }

  // Quote parity and line numbers at each cut, counted in parallel.
  std::vector<std::uint64_t> cuts(threads + 1);
  for (unsigned i = 0; i <= threads; ++i) cuts[i] = size * i / threads;
  std::vector<detail::byte_counts> counts(threads);
  {
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < threads; ++i)
      pool.emplace_back([&, i] { counts[i] = detail::count_bytes(f, cuts[i], cuts[i + 1]); });
    for (auto& t : pool) t.join();
  }
  std::vector<std::uint64_t> starts{0}, lines{1};
  std::uint64_t quotes = 0, newlines = 0;
  for (unsigned i = 1; i < threads; ++i) {
    quotes += counts[i - 1].quotes;
    newlines += counts[i - 1].newlines;
    std::uint64_t skipped = 0;
    const std::uint64_t b = detail::next_record_start(f, cuts[i], size, quotes % 2 == 1, skipped);
    if (b <= starts.back() || b >= size) continue;
    starts.push_back(b);
    lines.push_back(1 + newlines + skipped);
  }
  starts.push_back(size);
  const std::size_t pieces = starts.size() - 1;
  if (pieces < 2) return false;

  // Each piece: its own diagnostics (buffered), consumer and reader.
  std::vector<detail::piece_log> logs(pieces);
  std::vector<io::diagnostics> diags;
  diags.reserve(pieces);  // readers keep references: no reallocation after this
  std::vector<Consumer> consumers;
  consumers.reserve(pieces);  // readers keep references: no reallocation after this
  for (std::size_t i = 0; i < pieces; ++i) consumers.push_back(make_consumer());
  std::vector<std::optional<io::table_reader<Table, Consumer>>> readers(pieces);
  for (std::size_t i = 0; i < pieces; ++i) {
    detail::piece_log* log = &logs[i];
    diags.emplace_back(
        diag.policy(), [log](std::string_view m) { log->warnings.emplace_back(m); },
        diag.max_shown());
    readers[i].emplace(make_reader(diags[i], consumers[i]));
    readers[i]->defer_dates();
  }
  std::vector<std::exception_ptr> failures(pieces);
  {
    std::vector<std::thread> pool;
    for (std::size_t i = 0; i < pieces; ++i)
      pool.emplace_back([&, i] {
        try {
          io::csv_options opts = io::csv_options_for(limits);
          opts.delimiter = header.delimiter;
          if (i > 0) {
            opts.header_fields = header.names.size();
            opts.first_line = lines[i];
            std::vector<std::string_view> names(header.names.begin(), header.names.end());
            readers[i]->csv_delimiter(header.delimiter);
            readers[i]->columns(names);
          }
          std::uint64_t at = starts[i];
          const std::uint64_t end = starts[i + 1];
          auto read = [&](char* dst, std::size_t n) {
            const std::size_t got = f.read_at(dst, std::min<std::uint64_t>(n, end - at), at);
            at += got;
            io::note_bytes_read(got);
            return got;
          };
          abmkpi::detail::csv_parser parser(path, *readers[i], opts);
          parser.run(read, opts.block_bytes);
          readers[i]->table().finish_piece();
        } catch (...) {
          failures[i] = std::current_exception();
        }
      });
    for (auto& t : pool) t.join();
  }
  for (const auto& e : failures)
    if (e) return false;  // a misplaced cut, or a real error the sequential read will report

  // One day/month order per date column over all pieces, as a sequential read would find.
  const std::size_t columns = Table::columns().size();
  std::vector<io::date_order> orders(columns, io::date_order::undecided);
  std::vector<std::optional<io::date_shape>> shapes(columns);
  for (auto& r : readers) {
    const auto o = r->date_orders();
    const auto sh = r->ambiguous_shapes();
    for (std::size_t c = 0; c < columns; ++c) {
      if (o[c] != io::date_order::undecided) {
        if (orders[c] != io::date_order::undecided && orders[c] != o[c]) return false;
        orders[c] = o[c];
      }
      if (!shapes[c] && sh[c]) shapes[c] = sh[c];
    }
  }
  try {
    for (std::size_t c = 0; c < columns; ++c)
      if (orders[c] == io::date_order::undecided && shapes[c])
        orders[c] = readers[0]->default_order(*shapes[c], c);
    for (auto& r : readers) {
      r->resolve_dates(orders);
      if (r->has_waiting_rows()) return false;  // waits on a column no piece decided: read again
    }
  } catch (...) {
    return false;
  }

  // Merge in file order: accumulators, counts, ids, then the messages sorted by line.
  for (std::size_t i = 0; i < pieces; ++i) {
    // The first piece moves in whole; each merged piece is freed at once, which keeps the peak
    // at one copy of the per-account state.
    if (i == 0)
      out = std::move(consumers[0]);
    else
      out.merge(consumers[i]);
    consumers[i] = make_consumer();
    main.merge_summary(readers[i]->summary());
    main.table().merge_state(std::move(readers[i]->table()));
  }
  main.adopt_binding(*readers[0]);
  for (auto& l : logs)
    for (const auto& w : l.warnings) diag.replay_line(w);
  for (auto& d : diags) {
    for (const auto& n : d.notes()) diag.note(n);
    diag.absorb(d);
    d = io::diagnostics(diag.policy());  // absorbed: the piece must not show them again
  }
  return true;
}

}  // namespace abmkpi::engine
