#pragma once

#include <string>
#include <vector>

namespace rifa::settings {

// One problem found in a config file. line and column are 1-based; 0 means the problem has no
// position (e.g. the file could not be read). path is the dotted YAML path ("plugins.instances.mock.kind"),
// empty when the problem is not about one key (a syntax error, an unreadable file).
struct ConfigError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string path;
  std::string message;

  bool operator==(const ConfigError&) const = default;
};

// "FILE:LINE:COL: error: PATH: MESSAGE"; the position and the path are left out when absent.
std::string format(const ConfigError& error);

// Every error on its own line, each ending with '\n', in the order given.
std::string format_errors(const std::vector<ConfigError>& errors);

// Orders by position (errors without one first); errors at the same position keep their order.
void sort_by_position(std::vector<ConfigError>& errors);

}  // namespace rifa::settings
