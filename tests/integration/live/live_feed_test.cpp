// The live feed, GET /api/v1/rifas/{id}/live (issue 14 item 4), over real sockets: the real server,
// router, services, repositories and the backend's change source (SQLite commit hooks, PostgreSQL
// LISTEN/NOTIFY), with the real payment_sandbox and lottery_mock plugins. WebSockets through the
// `ws` npm package (live_ws_client.js), Server-Sent Events through a plain socket here.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <iterator>
#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>

#include <spdlog/sinks/null_sink.h>

#include "app/http_routes.hpp"
#include "engine/iso_time.hpp"
#include "engine/settlement/draw_timing.hpp"
#include "jobs/job_runner.hpp"
#include "jobs/settlement_scheduler.hpp"
#include "sales_fixture.hpp"
#include "storage/sql_job_queue.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string draw_date() { return settlement::bogota_date(std::chrono::system_clock::now() + std::chrono::hours(26)); }

// One prize for the number whose digits match the draw's last ones (as many as the rifa's numbers have).
json reglas_for(int total) {
  const int digits = static_cast<int>(std::to_string(std::max(total - 1, 1)).size());
  return {{"tiers",
           {{{"name", "mayor"},
             {"match", {{"field", "numero"}, {"digits", "last"}, {"count", digits}}},
             {"share_bp", 10000}}}},
          {"unsold", "house"}};
}

