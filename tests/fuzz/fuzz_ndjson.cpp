// Fuzz target: the NDJSON reader (io/json.hpp read_ndjson). The first byte picks the block size
// of a file read and small limits; the rest is the input. The input is read from memory and from a
// file (through byte_source, in blocks) and both reads must give the same events and
// the same error. A further file read with a tiny line limit only has to keep the protocol.
// Only abmkpi::error may escape; anything else is a finding.
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

template <class Read>
std::string outcome(std::string_view text, Read&& read) {
  std::string log;
  abmkpi_fuzz::json_checking_sink sink("deals", log, abmkpi_fuzz::last_line_of(text));
  try {
    read(sink);
    ABMKPI_FUZZ_CHECK(sink.finished());
  } catch (const abmkpi::parse_error& e) {
    ABMKPI_FUZZ_CHECK(!sink.finished());
    ABMKPI_FUZZ_CHECK(e.line() >= 1 && e.line() <= abmkpi_fuzz::last_line_of(text));
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

  json_options opts;
  if (mode & 4) {  // limits small enough to be hit
    opts.max_depth = 3;
    abmkpi_fuzz::set_small_json_limits(opts);
  }
  // Not the 1 MiB default: under ASan each fresh 1 MiB buffer costs ~10 ms.
  constexpr std::size_t blocks[] = {1, 5, 64, 4096};
  json_options file_opts = opts;
  file_opts.block_bytes = blocks[mode & 3];

  const std::string path = abmkpi_fuzz::write_scratch("fuzz.ndjson", text);
  const std::string from_memory = outcome(text, [&](abmkpi::io::row_sink& sink) {
    abmkpi::io::read_ndjson(text, path, sink, opts);
  });
  const std::string from_file = outcome(text, [&](abmkpi::io::row_sink& sink) {
    abmkpi::io::byte_source src(path);
    abmkpi::io::read_ndjson(src, sink, file_opts);
  });
  if (from_memory != from_file) {
    std::fprintf(stderr,
                 "memory and file reads differ:\n--- memory\n%s--- file (blocks of %zu)\n%s",
                 from_memory.c_str(), file_opts.block_bytes, from_file.c_str());
    std::abort();
  }
  if (mode & 8) {  // the line limit (memory reads have none, so no comparison)
    json_options tight = file_opts;
    tight.max_line_bytes = 24;
    outcome(text, [&](abmkpi::io::row_sink& sink) {
      abmkpi::io::byte_source src(path);
      abmkpi::io::read_ndjson(src, sink, tight);
    });
  }
  return 0;
}
