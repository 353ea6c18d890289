#pragma once
// One error type for every module: a name (an AWS error name such as
// "States.Runtime", a JSONata code such as "T2001", or a usage category such as
// "InvalidArgument") and a human message. Thread-compatible value type.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace stepline {

class Status {
 public:
  Status() = default;  // OK
  static Status Error(std::string name, std::string message) {
    Status s;
    s.rep_ = std::make_shared<const Rep>(Rep{std::move(name), std::move(message)});
    return s;
  }
  bool ok() const { return rep_ == nullptr; }
  explicit operator bool() const { return ok(); }
  const std::string& name() const { return ok() ? Empty() : rep_->name; }
  const std::string& message() const { return ok() ? Empty() : rep_->message; }
  std::string ToString() const { return ok() ? "OK" : rep_->name + ": " + rep_->message; }

 private:
  struct Rep {
    std::string name;
    std::string message;
  };
  static const std::string& Empty() {
    static const std::string e;
    return e;
  }
  std::shared_ptr<const Rep> rep_;
};

// Result<T> holds a T or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}               // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}        // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }

 private:
  std::variant<T, Status> v_;
};

}  // namespace stepline

// Propagates a non-OK Status from an expression returning Status.
#define SL_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::stepline::Status _sl_st = (expr);     \
    if (!_sl_st.ok()) return _sl_st;        \
  } while (0)

// Declares `lhs` from a Result<T> expression or returns its Status. The
// counter is expanded once (through two levels) so that an invocation spread
// over several lines still names one temporary.
#define SL_ASSIGN_OR_RETURN(lhs, expr) SL_ASSIGN_OR_RETURN_I(lhs, expr, __COUNTER__)
#define SL_ASSIGN_OR_RETURN_I(lhs, expr, n) SL_ASSIGN_OR_RETURN_J(lhs, expr, n)
#define SL_ASSIGN_OR_RETURN_J(lhs, expr, n)        \
  auto _sl_r##n = (expr);                           \
  if (!_sl_r##n.ok()) return _sl_r##n.status();     \
  lhs = std::move(_sl_r##n).value()
