#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "engine/clock.hpp"

namespace rifa::storage {

// Something a repository just made true (tickets sold, a rifa opened), raised inside the
// transaction that made it true. The host turns it into notification jobs in that same
// transaction (settlement/notification_publisher.hpp), so the event commits or rolls back with the
// change it reports and is never sent for a change that did not happen.
struct DomainEvent {
  std::string type;  // an ABI event type: "ticket_sold", "rifa_opened", ...
  std::string rifa_id;
  std::string entity_id;  // what it is about: the ticket for ticket_sold, the rifa for rifa_opened
  nlohmann::json data = nlohmann::json::object();
  engine::TimePoint occurred_at;
};

// Empty (the default) means nobody listens. A sink must not open a transaction of its own.
using DomainEventSink = std::function<void(soci::session&, const DomainEvent&)>;
// Events of one rifa raised together (the tickets of one sale), so that the listener writes them at
// once; with the rifa's categoria nombre when the raiser read it anyway (notifier bindings resolve
// by it), else empty and the listener looks it up.
using DomainEventBatchSink =
    std::function<void(soci::session&, const std::vector<DomainEvent>&, const std::optional<std::string>& categoria)>;

}  // namespace rifa::storage
