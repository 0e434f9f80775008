#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace rifa::testing {

// Checks a real reply against what api/openapi/openapi.json documents for that operation: the
// status must be one of the operation's responses and a JSON body must validate against that
// response's schema. ApiTest::call runs it on every reply, so every API test is also a check that
// the document tells the truth. Paths the document does not describe (unknown routes, routes a test
// adds for itself) are not judged here; openapi_test checks the route list itself.
class OpenApiConformance {
 public:
  static const OpenApiConformance& instance();

  // What is wrong with this reply, one line each; empty when it conforms.
  std::vector<std::string> check(const std::string& method, const std::string& path_and_query,
                                 const ApiReply& reply) const;

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
