#include "cli/output.hpp"

#include <fcntl.h>     // open
#include <sys/stat.h>  // fchmod, umask
#include <unistd.h>  // write, isatty, close, fsync, unlink

#include <cerrno>    // errno, EPIPE
#include <cstdio>    // std::rename
#include <cstdlib>   // std::getenv, std::_Exit, std::free, mkstemp, realpath
#include <cstring>   // std::strerror
#include <string_view>  // std::string_view

#include "abmkpi/error.hpp"

namespace abmkpi::cli {

void add_output_flags(CLI::App& cmd, output_flags& f, bool with_file) {
  cmd.add_option("--color", f.color, "Colour: auto (a terminal, NO_COLOR unset, TERM not dumb), "
                 "always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->group("Output")
      ->capture_default_str();
  cmd.add_flag("-q,--quiet", f.quiet, "No progress line and no warnings (errors still print)")
      ->group("Output");
  cmd.add_flag("--print-config", f.print_config, "Print the effective settings (configuration "
               "file and flags merged) as TOML, and stop")
      ->configurable(false)
      ->group("Output");
  // Hidden: lets tests show the progress line on a small input.
  cmd.add_option("--progress-min-bytes", f.progress_min_bytes)->group("")->configurable(false);
  if (with_file)
    cmd.add_option("-o,--output", f.path, "Write to FILE (complete, or not at all) instead of "
                   "standard output")
        ->group("Output");
}

bool use_color(const output_flags& f) {
  if (f.color == "always") return true;
  if (f.color == "never" || !f.path.empty() || ::isatty(1) != 1) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  return !(term && std::string_view(term) == "dumb");
}

bool stderr_is_terminal() { return ::isatty(2) == 1; }

namespace {
// Returns errno of the failed write, 0 on success.
int write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

// A device or FIFO (-o /dev/null, -o /dev/stderr, a named pipe) is written in place: renaming a
// file over it would replace the device itself (as root, /dev/null).
void write_in_place(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw output_error(path + ": cannot write: " + std::strerror(errno));
  int err = write_all(fd, text);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) throw output_error(path + ": cannot write: " + std::strerror(err));
}

void write_file_atomically(const std::string& path, const std::string& text) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return write_in_place(path, text);
  // A symbolic link stays a link: the file it points to is the one replaced.
  std::string target = path;
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    if (char* real = ::realpath(path.c_str(), nullptr)) {
      target = real;
      std::free(real);
    }
  }
  // The temporary file is beside the target so that rename() stays on one file system.
  std::string temp = target + ".abmkpi-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw output_error(path + ": cannot write: " + std::strerror(errno));
  const mode_t mask = ::umask(0);  // mkstemp makes 0600; a report gets the usual 0666 & ~umask
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  int err = write_all(fd, text);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && std::rename(temp.c_str(), target.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(temp.c_str());
    throw output_error(path + ": cannot write: " + std::strerror(err));
  }
}
}  // namespace

void write_output(const output_flags& f, const std::string& text) {
  if (!f.path.empty() && f.path != "-") return write_file_atomically(f.path, text);
  const int err = write_all(1, text);
  if (err == EPIPE) std::_Exit(0);  // the reader stopped reading: not an error
  if (err != 0) throw output_error(std::string("cannot write the output: ") + std::strerror(err));
}

}  // namespace abmkpi::cli
