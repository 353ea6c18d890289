// Builds the typed model from a definition's JSON, compiling every path,
// template and condition once (DESIGN invariant 4).

#include <fmt/format.h>

#include <functional>

#include "asl/model.h"

namespace stepline::asl {

const char* StateTypeName(StateType t) {
  switch (t) {
    case StateType::kPass: return "Pass";
    case StateType::kTask: return "Task";
    case StateType::kChoice: return "Choice";
    case StateType::kWait: return "Wait";
    case StateType::kSucceed: return "Succeed";
    case StateType::kFail: return "Fail";
    case StateType::kParallel: return "Parallel";
    case StateType::kMap: return "Map";
  }
  return "?";
}

const State* StateMachine::Find(std::string_view name) const {
  for (const auto& s : states)
    if (s->name == name) return s.get();
  return nullptr;
}

namespace {

Status Invalid(std::string msg) { return Status::Error("InvalidDefinition", std::move(msg)); }

bool MentionsContext(const Json& v) {
  switch (v.type()) {
    case Json::Type::kString: return v.get_string().find("$$") != std::string::npos;
    case Json::Type::kArray:
      for (const auto& e : v.get_array())
        if (MentionsContext(e)) return true;
      return false;
    case Json::Type::kObject:
      for (const auto& m : v.get_object()) {
        // Nested machines are scanned with their own states.
        if (m.key == "Branches" || m.key == "Iterator" || m.key == "ItemProcessor") continue;
        if (MentionsContext(m.value)) return true;
      }
      return false;
    default: return false;
  }
}

using expr::JsonataTemplate;

class Parser {
 public:
  explicit Parser(Definition& def) : def_(def) {
    // Anything but exactly "JSONPath" behaves as JSONata (as the validator says).
    const Json* ql = def.source.find("QueryLanguage");
    if (ql && !(ql->is_string() && ql->get_string() == "JSONPath")) root_ql_ = QueryLanguage::kJsonata;
  }

  Result<std::unique_ptr<StateMachine>> Machine(const Json& j, std::string_view where) {
    if (!j.is_object()) return Invalid(fmt::format("{} must be an object", where));
    auto m = std::make_unique<StateMachine>();
    const Json* start = j.find("StartAt");
    const Json* states = j.find("States");
    if (!start || !start->is_string()) return Invalid(fmt::format("{}: StartAt must be a string", where));
    if (!states || !states->is_object()) return Invalid(fmt::format("{}: States must be an object", where));
    m->start_at = start->get_string();
    if (const Json* t = j.find("TimeoutSeconds"); t && t->is_number()) m->timeout_seconds = t->get_int();
    for (const auto& member : states->get_object()) {
      SL_ASSIGN_OR_RETURN(auto st, StateFrom(member.key, member.value, *m));
      if (def_.all_states.count(st->name)) return Invalid("Duplicate state name: " + st->name);
      def_.all_states[st->name] = st.get();
      m->states.push_back(std::move(st));
    }
    m->start = m->Find(m->start_at);
    if (!m->start) return Invalid("StartAt refers to a missing state: " + m->start_at);
    for (auto& s : m->states) SL_RETURN_IF_ERROR(Link(*s, *m));
    return m;
  }

 private:
  static Status Resolve(const StateMachine& m, const std::string& name, const State*& out) {
    if (name.empty()) return Status();
    out = m.Find(name);
    if (!out) return Invalid("Missing transition target: " + name);
    return Status();
  }

  static Status Link(State& s, const StateMachine& m) {
    SL_RETURN_IF_ERROR(Resolve(m, s.next, s.next_state));
    SL_RETURN_IF_ERROR(Resolve(m, s.default_next, s.default_state));
    for (auto& c : s.catchers) SL_RETURN_IF_ERROR(Resolve(m, c.next, c.next_state));
    for (auto& c : s.choices) SL_RETURN_IF_ERROR(Resolve(m, c.next, c.next_state));
    return Status();
  }

  static Result<PathField> PathFieldOf(const Json& st, std::string_view key) {
    PathField f;
    const Json* v = st.find(key);
    if (!v) return f;
    if (v->is_null()) {
      f.is_null = true;
      return f;
    }
    if (!v->is_string()) return Invalid(fmt::format("{} must be a string or null", key));
    SL_ASSIGN_OR_RETURN(f.path, expr::Path::Compile(v->get_string()));
    return f;
  }

