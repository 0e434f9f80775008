#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.hpp"

namespace rifa::settlement {

// The notifier instances bound to a rifa (by id, and its categoria's nombre): host/app hands in
// the config's bindings (settings::notifier_resolver); an empty function means no notifiers.
using NotifierResolver = std::function<std::vector<std::string>(std::string_view rifa_id, std::string_view categoria)>;

// "2026-01-22T23:00:00.000Z": the ABI's occurred_at form.
std::string event_time(engine::TimePoint t);
// The event_id of "<type>:<entity_id>": a UUID derived from it, the same every time.
std::string event_uuid(const std::string& type_and_entity);

}  // namespace rifa::settlement
