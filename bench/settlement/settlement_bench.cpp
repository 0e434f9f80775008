// Settling 100 rifas × 10,000 sold tickets (draw taken from the mock lottery plugin, prize rules
// applied, ganadores written, winning tickets marked, payouts and notifications enqueued), then
// paying the prizes through the sandbox payment plugin: time and rows/s, on SQLite and, when
// RIFA_BENCH_POSTGRES_URL names a server's admin database, on PostgreSQL. Not a test: it prints.
//
//   settlement_bench [rifas] [tickets_per_rifa]        (defaults 100 and 10000)
//   RIFA_BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres settlement_bench
// bench/settlement/run.sh starts a throwaway PostgreSQL and runs both.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "app/payout_jobs.hpp"
#include "engine/clock.hpp"
#include "engine/jobs/job_queue.hpp"
#include "storage/sql_job_queue.hpp"
#include "jobs/job_runner.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/settings.hpp"
#include "plugin_runtime/plugin_lottery_gateway.hpp"
#include "engine/settlement/settlement_service.hpp"
#include "storage/database.hpp"
#include "storage/database_url.hpp"
#include "storage/migrations.hpp"
#include "storage/repositories/sql_rifa_repository.hpp"
#include "storage/repositories/sql_settlement_repository.hpp"
#include "storage/sha256.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace rifa;

std::shared_ptr<spdlog::logger> quiet(const std::string& name) {
  return std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::null_sink_mt>());
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

template <typename T>
T must(Result<T> r, const std::string& what) {
  if (!r) {
    std::cerr << "settlement_bench: " << what << ": " << r.error().message << "\n";
    std::exit(1);
  }
  return std::move(*r);
}
void must(Result<void> r, const std::string& what) {
  if (!r) {
    std::cerr << "settlement_bench: " << what << ": " << r.error().message << "\n";
    std::exit(1);
  }
}

long long count(storage::Database& db, const std::string& sql_text) {
  return must(db.transaction(
                  [&](soci::session& sql) {
                    long long v = 0;
                    sql << sql_text, soci::into(v);
                    return v;
                  },
                  storage::TransactionMode::kRead),
              sql_text);
}

// Loads `rifas` cerrada rifas (draw date in the past, so the mock has published it), each with
// every ticket sold. Returns the rifa ids.
std::vector<std::string> load(storage::Database& db, int rifas, int tickets) {
  const std::string categoria = storage::name_based_uuid("bench-categoria");
  const std::string loteria = storage::name_based_uuid("bench-loteria");
  const int width = static_cast<int>(std::to_string(tickets - 1).size());
  const json reglas = {
      {"tiers",
       {{{"name", "mayor"}, {"match", {{"field", "numero"}, {"digits", "last"}, {"count", width}}}, {"share_bp", 7000}},
        {{"name", "seco"},
         {"match", {{"field", "numero"}, {"digits", "first"}, {"count", width}}},
         {"share_bp", 2000}}}},
      {"unsold", "house"}};
  const std::string reglas_text = reglas.dump();
  // User ids end in the user's index (8 hex digits), as ticket ids end in their numero, so SQL can
  // name the owner of ticket n (user n % 1000) while it makes the tickets set-wise.
  const std::string user_prefix = storage::ticket_id_prefix("bench-users", "0");
  const storage::Backend backend = db.backend();
  const bool pg = backend == storage::Backend::kPostgresql;
  std::vector<std::string> users;
  must(db.transaction([&](soci::session& sql) {
    sql << "INSERT INTO categoria_rifa (id, nombre, valor_boleta, rake_bp) VALUES (:id, 'Bench', 2000, 2500)",
        soci::use(categoria);
    sql << "INSERT INTO loterias (id, nombre, frecuencia, plugin_instance) VALUES (:id, 'Mock', 'diaria', 'mock')",
        soci::use(loteria);
    for (int u = 0; u < 1000; ++u) {
      char hex[9];
      std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(u));
      users.push_back(user_prefix + hex);
      const std::string email = "bench" + std::to_string(u) + "@example.com";
      sql << "INSERT INTO users (id, nombre, email, hashed_password) VALUES (:id, 'Jugador', :email, 'x')",
          soci::use(users.back()), soci::use(email);
    }
  }),
       "load users");
  std::vector<std::string> ids;
  for (int r = 0; r < rifas; ++r) {
    const std::string id = storage::name_based_uuid("bench-rifa-" + std::to_string(r));
    ids.push_back(id);
    must(db.transaction([&](soci::session& sql) {
      const std::string nombre = "Rifa " + std::to_string(r);
      sql << "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, estado, reglas, "
             "total_boletas, fecha_sorteo) VALUES (:id, :nombre, :categoria, :loteria, "
             "'2026-01-01T00:00:00.000Z', '2026-01-10T05:00:00.000Z', 'cerrada', :reglas, :total, '2026-01-10')",
          soci::use(id), soci::use(nombre), soci::use(categoria), soci::use(loteria), soci::use(reglas_text),
          soci::use(tickets);
      // One statement per rifa, made set-wise (as storage::insert_tickets makes a new rifa's).
      const std::string prefix = storage::ticket_id_prefix(id, "bench");
      const int last = tickets - 1;
      const std::string numeros =
          pg ? "generate_series(0, CAST(:last AS INTEGER)) AS s(n)"
             : "(WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < :last) SELECT n FROM s) AS s";
      sql << "INSERT INTO tickets (id, rifa_id, numero, precio, estado, usuario_id) SELECT " +
                 storage::ticket_id_sql(backend, pg ? "CAST(:prefix AS TEXT)" : ":prefix", "n") +
                 ", :rifa, n, 2000, 'vendido', " +
                 storage::ticket_id_sql(backend, pg ? "CAST(:user_prefix AS TEXT)" : ":user_prefix", "n % 1000") +
                 " FROM " + numeros,
          soci::use(prefix), soci::use(id), soci::use(user_prefix), soci::use(last);
    }),
         "load rifa " + id);
  }
  return ids;
}

