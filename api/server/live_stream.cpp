#include "server/live_stream.hpp"

#include <atomic>
#include <deque>
#include <mutex>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket.hpp>

#include "server/live_stream_transport.hpp"

namespace rifa::api {
namespace detail {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace asio = boost::asio;

// How long a close may take (the close frame written, the client's answer) before the socket is cut.
constexpr auto kCloseGrace = std::chrono::seconds(5);

struct LiveItem {
  uint64_t seq = 0;
  std::string_view type;  // "" = an SSE keep-alive comment (a WebSocket skips it)
  std::shared_ptr<const std::string> data;
  uint16_t close_code = 0;  // not 0: close with this code, `data` being the reason
};

class LiveStreamImpl;

class LiveShard : public std::enable_shared_from_this<LiveShard> {
 public:
  explicit LiveShard(asio::any_io_executor strand) : strand_(std::move(strand)) {}
  const asio::any_io_executor& strand() const { return strand_; }

  // Any thread, never blocks for long: the item waits in the inbox; the first one into an empty
  // inbox posts the handler that hands them all to their streams.
  void submit(std::shared_ptr<LiveStreamImpl> stream, LiveItem item) {
    {
      std::lock_guard lock(mutex_);
      inbox_.emplace_back(std::move(stream), std::move(item));
      if (scheduled_) return;
      scheduled_ = true;
    }
    asio::post(strand_, [self = shared_from_this()] { self->drain(); });
  }

 private:
  void drain();

  const asio::any_io_executor strand_;
  std::mutex mutex_;
  std::vector<std::pair<std::shared_ptr<LiveStreamImpl>, LiveItem>> inbox_;
  bool scheduled_ = false;
  std::vector<std::pair<std::shared_ptr<LiveStreamImpl>, LiveItem>> batch_;  // strand only; keeps its capacity
};

std::shared_ptr<LiveShard> make_live_shard(asio::any_io_executor strand) {
  return std::make_shared<LiveShard>(std::move(strand));
}

// Every member marked "strand" is touched only on the shard's strand once the stream is attached;
// before that, frames wait in `early_` (under the mutex) because the stream has no shard yet.
class LiveStreamImpl final : public LiveStream, public std::enable_shared_from_this<LiveStreamImpl> {
 public:
  LiveStreamImpl(LiveTransport transport, LiveStreamOptions options) : transport_(transport), options_(options) {}

  bool push(uint64_t seq, std::string_view type, std::shared_ptr<const std::string> data) override {
    if (closed_.load(std::memory_order_relaxed)) return false;
    submit(LiveItem{seq, type, std::move(data)});
    return true;
  }

  void close(uint16_t code, const std::string& reason) override {
    if (closed_.exchange(true)) return;
    submit(LiveItem{0, "", std::make_shared<const std::string>(reason), code});
  }

  void on_closed(std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    on_closed_ = std::move(fn);
  }

  void set_subprotocol(std::string protocol) override { subprotocol_ = std::move(protocol); }
  LiveTransport transport() const override { return transport_; }

  // On the HTTP session's strand: the socket moves to the shard's strand, then the stream starts there.
  void attach(LiveHandoff handoff) {
    keep_ = std::move(handoff.keep);
    done_ = std::move(handoff.done);
    headers_ = std::move(handoff.headers);
    session_executor_ = handoff.stream.get_executor();
    auto shard = std::move(handoff.shard);
    beast::tcp_stream moved(shard->strand());
    {
      auto& socket = handoff.stream.socket();
      beast::error_code ec;
      const auto endpoint = socket.local_endpoint(ec);
      const auto fd = ec ? -1 : socket.release(ec);
      if (!ec) moved.socket().assign(endpoint.protocol(), fd, ec);
      broken_ = static_cast<bool>(ec);
    }
    if (transport_ == LiveTransport::kWebSocket) {
      ws_.emplace(std::move(moved));
      beast::get_lowest_layer(*ws_).expires_never();
      websocket::stream_base::timeout timeouts{};
      timeouts.handshake_timeout = std::chrono::seconds(10);
      timeouts.idle_timeout = std::chrono::seconds(std::max(1, options_.ping_interval_s) * 2);
      timeouts.keep_alive_pings = true;
      ws_->set_option(timeouts);
      ws_->read_message_max(4096);
      ws_->set_option(websocket::stream_base::decorator(
          [headers = headers_, protocol = subprotocol_](websocket::response_type& res) {
            res.set(http::field::server, "rifa1122");
            for (const auto& [name, value] : headers) res.set(name, value);
            if (!protocol.empty()) res.set(http::field::sec_websocket_protocol, protocol);
          }));
      // Bytes the HTTP reader took past the request belong to the WebSocket.
      if (handoff.buffer.size() > 0) {
        ws_buffer_.commit(asio::buffer_copy(ws_buffer_.prepare(handoff.buffer.size()), handoff.buffer.data()));
      }
      upgrade_ = std::move(handoff.upgrade);
    } else {
      sse_.emplace(std::move(moved));
      sse_->expires_never();
      std::string head = "HTTP/1.1 200 OK\r\nServer: rifa1122\r\nContent-Type: text/event-stream\r\n";
      for (const auto& [name, value] : headers_) head += name + ": " + value + "\r\n";
      head += "X-Accel-Buffering: no\r\nConnection: close\r\n\r\nretry: 3000\n\n";
      sse_head_ = std::move(head);
    }
    {
      std::lock_guard lock(mutex_);
      shard_ = shard;
      for (auto& item : early_) shard_->submit(shared_from_this(), std::move(item));
      early_.clear();
    }
    asio::post(shard->strand(), [self = shared_from_this()] { self->start(); });
  }

