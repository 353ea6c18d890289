#pragma once
// The JSONata syntax tree, after the reference's post-processing (paths
// flattened into steps, predicates turned into stages, parent slots resolved).
// A Program owns every node; nodes point at each other with raw pointers and
// are immutable once compiled.

#include <memory>
#include <string>
#include <vector>

#include "base/json.h"
#include "expr/jsonata/signature.h"

namespace stepline::jsonata {

class Regex;

enum class NodeType : uint8_t {
  kPath,
  kBinary,      // value = operator
  kNegate,      // unary minus
  kArray,       // array constructor
  kObject,      // object constructor
  kName,
  kString,
  kNumber,
  kValue,       // true / false / null
  kWildcard,
  kDescendant,
  kParent,
  kCondition,
  kBlock,
  kBind,
  kRegex,
  kCall,
  kPartial,
  kVariable,
  kLambda,
  kApply,
  kTransform,
  kSort,
  kPlaceholder,  // '?' argument of a partial application
  kOperator,     // raw operator token used as an operand (parser only)
};

struct Node;

// Where a parent (%) reference finds its ancestor.
struct Slot {
  std::string label;
  int level = 1;
  int index = 0;
};

struct Stage {
  bool is_index = false;  // '#' binding inside the stages
  Node* expr = nullptr;   // filter predicate
  std::string var;        // index variable name
};

struct SortTerm {
  bool descending = false;
  Node* expr = nullptr;
};

struct Group {
  std::vector<std::pair<Node*, Node*>> pairs;
  int position = 0;
};

struct Node {
  NodeType type;
  int position = 0;
  std::string value;  // operator, name, variable name, string literal text
  Json literal;       // kString / kNumber / kValue

  Node* lhs = nullptr;
  Node* rhs = nullptr;
  Node* expr = nullptr;                 // kNegate
  std::vector<Node*> items;             // kArray items, kBlock expressions, call arguments
  std::vector<std::pair<Node*, Node*>> pairs;  // kObject
  std::vector<Node*> steps;             // kPath
  Node* condition = nullptr;
  Node* then = nullptr;
  Node* otherwise = nullptr;
  Node* procedure = nullptr;            // kCall / kPartial
  std::vector<std::string> params;      // kLambda parameter names
  std::shared_ptr<Signature> signature;  // kLambda
  Node* body = nullptr;                 // kLambda
  Node* pattern = nullptr;              // kTransform
  Node* update = nullptr;
  Node* del = nullptr;
  std::vector<SortTerm> terms;          // kSort
  std::vector<Stage> stages;            // step stages (path steps)
  std::vector<Stage> predicates;        // predicates on a non-step expression
  std::unique_ptr<Group> group;
  std::shared_ptr<Regex> regex;         // kRegex
  Slot* slot = nullptr;                 // kParent
  Slot* ancestor = nullptr;             // step that binds an ancestor
  std::vector<Slot*> seeking_parent;

  std::string focus;  // '@' binding
  std::string index;  // '#' binding
  bool has_index = false;
  bool has_focus = false;
  bool keep_array = false;
  bool keep_singleton_array = false;
  bool cons_array = false;
  bool tuple = false;
  bool tail_call = false;  // call in tail position of a lambda body (trampolined)
  bool has_seeking = false;
  const void* builtin = nullptr;  // kVariable: the built-in function of that name, if any
  // Set by FinalizeNode after post-processing, for the evaluator's fast paths.
  uint8_t op = 0;                // kBinary: BinOp
  bool plain_name = false;       // kName step with no stages, bindings or grouping
  bool plain_step = false;       // kWildcard / kDescendant step, likewise unadorned
  bool plain_var = false;        // kVariable step, likewise unadorned
  bool needs_frame = true;       // kBlock: binds variables in its own scope
  bool constant = false;         // predicate built from literals only: same value for every item
};

enum BinOp : uint8_t { kOpOther, kOpAnd, kOpOr, kOpAdd, kOpSub, kOpMul, kOpDiv, kOpMod, kOpEq, kOpNe,
                       kOpLt, kOpLe, kOpGt, kOpGe, kOpConcat, kOpRange, kOpIn };

struct Program {
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<std::unique_ptr<Slot>> slots;
  Node* root = nullptr;
  Node* New(NodeType t, int pos) {
    nodes.push_back(std::make_unique<Node>());
    nodes.back()->type = t;
    nodes.back()->position = pos;
    return nodes.back().get();
  }
};

// Parses and post-processes `text`. Throws JError (S0xxx) on syntax errors.
std::shared_ptr<Program> Parse(std::string_view text);

}  // namespace stepline::jsonata
