// Pratt parser for JSONata, followed by the reference's post-processing pass
// (ProcessAst): '.' chains become path steps, predicates become stages,
// grouping/order-by/focus/index bindings attach to steps, and parent (%)
// references are resolved to ancestor slots.

#include <cstring>

#include "expr/jsonata/ast.h"
#include "expr/jsonata/errors.h"
#include "expr/jsonata/functions.h"
#include "expr/jsonata/lexer.h"
#include "expr/jsonata/regex.h"

namespace stepline::jsonata {
namespace {

// Nesting bound for the recursive-descent parts (parser and post-processing),
// so that e.g. 10000 '(' fails cleanly instead of exhausting the C stack.
constexpr int kMaxParseDepth = 800;

int Lbp(const Token& t) {
  if (t.type != Token::kOperator) return 0;
  const std::string& v = t.value;
  if (v == "." ) return 75;
  if (v == "[" || v == "(" || v == "@" || v == "#") return 80;
  if (v == "{") return 70;
  if (v == "?") return 20;
  if (v == "+" || v == "-" || v == "&") return 50;
  if (v == "*" || v == "/" || v == "%") return 60;
  if (v == "=" || v == "<" || v == ">" || v == "^" || v == "!=" || v == "<=" || v == ">=" ||
      v == "~>" || v == "in")
    return 40;
  if (v == ":=") return 10;
  if (v == "and") return 30;
  if (v == "or") return 25;
  return 0;  // ] } ) , ; : .. | ** and unknown operators
}

bool KnownOperator(const std::string& v) {
  static const char* kOps[] = {".",  "[",  "]",  "{",  "}",  "(",  ")",  ",",  "@",  "#", ";",
                               ":",  "?",  "+",  "-",  "*",  "/",  "%",  "|",  "=",  "<", ">",
                               "^",  "**", "..", ":=", "!=", "<=", ">=", "~>", "and", "or",
                               "in", "&"};
  for (const char* o : kOps)
    if (v == o) return true;
  return false;
}

class Parser {
 public:
  Parser(std::string_view src, Program* prog) : lex_(src), prog_(prog) {}

  Node* ParseAll() {
    Advance(nullptr, false);
    Node* e = Expression(0);
    if (tok_.type != Token::kEnd) Throw("S0201", {.token = tok_.value}, tok_.position);
    return e;
  }

 private:
  bool Is(const char* op) const { return tok_.type == Token::kOperator && tok_.value == op; }

  void Advance(const char* expect, bool infix) {
    if (expect) {
      bool match = std::strcmp(expect, "(end)") == 0 ? tok_.type == Token::kEnd : Is(expect);
      if (!match) {
        if (tok_.type == Token::kEnd)
          Throw("S0203", {.value = expect}, tok_.position);
        Throw("S0202", {.token = tok_.value, .value = expect}, tok_.position);
      }
    }
    tok_ = lex_.Next(infix);
    if (tok_.type == Token::kOperator && !KnownOperator(tok_.value))
      Throw("S0204", {.token = tok_.value}, tok_.position);
  }

  Node* Expression(int rbp) {
    if (++depth_ > kMaxParseDepth) Throw("U1001", {}, tok_.position);
    Token t = std::move(tok_);
    Advance(nullptr, true);
    Node* left = Nud(t);
    while (rbp < Lbp(tok_)) {
      Token op = std::move(tok_);
      Advance(nullptr, false);
      left = Led(op, left);
    }
    --depth_;
    return left;
  }

