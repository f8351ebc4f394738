// Column names: the canonical columns of each table, the header spellings real CRM exports use for
// them (SPEC §1.2), and the rule that picks one header per canonical column.
#pragma once

#include <algorithm>    // std::find_if
#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/io/rows.hpp"
#include "abmkpi/io/values.hpp"

namespace abmkpi::io {

/// One canonical column: its name and the normalized header spellings that mean it.
struct column_def {
  std::string_view name;
  bool required;
  /// Header spellings that mean this column, compared after normalize_header.
  std::span<const std::string_view> aliases;
};

namespace detail {
// The header spellings of Salesforce reports ("Opportunity ID"), Data Loader exports (API names
// such as "ACCOUNTID") and HubSpot ("Record ID", "Associated Company ID"); they are compared
// after normalize_header, so each is listed once in its most common form.
inline constexpr std::string_view deal_id_aliases[] = {"deal id", "id", "opportunity id",
                                                       "record id"};
inline constexpr std::string_view account_id_aliases[] = {
    "account id", "company id", "associated company id", "associated company ids",
    "associated company id (primary)", "associated company ids (primary)"};
inline constexpr std::string_view account_name_aliases[] = {
    "account name", "company", "associated company", "company name"};
inline constexpr std::string_view amount_aliases[] = {
    "amount", "deal amount", "total contract value", "tcv", "value"};
inline constexpr std::string_view stage_aliases[] = {"stage", "stagename", "deal stage"};
inline constexpr std::string_view status_aliases[] = {"status", "outcome"};
inline constexpr std::string_view is_won_aliases[] = {"is won", "won"};
inline constexpr std::string_view is_closed_aliases[] = {"is closed", "closed"};
inline constexpr std::string_view created_aliases[] = {
    "created date", "create date", "created", "created at", "created on"};
inline constexpr std::string_view close_aliases[] = {"close date", "closed date"};
inline constexpr std::string_view months_aliases[] = {
    "contract months", "term", "term months", "contract term", "contract term (months)"};
inline constexpr std::string_view type_aliases[] = {"type", "deal type", "opportunity type"};
inline constexpr std::string_view probability_aliases[] = {
    "probability", "probability (%)", "deal probability"};
inline constexpr std::string_view currency_aliases[] = {
    "currency", "currency iso code", "opportunity currency", "currency code"};
inline constexpr std::string_view source_aliases[] = {
    "source", "lead source", "original source", "original source type"};
inline constexpr std::string_view campaign_aliases[] = {
    "campaign", "primary campaign source", "campaign name"};
inline constexpr std::string_view owner_aliases[] = {
    "owner", "opportunity owner", "deal owner", "owner (full name)"};
inline constexpr std::string_view segment_aliases[] = {"segment"};
inline constexpr std::string_view region_aliases[] = {"region", "territory"};

/// The index of a canonical column enum value.
constexpr std::size_t to_index(auto c) noexcept { return static_cast<std::size_t>(c); }
}  // namespace detail

/// Canonical deal columns, in the order of deal_column.
enum class deal_column : std::uint8_t {
  deal_id, account_id, account_name, amount, stage, status, is_won, is_closed, created_date,
  close_date, contract_months, type, probability, currency, source, campaign, owner, segment,
  region, count_
};

inline constexpr std::array<column_def, static_cast<std::size_t>(deal_column::count_)> deal_columns{
    {
        {"deal_id", true, detail::deal_id_aliases},
        {"account_id", true, detail::account_id_aliases},
        {"account_name", false, detail::account_name_aliases},
        {"amount", true, detail::amount_aliases},
        {"stage", false, detail::stage_aliases},
        {"status", false, detail::status_aliases},
        {"is_won", false, detail::is_won_aliases},
        {"is_closed", false, detail::is_closed_aliases},
        {"created_date", true, detail::created_aliases},
        {"close_date", false, detail::close_aliases},
        {"contract_months", false, detail::months_aliases},
        {"type", false, detail::type_aliases},
        {"probability", false, detail::probability_aliases},
        {"currency", false, detail::currency_aliases},
        {"source", false, detail::source_aliases},
        {"campaign", false, detail::campaign_aliases},
        {"owner", false, detail::owner_aliases},
        {"segment", false, detail::segment_aliases},
        {"region", false, detail::region_aliases},
    }};

/// A `--map` entry: canonical column (optionally for one table) = header as written in the file.
struct column_mapping {
  std::optional<table_kind> table;  // empty: applies to every table that has the column
  std::string canonical;
  std::string header;
};

/// Parses `canonical=Header` or `table.canonical=Header`. Returns nullopt (and sets `problem`)
/// for a malformed entry or an unknown table name; the canonical name is checked by the caller
/// against the table's columns. Does not throw.
inline std::optional<column_mapping> parse_column_mapping(std::string_view text,
                                                          std::string& problem) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    problem = "expected CANONICAL=HEADER or TABLE.CANONICAL=HEADER";
    return std::nullopt;
  }
  column_mapping m;
  std::string_view left = trim(text.substr(0, eq));
  m.header = std::string(trim(text.substr(eq + 1)));
  if (const auto dot = left.find('.'); dot != std::string_view::npos) {
    const std::string_view table = left.substr(0, dot);
    for (auto t : {table_kind::deals, table_kind::accounts, table_kind::touches, table_kind::spend})
      if (table_name(t) == table) m.table = t;
    if (!m.table) {
      problem = "unknown table \"" + std::string(table) +
                "\" (expected deals, accounts, touches or spend)";
      return std::nullopt;
    }
    left = left.substr(dot + 1);
  }
  m.canonical = std::string(left);
  return m;
}

