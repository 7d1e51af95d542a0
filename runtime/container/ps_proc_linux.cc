#include "runtime/container/ps_proc.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "base/file.h"

namespace ocirun {
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

template <typename T>
bool ParseNumber(const std::string& s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// A /proc file of a process that may exit at any moment: its absence is kNotFound.
base::Result<std::string> ReadProc(const std::string& path) {
  auto text = base::ReadFile(path);
  if (!text.ok()) return base::NotFound(path + ": " + text.status().message());
  return text;
}

// stat: "pid (comm) state ppid pgrp session tty_nr ... utime(14) stime(15) ... starttime(22) ...";
// comm may hold spaces and parentheses, so the fields are counted from its last ')'.
base::Status ParseStat(const std::string& stat, const std::string& where, ProcEntry& e) {
  size_t open = stat.find('('), close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open)
    return base::Internal(where + ": no (comm) field");
  e.comm = stat.substr(open + 1, close - open - 1);
  std::vector<std::string> f;
  std::istringstream rest(stat.substr(close + 1));
  for (std::string tok; rest >> tok;) f.push_back(tok);
  // f[0] is field 3 (state).
  unsigned long long utime = 0, stime = 0;
  if (f.size() < 20 || !ParseNumber(f[1], e.ppid) || !ParseNumber(f[4], e.tty_nr) || !ParseNumber(f[11], utime) ||
      !ParseNumber(f[12], stime) || !ParseNumber(f[19], e.start_ticks))
    return base::Internal(where + ": malformed");
  e.cpu_ticks = utime + stime;
  return base::Status::Ok();
}

base::Status ParseEuid(const std::string& status, const std::string& where, ProcEntry& e) {
  std::istringstream in(status);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Uid:", 0) != 0) continue;
    std::istringstream ids(line.substr(4));
    unsigned real = 0;
    if (ids >> real >> e.euid) return base::Status::Ok();
  }
  return base::Internal(where + ": no Uid line");
}

// procps prints a name longer than the column as its first 7 characters and '+'.
std::string UserColumn(const std::string& name) { return name.size() > 8 ? name.substr(0, 7) + "+" : name; }

std::string UserName(unsigned uid, std::map<unsigned, std::string>& cache) {
  auto it = cache.find(uid);
  if (it != cache.end()) return it->second;
  struct passwd pw{}, *found = nullptr;
  char buf[4096];
  std::string name = ::getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found ? found->pw_name
                                                                                    : std::to_string(uid);
  return cache[uid] = UserColumn(name);
}

// Non-printable bytes become '?', as procps shows them.
std::string Printable(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return s;
}

std::string StartTime(const ProcEntry& e, const PsClock& clock) {
  time_t started = clock.boot_time + static_cast<time_t>(e.start_ticks / static_cast<unsigned long long>(clock.hz));
  struct tm now{}, then{};
  ::localtime_r(&clock.now, &now);
  ::localtime_r(&started, &then);
  const char* fmt = "%H:%M";                          // today
  if (now.tm_yday != then.tm_yday) fmt = "%b%d";       // this year
  if (now.tm_year != then.tm_year) fmt = "%Y";         // before
  char out[32];
  size_t n = std::strftime(out, sizeof out, fmt, &then);
  return std::string(out, n);
}

std::string CpuTime(const ProcEntry& e, const PsClock& clock) {
  unsigned long long t = e.cpu_ticks / static_cast<unsigned long long>(clock.hz);
  unsigned long long ss = t % 60, mm = t / 60 % 60, hh = t / 3600 % 24, dd = t / 86400;
  if (dd) return fmt::format("{}-{:02}:{:02}:{:02}", dd, hh, mm, ss);
  return fmt::format("{:02}:{:02}:{:02}", hh, mm, ss);
}

// The C column: the average CPU use over the process's life in percent, at most 99.
unsigned CpuPercent(const ProcEntry& e, const PsClock& clock) {
  double elapsed = clock.uptime_s - static_cast<double>(e.start_ticks) / static_cast<double>(clock.hz);
  auto seconds = static_cast<unsigned long long>(elapsed > 0 ? elapsed : 0);
  if (seconds == 0) return 0;
  unsigned long long pcpu = e.cpu_ticks * 100ULL / static_cast<unsigned long long>(clock.hz) / seconds;
  return static_cast<unsigned>(pcpu > 99 ? 99 : pcpu);
}

