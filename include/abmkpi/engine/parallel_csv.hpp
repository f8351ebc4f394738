// Reading one large CSV file on several cores (issue 3): the file is cut into pieces at record
// boundaries, each piece is parsed by its own reader into its own accumulator, and the
// accumulators merge. Sums are exact, so the result is the same for any number of pieces.
//
// A cut moves to the next line end. Where no quoted field of the file's first MiB holds a line
// break, that line end is taken as it is; otherwise the quotes before the cut are counted, and a
// line end outside quotes is taken. Either way the cut is only a guess (a stray quote inside an
// unquoted field, `5" screen`, misleads the count), and it is proved by parsing: the piece before
// it must end exactly at a record end, or it fails with an open quote. When a guess fails, the
// counted cuts are tried, then the caller reads the file sequentially (as also when pieces
// disagree about a date column's day/month order, or anything throws), which reproduces every
// error exactly.
//
// Work stealing: the cores of a VM do not give equal time, and two equal pieces ended up to
// 0.9 s apart in a 2.5 s run. A thread done with its piece splits the piece with the most left
// (piece_ranges): the second half of its unread bytes, from a line end on, becomes a new piece
// right after it in file order. That cut is a guess like the first ones and is proved the same
// way; with counted cuts nothing is stolen.
//
// Line numbers: a piece starts counting at an unknown line, so each counts its own line breaks
// and the true first lines follow in file order after the parse. A piece that reported anything
// (only clean pieces are common) is then parsed again from its true line, so every message
// carries the line a sequential read gives.
#pragma once

#include <fcntl.h>     // open
#include <sys/stat.h>  // fstat
#include <unistd.h>    // pread, close

#include <algorithm>    // std::min, std::sort, std::is_sorted
#include <cstdint>      // std::uint64_t
#include <exception>    // std::exception_ptr
#include <functional>   // std::function
#include <mutex>        // std::mutex, std::lock_guard
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

/// The quotes in [begin, end), in 64-byte blocks whose fixed-length inner loop the compiler turns
/// into vector compares.
inline std::uint64_t count_quotes(const file_handle& f, std::uint64_t begin, std::uint64_t end) {
  std::uint64_t quotes = 0;
  std::vector<char> buf(1 << 18);
  for (std::uint64_t at = begin; at < end;) {
    const std::size_t got =
        f.read_at(buf.data(), std::min<std::uint64_t>(buf.size(), end - at), at);
    if (got == 0) break;
    const char* p = buf.data();
    std::size_t i = 0;
    for (; i + 64 <= got; i += 64) {
      unsigned q = 0;
      for (std::size_t j = 0; j < 64; ++j) q += p[i + j] == '"';
      quotes += q;
    }
    for (; i < got; ++i) quotes += p[i] == '"';
    at += got;
  }
  return quotes;
}

/// True when a quoted field of `head` (the file's first bytes) holds a line break: the file's
/// quotes then decide where records end, and cuts are placed by counting them.
inline bool has_multiline_field(std::string_view head) noexcept {
  bool quoted = false;
  for (const char c : head) {
    if (c == '"') quoted = !quoted;
    if (quoted && (c == '\n' || c == '\r')) return true;
  }
  return false;
}

/// The first offset after a '\n' outside quotes at or after `from`, given whether `from` is
/// inside quotes; `size` when there is none.
inline std::uint64_t next_record_start(const file_handle& f, std::uint64_t from, std::uint64_t size,
                                       bool in_quotes) {
  std::vector<char> buf(1 << 16);
  for (std::uint64_t at = from; at < size;) {
    const std::size_t got =
        f.read_at(buf.data(), std::min<std::uint64_t>(buf.size(), size - at), at);
    if (got == 0) break;
    for (std::size_t i = 0; i < got; ++i) {
      if (buf[i] == '"') in_quotes = !in_quotes;
      if (buf[i] == '\n' && !in_quotes) return at + i + 1;
    }
    at += got;
  }
  return size;
}