  Node* Nud(const Token& t) {
    switch (t.type) {
      case Token::kEnd:
        Throw("S0207", {}, t.position);
      case Token::kName: {
        Node* n = prog_->New(NodeType::kName, t.position);
        n->value = t.value;
        return n;
      }
      case Token::kVariable: {
        Node* n = prog_->New(NodeType::kVariable, t.position);
        n->value = t.value;
        return n;
      }
      case Token::kString: {
        Node* n = prog_->New(NodeType::kString, t.position);
        n->value = t.value;
        n->literal = t.literal;
        return n;
      }
      case Token::kNumber: {
        Node* n = prog_->New(NodeType::kNumber, t.position);
        n->literal = t.literal;
        n->value = t.value;
        return n;
      }
      case Token::kValue: {
        Node* n = prog_->New(NodeType::kValue, t.position);
        n->literal = t.literal;
        return n;
      }
      case Token::kRegex: {
        Node* n = prog_->New(NodeType::kRegex, t.position);
        n->value = t.value;
        n->regex = CompileRegex(t.value, t.flags);
        return n;
      }
      case Token::kOperator:
        break;
    }
    const std::string& v = t.value;
    if (v == "and" || v == "or" || v == "in") {  // operators double as names
      Node* n = prog_->New(NodeType::kName, t.position);
      n->value = v;
      return n;
    }
    if (v == "-") {
      Node* n = prog_->New(NodeType::kNegate, t.position);
      n->expr = Expression(70);
      return n;
    }
    if (v == "*") return prog_->New(NodeType::kWildcard, t.position);
    if (v == "**") return prog_->New(NodeType::kDescendant, t.position);
    if (v == "%") return prog_->New(NodeType::kParent, t.position);
    if (v == "(") {
      Node* n = prog_->New(NodeType::kBlock, t.position);
      while (!Is(")")) {
        n->items.push_back(Expression(0));
        if (!Is(";")) break;
        Advance(";", false);
      }
      Advance(")", true);
      return n;
    }
    if (v == "[") {
      Node* n = prog_->New(NodeType::kArray, t.position);
      if (!Is("]")) {
        for (;;) {
          Node* item = Expression(0);
          if (Is("..")) {
            Node* r = prog_->New(NodeType::kBinary, tok_.position);
            r->value = "..";
            r->lhs = item;
            Advance("..", false);
            r->rhs = Expression(0);
            item = r;
          }
          n->items.push_back(item);
          if (!Is(",")) break;
          Advance(",", false);
        }
      }
      Advance("]", true);
      return n;
    }
    if (v == "{") {
      Node* n = prog_->New(NodeType::kObject, t.position);
      ParsePairs(&n->pairs);
      return n;
    }
    if (v == "|") {
      Node* n = prog_->New(NodeType::kTransform, t.position);
      n->pattern = Expression(0);
      Advance("|", false);
      n->update = Expression(0);
      if (Is(",")) {
        Advance(",", false);
        n->del = Expression(0);
      }
      Advance("|", true);
      return n;
    }
    if (v == "?") {  // placeholder outside an argument list
      Node* n = prog_->New(NodeType::kOperator, t.position);
      n->value = v;
      return n;
    }
    Throw("S0211", {.token = v}, t.position);
  }

  void ParsePairs(std::vector<std::pair<Node*, Node*>>* pairs) {
    if (!Is("}")) {
      for (;;) {
        Node* k = Expression(0);
        Advance(":", false);
        Node* val = Expression(0);
        pairs->emplace_back(k, val);
        if (!Is(",")) break;
        Advance(",", false);
      }
    }
    Advance("}", true);
  }

