#include "server/http_server.hpp"

#include <sys/resource.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>

#include "common/log_context.hpp"
#include "server/connection_table.hpp"
#include "server/client_address.hpp"
#include "server/cors_policy.hpp"
#include "server/error_mapping.hpp"
#include "server/live_stream.hpp"
#include "server/live_stream_transport.hpp"
#include "server/request_metrics.hpp"
#include "server/worker_pool.hpp"

namespace rifa::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string new_request_id() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  static const char* hex = "0123456789abcdef";
  std::string id(16, '0');
  uint64_t v = rng();
  for (auto& c : id) {
    c = hex[v & 0xF];
    v >>= 4;
  }
  return id;
}

bool valid_request_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

std::map<std::string, std::string> parse_query(const std::string& query) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq), true);
    std::string value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1), true);
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace

std::string percent_decode(const std::string& s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

struct HttpServer::Shared {
  ServerOptions options;
  const Router& router;
  std::shared_ptr<spdlog::logger> logger;
  MetricsRegistry* metrics;
  CorsPolicy cors;
  ClientAddressResolver client_addresses;  // set by start()
  // Made in start(), once the descriptor limit is known; outlives every Session (they share this).
  std::unique_ptr<ConnectionTable> connections;
  Gauge* open_connections = nullptr;
  Counter* admitted = nullptr;
  Counter* admitted_by_eviction = nullptr;
  Counter* refused_per_ip = nullptr;
  Counter* refused_host_full = nullptr;
  Counter* accept_fd_exhausted = nullptr;
  Counter* accept_other_errors = nullptr;
  Counter* shed_queue_full = nullptr;
  Counter* shed_deadline = nullptr;
  // Where handlers run (made in start(); both null = on the io threads, ServerOptions::workers 0).
  WorkerPool* workers = nullptr;
  WorkerPool* probes = nullptr;
  // Keeps the io threads running while a handler is on a worker and nothing else is pending (the
  // acceptor closed by stop(), the connection not reading): its answer still has to be written.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> io_work;
  // Requests read and not yet answered; stop() waits for none (graceful drain).
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  std::mutex drain_mutex;
  std::condition_variable drained;
  // Connections handed over to a LiveStream (WebSocket, SSE), until they end; stop() closes them
  // with 1001 and waits for them with the requests (under drain_mutex).
  std::map<LiveStream*, std::weak_ptr<LiveStream>> live_streams;
  Gauge* live_open = nullptr;

  void live_added(const std::shared_ptr<LiveStream>& stream) {
    std::lock_guard lock(drain_mutex);
    live_streams.emplace(stream.get(), stream);
    if (live_open) live_open->add(1);
  }
  void live_ended(LiveStream* stream) {
    std::lock_guard lock(drain_mutex);
    if (live_streams.erase(stream) && live_open) live_open->add(-1);
    drained.notify_all();
  }

  void request_done() {
    if (in_flight.fetch_sub(1) == 1) {
      std::lock_guard lock(drain_mutex);
      drained.notify_all();
    }
  }

  Shared(ServerOptions o, const Router& r, std::shared_ptr<spdlog::logger> l, MetricsRegistry* m)
      : options(std::move(o)), router(r), logger(std::move(l)), metrics(m), cors(options.cors_allowed_origins) {
    if (!metrics) return;
    open_connections = &metrics->gauge("rifa_http_connections_open", "HTTP connections open now");
    live_open = &metrics->gauge("rifa_live_streams_open", "WebSocket and SSE live feed connections open now");
    auto connections_total = [this](const char* outcome) {
      return &metrics->counter("rifa_http_connections_total",
                               "Accepted TCP connections by outcome (admitted, or refused by a connection cap)",
                               {{"outcome", outcome}});
    };
    admitted = connections_total("admitted");
    admitted_by_eviction = connections_total("admitted_by_evicting_idle");
    refused_per_ip = connections_total("refused_per_ip_cap");
    refused_host_full = connections_total("refused_host_cap");
    auto accept_errors = [this](const char* reason) {
      return &metrics->counter("rifa_http_accept_errors_total",
                               "accept() failures; each one pauses accepting (no busy retry)", {{"reason", reason}});
    };
    accept_fd_exhausted = accept_errors("out_of_descriptors");
    accept_other_errors = accept_errors("other");
    auto shed = [this](const char* reason) {
      return &metrics->counter("rifa_http_requests_shed_total",
                               "Requests answered 503 without running their handler: the worker queue was full "
                               "(server.queue_limit) or the deadline passed while queued (server.request_timeout_ms)",
                               {{"reason", reason}});
    };
    shed_queue_full = shed("queue_full");
    shed_deadline = shed("deadline");
  }

  static void inc(Counter* counter) {
    if (counter) counter->inc();
  }

  // What the io thread decides about a parsed request: an answer that needs no handler (rate
  // limited, OPTIONS, 404, 405), or the handler to run elsewhere.
  struct Routed {
    std::optional<Response> answer;
    const Handler* handler = nullptr;  // into the Router, which outlives the server
  };

  Routed route(Request& request, std::string& route_name) {
    if (auto limited = check_ip_limit(request)) {
      route_name = "rate_limited";
      return {std::move(*limited)};
    }
    if (request.method == "OPTIONS") return {options_answer(request, route_name)};
    auto match = router.match(request);
    if (!match.handler) {
      if (!match.allowed_methods.empty()) {
        route_name = "method_not_allowed";
        const std::string allow = join(match.allowed_methods);
        auto r = make_problem(ProblemType::kMethodNotAllowed,
                              request.method + " is not allowed on " + request.path + "; allowed: " + allow);
        r.headers.emplace_back("Allow", allow);
        return {std::move(r)};
      }
      route_name = "not_found";
      return {make_problem(ProblemType::kNotFound, "no route for " + request.method + " " + request.path)};
    }
    route_name = match.route_name;
    return {std::nullopt, match.handler};
  }

  // The handler's answer, with the request id set for every log line written meanwhile (engine,
  // storage and plugins included: the id is thread-local and the handler runs on this thread), and
  // the client address for every audit entry written meanwhile.
  Response run(const Handler& handler, Request& request) {
    ScopedLogRequestId log_id(request.request_id);
    ScopedRequestClientAddress client(request.remote_address);
    try {
      return handler(request);
    } catch (const std::exception& e) {
      logger->error("request {} {} {} failed: {}", request.request_id, request.method, request.path, e.what());
    } catch (...) {
      logger->error("request {} {} {} failed with an unknown exception", request.request_id, request.method,
                    request.path);
    }
    return make_problem(ProblemType::kInternal,
                        "the server failed to handle this request; quote request id " + request.request_id);
  }

  void decorate(const Request& request, Response& response, const std::string& route_name) const {
    if (route_name != "preflight") cors.decorate(request, response);
  }

  // Probes have their own thread; everything else goes to the workers. nullptr = run inline.
  WorkerPool* pool_for(const Request& request) const {
    if (probes && (request.method == "GET" || request.method == "HEAD")) {
      const auto& paths = options.probe_paths;
      if (std::find(paths.begin(), paths.end(), request.path) != paths.end()) return probes;
    }
    return workers;
  }

  static Response busy(const std::string& detail) {
    auto r = make_problem(ProblemType::kUnavailable, detail);
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }

  std::optional<Response> check_ip_limit(const Request& request) {
    if (!options.rate_limits) return std::nullopt;
    const auto& exempt = options.rate_limit_exempt_paths;
    if (std::find(exempt.begin(), exempt.end(), request.path) != exempt.end()) return std::nullopt;
    const auto decision = options.rate_limits->check_ip(request.remote_address);
    if (decision.allowed) return std::nullopt;
    auto r = make_problem(ProblemType::kRateLimited, "too many requests from " + request.remote_address +
                                                         "; retry in " + std::to_string(decision.retry_after_s) + " s");
    r.headers.emplace_back("Retry-After", std::to_string(decision.retry_after_s));
    return r;
  }

  // A CORS preflight, or a plain OPTIONS (RFC 9110 §9.3.7: 204 with Allow).
  Response options_answer(Request& request, std::string& route_name) {
    Request probe = request;
    probe.method = "OPTIONS";
    const auto methods = router.match(probe).allowed_methods;
    if (CorsPolicy::is_preflight(request)) {
      route_name = "preflight";
      return cors.preflight(request, methods);
    }
    if (methods.empty()) {
      route_name = "not_found";
      return make_problem(ProblemType::kNotFound, "no route for " + request.path);
    }
    route_name = "options";
    auto with_options = methods;
    with_options.push_back("OPTIONS");
    Response r;
    r.status = 204;
    r.content_type.clear();
    r.headers.emplace_back("Allow", join(with_options));
    return r;
  }

  static std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
  }
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
  using Shared = HttpServer::Shared;

 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Shared> shared, ConnectionTable::Id id)
      : stream_(std::move(socket)), shared_(std::move(shared)), id_(id) {
    if (shared_->open_connections) shared_->open_connections->add(1);
  }

  ~Session() {
    shared_->connections->remove(id_);
    if (shared_->open_connections) shared_->open_connections->add(-1);
  }

  void run() {
    std::weak_ptr<Session> weak = shared_from_this();
    shared_->connections->attach(id_, [weak] {
      if (auto self = weak.lock()) asio::post(self->stream_.get_executor(), [self] { self->stream_.close(); });
    });
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(shared_->options.body_limit_bytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(shared_->options.read_timeout_s));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec == asio::error::bad_descriptor) return close();  // evicted while idle
    const auto started = std::chrono::steady_clock::now();
    shared_->in_flight.fetch_add(1);  // answered (or given up) in write()'s completion
    shared_->connections->activity(id_, true);
    Request request;
    request.request_id = new_request_id();
    Response response;
    std::string route_name;
    bool keep_alive = false;
    unsigned version = 11;
    if (ec == http::error::body_limit) {
      route_name = "body_too_large";
      // body_limit is only raised once every header field was parsed (a Content-Length over the limit is
      // refused in finish_header, before is_header_done() turns true), so the head is complete here:
      // echo the caller's request id and method even on this refusal.
      fill_head(parser_->get(), request);
      response = make_problem(ProblemType::kPayloadTooLarge,
                              "request body exceeds " + std::to_string(shared_->options.body_limit_bytes) + " bytes");
    } else if (ec) {
      route_name = "bad_request";
      response = make_problem(ProblemType::kBadRequest, "malformed HTTP request: " + ec.message());
    } else {
      auto msg = parser_->release();
      version = msg.version();
      keep_alive = msg.keep_alive();
      fill_request(msg, request);
      upgrade_.reset();
      if (beast::websocket::is_upgrade(msg)) upgrade_ = std::move(msg);  // kept for a live stream's handshake
      if (shared_->options.request_timeout_ms > 0) {
        request.deadline = started + std::chrono::milliseconds(shared_->options.request_timeout_ms);
      }
      auto routed = shared_->route(request, route_name);
      if (routed.handler) {
        return dispatch(std::move(request), *routed.handler, std::move(route_name), keep_alive, version, started);
      }
      response = std::move(*routed.answer);
      shared_->decorate(request, response, route_name);
    }
    write(std::move(request), std::move(response), route_name, keep_alive, version, started);
  }

  // A request waiting for (or running on) a worker, with what its answer needs.
  struct Pending {
    Request request;
    const Handler* handler = nullptr;
    std::string route_name;
    bool keep_alive = false;
    unsigned version = 11;
    std::chrono::steady_clock::time_point started;
  };

  // Hands the handler to a worker; the answer comes back to this connection's strand. A full
  // queue is answered here and now.
  void dispatch(Request request, const Handler& handler, std::string route_name, bool keep_alive, unsigned version,
                std::chrono::steady_clock::time_point started) {
    WorkerPool* pool = shared_->pool_for(request);
    if (!pool) {  // ServerOptions::workers 0: on this io thread, as before the pool existed
      Response response = shared_->run(handler, request);
      shared_->decorate(request, response, route_name);
      return write(std::move(request), std::move(response), route_name, keep_alive, version, started);
    }
    auto pending = std::make_shared<Pending>(
        Pending{std::move(request), &handler, std::move(route_name), keep_alive, version, started});
    std::function<void()> job = [self = shared_from_this(), pending] { self->work(pending); };
    if (pool->try_post(job)) return;
    Shared::inc(shared_->shed_queue_full);
    Response response = Shared::busy("the server is busy: " + std::to_string(pool->queued()) +
                                     " request(s) already wait for a worker (server.queue_limit); retry in 1 s");
    shared_->decorate(pending->request, response, pending->route_name);
    write(std::move(pending->request), std::move(response), pending->route_name, pending->keep_alive, pending->version,
          pending->started);
  }

  // On a worker thread: run the handler unless the deadline passed while the request waited.
  void work(const std::shared_ptr<Pending>& pending) {
    Pending& p = *pending;
    Response response;
    if (std::chrono::steady_clock::now() >= p.request.deadline) {
      Shared::inc(shared_->shed_deadline);
      response = Shared::busy("the server is busy: this request waited for a worker past its deadline (" +
                              std::to_string(shared_->options.request_timeout_ms) +
                              " ms, server.request_timeout_ms) and was not handled; retry in 1 s");
    } else {
      response = shared_->run(*p.handler, p.request);
    }
    shared_->decorate(p.request, response, p.route_name);
    asio::post(stream_.get_executor(), [self = shared_from_this(), pending, response = std::move(response)]() mutable {
      Pending& q = *pending;
      self->write(std::move(q.request), std::move(response), q.route_name, q.keep_alive, q.version, q.started);
    });
  }

  void fill_request(http::request<http::string_body>& msg, Request& request) {
    fill_head(msg, request);
    request.body = std::move(msg.body());
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      request.peer_address = endpoint.address().to_string();
      request.remote_address = shared_->client_addresses.client_address(
          request.peer_address, request.header(shared_->client_addresses.header_name()));
    }
  }

  static void fill_head(const http::request<http::string_body>& msg, Request& request) {
    request.method = std::string(msg.method_string());
    request.target = std::string(msg.target());
    const auto q = request.target.find('?');
    request.path = percent_decode(request.target.substr(0, q), false);
    if (q != std::string::npos) request.query = parse_query(request.target.substr(q + 1));
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto& value = request.headers[name];
      // The forwarding headers are lists a client and each proxy may each send a line of: keep
      // them all, in order, as RFC 9110 §5.3 allows; for other headers the last line wins.
      if (!value.empty() && (name == "x-forwarded-for" || name == "forwarded")) {
        value += ", ";
        value.append(field.value().data(), field.value().size());
      } else {
        value = std::string(field.value());
      }
    }
    if (auto given = request.header("x-request-id"); valid_request_id(given)) request.request_id = given;
  }

  void write(Request request, Response response, const std::string& route_name, bool keep_alive, unsigned version,
             std::chrono::steady_clock::time_point started) {
    if (response.live) {
      if (response.live->transport() == LiveTransport::kServerSentEvents || upgrade_) {
        return hand_off(request, response, route_name, version, started);
      }
      response.live->close(1002, "not a WebSocket upgrade");
      response = make_problem(ProblemType::kBadRequest, "a WebSocket needs an Upgrade request");
    }
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status), version);
    res->set(http::field::server, "rifa1122");
    if (!response.content_type.empty()) res->set(http::field::content_type, response.content_type);
    res->set("X-Request-Id", request.request_id);
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    res->set("Referrer-Policy", "no-referrer");
    res->set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    res->set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : response.headers) res->set(name, value);
    // While the server drains, answer and close: no new request on this connection.
    res->keep_alive(keep_alive && !shared_->draining);
    const bool bodiless_status = response.status < 200 || response.status == 204 || response.status == 304;
    if (request.method == "HEAD") {
      res->content_length(response.body.size());
    } else if (bodiless_status) {
      // No body and, unlike prepare_payload()'s "Content-Length: 0", no Content-Length: RFC 9110 §8.6
      // forbids it on 1xx and 204.
    } else {
      res->body() = std::move(response.body);
      res->prepare_payload();
    }

    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (shared_->metrics) record_request(*shared_->metrics, request.method, route_name, response.status, elapsed);
    // The access line, at info (production's level): the route's template, not the target, so that
    // no query string (a live feed's token, a search) reaches the log.
    shared_->logger->info("request {} from {} {} {} -> {} in {:.3f} ms", request.request_id, request.remote_address,
                          request.method, route_name, response.status, elapsed * 1000);

    const bool close_after = !res->keep_alive() || response.status == 413 || response.status == 400;
    // The read's timer may have run while a worker handled the request: a fresh one for the write.
    stream_.expires_after(std::chrono::seconds(shared_->options.read_timeout_s));
    http::async_write(stream_, *res, [self = shared_from_this(), res, close_after](beast::error_code ec, std::size_t) {
      self->shared_->request_done();
      self->shared_->connections->activity(self->id_, false);
      if (ec || close_after) return self->close();
      self->do_read();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  // The connection leaves the HTTP loop for a LiveStream, on this strand. It no longer counts as a
  // request in flight (stop() closes live streams instead of waiting for them to answer), stays
  // busy in the connection table (never evicted as idle) and keeps this Session until it ends.
  void hand_off(const Request& request, Response& response, const std::string& route_name, unsigned version,
                std::chrono::steady_clock::time_point started) {
    std::shared_ptr<LiveStream> live = std::move(response.live);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (shared_->metrics) record_request(*shared_->metrics, request.method, route_name, response.status, elapsed);
    shared_->logger->info("request {} from {} {} {} -> live stream after {:.3f} ms", request.request_id,
                          request.remote_address, request.method, route_name, elapsed * 1000);
    std::vector<std::pair<std::string, std::string>> headers = {
        {"X-Request-Id", request.request_id},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
        {"Cache-Control", "no-store"}};
    for (auto& header : response.headers) headers.push_back(std::move(header));
    shared_->live_added(live);
    detail::LiveHandoff handoff{std::move(stream_),
                                std::move(buffer_),
                                std::move(upgrade_),
                                std::move(headers),
                                version,
                                shared_from_this(),
                                [shared = shared_, raw = live.get()] { shared->live_ended(raw); }};
    shared_->request_done();
    detail::start_live(live, std::move(handoff));
    if (shared_->draining) live->close(kCloseGoingAway, "server shutting down");
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::request<http::string_body>> upgrade_;  // the last request, when it asked to upgrade
  std::shared_ptr<HttpServer::Shared> shared_;
  ConnectionTable::Id id_;
};

// A connection over a cap gets a short problem+json answer, written without waiting (a reply this
// small fits the new socket's send buffer), and is closed before any of its request is read.
void refuse(tcp::socket& socket, ProblemType type, const std::string& detail) {
  const Response problem = make_problem(type, detail);
  http::response<http::string_body> res(static_cast<http::status>(problem.status), 11);
  res.set(http::field::server, "rifa1122");
  res.set(http::field::content_type, problem.content_type);
  res.set(http::field::retry_after, "1");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(false);
  res.body() = problem.body;
  res.prepare_payload();
  beast::error_code ec;
  socket.non_blocking(true, ec);
  http::write(socket, res, ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

// Whom the per-address cap counts: an IPv4 address, or the /64 of an IPv6 one (one host gets a
// whole /64 and could otherwise open its cap from each of 2^64 addresses).
std::string connection_cap_key(const asio::ip::address& address) {
  if (!address.is_v6() || address.to_v6().is_v4_mapped()) return address.to_string();
  auto bytes = address.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return asio::ip::address_v6(bytes).to_string() + "/64";
}

bool out_of_descriptors(const beast::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  const int e = ec.value();
  return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

// Descriptors kept for everything that is not a client connection (database pool, plugins,
// their HTTP transfers, log files): a quarter of the limit, at least 16, at most 1024.
size_t connection_room_in_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
  const auto soft = static_cast<size_t>(limit.rlim_cur);
  const size_t reserve = std::clamp<size_t>(soft / 4, 16, 1024);
  return soft > reserve ? soft - reserve : 1;
}

// Probes waiting for the probe thread; beyond that a probe is answered 503 (a monitor polling
// faster than the database answers a ping is the one to slow down).
constexpr size_t kProbeQueueLimit = 64;

}  // namespace

HttpServer::HttpServer(ServerOptions options, const Router& router, std::shared_ptr<spdlog::logger> logger,
                       MetricsRegistry* metrics)
    : options_(std::move(options)),
      shared_(std::make_shared<Shared>(options_, router, std::move(logger), metrics)),
      io_(std::max(1, options_.io_threads)) {}

HttpServer::~HttpServer() { stop(); }

Result<void> HttpServer::start() {
  auto resolver = ClientAddressResolver::make(options_.trusted_proxies, options_.forwarded_header);
  if (!resolver) return resolver.error();
  shared_->client_addresses = std::move(*resolver);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options_.listen_address, ec);
  if (ec) {
    return make_error(ErrorCode::kConfigInvalid,
                      "server.listen: '" + options_.listen_address + "' is not an IP address: " + ec.message());
  }
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_ = std::make_unique<tcp::acceptor>(asio::make_strand(io_));
  auto fail = [&](const std::string& what) {
    return make_error(ErrorCode::kUnavailable, "cannot " + what + " " + options_.listen_address + ":" +
                                                   std::to_string(options_.port) + ": " + ec.message());
  };
  acceptor_->open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  acceptor_->bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  bound_port_ = acceptor_->local_endpoint().port();
  size_t max_connections = options_.max_connections;
  if (const size_t room = connection_room_in_descriptor_limit();
      room && (max_connections == 0 || max_connections > room)) {
    shared_->logger->info("server.max_connections lowered from {} to {} to fit the open-files limit (ulimit -n)",
                          max_connections, room);
    max_connections = room;
  }
  shared_->connections = std::make_unique<ConnectionTable>(max_connections, options_.max_connections_per_ip);
  accept_pause_timer_ = std::make_unique<asio::steady_timer>(acceptor_->get_executor());
  if (options_.workers > 0) {
    workers_ = std::make_unique<WorkerPool>(static_cast<size_t>(options_.workers), options_.queue_limit, "rifa-worker");
    shared_->workers = workers_.get();
    if (!options_.probe_paths.empty()) {
      probes_ = std::make_unique<WorkerPool>(1, kProbeQueueLimit, "rifa-probe");
      shared_->probes = probes_.get();
    }
  }
  shared_->io_work.emplace(io_.get_executor());
  do_accept();
  for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
  return {};
}

void HttpServer::do_accept() {
  acceptor_->async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (ec) return on_accept_error(ec);
    accept_pause_ = std::chrono::milliseconds(0);
    admit(std::move(socket));
    do_accept();
  });
}

