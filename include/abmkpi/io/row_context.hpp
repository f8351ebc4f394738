// What every table reader shares (SPEC §1.2–1.4): the read options, what reading a table found,
// and typed access to the cells of one row with row errors that name file, line and column.
#pragma once

#include <cmath>        // std::llround
#include <cstdint>      // std::int64_t
#include <map>          // std::map
#include <optional>     // std::optional
#include <set>          // std::set
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/text.hpp"
#include "abmkpi/io/columns.hpp"
#include "abmkpi/io/diagnostics.hpp"
#include "abmkpi/io/dates.hpp"
#include "abmkpi/io/values.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::io {

/// Exchange rates (SPEC §1.3): 1 unit of a currency = rate × the base unit of the file.
struct fx_rates {
  std::map<std::string, long double, std::less<>> rate;
  std::string report_currency;  ///< --currency, which every amount is converted into
};

/// How cells are read, for every table.
struct read_options {
  std::vector<column_mapping> maps;          ///< `--map`
  bool decimal_comma = false;                ///< `--decimal-comma` (or a `;` CSV)
  date_order dates = date_order::undecided;  ///< `--date-format`; undecided = infer per column
  const fx_rates* fx = nullptr;              ///< `--fx` with `--currency`: convert money
  read_limits limits;                        ///< `--max-*`
};

/// What reading one table found, beyond its records.
struct table_summary {
  std::int64_t rows = 0;                   ///< data rows read (footer lines excluded)
  std::int64_t rejected = 0;               ///< rows skipped under --skip-invalid
  std::set<std::string> currencies;        ///< distinct currency codes seen (before conversion)
  std::vector<std::string> extra_columns;  ///< headers bound to no canonical column
  std::vector<bool> has_column;            ///< by canonical column: bound to a header
  bool percent_header = false;             ///< the deals' probability header holds '%'
  std::set<std::string> matched_maps;      ///< `--map` headers found in this table
  std::vector<bool> has_dimension;         ///< by `--by` name: the table has that column
};

namespace detail {
/// The day/month order a date column has shown so far.
struct date_column_state {
  date_order order = date_order::undecided;
  std::optional<date_shape> ambiguous_shape;  // the shape of an undecided value seen
};
}  // namespace detail

/// Typed access to the cells of one row. Every accessor that finds a problem records it as a row
/// error (once per row) and returns nullopt; a date that cannot be read yet marks the row as
/// pending instead. Converters stop at the first nullopt.
class row_context {
 public:
  row_context(std::span<const std::string_view> cells, std::uint64_t line,
              std::span<const column_def> defs, const column_binding& binding,
              const read_options& opts, std::optional<std::size_t> currency_column,
              std::vector<detail::date_column_state>& dates, table_summary& summary,
              diagnostics& diag, const std::string& file)
      : cells_(cells), line_(line), defs_(defs), binding_(binding), opts_(opts),
        currency_column_(currency_column), dates_(dates), summary_(summary), diag_(diag),
        file_(file) {}

  /// The trimmed cell of canonical column `c`; empty when the column is absent. A row read
  /// before a JSON reader announced more columns is shorter: its missing cells are empty.
  /// Inlined: a row calls it a dozen times (200k deals: 1.4% fewer instructions).
  [[gnu::always_inline]] std::string_view text(std::size_t c) const noexcept {
    const auto& b = binding_[c];
    return b && *b < cells_.size() ? trim(cells_[*b]) : std::string_view{};
  }
  bool has(std::size_t c) const noexcept { return binding_[c].has_value(); }
  std::uint64_t line() const noexcept { return line_; }

  /// Records a row error on column `c` (no column name when `c` is npos).
  void reject(std::size_t c, const std::string& problem) {
    if (failed_) return;
    failed_ = true;
    ++summary_.rejected;
    diag_.row_error(file_, line_, c == npos ? std::string_view{} : defs_[c].name, problem);
  }