  Node* Led(const Token& t, Node* left) {
    const std::string& v = t.value;
    if (v == "(") return ParseCall(t, left);
    if (v == "[") {
      if (Is("]")) {
        Node* step = left;
        while (step && step->type == NodeType::kBinary && step->value == "[") step = step->lhs;
        step->keep_array = true;
        Advance("]", true);
        return left;
      }
      Node* n = prog_->New(NodeType::kBinary, t.position);
      n->value = "[";
      n->lhs = left;
      n->rhs = Expression(0);
      Advance("]", true);
      return n;
    }
    if (v == "{") {
      Node* n = prog_->New(NodeType::kBinary, t.position);
      n->value = "{";
      n->lhs = left;
      ParsePairs(&n->pairs);
      return n;
    }
    if (v == "^") {
      Node* n = prog_->New(NodeType::kBinary, t.position);
      n->value = "^";
      n->lhs = left;
      Advance("(", false);
      for (;;) {
        SortTerm term;
        if (Is("<")) {
          Advance("<", false);
        } else if (Is(">")) {
          term.descending = true;
          Advance(">", false);
        }
        term.expr = Expression(0);
        n->terms.push_back(term);
        if (!Is(",")) break;
        Advance(",", false);
      }
      Advance(")", true);
      return n;
    }
    if (v == "?") {
      Node* n = prog_->New(NodeType::kCondition, t.position);
      n->condition = left;
      n->then = Expression(0);
      if (Is(":")) {
        Advance(":", false);
        n->otherwise = Expression(0);
      }
      return n;
    }
    if (v == ":=") {
      if (left->type != NodeType::kVariable) Throw("S0212", {.token = left->value}, left->position);
      Node* n = prog_->New(NodeType::kBinary, t.position);
      n->value = ":=";
      n->lhs = left;
      n->rhs = Expression(9);
      return n;
    }
    if (v == "@" || v == "#") {
      Node* n = prog_->New(NodeType::kBinary, t.position);
      n->value = v;
      n->lhs = left;
      n->rhs = Expression(80);
      if (n->rhs->type != NodeType::kVariable) Throw("S0214", {.token = v}, n->rhs->position);
      return n;
    }
    Node* n = prog_->New(NodeType::kBinary, t.position);
    n->value = v;
    n->lhs = left;
    n->rhs = Expression(Lbp(t));
    return n;
  }

  Node* ParseCall(const Token& t, Node* left) {
    Node* n = prog_->New(NodeType::kCall, t.position);
    n->procedure = left;
    if (!Is(")")) {
      for (;;) {
        if (Is("?")) {
          n->type = NodeType::kPartial;
          n->items.push_back(prog_->New(NodeType::kPlaceholder, tok_.position));
          Advance("?", false);
        } else {
          n->items.push_back(Expression(0));
        }
        if (!Is(",")) break;
        Advance(",", false);
      }
    }
    Advance(")", true);
    if (left->type == NodeType::kName && (left->value == "function" || left->value == "\xCE\xBB")) {
      int idx = 1;
      for (Node* a : n->items) {
        if (a->type != NodeType::kVariable)
          Throw("S0208", {.token = a->value, .value = std::to_string(idx)}, a->position);
        n->params.push_back(a->value);
        ++idx;
      }
      n->type = NodeType::kLambda;
      n->items.clear();
      if (Is("<")) {
        // The signature is everything up to the matching '>' in the source.
        std::string_view src = lex_.source();
        size_t start = static_cast<size_t>(tok_.position) - 1;
        int d = 0;
        size_t p = start;
        for (; p < src.size(); ++p) {
          if (src[p] == '<') ++d;
          else if (src[p] == '>' && --d == 0) break;
          else if (src[p] == '{') break;
        }
        if (p >= src.size() || src[p] != '>') Throw("S0202", {.token = "{", .value = ">"}, static_cast<int>(p));
        n->signature = std::make_shared<Signature>(ParseSignature(src.substr(start, p - start + 1)));
        lex_.set_offset(p + 1);
        Advance(nullptr, false);
      }
      Advance("{", false);
      n->body = Expression(0);
      Advance("}", true);
    }
    return n;
  }

  Lexer lex_;
  Program* prog_;
  Token tok_;
  int depth_ = 0;
};

// ---- Post-processing (the reference's processAST) ----

class Processor {
 public:
  explicit Processor(Program* p) : prog_(p) {}

  Node* Process(Node* e) {
    if (++depth_ > kMaxParseDepth) Throw("U1001", {}, e->position);
    Node* r = ProcessInner(e);
    if (e->keep_array) r->keep_array = true;
    --depth_;
    return r;
  }

 private:
  Node* NewPath(Node* first) {
    Node* p = prog_->New(NodeType::kPath, first->position);
    p->steps.push_back(first);
    return p;
  }

