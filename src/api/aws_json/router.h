#pragma once
// The AWS JSON 1.0 front end of Step Functions: POST / with
// X-Amz-Target: AWSStepFunctions.<Operation>, a JSON body validated against the
// operation's input shape, then service::Operations::Call; the reply (or the
// error) is encoded as AWS does. GET / answers a small health document; other
// GET paths go to an optional static-file hook (the web console, later).
// Thread-safe: Handle runs concurrently on every I/O thread.

#include <functional>
#include <optional>
#include <string_view>

#include "api/aws_json/model.h"
#include "api/http/http_server.h"
#include "base/json.h"
#include "base/status.h"
#include "service/operations.h"

namespace stepline::api::aws_json {

// Decoding one request, a pure function: the operation and the validated
// request, or the error to answer with.
struct Decoded {
  const Operation* op = nullptr;
  Json request;
  Status error;
};
Decoded DecodeRequest(const ServiceModel& model, const http::RequestView& request);

// Serves GET paths other than "/"; nullopt means 404. Runs on an I/O thread.
using StaticHandler = std::function<std::optional<http::Response>(std::string_view path)>;

class Router final : public http::Handler {
 public:
  Router(service::Operations& ops, const ServiceModel& model, StaticHandler static_files = nullptr)
      : ops_(ops), model_(model), static_files_(std::move(static_files)) {}

  void Handle(const http::RequestView& request, http::Responder respond) override;
  http::Response Reject(unsigned status, std::string_view reason) override;

 private:
  service::Operations& ops_;
  const ServiceModel& model_;
  StaticHandler static_files_;
};

}  // namespace stepline::api::aws_json
