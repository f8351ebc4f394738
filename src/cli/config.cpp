#include "cli/config.hpp"

#include <sys/stat.h>  // stat

#include <cstdlib>      // std::getenv
#include <sstream>      // std::istringstream
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace abmkpi::cli {

namespace {
bool is_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

const CLI::App* find_command(const CLI::App& app, std::string_view name) {
  for (const CLI::App* sub : app.get_subcommands({}))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

// Looked up the way CLI11 looks up a config key: --name, -n, or a positional's name.
bool has_option(const CLI::App& cmd, const std::string& name) {
  const CLI::Option* op = cmd.get_option_no_throw("--" + name);
  if (op == nullptr && name.size() == 1) op = cmd.get_option_no_throw("-" + name);
  if (op == nullptr) op = cmd.get_option_no_throw(name);
  return op != nullptr && op->get_configurable();
}

// CLI11's TOML reader, with the file's keys routed to the command being run. Without this, a
// top-level key would be looked up on the main app (which has only --config) and a section for
// another command would fill that command's options.
class routed_toml : public CLI::ConfigTOML {
 public:
  routed_toml(const CLI::App& app, std::string active) : app_(&app), active_(std::move(active)) {}

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    std::vector<CLI::ConfigItem> out;
    for (CLI::ConfigItem& item : CLI::ConfigTOML::from_config(input)) {
      if (item.name == "++" || item.name == "--") continue;  // section markers
      if (item.parents.empty()) {
        bool known = false;
        for (const CLI::App* sub : app_->get_subcommands({}))
          known = known || has_option(*sub, item.name);
        if (!known)
          throw CLI::ConfigError("unknown key \"" + item.name + "\" (no command has --" +
                                 item.name + ")");
        if (active_.empty() || !has_option(*find_command(*app_, active_), item.name)) continue;
        item.parents = {active_};
        out.push_back(std::move(item));
        continue;
      }
      const CLI::App* sub = find_command(*app_, item.parents.front());
      if (sub == nullptr || item.parents.size() != 1)
        throw CLI::ConfigError("unknown section [" + item.parents.front() +
                               "]: sections are command names");
      if (!has_option(*sub, item.name))
        throw CLI::ConfigError("unknown key \"" + item.name + "\" in [" + sub->get_name() + "]");
      if (sub->get_name() == active_) out.push_back(std::move(item));
    }
    return out;
  }

 private:
  const CLI::App* app_;
  std::string active_;
};
}  // namespace

std::string default_config_path() {
  if (is_file("abmkpi.toml")) return "abmkpi.toml";
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  std::string dir;
  if (xdg && *xdg) dir = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home)
    dir = std::string(home) + "/.config";
  if (dir.empty()) return "";
  const std::string path = dir + "/abmkpi/config.toml";
  return is_file(path) ? path : "";
}

void add_config(CLI::App& app, int argc, const char* const* argv) {
  // The command is the first argument naming one; options come after it in practice, and a
  // value equal to a command name before it would only route the file's keys wrongly.
  std::string active;
  for (int i = 1; i < argc && active.empty(); ++i)
    if (find_command(app, argv[i]) != nullptr) active = argv[i];
  app.config_formatter(std::make_shared<routed_toml>(app, active));
  app.set_config("--config", default_config_path(),
                 "Defaults for any option, in TOML (default: ./abmkpi.toml, else "
                 "$XDG_CONFIG_HOME/abmkpi/config.toml)")
      ->option_text("FILE");
  for (CLI::App* sub : app.get_subcommands({})) {
    // --config may follow the command name: the command hands options it does not have to the app.
    sub->fallthrough();
    // A list's captured default "[]" would read back as one item "[]" from --print-config's output.
    for (CLI::Option* op : sub->get_options({}))
      if (op->get_expected_max() > 1) op->default_str("");
  }
}

std::string config_path(const CLI::App& app) {
  const CLI::Option* config = app.get_option_no_throw("--config");
  return config && config->count() > 0 ? config->as<std::string>() : default_config_path();
}

std::string effective_config(const CLI::App& app, const CLI::App& cmd) {
  const std::string file = config_path(app);
  std::string out =
      file.empty() ? "# no configuration file\n" : "# configuration file: " + file + "\n";
  out +=
      "# command-line flags override the file; every setting of `abmkpi " + cmd.get_name() + "`:\n";
  out += "[" + cmd.get_name() + "]\n";
  // CLI11 writes an option that is not set as key="", which would read back as an empty value.
  std::istringstream lines(CLI::ConfigTOML().to_config(&cmd, true, false, ""));
  for (std::string line; std::getline(lines, line);) {
    if (line.ends_with("=\"\"")) line = "# " + line.substr(0, line.size() - 3) + " (not set)";
    out += line + "\n";
  }
  return out;
}

}  // namespace abmkpi::cli
