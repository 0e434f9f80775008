// The config schema: which keys each section holds, their types and ranges, and the checks that
// span sections (bindings against plugin instances).
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "common/ip_network.hpp"
#include "settings/did_you_mean.hpp"
#include "settings/plugin_library_path.hpp"
#include "settings/settings.hpp"
#include "settings/yaml_json.hpp"
#include "settings/yaml_reader.hpp"

namespace rifa::settings {
namespace {

namespace fs = std::filesystem;
using Keys = std::vector<std::string>;

const Keys kRootKeys = {"server",  "database", "secrets", "logging",          "sales",  "jobs", "audit",
                        "plugins", "bindings", "tax",     "datos_personales", "payouts"};
const Keys kTaxKeys = {"rate_bp", "threshold_uvt", "uvt"};
const Keys kDatosPersonalesKeys = {"politica_version", "retencion_inactivos_dias"};
const Keys kPayoutsKeys = {"approval_threshold_cents"};
const Keys kAuditKeys = {"seal_interval_ms", "unsealed_warn_ms"};
const Keys kServerKeys = {"listen",
                          "port",
                          "io_threads",
                          "body_limit_bytes",
                          "read_cache_ms",
                          "cors_allowed_origins",
                          "rate_limit",
                          "max_connections",
                          "max_connections_per_ip",
                          "workers",
                          "queue_limit",
                          "request_timeout_ms",
                          "plugin_calls_per_instance",
                          "trusted_proxies",
                          "forwarded_header",
                          "web_root",
                          "live"};
const Keys kLiveKeys = {"max_subscribers",  "max_subscribers_per_ip", "send_queue_frames",
                        "send_queue_bytes", "ping_interval_s",        "replay_window"};
const Keys kRateLimitKeys = {"per_ip", "per_user"};
const Keys kBucketKeys = {"per_second", "burst"};
const Keys kSalesKeys = {"hold_ttl_s", "reconcile_pending_after_s", "idempotency_key_ttl_s", "max_held_per_buyer",
                         "in_flight_takeover_s"};
const Keys kJobsKeys = {"workers", "poll_interval_ms", "lease_s", "max_attempts", "scheduler_interval_s"};
const Keys kDatabaseKeys = {"url", "pool_size", "migrate_on_start", "seed"};
const Keys kLoggingKeys = {"level", "format"};
const Keys kLogLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};
const Keys kLogFormats = {"json", "text"};
const Keys kPluginsKeys = {"search_path", "http", "instances"};
const Keys kHttpKeys = {"timeout_ms", "retries", "egress_allow", "mode", "fixtures_dir"};
const Keys kModes = {"live", "record", "replay"};
const Keys kInstanceKeys = {"library", "kind", "config"};
const Keys kKinds = {"lottery", "payment", "notifier"};
const Keys kBindingsKeys = {"defaults", "categorias", "rifas"};
const Keys kSlotKeys = {"lottery", "payment", "notifiers"};
const Keys kAny = {};

constexpr int64_t kMaxIoThreads = 256;
constexpr int64_t kMaxReadCacheMs = 60000;  // a minute; staler than that is no longer a cache
constexpr int64_t kMaxBodyLimitBytes = int64_t{1} << 30;
constexpr int64_t kMaxPoolSize = 1024;
constexpr int64_t kMaxTimeoutMs = 600000;
constexpr int64_t kMaxRetries = 10;
constexpr int64_t kDay = 24 * 3600;
constexpr int64_t kMaxRequestsPerSecond = 1000000;
constexpr int64_t kMaxConnections = 1000000;
constexpr int64_t kMaxWorkers = 1024;
constexpr int64_t kMaxQueueLimit = 1000000;

PluginKind kind_from(const std::string& name) {
  if (name == "payment") return PluginKind::kPayment;
  if (name == "notifier") return PluginKind::kNotifier;
  return PluginKind::kLottery;
}

TransportMode mode_from(const std::string& name) {
  if (name == "record") return TransportMode::kRecord;
  if (name == "replay") return TransportMode::kReplay;
  return TransportMode::kLive;
}

bool is_ip_address(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool is_instance_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool is_uuid(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? id[i] != '-' : !std::isxdigit(static_cast<unsigned char>(id[i]))) return false;
  }
  return true;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

// What plugins::egress_allowed understands: "*", a host, or "*." followed by a host suffix.
bool is_egress_glob(std::string_view glob) {
  if (glob == "*") return true;
  if (glob.rfind("*.", 0) == 0) glob.remove_prefix(2);
  return !glob.empty() && std::all_of(glob.begin(), glob.end(), is_host_char);
}

// An origin as browsers send it: scheme://host[:port], no path.
bool is_origin(std::string_view origin) {
  if (origin == "*") return true;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.rfind(scheme, 0) == 0) {
      const std::string_view rest = origin.substr(scheme.size());
      return !rest.empty() && rest.find('/') == std::string_view::npos;
    }
  }
  return false;
}

