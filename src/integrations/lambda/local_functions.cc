#include "integrations/lambda/local_functions.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "base/random.h"

extern char** environ;

namespace stepline::integrations {

std::string FunctionNameOf(const std::string& s) {
  // arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
  auto p = s.find(":function:");
  if (p == std::string::npos) return s;
  std::string rest = s.substr(p + 10);
  auto q = rest.find(':');
  return q == std::string::npos ? rest : rest.substr(0, q);
}

std::string NewLambdaRequestId() {
  // One generator per thread, seeded from the OS: request ids only need to be
  // unique, and Invoke runs on several threads at once.
  thread_local SeededRandom rnd([] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }());
  return MakeUuid(rnd);
}

Result<LocalFunctions> LocalFunctions::FromJson(const Json& config) {
  LocalFunctions lf;
  const Json* fns = config.find("functions");
  if (!fns || !fns->is_object()) return Status::Error("InvalidArgument", "functions file: no \"functions\" object");
  for (const auto& m : fns->get_object()) {
    const Json* cmd = m.value.find("command");
    if (!cmd || !cmd->is_array() || cmd->size() == 0)
      return Status::Error("InvalidArgument", "functions file: " + m.key + " needs a non-empty \"command\" array");
    std::vector<std::string> argv;
    for (const auto& a : cmd->get_array()) {
      if (!a.is_string()) return Status::Error("InvalidArgument", "functions file: command items must be strings");
      argv.push_back(a.str());
    }
    lf.functions_[m.key] = std::move(argv);
  }
  return lf;
}

Result<LocalFunctions> LocalFunctions::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error("InvalidArgument", "cannot read functions file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = Json::Parse(ss.str());
  if (!j.ok()) return Status::Error("InvalidArgument", "functions file " + path + ": " + j.status().message());
  return FromJson(*j);
}

// posix_spawn with pipes: Boost.Process 1.81 (v1) would add a heavy
// dependency for what is one spawn and a poll loop.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, const std::string& input,
                                 const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> env_entries;
  for (const auto& [k, v] : env) env_entries.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& [k, v] : env)
      if (entry.size() > k.size() && entry.compare(0, k.size(), k) == 0 && entry[k.size()] == '=') replaced = true;
    if (!replaced) envp.push_back(*e);
  }
  for (auto& e : env_entries) envp.push_back(e.data());
  envp.push_back(nullptr);

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC))
    return Status::Error("Internal", std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    return Status::Error("Internal", fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
  }
  // A program that exits without reading all its input must not kill this
  // process with SIGPIPE: block it in this thread while writing (after the
  // spawn, so the child keeps the default) and drop the one a write raised.
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  ProcessResult res;
  size_t written = 0;
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  int in_fd = in_pipe[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  int out_fd = out_pipe[0], err_fd = err_pipe[0];
  char buf[65536];
  while (out_fd >= 0 || err_fd >= 0) {
    pollfd fds[3];
    int n = 0;
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (out_fd >= 0) fds[n++] = {out_fd, POLLIN, 0};
    if (err_fd >= 0) fds[n++] = {err_fd, POLLIN, 0};
    if (poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in_fd) {
        ssize_t w = write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN) written = input.size();
        if (written >= input.size()) {
          close(in_fd);
          in_fd = -1;
        }
      } else {
        ssize_t r = read(fds[i].fd, buf, sizeof buf);
        if (r > 0) {
          (fds[i].fd == out_fd ? res.out : res.err).append(buf, static_cast<size_t>(r));
        } else if (r == 0 || errno != EINTR) {
          close(fds[i].fd);
          (fds[i].fd == out_fd ? out_fd : err_fd) = -1;
        }
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  if (!sigismember(&old_set, SIGPIPE)) {
    timespec zero{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) > 0) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return res;
}

namespace {

// The error document as the Lambda runtime writes it, in its member order.
Json RuntimeErrorDocument(const Json& doc, const std::string& request_id) {
  Json out = Json::EmptyObject();
  if (const Json* m = doc.find("errorMessage")) out.Set("errorMessage", *m);
  out.Set("errorType", *doc.find("errorType"));
  out.Set("requestId", request_id);
  if (const Json* st = doc.find("stackTrace")) out.Set("stackTrace", *st);
  return out;
}

std::string_view TrimTrailingSpace(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

InvokeOutcome LocalFunctions::Invoke(const std::string& name, const std::string& function_arn, const Json& event,
                                     LambdaApi api) const {
  InvokeOutcome o;
  o.request_id = NewLambdaRequestId();
  auto it = functions_.find(name);
  if (it == functions_.end()) {
    // AWS's words for a function that does not exist.
    o.error = "Lambda.ResourceNotFoundException";
    o.cause = fmt::format(
        "Function not found: {} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; "
        "Request ID: {}; Proxy: null)",
        function_arn, o.request_id);
    return o;
  }
  auto pr = RunProcess(it->second, event.Dump(), {{kRequestIdEnv, o.request_id}});
  if (!pr.ok()) {
    o.error = "Lambda.ServiceException";
    o.cause = pr.status().message();
    return o;
  }
  if (pr->exit_code == 0) {
    // AWS checks the size of the raw payload before reading it as JSON (a
    // 257 KiB payload that is not JSON at all fails this way too), and names
    // the function's ARN, or "lambda" for lambda:invoke.
    if (pr->out.size() > kMaxResultPayloadBytes) {
      o.error = "States.DataLimitExceeded";
      o.cause = fmt::format(
          "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
          api == LambdaApi::kFunctionArn ? function_arn : std::string("lambda"));
      return o;
    }
    auto parsed = Json::Parse(pr->out);
    if (!parsed.ok()) {
      // Lambda returns the function's raw output; a non-JSON result cannot be used as state data.
      o.error = "Lambda.Unknown";
      o.cause = "The function returned output that is not JSON: " + pr->out.substr(0, 256);
      return o;
    }
    o.ok = true;
    o.payload = std::move(parsed).value();
    o.payload_bytes = pr->out.size();
    return o;
  }
  // A function error: the error type becomes the task's error, the function's
  // error document its cause, as AWS reports an unhandled Lambda exception.
  auto parsed = Json::Parse(pr->out);
  if (parsed.ok() && parsed->is_object() && parsed->find("errorType") && parsed->find("errorType")->is_string()) {
    o.error = parsed->find("errorType")->get_string();
    bool from_runtime = parsed->find("requestId") != nullptr;
    if (api == LambdaApi::kFunctionArn) {
      // AWS's behaviour: for a function: resource the cause is the error
      // payload exactly as the Lambda runtime wrote it; a plain command that
      // wrote no requestId gets the document the Python runtime would write.
      if (from_runtime) {
        o.cause = std::string(TrimTrailingSpace(pr->out));
      } else {
        o.cause = RuntimeErrorDocument(*parsed, o.request_id).DumpSpaced();  // the Python runtime's layout
      }
    } else {
      // AWS's behaviour: for lambda:invoke the cause is the same document
      // re-serialized compactly, its member order preserved.
      o.cause = (from_runtime ? *parsed : RuntimeErrorDocument(*parsed, o.request_id)).Dump();
    }
    return o;
  }
  o.error = "Lambda.Unknown";
  o.cause = fmt::format("The function {} exited with status {}: {}", name, pr->exit_code,
                        (pr->out.empty() ? pr->err : pr->out).substr(0, 1024));
  return o;
}

}  // namespace stepline::integrations
