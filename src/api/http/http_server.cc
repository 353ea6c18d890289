#include "api/http/http_server.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "api/http/limits.h"
#include "base/json.h"

namespace stepline::api::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
std::string_view SV(beast::string_view s) { return std::string_view(s.data(), s.size()); }
}  // namespace

Response Handler::Reject(unsigned status, std::string_view reason) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = "{\"message\":";
  AppendJsonString(r.body, reason);
  r.body += '}';
  r.close = true;
  return r;
}

namespace detail {

struct Core {
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor;
  Handler* handler = nullptr;
  std::atomic<bool> stopped{false};    // no more deliveries
  std::atomic<bool> draining{false};   // no more keep-alive, no new requests
  std::atomic<size_t> busy{0};         // sessions with a request in progress
  std::mutex mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::mutex done_mu;
  std::condition_variable done_cv;
  bool done = false;

  explicit Core(int threads) : ioc(threads), acceptor(asio::make_strand(ioc)) {}
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Core> core, tcp::socket socket) : core_(std::move(core)), stream_(std::move(socket)) {}
  ~Session() {
    std::lock_guard<std::mutex> lock(core_->mu);
    core_->sessions.erase(this);
  }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // From Stop(): close now if idle; otherwise after the response (or at once
  // when `force`).
  void Close(bool force) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), force] {
      if (force || self->state_ == State::kReading) self->Shutdown();
      if (force) {  // also ends a linger
        beast::error_code ignored;
        self->stream_.socket().close(ignored);
      }
    });
  }

  void Deliver(uint64_t seq, Response&& response) {
    if (core_->stopped.load(std::memory_order_acquire)) return;
    // dispatch: when the handler answers inline (on this strand) the write
    // starts without another trip through the queue.
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this(), seq, r = std::move(response)]() mutable { self->Write(seq, std::move(r)); });
  }

 private:
  enum class State { kReading, kHandling, kWriting, kClosed };

  void ReadHeader() {
    if (state_ == State::kClosed) return;
    if (core_->draining.load(std::memory_order_acquire)) return Shutdown();
    state_ = State::kReading;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(kMaxHeaderBytes));
    parser_->body_limit(kMaxBodyBytes);
    stream_.expires_after(kIdleTimeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    auto& req = parser_->get();
    if (parser_->is_done()) return OnRequest();
    stream_.expires_after(kBodyReadTimeout);
    // curl sends Expect: 100-continue for bodies over 1 KiB and would wait a
    // second for it.
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (ec) return self->Shutdown();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->OnReadError(ec);
      self->OnRequest();
    });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return Refuse(413, "Request body exceeds the limit of 1048576 bytes");
    if (ec == bhttp::error::header_limit) return Refuse(431, "Request header fields too large");
    const bool http_error = ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
    if (http_error && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
      return Refuse(400, "Malformed HTTP request");
    Shutdown();  // peer closed, timeout, reset, or stopping
  }

  // A request the handler never sees; the connection closes after the answer.
  void Refuse(unsigned status, std::string_view reason) {
    ++seq_;
    state_ = State::kHandling;
    core_->busy.fetch_add(1, std::memory_order_relaxed);
    keep_alive_ = false;
    Response r = core_->handler->Reject(status, reason);
    r.close = true;
    Write(seq_, std::move(r));
  }

  void OnRequest() {
    auto& req = parser_->get();
    state_ = State::kHandling;
    core_->busy.fetch_add(1, std::memory_order_relaxed);
    keep_alive_ = req.keep_alive();
    stream_.expires_never();  // a long poll may take a minute
    RequestView view;
    view.method = req.method();
    view.target = SV(req.target());
    if (auto it = req.find(bhttp::field::content_type); it != req.end()) {
      view.has_content_type = true;
      view.content_type = SV(it->value());
    }
    if (auto it = req.find("x-amz-target"); it != req.end()) view.amz_target = SV(it->value());
    view.body = req.body();
    const uint64_t seq = ++seq_;
    core_->handler->Handle(view, Responder(shared_from_this(), seq));
  }

  void Write(uint64_t seq, Response&& r) {
    if (seq != seq_ || state_ != State::kHandling) return;  // a second answer, or closed
    state_ = State::kWriting;
    res_.emplace();
    auto& res = *res_;
    res.version(11);
    res.result(r.status);
    res.set(bhttp::field::content_type, beast::string_view(r.content_type.data(), r.content_type.size()));
    if (r.request_id[0]) res.set("x-amzn-RequestId", beast::string_view(r.request_id.data(), r.request_id.size()));
    const bool keep = keep_alive_ && !r.close && !core_->draining.load(std::memory_order_acquire);
    res.keep_alive(keep);
    res.body() = std::move(r.body);
    res.prepare_payload();
    stream_.expires_after(kWriteTimeout);
    bhttp::async_write(stream_, res, [self = shared_from_this(), keep](beast::error_code ec, size_t) {
      self->core_->busy.fetch_sub(1, std::memory_order_relaxed);
      self->res_.reset();
      if (ec) return self->Shutdown();
      if (!keep) return self->Linger();
      self->ReadHeader();
    });
  }

  // After a closing response: stop sending, then discard what the peer still
  // sends (the rest of an oversized body) for a while, so that closing does
  // not turn into a reset that destroys the response before it is read.
  void Linger() {
    state_ = State::kClosed;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    drained_ = 0;
    DrainSome();
  }

  void DrainSome() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(64 * 1024), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > kMaxLingerBytes) {
        beast::error_code ignored;
        self->stream_.socket().close(ignored);
        return;
      }
      self->DrainSome();
    });
  }

  void Shutdown() {
    if (state_ == State::kHandling || state_ == State::kWriting) {
      if (state_ == State::kHandling) core_->busy.fetch_sub(1, std::memory_order_relaxed);
    }
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  std::shared_ptr<Core> core_;  // first: keeps the io_context alive past the socket
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> res_;
  State state_ = State::kReading;
  uint64_t seq_ = 0;
  size_t drained_ = 0;
  bool keep_alive_ = true;
};

}  // namespace detail