// A binding read from the file, checked once every instance is known.
struct BindingReference {
  Field field;
  PluginKind slot;
  std::string instance;
};

struct InstanceEntry {
  std::optional<PluginKind> kind;  // unset when the instance's own kind was invalid
  YAML::Mark mark;
};

class SettingsLoader {
 public:
  SettingsLoader(YamlReader& reader, Settings& settings, const Environment& env)
      : reader_(reader), settings_(settings), env_(env) {}

  void load(const YAML::Node& document) {
    const Field root_field = YamlReader::root(document);
    if (root_field.value.IsDefined() && !root_field.value.IsNull() && !root_field.value.IsMap()) {
      reader_.error(root_field,
                    "expected a mapping of sections (" + join(kRootKeys) + "), got " + describe_node(root_field.value));
      return;
    }
    auto root = reader_.mapping(root_field, kRootKeys);
    if (!root) return;
    reader_.require(*root, {"database", "plugins", "bindings"});
    if (auto* f = root->find("server")) read_server(*f);
    if (auto* f = root->find("database")) read_database(*f);
    if (auto* f = root->find("secrets")) read_secrets(*f);
    if (auto* f = root->find("logging")) read_logging(*f);
    if (auto* f = root->find("sales")) read_sales(*f);
    if (auto* f = root->find("jobs")) read_jobs(*f);
    if (auto* f = root->find("audit")) read_audit(*f);
    if (auto* f = root->find("tax")) read_tax(*f);
    if (auto* f = root->find("datos_personales")) read_datos_personales(*f);
    if (auto* f = root->find("payouts")) read_payouts(*f);
    if (auto* f = root->find("plugins")) read_plugins(*f);
    if (auto* f = root->find("bindings")) read_bindings(*f);
    check_binding_references();
    // Unset: one worker per pooled database session, and half of them per payment instance.
    auto& server = settings_.server;
    if (server.workers == 0) server.workers = settings_.database.pool_size;
    if (server.plugin_calls_per_instance == 0) server.plugin_calls_per_instance = std::max(1, server.workers / 2);
  }

