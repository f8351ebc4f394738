// The report model (SPEC §5): what every renderer prints. Built by the engine, rendered by
// report/json, table, markdown, csv and html. No formatting here.
#pragma once

#include <array>        // std::array
#include <cstdint>      // std::int64_t
#include <map>          // std::map
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

/// KPI values in catalog order: every key of SPEC §3 (`kpis`, `previous`, `delta`), or only the
/// §3.1 deal keys (a cohort or a group).
class kpi_set {
 public:
  enum class scope : std::uint8_t { all, deals };

  explicit kpi_set(scope s = scope::all) {
    for (const auto& k : metrics::kpi_catalog)
      if (s == scope::all || k.spec == "3.1") values_.push_back({&k, std::nullopt});
  }

  /// Sets a KPI by key; a key not in the set is a programming error (std::logic_error).
  void set(std::string_view key, std::optional<double> v) {
    for (auto& k : values_)
      if (k.info->key == key) {
        k.value = v;
        return;
      }
    throw std::logic_error("unknown KPI key " + std::string(key));
  }

  /// Makes every value null (availability stays).
  void clear_values() noexcept {
    for (auto& k : values_) k.value.reset();
  }

  /// Marks every KPI that needs `input` as unavailable.
  void mark_unavailable(metrics::needs input) noexcept {
    for (auto& k : values_)
      if (k.info->input == input) k.available = false;
  }

  /// Marks one KPI as unavailable (it needs an input that was not given).
  void mark_unavailable_key(std::string_view key) noexcept {
    for (auto& k : values_)
      if (k.info->key == key) k.available = false;
  }

  /// The value of a KPI by key (nullopt when null or unknown).
  std::optional<double> get(std::string_view key) const noexcept {
    const kpi_value* k = find(key);
    return k ? k->value : std::nullopt;
  }
  /// The entry of a key, or nullptr when the set has no such key.
  const kpi_value* find(std::string_view key) const noexcept {
    for (const auto& k : values_)
      if (k.info->key == key) return &k;
    return nullptr;
  }

  auto begin() const noexcept { return values_.begin(); }
  auto end() const noexcept { return values_.end(); }
  std::size_t size() const noexcept { return values_.size(); }

 private:
  std::vector<kpi_value> values_;
};

/// The keys SPEC §4 gives a lift (target ÷ non-target).
inline constexpr std::array<std::string_view, 5> lift_keys{
    "win_rate", "avg_deal_size", "acv_avg", "sales_cycle_days_avg", "pipeline_velocity"};

/// Target against non-target accounts (SPEC §4).
struct cohort_report {
  kpi_set target{kpi_set::scope::deals};
  kpi_set non_target{kpi_set::scope::deals};
  std::array<std::optional<double>, lift_keys.size()> lift;  ///< by lift_keys
  std::optional<double> win_rate_p_value;
};

/// One `--by` group: its values (one per `--by` column) and its §3.1 KPIs.
struct group_report {
  std::vector<std::string> values;
  kpi_set kpis{kpi_set::scope::deals};

  /// The group's key in JSON and CSV: its value, or its values joined by " / " for several --by
  /// columns.
  std::string key() const {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : " / ") + v;
    return out;
  }
};

/// One calendar month of the period, clipped to the period's days (the HTML report's monthly
/// chart; not in the JSON, whose keys are a stable contract).
struct month_sums {
  abmkpi::period span;          ///< the month's days inside the report period
  double created_pipeline = 0;  ///< Σ amount of deals created in `span`
  double bookings = 0;          ///< Σ amount of won deals closed in `span`
};

/// Target accounts at each stage of the ABM funnel in the period (HTML report only). Each stage
/// is counted on its own: an account may be won without having been engaged.
struct funnel_counts {
  std::int64_t target = 0;              ///< target_accounts
  std::optional<std::int64_t> engaged;  ///< ≥ 1 engagement touch (nullopt without touches)
  std::optional<std::int64_t> mqa;      ///< engagement score ≥ --mqa-threshold (idem)
  std::int64_t opportunity = 0;         ///< a deal created in the period
  std::int64_t won = 0;                 ///< a deal won, closed in the period
};

/// Sums and settings behind the KPIs that are not KPIs themselves (Σ cycle days, emails sent,
/// the gross margin, ...), by name: what `abmkpi explain` plugs into a formula.
using term_map = std::map<std::string, double, std::less<>>;

/// A full report.
struct report {
  std::optional<abmkpi::period> period;  ///< nullopt when there are no events and no bounds
  std::optional<std::string> currency;   ///< the report currency, when known
  std::array<std::optional<table_counts>, 4> inputs;  ///< by io::table_kind; nullopt: not given
  std::array<std::string, 4> input_names;             ///< file names, for the table's header
  kpi_set kpis;                                        ///< every catalog key, in catalog order
  std::vector<std::string> notes;
  std::optional<cohort_report> cohorts;  ///< when the accounts have a target column
  std::vector<std::string> group_by;     ///< the `--by` columns
  std::vector<group_report> groups;      ///< in key order
  std::optional<abmkpi::period> previous_period;  ///< with --compare previous
  std::optional<kpi_set> previous, delta;          ///< with --compare previous
  term_map terms;                                  ///< of the current period
  /// Why each null KPI of `kpis` is null (the notes say the same, grouped by reason).
  std::map<std::string, std::string, std::less<>> null_reasons;
  /// Each calendar month overlapping the period, in order (empty without a period).
  std::vector<month_sums> months;
  /// When the accounts table has a target column.
  std::optional<funnel_counts> funnel;

  /// Shorthands for the current period's KPIs.
  void set(std::string_view key, std::optional<double> v) { kpis.set(key, v); }
  std::optional<double> get(std::string_view key) const noexcept { return kpis.get(key); }
};

}  // namespace abmkpi::report
