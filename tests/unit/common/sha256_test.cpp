// The host's one SHA-256 helper (common/sha256.hpp): FIPS 180-4 vectors, and name_based_uuid giving
// exactly the ids the OpenSSL-based helper it replaced gave (seed data and event ids depend on them).
#include <gtest/gtest.h>

#include "common/sha256.hpp"
#include "rifa/sdk/sha256.hpp"

namespace rifa {
namespace {

TEST(Sha256, KnownVectorsAndTheSdksImplementation) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string page(100000, 'x');
  EXPECT_EQ(sha256_hex(page), sdk::sha256_hex(page));
}

TEST(Sha256, NameBasedUuidIsStableAcrossTheMove) {
  // Values computed with the former storage/sha256.cpp (OpenSSL digest, version and variant bits).
  EXPECT_EQ(name_based_uuid("rifa1122-seed-ticket:x:0"), "3c5a5edd-dfbf-87a5-940b-e8db0d91c9cf");
  EXPECT_EQ(name_based_uuid("abc"), "ba7816bf-8f01-8fea-8141-40de5dae2223");
}

}  // namespace
}  // namespace rifa
