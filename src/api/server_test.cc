// End-to-end tests of the API layer: a real server on an ephemeral port, real
// HTTP over loopback, a fake service behind it.
#include "api/server.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "api/http/limits.h"

namespace stepline::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Echoes {"operation", "request"} at once, except "GetActivityTask" (held until
// the test releases it) and requests carrying "fail": {name, message}.
class FakeOps : public service::Operations {
 public:
  void Call(const std::string& operation, Json request, service::Reply done) override {
    calls_.fetch_add(1);
    if (operation == "GetActivityTask" || operation == "DescribeExecution") {
      std::lock_guard<std::mutex> lock(mu_);
      held_.push_back({request, std::move(done)});
      cv_.notify_all();
      return;
    }
    if (const Json* f = request.find("fail")) {
      done(Status::Error((*f)[0].str(), (*f)[1].str()));
      return;
    }
    Json out = Json::EmptyObject();
    out.Set("operation", Json(operation));
    out.Set("request", request);
    done(std::move(out));
  }

  bool WaitHeld(size_t n, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return held_.size() >= n; });
  }
  std::vector<std::pair<Json, service::Reply>> TakeHeld() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(held_);
  }
  int calls() const { return calls_.load(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<Json, service::Reply>> held_;
  std::atomic<int> calls_{0};
};

struct Reply {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::string request_id;
  bool keep_alive = false;
  Json json() const {
    auto j = Json::Parse(body);
    return j.ok() ? *j : Json();
  }
  std::string type() const {
    Json j = json();
    const Json* t = j.find("__type");
    return t && t->is_string() ? t->str() : "";
  }
  std::string message() const {
    Json j = json();
    const Json* t = j.find("message");
    return t && t->is_string() ? t->str() : "";
  }
};

std::string RawRequest(const std::string& op, const std::string& body,
                       const std::string& content_type = "application/x-amz-json-1.0",
                       const std::string& extra = "") {
  std::string r = "POST / HTTP/1.1\r\nHost: sync-states.us-east-1.amazonaws.com\r\n";
  if (!op.empty()) r += "X-Amz-Target: AWSStepFunctions." + op + "\r\n";
  if (!content_type.empty()) r += "Content-Type: " + content_type + "\r\n";
  r += "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/states/aws4_request, "
       "SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc\r\n";
  r += extra;
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return r;
}

class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void Send(const std::string& raw) { asio::write(socket_, asio::buffer(raw)); }
  Reply Read() {
    bhttp::response_parser<bhttp::string_body> p;
    p.body_limit(64 * 1024 * 1024);
    bhttp::read(socket_, buffer_, p);
    auto& m = p.get();
    Reply r;
    r.status = m.result_int();
    r.body = m.body();
    r.content_type = std::string(m[bhttp::field::content_type]);
    r.request_id = std::string(m["x-amzn-RequestId"]);
    r.keep_alive = m.keep_alive();
    return r;
  }
  Reply Call(const std::string& op, const std::string& body,
             const std::string& content_type = "application/x-amz-json-1.0") {
    Send(RawRequest(op, body, content_type));
    return Read();
  }
  // True when the server closed the connection (EOF on the next read).
  bool Closed() {
    beast::error_code ec;
    char c;
    socket_.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
  tcp::socket& socket() { return socket_; }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.static_files = [](std::string_view path) -> std::optional<http::Response> {
      if (path != "/console/index.html") return std::nullopt;
      http::Response r;
      r.content_type = "text/html";
      r.body = "<html></html>";
      return r;
    };
    auto s = Server::Start(std::move(o), ops_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(s).value();
  }
  void TearDown() override {
    // Long polls still held must not keep the server from stopping.
    if (server_) server_->Stop();
  }
  // A fresh connection still gets a good answer: the server keeps serving.
  void ExpectStillServing() {
    Client c(server_->port());
    Reply r = c.Call("ListActivities", "{}");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.json().find("operation")->get_string(), "ListActivities");
  }

  FakeOps ops_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, BindsAnEphemeralPort) { EXPECT_NE(server_->port(), 0); }

TEST_F(ServerTest, PortInUseIsAnError) {
  ServerOptions o;
  o.port = server_->port();
  auto s = Server::Start(o, ops_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().name(), "Unavailable");
  ServerOptions bad;
  bad.bind = "not-an-address";
  bad.port = 0;
  auto b = Server::Start(bad, ops_);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().name(), "InvalidArgument");
}

