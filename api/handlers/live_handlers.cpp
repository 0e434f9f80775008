#include "handlers/live_handlers.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "handlers/common/api_context.hpp"
#include "handlers/common/error_response.hpp"
#include "server/error_mapping.hpp"

namespace rifa::api {

struct LiveRoutes::State {
  State(engine::live::LiveFeed& f, const Authenticator& a, LiveRouteOptions o)
      : feed(f), authenticator(a), options(o) {}

  engine::live::LiveFeed& feed;
  const Authenticator& authenticator;
  LiveRouteOptions options;
  std::mutex mutex;
  size_t open = 0;
  std::map<std::string, size_t> per_address;

  // A slot for one more live connection from `address`, or the answer that refuses it.
  std::optional<Response> reserve(const std::string& address) {
    std::lock_guard lock(mutex);
    if (options.max_subscribers && open >= options.max_subscribers) {
      auto r = make_problem(ProblemType::kUnavailable,
                            "this host serves its maximum of " + std::to_string(options.max_subscribers) +
                                " live subscribers (server.live.max_subscribers); retry later");
      r.headers.emplace_back("Retry-After", "5");
      return r;
    }
    if (options.max_subscribers_per_ip && per_address[address] >= options.max_subscribers_per_ip) {
      auto r = make_problem(ProblemType::kRateLimited, "too many live subscriptions from " + address +
                                                           " (server.live.max_subscribers_per_ip is " +
                                                           std::to_string(options.max_subscribers_per_ip) + ")");
      r.headers.emplace_back("Retry-After", "5");
      return r;
    }
    ++open;
    ++per_address[address];
    return std::nullopt;
  }

  void release(const std::string& address) {
    std::lock_guard lock(mutex);
    --open;
    if (auto it = per_address.find(address); it != per_address.end() && --it->second == 0) per_address.erase(it);
  }
};

namespace {

// The feed's side of one connection: frames go to its stream's queue (never blocking).
class StreamSubscriber final : public engine::live::Subscriber {
 public:
  explicit StreamSubscriber(std::weak_ptr<LiveStream> stream) : stream_(std::move(stream)) {}
  bool offer(const engine::live::Frame& frame) override {
    auto stream = stream_.lock();
    return stream && stream->push(frame.seq, frame.sub, frame.type, frame.json);
  }

 private:
  std::weak_ptr<LiveStream> stream_;
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (auto item = trim(s.substr(start, end - start)); !item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

// "N" (a public frame's seq) or "N.k" (the k-th private frame after it): see engine::live::EventId.
std::optional<engine::live::EventId> parse_event_id(const std::string& text) {
  const std::string t = trim(text);
  const char* end = t.data() + t.size();
  engine::live::EventId id;
  auto [p, ec] = std::from_chars(t.data(), end, id.seq);
  if (t.empty() || ec != std::errc()) return std::nullopt;
  if (p != end && *p == '.') {
    auto [q, ec2] = std::from_chars(p + 1, end, id.sub);
    if (ec2 != std::errc() || q == p + 1) return std::nullopt;
    p = q;
  }
  if (p != end) return std::nullopt;
  return id;
}

constexpr const char* kSubprotocol = "rifa-live";
constexpr const char* kBearerProtocolPrefix = "bearer.";

Response live(const std::shared_ptr<LiveRoutes::State>& shared, Request& req) {
  LiveRoutes::State& state = *shared;
  const std::string rifa_id = req.path_params.at("id");
  if (rifa_id.empty() || rifa_id.size() > 64) { return make_problem(ProblemType::kNotFound, "no rifa " + rifa_id); }
  const bool websocket = lower(req.header("upgrade")).find("websocket") != std::string::npos;
  const bool sse = !websocket && req.header("accept").find("text/event-stream") != std::string::npos;

  // Who is asking: a token is optional; a token that does not verify is refused (401), not ignored.
  Request auth_view;
  bool has_token = false;
  bool subprotocol_offered = false;
  if (websocket) {
    for (const auto& p : split_commas(req.header("sec-websocket-protocol"))) {
      if (p == kSubprotocol) subprotocol_offered = true;
      if (p.rfind(kBearerProtocolPrefix, 0) == 0) {
        auth_view.headers["authorization"] =
            "Bearer " + p.substr(std::char_traits<char>::length(kBearerProtocolPrefix));
        has_token = true;
      }
    }
    if (has_token && !subprotocol_offered) {
      return make_problem(ProblemType::kBadRequest,
                          "a token in Sec-WebSocket-Protocol needs the subprotocol \"rifa-live\" offered with it",
                          "sec-websocket-protocol");
    }
  } else if (!req.header("authorization").empty()) {
    auth_view.headers["authorization"] = req.header("authorization");
    has_token = true;
  }
  std::string user_id;
  if (has_token) {
    auth_view.remote_address = req.remote_address;
    auth_view.request_id = req.request_id;
    auto who = state.authenticator.authenticate(auth_view);
    if (!who) return error_response(who.error(), req);
    user_id = who->user_id;
  }

  if (!websocket && !sse) {
    auto snapshot = state.feed.snapshot(rifa_id);
    if (!snapshot) return error_response(snapshot.error(), req);
    return json_response(200, std::move(*snapshot));
  }

  if (auto refused = state.reserve(req.remote_address)) return std::move(*refused);
  auto stream = LiveStream::create(websocket ? LiveTransport::kWebSocket : LiveTransport::kServerSentEvents,
                                   state.options.stream);
  if (subprotocol_offered) stream->set_subprotocol(kSubprotocol);

  engine::live::SubscribeRequest sub;
  sub.rifa_id = rifa_id;
  sub.user_id = user_id;
  // SSE reconnects send Last-Event-ID; a WebSocket client passes the last seq (or private frame's
  // id) it saw as ?resume=.
  if (auto it = req.query.find("resume"); it != req.query.end()) sub.resume_after = parse_event_id(it->second);
  if (auto last = req.header("last-event-id"); !last.empty()) sub.resume_after = parse_event_id(last);

  auto subscribed = state.feed.subscribe(sub, std::make_shared<StreamSubscriber>(stream));
  if (!subscribed) {
    state.release(req.remote_address);
    return error_response(subscribed.error(), req);
  }
  stream->on_closed([shared, rifa_id, id = subscribed->id, address = req.remote_address] {
    shared->feed.unsubscribe(rifa_id, id);
    shared->release(address);
  });
  Response r;
  r.status = websocket ? 101 : 200;
  r.content_type.clear();
  r.live = std::move(stream);
  return r;
}

}  // namespace

LiveRoutes::LiveRoutes(engine::live::LiveFeed& feed, const Authenticator& authenticator, LiveRouteOptions options)
    : state_(std::make_shared<State>(feed, authenticator, options)) {}

void LiveRoutes::register_routes(Router& router) const {
  router.add("GET", std::string(kApiPrefix) + "/rifas/{id}/live",
             [state = state_](Request& req) { return live(state, req); });
}

size_t LiveRoutes::open() const {
  std::lock_guard lock(state_->mutex);
  return state_->open;
}

}  // namespace rifa::api
