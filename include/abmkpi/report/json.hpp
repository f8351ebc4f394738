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

inline nlohmann::ordered_json number_json(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

inline nlohmann::ordered_json kpis_json(const kpi_set& set) {
  auto out = nlohmann::ordered_json::object();
  for (const auto& k : set) out[std::string(k.info->key)] = kpi_json(k);
  return out;
}

}  // namespace detail

/// The `cohorts` object (SPEC §4); empty when there are no cohorts.
inline nlohmann::ordered_json cohorts_json(const report& r) {
  auto out = nlohmann::ordered_json::object();
  if (!r.cohorts) return out;
  out["target"] = detail::kpis_json(r.cohorts->target);
  out["non_target"] = detail::kpis_json(r.cohorts->non_target);
  auto lift = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < lift_keys.size(); ++i)
    lift[std::string(lift_keys[i])] = detail::number_json(r.cohorts->lift[i]);
  out["lift"] = std::move(lift);
  out["win_rate_p_value"] = detail::number_json(r.cohorts->win_rate_p_value);
  return out;
}

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
  out["kpis"] = detail::kpis_json(r.kpis);
  out["notes"] = r.notes;
  out["cohorts"] = cohorts_json(r);
  json groups = json::object();
  for (const auto& g : r.groups) groups[g.key()] = detail::kpis_json(g.kpis);
  out["groups"] = std::move(groups);
  out["previous"] = r.previous ? detail::kpis_json(*r.previous) : json::object();
  out["delta"] = r.delta ? detail::kpis_json(*r.delta) : json::object();
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace abmkpi::report
