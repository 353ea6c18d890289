#include "expr/payload/template.h"

#include <optional>
#include <string>
#include <vector>

#include "expr/intrinsics/intrinsic.h"
#include "expr/jsonpath/path.h"
#include "expr/payload/build.h"

namespace stepline::expr {

namespace {

struct Node {
  enum class Kind : uint8_t { kLiteral, kObject, kArray, kPath, kCall };
  Kind kind = Kind::kLiteral;
  Json literal;                       // kLiteral: shared with the definition, never copied
  std::vector<std::string> keys;      // kObject: output keys (".$" removed)
  std::vector<std::string> fields;    // kObject: the template keys, for messages
  std::vector<Node> children;         // kObject / kArray
  std::optional<Path> path;           // kPath
  std::optional<IntrinsicCall> call;  // kCall
};

bool EndsWithDollar(const std::string& key) { return key.size() >= 2 && key.compare(key.size() - 2, 2, ".$") == 0; }

Status CompileNode(const Json& v, std::string_view field, Node& out) {
  if (v.is_object()) {
    bool dynamic = false;
    out.kind = Node::Kind::kObject;
    for (const auto& m : v.get_object()) {
      Node child;
      if (EndsWithDollar(m.key)) {
        if (!m.value.is_string()) {
          return Status::Error("InvalidTemplate", "The value for the field '" + m.key + "' in " + std::string(field) +
                                                      " must be a STRING that contains a JSONPath or an intrinsic function");
        }
        std::string_view expr = m.value.get_string();
        if (IntrinsicCall::LooksLikeCall(expr)) {
          auto c = IntrinsicCall::Compile(expr);
          if (!c.ok()) return c.status();
          child.kind = Node::Kind::kCall;
          child.call = std::move(c).value();
        } else {
          auto p = Path::Compile(expr);
          if (!p.ok()) return p.status();
          child.kind = Node::Kind::kPath;
          child.path = std::move(p).value();
        }
        out.keys.push_back(m.key.substr(0, m.key.size() - 2));
        dynamic = true;
      } else {
        SL_RETURN_IF_ERROR(CompileNode(m.value, field, child));
        dynamic = dynamic || child.kind != Node::Kind::kLiteral;
        out.keys.push_back(m.key);
      }
      out.fields.push_back(m.key);
      out.children.push_back(std::move(child));
    }
    if (!dynamic) {  // a constant subtree is emitted as the shared literal
      out = Node{};
      out.literal = v;
    }
    return Status();
  }
  if (v.is_array()) {
    bool dynamic = false;
    out.kind = Node::Kind::kArray;
    for (const auto& e : v.get_array()) {
      Node child;
      SL_RETURN_IF_ERROR(CompileNode(e, field, child));
      dynamic = dynamic || child.kind != Node::Kind::kLiteral;
      out.children.push_back(std::move(child));
    }
    if (!dynamic) {
      out = Node{};
      out.literal = v;
    }
    return Status();
  }
  out.kind = Node::Kind::kLiteral;
  out.literal = v;
  return Status();
}

Result<Json> EvalNode(const Node& n, const Scope& scope, std::string_view field) {
  switch (n.kind) {
    case Node::Kind::kLiteral: return n.literal;
    case Node::Kind::kPath: {
      auto v = n.path->Eval(scope);
      if (!v.ok()) {
        return Status::Error("States.Runtime", "The JSONPath '" + n.path->text() + "' specified for the field '" +
                                                   std::string(field) + "' could not be found in the input '" +
                                                   scope.input.Dump() + "'");
      }
      return v;
    }
    case Node::Kind::kCall: return n.call->Eval(scope, field);
    case Node::Kind::kObject:
      return BuildObject(n.keys, [&](size_t i) { return EvalNode(n.children[i], scope, n.fields[i]); });
    case Node::Kind::kArray:
      return BuildArray(n.children.size(), [&](size_t i) { return EvalNode(n.children[i], scope, field); });
  }
  return Json();
}

}  // namespace

struct Template::Impl {
  Node root;
  std::string field;
};

Template::Template(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;
Template::Template(const Template&) = default;
Template& Template::operator=(const Template&) = default;
Template::~Template() = default;

Result<Template> Template::Compile(const Json& tmpl, std::string_view field) {
  auto impl = std::make_shared<Impl>();
  impl->field = std::string(field);
  SL_RETURN_IF_ERROR(CompileNode(tmpl, field, impl->root));
  return Template(std::move(impl));
}

Result<Json> Template::Eval(const Scope& scope) const { return EvalNode(impl_->root, scope, impl_->field); }

}  // namespace stepline::expr
