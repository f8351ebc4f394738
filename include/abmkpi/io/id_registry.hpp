// Duplicate-id detection in at most 16 bytes per row (issue 3), 6 for a file. Under the default
// policy a duplicate fails the run anyway, so ids are only logged as hashes and checked once,
// after the pass:
//  - rescan (a file): while the ids come in a few increasing runs (a file sorted by id), nothing
//    but each run's first and last id (run_log): runs that do not overlap prove every id
//    distinct; when they overlap, the caller reads the ids again, hashing them all. Otherwise 6
//    bytes per id, 56 bits of its hash, filed by the top byte (hash_buckets). Hashes seen twice
//    are suspects, and the caller reads the file again with a registry that checks only the
//    suspects' ids exactly (recheck), which gives the lines and clears a hash collision of two
//    different ids;
//  - lines (stdin, read once): 16 bytes per id, a 96-bit hash and the line.
// Under --skip-invalid the duplicate row must never be counted, so ids are checked exactly as
// they arrive (exact).
#pragma once

#include <sys/mman.h>  // madvise

#include <algorithm>      // std::sort, std::binary_search, std::unique
#include <array>          // std::array
#include <cstdint>        // std::uint64_t, std::uint32_t
#include <cstring>        // std::memcpy
#include <exception>      // std::exception_ptr
#include <optional>       // std::optional
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <thread>         // std::thread
#include <unordered_map>  // std::unordered_map
#include <utility>        // std::swap, std::move
#include <vector>         // std::vector

#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/detail/huge_chunks.hpp"
#include "abmkpi/detail/prefetch.hpp"

namespace abmkpi::io {

/// How an id_registry checks ids.
enum class id_check : std::uint8_t {
  exact,    ///< at add() time, keeping every id (--skip-invalid)
  lines,    ///< after the pass: 16 bytes per id, with its line (an input read only once)
  rescan,   ///< after the pass: 6 bytes per id; suspects() are confirmed by a second read
  recheck,  ///< the second read: only the ids of the given suspect hashes are kept, exactly
};

/// A logged id of `lines` mode: two hashes (96 bits: a false duplicate among 10^8 ids has odds
/// of about 10^-13) and the line it was on.
struct id_entry {
  std::uint64_t hash;
  std::uint32_t check;
  std::uint32_t line;
};
static_assert(sizeof(id_entry) == 16);

/// A duplicate: the later line and the line of the first occurrence.
struct duplicate_id {
  std::uint64_t line;
  std::uint64_t first_line;
};

namespace detail {
/// The 64-bit hash of an id (abmkpi::detail::text_hash; `seed` gives an independent one).
inline std::uint64_t id_hash(std::string_view s, std::uint64_t seed = 0) noexcept {
  return abmkpi::detail::text_hash(s, seed);
}

inline std::uint64_t sort_key(const id_entry& e) noexcept { return e.hash; }
inline bool entry_less(const id_entry& x, const id_entry& y) noexcept {
  return x.hash != y.hash     ? x.hash < y.hash
         : x.check != y.check ? x.check < y.check
                              : x.line < y.line;
}
inline bool same_id(const id_entry& x, const id_entry& y) noexcept {
  return x.hash == y.hash && x.check == y.check;
}

// One in-place MSD radix pass (American flag) on 8 bits of the hash at `shift`, then the same on
// the next 8 bits within each bucket while buckets are large. 256 write positions stay in cache
// and no second buffer is needed, so memory stays at one entry per id.
template <class E>
void radix_sort(E* first, E* last, int shift) {
  const std::size_t n = static_cast<std::size_t>(last - first);
  if (n < 64 || shift < 0) {
    std::sort(first, last, [](const E& x, const E& y) { return entry_less(x, y); });
    return;
  }
  std::array<std::size_t, 257> start{};
  for (const E* e = first; e != last; ++e) ++start[((sort_key(*e) >> shift) & 255) + 1];
  for (std::size_t b = 0; b < 256; ++b) start[b + 1] += start[b];
  std::array<std::size_t, 256> next;
  for (std::size_t b = 0; b < 256; ++b) next[b] = start[b];
  for (std::size_t b = 0; b < 256; ++b) {
    while (next[b] < start[b + 1]) {
      E e = first[next[b]];
      std::size_t home = (sort_key(e) >> shift) & 255;
      while (home != b) {  // cycle the entry to its bucket
        std::swap(e, first[next[home]++]);
        home = (sort_key(e) >> shift) & 255;
      }
      first[next[b]++] = e;
    }
  }
  for (std::size_t b = 0; b < 256; ++b)
    radix_sort(first + start[b], first + start[b + 1], shift - 8);
}

/// Calls fn(first, repeat) for each entry equal (same_id) to an earlier one, over sorted runs
/// merged k ways (k is the number of pieces: a linear pick is enough). Equal ids come out
/// together, in entry_less order.
template <class E, class Fn>
void for_each_repeat(const std::vector<std::vector<E>>& runs, Fn&& fn) {
  std::vector<std::size_t> head(runs.size(), 0);
  const auto next = [&]() -> const E* {
    const E* best = nullptr;
    std::size_t from = 0;
    for (std::size_t r = 0; r < runs.size(); ++r)
      if (head[r] < runs[r].size() && (!best || entry_less(runs[r][head[r]], *best))) {
        best = &runs[r][head[r]];
        from = r;
      }
    if (best) ++head[from];
    return best;
  };
  const E* first = next();
  while (first) {
    const E* e = next();
    for (; e && same_id(*e, *first); e = next()) fn(*first, *e);
    first = e;
  }
}

/// The top 56 bits of 64-bit hashes, filed by their top byte into 256 buckets, each a list of
/// chunks; the byte that names the bucket is not stored, so a hash costs 6 bytes. Appending
/// writes to one of 256 places; finding the repeats visits one bucket at a time with a hash table
/// that fits in cache. Radix-sorting one array of every hash instead was 6-7% of a 10M-row run
/// (~40 ns a hash: its swaps miss the cache). Memory: 6 bytes a hash (8 were 80 of the 200 MiB
/// that issue 3 allows 10M deals), plus at most one partly filled chunk (≤ 6 KiB) per bucket.
class hash_buckets {
 public:
  /// The bits of a hash that are kept: two hashes equal in these are repeats.
  static constexpr std::uint64_t kept = ~std::uint64_t{0xFF};

