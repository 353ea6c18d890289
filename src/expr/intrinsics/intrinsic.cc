#include "expr/intrinsics/intrinsic.h"

#include <cctype>
#include <optional>
#include <vector>

#include "expr/intrinsics/functions.h"
#include "expr/jsonpath/path.h"

namespace stepline::expr {

using intrinsics::CallContext;
using intrinsics::FormatTemplate;
using intrinsics::FunctionSpec;

namespace {

struct Arg {
  enum class Kind : uint8_t { kLiteral, kPath, kCall };
  Kind kind = Kind::kLiteral;
  Json literal;
  std::optional<Path> path;
  std::shared_ptr<const IntrinsicCall::Impl> call;
  std::vector<bool> escapes;  // string literal: characters written with a backslash
};

}  // namespace

struct IntrinsicCall::Impl {
  std::string text;
  const FunctionSpec* fn = nullptr;
  std::vector<Arg> args;
  std::optional<FormatTemplate> literal_template;
};

namespace {

constexpr int kMaxNesting = 10;  // AWS documents up to 10 nested intrinsic functions

class CallParser {
 public:
  explicit CallParser(std::string_view t) : t_(t) {}

  Result<std::shared_ptr<IntrinsicCall::Impl>> ParseAll() {
    auto r = ParseCall(0);
    if (!r.ok()) return r;
    Skip();
    if (p_ != t_.size()) return Error("Unexpected text after the closing ')'");
    return r;
  }

 private:
  Status Error(const std::string& what) const {
    return Status::Error("InvalidIntrinsic",
                         "The value for the field is not a valid intrinsic function: '" + std::string(t_) + "': " + what +
                             " at position " + std::to_string(p_));
  }
  void Skip() {
    while (p_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[p_]))) ++p_;
  }

  Result<std::shared_ptr<IntrinsicCall::Impl>> ParseCall(int depth) {
    if (depth >= kMaxNesting) return Error("More than 10 nested intrinsic functions");
    Skip();
    size_t start = p_;
    while (p_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[p_])) || t_[p_] == '.')) ++p_;
    std::string_view name = t_.substr(start, p_ - start);
    auto impl = std::make_shared<IntrinsicCall::Impl>();
    impl->fn = intrinsics::FindFunction(name);
    if (!impl->fn) return Error("Unknown intrinsic function '" + std::string(name) + "'");
    Skip();
    if (p_ >= t_.size() || t_[p_] != '(') return Error("Expected '('");
    ++p_;
    Skip();
    if (p_ < t_.size() && t_[p_] == ')') {
      ++p_;
    } else {
      while (true) {
        Arg a;
        SL_RETURN_IF_ERROR(ParseArg(a, depth));
        impl->args.push_back(std::move(a));
        Skip();
        if (p_ >= t_.size()) return Error("Expected ',' or ')'");
        if (t_[p_] == ',') {
          ++p_;
          continue;
        }
        if (t_[p_] == ')') {
          ++p_;
          break;
        }
        return Error("Expected ',' or ')'");
      }
    }
    impl->text = std::string(t_.substr(start, p_ - start));
    int n = static_cast<int>(impl->args.size());
    if (n < impl->fn->min_args || (impl->fn->max_args >= 0 && n > impl->fn->max_args)) {
      return Status::Error("InvalidIntrinsic", "The intrinsic function " + std::string(impl->fn->name) +
                                                   " does not accept " + std::to_string(n) + " argument(s): '" +
                                                   impl->text + "'");
    }
    if (impl->fn->name == "States.Format" && impl->args[0].kind == Arg::Kind::kLiteral) {
      const Arg& a = impl->args[0];
      if (!a.literal.is_string()) {
        return Status::Error("InvalidIntrinsic", "The first argument of States.Format must be a string: '" + impl->text + "'");
      }
      impl->literal_template = intrinsics::SplitFormat(a.literal.get_string(), a.escapes);
      if (!impl->literal_template) {
        return Status::Error("InvalidIntrinsic", "The format string of States.Format has an unmatched brace: '" +
                                                     impl->text + "'");
      }
    }
    return impl;
  }

  Status ParseArg(Arg& a, int depth) {
    Skip();
    if (p_ >= t_.size()) return Error("Missing argument");
    char c = t_[p_];
    if (c == '\'') {
      ++p_;
      std::string s;
      while (true) {
        if (p_ >= t_.size()) return Error("Unterminated string literal");
        char ch = t_[p_++];
        if (ch == '\'') break;
        if (ch == '\\' && p_ < t_.size()) {
          char e = t_[p_];
          if (e == '\'' || e == '{' || e == '}' || e == '\\') {
            ++p_;
            a.escapes.resize(s.size() + 1, false);
            a.escapes[s.size()] = true;
            s += e;
            continue;
          }
        }
        s += ch;
      }
      a.kind = Arg::Kind::kLiteral;
      a.literal = Json(std::move(s));
      return Status();
    }
    if (c == '$') {
      size_t start = p_;
      int depth_b = 0;
      char quote = 0;
      while (p_ < t_.size()) {
        char ch = t_[p_];
        if (quote) {
          if (ch == '\\') ++p_;
          else if (ch == quote) quote = 0;
        } else if (ch == '\'' || ch == '"') {
          quote = ch;
        } else if (ch == '[' || ch == '(') {
          ++depth_b;
        } else if (ch == ']' || (ch == ')' && depth_b > 0)) {
          --depth_b;
        } else if (depth_b == 0 && (ch == ',' || ch == ')')) {
          break;
        }
        ++p_;
      }
      std::string_view text = t_.substr(start, p_ - start);
      while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
      auto path = Path::Compile(text);
      if (!path.ok()) return path.status();
      a.kind = Arg::Kind::kPath;
      a.path = std::move(path).value();
      return Status();
    }
    if (t_.substr(p_, 7) == "States.") {
      auto call = ParseCall(depth + 1);
      if (!call.ok()) return call.status();
      a.kind = Arg::Kind::kCall;
      a.call = std::move(call).value();
      return Status();
    }
    for (std::string_view kw : {"true", "false", "null"}) {
      if (t_.substr(p_, kw.size()) == kw) {
        p_ += kw.size();
        a.literal = kw == "null" ? Json() : Json(kw == "true");
        return Status();
      }
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      size_t start = p_++;
      while (p_ < t_.size() && (std::isdigit(static_cast<unsigned char>(t_[p_])) || t_[p_] == '.' ||
                                t_[p_] == 'e' || t_[p_] == 'E' || t_[p_] == '+' || t_[p_] == '-')) {
        ++p_;
      }
      auto n = Json::Parse(t_.substr(start, p_ - start));
      if (!n.ok()) return Error("Invalid number");
      a.literal = *n;
      return Status();
    }
    return Error(std::string("Unexpected character '") + c + "'");
  }

  std::string_view t_;
  size_t p_ = 0;
};

