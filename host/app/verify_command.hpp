#pragma once

#include <ostream>
#include <string>

namespace rifa::app {

// `rifa-host verify FILE|URL`: reads a verificacion document from a file, or from an http(s) URL,
// checks it (engine/settlement/verification_check.hpp) and prints OK or each difference. Returns the exit
// status: 0 everything matches, 1 a difference, 2 the document cannot be read.
int run_verify(const std::string& source, std::ostream& out, std::ostream& err);

}  // namespace rifa::app
