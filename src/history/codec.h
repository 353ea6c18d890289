#pragma once
// A compact, lossless JSON encoding of Event for snapshots and the store.

#include "base/json.h"
#include "base/status.h"
#include "history/event.h"

namespace stepline::history {

Json EncodeEvent(const Event& e);
// EncodeEvent(e).DumpTo(out) without building the Json: stores write every
// event as text, and the tree cost more than the text.
void AppendEncodedEvent(std::string& out, const Event& e);
Result<Event> DecodeEvent(const Json& j);

}  // namespace stepline::history
