// The inline SVG charts of the HTML report (report/html.hpp): the funnel of target accounts,
// pipeline created and bookings by month, win rate with its Wilson interval, churn and retention.
// Each chart is a <figure> whose SVG carries a <title> and a <desc> that say in words what it
// draws; a chart without data is a short sentence instead of an empty drawing. Values are
// formatted by format.hpp, as in the terminal table, and every input text is HTML-escaped.
#pragma once

#include <fmt/format.h>

#include <algorithm>    // std::max, std::min, std::stable_sort
#include <cmath>        // std::ceil, std::floor, std::log10, std::pow
#include <cstdint>      // std::int64_t
#include <iterator>     // std::size
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/text.hpp"
#include "abmkpi/report/format.hpp"
#include "abmkpi/report/report.hpp"

namespace abmkpi::report {

/// `text` made safe inside HTML text and attribute values: controls written as `\xNN`
/// (detail::escape_control), then `& < > " '` as character references. Invalid UTF-8 passes
/// (the browser shows U+FFFD). Does not throw except std::bad_alloc.
inline std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : abmkpi::detail::escape_control(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// A value formatted as the terminal table formats KPI `key` (its unit, the report currency),
/// HTML-escaped: `278,000.00 USD`, `66.67 %`, `n/a`.
inline std::string html_value(const report& r, std::string_view key, std::optional<double> v) {
  const kpi_value* k = r.kpis.find(key);
  if (!k) return html_escape(format_plain(v));
  kpi_value shown = *k;
  shown.value = v;
  return html_escape(format_value(shown, r.currency));
}

namespace svg {
namespace detail {
inline constexpr double width = 640;  // every chart's viewBox width; CSS scales it to the page
inline constexpr const char* blue = "#4e79a7";
inline constexpr const char* orange = "#f28e2b";
inline constexpr const char* green = "#59a14f";
inline constexpr const char* red = "#e15759";
inline constexpr const char* grey = "#9aa5b1";
inline constexpr const char* grid_line = "#e4e7eb";

/// A coordinate: one decimal is finer than a pixel at any page width.
inline std::string num(double v) { return fmt::format("{:.1f}", v); }

/// `<text>` at (x, y); `escaped` must already be HTML-escaped.
inline std::string text(double x, double y, std::string_view escaped, std::string_view attrs = {}) {
  return fmt::format("<text x=\"{}\" y=\"{}\"{}{}>{}</text>\n", num(x), num(y),
                     attrs.empty() ? "" : " ", attrs, escaped);
}

inline std::string rect(double x, double y, double w, double h, std::string_view fill,
                        std::string_view tip_escaped = {}) {
  std::string out = fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"",
                                num(x), num(y), num(std::max(w, 0.0)), num(std::max(h, 0.0)), fill);
  if (tip_escaped.empty()) return out + "/>\n";
  return out + "><title>" + std::string(tip_escaped) + "</title></rect>\n";
}

inline std::string line(double x1, double y1, double x2, double y2, std::string_view stroke,
                        std::string_view attrs = {}) {
  return fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"{}{}/>\n", num(x1),
                     num(y1), num(x2), num(y2), stroke, attrs.empty() ? "" : " ", attrs);
}

/// A legend entry: a swatch and its label at (x, y); returns the x after it.
inline double legend(std::string& out, double x, double y, std::string_view fill,
                     std::string_view label_escaped) {
  out += rect(x, y - 9, 10, 10, fill);
  out += text(x + 14, y, label_escaped);
  return x + 14 + 7.0 * static_cast<double>(label_escaped.size()) + 18;
}

/// An axis from 0 to `top` in `ticks` equal steps of 1, 2 or 5 × 10^k that holds `max_value`;
/// steps of whole units for counts.
struct axis {
  double top = 1, step = 1;
  int ticks = 1;
  /// A tick's label: whole numbers unless the step is below 1.
  std::string label(int i) const { return group_thousands(step * i, step < 1 ? 2 : 0); }
};
inline axis nice_axis(double max_value, bool counts, int wanted_ticks = 5) {
  if (!(max_value > 0)) return {};
  const double rough = std::max(max_value / wanted_ticks, counts ? 1.0 : 0.0);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 5.0})
    if (magnitude * m >= rough) {
      step = magnitude * m;
      break;
    }
  const int ticks = static_cast<int>(std::ceil(max_value / step - 1e-9));
  return {step * ticks, step, std::max(ticks, 1)};
}

