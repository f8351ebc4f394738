// abmkpi: account-based-marketing and B2B revenue KPIs from raw CRM exports.
// The umbrella header: include this to get the whole library, in dependency order.
#pragma once

#include "abmkpi/version.hpp"
#include "abmkpi/error.hpp"
#include "abmkpi/model.hpp"

#include "abmkpi/metrics/stats.hpp"
#include "abmkpi/metrics/deals.hpp"
#include "abmkpi/metrics/catalog.hpp"

#include "abmkpi/io/rows.hpp"
#include "abmkpi/io/source.hpp"
#include "abmkpi/io/dates.hpp"
#include "abmkpi/io/values.hpp"
#include "abmkpi/io/columns.hpp"
#include "abmkpi/io/diagnostics.hpp"
#include "abmkpi/io/csv.hpp"
#include "abmkpi/io/json.hpp"
#include "abmkpi/io/input.hpp"
#include "abmkpi/io/deal_reader.hpp"

#include "abmkpi/engine/day_series.hpp"
#include "abmkpi/engine/deal_stats.hpp"
#include "abmkpi/engine/period.hpp"
#include "abmkpi/engine/analysis.hpp"

#include "abmkpi/report/report.hpp"
#include "abmkpi/report/json.hpp"
