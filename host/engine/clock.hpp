#pragma once

#include <chrono>

namespace rifa::engine {

using TimePoint = std::chrono::system_clock::time_point;

// The engine never reads the system clock directly, so tests can pin time (token expiry, creado_en).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace rifa::engine