/// At most `max_bytes` of `text` without cutting a UTF-8 sequence, with `…` when cut.
inline std::string fit(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "\xE2\x80\xA6";
}

/// What a chart shows: `title` and `caption` above it, `summary` as the SVG's <desc> (the
/// text a screen reader gets), `body` the drawing, `extra` HTML after it (a table of numbers).
struct chart {
  std::string id, title, caption, summary, body, extra;
  double height = 300;
};

/// The <figure> of a chart; every text field must already be HTML-escaped.
inline std::string figure(const chart& c) {
  return fmt::format(
      "<figure class=\"chart\" id=\"fig-{0}\">\n<figcaption><h3>{1}</h3><p>{2}</p></figcaption>\n"
      "<svg id=\"chart-{0}\" class=\"chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" "
      "viewBox=\"0 0 {3} {4}\" role=\"img\" aria-labelledby=\"chart-{0}-title chart-{0}-desc\">\n"
      "<title id=\"chart-{0}-title\">{1}</title>\n<desc id=\"chart-{0}-desc\">{5}</desc>\n"
      "{6}</svg>\n{7}</figure>\n",
      c.id, c.title, c.caption, num(width), num(c.height), c.summary, c.body, c.extra);
}

/// A chart's place when there is nothing to draw: its title and one sentence.
inline std::string no_data(std::string_view id, std::string_view title_escaped,
                           std::string_view message_escaped) {
  return fmt::format(
      "<figure class=\"chart\" id=\"fig-{0}\">\n<figcaption><h3>{1}</h3></figcaption>\n"
      "<p class=\"no-data\" id=\"chart-{0}-no-data\">No data: {2}</p>\n</figure>\n",
      id, title_escaped, message_escaped);
}

/// Value axis along y (x = `x0`, from `y_bottom` up to `y_top`) with gridlines to `x1`.
inline void y_axis(std::string& out, const axis& a, double x0, double x1, double y_top,
                   double y_bottom) {
  for (int i = 0; i <= a.ticks; ++i) {
    const double y = y_bottom - (y_bottom - y_top) * a.step * i / a.top;
    out += line(x0, y, x1, y, i == 0 ? grey : grid_line);
    out += text(x0 - 6, y + 4, a.label(i), "text-anchor=\"end\"");
  }
}
}  // namespace detail