  // On the strand (LiveShard::drain).
  void deliver(LiveItem item) {
    if (finished_ || closing_) return;
    if (item.close_code != 0) return begin_close(item.close_code, *item.data);
    if (queue_.size() >= options_.max_queued_frames) {
      queue_.clear();
      closed_ = true;
      return begin_close(kCloseTooSlow, "too slow: " + std::to_string(options_.max_queued_frames) +
                                            " frames were waiting; reconnect for a fresh snapshot");
    }
    queue_.push_back(std::move(item));
    pump_if_idle();
  }

 private:
  void submit(LiveItem item) {
    std::lock_guard lock(mutex_);
    if (shard_) return shard_->submit(shared_from_this(), std::move(item));
    // Not attached yet (the handler is still answering): bounded like the queue.
    if (item.close_code == 0 && early_.size() >= options_.max_queued_frames) {
      closed_ = true;
      early_.clear();
      item = LiveItem{0, "", std::make_shared<const std::string>("too slow"), kCloseTooSlow};
    }
    early_.push_back(std::move(item));
  }

  void start() {
    if (broken_) return finish();
    if (ws_) {
      ws_->async_accept(*upgrade_, [self = shared_from_this()](beast::error_code ec) {
        if (ec) return self->finish();
        self->upgrade_.reset();
        self->read_ws();
        self->ready();
      });
    } else {
      read_sse();
      schedule_sse_ping();
      ready();  // the head goes out first, with whatever is queued
    }
  }

  void ready() {
    attached_ = true;
    if (closing_) start_close_timer();
    pump_if_idle();
  }

  void begin_close(uint16_t code, std::string reason) {
    closing_ = true;
    close_code_ = code;
    close_reason_ = std::move(reason);
    // A write stuck on a client that stopped reading would hold the close frame back: the
    // connection is cut kCloseGrace from now however far the close got.
    if (attached_) start_close_timer();
    pump_if_idle();
  }

  void pump_if_idle() {
    if (!attached_ || writing_ || finished_) return;
    writing_ = true;
    pump();
  }

  // Writes what is queued, then closes when asked to.
  void pump() {
    if (finished_) return;
    if (!queue_.empty() || !sse_head_.empty()) return ws_ ? write_ws() : write_sse();
    if (!closing_ || close_started_) {
      writing_ = false;
      return;
    }
    close_started_ = true;
    start_close_timer();
    if (ws_) {
      ws_->async_close(websocket::close_reason(static_cast<websocket::close_code>(close_code_), close_reason_),
                       [self = shared_from_this()](beast::error_code) { self->finish(); });
    } else {
      beast::error_code ec;
      sse_->socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
      finish();
    }
  }

  void write_ws() {
    while (!queue_.empty() && queue_.front().type.empty()) queue_.pop_front();  // SSE comments only
    if (queue_.empty()) return pump();
    // The frame being written stays here, out of the queue an overflow clears.
    in_flight_ = std::move(queue_.front().data);
    queue_.pop_front();
    ws_->text(true);
    ws_->async_write(asio::buffer(*in_flight_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->in_flight_.reset();
      if (ec) return self->finish();
      self->pump();
    });
  }

