#include "app/cli.hpp"

#include <cstdlib>
#include <map>

namespace rifa::app {
namespace {

const std::map<std::string, std::string>& help_pages() {
  static const std::map<std::string, std::string> pages = {
      {"",
       "Usage: rifa-host [--config FILE] COMMAND [ARGS]\n"
       "\n"
       "Rifa1122 host: loads lottery, payment and notifier plugins and serves the REST API.\n"
       "\n"
       "Commands:\n"
       "  serve                     migrate (unless disabled), load seed data, load plugins, serve HTTP\n"
       "  migrate                   apply pending database migrations and exit\n"
       "  plugins list              load the configured plugins and list them\n"
       "  plugins check LIB         run the conformance kit on a plugin library\n"
       "  check-config FILE         validate a config file and exit (also: --check-config FILE)\n"
       "  reload                    make the hosts serving the config file re-read it (SIGHUP)\n"
       "  replay DIR                run every recorded lottery case under DIR offline, pass/fail each\n"
       "  record --instance ID --date YYYY-MM-DD [--case NAME] [--fixtures DIR]\n"
       "                            record a new lottery case from the live source\n"
       "  users create-admin --email E --nombre N\n"
       "                            create an admin account (password from $RIFA_ADMIN_PASSWORD or stdin)\n"
       "  audit verify              walk the audit log's hash chain; non-zero exit naming the first bad entry\n"
       "  audit seal                seal the audit rows waiting now (serve does it every audit.seal_interval_ms)\n"
       "  verify FILE|URL           check a rifa's published verificacion: commitment hash and winners\n"
       "  notify test --instance ID --to ADDRESS [--type TYPE]\n"
       "                            send a sample event through a notifier instance (setting one up)\n"
       "\n"
       "Options:\n"
       "  --config FILE             config file (default: $RIFA_CONFIG, else config/rifa.yaml)\n"
       "  --dev                     development mode: serve even with shipped or short secrets\n"
       "                            (also RIFA_ENV=development); never in production\n"
       "  -h, --help                show this help, or a command's help after the command\n"
       "  --version                 print the host and plugin ABI versions\n"},
      {"serve",
       "Usage: rifa-host [--config FILE] [--dev] serve\n\n"
       "Applies pending migrations (database.migrate_on_start), loads the seed data folder when\n"
       "database.seed is set, loads every plugin instance, and serves HTTP on server.listen:server.port\n"
       "until SIGINT or SIGTERM. Exits non-zero when any of these steps fails, naming what and where.\n"
       "Refuses to start (exit 3) while secrets.jwt_secret or any plugin secret (a config member whose\n"
       "name contains 'secret') is a shipped example value ('dev-only-...') or shorter than 32 bytes,\n"
       "unless --dev or RIFA_ENV=development says this is a development machine.\n"},
      {"reload",
       "Usage: rifa-host [--config FILE] reload\n\n"
       "Sends SIGHUP to every `rifa-host serve` of this machine started with this config file. Each\n"
       "re-reads it: new or changed plugin instances are loaded and swapped in once their config\n"
       "validates, bindings change for rifas not yet activa (an activa rifa keeps the lottery and\n"
       "payment instances it was activated with), removed instances are unloaded when their calls\n"
       "in flight return. An invalid file changes nothing. Settings that cannot change live (listen\n"
       "address, database URL, ...) are logged as \"restart needed\". The host logs the outcome;\n"
       "POST /api/v1/admin/config/reload (admin) does the same and answers with it. Exit status 1\n"
       "when no host serves the file.\n"},
      {"migrate",
       "Usage: rifa-host [--config FILE] migrate\n\n"
       "Applies the pending migrations of migrations/ to database.url, each in its own transaction,\n"
       "and refuses to run when an applied migration file was edited.\n"},
      {"check-config",
       "Usage: rifa-host check-config FILE   (or: rifa-host --check-config FILE)\n\n"
       "Validates FILE and prints every error as FILE:LINE:COLUMN: error: PATH: MESSAGE.\n"
       "Exit status 0 when valid, 2 when not.\n"},
      {"replay",
       "Usage: rifa-host [--config FILE] replay DIR\n\n"
       "Finds every case.json under DIR (see sdk/docs/CASES.md), runs each through its plugin with\n"
       "the recorded exchanges instead of the network and the plugin's clock frozen at the case's\n"
       "\"now\", and prints a table of case, expected, got and PASS/FAIL. Bare library names are\n"
       "found in the config's plugins.search_path (--config, $RIFA_CONFIG, or config/rifa.yaml when\n"
       "it exists), then $RIFA_PLUGIN_PATH and the build's plugins folder. Exit status 1 when any\n"
       "case fails.\n"},
      {"record",
       "Usage: rifa-host [--config FILE] record --instance ID --date YYYY-MM-DD [--case NAME]\n"
       "                 [--fixtures DIR]\n\n"
       "Asks lottery instance ID for the draw of DATE through the live transport, records every\n"
       "exchange into DIR/<plugin>/<NAME>/ (DIR defaults to fixtures/lotteries, NAME to DATE) and\n"
       "writes case.json with what the plugin answered as the expected outcome and \"now\", the\n"
       "instant it was recorded (the plugin's clock is frozen there; replay freezes it there too).\n"
       "Review it before committing: a recorded case is only as right as the page it captured.\n"},
      {"users",
       "Usage: rifa-host [--config FILE] users create-admin --email EMAIL --nombre NOMBRE\n\n"
       "Creates an account with the admin role in database.url (applying pending migrations first when\n"
       "database.migrate_on_start is set). The password is read from $RIFA_ADMIN_PASSWORD, else from the\n"
       "first line of stdin; it must pass the password strength rule. The creation is audited with actor\n"
       "'cli'. Exit status 0 on success, 1 when the account cannot be created (the reason is printed).\n"},
      {"audit",
       "Usage: rifa-host [--config FILE] audit verify\n"
       "       rifa-host [--config FILE] audit seal\n\n"
       "verify reads the sealed entries of audit_log in database.url in seq order and recomputes each\n"
       "entry's hash (sha256(prev_hash + canonical entry with its seq)) and its link to the entry before\n"
       "it. Prints the number of entries and the head hash when the chain holds (keep the head hash\n"
       "elsewhere: removing entries from the very end can only be caught against it), and how many\n"
       "entries wait to be sealed and how long the oldest has waited. Exit status 0 when intact, 1\n"
       "naming the first edited, deleted or reordered entry, 2 for a bad config, 3 when the database\n"
       "cannot be read.\n"
       "seal chains the entries written but not sealed yet, as a serving host does every\n"
       "audit.seal_interval_ms (one sealer at a time: on PostgreSQL under an advisory lock). Prints how\n"
       "many it sealed. Exit status 0, 1 when another host held the sealer's lock, 3 on a database error.\n"},
      {"verify",
       "Usage: rifa-host verify FILE|URL\n\n"
       "Checks a rifa's verificacion document (GET /api/v1/rifas/{id}/verificacion, saved to FILE or\n"
       "fetched from an http(s) URL) trusting nothing the host computed: recomputes the commitment hash\n"
       "from the commitment, the seed hash when a seed is revealed, and the winners and amounts from the\n"
       "committed rules, the published draw and the sold numbers. Prints OK or each difference.\n"
       "Exit status 0 when everything matches, 1 on any difference, 2 when the document cannot be read.\n"
       "The procedure is in docs/VERIFYING.md.\n"},
      {"notify",
       "Usage: rifa-host [--config FILE] notify test --instance ID --to ADDRESS [--type TYPE]\n\n"
       "Loads the configured plugins and hands notifier instance ID one sample event (TYPE: receipt by\n"
       "default; winner, payout_sent, payout_failed, ...) addressed to ADDRESS as far as the instance\n"
       "declares contact fields in its config ('contact': email and telefono get ADDRESS, nombre\n"
       "'Prueba'). Nothing is written to the database. Exit status 0 when the notifier took it, 1 when\n"
       "it failed (its reason printed), 2 for a bad config, 4 when ID is not a loaded notifier.\n"},
      {"plugins",
       "Usage: rifa-host [--config FILE] plugins list\n"
       "       rifa-host plugins check LIB [--config-json JSON] [--fixtures DIR]\n\n"
       "list:  loads the configured plugin instances and prints id, kind, name, version, library.\n"
       "check: the conformance kit. Loads LIB as the host would, checks its manifest and config\n"
       "       schema, proves an invalid config is refused, creates an instance (with JSON or the\n"
       "       schema's defaults), freezes the plugin's clock, exercises error paths (a lottery on\n"
       "       dates picked from its own schedule()) and runs the recorded cases under DIR whose\n"
       "       library is LIB (the others are listed as skipped). Every check and what a failure\n"
       "       asks of the plugin: sdk/docs/CONFORMANCE.md. Exit status 1 when any check fails.\n"},
  };
  return pages;
}

Error usage(const std::string& message) {
  return make_error(ErrorCode::kInvalidArgument, message + " (see rifa-host --help)");
}

}  // namespace

std::string help_text(const std::string& topic) {
  const auto& pages = help_pages();
  auto it = pages.find(topic);
  return it == pages.end() ? pages.at("") : it->second;
}

Result<CliOptions> parse_cli(const std::vector<std::string>& args) {
  CliOptions options;
  if (const char* env = std::getenv("RIFA_CONFIG"); env && *env) {
    options.config_file = env;
    options.config_given = true;
  } else {
    options.config_file = "config/rifa.yaml";
  }
  std::vector<std::string> positional;
  bool help = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const std::string& flag) -> Result<std::string> {
      if (i + 1 >= args.size()) return usage(flag + " needs a value");
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      help = true;
    } else if (a == "--dev") {
      options.dev = true;
    } else if (a == "--version") {
      options.command = Command::kVersion;
      return options;
    } else if (a == "--config") {
      auto v = value(a);
      if (!v) return v.error();
      options.config_file = *v;
      options.config_given = true;
    } else if (a == "--check-config") {
      auto v = value(a);
      if (!v) return v.error();
      positional = {"check-config", *v};
    } else if (a == "--config-json") {
      auto v = value(a);
      if (!v) return v.error();
      options.config_json = *v;
    } else if (a == "--fixtures") {
      auto v = value(a);
      if (!v) return v.error();
      options.fixtures_dir = std::filesystem::path(*v);
    } else if (a == "--email" || a == "--nombre") {
      auto v = value(a);
      if (!v) return v.error();
      (a == "--email" ? options.email : options.nombre) = *v;
    } else if (a == "--to" || a == "--type") {
      auto v = value(a);
      if (!v) return v.error();
      (a == "--to" ? options.to : options.notify_type) = *v;
    } else if (a == "--instance" || a == "--date" || a == "--case") {
      auto v = value(a);
      if (!v) return v.error();
      (a == "--instance" ? options.instance : a == "--date" ? options.date : options.case_name) = *v;
    } else if (a.rfind("--", 0) == 0) {
      return usage("unknown option '" + a + "'");
    } else {
      positional.push_back(a);
    }
  }

  const std::string verb = positional.empty() ? "" : positional[0];
  if (help || verb.empty() || verb == "help") {
    options.command = Command::kHelp;
    options.help_topic = verb == "help" && positional.size() > 1 ? positional[1] : (verb == "help" ? "" : verb);
    return options;
  }
  auto expect_args = [&](size_t n) -> Result<void> {
    if (positional.size() != n) {
      return usage("'" + verb + "' takes " + std::to_string(n - 1) + " argument(s), got " +
                   std::to_string(positional.size() - 1));
    }
    return {};
  };
  if (verb == "reload") {
    if (auto ok = expect_args(1); !ok) return ok.error();
    options.command = Command::kReload;
  } else if (verb == "serve" || verb == "migrate") {
    if (auto ok = expect_args(1); !ok) return ok.error();
    options.command = verb == "serve" ? Command::kServe : Command::kMigrate;
  } else if (verb == "check-config") {
    if (auto ok = expect_args(2); !ok) return ok.error();
    options.command = Command::kCheckConfig;
    options.target = positional[1];
  } else if (verb == "replay") {
    if (auto ok = expect_args(2); !ok) return ok.error();
    options.command = Command::kReplay;
    options.target = positional[1];
  } else if (verb == "record") {
    if (auto ok = expect_args(1); !ok) return ok.error();
    if (options.instance.empty() || options.date.empty())
      return usage("'record' needs --instance ID and --date YYYY-MM-DD");
    options.command = Command::kRecord;
  } else if (verb == "users") {
    const std::string sub = positional.size() > 1 ? positional[1] : "";
    if (sub != "create-admin") return usage("'users' needs 'create-admin'");
    if (auto ok = expect_args(2); !ok) return ok.error();
    if (options.email.empty() || options.nombre.empty()) {
      return usage("'users create-admin' needs --email EMAIL and --nombre NOMBRE");
    }
    options.command = Command::kUsersCreateAdmin;
  } else if (verb == "audit") {
    const std::string sub = positional.size() > 1 ? positional[1] : "";
    if (sub != "verify" && sub != "seal") return usage("'audit' needs 'verify' or 'seal'");
    if (auto ok = expect_args(2); !ok) return ok.error();
    options.command = sub == "seal" ? Command::kAuditSeal : Command::kAuditVerify;
  } else if (verb == "verify") {
    if (auto ok = expect_args(2); !ok) return ok.error();
    options.command = Command::kVerify;
    options.target = positional[1];
  } else if (verb == "notify") {
    const std::string sub = positional.size() > 1 ? positional[1] : "";
    if (sub != "test") return usage("'notify' needs 'test'");
    if (auto ok = expect_args(2); !ok) return ok.error();
    if (options.instance.empty() || options.to.empty())
      return usage("'notify test' needs --instance ID and --to ADDRESS");
    options.command = Command::kNotifyTest;
  } else if (verb == "plugins") {
    const std::string sub = positional.size() > 1 ? positional[1] : "";
    if (sub == "list") {
      if (auto ok = expect_args(2); !ok) return ok.error();
      options.command = Command::kPluginsList;
    } else if (sub == "check") {
      if (auto ok = expect_args(3); !ok) return ok.error();
      options.command = Command::kPluginsCheck;
      options.target = positional[2];
    } else {
      return usage("'plugins' needs 'list' or 'check LIB'");
    }
  } else {
    return usage("unknown command '" + verb + "'");
  }
  return options;
}

}  // namespace rifa::app
