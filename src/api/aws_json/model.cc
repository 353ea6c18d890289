#include "api/aws_json/model.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "api/aws_json/model_data.h"
#include "base/json.h"

namespace stepline::api::aws_json {
namespace {

Status Invalid(std::string message) { return Status::Error("InvalidModel", std::move(message)); }

std::optional<ShapeType> TypeFromName(std::string_view t) {
  if (t == "structure") return ShapeType::kStructure;
  if (t == "string") return ShapeType::kString;
  if (t == "integer") return ShapeType::kInteger;
  if (t == "long") return ShapeType::kLong;
  if (t == "boolean") return ShapeType::kBoolean;
  if (t == "float") return ShapeType::kFloat;
  if (t == "double") return ShapeType::kDouble;
  if (t == "timestamp") return ShapeType::kTimestamp;
  if (t == "list") return ShapeType::kList;
  if (t == "map") return ShapeType::kMap;
  if (t == "blob") return ShapeType::kBlob;
  return std::nullopt;
}

template <typename T>
auto LowerBoundByName(T& v, std::string_view name) {
  return std::lower_bound(v.begin(), v.end(), name,
                          [](const auto& e, std::string_view n) { return e.name < n; });
}

}  // namespace

Result<ServiceModel> ServiceModel::Parse(std::string_view text) {
  auto parsed = Json::Parse(text);
  if (!parsed.ok()) return Invalid(parsed.status().message());
  const Json& root = *parsed;
  const Json* metadata = root.find("metadata");
  const Json* ops = root.find("operations");
  const Json* shapes = root.find("shapes");
  if (!metadata || !ops || !shapes || !ops->is_object() || !shapes->is_object())
    return Invalid("missing metadata, operations or shapes");
  ServiceModel m;
  if (const Json* p = metadata->find("targetPrefix"); p && p->is_string()) m.target_prefix_ = p->get_string();

  // Pass 1: names, so references can be resolved by index.
  for (const auto& [name, body] : shapes->get_object()) {
    Shape s;
    s.name = name;
    m.shapes_.push_back(std::move(s));
  }
  std::sort(m.shapes_.begin(), m.shapes_.end(), [](const Shape& a, const Shape& b) { return a.name < b.name; });
  auto ref = [&m](const Json* r) -> Result<int> {
    const Json* n = r ? r->find("shape") : nullptr;
    if (!n || !n->is_string()) return Invalid("shape reference without a name");
    int i = m.FindShape(n->get_string());
    if (i < 0) return Invalid("unknown shape " + n->str());
    return i;
  };
  // Pass 2: bodies.
  for (const auto& [name, body] : shapes->get_object()) {
    Shape& s = m.shapes_[static_cast<size_t>(m.FindShape(name))];
    const Json* type = body.find("type");
    auto t = type && type->is_string() ? TypeFromName(type->get_string()) : std::nullopt;
    if (!t) return Invalid("shape " + name + " has an unknown type");
    s.type = *t;
    if (const Json* v = body.find("sensitive"); v && v->is_bool()) s.sensitive = v->get_bool();
    if (const Json* v = body.find("exception"); v && v->is_bool()) s.exception = v->get_bool();
    if (const Json* v = body.find("min"); v && v->is_number()) s.min = v->get_double();
    if (const Json* v = body.find("max"); v && v->is_number()) s.max = v->get_double();
    if (const Json* v = body.find("pattern"); v && v->is_string()) s.pattern = v->get_string();
    if (const Json* v = body.find("enum"); v && v->is_array())
      for (const Json& e : v->get_array())
        if (e.is_string()) s.enum_values.push_back(e.str());
    if (const Json* v = body.find("member")) {
      SL_ASSIGN_OR_RETURN(s.member, ref(v));
    }
    if (const Json* v = body.find("key")) {
      SL_ASSIGN_OR_RETURN(s.key, ref(v));
    }
    if (const Json* v = body.find("value")) {
      SL_ASSIGN_OR_RETURN(s.value, ref(v));
    }
    if (const Json* members = body.find("members"); members && members->is_object()) {
      for (const auto& [mname, mbody] : members->get_object()) {
        Shape::Member mem;
        mem.name = mname;
        SL_ASSIGN_OR_RETURN(mem.shape, ref(&mbody));
        s.members.push_back(std::move(mem));
      }
    }
    if (const Json* req = body.find("required"); req && req->is_array()) {
      for (const Json& r : req->get_array()) {
        if (!r.is_string()) continue;
        for (auto& mem : s.members)
          if (mem.name == r.get_string()) mem.required = true;
      }
    }
    if ((s.type == ShapeType::kList && s.member < 0) || (s.type == ShapeType::kMap && (s.key < 0 || s.value < 0)))
      return Invalid("shape " + name + " lacks its element shapes");
  }
  for (const auto& [name, body] : ops->get_object()) {
    Operation op;
    op.name = name;
    if (const Json* in = body.find("input")) {
      SL_ASSIGN_OR_RETURN(op.input, ref(in));
    }
    m.operations_.push_back(std::move(op));
  }
  std::sort(m.operations_.begin(), m.operations_.end(),
            [](const Operation& a, const Operation& b) { return a.name < b.name; });
  return m;
}

const ServiceModel& ServiceModel::Embedded() {
  static const ServiceModel* model = [] {
    auto m = Parse(EmbeddedServiceModel());
    if (!m.ok()) {  // our own generated data: a build defect, not user input
      std::fprintf(stderr, "embedded service model: %s\n", m.status().ToString().c_str());
      std::abort();
    }
    return new ServiceModel(std::move(m).value());
  }();
  return *model;
}

const Operation* ServiceModel::FindOperation(std::string_view name) const {
  auto it = LowerBoundByName(operations_, name);
  return it != operations_.end() && it->name == name ? &*it : nullptr;
}

int ServiceModel::FindShape(std::string_view name) const {
  auto it = LowerBoundByName(shapes_, name);
  return it != shapes_.end() && it->name == name ? static_cast<int>(it - shapes_.begin()) : -1;
}

bool ServiceModel::IsModeledError(std::string_view code) const {
  int i = FindShape(code);
  return i >= 0 && shapes_[static_cast<size_t>(i)].exception;
}

}  // namespace stepline::api::aws_json
