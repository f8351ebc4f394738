#include "test_shim.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "abmkpi/io/id_registry.hpp"

using abmkpi::io::id_registry;

TEST_CASE("id_registry: exact mode returns the first line at once", "[io][ids]") {
  id_registry ids(abmkpi::io::id_check::exact);
  CHECK_FALSE(ids.add("D1", 2));
  CHECK_FALSE(ids.add("D2", 3));
  CHECK(ids.add("D1", 4) == 2u);
  CHECK(ids.find_duplicates().empty());
}

TEST_CASE("id_registry: logged ids are checked after the pass, in line order", "[io][ids]") {
  id_registry ids;
  ids.add("B", 2);
  ids.add("A", 3);
  ids.add("B", 4);  // duplicate of line 2
  ids.add("C", 5);
  ids.add("A", 6);  // duplicate of line 3
  ids.add("B", 7);  // duplicate of line 2 again
  const auto d = ids.find_duplicates();
  REQUIRE(d.size() == 3);
  CHECK((d[0].line == 4 && d[0].first_line == 2));
  CHECK((d[1].line == 6 && d[1].first_line == 3));
  CHECK((d[2].line == 7 && d[2].first_line == 2));
}

TEST_CASE("id_registry: merged chunk logs find repeats across chunks (seed 5)", "[io][ids]") {
  // 200000 distinct ids split over two registries, plus three repeats: exactly three found,
  // whatever the radix buckets hold.
  std::mt19937_64 rng(5);
  id_registry a, b;
  for (std::uint64_t i = 0; i < 200000; ++i)
    (i % 2 ? a : b).add("D" + std::to_string(rng()), i + 2);
  b.add("Dx", 300000);
  a.add("Dx", 300001);
  a.add("Dy", 300002);
  b.add("Dy", 300003);
  a.add("Dy", 300004);
  a.merge(std::move(b));
  const auto d = a.find_duplicates();
  REQUIRE(d.size() == 3);
  CHECK((d[0].line == 300001 && d[0].first_line == 300000));
  CHECK((d[1].line == 300003 && d[1].first_line == 300002));
  CHECK((d[2].line == 300004 && d[2].first_line == 300002));
}

TEST_CASE("id_registry: sealed runs of three pieces, and ids added after a seal", "[io][ids]") {
  // Pieces seal (sort) their logs in their threads; a piece may log more ids afterwards (rows
  // that waited for a date order). Every repeat is still found, each with its first line.
  id_registry main, p1, p2, p3;
  p1.add("A", 2);
  p1.add("B", 3);
  p1.seal();
  p1.add("C", 4);  // after the seal
  p2.add("B", 10);  // repeat of line 3
  p2.add("D", 11);
  p2.seal();
  p3.add("C", 20);  // repeat of line 4
  p3.add("A", 21);  // repeat of line 2
  p3.add("A", 22);  // and again
  for (id_registry* p : {&p1, &p2, &p3}) main.merge(std::move(*p));
  main.add("D", 30);  // the main registry's own log is a run too: repeat of line 11
  const auto d = main.find_duplicates();
  REQUIRE(d.size() == 5);
  CHECK((d[0].line == 10 && d[0].first_line == 3));
  CHECK((d[1].line == 20 && d[1].first_line == 4));
  CHECK((d[2].line == 21 && d[2].first_line == 2));
  CHECK((d[3].line == 22 && d[3].first_line == 2));
  CHECK((d[4].line == 30 && d[4].first_line == 11));
}

TEST_CASE("id_registry: rescan mode logs 6-byte hashes, and repeats come out as suspects", "[io][ids]") {
  // Two pieces of a file: "B" twice in the first, "A" across both, "C" once.
  id_registry p1(abmkpi::io::id_check::rescan), p2(abmkpi::io::id_check::rescan);
  p1.add("A", 2);
  p1.add("B", 3);
  p1.add("B", 4);
  p2.add("C", 10);
  p2.add("A", 11);
  p2.add("A", 12);  // a third "A": still one suspect
  p1.merge(std::move(p2));
  CHECK(p1.find_duplicates().empty());  // no lines were kept
  const auto s = p1.suspects();
  // As kept: the top 56 bits, the low byte 0.
  constexpr std::uint64_t kept = abmkpi::io::detail::hash_buckets::kept;
  std::vector<std::uint64_t> expected{abmkpi::io::detail::id_hash("A") & kept,
                                      abmkpi::io::detail::id_hash("B") & kept};
  std::sort(expected.begin(), expected.end());
  CHECK(s == expected);
}

