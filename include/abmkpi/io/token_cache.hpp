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
  [[gnu::always_inline]] const V& operator()(std::string_view raw, Meaning&& meaning) {
    // Each spelling is matched on its length, first 8 bytes and last 8 bytes (which overlap
    // them below 16 bytes), three integer compares; only a longer one compares the bytes between.
    // A string compare per cached spelling was a tenth of a 20M-touch run (three such columns a
    // row), and a memcmp call for the 9 to 16 bytes of "Closed Won" or "New Business" was 3% of
    // a 10M-deal run.
    const std::uint64_t head = abmkpi::detail::first_bytes(raw);
    std::uint64_t tail = 0;
    if (raw.size() > 8) std::memcpy(&tail, raw.data() + raw.size() - 8, 8);  // one 8-byte load
    // The slot of the spelling's hash names the entry to try first: rows mix the spellings at
    // random, and a scan's exit at a different entry each row was a mispredicted branch per
    // lookup. The hash is chosen so that no two remembered spellings share a slot (reseed):
    // with a slot shared, the two spellings took turns in it and each missed half the time
    // (perf: a fifth of read_status's samples on the stage column's six spellings).
    const std::uint8_t hint = hints_[slot(head, tail, raw.size())];
    if (hint != 0 && same(hint - 1u, raw, head, tail)) [[likely]]
      return values_[hint - 1u];
    // Inlined up to here (each a call of its own was 6% of a 10M-deal run); the rest is rare.
    return scan(raw, head, tail, meaning);
  }

 private:
  template <class Meaning>
  [[gnu::noinline]] const V& scan(std::string_view raw, std::uint64_t head, std::uint64_t tail,
                                  Meaning& meaning) {
    for (std::size_t i = 0; i < used_; ++i)
      if (same(i, raw, head, tail)) return values_[i];
    if (used_ < raw_.size()) {
      raw_[used_].assign(raw);
      heads_[used_] = head;
      tails_[used_] = tail;
      sizes_[used_] = raw.size();
      meaning(raw, values_[used_]);
      ++used_;
      reseed();
      return values_[used_ - 1];
    }
    meaning(raw, scratch_);  // a column with many spellings: no memory
    return scratch_;
  }

  std::size_t slot(std::uint64_t head, std::uint64_t tail, std::size_t size) const noexcept {
    return static_cast<std::size_t>(((head ^ (tail * 0x2545F4914F6CDD1DULL) ^ size) * seed_) >> 58);
  }
  // Picks a multiplier under which the remembered spellings have slots of their own, and
  // files them. 16 spellings in 64 slots: about one multiplier in eight has no clash, so 64
  // tries nearly always find one; without one, a clashing spelling is found by the scan.
  void reseed() noexcept {
    for (int attempt = 0; attempt < 64; ++attempt) {
      hints_.fill(0);
      bool clash = false;
      for (std::size_t i = 0; i < used_; ++i) {
        std::uint8_t& h = hints_[slot(heads_[i], tails_[i], sizes_[i])];
        clash = clash || h != 0;
        if (h == 0) h = static_cast<std::uint8_t>(i + 1);
      }
      if (!clash) return;
      seed_ += 0x9E3779B97F4A7C16ULL;  // even: the multiplier stays odd
    }
  }

  bool same(std::size_t i, std::string_view raw, std::uint64_t head, std::uint64_t tail) const {
    return heads_[i] == head && tails_[i] == tail && sizes_[i] == raw.size() &&
           (raw.size() <= 16 ||
            std::memcmp(raw_[i].data() + 8, raw.data() + 8, raw.size() - 16) == 0);
  }

  std::array<std::uint8_t, 64> hints_{};  // slot() → index + 1 (0: none)
  std::uint64_t seed_ = 0x9E3779B97F4A7C15ULL;  // slot()'s multiplier (odd)
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
