// Open-addressing hash maps for the hot per-row lookups (a day's cycle histogram, an account by
// id): one probe sequence over a flat array instead of a node per entry.
#pragma once

#include <bit>          // std::endian
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint64_t
#include <cstring>      // std::memcpy
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <thread>       // std::thread
#include <utility>      // std::pair
#include <vector>       // std::vector

#include "abmkpi/detail/prefetch.hpp"

namespace abmkpi::detail {

/// 64-bit finalizer (splitmix64): spreads keys that differ in few bits.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// The first 8 bytes of `s` as an integer, zero-padded (a cheap key for short tokens). Built
/// from whole loads, never past the end: copying a short token's bytes into a zeroed word and
/// reading it back stalls on store forwarding, which made this a tenth of token_cache's time.
constexpr std::uint64_t first_bytes(std::string_view s) noexcept {
  static_assert(std::endian::native == std::endian::little, "byte i of the key is byte i of s");
  if (std::is_constant_evaluated()) {  // a literal's key, at compile time
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < s.size() && i < 8; ++i)
      v |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
    return v;
  }
  const char* p = s.data();
  const std::size_t n = s.size();
  if (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  if (n >= 4) {  // two overlapping 4-byte loads; the shared bytes are equal, so OR keeps them
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return std::uint64_t{lo} | std::uint64_t{hi} << (8 * (n - 4));
  }
  if (n == 0) return 0;
  const auto byte = [&](std::size_t i) {
    return std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  };
  return byte(0) | byte(n / 2) | byte(n - 1);
}

/// Whether the n bytes at `a` and `b` are equal, by words (the last overlapping the one before)
/// instead of a memcmp call: the short keys of the account and string indexes are compared on
/// every lookup.
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n < 8) return first_bytes({a, n}) == first_bytes({b, n});
  std::uint64_t x, y;
  for (std::size_t i = 0; i + 8 < n; i += 8) {
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  std::memcpy(&x, a + n - 8, 8);
  std::memcpy(&y, b + n - 8, 8);
  return x == y;
}

/// A 64-bit hash of a short text (ids, account keys), a word at a time. A text of 8 bytes or
/// more ends with its last 8 bytes, overlapping the word before; a shorter one is one
/// zero-padded word (first_bytes). The length is in the seed, so neither can make two texts
/// hash alike more often than chance. No byte loop and no library call: std::hash's
/// _Hash_bytes took 43 instructions a deal for an 8-byte account id.
inline std::uint64_t text_hash(std::string_view s, std::uint64_t seed = 0) noexcept {
  // Each word is mixed in by a full finalizer, so the seed and length need not be mixed first.
  std::uint64_t h = seed ^ (s.size() * 0x9E3779B97F4A7C15ULL);
  if (s.size() < 8) return mix64(h ^ first_bytes(s));
  const char* p = s.data();
  const char* const last = p + s.size() - 8;
  std::uint64_t w;
  for (; p < last; p += 8) {
    std::memcpy(&w, p, 8);
    h = mix64(h ^ w);
  }
  std::memcpy(&w, last, 8);
  return mix64(h ^ w);
}

/// uint64 → int64 counters. Key ~0 is reserved.
class counter_map {
 public:
  std::int64_t& operator[](std::uint64_t key) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t i = mix64(key) & (slots_.size() - 1);
    while (slots_[i].first != empty && slots_[i].first != key) i = (i + 1) & (slots_.size() - 1);
    if (slots_[i].first == empty) {
      slots_[i].first = key;
      ++size_;
    }
    return slots_[i].second;
  }
  /// Asks the CPU to fetch the first slot of `key`, so that a lookup a little later does not
  /// wait for memory.
  void prefetch(std::uint64_t key) const noexcept {
    if (!slots_.empty()) abmkpi::detail::prefetch(&slots_[mix64(key) & (slots_.size() - 1)]);
  }
  /// Calls fn(key, count) for every entry.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const auto& [k, v] : slots_)
      if (k != empty) fn(k, v);
  }

 private:
  static constexpr std::uint64_t empty = ~std::uint64_t{0};
  void grow() {
    std::vector<std::pair<std::uint64_t, std::int64_t>> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, {empty, 0});
    size_ = 0;
    for (const auto& [k, v] : old)
      if (k != empty) (*this)[k] = v;
  }
  std::vector<std::pair<std::uint64_t, std::int64_t>> slots_;
  std::size_t size_ = 0;
};