/// The funnel of target accounts (report::funnel): target → engaged → MQA → opportunity → won,
/// each stage a bar counted on its own. "needs --touches" where engaged and MQA are unknown.
inline std::string funnel_chart(const report& r) {
  using namespace detail;
  const std::string title = "Funnel of target accounts";
  if (!r.funnel)
    return no_data("funnel", title,
                   "the funnel needs an accounts table with a target column (--accounts).");
  const funnel_counts& f = *r.funnel;
  if (f.target == 0)
    return no_data("funnel", title, "no account of the accounts table is a target account.");
  struct stage {
    const char* name;
    std::optional<std::int64_t> n;
    const char* fill;
    const char* means;
  };
  const stage stages[] = {
      {"Target", f.target, "#1f4e79", "marked as targets in the accounts table"},
      {"Engaged", f.engaged, "#2e6da4", "with an engagement touch in the period"},
      {"MQA", f.mqa, blue, "with an engagement score of at least --mqa-threshold"},
      {"Opportunity", f.opportunity, "#76a5d0", "with a deal created in the period"},
      {"Won", f.won, green, "with a deal won and closed in the period"}};
  const double x0 = 110, x1 = 430, top = 14, row = 40, bar = 26;
  const axis a = nice_axis(static_cast<double>(f.target), true);
  chart c;
  c.id = "funnel";
  c.title = title;
  c.caption = html_escape("Target accounts at each stage in " + format_period(r.period) +
                          ". Each stage is counted on its own: an account can be won without "
                          "having been engaged, so a later stage may be larger than an earlier "
                          "one.");
  const double axis_y = top + row * 5 + 4;
  for (int i = 0; i <= a.ticks; ++i) {
    const double v = a.step * i, x = x0 + (x1 - x0) * v / a.top;
    c.body += line(x, top - 4, x, axis_y, i == 0 ? grey : grid_line);
    c.body += text(x, axis_y + 14, a.label(i), "text-anchor=\"middle\"");
  }
  c.body += text((x0 + x1) / 2, axis_y + 32, "target accounts",
                 "text-anchor=\"middle\" class=\"axis-title\"");
  for (std::size_t i = 0; i < std::size(stages); ++i) {
    const stage& s = stages[i];
    const double y = top + row * static_cast<double>(i);
    c.body += text(x0 - 8, y + bar / 2 + 4, s.name, "text-anchor=\"end\" class=\"label\"");
    if (!s.n) {
      c.body += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" "
          "stroke-dasharray=\"4 3\"/>\n",
          num(x0), num(y), num(x1 - x0), num(bar), grey);
      c.body += text(x0 + 10, y + bar / 2 + 4, "needs --touches", "class=\"muted\"");
      c.summary += fmt::format("{}: needs --touches. ", s.name);
      continue;
    }
    const double n = static_cast<double>(*s.n);
    const std::string share =
        html_value(r, "account_engagement_rate", n / static_cast<double>(f.target));
    const std::string count = html_escape(group_thousands(n, 0));
    const std::string tip =
        fmt::format("{}: {} ({} of the target accounts), {}", s.name, count, share, s.means);
    c.body += rect(x0, y, (x1 - x0) * n / a.top, bar, s.fill, tip);
    c.body += text(x0 + (x1 - x0) * n / a.top + 6, y + bar / 2 + 4,
                   fmt::format("{} ({})", count, share), "class=\"value\"");
    c.summary += tip + ". ";
  }
  c.height = axis_y + 42;
  return figure(c);
}

namespace detail {
/// Months merged into buckets a bar can show: months up to 3 years, then quarters, then years,
/// then runs of years, so that a long default period stays readable.
struct month_bucket {
  abmkpi::period span;
  double created = 0, bookings = 0;
  std::string label;  // `Jan`, `Q1`, `2024` or `2020–2029`
  int year = 0;       // months and quarters: shown under the label where the year changes
};

inline std::vector<month_bucket> month_buckets(const std::vector<month_sums>& months,
                                               std::string& unit) {
  const std::size_t n = months.size();
  int per = 1;  // months per bucket: 1, 3, 12 or 12·k
  if (n > 36) per = 3;
  if (n > 36 * 3) per = 12;
  if (n > 36 * 12) per = 12 * static_cast<int>((n + 36 * 12 - 1) / (36 * 12));
  unit = per == 1    ? "month"
         : per == 3  ? "quarter"
         : per == 12 ? "year"
                     : fmt::format("{} years", per / 12);
  std::vector<month_bucket> out;
  long last_key = 0;
  for (const month_sums& m : months) {
    const civil c = to_civil(m.span.from);
    const long index = static_cast<long>(c.year) * 12 + static_cast<long>(c.month) - 1;
    const long key = index >= 0 ? index / per : -((-index + per - 1) / per);
    if (out.empty() || key != last_key) {
      static constexpr const char* month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
      month_bucket b{m.span, 0, 0, {}, per <= 3 ? c.year : 0};
      if (per == 1)
        b.label = month_names[c.month - 1];
      else if (per == 3)
        b.label = fmt::format("Q{}", (c.month - 1) / 3 + 1);
      else
        b.label = fmt::format("{}", c.year);
      out.push_back(std::move(b));
      last_key = key;
    }
    month_bucket& b = out.back();
    b.span.to = m.span.to;
    b.created += m.created_pipeline;
    b.bookings += m.bookings;
  }
  if (per > 12)
    for (month_bucket& b : out)
      if (to_civil(b.span.to).year != to_civil(b.span.from).year)
        b.label += fmt::format("\xE2\x80\x93{}", to_civil(b.span.to).year);
  return out;
}
}  // namespace detail

