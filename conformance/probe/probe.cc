// probe: a static program placed in the conformance rootfs (/bin/probe). It reports, as one JSON
// document on stdout, what a process sees inside the container, so that cases compare it with config.json.
// It also serves as the hook program (hook mode) and as a marker program (mark mode).
//
//   probe [--sysctl NAME]... [--check PATH]... [--try-mkdir PATH] [--try-write PATH]
//   probe hook KIND LOGFILE [--fail] [--sleep SECONDS]   (state on stdin; appends one JSON line)
//   probe mark LOGFILE KIND [--sleep SECONDS]             (appends one JSON line, then sleeps)
//   probe exe-watch LOGFILE SECONDS                       (CVE-2019-5736 attacker, see ExeWatch)
//
// LOGFILE paths: when the file's directory does not exist (a hook running after pivot_root), the probe
// falls back to /oct/<basename>, where cases bind-mount the log directory.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

extern char** environ;

namespace {

using Json = nlohmann::ordered_json;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string StatusField(const std::string& status, const std::string& key) {
  std::istringstream in(status);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      std::string v = line.substr(key.size() + 1);
      size_t b = v.find_first_not_of(" \t");
      return b == std::string::npos ? "" : v.substr(b);
    }
  }
  return "";
}

std::string Link(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  if (n < 0) return "";
  return std::string(buf, static_cast<size_t>(n));
}

Json Rlimits() {
  static const struct { const char* name; int res; } kLimits[] = {
      {"RLIMIT_AS", RLIMIT_AS},         {"RLIMIT_CORE", RLIMIT_CORE},       {"RLIMIT_CPU", RLIMIT_CPU},
      {"RLIMIT_DATA", RLIMIT_DATA},     {"RLIMIT_FSIZE", RLIMIT_FSIZE},     {"RLIMIT_LOCKS", RLIMIT_LOCKS},
      {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
      {"RLIMIT_NOFILE", RLIMIT_NOFILE}, {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_RSS", RLIMIT_RSS},
      {"RLIMIT_RTPRIO", RLIMIT_RTPRIO}, {"RLIMIT_RTTIME", RLIMIT_RTTIME},   {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLIMIT_STACK", RLIMIT_STACK},
  };
  Json out = Json::object();
  for (const auto& l : kLimits) {
    struct rlimit r;
    if (::getrlimit(l.res, &r) != 0) continue;
    // RLIM_INFINITY as the all-ones 64-bit value, like the spec's uint64.
    out[l.name] = {{"soft", static_cast<uint64_t>(r.rlim_cur)}, {"hard", static_cast<uint64_t>(r.rlim_max)}};
  }
  return out;
}

Json Capabilities(const std::string& status) {
  static const char* kNames[] = {
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
      "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
      "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
      "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
      "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
      "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
      "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"};
  Json out = Json::object();
  static const struct { const char* key; const char* set; } kSets[] = {
      {"CapBnd", "bounding"}, {"CapEff", "effective"}, {"CapPrm", "permitted"},
      {"CapInh", "inheritable"}, {"CapAmb", "ambient"}};
  for (const auto& s : kSets) {
    uint64_t mask = std::strtoull(StatusField(status, s.key).c_str(), nullptr, 16);
    Json names = Json::array();
    for (int bit = 0; bit < 64; ++bit) {
      if (!(mask & (1ULL << bit))) continue;
      names.push_back(bit < static_cast<int>(sizeof kNames / sizeof *kNames) ? kNames[bit]
                                                                             : "CAP_" + std::to_string(bit));
    }
    out[s.set] = names;
  }
  return out;
}

Json Mountinfo() {
  Json out = Json::array();
  std::istringstream in(ReadText("/proc/self/mountinfo"));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, devno, root, mount_point, options;
    f >> id >> parent >> devno >> root >> mount_point >> options;
    // The optional fields (shared:N, master:N, propagate_from:N, unbindable) up to the "-".
    std::string tok, optional;
    while (f >> tok && tok != "-") optional += (optional.empty() ? "" : " ") + tok;
    std::string fstype, source, super;
    f >> fstype >> source >> super;
    out.push_back({{"mount_point", mount_point}, {"root", root}, {"fstype", fstype}, {"source", source},
                   {"options", options}, {"super_options", super}, {"optional", optional}});
  }
  return out;
}

Json Namespaces() {
  Json out = Json::object();
  for (const char* ns : {"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"})
    out[ns] = Link(std::string("/proc/self/ns/") + ns);
  return out;
}

Json DevEntries() {
  Json out = Json::object();
  DIR* d = ::opendir("/dev");
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = "/dev/" + name;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) continue;
    std::string type = S_ISCHR(st.st_mode) ? "c" : S_ISBLK(st.st_mode) ? "b" : S_ISLNK(st.st_mode) ? "l"
                       : S_ISDIR(st.st_mode) ? "d" : S_ISFIFO(st.st_mode) ? "p" : S_ISSOCK(st.st_mode) ? "s" : "f";
    Json entry{{"type", type}, {"mode", st.st_mode & 07777}, {"uid", st.st_uid}, {"gid", st.st_gid}};
    if (type == "c" || type == "b") {
      entry["major"] = major(st.st_rdev);
      entry["minor"] = minor(st.st_rdev);
    }
    if (type == "l") entry["target"] = Link(path);
    out[name] = entry;
  }
  ::closedir(d);
  return out;
}

