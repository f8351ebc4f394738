// Rows of the deals table → typed deal records (SPEC §1.2–1.4): the deal rules on top of the
// generic table_reader. Valid deals go to a consumer (the engine).
#pragma once

#include <array>          // std::array
#include <cmath>          // std::llround
#include <cstdint>        // std::int64_t
#include <limits>         // std::numeric_limits
#include <optional>       // std::optional
#include <span>           // std::span
#include <string>         // std::string
#include <string_view>    // std::string_view

#include "abmkpi/io/columns.hpp"
#include "abmkpi/io/id_registry.hpp"
#include "abmkpi/io/table_reader.hpp"
#include "abmkpi/io/token_cache.hpp"
#include "abmkpi/io/values.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::io {

namespace detail {
/// Maps SPEC §1.2 deal type spellings (already normalize_token'd) to a type.
inline std::optional<deal_type> deal_type_from_token(std::string_view t) noexcept {
  if (t.empty() || t == "new" || t == "new_business" || t == "new_customer")
    return deal_type::new_business;
  if (t == "expansion" || t == "upsell" || t == "up_sell" || t == "cross_sell" || t == "add_on" ||
      t == "existing_business" || t == "existing_customer_upgrade" ||
      t == "existing_customer_replacement" || t == "existing_customer_downgrade")
    return deal_type::expansion;
  if (t == "renewal" || t == "existing_customer_renewal") return deal_type::renewal;
  return std::nullopt;
}

__extension__ typedef __int128 wide_int;  // __extension__: GCC and Clang have it; ISO C++ not

/// annual_value (below) of an amount in 0..money_max_units over a whole number of months ≥ 1,
/// the case of every plain row: false when it is too large for money, else `out` is set. In
/// 64 bits (12 × money_max_units is below 2^64), inlined: the general function, a call taking
/// the months as a double, was 8% of a 10M-deal run (perf).
[[gnu::always_inline]] inline bool annual_value_whole(std::int64_t amount, std::uint32_t months,
                                                      bool won, std::int64_t& out) noexcept {
  const std::uint64_t twelve = static_cast<std::uint64_t>(amount) * 12;
  // From 12 months on the value is at most the amount.
  if (months < 12 && twelve > static_cast<std::uint64_t>(money_max_units) * months) return false;
  if (!won) {
    out = 0;
  } else if (months == 12) {
    out = amount;
  } else {  // rounded half up: twelve = q × months + r
    const std::uint64_t q = twelve / months, r = twelve % months;
    out = static_cast<std::int64_t>(q + (2 * r >= months));
  }
  return true;
}

/// amount × 12 / months rounded half up to a money unit (as std::llround), or nullopt when a
/// tiny contract length scales the amount beyond what money units hold. Whole months (nearly
/// every row) take exact integer arithmetic; a fraction of a month takes long double. Only won
/// deals' values are summed (SPEC §3.1 acv_total): with `won` false the value is checked but
/// 0 is returned, which spares most rows a division.
inline std::optional<std::int64_t> annual_value(std::int64_t amount, double months,
                                                bool won) noexcept {
  if (amount >= 0 && amount <= money_max_units && months >= 1 && months <= 4e9 &&
      months == static_cast<double>(static_cast<std::uint32_t>(months))) {
    std::int64_t out = 0;
    if (annual_value_whole(amount, static_cast<std::uint32_t>(months), won, out)) return out;
    return std::nullopt;
  }
  // Any other whole number of months (std::floor is a library call without SSE4.1).
  if (months <= 1e9 && months >= -1e9 &&
      months == static_cast<double>(static_cast<std::int64_t>(months))) {
    // Through int64: a double converts to __int128 by a library call, a tenth of convert().
    const auto m = static_cast<wide_int>(static_cast<std::int64_t>(months));
    const wide_int twelve = static_cast<wide_int>(amount) * 12;
    if (twelve > static_cast<wide_int>(money_max_units) * m) return std::nullopt;
    if (!won) return 0;
    const wide_int num = 2 * twelve + m;
    // A 128-bit division is a library call (__divti3); nearly every quotient fits 64 bits.
    constexpr auto narrow = static_cast<wide_int>(std::numeric_limits<std::int64_t>::max());
    if (num <= narrow && num >= -narrow)
      return static_cast<std::int64_t>(num) / (2 * static_cast<std::int64_t>(m));
    return static_cast<std::int64_t>(num / (2 * m));
  }
  const long double acv = static_cast<long double>(amount) * 12 / static_cast<long double>(months);
  if (!(acv <= static_cast<long double>(money_max_units))) return std::nullopt;
  return won ? static_cast<std::int64_t>(std::llround(acv)) : 0;
}
}  // namespace detail

