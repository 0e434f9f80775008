#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rifa::testing {

// The body of a valid sign-up: an adult (1990-05-17) with a CC (a number made from the email, so
// two players of one test never share one) who accepts the data policy (issue 15).
nlohmann::json registration(const std::string& email, const std::string& nombre = "Jugador");
// `body` with the birth date, the document and the consent added where it has none.
nlohmann::json adult_signup(nlohmann::json body);

}  // namespace rifa::testing
