// Map (inline, and distributed run in-process): one iteration frame per item,
// at most MaxConcurrency at a time; results in item order.
#include <fmt/format.h>

#include <cmath>

#include "expr/payload/jsonata_template.h"
#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

namespace {
Status Runtime(std::string msg) { return Status::Error(kErrRuntime, std::move(msg)); }

// AWS reads a *Path value through its text, as Java's Integer.parseInt /
// Double.parseDouble would: the string "1" is a valid count (recorded case
// test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH]).
Json NumberFromText(const Json& v, bool integer) {
  if (!v.is_string()) return v;
  std::string_view t = v.get_string();
  if (t.empty() || t.size() > 40) return v;
  size_t i = (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (i == t.size()) return v;
  if (integer) {
    for (size_t k = i; k < t.size(); ++k)
      if (t[k] < '0' || t[k] > '9') return v;
    auto r = Json::Parse(t[0] == '+' ? t.substr(1) : t);
    return r.ok() && r->is_int() ? *r : v;
  }
  std::string text(t);  // strtod needs a terminated string
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || std::isnan(d) || std::isinf(d) || std::isspace(static_cast<unsigned char>(t[0])))
    return v;
  return Json(d);
}

constexpr int64_t kInlineMapConcurrency = 40;

// Reads MaxConcurrency / ToleratedFailureCount(Path): a non-negative integer.
Result<int64_t> IntegerField(const Json& value, const asl::DynamicNumber& n, const char* name) {
  Json v = n.path ? NumberFromText(value, true) : value;
  if (n.path && !(v.is_number() && v.is_integral()))
    return Runtime(fmt::format("The {}Path field refers to value \"{}\" which is not a valid integer: {}", name,
                               v.is_string() ? v.get_string() : v.Dump(), n.path->text()));
  if (!v.is_number()) return Runtime(fmt::format("{} must be a number", name));
  return v.get_int();
}
}  // namespace

void Execution::Impl::RunMap(Frame& f) {
  const asl::State& s = *f.state;
  std::optional<StatesBindings> b;  // JSONata
  if (s.jsonata()) {
    f.effective = f.raw_input;
    b.emplace(*this, f, f.raw_input);
  } else {
    auto eff = InputPath(f);
    if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
    f.effective = std::move(eff).value();
  }
  std::string_view location;
  auto fail = [&](const Status& st) { StateFailed(f, st, location); };
  // A JSONata number field ("{% %}"), or the literal / path of JSONPath.
  auto number = [&](const asl::DynamicNumber& n, const char* field, const char* expected) -> Result<Json> {
    location = field;
    if (!n.jsonata) return DynamicNumberValue(f, n, f.effective);
    auto v = n.jsonata->Eval(&*b, JsonataOptions());
    if (!v.ok()) return v;
    bool ok = v->is_number() && (std::string_view(expected) != "integer" || v->is_integral());
    if (!ok) {
      const std::string* text = n.jsonata->expression();
      return Status::Error(expr::kQueryEvaluationError,
                           expr::JsonataTemplate::TypeMismatch(text ? *text : "", field, expected, *v));
    }
    return v;
  };

  if (s.max_concurrency.present()) {
    auto v = number(s.max_concurrency, "MaxConcurrency", "integer");
    if (!v.ok() && s.max_concurrency.jsonata) return fail(v.status());
    if (!v.ok()) return fail(Runtime(fmt::format("The MaxConcurrencyPath field refers to a path that does not exist: {}",
                                                 s.max_concurrency.path->text())));
    auto n = IntegerField(*v, s.max_concurrency, "MaxConcurrency");
    if (!n.ok()) return fail(n.status());
    f.max_concurrency = *n;
  } else {
    f.max_concurrency = 0;
  }
  // AWS: "In Inline mode, the Map state supports up to 40 concurrent
  // iterations"; 0 (no limit) and larger limits run 40 at a time.
  if (!s.distributed && (f.max_concurrency <= 0 || f.max_concurrency > kInlineMapConcurrency))
    f.max_concurrency = kInlineMapConcurrency;

  Json items = f.effective;
  location = "Items";
  if (s.jsonata()) {
    if (s.items) {
      auto r = s.items->Eval(&*b, JsonataOptions());
      if (!r.ok()) return fail(r.status());
      items = std::move(r).value();
      if (!items.is_array()) {
        const std::string* text = s.items->expression();
        return fail(Status::Error(expr::kQueryEvaluationError,
                                  expr::JsonataTemplate::TypeMismatch(text ? *text : "", "Items", "array", items)));
      }
    } else if (!items.is_array()) {
      return fail(Status::Error(expr::kQueryEvaluationError,
                                "Map state input must be an array but was: " + items.Dump()));
    }
  } else {
    if (!s.items_path.is_default() && !s.items_path.is_null) {
      auto r = s.items_path.path->Eval(ScopeFor(f, f.effective));
      if (!r.ok())
        return fail(Runtime(fmt::format("Invalid path '{}' : {}", s.items_path.path->text(), r.status().message())));
      items = std::move(r).value();
    }
    if (!items.is_array())
      return fail(Runtime(fmt::format("Item path {} must point to a JSON array",
                                      s.items_path.path ? s.items_path.path->text() : "$")));
  }

  Emit(&f, history::EventType::kMapStateStarted).index = static_cast<int64_t>(items.size());

  f.tolerated_count = -1;
  f.tolerated_pct = -1;
  if (s.tolerated_failure_count.present()) {
    auto v = number(s.tolerated_failure_count, "ToleratedFailureCount", "integer");
    if (!v.ok()) return fail(v.status());
    auto n = IntegerField(*v, s.tolerated_failure_count, "ToleratedFailureCount");
    if (!n.ok()) return fail(n.status());
    if (*n < 0) return fail(Runtime("ToleratedFailureCount cannot be negative."));
    f.tolerated_count = *n;
  }
  if (s.tolerated_failure_percentage.present()) {
    auto v = number(s.tolerated_failure_percentage, "ToleratedFailurePercentage", "number");
    if (!v.ok()) return fail(v.status());
    if (s.tolerated_failure_percentage.path) v = NumberFromText(*v, false);
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
    if (s.item_selector || s.item_selector_jsonata) {
      Json ctx = ContextObject(f);
      Json item = Json::EmptyObject();
      item.Set("Index", i);
      item.Set("Value", in);
      Json map = Json::EmptyObject();
      map.Set("Item", std::move(item));
      ctx.Set("Map", std::move(map));
      Result<Json> r = Json();
      if (s.item_selector_jsonata) {
        StatesBindings b(*this, f, f.raw_input);
        b.SetContext(std::move(ctx));
        r = s.item_selector_jsonata->Eval(&b, JsonataOptions());
      } else {
        expr::Scope scope;
        scope.input = f.effective;
        scope.context = std::move(ctx);
        scope.vars = &f;
        scope.random = random;
        r = s.item_selector->Eval(scope);
      }
      if (!r.ok()) {
        AbortChildren(f);
        return StateFailed(f, r.status(), "ItemSelector");
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
    // A distributed Map's iterations are child executions with their own
    // variables; an inline iteration reads the enclosing ones.
    c->vars_root = s.distributed;
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
  // The iteration lives on in `results`: its frame goes (at the end of this
  // step), so neither memory nor the snapshot grows with finished iterations.
  auto& slot = f.children[static_cast<size_t>(child.index)];
  if (slot.get() == &child) graveyard.push_back(std::move(slot));
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
