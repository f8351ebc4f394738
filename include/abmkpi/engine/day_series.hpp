// Accumulators keyed by calendar day. The report period is known only after the pass (its default
// is the span of all event dates), so the pass sums per day and any period is reduced afterwards.
// Memory grows with the number of distinct days, never with rows.
#pragma once

#include <algorithm>      // std::sort
#include <array>          // std::array
#include <cstdint>        // std::int32_t
#include <memory>         // std::unique_ptr
#include <unordered_map>  // std::unordered_map
#include <utility>        // std::pair
#include <vector>         // std::vector

#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// Sparse map from day to Cell, stored as 64-day blocks so that neighbouring days share a block
/// and a stray date far away costs one block, not a dense array up to it. Cell must be default
/// constructible and have `void merge(const Cell&)`.
template <class Cell>
class day_series {
 public:
  /// The cell for day `d`, created zeroed on first use.
  Cell& at(date d) {
    const std::int32_t key = block_of(d.days);
    if (key != last_key_ || last_ == nullptr) {
      auto& slot = blocks_[key];
      if (!slot) slot = std::make_unique<block>();
      last_key_ = key;
      last_ = slot.get();
    }
    return (*last_)[static_cast<std::size_t>(d.days - key * block_days)];
  }

  /// Adds every cell of `other` into this one.
  void merge(const day_series& other) {
    for (const auto& [key, blk] : other.blocks_) {
      auto& slot = blocks_[key];
      if (!slot) slot = std::make_unique<block>();
      for (std::size_t i = 0; i < block_days; ++i) (*slot)[i].merge((*blk)[i]);
    }
    last_ = nullptr;
  }

  /// Calls fn(date, const Cell&) for every day of every allocated block in ascending order
  /// (days never touched are visited as zero cells).
  template <class Fn>
  void for_each(Fn&& fn) const {
    std::vector<std::pair<std::int32_t, const block*>> sorted;
    sorted.reserve(blocks_.size());
    for (const auto& [key, blk] : blocks_) sorted.emplace_back(key, blk.get());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [key, blk] : sorted)
      for (std::size_t i = 0; i < block_days; ++i)
        fn(date{key * block_days + static_cast<std::int32_t>(i)}, (*blk)[i]);
  }

 private:
  static constexpr std::int32_t block_days = 64;
  using block = std::array<Cell, block_days>;
  static constexpr std::int32_t block_of(std::int32_t days) noexcept {
    return days >= 0 ? days / block_days : -((-days + block_days - 1) / block_days);
  }
  std::unordered_map<std::int32_t, std::unique_ptr<block>> blocks_;
  std::int32_t last_key_ = 0;
  block* last_ = nullptr;
};

}  // namespace abmkpi::engine
