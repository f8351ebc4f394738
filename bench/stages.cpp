// Where a deals pass spends its time, on one thread: reading the file's bytes, splitting them
// into CSV records, and converting the records to deals (the deal rules and the duplicate-id
// check, nothing accumulated). The rest of `abmkpi report --threads 1` is the accumulators.
// Not a test: it prints figures (median of RUNS runs of each stage).
//   g++ -O3 -DNDEBUG -std=c++20 -Iinclude bench/stages.cpp -o stages && ./stages deals.csv [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "abmkpi/engine/analysis.hpp"
#include "abmkpi/io/csv.hpp"
#include "abmkpi/io/source.hpp"

namespace {
using namespace abmkpi;

// Counts records, so that the parser's work cannot be left out.
struct count_rows final : io::row_sink {
  std::uint64_t rows = 0;
  void columns(std::span<const std::string_view>) override {}
  void row(std::span<const std::string_view>, std::uint64_t) override { ++rows; }
  void ragged_row(std::span<const std::string_view>, std::uint64_t) override { ++rows; }
  void finish() override {}
  void csv_delimiter(char) override {}
};

double median_seconds(int runs, const std::function<void()>& stage) {
  std::vector<double> s;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    stage();
    s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(s.begin(), s.end());
  return s[s.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: stages DEALS.csv [RUNS]\n");
    return 64;
  }
  const std::string path = argv[1];
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::uint64_t rows = 0;
  const double read = median_seconds(runs, [&] {
    io::byte_source src(path);
    const auto buf = std::make_unique<char[]>(1 << 20);
    while (src.read(buf.get(), 1 << 20) > 0) {
    }
  });
  const double parse = median_seconds(runs, [&] {
    count_rows sink;
    io::byte_source src(path);
    io::read_csv(src, sink);
    rows = sink.rows;
  });
  const double convert = median_seconds(runs, [&] {
    engine::detail::discard_records nothing;
    io::diagnostics quiet(io::row_error_policy::fail, {}, 0);
    io::deal_table rules;
    rules.ids = io::id_registry(io::id_check::rescan);  // as a file's pass logs them
    io::table_reader<io::deal_table, engine::detail::discard_records> reader(path, {}, quiet,
                                                                             nothing,
                                                                             std::move(rules));
    io::byte_source src(path);
    io::read_csv(src, reader);
  });
  const double ns = 1e9 / static_cast<double>(std::max<std::uint64_t>(rows, 1));
  std::printf("%llu rows, one thread, median of %d runs\n", static_cast<unsigned long long>(rows),
              runs);
  std::printf("read the bytes          %6.3f s  %6.1f ns a row\n", read, read * ns);
  std::printf("+ split into records    %6.3f s  %6.1f ns a row\n", parse, parse * ns);
  std::printf("+ convert to deals      %6.3f s  %6.1f ns a row\n", convert, convert * ns);
}