 private:
  void read_server(const Field& field) {
    auto m = reader_.mapping(field, kServerKeys);
    if (!m) return;
    auto& server = settings_.server;
    if (auto* f = m->find("listen")) {
      if (auto v = reader_.string(*f)) {
        if (is_ip_address(*v)) {
          server.listen = *v;
        } else {
          reader_.error(*f, "expected an IPv4 or IPv6 address (e.g. 127.0.0.1, 0.0.0.0 or ::1), got '" + *v + "'");
        }
      }
    }
    if (auto* f = m->find("port")) {
      if (auto v = reader_.integer(*f, 0, 65535)) server.port = static_cast<uint16_t>(*v);
    }
    if (auto* f = m->find("io_threads")) {
      if (auto v = reader_.integer(*f, 1, kMaxIoThreads)) server.io_threads = static_cast<int>(*v);
    }
    if (auto* f = m->find("body_limit_bytes")) {
      if (auto v = reader_.integer(*f, 1, kMaxBodyLimitBytes)) server.body_limit_bytes = static_cast<size_t>(*v);
    }
    if (auto* f = m->find("read_cache_ms")) {
      if (auto v = reader_.integer(*f, 0, kMaxReadCacheMs)) server.read_cache_ms = *v;
    }
    if (auto* f = m->find("rate_limit")) read_rate_limit(*f);
    if (auto* f = m->find("live")) read_live(*f);
    if (auto* f = m->find("max_connections")) {
      if (auto v = reader_.integer(*f, 0, kMaxConnections)) server.max_connections = static_cast<size_t>(*v);
    }
    if (auto* f = m->find("workers")) {
      if (auto v = reader_.integer(*f, 1, kMaxWorkers)) server.workers = static_cast<int>(*v);
    }
    if (auto* f = m->find("queue_limit")) {
      if (auto v = reader_.integer(*f, 0, kMaxQueueLimit)) server.queue_limit = static_cast<size_t>(*v);
    }
    if (auto* f = m->find("request_timeout_ms")) {
      if (auto v = reader_.integer(*f, 0, kMaxTimeoutMs)) server.request_timeout_ms = *v;
    }
    if (auto* f = m->find("plugin_calls_per_instance")) {
      if (auto v = reader_.integer(*f, 1, kMaxWorkers)) server.plugin_calls_per_instance = static_cast<int>(*v);
    }
    if (auto* f = m->find("web_root")) {
      if (auto v = reader_.string(*f)) server.web_root = resolve_relative(settings_.base_dir, *v);
    }
    if (auto* f = m->find("max_connections_per_ip")) {
      if (auto v = reader_.integer(*f, 0, kMaxConnections)) server.max_connections_per_ip = static_cast<size_t>(*v);
    }
    if (auto* f = m->find("cors_allowed_origins")) {
      if (auto items = reader_.list(*f, "a list of origins")) {
        for (const auto& item : *items) {
          auto origin = reader_.string(item);
          if (!origin) continue;
          if (is_origin(*origin)) {
            server.cors_allowed_origins.push_back(*origin);
          } else {
            reader_.error(item,
                          "expected an origin like https://app.example.com (scheme, host, optional port, no "
                          "path) or '*', got '" +
                              *origin + "'");
          }
        }
      }
    }
    if (auto* f = m->find("trusted_proxies")) {
      if (auto items = reader_.list(*f, "a list of CIDR blocks or addresses")) {
        for (const auto& item : *items) {
          auto cidr = reader_.string(item);
          if (!cidr) continue;
          if (auto network = IpNetwork::parse(*cidr)) {
            server.trusted_proxies.push_back(*cidr);
          } else {
            reader_.error(item, network.error().message);
          }
        }
      }
    }
    if (auto* f = m->find("forwarded_header")) {
      if (auto v = reader_.string(*f)) {
        if (*v == "x-forwarded-for" || *v == "forwarded") {
          server.forwarded_header = *v;
        } else {
          reader_.error(*f, "expected \"x-forwarded-for\" or \"forwarded\" (RFC 7239), got '" + *v + "'");
        }
      }
    }
  }

  void read_live(const Field& field) {
    auto m = reader_.mapping(field, kLiveKeys);
    if (!m) return;
    auto& live = settings_.server.live;
    if (auto* f = m->find("max_subscribers")) {
      if (auto v = reader_.integer(*f, 0, kMaxConnections)) live.max_subscribers = static_cast<size_t>(*v);
    }
    if (auto* f = m->find("max_subscribers_per_ip")) {
      if (auto v = reader_.integer(*f, 0, kMaxConnections)) live.max_subscribers_per_ip = static_cast<size_t>(*v);
    }
    if (auto* f = m->find("send_queue_frames")) {
      if (auto v = reader_.integer(*f, 1, 1000000)) live.send_queue_frames = static_cast<size_t>(*v);
    }
    if (auto* f = m->find("send_queue_bytes")) {
      if (auto v = reader_.integer(*f, 65536, int64_t{1} << 30)) live.send_queue_bytes = static_cast<size_t>(*v);
    }
    if (auto* f = m->find("ping_interval_s")) {
      if (auto v = reader_.integer(*f, 1, 3600)) live.ping_interval_s = static_cast<int>(*v);
    }
    if (auto* f = m->find("replay_window")) {
      if (auto v = reader_.integer(*f, 0, 1000000)) live.replay_window = static_cast<size_t>(*v);
    }
  }

  void read_rate_limit(const Field& field) {
    auto m = reader_.mapping(field, kRateLimitKeys);
    if (!m) return;
    if (auto* f = m->find("per_ip")) read_bucket(*f, settings_.server.rate_limit_per_ip);
    if (auto* f = m->find("per_user")) read_bucket(*f, settings_.server.rate_limit_per_user);
  }

