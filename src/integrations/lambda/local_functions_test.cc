#include "integrations/lambda/local_functions.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "integrations/local_dispatch.h"

namespace stepline::integrations {
namespace {

const char* kArn = "arn:aws:lambda:us-east-1:111111111111:function:fn";

// A functions configuration with one function `fn` running `script` in sh.
LocalFunctions Shell(const std::string& script) {
  Json cmd = Json(Json::Array{Json("/bin/sh"), Json("-c"), Json(script)});
  Json fn = Json::EmptyObject();
  fn.Set("command", cmd);
  Json fns = Json::EmptyObject();
  fns.Set("fn", fn);
  Json config = Json::EmptyObject();
  config.Set("functions", fns);
  auto lf = LocalFunctions::FromJson(config);
  EXPECT_TRUE(lf.ok());
  return std::move(lf).value();
}

bool IsUuidV4(const std::string& s) {
  static const std::regex re("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_match(s, re);
}

// The error document the AWS Lambda Python runtime writes (json.dumps spacing).
const char* kRuntimeError =
    R"({"errorMessage": "Some exception was raised.", "errorType": "Exception", "requestId": "r-1", )"
    R"("stackTrace": ["  File \"/var/task/handler.py\", line 2, in handler\n    raise Exception(\"x\")\n"]})";

TEST(LocalFunctions, EachInvocationGetsItsOwnUuidRequestIdInTheEnvironment) {
  auto lf = Shell(R"(printf '"%s"' "$STEPLINE_LAMBDA_REQUEST_ID")");
  InvokeOutcome a = lf.Invoke("fn", kArn, Json::EmptyObject());
  InvokeOutcome b = lf.Invoke("fn", kArn, Json::EmptyObject());
  ASSERT_TRUE(a.ok) << a.cause;
  ASSERT_TRUE(b.ok) << b.cause;
  EXPECT_TRUE(IsUuidV4(a.request_id)) << a.request_id;
  EXPECT_TRUE(IsUuidV4(b.request_id)) << b.request_id;
  EXPECT_EQ(a.payload, Json(a.request_id));  // the function saw the same id
  EXPECT_EQ(b.payload, Json(b.request_id));
  EXPECT_NE(a.request_id, b.request_id);
}

TEST(LocalFunctions, RequestIdReplacesAnInheritedVariable) {
  std::vector<std::pair<std::string, std::string>> env = {{kRequestIdEnv, "mine"}};
  auto pr = RunProcess({"/bin/sh", "-c", "env | grep -c '^STEPLINE_LAMBDA_REQUEST_ID='; echo $STEPLINE_LAMBDA_REQUEST_ID"},
                       "", env);
  ASSERT_TRUE(pr.ok());
  EXPECT_EQ(pr->out, "1\nmine\n");
}

TEST(LocalFunctions, ProgramThatIgnoresItsInputDoesNotKillTheCaller) {
  // The program exits before reading 1 MiB of input: the write fails with
  // EPIPE, and SIGPIPE must not end this process.
  for (int i = 0; i < 20; ++i) {
    auto pr = RunProcess({"/bin/sh", "-c", "printf done"}, std::string(1 << 20, 'x'));
    ASSERT_TRUE(pr.ok());
    EXPECT_EQ(pr->exit_code, 0);
    EXPECT_EQ(pr->out, "done");
  }
}

TEST(LocalFunctions, FunctionResourceKeepsTheRuntimesErrorTextExactly) {
  auto lf = Shell(std::string("printf '%s' '") + kRuntimeError + "'; exit 1");
  InvokeOutcome o = lf.Invoke("fn", kArn, Json::EmptyObject(), LambdaApi::kFunctionArn);
  ASSERT_FALSE(o.ok);
  EXPECT_EQ(o.error, "Exception");
  EXPECT_EQ(o.cause, kRuntimeError);
}

TEST(LocalFunctions, LambdaInvokeReserializesTheErrorCompactlyInItsOrder) {
  auto lf = Shell(std::string("printf '%s' '") + kRuntimeError + "'; exit 1");
  InvokeOutcome o = lf.Invoke("fn", kArn, Json::EmptyObject(), LambdaApi::kLambdaInvoke);
  ASSERT_FALSE(o.ok);
  EXPECT_EQ(o.error, "Exception");
  EXPECT_EQ(o.cause,
            R"({"errorMessage":"Some exception was raised.","errorType":"Exception","requestId":"r-1",)"
            R"("stackTrace":["  File \"/var/task/handler.py\", line 2, in handler\n    raise Exception(\"x\")\n"]})");
}

