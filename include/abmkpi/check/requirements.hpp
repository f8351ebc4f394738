// Requirements on a report for CI gates (SPEC §6, `abmkpi check`): `KEY OP NUMBER`, where KEY is
// a `kpis` key or a JSON path such as `cohorts.lift.win_rate`, `delta.win_rate` or
// `groups.EMEA.win_rate`. Parsing, key lookup with close-match suggestions, and evaluation.
#pragma once

#include <algorithm>    // std::min, std::sort
#include <charconv>     // std::from_chars
#include <cmath>        // std::isfinite
#include <cstddef>      // std::size_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::pair
#include <vector>       // std::vector

#include "abmkpi/error.hpp"
#include "abmkpi/io/values.hpp"
#include "abmkpi/metrics/catalog.hpp"
#include "abmkpi/report/explain.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/report.hpp"

namespace abmkpi::check {

enum class op : std::uint8_t { ge, gt, le, lt, eq, ne };

/// One parsed requirement.
struct requirement {
  std::string text;  ///< as written, trimmed
  std::string key;
  op comparison = op::ge;
  double threshold = 0;
};

inline std::string_view op_text(op o) noexcept {
  switch (o) {
    case op::ge: return ">=";
    case op::gt: return ">";
    case op::le: return "<=";
    case op::lt: return "<";
    case op::eq: return "==";
    case op::ne: return "!=";
  }
  return "?";
}

inline bool holds(double actual, op o, double threshold) noexcept {
  switch (o) {
    case op::ge: return actual >= threshold;
    case op::gt: return actual > threshold;
    case op::le: return actual <= threshold;
    case op::lt: return actual < threshold;
    case op::eq: return actual == threshold;
    case op::ne: return actual != threshold;
  }
  return false;
}

namespace detail {
using io::trim;

/// Edit distance (Levenshtein), for suggestions.
inline std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

inline bool is_deal_key(std::string_view key) noexcept {
  const auto k = metrics::find_kpi(key);
  return k && k->spec == "3.1";
}
inline bool is_kpi_key(std::string_view key) noexcept { return metrics::find_kpi(key).has_value(); }
}  // namespace detail

/// Parses `KEY OP NUMBER`. `where` prefixes messages (e.g. `--require` or `rules.txt:3`); text
/// after a `#` that follows the operator is a comment. Throws usage_error.
inline requirement parse_requirement(std::string_view text, const std::string& where) {
  const std::string_view line = detail::trim(text);
  static constexpr std::pair<std::string_view, op> ops[] = {
      {">=", op::ge}, {"<=", op::le}, {"==", op::eq}, {"!=", op::ne}, {">", op::gt}, {"<", op::lt}};
  std::size_t at = std::string_view::npos, len = 0;
  op found = op::ge;
  for (std::size_t i = 0; i < line.size() && at == std::string_view::npos; ++i)
    for (const auto& [spelling, o] : ops)
      if (line.substr(i).starts_with(spelling)) {
        at = i, len = spelling.size(), found = o;
        break;
      }
  const auto bad = [&](const std::string& why) {
    return usage_error(where + ": " + why + " in \"" + std::string(line) +
                       "\" (expected KEY OP NUMBER, OP one of >= > <= < == !=, e.g. "
                       "'win_rate >= 0.2')");
  };
  if (at == std::string_view::npos) throw bad("no comparison operator");
  requirement r;
  std::string_view number = line.substr(at + len);
  const std::size_t comment = number.find('#');
  number = detail::trim(number.substr(0, comment));
  r.text = std::string(detail::trim(line.substr(0, comment == std::string_view::npos
                                                       ? line.size()
                                                       : at + len + comment)));
  r.key = std::string(detail::trim(line.substr(0, at)));
  r.comparison = found;
  if (r.key.empty()) throw bad("no key");
  if (number.empty()) throw bad("no number");
  if (number.back() == '%') throw bad("rates are fractions: write 0.2, not 20%");
  // from_chars takes no '+': drop one that starts a number, but not "+-1".
  const std::string_view digits =
      number.size() > 1 && number[0] == '+' && number[1] != '-' && number[1] != '+'
          ? number.substr(1)
          : number;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), r.threshold);
  if (ec != std::errc{} || end != digits.data() + digits.size() || !std::isfinite(r.threshold))
    throw bad("cannot read \"" + std::string(number) + "\" as a number");
  return r;
}