void HttpServer::on_accept_error(const boost::system::error_code& ec) {
  using std::chrono::milliseconds;
  if (ec == asio::error::connection_aborted) return do_accept();  // that client left; the next may be fine
  milliseconds pause;
  if (out_of_descriptors(ec)) {
    Shared::inc(shared_->accept_fd_exhausted);
    if (accept_pause_ == milliseconds(0)) {
      shared_->logger->warn("accept: {}; closing idle connections and pausing accepts", ec.message());
    }
    // An evicted connection frees its descriptor as soon as its strand runs the close.
    pause = shared_->connections->evict_idle() ? milliseconds(5)
                                               : std::clamp(accept_pause_ * 2, milliseconds(10), milliseconds(1000));
  } else {
    Shared::inc(shared_->accept_other_errors);
    if (accept_pause_ == milliseconds(0)) shared_->logger->warn("accept: {}; pausing accepts", ec.message());
    pause = std::clamp(accept_pause_ * 2, milliseconds(10), milliseconds(1000));
  }
  accept_pause_ = pause;
  accept_pause_timer_->expires_after(pause);
  accept_pause_timer_->async_wait([this](beast::error_code wait_ec) {
    if (wait_ec || stopped_) return;
    do_accept();
  });
}

void HttpServer::admit(tcp::socket socket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return;  // the client is already gone
  const std::string address = connection_cap_key(endpoint.address());
  const bool from_trusted_proxy = shared_->client_addresses.trusts(endpoint.address().to_string());
  const auto admission = shared_->connections->admit(address, !from_trusted_proxy);
  switch (admission.outcome) {
    case ConnectionTable::Outcome::kRefusedPerAddress:
      Shared::inc(shared_->refused_per_ip);
      return refuse(socket, ProblemType::kRateLimited,
                    "too many open connections from " + address + " (server.max_connections_per_ip is " +
                        std::to_string(shared_->connections->max_per_address()) + "); reuse a keep-alive connection");
    case ConnectionTable::Outcome::kRefusedHostFull:
      Shared::inc(shared_->refused_host_full);
      return refuse(socket, ProblemType::kUnavailable, "the server holds its maximum of open connections; retry later");
    case ConnectionTable::Outcome::kAdmittedByEviction: Shared::inc(shared_->admitted_by_eviction); break;
    case ConnectionTable::Outcome::kAdmitted: Shared::inc(shared_->admitted); break;
  }
  socket.set_option(tcp::no_delay(true), ec);
  std::make_shared<Session>(std::move(socket), shared_, admission.id)->run();
}

