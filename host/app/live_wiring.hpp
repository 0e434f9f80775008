#pragma once

#include <memory>

#include "engine/live/live_feed.hpp"
#include "handlers/common/authenticator.hpp"
#include "handlers/live_handlers.hpp"
#include "server/router.hpp"
#include "storage/database.hpp"
#include "storage/live/live_sources.hpp"

namespace rifa::app {

// The live feed (GET /rifas/{id}/live): the snapshot reader and the change source of the
// database's backend (LISTEN/NOTIFY on PostgreSQL, commit hooks on SQLite), the feed over them,
// and its route. The source runs from construction until destruction. Build it after the
// migrations ran.
class LiveWiring {
 public:
  LiveWiring(storage::Database& db, const api::Authenticator& authenticator, api::LiveRouteOptions options,
             engine::live::LiveFeedOptions feed_options = {});
  ~LiveWiring();
  LiveWiring(const LiveWiring&) = delete;
  LiveWiring& operator=(const LiveWiring&) = delete;

  void register_routes(api::Router& router) const { routes_.register_routes(router); }
  engine::live::LiveFeed& feed() { return feed_; }
  const api::LiveRoutes& routes() const { return routes_; }

 private:
  storage::SqlLiveSnapshotReader reader_;
  engine::live::LiveFeed feed_;
  std::unique_ptr<engine::live::ChangeSource> source_;
  api::LiveRoutes routes_;
};

}  // namespace rifa::app