  static Result<std::optional<expr::Path>> OptPath(const Json& st, std::string_view key) {
    const Json* v = st.find(key);
    if (!v) return std::optional<expr::Path>();
    if (!v->is_string()) return Invalid(fmt::format("{} must be a string", key));
    SL_ASSIGN_OR_RETURN(auto p, expr::Path::Compile(v->get_string()));
    return std::optional<expr::Path>(std::move(p));
  }

  static Result<std::optional<JsonataTemplate>> OptJsonata(const Json& j, std::string_view key) {
    const Json* v = j.find(key);
    if (!v) return std::optional<JsonataTemplate>();
    SL_ASSIGN_OR_RETURN(auto t, JsonataTemplate::Compile(*v, key));
    return std::optional<JsonataTemplate>(std::move(t));
  }

  // Assign of a state, a choice rule or a catcher, in the state's language.
  static Result<AssignField> Assign(const Json& j, bool jsonata) {
    AssignField a;
    const Json* v = j.find("Assign");
    if (!v) return a;
    if (!v->is_object()) return Invalid("Assign must be an object");
    if (jsonata) {
      SL_ASSIGN_OR_RETURN(auto t, JsonataTemplate::Compile(*v, "Assign"));
      a.jsonata = std::move(t);
    } else {
      SL_ASSIGN_OR_RETURN(auto t, expr::Template::Compile(*v, "Assign"));
      a.jsonpath = std::move(t);
    }
    return a;
  }

  static Result<DynamicNumber> Number(const Json& st, std::string_view key, bool jsonata = false) {
    DynamicNumber n;
    if (const Json* v = st.find(key)) {
      if (jsonata && JsonataTemplate::IsExpression(*v)) {
        SL_ASSIGN_OR_RETURN(auto t, JsonataTemplate::Compile(*v, key));
        n.jsonata = std::move(t);
      } else {
        n.literal = *v;
      }
    }
    SL_ASSIGN_OR_RETURN(n.path, OptPath(st, std::string(key) + "Path"));
    return n;
  }

  static Result<DynamicString> String(const Json& st, std::string_view key, bool jsonata) {
    DynamicString s;
    if (const Json* v = st.find(key); v && v->is_string()) {
      if (jsonata && JsonataTemplate::IsExpression(*v)) {
        SL_ASSIGN_OR_RETURN(auto t, JsonataTemplate::Compile(*v, key));
        s.jsonata = std::move(t);
      } else {
        s.literal = v->get_string();
      }
    }
    if (const Json* v = st.find(std::string(key) + "Path"); v && v->is_string()) {
      std::string_view text = v->get_string();
      if (expr::IntrinsicCall::LooksLikeCall(text)) {
        SL_ASSIGN_OR_RETURN(auto call, expr::IntrinsicCall::Compile(text));
        s.call = std::move(call);
      } else {
        SL_ASSIGN_OR_RETURN(auto p, expr::Path::Compile(text));
        s.path = std::move(p);
      }
    }
    return s;
  }

  static Result<std::vector<std::string>> Errors(const Json& j) {
    const Json* e = j.find("ErrorEquals");
    if (!e || !e->is_array()) return Invalid("ErrorEquals must be an array");
    std::vector<std::string> out;
    for (const auto& x : e->get_array()) {
      if (!x.is_string()) return Invalid("ErrorEquals entries must be strings");
      out.push_back(x.str());
    }
    return out;
  }

