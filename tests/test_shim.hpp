// The one include every unit test starts with: Catch2 v2 and the path to the shared test data.
#pragma once

#include <catch2/catch.hpp>

#include <string>  // std::string

namespace abmkpi_test {
/// ../shared/testdata beside the checkout (csv-spectrum, JSONTestSuite).
inline std::string shared_testdata() { return ABMKPI_SHARED_DIR "/testdata"; }
/// tests/data in the source tree.
inline std::string test_data() { return ABMKPI_TEST_DATA_DIR; }
}  // namespace abmkpi_test