/// Where each piece starts (then the file size): the cuts size × i / threads moved to a record
/// start, by counting quotes before them when `counted`, else at the next line feed. Pieces that
/// would be empty are dropped. `first_share` > 0 gives the first piece that share of the file
/// and the others equal parts of the rest.
inline std::vector<std::uint64_t> piece_starts(const file_handle& f, std::uint64_t size,
                                               unsigned threads, bool counted,
                                               double first_share = 0) {
  std::vector<std::uint64_t> cuts(threads + 1);
  const auto first = first_share > 0
                         ? static_cast<std::uint64_t>(static_cast<double>(size) * first_share)
                         : size / threads;
  for (unsigned i = 1; i <= threads; ++i)
    cuts[i] = first + (size - first) * (i - 1) / (threads - 1);
  std::vector<std::uint64_t> quotes(threads, 0);
  if (counted) {
    std::vector<std::thread> pool;
    for (unsigned i = 0; i + 1 < threads; ++i)
      pool.emplace_back([&, i] { quotes[i] = count_quotes(f, cuts[i], cuts[i + 1]); });
    for (auto& t : pool) t.join();
  }
  std::vector<std::uint64_t> starts{0};
  std::uint64_t before = 0;  // quotes before cuts[i]
  for (unsigned i = 1; i < threads; ++i) {
    before += quotes[i - 1];
    const std::uint64_t b = next_record_start(f, cuts[i], size, before % 2 == 1);
    if (b > starts.back() && b < size) starts.push_back(b);
  }
  starts.push_back(size);
  return starts;
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

/// A T on cache lines of its own, as an element of a vector of the pieces' objects. Each piece's
/// thread writes its consumer and reader on every row; neighbours in one vector shared the
/// lines where one ends and the next begins, and the two threads took those lines from each
/// other (false sharing). 128 bytes: the CPU fetches lines in aligned pairs. Measured on 10M deals
/// --by segment, two threads: see docs/decisions.md.
template <class T>
struct alignas(128) own_lines : T {
  using T::T;
  own_lines() = default;
  own_lines(T&& t) : T(std::move(t)) {}  // NOLINT(google-explicit-constructor): as a T
  own_lines& operator=(T&& t) {
    T::operator=(std::move(t));
    return *this;
  }
};

/// The byte range of each piece and how far its reader has taken it, shared by the threads.
/// A thread that has read its own piece splits the piece with the most bytes left: the second
/// half, from a line end on, becomes a new piece right after it in file order (work stealing).
/// Pieces are numbered in order of creation; in_file_order() sorts them.
class piece_ranges {
 public:
  piece_ranges(const std::vector<std::uint64_t>& starts, std::size_t max_pieces)
      : max_pieces_(max_pieces) {
    for (std::size_t i = 0; i + 1 < starts.size(); ++i)
      ranges_.push_back({starts[i], starts[i], starts[i + 1]});
  }
  /// The next at most `n` bytes of piece i, as (offset, length); length 0 at its end.
  std::pair<std::uint64_t, std::size_t> take(std::size_t i, std::size_t n) {
    const std::lock_guard<std::mutex> lock(mutex_);
    range& r = ranges_[i];
    const auto len = static_cast<std::size_t>(std::min<std::uint64_t>(n, r.end - r.next));
    r.next += len;
    return {r.next - len, len};
  }
  /// Reads piece i from its start again (its bytes are final once no thread steals).
  void rewind(std::size_t i) {
    const std::lock_guard<std::mutex> lock(mutex_);
    ranges_[i].next = ranges_[i].begin;
  }
  /// Splits the piece with the most bytes not yet taken, when those are at least `min_bytes`
  /// and there is room for another piece: its end moves to the first record start after the
  /// middle of its unread bytes, which `cut(from, to)` finds (`to` when there is none). Returns
  /// the new piece's number, or nothing.
  template <class Cut>
  std::optional<std::size_t> steal(std::uint64_t min_bytes, Cut&& cut) {
    std::size_t victim = 0;
    std::uint64_t middle = 0, end = 0;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (ranges_.size() >= max_pieces_) return std::nullopt;
      std::uint64_t most = 0;
      for (std::size_t i = 0; i < ranges_.size(); ++i)
        if (ranges_[i].end - ranges_[i].next > most) {
          most = ranges_[i].end - ranges_[i].next;
          victim = i;
        }
      if (most < min_bytes || most < 2) return std::nullopt;
      middle = ranges_[victim].next + most / 2;
      end = ranges_[victim].end;
    }
    const std::uint64_t at = cut(middle, end);  // a read of the file: outside the lock
    const std::lock_guard<std::mutex> lock(mutex_);
    range& r = ranges_[victim];
    // The victim's reader may have taken bytes past the cut meanwhile.
    if (at >= r.end || at <= r.next || r.end != end) return std::nullopt;
    r.end = at;
    ranges_.push_back({at, at, end});  // after the last use of r: push_back may move it
    return ranges_.size() - 1;
  }
  /// Pieces so far (after the threads are done: all of them).
  std::size_t size() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return ranges_.size();
  }
  /// Where piece i starts. Locked: a steal may move the ranges meanwhile.
  std::uint64_t begin(std::size_t i) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return ranges_[i].begin;
  }
  /// The pieces' numbers, by where they start in the file.
  std::vector<std::size_t> in_file_order() {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::size_t> order(ranges_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return ranges_[a].begin < ranges_[b].begin; });
    return order;
  }

 private:
  struct range {
    std::uint64_t begin, next, end;
  };
  std::mutex mutex_;
  std::vector<range> ranges_;  // read and written under mutex_ while threads run
  std::size_t max_pieces_;
};
}  // namespace detail