TEST_F(ServerTest, RoutesToTheOperation) {
  Client c(server_->port());
  Reply r = c.Call("StartExecution", R"({"stateMachineArn":"arn:aws:states:us-east-1:1:stateMachine:m","input":"{}"})");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.0");
  ASSERT_EQ(r.request_id.size(), 36u);
  EXPECT_EQ(r.request_id[14], '4');  // a version-4 UUID
  Json j = r.json();
  EXPECT_EQ(j.find("operation")->get_string(), "StartExecution");
  EXPECT_EQ(j.find("request")->find("input")->get_string(), "{}");
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Client c(server_->port());
  const char* ops[] = {"ListActivities", "ListStateMachines", "DescribeStateMachine", "ListActivities"};
  std::string ids;
  for (const char* op : ops) {
    std::string body = std::string(op) == "DescribeStateMachine" ? R"({"stateMachineArn":"a"})" : "{}";
    Reply r = c.Call(op, body);
    ASSERT_EQ(r.status, 200u) << op;
    EXPECT_TRUE(r.keep_alive);
    EXPECT_EQ(r.json().find("operation")->get_string(), op);
    EXPECT_EQ(ids.find(r.request_id), std::string::npos);  // a new id each time
    ids += r.request_id;
  }
  EXPECT_EQ(ops_.calls(), 4);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Client c(server_->port());
  c.Send(RawRequest("ListActivities", "{}") + RawRequest("ListStateMachines", "{}") +
         RawRequest("ListMapRuns", R"({"executionArn":"e"})"));
  EXPECT_EQ(c.Read().json().find("operation")->get_string(), "ListActivities");
  EXPECT_EQ(c.Read().json().find("operation")->get_string(), "ListStateMachines");
  EXPECT_EQ(c.Read().json().find("operation")->get_string(), "ListMapRuns");
}

TEST_F(ServerTest, AsyncRepliesCompleteOutOfOrderFromAnotherThread) {
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<Client>(server_->port()));
    clients.back()->Send(RawRequest("DescribeExecution", R"({"executionArn":"arn-)" + std::to_string(i) + "\"}"));
  }
  ASSERT_TRUE(ops_.WaitHeld(3));
  auto held = ops_.TakeHeld();
  std::thread worker([&] {
    for (auto it = held.rbegin(); it != held.rend(); ++it) {  // last first
      Json out = Json::EmptyObject();
      out.Set("executionArn", *it->first.find("executionArn"));
      it->second(std::move(out));
      std::this_thread::sleep_for(5ms);
    }
  });
  for (int i = 0; i < 3; ++i) {
    Reply r = clients[i]->Read();
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.json().find("executionArn")->get_string(), "arn-" + std::to_string(i));
  }
  worker.join();
  // The connections are still usable afterwards.
  EXPECT_EQ(clients[0]->Call("ListActivities", "{}").status, 200u);
}

TEST_F(ServerTest, SecondReplyIsIgnored) {
  Client c(server_->port());
  c.Send(RawRequest("DescribeExecution", R"({"executionArn":"x"})"));
  ASSERT_TRUE(ops_.WaitHeld(1));
  auto held = ops_.TakeHeld();
  held[0].second(Json(Json::Object{{"n", Json(1)}}));
  held[0].second(Json(Json::Object{{"n", Json(2)}}));
  EXPECT_EQ(c.Read().body, R"({"n":1})");
  Reply next = c.Call("ListActivities", "{}");
  EXPECT_EQ(next.json().find("operation")->get_string(), "ListActivities");
}

TEST_F(ServerTest, LongPollsDoNotBlockOtherRequests) {
  constexpr int kPolls = 100;
  std::vector<std::unique_ptr<Client>> polls;
  for (int i = 0; i < kPolls; ++i) {
    polls.push_back(std::make_unique<Client>(server_->port()));
    polls.back()->Send(RawRequest("GetActivityTask", R"({"activityArn":"a","workerName":"w)" + std::to_string(i) + "\"}"));
  }
  ASSERT_TRUE(ops_.WaitHeld(kPolls));
  // All 100 are in flight on a 2-thread server; a quick request still answers.
  auto start = std::chrono::steady_clock::now();
  Client quick(server_->port());
  Reply r = quick.Call("ListActivities", "{}");
  EXPECT_EQ(r.status, 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  // Then the polls complete from another thread, each to its own connection.
  auto held = ops_.TakeHeld();
  std::thread worker([&] {
    for (auto& [req, reply] : held) {
      Json out = Json::EmptyObject();
      out.Set("input", *req.find("workerName"));
      reply(std::move(out));
    }
  });
  for (int i = 0; i < kPolls; ++i) {
    Reply p = polls[i]->Read();
    EXPECT_EQ(p.status, 200u);
    EXPECT_EQ(p.json().find("input")->get_string(), "w" + std::to_string(i));
  }
  worker.join();
}

