#include "test_shim.hpp"

#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "abmkpi/detail/huge_chunks.hpp"

using namespace abmkpi::detail;

namespace {
// Fills a chunk with a pattern only its own (index, byte position) give.
void fill(std::uint8_t* p, std::size_t n, std::size_t index) {
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(index * 31 + i);
}
bool intact(const std::uint8_t* p, std::size_t n, std::size_t index) {
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != static_cast<std::uint8_t>(index * 31 + i)) return false;
  return true;
}
}  // namespace

TEST_CASE("huge_chunks: chunks from two threads never overlap, and outlive their thread",
          "[detail]") {
  // Each thread carves 3000 chunks of 1..6000 bytes: about 9 MiB each, so several regions, and
  // some chunks above max_chunk (from operator new). The threads end before the chunks are
  // checked and released here, half of them in reverse order.
  constexpr std::size_t per_thread = 3000;
  std::vector<huge_chunks::array<std::uint8_t>> chunks(2 * per_thread);
  std::vector<std::size_t> sizes(chunks.size());
  const auto carve = [&](std::size_t first) {
    for (std::size_t k = first; k < first + per_thread; ++k) {
      sizes[k] = k == first ? huge_chunks::max_chunk + 1 : 1 + (k * 7919) % 6000;
      chunks[k] = huge_chunks::make_array<std::uint8_t>(sizes[k]);
      fill(chunks[k].get(), sizes[k], k);
    }
  };
  std::thread a(carve, 0), b(carve, per_thread);
  a.join();
  b.join();
  std::size_t broken = 0;
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    broken += !intact(chunks[k].get(), sizes[k], k);
    CHECK(reinterpret_cast<std::uintptr_t>(chunks[k].get()) % 16 == 0);
  }
  CHECK(broken == 0);
  for (std::size_t k = chunks.size(); k-- > per_thread;) chunks[k].reset();
  // The first thread's chunks, still held, are untouched by the others' release.
  for (std::size_t k = 0; k < per_thread; ++k) broken += !intact(chunks[k].get(), sizes[k], k);
  CHECK(broken == 0);
}

TEST_CASE("huge_chunks: releasing one chunk of a region leaves the others of it mapped",
          "[detail]") {
  const auto region = [](const void* p) {
    return reinterpret_cast<std::uintptr_t>(p) & ~(huge_chunks::region_bytes - 1);
  };
  auto first = huge_chunks::make_array<std::uint8_t>(4096);
  auto second = huge_chunks::make_array<std::uint8_t>(4096);
  if (region(first.get()) != region(second.get())) {  // `first` ended a region: the next has room
    first = std::move(second);
    second = huge_chunks::make_array<std::uint8_t>(4096);
  }
  REQUIRE(region(first.get()) == region(second.get()));
  fill(second.get(), 4096, 7);
  first.reset();
  CHECK(intact(second.get(), 4096, 7));  // an unmapped region would fault here
  fill(second.get(), 4096, 8);
  CHECK(intact(second.get(), 4096, 8));
}
