#pragma once

#include <string>

#include "rifa/lottery/date.hpp"

namespace rifa::lottery {

/// What a parser is asked: the draw held on `date`, read from a body fetched from `source_url`.
/// The date is only ever compared with the date printed in the page, never read from the URL.
struct PageRequest {
  Date date;
  std::string source_url;
};

}  // namespace rifa::lottery
