#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rifa::testing {

// rifa-host run as a real child process, its stdout and stderr captured to files.
class HostProcess {
 public:
  HostProcess(const std::filesystem::path& binary, const std::vector<std::string>& args,
              const std::filesystem::path& work_dir);
  ~HostProcess();  // SIGKILLs a child still running

  // Waits for the child to exit; nullopt when it is still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  void signal(int sig);
  std::string stdout_text() const;
  std::string stderr_text() const;
  // Polls stderr until `needle` appears; returns the text after it up to the end of the line.
  std::optional<std::string> wait_for_log(const std::string& needle, std::chrono::milliseconds timeout) const;

 private:
  int pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path out_;
  std::filesystem::path err_;
};

// Runs rifa-host to completion; returns {exit code, stdout, stderr}.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
RunResult run_host(const std::filesystem::path& binary, const std::vector<std::string>& args,
                   const std::filesystem::path& work_dir);

struct HttpReply {
  long status = 0;
  std::string content_type;
  std::string body;
  std::string headers;
};
// A plain HTTP GET over a real socket (libcurl).
HttpReply http_get(const std::string& url);

}  // namespace rifa::testing