/// The deals table for table_reader: SPEC §1.2 status, type, probability and contract rules,
/// and duplicate deal ids. Keeps the ids seen (the line of each first occurrence).
class deal_table {
 public:
  static constexpr table_kind kind = table_kind::deals;
  static constexpr std::span<const column_def> columns() noexcept { return deal_columns; }
  static constexpr std::optional<std::size_t> currency_column =
      detail::to_index(deal_column::currency);
  static constexpr std::optional<std::size_t> percent_column =
      detail::to_index(deal_column::probability);

  /// account_id falls back to account_name when the file has no id column.
  static void complete_binding(column_binding& b) {
    if (!b[idx(deal_column::account_id)] && b[idx(deal_column::account_name)])
      b[idx(deal_column::account_id)] = b[idx(deal_column::account_name)];
  }

  /// The deal of one row, or nullptr (row error recorded, or the row must wait for a date).
  /// The deal is the table's own, overwritten by the next call; its strings view `ctx`'s cells.
  deal* convert(row_context& ctx) { return read(ctx, row_) ? &row_ : nullptr; }

  /// Called with each binding of the columns (table_reader::columns): decides whether rows may
  /// take convert_plain.
  void bound(const column_binding& b, const read_options& opts) {
    using c = deal_column;
    for (std::size_t i = 0; i < plain_at_.size(); ++i) plain_at_[i] = b[i].value_or(no_cell);
    max_number_chars_ = opts.limits.max_number_chars;
    const auto term = static_cast<std::uint32_t>(term_months >= 1 && term_months <= 1e9
                                                     ? term_months : 0);
    term_whole_ = static_cast<double>(term) == term_months ? term : 0;
    // What convert_plain leaves out: a status from other columns, currencies, decimal commas
    // (and, checked per row as `ids` may be replaced later, the exact duplicate check).
    plain_ = !b[idx(c::status)] && !b[idx(c::is_won)] && !b[idx(c::is_closed)] &&
             !b[idx(c::currency)] && !opts.decimal_comma;
  }

  /// The deal of a plain row, read without a row_context: clean ids, plain money, ISO dates,
  /// whole months and percentages, spellings the memos know or can work out. nullptr for any
  /// other row, which convert() then reads: it gives the same deal for every row taken here
  /// (tests/deal_reader_test.cpp compares the two), and the messages for the rest. A context
  /// per row and its lookups were a seventh of a 10M-deal run's instructions.
  deal* convert_plain(std::span<const std::string_view> cells, std::uint64_t line) {
    using c = deal_column;
    // --skip-invalid checks ids exactly as they come, and its message needs the row_context.
    if (!plain_ || ids.exact()) return nullptr;
    const auto cell = [&](deal_column col) {
      const std::size_t at = plain_at_[idx(col)];
      return at < cells.size() ? cells[at] : std::string_view{};
    };
    // Nothing for trim() to take off either end: what convert() would read is the cell itself.
    const auto clean = [](std::string_view s) {
      return s.empty() || (static_cast<unsigned char>(s.front()) > ' ' &&
                           static_cast<unsigned char>(s.back()) > ' ');
    };
    deal& d = row_;
    d.deal_id = cell(c::deal_id);
    d.account_id = cell(c::account_id);
    const std::string_view amount = cell(c::amount), stage = cell(c::stage), type = cell(c::type);
    if (d.deal_id.empty() || d.account_id.empty() || !clean(d.deal_id) ||
        !clean(d.account_id) || !clean(stage) || !clean(type))
      return nullptr;
    if (amount.size() > max_number_chars_ || !detail::plain_money(amount, '.', d.amount))
      return nullptr;
    d.status = stage_(stage, stage_meaning);
    const std::optional<deal_type>& t = type_(type, type_meaning);
    if (!t) return nullptr;
    d.type = *t;
    date close;
    const std::string_view close_cell = cell(c::close_date);
    if (!detail::iso_day(cell(c::created_date), d.created) ||
        (!close_cell.empty() && !detail::iso_day(close_cell, close)))
      return nullptr;
    d.closed.reset();
    if (d.status != deal_status::open) {
      if (close_cell.empty() || close < d.created) return nullptr;
      d.closed = close;
    }
    std::uint32_t whole = term_whole_;  // 0: --term-months is not a whole number
    if (const std::string_view m = cell(c::contract_months); !m.empty())
      if (m.size() > max_number_chars_ || !detail::whole_number(m, whole)) return nullptr;
    if (whole == 0 ||
        !detail::annual_value_whole(d.amount, whole, d.status == deal_status::won, d.acv))
      return nullptr;
    d.probability_micros.reset();
    d.probability_is_percent_cell = false;
    if (const std::string_view p = cell(c::probability); !p.empty()) {
      if (p.size() > max_number_chars_ || !detail::whole_number(p, whole) || whole > 100)
        return nullptr;
      d.probability_micros = std::int64_t{whole} * 1'000'000;
    }
    ids.add(d.deal_id, line);  // never a duplicate here: not in exact mode
    return &d;
  }