void HttpServer::stop() {
  if (stopped_.exchange(true)) return;
  shared_->draining = true;
  if (acceptor_) {
    asio::post(acceptor_->get_executor(), [this] {
      beast::error_code ec;
      acceptor_->close(ec);
      if (accept_pause_timer_) accept_pause_timer_->cancel();
    });
  }
  if (!threads_.empty()) {
    std::unique_lock lock(shared_->drain_mutex);
    // Live streams have no answer to finish: they are told the server goes away (1001) and end.
    std::vector<std::shared_ptr<LiveStream>> live;
    for (auto& [raw, weak] : shared_->live_streams) {
      if (auto stream = weak.lock()) live.push_back(std::move(stream));
    }
    lock.unlock();
    for (auto& stream : live) stream->close(kCloseGoingAway, "server shutting down");
    live.clear();
    lock.lock();
    const bool drained = shared_->drained.wait_for(lock, std::chrono::milliseconds(options_.drain_timeout_ms), [this] {
      return shared_->in_flight.load() == 0 && shared_->live_streams.empty();
    });
    if (!drained) {
      shared_->logger->warn("stopping with {} request(s) still being handled and {} live stream(s) open after {} ms",
                            shared_->in_flight.load(), shared_->live_streams.size(), options_.drain_timeout_ms);
    }
  }
  // Handlers still running finish (their answers go out while the io threads still run); requests
  // still queued after the drain timeout are dropped with their connections.
  if (workers_) workers_->stop();
  if (probes_) probes_->stop();
  shared_->io_work.reset();
  io_.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace rifa::api