void run(const std::string& label, const std::string& url, int rifas, int tickets, const fs::path& work) {
  auto parsed = must(storage::parse_database_url(url, work), "database url");
  auto db = must(storage::Database::open(parsed, 4), "open " + label);
  must(storage::MigrationRunner(*db, RIFA_MIGRATIONS_DIR).apply_all(), "migrations");

  auto t0 = Clock::now();
  const auto ids = load(*db, rifas, tickets);
  const double load_s = seconds_since(t0);
  const long long loaded_rows = static_cast<long long>(rifas) * (tickets + 1);

  settings::Settings settings;
  settings.bindings.defaults = {"mock", "sandbox", {"log"}};
  settings.jobs.max_attempts = 3;
  plugin_runtime::PluginRegistry plugins;
  const auto add = [&](const std::string& id, const char* library, rifa_plugin_kind kind, json config) {
    plugin_runtime::HostServices s;
    s.logger = quiet("plugin." + id);
    s.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    must(plugins.add({id, fs::path(RIFA_PLUGIN_DIR) / library, kind, std::move(config)}, s), "plugin " + id);
  };
  add("mock", "liblottery_mock.so", RIFA_KIND_LOTTERY, {{"seed", "bench"}});
  add("sandbox", "libpayment_sandbox.so", RIFA_KIND_PAYMENT,
      {{"webhook_secret", "bench-sandbox-secret-0123456789"},
       {"state_file", (work / (label + "-sandbox.jsonl")).string()}});
  add("log", "libnotifier_log.so", RIFA_KIND_NOTIFIER, json::object());

  engine::SystemClock clock;
  storage::SqlSettlementRepository repo(*db, clock);
  plugin_runtime::PluginLotteryGateway lotteries(plugins);
  settlement::SettlementService service(repo, &lotteries, settings::notifier_resolver(settings.bindings), clock,
                                        quiet("settlement"), nullptr);

  const long long jobs_before = count(*db, "SELECT count(*) FROM jobs");
  const long long audit_before = count(*db, "SELECT count(*) FROM audit_log");
  t0 = Clock::now();
  for (const auto& id : ids) {
    auto outcome = must(service.settle(id), "settle " + id);
    if (outcome.status != settlement::SettleStatus::kSettled) {
      std::cerr << "settlement_bench: rifa " << id << ": " << settlement::to_string(outcome.status) << ": "
                << outcome.message << "\n";
      std::exit(1);
    }
  }
  const double settle_s = seconds_since(t0);
  const long long ganadores = count(*db, "SELECT count(*) FROM ganadores");
  const long long marked = count(*db, "SELECT count(*) FROM tickets WHERE estado = 'ganador'");
  const long long draws = count(*db, "SELECT count(*) FROM resultados_sorteo");
  const long long jobs = count(*db, "SELECT count(*) FROM jobs") - jobs_before;
  const long long payouts_queued = count(*db, "SELECT count(*) FROM jobs WHERE kind = 'payout.send'");
  const long long audit = count(*db, "SELECT count(*) FROM audit_log") - audit_before;
  // Written: draws, ganadores, tickets marked, rifas moved on, jobs, audit rows.
  const long long written = draws + ganadores + marked + rifas + jobs + audit;
  const long long scanned = static_cast<long long>(rifas) * tickets;

  // Then the payouts (and their notifications) through the job queue and the sandbox plugin.
  storage::SqlJobQueue queue(*db, [] { return std::chrono::system_clock::now(); });
  jobs::RunnerOptions options;
  options.owner = "bench";
  jobs::JobRunner runner(queue, options, quiet("jobs"));
  app::register_payout_jobs(runner, *db, settings, plugins);
  t0 = Clock::now();
  const int ran = runner.drain();
  const double pay_s = seconds_since(t0);
  const long long paid = count(*db, "SELECT count(*) FROM payouts WHERE estado = 'enviado'");

  std::printf("%-10s load   %lld rows (rifas + sold tickets) in %.2f s = %.0f rows/s\n", label.c_str(), loaded_rows,
              load_s, loaded_rows / load_s);
  std::printf(
      "%-10s settle %d rifas x %d sold tickets in %.3f s = %.1f rifas/s, %.0f tickets scanned/s; "
      "%lld rows written (%lld ganadores, %lld payouts + %lld other jobs enqueued, %lld audit) = %.0f rows/s\n",
      label.c_str(), rifas, tickets, settle_s, rifas / settle_s, scanned / settle_s, written, ganadores, payouts_queued,
      jobs - payouts_queued, audit, written / settle_s);
  std::printf("%-10s pay    %lld payouts sent (%d jobs run incl. notifications) in %.3f s = %.1f payouts/s\n",
              label.c_str(), paid, ran, pay_s, paid / pay_s);
  if (paid != payouts_queued) {
    std::cerr << "settlement_bench: " << payouts_queued << " payouts queued but " << paid << " sent\n";
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int rifas = argc > 1 ? std::atoi(argv[1]) : 100;
  const int tickets = argc > 2 ? std::atoi(argv[2]) : 10000;
  if (rifas < 1 || tickets < 2) {
    std::cerr << "usage: settlement_bench [rifas >= 1] [tickets_per_rifa >= 2]\n";
    return 64;
  }
  spdlog::set_level(spdlog::level::warn);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as each phase ends, also when piped
  const fs::path work = fs::temp_directory_path() / ("rifa-settlement-bench-" + std::to_string(::getpid()));
  fs::create_directories(work);

  run("sqlite", "sqlite3://" + (work / "bench.db").string(), rifas, tickets, work);

  if (const char* admin = std::getenv("RIFA_BENCH_POSTGRES_URL"); admin && *admin) {
    const std::string name = "rifa_bench_" + std::to_string(::getpid());
    auto admin_url = must(storage::parse_database_url(admin, work), "RIFA_BENCH_POSTGRES_URL");
    {
      auto admin_db = must(storage::Database::open(admin_url, 1), "open PostgreSQL admin database");
      must(admin_db->execute("CREATE DATABASE " + name), "create database");
    }
    std::string url = admin;
    url = url.substr(0, url.rfind('/') + 1) + name;
    run("postgresql", url, rifas, tickets, work);
    auto admin_db = must(storage::Database::open(admin_url, 1), "open PostgreSQL admin database");
    must(admin_db->execute("DROP DATABASE " + name + " WITH (FORCE)"), "drop database");
  } else {
    std::printf("postgresql skipped: set RIFA_BENCH_POSTGRES_URL (an admin URL), or use bench/settlement/run.sh\n");
  }
  fs::remove_all(work);
  return 0;
}