  void read_bucket(const Field& field, RateLimitSettings& bucket) {
    auto m = reader_.mapping(field, kBucketKeys);
    if (!m) return;
    reader_.require(*m, {"per_second"});
    if (auto* f = m->find("per_second")) {
      if (auto v = reader_.integer(*f, 0, kMaxRequestsPerSecond)) bucket.per_second = static_cast<double>(*v);
    }
    bucket.burst = 2 * bucket.per_second;
    if (auto* f = m->find("burst")) {
      if (auto v = reader_.integer(*f, 1, kMaxRequestsPerSecond)) bucket.burst = static_cast<double>(*v);
    }
  }

  void read_sales(const Field& field) {
    auto m = reader_.mapping(field, kSalesKeys);
    if (!m) return;
    auto& sales = settings_.sales;
    if (auto* f = m->find("hold_ttl_s")) {
      if (auto v = reader_.integer(*f, 10, kDay)) sales.hold_ttl_s = *v;
    }
    if (auto* f = m->find("reconcile_pending_after_s")) {
      if (auto v = reader_.integer(*f, 1, kDay)) sales.reconcile_pending_after_s = *v;
    }
    if (auto* f = m->find("idempotency_key_ttl_s")) {
      // Clients retry for up to a day (Stripe keeps keys 24 h); shorter would replay charges.
      if (auto v = reader_.integer(*f, kDay, 30 * kDay)) sales.idempotency_key_ttl_s = *v;
    }
    if (auto* f = m->find("max_held_per_buyer")) {
      if (auto v = reader_.integer(*f, 1, 100000)) sales.max_held_per_buyer = *v;
    }
    if (auto* f = m->find("in_flight_takeover_s")) {
      if (auto v = reader_.integer(*f, 5, 3600)) sales.in_flight_takeover_s = *v;
    }
  }

  void read_jobs(const Field& field) {
    auto m = reader_.mapping(field, kJobsKeys);
    if (!m) return;
    auto& jobs = settings_.jobs;
    if (auto* f = m->find("workers")) {
      if (auto v = reader_.integer(*f, 0, 64)) jobs.workers = static_cast<int>(*v);
    }
    if (auto* f = m->find("poll_interval_ms")) {
      if (auto v = reader_.integer(*f, 10, 60000)) jobs.poll_interval_ms = *v;
    }
    if (auto* f = m->find("lease_s")) {
      if (auto v = reader_.integer(*f, 1, kDay)) jobs.lease_s = *v;
    }
    if (auto* f = m->find("max_attempts")) {
      if (auto v = reader_.integer(*f, 1, 100)) jobs.max_attempts = static_cast<int>(*v);
    }
    if (auto* f = m->find("scheduler_interval_s")) {
      if (auto v = reader_.integer(*f, 1, 3600)) jobs.scheduler_interval_s = *v;
    }
  }

