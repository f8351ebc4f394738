// The accounts table in memory: one small record per account (memory grows with accounts, which
// is what the market and customer KPIs are about).
#pragma once

#include <cstdint>        // std::int64_t
#include <optional>       // std::optional
#include <string>         // std::string
#include <unordered_map>  // std::unordered_map

#include "abmkpi/engine/deal_stats.hpp"
#include "abmkpi/model.hpp"

namespace abmkpi::engine {

/// What abmkpi keeps of an account row.
struct account_info {
  bool target = false;
  std::optional<double> icp_fit;
  std::optional<date> customer_since, churned_on;
  std::optional<std::int64_t> arr, potential;  // money units
  std::optional<int> nps;
};

/// Accounts by id, and which optional columns the table had.
class account_book {
 public:
  void add(const account& a) {
    accounts_.emplace(std::string(a.account_id),
                      account_info{a.target, a.icp_fit, a.customer_since, a.churned_on, a.arr,
                                   a.potential, a.nps});
  }
  const account_info* find(std::string_view id) const {
    const auto it = accounts_.find(id);
    return it == accounts_.end() ? nullptr : &it->second;
  }
  const auto& all() const noexcept { return accounts_; }

  bool has_target = false, has_arr = false, has_icp_fit = false;  ///< columns present

 private:
  std::unordered_map<std::string, account_info, string_hash, std::equal_to<>> accounts_;
};

}  // namespace abmkpi::engine
