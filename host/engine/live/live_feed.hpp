#pragma once

#include <chrono>
#include <compare>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

// The live feed of a rifa (issue 14 item 4): what changed in its numbers grid, its estado, its
// draw and its winners, fanned out to the subscribers of this host. The changes come from the
// database after commit (ChangeSource: LISTEN/NOTIFY on PostgreSQL, commit hooks on SQLite), so
// every host sharing the database sees every host's sales; a subscriber never sees an uncommitted
// change. The protocol the frames follow is in README.md ("Live feed").
namespace rifa::engine::live {

enum class ChangeKind {
  kTickets,    // numbers moved to `estado` (disponible, reservado, vendido, ganador, anulado)
  kRifa,       // the rifa's estado changed
  kResultado,  // the draw was stored (resultado_json)
  kGanadores,  // winners were written
  kResync,     // too much changed at once to list (rifa_id), or everything (rifa_id empty):
               // read the rifa again and send its subscribers a fresh snapshot
};

struct Winner {
  int64_t numero = 0;
  std::string usuario_id;
  int64_t tier = 0;
  int64_t monto = 0;
};

// One committed change, as a ChangeSource reports it.
struct Change {
  ChangeKind kind = ChangeKind::kTickets;
  std::string rifa_id;
  std::string estado;
  std::vector<int64_t> numeros;
  std::string usuario_id;  // kTickets: the owner the numbers had or now have ("" = none)
  std::vector<Winner> winners;
  std::string resultado_json;
  double committed_ms = 0;  // Unix time in ms the change was made (≈ its commit); 0 = unknown
};

// Where committed changes come from (a port: storage implements it per backend). `sink` is called
// on the source's own thread, in commit order, only for committed transactions.
class ChangeSource {
 public:
  virtual ~ChangeSource() = default;
  virtual void start(std::function<void(std::vector<Change>)> sink) = 0;
  virtual void stop() = 0;
};

struct TicketRow {
  int64_t numero = 0;
  std::string estado;
  std::string usuario_id;
};

// A rifa as the feed starts from: its estado and every ticket not disponible.
struct RifaState {
  std::string estado;
  int64_t total = 0;
  std::vector<TicketRow> taken;
  std::vector<Winner> winners;
  std::string resultado_json;  // "" = no draw yet
};

class SnapshotReader {
 public:
  virtual ~SnapshotReader() = default;
  virtual Result<std::optional<RifaState>> load(const std::string& rifa_id) = 0;
};

// Where a frame stands in its rifa's feed. Public frames are numbered 1 by 1 (`seq`, `sub` 0), so
// a subscriber that sees a seq other than the last + 1 lost a public frame. A private frame (`mine`,
// sent to one user only) takes no public number: it is the `sub`-th private frame after public
// frame `seq` (written "seq.sub"), so it leaves no gap in anybody else's sequence and can still be
// resumed after.
struct EventId {
  uint64_t seq = 0;
  uint32_t sub = 0;  // 0 = a public frame
  auto operator<=>(const EventId&) const = default;
};

// One message of the feed: shared by every subscriber it goes to (never copied per subscriber).
struct Frame {
  uint64_t seq = 0;
  std::string_view type;  // a static literal: snapshot, tickets, rifa, resultado, ganadores, mine
  std::shared_ptr<const std::string> json;
  uint32_t sub = 0;  // see EventId

  EventId id() const { return {seq, sub}; }
};

// A subscriber's connection, seen from the feed. offer() is called under the feed's lock and must
// not block: queue and return. false = the subscriber is gone or fell too far behind (its
// connection closes itself); the feed then forgets it.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  virtual bool offer(const Frame& frame) = 0;
};

struct LiveFeedOptions {
  size_t replay_window = 1024;          // events kept per rifa for Last-Event-ID / resume
  std::chrono::seconds keep_idle{120};  // a rifa with no subscriber left is forgotten after this
  std::chrono::seconds load_timeout{10};
};

struct SubscribeRequest {
  std::string rifa_id;
  std::string user_id;                  // "" = anonymous: public events only
  std::optional<EventId> resume_after;  // the last frame the client saw
};

struct Subscription {
  uint64_t id = 0;
  bool resumed = false;  // the missed events were replayed (else a snapshot was sent)
};

class LiveFeed {
 public:
  LiveFeed(SnapshotReader& reader, LiveFeedOptions options = {});
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // A batch of committed changes, in commit order (the ChangeSource's thread).
  void on_changes(std::vector<Change> batch);

  // Registers `subscriber` on the rifa and offers it, before any later event, either the events
  // after resume_after (when they are all still in the window) or a snapshot. Reads the rifa from
  // the database when this host does not follow it yet (call on a worker, not an io thread).
  // kNotFound: no such rifa.
  Result<Subscription> subscribe(const SubscribeRequest& request, std::shared_ptr<Subscriber> subscriber);
  void unsubscribe(const std::string& rifa_id, uint64_t id);

  size_t subscribers() const;

  // The snapshot of one rifa as JSON (the same document a subscriber gets first).
  Result<std::string> snapshot(const std::string& rifa_id);

  struct RifaFeed;

 private:
  Result<std::shared_ptr<RifaFeed>> loaded(const std::string& rifa_id);
  void sweep_locked(std::chrono::steady_clock::time_point now);

  SnapshotReader& reader_;
  LiveFeedOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable loaded_cv_;
  std::map<std::string, std::shared_ptr<RifaFeed>> rifas_;
  uint64_t next_base_;  // the lowest seq a rifa's feed may start from (see the constructor)
  uint64_t next_subscriber_ = 1;
  size_t subscriber_count_ = 0;
};

// Inclusive ranges [a, b] of the set positions of a grid (compact for 10,000 or 1,000,000 numbers).
std::vector<std::pair<int64_t, int64_t>> ranges_of(const std::vector<uint8_t>& grid, uint8_t value);

}  // namespace rifa::engine::live