int connect_to(uint16_t port, int rcvbuf = 0) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (rcvbuf > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

struct SseEvent {
  std::string id;
  std::string event;
  json data;
};

// A text/event-stream client over a plain socket: the head, then one event at a time.
class SseClient {
 public:
  SseClient(uint16_t port, const std::string& path, const std::vector<std::string>& headers = {}) {
    fd_ = connect_to(port);
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& h : headers) req += h + "\r\n";
    req += "\r\n";
    [[maybe_unused]] auto n = ::send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (buf_.find("\r\n\r\n") == std::string::npos && fill(deadline)) {}
    const auto end = buf_.find("\r\n\r\n");
    if (end == std::string::npos) return;
    head_ = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    if (head_.size() > 12) status_ = std::stoi(head_.substr(9, 3));
  }
  ~SseClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  int status() const { return status_; }
  const std::string& head() const { return head_; }
  const std::string& body() const { return buf_; }  // what came after the head (a refusal's JSON)
  bool closed() const { return closed_; }

  std::optional<SseEvent> next(std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto end = buf_.find("\n\n");
      if (end != std::string::npos) {
        std::string block = buf_.substr(0, end);
        buf_.erase(0, end + 2);
        SseEvent e;
        bool any = false;
        size_t start = 0;
        while (start < block.size()) {
          size_t nl = block.find('\n', start);
          if (nl == std::string::npos) nl = block.size();
          const std::string line = block.substr(start, nl - start);
          start = nl + 1;
          if (line.rfind("id: ", 0) == 0) e.id = line.substr(4);
          if (line.rfind("event: ", 0) == 0) e.event = line.substr(7);
          if (line.rfind("data: ", 0) == 0) {
            e.data = json::parse(line.substr(6));
            any = true;
          }
        }
        if (any) return e;
        continue;  // a comment (keep-alive) or retry:
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }

  // Events until `pred` holds for one (returned) or the timeout.
  template <typename Pred>
  std::optional<SseEvent> until(Pred pred, std::chrono::milliseconds timeout = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto e = next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
      if (!e) return std::nullopt;
      seen.push_back(*e);
      if (pred(*e)) return e;
    }
    return std::nullopt;
  }

  std::vector<SseEvent> seen;

 private:
  bool fill(std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || fd_ < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char tmp[65536];
    const auto n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  int status_ = 0;
  bool closed_ = false;
  std::string head_;
  std::string buf_;
};

// The public grid as the events describe it: numero → estado (disponible ones absent).
struct Grid {
  std::map<int64_t, std::string> cells;
  std::string estado;
  std::vector<int64_t> ganadores;
  void apply(const json& m) {
    const std::string type = m.value("type", "");
    if (type == "snapshot") {
      cells.clear();
      estado = m["estado"];
      ganadores = m["ganadores"].get<std::vector<int64_t>>();
      for (const char* name : {"vendido", "reservado", "anulado"}) {
        for (const auto& r : m[name]) {
          for (int64_t n = r[0]; n <= r[1].get<int64_t>(); ++n) cells[n] = name;
        }
      }
    } else if (type == "tickets") {
      for (int64_t n : m["numeros"]) {
        if (m["estado"] == "disponible") {
          cells.erase(n);
        } else {
          cells[n] = m["estado"];
        }
      }
    } else if (type == "rifa") {
      estado = m["estado"];
    } else if (type == "ganadores") {
      ganadores = m["numeros"].get<std::vector<int64_t>>();
    }
  }
  std::vector<int64_t> with(const std::string& e) const {
    std::vector<int64_t> out;
    for (const auto& [n, v] : cells) {
      if (v == e) out.push_back(n);
    }
    return out;
  }
};

class LiveFeedTest : public SalesApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    SalesApiTest::configure_api(options);
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin.mock", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    const json config = {{"seed", "live"}, {"scripted", {{draw_date(), {"ok"}}}}};
    auto added = plugins_->add(
        {"mock", std::filesystem::path(RIFA_PLUGIN_DIR) / "liblottery_mock.so", RIFA_KIND_LOTTERY, config}, services);
    ASSERT_TRUE(added.ok()) << added.error().message;
    options.bindings.defaults.lottery = "mock";
    options.live.stream.max_queued_frames = max_queued_frames_;
    options.live.stream.max_queued_bytes = max_queued_bytes_;
    options.live.max_subscribers = max_subscribers_;
    options.live.max_subscribers_per_ip = max_per_ip_;
    options_ = options;
  }
  void configure_server(api::ServerOptions& options) override { options.workers = workers_; }

  std::string open_rifa(int total = 100) {
    if (!categorias_.count("Oro")) categorias_["Oro"] = create_categoria("Oro", 5000);
    if (loteria_id_.empty()) loteria_id_ = create_loteria("Mock", "mock");
    categoria_id_ = categorias_["Oro"];
    const auto now = std::chrono::system_clock::now();
    auto rifa = create_rifa({{"fecha_inicio", engine::format_iso_time(now - std::chrono::hours(1))},
                             {"fecha_fin", engine::format_iso_time(now + std::chrono::hours(1))},
                             {"fecha_sorteo", draw_date()},
                             {"total_boletas", total},
                             {"reglas", reglas_for(total)}});
    const std::string id = rifa.value("id", "");
    EXPECT_EQ(call("PATCH", "/api/v1/rifas/" + id, json{{"estado", "activa"}}, admin_.token).status, 200);
    return id;
  }

  int settle_jobs() {
    storage::SqlJobQueue queue(test_db_->db(),
                               [] { return std::chrono::system_clock::now() + std::chrono::hours(72); });
    jobs::JobRunner runner(queue, jobs::RunnerOptions{"live-test", 1},
                           std::make_shared<spdlog::logger>("jobs", std::make_shared<spdlog::sinks::null_sink_mt>()));
    settlement::register_settlement_jobs(runner, wiring_->settlement());
    return runner.drain();
  }

  std::string live_path(const std::string& rifa) const { return "/api/v1/rifas/" + rifa + "/live"; }
  uint16_t port() const { return server_->port(); }

  // 40 changes of 50,000 numbers each (too many to list: each is a fresh snapshot of 50,000
  // ranges, ~600 kB), each seen through `reader` before the next; `grid` ends as the server's.
  void churn(const std::string& id, SseClient& reader, Grid& grid) {
    for (int round = 0; round < 40; ++round) {
      exec("UPDATE tickets SET estado = '" + std::string(round % 2 ? "disponible" : "vendido") + "' WHERE rifa_id = '" +
           id + "' AND numero % 2 = 0");
      auto e = reader.until([&](const SseEvent& ev) {
        grid.apply(ev.data);
        return ev.data.value("vendidos", -1) == (round % 2 ? 0 : 50000);
      });
      ASSERT_TRUE(e) << "round " << round << ": the reading subscriber fell behind";
    }
    EXPECT_EQ(grid.cells, db_grid(id));
  }
  // numero → estado of the rifa's taken tickets, from the database (ganador counts as vendido).
  std::map<int64_t, std::string> db_grid(const std::string& rifa) {
    std::map<int64_t, std::string> out;
    auto read = test_db_->db().transaction([&](soci::session& sql) {
      soci::rowset<soci::row> rows = (sql.prepare << "SELECT CAST(numero AS TEXT), estado FROM tickets WHERE "
                                                     "rifa_id = :id AND estado <> 'disponible'",
                                      soci::use(rifa));
      for (const auto& row : rows) {
        std::string e = row.get<std::string>(1);
        out[std::stoll(row.get<std::string>(0))] = e == "ganador" ? "vendido" : e;
      }
    });
    EXPECT_TRUE(read.ok());
    return out;
  }
  std::vector<int64_t> db_winners(const std::string& rifa) {
    std::vector<int64_t> out;
    auto read = test_db_->db().transaction([&](soci::session& sql) {
      soci::rowset<soci::row> rows = (sql.prepare << "SELECT CAST(t.numero AS TEXT) FROM ganadores g JOIN tickets t "
                                                     "ON t.id = g.ticket_id WHERE t.rifa_id = :id ORDER BY t.numero",
                                      soci::use(rifa));
      for (const auto& row : rows) out.push_back(std::stoll(row.get<std::string>(0)));
    });
    EXPECT_TRUE(read.ok());
    return out;
  }

  size_t max_queued_frames_ = 512;
  size_t max_queued_bytes_ = size_t{8} << 20;
  size_t max_subscribers_ = 10000;
  size_t max_per_ip_ = 1000;
  int workers_ = 4;
  app::ApiWiringOptions options_;
};

// --- Server-Sent Events -----------------------------------------------------------------------