/// Pipeline created and bookings per calendar month of the period (report::months), two bars a
/// month, with a table of the numbers under the chart.
inline std::string monthly_chart(const report& r) {
  using namespace detail;
  const std::string title = "Pipeline created and bookings by month";
  std::string unit;
  const std::vector<month_bucket> buckets = month_buckets(r.months, unit);
  double top_value = 0;
  for (const auto& b : buckets) top_value = std::max({top_value, b.created, b.bookings});
  if (!(top_value > 0))
    return no_data("months", title, "no deal was created or won in the period.");
  chart c;
  c.id = "months";
  c.title = unit == "month" ? title : title + " (by " + unit + ")";
  c.caption = html_escape("Created pipeline: Σ amount of the deals created in the " + unit +
                          ". Bookings: Σ amount of the deals won and closed in it. Period " +
                          format_period(r.period) + ".");
  const double x0 = 96, x1 = 628, y_top = 40, y_bottom = 236;
  const axis a = nice_axis(top_value, false);
  const double lx = legend(c.body, x0, 18, blue, "Created pipeline");
  legend(c.body, lx, 18, orange, "Bookings");
  y_axis(c.body, a, x0, x1, y_top, y_bottom);
  const std::string currency = r.currency ? html_escape(*r.currency) : std::string("amount");
  c.body += fmt::format(
      "<text x=\"14\" y=\"{}\" transform=\"rotate(-90 14 {})\" "
      "text-anchor=\"middle\" class=\"axis-title\">{}</text>\n",
      num((y_top + y_bottom) / 2), num((y_top + y_bottom) / 2), currency);
  const double slot = (x1 - x0) / static_cast<double>(buckets.size());
  const double bar = slot * 0.36;
  const std::size_t stride = (buckets.size() + 11) / 12;  // at most 12 labels
  int year_shown = 0;
  std::string rows;
  double created_total = 0, bookings_total = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const month_bucket& b = buckets[i];
    const double x = x0 + slot * static_cast<double>(i) + slot * 0.14;
    const double h_created = (y_bottom - y_top) * b.created / a.top;
    const double h_bookings = (y_bottom - y_top) * b.bookings / a.top;
    const std::string span = html_escape(to_iso(b.span.from) + " .. " + to_iso(b.span.to));
    const std::string created = html_value(r, "created_pipeline", b.created);
    const std::string bookings = html_value(r, "bookings", b.bookings);
    c.body +=
        rect(x, y_bottom - h_created, bar, h_created, blue, span + ": created pipeline " + created);
    c.body += rect(x + bar, y_bottom - h_bookings, bar, h_bookings, orange,
                   span + ": bookings " + bookings);
    if (i % stride == 0) {
      c.body += text(x + bar, y_bottom + 16, html_escape(b.label), "text-anchor=\"middle\"");
      if (b.year != 0 && b.year != year_shown)
        c.body += text(x + bar, y_bottom + 30, fmt::format("{}", b.year),
                       "text-anchor=\"middle\" class=\"small\"");
      year_shown = b.year;
    }
    rows += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                        span, created, bookings);
    created_total += b.created;
    bookings_total += b.bookings;
  }
  c.body += text((x0 + x1) / 2, y_bottom + 46, html_escape(unit),
                 "text-anchor=\"middle\" class=\"axis-title\"");
  c.summary = fmt::format("{} {}s; created pipeline {} and bookings {} in all.", buckets.size(),
                          unit, html_value(r, "created_pipeline", created_total),
                          html_value(r, "bookings", bookings_total));
  c.extra = "<details><summary>Numbers</summary>\n<table class=\"kpis\"><thead><tr><th>" +
            html_escape(unit) +
            "</th><th class=\"num\">created pipeline</th><th class=\"num\">"
            "bookings</th></tr></thead>\n<tbody>\n" +
            rows + "</tbody></table></details>\n";
  c.height = y_bottom + 56;
  return figure(c);
}

