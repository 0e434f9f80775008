#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rifa::app {

// What one SMTP session of a recorded notifier case answers (fixtures/notifiers/README.md). Each
// reply is the text sent for that step, one or more lines ("250-mx\n250 8BITMIME" is a multi-line
// reply); the responder adds the CRLFs. A missing step answers its default (a server that takes
// the mail).
struct SmtpSessionScript {
  bool silent = false;                         // accept the connection and never answer: the client's timeout
  std::map<std::string, std::string> replies;  // greeting, ehlo, helo, mail, rcpt, data, message, rset, quit, noop
};

// What the client said in one session.
struct SmtpTranscript {
  std::vector<std::string> commands;  // every command line, as sent (DATA's content excluded)
  std::string message;                // the DATA content, CRLF lines, dot-unstuffed; empty when none
  bool message_complete = false;      // the final "." arrived
};

// A loopback SMTP server that plays recorded replies, so a notifier that speaks SMTP itself (with
// libcurl, not through the host's transport) is replayed over a real socket. Listens on 127.0.0.1
// on a port of its own; the n-th connection plays sessions[n] (the last one repeats). With
// `refuse_connections`, the port is bound but never listened on: every connect is refused.
// Plain SMTP only (no TLS): a case says "starttls": "none", or tests that a plugin requiring
// STARTTLS does not send when it is not offered.
class SmtpResponder {
 public:
  SmtpResponder(std::vector<SmtpSessionScript> sessions, bool refuse_connections);
  ~SmtpResponder();
  SmtpResponder(const SmtpResponder&) = delete;
  SmtpResponder& operator=(const SmtpResponder&) = delete;

  // Empty when the socket could not be set up; then error() says why.
  uint16_t port() const { return port_; }
  const std::string& error() const { return error_; }
  // Sessions so far (copies: the thread may still be writing the last one).
  std::vector<SmtpTranscript> transcripts();

 private:
  void serve();
  void session(int fd, const SmtpSessionScript& script, size_t index);

  std::vector<SmtpSessionScript> sessions_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::string error_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<SmtpTranscript> transcripts_;
  std::thread thread_;
};

}  // namespace rifa::app
