#include "test_shim.hpp"

#include <string>
#include <vector>

#include "abmkpi/io/columns.hpp"

using namespace abmkpi::io;

namespace {
std::optional<std::size_t> bound(std::vector<std::string_view> headers, deal_column c,
                                 std::vector<column_mapping> maps = {}) {
  std::vector<std::string> unmatched;
  return bind_columns(deal_columns, headers, maps, unmatched)[static_cast<std::size_t>(c)];
}
}  // namespace

TEST_CASE("bind_columns: matching ignores case, spaces, _ - and .", "[io][columns]") {
  CHECK(bound({"x", "Close-Date"}, deal_column::close_date) == 1u);
  CHECK(bound({"CLOSE.DATE"}, deal_column::close_date) == 0u);
  CHECK(bound({"Probability (%)"}, deal_column::probability) == 0u);
  CHECK(bound({"Contract Term (months)"}, deal_column::contract_months) == 0u);
  CHECK(bound({"Opportunity ID"}, deal_column::deal_id) == 0u);
  CHECK(bound({"Associated Company ID"}, deal_column::account_id) == 0u);
  CHECK_FALSE(bound({"Amount2"}, deal_column::amount));
}

TEST_CASE("bind_columns: canonical name beats alias, leftmost alias wins", "[io][columns]") {
  // "Value" and "TCV" are aliases of amount; "amount" is its canonical name.
  CHECK(bound({"Value", "TCV", "Amount"}, deal_column::amount) == 2u);
  CHECK(bound({"Value", "TCV"}, deal_column::amount) == 0u);
  CHECK(bound({"TCV", "Value"}, deal_column::amount) == 0u);
  CHECK(bound({"Record ID", "deal_id"}, deal_column::deal_id) == 1u);
}

TEST_CASE("bind_columns: --map wins over both", "[io][columns]") {
  std::vector<column_mapping> maps{{std::nullopt, "amount", "net value"}};
  CHECK(bound({"Amount", "Net Value"}, deal_column::amount, maps) == 1u);
  std::vector<std::string> unmatched;
  std::vector<std::string_view> headers{"Amount"};
  bind_columns(deal_columns, headers, maps, unmatched);
  CHECK(unmatched == std::vector<std::string>{"net value"});
}

TEST_CASE("parse_column_mapping: forms and errors", "[io][columns]") {
  std::string problem;
  auto m = parse_column_mapping("deals.amount=Net Value", problem);
  REQUIRE(m);
  CHECK(m->table == table_kind::deals);
  CHECK(m->canonical == "amount");
  CHECK(m->header == "Net Value");
  m = parse_column_mapping("close_date = Closing", problem);
  REQUIRE(m);
  CHECK_FALSE(m->table);
  CHECK(m->canonical == "close_date");
  CHECK(m->header == "Closing");
  CHECK_FALSE(parse_column_mapping("dealz.amount=X", problem));
  CHECK(problem == "unknown table \"dealz\" (expected deals, accounts, touches or spend)");
  CHECK_FALSE(parse_column_mapping("amount", problem));
  CHECK_FALSE(parse_column_mapping("=X", problem));
}
