#pragma once
// A compact, lossless JSON encoding of Event for snapshots and the store.

#include "base/json.h"
#include "base/status.h"
#include "history/event.h"

namespace stepline::history {

Json EncodeEvent(const Event& e);
Result<Event> DecodeEvent(const Json& j);

}  // namespace stepline::history
