#include "service/service.h"

#include "service/ops.h"

namespace stepline::service {

namespace {
const std::map<std::string, ops::Handler>& Table() {
  static const auto* table = [] {
    auto* t = new std::map<std::string, ops::Handler>();
    ops::RegisterStateMachineOps(*t);
    ops::RegisterExecutionOps(*t);
    ops::RegisterActivityOps(*t);
    ops::RegisterTagOps(*t);
    ops::RegisterMiscOps(*t);
    return t;
  }();
  return *table;
}
}  // namespace

Service::Service(ServiceConfig config, store::Store& durable, Clock& clock)
    : cache_(durable), engine_(std::move(config.engine), cache_, clock) {}
Service::~Service() { Shutdown(); }
void Service::Start() { engine_.Start(); }
void Service::Shutdown() { engine_.Shutdown(); }

void Service::Call(const std::string& operation, Json request, Reply done) {
  const auto& t = Table();
  auto it = t.find(operation);
  if (it == t.end()) {
    done(Status::Error("UnknownOperationException", "Unknown operation " + operation));
    return;
  }
  // Calls arrive on HTTP I/O threads, which must never wait for a store
  // write (ops::Handler).
  const ops::Handler& h = it->second;
  if (h.on_caller) return h.fn(engine_, request, std::move(done));
  engine_.Post([this, fn = h.fn, request = std::move(request), done = std::move(done)]() mutable {
    fn(engine_, request, std::move(done));
  });
}

namespace ops {

Status FromStore(const Status& st, const char* not_found_code, const std::string& what) {
  if (st.name() == store::kNotFound) return Err(not_found_code, what);
  if (st.name() == store::kInvalidToken) return Err("InvalidToken", "Invalid Token: '" + st.message() + "'");
  return Err("InternalFailure", st.message());
}

}  // namespace ops
}  // namespace stepline::service
