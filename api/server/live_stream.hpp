#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace rifa::api {

// WebSocket close codes the live streams use.
inline constexpr uint16_t kCloseGoingAway = 1001;  // the server is stopping: reconnect elsewhere
inline constexpr uint16_t kCloseTooSlow = 4008;    // the client fell behind its send queue: reconnect
inline constexpr uint16_t kCloseTryLater = 1013;   // too many subscribers right now

enum class LiveTransport { kWebSocket, kServerSentEvents };

struct LiveStreamOptions {
  // Frames queued for one connection and not yet written; one more closes it (kCloseTooSlow). The
  // frames are shared between connections, so a queue costs a pointer per frame.
  size_t max_queued_frames = 512;
  // Bytes of the frames one connection holds (queued, and the batch being written); a frame past
  // it closes the connection (kCloseTooSlow). Frames are shared, but a client that stopped reading
  // keeps alive every frame the others wrote long ago: on a big rifa a resync snapshot is ~600 kB,
  // so 512 frames could pin 300 MB. This is what bounds a slow client's memory.
  size_t max_queued_bytes = size_t{8} << 20;
  // WebSocket: a ping after this long without traffic from the client, and the connection closed
  // when nothing (not even the pong) came back within twice as long. SSE: a comment line.
  int ping_interval_s = 20;
  // A write that makes no progress for this long closes the connection.
  int write_timeout_s = 15;
};

// A long-lived answer: a handler returns one in Response::live (status 101 for a WebSocket, 200
// for text/event-stream); the server then hands the connection over from its HTTP loop to this
// stream, on the connection's io strand, without holding a worker: frames pushed from any thread
// are queued and written there. A stream is counted by the server (server stop() closes every one
// with 1001 "going away", then waits for them within its drain timeout).
class LiveStream {
 public:
  virtual ~LiveStream() = default;
  static std::shared_ptr<LiveStream> create(LiveTransport transport, LiveStreamOptions options);

  // Thread-safe, never blocks. false once the stream is closed, or when this frame overflowed its
  // queue (the stream then closes itself with kCloseTooSlow). `seq` and `sub` make the SSE id:
  // "seq" for a public frame (sub 0), "seq.sub" for a private one.
  virtual bool push(uint64_t seq, uint32_t sub, std::string_view type, std::shared_ptr<const std::string> data) = 0;
  // Closes with `code` (WebSocket) once queued frames are written; thread-safe, idempotent.
  virtual void close(uint16_t code, const std::string& reason) = 0;
  // Runs once when the connection has ended, however it ended (any thread). Set it before the
  // handler returns the stream.
  virtual void on_closed(std::function<void()> fn) = 0;
  // The Sec-WebSocket-Protocol to answer with ("" = none).
  virtual void set_subprotocol(std::string protocol) = 0;
  virtual LiveTransport transport() const = 0;
};

}  // namespace rifa::api
