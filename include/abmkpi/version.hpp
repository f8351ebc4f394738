// Version of the abmkpi library and tool.
#pragma once

#define ABMKPI_VERSION_MAJOR 0
#define ABMKPI_VERSION_MINOR 1
#define ABMKPI_VERSION_PATCH 0

namespace abmkpi {
/// The version as printed by `abmkpi --version` and in the JSON report's `abmkpi_version`.
inline constexpr const char* version_string = "0.1.0";
}  // namespace abmkpi
