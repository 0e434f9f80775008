#include "engine/settlement/notification_event.hpp"

#include "common/sha256.hpp"
#include "engine/iso_time.hpp"

namespace rifa::settlement {

std::string event_time(engine::TimePoint t) { return engine::format_iso_time(t); }

std::string event_uuid(const std::string& type_and_entity) {
  return name_based_uuid("rifa1122-event:" + type_and_entity);
}

}  // namespace rifa::settlement