  void add(std::uint64_t h) {
    const std::size_t b = h >> 56;
    if (at_[b] == end_[b]) grow(b);
    // 256 streams are more than the hardware prefetcher follows: fetch the stream's next cache
    // line now, about 2500 hashes before it is written, or each new line stalls on memory.
    // (As an integer: the address may lie past the chunk, where a pointer may not point.)
    const std::uintptr_t next_line = reinterpret_cast<std::uintptr_t>(at_[b]) + 64;
    abmkpi::detail::prefetch_write(reinterpret_cast<const void*>(next_line));
    // Bits 8..55 of h, little-endian, as two stores from registers (a 6-byte memcpy of a
    // variable went through the stack, and the 2-byte load of its top stalled on the 8-byte
    // store: a fifth of this function's samples).
    const auto low = static_cast<std::uint32_t>(h >> 8);
    const auto high = static_cast<std::uint16_t>(h >> 40);
    std::memcpy(at_[b], &low, sizeof low);
    std::memcpy(at_[b] + sizeof low, &high, sizeof high);
    at_[b] += entry;
  }

  /// Takes over another log's chunks (a parallel piece's), copying no hash.
  void absorb(hash_buckets&& o) {
    for (std::size_t b = 0; b < buckets; ++b) {
      o.close(b);
      for (chunk& c : o.full_[b]) full_[b].push_back(std::move(c));
    }
    o = hash_buckets();
  }

