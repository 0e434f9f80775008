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

// One strand of the server's io_context that a share of the live connections runs on (the server
// makes one per io thread and deals connections out in turn). Frames pushed to its streams from
// any thread go through one inbox: the first push into an empty inbox posts one handler, which
// queues every frame waiting there on its stream and starts the writes, on the strand. A frame
// for 1,000 subscribers thus costs a post per strand, not one per subscriber, and no lock is held
// while anything is written.
class LiveShard;
std::shared_ptr<LiveShard> make_live_shard(boost::asio::any_io_executor strand);

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
  std::shared_ptr<LiveShard> shard;  // where the stream runs from now on (its socket moves there)
};

void start_live(const std::shared_ptr<LiveStream>& stream, LiveHandoff handoff);

}  // namespace rifa::api::detail
