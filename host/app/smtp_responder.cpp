#include "app/smtp_responder.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace rifa::app {
namespace {

const std::map<std::string, std::string>& default_replies() {
  static const std::map<std::string, std::string> replies = {
      {"greeting", "220 mx.case.invalid ESMTP (rifa-host plugins check)"},
      {"ehlo", "250-mx.case.invalid\n250 8BITMIME"},
      {"helo", "250 mx.case.invalid"},
      {"mail", "250 2.1.0 Ok"},
      {"rcpt", "250 2.1.5 Ok"},
      {"data", "354 End data with <CR><LF>.<CR><LF>"},
      {"message", "250 2.0.0 Ok: queued"},
      {"rset", "250 2.0.0 Ok"},
      {"noop", "250 2.0.0 Ok"},
      {"quit", "221 2.0.0 Bye"},
      {"other", "502 5.5.2 Error: command not recognized"}};
  return replies;
}

std::string reply_for(const SmtpSessionScript& script, const std::string& step) {
  auto it = script.replies.find(step);
  if (it != script.replies.end()) return it->second;
  return default_replies().at(step);
}

bool send_all(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// "250-a\n250 b" → "250-a\r\n250 b\r\n".
bool send_reply(int fd, const std::string& reply) {
  std::string wire;
  size_t start = 0;
  while (start <= reply.size()) {
    size_t end = reply.find('\n', start);
    if (end == std::string::npos) end = reply.size();
    std::string line = reply.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    wire += line + "\r\n";
    start = end + 1;
  }
  return send_all(fd, wire);
}

std::string upper_verb(const std::string& line) {
  std::string verb = line.substr(0, line.find(' '));
  for (char& c : verb) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return verb;
}

}  // namespace

SmtpResponder::SmtpResponder(std::vector<SmtpSessionScript> sessions, bool refuse_connections)
    : sessions_(std::move(sessions)) {
  if (sessions_.empty()) sessions_.emplace_back();
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) {
    error_ = std::string("socket: ") + std::strerror(errno);
    return;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof address;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    error_ = std::string("bind 127.0.0.1: ") + std::strerror(errno);
    return;
  }
  port_ = ntohs(address.sin_port);
  // A bound socket that never listens holds the port, and the kernel refuses every connect to it.
  if (refuse_connections) return;
  if (::listen(listen_fd_, 8) != 0 || ::pipe2(wake_, O_CLOEXEC) != 0) {
    error_ = std::string("listen: ") + std::strerror(errno);
    port_ = 0;
    return;
  }
  thread_ = std::thread([this] { serve(); });
}

SmtpResponder::~SmtpResponder() {
  stopping_ = true;
  if (wake_[1] >= 0) (void)!::write(wake_[1], "x", 1);
  if (thread_.joinable()) thread_.join();
  for (int fd : {listen_fd_, wake_[0], wake_[1]}) {
    if (fd >= 0) ::close(fd);
  }
}

std::vector<SmtpTranscript> SmtpResponder::transcripts() {
  std::lock_guard lock(mutex_);
  return transcripts_;
}

void SmtpResponder::serve() {
  size_t index = 0;
  while (!stopping_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    {
      std::lock_guard lock(mutex_);
      transcripts_.emplace_back();
    }
    session(fd, sessions_[std::min(index, sessions_.size() - 1)], index);
    ::close(fd);
    ++index;
  }
}

void SmtpResponder::session(int fd, const SmtpSessionScript& script, size_t index) {
  const auto record = [&](auto&& change) {
    std::lock_guard lock(mutex_);
    change(transcripts_[index]);
  };
  if (!script.silent) {
    const std::string greeting = reply_for(script, "greeting");
    if (!send_reply(fd, greeting) || greeting.rfind("421", 0) == 0) return;
  }
  std::string buffer;
  bool in_data = false;
  char chunk[4096];
  while (!stopping_) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return;  // the client hung up (after QUIT, or on its own timeout)
    if (script.silent) continue;
    buffer.append(chunk, static_cast<size_t>(n));
    for (size_t eol; (eol = buffer.find("\r\n")) != std::string::npos;) {
      std::string line = buffer.substr(0, eol);
      buffer.erase(0, eol + 2);
      if (in_data) {
        if (line == ".") {
          in_data = false;
          record([](SmtpTranscript& t) { t.message_complete = true; });
          if (!send_reply(fd, reply_for(script, "message"))) return;
        } else {
          if (!line.empty() && line.front() == '.') line.erase(0, 1);
          record([&](SmtpTranscript& t) { t.message += line + "\r\n"; });
        }
        continue;
      }
      record([&](SmtpTranscript& t) { t.commands.push_back(line); });
      const std::string verb = upper_verb(line);
      std::string step = "other";
      if (verb == "EHLO" || verb == "HELO" || verb == "MAIL" || verb == "RCPT" || verb == "DATA" || verb == "RSET" ||
          verb == "NOOP" || verb == "QUIT") {
        step = verb;
        for (char& c : step) c = static_cast<char>(c - 'A' + 'a');
      }
      const std::string reply = reply_for(script, step);
      if (!send_reply(fd, reply)) return;
      if (step == "quit" || reply.rfind("421", 0) == 0) return;
      if (step == "data" && reply.rfind("354", 0) == 0) in_data = true;
    }
  }
}

}  // namespace rifa::app
