#pragma once
// smtp_sink.py (a real aiosmtpd SMTP server) as a child process of the test, and the mails it
// received, parsed by parse_eml.py as a mail client would.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rifa::testing {

struct SmtpSinkOptions {
  uint16_t port = 0;           // 0: any free port
  std::filesystem::path cert;  // with key: STARTTLS offered and required
  std::filesystem::path key;
  bool implicit_tls = false;  // with cert: TLS from the first byte (smtps://)
  std::string auth;           // "user:pass": AUTH required
};

class SmtpSinkProcess {
 public:
  // Empty when Debian's /usr/bin/python3 lacks aiosmtpd (the test should skip, saying so).
  static std::string unavailable_reason();
  // A free loopback port (for a server started later, while mail to it is refused).
  static uint16_t free_port();
  // Writes a throwaway self-signed certificate for 127.0.0.1/localhost (openssl) into `dir`.
  static bool make_certificate(const std::filesystem::path& dir);

  SmtpSinkProcess(const std::filesystem::path& out_dir, const SmtpSinkOptions& options);
  ~SmtpSinkProcess();
  SmtpSinkProcess(const SmtpSinkProcess&) = delete;
  SmtpSinkProcess& operator=(const SmtpSinkProcess&) = delete;

  bool ready() const { return port_ != 0; }
  uint16_t port() const { return port_; }
  // Every mail received so far, in order: {"envelope": {...}, "mail": parse_eml.py's JSON}.
  std::vector<nlohmann::json> mails() const;

 private:
  std::filesystem::path out_dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace rifa::testing
