// The accounts table in memory: one small record per account (memory grows with accounts, which
// is what the market and customer KPIs are about).
#pragma once

#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "abmkpi/detail/flat_map.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// What abmkpi keeps of an account row.
struct account_info {
  bool target = false;
  std::optional<double> icp_fit;
  std::optional<date> customer_since, churned_on;
  std::optional<std::int64_t> arr, potential;  // money units
  std::optional<int> nps;
  std::vector<std::string> dims;  // the `--by` columns' cells ("" where the table lacks one)
};

/// Accounts by id, and which optional columns the table had.
class account_book {
 public:
  void add(const account& a) {
    account_info& info = accounts_.at(a.account_id);
    info = account_info{a.target, a.icp_fit, a.customer_since, a.churned_on, a.arr, a.potential,
                        a.nps, {}};
    for (const auto& cell : a.dims) info.dims.emplace_back(cell.value_or(std::string_view{}));
  }
  const account_info* find(std::string_view id) const { return accounts_.find(id); }
  /// Every account, in file order.
  const abmkpi::detail::keyed<account_info>& all() const noexcept { return accounts_; }

  bool has_target = false, has_arr = false, has_icp_fit = false;  ///< columns present
  std::vector<bool> has_dimension;  ///< by `--by` name: the accounts table has that column

 private:
  abmkpi::detail::keyed<account_info> accounts_;
};

}  // namespace abmkpi::engine
