#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <spdlog/logger.h>

#include "common/metrics.hpp"
#include "common/result.hpp"
#include "server/client_rate_limits.hpp"
#include "server/router.hpp"

namespace rifa::api {

class WorkerPool;

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port; see HttpServer::port()
  int io_threads = 1;
  // Handlers run on a pool of `workers` threads, never on the io threads (which only read, route
  // and write). 0 = run them on the io threads (the old model; kept for comparison in tests).
  // rifa-host sizes it to database.pool_size unless server.workers says otherwise.
  int workers = 4;
  // Requests that may wait for a free worker; one more is answered 503 with Retry-After at once.
  size_t queue_limit = 256;
  // A request's deadline, counted from when it was read; one still waiting for a worker then is
  // answered 503 without running its handler. 0 = none.
  int request_timeout_ms = 10000;
  // GET routes answered by their own thread (one, with its own small queue) instead of the
  // workers: the health probe and the metrics must answer while every worker is busy, and the
  // health check's database ping must not block an io thread.
  std::vector<std::string> probe_paths = {"/api/v1/health", "/api/v1/health/live", "/api/v1/health/ready", "/metrics"};
  size_t body_limit_bytes = 1024 * 1024;
  int read_timeout_s = 30;
  // stop() lets requests being handled finish and answer for up to this long before it closes
  // every connection: a SIGTERM must not cut off a purchase whose payment already went through.
  int drain_timeout_ms = 10000;
  // Origins browsers may call from ("https://host[:port]" or "*"); empty = same-origin only.
  std::vector<std::string> cors_allowed_origins;
  // Peers (CIDR blocks or addresses) whose `forwarded_header` names the client: see
  // ClientAddressResolver. Empty = every peer is the client and no forwarding header is read.
  // A trusted proxy is also exempt from max_connections_per_ip (it carries many clients).
  std::vector<std::string> trusted_proxies;
  std::string forwarded_header = "x-forwarded-for";  // or "forwarded" (RFC 7239)
  // The per-IP limit is checked here on every request (the per-user one by the Authenticator).
  // Not owned; nullptr = no limit.
  ClientRateLimits* rate_limits = nullptr;
  // Exempt from the per-IP limit: probes must report the instance's health, not how busy their
  // address is — a load balancer or proxy sharing an address with client traffic would otherwise
  // take a healthy instance out of rotation exactly when it is under load. Keep them off the
  // public internet (bind /metrics to an internal network at the proxy).
  std::vector<std::string> rate_limit_exempt_paths = {"/api/v1/health", "/api/v1/health/live", "/api/v1/health/ready",
                                                      "/metrics"};
  // Connections open at once, in all and per client address; 0 = no cap. At the host cap the least
  // recently active idle connection is closed to make room (a flood of idle sockets must not lock
  // out a health probe); over the per-address cap (per /64 for IPv6) a new connection is answered
  // 429 and closed.
  // start() lowers max_connections to what RLIMIT_NOFILE leaves once a reserve of descriptors is
  // kept for the database, plugins and logs.
  size_t max_connections = 10000;
  size_t max_connections_per_ip = 256;
};

// An async Boost.Beast HTTP/1.1 server: keep-alive, a body limit (413), a request id on every
// response and log line, security headers, the per-IP rate limit (429 + Retry-After), CORS
// (preflights answered here, before routing), request metrics with labels from closed sets
// (request_metrics.hpp), connection caps (ConnectionTable), and a catch-all turning any
// exception from a handler into a problem+json 500 with the request id.
//
// When accept() fails for lack of file descriptors (EMFILE, ENFILE) or kernel memory, the server
// closes its least recently active idle connection and pauses accepting (5 ms after an eviction,
// else 10 ms doubling to 1 s): retrying at once would spin a core, because the connection waiting
// in the backlog keeps the listening socket readable.
//
// Security headers on every response: X-Content-Type-Options nosniff, X-Frame-Options DENY and
// CSP "default-src 'none'; frame-ancestors 'none'" (nothing here is meant to render or be framed),
// Referrer-Policy no-referrer, Cache-Control no-store (answers carry personal data and tokens).
// No Strict-Transport-Security: this server speaks plain HTTP behind a TLS-terminating proxy, and
// HSTS is ignored over http; the proxy that owns the certificate sets it.
//
// Execution model: io threads read, parse, apply the per-IP limit and route; answers that need no
// handler (404, 405, OPTIONS, 400, 413, 429) are written there. A routed request is handed to the
// worker pool (probes to their own thread) with its deadline; the handler's answer is written
// back on the connection's strand. Queue full: 503 + Retry-After, not queued.
class HttpServer {
 public:
  HttpServer(ServerOptions options, const Router& router, std::shared_ptr<spdlog::logger> logger,
             MetricsRegistry* metrics);
  ~HttpServer();

  // Binds and listens; fails with a message naming the address when the port is taken.
  Result<void> start();
  // Stops accepting; lets the requests being handled finish and send their answers (with
  // Connection: close) for up to drain_timeout_ms; then closes every connection and joins the io
  // threads. Idempotent.
  void stop();
  uint16_t port() const { return bound_port_; }

  struct Shared;

 private:
  ServerOptions options_;
  std::shared_ptr<Shared> shared_;
  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<boost::asio::steady_timer> accept_pause_timer_;  // on the acceptor's strand
  std::chrono::milliseconds accept_pause_{0};
  std::vector<std::thread> threads_;
  std::unique_ptr<WorkerPool> workers_;  // made in start(); stopped before the io threads
  std::unique_ptr<WorkerPool> probes_;
  std::atomic<bool> stopped_{false};
  uint16_t bound_port_ = 0;

  void do_accept();
  void on_accept_error(const boost::system::error_code& ec);
  void admit(boost::asio::ip::tcp::socket socket);
};

std::string percent_decode(const std::string& s, bool plus_as_space);

}  // namespace rifa::api
