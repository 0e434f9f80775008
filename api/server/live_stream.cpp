#include "server/live_stream.hpp"

#include <deque>
#include <mutex>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket.hpp>

#include "server/live_stream_transport.hpp"

namespace rifa::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace asio = boost::asio;

// How long a close may take (the close frame written, the client's answer) before the socket is cut.
constexpr auto kCloseGrace = std::chrono::seconds(5);

class LiveStreamImpl final : public LiveStream, public std::enable_shared_from_this<LiveStreamImpl> {
 public:
  LiveStreamImpl(LiveTransport transport, LiveStreamOptions options) : transport_(transport), options_(options) {}

  bool push(uint64_t seq, uint32_t sub, std::string_view type, std::shared_ptr<const std::string> data) override {
    const size_t bytes = data ? data->size() : 0;
    std::lock_guard lock(mutex_);
    if (closing_) return false;
    const bool too_many = queue_.size() >= options_.max_queued_frames;
    // One frame alone always fits (a snapshot of a huge rifa may be bigger than the cap: refusing
    // it would cut every subscriber off at each reconnect).
    const size_t held_bytes = queued_bytes_ + writing_bytes_;
    if (too_many || (held_bytes > 0 && held_bytes + bytes > options_.max_queued_bytes)) {
      const std::string held =
          too_many ? std::to_string(options_.max_queued_frames) + " frames" : std::to_string(held_bytes) + " bytes";
      queue_.clear();
      queued_bytes_ = 0;
      begin_close_locked(kCloseTooSlow, "too slow: " + held + " were waiting; reconnect for a fresh snapshot");
      return false;
    }
    queued_bytes_ += bytes;
    queue_.push_back(Item{seq, sub, type, std::move(data)});
    kick_locked();
    return true;
  }

  void close(uint16_t code, const std::string& reason) override {
    std::lock_guard lock(mutex_);
    if (closing_) return;
    begin_close_locked(code, reason);
  }

  void on_closed(std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    on_closed_ = std::move(fn);
  }

  void set_subprotocol(std::string protocol) override { subprotocol_ = std::move(protocol); }
  LiveTransport transport() const override { return transport_; }

  void attach(detail::LiveHandoff handoff) {
    keep_ = std::move(handoff.keep);
    done_ = std::move(handoff.done);
    headers_ = std::move(handoff.headers);
    auto executor = handoff.stream.get_executor();
    if (transport_ == LiveTransport::kWebSocket) {
      ws_.emplace(std::move(handoff.stream));
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
      ws_->async_accept(*handoff.upgrade, [self = shared_from_this(), executor](beast::error_code ec) {
        if (ec) return self->finish();
        self->read_ws();
        std::lock_guard lock(self->mutex_);
        self->executor_ = executor;
        self->kick_locked();
      });
    } else {
      sse_.emplace(std::move(handoff.stream));
      sse_->expires_never();
      std::string head = "HTTP/1.1 200 OK\r\nServer: rifa1122\r\nContent-Type: text/event-stream\r\n";
      for (const auto& [name, value] : headers_) head += name + ": " + value + "\r\n";
      head += "X-Accel-Buffering: no\r\nConnection: close\r\n\r\nretry: 3000\n\n";
      sse_head_ = std::move(head);
      read_sse();
      schedule_sse_ping(executor);
      std::lock_guard lock(mutex_);
      executor_ = executor;
      writing_ = true;  // the head goes out first, with whatever is queued
      asio::post(executor, [self = shared_from_this()] { self->pump(); });
    }
  }

 private:
  struct Item {
    uint64_t seq = 0;
    uint32_t sub = 0;
    std::string_view type;  // "" = an SSE keep-alive comment
    std::shared_ptr<const std::string> data;
  };

  void begin_close_locked(uint16_t code, std::string reason) {
    closing_ = true;
    close_code_ = code;
    close_reason_ = std::move(reason);
    kick_locked(true);
    // A write stuck on a client that stopped reading would hold the close frame back: the
    // connection is cut kCloseGrace from now however far the close got.
    if (executor_) asio::post(*executor_, [self = shared_from_this()] { self->start_close_timer(); });
  }

  void kick_locked(bool force = false) {
    if (!executor_ || writing_) return;
    if (queue_.empty() && !force && !closing_) return;
    writing_ = true;
    asio::post(*executor_, [self = shared_from_this()] { self->pump(); });
  }

