// Reads a deals file given on the command line and prints its win rate: the library as a C++
// program would use it, through the installed package.
#include <abmkpi/abmkpi.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  abmkpi::engine::analysis_options opts;
  opts.deals_path = argv[1];
  opts.period = abmkpi::engine::parse_period("2024");
  abmkpi::io::diagnostics diag;
  const auto a = abmkpi::engine::load(opts, diag);
  const auto r = abmkpi::engine::build_report(a, opts, diag);
  const auto win_rate = r.get("win_rate");
  if (!win_rate) return 1;
  std::printf("%.6f\n", *win_rate);
  return 0;
}
