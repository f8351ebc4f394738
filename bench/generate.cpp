// Seeded generator of canonical deals and touches CSV files for the benchmark (not a test).
//   generate deals N SEED > deals.csv      N deals, N/100 accounts, created 2022..2024
//   generate touches N ACCOUNTS SEED > touches.csv
// Output depends only on the arguments (splitmix64), so every run measures the same bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {
struct rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

// Days since 1970-01-01 to y-m-d, and back (Hinnant).
int to_days(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}
void iso(int days, char* out) {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  std::snprintf(out, 11, "%04d-%02u-%02u", y + (m <= 2), m, d);
}

const char* segments[] = {"Enterprise", "Mid-Market", "SMB"};
const char* regions[] = {"EMEA", "NA", "APAC", "LATAM"};
const char* open_stages[] = {"Prospecting", "Qualification", "Proposal", "Negotiation"};

int deals(std::uint64_t n, std::uint64_t seed) {
  rng r{seed};
  const std::uint64_t accounts = n / 100 + 1;
  const int start = to_days(2022, 1, 1), span = to_days(2024, 12, 31) - start + 1;
  std::string buf;
  buf.reserve(1 << 20);
  buf += "deal_id,account_id,amount,stage,type,created_date,close_date,probability,"
         "contract_months,segment,region,owner\n";
  char line[256], created[11], closed[11];
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t acct = r.below(accounts);
    const int c = start + static_cast<int>(r.below(static_cast<std::uint64_t>(span)));
    const int cycle = 7 + static_cast<int>(r.below(180));
    iso(c, created);
    iso(c + cycle, closed);
    const std::uint64_t roll = r.below(100);
    const char* stage = roll < 30 ? "Closed Won" : roll < 70 ? "Closed Lost" : open_stages[roll % 4];
    const char* type = roll % 10 < 6 ? "New Business" : roll % 10 < 9 ? "Expansion" : "Renewal";
    const unsigned amount = 1000 + static_cast<unsigned>(r.below(200000));
    const unsigned cents = static_cast<unsigned>(r.below(100));
    const unsigned prob = roll < 30 ? 100 : roll < 70 ? 0 : 10 + static_cast<unsigned>(r.below(80));
    const unsigned months = 12 * (1 + static_cast<unsigned>(r.below(3)));
    const int len = std::snprintf(line, sizeof line, "D%09llu,A%07llu,%u.%02u,%s,%s,%s,%s,%u,%u,%s,%s,rep%02u\n",
                                  static_cast<unsigned long long>(i), static_cast<unsigned long long>(acct),
                                  amount, cents, stage, type, created, closed, prob, months,
                                  segments[acct % 3], regions[acct % 4],
                                  static_cast<unsigned>(acct % 50));
    buf.append(line, static_cast<std::size_t>(len));
    if (buf.size() > (1u << 20) - 256) {
      std::fwrite(buf.data(), 1, buf.size(), stdout);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), stdout);
  return 0;
}

const char* channels[] = {"email", "email", "email", "web", "ad", "ad", "event", "sales", "social"};
const char* email_actions[] = {"sent", "sent", "sent", "open", "open", "click", "reply", "bounce"};
const char* web_actions[] = {"visit", "visit", "download", "form_fill"};
const char* stages[] = {"tofu", "mofu", "bofu", ""};

int touches(std::uint64_t n, std::uint64_t accounts, std::uint64_t seed) {
  rng r{seed};
  const int start = to_days(2022, 1, 1), span = to_days(2024, 12, 31) - start + 1;
  std::string buf;
  buf.reserve(1 << 20);
  buf += "account_id,contact_id,timestamp,channel,action,campaign,funnel_stage\n";
  char line[256], day[11];
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t acct = r.below(accounts);
    iso(start + static_cast<int>(r.below(static_cast<std::uint64_t>(span))), day);
    const char* ch = channels[r.below(9)];
    const char* action = ch[0] == 'e' && ch[1] == 'm' ? email_actions[r.below(8)]
                         : ch[0] == 'w'               ? web_actions[r.below(4)]
                         : ch[0] == 'a'               ? (r.below(50) == 0 ? "ad_click" : "impression")
                         : ch[0] == 'e'               ? "webinar"
                         : ch[0] == 's' && ch[1] == 'a' ? (r.below(2) ? "meeting" : "demo")
                                                        : "share";
    const int len = std::snprintf(line, sizeof line, "A%07llu,c%llu,%sT%02u:%02u:00Z,%s,%s,cmp%u,%s\n",
                                  static_cast<unsigned long long>(acct),
                                  static_cast<unsigned long long>(acct * 8 + r.below(8)), day,
                                  static_cast<unsigned>(r.below(24)), static_cast<unsigned>(r.below(60)),
                                  ch, action, static_cast<unsigned>(r.below(20)), stages[r.below(4)]);
    buf.append(line, static_cast<std::size_t>(len));
    if (buf.size() > (1u << 20) - 256) {
      std::fwrite(buf.data(), 1, buf.size(), stdout);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), stdout);
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "deals") == 0)
    return deals(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10));
  if (argc == 5 && std::strcmp(argv[1], "touches") == 0)
    return touches(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10),
                   std::strtoull(argv[4], nullptr, 10));
  std::fprintf(stderr, "usage: generate deals N SEED | generate touches N ACCOUNTS SEED\n");
  return 64;
}