  void PushAncestry(Node* result, Node* value) {
    if (value->has_seeking || value->type == NodeType::kParent) {
      std::vector<Slot*> slots = value->seeking_parent;
      if (value->type == NodeType::kParent) slots.push_back(value->slot);
      result->seeking_parent.insert(result->seeking_parent.end(), slots.begin(), slots.end());
      result->has_seeking = true;
    }
  }

  Slot* SeekParent(Node* node, Slot* slot) {
    switch (node->type) {
      case NodeType::kName:
      case NodeType::kWildcard:
        slot->level--;
        if (slot->level == 0) {
          if (node->ancestor == nullptr) {
            node->ancestor = slot;
          } else {
            // Reuse the existing label.
            ancestry_[slot->index]->slot->label = node->ancestor->label;
            node->ancestor = slot;
          }
          node->tuple = true;
        }
        break;
      case NodeType::kParent:
        slot->level++;
        break;
      case NodeType::kBlock:
        if (!node->items.empty()) {
          node->tuple = true;
          slot = SeekParent(node->items.back(), slot);
        }
        break;
      case NodeType::kPath: {
        node->tuple = true;
        int index = static_cast<int>(node->steps.size()) - 1;
        slot = SeekParent(node->steps[index--], slot);
        while (slot->level > 0 && index >= 0) slot = SeekParent(node->steps[index--], slot);
        break;
      }
      default:
        Throw("S0217", {.token = TypeName(node)}, node->position);
    }
    return slot;
  }

  static std::string TypeName(Node* n) {
    switch (n->type) {
      case NodeType::kBinary: return "binary";
      case NodeType::kCall: return "function";
      case NodeType::kVariable: return "variable";
      case NodeType::kString: return "string";
      case NodeType::kNumber: return "number";
      case NodeType::kValue: return "value";
      case NodeType::kArray:
      case NodeType::kObject:
      case NodeType::kNegate: return "unary";
      case NodeType::kCondition: return "condition";
      case NodeType::kLambda: return "lambda";
      case NodeType::kSort: return "sort";
      default: return "expression";
    }
  }

  void ResolveAncestry(Node* path) {
    int index = static_cast<int>(path->steps.size()) - 1;
    Node* last = path->steps[index];
    std::vector<Slot*> slots = last->seeking_parent;
    if (last->type == NodeType::kParent) slots.push_back(last->slot);
    for (Slot* slot : slots) {
      index = static_cast<int>(path->steps.size()) - 2;
      while (slot->level > 0) {
        if (index < 0) {
          path->seeking_parent.push_back(slot);
          path->has_seeking = true;
          break;
        }
        Node* step = path->steps[index--];
        while (index >= 0 && step->has_focus && path->steps[index]->has_focus)
          step = path->steps[index--];
        slot = SeekParent(step, slot);
      }
    }
  }

  Node* TailCallOptimize(Node* e) {
    if (e->type == NodeType::kCall && e->predicates.empty()) {
      e->tail_call = true;
    } else if (e->type == NodeType::kCondition) {
      TailCallOptimize(e->then);
      if (e->otherwise) TailCallOptimize(e->otherwise);
    } else if (e->type == NodeType::kBlock && !e->items.empty()) {
      TailCallOptimize(e->items.back());
    }
    return e;
  }

