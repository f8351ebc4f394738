#include "cli/progress.hpp"

#include <sys/stat.h>  // stat
#include <unistd.h>    // write

#include <fmt/format.h>

namespace abmkpi::cli {

namespace {
std::mutex print_mutex;             // one writer of standard error at a time
progress_line* active = nullptr;    // the line on screen, if any (guarded by print_mutex)

void write_stderr(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(2, text.data(), text.size());
    if (n <= 0) return;  // nothing sensible to do when stderr is gone
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

constexpr std::string_view erase_line = "\r\x1b[K";
}  // namespace

std::string format_bytes(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.2f} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.1f} MB", bytes / 1e6);
  return fmt::format("{:.0f} kB", bytes / 1e3);
}

std::uint64_t input_bytes(const std::vector<std::string>& paths) {
  std::uint64_t total = 0;
  for (const auto& p : paths) {
    if (p.empty()) continue;
    struct stat st {};
    if (p == "-" || ::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    total += static_cast<std::uint64_t>(st.st_size);
  }
  return total;
}

progress_line::progress_line(bool enabled, std::uint64_t total_bytes, std::uint64_t min_bytes)
    : total_(total_bytes), min_bytes_(min_bytes) {
  if (!enabled) return;
  io::install_progress_meter(&meter_);
  {
    std::lock_guard lock(print_mutex);
    active = this;
  }
  thread_ = std::thread([this] { run(); });
}

void progress_line::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_one();
  thread_.join();
  io::install_progress_meter(nullptr);
  std::lock_guard lock(print_mutex);
  if (drawn_) write_stderr(erase_line);
  active = nullptr;
}

void progress_line::print(std::string_view text) {
  std::lock_guard lock(print_mutex);
  if (active && active->drawn_) write_stderr(erase_line);
  write_stderr(text);
}

void progress_line::run() {
  using namespace std::chrono_literals;
  std::unique_lock lock(mutex_);
  if (total_ > 0 && total_ >= min_bytes_) draw();  // a large input shows at once, however fast
  while (!done_) {
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    if ((total_ > 0 && total_ >= min_bytes_) || elapsed >= 1s) draw();
    wake_.wait_for(lock, 100ms, [this] { return done_; });  // at most ten redraws a second
  }
}

void progress_line::draw() {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const auto bytes = static_cast<double>(meter_.bytes.load(std::memory_order_relaxed));
  const auto rows = static_cast<double>(meter_.rows.load(std::memory_order_relaxed));
  std::string line = "reading " + format_bytes(bytes);
  if (total_ > 0) {
    const double total = static_cast<double>(total_);
    line +=
        fmt::format(" of {} ({:.0f} %)", format_bytes(total), std::min(100.0, 100 * bytes / total));
  }
  if (seconds > 0.05) {
    line += fmt::format("  {:.2f} M rows/s", rows / seconds / 1e6);
    if (total_ > 0 && bytes > 0) {
      const double left = std::max(0.0, (static_cast<double>(total_) - bytes) / (bytes / seconds));
      line +=
          fmt::format("  ETA {}:{:02}", static_cast<int>(left) / 60, static_cast<int>(left) % 60);
    }
  }
  std::lock_guard lock(print_mutex);
  write_stderr(std::string(erase_line) + line);
  drawn_ = true;
}

}  // namespace abmkpi::cli