  // tax: retención en la fuente on prizes. Present = enabled; uvt needs at least one year.
  void read_tax(const Field& field) {
    auto m = reader_.mapping(field, kTaxKeys);
    if (!m) return;
    auto& tax = settings_.tax;
    tax.enabled = true;
    settings_.tax_uvt_location = location_of(field);
    reader_.require(*m, {"uvt"});
    if (auto* f = m->find("rate_bp")) {
      if (auto v = reader_.integer(*f, 0, 10000)) tax.rate_bp = static_cast<int>(*v);
    }
    if (auto* f = m->find("threshold_uvt")) {
      if (auto v = reader_.integer(*f, 0, 1000000)) tax.threshold_uvt = static_cast<int>(*v);
    }
    const Field* uvt = m->find("uvt");
    if (!uvt) return;
    settings_.tax_uvt_location = location_of(*uvt);
    auto years = reader_.mapping(*uvt, kAny, "year");
    if (!years) return;
    if (years->fields.empty()) reader_.error(*uvt, "expected at least one year: pesos (e.g. 2026: 52374)");
    for (const auto& year : years->fields) {
      int number = 0;
      const bool digits = year.key.size() == 4 &&
                          std::all_of(year.key.begin(), year.key.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (digits) number = std::stoi(year.key);
      if (!digits || number < 2000 || number > 2200) {
        reader_.error_at_key(year, "expected a year (2000..2200) as the key, got '" + year.key + "'");
        continue;
      }
      if (auto v = reader_.integer(year, 1, 100000000)) tax.uvt_pesos_by_year[number] = *v;
    }
  }

  SourceLocation location_of(const Field& field) const {
    const YAML::Mark mark = field.key_node.IsDefined() ? field.key_node.Mark() : field.value.Mark();
    return SourceLocation{reader_.file(), mark.line + 1, mark.column + 1};
  }

  // Habeas data (Ley 1581 de 2012, issue 15): the data policy version sign-ups consent to, and how
  // many days an inactive jugador's personal data is kept (0 = no retention job).
  void read_datos_personales(const Field& field) {
    auto m = reader_.mapping(field, kDatosPersonalesKeys);
    if (!m) return;
    auto& datos = settings_.datos_personales;
    if (auto* f = m->find("politica_version")) {
      if (auto v = reader_.string(*f)) datos.politica_version = *v;
    }
    if (auto* f = m->find("retencion_inactivos_dias")) {
      if (auto v = reader_.integer(*f, 0, 100 * 366)) datos.retencion_inactivos_dias = *v;
    }
  }

  void read_payouts(const Field& field) {
    auto m = reader_.mapping(field, kPayoutsKeys);
    if (!m) return;
    if (auto* f = m->find("approval_threshold_cents")) {
      if (auto v = reader_.integer(*f, 0, int64_t{1} << 53)) settings_.payouts.approval_threshold_cents = *v;
    }
  }

  void read_audit(const Field& field) {
    auto m = reader_.mapping(field, kAuditKeys);
    if (!m) return;
    auto& audit = settings_.audit;
    bool warn_given = false;
    if (auto* f = m->find("seal_interval_ms")) {
      if (auto v = reader_.integer(*f, 10, 3600 * 1000)) audit.seal_interval_ms = *v;
    }
    if (auto* f = m->find("unsealed_warn_ms")) {
      if (auto v = reader_.integer(*f, 1, 24 * 3600 * 1000)) {
        audit.unsealed_warn_ms = *v;
        warn_given = true;
      }
    }
    if (!warn_given) audit.unsealed_warn_ms = 10 * audit.seal_interval_ms;
  }

  void read_database(const Field& field) {
    auto m = reader_.mapping(field, kDatabaseKeys);
    if (!m) return;
    reader_.require(*m, {"url"});
    auto& database = settings_.database;
    if (auto* f = m->find("url")) {
      if (auto v = reader_.string(*f)) {
        // The URL is not echoed: it may hold a password expanded from the environment.
        // postgres:// too: libpq and storage::parse_database_url take it as a synonym.
        if (v->rfind("sqlite3://", 0) == 0 || v->rfind("postgresql://", 0) == 0 || v->rfind("postgres://", 0) == 0) {
          database.url = *v;
        } else {
          reader_.error(*f,
                        "unsupported database URL (expected sqlite3://PATH or "
                        "postgresql://USER:PASSWORD@HOST:PORT/DBNAME)");
        }
      }
    }
    if (auto* f = m->find("pool_size")) {
      if (auto v = reader_.integer(*f, 1, kMaxPoolSize)) database.pool_size = static_cast<int>(*v);
    }
    if (auto* f = m->find("migrate_on_start")) {
      if (auto v = reader_.boolean(*f)) database.migrate_on_start = *v;
    }
    if (auto* f = m->find("seed")) {
      if (auto v = reader_.string(*f)) database.seed_dir = resolve_relative(settings_.base_dir, *v);
    }
  }

  void read_secrets(const Field& field) {
    auto m = reader_.mapping(field, kAny);
    if (!m) return;
    for (const auto& f : m->fields) {
      if (auto v = reader_.string(f)) settings_.secrets[f.key] = *v;
    }
  }

  void read_logging(const Field& field) {
    auto m = reader_.mapping(field, kLoggingKeys);
    if (!m) return;
    if (auto* f = m->find("level")) {
      if (auto v = reader_.one_of(*f, kLogLevels)) settings_.logging.level = *v;
    }
    if (auto* f = m->find("format")) {
      if (auto v = reader_.one_of(*f, kLogFormats)) settings_.logging.format = *v;
    }
  }

  void read_plugins(const Field& field) {
    auto m = reader_.mapping(field, kPluginsKeys);
    if (!m) return;
    reader_.require(*m, {"instances"});
    std::vector<fs::path> configured;
    if (auto* f = m->find("search_path")) {
      if (auto v = reader_.string_list(*f)) configured.assign(v->begin(), v->end());
    }
    settings_.plugins.search_path = plugin_search_path(env_, configured, settings_.base_dir);
    if (auto* f = m->find("http")) read_http(*f);
    if (auto* f = m->find("instances")) read_instances(*f);
  }

  void read_http(const Field& field) {
    auto m = reader_.mapping(field, kHttpKeys);
    if (!m) return;
    auto& http = settings_.plugins.http;
    if (auto* f = m->find("timeout_ms")) {
      if (auto v = reader_.integer(*f, 1, kMaxTimeoutMs)) http.timeout_ms = static_cast<uint32_t>(*v);
    }
    if (auto* f = m->find("retries")) {
      if (auto v = reader_.integer(*f, 0, kMaxRetries)) http.retries = static_cast<int>(*v);
    }
    if (auto* f = m->find("egress_allow")) {
      if (auto items = reader_.list(*f, "a list of host names or globs")) {
        for (const auto& item : *items) {
          auto glob = reader_.string(item);
          if (!glob) continue;
          if (is_egress_glob(*glob)) {
            http.egress_allow.push_back(*glob);
          } else {
            reader_.error(item, "expected a host name or a glob like '*.baloto.com' (no scheme, port or path), got '" +
                                    *glob + "'");
          }
        }
      }
    }
    if (auto* f = m->find("fixtures_dir")) {
      if (auto v = reader_.string(*f)) http.fixtures_dir = resolve_relative(settings_.base_dir, *v);
    }
    if (auto* f = m->find("mode")) {
      if (auto v = reader_.one_of(*f, kModes)) {
        http.mode = mode_from(*v);
        if (http.mode != TransportMode::kLive && !m->find("fixtures_dir")) {
          reader_.error(*f, "mode '" + *v + "' needs fixtures_dir (the folder of recorded exchanges)");
        }
      }
    }
  }

  void read_instances(const Field& field) {
    auto m = reader_.mapping(field, kAny, "instance id");
    if (!m) return;
    for (const auto& f : m->fields) {
      instance_ids_.push_back(f.key);
      InstanceEntry& entry = instances_[f.key];
      entry.mark = f.key_node.Mark();
      if (!is_instance_id(f.key)) {
        reader_.error_at_key(f, "invalid instance id '" + f.key + "' (use lowercase letters, digits, '_' and '-')");
      }
      auto body = reader_.mapping(f, kInstanceKeys);
      if (!body) continue;
      reader_.require(*body, {"library", "kind"});
      PluginInstanceSettings instance;
      instance.id = f.key;
      instance.location = {reader_.file(), f.key_node.Mark().line + 1, f.key_node.Mark().column + 1};
      if (auto* lib = body->find("library")) {
        if (auto v = reader_.string(*lib)) {
          instance.library = *v;
          instance.resolved_library_path =
              resolve_plugin_library(*v, settings_.plugins.search_path, settings_.base_dir);
        }
      }
      if (auto* kind = body->find("kind")) {
        if (auto v = reader_.one_of(*kind, kKinds)) {
          instance.kind = kind_from(*v);
          entry.kind = instance.kind;
        }
      }
      if (auto* config = body->find("config")) {
        if (!config->value.IsNull() && !config->value.IsMap()) {
          reader_.error(*config, "expected a mapping (the plugin's own settings), got " + describe_node(config->value));
        } else if (auto json = reader_.json(*config)) {
          instance.config = json->is_null() ? nlohmann::json::object() : std::move(*json);
        }
      }
      settings_.plugins.instances.push_back(std::move(instance));
    }
  }

  void read_bindings(const Field& field) {
    auto m = reader_.mapping(field, kBindingsKeys);
    if (!m) return;
    reader_.require(*m, {"defaults"});
    auto& bindings = settings_.bindings;
    if (auto* f = m->find("defaults")) {
      if (auto slots = reader_.mapping(*f, kSlotKeys)) {
        reader_.require(*slots, kSlotKeys);
        const BindingOverride read = read_slots(*slots);
        bindings.defaults.lottery = read.lottery.value_or("");
        bindings.defaults.payment = read.payment.value_or("");
        bindings.defaults.notifiers = read.notifiers.value_or(std::vector<std::string>{});
      }
    }
    if (auto* f = m->find("categorias")) {
      if (auto categorias = reader_.mapping(*f, kAny, "categoria")) {
        for (const auto& c : categorias->fields) {
          if (auto slots = reader_.mapping(c, kSlotKeys)) bindings.categorias[c.key] = read_slots(*slots);
        }
      }
    }
    if (auto* f = m->find("rifas")) {
      if (auto rifas = reader_.mapping(*f, kAny, "rifa id")) {
        for (const auto& r : rifas->fields) {
          if (!is_uuid(r.key)) {
            reader_.error_at_key(
                r, "invalid rifa id '" + r.key + "' (expected a UUID like 6f1c2b9e-0d4a-4c1e-9f3b-2a7d5e8c1b40)");
            continue;
          }
          if (auto slots = reader_.mapping(r, kSlotKeys)) bindings.rifas[lowercase(r.key)] = read_slots(*slots);
        }
      }
    }
  }

  BindingOverride read_slots(const Mapping& slots) {
    BindingOverride out;
    if (auto* f = slots.find("lottery")) out.lottery = read_reference(*f, PluginKind::kLottery);
    if (auto* f = slots.find("payment")) out.payment = read_reference(*f, PluginKind::kPayment);
    if (auto* f = slots.find("notifiers")) {
      if (auto items = reader_.list(*f, "a list of notifier instance ids")) {
        std::vector<std::string> notifiers;
        for (const auto& item : *items) {
          auto id = read_reference(item, PluginKind::kNotifier);
          if (!id) continue;
          if (std::find(notifiers.begin(), notifiers.end(), *id) != notifiers.end()) {
            reader_.error(item, "instance '" + *id + "' is listed twice");
            continue;
          }
          notifiers.push_back(*id);
        }
        out.notifiers = std::move(notifiers);
      }
    }
    return out;
  }

  std::optional<std::string> read_reference(const Field& field, PluginKind slot) {
    auto id = reader_.string(field);
    if (id) references_.push_back({field, slot, *id});
    return id;
  }

  void check_binding_references() {
    for (const auto& ref : references_) {
      auto it = instances_.find(ref.instance);
      if (it == instances_.end()) {
        const std::string note = instance_ids_.empty() ? "(no plugin instances are defined)"
                                                       : suggestion_note(ref.instance, instance_ids_, "instances");
        reader_.error(ref.field, "unknown plugin instance '" + ref.instance + "' " + note);
        continue;
      }
      const auto& kind = it->second.kind;
      if (kind && *kind != ref.slot) {
        reader_.error(ref.field, "instance '" + ref.instance + "' is a " + kind_name(*kind) +
                                     " plugin (plugins.instances." + ref.instance + " at line " +
                                     std::to_string(it->second.mark.line + 1) + "), but this slot needs a " +
                                     kind_name(ref.slot) + " plugin");
      }
    }
  }

  YamlReader& reader_;
  Settings& settings_;
  const Environment& env_;
  std::vector<std::string> instance_ids_;  // file order, for "did you mean"
  std::map<std::string, InstanceEntry> instances_;
  std::vector<BindingReference> references_;
};

}  // namespace

