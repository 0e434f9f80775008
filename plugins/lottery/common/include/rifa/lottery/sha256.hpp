#pragma once

// The lottery plugins hash pages with the SDK's SHA-256 (rifa/sdk/sha256.hpp), the one the host
// uses too; this header keeps the rifa::lottery name for them.
#include "rifa/sdk/sha256.hpp"

namespace rifa::lottery {

using rifa::sdk::sha256_hex;

}  // namespace rifa::lottery
