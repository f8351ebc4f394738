// The main of a fuzz target in an ordinary (non-libFuzzer) build: runs LLVMFuzzerTestOneInput
// once on every regular file of each directory or file named on the command line, so corpora and
// saved regressions are replayed as plain tests. Exits 1 when a named path does not exist; a
// finding crashes (abort, sanitizer report) or escapes as an exception, as under libFuzzer.
#include <algorithm>   // std::sort
#include <cstddef>     // std::size_t
#include <cstdint>     // std::uint8_t
#include <cstdio>      // std::printf, std::fprintf
#include <filesystem>  // std::filesystem
#include <fstream>     // std::ifstream
#include <iterator>    // std::istreambuf_iterator
#include <string>      // std::string
#include <vector>      // std::vector

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

void run_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // A copy of its own, as libFuzzer gives, so that reading past the end is caught by ASan.
  std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(copy.data(), copy.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t ran = 0;
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    if (std::string(argv[i]).starts_with("-")) continue;  // libFuzzer flags such as -runs=0
    std::error_code ec;
    if (fs::is_regular_file(arg, ec)) {
      run_file(arg);
      ++ran;
      continue;
    }
    if (!fs::is_directory(arg, ec)) {
      std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
      status = 1;
      continue;
    }
    std::vector<fs::path> files;  // sorted, so a run is the same every time
    for (const auto& entry : fs::recursive_directory_iterator(arg))
      if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::fprintf(stderr, "%s\n", f.c_str());  // the input of a crash is the last one named
      run_file(f);
      ++ran;
    }
  }
  std::printf("%s: ran %zu inputs\n", argc > 0 ? argv[0] : "replay", ran);
  return status;
}
