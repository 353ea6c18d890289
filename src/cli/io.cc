#include "cli/io.h"

#include <fstream>

namespace stepline::cli {

Result<std::string> ReadFileLimited(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error("InvalidArgument", "cannot read " + path);
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > limit)
      return Status::Error("InvalidArgument", path + " is larger than the limit of " + std::to_string(limit) + " bytes");
  }
  return data;
}

Result<std::string> ReadArgOrFile(const std::string& arg, size_t limit, const char* what) {
  std::string text;
  if (!arg.empty() && arg[0] == '@') {
    auto r = ReadFileLimited(arg.substr(1), limit);
    if (!r.ok()) return Status::Error("InvalidArgument", std::string(what) + ": " + r.status().message());
    return r;
  }
  if (arg.size() > limit)
    return Status::Error("InvalidArgument",
                         std::string(what) + " is larger than the limit of " + std::to_string(limit) + " bytes");
  return arg;
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "stepline: %s\n", message.c_str());
  return 2;
}

}  // namespace stepline::cli
