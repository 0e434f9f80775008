// rifa-host: parse the command line, run the command, map the outcome to an exit code.
#include <iostream>
#include <string>
#include <vector>

#include "app/application.hpp"
#include "app/cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto options = rifa::app::parse_cli(args);
  if (!options) {
    std::cerr << "rifa-host: " << options.error().message << "\n";
    return 64;  // EX_USAGE
  }
  try {
    return rifa::app::run_command(*options, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "rifa-host: fatal: " << e.what() << "\n";
    return 70;  // EX_SOFTWARE
  }
}
