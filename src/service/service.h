#pragma once
// The 37 operations of the AWS Step Functions API over the engine and the
// store. Thread-safe.

#include <memory>

#include "service/engine.h"
#include "service/operations.h"
#include "service/resource_cache.h"

namespace stepline::service {

struct ServiceConfig {
  EngineConfig engine;
};

class Service final : public Operations {
 public:
  // `durable` holds Standard executions and every resource; Express
  // executions live in the engine's memory store.
  Service(ServiceConfig config, store::Store& durable, Clock& clock);
  ~Service() override;
  void Start();
  void Shutdown();
  void Call(const std::string& operation, Json request, Reply done) override;

  Engine& engine() { return engine_; }

 private:
  ResourceCache cache_;  // in front of the durable store; before engine_
  Engine engine_;
};

}  // namespace stepline::service
