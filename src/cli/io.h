#pragma once
// File and argument helpers shared by the subcommands.

#include <cstdio>
#include <string>

#include "base/status.h"

namespace stepline::cli {

inline constexpr size_t kMaxDefinitionBytes = 1024 * 1024;  // AWS's definition limit
inline constexpr size_t kMaxPayloadBytes = 256 * 1024;      // AWS's input/output limit

// Reads a whole file, failing when it is larger than `limit` bytes.
Result<std::string> ReadFileLimited(const std::string& path, size_t limit);
// "@FILE" reads the file; anything else is the value itself.
Result<std::string> ReadArgOrFile(const std::string& arg, size_t limit, const char* what);
// Prints "stepline: MESSAGE" to stderr and returns exit status 2.
int UsageError(const std::string& message);

}  // namespace stepline::cli
