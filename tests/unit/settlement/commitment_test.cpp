#include <gtest/gtest.h>

#include "engine/settlement/commitment.hpp"

namespace rifa::settlement {
namespace {

Commitment sample() {
  return Commitment{
      "6f1c2b9e-0d4a-4c1e-9f3b-2a7d5e8c1b40",
      "bogota",
      "2026-01-22",
      nlohmann::json::parse(
          R"({"tiers":[{"match":{"field":"numero","digits":"last","count":2},"share_bp":10000}],"unsold":"house"})"),
      100,
      "sequential",
      1'000'000,
      2500,
      "0b5f3a52-7d0e-4c8e-9a61-3f2b8d9e4c17",
      1,
      ""};
}

TEST(Commitment, CanonicalTextIsSortedCompactJson) {
  EXPECT_EQ(
      canonical_text(sample()),
      R"({"assignment":"sequential","draw_date":"2026-01-22","loteria_id":"0b5f3a52-7d0e-4c8e-9a61-3f2b8d9e4c17",)"
      R"("lottery_instance":"bogota","numero_ganadores":1,"precio_cents":1000000,)"
      R"("rake_bp":2500,"reglas":{"tiers":[{"match":{"count":2,"digits":"last","field":"numero"},"share_bp":10000}],)"
      R"("unsold":"house"},"rifa_id":"6f1c2b9e-0d4a-4c1e-9f3b-2a7d5e8c1b40","seed_sha256":null,"total_boletas":100,)"
      R"("version":1})");
}

TEST(Commitment, HashMatchesSha256OfTheCanonicalText) {
  // The canonical text above piped through coreutils' sha256sum.
  EXPECT_EQ(commitment_hash(sample()), "264c840b9a91f8ce49b1114193ea85b90791f20d5c7f4327ff8de3015ac143a7");
  Commitment changed = sample();
  changed.total_boletas = 101;
  EXPECT_NE(commitment_hash(changed), commitment_hash(sample())) << "any field changes the hash";
  auto round_trip = commitment_from_json(to_json(sample()));
  ASSERT_TRUE(round_trip.ok());
  EXPECT_EQ(commitment_hash(*round_trip), commitment_hash(sample()));
}

TEST(Commitment, RandomAssignmentCommitsTheSeedHash) {
  Commitment random = sample();
  random.assignment = "random";
  random.seed_sha256 = std::string(64, 'a');
  EXPECT_EQ(to_json(random)["seed_sha256"], std::string(64, 'a'));
  auto round_trip = commitment_from_json(to_json(random));
  ASSERT_TRUE(round_trip.ok());
  EXPECT_EQ(round_trip->seed_sha256, std::string(64, 'a'));
  Commitment other_seed = random;
  other_seed.seed_sha256 = std::string(64, 'b');
  EXPECT_NE(commitment_hash(other_seed), commitment_hash(random));
}

TEST(Commitment, RejectsUnknownVersionsAndMissingFields) {
  auto j = to_json(sample());
  j["version"] = 2;
  EXPECT_FALSE(commitment_from_json(j).ok());
  j = to_json(sample());
  j.erase("reglas");
  EXPECT_FALSE(commitment_from_json(j).ok());
}

}  // namespace
}  // namespace rifa::settlement
