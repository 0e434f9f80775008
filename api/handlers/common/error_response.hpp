#pragma once

#include "common/result.hpp"
#include "server/http_types.hpp"

namespace rifa::api {

// An engine or request-parsing Error as the HTTP answer, through server/error_mapping's table, with
// three additions for request handling:
//  * kParse here means the request body could not be read: 400 "malformed-json", or 415
//    "unsupported-media-type" when it was not sent as JSON (JsonBody's body_problem);
//  * the `field` of validation (and locked-field) errors is lifted from the "<field>: ..." message;
//  * 401 carries WWW-Authenticate: Bearer (RFC 6750).
// 5xx errors are logged with the request id, since their message is withheld from the caller.
Response error_response(const Error& error, const Request& request);

}  // namespace rifa::api