TEST_F(ServerTest, OversizedBodyIs413AndServerGoesOn) {
  Client c(server_->port());
  std::string body = R"({"stateMachineArn":"a","input":")" + std::string(http::kMaxBodyBytes, 'x') + "\"}";
  Reply r = c.Call("StartExecution", body);
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(r.type(), "RequestEntityTooLargeException");
  EXPECT_FALSE(r.keep_alive);
  EXPECT_EQ(ops_.calls(), 0);
  ExpectStillServing();
}

TEST_F(ServerTest, BodyAtTheLimitIsAccepted) {
  Client c(server_->port());
  std::string prefix = R"({"stateMachineArn":"a","x":")";
  std::string body = prefix + std::string(http::kMaxBodyBytes - prefix.size() - 2, 'x') + "\"}";
  ASSERT_EQ(body.size(), http::kMaxBodyBytes);
  EXPECT_EQ(c.Call("StartExecution", body).status, 200u);
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  Client c(server_->port());
  c.Send(RawRequest("ListActivities", "{}", "application/x-amz-json-1.0",
                    "X-Big: " + std::string(http::kMaxHeaderBytes, 'h') + "\r\n"));
  Reply r = c.Read();
  EXPECT_EQ(r.status, 431u);
  ExpectStillServing();
}

TEST_F(ServerTest, MalformedJsonIsSerializationException) {
  Client c(server_->port());
  Reply r = c.Call("StartExecution", R"({"stateMachineArn": )");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.type(), "SerializationException");
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.0");
  EXPECT_EQ(r.request_id.size(), 36u);
  // Same connection, next request fine: a client error does not close it.
  EXPECT_EQ(c.Call("ListActivities", "{}").status, 200u);
  EXPECT_EQ(ops_.calls(), 1);
}

TEST_F(ServerTest, UnknownOperation) {
  Client c(server_->port());
  Reply r = c.Call("StartExecutionz", "{}");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.type(), "UnknownOperationException");
  c.Send(RawRequest("", "{}"));  // no X-Amz-Target at all
  Reply none = c.Read();
  EXPECT_EQ(none.status, 400u);
  EXPECT_EQ(none.type(), "UnknownOperationException");
  c.Send("POST / HTTP/1.1\r\nX-Amz-Target: OtherService.StartExecution\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(c.Read().type(), "UnknownOperationException");
  ExpectStillServing();
}

TEST_F(ServerTest, ValidationErrorsUseAwsWording) {
  Client c(server_->port());
  Reply missing = c.Call("StartExecution", "{}");
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(missing.type(), "ValidationException");
  EXPECT_EQ(missing.message(),
            "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: "
            "Member must not be null");
  std::string long_name(81, 'n');
  Reply two = c.Call("CreateStateMachine",
                     R"({"name":")" + long_name + R"(","definition":"{}","roleArn":"r","type":"BATCH"})");
  EXPECT_EQ(two.type(), "ValidationException");
  EXPECT_EQ(two.message(), "2 validation errors detected: Value '" + long_name +
                               "' at 'name' failed to satisfy constraint: Member must have length less than or "
                               "equal to 80; Value 'BATCH' at 'type' failed to satisfy constraint: Member must "
                               "satisfy enum value set: [STANDARD, EXPRESS]");
  Reply type = c.Call("ListExecutions", R"({"maxResults":"5"})");
  EXPECT_EQ(type.type(), "SerializationException");
  EXPECT_EQ(type.message(), "STRING_VALUE can not be converted to an Integer");
  EXPECT_EQ(ops_.calls(), 0);  // nothing invalid reached the service
  ExpectStillServing();
}

