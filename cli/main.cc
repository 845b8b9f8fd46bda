// The `palimpsest` executable: wires the command line to the archive. See cli/run_cli.cc.

#include <iostream>

#include "cli/cli_context.h"

int main(int argc, char** argv) {
  return palimpsest::cli::RunCli(argc, argv, std::cin, std::cout, std::cerr);
}