namespace detail {
/// One row of the win-rate chart: a heading (no set) or a set of §3.1 KPIs.
struct rate_row {
  std::string label;  // not escaped
  const kpi_set* kpis = nullptr;
};

/// At most `limit` groups: those with the most won and lost deals, in key order.
inline std::vector<const group_report*> shown_groups(const report& r, std::size_t limit) {
  std::vector<const group_report*> out;
  for (const auto& g : r.groups) out.push_back(&g);
  if (out.size() <= limit) return out;
  const auto closed = [](const group_report* g) {
    return g->kpis.get("deals_won").value_or(0) + g->kpis.get("deals_lost").value_or(0);
  };
  std::stable_sort(out.begin(), out.end(), [&](const group_report* a, const group_report* b) {
    return closed(a) > closed(b);
  });
  out.resize(limit);
  std::stable_sort(out.begin(), out.end(), [](const group_report* a, const group_report* b) {
    return a->values < b->values;
  });
  return out;
}
}  // namespace detail

/// Win rate of all deals, of the cohorts and of the --by groups, each a dot with its Wilson 95%
/// interval (win_rate_ci95_low .. win_rate_ci95_high) as an error bar.
inline std::string win_rate_chart(const report& r) {
  using namespace detail;
  const std::string title = "Win rate with its 95% interval";
  constexpr std::size_t max_groups = 40;
  std::vector<rate_row> rows{{"All deals", &r.kpis}};
  if (r.cohorts) {
    rows.push_back({"Cohorts", nullptr});
    rows.push_back({"Target accounts", &r.cohorts->target});
    rows.push_back({"Non-target accounts", &r.cohorts->non_target});
  }
  const std::vector<const group_report*> groups = shown_groups(r, max_groups);
  if (!groups.empty()) {
    std::string by;
    for (const auto& name : r.group_by) by += (by.empty() ? "" : ", ") + name;
    rows.push_back({"By " + by, nullptr});
    for (const group_report* g : groups) rows.push_back({g->key(), &g->kpis});
  }
  bool any = false;
  for (const rate_row& row : rows) any = any || (row.kpis && row.kpis->get("win_rate"));
  if (!any) return no_data("win-rate", title, "no deal was won or lost in the period.");
  chart c;
  c.id = "win-rate";
  c.title = title;
  std::string caption =
      "Win rate |W| / (|W| + |L|) as a dot, and its Wilson score interval "
      "(win_rate_ci95_low .. win_rate_ci95_high) as a bar; a wide bar means "
      "few closed deals.";
  if (groups.size() < r.groups.size())
    caption += fmt::format(
        " Showing the {} groups with the most won and lost deals of {}; the "
        "table below has them all.",
        groups.size(), r.groups.size());
  c.caption = html_escape(caption);
  const double x0 = 176, x1 = 456, top = 10, step = 24;
  double y = top;
  std::string numbers;
  for (const rate_row& row : rows) {
    if (!row.kpis) {
      c.body += text(4, y + 15, html_escape(fit(row.label, 60)), "class=\"label heading\"");
      y += step;
      continue;
    }
    const auto rate = row.kpis->get("win_rate");
    const auto low = row.kpis->get("win_rate_ci95_low"), high = row.kpis->get("win_rate_ci95_high");
    const double won = row.kpis->get("deals_won").value_or(0),
                 lost = row.kpis->get("deals_lost").value_or(0);
    const std::string label = html_escape(row.label);
    c.body += "<g>";
    c.body += text(x0 - 8, y + 15, html_escape(fit(row.label, 26)),
                   "text-anchor=\"end\" class=\"label\"");
    const double mid = y + 11;
    const auto at = [&](double v) { return x0 + (x1 - x0) * std::clamp(v, 0.0, 1.0); };
    std::string tip;
    if (!rate) {
      tip = label + ": n/a (no deal won or lost)";
      c.body += text(x0 + 4, y + 15, "n/a: no deal won or lost", "class=\"muted\"");
    } else {
      tip = fmt::format("{}: win rate {} (95% interval {} .. {}), {} won, {} lost", label,
                        html_value(r, "win_rate", rate), html_value(r, "win_rate", low),
                        html_value(r, "win_rate", high), format_plain(won), format_plain(lost));
      if (low && high) {
        c.body += line(at(*low), mid, at(*high), mid, "#334e68", "stroke-width=\"1.5\"");
        for (double v : {*low, *high})
          c.body += line(at(v), mid - 5, at(v), mid + 5, "#334e68", "stroke-width=\"1.5\"");
      }
      c.body += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\"/>\n", num(at(*rate)),
                            num(mid), row.kpis == &r.kpis ? orange : blue);
      c.body += text(x1 + 10, y + 15,
                     fmt::format("{} ({} of {})", html_value(r, "win_rate", rate),
                                 format_plain(won), format_plain(won + lost)),
                     "class=\"value\"");
    }
    c.body += "<title>" + tip + "</title></g>\n";
    c.summary += tip + ". ";
    numbers += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        label, html_value(r, "win_rate", rate), html_value(r, "win_rate", low),
        html_value(r, "win_rate", high), format_plain(won), format_plain(lost));
    y += step;
  }
  // The axis under the rows, with gridlines behind them (drawn first).
  std::string grid;
  for (int i = 0; i <= 5; ++i) {
    const double x = x0 + (x1 - x0) * i / 5;
    grid += line(x, top, x, y, i == 0 ? grey : grid_line);
    grid += text(x, y + 14, fmt::format("{} %", i * 20), "text-anchor=\"middle\"");
  }
  grid += text((x0 + x1) / 2, y + 32, "win rate", "text-anchor=\"middle\" class=\"axis-title\"");
  c.body = grid + c.body;
  c.extra =
      "<details><summary>Numbers</summary>\n<table class=\"kpis\"><thead><tr><th></th>"
      "<th class=\"num\">win_rate</th><th class=\"num\">win_rate_ci95_low</th>"
      "<th class=\"num\">win_rate_ci95_high</th><th class=\"num\">deals_won</th>"
      "<th class=\"num\">deals_lost</th></tr></thead>\n<tbody>\n" +
      numbers + "</tbody></table></details>\n";
  c.height = y + 42;
  return figure(c);
}

