#include "engine/live/live_feed.hpp"

#include <algorithm>
#include <deque>

#include <nlohmann/json.hpp>

namespace rifa::engine::live {
namespace {

using Clock = std::chrono::steady_clock;

// The public grid: what anybody may see of a number.
enum Cell : uint8_t { kFree = 0, kHeld = 1, kSold = 2, kVoid = 3 };

Cell cell_of(const std::string& estado) {
  if (estado == "reservado") return kHeld;
  if (estado == "vendido" || estado == "ganador") return kSold;
  if (estado == "anulado") return kVoid;
  return kFree;
}

const char* public_estado(Cell c) {
  switch (c) {
    case kHeld: return "reservado";
    case kSold: return "vendido";
    case kVoid: return "anulado";
    default: return "disponible";
  }
}

nlohmann::json ranges_json(const std::vector<uint8_t>& grid, uint8_t value) {
  auto out = nlohmann::json::array();
  for (const auto& [a, b] : ranges_of(grid, value)) out.push_back({a, b});
  return out;
}

double now_unix_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::vector<std::pair<int64_t, int64_t>> ranges_of(const std::vector<uint8_t>& grid, uint8_t value) {
  std::vector<std::pair<int64_t, int64_t>> out;
  const auto n = static_cast<int64_t>(grid.size());
  for (int64_t i = 0; i < n;) {
    if (grid[static_cast<size_t>(i)] != value) {
      ++i;
      continue;
    }
    int64_t j = i;
    while (j + 1 < n && grid[static_cast<size_t>(j + 1)] == value) ++j;
    out.emplace_back(i, j);
    i = j + 1;
  }
  return out;
}

struct LiveFeed::RifaFeed {
  enum class State { kLoading, kReady };
  struct Event {
    Frame frame;
    std::string only_user;  // "" = public
  };
  struct Sub {
    std::shared_ptr<Subscriber> subscriber;
    std::string user_id;
  };

  std::string id;
  State state = State::kLoading;
  std::vector<Change> pending;  // arrived while loading
  std::string estado;
  int64_t total = 0;
  std::vector<uint8_t> grid;
  int64_t counts[4] = {0, 0, 0, 0};
  std::vector<int64_t> ganadores;
  std::string resultado_json;
  std::deque<Event> ring;
  uint64_t seq = 0;  // the last public seq of this rifa
  uint32_t sub = 0;  // private frames sent since public frame `seq`
  EventId floor;     // every event after this one is still in the ring
  std::map<uint64_t, Sub> subs;
  std::shared_ptr<const std::string> snapshot;  // cached for `seq`
  uint64_t snapshot_seq = 0;
  Clock::time_point idle_since = Clock::now();

  void reset(RifaState s) {
    estado = std::move(s.estado);
    total = s.total;
    grid.assign(static_cast<size_t>(std::max<int64_t>(total, 0)), kFree);
    std::fill(std::begin(counts), std::end(counts), 0);
    counts[kFree] = total;
    for (const auto& t : s.taken) set(t.numero, cell_of(t.estado));
    ganadores.clear();
    for (const auto& w : s.winners) ganadores.push_back(w.numero);
    std::sort(ganadores.begin(), ganadores.end());
    ganadores.erase(std::unique(ganadores.begin(), ganadores.end()), ganadores.end());
    resultado_json = std::move(s.resultado_json);
    snapshot.reset();
  }

  bool set(int64_t numero, Cell c) {
    if (numero < 0 || numero >= total) return false;
    auto& cur = grid[static_cast<size_t>(numero)];
    if (cur == c) return false;
    --counts[cur];
    ++counts[c];
    cur = c;
    return true;
  }

  void add_counts(nlohmann::json& j) const {
    j["vendidos"] = counts[kSold];
    j["reservados"] = counts[kHeld];
    j["disponibles"] = counts[kFree];
    j["anulados"] = counts[kVoid];
  }

