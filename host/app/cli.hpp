#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace rifa::app {

enum class Command {
  kHelp,
  kVersion,
  kServe,
  kMigrate,
  kCheckConfig,
  kPluginsList,
  kPluginsCheck,
  kReplay,
  kRecord,
  kUsersCreateAdmin,
  kAuditVerify,
  kAuditSeal,
  kVerify,
  kNotifyTest,
  kReload,
};

struct CliOptions {
  Command command = Command::kHelp;
  // --config FILE (default: $RIFA_CONFIG, then config/rifa.yaml).
  std::filesystem::path config_file;
  // True when --config or $RIFA_CONFIG named the file (replay then must be able to read it).
  bool config_given = false;
  // Positional argument: the library of `plugins check`, the file of `--check-config`.
  std::filesystem::path target;
  std::optional<std::string> config_json;
  std::optional<std::filesystem::path> fixtures_dir;
  // record: which instance, which draw date, which case name.
  std::string instance;
  std::string date;
  std::string case_name;
  // users create-admin: the new admin's email and nombre (the password comes from
  // $RIFA_ADMIN_PASSWORD or stdin, never argv, which other users can read in ps).
  std::string email;
  std::string nombre;
  // notify test: where the sample goes (--to) and its event type (--type; empty: receipt).
  std::string to;
  std::string notify_type;
  // --dev: serve even with the shipped example secrets or short ones (also RIFA_ENV=development).
  bool dev = false;
  // What --help should describe (empty: the overview).
  std::string help_topic;
};

// Parses argv. Errors say which argument was wrong and point at --help.
Result<CliOptions> parse_cli(const std::vector<std::string>& args);

// The text of `rifa-host --help` or `rifa-host COMMAND --help`.
std::string help_text(const std::string& topic);

}  // namespace rifa::app
