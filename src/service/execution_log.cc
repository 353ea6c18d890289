#include "service/execution_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace stepline::service {

namespace {

using history::EventType;

constexpr const char* kOneDestination = "Invalid Logging Configuration: Must specify exactly one Log Destination.";
constexpr const char* kStarQualifier =
    "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.";
constexpr const char* kNotFound = "Invalid Logging Configuration: Log Destination not found.";

// The log group name in arn:aws:logs:REGION:ACCOUNT:log-group:NAME:* ("" if none).
std::string GroupName(std::string_view arn) {
  static constexpr std::string_view kMarker = ":log-group:";
  size_t at = arn.find(kMarker);
  if (at == std::string::npos || arn.size() < 2 || arn.compare(arn.size() - 2, 2, ":*") != 0) return "";
  size_t begin = at + kMarker.size();
  size_t end = arn.size() - 2;
  return end > begin ? std::string(arn.substr(begin, end - begin)) : "";
}

const Json* DestinationArn(const Json& config) {
  const Json* dests = config.find("destinations");
  if (!dests || !dests->is_array() || dests->size() != 1) return nullptr;
  const Json* group = (*dests)[0].find("cloudWatchLogsLogGroup");
  const Json* arn = group ? group->find("logGroupArn") : nullptr;
  return arn && arn->is_string() ? arn : nullptr;
}

bool SafeByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-' || c == '#';
}

void Escape(std::string& out, char c) {
  static const char* kHex = "0123456789ABCDEF";
  auto b = static_cast<unsigned char>(c);
  out.push_back('%');
  out.push_back(kHex[b >> 4]);
  out.push_back(kHex[b & 15]);
}

}  // namespace

Result<Json> NormalizeLoggingConfiguration(const Json& config) {
  if (!config.is_object()) return Status::Error("InvalidLoggingConfiguration", kOneDestination);
  const Json* level = config.find("level");
  bool off = !level || !level->is_string() || level->get_string() == "OFF";
  const Json* dests = config.find("destinations");
  size_t n = dests && dests->is_array() ? dests->size() : 0;
  // AWS: at most one destination, and exactly one unless the level is OFF.
  if (n > 1 || (!off && n != 1)) return Status::Error("InvalidLoggingConfiguration", kOneDestination);
  if (n == 1) {
    const Json* arn = DestinationArn(config);
    if (!arn) return Status::Error("InvalidLoggingConfiguration", kOneDestination);
    std::string_view a = arn->get_string();
    if (a.size() < 2 || a.compare(a.size() - 2, 2, ":*") != 0)
      return Status::Error("InvalidLoggingConfiguration", kStarQualifier);
    // Not a log group ARN: AWS finds no such destination.
    if (GroupName(a).empty()) return Status::Error("InvalidLoggingConfiguration", kNotFound);
  }
  Json out = config;
  if (!level) out.Set("level", "OFF");
  if (!config.find("includeExecutionData")) out.Set("includeExecutionData", false);
  return out;
}

std::shared_ptr<const LogConfig> ResolveLogConfig(const Json* config) {
  if (!config) return nullptr;
  const Json* level = config->find("level");
  if (!level || !level->is_string() || level->get_string() == "OFF") return nullptr;
  const Json* arn = DestinationArn(*config);
  if (!arn) return nullptr;
  std::string_view l = level->get_string();
  if (l != "ALL" && l != "ERROR" && l != "FATAL") return nullptr;
  auto c = std::make_shared<LogConfig>();
  c->level = l == "ALL" ? LogLevel::kAll : l == "ERROR" ? LogLevel::kError : LogLevel::kFatal;
  const Json* data = config->find("includeExecutionData");
  c->include_data = data && data->is_bool() && data->get_bool();
  c->group = GroupName(arn->str());
  if (c->group.empty()) return nullptr;
  c->source = *config;
  return c;
}

bool LevelLogs(LogLevel level, EventType t) {
  switch (level) {
    case LogLevel::kAll: return true;
    case LogLevel::kOff: return false;
    case LogLevel::kFatal:
      return t == EventType::kExecutionAborted || t == EventType::kExecutionFailed ||
             t == EventType::kExecutionTimedOut;
    case LogLevel::kError: break;
  }
  // The ERROR column of AWS's "Log levels" table (cloudwatch-log-level), with
  // the Map Run failures it lists since Distributed Map.
  switch (t) {
    case EventType::kExecutionAborted:
    case EventType::kExecutionFailed:
    case EventType::kExecutionTimedOut:
    case EventType::kFailStateEntered:
    case EventType::kLambdaFunctionFailed:
    case EventType::kLambdaFunctionScheduleFailed:
    case EventType::kLambdaFunctionStartFailed:
    case EventType::kLambdaFunctionTimedOut:
    case EventType::kMapIterationAborted:
    case EventType::kMapIterationFailed:
    case EventType::kMapStateAborted:
    case EventType::kMapStateFailed:
    case EventType::kMapRunAborted:
    case EventType::kMapRunFailed:
    case EventType::kParallelStateAborted:
    case EventType::kParallelStateFailed:
    case EventType::kTaskFailed:
    case EventType::kTaskStartFailed:
    case EventType::kTaskStateAborted:
    case EventType::kTaskSubmitFailed:
    case EventType::kTaskTimedOut:
    case EventType::kWaitStateAborted: return true;
    default: return false;
  }
}

