#include "expr/payload/jsonata_template.h"

#include <vector>

#include "expr/payload/build.h"

namespace stepline::expr {

namespace {

struct Node {
  enum class Kind : uint8_t { kLiteral, kExpr, kObject, kArray };
  Kind kind = Kind::kLiteral;
  Json literal;                              // kLiteral: shared with the definition
  std::optional<jsonata::Expression> expr;   // kExpr
  std::string field;                         // kExpr: "Output/result", for messages
  std::vector<std::string> keys;             // kObject
  std::vector<Node> children;                // kObject / kArray
};

std::string_view Trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

Status CompileNode(const Json& v, const std::string& field, Node& out) {
  if (JsonataTemplate::IsExpression(v)) {
    std::string_view body(v.get_string());
    body = Trim(body.substr(2, body.size() - 4));
    auto e = jsonata::Expression::Compile(body);
    if (!e.ok()) return e.status();
    out.kind = Node::Kind::kExpr;
    out.expr = std::move(e).value();
    out.field = field;
    return Status();
  }
  if (v.is_object() || v.is_array()) {
    bool dynamic = false;
    out.kind = v.is_object() ? Node::Kind::kObject : Node::Kind::kArray;
    if (v.is_object()) {
      for (const auto& m : v.get_object()) {
        Node child;
        SL_RETURN_IF_ERROR(CompileNode(m.value, field + "/" + m.key, child));
        dynamic = dynamic || child.kind != Node::Kind::kLiteral;
        out.keys.push_back(m.key);
        out.children.push_back(std::move(child));
      }
    } else {
      size_t i = 0;
      for (const auto& e : v.get_array()) {
        Node child;
        // The element's position is our choice of notation; AWS's is unrecorded.
        SL_RETURN_IF_ERROR(CompileNode(e, field + "[" + std::to_string(i++) + "]", child));
        dynamic = dynamic || child.kind != Node::Kind::kLiteral;
        out.children.push_back(std::move(child));
      }
    }
    if (dynamic) return Status();
    out = Node{};  // a constant subtree is emitted as the shared literal
  }
  out.kind = Node::Kind::kLiteral;
  out.literal = v;
  return Status();
}

Result<Json> EvalNode(const Node& n, const jsonata::Bindings* b, const jsonata::EvalOptions& o) {
  switch (n.kind) {
    case Node::Kind::kLiteral: return n.literal;
    case Node::Kind::kExpr: {
      auto r = n.expr->Evaluate(std::nullopt, b, o);
      if (!r.ok()) {
        return Status::Error(kQueryEvaluationError,
                             "The JSONata expression '" + n.expr->text() + "' specified for the field '" + n.field +
                                 "' threw an error during evaluation. " + r.status().name() + ": " +
                                 r.status().message());
      }
      if (!r->has_value()) {
        return Status::Error(kQueryEvaluationError, "The JSONata expression '" + n.expr->text() +
                                                        "' specified for the field '" + n.field +
                                                        "' returned nothing (undefined).");
      }
      return std::move(**r);
    }
    case Node::Kind::kObject:
      return BuildObject(n.keys, [&](size_t i) { return EvalNode(n.children[i], b, o); });
    case Node::Kind::kArray:
      return BuildArray(n.children.size(), [&](size_t i) { return EvalNode(n.children[i], b, o); });
  }
  return Json();
}

}  // namespace

struct JsonataTemplate::Impl {
  Node root;
  std::string field;
};

JsonataTemplate::JsonataTemplate(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
JsonataTemplate::JsonataTemplate(JsonataTemplate&&) noexcept = default;
JsonataTemplate& JsonataTemplate::operator=(JsonataTemplate&&) noexcept = default;
JsonataTemplate::JsonataTemplate(const JsonataTemplate&) = default;
JsonataTemplate& JsonataTemplate::operator=(const JsonataTemplate&) = default;
JsonataTemplate::~JsonataTemplate() = default;

bool JsonataTemplate::IsExpression(const Json& v) {
  if (!v.is_string()) return false;
  std::string_view s = v.get_string();
  return s.size() >= 4 && s.compare(0, 2, "{%") == 0 && s.compare(s.size() - 2, 2, "%}") == 0;
}

Result<JsonataTemplate> JsonataTemplate::Compile(const Json& tmpl, std::string_view field) {
  auto impl = std::make_shared<Impl>();
  impl->field = std::string(field);
  SL_RETURN_IF_ERROR(CompileNode(tmpl, impl->field, impl->root));
  return JsonataTemplate(std::move(impl));
}

Result<Json> JsonataTemplate::Eval(const jsonata::Bindings* bindings, const jsonata::EvalOptions& options) const {
  return EvalNode(impl_->root, bindings, options);
}

const std::string* JsonataTemplate::expression() const {
  return impl_->root.kind == Node::Kind::kExpr ? &impl_->root.expr->text() : nullptr;
}

bool JsonataTemplate::is_constant() const { return impl_->root.kind == Node::Kind::kLiteral; }

const std::string& JsonataTemplate::field() const { return impl_->field; }

std::string JsonataTemplate::TypeMismatch(std::string_view expr, std::string_view field, std::string_view expected,
                                          const Json& value) {
  std::string out = "The JSONata expression '";
  out += expr;
  out += "' specified for the field '";
  out += field;
  out += "' returned an unexpected result type. Expected '";
  out += expected;
  out += "', but was '";
  out += value.TypeName();
  out += "' for value: ";
  out += value.Dump();
  return out;
}

}  // namespace stepline::expr