 private:
  // convert's rules; false when the row gives no deal. `d` is the previous row's deal: a fresh
  // one each row was zero-filled first (`rep stos`, with the store after it 7% of a 10M-row
  // run, perf), so every field is written on each way to true, the optional ones here.
  bool read(row_context& ctx, deal& d) {
    using c = deal_column;
    d.closed.reset();
    d.probability_micros.reset();
    d.probability_is_percent_cell = false;
    if (!ctx.required(idx(c::deal_id), d.deal_id)) return false;
    d.account_id = ctx.text(idx(c::account_id));
    if (d.account_id.empty()) d.account_id = ctx.text(idx(c::account_name));
    if (d.account_id.empty()) return ctx.reject(idx(c::account_id), "missing value"), false;
    if (!ctx.money(idx(c::amount), true, false, d.amount)) return false;
    const auto status = read_status(ctx);
    if (!status) return false;
    d.status = *status;
    const auto type = type_(ctx.text(idx(c::type)), type_meaning);
    if (!type)
      return ctx.reject(idx(c::type), "unknown deal type " +
                                          row_context::quoted(ctx.text(idx(c::type))) +
                                          " (expected new, expansion or renewal)"),
             false;
    d.type = *type;
    if (!ctx.day(idx(c::created_date), true, d.created)) return false;
    date close;
    const bool has_close = ctx.day(idx(c::close_date), false, close);
    if (ctx.failed() || ctx.pending()) return false;
    if (d.status != deal_status::open) {
      if (!has_close)
        return ctx.reject(idx(c::close_date), "missing value (required for won and lost deals)"),
               false;
      if (close < d.created)
        return ctx.reject(idx(c::close_date),
                          to_iso(close) + " is before created_date " + to_iso(d.created)),
               false;
      d.closed = close;
    }
    double months = term_months;
    if (number_result n; ctx.number(idx(c::contract_months), "a number of months", n)) {
      if (n.percent_sign || !(n.value > 0))
        return ctx.reject(idx(c::contract_months),
                          "must be a number of months > 0, found " +
                              row_context::quoted(ctx.text(idx(c::contract_months)))),
               false;
      months = n.value;
    }
    if (ctx.failed()) return false;
    const auto acv = detail::annual_value(d.amount, months, d.status == deal_status::won);
    if (!acv)
      return ctx.reject(idx(c::contract_months),
                        "annual value of " + row_context::quoted(ctx.text(idx(c::amount))) +
                            " over " + row_context::quoted(ctx.text(idx(c::contract_months))) +
                            " months is too large for money"),
             false;
    d.acv = *acv;
    if (number_result p; ctx.number(idx(c::probability), "a probability", p)) {
      if (p.value < 0 || p.value > 100)
        return ctx.reject(idx(c::probability),
                          "outside 0..100: " + row_context::quoted(ctx.text(idx(c::probability)))),
               false;
      // A whole percentage (nearly every cell) is exact without llround, a libm call.
      const auto whole = static_cast<std::int64_t>(p.value);  // 0..100: fits
      d.probability_micros = static_cast<double>(whole) == p.value ? whole * 1'000'000
                                                                   : std::llround(p.value * 1e6);
      d.probability_is_percent_cell = p.percent_sign;
    }
    if (ctx.failed()) return false;
    if (const std::uint64_t first = ids.add(d.deal_id, ctx.line()))
      return ctx.reject(idx(c::deal_id), "duplicate id " + row_context::quoted(d.deal_id) +
                                             " (first on line " + std::to_string(first) + ")"),
             false;
    return true;
  }

 public:
  /// Takes over the ids of a parallel piece.
  void merge_state(deal_table&& piece) { ids.merge(std::move(piece.ids)); }
  /// A parallel piece has read its bytes (called in its thread): sort its ids there.
  void finish_piece() { ids.seal(); }

  /// `--term-months`: contract length when the cell is empty. Set before reading: bound()
  /// works out the plain path's whole number of months from it.
  double term_months = 12;
  /// The deal ids seen. Exact (checked per row) under --skip-invalid, where a duplicate must not
  /// be counted; else only logged and checked after the pass (engine::load does).
  id_registry ids;

