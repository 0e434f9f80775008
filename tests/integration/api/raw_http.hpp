#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rifa::testing {

// Blocking POSIX sockets for tests that must control what the client sends byte by byte (made-up
// method tokens, pipelined requests) and from which loopback address it connects (127.0.0.0/8 all
// reach a server on 127.0.0.1, so one test can be many client IPs).
class RawConnection {
 public:
  // Connects to 127.0.0.1:port from `source_address` (any 127.x.y.z); fd() < 0 when it failed.
  RawConnection(uint16_t port, const std::string& source_address = "127.0.0.1", int timeout_ms = 5000);
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&&) = delete;
  RawConnection(const RawConnection&) = delete;

  int fd() const { return fd_; }
  bool send_all(const std::string& bytes);

  struct Reply {
    int status = 0;       // 0 = no reply: the server closed the connection or the read timed out
    std::string headers;  // the head as received, lower-cased
    std::string body;
  };
  // Reads one HTTP/1.1 reply (Content-Length bodies only, which is all this server sends).
  Reply read_reply();

 private:
  int fd_ = -1;
  std::string buffer_;
};

// One GET and its reply on a fresh connection; status 0 when refused or closed.
RawConnection::Reply raw_get(uint16_t port, const std::string& target, const std::string& source_address = "127.0.0.1");

}  // namespace rifa::testing
