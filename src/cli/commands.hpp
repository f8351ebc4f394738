// The subcommands: each has an options struct, add_<cmd>() registering it on the app, and
// run_<cmd>() doing the work (testable without CLI11). Run functions return the exit status.
#pragma once

#include <CLI/CLI.hpp>

#include <string>  // std::string
#include <vector>  // std::vector

#include "cli/common.hpp"

namespace abmkpi::cli {

struct report_options {
  input_flags input;
  output_flags output;
  std::string format = "table";
  bool json = false;
};
CLI::App* add_report(CLI::App& app, report_options& opts);
int run_report(const report_options& opts);

struct validate_options {
  input_flags input;
  output_flags output;
};
CLI::App* add_validate(CLI::App& app, validate_options& opts);
int run_validate(const validate_options& opts);

struct metrics_options {
  output_flags output;
  bool json = false;
};
CLI::App* add_metrics(CLI::App& app, metrics_options& opts);
int run_metrics(const metrics_options& opts);

struct check_options {
  input_flags input;
  output_flags output;
  std::vector<std::string> require;  // --require, repeatable
  std::string rules;                 // --rules FILE
  bool allow_missing = false;
  bool json = false;
};
CLI::App* add_check(CLI::App& app, check_options& opts);
int run_check(const check_options& opts);

struct explain_options {
  std::string kpi;
  input_flags input;
  output_flags output;
};
CLI::App* add_explain(CLI::App& app, explain_options& opts);
int run_explain(const explain_options& opts);

struct completion_options {
  std::string shell;
};
CLI::App* add_completion(CLI::App& app, completion_options& opts);
/// Prints the completion script for every command of `app`.
int run_completion(const CLI::App& app, const completion_options& opts);

}  // namespace abmkpi::cli
