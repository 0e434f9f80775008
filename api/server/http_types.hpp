#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rifa::api {

class LiveStream;

// A request as handlers see it: already read, size-checked and routed.
struct Request {
  std::string method;
  std::string target;  // as sent: path + query
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> path_params;
  // Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string request_id;
  // The client's address: the socket's peer, or — when the peer is one of server.trusted_proxies —
  // the address the proxies vouch for (ClientAddressResolver). Rate limits, logs and audit use it.
  std::string remote_address;
  // The socket's peer, whoever it is (a proxy's address behind one).
  std::string peer_address;
  // When the answer is due: read time + server.request_timeout_ms (time waiting for a worker
  // counts). A request still queued then is answered 503 unrun; a handler that calls out may
  // bound its calls by it. time_point::max() = no deadline.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set: the connection is handed over to this stream (a WebSocket when status is 101, else
  // text/event-stream) instead of being answered with `body` (server/live_stream.hpp).
  std::shared_ptr<LiveStream> live;
};

// An application/problem+json answer (RFC 9457) with a stable `type`.
Response problem(int status, const std::string& type, const std::string& title, const std::string& detail,
                 const std::string& field = "");

Response json_response(int status, std::string body);

}  // namespace rifa::api