  /// The hashes added more than once, sorted, as their kept bits (the low byte is 0); empties
  /// the log. The buckets are independent: `threads` threads take every threads-th one (a
  /// quarter of a second of 10M ids on one thread, after the pass, when the other cores idle).
  std::vector<std::uint64_t> repeats(unsigned threads = 1) {
    std::size_t n = 0;
    for (std::size_t b = 0; b < buckets; ++b) {
      close(b);
      for (const chunk& c : full_[b]) n += c.used;
    }
    threads = n < (std::size_t{1} << 16) ? 1u : std::max(1u, std::min(threads, 16u));
    std::vector<std::vector<std::uint64_t>> found(threads);
    std::vector<std::exception_ptr> failed(threads);
    const auto share = [&](unsigned t) {
      try {
        scratch_space scratch;
        for (std::size_t b = t; b < buckets; b += threads) bucket_repeats(b, scratch, found[t]);
      } catch (...) {
        failed[t] = std::current_exception();  // std::bad_alloc
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(share, t);
    share(0);
    for (auto& th : pool) th.join();
    for (const auto& e : failed)
      if (e) std::rethrow_exception(e);
    std::vector<std::uint64_t> out;
    for (const auto& f : found) out.insert(out.end(), f.begin(), f.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    *this = hash_buckets();
    return out;
  }

 private:
  static constexpr std::size_t buckets = 256;
  // Appends the hashes of bucket b seen more than once to `out` (a hash seen three times
  // twice), and frees the bucket; `scratch` is reused. A bucket of 10M ids holds ~40k hashes:
  // one table for them all (1 MB) missed the L1 and L2 caches on every probe: a third of the
  // profile's samples after the pass of 10M deals. So the bucket is first split into 256 runs
  // by 8 bits of its hashes multiplied (Fibonacci hashing: hashes whose low or middle bits
  // repeat, not id_hash's but any caller's, must not pile up in a few runs; equal hashes share
  // a run), and each run (~150 hashes) is checked in a table that stays in the L1 cache.
  struct scratch_space {
    std::vector<std::uint64_t> hashes, runs, table;
  };
  void bucket_repeats(std::size_t b, scratch_space& scratch, std::vector<std::uint64_t>& out) {
    constexpr std::uint64_t fibonacci = 0x9E3779B97F4A7C15ULL;
    std::size_t n = 0;
    for (const chunk& c : full_[b]) n += c.used;
    std::vector<std::uint64_t>& hashes = scratch.hashes;
    hashes.resize(n);
    std::array<std::size_t, 257> starts{};
    std::size_t k = 0;
    for (const chunk& c : full_[b])
      for (std::size_t i = 0; i < c.used; ++i) {
        // Two loads, as add() wrote them: a 6-byte memcpy into a uint64 went through the
        // stack, and the 8-byte load of it stalled on the two smaller stores (store
        // forwarding): a third of this function's samples.
        std::uint32_t low = 0;
        std::uint16_t high = 0;
        std::memcpy(&low, c.data.get() + i * entry, sizeof low);
        std::memcpy(&high, c.data.get() + i * entry + sizeof low, sizeof high);
        const std::uint64_t h =
            (std::uint64_t{b} << 56) | (std::uint64_t{high} << 40) | (std::uint64_t{low} << 8);
        hashes[k++] = h;
        ++starts[((h * fibonacci) >> 56) + 1];
      }
    full_[b] = std::vector<chunk>();  // freed bucket by bucket, so the peak does not grow here
    for (std::size_t r = 1; r <= 256; ++r) starts[r] += starts[r - 1];
    std::vector<std::uint64_t>& runs = scratch.runs;
    runs.resize(n);
    std::array<std::size_t, 256> at{};
    std::copy(starts.begin(), starts.end() - 1, at.begin());
    for (const std::uint64_t h : hashes) runs[at[(h * fibonacci) >> 56]++] = h;
    for (std::size_t r = 0; r < 256; ++r)
      run_repeats(runs.data() + starts[r], starts[r + 1] - starts[r], scratch.table, out);
  }
  // Appends the hashes among h[0..n) seen more than once to `out`. Zero marks a free slot in
  // the open-addressing table, so the hash 0 is counted apart.
  static void run_repeats(const std::uint64_t* h, std::size_t n, std::vector<std::uint64_t>& table,
                          std::vector<std::uint64_t>& out) {
    std::size_t size = 16;
    int shift = 60;  // 64 - log2(size)
    while (size < 2 * n) size *= 2, --shift;
    table.assign(size, 0);
    std::size_t zeros = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (h[i] == 0) {
        if (++zeros == 2) out.push_back(0);
        continue;
      }
      // The slot from the hash's middle bits: its top 8 bits chose the run.
      for (std::size_t s = ((h[i] * 0xC2B2AE3D27D4EB4FULL) >> shift);; s = (s + 1) & (size - 1)) {
        if (table[s] == 0) {
          table[s] = h[i];
          break;
        }
        if (table[s] == h[i]) {
          out.push_back(h[i]);
          break;
        }
      }
    }
  }

  static constexpr std::size_t entry = 6;                          // bytes a hash
  // A bucket's open chunk is memory touched before it is used (whole 2 MiB pages, huge_chunks):
  // 256 of 48 KiB were 12 MiB a piece; 6 KiB chunks are 1.5 MiB.
  static constexpr std::size_t first_chunk = 32, max_chunk = 1024;  // hashes
  struct chunk {
    abmkpi::detail::huge_chunks::array<std::uint8_t> data;
    std::size_t used;  // hashes
  };

  // Files the open chunk of bucket b among the full ones (with what it holds).
  void close(std::size_t b) {
    if (!open_[b]) return;
    full_[b].push_back(
        {std::move(open_[b]), static_cast<std::size_t>(at_[b] - open_start(b)) / entry});
    at_[b] = end_[b] = nullptr;
  }
  std::uint8_t* open_start(std::size_t b) const noexcept { return end_[b] - cap_[b] * entry; }
  // Chunks double up to max_chunk, so a small file costs little and a large one few chunks.
  void grow(std::size_t b) {
    close(b);
    cap_[b] = cap_[b] == 0 ? first_chunk : std::min(cap_[b] * 2, max_chunk);
    open_[b] = abmkpi::detail::huge_chunks::make_array<std::uint8_t>(cap_[b] * entry);
    at_[b] = open_[b].get();
    end_[b] = at_[b] + cap_[b] * entry;
  }

  std::array<std::uint8_t*, buckets> at_{}, end_{};  // the open chunk's free space
  std::array<std::size_t, buckets> cap_{};            // hashes
  std::array<abmkpi::detail::huge_chunks::array<std::uint8_t>, buckets> open_;
  std::array<std::vector<chunk>, buckets> full_;
};

/// Ids that arrive in a few increasing runs (byte order), as each run's first and last id. A
/// file sorted by id (a Salesforce Data Loader export, a CRM's export by record id) is one run
/// per piece, and runs that overlap no other hold no id twice: that proves the file free of
/// duplicates with no hash logged. (Hashing and logging every id was 8% of a 10M-deal run,
/// sorted or not; see docs/decisions.md.) Only the first `kept_hashes` ids' hashes are kept, so
/// that ids that turn out unordered early go on to hash_buckets with nothing missing.
class run_log {
 public:
  /// More runs than this and the ids are taken to be unordered.
  static constexpr std::size_t max_runs = 64;
  /// Hashes kept of the first ids (of this log and those it absorbed).
  static constexpr std::size_t kept_hashes = 4096;

  /// Adds `id`. Returns false, having added nothing, when `id` would start run max_runs + 1.
  bool add(std::string_view id) {
    // The open run's last id is kept in a fixed buffer (std::string's assign was a call of 60
    // instructions a row); a longer id is a run of its own.
    if (open_run_ && id.size() <= max_id && after_last(id)) [[likely]] {
      std::memcpy(last_, id.data(), id.size());
      last_size_ = id.size();
    } else {
      if (runs_.size() >= max_runs) return false;
      close_run();
      runs_.push_back({std::string(id), std::string(id)});
      if (id.size() <= max_id) {
        std::memcpy(last_, id.data(), id.size());
        last_size_ = id.size();
        open_run_ = true;
      }
    }
    if (++ids_ <= kept_hashes) hashes_.push_back(id_hash(id));
    return true;
  }

  /// Takes over another log's runs (a parallel piece's).
  void absorb(run_log&& o) {
    close_run();
    o.close_run();
    for (run& r : o.runs_) runs_.push_back(std::move(r));
    ids_ += o.ids_;
    if (ids_ <= kept_hashes) hashes_.insert(hashes_.end(), o.hashes_.begin(), o.hashes_.end());
    o = run_log();
  }

  /// No two runs overlap: then no id was added twice.
  bool distinct() {
    close_run();
    std::vector<const run*> by_first;
    by_first.reserve(runs_.size());
    for (const run& r : runs_) by_first.push_back(&r);
    std::sort(by_first.begin(), by_first.end(),
              [](const run* x, const run* y) { return x->first < y->first; });
    for (std::size_t i = 1; i < by_first.size(); ++i)
      if (by_first[i - 1]->last >= by_first[i]->first) return false;
    return true;
  }

  /// The hashes of every id added, when at most kept_hashes were.
  const std::vector<std::uint64_t>* hashes() const noexcept {
    return ids_ <= kept_hashes ? &hashes_ : nullptr;
  }

 private:
  struct run {
    std::string first, last;
  };

  // id > the open run's last id, in byte order: eight bytes a step, as big-endian words
  // (string_view::compare and memcmp were calls of 40 instructions a row).
  bool after_last(std::string_view id) const noexcept {
    const std::size_t common = std::min(id.size(), last_size_);
    std::size_t i = 0;
    for (; i + 8 <= common; i += 8) {
      std::uint64_t a = 0, b = 0;
      std::memcpy(&a, id.data() + i, 8);
      std::memcpy(&b, last_ + i, 8);
      if (a != b) return __builtin_bswap64(a) > __builtin_bswap64(b);
    }
    for (; i < common; ++i)
      if (id[i] != last_[i])
        return static_cast<unsigned char>(id[i]) > static_cast<unsigned char>(last_[i]);
    return id.size() > last_size_;
  }

  // Files the open run's last id with the run.
  void close_run() {
    if (!open_run_) return;
    runs_.back().last.assign(last_, last_size_);
    open_run_ = false;
  }

  static constexpr std::size_t max_id = 64;  // a UUID has 36 bytes
  std::vector<run> runs_;
  char last_[max_id];  // the open run's last id (open_run_)
  std::size_t last_size_ = 0;
  bool open_run_ = false;
  std::uint64_t ids_ = 0;               // ids added (and absorbed)
  std::vector<std::uint64_t> hashes_;  // of the first kept_hashes
};
}  // namespace detail

/// Remembers ids and finds repeats; see id_check for the modes.
class id_registry {
 public:
  explicit id_registry(id_check mode = id_check::lines) : mode_(mode) {}
  /// A registry for the second read of `rescan` mode: checks exactly the ids whose hash is
  /// among `suspects` (as suspects() returns them; of a full hash only the kept bits count).
  static id_registry recheck(std::vector<std::uint64_t> suspects) {
    id_registry r(id_check::recheck);
    for (std::uint64_t& h : suspects) h &= detail::hash_buckets::kept;
    std::sort(suspects.begin(), suspects.end());
    r.suspects_ = std::move(suspects);
    return r;
  }