void Responder::operator()(Response response) const {
  if (session_) session_->Deliver(seq_, std::move(response));
}

namespace {

void Accept(const std::shared_ptr<detail::Core>& core) {
  core->acceptor.async_accept(asio::make_strand(core->ioc), [core](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !core->acceptor.is_open()) return;
    if (!ec) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);  // small responses, keep-alive
      auto session = std::make_shared<detail::Session>(core, std::move(socket));
      bool admitted;
      {
        std::lock_guard<std::mutex> lock(core->mu);
        admitted = core->sessions.size() < kMaxConnections;
        if (admitted) core->sessions.emplace(session.get(), session);
      }
      if (admitted) session->Start();
      // else: `session` goes out of scope and closes the socket.
    }
    Accept(core);
  });
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options, Handler& handler) {
  beast::error_code ec;
  auto address = asio::ip::make_address(options.bind, ec);
  if (ec) return Status::Error("InvalidArgument", "bad bind address '" + options.bind + "': " + ec.message());
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (threads <= 0) threads = 1;

  auto core = std::make_shared<detail::Core>(threads);
  core->handler = &handler;
  tcp::endpoint endpoint(address, options.port);
  auto fail = [&](const char* what) {
    return Status::Error("Unavailable", std::string(what) + " " + options.bind + ":" + std::to_string(options.port) +
                                            ": " + ec.message());
  };
  core->acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  core->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  core->acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  core->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");

  std::unique_ptr<HttpServer> server(new HttpServer());
  server->port_ = core->acceptor.local_endpoint().port();
  server->core_ = core;
  core->work.emplace(core->ioc.get_executor());
  Accept(core);
  for (int i = 0; i < threads; ++i) server->threads_.emplace_back([core] { core->ioc.run(); });
  return server;
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  if (stopping_.exchange(true)) {
    Wait();
    return;
  }
  auto core = core_;
  core->draining.store(true, std::memory_order_release);
  asio::post(core->acceptor.get_executor(), [core] {
    beast::error_code ignored;
    core->acceptor.close(ignored);
  });
  auto for_each_session = [&core](bool force) {
    std::vector<std::shared_ptr<detail::Session>> live;
    {
      std::lock_guard<std::mutex> lock(core->mu);
      for (auto& [_, weak] : core->sessions)
        if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->Close(force);
  };
  for_each_session(false);  // idle connections now; busy ones after their response
  const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  while (core->busy.load(std::memory_order_relaxed) > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  core->stopped.store(true, std::memory_order_release);
  for_each_session(true);
  core->work.reset();
  for (auto& t : threads_) t.join();
  threads_.clear();
  {
    std::lock_guard<std::mutex> lock(core->done_mu);
    core->done = true;
  }
  core->done_cv.notify_all();
}

void HttpServer::Wait() {
  auto core = core_;
  std::unique_lock<std::mutex> lock(core->done_mu);
  core->done_cv.wait(lock, [&] { return core->done; });
}

}  // namespace stepline::api::http