  // On the connection's strand: writes what is queued, then closes when asked to.
  void pump() {
    if (finished_) return;
    std::deque<Item> batch;
    bool closing = false;
    {
      std::lock_guard lock(mutex_);
      batch.swap(queue_);
      // The batch written before this one is done: what is held now is the batch about to be written.
      writing_bytes_ = queued_bytes_;
      queued_bytes_ = 0;
      closing = closing_;
      if (batch.empty() && sse_head_.empty() && (!closing || close_started_)) {
        writing_ = false;
        return;
      }
    }
    if (!batch.empty() || !sse_head_.empty()) return write(std::move(batch));
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

  void write(std::deque<Item> batch) {
    if (ws_) {
      batch_ = std::move(batch);
      return write_next_ws();
    }
    std::string out = std::move(sse_head_);
    sse_head_.clear();
    for (const auto& item : batch) {
      if (item.type.empty()) {
        out += ": keep-alive\n\n";
        continue;
      }
      out += "id: " + std::to_string(item.seq);
      if (item.sub) out += "." + std::to_string(item.sub);
      out += "\nevent: ";
      out.append(item.type);
      out += "\ndata: ";
      out += *item.data;
      out += "\n\n";
    }
    sse_out_ = std::move(out);
    sse_->expires_after(std::chrono::seconds(options_.write_timeout_s));
    asio::async_write(*sse_, asio::buffer(sse_out_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->pump();
    });
  }

  void write_next_ws() {
    while (!batch_.empty() && batch_.front().type.empty()) batch_.pop_front();  // SSE comments only
    if (batch_.empty()) return pump();
    ws_->text(true);
    ws_->async_write(asio::buffer(*batch_.front().data),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->finish();
                       self->batch_.pop_front();
                       self->write_next_ws();
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

  void schedule_sse_ping(const asio::any_io_executor& executor) {
    if (!ping_timer_) ping_timer_.emplace(executor);
    ping_timer_->expires_after(std::chrono::seconds(std::max(1, options_.ping_interval_s)));
    ping_timer_->async_wait([self = shared_from_this(), executor](beast::error_code ec) {
      if (ec || self->finished_) return;
      self->push(0, 0, "", nullptr);
      self->schedule_sse_ping(executor);
    });
  }

  void start_close_timer() {
    if (close_timer_ || finished_) return;
    auto executor = ws_ ? ws_->get_executor() : sse_->get_executor();
    close_timer_.emplace(executor);
    close_timer_->expires_after(kCloseGrace);
    close_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->finish();
    });
  }

  // On the strand, once: the connection is over.
  void finish() {
    if (finished_) return;
    finished_ = true;
    beast::error_code ec;
    if (ws_) beast::get_lowest_layer(*ws_).socket().close(ec);
    if (sse_) sse_->socket().close(ec);
    if (ping_timer_) ping_timer_->cancel();
    if (close_timer_) close_timer_->cancel();
    std::function<void()> on_closed;
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
      queue_.clear();
      queued_bytes_ = writing_bytes_ = 0;
      on_closed = std::move(on_closed_);
    }
    batch_.clear();
    if (on_closed) on_closed();
    if (done_) done_();
    // The HTTP session is released from its own strand's queue, not from inside its handler.
    asio::post(ws_ ? ws_->get_executor() : sse_->get_executor(), [keep = std::move(keep_)] {});
  }

  const LiveTransport transport_;
  const LiveStreamOptions options_;
  std::string subprotocol_;

  std::mutex mutex_;  // guards the queue and the closing state, which any thread may touch
  std::deque<Item> queue_;
  size_t queued_bytes_ = 0;                        // of the frames in queue_
  size_t writing_bytes_ = 0;                       // of the batch being written (SSE: its copy in sse_out_)
  std::optional<asio::any_io_executor> executor_;  // set once the connection is attached
  bool writing_ = false;
  bool closing_ = false;
  uint16_t close_code_ = 1000;
  std::string close_reason_;
  std::function<void()> on_closed_;

  // Strand only.
  bool close_started_ = false;
  bool finished_ = false;
  std::shared_ptr<void> keep_;
  std::function<void()> done_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::optional<websocket::stream<beast::tcp_stream>> ws_;
  beast::flat_buffer ws_buffer_;
  std::deque<Item> batch_;
  std::optional<beast::tcp_stream> sse_;
  std::string sse_head_;
  std::string sse_out_;
  char sse_in_[512];
  std::optional<asio::steady_timer> ping_timer_;
  std::optional<asio::steady_timer> close_timer_;
};

}  // namespace

std::shared_ptr<LiveStream> LiveStream::create(LiveTransport transport, LiveStreamOptions options) {
  return std::make_shared<LiveStreamImpl>(transport, options);
}

namespace detail {

void start_live(const std::shared_ptr<LiveStream>& stream, LiveHandoff handoff) {
  static_cast<LiveStreamImpl&>(*stream).attach(std::move(handoff));
}

}  // namespace detail
}  // namespace rifa::api
