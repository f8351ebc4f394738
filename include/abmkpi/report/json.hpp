// The JSON report (SPEC §5): the stable contract scripts rely on. Keys are never renamed.
#pragma once

#include <cmath>        // std::isfinite
#include <nlohmann/json.hpp>
#include <string>       // std::string

#include "abmkpi/io/rows.hpp"
#include "abmkpi/report/report.hpp"
#include "abmkpi/version.hpp"

namespace abmkpi::report {

namespace detail {
inline nlohmann::ordered_json kpi_json(const kpi_value& k) {
  if (!k.value || !std::isfinite(*k.value)) return nullptr;  // never NaN or Infinity
  if (k.info->kind == metrics::unit::count) return static_cast<std::int64_t>(*k.value);
  return *k.value;
}
}  // namespace detail

/// The report as a JSON document (indented by 2, ending in a newline). Text from the input
/// that is not valid UTF-8 is replaced with U+FFFD so the output is always valid JSON.
inline std::string render_json(const report& r) {
  using json = nlohmann::ordered_json;
  json out;
  out["abmkpi_version"] = version_string;
  if (r.period)
    out["period"] = {{"from", to_iso(r.period->from)}, {"to", to_iso(r.period->to)},
                     {"days", r.period->days()}};
  else
    out["period"] = {{"from", nullptr}, {"to", nullptr}, {"days", nullptr}};
  out["currency"] = r.currency ? json(*r.currency) : json(nullptr);
  json inputs = json::object();
  for (auto t : {io::table_kind::deals, io::table_kind::accounts, io::table_kind::touches,
                 io::table_kind::spend}) {
    const auto& c = r.inputs[static_cast<std::size_t>(t)];
    inputs[std::string(io::table_name(t))] =
        c ? json{{"rows", c->rows}, {"rejected", c->rejected}} : json(nullptr);
  }
  out["inputs"] = std::move(inputs);
  json kpis = json::object();
  for (const auto& k : r.kpis) kpis[std::string(k.info->key)] = detail::kpi_json(k);
  out["kpis"] = std::move(kpis);
  out["notes"] = r.notes;
  out["cohorts"] = json::object();
  out["groups"] = json::object();
  out["previous"] = json::object();
  out["delta"] = json::object();
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace abmkpi::report
