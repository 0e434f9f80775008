#include "smtp_sink_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace rifa::testing {
namespace fs = std::filesystem;

namespace {

const char* kPython = "/usr/bin/python3";

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

}  // namespace

std::string SmtpSinkProcess::unavailable_reason() {
  if (std::system((std::string(kPython) + " -c 'import aiosmtpd' > /dev/null 2>&1").c_str()) != 0) {
    return "Debian's python3-aiosmtpd is not installed (scripts/setup.sh installs it)";
  }
  if (std::system("openssl version > /dev/null 2>&1") != 0) return "openssl is not installed";
  return "";
}

uint16_t SmtpSinkProcess::free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t size = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool SmtpSinkProcess::make_certificate(const fs::path& dir) {
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
      (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string() + " > /dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

SmtpSinkProcess::SmtpSinkProcess(const fs::path& out_dir, const SmtpSinkOptions& options) : out_dir_(out_dir) {
  fs::create_directories(out_dir_);
  std::vector<std::string> args = {kPython,  RIFA_SMTP_SINK_SCRIPT,       "--out", out_dir_.string(),
                                   "--port", std::to_string(options.port)};
  if (!options.cert.empty()) {
    args.insert(args.end(), {"--cert", options.cert.string(), "--key", options.key.string()});
    if (options.implicit_tls) args.push_back("--implicit-tls");
  }
  if (!options.auth.empty()) args.insert(args.end(), {"--auth", options.auth});
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(kPython, argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  std::string line;
  // Python and aiosmtpd start in well under a second; allow a loaded machine 30.
  for (int waited = 0; waited < 300 && line.find('\n') == std::string::npos; ++waited) {
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buffer[64];
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  if (line.rfind("READY ", 0) == 0) port_ = static_cast<uint16_t>(std::stoi(line.substr(6)));
}

SmtpSinkProcess::~SmtpSinkProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::vector<nlohmann::json> SmtpSinkProcess::mails() const {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(out_dir_)) {
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<nlohmann::json> out;
  for (const auto& file : files) {
    fs::path envelope_file = file;
    envelope_file.replace_extension(".json");
    std::ifstream envelope(envelope_file);
    nlohmann::json mail = nlohmann::json::parse(
        run(std::string(kPython) + " " + RIFA_PARSE_EML_SCRIPT + " " + file.string()), nullptr, false);
    out.push_back({{"envelope", nlohmann::json::parse(envelope, nullptr, false)}, {"mail", mail}});
  }
  return out;
}

}  // namespace rifa::testing