/// The header index chosen for each canonical column (nullopt: the column is absent).
using column_binding = std::vector<std::optional<std::size_t>>;

/// Binds headers to canonical columns, SPEC §1.2: a `--map` for the column wins; then a header
/// equal to the canonical name; then the leftmost header matching an alias. Headers compare after
/// normalize_header. A header is bound at most once. Returns the binding and, in
/// `unmatched_maps`, the mapped headers that the file does not have. Does not throw.
inline column_binding bind_columns(std::span<const column_def> defs,
                                   std::span<const std::string_view> headers,
                                   std::span<const column_mapping> maps,
                                   std::vector<std::string>& unmatched_maps) {
  std::vector<std::string> norm(headers.size());
  for (std::size_t i = 0; i < headers.size(); ++i) normalize_header(headers[i], norm[i]);
  std::vector<bool> taken(headers.size(), false);
  column_binding binding(defs.size());
  auto find = [&](std::string_view wanted) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < norm.size(); ++i)
      if (!taken[i] && norm[i] == wanted) return i;
    return std::nullopt;
  };
  std::string scratch;
  for (const column_mapping& m : maps) {
    for (std::size_t c = 0; c < defs.size(); ++c) {
      if (defs[c].name != m.canonical) continue;
      normalize_header(m.header, scratch);
      if (auto at = find(scratch)) {
        binding[c] = at;
        taken[*at] = true;
      } else {
        unmatched_maps.push_back(m.header);
      }
    }
  }
  for (std::size_t c = 0; c < defs.size(); ++c) {  // exact canonical names first
    if (binding[c]) continue;
    normalize_header(defs[c].name, scratch);
    if (auto at = find(scratch)) {
      binding[c] = at;
      taken[*at] = true;
    }
  }
  for (std::size_t c = 0; c < defs.size(); ++c) {  // then the leftmost alias
    if (binding[c]) continue;
    std::optional<std::size_t> best;
    for (std::string_view alias : defs[c].aliases) {
      normalize_header(alias, scratch);
      if (auto at = find(scratch); at && (!best || *at < *best)) best = at;
    }
    if (best) {
      binding[c] = best;
      taken[*best] = true;
    }
  }
  return binding;
}

/// The header a `--by` name means in a table (SPEC §4): the header bound to the canonical column
/// of that name or alias (`--by territory` is the region column), else a header whose normalized
/// name is the same (any extra column: `--by "Lead Source Detail"`). nullopt: the table lacks it.
inline std::optional<std::size_t> find_dimension(std::string_view name,
                                                 std::span<const column_def> defs,
                                                 std::span<const std::string_view> headers,
                                                 const column_binding& binding) {
  std::string wanted, scratch;
  normalize_header(name, wanted);
  for (std::size_t c = 0; c < defs.size() && c < binding.size(); ++c) {
    if (!binding[c]) continue;
    normalize_header(defs[c].name, scratch);
    bool same = scratch == wanted;
    for (std::string_view alias : defs[c].aliases) {
      if (same) break;
      normalize_header(alias, scratch);
      same = scratch == wanted;
    }
    if (same) return binding[c];
  }
  for (std::size_t h = 0; h < headers.size(); ++h) {
    normalize_header(headers[h], scratch);
    if (scratch == wanted) return h;
  }
  return std::nullopt;
}

}  // namespace abmkpi::io
