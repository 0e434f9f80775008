#include "app/live_wiring.hpp"

namespace rifa::app {

LiveWiring::LiveWiring(storage::Database& db, const api::Authenticator& authenticator, api::LiveRouteOptions options,
                       engine::live::LiveFeedOptions feed_options)
    : reader_(db),
      feed_(reader_, feed_options),
      source_(storage::make_live_change_source(db)),
      routes_(feed_, authenticator, options) {
  source_->start([this](std::vector<engine::live::Change> batch) { feed_.on_changes(std::move(batch)); });
}

LiveWiring::~LiveWiring() { source_->stop(); }

}  // namespace rifa::app
