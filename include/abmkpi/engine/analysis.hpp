// The whole pipeline in one place for the CLI and for library users: read every input once,
// streaming, into accumulators; then reduce them to the report of the requested period.
#pragma once

#include <algorithm>  // std::sort, std::min
#include <sys/stat.h>  // stat

#include <map>       // std::map
#include <thread>    // std::thread::hardware_concurrency
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "abmkpi/engine/abm_reduce.hpp"
#include "abmkpi/engine/account_book.hpp"
#include "abmkpi/engine/deal_split.hpp"
#include "abmkpi/engine/deal_stats.hpp"
#include "abmkpi/engine/parallel_csv.hpp"
#include "abmkpi/engine/period.hpp"
#include "abmkpi/engine/touch_stats.hpp"
#include "abmkpi/io/deal_reader.hpp"
#include "abmkpi/io/diagnostics.hpp"
#include "abmkpi/io/input.hpp"
#include "abmkpi/io/lookup.hpp"
#include "abmkpi/io/tables.hpp"
#include "abmkpi/metrics/abm.hpp"
#include "abmkpi/metrics/deals.hpp"
#include "abmkpi/report/report.hpp"

namespace abmkpi::engine {

/// Inputs and options of one analysis (the report command's flags).
struct analysis_options {
  std::string deals_path;  ///< a file, or "-" for standard input; may be a JSON bundle
  std::string accounts_path, touches_path, spend_path;  ///< empty: not given
  io::input_format format = io::input_format::automatic;
  io::read_options read;               ///< --map, --decimal-comma, --date-format
  double term_months = 12;             ///< --term-months
  std::optional<std::string> currency; ///< --currency
  std::string fx_path;                 ///< --fx
  std::string weights_path;            ///< --weights
  period_request period;
  bool compare_previous = false;  ///< --compare previous (SPEC §4)
  std::vector<std::string> by;     ///< --by columns (SPEC §4), in order
  std::size_t max_groups = 10000;  ///< --max-groups
  abm_options abm;
  unsigned threads = 0;  ///< --threads: pieces a large CSV file is read in (0: every core)
  std::uint64_t parallel_min_bytes = 8 << 20;  ///< smaller files are read by one thread
  /// Keep every account's deal summary in analysis::deals.accounts(). Off: without an accounts
  /// table and touches, where no KPI reads the others, only customers' summaries are kept
  /// (deal_stats::customers_only), which spares most deals an account lookup.
  bool every_account_summary = false;
};

/// What one pass over the inputs gathered.
struct analysis {
  std::array<std::string, 4> names;                          ///< file name per table read
  std::array<std::optional<io::table_summary>, 4> summaries;  ///< per table read
  deal_stats deals;
  deal_splits splits;            ///< cohorts and --by groups (SPEC §4)
  bool cohorts = false;          ///< deals were split into cohorts (accounts have a target column)
  account_book accounts;
  touch_stats touches;
  spend_stats spend;
  io::fx_rates fx;
  bool has(io::table_kind t) const { return summaries[static_cast<std::size_t>(t)].has_value(); }
};

namespace detail {
inline std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

inline std::size_t at(io::table_kind t) { return static_cast<std::size_t>(t); }

/// Readers for every table, handed out to the file readers by table kind.
struct readers {
  io::table_reader<io::deal_table, deal_pass> deals;
  io::table_reader<io::account_table, account_book> accounts;
  io::table_reader<io::touch_table, touch_stats> touches;
  io::table_reader<io::spend_table, spend_stats> spend;
  io::row_sink* sink(io::table_kind t) {
    switch (t) {
      case io::table_kind::deals: return &deals;
      case io::table_kind::accounts: return &accounts;
      case io::table_kind::touches: return &touches;
      case io::table_kind::spend: return &spend;
    }
    return nullptr;
  }
  const io::table_summary& summary(io::table_kind t) const {
    switch (t) {
      case io::table_kind::accounts: return accounts.summary();
      case io::table_kind::touches: return touches.summary();
      case io::table_kind::spend: return spend.summary();
      default: return deals.summary();
    }
  }
};

inline bool is_csv_name(const std::string& path) {
  return io::detail::ends_with_ci(path, ".csv") || io::detail::ends_with_ci(path, ".tsv") ||
         io::detail::ends_with_ci(path, ".txt");
}
}  // namespace detail

namespace detail {
/// SPEC issue 4: deals whose account is missing from the accounts table still count, but the
/// user hears about them (how many, and the first few ids).
inline void warn_unknown_accounts(const analysis& a, io::diagnostics& diag) {
  std::int64_t deals = 0;
  std::vector<std::string> ids;
  a.deals.accounts().for_each([&](const std::string& id, const account_deals& d) {
    if (a.accounts.find(id)) return;
    deals += d.deals;
    ids.push_back(id);
  });
  if (ids.empty()) return;
  std::sort(ids.begin(), ids.end());
  const std::size_t shown = std::min<std::size_t>(ids.size(), 5);
  std::string list;
  for (std::size_t i = 0; i < shown; ++i)
    list += (i ? ", " : "") + abmkpi::detail::escape_control(ids[i]);
  if (ids.size() > shown) list += ", ...";
  const std::string text = std::to_string(deals) + " deals of " + std::to_string(ids.size()) +
                           " accounts not in " + a.names[at(io::table_kind::accounts)] + " (" +
                           list + ") are still counted";
  diag.warning(a.names[at(io::table_kind::deals)] + ": " + text);
  diag.note("deals: " + text);
}
}  // namespace detail

namespace detail {
inline usage_error given_twice(io::table_kind t, const std::string& deals_name) {
  return usage_error("the " + std::string(io::table_name(t)) + " table is given twice: in " +
                     deals_name + " and as --" + std::string(io::table_name(t)));
}

/// Takes the accounts table's column facts into the account book; checks --icp-min against them.
inline void adopt_account_columns(analysis& a, const io::table_summary& s,
                                  const analysis_options& opts) {
  const auto& cols = s.has_column;
  a.accounts.has_target = cols[static_cast<std::size_t>(io::account_column::target)];
  a.accounts.has_arr = cols[static_cast<std::size_t>(io::account_column::arr)];
  a.accounts.has_icp_fit = cols[static_cast<std::size_t>(io::account_column::icp_fit)];
  a.accounts.has_dimension = s.has_dimension;
  if (opts.abm.icp_min && !a.accounts.has_icp_fit)
    throw parse_error(a.names[at(io::table_kind::accounts)], 0, 0,
                      "--icp-min needs an icp_fit column (accepted headers: \"icp fit\", "
                      "\"icp score\", \"fit score\", \"icp fit score\")");
}

/// The columns a table has: canonical names of the bound ones, then its other headers.
inline std::string column_list(std::span<const io::column_def> defs, const io::table_summary& s) {
  std::vector<std::string> names;
  for (std::size_t c = 0; c < defs.size() && c < s.has_column.size(); ++c)
    if (s.has_column[c]) names.emplace_back(defs[c].name);
  for (const auto& h : s.extra_columns) names.push_back(abmkpi::detail::escape_control(h));
  return join(names);
}

/// Every --by name must be a column of the deals or of the accounts read before them (SPEC §4:
/// an unknown column is a bad argument). Throws usage_error.
inline void check_by_columns(const std::vector<std::string>& by, const io::table_summary& deals,
                             const analysis& a, bool accounts_first) {
  for (std::size_t i = 0; i < by.size(); ++i) {
    const bool on_deals = i < deals.has_dimension.size() && deals.has_dimension[i];
    const bool on_accounts =
        accounts_first && i < a.accounts.has_dimension.size() && a.accounts.has_dimension[i];
    if (on_deals || on_accounts) continue;
    std::string message =
        "--by " + by[i] + ": neither the deals nor the accounts table has such a column";
    if (a.has(io::table_kind::accounts) && !accounts_first)
      message +=
          " (a JSON bundle on standard input must hold its accounts before its deals for that)";
    message += "; deals columns: " + column_list(io::deal_columns, deals);
    if (accounts_first)
      message += "; accounts columns: " +
                 column_list(io::account_columns, *a.summaries[at(io::table_kind::accounts)]);
    throw usage_error(message);
  }
}

/// A consumer that keeps nothing (a read for the ids alone).
struct discard_records {
  template <class Record>
  void add(const Record&) noexcept {}
  void merge(const discard_records&) noexcept {}
};

/// The duplicate deal ids of a finished pass, with their lines. In rescan mode the pass kept
/// only hashes: when two are equal (a duplicate, or rarely two ids with one hash), the deals
/// file is read again, converting every row as the pass did but keeping nothing except the
/// suspect ids, exactly. Its row errors were reported by the pass and are not repeated. (When
/// the pass kept not even hashes, for ids in order that it could not prove distinct, a first
/// read again hashes them: io::id_registry::suspects.)
inline std::vector<io::duplicate_id> duplicate_deal_ids(io::id_registry& ids,
                                                        const analysis_options& opts,
                                                        const io::read_options& read,
                                                        const std::string& deals_name,
                                                        unsigned threads,
                                                        const parallel_options* parallel) {
  if (ids.mode() != io::id_check::rescan) return ids.find_duplicates();
  // Reads the file again into `table` and returns its ids; in pieces on `threads` threads with
  // `parallel` (as the pass was read).
  const auto read_again = [&]<class Table>(Table table, const parallel_options* pieces) {
    discard_records nothing;
    io::diagnostics quiet(io::row_error_policy::fail, {}, 0);
    using reader = io::table_reader<Table, discard_records>;
    reader again(deals_name, read, quiet, nothing, std::move(table));
    if (pieces == nullptr ||
        !read_csv_parallel(
            opts.deals_path, threads, opts.parallel_min_bytes, read.limits, quiet, nothing, again,
            [] { return discard_records(); },
            [&](io::diagnostics& d, discard_records& c) { return reader(deals_name, read, d, c); },
            *pieces))
      io::read_table_file(opts.deals_path, io::table_kind::deals, opts.format, read.limits,
                          [&](io::table_kind k) -> io::row_sink* {
                            return k == io::table_kind::deals ? &again : nullptr;
                          });
    return std::move(again.table().ids);
  };
  std::optional<std::vector<std::uint64_t>> suspects = ids.suspects(threads);
  // Ids in long increasing runs that overlap (a file sorted by another column first, exports
  // joined end to end) were not hashed: hash them all now.
  if (!suspects) suspects = read_again(io::deal_id_table(), parallel).suspects(threads);
  if (suspects->empty()) return {};
  // Every row converted as the pass did, keeping nothing but the suspect ids.
  io::deal_table rules;
  rules.term_months = opts.term_months;
  rules.ids = io::id_registry::recheck(std::move(*suspects));
  return read_again(std::move(rules), nullptr).find_duplicates();
}
}  // namespace detail

/// Reads every input once. Row errors go to `diag` (under the `fail` policy they end in a
/// row_errors exception after all rows were read). Throws input_error, parse_error, usage_error.
inline analysis load(const analysis_options& opts, io::diagnostics& diag) {
  analysis a;
  io::read_options read = opts.read;
  if (!opts.fx_path.empty()) {
    if (!opts.currency) throw usage_error("--fx needs --currency: the currency to report in");
    for (auto& [code, rate] : io::read_pairs(opts.fx_path, "currency,rate")) {
      if (!(rate > 0))
        throw parse_error(opts.fx_path, 0, 0, "the rate of " + code + " must be > 0");
      std::string upper = code;
      for (char& ch : upper) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
      a.fx.rate[upper] = rate;
    }
    a.fx.report_currency = *opts.currency;
    if (!a.fx.rate.count(*opts.currency))
      throw parse_error(opts.fx_path, 0, 0, "no rate for the report currency " + *opts.currency);
    read.fx = &a.fx;
  }
  engagement_weights weights;
  if (!opts.weights_path.empty()) {
    for (auto& [action, w] : io::read_pairs(opts.weights_path, "action,weight")) {
      std::string token;
      io::normalize_token(action, token);
      // Scores are integer millionths summed per account: a bound on each weight keeps the
      // sums far from overflowing.
      if (!(w >= -1e6 && w <= 1e6))
        throw parse_error(opts.weights_path, 0, 0,
                          "weight of \"" + action + "\" must be between -1000000 and 1000000");
      weights.by_action[token] = static_cast<std::int64_t>(std::llround(w * score_scale));
    }
  }
  // The periods the report will read, when the options fix them (touch scores, accounts' wins
  // and sales cycles are then kept per period instead of per day).
  const auto windows = plan_period_windows(opts.period, opts.compare_previous);
  a.touches = touch_stats(std::move(weights), windows);
  // Influence matching needs every deal of an account once the touches are known; keep a brief
  // of each deal when touches may come (a --touches file, or a JSON bundle).
  const bool may_be_bundle =
      opts.format == io::input_format::json ||
      (opts.format == io::input_format::automatic && !detail::is_csv_name(opts.deals_path));
  const bool keep_briefs = !opts.touches_path.empty() || may_be_bundle;
  // A deal row has at least ~32 bytes; reserving the id log for that many rows (virtual memory
  // until used) keeps the log from being copied as it grows.
  struct stat deals_stat {};
  const std::size_t expected_deals =
      opts.deals_path != "-" && ::stat(opts.deals_path.c_str(), &deals_stat) == 0 &&
              S_ISREG(deals_stat.st_mode)
          ? static_cast<std::size_t>(deals_stat.st_size) / 32
          : 0;
  // A file can be read again, which lets the id log keep 6 bytes per deal (io::id_check).
  const bool deals_rereadable = expected_deals > 0;
  const auto deal_rules = [&](std::size_t pieces = 1) {
    io::deal_table rules;
    rules.term_months = opts.term_months;
    rules.ids = io::id_registry(diag.policy() == io::row_error_policy::skip ? io::id_check::exact
                                : deals_rereadable                           ? io::id_check::rescan
                                                                             : io::id_check::lines);
    rules.ids.reserve(expected_deals / pieces);
    return rules;
  };
  const std::string deals_name = opts.deals_path == "-" ? "<stdin>" : opts.deals_path;
  deal_pass pass;
  detail::readers r{{deals_name, read, diag, pass, deal_rules()},
                    {opts.accounts_path, read, diag, a.accounts},
                    {opts.touches_path, read, diag, a.touches},
                    {opts.spend_path, read, diag, a.spend}};
  r.deals.set_dimensions(opts.by);
  r.accounts.set_dimensions(opts.by);
  // A CSV header is the whole list of deal columns: an unknown --by column is refused before a
  // gigabyte of rows is read. (A JSON table may name a key first in its last object, so JSON
  // deals are checked after the pass, below.)
  const bool deals_are_csv = opts.format == io::input_format::csv ||
                             (opts.format == io::input_format::automatic &&
                              opts.deals_path != "-" && detail::is_csv_name(opts.deals_path));
  const auto check_by_early = [&](const io::table_summary& deals) {
    detail::check_by_columns(opts.by, deals, a, a.has(io::table_kind::accounts));
  };
  // The accounts come first: a deal's cohort and its --by account columns are known as it is
  // read. They are the --accounts file, or the accounts of a JSON bundle read ahead.
  if (!opts.accounts_path.empty()) {
    a.names[detail::at(io::table_kind::accounts)] = opts.accounts_path;
    a.summaries[detail::at(io::table_kind::accounts)].emplace();
    io::read_table_file(opts.accounts_path, io::table_kind::accounts, opts.format, read.limits,
                        [&](io::table_kind k) -> io::row_sink* {
                          return k == io::table_kind::accounts ? &r.accounts : nullptr;
                        });
  } else if (may_be_bundle && opts.deals_path != "-" &&
             io::is_json_bundle(opts.deals_path, opts.format)) {
    io::read_table_file(opts.deals_path, io::table_kind::deals, opts.format, read.limits,
                        [&](io::table_kind k) -> io::row_sink* {
                          if (k != io::table_kind::accounts) return nullptr;
                          a.names[detail::at(k)] = deals_name;
                          a.summaries[detail::at(k)].emplace();
                          return &r.accounts;
                        });
  }
  const bool accounts_first = a.has(io::table_kind::accounts);
  if (accounts_first) {
    detail::adopt_account_columns(a, r.accounts.summary(), opts);
    a.summaries[detail::at(io::table_kind::accounts)] = r.accounts.summary();  // for check_by_early
  }
  split_plan plan;
  plan.cohorts = accounts_first && a.accounts.has_target;
  plan.by = opts.by;
  plan.accounts = accounts_first ? &a.accounts : nullptr;
  plan.max_groups = opts.max_groups;
  plan.deals_name = deals_name;
  plan.windows = windows;
  // The pass, and each piece of a file read in parallel, before its first deal.
  const bool customers_only = !opts.every_account_summary && !accounts_first && !keep_briefs;
  const auto prepare = [&](deal_pass& p) {
    p.all.keep_briefs(keep_briefs);
    p.all.customers_only(customers_only);
    p.all.set_requested_period(opts.period.from, opts.period.to);
    p.all.plan_windows(windows);
    p.set_plan(&plan);
  };
  prepare(pass);
  if (deals_are_csv && !opts.by.empty()) r.deals.on_columns_bound(check_by_early);
  const unsigned threads =
      opts.threads > 0 ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  // A thread that finishes its piece early takes half of another's rest (work stealing): one
  // more piece per two threads, each holding a consumer until the merge.
  parallel_options splitting;
  splitting.max_steals = std::max(1u, threads / 2);
  const auto parallel_ok = [&](const std::string& path) {
    // Under --skip-invalid a duplicate id must be caught as it is read, across the whole
    // file, so such runs read with one thread.
    return threads > 1 && diag.policy() == io::row_error_policy::fail && path != "-" &&
           !io::detail::ends_with_ci(path, ".tsv") &&
           detail::is_csv_name(path) &&
           (opts.format == io::input_format::automatic || opts.format == io::input_format::csv);
  };
  const bool deals_in_parallel =
      parallel_ok(opts.deals_path) &&
      read_csv_parallel(
          opts.deals_path, threads, opts.parallel_min_bytes, read.limits, diag, pass, r.deals,
          [&] {
            deal_pass p;
            prepare(p);
            return p;
          },
          [&](io::diagnostics& d, deal_pass& p) {
            io::table_reader<io::deal_table, deal_pass> reader(deals_name, read, d, p,
                                                               deal_rules(threads));
            reader.set_dimensions(opts.by);
            if (deals_are_csv && !opts.by.empty()) reader.on_columns_bound(check_by_early);
            return reader;
          },
          splitting);
  if (deals_in_parallel) {
    a.names[0] = deals_name;
    a.summaries[0].emplace();
  } else {
    io::read_table_file(opts.deals_path, io::table_kind::deals, opts.format, read.limits,
                        [&](io::table_kind t) -> io::row_sink* {
                          if (t == io::table_kind::accounts && accounts_first) {
                            if (opts.accounts_path.empty()) return nullptr;  // read ahead
                            throw detail::given_twice(t, deals_name);
                          }
                          a.names[detail::at(t)] = deals_name;
                          a.summaries[detail::at(t)].emplace();  // marks the table as read
                          return r.sink(t);
                        });
  }
  for (const auto& [table, file] : {std::pair{io::table_kind::touches, &opts.touches_path},
                                    std::pair{io::table_kind::spend, &opts.spend_path}}) {
    // Plain copies: clang 14 cannot capture a structured binding in a lambda.
    const io::table_kind t = table;
    const std::string* path = file;
    if (path->empty()) continue;
    if (a.has(t)) throw detail::given_twice(t, deals_name);
    a.names[detail::at(t)] = *path;
    a.summaries[detail::at(t)].emplace();
    // Touches are read on every core, each piece into its own touch_stats; the spend table is
    // small.
    if (t == io::table_kind::touches && parallel_ok(*path) &&
        read_csv_parallel(
            *path, threads, opts.parallel_min_bytes, read.limits, diag, a.touches, r.touches,
            [&] { return touch_stats(a.touches.weights(), a.touches.plan()); },
            [&](io::diagnostics& d, touch_stats& s) {
              return io::table_reader<io::touch_table, touch_stats>(*path, read, d, s);
            },
            splitting))
      continue;
    io::read_table_file(*path, t, opts.format, read.limits,
                        [&, table = t](io::table_kind k) -> io::row_sink* {
                          return k == table ? r.sink(table) : nullptr;
                        });
  }
  for (const io::duplicate_id& d :
       detail::duplicate_deal_ids(r.deals.table().ids, opts, read, deals_name, threads,
                                  deals_in_parallel ? &splitting : nullptr))
    r.deals.reject_after_pass(d.line, "deal_id",
                              "duplicate id (first on line " + std::to_string(d.first_line) + ")");
  diag.finish_reading();
  for (const io::column_mapping& m : opts.read.maps) {
    bool matched = false;
    for (auto t : {io::table_kind::deals, io::table_kind::accounts, io::table_kind::touches,
                   io::table_kind::spend})
      matched = matched || (a.has(t) && r.summary(t).matched_maps.count(m.header));
    if (!m.table && !matched)
      throw usage_error("--map " + m.canonical + "=" + m.header + ": no input has a column \"" +
                        m.header + "\"");
  }
  for (auto t : {io::table_kind::deals, io::table_kind::accounts, io::table_kind::touches,
                 io::table_kind::spend})
    if (a.has(t)) a.summaries[detail::at(t)] = r.summary(t);
  if (opts.abm.icp_min && !a.has(io::table_kind::accounts))
    throw usage_error("--icp-min needs an accounts table (--accounts)");
  if (a.has(io::table_kind::accounts) && !accounts_first)
    detail::adopt_account_columns(a, r.accounts.summary(), opts);
  if (a.has(io::table_kind::deals))
    detail::check_by_columns(opts.by, r.deals.summary(), a, accounts_first);
  if (a.has(io::table_kind::spend))
    a.spend.has_abm = a.summaries[detail::at(io::table_kind::spend)]
                          ->has_column[static_cast<std::size_t>(io::spend_column::abm)];
  pass.finish();
  a.deals = std::move(pass.all);
  a.splits = std::move(pass.splits);
  a.splits.finish();  // drops the plan, which lives in this function
  a.cohorts = plan.cohorts;
  a.deals.finish(threads);
  a.touches.finish(threads);
  if (a.has(io::table_kind::accounts)) detail::warn_unknown_accounts(a, diag);
  return a;
}

/// Reduces an analysis to the report for the requested period. Reading notes from `diag` come
/// first. Throws usage_error (bad period) and parse_error (mixed currencies without --fx).
inline report::report build_report(const analysis& a, const analysis_options& opts,
                            const io::diagnostics& diag);

}  // namespace abmkpi::engine

#include "abmkpi/engine/report_builder.hpp"