Json CheckPath(const std::string& path) {
  Json out{{"exists", false}};
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    out["errno"] = errno;
    return out;
  }
  out["exists"] = true;
  out["is_dir"] = S_ISDIR(st.st_mode);
  struct statvfs vfs;
  out["readonly_mount"] = ::statvfs(path.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
  if (S_ISDIR(st.st_mode)) {
    int entries = 0;
    if (DIR* d = ::opendir(path.c_str())) {
      while (dirent* e = ::readdir(d))
        if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, "..")) ++entries;
      ::closedir(d);
      out["readable"] = true;
    } else {
      out["readable"] = false;
    }
    out["entries"] = entries;
    return out;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
  if (fd >= 0) {
    char buf[64];
    ssize_t n = ::read(fd, buf, sizeof buf);
    out["readable"] = true;
    out["read_bytes"] = n < 0 ? 0 : n;
    ::close(fd);
  } else {
    out["readable"] = false;
    out["read_errno"] = errno;
  }
  return out;
}

Json OpenFds() {
  Json out = Json::array();
  DIR* d = ::opendir("/proc/self/fd");
  if (!d) return out;
  int self = ::dirfd(d);
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    int fd = std::atoi(e->d_name);
    if (fd == self) continue;
    out.push_back({{"fd", fd}, {"target", Link(std::string("/proc/self/fd/") + e->d_name)}});
  }
  ::closedir(d);
  return out;
}

