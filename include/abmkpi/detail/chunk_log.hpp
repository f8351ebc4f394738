// An append-only log in fixed-size chunks. A std::vector that grows by doubling holds up to
// twice its entries, and while it moves to a larger block both blocks are alive, three times
// its entries: for logs of millions of entries (won days, deal briefs) that was tens of MiB of
// a run's peak (issue 3). Chunks are never moved, so the peak is the entries plus one chunk.
#pragma once

#include <cstddef>  // std::size_t
#include <memory>   // std::unique_ptr, std::make_unique_for_overwrite
#include <vector>   // std::vector

namespace abmkpi::detail {

template <class T>
class chunk_log {
 public:
  void push_back(const T& v) {
    if (used_ == capacity_) grow();
    chunks_.back()[used_++] = v;
    ++size_;
  }

  /// Calls fn(entry) for every entry, in order of push_back.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      const std::size_t n = c + 1 == chunks_.size() ? used_ : sizes_[c];
      for (std::size_t i = 0; i < n; ++i) fn(chunks_[c][i]);
    }
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

 private:
  // Chunks grow from a small first one (a small input stays small) to max_chunk entries.
  static constexpr std::size_t first_chunk = 64;
  static constexpr std::size_t max_chunk = (std::size_t{1} << 16) / sizeof(T) > first_chunk
                                               ? (std::size_t{1} << 16) / sizeof(T)
                                               : first_chunk;

  void grow() {
    const std::size_t next = capacity_ == 0          ? first_chunk
                             : capacity_ < max_chunk ? 2 * capacity_
                                                     : max_chunk;
    if (!chunks_.empty()) sizes_.push_back(used_);
    chunks_.push_back(std::make_unique_for_overwrite<T[]>(next));
    capacity_ = next;
    used_ = 0;
  }

  std::vector<std::unique_ptr<T[]>> chunks_;
  std::vector<std::size_t> sizes_;  // entries of each chunk but the last
  std::size_t capacity_ = 0;        // of the last chunk
  std::size_t used_ = 0;            // of the last chunk
  std::size_t size_ = 0;
};

}  // namespace abmkpi::detail
