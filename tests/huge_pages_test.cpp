#include "test_shim.hpp"

#include <cstdint>
#include <vector>

#include "abmkpi/detail/huge_pages.hpp"

using namespace abmkpi::detail;

namespace {
struct alignas(64) line {
  std::uint64_t value;
};
}  // namespace

TEST_CASE("huge_pages: a vector grows across the mapping threshold and keeps its values",
          "[detail]") {
  // 64-byte elements: 16384 of them are 1 MiB, where allocations move from operator new to
  // mappings of their own. Growing one element at a time crosses it with copies both ways
  // (new -> mapping, mapping -> larger mapping), and shrink_to_fit goes back under it.
  std::vector<line, huge_pages::allocator<line>> v;
  constexpr std::size_t n = 3 * 16384 + 5;
  for (std::size_t i = 0; i < n; ++i) v.push_back({i * 2654435761u});
  REQUIRE(v.size() == n);
  CHECK(v.capacity() * sizeof(line) >= huge_pages::min_bytes);
  CHECK(reinterpret_cast<std::uintptr_t>(v.data()) % huge_pages::page_bytes == 0);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < n; ++i) wrong += v[i].value != i * 2654435761u;
  CHECK(wrong == 0);
  v.resize(100);
  v.shrink_to_fit();
  CHECK(reinterpret_cast<std::uintptr_t>(v.data()) % alignof(line) == 0);
  CHECK(v[99].value == std::uint64_t{99} * 2654435761u);
}

TEST_CASE("huge_pages: a mapping starts zeroed and is whole pages", "[detail]") {
  constexpr std::size_t bytes = huge_pages::page_bytes + 12345;  // two pages
  auto* p = static_cast<unsigned char*>(huge_pages::map(bytes));
  std::size_t nonzero = 0;
  for (std::size_t i = 0; i < 2 * huge_pages::page_bytes; i += 4096) nonzero += p[i] != 0;
  CHECK(nonzero == 0);
  p[2 * huge_pages::page_bytes - 1] = 1;  // the rounded-up end is ours to write
  huge_pages::unmap(p, bytes);
}
