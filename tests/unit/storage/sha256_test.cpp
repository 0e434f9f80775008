#include <gtest/gtest.h>

#include "storage/sha256.hpp"

namespace rifa::storage {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(NameBasedUuid, StableVersion8Layout) {
  const std::string a = name_based_uuid("rifa1122-seed-ticket:x:0");
  EXPECT_EQ(a, name_based_uuid("rifa1122-seed-ticket:x:0"));
  EXPECT_NE(a, name_based_uuid("rifa1122-seed-ticket:x:1"));
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[8], '-');
  EXPECT_EQ(a[13], '-');
  EXPECT_EQ(a[14], '8');
  EXPECT_EQ(a[18], '-');
  EXPECT_TRUE(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b') << a;
  EXPECT_EQ(a[23], '-');
}

}  // namespace
}  // namespace rifa::storage
