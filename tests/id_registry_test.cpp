#include "test_shim.hpp"

#include <algorithm>
#include <optional>
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

TEST_CASE("id_registry: rescan mode logs 6-byte hashes, and repeats come out as suspects",
          "[io][ids]") {
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
      if (kept[i] == kept[i - 1] && (want.empty() || want.back() != kept[i]))
        want.push_back(kept[i]);
    CHECK(want.size() >= 450);  // a few of the 500 picks repeat a pick
    CHECK(log.repeats(threads) == want);
  }
}

namespace {
// The kept bits of the hashes of ids seen more than once in `ids`, sorted: what suspects()
// must give (with distinct 64-bit hashes, which these few ids have).
std::vector<std::uint64_t> repeated_hashes(const std::vector<std::string>& ids) {
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::uint64_t> out;
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i] == sorted[i - 1])
      out.push_back(abmkpi::io::detail::id_hash(sorted[i]) &
                    abmkpi::io::detail::hash_buckets::kept);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The suspects of `ids` added in `pieces` consecutive pieces, each its own rescan registry, then
// merged, as the parallel reader does; when the registry cannot answer (ids in order were not
// hashed), the answer of every_hash() fed the same ids, as the second read gives it.
std::optional<std::vector<std::uint64_t>> suspects_in_pieces(const std::vector<std::string>& ids,
                                                             std::size_t pieces, bool& reread) {
  std::vector<id_registry> regs;
  for (std::size_t p = 0; p < pieces; ++p) regs.emplace_back(abmkpi::io::id_check::rescan);
  for (std::size_t i = 0; i < ids.size(); ++i) regs[i * pieces / ids.size()].add(ids[i], i + 2);
  for (auto& r : regs) r.seal();
  for (std::size_t p = 1; p < pieces; ++p) regs[0].merge(std::move(regs[p]));
  auto s = regs[0].suspects();
  reread = !s;
  if (s) return s;
  id_registry all = id_registry::every_hash();
  for (std::size_t i = 0; i < ids.size(); ++i) all.add(ids[i], i + 2);
  return all.suspects();
}

std::string id_of(std::uint64_t n) {
  std::string s = std::to_string(n);
  return "D" + std::string(9 - s.size(), '0') + s;  // fixed width: byte order is number order
}
}  // namespace

TEST_CASE("id_registry: ids in increasing runs are proven distinct without a hash", "[io][ids]") {
  // 10000 ids in order, in one to three pieces: disjoint runs, no suspects, no second read.
  std::vector<std::string> ids;
  for (std::uint64_t i = 0; i < 10000; ++i) ids.push_back(id_of(i * 3));
  for (std::size_t pieces : {1, 2, 3}) {
    bool reread = true;
    CHECK(suspects_in_pieces(ids, pieces, reread) == std::vector<std::uint64_t>{});
    CHECK_FALSE(reread);
  }
  // A row repeated right after itself (an id equal to the last one ends the run).
  std::vector<std::string> twice = ids;
  twice.insert(twice.begin() + 5000, ids[4999]);
  for (std::size_t pieces : {1, 2, 3}) {
    bool reread = true;
    CHECK(suspects_in_pieces(twice, pieces, reread) == repeated_hashes(twice));
  }
  // The same ids as two exports joined end to end whose ranges overlap (the second holds the
  // ids between the first's): the runs overlap, more than kept_hashes ids came in order, so
  // the registry asks for the second read; one id of the first export repeated in the second
  // is then found.
  std::vector<std::string> joined;
  for (std::uint64_t i = 0; i < 5000; ++i) joined.push_back(id_of(i * 2));
  for (std::uint64_t i = 0; i < 5000; ++i) joined.push_back(id_of(i * 2 + 1));
  for (const bool repeat : {false, true}) {
    if (repeat) joined[7000] = id_of(4000);  // 4000 = 2 * 2000: in the first export
    for (std::size_t pieces : {1, 2, 3}) {
      bool reread = false;
      CHECK(suspects_in_pieces(joined, pieces, reread) == repeated_hashes(joined));
      CHECK(reread);
    }
  }
}

TEST_CASE("id_registry: suspects equal the repeated ids whatever the order (seed 17)",
          "[io][ids]") {
  // Orders an export can have: sorted, shuffled, sorted by another column then by id (a few
  // overlapping runs), sorted with a few rows moved, joined exports; small and large (beyond
  // kept_hashes ids in one run); with and without repeats; in one to four pieces.
  std::mt19937_64 rng(17);
  int rereads = 0, proofs = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = trial % 2 ? 50 + rng() % 200 : 4000 + rng() % 8000;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < n; ++i) ids.push_back(id_of(i * 2));
    switch (trial % 5) {
      case 0: break;                                         // sorted
      case 1: std::shuffle(ids.begin(), ids.end(), rng); break;
      case 2: {                                              // by a category, then by id
        std::stable_partition(ids.begin(), ids.end(),
                              [&](const std::string& s) { return s[8] < '5'; });
        break;
      }
      case 3:                                                // a few rows moved
        for (int k = 0; k < 3; ++k) std::swap(ids[rng() % n], ids[rng() % n]);
        break;
      case 4: std::rotate(ids.begin(), ids.begin() + n / 3, ids.end()); break;  // joined
    }
    if (trial % 3 == 0) {
      const std::size_t repeats = 1 + rng() % 3;
      for (std::size_t k = 0; k < repeats; ++k) ids[rng() % n] = ids[rng() % n];
    }
    const std::size_t pieces = 1 + rng() % 4;
    bool reread = false;
    const auto s = suspects_in_pieces(ids, pieces, reread);
    REQUIRE(s.has_value());
    CHECK(*s == repeated_hashes(ids));
    rereads += reread;
    proofs += !reread && s->empty();
  }
  // Both ways were taken.
  CHECK(rereads > 0);
  CHECK(proofs > 0);
}

TEST_CASE("id_registry: an id longer than a run keeps is a run of its own", "[io][ids]") {
  const std::string long_a(70, 'a'), long_b = std::string(70, 'a') + "b";
  id_registry ids(abmkpi::io::id_check::rescan);
  ids.add(long_a, 2);
  ids.add(long_b, 3);
  ids.add(long_a, 4);  // a repeat of line 2
  const auto s = ids.suspects();
  REQUIRE(s.has_value());
  CHECK(*s == repeated_hashes({long_a, long_b, long_a}));
}
