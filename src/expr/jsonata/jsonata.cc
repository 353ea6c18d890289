#include "expr/jsonata/jsonata.h"

#include <new>

#include "expr/jsonata/ast.h"
#include "expr/jsonata/errors.h"
#include "expr/jsonata/evaluator.h"

namespace stepline::jsonata {

struct Expression::Impl {
  std::string text;
  std::shared_ptr<Program> program;
};

Expression::Expression(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::Expression(const Expression&) = default;
Expression& Expression::operator=(const Expression&) = default;
Expression::~Expression() = default;

const std::string& Expression::text() const { return impl_->text; }

Result<Expression> Expression::Compile(std::string_view text) {
  try {
    auto impl = std::make_shared<Impl>();
    impl->text = std::string(text);
    impl->program = Parse(text);
    return Expression(std::move(impl));
  } catch (const JError& e) {
    return ToStatus(e);
  } catch (const std::bad_alloc&) {
    return Status::Error("U1001", "Out of memory while compiling the expression");
  }
}

Result<std::optional<Json>> Expression::Evaluate(const std::optional<Json>& input,
                                                 const Bindings* bindings,
                                                 const EvalOptions& options) const {
  try {
    Evaluator ev(options, bindings);
    Value r = ev.Run(*impl_->program, input);
    Json out;
    if (!ToJson(std::move(r), &out)) return std::optional<Json>();
    if (out.is_double()) out = MakeNumber(out.get_double());
    return std::optional<Json>(std::move(out));
  } catch (const JError& e) {
    return ToStatus(e);
  } catch (const std::bad_alloc&) {
    return Status::Error("U1001", "Out of memory while evaluating the expression");
  } catch (const std::exception& e) {
    return Status::Error("D1001", std::string("Evaluation failed: ") + e.what());
  }
}

}  // namespace stepline::jsonata
