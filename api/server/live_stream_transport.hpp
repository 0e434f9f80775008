#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/live_stream.hpp"

// The server's side of a LiveStream (http_server.cpp hands a connection over with start_live).
namespace rifa::api::detail {

struct LiveHandoff {
  boost::beast::tcp_stream stream;
  boost::beast::flat_buffer buffer;  // bytes read past the request (a WebSocket client may send early)
  // The upgrade request (WebSocket); empty for SSE.
  std::optional<boost::beast::http::request<boost::beast::http::string_body>> upgrade;
  // Headers every answer of this server carries (X-Request-Id, security headers, CORS).
  std::vector<std::pair<std::string, std::string>> headers;
  unsigned version = 11;
  std::shared_ptr<void> keep;  // the HTTP session: lives until the stream ends
  std::function<void()> done;  // the server's bookkeeping, once, when the stream ends
};

void start_live(const std::shared_ptr<LiveStream>& stream, LiveHandoff handoff);

}  // namespace rifa::api::detail