/// Strings → dense indices 0, 1, 2... in order of first appearance, with the strings kept.
/// A short key (most CRM ids) is also kept in its slot, so a lookup reads one cache line of the
/// table and not the key's string too: with 100k accounts every row's lookup misses the cache,
/// and a second miss per row cost about a tenth of a 10M-row run.
class string_index {
 public:
  /// The hash find_or_add uses for `s`.
  static std::uint64_t hash(std::string_view s) noexcept { return text_hash(s); }
  /// Asks the CPU to fetch the first slot of hash `h`, so that a lookup a little later does not
  /// wait for memory.
  void prefetch(std::uint64_t h) const noexcept {
    if (!slots_.empty()) abmkpi::detail::prefetch(&slots_[h & (slots_.size() - 1)]);
  }
  /// The index of `s`, adding it when new; `added` says which.
  std::size_t find_or_add(std::string_view s, bool& added) {
    return find_or_add(s, hash(s), added);
  }
  /// The same, for `h` == hash(s).
  std::size_t find_or_add(std::string_view s, std::uint64_t h, bool& added) {
    return find_or_add_slot(s, h, added).index;
  }
  /// The index of `s`, or npos.
  std::size_t find(std::string_view s) const {
    if (slots_.empty()) return npos;
    const std::uint64_t h = hash(s);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const slot& sl = slots_[i];
      if (sl.index == none) return npos;
      if (sl.hash == h && holds(sl, s)) return sl.index;
    }
  }
  const std::string& key(std::size_t i) const noexcept { return keys_[i]; }
  std::size_t size() const noexcept { return keys_.size(); }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  /// Room for `n` keys without growing (an index built from a known set of keys: no rehash).
  void reserve(std::size_t n) {
    keys_.reserve(n);
    std::size_t want = 64;
    while (want < 2 * (n + 1)) want *= 2;
    while (slots_.size() < want) grow();
  }

 private:
  static constexpr std::uint32_t none = ~std::uint32_t{0};
  static constexpr std::size_t inline_max = 19;  // fills a slot to 32 bytes
  struct slot {
    std::uint64_t hash = 0;
    std::uint32_t index = none;
    std::uint8_t size = 0;  // inline_max + 1: the key is longer and only in keys_
    char text[inline_max] = {};
  };
  static_assert(sizeof(slot) == 32);

  slot& find_or_add_slot(std::string_view s, std::uint64_t h, bool& added) {
    if ((keys_.size() + 1) * 2 > slots_.size()) grow();
    std::size_t i = h & (slots_.size() - 1);
    for (;; i = (i + 1) & (slots_.size() - 1)) {
      slot& sl = slots_[i];
      if (sl.index == none) break;
      if (sl.hash == h && holds(sl, s)) {
        added = false;
        return sl;
      }
    }
    slot& sl = slots_[i];
    sl.hash = h;
    sl.index = static_cast<std::uint32_t>(keys_.size());
    sl.size = static_cast<std::uint8_t>(s.size() <= inline_max ? s.size() : inline_max + 1);
    if (s.size() <= inline_max) std::memcpy(sl.text, s.data(), s.size());
    keys_.emplace_back(s);
    added = true;
    return sl;
  }
  bool holds(const slot& sl, std::string_view s) const noexcept {
    if (sl.size > inline_max) return keys_[sl.index] == s;
    return sl.size == s.size() && same_bytes(sl.text, s.data(), s.size());
  }
  void grow() {
    std::vector<slot> old(slots_.empty() ? 64 : slots_.size() * 2);
    old.swap(slots_);
    for (const slot& sl : old) {
      if (sl.index == none) continue;
      std::size_t i = sl.hash & (slots_.size() - 1);
      while (slots_[i].index != none) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = sl;
    }
  }
  std::vector<slot> slots_;
  std::vector<std::string> keys_;
};

}  // namespace abmkpi::detail

namespace abmkpi::detail {

/// Per-account state T keyed by account id: a string_index and a dense vector of T.
template <class T>
class keyed {
 public:
  /// The state of `id`, created default on first use.
  T& at(std::string_view id) { return values_[index(id, string_index::hash(id))]; }
  /// The position of `id`'s state (created default on first use), for `h` ==
  /// string_index::hash(id).
  std::size_t index(std::string_view id, std::uint64_t h) {
    bool added = false;
    const std::size_t i = index_.find_or_add(id, h, added);
    if (added) values_.emplace_back();
    return i;
  }
  /// The state at a position index() returned.
  T& value(std::size_t i) noexcept { return values_[i]; }
  /// See string_index::prefetch.
  void prefetch(std::uint64_t h) const noexcept { index_.prefetch(h); }
  /// The state of `id`, or nullptr.
  const T* find(std::string_view id) const {
    const std::size_t i = index_.find(id);
    return i == string_index::npos ? nullptr : &values_[i];
  }
  /// Calls fn(id, state) for every entry, in order of first appearance.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (std::size_t i = 0; i < values_.size(); ++i) fn(index_.key(i), values_[i]);
  }
  template <class Fn>
  void for_each_mut(Fn&& fn) {
    for (std::size_t i = 0; i < values_.size(); ++i) fn(index_.key(i), values_[i]);
  }
  /// for_each_mut on `threads` threads, each over its own share of the entries: fn may change
  /// only the state it is given, and must not throw.
  template <class Fn>
  void for_each_mut_parallel(unsigned threads, Fn&& fn) {
    const std::size_t n = values_.size();
    if (threads < 2 || n < 4096) return for_each_mut(fn);
    const auto share = [&](unsigned t) {
      for (std::size_t i = n * t / threads; i < n * (t + 1) / threads; ++i)
        fn(index_.key(i), values_[i]);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(share, t);
    share(0);
    for (auto& th : pool) th.join();
  }
  std::size_t size() const noexcept { return values_.size(); }
  /// Room for `n` ids without growing.
  void reserve(std::size_t n) {
    index_.reserve(n);
    values_.reserve(n);
  }

 private:
  string_index index_;
  std::vector<T> values_;
};

}  // namespace abmkpi::detail
