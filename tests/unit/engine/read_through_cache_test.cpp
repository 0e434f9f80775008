#include "engine/read_through_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace rifa::engine {
namespace {

using std::chrono::milliseconds;

TEST(ReadThroughCacheTest, ServesAStoredValueUntilThisProcessWrites) {
  std::atomic<uint64_t> writes{0};
  ReadThroughCache<int> cache(milliseconds(60000), [&] { return writes.load(); });
  EXPECT_FALSE(cache.find("a"));
  cache.store("a", 1, cache.generation_now());
  ASSERT_TRUE(cache.find("a"));
  EXPECT_EQ(*cache.find("a"), 1);
  ++writes;  // any committed write: the caller must never read its own write stale
  EXPECT_FALSE(cache.find("a"));
}

TEST(ReadThroughCacheTest, AWriteDuringTheLoadMakesTheEntryStaleAtOnce) {
  std::atomic<uint64_t> writes{0};
  ReadThroughCache<int> cache(milliseconds(60000), [&] { return writes.load(); });
  const uint64_t before = cache.generation_now();
  ++writes;  // committed while the value was being read: the value may predate it
  cache.store("a", 1, before);
  EXPECT_FALSE(cache.find("a"));
}

TEST(ReadThroughCacheTest, EntriesExpireAfterTheTtlSoOtherHostsWritesShow) {
  ReadThroughCache<int> cache(milliseconds(30), [] { return uint64_t{0}; });
  cache.store("a", 1, cache.generation_now());
  EXPECT_TRUE(cache.find("a"));
  std::this_thread::sleep_for(milliseconds(60));
  EXPECT_FALSE(cache.find("a"));
}

TEST(ReadThroughCacheTest, ZeroTtlTurnsItOff) {
  ReadThroughCache<int> cache(milliseconds(0), [] { return uint64_t{0}; });
  EXPECT_FALSE(cache.enabled());
  cache.store("a", 1, 0);
  EXPECT_FALSE(cache.find("a"));
}

TEST(ReadThroughCacheTest, MemoryIsBounded) {
  ReadThroughCache<int> cache(milliseconds(60000), [] { return uint64_t{0}; }, 2);
  cache.store("a", 1, 0);
  cache.store("b", 2, 0);
  cache.store("c", 3, 0);  // over the bound: starts over rather than grow
  EXPECT_FALSE(cache.find("a"));
  EXPECT_FALSE(cache.find("b"));
  EXPECT_TRUE(cache.find("c"));
}

}  // namespace
}  // namespace rifa::engine
