// Open-addressing hash maps for the hot per-row lookups (a day's cycle histogram, an account by
// id): one probe sequence over a flat array instead of a node per entry.
#pragma once

#include <cstdint>      // std::uint64_t
#include <functional>   // std::hash
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::pair
#include <vector>       // std::vector

namespace abmkpi::detail {

/// 64-bit finalizer (splitmix64): spreads keys that differ in few bits.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
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
class string_index {
 public:
  /// The index of `s`, adding it when new; `added` says which.
  std::size_t find_or_add(std::string_view s, bool& added) {
    if ((keys_.size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = std::hash<std::string_view>{}(s);
    std::size_t i = h & (slots_.size() - 1);
    for (;; i = (i + 1) & (slots_.size() - 1)) {
      const slot& sl = slots_[i];
      if (sl.index == none) break;
      if (sl.hash == h && keys_[sl.index] == s) {
        added = false;
        return sl.index;
      }
    }
    slots_[i] = {h, static_cast<std::uint32_t>(keys_.size())};
    keys_.emplace_back(s);
    added = true;
    return keys_.size() - 1;
  }
  /// The index of `s`, or npos.
  std::size_t find(std::string_view s) const {
    if (slots_.empty()) return npos;
    const std::uint64_t h = std::hash<std::string_view>{}(s);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const slot& sl = slots_[i];
      if (sl.index == none) return npos;
      if (sl.hash == h && keys_[sl.index] == s) return sl.index;
    }
  }
  const std::string& key(std::size_t i) const noexcept { return keys_[i]; }
  std::size_t size() const noexcept { return keys_.size(); }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  static constexpr std::uint32_t none = ~std::uint32_t{0};
  struct slot {
    std::uint64_t hash;
    std::uint32_t index;
  };
  void grow() {
    slots_.assign(slots_.empty() ? 64 : slots_.size() * 2, slot{0, none});
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      const std::uint64_t h = std::hash<std::string_view>{}(keys_[k]);
      std::size_t i = h & (slots_.size() - 1);
      while (slots_[i].index != none) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = {h, static_cast<std::uint32_t>(k)};
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
  T& at(std::string_view id) {
    bool added = false;
    const std::size_t i = index_.find_or_add(id, added);
    if (added) values_.emplace_back();
    return values_[i];
  }
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
  std::size_t size() const noexcept { return values_.size(); }

 private:
  string_index index_;
  std::vector<T> values_;
};

}  // namespace abmkpi::detail