  /// Records `id` seen on `line` (lines count from 1). In exact mode returns the line of an
  /// earlier occurrence (the row is then a duplicate and is not recorded); otherwise, and for
  /// a new id, 0. (Not an optional: one read back whole from the stack after a byte store of
  /// its flag stalled on store forwarding, a third of this function's samples on 10M deals.)
  std::uint64_t add(std::string_view id, std::uint64_t line) {
    sorted_ = false;
    if (mode_ == id_check::rescan) [[likely]] {  // every file read under the default policy
      if (in_order_ && runs_.add(id)) [[likely]]
        return 0;
      if (in_order_) leave_order();
      hashes_.add(detail::id_hash(id));
      return 0;
    }
    switch (mode_) {
      case id_check::exact: {
        auto [it, fresh] = seen_.try_emplace(std::string(id), line);
        return fresh ? 0 : it->second;
      }
      case id_check::lines:
        lines_.push_back({detail::id_hash(id), static_cast<std::uint32_t>(detail::id_hash(id, 1)),
                          static_cast<std::uint32_t>(line)});
        break;
      case id_check::rescan: break;  // above
      case id_check::recheck:
        if (std::binary_search(suspects_.begin(), suspects_.end(),
                               detail::id_hash(id) & detail::hash_buckets::kept))
          suspect_lines_[std::string(id)].push_back(line);
        break;
    }
    return 0;
  }

