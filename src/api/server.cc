#include "api/server.h"

namespace stepline::api {

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, service::Operations& ops) {
  std::unique_ptr<Server> s(new Server());
  s->router_ = std::make_unique<aws_json::Router>(ops, aws_json::ServiceModel::Embedded(),
                                                  std::move(options.static_files));
  http::HttpServerOptions h;
  h.bind = options.bind;
  h.port = options.port;
  h.threads = options.threads;
  SL_ASSIGN_OR_RETURN(s->http_, http::HttpServer::Start(h, *s->router_));
  return s;
}

Server::~Server() {
  if (http_) http_->Stop();
}

void Server::Stop() { http_->Stop(); }
void Server::Wait() { http_->Wait(); }

}  // namespace stepline::api