int Report(int argc, char** argv) {
  std::vector<std::string> sysctls, checks, mkdirs, writes, open_writes;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--sysctl") sysctls.push_back(argv[i + 1]);
    else if (flag == "--check") checks.push_back(argv[i + 1]);
    else if (flag == "--try-mkdir") mkdirs.push_back(argv[i + 1]);
    else if (flag == "--try-write") writes.push_back(argv[i + 1]);
    else if (flag == "--try-open-write") open_writes.push_back(argv[i + 1]);
  }
  std::string status = ReadText("/proc/self/status");
  Json r;
  struct utsname u;
  ::uname(&u);
  r["hostname"] = u.nodename;
  r["domainname"] = u.domainname;
  r["machine"] = u.machine;
  r["pid"] = ::getpid();
  r["uid"] = ::getuid();
  r["gid"] = ::getgid();
  r["euid"] = ::geteuid();
  r["egid"] = ::getegid();
  gid_t groups[256];
  int ng = ::getgroups(256, groups);
  Json gl = Json::array();
  for (int i = 0; i < ng; ++i) gl.push_back(groups[i]);
  r["groups"] = gl;
  char cwd[4096];
  r["cwd"] = ::getcwd(cwd, sizeof cwd) ? cwd : "";
  Json env = Json::array();
  for (char** e = environ; *e; ++e) env.push_back(*e);
  r["env"] = env;
  r["umask"] = StatusField(status, "Umask");
  r["rlimits"] = Rlimits();
  r["capabilities"] = Capabilities(status);
  r["no_new_privs"] = ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
  r["oom_score_adj"] = std::atoi(ReadText("/proc/self/oom_score_adj").c_str());
  r["seccomp"] = std::atoi(StatusField(status, "Seccomp").c_str());
  r["mounts"] = Mountinfo();
  r["namespaces"] = Namespaces();
  r["dev"] = DevEntries();
  Json paths = Json::object();
  for (const std::string& p : checks) paths[p] = CheckPath(p);
  r["paths"] = paths;
  Json sc = Json::object();
  for (const std::string& s : sysctls) {
    std::string file = "/proc/sys/" + s;
    for (size_t i = 10; i < file.size(); ++i) if (file[i] == '.') file[i] = '/';
    sc[s] = Trim(ReadText(file));
  }
  r["sysctls"] = sc;
  Json mk = Json::object();
  for (const std::string& p : mkdirs) {
    int rc = ::mkdir(p.c_str(), 0755);
    mk[p] = rc == 0 ? 0 : errno;
    if (rc == 0) ::rmdir(p.c_str());
  }
  r["mkdir_errno"] = mk;
  Json wr = Json::object();
  for (const std::string& p : writes) {
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    wr[p] = fd >= 0 ? 0 : errno;
    if (fd >= 0) { ::close(fd); ::unlink(p.c_str()); }
  }
  r["write_errno"] = wr;
  // Opens an existing file for writing and closes it at once: nothing is written.
  Json ow = Json::object();
  for (const std::string& p : open_writes) {
    int fd = ::open(p.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    ow[p] = fd >= 0 ? 0 : errno;
    if (fd >= 0) ::close(fd);
  }
  r["open_write_errno"] = ow;
  r["fds"] = OpenFds();
  r["tty"] = {{"stdin", ::isatty(0) == 1}, {"stdout", ::isatty(1) == 1}, {"stderr", ::isatty(2) == 1}};
  char* tn = ::ttyname(1);
  r["ttyname"] = tn ? tn : "";
  r["cgroup"] = ReadText("/proc/self/cgroup");
  std::string out = r.dump(-1, ' ', false, Json::error_handler_t::replace);
  out += "\n";
  // One write: a reader on a pty or pipe gets the document whole.
  size_t off = 0;
  while (off < out.size()) {
    ssize_t n = ::write(1, out.data() + off, out.size() - off);
    if (n <= 0) { if (errno == EINTR) continue; return 1; }
    off += static_cast<size_t>(n);
  }
  return 0;
}

// Where a log line goes: the host path, or /oct/<basename> inside the container.
std::string LogPath(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) return path;
  return "/oct/" + path.substr(slash + 1);
}

void AppendLine(const std::string& path, const Json& j) {
  std::string line = j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  int fd = ::open(LogPath(path).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  ssize_t unused = ::write(fd, line.data(), line.size());  // O_APPEND: one atomic line
  (void)unused;
  ::close(fd);
}

Json Identity(const std::string& kind) {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return Json{{"kind", kind}, {"pid", ::getpid()}, {"namespaces", Namespaces()},
              {"mono_ns", static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec}};
}

int Hook(int argc, char** argv) {
  if (argc < 4) return 2;
  std::string kind = argv[2], log = argv[3];
  bool fail = false;
  int sleep_s = 0;
  for (int i = 4; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--fail")) fail = true;
    if (!std::strcmp(argv[i], "--sleep") && i + 1 < argc) sleep_s = std::atoi(argv[++i]);
  }
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  Json line = Identity(kind);
  Json state = Json::parse(input, nullptr, false);
  line["state"] = state.is_discarded() ? Json(input) : state;
  line["state_valid_json"] = !state.is_discarded();
  AppendLine(log, line);
  if (sleep_s) ::sleep(static_cast<unsigned>(sleep_s));
  if (fail) {
    std::fprintf(stderr, "probe hook %s: failing as asked\n", kind.c_str());
    return 1;
  }
  return 0;
}

int Mark(int argc, char** argv) {
  if (argc < 4) return 2;
  AppendLine(argv[2], Identity(argv[3]));
  for (int i = 4; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], "--sleep")) ::sleep(static_cast<unsigned>(std::atoi(argv[i + 1])));
  return 0;
}

