// Memory for the deal-id hash log (io::hash_buckets), which grows by 6 bytes a row, on 2 MiB
// pages. glibc gives each parsing thread its own arena, and those arenas are not on huge pages
// even with glibc.malloc.hugetlb=1 (src/main.cpp): every 4 KiB of a thread's log was a page
// fault. Chunks here are carved in allocation order from 2 MiB regions marked MADV_HUGEPAGE, so
// what a thread touches is about what it uses, one fault per 2 MiB. On 10M deals with two
// threads: 28.8k page faults → 13.7k, wall time 2.44 → 2.30 s (mean of 4 interleaved runs),
// and on one thread the peak 140 → 114 MiB (the freed log's pages are returned, not kept in
// the heap). glibc.malloc.arena_max=1, which keeps every thread in the huge-paged main arena,
// cut the faults further but not the time: see docs/decisions.md.
//
// A region is unmapped only when every chunk carved from it is released, so only chunks that
// are freed together may share regions. (The won-day and brief logs, which live to the end of
// a run, pinned the freed id log's regions when they came from here too: +17 MiB at the peak
// of a --by run. They stay on the heap.)
#pragma once

#include <atomic>   // std::atomic
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uintptr_t
#include <memory>   // std::unique_ptr
#include <new>      // placement new, operator new
#include <type_traits>  // std::is_trivially_destructible_v

#include "abmkpi/detail/huge_pages.hpp"

namespace abmkpi::detail::huge_chunks {

inline constexpr std::size_t region_bytes = huge_pages::page_bytes;  // one huge page
/// The largest chunk allocate() serves from a region; larger ones come from operator new.
inline constexpr std::size_t max_chunk = region_bytes / 8;

namespace impl {
// A region starts with this header; a chunk finds it by masking its address. `live` counts the
// chunks not yet released, plus one while a thread still carves from the region.
struct alignas(64) region {
  std::atomic<std::size_t> live{1};
};

inline void drop(region* r) noexcept {
  if (r->live.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    r->~region();
    huge_pages::unmap(r, region_bytes);
  }
}

inline region* new_region() { return new (huge_pages::map(region_bytes)) region; }

// The region this thread carves from, and where its free space starts.
struct cursor {
  region* current = nullptr;
  std::size_t used = 0;
  ~cursor() {
    if (current) drop(current);
  }
};
inline thread_local cursor here;
}  // namespace impl

/// `bytes` of uninitialized memory, aligned to 16; release it with release(p, bytes).
inline void* allocate(std::size_t bytes) {
  bytes = (bytes + 15) & ~std::size_t{15};
  if (bytes > max_chunk) return ::operator new(bytes);
  impl::cursor& c = impl::here;
  if (c.current == nullptr || c.used + bytes > region_bytes) {
    impl::region* fresh = impl::new_region();
    if (c.current) impl::drop(c.current);
    c.current = fresh;
    c.used = sizeof(impl::region);
  }
  c.current->live.fetch_add(1, std::memory_order_relaxed);
  void* p = reinterpret_cast<char*>(c.current) + c.used;
  c.used += bytes;
  return p;
}

/// Gives back a chunk of allocate(bytes), from any thread.
inline void release(void* p, std::size_t bytes) noexcept {
  bytes = (bytes + 15) & ~std::size_t{15};
  if (bytes > max_chunk) return ::operator delete(p);
  impl::drop(
      reinterpret_cast<impl::region*>(reinterpret_cast<std::uintptr_t>(p) & ~(region_bytes - 1)));
}

/// An array of n T (trivial: no constructor runs) in a chunk, owned like a unique_ptr<T[]>.
template <class T>
struct deleter {
  std::size_t n = 0;
  void operator()(T* p) const noexcept { release(p, n * sizeof(T)); }
};
template <class T>
using array = std::unique_ptr<T[], deleter<T>>;

template <class T>
array<T> make_array(std::size_t n) {
  static_assert(std::is_trivially_default_constructible_v<T> &&
                std::is_trivially_destructible_v<T> && alignof(T) <= 16);
  return array<T>(static_cast<T*>(allocate(n * sizeof(T))), deleter<T>{n});
}

}  // namespace abmkpi::detail::huge_chunks