std::string Command(const ProcEntry& e) {
  if (e.args.empty()) return "[" + Printable(e.comm) + "]";
  std::string out;
  for (const std::string& a : e.args) out += (out.empty() ? "" : " ") + Printable(a);
  return out;
}

}  // namespace

std::string TtyName(int tty_nr) {
  if (tty_nr == 0) return "?";
  unsigned major = (static_cast<unsigned>(tty_nr) >> 8) & 0xfff;
  unsigned minor = (static_cast<unsigned>(tty_nr) & 0xff) | ((static_cast<unsigned>(tty_nr) >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return "pts/" + std::to_string((major - 136) * 256 + minor);
  if (major == 4 && minor < 64) return "tty" + std::to_string(minor);
  if (major == 4) return "ttyS" + std::to_string(minor - 64);
  if (major == 5 && minor == 1) return "console";
  return "?";
}

base::Result<ProcEntry> ReadProcEntry(const std::string& proc_root, int pid) {
  std::string dir = proc_root + "/" + std::to_string(pid);
  ProcEntry e;
  e.pid = pid;
  ASSIGN_OR_RETURN(std::string stat, ReadProc(dir + "/stat"));
  RETURN_IF_ERROR(ParseStat(stat, dir + "/stat", e));
  ASSIGN_OR_RETURN(std::string status, ReadProc(dir + "/status"));
  RETURN_IF_ERROR(ParseEuid(status, dir + "/status", e));
  ASSIGN_OR_RETURN(std::string cmdline, ReadProc(dir + "/cmdline"));
  e.args = Split(cmdline, '\0');
  return e;
}

base::Result<PsClock> ReadPsClock(const std::string& proc_root) {
  PsClock c;
  c.now = std::time(nullptr);
  c.hz = ::sysconf(_SC_CLK_TCK);
  if (c.hz <= 0) c.hz = 100;
  ASSIGN_OR_RETURN(std::string uptime, base::ReadFile(proc_root + "/uptime"));
  c.uptime_s = std::strtod(uptime.c_str(), nullptr);
  ASSIGN_OR_RETURN(std::string stat, base::ReadFile(proc_root + "/stat"));
  size_t at = stat.find("\nbtime ");
  if (at == std::string::npos) return base::Internal(proc_root + "/stat: no btime line");
  c.boot_time = static_cast<time_t>(std::strtoll(stat.c_str() + at + 7, nullptr, 10));
  auto pid_max = base::ReadFile(proc_root + "/sys/kernel/pid_max");
  if (pid_max.ok()) {
    size_t digits = 0;
    while (digits < pid_max->size() && std::isdigit(static_cast<unsigned char>((*pid_max)[digits]))) ++digits;
    c.pid_width = std::max<int>(5, static_cast<int>(digits));
  }
  return c;
}

std::string PsHeader(const PsClock& clock) {
  return fmt::format("{:<8} {:>{}} {:>{}} {:>2} {:<5} {:<8} {:>8} {}\n", "UID", "PID", clock.pid_width, "PPID",
                     clock.pid_width, "C", "STIME", "TTY", "TIME", "CMD");
}

std::string PsRow(const ProcEntry& e, const PsClock& clock, const std::string& user) {
  return fmt::format("{:<8} {:>{}} {:>{}} {:>2} {:<5} {:<8} {:>8} {}\n", user, e.pid, clock.pid_width, e.ppid,
                     clock.pid_width, CpuPercent(e, clock), StartTime(e, clock), TtyName(e.tty_nr),
                     CpuTime(e, clock), Command(e));
}

base::Result<std::string> ProcPsTable(const std::vector<int>& pids) {
  ASSIGN_OR_RETURN(PsClock clock, ReadPsClock("/proc"));
  std::string out = PsHeader(clock);
  std::map<unsigned, std::string> users;
  for (int pid : pids) {
    auto e = ReadProcEntry("/proc", pid);
    if (!e.ok() && e.status().code() == base::Code::kNotFound) continue;  // exited meanwhile
    if (!e.ok()) return e.status();
    out += PsRow(*e, clock, UserName(e->euid, users));
  }
  return out;
}

}  // namespace ocirun
