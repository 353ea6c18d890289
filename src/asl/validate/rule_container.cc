// Rule: the shape of a state container (the machine, a Parallel branch, a Map
// ItemProcessor or legacy Iterator): StartAt and States are required, and a
// branch or processor takes only its own few fields.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

namespace {

void CheckProcessorConfig(const Json& cfg, const std::string& loc, Sink& sink) {
  if (!cfg.is_object()) {
    sink.Schema("Expected value of type [OBJECT]", loc);
    return;
  }
  std::string mode = "INLINE";
  for (const auto& m : cfg.get_object()) {
    if (m.key == "Mode") {
      if (!m.value.is_string()) {
        sink.Schema("Expected value of type [STRING]", Join(loc, "Mode"));
      } else if (m.value.get_string() != "INLINE" && m.value.get_string() != "DISTRIBUTED") {
        sink.Schema("Value should be one of the following: [INLINE, DISTRIBUTED]",
                    Join(loc, "Mode"));
      } else {
        mode = m.value.get_string();
      }
    } else if (m.key == "ExecutionType") {
      if (!m.value.is_string()) {
        sink.Schema("Expected value of type [STRING]", Join(loc, "ExecutionType"));
      } else if (m.value.get_string() != "STANDARD" && m.value.get_string() != "EXPRESS") {
        sink.Schema("Value should be one of the following: [STANDARD, EXPRESS]",
                    Join(loc, "ExecutionType"));
      }
    } else {
      sink.Schema("Field '" + m.key + "' is not supported", loc);
    }
  }
  if (mode == "DISTRIBUTED" && cfg.find("ExecutionType") == nullptr) {
    sink.Schema("These fields are required: [ExecutionType]", loc);
  }
}

}  // namespace

void CheckContainerShape(const ContainerCtx& c, Sink& sink) {
  const Json& j = *c.container;
  if (!j.is_object()) {
    sink.Schema("Expected value of type [OBJECT]", c.location);
    return;
  }
  if (c.kind != ContainerCtx::Kind::kMachine) {
    for (const auto& m : j.get_object()) {
      if (m.key == "StartAt" || m.key == "States") continue;
      if (m.key == "Comment") {
        if (!m.value.is_string()) sink.Schema("Expected value of type [STRING]", Join(c.location, "Comment"));
        continue;
      }
      if (m.key == "ProcessorConfig" && c.kind != ContainerCtx::Kind::kBranch) {
        CheckProcessorConfig(m.value, Join(c.location, "ProcessorConfig"), sink);
        continue;
      }
      // Includes QueryLanguage: a branch or processor is not a state and
      // carries no language of its own (measured on AWS).
      sink.Schema("Field '" + m.key + "' is not supported", c.location);
    }
  }
  std::string missing;
  for (const char* f : {"StartAt", "States"}) {
    if (j.find(f) == nullptr) missing += missing.empty() ? f : std::string(", ") + f;
  }
  if (!missing.empty()) sink.Schema("These fields are required: [" + missing + "]", c.location);
  if (const Json* s = j.find("StartAt"); s != nullptr && !s->is_string()) {
    sink.Schema("Expected value of type [STRING]", Join(c.location, "StartAt"));
  }
  if (const Json* s = j.find("States"); s != nullptr) {
    if (!s->is_object()) {
      sink.Schema("Expected value of type [OBJECT]", Join(c.location, "States"));
    } else if (s->size() == 0) {
      sink.Schema("At least one state is required", Join(c.location, "States"));
    }
  }
}

}  // namespace stepline::asl::validate_internal
