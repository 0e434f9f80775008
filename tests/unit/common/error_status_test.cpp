// The one ErrorCode → HTTP table (common/error_status.hpp) and the field carried as data.
#include <gtest/gtest.h>

#include "common/error_status.hpp"

namespace rifa {
namespace {

TEST(ErrorStatus, EveryCodeAnswersAnErrorStatus) {
  for (ErrorCode code : kAllErrorCodes) {
    EXPECT_GE(http_status(code), 400) << to_string(code);
    EXPECT_NE(std::string(http_answer(code).problem), "") << to_string(code);
  }
}

TEST(ErrorStatus, TheStatusesTheEngineUsedToGetWrong) {
  // The engine's own copy stored these as 500.
  EXPECT_EQ(http_status(ErrorCode::kTimeout), 504);
  EXPECT_EQ(http_status(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(http_status(ErrorCode::kSignature), 400);
  EXPECT_EQ(http_status(ErrorCode::kNotPublished), 409);
  EXPECT_EQ(http_status(ErrorCode::kUnsupported), 501);
  EXPECT_EQ(http_status(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(http_status(ErrorCode::kConflict), 409);
  EXPECT_EQ(http_status(ErrorCode::kDatabase), 500);
}

TEST(ErrorField, CarriedAsDataAndNamedInTheMessage) {
  const Error e = make_field_error(ErrorCode::kConflict, "quantity", "the rifa is sold out");
  EXPECT_EQ(e.field, "quantity");
  EXPECT_EQ(e.message, "quantity: the rifa is sold out");
  // A message that merely looks like "<field>: ..." names no field.
  EXPECT_EQ(make_error(ErrorCode::kDatabase, "ping: connection refused").field, "");
}

}  // namespace
}  // namespace rifa
