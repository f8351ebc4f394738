// Duplicate-id detection in at most 16 bytes per row (issue 3). Under the default policy a
// duplicate fails the run anyway, so ids are only logged as 96-bit hashes with their line and
// checked once, after the pass, by sorting; under --skip-invalid the duplicate row must never be
// counted, so ids are checked exactly as they arrive.
#pragma once

#include <algorithm>      // std::sort
#include <array>          // std::array
#include <cstdint>        // std::uint64_t, std::uint32_t
#include <functional>     // std::hash
#include <optional>       // std::optional
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <unordered_map>  // std::unordered_map
#include <utility>        // std::pair
#include <vector>         // std::vector

namespace abmkpi::io {

/// A logged id: two independent hashes (96 bits: a false duplicate among 10^8 ids has odds of
/// about 10^-13) and the line it was on.
struct id_entry {
  std::uint64_t hash;
  std::uint32_t check;
  std::uint32_t line;
};
static_assert(sizeof(id_entry) == 16);

/// A duplicate found after the pass: the later line and the line of the first occurrence.
struct duplicate_id {
  std::uint64_t line;
  std::uint64_t first_line;
};

namespace detail {
inline std::uint32_t fnv1a32(std::string_view s) noexcept {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

inline bool entry_less(const id_entry& x, const id_entry& y) noexcept {
  return x.hash != y.hash ? x.hash < y.hash : x.check != y.check ? x.check < y.check : x.line < y.line;
}

// One in-place MSD radix pass (American flag) on 8 bits of the hash at `shift`, then the same on
// the next 8 bits within each bucket while buckets are large. 256 write positions stay in cache
// and no second buffer is needed, so memory stays at 16 bytes per id.
inline void radix_sort(id_entry* first, id_entry* last, int shift) {
  const std::size_t n = static_cast<std::size_t>(last - first);
  if (n < 64 || shift < 0) {
    std::sort(first, last, entry_less);
    return;
  }
  std::array<std::size_t, 257> start{};
  for (const id_entry* e = first; e != last; ++e) ++start[((e->hash >> shift) & 255) + 1];
  for (std::size_t b = 0; b < 256; ++b) start[b + 1] += start[b];
  std::array<std::size_t, 256> next;
  for (std::size_t b = 0; b < 256; ++b) next[b] = start[b];
  for (std::size_t b = 0; b < 256; ++b) {
    while (next[b] < start[b + 1]) {
      id_entry e = first[next[b]];
      std::size_t home = (e.hash >> shift) & 255;
      while (home != b) {  // cycle the entry to its bucket
        std::swap(e, first[next[home]++]);
        home = (e.hash >> shift) & 255;
      }
      first[next[b]++] = e;
    }
  }
  for (std::size_t b = 0; b < 256; ++b)
    radix_sort(first + start[b], first + start[b + 1], shift - 8);
}

inline void sort_entries(std::vector<id_entry>& v) { radix_sort(v.data(), v.data() + v.size(), 56); }
}  // namespace detail

/// Remembers ids and finds repeats. `exact` checks at add() time (and keeps the ids);
/// otherwise add() only logs and find_duplicates() reports after the pass.
class id_registry {
 public:
  explicit id_registry(bool exact = false) : exact_(exact) {}

  /// Records `id` seen on `line`. In exact mode returns the line of an earlier occurrence (the
  /// row is then a duplicate and is not recorded); otherwise always nullopt.
  std::optional<std::uint64_t> add(std::string_view id, std::uint64_t line) {
    if (exact_) {
      auto [it, fresh] = seen_.try_emplace(std::string(id), line);
      if (!fresh) return it->second;
      return std::nullopt;
    }
    log_.push_back({std::hash<std::string_view>{}(id), detail::fnv1a32(id),
                    static_cast<std::uint32_t>(line)});
    sorted_ = false;
    return std::nullopt;
  }

  /// Sorts the log now (a parallel piece calls it in its own thread, so the pieces' logs are
  /// sorted side by side). Ids added later unsort it again; nothing is lost.
  void seal() {
    if (!sorted_) detail::sort_entries(log_);
    sorted_ = true;
  }

  /// Reserves room for `n` logged ids. Untouched reserved pages cost no memory, so a generous
  /// estimate from the file size spares the copies (and the doubled peak) of a growing vector.
  void reserve(std::size_t n) {
    if (!exact_) log_.reserve(n);
  }

  /// Takes over another registry's logs (parallel pieces) as they are: each stays a run of its
  /// own, so merging copies nothing and the peak stays at 16 bytes per id.
  void merge(id_registry&& o) {
    o.seal();
    if (!o.log_.empty()) runs_.push_back(std::move(o.log_));
    for (auto& r : o.runs_) runs_.push_back(std::move(r));
    o.log_ = {};
    o.runs_.clear();
  }

  /// The repeats among the logged ids, each with the line of its first occurrence, in line
  /// order; frees the log. Empty in exact mode (repeats were returned by add()).
  std::vector<duplicate_id> find_duplicates() {
    seal();
    if (!log_.empty()) runs_.push_back(std::move(log_));
    log_ = {};
    // A k-way merge of the sorted runs (k is the number of pieces: a linear pick is enough).
    // Equal ids come out together, lowest line first.
    std::vector<std::size_t> head(runs_.size(), 0);
    const auto next = [&]() -> const id_entry* {
      const id_entry* best = nullptr;
      std::size_t from = 0;
      for (std::size_t r = 0; r < runs_.size(); ++r)
        if (head[r] < runs_[r].size() && (!best || detail::entry_less(runs_[r][head[r]], *best))) {
          best = &runs_[r][head[r]];
          from = r;
        }
      if (best) ++head[from];
      return best;
    };
    std::vector<duplicate_id> out;
    const id_entry* first = next();
    while (first) {
      const id_entry* e = next();
      for (; e && e->hash == first->hash && e->check == first->check; e = next())
        out.push_back({e->line, first->line});
      first = e;
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.line < b.line; });
    runs_.clear();
    return out;
  }

  bool exact() const noexcept { return exact_; }

 private:
  bool exact_;
  std::vector<id_entry> log_;
  bool sorted_ = true;
  std::vector<std::vector<id_entry>> runs_;  // sorted logs taken over from pieces
  std::unordered_map<std::string, std::uint64_t> seen_;
};

}  // namespace abmkpi::io
