#include "test_shim.hpp"

#include <string>
#include <string_view>

#include "abmkpi/detail/batch_text.hpp"

TEST_CASE("batch_text: texts lie one after another and survive the buffer's growth", "[detail]") {
  abmkpi::detail::batch_text t;
  const auto a = t.add("A0000888");  // at 0, 8 bytes
  const auto e = t.add("");          // at 8, nothing
  const auto c = t.add("c7105");     // at 8, 5 bytes
  CHECK(a == 0);
  CHECK(e == 8);
  CHECK(c == 8);
  // 200 texts of 40 bytes: the buffer grows many times; the first texts read back unchanged.
  const std::string long_id(40, 'x');
  std::uint32_t last = 0;
  for (int i = 0; i < 200; ++i) last = t.add(long_id);
  CHECK(last == 13 + 199 * 40);
  CHECK(t.view(a, 13) == "A0000888c7105");  // adjacent: one view spans both
  CHECK(t.view(c, 5) == "c7105");
  CHECK(t.view(last, 40) == long_id);
  std::uint32_t at = 0;
  char* to = t.append(3, at);  // room written in place
  to[0] = 'a', to[1] = 'b', to[2] = 'c';
  CHECK(at == 13 + 200 * 40);
  CHECK(t.view(at, 3) == "abc");
  t.clear();
  CHECK(t.add("B1") == 0);
  CHECK(t.view(0, 2) == "B1");
}