TEST_F(LiveFeedTest, SseSendsTheSnapshotThenTheDeltasOfEveryPurchase) {
  const std::string id = open_rifa(100);
  auto early = register_jugador("early@example.com");
  ASSERT_EQ(buy(early, id, 3, "k-0").status, 201);

  SseClient sse(port(), live_path(id));
  ASSERT_EQ(sse.status(), 200) << sse.head();
  EXPECT_NE(sse.head().find("text/event-stream"), std::string::npos);
  EXPECT_NE(sse.head().find("X-Request-Id"), std::string::npos);
  auto first = sse.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->event, "snapshot");
  EXPECT_EQ(first->id, std::to_string(first->data["seq"].get<uint64_t>()));
  EXPECT_EQ(first->data["rifa_id"], id);
  EXPECT_EQ(first->data["estado"], "activa");
  EXPECT_EQ(first->data["total"], 100);
  EXPECT_EQ(first->data["vendidos"], 3);
  EXPECT_EQ(first->data["disponibles"], 97);
  EXPECT_EQ(first->data["vendido"], json::parse("[[0,2]]"));
  Grid grid;
  grid.apply(first->data);

  auto buyer = register_jugador("buyer@example.com");
  ASSERT_EQ(buy(buyer, id, 2, "k-1").status, 201);
  ASSERT_EQ(buy(buyer, id, 4, "k-2").status, 201);
  uint64_t last_seq = first->data["seq"];
  auto sold = sse.until([&](const SseEvent& e) {
    // Public frames count one by one: the buyer's private frames leave no gap here.
    EXPECT_EQ(e.data["seq"].get<uint64_t>(), last_seq + 1) << e.data.dump();
    EXPECT_EQ(e.id, std::to_string(e.data["seq"].get<uint64_t>()));
    last_seq = e.data["seq"];
    grid.apply(e.data);
    return e.event == "tickets" && e.data["vendidos"] == 9;
  });
  ASSERT_TRUE(sold) << "no delta reached vendidos 9";
  EXPECT_EQ(sold->data["disponibles"], 91);
  EXPECT_EQ(sold->data["reservados"], 0);
  // A purchase holds its numbers, then sells them: both moves are announced.
  bool saw_held = false;
  for (const auto& e : sse.seen) saw_held |= e.event == "tickets" && e.data["estado"] == "reservado";
  EXPECT_TRUE(saw_held);
  for (const auto& e : sse.seen) EXPECT_NE(e.event, "mine") << "an anonymous subscriber saw a private event";
  EXPECT_EQ(grid.cells, db_grid(id));
}

TEST_F(LiveFeedTest, SseResumesFromLastEventIdWithoutASnapshot) {
  const std::string id = open_rifa(100);
  auto buyer = register_jugador("resume@example.com");
  std::string last_id;
  Grid grid;
  {
    SseClient sse(port(), live_path(id));
    ASSERT_EQ(sse.status(), 200);
    auto snap = sse.next();
    ASSERT_TRUE(snap);
    grid.apply(snap->data);
    ASSERT_EQ(buy(buyer, id, 2, "k-1").status, 201);
    auto sold = sse.until([&](const SseEvent& e) {
      grid.apply(e.data);
      return e.data.value("vendidos", 0) == 2;
    });
    ASSERT_TRUE(sold);
    last_id = sold->id;
  }
  // Missed while away:
  ASSERT_EQ(buy(buyer, id, 3, "k-2").status, 201);
  ASSERT_EQ(buy(buyer, id, 1, "k-3").status, 201);
  // Let the feed see those commits before reconnecting (they are then in its window).
  std::this_thread::sleep_for(300ms);

  SseClient again(port(), live_path(id), {"Last-Event-ID: " + last_id});
  ASSERT_EQ(again.status(), 200);
  auto first = again.next();
  ASSERT_TRUE(first);
  EXPECT_NE(first->event, "snapshot") << "a resume within the window replays what was missed";
  grid.apply(first->data);
  if (first->data.value("vendidos", 0) != 6) {
    ASSERT_TRUE(again.until([&](const SseEvent& e) {
      EXPECT_NE(e.event, "snapshot");
      grid.apply(e.data);
      return e.data.value("vendidos", 0) == 6;
    }));
  }
  EXPECT_EQ(grid.cells, db_grid(id));

  // A Last-Event-ID outside the window (another host, an older run) gets a fresh snapshot.
  SseClient stranger(port(), live_path(id), {"Last-Event-ID: 12345"});
  auto snap = stranger.next();
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->event, "snapshot");
  EXPECT_EQ(snap->data["vendidos"], 6);
}

