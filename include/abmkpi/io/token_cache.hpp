// Enumerated columns (status, type, channel, action...) hold a handful of distinct spellings in
// millions of rows; remembering the normalized form of the last few spares normalize_token's
// per-byte work on almost every row.
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "abmkpi/io/values.hpp"

namespace abmkpi::io {

/// normalize_token with a memory of up to 16 spellings. The returned view is valid until the
/// next call. Not thread-safe: one cache per column and reader.
class token_cache {
 public:
  std::string_view operator()(std::string_view raw) {
    // Rows often repeat the previous row's spelling: try that one first.
    if (last_ < used_ && raw_[last_] == raw) return normalized_[last_];
    for (std::size_t i = 0; i < used_; ++i)
      if (raw_[i] == raw) return normalized_[last_ = i];
    if (used_ < raw_.size()) {
      raw_[used_].assign(raw);
      normalize_token(raw, normalized_[used_]);
      last_ = used_;
      return normalized_[used_++];
    }
    normalize_token(raw, scratch_);  // a column with many spellings: no caching
    return scratch_;
  }

 private:
  std::array<std::string, 16> raw_, normalized_;
  std::size_t used_ = 0;
  std::size_t last_ = 0;  // the latest hit
  std::string scratch_;
};

}  // namespace abmkpi::io
