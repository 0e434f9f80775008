#include <gtest/gtest.h>

#include "server/rate_limiter.hpp"

namespace rifa::api {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsABurstThenRefusesWithRetryAfter) {
  RateLimiter limiter(2.0, 3.0);
  const auto t0 = RateLimiter::Clock::time_point{} + 1000s;
  EXPECT_TRUE(limiter.take("ip:1", t0).allowed);
  EXPECT_TRUE(limiter.take("ip:1", t0).allowed);
  EXPECT_TRUE(limiter.take("ip:1", t0).allowed);
  auto refused = limiter.take("ip:1", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 1);
  EXPECT_TRUE(limiter.take("ip:2", t0).allowed) << "buckets are per key";
  EXPECT_TRUE(limiter.take("ip:1", t0 + 500ms).allowed) << "half a second refills one token at 2/s";
  EXPECT_FALSE(limiter.take("ip:1", t0 + 500ms).allowed);
}

TEST(RateLimiter, SlowRateGivesALongerRetryAfter) {
  RateLimiter limiter(0.1, 1.0);
  const auto t0 = RateLimiter::Clock::time_point{} + 1000s;
  EXPECT_TRUE(limiter.take("u", t0).allowed);
  EXPECT_EQ(limiter.take("u", t0).retry_after_s, 10);
}

TEST(RateLimiter, ManyDistinctKeysDoNotGrowWithoutBound) {
  RateLimiter limiter(1.0, 1.0, 100);
  const auto t0 = RateLimiter::Clock::time_point{} + 1000s;
  for (int i = 0; i < 10000; ++i) limiter.take("ip:" + std::to_string(i), t0);
  // Still answers correctly after the sweeps.
  EXPECT_TRUE(limiter.take("fresh", t0).allowed);
  EXPECT_FALSE(limiter.take("fresh", t0).allowed);
}

}  // namespace
}  // namespace rifa::api