namespace {
// AWS: an input or output whose escaped text passes 248 KB is truncated in
// the log (CloudWatch Logs' event quota) and its details say so.
constexpr size_t kMaxLoggedDataBytes = 248 * 1024;

// The longest prefix of `text` whose escaped form fits in `limit` bytes, cut
// at a character boundary.
std::string_view EscapedPrefix(std::string_view text, size_t limit) {
  size_t escaped = 0, i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    size_t cost = len;
    if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
      cost = 2;
    else if (c < 0x20)
      cost = 6;  // a six-byte escape, backslash u and four hex digits
    if (escaped + cost > limit) break;
    escaped += cost;
    i += std::min(len, text.size() - i);
  }
  return text.substr(0, i);
}

void TruncateData(Json& details, const char* field, const char* details_field) {
  const Json* v = details.find(field);
  if (!v || !v->is_string()) return;
  std::string_view text = v->get_string();
  if (text.size() <= kMaxLoggedDataBytes / 6 || Json(text).Dump().size() - 2 <= kMaxLoggedDataBytes) return;
  details.Set(field, std::string(EscapedPrefix(text, kMaxLoggedDataBytes)));
  Json flag = Json::EmptyObject();
  flag.Set("truncated", true);
  details.Set(details_field, std::move(flag));
}
}  // namespace

Json LogRecord(const history::Event& e, const std::string& execution_arn, int64_t redrive_count, bool include_data) {
  // AWS's record: the history event's details under "details" (an empty
  // object when there are none), ids and counts as strings, time in millis.
  Json rendered = history::RenderEvent(e, include_data);
  const char* key = history::EventDetailsKey(e.type);
  const Json* found = *key ? rendered.find(key) : nullptr;
  Json details = found ? *found : Json::EmptyObject();
  if (include_data) {
    TruncateData(details, "input", "inputDetails");
    TruncateData(details, "output", "outputDetails");
  }
  Json r = Json::EmptyObject();
  r.Set("id", std::to_string(e.id));
  r.Set("type", history::EventTypeName(e.type));
  r.Set("details", std::move(details));
  r.Set("previous_event_id", std::to_string(e.previous_id));
  r.Set("event_timestamp", std::to_string(e.timestamp / 1000));
  r.Set("execution_arn", execution_arn);
  r.Set("redrive_count", std::to_string(redrive_count));
  return r;
}

std::string LogGroupPath(const std::string& group) {
  std::string out;
  size_t i = 0;
  while (i <= group.size()) {
    size_t slash = group.find('/', i);
    if (slash == std::string::npos) slash = group.size();
    std::string_view part(group.data() + i, slash - i);
    i = slash + 1;
    if (part.empty()) continue;
    if (!out.empty()) out.push_back('/');
    bool dots = part.find_first_not_of('.') == std::string_view::npos;  // "." or ".."
    for (char c : part) {
      if (SafeByte(c) && !dots)
        out.push_back(c);
      else
        Escape(out, c);
    }
  }
  if (out.empty()) out = "%2F";  // a name of only slashes
  return out + ".log";
}

ExecutionLogs::ExecutionLogs(std::string dir) : dir_(std::move(dir)) {}

ExecutionLogs::~ExecutionLogs() {
  for (auto& [group, fd] : fds_)
    if (fd >= 0) ::close(fd);
}

void ExecutionLogs::Append(const LogConfig* config, const std::string& execution_arn, int64_t redrive_count,
                           const std::vector<history::Event>& events) {
  if (config) AppendAll(*config, execution_arn, redrive_count, events);
}

void ExecutionLogs::Append(const LogConfig* config, const std::string& execution_arn, int64_t redrive_count,
                           const history::EventLog& events) {
  if (config) AppendAll(*config, execution_arn, redrive_count, events);
}

template <typename Events>
void ExecutionLogs::AppendAll(const LogConfig& config, const std::string& execution_arn, int64_t redrive_count,
                              const Events& events) {
  if (dir_.empty()) return;
  std::string lines;
  for (const auto& e : events) {
    if (!LevelLogs(config.level, e.type)) continue;
    LogRecord(e, execution_arn, redrive_count, config.include_data).DumpTo(lines);
    lines.push_back('\n');
  }
  if (!lines.empty()) Write(config.group, lines);
}

void ExecutionLogs::Write(const std::string& group, const std::string& lines) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = fds_.find(group);
  if (it == fds_.end()) {
    std::filesystem::path path = std::filesystem::path(dir_) / LogGroupPath(group);
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    // Logs are best effort (as CloudWatch delivery is): a failure is reported, not returned.
    if (fd < 0) std::fprintf(stderr, "stepline: cannot open log %s: %s\n", path.c_str(), std::strerror(errno));
    it = fds_.emplace(group, fd).first;
  }
  if (it->second < 0) return;
  // One write per batch under the lock: batches of concurrent executions
  // never interleave, and each is in the file once this returns.
  size_t done = 0;
  while (done < lines.size()) {
    ssize_t n = ::write(it->second, lines.data() + done, lines.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::fprintf(stderr, "stepline: cannot write log group %s: %s\n", group.c_str(), std::strerror(errno));
      return;
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace stepline::service
