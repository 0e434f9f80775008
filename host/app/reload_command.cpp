#include "app/reload_command.hpp"

#include <csignal>
#include <cstring>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

namespace rifa::app {
namespace {

namespace fs = std::filesystem;

fs::path canonical_or_self(const fs::path& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(p, ec);
  return ec ? p : c;
}

std::vector<std::string> command_line(const fs::path& proc) {
  std::ifstream in(proc / "cmdline", std::ios::binary);
  const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  size_t start = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\0') {
      args.push_back(raw.substr(start, i - start));
      start = i + 1;
    }
  }
  return args;
}

}  // namespace

std::vector<pid_t> serving_processes(const fs::path& config_file) {
  const fs::path wanted = canonical_or_self(fs::absolute(config_file));
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (pid == ::getpid()) continue;
    const auto args = command_line(entry.path());
    if (args.empty() || fs::path(args[0]).filename() != "rifa-host") continue;
    bool serving = false;
    fs::path config = "config/rifa.yaml";
    for (size_t i = 1; i < args.size(); ++i) {
      if (args[i] == "serve") serving = true;
      if (args[i] == "--config" && i + 1 < args.size()) config = args[++i];
    }
    if (!serving) continue;
    std::error_code cwd_ec;
    const fs::path cwd = fs::read_symlink(entry.path() / "cwd", cwd_ec);
    if (cwd_ec && config.is_relative()) continue;  // cannot tell which file it serves
    if (canonical_or_self(config.is_relative() ? cwd / config : config) == wanted) found.push_back(pid);
  }
  return found;
}

int run_reload(const fs::path& config_file, std::ostream& out, std::ostream& err) {
  const auto pids = serving_processes(config_file);
  if (pids.empty()) {
    err << "rifa-host reload: no `rifa-host serve` process of this machine serves " << config_file.string()
        << " (under systemd: systemctl reload rifa1122)\n";
    return 1;
  }
  int signalled = 0;
  for (pid_t pid : pids) {
    if (::kill(pid, SIGHUP) == 0) {
      out << "sent SIGHUP to rifa-host serve (pid " << pid << ")\n";
      ++signalled;
    } else {
      err << "rifa-host reload: cannot signal pid " << pid << ": " << std::strerror(errno) << "\n";
    }
  }
  out << "each host logs what it reloaded, or why it changed nothing (POST /api/v1/admin/config/reload "
         "answers with the same report)\n";
  return signalled > 0 ? 0 : 1;
}

}  // namespace rifa::app
