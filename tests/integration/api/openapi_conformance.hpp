#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace rifa::testing {

// A request as it went on the wire: what the conformance check needs to judge it.
struct SentRequest {
  std::string method;
  std::string path_and_query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The request http_call sends for these arguments (it adds Authorization and, with a body,
  // Content-Type: application/json).
  static SentRequest of_http_call(const std::string& method, const std::string& path_and_query, const std::string& body,
                                  const std::string& bearer, const std::vector<std::string>& extra_headers = {});
};

// Checks a real exchange against what api/openapi/openapi.json documents for that operation, so
// that drift between the server and its contract fails the API tests. ApiTest::call runs it on
// every reply. What it checks:
//  * the status is one of the operation's responses (a 405 on a documented path: the document's
//    MethodNotAllowed response);
//  * every header the reply carries is declared on that response, except the transport and
//    security headers every reply has (see kHeadersOfEveryReply), and every header declared as
//    required is there;
//  * a JSON body validates against the response's schema (closed objects: a member the document
//    does not name is drift too);
//  * the request: when the document says it is invalid (no credentials where the operation needs
//    them, a missing or out-of-range parameter or header, a body in another media type, a body
//    that fails the request schema, a body where the operation takes none), the server must not
//    accept it (2xx is drift);
//  * a 422 "<field>: ... required" for a member or parameter the request did not send must name
//    something the document requires (or lists in the operation's x-required-one-of).
// Paths the document does not describe (unknown routes, routes a test adds for itself) are not
// judged here; openapi_test checks the route list itself.
class OpenApiConformance {
 public:
  static const OpenApiConformance& instance();

  // What is wrong with this exchange, one line each; empty when it conforms.
  std::vector<std::string> check(const SentRequest& request, const ApiReply& reply) const;

  // Every JSON example in the document (request bodies and responses) checked against its own
  // schema by the same rules, so an example cannot teach a shape the API does not have.
  std::vector<std::string> example_problems() const;

 private:
  OpenApiConformance();
  ~OpenApiConformance();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rifa::testing
