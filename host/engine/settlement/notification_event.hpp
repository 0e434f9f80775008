#pragma once

#include <string>

#include "engine/clock.hpp"

namespace rifa::settlement {

// "2026-01-22T23:00:00.000Z": the ABI's occurred_at form.
std::string event_time(engine::TimePoint t);
// The event_id of "<type>:<entity_id>": a UUID derived from it, the same every time.
std::string event_uuid(const std::string& type_and_entity);

}  // namespace rifa::settlement
