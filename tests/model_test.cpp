#include "test_shim.hpp"

#include <cstring>
#include <random>

#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/model.hpp"

using namespace abmkpi;

TEST_CASE("make_date: days since 1970-01-01 by hand", "[model][date]") {
  CHECK(make_date(1970, 1, 1).days == 0);
  CHECK(make_date(1969, 12, 31).days == -1);
  // 2024-01-01: 54 years × 365 + 13 leap days (1972..2020) = 19710 + 13
  CHECK(make_date(2024, 1, 1).days == 19723);
  CHECK(make_date(2024, 3, 1).days - make_date(2024, 2, 1).days == 29);  // leap February
  CHECK(make_date(2100, 3, 1).days - make_date(2100, 2, 1).days == 28);  // 2100 is no leap year
  CHECK(to_iso(make_date(2024, 2, 29)) == "2024-02-29");
}

TEST_CASE("to_civil: inverse of make_date over four centuries (seed 3)", "[model][date]") {
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    const int days = static_cast<int>(rng() % 146097) - 40000;
    const civil c = to_civil(date{days});
    CHECK(make_date(c.year, c.month, c.day).days == days);
    CHECK(c.day <= days_in_month(c.year, c.month));
  }
}

TEST_CASE("period: inclusive days", "[model][period]") {
  const period p{make_date(2024, 1, 1), make_date(2024, 12, 31)};
  CHECK(p.days() == 366);
  CHECK(p.contains(make_date(2024, 12, 31)));
  CHECK_FALSE(p.contains(make_date(2025, 1, 1)));
}

TEST_CASE("string_index and counter_map: dense indices and counts", "[detail][flat_map]") {
  detail::string_index idx;
  bool added = false;
  for (int i = 0; i < 5000; ++i)
    CHECK(idx.find_or_add("k" + std::to_string(i), added) == std::size_t(i));
  CHECK(idx.find_or_add("k42", added) == 42u);
  CHECK_FALSE(added);
  CHECK(idx.find("k4999") == 4999u);
  CHECK(idx.find("nope") == detail::string_index::npos);
  detail::counter_map counts;
  for (std::uint64_t i = 0; i < 10000; ++i) counts[i % 777] += 1;
  std::int64_t total = 0, keys = 0;
  counts.for_each([&](std::uint64_t, std::int64_t n) { total += n, ++keys; });
  CHECK(total == 10000);
  CHECK(keys == 777);
}

TEST_CASE("first_bytes: the first 8 bytes, zero-padded, for every length", "[detail][flat_map]") {
  // Reference: copy min(n, 8) bytes into a zeroed word. Random bytes (high bit included) at
  // every length 0..12, each cut from a longer buffer so the bytes after the view differ.
  std::mt19937_64 rng(3);
  for (int round = 0; round < 200; ++round) {
    char buf[32];
    for (char& c : buf) c = static_cast<char>(rng());
    for (std::size_t n = 0; n <= 12; ++n) {
      std::uint64_t want = 0;
      std::memcpy(&want, buf + 5, n < 8 ? n : 8);
      INFO(n);
      CHECK(abmkpi::detail::first_bytes(std::string_view(buf + 5, n)) == want);
    }
  }
}

TEST_CASE("same_bytes and text_hash: every length 0..40, a byte changed anywhere",
          "[detail][flat_map]") {
  // Reference: memcmp. Two copies of random bytes, then one byte of the second changed at each
  // position in turn (and the bytes just past the view changed too, which must not matter).
  // Texts equal by memcmp hash alike; a changed byte changes the hash (by chance only one in
  // 2^64 would not).
  using abmkpi::detail::same_bytes;
  using abmkpi::detail::text_hash;
  std::mt19937_64 rng(12);
  for (int round = 0; round < 50; ++round) {
    char a[48], b[48];
    for (char& c : a) c = static_cast<char>(rng());
    for (std::size_t n = 0; n <= 40; ++n) {
      std::memcpy(b, a, sizeof a);
      b[n] = static_cast<char>(a[n] + 1);  // past the view
      INFO("length " << n);
      REQUIRE(same_bytes(a, b, n));
      REQUIRE(text_hash({a, n}) == text_hash({b, n}));
      for (std::size_t at = 0; at < n; ++at) {
        b[at] = static_cast<char>(a[at] ^ (1 << (rng() % 8)));
        INFO("changed at " << at);
        REQUIRE(!same_bytes(a, b, n));
        REQUIRE(text_hash({a, n}) != text_hash({b, n}));
        b[at] = a[at];
      }
    }
  }
  // The length is part of the hash: a text and itself with a zero byte added differ.
  CHECK(text_hash(std::string_view("AB\0", 3)) != text_hash("AB"));
  CHECK(text_hash(std::string_view("ABCDEFGH\0", 9)) != text_hash("ABCDEFGH"));
}