  /// A required text cell.
  std::optional<std::string_view> required(std::size_t c) {
    if (std::string_view t; required(c, t)) return t;
    return std::nullopt;
  }
  /// required() into `out`: false where required() gives nullopt. (Converters of large tables
  /// take these forms: a returned optional read back whole from the stack stalled on store
  /// forwarding, a few times a row.)
  [[gnu::always_inline]] bool required(std::size_t c, std::string_view& out) {
    out = text(c);
    if (!out.empty()) return true;
    reject(c, "missing value");
    return false;
  }

  /// A money cell in money units, converted to the report currency when --fx is given.
  /// `empty` is returned for an empty optional cell (nullopt with no error when required=false
  /// and the cell is empty; check failed()).
  [[gnu::always_inline]] std::optional<std::int64_t> money(std::size_t c, bool required,
                                                           bool allow_negative) {
    if (std::int64_t units = 0; money(c, required, allow_negative, units)) return units;
    return std::nullopt;
  }
  /// money() into `out`: false where money() gives nullopt.
  [[gnu::always_inline]] bool money(std::size_t c, bool required, bool allow_negative,
                                    std::int64_t& out) {
    const std::string_view t = text(c);
    // Plain digits with an optional fraction and no currency named anywhere (most exports):
    // read here, inlined; all else, errors included, takes any_money.
    if (t.size() <= opts_.limits.max_number_chars &&
        detail::plain_money(t, opts_.decimal_comma ? ',' : '.', out) &&
        (!currency_column_ || text(*currency_column_).empty()))
      return true;
    const std::optional<std::int64_t> m = any_money(c, t, required, allow_negative);
    if (m) out = *m;
    return m.has_value();
  }

