#pragma once

namespace stepline::cli {
// Entry point of the `stepline` command; returns the process exit status.
int Main(int argc, char** argv);
}  // namespace stepline::cli
