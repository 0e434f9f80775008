#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/settlement/prize_tax.hpp"
#include "settings/bindings.hpp"
#include "settings/config_error.hpp"
#include "settings/environment.hpp"

// The host's YAML config (config/rifa.yaml is the commented reference). Loading validates the
// whole file and reports every problem at once with file:line:column, the YAML path, what was
// expected and a "did you mean" where one fits. Relative paths in the file (sqlite database,
// seed folder, plugin search path and libraries, record/replay fixtures) are relative to the
// folder holding the config file, never to the working directory.
namespace rifa::settings {

enum class PluginKind { kLottery, kPayment, kNotifier };
enum class TransportMode { kLive, kRecord, kReplay };

// "lottery" / "payment" / "notifier"
const char* kind_name(PluginKind kind);
// "live" / "record" / "replay"
const char* mode_name(TransportMode mode);

// Where something was written in the config; line and column are 1-based.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// A token bucket: `burst` requests at once, refilled at `per_second`. per_second 0 = no limit.
struct RateLimitSettings {
  double per_second = 0;
  double burst = 0;
};

// The live feed (GET /rifas/{id}/live): connections, their send queues, keep-alives, replay.
struct LiveSettings {
  size_t max_subscribers = 10000;      // live connections of this host; one more: 503
  size_t max_subscribers_per_ip = 64;  // per client address; one more: 429
  size_t send_queue_frames = 512;      // frames waiting for one slow client before it is cut off (4008)
  size_t send_queue_bytes = 8 << 20;   // bytes of frames one client holds before it is cut off (4008)
  int ping_interval_s = 20;            // WebSocket ping / SSE comment after this long idle
  size_t replay_window = 1024;         // events kept per rifa for Last-Event-ID / ?resume=
};

struct ServerSettings {
  std::string listen = "127.0.0.1";  // an IPv4 or IPv6 address
  uint16_t port = 8080;              // 0 picks a free port
  int io_threads = 1;
  size_t body_limit_bytes = 1024 * 1024;
  // GET /rifas/{id} answers from memory for this long unless this process wrote to the database
  // since; other hosts' writes show after at most this long. 0 = always read the database.
  int64_t read_cache_ms = 1000;
  std::vector<std::string> cors_allowed_origins;  // "https://host[:port]" or "*"
  // Every request counts against its client IP; authenticated requests also against the user.
  RateLimitSettings rate_limit_per_ip{100, 200};
  RateLimitSettings rate_limit_per_user{20, 40};
  // Connections open at once, in all (lowered to fit `ulimit -n` at start) and per client
  // address; 0 = no cap.
  size_t max_connections = 10000;
  size_t max_connections_per_ip = 256;
  // Threads that run request handlers (the io threads only read and write); unset (0) = the
  // loader makes it database.pool_size.
  int workers = 0;
  // Requests that may wait for a worker; one more is answered 503 with Retry-After.
  size_t queue_limit = 256;
  // A request still waiting for a worker this long after it was read is answered 503 unrun. 0 = none.
  int64_t request_timeout_ms = 10000;
  // Calls in flight at once to one payment plugin instance (a bulkhead: a slow provider holds at
  // most this many workers); unset (0) = the loader makes it half the workers, at least 1.
  int plugin_calls_per_instance = 0;
  // Proxies (CIDR blocks or addresses) trusted to name the client in `forwarded_header`; empty =
  // the socket's peer is the client. List only your own proxies' addresses: a client reaching the
  // host directly from a trusted range could name any address.
  std::vector<std::string> trusted_proxies;
  std::string forwarded_header = "x-forwarded-for";  // or "forwarded" (RFC 7239)
  // The operator console (/admin/) and the public pages (/rifas/{id}) are served from this folder;
  // empty = the source tree's web/ when rifa-host runs from its build tree, else the install
  // prefix's share/rifa1122/web (host/app/web_routes.cpp).
  std::filesystem::path web_root;
  LiveSettings live;
};

// Ticket sales: how long numbers are held for a pending payment, when a pending payment is asked
// about, and how long idempotency keys are remembered.
struct SalesSettings {
  int64_t hold_ttl_s = 900;
  int64_t reconcile_pending_after_s = 300;
  int64_t idempotency_key_ttl_s = 24 * 3600;  // at least 24 h
  // Numbers one buyer may hold (reservado, payment pending) in one rifa at a time, a purchase's
  // own numbers included: no player can block a rifa with payments left pending.
  int64_t max_held_per_buyer = 10;
  // A purchase whose host died mid-request leaves its idempotency key in flight: a retry with the
  // key is answered 409 until this long after it started, then resumes it from its transaccion
  // (never charging twice: the provider sees the same idempotency key). Keep it above the longest
  // a live request can take (server.request_timeout_ms plus a payment plugin call).
  int64_t in_flight_takeover_s = 120;
};

// Personal data (Ley 1581 de 2012): the data policy version a sign-up consents to, and how long an
// inactive jugador's personal data is kept before the retention job erases it (0 = kept).
struct DatosPersonalesSettings {
  std::string politica_version = "1";
  int64_t retencion_inactivos_dias = 0;
};

// payouts: how prizes are paid. approval_threshold_cents: a cash prize whose gross is above it is
// paid (by the payout job or by hand) only after an admin's approval (POST /ganadores/{id}/aprobar);
// absent: none waits.
struct PayoutSettings {
  std::optional<int64_t> approval_threshold_cents;
};

// The durable job queue and the scheduler that feeds it.
struct JobsSettings {
  int workers = 2;
  int64_t poll_interval_ms = 500;
  int64_t lease_s = 120;              // a claimed job whose host died is taken again after this
  int max_attempts = 8;               // then the job is dead, visible in GET /admin/jobs
  int64_t scheduler_interval_s = 15;  // how often closings, draws, holds and payments are looked at
};

// The audit log's sealer (storage/repositories/audit_sealer.hpp): rows are written unsealed and
// chained by one sealer within seal_interval_ms. A row left unsealed longer than
// unsealed_warn_ms makes GET /api/v1/health say "degraded" (still 200).
struct AuditSettings {
  int64_t seal_interval_ms = 500;
  int64_t unsealed_warn_ms = 5000;  // default: 10 × seal_interval_ms
};

struct DatabaseSettings {
  // As written after ${ENV} expansion; storage::parse_database_url(url, Settings::base_dir)
  // resolves a relative sqlite3:// path against the config folder.
  std::string url;
  int pool_size = 4;
  bool migrate_on_start = true;
  std::filesystem::path seed_dir;  // resolved; empty when the config names none
};

struct LoggingSettings {
  std::string level = "info";   // trace|debug|info|warn|error|critical|off (spdlog's names)
  std::string format = "json";  // json|text
};

// Defaults of the host HTTP transport that plugins fetch through.
struct HttpTransportSettings {
  uint32_t timeout_ms = 10000;
  int retries = 1;
  std::vector<std::string> egress_allow;  // host names or "*.suffix" globs; empty = no outside access
  TransportMode mode = TransportMode::kLive;
  std::filesystem::path fixtures_dir;  // resolved; required when mode is record or replay
};

struct PluginInstanceSettings {
  std::string id;       // [a-z0-9_-]+
  std::string library;  // as written: a bare name (lib<name>.so in the search path) or a path
  // Where the library is: the first search folder holding it, or the path written (resolved
  // against the config folder). Existence is the loader's business, so when a bare name is
  // found nowhere this is where it was expected (in the first search folder), so that the
  // loader's "file not found" names a real place; empty only when there is no search folder.
  std::filesystem::path resolved_library_path;
  PluginKind kind = PluginKind::kLottery;
  // The instance's own config, converted from YAML with YAML 1.2 core-schema typing (quoted
  // scalars stay strings); an empty object when absent. Validated later against the plugin's schema.
  nlohmann::json config = nlohmann::json::object();
  SourceLocation location;  // of the instance id key
};

struct PluginSettings {
  // Effective lookup order for bare library names: $RIFA_PLUGIN_PATH (colon-separated) first,
  // then plugins.search_path resolved against the config folder.
  std::vector<std::filesystem::path> search_path;
  HttpTransportSettings http;
  std::vector<PluginInstanceSettings> instances;  // in file order
};

struct Settings {
  std::filesystem::path config_file;  // as given (the display name for load_settings_text)
  std::filesystem::path base_dir;     // the folder relative paths in the file are relative to
  ServerSettings server;
  DatabaseSettings database;
  std::map<std::string, std::string, std::less<>> secrets;  // name → value after ${ENV} expansion
  LoggingSettings logging;
  SalesSettings sales;
  JobsSettings jobs;
  AuditSettings audit;
  PluginSettings plugins;
  Bindings bindings;
  // tax: retención en la fuente on prizes (engine/settlement/prize_tax.hpp). Absent: disabled
  // (prizes paid gross). Present: rate_bp (default 2000), threshold_uvt (default 48) and uvt, a map
  // year → pesos with at least one year.
  settlement::TaxRules tax;
  SourceLocation tax_uvt_location;  // of the `uvt` key (or `tax`), where a missing year points
  DatosPersonalesSettings datos_personales;
  PayoutSettings payouts;

