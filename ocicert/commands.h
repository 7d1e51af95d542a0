// The ocicert subcommands. Each lives in its own cmd_<name>.cc: parse flags, call one library
// function, print. Each returns the process exit code.
#pragma once

namespace ocicert {

int RunValidate(int argc, char** argv);  // cmd_validate.cc: OCI config/bundle validation
int RunConform(int argc, char** argv);   // cmd_conform.cc: conformance suites against runtimes
int RunBench(int argc, char** argv);     // cmd_bench.cc: microbenchmarks per runtime
int RunReport(int argc, char** argv);    // cmd_report.cc: compare and html reports

}  // namespace ocicert