  static Status RetryCatch(const Json& st, State& s) {
    const bool jsonata = s.jsonata();
    if (const Json* r = st.find("Retry"); r && r->is_array()) {
      for (const auto& rj : r->get_array()) {
        Retrier rt;
        SL_ASSIGN_OR_RETURN(rt.errors, Errors(rj));
        if (const Json* v = rj.find("IntervalSeconds"); v && v->is_number()) rt.interval_seconds = v->get_double();
        if (const Json* v = rj.find("MaxAttempts"); v && v->is_number()) rt.max_attempts = v->get_int();
        if (const Json* v = rj.find("BackoffRate"); v && v->is_number()) rt.backoff_rate = v->get_double();
        if (const Json* v = rj.find("MaxDelaySeconds"); v && v->is_number()) rt.max_delay_seconds = v->get_int();
        if (const Json* v = rj.find("JitterStrategy"); v && v->is_string()) rt.jitter_full = v->get_string() == "FULL";
        s.retry.push_back(std::move(rt));
      }
    }
    if (const Json* c = st.find("Catch"); c && c->is_array()) {
      for (const auto& cj : c->get_array()) {
        Catcher ct;
        SL_ASSIGN_OR_RETURN(ct.errors, Errors(cj));
        const Json* next = cj.find("Next");
        if (!next || !next->is_string()) return Invalid("Catch requires Next");
        ct.next = next->get_string();
        SL_ASSIGN_OR_RETURN(ct.result_path, PathFieldOf(cj, "ResultPath"));
        SL_ASSIGN_OR_RETURN(ct.assign, Assign(cj, jsonata));
        if (jsonata) {
          SL_ASSIGN_OR_RETURN(ct.output, OptJsonata(cj, "Output"));
        }
        s.catchers.push_back(std::move(ct));
      }
    }
    return Status();
  }

  static void ClassifyResource(State& s) {
    const std::string& r = s.resource;
    auto strip_pattern = [&](std::string a) {
      if (a.size() > 17 && a.compare(a.size() - 17, 17, ".waitForTaskToken") == 0) {
        s.pattern = IntegrationPattern::kWaitForTaskToken;
        a.resize(a.size() - 17);
      } else if (auto p = a.find(".sync"); p != std::string::npos) {
        s.pattern = IntegrationPattern::kSync;
        a.resize(p);
      }
      return a;
    };
    // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE...
    std::vector<std::string> parts;
    size_t pos = 0;
    for (int i = 0; i < 6; ++i) {
      size_t c = r.find(':', pos);
      if (c == std::string::npos || i == 5) {
        parts.push_back(r.substr(pos));
        break;
      }
      parts.push_back(r.substr(pos, c - pos));
      pos = c + 1;
    }
    if (parts.size() >= 6 && parts[2] == "lambda" && parts[5].rfind("function:", 0) == 0) {
      s.task_kind = TaskKind::kLambdaArn;
      s.service = "lambda";
    } else if (parts.size() >= 6 && parts[2] == "states" && parts[5].rfind("activity:", 0) == 0) {
      s.task_kind = TaskKind::kActivity;
    } else if (parts.size() >= 6 && parts[2] == "states") {
      // arn:aws:states:::SERVICE:ACTION  or  arn:aws:states:::aws-sdk:SERVICE:ACTION
      std::string rest = strip_pattern(parts[5]);
      size_t c = rest.rfind(':');
      s.service = c == std::string::npos ? rest : rest.substr(0, c);
      s.action = c == std::string::npos ? "" : rest.substr(c + 1);
      s.task_kind = s.service == "lambda" && s.action == "invoke" ? TaskKind::kLambdaInvoke : TaskKind::kService;
    } else {
      s.task_kind = TaskKind::kService;
    }
  }

