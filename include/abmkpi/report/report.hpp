// The report model (SPEC §5): what every renderer prints. Built by the engine, rendered by
// report/json, table, markdown and csv. No formatting here.
#pragma once

#include <array>        // std::array
#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <stdexcept>    // std::logic_error
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/metrics/catalog.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::report {

/// Rows read from one input table, and how many of them were rejected (--skip-invalid).
struct table_counts {
  std::int64_t rows = 0;
  std::int64_t rejected = 0;
};

/// One KPI value; nullopt is JSON null (not computable).
struct kpi_value {
  const metrics::kpi_info* info;
  std::optional<double> value;
  /// False when the KPI needs an input that was not given: the table and Markdown leave it
  /// out (a note says why); JSON and CSV still carry it as null.
  bool available = true;
};

/// A full report.
struct report {
  std::optional<abmkpi::period> period;  ///< nullopt when there are no events and no bounds
  std::optional<std::string> currency;   ///< the report currency, when known
  std::array<std::optional<table_counts>, 4> inputs;  ///< by io::table_kind; nullopt: not given
  std::array<std::string, 4> input_names;             ///< file names, for the table's header
  std::vector<kpi_value> kpis;                         ///< every catalog key, in catalog order
  std::vector<std::string> notes;

  /// A report with every KPI present and null.
  report() {
    kpis.reserve(metrics::kpi_catalog.size());
    for (const auto& k : metrics::kpi_catalog) kpis.push_back({&k, std::nullopt});
  }

  /// Sets a KPI by key; a key not in the catalog is a programming error (std::logic_error).
  void set(std::string_view key, std::optional<double> v) {
    for (auto& k : kpis)
      if (k.info->key == key) {
        k.value = v;
        return;
      }
    throw std::logic_error("unknown KPI key " + std::string(key));
  }

  /// Marks every KPI that needs `input` as unavailable.
  void mark_unavailable(metrics::needs input) noexcept {
    for (auto& k : kpis)
      if (k.info->input == input) k.available = false;
  }

  /// Marks one KPI as unavailable (it needs an input that was not given).
  void mark_unavailable_key(std::string_view key) noexcept {
    for (auto& k : kpis)
      if (k.info->key == key) k.available = false;
  }

  /// The value of a KPI by key (nullopt when null or unknown).
  std::optional<double> get(std::string_view key) const noexcept {
    for (const auto& k : kpis)
      if (k.info->key == key) return k.value;
    return std::nullopt;
  }
};

}  // namespace abmkpi::report
