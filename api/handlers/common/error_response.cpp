#include "handlers/common/error_response.hpp"

#include <spdlog/spdlog.h>

#include "handlers/common/json_body.hpp"
#include "server/error_mapping.hpp"

namespace rifa::api {

Response error_response(const Error& error, const Request& request) {
  if (error.code == ErrorCode::kParse) return make_problem(body_problem(error), error.message);
  const ProblemKind kind = problem_kind(error.code);
  if (kind.status >= 500) {
    spdlog::error("request {} {} {}: {}: {}", request.request_id, request.method, request.path, to_string(error.code),
                  error.message);
  }
  Response response = problem_from_error(error, request.request_id);
  if (kind.status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

}  // namespace rifa::api