  std::shared_ptr<const std::string> snapshot_json() {
    if (snapshot && snapshot_seq == seq) return snapshot;
    nlohmann::json j = {{"type", "snapshot"}, {"seq", seq}, {"rifa_id", id}, {"estado", estado}, {"total", total}};
    add_counts(j);
    j["vendido"] = ranges_json(grid, kSold);
    j["reservado"] = ranges_json(grid, kHeld);
    j["anulado"] = ranges_json(grid, kVoid);
    j["ganadores"] = ganadores;
    j["resultado"] =
        resultado_json.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(resultado_json, nullptr, false);
    snapshot = std::make_shared<const std::string>(j.dump());
    snapshot_seq = seq;
    return snapshot;
  }
};

LiveFeed::LiveFeed(SnapshotReader& reader, LiveFeedOptions options) : reader_(reader), options_(options) {
  // A rifa's feed numbers its public frames 1 by 1 from the time it was loaded in µs (and never
  // below where a forgotten feed of this process ended): a Last-Event-ID from another host, an
  // earlier run or an earlier load of the same rifa falls outside its window and gets a snapshot.
  next_base_ = 0;
}

LiveFeed::~LiveFeed() = default;

size_t LiveFeed::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscriber_count_;
}

namespace {

// The events one change makes, applied to the feed's state (under the feed's lock).
struct Emitted {
  nlohmann::json json;
  std::string_view type;
  std::string only_user;
};

std::vector<Emitted> apply(LiveFeed::RifaFeed& f, const Change& c);

}  // namespace

// Applies a change and, when `publish`, numbers and fans out the events it makes.
static void apply_and_publish(LiveFeed::RifaFeed& f, const Change& c, bool publish, size_t window,
                              size_t& subscriber_count);

void LiveFeed::on_changes(std::vector<Change> batch) {
  std::vector<std::string> resync;
  bool resync_all = false;
  {
    std::lock_guard lock(mutex_);
    for (auto& c : batch) {
      if (c.kind == ChangeKind::kResync) {
        if (c.rifa_id.empty()) {
          resync_all = true;
        } else if (rifas_.count(c.rifa_id)) {
          resync.push_back(c.rifa_id);
        }
        continue;
      }
      auto it = rifas_.find(c.rifa_id);
      if (it == rifas_.end()) continue;  // nobody here follows that rifa
      auto& f = *it->second;
      if (f.state == RifaFeed::State::kLoading) {
        f.pending.push_back(std::move(c));
        continue;
      }
      apply_and_publish(f, c, true, options_.replay_window, subscriber_count_);
    }
    if (resync_all) {
      resync.clear();
      for (const auto& [id, f] : rifas_) resync.push_back(id);
    }
    sweep_locked(Clock::now());
  }
  // Read outside the lock (this is the source's thread; its later notifications wait in its socket).
  for (const auto& id : resync) {
    auto state = reader_.load(id);
    std::lock_guard lock(mutex_);
    auto it = rifas_.find(id);
    if (it == rifas_.end() || !state || !*state) continue;
    auto& f = *it->second;
    if (f.state != RifaFeed::State::kReady) continue;  // its own load reads the newest state
    f.reset(std::move(**state));
    f.seq += 1;  // the snapshot is the next public frame; nothing before it can be replayed
    f.sub = 0;
    f.floor = {f.seq, 0};
    f.ring.clear();
    Frame frame{f.seq, "snapshot", f.snapshot_json(), 0};
    for (auto s = f.subs.begin(); s != f.subs.end();) {
      if (s->second.subscriber->offer(frame)) {
        ++s;
      } else {
        s = f.subs.erase(s);
        --subscriber_count_;
      }
    }
  }
}

Result<std::shared_ptr<LiveFeed::RifaFeed>> LiveFeed::loaded(const std::string& rifa_id) {
  std::unique_lock lock(mutex_);
  for (;;) {
    auto it = rifas_.find(rifa_id);
    if (it == rifas_.end()) break;
    if (it->second->state == RifaFeed::State::kReady) return it->second;
    // Another subscriber is loading it: wait for that.
    if (!loaded_cv_.wait_for(lock, options_.load_timeout, [&] {
          auto again = rifas_.find(rifa_id);
          return again == rifas_.end() || again->second->state == RifaFeed::State::kReady;
        })) {
      return make_error(ErrorCode::kUnavailable, "the live feed of rifa " + rifa_id + " is still loading");
    }
    auto again = rifas_.find(rifa_id);
    if (again == rifas_.end()) {
      // that load failed; try ourselves
      break;
    }
    return again->second;
  }
  auto feed = std::make_shared<RifaFeed>();
  feed->id = rifa_id;
  rifas_[rifa_id] = feed;
  lock.unlock();
  auto state = reader_.load(rifa_id);
  lock.lock();
  if (!state || !*state) {
    rifas_.erase(rifa_id);
    loaded_cv_.notify_all();
    if (!state) return state.error();
    return make_error(ErrorCode::kNotFound, "no rifa " + rifa_id);
  }
  feed->reset(std::move(**state));
  // Changes committed while it was read: some are in what was read, all of them in commit order;
  // applying each again ends in the newest state (every change sets absolute estados).
  size_t unused = 0;
  for (const auto& c : feed->pending) apply_and_publish(*feed, c, false, options_.replay_window, unused);
  feed->pending.clear();
  const auto now_us = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  feed->seq = std::max(now_us, next_base_);
  next_base_ = feed->seq + 1;
  feed->floor = {feed->seq, 0};
  feed->state = RifaFeed::State::kReady;
  loaded_cv_.notify_all();
  return feed;
}

Result<Subscription> LiveFeed::subscribe(const SubscribeRequest& request, std::shared_ptr<Subscriber> subscriber) {
  auto feed = loaded(request.rifa_id);
  if (!feed) return feed.error();
  std::lock_guard lock(mutex_);
  auto& f = **feed;
  if (rifas_.count(request.rifa_id) == 0) rifas_[request.rifa_id] = *feed;  // swept meanwhile
  Subscription out;
  out.id = next_subscriber_++;
  const auto& after = request.resume_after;
  bool ok = true;
  if (after && *after >= f.floor && *after <= EventId{f.seq, f.sub}) {
    out.resumed = true;
    for (const auto& e : f.ring) {
      if (e.frame.id() <= *after) continue;
      if (!e.only_user.empty() && e.only_user != request.user_id) continue;
      if (!(ok = subscriber->offer(e.frame))) break;
    }
  } else {
    ok = subscriber->offer(Frame{f.seq, "snapshot", f.snapshot_json(), 0});
  }
  if (!ok) return make_error(ErrorCode::kUnavailable, "the subscriber closed before its first frames");
  f.subs.emplace(out.id, RifaFeed::Sub{std::move(subscriber), request.user_id});
  ++subscriber_count_;
  return out;
}

void LiveFeed::unsubscribe(const std::string& rifa_id, uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = rifas_.find(rifa_id);
  if (it == rifas_.end()) return;
  auto& f = *it->second;
  if (f.subs.erase(id)) {
    --subscriber_count_;
    if (f.subs.empty()) f.idle_since = Clock::now();
  }
}

Result<std::string> LiveFeed::snapshot(const std::string& rifa_id) {
  auto feed = loaded(rifa_id);
  if (!feed) return feed.error();
  std::lock_guard lock(mutex_);
  (*feed)->idle_since = Clock::now();
  return *(*feed)->snapshot_json();
}

void LiveFeed::sweep_locked(Clock::time_point now) {
  for (auto it = rifas_.begin(); it != rifas_.end();) {
    const auto& f = *it->second;
    if (f.state == RifaFeed::State::kReady && f.subs.empty() && now - f.idle_since > options_.keep_idle) {
      next_base_ = std::max(next_base_, f.seq + 1);
      it = rifas_.erase(it);
    } else {
      ++it;
    }
  }
}

namespace {

std::vector<Emitted> apply(LiveFeed::RifaFeed& f, const Change& c) {
  std::vector<Emitted> out;
  auto stamp = [&](nlohmann::json& j) { j["ts"] = c.committed_ms > 0 ? c.committed_ms : now_unix_ms(); };
  switch (c.kind) {
    case ChangeKind::kTickets: {
      const Cell cell = cell_of(c.estado);
      std::vector<int64_t> changed;
      for (int64_t n : c.numeros) {
        if (f.set(n, cell)) changed.push_back(n);
      }
      if (!changed.empty()) {
        nlohmann::json j = {{"type", "tickets"}, {"estado", public_estado(cell)}, {"numeros", changed}};
        f.add_counts(j);
        stamp(j);
        out.push_back({std::move(j), "tickets", ""});
      }
      if (!c.usuario_id.empty() && !c.numeros.empty()) {
        nlohmann::json j = {{"type", "mine"}, {"estado", c.estado}, {"numeros", c.numeros}};
        stamp(j);
        out.push_back({std::move(j), "mine", c.usuario_id});
      }
      break;
    }
    case ChangeKind::kRifa:
      if (c.estado != f.estado) {
        f.estado = c.estado;
        nlohmann::json j = {{"type", "rifa"}, {"estado", c.estado}};
        stamp(j);
        out.push_back({std::move(j), "rifa", ""});
      }
      break;
    case ChangeKind::kResultado: {
      f.resultado_json = c.resultado_json;
      nlohmann::json j = {{"type", "resultado"},
                          {"resultado", nlohmann::json::parse(c.resultado_json, nullptr, false)}};
      stamp(j);
      out.push_back({std::move(j), "resultado", ""});
      break;
    }
    case ChangeKind::kGanadores: {
      for (const auto& w : c.winners) {
        f.ganadores.push_back(w.numero);
        if (w.numero >= 0 && w.numero < f.total) f.set(w.numero, kSold);
      }
      std::sort(f.ganadores.begin(), f.ganadores.end());
      f.ganadores.erase(std::unique(f.ganadores.begin(), f.ganadores.end()), f.ganadores.end());
      nlohmann::json j = {{"type", "ganadores"}, {"numeros", f.ganadores}};
      stamp(j);
      out.push_back({std::move(j), "ganadores", ""});
      for (const auto& w : c.winners) {
        if (w.usuario_id.empty()) continue;
        nlohmann::json m = {
            {"type", "mine"}, {"estado", "ganador"}, {"numeros", {w.numero}}, {"tier", w.tier}, {"monto", w.monto}};
        stamp(m);
        out.push_back({std::move(m), "mine", w.usuario_id});
      }
      break;
    }
    case ChangeKind::kResync: break;
  }
  return out;
}

}  // namespace

static void apply_and_publish(LiveFeed::RifaFeed& f, const Change& c, bool publish, size_t window,
                              size_t& subscriber_count) {
  auto emitted = apply(f, c);
  if (!publish) return;
  for (auto& e : emitted) {
    if (e.only_user.empty()) {
      f.seq += 1;
      f.sub = 0;
      e.json["seq"] = f.seq;
    } else {
      f.sub += 1;
      e.json["id"] = std::to_string(f.seq) + "." + std::to_string(f.sub);
    }
    Frame frame{f.seq, e.type, std::make_shared<const std::string>(e.json.dump()), f.sub};
    f.ring.push_back({frame, e.only_user});
    while (f.ring.size() > window) {
      f.floor = f.ring.front().frame.id();
      f.ring.pop_front();
    }
    for (auto s = f.subs.begin(); s != f.subs.end();) {
      if (!e.only_user.empty() && e.only_user != s->second.user_id) {
        ++s;
        continue;
      }
      if (s->second.subscriber->offer(frame)) {
        ++s;
      } else {
        s = f.subs.erase(s);
        --subscriber_count;
        if (f.subs.empty()) f.idle_since = Clock::now();
      }
    }
  }
}

}  // namespace rifa::engine::live