TEST(LocalFunctions, PlainCommandErrorGetsTheRuntimesDocumentWithTheRequestId) {
  // No requestId, members in another order: the cause is the document the
  // runtime would have written, with this invocation's request id.
  auto lf = Shell(R"(printf '{"stackTrace":["a"],"errorType":"E","errorMessage":"m"}'; exit 3)");
  InvokeOutcome f = lf.Invoke("fn", kArn, Json::EmptyObject(), LambdaApi::kFunctionArn);
  EXPECT_EQ(f.error, "E");
  EXPECT_EQ(f.cause, R"({"errorMessage": "m", "errorType": "E", "requestId": ")" + f.request_id +
                         R"(", "stackTrace": ["a"]})");
  InvokeOutcome i = lf.Invoke("fn", kArn, Json::EmptyObject(), LambdaApi::kLambdaInvoke);
  EXPECT_EQ(i.cause, R"({"errorMessage":"m","errorType":"E","requestId":")" + i.request_id +
                         R"(","stackTrace":["a"]})");
}

TEST(LocalFunctions, OversizedRawResultFailsBeforeItIsReadAsJson) {
  // 257 KiB of 'a': not JSON, so only a size check made before parsing can name it.
  auto lf = Shell("head -c 263168 /dev/zero | tr '\\0' a");
  InvokeOutcome f = lf.Invoke("fn", kArn, Json::EmptyObject(), LambdaApi::kFunctionArn);
  ASSERT_FALSE(f.ok);
  EXPECT_EQ(f.error, "States.DataLimitExceeded");
  EXPECT_EQ(f.cause, std::string("The state/task '") + kArn +
                         "' returned a result with a size exceeding the maximum number of bytes service limit.");
  InvokeOutcome i = lf.Invoke("fn", kArn, Json::EmptyObject(), LambdaApi::kLambdaInvoke);
  EXPECT_EQ(i.error, "States.DataLimitExceeded");
  EXPECT_EQ(i.cause,
            "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.");
}

TEST(LocalFunctions, ResultOfExactlyTheLimitIsAccepted) {
  // A JSON string of 262,144 bytes in all.
  auto lf = Shell("printf '\"'; head -c 262142 /dev/zero | tr '\\0' a; printf '\"'");
  InvokeOutcome o = lf.Invoke("fn", kArn, Json::EmptyObject());
  ASSERT_TRUE(o.ok) << o.cause;
  EXPECT_EQ(o.payload_bytes, 262144u);
}

TEST(LocalDispatcher, LambdaInvokeResultCarriesTheRequestIdAndRawLength) {
  auto lf = std::make_shared<LocalFunctions>(Shell(R"(printf '{"foo": "foo-1"}')"));
  LocalDispatcher d(lf);
  runtime::TaskRequest t;
  t.kind = asl::TaskKind::kLambdaInvoke;
  t.resource = "arn:aws:states:::lambda:invoke";
  t.input = Json::EmptyObject();
  t.input.Set("FunctionName", "fn");
  InvokeOutcome o = d.Run(t);
  ASSERT_TRUE(o.ok) << o.cause;
  EXPECT_TRUE(IsUuidV4(o.request_id));
  EXPECT_EQ(*o.payload.find("SdkResponseMetadata")->find("RequestId"), Json(o.request_id));
  const Json* headers = o.payload.find("SdkHttpMetadata")->find("HttpHeaders");
  EXPECT_EQ(*headers->find("x-amzn-RequestId"), Json(o.request_id));
  EXPECT_EQ(*headers->find("Content-Length"), Json("16"));  // the payload as written, not re-serialized (15)
}

TEST(LocalFunctions, MissingFunctionNamesTheRequestId) {
  auto lf = Shell("true");
  InvokeOutcome o = lf.Invoke("other", kArn, Json::EmptyObject());
  EXPECT_EQ(o.error, "Lambda.ResourceNotFoundException");
  EXPECT_TRUE(IsUuidV4(o.request_id));
  EXPECT_NE(o.cause.find("Request ID: " + o.request_id + ";"), std::string::npos) << o.cause;
}

}  // namespace
}  // namespace stepline::integrations
