#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "engine/live/live_feed.hpp"
#include "handlers/common/authenticator.hpp"
#include "server/live_stream.hpp"
#include "server/router.hpp"

namespace rifa::api {

struct LiveRouteOptions {
  // Live connections (WebSocket + SSE) this host serves at once (503 beyond) and per client
  // address (429 beyond); 0 = no cap. settings: server.live.max_subscribers, max_subscribers_per_ip.
  size_t max_subscribers = 10000;
  size_t max_subscribers_per_ip = 64;
  LiveStreamOptions stream;
};

// GET /api/v1/rifas/{id}/live (README "Live feed"): with `Upgrade: websocket` a WebSocket, with
// `Accept: text/event-stream` Server-Sent Events, else the snapshot once as JSON. Public data for
// everybody; a valid token (WebSocket: Sec-WebSocket-Protocol "rifa-live, bearer.<token>"; SSE:
// Authorization: Bearer) adds the caller's own events ("mine"). The handler runs on a worker only
// to authenticate, subscribe and read the rifa when this host does not follow it yet; the stream
// then lives on the io threads (server/live_stream.hpp).
class LiveRoutes {
 public:
  LiveRoutes(engine::live::LiveFeed& feed, const Authenticator& authenticator, LiveRouteOptions options);

  void register_routes(Router& router) const;
  size_t open() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace rifa::api