/// What read_csv_parallel did (for tests).
struct parallel_stats {
  std::size_t pieces = 0;  ///< pieces of the read that succeeded
  std::size_t steals = 0;  ///< pieces split off by a thread done early, in every attempt
  bool counted = false;    ///< the cuts were placed by counting quotes (no steals then)
  bool out_of_order = false;  ///< a stolen piece lies before a piece made earlier
};

/// How read_csv_parallel splits a file, beyond its thread count.
struct parallel_options {
  /// A piece with fewer bytes left unread is not split for a thread that has finished: the
  /// new piece's consumer costs a merge (about 20 ms with 100k accounts), which half of a
  /// smaller rest would not win back.
  std::uint64_t steal_min_bytes = 32 << 20;
  /// Pieces a split may add in all: each holds a consumer until the merge, which costs memory.
  unsigned max_steals = 1;
  /// Bytes per read (tests: small, so that a piece is read in many steps).
  std::size_t block_bytes = 0;  // 0: csv_options' default
  /// Tests: the first piece's share of the file (0: equal pieces), so that its thread finishes
  /// first; and where to tell what was done.
  double first_share = 0;
  parallel_stats* stats = nullptr;
  /// Tests: called in a thread before it reads one of the first pieces (by its number). A test
  /// holds the big piece's thread back in it, so that the other thread surely finishes first
  /// and steals: left to the scheduler, that thread sometimes had not started by then.
  std::function<void(std::size_t)> before_piece;
};