Result<Json> EvalImpl(const IntrinsicCall::Impl& impl, const Scope& scope, std::string_view field) {
  std::vector<Json> args;
  args.reserve(impl.args.size());
  for (const Arg& a : impl.args) {
    switch (a.kind) {
      case Arg::Kind::kLiteral: args.push_back(a.literal); break;
      case Arg::Kind::kPath: {
        auto v = a.path->Eval(scope);
        if (!v.ok()) {
          return Status::Error("States.Runtime", "The JSONPath '" + a.path->text() + "' specified for the field '" +
                                                     std::string(field) + "' could not be found in the input '" +
                                                     scope.input.Dump() + "'");
        }
        args.push_back(std::move(v).value());
        break;
      }
      case Arg::Kind::kCall: {
        auto v = EvalImpl(*a.call, scope, field);
        if (!v.ok()) return v;
        args.push_back(std::move(v).value());
        break;
      }
    }
  }
  CallContext ctx{&scope, impl.literal_template ? &*impl.literal_template : nullptr};
  return impl.fn->fn(ctx, args);
}

}  // namespace

IntrinsicCall::IntrinsicCall(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
IntrinsicCall::IntrinsicCall(IntrinsicCall&&) noexcept = default;
IntrinsicCall& IntrinsicCall::operator=(IntrinsicCall&&) noexcept = default;
IntrinsicCall::IntrinsicCall(const IntrinsicCall&) = default;
IntrinsicCall& IntrinsicCall::operator=(const IntrinsicCall&) = default;
IntrinsicCall::~IntrinsicCall() = default;

bool IntrinsicCall::LooksLikeCall(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return text.substr(i, 7) == "States." && text.find('(') != std::string_view::npos;
}

Result<IntrinsicCall> IntrinsicCall::Compile(std::string_view text) {
  auto r = CallParser(text).ParseAll();
  if (!r.ok()) return r.status();
  auto impl = std::move(r).value();
  impl->text = std::string(text);
  return IntrinsicCall(std::move(impl));
}

const std::string& IntrinsicCall::text() const { return impl_->text; }

Result<Json> IntrinsicCall::Eval(const Scope& scope) const { return EvalImpl(*impl_, scope, ""); }

Result<Json> IntrinsicCall::Eval(const Scope& scope, std::string_view field) const {
  return EvalImpl(*impl_, scope, field);
}

}  // namespace stepline::expr
