// ocicert: conformance and benchmark harness for OCI runtimes. This file only holds the command table.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "ocicert/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(int argc, char** argv);
  const char* help;
};

constexpr Command kCommands[] = {
    {"validate", ocicert::RunValidate, "check OCI config.json files and bundles against the spec"},
    {"conform", ocicert::RunConform, "run the conformance suites against one or more runtimes"},
    {"bench", ocicert::RunBench, "benchmark runtime operations side by side"},
    {"report", ocicert::RunReport, "compare benchmark results, render HTML reports, merge fleet results"},
};

void Usage(FILE* out) {
  std::fprintf(out, "usage: ocicert <command> [flags]\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.help);
  std::fprintf(out, "\nRun 'ocicert <command> --help' for a command's flags.\n");
}

}  // namespace

int main(int argc, char** argv) {
#ifdef SIGPIPE
  std::signal(SIGPIPE, SIG_IGN);  // A runtime that closes its stdin early must not kill the harness.
#endif
  if (argc < 2) {
    Usage(stderr);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    Usage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("ocicert %s\n", OCICERT_VERSION);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (name == c.name) return c.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "ocicert: unknown command \"%s\"\n", argv[1]);
  Usage(stderr);
  return 2;
}
