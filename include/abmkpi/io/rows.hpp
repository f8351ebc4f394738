// The boundary between file formats and tables: every reader (CSV, JSON, NDJSON) turns bytes into
// a header and rows of text cells and hands them to a row_sink. Nothing here knows about deals.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint64_t
#include <span>         // std::span
#include <string_view>  // std::string_view

namespace abmkpi::io {

/// The four input tables of SPEC §1.
enum class table_kind : std::uint8_t { deals, accounts, touches, spend };

/// Name of a table as used in messages, options and the JSON bundle (`deals`, ...).
constexpr std::string_view table_name(table_kind t) noexcept {
  switch (t) {
    case table_kind::deals: return "deals";
    case table_kind::accounts: return "accounts";
    case table_kind::touches: return "touches";
    case table_kind::spend: return "spend";
  }
  return "?";
}

/// Limits that keep hostile input from exhausting memory or time; each is a flag of the tool
/// (README, "Limits") and going over one is a parse_error naming the flag (exit 65).
struct read_limits {
  std::size_t max_field_bytes = std::size_t{1} << 20;  ///< a CSV field, a JSON key or string
  std::size_t max_columns = 10000;                     ///< fields of a record, keys of a table
  std::size_t max_line_bytes = std::size_t{256} << 20; ///< a CSV record or an NDJSON line
  std::size_t max_json_depth = 64;                     ///< nesting of a JSON document
  std::size_t max_number_chars = 100;                  ///< a money or number cell
};

/// Receives one table's rows from a reader.
///
/// Protocol: `columns()` is called before the first row with every column name known so far, in
/// order. A JSON reader that meets a new key in a later object calls `columns()` again with the
/// longer list (old names keep their positions). `row()` gets exactly as many cells as the last
/// `columns()` call had names; a CSV row with a different field count goes to `ragged_row()`
/// instead. Cell views are valid only during the call. `line` is the 1-based line where the
/// record starts. `finish()` is called once after the last row.
class row_sink {
 public:
  virtual ~row_sink() = default;
  virtual void columns(std::span<const std::string_view> names) = 0;
  virtual void row(std::span<const std::string_view> cells, std::uint64_t line) = 0;
  /// A CSV record whose field count differs from the header's.
  virtual void ragged_row(std::span<const std::string_view> cells, std::uint64_t line) = 0;
  virtual void finish() = 0;
  /// The CSV reader says which delimiter the file uses, before columns(): a `;` file writes
  /// money with decimal commas (SPEC §1.3). Other readers never call it.
  virtual void csv_delimiter(char /*delimiter*/) {}
};

/// Input format of a file (SPEC §1.1).
enum class input_format : std::uint8_t { automatic, csv, json, ndjson };

}  // namespace abmkpi::io
