#pragma once
// One mail through SMTP with libcurl: smtp:// (STARTTLS when asked) or smtps:// (implicit TLS),
// AUTH when a username is given.

#include <cstdint>
#include <string>

namespace rifa::plugins::email {

struct SmtpOptions {
  std::string url;       // smtp://host:port or smtps://host:port
  std::string starttls;  // "required" (refuse to send in clear), "opportunistic", "none"
  std::string username;  // empty: no AUTH
  std::string password;
  std::string ca_file;  // trust this CA (PEM) instead of the system's
  bool verify_tls = true;
  uint32_t timeout_ms = 30000;
};

// Sends `message` (CRLF lines, headers included) from `from` to `to`. Throws sdk::Error naming
// curl's reason and the SMTP reply code on failure: RIFA_ERR_DECLINED when the server refused with
// a 5xx reply (permanent), RIFA_ERR_TIMEOUT when it did not answer in time, RIFA_ERR_TRANSPORT
// otherwise (a 4xx reply, a refused connection, a TLS failure: worth trying again).
void send_mail(const SmtpOptions& options, const std::string& from, const std::string& to, const std::string& message);

}  // namespace rifa::plugins::email
