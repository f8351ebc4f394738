// The configuration file: defaults for any option of any command, in TOML, read by CLI11.
#pragma once

#include <CLI/CLI.hpp>

#include <string>  // std::string

namespace abmkpi::cli {

/// The file read when --config is not given: ./abmkpi.toml, else
/// $XDG_CONFIG_HOME/abmkpi/config.toml ($HOME/.config when XDG_CONFIG_HOME is unset or empty),
/// else none (empty).
std::string default_config_path();

/// Adds --config FILE to `app` (usable after the command name too) and makes CLI11 read the
/// configuration file as defaults for the command that `argv` names: top-level keys apply to
/// every command that has such an option, a [command] section to that command only. A key no
/// command knows is an error (exit 64), so a typo is never silently ignored. Flags given on the
/// command line win over the file. Call after every subcommand has been added.
void add_config(CLI::App& app, int argc, const char* const* argv);

/// The configuration file in effect: --config's value, else default_config_path().
std::string config_path(const CLI::App& app);

/// The effective settings of the command `cmd` after parsing (file and flags merged), as TOML:
/// what `--print-config` prints.
std::string effective_config(const CLI::App& app, const CLI::App& cmd);

}  // namespace abmkpi::cli
