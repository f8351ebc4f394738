// One exception family for the library. Parsing primitives never throw (they return error codes);
// readers and the engine throw these; only the CLI's main maps them to exit codes.
#pragma once

#include <cstdint>    // std::uint64_t
#include <stdexcept>  // std::runtime_error
#include <string>     // std::string

namespace abmkpi {

/// Base of every exception abmkpi throws on purpose.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Invalid input data: malformed CSV/JSON, a missing required column, row errors (exit 65).
/// `what()` is the full message, e.g. `deals.csv:3:7: unterminated quoted field`.
class parse_error : public error {
 public:
  /// `line` and `column` are 1-based; 0 means "not known / not applicable".
  parse_error(std::string file, std::uint64_t line, std::uint64_t column,
              const std::string& message)
      : error(format(file, line, column, message)),
        file_(std::move(file)),
        line_(line),
        column_(column) {}

  const std::string& file() const noexcept { return file_; }
  std::uint64_t line() const noexcept { return line_; }
  std::uint64_t column() const noexcept { return column_; }

 private:
  static std::string format(const std::string& file, std::uint64_t line, std::uint64_t column,
                            const std::string& message) {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
    return out + ": " + message;
  }
  std::string file_;
  std::uint64_t line_;
  std::uint64_t column_;
};

/// An input file cannot be opened or read (exit 66).
class input_error : public error {
 public:
  using error::error;
};

/// A bad option value or combination, found after the command line was parsed (exit 64).
class usage_error : public error {
 public:
  using error::error;
};

/// Output cannot be written (exit 74).
class output_error : public error {
 public:
  using error::error;
};

}  // namespace abmkpi
