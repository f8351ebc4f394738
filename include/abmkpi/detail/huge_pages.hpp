// A std::allocator for the large tables a parsing thread looks up at random once a row (the
// accounts' index, records and group wins: account_tally). glibc serves a parsing thread from
// an arena of its own, whose pages are 4 KiB even with glibc.malloc.hugetlb=1 (src/main.cpp):
// two threads' tables of 100k accounts were ~17 MB each on 4 KiB pages, more than the TLB
// covers, so most lookups also walked the page table. An allocation of 1 MiB or more is mapped
// here on its own and marked MADV_HUGEPAGE; a smaller one comes from operator new. map() also
// gives huge_chunks its 2 MiB regions.
#pragma once

#include <sys/mman.h>  // mmap, munmap, madvise

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uintptr_t
#include <new>      // std::bad_alloc, operator new

namespace abmkpi::detail::huge_pages {

inline constexpr std::size_t min_bytes = std::size_t{1} << 20;  // below this: operator new
inline constexpr std::size_t page_bytes = std::size_t{1} << 21;

/// `bytes` (≥ min_bytes) of zeroed memory on its own mapping, rounded up to whole huge pages;
/// free with unmap(p, bytes).
inline void* map(std::size_t bytes) {
  const std::size_t size = (bytes + page_bytes - 1) & ~(page_bytes - 1);
  // Twice the size, then the aligned part kept: mmap only promises 4 KiB alignment, and a huge
  // page must start on a 2 MiB boundary.
  void* raw = ::mmap(nullptr, size + page_bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto at = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (at + page_bytes - 1) & ~(page_bytes - 1);
  if (aligned > at) ::munmap(raw, aligned - at);
  const std::uintptr_t end = at + size + page_bytes;
  if (aligned + size < end) ::munmap(reinterpret_cast<void*>(aligned + size), end - aligned - size);
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

inline void unmap(void* p, std::size_t bytes) noexcept {
  ::munmap(p, (bytes + page_bytes - 1) & ~(page_bytes - 1));
}

/// For std::vector<T, huge_pages::allocator<T>>.
template <class T>
struct allocator {
  using value_type = T;
  static constexpr std::align_val_t align{alignof(T)};  // a mapping is aligned to 2 MiB
  allocator() noexcept = default;
  template <class U>
  allocator(const allocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < min_bytes) return static_cast<T*>(::operator new(bytes, align));
    return static_cast<T*>(map(bytes));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < min_bytes) return ::operator delete(p, align);
    unmap(p, bytes);
  }
  template <class U>
  bool operator==(const allocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace abmkpi::detail::huge_pages
