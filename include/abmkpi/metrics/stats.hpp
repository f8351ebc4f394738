// Small statistics used by several KPIs. Pure functions, standard headers only; undefined results
// are std::nullopt, never NaN.
#pragma once

#include <cmath>     // std::sqrt, std::isfinite
#include <optional>  // std::optional

namespace abmkpi::metrics {

/// The z value of a two-sided 95% normal interval (SPEC §3.1).
inline constexpr double z95 = 1.959963984540054;

/// numerator / denominator, or nullopt when the denominator is 0 or the result is not finite.
/// Does not throw.
constexpr std::optional<double> ratio(double numerator, double denominator) noexcept {
  if (denominator == 0) return std::nullopt;
  const double r = numerator / denominator;
  if (!(r == r) || r > 1.7976931348623157e308 || r < -1.7976931348623157e308) return std::nullopt;
  return r;
}

/// ratio() for optional operands: nullopt when either is missing.
constexpr std::optional<double> ratio(std::optional<double> numerator,
                                      std::optional<double> denominator) noexcept {
  if (!numerator || !denominator) return std::nullopt;
  return ratio(*numerator, *denominator);
}

/// A closed interval [low, high].
struct interval {
  double low;
  double high;
};

/// Wilson score interval for `successes` out of `trials` at normal quantile z; nullopt when
/// trials is 0. Both ends lie in [0, 1]. Does not throw.
inline std::optional<interval> wilson_interval(double successes, double trials,
                                               double z = z95) noexcept {
  if (trials <= 0) return std::nullopt;
  const double p = successes / trials;
  const double z2 = z * z;
  const double denom = 1 + z2 / trials;
  const double centre = p + z2 / (2 * trials);
  const double spread = z * std::sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials));
  double low = (centre - spread) / denom;
  double high = (centre + spread) / denom;
  // Rounding can push an end a hair outside [0, 1] when p is 0 or 1.
  if (low < 0) low = 0;
  if (high > 1) high = 1;
  return interval{low, high};
}

}  // namespace abmkpi::metrics