/// Customers at the start, new, churned and at the end of the period, with churn_rate against
/// retention_rate, beside the previous period's when --compare previous is on.
inline std::string churn_chart(const report& r) {
  using namespace detail;
  const std::string title = "Customers, churn and retention";
  static constexpr std::string_view keys[] = {"customers_start", "new_customers",
                                              "churned_customers", "customers_end"};
  static constexpr std::string_view names[] = {"at start", "new", "churned", "at end"};
  std::vector<const kpi_set*> sets{&r.kpis};
  if (r.previous) sets.push_back(&*r.previous);
  double top_value = 0;
  bool available = true;
  for (std::string_view key : keys) {
    const kpi_value* k = r.kpis.find(key);
    available = available && k && k->available;
    for (const kpi_set* s : sets) top_value = std::max(top_value, s->get(key).value_or(0));
  }
  if (!available || !(top_value > 0))
    return no_data("churn", title, "no account was a customer in the period or before it.");
  chart c;
  c.id = "churn";
  c.title = title;
  std::string caption =
      "customers_start, new_customers, churned_customers and customers_end; "
      "churn_rate = churned_customers / customers_start and retention_rate = "
      "1 − churn_rate. Current period " +
      format_period(r.period);
  if (r.previous_period) caption += ", previous " + format_period(r.previous_period);
  c.caption = html_escape(caption + ".");
  const char* fills[] = {blue, grey};
  const char* period_names[] = {"current", "previous"};
  const double x0 = 44, x1 = 392, y_top = 40, y_bottom = 226;
  double lx = 8;
  for (std::size_t s = 0; s < sets.size(); ++s)
    lx = legend(c.body, lx, 18, fills[s], period_names[s]);
  lx = legend(c.body, std::max(lx, 420.0), 18, green, "retention");
  legend(c.body, lx, 18, red, "churn");
  const axis a = nice_axis(top_value, true);
  y_axis(c.body, a, x0, x1, y_top, y_bottom);
  const double slot = (x1 - x0) / 4;
  const double bar = slot * 0.7 / static_cast<double>(sets.size());
  for (std::size_t i = 0; i < 4; ++i) {
    const double x = x0 + slot * static_cast<double>(i) + slot * 0.15;
    for (std::size_t s = 0; s < sets.size(); ++s) {
      const double v = sets[s]->get(keys[i]).value_or(0);
      const double h = (y_bottom - y_top) * v / a.top;
      const std::string tip = fmt::format("{} ({}): {}", keys[i], period_names[s], format_plain(v));
      c.body += rect(x + bar * static_cast<double>(s), y_bottom - h, bar, h, fills[s], tip);
      c.body += text(x + bar * (static_cast<double>(s) + 0.5), y_bottom - h - 4, format_plain(v),
                     "text-anchor=\"middle\" class=\"value small\"");
      c.summary += tip + ". ";
    }
    c.body += text(x0 + slot * (static_cast<double>(i) + 0.5), y_bottom + 16, names[i],
                   "text-anchor=\"middle\"");
  }
  c.body += text((x0 + x1) / 2, y_bottom + 36, "customers",
                 "text-anchor=\"middle\" class=\"axis-title\"");
  // Churn against retention: one 100% column per period.
  const double cx0 = 430, column = 60, gap = 40;
  for (std::size_t s = 0; s < sets.size(); ++s) {
    const double x = cx0 + (column + gap) * static_cast<double>(s);
    const auto churn = sets[s]->get("churn_rate"), retention = sets[s]->get("retention_rate");
    c.body += text(x + column / 2, y_bottom + 16, period_names[s], "text-anchor=\"middle\"");
    if (!churn || !retention) {
      c.body += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
          "stroke=\"{}\" stroke-dasharray=\"4 3\"/>\n",
          num(x), num(y_top), num(column), num(y_bottom - y_top), grey);
      c.body += text(x + column / 2, (y_top + y_bottom) / 2, "n/a",
                     "text-anchor=\"middle\" class=\"muted\"");
      c.summary += fmt::format("churn_rate ({}): n/a, no customers at the period's start. ",
                               period_names[s]);
      continue;
    }
    const double h = y_bottom - y_top, churn_h = h * std::clamp(*churn, 0.0, 1.0);
    const std::string churn_text = html_value(r, "churn_rate", churn);
    const std::string retention_text = html_value(r, "retention_rate", retention);
    c.body += rect(x, y_top, column, churn_h, red,
                   fmt::format("churn_rate ({}): {}", period_names[s], churn_text));
    c.body += rect(x, y_top + churn_h, column, h - churn_h, green,
                   fmt::format("retention_rate ({}): {}", period_names[s], retention_text));
    c.body += text(x + column / 2, y_bottom - 8, retention_text,
                   "text-anchor=\"middle\" class=\"on-bar\"");
    c.body += text(x + column / 2, y_top - 6, "churn " + churn_text,
                   "text-anchor=\"middle\" class=\"value small\"");
    c.summary += fmt::format("churn_rate ({0}): {1}, retention_rate ({0}): {2}. ", period_names[s],
                             churn_text, retention_text);
  }
  c.height = y_bottom + 48;
  return figure(c);
}

}  // namespace svg
}  // namespace abmkpi::report