/// Reads the CSV file `path` in `threads` pieces into `out`, each piece through a consumer made
/// by `make_consumer()` and a table_reader made by `make_reader(diag, consumer)`. Returns false,
/// having changed nothing in `out`, `main` or `diag`, when the file should be read sequentially
/// instead (too small, not a regular file, a boundary that is not a record end, pieces disagreeing
/// on a date order, any error). On success the merged reader state is in `main` (summary, table
/// state, ids).
template <class Table, class Consumer, class MakeConsumer, class MakeReader>
bool read_csv_parallel(const std::string& path, unsigned threads, std::uint64_t min_bytes,
                       const io::read_limits& limits, io::diagnostics& diag, Consumer& out,
                       io::table_reader<Table, Consumer>& main, MakeConsumer make_consumer,
                       MakeReader make_reader, const parallel_options& opts = {}) {
  if (threads < 2 || path == "-") return false;
  detail::file_handle f(path);
  struct stat st {};
  if (f.fd < 0 || ::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < min_bytes || size < threads * 2ULL) return false;

  // The header: names and delimiter, from the first MiB.
  detail::header_sink header;
  bool multiline = false;
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
    multiline = detail::has_multiline_field(head);
  }

  // Each piece: its own diagnostics (buffered), consumer and reader, made again to parse the
  // piece again. Numbered in order of creation (a stolen piece comes last); `order` lists them
  // in file order once the threads are done.
  const std::size_t max_pieces = threads + opts.max_steals;
  std::optional<detail::piece_ranges> ranges;
  bool stealing = false;
  // The line each piece was parsed from (1 for a later piece, until those before it are read),
  // and the line after its last byte as counted from there.
  std::vector<std::uint64_t> lines, ends;
  std::vector<detail::piece_log> logs;
  std::vector<detail::own_lines<io::diagnostics>> diags;
  std::vector<detail::own_lines<Consumer>> consumers;
  std::vector<detail::own_lines<std::optional<io::table_reader<Table, Consumer>>>> readers;
  const auto parse = [&](std::size_t i) {
    logs[i] = {};
    detail::piece_log* log = &logs[i];
    diags[i] = io::diagnostics(
        diag.policy(), [log](std::string_view m) { log->warnings.emplace_back(m); },
        diag.max_shown());
    consumers[i] = make_consumer();
    readers[i].emplace(make_reader(diags[i], consumers[i]));
    readers[i]->defer_dates();
    io::csv_options csv = io::csv_options_for(limits);
    if (opts.block_bytes > 0) csv.block_bytes = opts.block_bytes;
    csv.delimiter = header.delimiter;
    csv.first_line = lines[i];
    if (ranges->begin(i) > 0) {
      csv.header_fields = header.names.size();
      std::vector<std::string_view> names(header.names.begin(), header.names.end());
      readers[i]->csv_delimiter(header.delimiter);
      readers[i]->columns(names);
    }
    ranges->rewind(i);
    auto read = [&](char* dst, std::size_t n) {
      const auto [at, len] = ranges->take(i, n);
      const std::size_t got = f.read_at(dst, len, at);
      io::note_bytes_read(got);
      return got;
    };
    abmkpi::detail::csv_parser parser(path, *readers[i], csv);
    parser.run(read, csv.block_bytes);
    ends[i] = parser.next_line();
    readers[i]->table().finish_piece();
  };
  // A record start for a steal: the byte after the first line feed in [from, to), else `to`.
  // Only taken where no quoted field of the file's first MiB holds a line break; a wrong guess
  // fails the piece before it, as for the first cuts.
  const auto cut = [&](std::uint64_t from, std::uint64_t to) {
    return detail::next_record_start(f, from, to, false);
  };
  // Parses the pieces `which` side by side, one thread each; a thread done with its piece then
  // takes part of another while `stealing`. False when any piece threw.
  const auto parse_all = [&](const std::vector<std::size_t>& which) {
    std::vector<std::exception_ptr> failures(which.size());
    std::vector<std::thread> pool;
    for (std::size_t k = 0; k < which.size(); ++k)
      pool.emplace_back([&, k] {
        try {
          if (opts.before_piece) opts.before_piece(which[k]);
          parse(which[k]);
          while (stealing)
            if (const auto piece = ranges->steal(opts.steal_min_bytes, cut))
              parse(*piece);
            else
              break;
        } catch (...) {
          failures[k] = std::current_exception();
        }
      });
    for (auto& t : pool) t.join();
    for (const auto& e : failures)
      if (e) return false;  // a misplaced cut, or a real error the sequential read will report
    return true;
  };
  bool parsed = false;
  for (const bool counted : {multiline, true}) {
    const std::vector<std::uint64_t> starts =
        detail::piece_starts(f, size, threads, counted, opts.first_share);
    if (starts.size() < 3) return false;  // one piece
    ranges.emplace(starts, max_pieces);
    stealing = !counted && opts.max_steals > 0;
    // Room for every piece a steal may add: readers keep references, so no reallocation.
    lines.assign(max_pieces, 1);  // a later piece's true line: known once those before are read
    ends.assign(max_pieces, 0);
    logs.assign(max_pieces, {});
    diags.clear();
    diags.reserve(max_pieces);
    for (std::size_t i = 0; i < max_pieces; ++i) diags.emplace_back(diag.policy());
    consumers.clear();
    consumers.reserve(max_pieces);
    for (std::size_t i = 0; i < max_pieces; ++i) consumers.push_back(make_consumer());
    readers.clear();
    readers.resize(max_pieces);
    std::vector<std::size_t> first(starts.size() - 1);
    for (std::size_t i = 0; i < first.size(); ++i) first[i] = i;
    parsed = parse_all(first);
    if (opts.stats != nullptr) {
      opts.stats->steals += ranges->size() - first.size();
      opts.stats->counted = counted;
    }
    if (parsed || counted) break;
  }
  if (!parsed) return false;
  stealing = false;
  const std::vector<std::size_t> order = ranges->in_file_order();
  if (opts.stats != nullptr) {
    opts.stats->pieces = order.size();
    opts.stats->out_of_order = !std::is_sorted(order.begin(), order.end());
  }
  // One day/month order per date column over all pieces, as a sequential read would find.
  const std::size_t columns = Table::columns().size();
  std::vector<io::date_order> orders(columns, io::date_order::undecided);
  std::vector<std::optional<io::date_shape>> shapes(columns);
  for (const std::size_t i : order) {
    const auto o = readers[i]->date_orders();
    const auto sh = readers[i]->ambiguous_shapes();
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
        orders[c] = readers[order[0]]->default_order(*shapes[c], c);
    const auto resolve = [&](std::size_t i) {
      readers[i]->resolve_dates(orders);
      return !readers[i]->has_waiting_rows();  // else waits on a column no piece decided
    };
    for (const std::size_t i : order)
      if (!resolve(i)) return false;
    // The true first lines, in file order; a piece that reported anything is read again from
    // its own, so that its messages name the right lines.
    std::vector<std::size_t> again;
    for (std::size_t k = 1; k < order.size(); ++k) {
      const std::size_t i = order[k];
      const std::uint64_t line = ends[order[k - 1]];
      ends[i] = line + (ends[i] - lines[i]);
      const bool reported = diags[i].row_error_count() > 0 || !logs[i].warnings.empty();
      lines[i] = line;
      if (reported) again.push_back(i);
    }
    if (!again.empty() && !parse_all(again)) return false;
    for (const std::size_t i : again)
      if (!resolve(i)) return false;
  } catch (...) {
    return false;
  }

  // Merge in file order: accumulators, counts, ids, then the messages sorted by line.
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    // The first piece moves in whole; each merged piece is freed at once, which keeps the peak
    // at one copy of the per-account state.
    if (k == 0)
      out = std::move(consumers[i]);
    else
      out.merge(consumers[i]);
    consumers[i] = make_consumer();
    main.merge_summary(readers[i]->summary());
    main.table().merge_state(std::move(readers[i]->table()));
  }
  main.adopt_binding(*readers[order[0]]);
  for (const std::size_t i : order)
    for (const auto& w : logs[i].warnings) diag.replay_line(w);
  for (const std::size_t i : order) {
    io::diagnostics& d = diags[i];
    for (const auto& n : d.notes()) diag.note(n);
    diag.absorb(d);
    d = io::diagnostics(diag.policy());  // absorbed: the piece must not show them again
  }
  return true;
}

}  // namespace abmkpi::engine
