#pragma once
// Execution logs: what AWS sends to CloudWatch Logs for a state machine with a
// loggingConfiguration (the only history an Express execution has).
//
// Stepline has no CloudWatch Logs: each log group is a file of JSON lines,
// <dir>/<log group name>.log, the name's '/' kept as subdirectories (empty
// components dropped; "." and ".." components and bytes outside
// [A-Za-z0-9._#-] written as %XX, so no name leaves <dir>). Each line is one
// logged event in AWS's record shape:
//   {"id":"1","type":"ExecutionStarted","details":{...},"previous_event_id":"0",
//    "event_timestamp":"<epoch millis>","execution_arn":"...","redrive_count":"0"}
// An input or output whose escaped text passes 248 KB is cut to that size and
// its inputDetails/outputDetails say "truncated": true, as AWS logs it.
// The events of one step are appended with one write, after the step's
// commit (before it is answered), so a log grows as the execution runs.
//
// Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "history/event.h"

namespace stepline::service {

enum class LogLevel : uint8_t { kOff, kAll, kError, kFatal };

// A state machine's loggingConfiguration, resolved once per start.
struct LogConfig {
  LogLevel level = LogLevel::kOff;
  bool include_data = false;
  std::string group;  // log group name
  Json source;        // the loggingConfiguration it was resolved from
};

// CreateStateMachine's and UpdateStateMachine's check: the configuration as
// DescribeStateMachine shows it (level and includeExecutionData defaulted), or
// InvalidLoggingConfiguration with AWS's message.
Result<Json> NormalizeLoggingConfiguration(const Json& config);

// The configuration to log with; null when absent or OFF (a lookup and a
// compare: every start calls it).
std::shared_ptr<const LogConfig> ResolveLogConfig(const Json* config);

// AWS's log level table: whether `level` logs events of type `t`.
bool LevelLogs(LogLevel level, history::EventType t);

// One event as an AWS log record (details as GetExecutionHistory renders them).
Json LogRecord(const history::Event& e, const std::string& execution_arn, int64_t redrive_count, bool include_data);

// A log group's file, relative to the log directory.
std::string LogGroupPath(const std::string& group);

class ExecutionLogs {
 public:
  explicit ExecutionLogs(std::string dir);  // "": logs are not written
  ~ExecutionLogs();
  ExecutionLogs(const ExecutionLogs&) = delete;
  ExecutionLogs& operator=(const ExecutionLogs&) = delete;

  // Appends the events `config` selects as one write; a null config (OFF)
  // returns at once.
  void Append(const LogConfig* config, const std::string& execution_arn, int64_t redrive_count,
              const std::vector<history::Event>& events);
  void Append(const LogConfig* config, const std::string& execution_arn, int64_t redrive_count,
              const history::EventLog& events);

  const std::string& dir() const { return dir_; }

 private:
  template <typename Events>
  void AppendAll(const LogConfig& config, const std::string& execution_arn, int64_t redrive_count,
                 const Events& events);
  void Write(const std::string& group, const std::string& lines);

  std::string dir_;
  std::mutex mu_;
  std::unordered_map<std::string, int> fds_;  // log group -> O_APPEND descriptor
};

}  // namespace stepline::service