  Result<std::unique_ptr<State>> StateFrom(const std::string& name, const Json& st, const StateMachine& owner) {
    if (!st.is_object()) return Invalid("State " + name + " must be an object");
    auto s = std::make_unique<State>();
    s->name = name;
    s->owner = &owner;
    const Json* type = st.find("Type");
    if (!type || !type->is_string()) return Invalid("State " + name + " has no Type");
    static const std::pair<const char*, StateType> kTypes[] = {
        {"Pass", StateType::kPass},       {"Task", StateType::kTask},         {"Choice", StateType::kChoice},
        {"Wait", StateType::kWait},       {"Succeed", StateType::kSucceed},   {"Fail", StateType::kFail},
        {"Parallel", StateType::kParallel}, {"Map", StateType::kMap}};
    bool known = false;
    for (const auto& [n, t] : kTypes)
      if (type->get_string() == n) {
        s->type = t;
        known = true;
      }
    if (!known) return Invalid("State " + name + " has an unknown Type: " + type->str());

    s->query_language = root_ql_;
    if (const Json* ql = st.find("QueryLanguage"))
      s->query_language = ql->is_string() && ql->get_string() == "JSONPath" ? QueryLanguage::kJsonPath
                                                                            : QueryLanguage::kJsonata;
    const bool jsonata = s->jsonata();
    SL_ASSIGN_OR_RETURN(s->assign, Assign(st, jsonata));
    if (jsonata) {
      if (s->type != StateType::kFail) {
        SL_ASSIGN_OR_RETURN(s->output, OptJsonata(st, "Output"));
      }
      if (s->type == StateType::kTask || s->type == StateType::kParallel) {
        SL_ASSIGN_OR_RETURN(s->arguments, OptJsonata(st, "Arguments"));
      }
    }
    if (const Json* v = st.find("Next"); v && v->is_string()) s->next = v->get_string();
    if (const Json* v = st.find("End"); v && v->is_bool()) s->end = v->get_bool();
    s->needs_context = MentionsContext(st);
    SL_ASSIGN_OR_RETURN(s->input_path, PathFieldOf(st, "InputPath"));
    SL_ASSIGN_OR_RETURN(s->output_path, PathFieldOf(st, "OutputPath"));
    SL_ASSIGN_OR_RETURN(s->result_path, PathFieldOf(st, "ResultPath"));
    if (const Json* v = st.find("ResultSelector")) {
      SL_ASSIGN_OR_RETURN(auto t, expr::Template::Compile(*v, "ResultSelector"));
      s->result_selector = std::move(t);
    }
    if (s->type != StateType::kMap) {
      if (const Json* v = st.find("Parameters")) {
        SL_ASSIGN_OR_RETURN(auto t, expr::Template::Compile(*v, "Parameters"));
        s->parameters = std::move(t);
      }
    }
    SL_RETURN_IF_ERROR(RetryCatch(st, *s));

    switch (s->type) {
      case StateType::kPass:
        if (const Json* v = st.find("Result")) s->result = *v;
        break;
      case StateType::kTask: {
        const Json* r = st.find("Resource");
        if (!r || !r->is_string()) return Invalid("Task " + name + " requires Resource");
        s->resource = r->get_string();
        ClassifyResource(*s);
        SL_ASSIGN_OR_RETURN(s->timeout_seconds, Number(st, "TimeoutSeconds", jsonata));
        SL_ASSIGN_OR_RETURN(s->heartbeat_seconds, Number(st, "HeartbeatSeconds", jsonata));
        break;
      }
      case StateType::kChoice: {
        const Json* cs = st.find("Choices");
        if (!cs || !cs->is_array()) return Invalid("Choice " + name + " requires Choices");
        for (const auto& rule : cs->get_array()) {
          ChoiceRule cr;
          if (jsonata) {
            const Json* c = rule.find("Condition");
            if (!c) return Invalid("Choice " + name + ": a rule requires Condition");
            SL_ASSIGN_OR_RETURN(auto t, JsonataTemplate::Compile(*c, "Condition"));
            cr.jsonata_condition = std::move(t);
            SL_ASSIGN_OR_RETURN(cr.output, OptJsonata(rule, "Output"));
          } else {
            auto cond = expr::Condition::Compile(rule);
            if (!cond.ok()) return cond.status();
            cr.condition = std::move(cond).value();
          }
          SL_ASSIGN_OR_RETURN(cr.assign, Assign(rule, jsonata));
          if (const Json* n = rule.find("Next"); n && n->is_string()) cr.next = n->get_string();
          s->choices.push_back(std::move(cr));
        }
        if (const Json* d = st.find("Default"); d && d->is_string()) s->default_next = d->get_string();
        break;
      }
      case StateType::kWait: {
        SL_ASSIGN_OR_RETURN(s->wait_seconds, Number(st, "Seconds", jsonata));
        if (const Json* v = st.find("Timestamp"); v && v->is_string()) {
          if (jsonata && JsonataTemplate::IsExpression(*v)) {
            SL_ASSIGN_OR_RETURN(s->wait_timestamp_jsonata, OptJsonata(st, "Timestamp"));
          } else {
            s->wait_timestamp = v->get_string();
          }
        }
        SL_ASSIGN_OR_RETURN(s->wait_timestamp_path, OptPath(st, "TimestampPath"));
        break;
      }
      case StateType::kSucceed: break;
      case StateType::kFail: {
        SL_ASSIGN_OR_RETURN(s->error, String(st, "Error", jsonata));
        SL_ASSIGN_OR_RETURN(s->cause, String(st, "Cause", jsonata));
        break;
      }
      case StateType::kParallel: {
        const Json* bs = st.find("Branches");
        if (!bs || !bs->is_array()) return Invalid("Parallel " + name + " requires Branches");
        for (const auto& b : bs->get_array()) {
          SL_ASSIGN_OR_RETURN(auto m, Machine(b, "Branch of " + name));
          s->branches.push_back(std::move(m));
        }
        break;
      }
      case StateType::kMap: {
        const Json* proc = st.find("ItemProcessor");
        if (!proc) proc = st.find("Iterator");
        if (!proc) return Invalid("Map " + name + " requires ItemProcessor");
        if (const Json* pc = proc->find("ProcessorConfig"))
          if (const Json* mode = pc->find("Mode"); mode && mode->is_string())
            s->distributed = mode->get_string() == "DISTRIBUTED";
        SL_ASSIGN_OR_RETURN(s->processor, Machine(*proc, "ItemProcessor of " + name));
        SL_ASSIGN_OR_RETURN(s->items_path, PathFieldOf(st, "ItemsPath"));
        if (jsonata) {
          SL_ASSIGN_OR_RETURN(s->items, OptJsonata(st, "Items"));
          SL_ASSIGN_OR_RETURN(s->item_selector_jsonata, OptJsonata(st, "ItemSelector"));
        } else {
          const Json* sel = st.find("ItemSelector");
          if (!sel) sel = st.find("Parameters");  // legacy name
          if (sel) {
            SL_ASSIGN_OR_RETURN(auto t, expr::Template::Compile(*sel, "ItemSelector"));
            s->item_selector = std::move(t);
          }
        }
        SL_ASSIGN_OR_RETURN(s->max_concurrency, Number(st, "MaxConcurrency", jsonata));
        SL_ASSIGN_OR_RETURN(s->tolerated_failure_count, Number(st, "ToleratedFailureCount", jsonata));
        SL_ASSIGN_OR_RETURN(s->tolerated_failure_percentage, Number(st, "ToleratedFailurePercentage", jsonata));
        if (const Json* v = st.find("ItemReader")) s->item_reader = *v;
        if (const Json* v = st.find("ItemBatcher")) s->item_batcher = *v;
        if (const Json* v = st.find("ResultWriter")) s->result_writer = *v;
        if (const Json* v = st.find("Label"); v && v->is_string()) s->label = v->get_string();
        break;
      }
    }
    return s;
  }