  Node* ProcessInner(Node* e) {
    switch (e->type) {
      case NodeType::kBinary:
        return ProcessBinary(e);
      case NodeType::kArray: {
        for (auto& it : e->items) {
          it = Process(it);
          PushAncestry(e, it);
        }
        return e;
      }
      case NodeType::kObject: {
        for (auto& [k, v] : e->pairs) {
          k = Process(k);
          PushAncestry(e, k);
          v = Process(v);
          PushAncestry(e, v);
        }
        return e;
      }
      case NodeType::kNegate: {
        e->expr = Process(e->expr);
        if (e->expr->type == NodeType::kNumber) {
          Node* n = e->expr;
          n->literal = MakeNumber(-n->literal.get_double());
          return n;
        }
        PushAncestry(e, e->expr);
        return e;
      }
      case NodeType::kCall:
      case NodeType::kPartial: {
        for (auto& a : e->items) {
          a = Process(a);
          PushAncestry(e, a);
        }
        e->procedure = Process(e->procedure);
        return e;
      }
      case NodeType::kLambda: {
        e->body = TailCallOptimize(Process(e->body));
        return e;
      }
      case NodeType::kCondition: {
        e->condition = Process(e->condition);
        PushAncestry(e, e->condition);
        e->then = Process(e->then);
        PushAncestry(e, e->then);
        if (e->otherwise) {
          e->otherwise = Process(e->otherwise);
          PushAncestry(e, e->otherwise);
        }
        return e;
      }
      case NodeType::kTransform: {
        e->pattern = Process(e->pattern);
        e->update = Process(e->update);
        if (e->del) e->del = Process(e->del);
        return e;
      }
      case NodeType::kBlock: {
        for (auto& it : e->items) {
          it = Process(it);
          PushAncestry(e, it);
          if (it->cons_array || (it->type == NodeType::kPath && it->steps[0]->cons_array))
            e->cons_array = true;
        }
        return e;
      }
      case NodeType::kName: {
        Node* p = NewPath(e);
        if (e->keep_array) p->keep_singleton_array = true;
        return p;
      }
      case NodeType::kParent: {
        prog_->slots.push_back(std::make_unique<Slot>());
        Slot* s = prog_->slots.back().get();
        s->label = "!" + std::to_string(label_++);
        s->level = 1;
        s->index = static_cast<int>(ancestry_.size());
        e->slot = s;
        ancestry_.push_back(e);
        return e;
      }
      case NodeType::kVariable:
        e->builtin = FindBuiltin(e->value);
        return e;
      case NodeType::kOperator:
        if (e->value == "?") return e;
        Throw("S0201", {.token = e->value}, e->position);
      default:
        return e;
    }
  }

