// bench/live/run.sh's reference: a bare Boost.Beast WebSocket broadcaster. Accepts WebSockets on
// 127.0.0.1:PORT (any path); once SUBSCRIBERS are connected it sends each a snapshot-like frame,
// then FRAMES frames {"type":"tickets","seq":…,"ts":<Unix ms>,…} every INTERVAL_MS, each to every
// subscriber (one shared buffer, a per-connection queue on its strand, as the host does), then
// {"type":"rifa","estado":"cerrada"} and exits when they have all closed (or after a minute).
//   live_ref_broadcaster PORT SUBSCRIBERS FRAMES INTERVAL_MS IO_THREADS
#include <atomic>
#include <functional>
#include <utility>
#include <chrono>
#include <cstdio>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : ws_(std::move(socket)) {}
  template <typename F>
  void start(F on_open) {
    // The subprotocol the host answers (clients offer it; ws refuses a handshake without it).
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::sec_websocket_protocol, "rifa-live"); }));
    ws_.async_accept([self = shared_from_this(), on_open](beast::error_code ec) {
      if (ec) return;
      on_open(self);
      self->read();
    });
  }
  void send(std::shared_ptr<const std::string> frame) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), frame] {
      self->queue_.push_back(frame);
      if (self->queue_.size() == 1) self->write();
    });
  }
  void close() {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      beast::get_lowest_layer(self->ws_).close(ec);
    });
  }

 private:
  void write() {
    ws_.text(true);
    ws_.async_write(asio::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->queue_.pop_front();
      if (!self->queue_.empty()) self->write();
    });
  }
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->buffer_.clear();
      self->read();
    });
  }
  websocket::stream<tcp::socket> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
};

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: live_ref_broadcaster PORT SUBSCRIBERS FRAMES INTERVAL_MS IO_THREADS\n";
    return 2;
  }
  const auto port = static_cast<unsigned short>(std::stoi(argv[1]));
  const size_t subscribers = std::stoul(argv[2]);
  const int frames = std::stoi(argv[3]);
  const int interval_ms = std::stoi(argv[4]);
  const int io_threads = std::stoi(argv[5]);
  asio::io_context io(io_threads);
  tcp::acceptor acceptor(asio::make_strand(io), {asio::ip::make_address("127.0.0.1"), port});
  std::mutex mutex;
  std::vector<std::shared_ptr<Session>> sessions;
  std::function<void()> accept = [&] {
    acceptor.async_accept(asio::make_strand(io), [&](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true));
        std::make_shared<Session>(std::move(socket))->start([&](std::shared_ptr<Session> s) {
          std::lock_guard lock(mutex);
          sessions.push_back(std::move(s));
        });
      }
      accept();
    });
  };
  accept();
  std::vector<std::thread> threads;
  for (int i = 0; i < io_threads; ++i) threads.emplace_back([&] { io.run(); });
  std::printf("listening\n");
  std::fflush(stdout);

  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  for (;;) {
    {
      std::lock_guard lock(mutex);
      if (sessions.size() >= subscribers) break;
    }
    if (std::chrono::steady_clock::now() > give_up) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto broadcast = [&](std::string text) {
    auto frame = std::make_shared<const std::string>(std::move(text));
    std::lock_guard lock(mutex);
    for (auto& s : sessions) s->send(frame);
  };
  broadcast(R"({"type":"snapshot","seq":1,"rifa_id":"ref","estado":"activa","total":10000,"vendidos":0,)"
            R"("reservados":0,"disponibles":10000,"vendido":[],"reservado":[],"ganadores":[]})");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (int i = 0; i < frames; ++i) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  R"({"type":"tickets","seq":%d,"estado":"vendido","numeros":[%d],"vendidos":%d,"reservados":0,)"
                  R"("disponibles":%d,"ts":%.3f})",
                  i + 2, i, i + 1, 10000 - i - 1, now_ms());
    broadcast(buf);
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
  broadcast(R"({"type":"rifa","seq":999999,"estado":"cerrada"})");
  std::this_thread::sleep_for(std::chrono::seconds(5));
  {
    std::lock_guard lock(mutex);
    for (auto& s : sessions) s->close();
  }
  io.stop();
  for (auto& t : threads) t.join();
  return 0;
}
