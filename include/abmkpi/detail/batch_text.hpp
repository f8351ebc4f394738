// Text copied out of a row for work that waits in a batch (deal_stats, touch_stats): the row's
// views die with it, and a std::string per batch entry cost a library call a row to assign.
// Positions are offsets, not pointers, so the buffer may grow (rarely) while a batch fills.
#pragma once

#include <algorithm>    // std::max
#include <cstdint>      // std::uint32_t
#include <cstring>      // std::memcpy
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace abmkpi::detail {

class batch_text {
 public:
  /// Room for `n` more bytes right after the last ones: where to write them; `at` gets their
  /// position. Inlined: it runs once or twice a row.
  [[gnu::always_inline]] char* append(std::size_t n, std::uint32_t& at) {
    if (used_ + n > bytes_.size()) bytes_.resize(std::max(2 * bytes_.size(), used_ + n));
    at = static_cast<std::uint32_t>(used_);
    used_ += n;
    return bytes_.data() + at;
  }
  /// Appends `s`; returns its position.
  [[gnu::always_inline]] std::uint32_t add(std::string_view s) {
    std::uint32_t at = 0;
    char* to = append(s.size(), at);
    if (!s.empty()) std::memcpy(to, s.data(), s.size());
    return at;
  }
  /// The `n` bytes from position `at`.
  std::string_view view(std::uint32_t at, std::size_t n) const noexcept {
    return {bytes_.data() + at, n};
  }
  /// Forgets the texts (the batch was applied); keeps the memory.
  void clear() noexcept { used_ = 0; }

 private:
  std::vector<char> bytes_;  // empty until the first add
  std::size_t used_ = 0;
};

}  // namespace abmkpi::detail
