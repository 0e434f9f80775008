#pragma once

#include <string>
#include <string_view>

namespace rifa {

// Lower-case hex SHA-256 of the bytes. The host's one SHA-256 helper (checksums, hashes of
// requests, commitments and audit rows); it is the SDK's implementation (rifa/sdk/sha256.hpp),
// which the plugins use too, so host and plugins hash with the same code.
std::string sha256_hex(std::string_view bytes);

// A UUID (version 8, RFC 9562 layout) derived from SHA-256 of `name`: the same name always gives
// the same id, so seed data can be loaded twice without duplicates.
std::string name_based_uuid(std::string_view name);

}  // namespace rifa