LoadResult load_settings_text(std::string_view yaml, std::string display_name, const fs::path& base_dir,
                              const Environment& env) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    return LoadResult(std::vector<ConfigError>{
        {display_name, e.mark.line + 1, e.mark.column + 1, "", "YAML syntax error: " + e.msg}});
  }
  YamlReader reader(display_name, env);
  if (documents.size() > 1) {
    reader.error(documents[1].Mark(), "", "expected one YAML document, found " + std::to_string(documents.size()));
    return LoadResult(reader.take_errors());
  }
  Settings settings;
  settings.config_file = display_name;
  settings.base_dir = base_dir;
  SettingsLoader loader(reader, settings, env);
  loader.load(documents.empty() ? YAML::Node() : documents.front());
  if (reader.has_errors()) return LoadResult(reader.take_errors());
  return LoadResult(std::move(settings));
}

LoadResult load_settings_file(const fs::path& file, const Environment& env) {
  const std::string name = file.string();
  auto fail = [&](std::string message) {
    return LoadResult(std::vector<ConfigError>{{name, 0, 0, "", "cannot read the config file: " + message}});
  };
  std::error_code ec;
  // exists() leaves ec clear for a plain "not there" and sets it for e.g. a folder we may not search.
  if (!fs::exists(file, ec)) return fail(ec ? ec.message() : "no such file");
  if (fs::is_directory(file, ec)) return fail("it is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return fail(std::strerror(errno));
  const fs::path base_dir = fs::absolute(file, ec).parent_path().lexically_normal();
  auto result = load_settings_text(text.str(), name, base_dir, env);
  if (result.ok()) result.settings().config_file = file;
  return result;
}

}  // namespace rifa::settings
