// The accounts, touches and spend tables (SPEC §1.2) for table_reader: their columns, the header
// spellings real exports use, and the rules that turn a row into a record.
#pragma once

#include <array>        // std::array
#include <cmath>        // std::floor
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "abmkpi/io/columns.hpp"
#include "abmkpi/io/id_registry.hpp"
#include "abmkpi/io/table_reader.hpp"
#include "abmkpi/io/token_cache.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::io {

namespace detail {
inline constexpr std::string_view acc_id[] = {"account id", "id", "record id", "company id"};
inline constexpr std::string_view acc_name[] = {"name", "account name", "company name"};
inline constexpr std::string_view acc_target[] = {"target", "target account", "abm", "is target",
                                                  "abm target"};
inline constexpr std::string_view acc_tier[] = {"tier", "abm tier", "ideal customer profile tier"};
inline constexpr std::string_view acc_icp[] = {"icp fit", "icp score", "fit score",
                                               "icp fit score"};
inline constexpr std::string_view acc_market[] = {"in market", "intent"};
inline constexpr std::string_view acc_since[] = {"customer since", "became a customer date"};
inline constexpr std::string_view acc_churned[] = {"churned on", "churn date", "churned date"};
inline constexpr std::string_view acc_arr[] = {"arr", "annual recurring revenue"};
inline constexpr std::string_view acc_potential[] = {"potential", "potential value",
                                                     "market potential"};
inline constexpr std::string_view acc_nps[] = {"nps", "nps score", "likelihood to recommend"};
inline constexpr std::string_view acc_segment[] = {"segment"};
inline constexpr std::string_view acc_industry[] = {"industry"};
inline constexpr std::string_view acc_region[] = {"region"};

inline constexpr std::string_view t_account[] = {"account id", "company id"};
inline constexpr std::string_view t_contact[] = {"contact id", "contact", "email", "contact email"};
inline constexpr std::string_view t_time[] = {"timestamp", "date", "occurred at", "activity date"};
inline constexpr std::string_view t_channel[] = {"channel", "medium"};
inline constexpr std::string_view t_action[] = {"action", "activity", "event", "type",
                                                "activity type", "event type"};
inline constexpr std::string_view t_campaign[] = {"campaign", "campaign name"};
inline constexpr std::string_view t_stage[] = {"funnel stage", "stage"};

inline constexpr std::string_view s_date[] = {"date", "period", "month"};
inline constexpr std::string_view s_amount[] = {"amount", "cost", "spend"};
inline constexpr std::string_view s_category[] = {"category", "type"};
inline constexpr std::string_view s_channel[] = {"channel"};
inline constexpr std::string_view s_campaign[] = {"campaign"};
inline constexpr std::string_view s_abm[] = {"abm", "abm program"};
}  // namespace detail

/// Canonical account columns, in the order of account_columns.
enum class account_column : std::uint8_t {
  account_id, name, target, tier, icp_fit, in_market, customer_since, churned_on, arr, potential,
  nps, segment, industry, region
};
inline constexpr std::array<column_def, 14> account_columns{{
    {"account_id", true, detail::acc_id},       {"name", false, detail::acc_name},
    {"target", false, detail::acc_target},       {"tier", false, detail::acc_tier},
    {"icp_fit", false, detail::acc_icp},         {"in_market", false, detail::acc_market},
    {"customer_since", false, detail::acc_since}, {"churned_on", false, detail::acc_churned},
    {"arr", false, detail::acc_arr},             {"potential", false, detail::acc_potential},
    {"nps", false, detail::acc_nps},             {"segment", false, detail::acc_segment},
    {"industry", false, detail::acc_industry},   {"region", false, detail::acc_region},
}};

/// Canonical touch columns.
enum class touch_column : std::uint8_t {
  account_id, contact_id, timestamp, channel, action, campaign, funnel_stage
};
inline constexpr std::array<column_def, 7> touch_columns{{
    {"account_id", true, detail::t_account}, {"contact_id", false, detail::t_contact},
    {"timestamp", true, detail::t_time},     {"channel", false, detail::t_channel},
    {"action", true, detail::t_action},      {"campaign", false, detail::t_campaign},
    {"funnel_stage", false, detail::t_stage},
}};

/// Canonical spend columns.
enum class spend_column : std::uint8_t { date, amount, category, channel, campaign, abm };
inline constexpr std::array<column_def, 6> spend_columns{{
    {"date", true, detail::s_date},         {"amount", true, detail::s_amount},
    {"category", false, detail::s_category}, {"channel", false, detail::s_channel},
    {"campaign", false, detail::s_campaign}, {"abm", false, detail::s_abm},
}};

/// What a table without a currency or probability column says to table_reader.
struct plain_table {
  static constexpr std::optional<std::size_t> currency_column = std::nullopt;
  static constexpr std::optional<std::size_t> percent_column = std::nullopt;
  static void complete_binding(column_binding&) {}
};