  /// Sorts the log now (a parallel piece calls it in its own thread, so the pieces' logs are
  /// sorted side by side). Ids added later unsort it again; nothing is lost.
  void seal() {
    // Runs of one piece that overlap cannot prove anything after the pass: their hashes go to
    // the buckets now, in the piece's thread.
    if (in_order_ && !runs_.distinct()) leave_order();
    if (!sorted_) detail::radix_sort(lines_.data(), lines_.data() + lines_.size(), 56);
    sorted_ = true;
  }

  /// Reserves room for `n` logged ids. Untouched reserved pages cost no memory, so a generous
  /// estimate from the file size spares the copies (and the doubled peak) of a growing vector.
  void reserve(std::size_t n) {
    if (mode_ == id_check::lines) lines_.reserve(n);
    // The log fills at one id per row: 2 MiB pages spare the kernel a fault per 4 KiB (a few
    // percent of a 10M-row run). Only whole huge pages inside the buffer are marked.
    const auto advise = [](const void* data, std::size_t bytes) {
      const auto begin = reinterpret_cast<std::uintptr_t>(data);
      const std::uintptr_t huge = std::uintptr_t{1} << 21;
      const std::uintptr_t first = (begin + huge - 1) & ~(huge - 1),
                           last = (begin + bytes) & ~(huge - 1);
      if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
    };
    if (mode_ == id_check::lines) advise(lines_.data(), lines_.capacity() * sizeof(id_entry));
  }

