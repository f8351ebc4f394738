#include "test_shim.hpp"

#include <cstdint>
#include <vector>

#include "abmkpi/detail/chunk_log.hpp"

TEST_CASE("chunk_log: entries come back in order across chunk boundaries", "[detail]") {
  // 8-byte entries: chunks of 64, 128, ..., 8192 (64 KiB), then 8192 each. 100000 entries
  // fill 64 + 128 + ... + 8192 = 16320 in the growing chunks, then 10 full chunks of 8192
  // (81920) and 1760 in the last: every kind of boundary is crossed.
  abmkpi::detail::chunk_log<std::uint64_t> log;
  CHECK(log.empty());
  std::vector<std::uint64_t> expected;
  for (std::uint64_t i = 0; i < 100000; ++i) {
    log.push_back(i * 7 + 1);
    expected.push_back(i * 7 + 1);
  }
  CHECK(log.size() == 100000);
  std::vector<std::uint64_t> got;
  log.for_each([&](std::uint64_t v) { got.push_back(v); });
  CHECK(got == expected);
}

TEST_CASE("chunk_log: a log read before its first chunk is full", "[detail]") {
  abmkpi::detail::chunk_log<std::int32_t> log;
  log.push_back(-3);
  log.push_back(9);
  std::vector<std::int32_t> got;
  log.for_each([&](std::int32_t v) { got.push_back(v); });
  CHECK(got == std::vector<std::int32_t>{-3, 9});
}
