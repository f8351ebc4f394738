// How far the readers have got: bytes read and rows parsed, for a progress line. The readers
// add to it as they go; a program that wants to show progress installs a meter and polls it
// from another thread. Without a meter the cost is one relaxed atomic load per block or per
// 4096 rows.
#pragma once

#include <atomic>   // std::atomic
#include <cstdint>  // std::uint64_t

namespace abmkpi::io {

/// Counters a progress display polls. Bytes can run past the inputs' total when a file is read
/// twice (a parallel read that falls back to one thread).
struct progress_meter {
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> rows{0};
};

namespace detail {
inline std::atomic<progress_meter*>& installed_meter() noexcept {
  static std::atomic<progress_meter*> meter{nullptr};
  return meter;
}
}  // namespace detail

/// Makes `meter` (or nullptr: none) the one the readers add to, for the whole process.
inline void install_progress_meter(progress_meter* meter) noexcept {
  detail::installed_meter().store(meter, std::memory_order_release);
}

/// Called by readers: `bytes` more bytes read.
inline void note_bytes_read(std::uint64_t bytes) noexcept {
  if (progress_meter* m = detail::installed_meter().load(std::memory_order_acquire))
    m->bytes.fetch_add(bytes, std::memory_order_relaxed);
}

/// Called by readers: `rows` more rows parsed.
inline void note_rows_read(std::uint64_t rows) noexcept {
  if (progress_meter* m = detail::installed_meter().load(std::memory_order_acquire))
    m->rows.fetch_add(rows, std::memory_order_relaxed);
}

}  // namespace abmkpi::io