 private:
  deal row_;  // convert's result
  // convert_plain's plan (bound): each column's cell index (no_cell: absent), and whether rows
  // may take it at all.
  static constexpr std::size_t no_cell = static_cast<std::size_t>(-1);
  std::array<std::size_t, deal_columns.size()> plain_at_{};
  std::size_t max_number_chars_ = 0;
  std::uint32_t term_whole_ = 0;  // term_months when a whole number ≥ 1, else 0
  bool plain_ = false;
  static constexpr std::size_t idx(deal_column c) noexcept { return static_cast<std::size_t>(c); }

  // SPEC §1.2, first rule that applies: status column, then is_won/is_closed, then the stage.
  std::optional<deal_status> read_status(row_context& ctx) {
    using c = deal_column;
    // Many exports have a stage and no status column: no lookup of that column's empty cells.
    if (ctx.has(idx(c::status))) {
      const auto named = status_(ctx.text(idx(c::status)), [](std::string_view raw, auto& out) {
        const std::string status = normalized(raw);
        out = status == "won" || status == "closed_won"    ? std::optional(deal_status::won)
              : status == "lost" || status == "closed_lost" ? std::optional(deal_status::lost)
              : status == "open"                            ? std::optional(deal_status::open)
                                                            : std::nullopt;
      });
      if (named) return *named;
    }
    std::optional<bool> won, closed;
    if (ctx.has(idx(c::is_won)) && !(won = ctx.boolean(idx(c::is_won)))) return std::nullopt;
    if (ctx.has(idx(c::is_closed)) && !(closed = ctx.boolean(idx(c::is_closed))))
      return std::nullopt;
    if (won && *won) return deal_status::won;
    if (closed && !*closed) return deal_status::open;
    if (closed && *closed && won) return deal_status::lost;
    return stage_(ctx.text(idx(c::stage)), stage_meaning);
  }

  // What a spelling of the stage and of the type column means (the memos' work, both paths).
  static void stage_meaning(std::string_view raw, deal_status& out) {
    const std::string stage = normalized(raw);
    out = stage.find("won") != std::string::npos    ? deal_status::won
          : stage.find("lost") != std::string::npos ? deal_status::lost
                                                    : deal_status::open;
  }
  static void type_meaning(std::string_view raw, std::optional<deal_type>& out) {
    out = detail::deal_type_from_token(normalized(raw));
  }

  static std::string normalized(std::string_view raw) {
    std::string out;
    normalize_token(raw, out);
    return out;
  }

  // What each spelling of these columns means, worked out once per spelling.
  spelling_memo<std::optional<deal_status>> status_;
  spelling_memo<std::optional<deal_type>> type_;
  spelling_memo<deal_status> stage_;
};

/// The deal ids alone, for a second read of a deals file whose ids the pass could not prove
/// distinct without their hashes (id_registry::suspects): logs the hash of every row's deal id,
/// valid row or not. A suspect from a row the pass refused is cleared by the recheck, which
/// reads rows as the pass did; parsing and hashing alone is a fraction of a pass.
class deal_id_table {
 public:
  static constexpr table_kind kind = table_kind::deals;
  static constexpr std::span<const column_def> columns() noexcept { return deal_columns; }
  static constexpr std::optional<std::size_t> currency_column = deal_table::currency_column;
  static constexpr std::optional<std::size_t> percent_column = deal_table::percent_column;
  static void complete_binding(column_binding& b) { deal_table::complete_binding(b); }

  struct no_record {};
  void bound(const column_binding& b, const read_options&) {
    at_ = b[static_cast<std::size_t>(deal_column::deal_id)];
  }
  no_record* convert_plain(std::span<const std::string_view> cells, std::uint64_t line) {
    // As row_context::text reads the cell.
    if (at_ && *at_ < cells.size())
      if (const std::string_view id = trim(cells[*at_]); !id.empty()) ids.add(id, line);
    return &none_;
  }
  no_record* convert(row_context&) { return nullptr; }  // convert_plain takes every row
  /// Parallel pieces (engine::read_csv_parallel), as deal_table.
  void merge_state(deal_id_table&& piece) { ids.merge(std::move(piece.ids)); }
  void finish_piece() { ids.seal(); }

  id_registry ids = id_registry::every_hash();

 private:
  std::optional<std::size_t> at_;
  no_record none_;
};

/// Reads the deals table into `Consumer` (which has `add(const deal&)`).
template <class Consumer>
using deal_reader = table_reader<deal_table, Consumer>;

}  // namespace abmkpi::io
