#include "cli/cli.h"

#include <cstdio>

namespace stepline::cli {
int Main(int argc, char** argv) {
  std::fprintf(stderr, "usage: stepline <run|validate|jsonata> ...\n");
  return 2;
}
}  // namespace stepline::cli
