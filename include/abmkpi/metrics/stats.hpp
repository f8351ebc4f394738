// Small statistics used by several KPIs. Pure functions, standard headers only; undefined results
// are std::nullopt, never NaN.
#pragma once

#include <cmath>     // std::sqrt, std::erfc, std::fabs
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

/// Two-sided p-value of the two-proportion z-test with pooled variance (SPEC §4) for k1 of n1
/// against k2 of n2: z = (k1/n1 − k2/n2) / √(p(1−p)(1/n1 + 1/n2)), p = (k1+k2)/(n1+n2), and
/// p-value = erfc(|z|/√2). nullopt when a side has no trials, or when the pooled rate is 0 or 1
/// (no variance to test against). Does not throw.
inline std::optional<double> two_proportion_p_value(double k1, double n1, double k2,
                                                    double n2) noexcept {
  if (n1 <= 0 || n2 <= 0) return std::nullopt;
  const double pooled = (k1 + k2) / (n1 + n2);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return std::nullopt;
  const double z = (k1 / n1 - k2 / n2) / se;
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

}  // namespace abmkpi::metrics
