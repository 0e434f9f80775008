#pragma once

// The host's SHA-256 helper lives in common/sha256.hpp (one for every layer); storage code keeps
// calling it by its storage:: name.
#include "common/sha256.hpp"

namespace rifa::storage {

using rifa::name_based_uuid;
using rifa::sha256_hex;

}  // namespace rifa::storage
