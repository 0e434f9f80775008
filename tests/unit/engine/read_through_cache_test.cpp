#include "engine/read_through_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "common/result.hpp"

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

TEST(ReadThroughCacheTest, ConcurrentMissesOfOneKeyLoadItOnce) {
  std::atomic<uint64_t> writes{0};
  ReadThroughCache<int> cache(milliseconds(60000), [&] { return writes.load(); });
  std::atomic<int> loads{0};
  std::atomic<bool> release{false};
  const auto load = [&]() -> Result<int> {
    ++loads;
    while (!release) std::this_thread::yield();
    return 7;
  };
  constexpr int kReaders = 6;
  std::vector<std::thread> readers;
  std::atomic<int> answered{0};
  readers.emplace_back([&] { answered += cache.get_or_load("a", load).value() == 7; });
  while (loads == 0) std::this_thread::yield();  // the first reader is loading
  for (int i = 1; i < kReaders; ++i)
    readers.emplace_back([&] { answered += cache.get_or_load("a", load).value() == 7; });
  // Every other reader is either waiting for that load or (were there no single flight) loading too.
  while (cache.waiting() + static_cast<std::size_t>(loads - 1) < kReaders - 1) std::this_thread::yield();
  release = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(answered, kReaders);
  ++writes;  // after a write the next reader loads again
  EXPECT_EQ(cache.get_or_load("a", load).value(), 7);
  EXPECT_EQ(loads, 2);
}

TEST(ReadThroughCacheTest, AFailedLoadIsNotStoredAndLetsTheNextReaderLoad) {
  ReadThroughCache<int> cache(milliseconds(60000), [] { return uint64_t{0}; });
  int loads = 0;
  auto failed = cache.get_or_load("a", [&]() -> Result<int> {
    ++loads;
    return make_error(ErrorCode::kDatabase, "down");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(cache.get_or_load("a", [&]() -> Result<int> { return ++loads; }).value(), 2);
  EXPECT_EQ(cache.get_or_load("a", [&]() -> Result<int> { return ++loads; }).value(), 2) << "served from the cache";
}

TEST(ReadThroughCacheTest, ZeroTtlTurnsItOff) {
  ReadThroughCache<int> cache(milliseconds(0), [] { return uint64_t{0}; });
  EXPECT_FALSE(cache.enabled());
  cache.store("a", 1, 0);
  EXPECT_FALSE(cache.find("a"));
}

TEST(ReadThroughCacheTest, MemoryIsBounded) {
  ReadThroughCache<int> cache(
      milliseconds(60000), [] { return uint64_t{0}; }, 2);
  cache.store("a", 1, 0);
  cache.store("b", 2, 0);
  cache.store("c", 3, 0);  // over the bound: starts over rather than grow
  EXPECT_FALSE(cache.find("a"));
  EXPECT_FALSE(cache.find("b"));
  EXPECT_TRUE(cache.find("c"));
}

}  // namespace
}  // namespace rifa::engine
