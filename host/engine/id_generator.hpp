#pragma once

#include <string>

namespace rifa::engine {

// Primary keys are UUIDs made by the application (DESIGN.md), injected so tests can predict them.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual std::string next() = 0;
};

// Random version-4 UUIDs from OpenSSL's CSPRNG: ids appear in URLs, so they must not be guessable.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string next() override;
};

}  // namespace rifa::engine