/// The accounts table: one row per account id (a repeated id is a row error).
class account_table : public plain_table {
 public:
  static constexpr table_kind kind = table_kind::accounts;
  static constexpr std::span<const column_def> columns() noexcept { return account_columns; }

  std::optional<account> convert(row_context& ctx) {
    using c = account_column;
    using detail::to_index;
    account a;
    const auto id = ctx.required(to_index(c::account_id));
    if (!id) return std::nullopt;
    a.account_id = *id;
    a.name = ctx.text(to_index(c::name));
    if (ctx.has(to_index(c::target))) {
      const auto t = ctx.boolean(to_index(c::target));
      if (!t) return std::nullopt;
      a.target = *t;
    }
    if (const auto f = ctx.number(to_index(c::icp_fit), "a number")) a.icp_fit = f->value;
    a.customer_since = ctx.day(to_index(c::customer_since), false);
    if (ctx.failed() || ctx.pending()) return std::nullopt;
    a.churned_on = ctx.day(to_index(c::churned_on), false);
    a.arr = ctx.money(to_index(c::arr), false, false);
    a.potential = ctx.money(to_index(c::potential), false, false);
    if (const auto n = ctx.number(to_index(c::nps), "an NPS answer")) {
      if (n->percent_sign || n->value < 0 || n->value > 10 || n->value != std::floor(n->value))
        return ctx.reject(to_index(c::nps), "must be a whole number 0..10, found " +
                                                row_context::quoted(ctx.text(to_index(c::nps)))),
               std::nullopt;
      a.nps = static_cast<int>(n->value);
    }
    if (ctx.failed() || ctx.pending()) return std::nullopt;
    if (const std::uint64_t first = ids_.add(a.account_id, ctx.line()))
      return ctx.reject(to_index(c::account_id),
                        "duplicate id " + row_context::quoted(a.account_id) + " (first on line " +
                            std::to_string(first) + ")"),
             std::nullopt;
    return a;
  }

 private:
  id_registry ids_{
      id_check::exact};  // exact: an accounts table is small, and the message quotes the id
};

/// The touches table: actions and channels as normalized tokens.
class touch_table : public plain_table {
 public:
  static constexpr table_kind kind = table_kind::touches;
  static constexpr std::span<const column_def> columns() noexcept { return touch_columns; }

  void merge_state(touch_table&&) {}  // a parallel piece keeps nothing beyond its rows
  void finish_piece() {}

  std::optional<touch> convert(row_context& ctx) {
    using c = touch_column;
    using detail::to_index;
    touch t;
    const auto account = ctx.required(to_index(c::account_id));
    if (!account) return std::nullopt;
    t.account_id = *account;
    t.contact_id = ctx.text(to_index(c::contact_id));
    const auto day = ctx.day(to_index(c::timestamp), true);
    if (!day) return std::nullopt;
    t.day = *day;
    if (!ctx.required(to_index(c::action))) return std::nullopt;
    t.action = action_(ctx.text(to_index(c::action)));
    t.channel = channel_(ctx.text(to_index(c::channel)));
    const std::string_view stage_cell = ctx.text(to_index(c::funnel_stage));
    t.stage = stage_(stage_cell, [](std::string_view raw, funnel_stage& out) {
      std::string stage;
      normalize_token(raw, stage);
      out = stage == "tofu"   ? funnel_stage::tofu
            : stage == "mofu" ? funnel_stage::mofu
            : stage == "bofu" ? funnel_stage::bofu
                              : funnel_stage::none;
    });
    return t;
  }

 private:
  token_cache action_, channel_;
  spelling_memo<funnel_stage> stage_;  // each spelling's stage, worked out once
};

/// The spend table: category rules of SPEC §1.2 (empty → marketing, unknown → other).
class spend_table : public plain_table {
 public:
  static constexpr table_kind kind = table_kind::spend;
  static constexpr std::span<const column_def> columns() noexcept { return spend_columns; }

  std::optional<spend_line> convert(row_context& ctx) {
    using c = spend_column;
    using detail::to_index;
    spend_line s;
    const auto day = ctx.day(to_index(c::date), true);
    if (!day) return std::nullopt;
    s.day = *day;
    const auto amount = ctx.money(to_index(c::amount), true, true);  // refunds are negative
    if (!amount) return std::nullopt;
    s.amount = *amount;
    const std::string_view category = category_(ctx.text(to_index(c::category)));
    s.category = category.empty() || category == "marketing" ? spend_category::marketing
                 : category == "sales"                        ? spend_category::sales
                                                              : spend_category::other;
    if (ctx.has(to_index(c::abm))) {
      const auto abm = ctx.boolean(to_index(c::abm));
      if (!abm) return std::nullopt;
      s.abm = *abm;
    }
    return s;
  }

 private:
  token_cache category_;
};

}  // namespace abmkpi::io
