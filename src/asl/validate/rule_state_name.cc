// Rule: state names are 1 to 80 characters (AWS quota) and printable.

#include "asl/validate/rules.h"

namespace stepline::asl::validate_internal {

void CheckStateName(const StateCtx& s, Sink& sink) {
  if (s.name.empty()) {
    sink.Error("INVALID_STATE_NAME", "State name must not be empty", s.location);
    return;
  }
  // Length in characters: count UTF-8 lead bytes.
  size_t chars = 0;
  bool control = false;
  for (unsigned char c : s.name) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (c < 0x20 || c == 0x7F) control = true;
  }
  if (chars > kMaxStateNameLength) {
    sink.Error("INVALID_STATE_NAME",
               "State name \"" + s.name + "\" exceeds the maximum length of " +
                   std::to_string(kMaxStateNameLength) + " characters",
               s.location);
  } else if (control) {
    sink.Error("INVALID_STATE_NAME", "State name must not contain control characters", s.location);
  }
}

}  // namespace stepline::asl::validate_internal