TEST_F(LiveFeedTest, ATokenAddsTheCallersOwnEventsAndNobodyElses) {
  const std::string id = open_rifa(100);
  auto ana = register_jugador("ana@example.com");
  auto beto = register_jugador("beto@example.com");
  SseClient ana_feed(port(), live_path(id), {"Authorization: Bearer " + ana.token});
  SseClient beto_feed(port(), live_path(id), {"Authorization: Bearer " + beto.token});
  SseClient anon(port(), live_path(id));
  ASSERT_EQ(ana_feed.status(), 200);
  ASSERT_EQ(beto_feed.status(), 200);
  ASSERT_EQ(anon.status(), 200);

  ASSERT_EQ(buy(ana, id, 2, "k-ana").status, 201);
  auto mine = ana_feed.until([](const SseEvent& e) { return e.event == "mine" && e.data["estado"] == "vendido"; });
  ASSERT_TRUE(mine) << "the buyer sees her own sale";
  EXPECT_EQ(mine->data["numeros"], json::parse("[0,1]"));
  // The others see the public deltas of the same sale, and not hers.
  auto pred = [](const SseEvent& e) { return e.event == "tickets" && e.data["vendidos"] == 2; };
  ASSERT_TRUE(beto_feed.until(pred));
  ASSERT_TRUE(anon.until(pred));
  // Beto's own purchase afterwards is the first private event he gets.
  ASSERT_EQ(buy(beto, id, 1, "k-beto").status, 201);
  auto his = beto_feed.until([](const SseEvent& e) { return e.event == "mine" && e.data["estado"] == "vendido"; });
  ASSERT_TRUE(his);
  EXPECT_EQ(his->data["numeros"], json::parse("[2]"));
  for (const auto& e : beto_feed.seen) {
    if (e.event == "mine") EXPECT_EQ(e.data["numeros"], json::parse("[2]")) << e.data.dump();
  }
  ASSERT_TRUE(anon.until([](const SseEvent& e) { return e.data.value("vendidos", 0) == 3; }));
  for (const auto& e : anon.seen) EXPECT_NE(e.event, "mine");
  ASSERT_TRUE(ana_feed.until([](const SseEvent& e) { return e.data.value("vendidos", 0) == 3; }));
  for (const auto& e : ana_feed.seen) {
    if (e.event == "mine") EXPECT_EQ(e.data["numeros"], json::parse("[0,1]")) << e.data.dump();
  }
  // Every subscriber sees the same public frames with the same seq, one by one, whoever's private
  // frames came between; a private frame has no seq, only its id "N.k" after public frame N.
  auto public_seqs = [](const SseClient& c) {
    std::vector<uint64_t> out;
    for (const auto& e : c.seen) {
      if (e.event == "mine") continue;
      out.push_back(e.data["seq"].get<uint64_t>());
      EXPECT_EQ(e.id, std::to_string(out.back()));
    }
    return out;
  };
  for (const auto* c : {&ana_feed, &beto_feed, &anon}) {
    const auto seqs = public_seqs(*c);
    ASSERT_GE(seqs.size(), 5u);  // the snapshot, two holds and two sales
    for (size_t i = 1; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], seqs[i - 1] + 1) << "a gap at " << i;
  }
  EXPECT_EQ(public_seqs(ana_feed).back(), public_seqs(anon).back());
  uint64_t last_public = 0;
  for (const auto& e : ana_feed.seen) {
    if (e.event != "mine") {
      last_public = e.data["seq"];
      continue;
    }
    EXPECT_FALSE(e.data.contains("seq")) << e.data.dump();
    const std::string id = e.data["id"];
    EXPECT_EQ(e.id, id);
    EXPECT_EQ(id.substr(0, id.find('.')), std::to_string(last_public))
        << "a private frame names the public one before it";
  }

  // A token that does not verify is refused, not taken as anonymous.
  SseClient forged(port(), live_path(id), {"Authorization: Bearer not-a-token"});
  EXPECT_EQ(forged.status(), 401);
}

TEST_F(LiveFeedTest, APrivateFrameIdResumesWithTheCallersMissedOwnEvents) {
  const std::string id = open_rifa(100);
  auto ana = register_jugador("ana-resume@example.com");
  auto beto = register_jugador("beto-resume@example.com");
  const std::string bearer = "Authorization: Bearer " + ana.token;
  std::string last_id;
  {
    SseClient feed(port(), live_path(id), {bearer});
    ASSERT_EQ(feed.status(), 200);
    ASSERT_EQ(buy(ana, id, 2, "k-a1").status, 201);
    auto sold = feed.until([](const SseEvent& e) { return e.event == "mine" && e.data["estado"] == "vendido"; });
    ASSERT_TRUE(sold);
    last_id = sold->id;
    ASSERT_NE(last_id.find('.'), std::string::npos) << "a private frame's SSE id is N.k: " << last_id;
  }
  // Missed while away: her own sale and somebody else's.
  ASSERT_EQ(buy(ana, id, 1, "k-a2").status, 201);
  ASSERT_EQ(buy(beto, id, 1, "k-b1").status, 201);
  std::this_thread::sleep_for(300ms);

  SseClient again(port(), live_path(id), {bearer, "Last-Event-ID: " + last_id});
  ASSERT_EQ(again.status(), 200);
  auto done = again.until([](const SseEvent& e) { return e.data.value("vendidos", 0) == 4; });
  ASSERT_TRUE(done);
  std::vector<json> mine;
  for (const auto& e : again.seen) {
    EXPECT_NE(e.event, "snapshot") << "a private id within the window resumes without a snapshot";
    if (e.event == "mine") mine.push_back(e.data["numeros"]);
  }
  // Her missed sale (number 2) is replayed, her earlier one (0, 1) is not, and beto's stays his.
  ASSERT_FALSE(mine.empty());
  for (const auto& n : mine) EXPECT_EQ(n, json::parse("[2]"));

  // A malformed id is taken as none: a snapshot.
  SseClient odd(port(), live_path(id), {bearer, "Last-Event-ID: 12.x"});
  auto snap = odd.next();
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->event, "snapshot");
}

TEST_F(LiveFeedTest, UnknownRifaIs404AndAPlainGetAnswersTheSnapshot) {
  SseClient none(port(), live_path("no-such-rifa"));
  EXPECT_EQ(none.status(), 404);
  const std::string id = open_rifa(10);
  auto plain = call("GET", live_path(id));
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(plain.json()["type"], "snapshot");
  EXPECT_EQ(plain.json()["disponibles"], 10);
  expect_problem(call("GET", live_path("no-such-rifa")), 404);
}

// --- Bounds --------------------------------------------------------------------------------------

class LiveFeedCapsTest : public LiveFeedTest {
 protected:
  void SetUp() override {
    max_subscribers_ = 3;
    max_per_ip_ = 2;
    workers_ = 1;  // live streams must not hold it
    LiveFeedTest::SetUp();
  }
};

