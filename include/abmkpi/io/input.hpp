// Opening a table's file and choosing its reader (SPEC §1.1): the format comes from
// --input-format, else the file extension, else the first non-space byte.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include "abmkpi/detail/text.hpp"
#include "abmkpi/error.hpp"
#include "abmkpi/io/csv.hpp"
#include "abmkpi/io/json.hpp"
#include "abmkpi/io/rows.hpp"
#include "abmkpi/io/source.hpp"

namespace abmkpi::io {

/// Parses `csv`, `json`, `ndjson` (also `jsonl`); nullopt otherwise.
inline std::optional<input_format> parse_input_format(std::string_view s) noexcept {
  if (s == "csv" || s == "tsv") return input_format::csv;
  if (s == "json") return input_format::json;
  if (s == "ndjson" || s == "jsonl") return input_format::ndjson;
  if (s == "auto") return input_format::automatic;
  return std::nullopt;
}

namespace detail {
inline bool ends_with_ci(std::string_view s, std::string_view suffix) noexcept {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != suffix[i]) return false;
  }
  return true;
}

// A '{' document is NDJSON when its first line is a whole object that is not a bundle, i.e. the
// line closes with '}' and does not open with a table key.
inline input_format sniff(std::string_view head) noexcept {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  std::size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos) return input_format::csv;
  if (head[i] == '[') return input_format::json;
  if (head[i] != '{') return input_format::csv;
  std::string_view line = head.substr(i);
  const std::size_t nl = line.find('\n');
  if (nl == std::string_view::npos) return input_format::json;
  line = line.substr(0, nl);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  if (line.empty() || line.back() != '}') return input_format::json;
  const std::size_t key = line.find_first_not_of(" \t", 1);
  for (std::string_view t : {"\"deals\"", "\"accounts\"", "\"touches\"", "\"spend\""})
    if (key != std::string_view::npos && line.substr(key).starts_with(t)) return input_format::json;
  return input_format::ndjson;
}
}  // namespace detail

/// Refuses input that is not UTF-8 (or ASCII) text before any reader tries it, so that a UTF-16
/// export or a binary file gets a message that says so instead of a list of missing columns.
/// `head` is the start of the input; only its first line is checked for control bytes, so that a
/// stray byte in a later cell stays a row error of that row. Throws parse_error.
inline void check_text_start(std::string_view head, const std::string& name) {
  const auto starts = [&](std::string_view bom) { return head.starts_with(bom); };
  using namespace std::string_view_literals;
  if (starts("\xFF\xFE\0\0"sv) || starts("\0\0\xFE\xFF"sv))
    throw parse_error(name, 1, 1, "the file is UTF-32 text; save it as UTF-8");
  if (starts("\xFF\xFE") || starts("\xFE\xFF"))
    throw parse_error(name, 1, 1, "the file is UTF-16 text; save it as UTF-8 (in Excel: "
                                  "\"CSV UTF-8\")");
  const std::string_view first = head.substr(0, head.find('\n'));
  for (std::size_t i = 0; i < first.size(); ++i) {
    const auto b = static_cast<unsigned char>(first[i]);
    if (b < 0x20 && b != '\t' && b != '\r')
      throw parse_error(name, 1, i + 1,
                        "control byte " + abmkpi::detail::escape_control(first.substr(i, 1)) +
                            " in the first line: not a CSV or JSON text file" +
                            (b == 0 ? " (or UTF-16 text without a byte order mark)" : ""));
  }
}

/// The format to read `src` (named `path`) with: `forced` unless automatic, else by extension
/// (.csv .tsv .txt, .json, .jsonl .ndjson), else by peeking at the first bytes. Throws
/// input_error when the source cannot be read.
inline input_format choose_format(byte_source& src, std::string_view path, input_format forced) {
  if (forced != input_format::automatic) return forced;
  using detail::ends_with_ci;
  if (ends_with_ci(path, ".csv") || ends_with_ci(path, ".tsv") || ends_with_ci(path, ".txt"))
    return input_format::csv;
  if (ends_with_ci(path, ".json")) return input_format::json;
  if (ends_with_ci(path, ".jsonl") || ends_with_ci(path, ".ndjson")) return input_format::ndjson;
  return detail::sniff(src.peek(64 * 1024));
}

/// The CSV reader's options for `limits`.
inline csv_options csv_options_for(const read_limits& limits) {
  csv_options o;
  o.max_field_bytes = limits.max_field_bytes;
  o.max_columns = limits.max_columns;
  o.max_record_bytes = limits.max_line_bytes;
  return o;
}

/// The JSON and NDJSON readers' options for `limits`.
inline json_options json_options_for(const read_limits& limits) {
  json_options o;
  o.max_field_bytes = limits.max_field_bytes;
  o.max_columns = limits.max_columns;
  o.max_line_bytes = limits.max_line_bytes;
  o.max_depth = limits.max_json_depth;
  return o;
}

/// True when `path` (a file, not standard input) is read as JSON and its document is an object:
/// a bundle, which may hold several tables. False for a JSON array, NDJSON and CSV. Throws
/// input_error when the file cannot be opened.
inline bool is_json_bundle(const std::string& path, input_format forced) {
  byte_source src(path);
  if (choose_format(src, path, forced) != input_format::json) return false;
  std::string_view head = src.peek(4096);
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  const std::size_t i = head.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && head[i] == '{';
}

/// Reads one file into the sinks `select` hands out: CSV and NDJSON rows go to
/// select(table); a JSON bundle may feed several tables. `.tsv` files are TAB-delimited.
/// Throws input_error (cannot open/read) and parse_error (malformed file).
inline void read_table_file(const std::string& path, table_kind table, input_format forced,
                            const read_limits& limits, const sink_selector& select) {
  byte_source src(path);
  check_text_start(src.peek(4096), src.name());
  switch (choose_format(src, path, forced)) {
    case input_format::json: read_json(src, table, select, json_options_for(limits)); return;
    case input_format::ndjson:
      if (row_sink* sink = select(table)) read_ndjson(src, *sink, json_options_for(limits));
      return;
    default: {
      csv_options opts = csv_options_for(limits);
      if (detail::ends_with_ci(path, ".tsv")) opts.delimiter = '\t';
      if (row_sink* sink = select(table)) read_csv(src, *sink, opts);
      return;
    }
  }
}

}  // namespace abmkpi::io
