// Map (inline, and distributed run in-process): one iteration frame per item,
// at most MaxConcurrency at a time; results in item order.
#include <fmt/format.h>

#include <cmath>

#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

namespace {
Status Runtime(std::string msg) { return Status::Error(kErrRuntime, std::move(msg)); }

// Reads MaxConcurrency / ToleratedFailureCount(Path): a non-negative integer.
Result<int64_t> IntegerField(const Json& v, const asl::DynamicNumber& n, const char* name) {
  if (n.path && !(v.is_number() && v.is_integral()))
    return Runtime(fmt::format("The {}Path field refers to value \"{}\" which is not a valid integer: {}", name,
                               v.is_string() ? v.get_string() : v.Dump(), n.path->text()));
  if (!v.is_number()) return Runtime(fmt::format("{} must be a number", name));
  return v.get_int();
}
}  // namespace

void Execution::Impl::RunMap(Frame& f) {
  const asl::State& s = *f.state;
  auto eff = InputPath(f);
  if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
  f.effective = std::move(eff).value();
  auto fail = [&](const Status& st) { HandleError(f, st.name(), StateError(f, st).message()); };

  if (s.max_concurrency.present()) {
    auto v = DynamicNumberValue(f, s.max_concurrency, f.effective);
    if (!v.ok()) return fail(Runtime(fmt::format("The MaxConcurrencyPath field refers to a path that does not exist: {}",
                                                 s.max_concurrency.path->text())));
    auto n = IntegerField(*v, s.max_concurrency, "MaxConcurrency");
    if (!n.ok()) return fail(n.status());
    f.max_concurrency = *n;
  } else {
    f.max_concurrency = 0;
  }

  Json items = f.effective;
  if (!s.items_path.is_default() && !s.items_path.is_null) {
    auto r = s.items_path.path->Eval(ScopeFor(f, f.effective));
    if (!r.ok())
      return fail(Runtime(fmt::format("Invalid path '{}' : {}", s.items_path.path->text(), r.status().message())));
    items = std::move(r).value();
  }
  if (!items.is_array())
    return fail(Runtime(fmt::format("Item path {} must point to a JSON array",
                                    s.items_path.path ? s.items_path.path->text() : "$")));

  Emit(&f, history::EventType::kMapStateStarted).index = static_cast<int64_t>(items.size());

  f.tolerated_count = -1;
  f.tolerated_pct = -1;
  if (s.tolerated_failure_count.present()) {
    auto v = DynamicNumberValue(f, s.tolerated_failure_count, f.effective);
    if (!v.ok()) return fail(v.status());
    auto n = IntegerField(*v, s.tolerated_failure_count, "ToleratedFailureCount");
    if (!n.ok()) return fail(n.status());
    if (*n < 0) return fail(Runtime("ToleratedFailureCount cannot be negative."));
    f.tolerated_count = *n;
  }
  if (s.tolerated_failure_percentage.present()) {
    auto v = DynamicNumberValue(f, s.tolerated_failure_percentage, f.effective);
    if (!v.ok()) return fail(v.status());
    if (!v->is_number()) {
      return fail(Runtime(fmt::format("The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a "
                                      "valid float: {}",
                                      v->is_string() ? v->get_string() : v->Dump(),
                                      s.tolerated_failure_percentage.path ? s.tolerated_failure_percentage.path->text()
                                                                          : "")));
    }
    double p = v->get_double();
    if (p < 0 || p > 100) return fail(Runtime("ToleratedFailurePercentage must be between 0 and 100."));
    f.tolerated_pct = p;
  }

  if (s.distributed) {
    auto& ev = Emit(&f, history::EventType::kMapRunStarted);
    ev.extra = fmt::format("arn:aws:states:{}:{}:mapRun:{}/{}:{}", info.region, info.account,
                           info.state_machine_name, s.name, info.name);
  }
  f.items = std::move(items);
  ReleaseChildren(f);
  f.children.resize(f.items.size());
  f.results.assign(f.items.size(), Json());
  f.launched = f.completed = f.failures = 0;
  f.phase = Frame::Phase::kChildren;
  if (f.items.size() == 0) {
    f.phase = Frame::Phase::kChildrenDone;
    return;
  }
  MapLaunch(f);
}