TEST_F(LiveFeedCapsTest, StreamsHoldNoWorkerAndAreCappedPerHostAndPerAddress) {
  const std::string id = open_rifa(10);
  auto a = std::make_unique<SseClient>(port(), live_path(id));
  SseClient b(port(), live_path(id));
  ASSERT_EQ(a->status(), 200);
  ASSERT_EQ(b.status(), 200);
  // Two streams open, one worker: ordinary requests are still answered at once.
  EXPECT_EQ(call("GET", "/api/v1/rifas/" + id).status, 200);
  SseClient c(port(), live_path(id));
  EXPECT_EQ(c.status(), 429) << "per address";
  EXPECT_NE(c.body().find("max_subscribers_per_ip"), std::string::npos) << c.body();
  EXPECT_EQ(wiring_->live().routes().open(), 2u);
  // Closing one frees its slot.
  a.reset();
  for (int i = 0; i < 100 && wiring_->live().routes().open() != 1; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(wiring_->live().routes().open(), 1u);
  SseClient d(port(), live_path(id));
  EXPECT_EQ(d.status(), 200);
}

class LiveFeedHostCapTest : public LiveFeedTest {
 protected:
  void SetUp() override {
    max_subscribers_ = 3;
    max_per_ip_ = 0;
    LiveFeedTest::SetUp();
  }
};

TEST_F(LiveFeedHostCapTest, TheHostCapAnswers503) {
  const std::string id = open_rifa(10);
  std::vector<std::unique_ptr<SseClient>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<SseClient>(port(), live_path(id)));
    ASSERT_EQ(open.back()->status(), 200);
  }
  SseClient over(port(), live_path(id));
  EXPECT_EQ(over.status(), 503);
  EXPECT_NE(over.head().find("Retry-After"), std::string::npos);
}

class LiveFeedSlowTest : public LiveFeedTest {
 protected:
  void SetUp() override {
    max_queued_frames_ = 16;
    LiveFeedTest::SetUp();
  }
};