TEST_F(ServerTest, ContentTypes) {
  Client c(server_->port());
  EXPECT_EQ(c.Call("ListActivities", "{}", "application/json").status, 200u);
  EXPECT_EQ(c.Call("ListActivities", "{}", "application/x-amz-json-1.0; charset=utf-8").status, 200u);
  EXPECT_EQ(c.Call("ListActivities", "{}", "").status, 200u);  // no Content-Type header
  Reply form = c.Call("ListActivities", "{}", "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 400u);
  EXPECT_EQ(form.type(), "UnknownOperationException");
  EXPECT_EQ(ops_.calls(), 3);
  ExpectStillServing();
}

TEST_F(ServerTest, EmptyBodyIsAnEmptyRequest) {
  Client c(server_->port());
  EXPECT_EQ(c.Call("ListActivities", "").status, 200u);
  EXPECT_EQ(c.Call("DescribeActivity", "").type(), "ValidationException");
}

TEST_F(ServerTest, ServiceErrorsKeepTheirCodes) {
  Client c(server_->port());
  Reply r = c.Call("StartExecution", R"({"stateMachineArn":"a","fail":["StateMachineDoesNotExist","State Machine Does Not Exist: 'a'"]})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.type(), "StateMachineDoesNotExist");
  EXPECT_EQ(r.message(), "State Machine Does Not Exist: 'a'");
  Reply internal = c.Call("StartExecution", R"({"stateMachineArn":"a","fail":["Internal","disk on fire"]})");
  EXPECT_EQ(internal.status, 500u);
  EXPECT_EQ(internal.type(), "InternalFailure");
  EXPECT_TRUE(internal.keep_alive);
  EXPECT_EQ(c.Call("ListActivities", "{}").status, 200u);
}

TEST_F(ServerTest, HealthAndStaticHook) {
  Client c(server_->port());
  c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  Reply h = c.Read();
  EXPECT_EQ(h.status, 200u);
  EXPECT_EQ(h.json().find("status")->get_string(), "ok");
  c.Send("GET /console/index.html HTTP/1.1\r\nHost: x\r\n\r\n");
  Reply page = c.Read();
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.content_type, "text/html");
  EXPECT_EQ(page.body, "<html></html>");
  c.Send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.Read().status, 404u);
  c.Send("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(c.Read().status, 405u);
}

TEST_F(ServerTest, MalformedHttpIs400AndCloses) {
  Client c(server_->port());
  c.Send("BLAH\x01 / HTTP/1.1\r\n\r\n");
  Reply r = c.Read();
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(c.Closed());
  ExpectStillServing();
}

TEST_F(ServerTest, ExpectContinue) {
  Client c(server_->port());
  std::string body = "{}";
  c.Send("POST / HTTP/1.1\r\nX-Amz-Target: AWSStepFunctions.ListActivities\r\nExpect: 100-continue\r\n"
         "Content-Length: 2\r\n\r\n");
  char buf[25];
  asio::read(c.socket(), asio::buffer(buf, 25));
  EXPECT_EQ(std::string(buf, 25), "HTTP/1.1 100 Continue\r\n\r\n");
  c.Send(body);
  EXPECT_EQ(c.Read().status, 200u);
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  Client c(server_->port());
  c.Send(RawRequest("ListActivities", "{}", "application/x-amz-json-1.0", "Connection: close\r\n"));
  Reply r = c.Read();
  EXPECT_EQ(r.status, 200u);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(c.Closed());
}

TEST_F(ServerTest, StopWithLongPollsInFlight) {
  Client idle(server_->port());
  EXPECT_EQ(idle.Call("ListActivities", "{}").status, 200u);
  Client poll(server_->port());
  poll.Send(RawRequest("GetActivityTask", R"({"activityArn":"a"})"));
  ASSERT_TRUE(ops_.WaitHeld(1));
  auto start = std::chrono::steady_clock::now();
  std::thread waiter([&] { server_->Wait(); });
  server_->Stop();
  waiter.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, http::kStopGrace + 2s);
  EXPECT_TRUE(idle.Closed());
  EXPECT_TRUE(poll.Closed());
  // A reply after the stop is dropped, not a crash.
  auto held = ops_.TakeHeld();
  held[0].second(Json::EmptyObject());
  // Nothing listens any more.
  asio::io_context ioc;
  tcp::socket s(ioc);
  beast::error_code ec;
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()), ec);
  EXPECT_TRUE(ec);
}

TEST_F(ServerTest, StopLetsAResponseInFlightFinish) {
  Client poll(server_->port());
  poll.Send(RawRequest("GetActivityTask", R"({"activityArn":"a"})"));
  ASSERT_TRUE(ops_.WaitHeld(1));
  auto held = ops_.TakeHeld();
  std::thread late([&] {
    std::this_thread::sleep_for(200ms);
    held[0].second(Json(Json::Object{{"taskToken", Json("t")}}));
  });
  server_->Stop();  // waits (up to kStopGrace) for the reply above
  late.join();
  Reply r = poll.Read();
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, R"({"taskToken":"t"})");
  EXPECT_FALSE(r.keep_alive);
}

}  // namespace
}  // namespace stepline::api
