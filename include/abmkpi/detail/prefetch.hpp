// Asking the CPU to fetch a cache line before it is needed (the batched accumulators: see
// engine/deal_stats.hpp).
//
// Why not __builtin_prefetch alone: GCC 12 counts a prefetch as free of side effects. A small
// function whose only effect is a prefetch behind a branch (a hash table's "fetch the record of
// hash h") is then found pure by its inter-procedural pass, and a call to a pure function whose
// result is unused is deleted before it is inlined. That happened to account_tally's record
// prefetch, day_map's and others: objdump showed no prefetch instruction left for them. The
// empty volatile asm is a side effect the compiler must keep, so no caller is pure any more.
#pragma once

namespace abmkpi::detail {

/// Fetches the cache line holding `p` for reading.
[[gnu::always_inline]] inline void prefetch(const void* p) noexcept {
  __builtin_prefetch(p, 0);
  asm volatile("" : : "r"(p));
}

/// Fetches the cache line holding `p`, which is about to be written.
[[gnu::always_inline]] inline void prefetch_write(const void* p) noexcept {
  __builtin_prefetch(p, 1);
  asm volatile("" : : "r"(p));
}

}  // namespace abmkpi::detail
