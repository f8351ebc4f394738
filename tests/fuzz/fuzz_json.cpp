// Fuzz target: the JSON document reader (io/json.hpp read_json: an array of rows or a bundle of
// tables). The first byte picks the default table, small limits (depth, field bytes, columns),
// tables nobody reads and the block size of a file read; the rest is the document. The document is
// read from memory and from a file (through byte_source, in blocks) and both reads must give the
// same events and the same error. Only abmkpi::error may escape; anything else is a finding.
#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t
#include <cstdio>       // std::fprintf
#include <cstdlib>      // std::abort
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "abmkpi/error.hpp"
#include "abmkpi/io/json.hpp"
#include "fuzz_support.hpp"
#include "json_sink.hpp"

namespace {

using abmkpi::io::json_options;
using abmkpi::io::table_kind;

template <class Read>
std::string outcome(std::string_view text, bool skip_some, Read&& read) {
  std::string log;
  const std::uint64_t max_line = abmkpi_fuzz::last_line_of(text);
  std::array<abmkpi_fuzz::json_checking_sink, 4> sinks{{{"deals", log, max_line},
                                                         {"accounts", log, max_line},
                                                         {"touches", log, max_line},
                                                         {"spend", log, max_line}}};
  const abmkpi::io::sink_selector select = [&](table_kind t) -> abmkpi::io::row_sink* {
    if (skip_some && (t == table_kind::accounts || t == table_kind::spend)) return nullptr;
    return &sinks[static_cast<std::size_t>(t)];
  };
  try {
    read(select);
  } catch (const abmkpi::parse_error& e) {
    ABMKPI_FUZZ_CHECK(e.line() >= 1 && e.line() <= max_line);
    return log + "error " + e.what() + "\n";
  } catch (const abmkpi::error& e) {
    return log + "error " + e.what() + "\n";
  }
  return log;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto default_table = static_cast<table_kind>(mode & 3);
  json_options opts;
  if (mode & 4) {  // limits small enough to be hit
    opts.max_depth = 3;
    abmkpi_fuzz::set_small_json_limits(opts);
  }
  const bool skip_some = (mode & 8) != 0;
  // Not the 1 MiB default: under ASan each fresh 1 MiB buffer costs ~10 ms.
  constexpr std::size_t blocks[] = {1, 5, 64, 4096};
  json_options file_opts = opts;
  file_opts.block_bytes = blocks[(mode >> 4) & 3];

  const std::string path = abmkpi_fuzz::write_scratch("fuzz.json", text);
  const std::string from_memory = outcome(text, skip_some, [&](const auto& select) {
    abmkpi::io::read_json(text, path, default_table, select, opts);
  });
  const std::string from_file = outcome(text, skip_some, [&](const auto& select) {
    abmkpi::io::byte_source src(path);
    abmkpi::io::read_json(src, default_table, select, file_opts);
  });
  if (from_memory != from_file) {
    std::fprintf(stderr,
                 "memory and file reads differ:\n--- memory\n%s--- file (blocks of %zu)\n%s",
                 from_memory.c_str(), file_opts.block_bytes, from_file.c_str());
    std::abort();
  }
  return 0;
}