  Node* ProcessBinary(Node* e) {
    const std::string& op = e->value;
    if (op == ".") {
      Node* lstep = Process(e->lhs);
      Node* result;
      if (lstep->type == NodeType::kPath) {
        result = lstep;
      } else {
        result = NewPath(lstep);
      }
      if (lstep->type == NodeType::kParent) {
        result->seeking_parent = {lstep->slot};
        result->has_seeking = true;
      }
      Node* rest = Process(e->rhs);
      if (rest->type == NodeType::kPath) {
        result->steps.insert(result->steps.end(), rest->steps.begin(), rest->steps.end());
      } else {
        if (!rest->predicates.empty()) {
          rest->stages = std::move(rest->predicates);
          rest->predicates.clear();
        }
        result->steps.push_back(rest);
      }
      for (Node* step : result->steps) {
        if (step->type == NodeType::kNumber || step->type == NodeType::kValue) {
          std::string v = step->type == NodeType::kNumber ? step->value : step->literal.Dump();
          Throw("S0213", {.value = v}, step->position);
        }
        if (step->type == NodeType::kString) step->type = NodeType::kName;
      }
      for (Node* step : result->steps)
        if (step->keep_array) result->keep_singleton_array = true;
      Node* first = result->steps.front();
      if (first->type == NodeType::kArray) first->cons_array = true;
      Node* last = result->steps.back();
      if (last->type == NodeType::kArray) last->cons_array = true;
      ResolveAncestry(result);
      return result;
    }
    if (op == "[") {
      Node* result = Process(e->lhs);
      Node* step = result;
      bool stages = false;
      if (result->type == NodeType::kPath) {
        step = result->steps.back();
        stages = true;
      }
      if (step->group) Throw("S0209", {}, e->position);
      Node* pred = Process(e->rhs);
      if (pred->has_seeking) {
        for (Slot* slot : pred->seeking_parent) {
          if (slot->level == 1) SeekParent(step, slot);
          else slot->level--;
        }
        PushAncestry(step, pred);
      }
      Stage st;
      st.expr = pred;
      (stages ? step->stages : step->predicates).push_back(st);
      return result;
    }
    if (op == "{") {
      Node* result = Process(e->lhs);
      if (result->group) Throw("S0210", {}, e->position);
      result->group = std::make_unique<Group>();
      result->group->position = e->position;
      for (auto& [k, v] : e->pairs) result->group->pairs.emplace_back(Process(k), Process(v));
      return result;
    }
    if (op == "^") {
      Node* result = Process(e->lhs);
      if (result->type != NodeType::kPath) result = NewPath(result);
      Node* sort = prog_->New(NodeType::kSort, e->position);
      for (auto& term : e->terms) {
        Node* x = Process(term.expr);
        PushAncestry(sort, x);
        sort->terms.push_back(SortTerm{term.descending, x});
      }
      result->steps.push_back(sort);
      ResolveAncestry(result);
      return result;
    }
    if (op == ":=") {
      Node* n = prog_->New(NodeType::kBind, e->position);
      n->lhs = Process(e->lhs);
      n->rhs = Process(e->rhs);
      PushAncestry(n, n->rhs);
      return n;
    }
    if (op == "@") {
      Node* result = Process(e->lhs);
      Node* step = result;
      if (result->type == NodeType::kPath) step = result->steps.back();
      if (!step->stages.empty() || !step->predicates.empty()) Throw("S0215", {}, e->position);
      if (step->type == NodeType::kSort) Throw("S0216", {}, e->position);
      if (e->keep_array) step->keep_array = true;
      step->focus = e->rhs->value;
      step->has_focus = true;
      step->tuple = true;
      return result;
    }
    if (op == "#") {
      Node* result = Process(e->lhs);
      Node* step = result;
      if (result->type == NodeType::kPath) {
        step = result->steps.back();
      } else {
        result = NewPath(result);
        if (!step->predicates.empty()) {
          step->stages = std::move(step->predicates);
          step->predicates.clear();
        }
      }
      if (step->stages.empty()) {
        step->index = e->rhs->value;
        step->has_index = true;
      } else {
        Stage st;
        st.is_index = true;
        st.var = e->rhs->value;
        step->stages.push_back(st);
      }
      step->tuple = true;
      return result;
    }
    if (op == "~>") {
      Node* n = prog_->New(NodeType::kApply, e->position);
      n->value = op;
      n->lhs = Process(e->lhs);
      n->rhs = Process(e->rhs);
      n->keep_array = n->lhs->keep_array || n->rhs->keep_array;
      return n;
    }
    e->lhs = Process(e->lhs);
    e->rhs = Process(e->rhs);
    PushAncestry(e, e->lhs);
    PushAncestry(e, e->rhs);
    return e;
  }