  Definition& def_;
  QueryLanguage root_ql_ = QueryLanguage::kJsonPath;
};

bool StraightLine(const StateMachine& m) {
  enum class Mark : uint8_t { kNew, kOnPath, kDone };
  std::unordered_map<const State*, Mark> marks;
  // Depth-first search for a back edge; the depth is the number of states.
  std::function<bool(const State*)> acyclic = [&](const State* s) -> bool {
    if (!s) return true;
    Mark& mark = marks[s];  // only until the recursion below may rehash
    if (mark == Mark::kOnPath) return false;
    if (mark == Mark::kDone) return true;
    if (s->type == StateType::kMap || s->type == StateType::kParallel) return false;
    mark = Mark::kOnPath;
    bool ok = acyclic(s->next.empty() ? nullptr : s->owner->Find(s->next)) &&
              acyclic(s->default_next.empty() ? nullptr : s->owner->Find(s->default_next));
    for (const auto& c : s->choices) ok = ok && acyclic(s->owner->Find(c.next));
    for (const auto& c : s->catchers) ok = ok && acyclic(s->owner->Find(c.next));
    marks[s] = Mark::kDone;
    return ok;
  };
  // Every state, reachable or not (unreachable ones never run, but a cycle
  // among them costs nothing to reject).
  for (const auto& s : m.states)
    if (!acyclic(s.get())) return false;
  return true;
}

}  // namespace

Result<std::shared_ptr<const Definition>> Parse(const Json& definition) {
  auto def = std::make_shared<Definition>();
  def->source = definition;
  Parser p(*def);
  SL_ASSIGN_OR_RETURN(def->root, p.Machine(definition, "The definition"));
  def->straight_line = StraightLine(*def->root);
  return std::shared_ptr<const Definition>(std::move(def));
}

}  // namespace stepline::asl
