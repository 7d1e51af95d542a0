// ocirun ps -f table without ps options: the columns of `ps -ef` (procps-ng: UID PID PPID C STIME
// TTY TIME CMD, which runc prints by default), read from /proc by ocirun itself rather than by
// running the host's ps. Linux only (ps_proc_linux.cc); elsewhere an error says to use -f json.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <string>
#include <vector>

#include "base/status.h"

namespace ocirun {

// What one row needs from /proc/<pid>/{stat,status,cmdline}.
struct ProcEntry {
  int pid = 0, ppid = 0;
  unsigned euid = 0;
  int tty_nr = 0;                         // stat field 7
  unsigned long long cpu_ticks = 0;       // utime + stime
  unsigned long long start_ticks = 0;     // starttime, ticks after boot
  std::string comm;                       // stat field 2, without the parentheses
  std::vector<std::string> args;          // cmdline; empty for a kernel thread or a zombie
};

// The host-wide facts every row uses.
struct PsClock {
  time_t now = 0;         // seconds since the epoch
  time_t boot_time = 0;   // /proc/stat btime
  double uptime_s = 0;    // /proc/uptime
  long hz = 100;          // sysconf(_SC_CLK_TCK)
  int pid_width = 5;      // digits of /proc/sys/kernel/pid_max, at least 5 (procps)
};

// Reads one process under `proc_root` (normally "/proc"). kNotFound once it has exited.
base::Result<ProcEntry> ReadProcEntry(const std::string& proc_root, int pid);
base::Result<PsClock> ReadPsClock(const std::string& proc_root);

std::string PsHeader(const PsClock& clock);
// One row as `ps -ef` prints it; `user` is the name of the effective uid (or its number).
std::string PsRow(const ProcEntry& e, const PsClock& clock, const std::string& user);
// The TTY column for a stat tty_nr: "?", "pts/N", "ttyN", "ttySN", "console".
std::string TtyName(int tty_nr);

// The whole table for `pids` (sorted), from /proc; processes that exit meanwhile are left out.
base::Result<std::string> ProcPsTable(const std::vector<int>& pids);

}  // namespace ocirun
