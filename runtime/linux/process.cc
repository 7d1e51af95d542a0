#include "runtime/linux/process.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/file.h"
#include "runtime/linux/capabilities.h"

namespace ocirun::linux {
namespace {

struct RlimitName {
  const char* name;
  int resource;
};
constexpr RlimitName kRlimits[] = {
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},         {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},     {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING}, {"RLIMIT_STACK", RLIMIT_STACK},
};

constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

base::Status ApplyRlimits(const ocispec::Process& p) {
  for (const auto& r : p.rlimits) {
    ASSIGN_OR_RETURN(int res, RlimitNumber(r.type));
    struct rlimit lim{r.soft, r.hard};
    if (::setrlimit(res, &lim) != 0) {
      return base::ErrnoError("error setting rlimit type " + std::to_string(res) + " (process.rlimits " +
                              r.type + ")");
    }
  }
  return base::Status::Ok();
}

base::Status ApplyOomScoreAdj(const ocispec::Process& p) {
  if (!p.oom_score_adj) return base::Status::Ok();
  return base::WriteFile("/proc/self/oom_score_adj", std::to_string(*p.oom_score_adj))
      .Wrap("process.oomScoreAdj");
}

// The home folder of `uid` from the container's /etc/passwd, "/" when unknown.
std::string HomeOf(uint32_t uid) {
  std::ifstream passwd("/etc/passwd");
  std::string line;
  while (std::getline(passwd, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, ':')) f.push_back(part);
    if (f.size() >= 6 && f[2] == std::to_string(uid)) return f[5];
  }
  return "/";
}

bool SetgroupsAllowed() {
  auto text = base::ReadFile("/proc/self/setgroups");
  return !text.ok() || text->find("deny") == std::string::npos;
}

base::Status ChangeUser(const ocispec::Process& p) {
  uint32_t uid = p.user.uid.value_or(0), gid = p.user.gid.value_or(0);
  if (SetgroupsAllowed()) {
    std::vector<gid_t> groups(p.user.additional_gids.begin(), p.user.additional_gids.end());
    if (::setgroups(groups.size(), groups.data()) != 0) return base::ErrnoError("setgroups (process.user.additionalGids)");
  }
  if (::setresgid(gid, gid, gid) != 0) return base::ErrnoError("setresgid " + std::to_string(gid) + " (process.user.gid)");
  if (::setresuid(uid, uid, uid) != 0) return base::ErrnoError("setresuid " + std::to_string(uid) + " (process.user.uid)");
  return base::Status::Ok();
}

base::Status ApplyUserAndCaps(const ocispec::Process& p) {
  if (p.capabilities) RETURN_IF_ERROR(DropBoundingSet(*p.capabilities));
  if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return base::ErrnoError("prctl keepcaps");
  RETURN_IF_ERROR(ChangeUser(p));
  if (p.capabilities) RETURN_IF_ERROR(ApplyCapabilitySets(*p.capabilities));
  ::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
  return base::Status::Ok();
}

std::string EnvValue(const std::vector<std::string>& env, const std::string& key) {
  for (const std::string& e : env) {
    if (e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=') {
      return e.substr(key.size() + 1);
    }
  }
  return "";
}

bool IsExecutableFile(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0;
}

// Go's exec.LookPath, which runc uses, with its messages.
base::Result<std::string> LookPath(const std::string& file, const std::vector<std::string>& env) {
  if (file.find('/') != std::string::npos) {
    struct stat st{};
    if (::stat(file.c_str(), &st) != 0) {
      return base::ErrnoError("exec: \"" + file + "\": stat " + file);
    }
    if (!IsExecutableFile(file)) return base::Status(base::Code::kIo, "exec: \"" + file + "\": permission denied", EACCES);
    return file;
  }
  std::string path = EnvValue(env, "PATH");
  if (path.empty()) path = kDefaultPath;
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + file;
    if (IsExecutableFile(candidate)) return candidate;
  }
  return base::NotFound("exec: \"" + file + "\": executable file not found in $PATH");
}

}  // namespace

base::Result<int> RlimitNumber(const std::string& name) {
  for (const RlimitName& r : kRlimits) {
    if (name == r.name) return r.resource;
  }
  return base::InvalidArgument("process.rlimits: unknown type \"" + name + "\"");
}

// CVE-2024-21626: a cwd such as /proc/self/fd/N can name a host folder through an fd that is still
// open at this point (inherited fds are only marked close-on-exec). The kernel then cannot express
// the cwd under our root: getcwd fails with ENOENT or answers "(unreachable)/...". Refuse, as runc does.
static base::Status CheckCwdInsideRoot(const std::string& cwd) {
  char buf[4096];
  if (::getcwd(buf, sizeof buf) == nullptr) {
    if (errno == ERANGE) return base::Status::Ok();  // too long to show, but reachable
    return base::ErrnoError("process.cwd \"" + cwd + "\" is outside the container's root");
  }
  if (buf[0] != '/') {
    return base::InvalidArgument("process.cwd \"" + cwd + "\" is outside the container's root (" + buf + ")");
  }
  return base::Status::Ok();
}

base::Result<PreparedProcess> SetupProcess(const ocispec::Process& p) {
  if (p.args.empty()) return base::InvalidArgument("process.args: must not be empty");
  RETURN_IF_ERROR(ApplyRlimits(p));
  RETURN_IF_ERROR(ApplyOomScoreAdj(p));
  PreparedProcess out;
  out.argv = p.args;
  out.env = p.env;
  if (EnvValue(out.env, "HOME").empty()) out.env.push_back("HOME=" + HomeOf(p.user.uid.value_or(0)));
  RETURN_IF_ERROR(ApplyUserAndCaps(p));
  if (p.no_new_privileges.value_or(false) && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return base::ErrnoError("prctl no_new_privs (process.noNewPrivileges)");
  }
  if (p.user.umask) ::umask(static_cast<mode_t>(*p.user.umask));
  if (::chdir(p.cwd.c_str()) != 0) {
    return base::ErrnoError("chdir to cwd (\"" + p.cwd + "\") set in config.json failed");
  }
  RETURN_IF_ERROR(CheckCwdInsideRoot(p.cwd));
  ASSIGN_OR_RETURN(out.path, LookPath(p.args[0], out.env));
  return out;
}

base::Status ExecProcess(const PreparedProcess& prepared, int preserve_fds) {
  // The program starts with default signal dispositions and nothing blocked: ocirun itself ignores
  // SIGPIPE, and ignored signals would otherwise survive execve.
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Only 0-2 and the preserved fds reach the program (runtime-linux.md; no runtime fd leaks).
  unsigned first = 3u + static_cast<unsigned>(preserve_fds);
  if (::syscall(SYS_close_range, first, ~0u, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = static_cast<int>(first); fd < 65536; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  for (int fd = 3; fd < static_cast<int>(first); ++fd) {
    int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0) ::fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  std::vector<char*> argv, envp;
  for (const auto& a : prepared.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : prepared.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  ::execve(prepared.path.c_str(), argv.data(), envp.data());
  return base::ErrnoError("exec \"" + prepared.argv[0] + "\"");
}

}  // namespace ocirun::linux
