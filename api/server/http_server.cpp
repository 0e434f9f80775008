#include "server/http_server.hpp"

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>

#include "common/log_context.hpp"
#include "server/cors_policy.hpp"
#include "server/error_mapping.hpp"

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
  // Requests read and not yet answered; stop() waits for none (graceful drain).
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  std::mutex drain_mutex;
  std::condition_variable drained;

  void request_done() {
    if (in_flight.fetch_sub(1) == 1) {
      std::lock_guard lock(drain_mutex);
      drained.notify_all();
    }
  }

  Shared(ServerOptions o, const Router& r, std::shared_ptr<spdlog::logger> l, MetricsRegistry* m)
      : options(std::move(o)), router(r), logger(std::move(l)), metrics(m), cors(options.cors_allowed_origins) {}

  // Everything between a parsed request and its response, with the request id set for every log
  // line written meanwhile (handlers run synchronously on this io thread).
  Response handle(Request& request, std::string& route_name) {
    ScopedLogRequestId log_id(request.request_id);
    Response response = route(request, route_name);
    if (route_name != "preflight") cors.decorate(request, response);
    return response;
  }

  Response route(Request& request, std::string& route_name) {
    if (auto limited = check_ip_limit(request)) {
      route_name = "rate_limited";
      return *limited;
    }
    if (request.method == "OPTIONS") return options_answer(request, route_name);
    auto match = router.match(request);
    if (!match.handler) {
      if (!match.allowed_methods.empty()) {
        route_name = "method_not_allowed";
        const std::string allow = join(match.allowed_methods);
        auto r = make_problem(ProblemType::kMethodNotAllowed,
                              request.method + " is not allowed on " + request.path + "; allowed: " + allow);
        r.headers.emplace_back("Allow", allow);
        return r;
      }
      route_name = "not_found";
      return make_problem(ProblemType::kNotFound, "no route for " + request.method + " " + request.path);
    }
    route_name = match.route_name;
    try {
      return (*match.handler)(request);
    } catch (const std::exception& e) {
      logger->error("request {} {} {} failed: {}", request.request_id, request.method, request.path, e.what());
    } catch (...) {
      logger->error("request {} {} {} failed with an unknown exception", request.request_id, request.method,
                    request.path);
    }
    return make_problem(ProblemType::kInternal,
                        "the server failed to handle this request; quote request id " + request.request_id);
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
 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {}

  void run() {
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
    const auto started = std::chrono::steady_clock::now();
    shared_->in_flight.fetch_add(1);  // answered (or given up) in write()'s completion
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
      response = make_problem(ProblemType::kPayloadTooLarge, "request body exceeds " +
                                                                 std::to_string(shared_->options.body_limit_bytes) +
                                                                 " bytes");
    } else if (ec) {
      route_name = "bad_request";
      response = make_problem(ProblemType::kBadRequest, "malformed HTTP request: " + ec.message());
    } else {
      auto msg = parser_->release();
      version = msg.version();
      keep_alive = msg.keep_alive();
      fill_request(msg, request);
      response = shared_->handle(request, route_name);
    }
    write(std::move(request), std::move(response), route_name, keep_alive, version, started);
  }

  void fill_request(http::request<http::string_body>& msg, Request& request) {
    fill_head(msg, request);
    request.body = std::move(msg.body());
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) request.remote_address = endpoint.address().to_string();
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
      request.headers[name] = std::string(field.value());
    }
    if (auto given = request.header("x-request-id"); valid_request_id(given)) request.request_id = given;
  }

  void write(Request request, Response response, const std::string& route_name, bool keep_alive,
             unsigned version, std::chrono::steady_clock::time_point started) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status),
                                                                    version);
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
    if (shared_->metrics) {
      const std::string method = request.method.empty() ? "-" : request.method;
      shared_->metrics
          ->counter("rifa_http_requests_total", "HTTP requests by route and status",
                    {{"method", method}, {"route", route_name}, {"status", std::to_string(response.status)}})
          .inc();
      shared_->metrics
          ->histogram("rifa_http_request_duration_seconds", "HTTP request latency by route",
                      {{"method", method}, {"route", route_name}})
          .observe(elapsed);
    }
    shared_->logger->debug("request {} {} {} -> {} in {:.3f} ms", request.request_id, request.method,
                           request.target, response.status, elapsed * 1000);

    const bool close_after = !res->keep_alive() || response.status == 413 || response.status == 400;
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, close_after](beast::error_code ec, std::size_t) {
                        self->shared_->request_done();
                        if (ec || close_after) return self->close();
                        self->do_read();
                      });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpServer::Shared> shared_;
};

}  // namespace

HttpServer::HttpServer(ServerOptions options, const Router& router, std::shared_ptr<spdlog::logger> logger,
                       MetricsRegistry* metrics)
    : options_(std::move(options)),
      shared_(std::make_shared<Shared>(options_, router, std::move(logger), metrics)),
      io_(std::max(1, options_.io_threads)) {}

HttpServer::~HttpServer() { stop(); }

Result<void> HttpServer::start() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(options_.listen_address, ec);
  if (ec) {
    return make_error(ErrorCode::kConfigInvalid, "server.listen: '" + options_.listen_address +
                                                     "' is not an IP address: " + ec.message());
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
  do_accept();
  for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
  return {};
}

void HttpServer::do_accept() {
  acceptor_->async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (!ec) {
      beast::error_code opt_ec;
      socket.set_option(tcp::no_delay(true), opt_ec);
      std::make_shared<Session>(std::move(socket), shared_)->run();
    }
    do_accept();
  });
}

void HttpServer::stop() {
  if (stopped_.exchange(true)) return;
  shared_->draining = true;
  if (acceptor_) {
    asio::post(acceptor_->get_executor(), [this] {
      beast::error_code ec;
      acceptor_->close(ec);
    });
  }
  if (!threads_.empty()) {
    std::unique_lock lock(shared_->drain_mutex);
    const bool drained = shared_->drained.wait_for(lock, std::chrono::milliseconds(options_.drain_timeout_ms),
                                                   [this] { return shared_->in_flight.load() == 0; });
    if (!drained) {
      shared_->logger->warn("stopping with {} request(s) still being handled after {} ms", shared_->in_flight.load(),
                            options_.drain_timeout_ms);
    }
  }
  io_.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace rifa::api
