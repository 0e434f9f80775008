#pragma once

#include "common/result.hpp"
#include "server/http_types.hpp"

namespace rifa::api {

// The one table from ErrorCode to HTTP: status, problem `type` slug and title.
struct ProblemKind {
  int status;
  const char* type;
  const char* title;
};
ProblemKind problem_kind(ErrorCode code);

// An Error as an application/problem+json response. kInternal never leaks its message: the
// caller gets the request id to quote instead.
Response problem_from_error(const Error& error, const std::string& request_id, const std::string& field = "");

}  // namespace rifa::api
