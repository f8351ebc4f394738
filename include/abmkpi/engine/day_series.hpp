// Accumulators keyed by calendar day. The report period is known only after the pass (its default
// is the span of all event dates), so the pass sums per day and any period is reduced afterwards.
// Memory grows with the span of days, never with rows.
#pragma once

#include <array>    // std::array
#include <cstdint>  // std::int32_t
#include <algorithm>  // std::move
#include <memory>   // std::unique_ptr
#include <vector>   // std::vector

#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// Map from day to Cell, stored as 64-day blocks: a dense array of block pointers over the
/// span of blocks used (8 bytes per 64 days), each block allocated on first use. A stray date far
/// away costs pointers, not cells. Cell must be default constructible and have
/// `void merge(const Cell&)`.
template <class Cell>
class day_series {
 public:
  /// The cell for day `d`, created zeroed on first use.
  Cell& at(date d) {
    const std::int32_t key = block_of(d.days);
    const auto day = static_cast<std::size_t>(d.days - key * block_days);
    // An allocated block is found by index, inline: rows come in no order of days, so a cache
    // of the last block missed on most calls and each miss was a call.
    const auto i = static_cast<std::size_t>(static_cast<std::int64_t>(key) - base_);
    if (i < blocks_.size() && blocks_[i]) [[likely]]
      return (*blocks_[i])[day];
    return block_at(key)[day];
  }

  /// Adds every cell of `other` into this one.
  void merge(const day_series& other) {
    for (std::size_t i = 0; i < other.blocks_.size(); ++i) {
      if (!other.blocks_[i]) continue;
      block& mine = block_at(other.base_ + static_cast<std::int32_t>(i));
      for (std::size_t j = 0; j < block_days; ++j) mine[j].merge((*other.blocks_[i])[j]);
    }
  }

  /// Calls fn(date, const Cell&) for every day of every allocated block in ascending order
  /// (days never touched are visited as zero cells).
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
      if (!blocks_[i]) continue;
      const std::int32_t first = (base_ + static_cast<std::int32_t>(i)) * block_days;
      for (std::size_t j = 0; j < block_days; ++j)
        fn(date{first + static_cast<std::int32_t>(j)}, (*blocks_[i])[j]);
    }
  }

 private:
  static constexpr std::int32_t block_days = 64;
  using block = std::array<Cell, block_days>;
  static constexpr std::int32_t block_of(std::int32_t days) noexcept {
    return days >> 6;  // floor(days / 64): C++20 shifts a negative arithmetically
  }
  static_assert(block_days == 64);

  block& block_at(std::int32_t key) {
    if (blocks_.empty()) base_ = key;
    if (key < base_) {  // grow towards the past
      std::vector<std::unique_ptr<block>> grown(static_cast<std::size_t>(base_ - key) +
                                                blocks_.size());
      std::move(blocks_.begin(), blocks_.end(), grown.begin() + (base_ - key));
      blocks_.swap(grown);
      base_ = key;
    }
    const auto i = static_cast<std::size_t>(key - base_);
    if (i >= blocks_.size()) blocks_.resize(i + 1);
    if (!blocks_[i]) blocks_[i] = std::make_unique<block>();
    return *blocks_[i];
  }

  std::vector<std::unique_ptr<block>> blocks_;
  std::int32_t base_ = 0;  // block index of blocks_[0]
};

}  // namespace abmkpi::engine
