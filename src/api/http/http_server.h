#pragma once
// An HTTP/1.1 server on Boost.Beast: keep-alive, one request at a time per
// connection (so pipelined requests are answered in order), asynchronous
// responses (a Handler may answer later, from any thread, without holding an
// I/O thread), limits from limits.h. Thread-safe: Start/Stop from any thread.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "base/status.h"

namespace stepline::api::http {

namespace detail {
class Session;
struct Core;
}  // namespace detail

// A request as the handler sees it: views into the connection's buffers,
// valid only during Handler::Handle.
struct RequestView {
  boost::beast::http::verb method = boost::beast::http::verb::unknown;
  std::string_view target;        // path and query
  std::string_view content_type;  // empty when absent
  bool has_content_type = false;
  std::string_view amz_target;    // X-Amz-Target, empty when absent
  std::string_view body;
};

struct Response {
  unsigned status = 200;
  std::string_view content_type = "application/x-amz-json-1.0";  // static text
  std::string body;
  std::array<char, 36> request_id{};  // x-amzn-RequestId when request_id[0] != 0
  bool close = false;                  // close the connection after writing
};

// Completes one request. Copyable; may be called from any thread, later;
// only the first call counts. Calls after the server stopped are dropped.
class Responder {
 public:
  Responder() = default;
  Responder(std::shared_ptr<detail::Session> s, uint64_t seq) : session_(std::move(s)), seq_(seq) {}
  void operator()(Response response) const;

 private:
  std::shared_ptr<detail::Session> session_;
  uint64_t seq_ = 0;
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Runs on an I/O thread: must not block. Call `respond` exactly once.
  virtual void Handle(const RequestView& request, Responder respond) = 0;
  // The response for a request the server refuses before the handler sees it:
  // 413 (body too large), 431 (header too large), 400 (malformed HTTP).
  // The connection is closed after it. Runs on an I/O thread.
  virtual Response Reject(unsigned status, std::string_view reason);
};

struct HttpServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 0;  // 0: an ephemeral port, see HttpServer::port()
  int threads = 0;    // 0: hardware threads
};

class HttpServer {
 public:
  // Binds and starts serving. Errors: "InvalidArgument" (bad address),
  // "Unavailable" (bind/listen failed, e.g. the port is in use).
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options, Handler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const { return port_; }
  // Stops accepting, gives responses in flight kStopGrace to finish, closes
  // every connection and joins the I/O threads. Idempotent.
  void Stop();
  // Blocks until Stop() has completed (from another thread).
  void Wait();

 private:
  HttpServer() = default;
  std::shared_ptr<detail::Core> core_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
};

}  // namespace stepline::api::http