/// Reads a rules file's lines: one requirement per line; blank lines and lines starting with `#`
/// are skipped. `name` is used in messages. Throws usage_error.
inline std::vector<requirement> parse_rules(std::string_view content, const std::string& name) {
  std::vector<requirement> out;
  std::size_t line_no = 0;
  while (!content.empty()) {
    const std::size_t nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    if (line.ends_with('\r')) line.remove_suffix(1);  // a rules file saved on Windows
    line = detail::trim(line);
    content = nl == std::string_view::npos ? std::string_view{} : content.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    out.push_back(parse_requirement(line, name + ":" + std::to_string(line_no)));
  }
  return out;
}

/// Every key a requirement may name, groups aside: `kpis` keys, `kpis.<key>`,
/// `cohorts.target.<key>`, `cohorts.non_target.<key>`, `cohorts.lift.<key>`,
/// `cohorts.win_rate_p_value`, `previous.<key>` and `delta.<key>`.
inline std::vector<std::string> known_keys() {
  std::vector<std::string> out;
  for (const auto& k : metrics::kpi_catalog) {
    const std::string key(k.key);
    out.push_back(key);
    out.push_back("kpis." + key);
    out.push_back("previous." + key);
    out.push_back("delta." + key);
    if (k.spec == "3.1") {
      out.push_back("cohorts.target." + key);
      out.push_back("cohorts.non_target." + key);
    }
  }
  for (std::string_view k : report::lift_keys) out.push_back("cohorts.lift." + std::string(k));
  out.push_back("cohorts.win_rate_p_value");
  return out;
}

/// Up to three known keys close to `key` (by edit distance, or containing it), best first.
inline std::vector<std::string> close_matches(std::string_view key) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  const std::size_t limit = std::max<std::size_t>(2, key.size() / 3);
  for (auto& candidate : known_keys()) {
    std::size_t d = detail::distance(key, candidate);
    if (d > limit && candidate.find(key) != std::string::npos && key.size() >= 3) d = limit;
    if (d <= limit) scored.emplace_back(d, std::move(candidate));
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && out.size() < 3; ++i) out.push_back(scored[i].second);
  return out;
}

/// What a key asks for, checked before any input is read.
struct key_use {
  bool needs_previous = false;  ///< previous.* or delta.*
  bool needs_groups = false;    ///< groups.*
};

/// Checks that `key` can name a value: a known key, or `groups.<value>.<deal key>` when --by is
/// given (`has_by`). Throws usage_error naming close matches.
inline key_use check_key(const std::string& key, bool has_by) {
  key_use use;
  if (key.starts_with("groups.")) {
    const std::size_t dot = key.rfind('.');
    const std::string_view leaf = std::string_view(key).substr(dot + 1);
    if (dot <= 7 || !detail::is_deal_key(leaf))
      throw usage_error("unknown key \"" + key + "\": a group key is groups.VALUE.KEY with KEY a "
                        "deal KPI (SPEC §3.1), e.g. groups.EMEA.win_rate");
    if (!has_by) throw usage_error("\"" + key + "\" needs --by COLUMN");
    use.needs_groups = true;
    return use;
  }
  for (const auto& k : known_keys())
    if (k == key) {
      use.needs_previous = key.starts_with("previous.") || key.starts_with("delta.");
      return use;
    }
  std::string message = "unknown key \"" + key + "\"";
  const auto near = close_matches(key);
  if (!near.empty()) {
    message += "; did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i)
      message += (i == 0 ? "" : i + 1 == near.size() ? " or " : ", ") + near[i];
    message += "?";
  }
  throw usage_error(message + " (`abmkpi metrics` lists the KPI keys)");
}

