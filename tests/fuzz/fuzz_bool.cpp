// Fuzz target: the boolean cell parser and the token/header normalisers (io/values.hpp
// parse_bool, normalize_token, normalize_header) and the message quoting of detail/text.hpp.
// The whole input is one cell. Invariants: deterministic; a failure is false; ASCII case and
// surrounding blanks change nothing; normalising is idempotent and never grows the text; quoted
// cells hold no control bytes.
#include <cstddef>       // std::size_t
#include <cstdint>       // std::uint8_t
#include <string>        // std::string
#include <string_view>   // std::string_view
#include <system_error>  // std::errc

#include "abmkpi/detail/text.hpp"
#include "abmkpi/io/values.hpp"
#include "fuzz_support.hpp"

namespace {

using abmkpi::io::parse_bool;

std::string flip_case(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void check_bool(std::string_view text) {
  const auto r = parse_bool(text);
  const auto again = parse_bool(text);
  ABMKPI_FUZZ_CHECK(r.value == again.value && r.ec == again.ec);
  if (r.ec != std::errc{}) ABMKPI_FUZZ_CHECK(r.ec == std::errc::invalid_argument && !r.value);
  const auto flipped = parse_bool(flip_case(text));
  ABMKPI_FUZZ_CHECK(r.value == flipped.value && r.ec == flipped.ec);
  const auto padded = parse_bool(" \t" + std::string(text) + "\t ");
  ABMKPI_FUZZ_CHECK(r.value == padded.value && r.ec == padded.ec);
  // Every accepted spelling is at most 5 letters.
  if (r.ec == std::errc{}) ABMKPI_FUZZ_CHECK(abmkpi::io::trim(text).size() <= 5);
}

void check_normalizers(std::string_view text) {
  std::string token, token2, header, header2;
  abmkpi::io::normalize_token(text, token);
  abmkpi::io::normalize_token(token, token2);
  ABMKPI_FUZZ_CHECK(token == token2);
  ABMKPI_FUZZ_CHECK(token.size() <= text.size());
  ABMKPI_FUZZ_CHECK(token.empty() || (token.front() != '_' && token.back() != '_'));
  ABMKPI_FUZZ_CHECK(token.find("__") == std::string::npos);
  abmkpi::io::normalize_header(text, header);
  abmkpi::io::normalize_header(header, header2);
  ABMKPI_FUZZ_CHECK(header == header2);
  ABMKPI_FUZZ_CHECK(header.size() <= text.size());
  // Case does not matter to either.
  std::string token_flipped, header_flipped;
  abmkpi::io::normalize_token(flip_case(text), token_flipped);
  abmkpi::io::normalize_header(flip_case(text), header_flipped);
  ABMKPI_FUZZ_CHECK(token == token_flipped && header == header_flipped);
}

void check_quoting(std::string_view text) {
  for (const std::string& s :
       {abmkpi::detail::escape_control(text), abmkpi::detail::quote_cell(text)}) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto b = static_cast<unsigned char>(s[i]);
      ABMKPI_FUZZ_CHECK(b >= 0x20 && b != 0x7f);
      // No C1 control in its UTF-8 form (0xC2 0x80..0x9F).
      if (b == 0xC2 && i + 1 < s.size()) {
        const auto next = static_cast<unsigned char>(s[i + 1]);
        ABMKPI_FUZZ_CHECK(!(next >= 0x80 && next <= 0x9f));
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_bool(text);
  check_normalizers(text);
  check_quoting(text);
  return 0;
}
