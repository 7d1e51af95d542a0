// What `ocicert bench` needs from the host it runs on: host_posix.cc (Linux) and host_win32.cc
// (Windows Server), chosen by CMake. Process liveness, temp folders and paths come from
// conformance/host.h, which both commands share.
#pragma once

#include <map>
#include <string>

namespace ocicert::bench::host {

// hostname, kernel, cpus: the host facts recorded in bench.json.
std::map<std::string, std::string> Facts();

// CPU time this process has used so far, in seconds (the cpu_time of our own gbench.json).
double ProcessCpuSeconds();

// True on Windows: containers are Windows containers, made from --windows-layers, each with its own
// scratch layer.
bool WindowsContainers();

// Why hyperv isolation cannot be measured on this host for a runtime whose `features` offers it.
std::string HypervProblem();

// The absolute path of this program, or "" when unknown.
std::string SelfExecutable();

// Why the per-container memory counters are not measured on this host; "" when they are.
std::string ContainerMemoryProblem();

}  // namespace ocicert::bench::host
