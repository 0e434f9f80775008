#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/clock.hpp"

namespace rifa::settlement {

enum class DeliveryClaim {
  kClaimed,           // this caller may hand the event over now; it must then call delivered() or release()
  kAlreadyDelivered,  // someone delivered it: nothing to do
  kBusy,              // another worker holds a live claim: try again later
};

// The durable right to hand one event (by event_id) to one notifier instance, shared by every
// host on the database (a port: storage/repositories/sql_delivery_claims is the
// notification_deliveries table, migration 0023). A claim is committed before the event is handed
// over, so two workers, on one host or on two, never deliver one event through one notifier both;
// one marked delivered is never delivered again. A claim whose worker died between claiming and
// marking (a crash, a lost lease) runs out at `until` and the next attempt takes it over: the
// event is retried, not lost; it may then go out twice only if the crash came after the notifier
// accepted it and before delivered() committed.
class DeliveryClaims {
 public:
  virtual ~DeliveryClaims() = default;
  // `owner` names this attempt (a job id and attempt number); a claim it already holds is
  // renewed.
  virtual Result<DeliveryClaim> claim(const std::string& event_id, const std::string& notifier,
                                      const std::string& owner, engine::TimePoint now, engine::TimePoint until) = 0;
  virtual Result<void> delivered(const std::string& event_id, const std::string& notifier, engine::TimePoint now) = 0;
  // The delivery failed: the claim is dropped so that the retry (of any worker) claims at once.
  virtual Result<void> release(const std::string& event_id, const std::string& notifier, const std::string& owner) = 0;
};

// What a message says about an event's rifa beyond its id (a port: storage reads the rifas table).
class RifaNames {
 public:
  virtual ~RifaNames() = default;
  // nullopt: no such rifa.
  virtual Result<std::optional<std::string>> nombre(const std::string& rifa_id) = 0;
};

}  // namespace rifa::settlement