  /// Takes over another registry's logs (parallel pieces) as they are: each stays a run of its
  /// own, so merging copies nothing and the peak stays at one entry per id.
  void merge(id_registry&& o) {
    o.seal();
    if (!o.lines_.empty()) line_runs_.push_back(std::move(o.lines_));
    for (auto& r : o.line_runs_) line_runs_.push_back(std::move(r));
    missing_ = missing_ || o.missing_;
    if (in_order_ && o.in_order_) {
      runs_.absorb(std::move(o.runs_));
    } else {
      if (in_order_) leave_order();
      if (o.in_order_) o.leave_order();
    }
    hashes_.absorb(std::move(o.hashes_));
    for (auto& [id, lines] : o.suspect_lines_) {
      auto& mine = suspect_lines_[id];
      mine.insert(mine.end(), lines.begin(), lines.end());
    }
    o = id_registry(o.mode_);
  }

  /// The repeats found, each with the line of its first occurrence, in line order; frees the
  /// log. Empty in exact mode (repeats were returned by add()) and in rescan mode (see suspects).
  std::vector<duplicate_id> find_duplicates() {
    take_log();
    std::vector<duplicate_id> out;
    // Rows waiting for a date order are read late: the first occurrence is the lowest line.
    for (auto& [id, lines] : suspect_lines_) {
      std::sort(lines.begin(), lines.end());
      for (std::size_t i = 1; i < lines.size(); ++i) out.push_back({lines[i], lines[0]});
    }
    detail::for_each_repeat(line_runs_, [&](const id_entry& first, const id_entry& e) {
      out.push_back({e.line, first.line});
    });
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.line < b.line; });
    line_runs_.clear();
    suspect_lines_.clear();
    return out;
  }

  /// In rescan mode: the hashes logged more than once, sorted, as hash_buckets keeps them
  /// (usually none: then there is no duplicate and no second read); frees the log. nullopt when
  /// ids came in a few long increasing runs that overlap: their hashes were not logged, and the
  /// caller reads the file again into a registry of every_hash() to ask it instead.
  std::optional<std::vector<std::uint64_t>> suspects(unsigned threads = 1) {
    if (in_order_) {
      if (runs_.distinct()) {
        runs_ = detail::run_log();
        return std::vector<std::uint64_t>{};
      }
      leave_order();
    }
    if (missing_) {
      *this = id_registry(mode_);
      return std::nullopt;
    }
    return hashes_.repeats(threads);
  }

  /// A rescan registry that logs the hash of every id, ordered or not (suspects() then always
  /// answers).
  static id_registry every_hash() {
    id_registry r(id_check::rescan);
    r.in_order_ = false;
    return r;
  }

  id_check mode() const noexcept { return mode_; }
  bool exact() const noexcept { return mode_ == id_check::exact; }

 private:
  // The ids stopped coming in few increasing runs: their hashes go to the buckets.
  void leave_order() {
    in_order_ = false;
    if (const std::vector<std::uint64_t>* kept = runs_.hashes()) {
      for (const std::uint64_t h : *kept) hashes_.add(h);
    } else {
      missing_ = true;
    }
    runs_ = detail::run_log();
  }

  void take_log() {
    seal();
    if (!lines_.empty()) line_runs_.push_back(std::move(lines_));
    lines_ = {};
  }

  id_check mode_;
  bool sorted_ = true;
  std::vector<id_entry> lines_;       // lines mode: this registry's own log
  detail::hash_buckets hashes_;       // rescan mode: the hashes of this registry and its pieces
  detail::run_log runs_;              // ... while they come in few increasing runs (in_order_)
  bool in_order_ = true;
  bool missing_ = false;  // ids left order after run_log stopped keeping their hashes
  std::vector<std::vector<id_entry>> line_runs_;       // sorted logs taken over from pieces
  std::unordered_map<std::string, std::uint64_t> seen_;  // exact mode
  std::vector<std::uint64_t> suspects_;                 // recheck mode: sorted hashes
  std::unordered_map<std::string, std::vector<std::uint64_t>> suspect_lines_;  // ... their ids
};

}  // namespace abmkpi::io