void Execution::Impl::MapLaunch(Frame& f) {
  const asl::State& s = *f.state;
  const auto& items = f.items.get_array();
  const int64_t n = static_cast<int64_t>(items.size());
  while (f.phase == Frame::Phase::kChildren && f.launched < n &&
         (f.max_concurrency <= 0 || f.launched - f.completed < f.max_concurrency)) {
    int64_t i = f.launched++;
    Json in = items[static_cast<size_t>(i)];
    if (s.item_selector) {
      expr::Scope scope;
      scope.input = f.effective;
      Json ctx = ContextObject(f);
      Json item = Json::EmptyObject();
      item.Set("Index", i);
      item.Set("Value", in);
      Json map = Json::EmptyObject();
      map.Set("Item", std::move(item));
      ctx.Set("Map", std::move(map));
      scope.context = std::move(ctx);
      scope.random = random;
      auto r = s.item_selector->Eval(scope);
      if (!r.ok()) {
        AbortChildren(f);
        return HandleError(f, r.status().name(), StateError(f, r.status()).message());
      }
      in = std::move(r).value();
    }
    auto c = std::make_unique<Frame>();
    c->machine = s.processor.get();
    c->parent = &f;
    c->index = i;
    c->state = c->machine->start;
    c->raw_input = std::move(in);
    c->last_id = f.last_id;
    c->detached = f.detached || (f.state->type == asl::StateType::kMap && f.state->distributed);
    ready.push_back(c.get());
    f.children[static_cast<size_t>(i)] = std::move(c);
  }
}

void Execution::Impl::MapChildDone(Frame& f, Frame& child) {
  if (f.phase != Frame::Phase::kChildren) return;
  const asl::State& s = *f.state;
  const int64_t n = static_cast<int64_t>(f.results.size());
  ++f.completed;
  if (child.last_id > f.last_id) f.last_id = child.last_id;
  if (!child.failed) {
    if (!s.distributed) {
      auto& ev = Emit(&child, history::EventType::kMapIterationSucceeded);
      ev.name = s.name;
      ev.index = child.index;
    }
    f.results[static_cast<size_t>(child.index)] = std::move(child.output);
  } else {
    if (!s.distributed) {
      auto& ev = Emit(&child, history::EventType::kMapIterationFailed);
      ev.name = s.name;
      ev.index = child.index;
    }
    ++f.failures;
    bool tolerant = f.tolerated_count >= 0 || f.tolerated_pct >= 0;
    bool tolerated = (f.tolerated_count >= 0 && f.failures <= f.tolerated_count) ||
                     (f.tolerated_pct >= 0 && f.failures * 100.0 <= f.tolerated_pct * static_cast<double>(n));
    if (tolerated) {
      Json e = Json::EmptyObject();
      e.Set("Error", child.error);
      e.Set("Cause", child.cause);
      f.results[static_cast<size_t>(child.index)] = std::move(e);
    } else {
      for (auto& c : f.children) {
        if (!c || c.get() == &child || c->phase == Frame::Phase::kDone) continue;
        if (!s.distributed && c->started_event) {
          auto& ev = Emit(c.get(), history::EventType::kMapIterationAborted);
          ev.name = s.name;
          ev.index = c->index;
        }
      }
      AbortChildren(f);
      ReleaseChildren(f);
      std::string err = tolerant ? std::string(kErrExceedToleratedFailureThreshold) : child.error;
      std::string cse = tolerant ? std::string("The specified tolerated failure threshold was exceeded") : child.cause;
      if (s.distributed) {
        auto& ev = Emit(&f, history::EventType::kMapRunFailed);
        ev.error = err;
        ev.has_error = true;
      }
      HandleError(f, std::move(err), std::move(cse));
      return;
    }
  }
  if (f.completed == n) {
    f.phase = Frame::Phase::kChildrenDone;
    return;
  }
  MapLaunch(f);
}

void Execution::Impl::MapDone(Frame& f) {
  const asl::State& s = *f.state;
  if (s.distributed) Emit(&f, history::EventType::kMapRunSucceeded);
  Emit(&f, history::EventType::kMapStateSucceeded);
  ReleaseChildren(f);
  Json result(std::move(f.results));
  f.results.clear();
  f.items = Json();
  f.phase = Frame::Phase::kReady;
  Json out;
  if (FinishWithResult(f, std::move(result), &out)) Transition(f, std::move(out));
}

}  // namespace stepline::runtime
