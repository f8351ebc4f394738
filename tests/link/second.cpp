#include <abmkpi/abmkpi.hpp>

int second_days_in_2024() {
  return abmkpi::engine::parse_period("2024").to->days - abmkpi::make_date(2024, 1, 1).days + 1;
}