TEST_CASE("id_registry: recheck keeps the suspects' ids exactly, first line lowest", "[io][ids]") {
  const std::uint64_t a = abmkpi::io::detail::id_hash("A");
  const std::uint64_t b = abmkpi::io::detail::id_hash("B");
  id_registry ids = id_registry::recheck(a < b ? std::vector{a, b} : std::vector{b, a});
  ids.add("B", 9);  // a row that waited for a date order arrives after line 12: 9 is first
  ids.add("A", 2);
  ids.add("Z", 3);  // not a suspect: not kept
  ids.add("B", 12);
  ids.add("Z", 14);
  ids.add("B", 5);
  // "A" appears once: a suspect whose hash was shared by another id is cleared here.
  const auto d = ids.find_duplicates();
  REQUIRE(d.size() == 2);
  CHECK((d[0].line == 9 && d[0].first_line == 5));
  CHECK((d[1].line == 12 && d[1].first_line == 5));
}

TEST_CASE("id_registry: the id hash tells apart ids that differ only in length or one byte",
          "[io][ids]") {
  using abmkpi::io::detail::id_hash;
  CHECK(id_hash("A") != id_hash(std::string_view("A\0", 2)));
  CHECK(id_hash("") != id_hash(std::string_view("\0", 1)));
  CHECK(id_hash("D000000001") != id_hash("D000000002"));
  CHECK(id_hash("12345678") != id_hash("123456789"));
  CHECK(id_hash("D1", 0) != id_hash("D1", 1));
}

TEST_CASE("hash_buckets: repeats across chunks, pieces and buckets, the hash 0 included",
          "[io][ids]") {
  // 300000 distinct hashes, all in two buckets (top byte 0x00 and 0x7f), so each bucket grows
  // past many chunks of 8192; repeats: 0 twice, 0x500 three times, and 0x7f00000000012300 once
  // in each of two pieces. The hash 0 marks a free slot in the table, so it must be counted
  // apart. Only the top 56 bits are kept: 0x...12345 and 0x...12399 are the same hash.
  // The buckets are shared out to 1, 2 or 3 threads: the same repeats.
  for (const unsigned threads : {1u, 2u, 3u}) {
    abmkpi::io::detail::hash_buckets a, b;
    for (std::uint64_t i = 1; i <= 300000; ++i)
      (i % 3 ? a : b).add((i % 2 ? 0 : 0x7f00000000000000ULL) | (i << 16) | 0x8000);  // distinct
    a.add(0);
    b.add(0);
    a.add(0x500);
    a.add(0x500);
    b.add(0x500);
    a.add(0x7f00000000012345ULL);
    b.add(0x7f00000000012399ULL);  // differs from the line above in the low byte only
    b.add(0x7f00000000012400ULL);  // once only
    a.absorb(std::move(b));
    CHECK(a.repeats(threads) == std::vector<std::uint64_t>{0, 0x500, 0x7f00000000012300ULL});
    CHECK(a.repeats(threads).empty());  // the log was emptied
  }
}

TEST_CASE("hash_buckets: repeats of random hashes equal a sort's (seed 17)", "[io][ids]") {
  // 200000 random hashes over every bucket and run, then 500 of them again (some three times);
  // the reference: sort the kept bits (the low byte cleared) and take each value met twice.
  std::mt19937_64 rng(17);
  std::vector<std::uint64_t> all;
  for (int i = 0; i < 200000; ++i) all.push_back(rng());
  for (int i = 0; i < 500; ++i) all.push_back(all[rng() % all.size()]);
  for (const unsigned threads : {1u, 2u}) {
    abmkpi::io::detail::hash_buckets log;
    for (const std::uint64_t h : all) log.add(h);
    std::vector<std::uint64_t> kept;
    for (const std::uint64_t h : all) kept.push_back(h & abmkpi::io::detail::hash_buckets::kept);
    std::sort(kept.begin(), kept.end());
    std::vector<std::uint64_t> want;
    for (std::size_t i = 1; i < kept.size(); ++i)
      if (kept[i] == kept[i - 1] && (want.empty() || want.back() != kept[i])) want.push_back(kept[i]);
    CHECK(want.size() >= 450);  // a few of the 500 picks repeat a pick
    CHECK(log.repeats(threads) == want);
  }
}