// A WebSocket client that completes its handshake and then never reads: its socket buffers fill,
// its queue reaches 16 frames and the server cuts it off, while a subscriber that reads gets every
// change, up to the final grid.
TEST_F(LiveFeedSlowTest, ASubscriberThatStopsReadingIsCutOffAndOthersKeepUp) {
  const std::string id = open_rifa(100000);
  SseClient reader(port(), live_path(id));
  ASSERT_EQ(reader.status(), 200);
  Grid grid;
  grid.apply(reader.next()->data);

  const int slow = connect_to(port(), 4096);
  ASSERT_GE(slow, 0);
  const std::string handshake = "GET " + live_path(id) +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  ASSERT_GT(::send(slow, handshake.data(), handshake.size(), MSG_NOSIGNAL), 0);
  char head[256];
  ASSERT_GT(::recv(slow, head, sizeof head, 0), 0);
  EXPECT_EQ(std::string(head, 12), "HTTP/1.1 101");
  for (int i = 0; i < 100 && wiring_->live().feed().subscribers() < 2; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(wiring_->live().feed().subscribers(), 2u);

  // Far more than the slow socket and its kernel buffers hold.
  churn(id, reader, grid);
  if (HasFatalFailure()) return;
  for (int i = 0; i < 200 && wiring_->live().feed().subscribers() > 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(wiring_->live().feed().subscribers(), 1u) << "the slow subscriber is still queued to";
  // Its connection is cut within the close grace (5 s) even though it never reads the close frame.
  for (int i = 0; i < 800 && wiring_->live().routes().open() > 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(wiring_->live().routes().open(), 1u);
  // What it finally reads ends: the server closed its side (after a bounded amount of data).
  bool ended = false;
  size_t drained = 0;
  for (int i = 0; i < 1000 && !ended; ++i) {
    pollfd p{slow, POLLIN, 0};
    if (::poll(&p, 1, 10) <= 0) continue;
    char tmp[65536];
    const auto n = ::recv(slow, tmp, sizeof tmp, 0);
    if (n <= 0) ended = true;
    else drained += static_cast<size_t>(n);
  }
  EXPECT_TRUE(ended) << "the slow client's connection was not closed; read " << drained << " bytes";
  ::close(slow);
}

// --- WebSocket with the ws npm package ------------------------------------------------------------

// Runs live_ws_client.js; collects its JSON lines.
class NodeClients {
 public:
  // `quit_file`: see live_ws_client.js.
  NodeClients(const std::string& url, int count, const std::string& token = "", const std::string& quit_file = "") {
    const std::string cmd = "node " + std::string(RIFA_LIVE_WS_CLIENT) + " " + RIFA_WS_NPM_DIR + " '" + url + "' " +
                            std::to_string(count) + " '" + token + "' 90000 '" + quit_file + "'";
    pipe_ = ::popen(cmd.c_str(), "r");
    reader_ = std::thread([this] {
      char line[1 << 16];
      std::string partial;
      while (pipe_ && std::fgets(line, sizeof line, pipe_)) {
        partial += line;
        if (partial.empty() || partial.back() != '\n') continue;
        auto j = json::parse(partial, nullptr, false);
        partial.clear();
        std::lock_guard lock(mutex_);
        lines_.push_back(std::move(j));
      }
      done_ = true;
    });
  }
  ~NodeClients() {
    if (reader_.joinable()) reader_.join();
    if (pipe_) ::pclose(pipe_);
  }
  template <typename Pred>
  bool wait(Pred pred, std::chrono::seconds timeout = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mutex_);
        if (pred(lines_)) return true;
      }
      if (done_) return false;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  std::vector<json> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  void join() {
    if (reader_.joinable()) reader_.join();
  }

 private:
  FILE* pipe_ = nullptr;
  std::thread reader_;
  std::mutex mutex_;
  std::vector<json> lines_;
  std::atomic<bool> done_{false};
};

size_t count_of(const std::vector<json>& lines, const std::function<bool(const json&)>& pred) {
  return static_cast<size_t>(std::count_if(lines.begin(), lines.end(), pred));
}

bool ws_available() {
  return std::filesystem::exists(std::filesystem::path(RIFA_WS_NPM_DIR) / "node_modules" / "ws" / "package.json");
}

// curl as the SSE client: `count` processes streaming `url` into files under `dir` until the
// server closes them; parsed afterwards.
class CurlSseClients {
 public:
  CurlSseClients(const std::filesystem::path& dir, const std::string& url, int count) : dir_(dir), count_(count) {
    std::filesystem::create_directories(dir);
    const std::string cmd = "bash -c 'for i in $(seq 1 " + std::to_string(count) +
                            "); do curl -sN --max-time 120 -H \"Accept: text/event-stream\" \"" + url + "\" > \"" +
                            dir.string() + "/$i.txt\" & done; wait'";
    pipe_ = ::popen(cmd.c_str(), "r");
  }
  ~CurlSseClients() { join(); }
  void join() {
    if (pipe_) ::pclose(pipe_);
    pipe_ = nullptr;
  }
  // How many have received their snapshot so far.
  int with_snapshot() const {
    int n = 0;
    for (int i = 1; i <= count_; ++i) n += read(i).find("event: snapshot\n") != std::string::npos ? 1 : 0;
    return n;
  }
  // Each client's events, in order.
  std::vector<std::vector<SseEvent>> events() const {
    std::vector<std::vector<SseEvent>> out;
    for (int i = 1; i <= count_; ++i) {
      std::vector<SseEvent> list;
      std::istringstream in(read(i));
      SseEvent e;
      for (std::string line; std::getline(in, line);) {
        if (line.empty()) {
          if (!e.event.empty()) list.push_back(e);
          e = SseEvent{};
        } else if (line.rfind("id: ", 0) == 0) {
          e.id = line.substr(4);
        } else if (line.rfind("event: ", 0) == 0) {
          e.event = line.substr(7);
        } else if (line.rfind("data: ", 0) == 0) {
          e.data = json::parse(line.substr(6));
        }
      }
      out.push_back(std::move(list));
    }
    return out;
  }

 private:
  std::string read(int i) const {
    std::ifstream in(dir_ / (std::to_string(i) + ".txt"));
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  std::filesystem::path dir_;
  int count_;
  FILE* pipe_ = nullptr;
};

// Issue 14's load: 200 WebSocket subscribers (the ws package) and 20 SSE ones (curl) on one rifa
// while 32 buyers buy every number; then the close, the draw and the winners. Every subscriber
// ends with exactly the server's grid.
TEST_F(LiveFeedTest, WebSocketSubscribersFollowSalesCloseDrawAndWinnersToTheServersGrid) {
  if (!ws_available()) GTEST_SKIP() << "the ws npm package is not installed (ctest runs ws_npm_install first)";
  if (std::system("curl --version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "curl is not installed (setup.sh installs it)";
  // 100 numbers (two digits, so the mock's draw always names a sold one): 32 buyers at once, four
  // of them buying 4 numbers and the rest 3.
  constexpr int kBuyers = 32;
  constexpr int kTotal = 100;
  auto quantity_of = [](int buyer) { return buyer < 4 ? 4 : 3; };
  const std::string id = open_rifa(kTotal);
  constexpr int kSubscribers = 200;
  constexpr int kSseSubscribers = 20;
  NodeClients clients("ws://127.0.0.1:" + std::to_string(port()) + live_path(id), kSubscribers);
  TempDir curl_dir;
  CurlSseClients sse(curl_dir.path(), "http://127.0.0.1:" + std::to_string(port()) + live_path(id), kSseSubscribers);
  ASSERT_TRUE(clients.wait(
      [&](const std::vector<json>& l) {
        return count_of(l, [](const json& j) { return j.contains("msg") && j["msg"]["type"] == "snapshot"; }) ==
               kSubscribers;
      },
      60s))
      << "not every WebSocket got its snapshot";
  for (int i = 0; i < 500 && sse.with_snapshot() < kSseSubscribers; ++i) std::this_thread::sleep_for(20ms);
  ASSERT_EQ(sse.with_snapshot(), kSseSubscribers) << "not every curl got its snapshot";
  for (const auto& l : clients.lines()) {
    if (l.contains("open")) EXPECT_EQ(l["protocol"], "rifa-live");
  }

  // Every number sold, so someone wins.
  std::vector<Account> buyers;
  for (int b = 0; b < kBuyers; ++b) buyers.push_back(register_jugador("ws" + std::to_string(b) + "@example.com"));
  std::vector<std::thread> threads;
  std::atomic<int> bought{0};
  for (int b = 0; b < kBuyers; ++b) {
    threads.emplace_back([&, b] {
      auto r = http_call("POST", url("/api/v1/rifas/" + id + "/tickets"),
                         json{{"quantity", quantity_of(b)}, {"idempotency_key", "k-" + std::to_string(b)}}.dump(),
                         buyers[b].token);
      if (r.status == 201) ++bought;
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(bought.load(), kBuyers);

  auto op = make_user("op@example.com", engine::Rol::kOperador);
  ASSERT_EQ(call("POST", "/api/v1/rifas/" + id + "/cerrar", "", op.token).status, 200);
  EXPECT_GE(settle_jobs(), 1);
  ASSERT_TRUE(clients.wait(
      [&](const std::vector<json>& l) {
        return count_of(l, [](const json& j) { return j.contains("msg") && j["msg"]["type"] == "ganadores"; }) ==
               kSubscribers;
      },
      60s))
      << "not every WebSocket saw the winners";
  for (int i = 0; i < 500; ++i) {
    const auto all = sse.events();
    if (std::all_of(all.begin(), all.end(), [](const auto& list) {
          return std::any_of(list.begin(), list.end(), [](const SseEvent& e) { return e.event == "ganadores"; });
        })) {
      break;
    }
    std::this_thread::sleep_for(20ms);
  }

  // The server stops: every WebSocket is closed with 1001 (going away), and the stop still drains.
  server_->stop();
  clients.join();
  sse.join();
  const auto lines = clients.lines();
  const auto truth = db_grid(id);
  std::vector<int64_t> sold;
  for (const auto& [n, e] : truth) {
    if (e == "vendido") sold.push_back(n);
  }
  ASSERT_EQ(sold.size(), static_cast<size_t>(kTotal));
  const auto winners = db_winners(id);
  ASSERT_FALSE(winners.empty());
  size_t finals = 0;
  std::set<std::string> types;
  for (const auto& l : lines) {
    if (l.contains("msg")) types.insert(l["msg"]["type"].get<std::string>());
    if (l.contains("close")) EXPECT_EQ(l["close"], 1001) << l.dump();
    if (!l.contains("final")) continue;
    ++finals;
    const json& f = l["final"];
    EXPECT_EQ(f["vendido"].get<std::vector<int64_t>>(), sold) << "connection " << l["conn"];
    EXPECT_TRUE(f["reservado"].empty());
    EXPECT_EQ(f["disponibles"], 0);
    EXPECT_EQ(f["ganadores"].get<std::vector<int64_t>>(), winners);
    EXPECT_EQ(f["estado"], "resuelta");
  }
  EXPECT_EQ(finals, static_cast<size_t>(kSubscribers));
  for (const char* t : {"snapshot", "tickets", "rifa", "resultado", "ganadores"}) EXPECT_TRUE(types.count(t)) << t;
  for (const auto& l : lines) {
    if (l.contains("msg")) EXPECT_NE(l["msg"]["type"], "mine") << "anonymous WebSockets see public events only";
  }
  int curl_client = 0;
  for (const auto& list : sse.events()) {
    ++curl_client;
    Grid grid;
    for (const auto& e : list) grid.apply(e.data);
    EXPECT_EQ(grid.with("vendido"), sold) << "curl " << curl_client;
    EXPECT_TRUE(grid.with("reservado").empty()) << "curl " << curl_client;
    EXPECT_EQ(grid.ganadores, winners) << "curl " << curl_client;
    EXPECT_EQ(grid.estado, "resuelta") << "curl " << curl_client;
  }
}

TEST_F(LiveFeedTest, AWebSocketTokenTravelsInTheSubprotocolAndAddsTheOwnEvents) {
  if (!ws_available()) GTEST_SKIP() << "the ws npm package is not installed (ctest runs ws_npm_install first)";
  const std::string id = open_rifa(100);
  auto ana = register_jugador("wsana@example.com");
  NodeClients clients("ws://127.0.0.1:" + std::to_string(port()) + live_path(id), 1, ana.token);
  ASSERT_TRUE(clients.wait([](const std::vector<json>& l) {
    return count_of(l, [](const json& j) { return j.contains("msg") && j["msg"]["type"] == "snapshot"; }) == 1;
  }));
  ASSERT_EQ(buy(ana, id, 2, "k-1").status, 201);
  ASSERT_TRUE(clients.wait([](const std::vector<json>& l) {
    return count_of(l, [](const json& j) {
             return j.contains("msg") && j["msg"]["type"] == "mine" && j["msg"]["estado"] == "vendido";
           }) == 1;
  })) << "the buyer's own sale did not reach her WebSocket";
  server_->stop();
}

// --- Slow consumers and resuming ----------------------------------------------------------------

// A frame cap alone lets a client that stopped reading pin every frame since it stopped (40 here,
// of ~600 kB each: 24 MB, far below 512 frames). The byte cap cuts an SSE client off after ~2 MiB,
// while a subscriber that reads keeps up to the final grid.
class LiveFeedSlowBytesTest : public LiveFeedTest {
 protected:
  void SetUp() override {
    max_queued_bytes_ = size_t{2} << 20;  // the frame cap stays at its default, 512
    LiveFeedTest::SetUp();
  }
};

TEST_F(LiveFeedSlowBytesTest, AnSseClientThatStopsReadingIsCutOffByTheBytesItHolds) {
  const std::string id = open_rifa(100000);
  SseClient reader(port(), live_path(id));
  ASSERT_EQ(reader.status(), 200);
  Grid grid;
  grid.apply(reader.next()->data);
  const int slow = connect_to(port(), 4096);
  ASSERT_GE(slow, 0);
  const std::string request =
      "GET " + live_path(id) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
  ASSERT_GT(::send(slow, request.data(), request.size(), MSG_NOSIGNAL), 0);
  for (int i = 0; i < 100 && wiring_->live().feed().subscribers() < 2; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(wiring_->live().feed().subscribers(), 2u);

  churn(id, reader, grid);
  if (HasFatalFailure()) return;
  for (int i = 0; i < 200 && wiring_->live().feed().subscribers() > 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(wiring_->live().feed().subscribers(), 1u) << "the slow SSE client is still queued to";
  for (int i = 0; i < 800 && wiring_->live().routes().open() > 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(wiring_->live().routes().open(), 1u) << "the slow SSE client's connection is still open";
  ::close(slow);
}

// A WebSocket that reconnects with ?resume=<the last seq it saw> gets what it missed, in order,
// and no snapshot; with what it had, that is exactly the server's grid.
TEST_F(LiveFeedTest, AWebSocketResumingFromItsLastSeqMissesNothing) {
  if (!ws_available()) GTEST_SKIP() << "the ws npm package is not installed (ctest runs ws_npm_install first)";
  const std::string id = open_rifa(100);
  auto buyer = register_jugador("wsresume@example.com");
  Grid grid;
  std::string last_seq;
  {
    TempDir dir;
    const auto quit = dir.path() / "quit";
    NodeClients first("ws://127.0.0.1:" + std::to_string(port()) + live_path(id), 1, "", quit.string());
    ASSERT_TRUE(first.wait([](const std::vector<json>& l) {
      return count_of(l, [](const json& j) { return j.contains("msg") && j["msg"]["type"] == "snapshot"; }) == 1;
    }));
    ASSERT_EQ(buy(buyer, id, 2, "k-1").status, 201);
    ASSERT_TRUE(first.wait([](const std::vector<json>& l) {
      return count_of(l, [](const json& j) {
               return j.contains("msg") && j["msg"]["type"] == "tickets" && j["msg"]["vendidos"] == 2;
             }) == 1;
    }));
    std::ofstream(quit) << "bye";  // the client goes away
    first.join();
    for (const auto& l : first.lines()) {
      if (!l.contains("msg")) continue;
      grid.apply(l["msg"]);
      last_seq = l["msg"]["seq"].dump();
    }
  }
  ASSERT_FALSE(last_seq.empty());
  // Missed while away:
  ASSERT_EQ(buy(buyer, id, 3, "k-2").status, 201);
  ASSERT_EQ(buy(buyer, id, 1, "k-3").status, 201);
  std::this_thread::sleep_for(300ms);  // the feed has seen those commits: they are in its window

  NodeClients again("ws://127.0.0.1:" + std::to_string(port()) + live_path(id) + "?resume=" + last_seq, 1);
  ASSERT_TRUE(again.wait([](const std::vector<json>& l) {
    return count_of(l, [](const json& j) {
             return j.contains("msg") && j["msg"]["type"] == "tickets" && j["msg"]["vendidos"] == 6;
           }) == 1;
  })) << "the resumed WebSocket never caught up";
  server_->stop();
  again.join();
  bool first_message = true;
  for (const auto& l : again.lines()) {
    if (!l.contains("msg")) continue;
    if (first_message) EXPECT_NE(l["msg"]["type"], "snapshot") << "a resume within the window replays what was missed";
    first_message = false;
    grid.apply(l["msg"]);
  }
  EXPECT_EQ(grid.cells, db_grid(id));
}

// --- Two hosts on one PostgreSQL -----------------------------------------------------------------

TEST_F(LiveFeedTest, ASaleOnHostAReachesASubscriberOnHostB) {
  if (test_db_->db().backend() != storage::Backend::kPostgresql) {
    GTEST_SKIP() << "one host per SQLite database: PostgreSQL only";
  }
  // Host B: its own pool on the same database, its own wiring (and LISTEN connection) and server.
  auto db_b = storage::Database::open(test_db_->parsed_url(), 2);
  ASSERT_TRUE(db_b.ok()) << db_b.error().message;
  app::ApiWiringOptions options_b;
  options_b.jwt_secret = kTestJwtSecret;
  options_b.password_cost = api::PasswordHasher::Cost::kMinimal;
  auto wiring_b = std::make_unique<app::ApiWiring>(**db_b, options_b);
  api::Router router_b;
  wiring_b->register_routes(router_b);
  api::ServerOptions server_options;
  server_options.port = 0;
  api::HttpServer server_b(server_options, router_b,
                           std::make_shared<spdlog::logger>("http-b", std::make_shared<spdlog::sinks::null_sink_mt>()),
                           nullptr);
  ASSERT_TRUE(server_b.start().ok());

  const std::string id = open_rifa(100);
  auto buyer = register_jugador("hosts@example.com");
  SseClient on_b(server_b.port(), live_path(id), {"Authorization: Bearer " + buyer.token});
  ASSERT_EQ(on_b.status(), 200);
  ASSERT_EQ(on_b.next()->event, "snapshot");
  ASSERT_EQ(buy(buyer, id, 4, "k-a").status, 201);  // on host A
  auto sold = on_b.until([](const SseEvent& e) { return e.event == "tickets" && e.data["vendidos"] == 4; });
  ASSERT_TRUE(sold) << "host B never heard of host A's sale";
  EXPECT_EQ(sold->data["numeros"], json::parse("[0,1,2,3]"));
  EXPECT_TRUE(on_b.until([](const SseEvent& e) { return e.event == "mine" && e.data["estado"] == "vendido"; }));
  server_b.stop();
  wiring_b.reset();
}

}  // namespace
}  // namespace rifa::testing
