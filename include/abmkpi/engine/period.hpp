// The reporting period (SPEC §2): --from/--to, --period YYYY | YYYY-Qn | YYYY-MM, and the default
// span of event dates.
#pragma once

#include <algorithm>    // std::copy, std::max, std::min
#include <array>        // std::array
#include <charconv>     // std::from_chars
#include <cstdint>      // std::int32_t
#include <limits>       // std::numeric_limits
#include <optional>     // std::optional
#include <stdexcept>    // std::invalid_argument
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::pair
#include <vector>       // std::vector

#include "abmkpi/error.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// What `--period` named: the previous period (SPEC §4) of a calendar year, quarter or month is
/// the previous one of the same kind; of a custom range, the equal-length range before it.
enum class period_kind : std::uint8_t { custom, year, quarter, month };

/// What the command line asked for. Unset fields take their defaults.
struct period_request {
  std::optional<date> from;
  std::optional<date> to;
  period_kind kind = period_kind::custom;
};

namespace detail {
inline bool read_int(std::string_view s, int& out) noexcept {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}
}  // namespace detail

/// Parses `--period`: `2024`, `2024-Q3` (q case-insensitive) or `2024-07`. Throws usage_error.
inline period_request parse_period(std::string_view text) {
  const auto bad = [&] {
    return usage_error("--period: cannot read \"" + std::string(text) +
                       "\" (expected YYYY, YYYY-Qn or YYYY-MM, e.g. 2024, 2024-Q3, 2024-07)");
  };
  int year = 0;
  if (text.size() < 4 || !detail::read_int(text.substr(0, 4), year) || year < 1000) throw bad();
  if (text.size() == 4) return {make_date(year, 1, 1), make_date(year, 12, 31), period_kind::year};
  if (text.size() != 7 || text[4] != '-') throw bad();
  if (text[5] == 'Q' || text[5] == 'q') {
    const int q = text[6] - '0';
    if (q < 1 || q > 4) throw bad();
    const unsigned last = static_cast<unsigned>(q * 3);
    return {make_date(year, last - 2, 1), make_date(year, last, days_in_month(year, last)),
            period_kind::quarter};
  }
  int month = 0;
  if (!detail::read_int(text.substr(5), month) || month < 1 || month > 12) throw bad();
  const auto m = static_cast<unsigned>(month);
  return {make_date(year, m, 1), make_date(year, m, days_in_month(year, m)), period_kind::month};
}

/// The period to report: requested bounds, each defaulting to the earliest/latest event date.
/// nullopt when a bound is needed and there are no events. Throws usage_error when from > to.
inline std::optional<period> resolve_period(const period_request& r,
                                            std::optional<date> first_event,
                                            std::optional<date> last_event) {
  const std::optional<date> from = r.from ? r.from : first_event;
  const std::optional<date> to = r.to ? r.to : last_event;
  if (!from || !to) return std::nullopt;
  if (*from > *to)
    throw usage_error("the period starts after it ends: " + to_iso(*from) + " > " + to_iso(*to));
  return period{*from, *to};
}

/// The previous period (SPEC §4): the calendar year, quarter or month before the one `--period`
/// named; otherwise the period of equal length that ends the day before `p` starts.
inline period previous_period(const period& p, period_kind kind) noexcept {
  const date to{p.from.days - 1};
  const civil c = to_civil(to);
  switch (kind) {
    case period_kind::year: return {make_date(c.year, 1, 1), to};
    case period_kind::quarter: return {make_date(c.year, (c.month - 1) / 3 * 3 + 1, 1), to};
    case period_kind::month: return {make_date(c.year, c.month, 1), to};
    case period_kind::custom: break;
  }
  return {date{to.days - (p.to.days - p.from.days)}, to};
}

/// A period whose figures a report will read, known before the pass, as a range of days
/// [lo, hi] (lo > hi: it holds no event); see plan_period_windows. Accumulators that keep a
/// figure per window instead of per day (touch_stats' scores; deal_stats' accounts with a win
/// and sales cycles) answer only for these periods.
struct period_window {
  std::int32_t lo, hi;
  bool contains(std::int32_t d) const noexcept { return lo <= d && d <= hi; }
  bool operator==(const period_window&) const = default;
};
inline constexpr std::size_t max_period_windows = 2;  // the period and the previous period

/// The windows of a plan as an accumulator keeps them: none (no plan), or up to
/// max_period_windows in place, so that a per-row test reads no heap.
class window_plan {
 public:
  window_plan() = default;
  /// Throws std::invalid_argument for more than max_period_windows windows.
  explicit window_plan(const std::optional<std::vector<period_window>>& plan) {
    if (!plan) return;
    if (plan->size() > max_period_windows)
      throw std::invalid_argument("more windows than max_period_windows");
    planned_ = true;
    size_ = plan->size();
    std::copy(plan->begin(), plan->end(), windows_.begin());
  }
  explicit operator bool() const noexcept { return planned_; }
  /// Bit k: day `d` is in window k.
  std::uint8_t bits(std::int32_t d) const noexcept {
    std::uint8_t b = 0;
    for (std::size_t k = 0; k < size_; ++k)
      b = static_cast<std::uint8_t>(b | (windows_[k].contains(d) << k));
    return b;
  }
  std::vector<period_window> windows() const {
    return {windows_.begin(), windows_.begin() + static_cast<std::ptrdiff_t>(size_)};
  }
  bool operator==(const window_plan&) const = default;

 private:
  std::array<period_window, max_period_windows> windows_{};
  std::size_t size_ = 0;
  bool planned_ = false;
};

/// The windows a report of request `r` reads, when they are known before the pass: the period,
/// and with `previous` the previous period (SPEC §4). A bound the request leaves open becomes
/// the first or last event date of all inputs, which lies beyond every event of any table, so
/// an open bound is as good as "all days". nullopt when a window depends on the data: the
/// previous period of a --from without --to.
inline std::optional<std::vector<period_window>> plan_period_windows(const period_request& r,
                                                                     bool previous) {
  constexpr std::int32_t min = std::numeric_limits<std::int32_t>::min();
  constexpr std::int32_t max = std::numeric_limits<std::int32_t>::max();
  std::vector<period_window> w{{r.from ? r.from->days : min, r.to ? r.to->days : max}};
  if (previous) {
    if (r.from && r.to) {
      const period before = previous_period(period{*r.from, *r.to}, r.kind);
      w.push_back({before.from.days, before.to.days});
    } else if (!r.from) {
      w.push_back({max, min});  // it ends before the first event: nothing is in it
    } else {
      return std::nullopt;
    }
  }
  return w;
}

/// The window of `plan` that holds the same events as period p, for an accumulator whose event
/// days all lie in [first, last]: a window and p agree when both, cut to that span, are equal or
/// empty. nullopt when none does.
inline std::optional<std::size_t> matching_window(const std::vector<period_window>& plan,
                                                  date first, date last, const period& p) {
  const auto cut = [&](std::int32_t lo, std::int32_t hi) {
    const std::int32_t a = std::max(lo, first.days), b = std::min(hi, last.days);
    return a > b ? std::pair{1, 0} : std::pair{a, b};  // every empty range alike
  };
  for (std::size_t k = 0; k < plan.size(); ++k)
    if (cut(plan[k].lo, plan[k].hi) == cut(p.from.days, p.to.days)) return k;
  return std::nullopt;
}

}  // namespace abmkpi::engine
