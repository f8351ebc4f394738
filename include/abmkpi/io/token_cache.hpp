// Enumerated columns (status, type, channel, action...) hold a handful of distinct spellings in
// millions of rows; remembering what the first few mean (their normalized form, or the status
// or type they name) spares the per-byte work on almost every row.
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint64_t
#include <cstring>      // std::memcmp
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/io/values.hpp"

namespace abmkpi::io {

/// What the spellings of an enumerated column mean, worked out once per distinct spelling: up
/// to 16 are remembered, and a column with more works each one out again. `meaning(raw, out)`
/// sets `out` from the raw cell. The returned reference is valid until the next call. Not
/// thread-safe: one memo per column and reader.
template <class V>
class spelling_memo {
 public:
  template <class Meaning>
  const V& operator()(std::string_view raw, Meaning&& meaning) {
    // Each spelling is matched on its length, first 8 bytes and last 8 bytes (which overlap
    // them below 16 bytes), three integer compares; only a longer one compares the bytes between.
    // A string compare per cached spelling was a tenth of a 20M-touch run (three such columns a
    // row), and a memcmp call for the 9 to 16 bytes of "Closed Won" or "New Business" was 3% of
    // a 10M-deal run.
    const std::uint64_t head = abmkpi::detail::first_bytes(raw);
    std::uint64_t tail = 0;
    if (raw.size() > 8) std::memcpy(&tail, raw.data() + raw.size() - 8, 8);  // one 8-byte load
    // The spelling this hash slot last led to is tried first: rows mix the spellings at random,
    // and a scan's exit at a different entry each row was a mispredicted branch per lookup.
    std::uint8_t& hint = hints_[(head * 0x9E3779B97F4A7C15ULL ^ tail ^ raw.size()) >> 59];
    if (hint != 0 && same(hint - 1u, raw, head, tail)) return values_[hint - 1u];
    for (std::size_t i = 0; i < used_; ++i)
      if (same(i, raw, head, tail)) {
        hint = static_cast<std::uint8_t>(i + 1);
        return values_[i];
      }
    if (used_ < raw_.size()) {
      hint = static_cast<std::uint8_t>(used_ + 1);
      raw_[used_].assign(raw);
      heads_[used_] = head;
      tails_[used_] = tail;
      sizes_[used_] = raw.size();
      meaning(raw, values_[used_]);
      return values_[used_++];
    }
    meaning(raw, scratch_);  // a column with many spellings: no memory
    return scratch_;
  }

 private:
  bool same(std::size_t i, std::string_view raw, std::uint64_t head, std::uint64_t tail) const {
    return heads_[i] == head && tails_[i] == tail && sizes_[i] == raw.size() &&
           (raw.size() <= 16 ||
            std::memcmp(raw_[i].data() + 8, raw.data() + 8, raw.size() - 16) == 0);
  }

  std::array<std::uint8_t, 32> hints_{};  // top bits of a hash of head and tail → index + 1
  std::array<std::uint64_t, 16> heads_{}, tails_{};  // first and last 8 bytes (0: shorter)
  std::array<std::size_t, 16> sizes_{};
  std::array<std::string, 16> raw_;
  std::array<V, 16> values_{};
  std::size_t used_ = 0;
  V scratch_{};
};

/// normalize_token with a memory of up to 16 spellings. The returned view is valid until the
/// next call.
class token_cache {
 public:
  std::string_view operator()(std::string_view raw) {
    return memo_(raw, [](std::string_view r, std::string& out) { normalize_token(r, out); });
  }

 private:
  spelling_memo<std::string> memo_;
};

}  // namespace abmkpi::io