// CVE-2019-5736, the attacker's half, made harmless: watches /proc for processes that appear in the
// container (a runtime entering it for exec, or the runtime's init of a container sharing our pid
// namespace), keeps an O_PATH fd on each one's executable, and tries to reopen it for writing until the
// process is gone. It never writes: an open for writing that succeeds is closed at once and logged.
// One JSON line per event in LOGFILE: {"event": "seen" | "final", "pid", "exe", "exe_errno", "dev", "ino",
// "nlink", "container_file", "write_errno"}. Stops after SECONDS or when /oct/stop-watch exists.
struct Watched {
  int fd = -1;
  Json info;
  int last_errno = -1;
};

bool ContainerFile(const std::string& link, const struct stat& st) {
  struct stat here;
  return !link.empty() && link[0] == '/' && ::stat(link.c_str(), &here) == 0 && here.st_dev == st.st_dev &&
         here.st_ino == st.st_ino;
}

int TryOpenWrite(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  ::close(fd);
  return 0;
}

Watched Observe(int pid) {
  Watched w;
  std::string exe = "/proc/" + std::to_string(pid) + "/exe";
  w.info = {{"event", "seen"}, {"pid", pid}, {"exe", Link(exe)}, {"exe_errno", 0}};
  w.fd = ::open(exe.c_str(), O_PATH | O_CLOEXEC);
  if (w.fd < 0) {
    w.info["exe_errno"] = errno;
    return w;
  }
  struct stat st;
  if (::fstat(w.fd, &st) != 0) st = {};
  w.info["dev"] = static_cast<uint64_t>(st.st_dev);
  w.info["ino"] = static_cast<uint64_t>(st.st_ino);
  w.info["nlink"] = static_cast<uint64_t>(st.st_nlink);
  w.info["container_file"] = ContainerFile(w.info["exe"].get<std::string>(), st);
  w.info["write_errno"] = TryOpenWrite(exe);
  return w;
}

void ScanNewPids(std::map<int, Watched>& seen, const std::string& log) {
  DIR* d = ::opendir("/proc");
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    int pid = std::atoi(e->d_name);
    if (pid <= 0 || seen.count(pid)) continue;
    Watched w = Observe(pid);
    AppendLine(log, w.info);
    if (w.info.value("container_file", false) && w.fd >= 0) ::close(w.fd), w.fd = -1;
    seen[pid] = std::move(w);
  }
  ::closedir(d);
}

// Reopens each held executable for writing; the last errno is logged once its process is gone.
void RetryWrites(std::map<int, Watched>& seen, const std::string& log) {
  for (auto& [pid, w] : seen) {
    if (w.fd < 0) continue;
    w.last_errno = TryOpenWrite("/proc/self/fd/" + std::to_string(w.fd));
    bool gone = ::kill(pid, 0) != 0 && errno == ESRCH;
    if (w.last_errno != 0 && !gone) continue;
    Json final = w.info;
    final["event"] = "final";
    final["write_errno"] = w.last_errno;
    AppendLine(log, final);
    ::close(w.fd);
    w.fd = -1;
  }
}

int ExeWatch(int argc, char** argv) {
  if (argc < 4) return 2;
  std::string log = argv[2];
  struct timespec start, now;
  ::clock_gettime(CLOCK_MONOTONIC, &start);
  std::map<int, Watched> seen;
  seen[::getpid()] = Watched{};
  AppendLine(log, Json{{"event", "ready"}, {"pid", ::getpid()}});
  for (long round = 0;; ++round) {
    ScanNewPids(seen, log);
    RetryWrites(seen, log);
    if (round % 256 == 0) {
      ::clock_gettime(CLOCK_MONOTONIC, &now);
      struct stat st;
      if (now.tv_sec - start.tv_sec >= std::atoi(argv[3]) || ::stat("/oct/stop-watch", &st) == 0) break;
    }
    ::sched_yield();
  }
  AppendLine(log, Json{{"event", "done"}});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && !std::strcmp(argv[1], "hook")) return Hook(argc, argv);
  if (argc >= 2 && !std::strcmp(argv[1], "mark")) return Mark(argc, argv);
  if (argc >= 2 && !std::strcmp(argv[1], "exe-watch")) return ExeWatch(argc, argv);
  return Report(argc, argv);
}