  Program* prog_;
  std::vector<Node*> ancestry_;
  int label_ = 0;
  int depth_ = 0;
};

// True when evaluating `n` may bind a variable in the enclosing block's
// scope (a ':=' not inside a nested block or lambda, or a dynamic $eval).
bool BindsInScope(const Node* n, int depth = 0) {
  if (!n || depth > kMaxParseDepth) return true;
  if (n->type == NodeType::kBind) return true;
  if (n->type == NodeType::kLambda || n->type == NodeType::kBlock) return false;
  if (n->type == NodeType::kVariable && n->value == "eval") return true;
  for (const Node* c : {n->lhs, n->rhs, n->expr, n->condition, n->then, n->otherwise, n->procedure, n->pattern,
                        n->update, n->del})
    if (c && BindsInScope(c, depth + 1)) return true;
  for (const Node* c : n->items)
    if (BindsInScope(c, depth + 1)) return true;
  for (const Node* c : n->steps)
    if (BindsInScope(c, depth + 1)) return true;
  for (const auto& [k, v] : n->pairs)
    if (BindsInScope(k, depth + 1) || BindsInScope(v, depth + 1)) return true;
  for (const auto& st : n->stages)
    if (st.expr && BindsInScope(st.expr, depth + 1)) return true;
  for (const auto& st : n->predicates)
    if (st.expr && BindsInScope(st.expr, depth + 1)) return true;
  for (const auto& t : n->terms)
    if (BindsInScope(t.expr, depth + 1)) return true;
  if (n->group)
    for (const auto& [k, v] : n->group->pairs)
      if (BindsInScope(k, depth + 1) || BindsInScope(v, depth + 1)) return true;
  return false;
}

// Whether `n` evaluates to the same value whatever its context and scope:
// literals combined by array constructors, operators and conditionals.
bool IsConstantExpr(const Node* n, int depth) {
  if (!n || depth > 64 || !n->predicates.empty() || !n->stages.empty() || n->group) return false;
  switch (n->type) {
    case NodeType::kNumber:
    case NodeType::kString:
    case NodeType::kValue:
      return true;
    case NodeType::kArray:
      for (const Node* it : n->items)
        if (!IsConstantExpr(it, depth + 1)) return false;
      return true;
    case NodeType::kBinary:
      return IsConstantExpr(n->lhs, depth + 1) && IsConstantExpr(n->rhs, depth + 1);
    case NodeType::kNegate:
      return IsConstantExpr(n->expr, depth + 1);
    case NodeType::kCondition:
      return IsConstantExpr(n->condition, depth + 1) && IsConstantExpr(n->then, depth + 1) &&
             (!n->otherwise || IsConstantExpr(n->otherwise, depth + 1));
    default:
      return false;
  }
}

void FinalizeNode(Node* n) {
  for (Stage& st : n->stages)
    if (!st.is_index && st.expr) st.expr->constant = IsConstantExpr(st.expr, 0);
  for (Stage& st : n->predicates)
    if (!st.is_index && st.expr) st.expr->constant = IsConstantExpr(st.expr, 0);
  if (n->type == NodeType::kBinary) {
    static const std::pair<const char*, BinOp> kOps[] = {
        {"and", kOpAnd}, {"or", kOpOr}, {"+", kOpAdd}, {"-", kOpSub}, {"*", kOpMul}, {"/", kOpDiv},
        {"%", kOpMod},   {"=", kOpEq},  {"!=", kOpNe}, {"<", kOpLt},  {"<=", kOpLe}, {">", kOpGt},
        {">=", kOpGe},   {"&", kOpConcat}, {"..", kOpRange}, {"in", kOpIn}};
    for (const auto& [text, op] : kOps)
      if (n->value == text) n->op = op;
  }
  if (n->type == NodeType::kName)
    n->plain_name = n->stages.empty() && n->predicates.empty() && !n->group && !n->keep_array && !n->tuple &&
                    !n->has_focus && !n->has_index && n->ancestor == nullptr;
  if (n->type == NodeType::kVariable)
    n->plain_var = n->stages.empty() && n->predicates.empty() && !n->group && !n->keep_array && !n->tuple &&
                   !n->has_focus && !n->has_index && n->ancestor == nullptr && !n->cons_array;
  if (n->type == NodeType::kWildcard || n->type == NodeType::kDescendant)
    n->plain_step = n->stages.empty() && n->predicates.empty() && !n->group && !n->keep_array &&
                    !n->tuple && !n->has_focus && !n->has_index && n->ancestor == nullptr;
  if (n->type == NodeType::kBlock) {
    n->needs_frame = false;
    for (const Node* c : n->items)
      if (BindsInScope(c)) n->needs_frame = true;
  }
}

}  // namespace

std::shared_ptr<Program> Parse(std::string_view text) {
  auto prog = std::make_shared<Program>();
  Parser parser(text, prog.get());
  Node* raw = parser.ParseAll();
  Processor proc(prog.get());
  prog->root = proc.Process(raw);
  if (prog->root->has_seeking) {
    // A parent reference with no ancestor to bind to.
    Throw("S0217", {.token = "%"}, prog->root->position);
  }
  for (auto& n : prog->nodes) FinalizeNode(n.get());
  return prog;
}

}  // namespace stepline::jsonata