  // nullptr when no instance has that id.
  const PluginInstanceSettings* find_instance(std::string_view id) const;
};

// When tax is enabled and tax.uvt has no value for `year` (the year of payment): the error, at
// tax.uvt's position. `rifa-host check-config` asks it for the current year in Bogotá.
std::optional<ConfigError> check_tax_year(const Settings& settings, int year);

// Either the settings or at least one error (sorted by position).
class LoadResult {
 public:
  explicit LoadResult(Settings settings) : state_(std::move(settings)) {}
  explicit LoadResult(std::vector<ConfigError> errors) : state_(std::move(errors)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  Settings& settings() & { return std::get<0>(state_); }
  const Settings& settings() const& { return std::get<0>(state_); }
  const std::vector<ConfigError>& errors() const { return std::get<1>(state_); }

 private:
  std::variant<Settings, std::vector<ConfigError>> state_;
};

// Reads and validates a config file. Errors name the file as given; relative paths inside are
// resolved against the file's folder (made absolute). A missing or unreadable file is one error.
LoadResult load_settings_file(const std::filesystem::path& file, const Environment& env);

// Validates YAML text; display_name is the file name errors carry and base_dir the folder
// relative paths are resolved against.
LoadResult load_settings_text(std::string_view yaml, std::string display_name, const std::filesystem::path& base_dir,
                              const Environment& env);

}  // namespace rifa::settings
