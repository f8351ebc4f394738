#include "test_shim.hpp"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "abmkpi/engine/deal_stats.hpp"
#include "abmkpi/engine/parallel_csv.hpp"
#include "abmkpi/io/deal_reader.hpp"

using namespace abmkpi;

namespace {
// Reads the deals file `path` into a deal_stats, in `threads` pieces (1: sequentially), under the
// default policy; keeps every stderr line and whether the pieces were used.
struct outcome {
  bool parallel = false;
  std::vector<std::string> messages;
  metrics::deal_totals totals;
  std::int64_t rows = 0;
};

outcome read_deals(const std::string& path, unsigned threads,
                   const engine::parallel_options& split = {}) {
  outcome o;
  io::diagnostics diag(io::row_error_policy::fail,
                       [&o](std::string_view m) { o.messages.emplace_back(m); });
  const auto rules = [] {
    io::deal_table t;
    t.ids = io::id_registry(io::id_check::rescan);
    return t;
  };
  engine::deal_stats stats;
  io::deal_reader<engine::deal_stats> main(path, {}, diag, stats, rules());
  o.parallel = engine::read_csv_parallel(
      path, threads, 0, io::read_limits{}, diag, stats, main, [] { return engine::deal_stats(); },
      [&](io::diagnostics& d, engine::deal_stats& s) {
        return io::deal_reader<engine::deal_stats>(path, {}, d, s, rules());
      },
      split);
  if (!o.parallel) {
    io::byte_source src(path);
    io::read_csv(src, main);
  }
  try {
    diag.finish_reading();
  } catch (const io::row_errors&) {
  }
  o.rows = stats.rows();
  o.totals = stats.totals(period{make_date(2024, 1, 1), make_date(2024, 12, 31)}, false);
  return o;
}

// A deals CSV of a plain part (the first MiB and a bit: no quoted line break) then records that
// are mostly a quoted name of 40 lines, up to `bytes`. `id` gets the last deal's number and
// `quoted_from` the first quoted one's.
std::string plain_then_quoted(std::size_t bytes, int& id, int& quoted_from) {
  std::string csv = "deal_id,account_id,amount,status,created_date,close_date,deal_name\n";
  id = 0;
  while (csv.size() < (std::size_t{1} << 20) + 1000)
    csv += "D" + std::to_string(++id) + ",A1,10.00,won,2024-03-01,2024-04-01,plain\n";
  std::string name = "\"";
  for (int i = 0; i < 40; ++i) name += "part " + std::to_string(i) + "\n";
  name += "\"";
  quoted_from = id + 1;
  while (csv.size() < bytes)
    csv += "D" + std::to_string(++id) + ",A2,20.00,won,2024-03-01,2024-04-01," + name + "\n";
  return csv;
}

void require_same(const outcome& a, const outcome& b) {
  CHECK(a.messages == b.messages);
  CHECK(a.rows == b.rows);
  CHECK(a.totals.won == b.totals.won);
  CHECK(a.totals.bookings == b.totals.bookings);
  CHECK(a.totals.created_amount == b.totals.created_amount);
}
}  // namespace

TEST_CASE("parallel_csv: pieces cut at line ends give a sequential read's lines and sums",
          "[engine][parallel]") {
  // 3000 one-line deals of 100.00 each, won on line 2 + k for even k; bad amounts on lines 1500
  // and 2900, which 4 pieces of about 750 lines each read in their third and fourth piece.
  std::string csv = "deal_id,account_id,amount,status,created_date,close_date\n";
  for (int line = 2; line <= 3001; ++line) {
    const bool bad = line == 1500 || line == 2900;
    csv += "D" + std::to_string(line) + ",A" + std::to_string(line % 7) + "," +
           (bad ? "12x" : "100.00") + "," + (line % 2 == 0 ? "won" : "open") +
           ",2024-03-01,2024-04-01\n";
  }
  const std::string path = abmkpi_test::write_scratch("parallel_lines.csv", csv);
  const outcome one = read_deals(path, 1);
  const outcome four = read_deals(path, 4);
  CHECK_FALSE(one.parallel);
  CHECK(four.parallel);
  REQUIRE(four.messages.size() == 2);
  CHECK(four.messages[0] == path + ":1500: amount: cannot read \"12x\" as money");
  CHECK(four.messages[1] == path + ":2900: amount: cannot read \"12x\" as money");
  // Valid rows: 3000 − 2 = 2998. Won: the even lines 2..3000 are 1500, less line 1500 and
  // 2900 (both even) = 1498, so bookings = 1498 × 100.00.
  CHECK(four.rows == 2998);
  CHECK(four.totals.won == 1498);
  CHECK(four.totals.bookings == 149800.0);
  require_same(one, four);
}

