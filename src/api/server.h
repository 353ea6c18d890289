#pragma once
// The Step Functions HTTP API of Stepline: an HTTP server speaking AWS JSON 1.0
// in front of service::Operations. What `stepline serve` starts.
// Thread-safe; `ops` must outlive the Server.

#include <cstdint>
#include <memory>
#include <string>

#include "api/aws_json/router.h"
#include "api/http/http_server.h"
#include "base/status.h"
#include "service/operations.h"

namespace stepline::api {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 8083;  // 0: ephemeral, see Server::port()
  int threads = 0;       // I/O threads; 0: hardware threads
  aws_json::StaticHandler static_files;  // GET paths other than "/" (console)
};

class Server {
 public:
  // Errors: "InvalidArgument" (bad bind address), "Unavailable" (bind failed).
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, service::Operations& ops);
  ~Server();

  uint16_t port() const { return http_->port(); }
  // Stops accepting, lets responses in flight finish (briefly), closes. Idempotent.
  void Stop();
  // Blocks until Stop() completed (call Stop from a signal-watching thread).
  void Wait();

 private:
  Server() = default;
  std::unique_ptr<aws_json::Router> router_;
  std::unique_ptr<http::HttpServer> http_;  // after router_: destroyed first
};

}  // namespace stepline::api
