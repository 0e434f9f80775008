#include "loopback_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>

namespace rifa::testing {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

LoopbackHttpServer::LoopbackHttpServer(std::function<int(size_t)> status_for) : status_for_(std::move(status_for)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("bind/listen on 127.0.0.1 failed");
  }
  socklen_t size = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &size);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

LoopbackHttpServer::~LoopbackHttpServer() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

std::vector<RecordedRequest> LoopbackHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<RecordedRequest> LoopbackHttpServer::accepted() const {
  std::lock_guard lock(mutex_);
  std::vector<RecordedRequest> out;
  for (size_t i = 0; i < requests_.size(); ++i) {
    if (statuses_[i] >= 200 && statuses_[i] < 300) out.push_back(requests_[i]);
  }
  return out;
}

void LoopbackHttpServer::serve() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string data;
    char buffer[8192];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    RecordedRequest request;
    bool complete = false;
    while (true) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        size_t line_end = data.find("\r\n");
        const std::string request_line = data.substr(0, line_end);
        const size_t sp1 = request_line.find(' ');
        const size_t sp2 = request_line.find(' ', sp1 + 1);
        request.method = request_line.substr(0, sp1);
        request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
        size_t pos = line_end + 2;
        while (pos < header_end) {
          const size_t end = data.find("\r\n", pos);
          const std::string line = data.substr(pos, end - pos);
          const size_t colon = line.find(':');
          if (colon != std::string::npos)
            request.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
          pos = end + 2;
        }
        if (auto it = request.headers.find("content-length"); it != request.headers.end()) {
          content_length = std::stoul(it->second);
        }
      }
      if (data.size() >= header_end + 4 + content_length) {
        request.body = data.substr(header_end + 4, content_length);
        complete = true;
        break;
      }
    }
    if (complete) {
      int status = 200;
      {
        std::lock_guard lock(mutex_);
        status = status_for_ ? status_for_(requests_.size()) : 200;
        requests_.push_back(request);
        statuses_.push_back(status);
      }
      const std::string body = status < 300 ? "ok" : "no";
      const std::string reply = "HTTP/1.1 " + std::to_string(status) +
                                " X\r\nContent-Length: " + std::to_string(body.size()) +
                                "\r\nConnection: close\r\n\r\n" + body;
      ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
    }
    ::close(fd);
  }
}

}  // namespace rifa::testing
