#include "app/application.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <spdlog/spdlog.h>

#include "app/api_wiring.hpp"
#include "app/job_wiring.hpp"
#include "app/audit_verify_command.hpp"
#include "app/config_reload.hpp"
#include "app/verify_command.hpp"
#include "app/config_check.hpp"
#include "app/health_checks.hpp"
#include "app/install_layout.hpp"
#include "app/http_routes.hpp"
#include "app/web_routes.hpp"
#include "app/logging.hpp"
#include "app/lottery_cases.hpp"
#include "app/notify_test_command.hpp"
#include "app/plugin_check.hpp"
#include "app/plugin_wiring.hpp"
#include "app/reload_command.hpp"
#include "app/secret_policy.hpp"
#include "common/metrics.hpp"
#include "handlers/system_handlers.hpp"
#include "plugin_runtime/cassette.hpp"
#include "plugin_runtime/curl_transport.hpp"
#include "server/http_server.hpp"
#include "settings/settings.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/repositories/audit_sealer.hpp"
#include "storage/seed.hpp"

#ifndef RIFA_DEFAULT_MIGRATIONS_DIR
#define RIFA_DEFAULT_MIGRATIONS_DIR "migrations"
#endif

namespace rifa::app {
namespace {

namespace fs = std::filesystem;

constexpr int kExitOk = 0;
constexpr int kExitConfig = 2;
constexpr int kExitStartup = 3;
#ifndef RIFA_VERSION
#define RIFA_VERSION "0.0.0"
#endif
const char* kVersion = RIFA_VERSION;  // the project's version (CMake), as the .deb is named

std::optional<settings::Settings> load_config(const fs::path& file, std::ostream& err) {
  auto loaded = settings::load_settings_file(file, settings::process_environment());
  if (!loaded.ok()) {
    err << settings::format_errors(loaded.errors());
    return std::nullopt;
  }
  return std::move(loaded.settings());
}

fs::path migrations_dir() {
  if (const char* env = std::getenv("RIFA_MIGRATIONS_DIR"); env && *env) return env;
  return shipped_data_dir("migrations", RIFA_DEFAULT_MIGRATIONS_DIR);
}

Result<std::unique_ptr<storage::Database>> open_database(const settings::Settings& config) {
  auto url = storage::parse_database_url(config.database.url, config.base_dir);
  if (!url) return url.error();
  return storage::Database::open(*url, config.database.pool_size);
}

Result<void> migrate(storage::Database& db) {
  storage::MigrationRunner runner(db, migrations_dir());
  auto applied = runner.apply_all();
  if (!applied) return applied.error();
  for (const auto& name : *applied) spdlog::info("migration applied: {}", name);
  return {};
}

volatile std::sig_atomic_t g_stop_signal = 0;

// SIGINT/SIGTERM (stop) and SIGHUP (reload the config) are blocked in every thread (set before any
// thread starts) and waited for on the main thread, so shutdown and reloads run there with no
// async-signal-safety concerns.
sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

int wait_for_signal() {
  const sigset_t set = handled_signals();
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

void block_stop_signals() {
  const sigset_t set = handled_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

// Public example secrets let anyone mint an admin token or confirm an unpaid purchase, so a
// production host refuses them before it opens the database; a development host only warns.
bool secrets_fit_to_serve(const settings::Settings& config, RunMode mode) {
  const auto weak = find_weak_secrets(config);
  for (const auto& w : weak) {
    if (mode == RunMode::kDevelopment) {
      spdlog::warn("{} {} (allowed: development mode)", w.path, w.reason);
    } else {
      spdlog::critical("{} {}", w.path, w.reason);
    }
  }
  if (weak.empty() || mode == RunMode::kDevelopment) return true;
  spdlog::critical(
      "refusing to serve with {} weak secret(s): set them from the environment to at least {} random "
      "bytes (e.g. `openssl rand -hex 32`), or pass --dev (RIFA_ENV=development) on a development "
      "machine; scripts/run.sh generates them into var/secrets.env",
      weak.size(), kMinSecretBytes);
  return false;
}

int serve(const CliOptions& options, std::ostream& err) {
  auto config = load_config(options.config_file, err);
  if (!config) return kExitConfig;
  setup_logging(config->logging.format == "text" ? LogFormat::kText : LogFormat::kJson, config->logging.level);
  if (!secrets_fit_to_serve(*config, run_mode(options.dev, std::getenv("RIFA_ENV")))) return kExitStartup;
  block_stop_signals();

  MetricsRegistry metrics;
  auto db = open_database(*config);
  if (!db) {
    spdlog::critical("database: {}", db.error().message);
    return kExitStartup;
  }
  if (config->database.migrate_on_start) {
    if (auto m = migrate(**db); !m) {
      spdlog::critical("migrations: {}", m.error().message);
      return kExitStartup;
    }
  }
  if (!config->database.seed_dir.empty()) {
    auto seeded = storage::load_seed(**db, config->database.seed_dir);
    if (!seeded) {
      spdlog::critical("seed data {}: {}", config->database.seed_dir.string(), seeded.error().message);
      return kExitStartup;
    }
    spdlog::info("seed data {}: {} categorias, {} loterias, {} rifas, {} tickets added; {} rows already there",
                 config->database.seed_dir.string(), seeded->categorias, seeded->loterias, seeded->rifas,
                 seeded->tickets, seeded->skipped);
  }

  plugin_runtime::PluginRegistry plugins;
  auto plugin_errors = load_plugins(*config, metrics, plugins);
  if (!plugin_errors.empty()) {
    for (const auto& e : plugin_errors) spdlog::critical("{}", e.message);
    return kExitStartup;
  }
  for (const auto& p : plugins.list()) {
    const auto& info = p->library().info();
    spdlog::info("plugin '{}' loaded: {} {} ({}, ABI {}.{}) from {}", p->id(), info.name, info.version,
                 plugin_runtime::kind_name(info.kind), info.abi_major, info.abi_minor, p->library().path().string());
  }

  storage::Database* database = db->get();
  // The per-IP limit is checked by the server, the per-user one by the Authenticator.
  const auto& limits = config->server;
  api::ClientRateLimits rate_limits({limits.rate_limit_per_ip.per_second, limits.rate_limit_per_ip.burst},
                                    {limits.rate_limit_per_user.per_second, limits.rate_limit_per_user.burst},
                                    &metrics);
  ApiWiringOptions api_options = ApiWiring::options_from(*config);
  api_options.plugins = &plugins;                       // declared before api_wiring, so it outlives it
  api_options.lottery_instances_follow_plugins = true;  // a reload's new lottery instance can be named at once
  auto live_bindings = std::make_shared<settings::LiveBindings>(config->bindings);
  api_options.live_bindings = live_bindings;
  api_options.rate_limits = &rate_limits;
  api_options.metrics = &metrics;
  ApiWiring api_wiring(*database, std::move(api_options));
  api::Router router;
  HealthOptions health;
  health.audit_warn = std::chrono::milliseconds(config->audit.unsealed_warn_ms);
  health.job_workers = config->jobs.workers;
  health.plugins = &plugins;
  health.metrics = &metrics;
  // SIGHUP, `rifa-host reload` and POST /api/v1/admin/config/reload re-read the file (app/config_reload.hpp).
  ConfigReloader reloader(options.config_file, *config, plugins, live_bindings, *database, metrics, api_wiring.clock());
  if (auto frozen = reloader.load_frozen_bindings(); !frozen) {
    spdlog::critical("cannot read the payment instances activated rifas froze: {}", frozen.error().message);
    return kExitStartup;
  }
  register_http_routes(router, api_wiring, make_health_probes(*database, api_wiring.job_queue(), health), metrics,
                       kVersion, [&reloader](const std::string& actor) {
                         const auto outcome = reloader.reload(actor);
                         return api::ConfigReloadAnswer{outcome.applied, outcome.error, outcome.to_json()};
                       });
  register_web_routes(router, web_root(config->server));

  api::ServerOptions server_options;
  server_options.listen_address = config->server.listen;
  server_options.port = config->server.port;
  server_options.io_threads = config->server.io_threads;
  server_options.body_limit_bytes = config->server.body_limit_bytes;
  server_options.cors_allowed_origins = config->server.cors_allowed_origins;
  server_options.trusted_proxies = config->server.trusted_proxies;
  server_options.forwarded_header = config->server.forwarded_header;
  server_options.max_connections = config->server.max_connections;
  server_options.max_connections_per_ip = config->server.max_connections_per_ip;
  server_options.workers = config->server.workers;
  server_options.queue_limit = config->server.queue_limit;
  server_options.request_timeout_ms = static_cast<int>(config->server.request_timeout_ms);
  server_options.rate_limits = &rate_limits;
  // The audit log's sealer runs in every serving host, jobs.workers 0 or not (one seals at a time).
  // Started before the server listens: what an earlier host left unsealed is sealed before this one
  // writes anything.
  auto audit_logger = make_logger("audit");
  storage::AuditSealerLoop audit_sealer(
      *database, {std::chrono::milliseconds(config->audit.seal_interval_ms),
                  [audit_logger](const std::string& e) { audit_logger->error("audit sealing failed: {}", e); },
                  [audit_logger](const storage::SealOutcome& o) {
                    audit_logger->debug("audit: sealed {} entries, chain head at seq {}", o.sealed, o.head_seq);
                  }});
  audit_sealer.start();
  spdlog::info("audit sealer: every {} ms", config->audit.seal_interval_ms);
  api::HttpServer server(server_options, router, make_logger("http"), &metrics);
  if (auto started = server.start(); !started) {
    spdlog::critical("server: {}", started.error().message);
    return kExitStartup;
  }
  spdlog::info("rifa-host {} listening on http://{}:{} (database {}, {} plugin instance(s))", kVersion,
               config->server.listen, server.port(), database->display_url(), plugins.list().size());
  // Background jobs and the scheduler; stopped before the server, the plugins and the database.
  JobWiring job_wiring(*database, *config, plugins, api_wiring, &metrics);
  job_wiring.start();
  int sig = wait_for_signal();
  while (sig == SIGHUP) {
    spdlog::info("received SIGHUP: reloading {}", options.config_file.string());
    reloader.reload("signal:SIGHUP");  // logs what it applied, or why it changed nothing
    sig = wait_for_signal();
  }
  spdlog::info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  job_wiring.stop();
  server.stop();
  audit_sealer.stop();
  spdlog::info("stopped cleanly");
  spdlog::default_logger()->flush();
  return kExitOk;
}

int run_migrate(const CliOptions& options, std::ostream& out, std::ostream& err) {
  auto config = load_config(options.config_file, err);
  if (!config) return kExitConfig;
  setup_logging(LogFormat::kText, "warn");
  auto db = open_database(*config);
  if (!db) {
    err << "rifa-host: database: " << db.error().message << "\n";
    return kExitStartup;
  }
  storage::MigrationRunner runner(**db, migrations_dir());
  auto applied = runner.apply_all();
  if (!applied) {
    err << "rifa-host: migrations: " << applied.error().message << "\n";
    return kExitStartup;
  }
  for (const auto& name : *applied) out << "applied " << name << "\n";
  out << (applied->empty() ? "database is up to date\n" : "done\n");
  return kExitOk;
}

// Where plugin libraries are looked up when no config says: $RIFA_PLUGIN_PATH, then the plugins
// folder of the build tree this binary belongs to (build/host/main/rifa-host → build/plugins).
std::vector<fs::path> default_plugin_search_path() {
  std::vector<fs::path> path;
  if (const char* env = std::getenv("RIFA_PLUGIN_PATH"); env && *env) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) path.emplace_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) path.push_back(exe.parent_path().parent_path().parent_path() / "plugins");
  return path;
}

// Where replay and record find plugin libraries: the config's plugins.search_path (and
// $RIFA_PLUGIN_PATH) first, when a config is named (--config, $RIFA_CONFIG) or config/rifa.yaml
// exists, then the default path. nullopt when a named config cannot be read.
std::optional<std::vector<fs::path>> case_search_path(const CliOptions& options, std::ostream& err) {
  std::vector<fs::path> path;
  std::error_code ec;
  if (options.config_given || fs::exists(options.config_file, ec)) {
    auto config = load_config(options.config_file, err);
    if (!config && options.config_given) return std::nullopt;
    if (config) path = config->plugins.search_path;
  }
  for (auto& folder : default_plugin_search_path()) path.push_back(std::move(folder));
  return path;
}

int replay(const CliOptions& options, std::ostream& out, std::ostream& err) {
  setup_logging(LogFormat::kText, "warn");
  auto search_path = case_search_path(options, err);
  if (!search_path) return kExitConfig;
  CaseRunOptions run;
  run.search_path = std::move(*search_path);
  return run_lottery_cases(options.target, run, out) == 0 ? kExitOk : 1;
}

int record(const CliOptions& options, std::ostream& out, std::ostream& err) {
  auto config = load_config(options.config_file, err);
  if (!config) return kExitConfig;
  setup_logging(LogFormat::kText, "info");
  const settings::PluginInstanceSettings* chosen = nullptr;
  for (const auto& i : config->plugins.instances) {
    if (i.id == options.instance) chosen = &i;
  }
  if (!chosen || chosen->kind != settings::PluginKind::kLottery) {
    err << "rifa-host: record: no lottery instance '" << options.instance << "' in " << options.config_file.string()
        << "\n";
    return kExitConfig;
  }
  // The config's search path resolved the library; when it found no file there, try the default path.
  fs::path library = chosen->resolved_library_path.empty() ? fs::path(chosen->library) : chosen->resolved_library_path;
  std::error_code ec;
  if (!fs::exists(library, ec)) {
    std::vector<fs::path> search_path = config->plugins.search_path;
    for (auto& folder : default_plugin_search_path()) search_path.push_back(std::move(folder));
    library = resolve_library(chosen->library, search_path);
  }
  auto lib = plugin_runtime::PluginLibrary::load(library);
  if (!lib) {
    err << "rifa-host: " << lib.error().message << "\n";
    return kExitStartup;
  }
  const fs::path root = options.fixtures_dir ? *options.fixtures_dir : fs::path("fixtures/lotteries");
  const fs::path dir = root / (*lib)->info().name / (options.case_name.empty() ? options.date : options.case_name);
  if (fs::exists(dir / "case.json")) {
    err << "rifa-host: record: " << (dir / "case.json").string() << " exists; pick another --case name\n";
    return kExitConfig;
  }
  const auto& http = config->plugins.http;
  plugin_runtime::CurlTransportOptions live;
  live.default_timeout_ms = http.timeout_ms;
  live.retries = http.retries;
  live.egress_allow = http.egress_allow;
  RecordRequest request;
  request.dir = dir;
  request.instance_id = chosen->id;
  request.library = chosen->library;
  request.library_path = library;
  request.config = chosen->config;
  request.date = options.date;
  request.now_unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  request.live = std::make_shared<plugin_runtime::CurlTransport>(live);
  auto recorded = record_lottery_case(request);
  if (!recorded) {
    err << "rifa-host: " << recorded.error().message << "\n";
    return kExitStartup;
  }
  out << "recorded " << dir.string() << " (now " << (*recorded)["now"].get<std::string>()
      << "): " << (*recorded)["expected"].dump() << "\n";
  return kExitOk;
}

int check_config(const CliOptions& options, std::ostream& out, std::ostream& err) {
  auto config = load_config(options.target, err);
  if (!config) return kExitConfig;
  auto problems = check_plugin_configs(*config);
  // The UVT of this year (Bogotá) must be there, or no prize can be paid.
  if (auto tax = settings::check_tax_year(*config, settlement::bogota_year(std::chrono::system_clock::now()))) {
    problems.push_back(settings::format(*tax));
  }
  for (const auto& problem : problems) err << problem << "\n";
  if (!problems.empty()) {
    err << options.target.string() << ": " << problems.size() << " plugin problem(s)\n";
    return kExitConfig;
  }
  out << options.target.string() << ": OK (" << config->plugins.instances.size() << " plugin instance(s))\n";
  return kExitOk;
}

int plugins_list(const CliOptions& options, std::ostream& out, std::ostream& err) {
  auto config = load_config(options.config_file, err);
  if (!config) return kExitConfig;
  setup_logging(LogFormat::kText, "warn");
  MetricsRegistry metrics;
  plugin_runtime::PluginRegistry plugins;
  auto errors = load_plugins(*config, metrics, plugins);
  for (const auto& p : plugins.list()) {
    const auto& info = p->library().info();
    out << p->id() << "\t" << plugin_runtime::kind_name(info.kind) << "\t" << info.name << " " << info.version
        << "\tABI " << info.abi_major << "." << info.abi_minor << "\t" << p->library().path().string() << "\n";
  }
  for (const auto& e : errors) err << "rifa-host: " << e.message << "\n";
  return errors.empty() ? kExitOk : kExitStartup;
}

// The first admin cannot sign up through the API (sign-up makes jugadores), so it is made here.
int users_create_admin(const CliOptions& options, std::ostream& out, std::ostream& err) {
  auto config = load_config(options.config_file, err);
  if (!config) return kExitConfig;
  setup_logging(LogFormat::kText, "warn");
  auto db = open_database(*config);
  if (!db) {
    err << "rifa-host: database: " << db.error().message << "\n";
    return kExitStartup;
  }
  if (config->database.migrate_on_start) {
    if (auto m = migrate(**db); !m) {
      err << "rifa-host: migrations: " << m.error().message << "\n";
      return kExitStartup;
    }
  }
  std::string password;
  if (const char* env = std::getenv("RIFA_ADMIN_PASSWORD"); env && *env) {
    password = env;
  } else {
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
  }
  ApiWiring wiring(**db, ApiWiring::options_from(*config));
  engine::NewUser admin{options.nombre, options.email, password, std::nullopt};
  auto created = wiring.accounts().create_user(admin, engine::Rol::kAdmin, engine::cli_actor());
  if (!created) {
    err << "rifa-host: users create-admin: " << created.error().message << "\n";
    return 1;
  }
  out << "created admin " << created->email << " (" << created->id << ")\n";
  return kExitOk;
}

int audit_verify(const CliOptions& options, std::ostream& out, std::ostream& err) {
  auto config = load_config(options.config_file, err);
  if (!config) return kExitConfig;
  setup_logging(LogFormat::kText, "warn");
  auto db = open_database(*config);
  if (!db) {
    err << "rifa-host: database: " << db.error().message << "\n";
    return kExitStartup;
  }
  return options.command == Command::kAuditSeal ? run_audit_seal(**db, out, err) : run_audit_verify(**db, out, err);
}

}  // namespace

int run_command(const CliOptions& options, std::ostream& out, std::ostream& err) {
  switch (options.command) {
    case Command::kHelp: out << help_text(options.help_topic); return kExitOk;
    case Command::kVersion:
      out << "rifa-host " << kVersion << " (plugin ABI " << RIFA_ABI_VERSION_MAJOR << "." << RIFA_ABI_VERSION_MINOR
          << ")\n";
      return kExitOk;
    case Command::kServe: return serve(options, err);
    case Command::kMigrate: return run_migrate(options, out, err);
    case Command::kCheckConfig: return check_config(options, out, err);
    case Command::kPluginsList: return plugins_list(options, out, err);
    case Command::kPluginsCheck: {
      setup_logging(LogFormat::kText, "warn");
      PluginCheckOptions check{options.target, options.config_json, options.fixtures_dir};
      return run_plugin_check(check, out) == 0 ? kExitOk : 1;
    }
    case Command::kReplay: return replay(options, out, err);
    case Command::kRecord: return record(options, out, err);
    case Command::kUsersCreateAdmin: return users_create_admin(options, out, err);
    case Command::kAuditVerify:
    case Command::kAuditSeal: return audit_verify(options, out, err);
    case Command::kVerify: return run_verify(options.target.string(), out, err);
    case Command::kReload: return run_reload(options.config_file, out, err);
    case Command::kNotifyTest: {
      auto config = load_config(options.config_file, err);
      if (!config) return kExitConfig;
      return run_notify_test(*config, options, out, err);
    }
  }
  return kExitOk;
}

}  // namespace rifa::app
