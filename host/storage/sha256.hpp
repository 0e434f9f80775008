#pragma once

// The SHA-256 helpers live in common/sha256.hpp (the engine derives ids from them too); storage's
// callers keep their names.
#include "common/sha256.hpp"

namespace rifa::storage {
using rifa::name_based_uuid;
using rifa::sha256_hex;
}  // namespace rifa::storage