TEST_CASE("parallel_csv: a cut inside a quoted line break is found and placed by counting",
          "[engine][parallel]") {
  // The first MiB has no quoted line break, so the cut is first guessed at the next line end;
  // after it every record is mostly a quoted name of 40 lines, so the middle of the file, where
  // two pieces are cut, falls inside one: that piece fails and the counted cut is used.
  int id = 0, quoted_from = 0;
  std::string csv = plain_then_quoted(std::size_t{3} << 20, id, quoted_from);
  // One bad amount in the second half: its line counts the 40 line breaks of each name before.
  const std::size_t bad_line = 2 + static_cast<std::size_t>(id) + 40 * (id - quoted_from + 1);
  csv += "D" + std::to_string(++id) + ",A2,2x,won,2024-03-01,2024-04-01,x\n";
  // Precondition: the middle byte is inside quotes (an odd number of quotes before it).
  std::size_t quotes = 0;
  for (std::size_t i = 0; i < csv.size() / 2; ++i) quotes += csv[i] == '"';
  REQUIRE(quotes % 2 == 1);
  const std::string path = abmkpi_test::write_scratch("parallel_quoted.csv", csv);
  const outcome one = read_deals(path, 1);
  const outcome two = read_deals(path, 2);
  CHECK(two.parallel);
  REQUIRE(two.messages.size() == 1);
  CHECK(two.messages[0] ==
        path + ":" + std::to_string(bad_line) + ": amount: cannot read \"2x\" as money");
  require_same(one, two);
}

namespace {
// A split under which one thread nearly always steals: its piece is a hundredth of the file
// (the first piece, or with `first_big` the second), and the other piece is read 512 bytes at
// a time.
engine::parallel_options steal_early(engine::parallel_stats& stats, bool first_big = false) {
  engine::parallel_options o;
  o.first_share = first_big ? 0.99 : 0.01;
  o.block_bytes = 512;
  o.steal_min_bytes = 1;
  o.max_steals = 1;
  o.stats = &stats;
  // The big piece's thread waits, so that the small one's finishes first and steals from it
  // (without the wait, under load, it sometimes had not started before the big one was read).
  const std::size_t big = first_big ? 0 : 1;
  o.before_piece = [big](std::size_t piece) {
    if (piece == big) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
  return o;
}
}  // namespace

TEST_CASE("parallel_csv: a thread done early takes the second half of another piece's rest",
          "[engine][parallel]") {
  // 4000 one-line deals of 100.00 each, won on even lines; a bad amount on every 250th line,
  // so that every piece reports rows and is read again from its true first line, whichever
  // part of the file the stolen piece takes (it starts in the middle of what the big piece
  // had left). When the big piece is the first, the stolen piece lies between the two.
  std::string csv = "deal_id,account_id,amount,status,created_date,close_date\n";
  for (int line = 2; line <= 4001; ++line) {
    const bool bad = line % 250 == 0;
    csv += "D" + std::to_string(line) + ",A" + std::to_string(line % 7) + "," +
           (bad ? "12x" : "100.00") + "," + (line % 2 == 0 ? "won" : "open") +
           ",2024-03-01,2024-04-01\n";
  }
  const std::string path = abmkpi_test::write_scratch("parallel_steal.csv", csv);
  const outcome one = read_deals(path, 1);
  // Bad lines: 250, 500, ..., 4000 = 16. Valid rows: 4000 − 16 = 3984. Won: the 2000 even
  // lines 2..4000, less the 16 bad ones (all even): 1984, so bookings = 1984 × 100.00.
  REQUIRE(one.messages.size() == 16);
  CHECK(one.messages[0] == path + ":250: amount: cannot read \"12x\" as money");
  CHECK(one.messages[15] == path + ":4000: amount: cannot read \"12x\" as money");
  CHECK(one.rows == 3984);
  CHECK(one.totals.won == 1984);
  CHECK(one.totals.bookings == 198400.0);
  // Whether a thread steals depends on timing: every read must equal the sequential one, and
  // within 50 tries some read must have stolen (with the first piece big, from the first
  // piece: the thread of the big one may finish first and steal from the small one).
  const bool first_big = GENERATE(false, true);
  CAPTURE(first_big);
  bool stole = false;
  for (int attempt = 0; attempt < 50 && !stole; ++attempt) {
    engine::parallel_stats stats;
    const outcome two = read_deals(path, 2, steal_early(stats, first_big));
    REQUIRE(two.parallel);
    require_same(one, two);  // the 16 messages, with their lines, too
    CHECK_FALSE(stats.counted);
    CHECK(stats.pieces == 2 + stats.steals);
    stole = stats.steals == 1 && stats.out_of_order == first_big;
  }
  CHECK(stole);
}

TEST_CASE(
    "parallel_csv: a stolen cut inside a quoted line break fails and the counted cuts are used",
    "[engine][parallel]") {
  // The first MiB and a bit has no quoted line break; after it each record is mostly a quoted
  // name of 40 lines. The first piece ends in the plain part; the middle of the second piece's
  // rest, where a steal cuts, is in the quoted part, where 40 of 41 line ends are inside quotes.
  // A cut there makes the second piece end inside a quote: the read is done again with
  // counted cuts, and must still equal the sequential one.
  int id = 0, quoted_from = 0;
  const std::string csv = plain_then_quoted(std::size_t{4} << 20, id, quoted_from);
  const std::string path = abmkpi_test::write_scratch("parallel_steal_quoted.csv", csv);
  const outcome one = read_deals(path, 1);
  CHECK(one.rows == id);
  bool recovered = false;
  for (int attempt = 0; attempt < 20 && !recovered; ++attempt) {
    engine::parallel_stats stats;
    engine::parallel_options split = steal_early(stats);
    split.block_bytes = 64 << 10;
    const outcome two = read_deals(path, 2, split);
    REQUIRE(two.parallel);
    require_same(one, two);
    recovered = stats.steals > 0 && stats.counted;  // a steal failed, then counted cuts
  }
  CHECK(recovered);
}
