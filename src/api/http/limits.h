#pragma once
// Limits of the HTTP server, named so they can be found and reasoned about.

#include <chrono>
#include <cstddef>

namespace stepline::api::http {

// Largest request body. CreateStateMachine's definition may be 1 MiB
// (model: Definition max 1048576), but the JSON around it and escaping make
// the body slightly larger; the brief fixes the limit at 1 MiB.
inline constexpr size_t kMaxBodyBytes = 1024 * 1024;
// Request line plus all header fields. SigV4 headers of SDKs are ~1-2 KiB.
inline constexpr size_t kMaxHeaderBytes = 16 * 1024;
// A keep-alive connection with no request in progress is closed after this.
inline constexpr std::chrono::seconds kIdleTimeout{60};
// Reading the rest of a request once its header has arrived.
inline constexpr std::chrono::seconds kBodyReadTimeout{30};
// Writing one response (a slow or stalled reader).
inline constexpr std::chrono::seconds kWriteTimeout{30};
// After a response that closes the connection, unread request bytes are
// discarded for this long / up to this many bytes before the socket closes.
inline constexpr std::chrono::seconds kLingerTimeout{2};
inline constexpr size_t kMaxLingerBytes = 8 * 1024 * 1024;
// Connections beyond this are accepted and closed at once.
inline constexpr size_t kMaxConnections = 16384;
// Stop() waits this long for responses in flight before closing connections.
inline constexpr std::chrono::milliseconds kStopGrace{2000};

}  // namespace stepline::api::http