  void write_sse() {
    std::string out = std::move(sse_head_);
    sse_head_.clear();
    for (const auto& item : queue_) {
      if (item.type.empty()) {
        out += ": keep-alive\n\n";
        continue;
      }
      out += "id: " + std::to_string(item.seq) + "\nevent: ";
      out.append(item.type);
      out += "\ndata: ";
      out += *item.data;
      out += "\n\n";
    }
    queue_.clear();
    sse_out_ = std::move(out);
    sse_->expires_after(std::chrono::seconds(options_.write_timeout_s));
    asio::async_write(*sse_, asio::buffer(sse_out_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->pump();
    });
  }

  // Client messages are read (pongs and the close handshake need it) and ignored.
  void read_ws() {
    ws_->async_read(ws_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->finish();
      self->ws_buffer_.consume(n);
      self->read_ws();
    });
  }

  // An SSE client sends nothing after its request; a read that completes means it left.
  void read_sse() {
    sse_->async_read_some(asio::buffer(sse_in_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->read_sse();
    });
  }

  void schedule_sse_ping() {
    if (!ping_timer_) ping_timer_.emplace(sse_->get_executor());
    ping_timer_->expires_after(std::chrono::seconds(std::max(1, options_.ping_interval_s)));
    ping_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->finished_) return;
      self->deliver(LiveItem{0, "", nullptr});
      self->schedule_sse_ping();
    });
  }

  void start_close_timer() {
    if (close_timer_ || finished_) return;
    close_timer_.emplace(ws_ ? ws_->get_executor() : sse_->get_executor());
    close_timer_->expires_after(kCloseGrace);
    close_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->finish();
    });
  }

  // Once: the connection is over.
  void finish() {
    if (finished_) return;
    finished_ = true;
    closed_ = true;
    beast::error_code ec;
    if (ws_) beast::get_lowest_layer(*ws_).socket().close(ec);
    if (sse_) sse_->socket().close(ec);
    if (ping_timer_) ping_timer_->cancel();
    if (close_timer_) close_timer_->cancel();
    queue_.clear();
    std::function<void()> on_closed;
    {
      std::lock_guard lock(mutex_);
      on_closed = std::move(on_closed_);
    }
    if (on_closed) on_closed();
    if (done_) done_();
    // The HTTP session is released on its own strand.
    asio::post(session_executor_, [keep = std::move(keep_)] {});
  }

  const LiveTransport transport_;
  const LiveStreamOptions options_;
  std::string subprotocol_;
  std::atomic<bool> closed_{false};  // closing or closed: push() refuses

  std::mutex mutex_;  // guards the three below
  std::shared_ptr<LiveShard> shard_;  // set once by attach()
  std::deque<LiveItem> early_;
  std::function<void()> on_closed_;

  // Set by attach() before the stream reaches its strand; then strand only.
  std::shared_ptr<void> keep_;
  std::function<void()> done_;
  std::vector<std::pair<std::string, std::string>> headers_;
  asio::any_io_executor session_executor_;
  bool broken_ = false;
  std::optional<websocket::stream<beast::tcp_stream>> ws_;
  std::optional<http::request<http::string_body>> upgrade_;
  beast::flat_buffer ws_buffer_;
  std::optional<beast::tcp_stream> sse_;
  std::string sse_head_;

  // Strand only.
  std::deque<LiveItem> queue_;
  std::shared_ptr<const std::string> in_flight_;
  bool attached_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool close_started_ = false;
  bool finished_ = false;
  uint16_t close_code_ = 1000;
  std::string close_reason_;
  std::string sse_out_;
  char sse_in_[512];
  std::optional<asio::steady_timer> ping_timer_;
  std::optional<asio::steady_timer> close_timer_;
};

void LiveShard::drain() {
  {
    std::lock_guard lock(mutex_);
    batch_.swap(inbox_);
    scheduled_ = false;
  }
  for (auto& [stream, item] : batch_) stream->deliver(std::move(item));
  batch_.clear();
}

void start_live(const std::shared_ptr<LiveStream>& stream, LiveHandoff handoff) {
  static_cast<LiveStreamImpl&>(*stream).attach(std::move(handoff));
}

}  // namespace detail

std::shared_ptr<LiveStream> LiveStream::create(LiveTransport transport, LiveStreamOptions options) {
  return std::make_shared<detail::LiveStreamImpl>(transport, options);
}

}  // namespace rifa::api
