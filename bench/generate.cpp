// Seeded generator of canonical deals and touches CSV files for the benchmark (not a test).
//   generate deals N SEED [shuffled] > deals.csv   N deals, N/100 accounts, created 2022..2024;
//     ids in increasing order (an export by record id), or with `shuffled` the same ids in a
//     scrambled order (every other column the same, so the reports must be equal)
//   generate touches N ACCOUNTS SEED > touches.csv
// Output depends only on the arguments (splitmix64), so every run measures the same bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "abmkpi/model.hpp"

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

int to_days(int y, unsigned m, unsigned d) { return abmkpi::make_date(y, m, d).days; }
void iso(int days, char* out) {
  const std::string s = abmkpi::to_iso(abmkpi::date{days});
  std::memcpy(out, s.c_str(), 11);
}

// Appends a line and writes the buffer out in 1 MiB pieces.
void emit(std::string& buf, const char* line, int len, bool last = false) {
  buf.append(line, static_cast<std::size_t>(len));
  if (last || buf.size() > (1u << 20) - 256) {
    std::fwrite(buf.data(), 1, buf.size(), stdout);
    buf.clear();
  }
}

const char* segments[] = {"Enterprise", "Mid-Market", "SMB"};
const char* regions[] = {"EMEA", "NA", "APAC", "LATAM"};
const char* open_stages[] = {"Prospecting", "Qualification", "Proposal", "Negotiation"};

std::uint64_t gcd(std::uint64_t a, std::uint64_t b) { return b == 0 ? a : gcd(b, a % b); }

int deals(std::uint64_t n, std::uint64_t seed, bool shuffled) {
  rng r{seed};
  // Row i gets id i, or i × step mod n: a permutation of 0..n-1 when step and n are coprime;
  // a step near n / golden ratio leaves no long increasing run.
  std::uint64_t step = static_cast<std::uint64_t>(static_cast<double>(n) * 0.6180339887) | 1;
  while (n > 1 && gcd(step, n) != 1) step += 2;
  const auto id_of = [&](std::uint64_t i) {
    return shuffled ? static_cast<std::uint64_t>(static_cast<unsigned __int128>(i) * step % n) : i;
  };
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
    const char* stage = roll < 30   ? "Closed Won"
                        : roll < 70 ? "Closed Lost"
                                    : open_stages[roll % 4];
    const char* type = roll % 10 < 6 ? "New Business" : roll % 10 < 9 ? "Expansion" : "Renewal";
    const unsigned amount = 1000 + static_cast<unsigned>(r.below(200000));
    const unsigned cents = static_cast<unsigned>(r.below(100));
    const unsigned prob = roll < 30 ? 100 : roll < 70 ? 0 : 10 + static_cast<unsigned>(r.below(80));
    const unsigned months = 12 * (1 + static_cast<unsigned>(r.below(3)));
    const int len = std::snprintf(
        line, sizeof line, "D%09llu,A%07llu,%u.%02u,%s,%s,%s,%s,%u,%u,%s,%s,rep%02u\n",
        static_cast<unsigned long long>(id_of(i)), static_cast<unsigned long long>(acct), amount,
        cents, stage, type, created, closed, prob, months, segments[acct % 3], regions[acct % 4],
        static_cast<unsigned>(acct % 50));
    emit(buf, line, len);
  }
  emit(buf, "", 0, true);
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
                         : ch[0] == 'a' ? (r.below(50) == 0 ? "ad_click" : "impression")
                         : ch[0] == 'e' ? "webinar"
                         : ch[0] == 's' && ch[1] == 'a' ? (r.below(2) ? "meeting" : "demo")
                                                        : "share";
    const int len =
        std::snprintf(line, sizeof line, "A%07llu,c%llu,%sT%02u:%02u:00Z,%s,%s,cmp%u,%s\n",
                      static_cast<unsigned long long>(acct),
                      static_cast<unsigned long long>(acct * 8 + r.below(8)), day,
                      static_cast<unsigned>(r.below(24)), static_cast<unsigned>(r.below(60)), ch,
                      action, static_cast<unsigned>(r.below(20)), stages[r.below(4)]);
    emit(buf, line, len);
  }
  emit(buf, "", 0, true);
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  if ((argc == 4 || (argc == 5 && std::strcmp(argv[4], "shuffled") == 0)) &&
      std::strcmp(argv[1], "deals") == 0)
    return deals(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10),
                 argc == 5);
  if (argc == 5 && std::strcmp(argv[1], "touches") == 0)
    return touches(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10),
                   std::strtoull(argv[4], nullptr, 10));
  std::fprintf(stderr,
               "usage: generate deals N SEED [shuffled] | generate touches N ACCOUNTS SEED\n");
  return 64;
}