  /// money() for any other cell.
  [[gnu::noinline]] std::optional<std::int64_t> any_money(std::size_t c, std::string_view t,
                                                          bool required, bool allow_negative) {
    if (t.empty()) {
      if (required) reject(c, "missing value");
      return std::nullopt;
    }
    if (t.size() > opts_.limits.max_number_chars) return too_long(c);
    const money_result m = parse_money(t, opts_.decimal_comma);
    if (m.ec == std::errc::result_out_of_range)
      return fail(c, quoted(t) + " is too large for money");
    if (m.ec != std::errc{}) return fail(c, "cannot read " + quoted(t) + " as money");
    if (m.units < 0 && !allow_negative)
      return fail(c, "negative amount " + quoted(t) + " (must be >= 0)");
    std::string_view cur = currency_column_ ? text(*currency_column_) : std::string_view{};
    if (cur.empty()) cur = m.currency;
    if (cur.empty()) return m.units;  // no code: nothing to check or convert (most exports)
    std::string code(cur);
    for (char& ch : code) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    if (code.size() != 3 ||
        code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
      return fail(currency_column_.value_or(c),
                  "expected a three-letter ISO 4217 code, found " + quoted(cur));
    if (opts_.fx == nullptr) {
      summary_.currencies.insert(code);
      return m.units;
    }
    if (code == opts_.fx->report_currency) return m.units;
    const auto from = opts_.fx->rate.find(code);
    const auto to = opts_.fx->rate.find(opts_.fx->report_currency);
    if (from == opts_.fx->rate.end() || to == opts_.fx->rate.end())
      return fail(c, "no exchange rate for " +
                         (from == opts_.fx->rate.end() ? code : opts_.fx->report_currency) +
                         " in --fx");
    const long double v = static_cast<long double>(m.units) * from->second / to->second;
    if (!(v < 9e18L && v > -9e18L)) return fail(c, quoted(t) + " is too large for money");
    return static_cast<std::int64_t>(std::llround(v));
  }

  /// A date cell; nullopt for an empty optional cell, a row error, or a row that must wait.
  [[gnu::always_inline]] std::optional<date> day(std::size_t c, bool required) {
    if (date d; day(c, required, d)) return d;
    return std::nullopt;
  }

  /// day() into `out`: false where day() gives nullopt. (A std::optional<date> put together
  /// on the stack byte by byte and read back whole stalled on store forwarding twice a deal.)
  [[gnu::always_inline]] bool day(std::size_t c, bool required, date& out) {
    const std::string_view t = text(c);
    // A plain YYYY-MM-DD decides nothing about the column's order: read it here, inlined.
    if (detail::iso_day(t, out)) return true;
    const std::optional<date> d = any_day(c, t, required);
    if (d) out = *d;
    return d.has_value();
  }

  /// day() for any other cell.
  [[gnu::noinline]] std::optional<date> any_day(std::size_t c, std::string_view t, bool required) {
    if (t.empty()) {
      if (required) reject(c, "missing value");
      return std::nullopt;
    }
    detail::date_column_state& state = dates_[c];
    const date_result r = parse_date(t, state.order);
    if (r.ec == std::errc{} && state.order == date_order::undecided && r.shape != date_shape::iso) {
      if (r.evidence == date_order::mdy || r.evidence == date_order::dmy) {
        state.order = r.evidence;
        decided_ = true;
      } else if (r.evidence == date_order::undecided) {
        state.ambiguous_shape = r.shape;
        pending_ = true;
        return std::nullopt;
      }
    }
    if (r.ec != std::errc{}) {
      std::string why = "cannot read " + quoted(t) + " as a date";
      if (state.order == date_order::mdy) why += " (this column's dates are month-first, M/D/Y)";
      if (state.order == date_order::dmy) why += " (this column's dates are day-first, D/M/Y)";
      return fail(c, why);
    }
    return r.value;
  }

  /// A bool cell (empty is false).
  std::optional<bool> boolean(std::size_t c) {
    const std::string_view t = text(c);
    const bool_result b = parse_bool(t);
    if (b.ec != std::errc{}) return fail(c, "cannot read " + quoted(t) + " as true/false");
    return b.value;
  }

  /// A number cell; nullopt for an empty cell (check failed() for an error).
  [[gnu::always_inline]] std::optional<number_result> number(std::size_t c,
                                                             std::string_view what) {
    if (number_result n; number(c, what, n)) return n;
    return std::nullopt;
  }
  /// number() into `out`: false where number() gives nullopt.
  [[gnu::always_inline]] bool number(std::size_t c, std::string_view what, number_result& out) {
    const std::string_view t = text(c);
    // A whole number of up to 9 digits (months, percentages): read here, inlined.
    if (std::uint32_t v = 0;
        t.size() <= opts_.limits.max_number_chars && detail::whole_number(t, v)) {
      out = number_result{static_cast<double>(v), false, std::errc{}};
      return true;
    }
    const std::optional<number_result> n = any_number(c, t, what);
    if (n) out = *n;
    return n.has_value();
  }

  /// number() for any other cell.
  [[gnu::noinline]] std::optional<number_result> any_number(std::size_t c, std::string_view t,
                                                            std::string_view what) {
    if (t.empty()) return std::nullopt;
    if (t.size() > opts_.limits.max_number_chars) return too_long(c);
    const number_result n = parse_number(t);
    if (n.ec != std::errc{})
      return fail(c, "cannot read " + quoted(t) + " as " + std::string(what));
    return n;
  }

  /// Wraps a problem with a quoted cell for a message.
  static std::string quoted(std::string_view s) { return abmkpi::detail::quote_cell(s); }

  bool failed() const noexcept { return failed_; }
  bool pending() const noexcept { return pending_; }
  bool decided() const noexcept { return decided_; }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  std::nullopt_t fail(std::size_t c, const std::string& problem) {
    reject(c, problem);
    return std::nullopt;
  }

  // Numbers are parsed digit by digit: a cap on their length keeps a hostile cell cheap.
  std::nullopt_t too_long(std::size_t c) {
    return fail(c, "a number longer than " + std::to_string(opts_.limits.max_number_chars) +
                       " characters (--max-number-chars)");
  }

  std::span<const std::string_view> cells_;
  std::uint64_t line_;
  std::span<const column_def> defs_;
  const column_binding& binding_;
  const read_options& opts_;
  std::optional<std::size_t> currency_column_;
  std::vector<detail::date_column_state>& dates_;
  table_summary& summary_;
  diagnostics& diag_;
  const std::string& file_;
  bool failed_ = false, pending_ = false, decided_ = false;
};

}  // namespace abmkpi::io
