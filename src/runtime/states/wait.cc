// Wait: a timer, never a sleep. Seconds, SecondsPath, Timestamp, TimestampPath.
#include <fmt/format.h>

#include <cmath>

#include "expr/payload/jsonata_template.h"
#include "runtime/errors.h"
#include "runtime/internal.h"

namespace stepline::runtime {

namespace {
// AWS rejects waits that end more than a year (and a day of slack) from now.
constexpr int64_t kMaxWaitSeconds = 31622400;

Status Runtime(std::string msg) { return Status::Error(kErrRuntime, std::move(msg)); }
}  // namespace

void Execution::Impl::RunWait(Frame& f) {
  const asl::State& s = *f.state;
  if (s.jsonata()) {
    f.effective = f.raw_input;
  } else {
    auto eff = InputPath(f);
    if (!eff.ok()) return HandleError(f, eff.status().name(), StateError(f, eff.status()).message());
    f.effective = std::move(eff).value();
  }
  Micros due = now;
  Status err;
  std::string_view location;
  if (s.wait_seconds.jsonata || s.wait_timestamp_jsonata) {
    const expr::JsonataTemplate& t = s.wait_seconds.jsonata ? *s.wait_seconds.jsonata : *s.wait_timestamp_jsonata;
    location = t.field();
    StatesBindings b(*this, f, f.raw_input);
    auto v = t.Eval(&b, JsonataOptions());
    if (!v.ok()) {
      err = v.status();
    } else if (s.wait_seconds.jsonata) {
      if (!v->is_number() || !v->is_integral() || v->get_int() < 0) {
        const std::string* text = t.expression();
        err = Status::Error(expr::kQueryEvaluationError,
                            expr::JsonataTemplate::TypeMismatch(text ? *text : "", "Seconds",
                                                                "non-negative integer", *v));
      } else {
        due = now + v->get_int() * kMicrosPerSecond;
      }
    } else {
      std::optional<Micros> ts;
      if (v->is_string()) ts = ParseIsoTimestamp(v->get_string());
      if (!ts)
        err = Status::Error(expr::kQueryEvaluationError,
                            fmt::format("The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                                        "date-time format string: {}",
                                        v->is_string() ? v->get_string() : v->Dump()));
      else
        due = *ts;
    }
  } else if (s.wait_seconds.literal) {
    due = now + s.wait_seconds.literal->get_int() * kMicrosPerSecond;
  } else if (s.wait_seconds.path) {
    const expr::Path& p = *s.wait_seconds.path;
    auto v = p.Eval(ScopeFor(f, f.effective));
    if (!v.ok()) {
      err = Runtime(fmt::format("The SecondsPath parameter does not reference an input value: {}", p.text()));
    } else if (!v->is_number() || !v->is_integral()) {
      err = Runtime(fmt::format("The SecondsPath parameter cannot be parsed as a long value: {} == {}", p.text(),
                                v->Dump()));
    } else if (v->get_int() < 0) {
      err = Runtime(
          fmt::format("The SecondsPath parameter references a negative value: {} == {}", p.text(), v->Dump()));
    } else {
      due = now + v->get_int() * kMicrosPerSecond;
    }
  } else if (s.wait_timestamp) {
    auto t = ParseIsoTimestamp(*s.wait_timestamp);
    if (t) due = *t;
  } else if (s.wait_timestamp_path) {
    const expr::Path& p = *s.wait_timestamp_path;
    auto v = p.Eval(ScopeFor(f, f.effective));
    if (!v.ok()) {
      err = Runtime(fmt::format("The TimestampPath parameter does not reference an input value: {}", p.text()));
    } else {
      std::optional<Micros> t;
      if (v->is_string()) t = ParseIsoTimestamp(v->get_string());
      if (!t)
        err = Runtime(fmt::format("The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
                                  "date-time format string: {} == {}",
                                  p.text(), v->is_string() ? v->get_string() : v->Dump()));
      else
        due = *t;
    }
  }
  if (err.ok() && due - now > kMaxWaitSeconds * kMicrosPerSecond) err = Runtime("Wait state delay is too long.");
  if (!err.ok()) return StateFailed(f, err, location);
  f.phase = Frame::Phase::kWait;
  f.pending = AddTimer(&f, TimerKind::kWait, due);
}

void Execution::Impl::WaitTimerFired(Frame& f) {
  const asl::State& s = *f.state;
  if (s.jsonata()) {
    StatesBindings b(*this, f, f.raw_input);
    Json out;
    if (JsonataFinish(f, b, s.assign, s.output, f.raw_input, &out)) Transition(f, std::move(out));
    return;
  }
  Json out;
  if (JsonPathFinish(f, s.assign, f.effective, false, f.effective, &out)) Transition(f, std::move(out));
}

}  // namespace stepline::runtime