/// The value a key names in `r`; nullopt when it is null or absent (no cohorts, no such group).
inline std::optional<double> lookup(const report::report& r, std::string_view key) {
  const auto split = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (!key.starts_with(prefix)) return std::nullopt;
    return key.substr(prefix.size());
  };
  if (detail::is_kpi_key(key)) return r.get(key);
  if (auto k = split("kpis.")) return r.get(*k);
  if (auto k = split("previous.")) return r.previous ? r.previous->get(*k) : std::nullopt;
  if (auto k = split("delta.")) return r.delta ? r.delta->get(*k) : std::nullopt;
  if (key == "cohorts.win_rate_p_value")
    return r.cohorts ? r.cohorts->win_rate_p_value : std::nullopt;
  if (auto k = split("cohorts.target."))
    return r.cohorts ? r.cohorts->target.get(*k) : std::nullopt;
  if (auto k = split("cohorts.non_target."))
    return r.cohorts ? r.cohorts->non_target.get(*k) : std::nullopt;
  if (auto k = split("cohorts.lift.")) {
    if (!r.cohorts) return std::nullopt;
    for (std::size_t i = 0; i < report::lift_keys.size(); ++i)
      if (report::lift_keys[i] == *k) return r.cohorts->lift[i];
    return std::nullopt;
  }
  if (auto rest = split("groups.")) {
    const std::size_t dot = rest->rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    for (const auto& g : r.groups)
      if (g.key() == rest->substr(0, dot)) return g.kpis.get(rest->substr(dot + 1));
  }
  return std::nullopt;
}

/// Why a key has no value in `r`, in words; empty when nothing more is known.
inline std::string missing_reason(const report::report& r, std::string_view key) {
  if (std::string why = report::null_reason(r, key); !why.empty()) return why;
  const auto after = [&](std::string_view prefix) { return key.substr(prefix.size()); };
  if (key.starts_with("cohorts.") && !r.cohorts)
    return "no cohorts: they need an accounts table with a target column";
  if (key.starts_with("cohorts.lift."))
    return "target ÷ non-target needs both cohorts' " + std::string(after("cohorts.lift.")) +
           ", and the non-target one not 0";
  if (key.starts_with("cohorts.")) return "null for this cohort's deals";
  if (key.starts_with("groups.")) {
    const std::string_view rest = after("groups.");
    const std::string_view value = rest.substr(0, rest.rfind('.'));
    for (const auto& g : r.groups)
      if (g.key() == value) return report::null_reason(r, rest.substr(rest.rfind('.') + 1));
    return "no group \"" + std::string(value) + "\"";
  }
  if (key.starts_with("previous."))
    return "null in the previous period " + report::format_period(r.previous_period);
  if (key.starts_with("delta.")) {
    const std::string_view k = after("delta.");
    if (!r.get(k)) return "kpis." + std::string(k) + " is null";
    return "previous." + std::string(k) + " is null (" + report::format_period(r.previous_period) +
           ")";
  }
  return report::null_reason(r, key.starts_with("kpis.") ? after("kpis.") : key);
}

/// The outcome of one requirement.
struct outcome {
  const requirement* req;
  std::optional<double> actual;
  bool passed;
  bool missing;  ///< the value is null or absent
};

/// Evaluates every requirement; a missing value fails unless `allow_missing`.
inline std::vector<outcome> evaluate(const report::report& r, const std::vector<requirement>& reqs,
                                     bool allow_missing) {
  std::vector<outcome> out;
  for (const auto& q : reqs) {
    const auto v = lookup(r, q.key);
    out.push_back({&q, v, v ? holds(*v, q.comparison, q.threshold) : allow_missing, !v});
  }
  return out;
}

}  // namespace abmkpi::check
