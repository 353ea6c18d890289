#include "cli/cli.h"

int main(int argc, char** argv) { return stepline::cli::Main(argc, argv); }
