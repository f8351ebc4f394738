// With second.cpp: every inline function and variable of the umbrella header must link from two
// translation units without duplicate symbols (CLI11's link test idea).
#include <abmkpi/abmkpi.hpp>

int second_days_in_2024();

int main() {
  const abmkpi::period p{abmkpi::make_date(2024, 1, 1), abmkpi::make_date(2024, 12, 31)};
  return p.days() == 366 && second_days_in_2024() == 366 ? 0 : 1;
}
