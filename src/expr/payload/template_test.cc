#include "expr/payload/template.h"

#include <gtest/gtest.h>

namespace stepline::expr {
namespace {

Json J(std::string_view text) {
  auto r = Json::Parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : Json();
}

TEST(Template, EvaluatesPathsCallsAndLiterals) {
  auto t = Template::Compile(J(R"J({"lit":{"deep":[1,2]},"v.$":"$.a","nested":{"c.$":"$$.Execution.Id",
      "arr":[{"x.$":"States.Format('{}-{}', $.a, $.b)"},7]},"all.$":"$","list.$":"$.l[*].k"})J"),
                             "Parameters");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Scope s{J(R"({"a":"A","b":2,"l":[{"k":1},{"k":2}]})"), J(R"({"Execution":{"Id":"id-1"}})"), nullptr, nullptr};
  auto r = t->Eval(s);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Dump(), R"({"lit":{"deep":[1,2]},"v":"A","nested":{"c":"id-1","arr":[{"x":"A-2"},7]},)"
                       R"("all":{"a":"A","b":2,"l":[{"k":1},{"k":2}]},"list":[1,2]})");
}

TEST(Template, SharesLiteralsAndSelectedNodes) {
  Json tmpl = J(R"({"lit":{"big":[1,2,3]},"v.$":"$.doc"})");
  auto t = Template::Compile(tmpl, "Parameters");
  ASSERT_TRUE(t.ok());
  Scope s{J(R"({"doc":{"x":[1]}})"), Json(), nullptr, nullptr};
  auto r = t->Eval(s);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->find("lit")->node_identity(), tmpl.find("lit")->node_identity());
  EXPECT_EQ(r->find("v")->node_identity(), s.input.find("doc")->node_identity());
  // A template without any ".$" key is returned as is.
  Json constant = J(R"({"a":[1,{"b":2}]})");
  auto c = Template::Compile(constant, "Parameters");
  EXPECT_EQ(c->Eval(s)->node_identity(), constant.node_identity());
}

TEST(Template, MissingPathUsesAwsWording) {
  auto t = Template::Compile(J(R"({"value.$":"$.no_such_jsonpath"})"), "Parameters");
  Scope s{J(R"({"int-literal":0})"), Json(), nullptr, nullptr};
  auto r = t->Eval(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().name(), "States.Runtime");
  EXPECT_EQ(r.status().message(),
            "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input "
            "'{\"int-literal\":0}'");
  auto n = Template::Compile(J(R"({"o":{"inner.$":"$.x.y"}})"), "Parameters");
  auto nr = n->Eval(s);
  ASSERT_FALSE(nr.ok());
  EXPECT_NE(nr.status().message().find("for the field 'inner.$'"), std::string::npos);
}

TEST(Template, CompileErrors) {
  EXPECT_EQ(Template::Compile(J(R"({"a.$":1})"), "Parameters").status().name(), "InvalidTemplate");
  EXPECT_EQ(Template::Compile(J(R"({"a.$":"nope"})"), "Parameters").status().name(), "InvalidPath");
  EXPECT_EQ(Template::Compile(J(R"J({"a.$":"States.Nope()"})J"), "Parameters").status().name(), "InvalidIntrinsic");
  EXPECT_TRUE(Template::Compile(J(R"({"a$":"not a path", "b":"$.x"})"), "Parameters").ok());
}

TEST(Template, Variables) {
  struct V : VariableLookup {
    const Json* Find(std::string_view n) const override { return n == "q" ? &q : nullptr; }
    Json q = Json("Who?");
  } vars;
  auto t = Template::Compile(J(R"J({"Question.$":"$q","F.$":"States.Format('{}!', $q)"})J"), "ItemSelector");
  Scope s{Json::EmptyObject(), Json(), &vars, nullptr};
  EXPECT_EQ(t->Eval(s)->Dump(), R"({"Question":"Who?","F":"Who?!"})");
}

}  // namespace
}  // namespace stepline::expr
