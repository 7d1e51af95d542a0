#include "runtime/linux/init.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <string>

#include "base/unique_fd.h"
#include "runtime/linux/terminal.h"
#include "runtime/linux/hooks.h"
#include "runtime/linux/init_protocol.h"
#include "runtime/linux/namespaces.h"
#include "runtime/linux/personality.h"
#include "runtime/linux/process.h"
#include "runtime/linux/rootfs.h"
#include "runtime/linux/seccomp.h"
#include "runtime/linux/start_report.h"
#include "specs/parse.h"

namespace ocirun::linux {
namespace {

base::Result<int> NewNamespaceFlags(const nlohmann::json& cfg) {
  int flags = 0;
  for (const auto& t : cfg.value("new", nlohmann::json::array())) {
    ASSIGN_OR_RETURN(NamespaceInfo info, LookupNamespace(t.get<std::string>()));
    if (info.clone_flag != CLONE_NEWUSER) flags |= info.clone_flag;
  }
  return flags;
}

base::Status EnterUserNamespace(int fd) {
  if (::unshare(CLONE_NEWUSER) != 0) return base::ErrnoError("unshare user namespace");
  RETURN_IF_ERROR(SendMessage(fd, MsgType::kMapIds, nlohmann::json::object()));
  RETURN_IF_ERROR(Expect(fd, MsgType::kMapIdsDone).status());
  // Become root of the new namespace (mapped by the parent) so that exec keeps the capabilities.
  if (::setresgid(0, 0, 0) != 0) return base::ErrnoError("setresgid 0 in the user namespace");
  if (::setresuid(0, 0, 0) != 0) return base::ErrnoError("setresuid 0 in the user namespace");
  return base::Status::Ok();
}

base::Status SetHostnames(const ocispec::Spec& spec) {
  if (spec.hostname && ::sethostname(spec.hostname->data(), spec.hostname->size()) != 0) {
    return base::ErrnoError("sethostname (hostname)");
  }
  if (spec.domainname && ::setdomainname(spec.domainname->data(), spec.domainname->size()) != 0) {
    return base::ErrnoError("setdomainname (domainname)");
  }
  return base::Status::Ok();
}

// Blocks until `ocirun start` writes one byte into the exec fifo. false: the gate closed unopened.
bool WaitGate(int gate_fd) {
  struct pollfd p{gate_fd, POLLIN, 0};
  for (;;) {
    int n = ::poll(&p, 1, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    char byte = 0;
    ssize_t r = ::read(gate_fd, &byte, 1);
    if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    return r == 1 && byte == '0';
  }
}

std::string HookState(const nlohmann::json& state, const char* status) {
  nlohmann::json s = state;
  s["status"] = status;
  return s.dump();
}

base::Result<ocispec::Process> ParseProcessJson(const nlohmann::json& p) {
  return ocispec::ParseProcess(p.dump());
}

// linux.seccomp, loaded when runc loads it. Without no_new_privs loading needs CAP_SYS_ADMIN, so
// the filter goes in before SetupProcess switches user and drops capabilities (and the init's
// remaining steps run under it); with no_new_privs it goes in as late as possible, just before
// exec, so that a profile need not allow what the init itself does.
class SeccompStep {
 public:
  static base::Result<SeccompStep> Compile(const std::optional<ocispec::Seccomp>& profile, const ocispec::Process& p) {
    SeccompStep step;
    if (!profile) return step;
    ASSIGN_OR_RETURN(step.filter_, CompileSeccomp(*profile));
    step.late_ = p.no_new_privileges.value_or(false);
    return step;
  }
  base::Status BeforeSetup() const { return filter_ && !late_ ? LoadSeccomp(filter_) : base::Status::Ok(); }
  base::Status BeforeExec() const { return filter_ && late_ ? LoadSeccomp(filter_) : base::Status::Ok(); }

 private:
  SeccompFilter filter_;
  bool late_ = false;
};

// After `ocirun start` opened the gate: the startContainer hooks, then the user program. The
// parent of create is gone; failures go to `start` over the start fifo (start_report.h).
[[noreturn]] void StartUserProgram(const ocispec::Spec& spec, const std::string& state,
                                   const PreparedProcess& prepared, const SeccompStep& seccomp, int report,
                                   int preserve_fds) {
  if (spec.hooks) {
    base::Status st = RunHooks(HookKind::kStartContainer, spec.hooks->start_container, state,
                               OnHookFailure::kStop);
    if (!st.ok()) {
      SendError(report, st);
      ::_exit(1);
    }
  }
  if (base::Status st = seccomp.BeforeExec(); !st.ok()) {
    SendError(report, st);
    ::_exit(1);
  }
  SendError(report, ExecProcess(prepared, preserve_fds));  // returns only on failure
  ::_exit(127);
}

// Stage 2 of create: the container init. Returns only on error (before kReady) or exits.
base::Status CreateInit(int fd, const nlohmann::json& cfg) {
  ASSIGN_OR_RETURN(ocispec::Spec spec, ocispec::ConfigFromJson(cfg.at("spec")));
  if (!spec.process) return base::InvalidArgument("process: required to create a container");
  RootfsContext ctx{cfg.at("rootfs").get<std::string>(), cfg.at("bundle").get<std::string>(),
                    cfg.value("new_user", false), cfg.value("mount_namespace", true)};
  RETURN_IF_ERROR(PrepareRootfs(spec, ctx));
  base::UniqueFd gate(::open(cfg.at("gate").get<std::string>().c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!gate) return base::ErrnoError("open exec fifo");
  int preserve_fds = cfg.value("preserve_fds", 0);
  ASSIGN_OR_RETURN(base::UniqueFd report,
                   OpenStartReportWriter(cfg.at("start_fifo").get<std::string>(), 3 + preserve_fds));
  RETURN_IF_ERROR(SendMessage(fd, MsgType::kRuntimeHooks, nlohmann::json::object()));
  ASSIGN_OR_RETURN(nlohmann::json done, Expect(fd, MsgType::kRuntimeHooksDone));
  nlohmann::json state = done.value("state", nlohmann::json::object());
  if (spec.hooks) {
    RETURN_IF_ERROR(RunHooks(HookKind::kCreateContainer, spec.hooks->create_container,
                             HookState(state, "created"), OnHookFailure::kStop));
  }
  RETURN_IF_ERROR(EnterRootfs(ctx, cfg.value("no_pivot", false)));
  RETURN_IF_ERROR(SetupTerminal(fd, spec.process->terminal.value_or(false), spec.process->console_size));
  RETURN_IF_ERROR(SetHostnames(spec));
  RETURN_IF_ERROR(FinishRootfs(spec));
  if (spec.linux && spec.linux->personality) RETURN_IF_ERROR(ApplyPersonality(*spec.linux->personality));
  ASSIGN_OR_RETURN(SeccompStep seccomp,
                   SeccompStep::Compile(spec.linux ? spec.linux->seccomp : std::nullopt, *spec.process));
  RETURN_IF_ERROR(seccomp.BeforeSetup());
  ASSIGN_OR_RETURN(PreparedProcess prepared, SetupProcess(*spec.process));
  RETURN_IF_ERROR(SendMessage(fd, MsgType::kReady, nlohmann::json::object()));
  ::close(fd);
  if (!WaitGate(gate.get())) ::_exit(1);
  gate.Reset();
  StartUserProgram(spec, HookState(state, "running"), prepared, seccomp, report.get(), preserve_fds);
}

// Stage 2 of exec: the new process inside the container's namespaces.
base::Status ExecInit(int fd, const nlohmann::json& cfg) {
  ASSIGN_OR_RETURN(ocispec::Process process, ParseProcessJson(cfg.at("process")));
  std::optional<ocispec::Seccomp> profile;
  if (cfg.contains("seccomp")) {
    ASSIGN_OR_RETURN(profile, ocispec::SeccompFromJson(cfg.at("seccomp")));
  }
  ASSIGN_OR_RETURN(SeccompStep seccomp, SeccompStep::Compile(profile, process));
  if (cfg.contains("chroot")) RETURN_IF_ERROR(ChrootInto(cfg.at("chroot").get<std::string>()));
  RETURN_IF_ERROR(SetupTerminal(fd, process.terminal.value_or(false), process.console_size));
  RETURN_IF_ERROR(seccomp.BeforeSetup());
  ASSIGN_OR_RETURN(PreparedProcess prepared, SetupProcess(process));
  RETURN_IF_ERROR(SendMessage(fd, MsgType::kReady, nlohmann::json::object()));
  ::close(fd);
  base::Status st = seccomp.BeforeExec();
  if (st.ok()) st = ExecProcess(prepared, cfg.value("preserve_fds", 0));
  std::fprintf(stderr, "ocirun exec: %s\n", st.message().c_str());
  ::_exit(127);
}

// Stage 1: namespaces, then the fork that makes stage 2 a child of the parent.
base::Status Stage1(int fd) {
  ASSIGN_OR_RETURN(nlohmann::json cfg, Expect(fd, MsgType::kConfig));
  std::vector<NamespaceJoin> joins;
  for (const auto& j : cfg.value("join", nlohmann::json::array())) {
    joins.push_back({j.at("type").get<std::string>(), j.at("path").get<std::string>()});
  }
  RETURN_IF_ERROR(JoinNamespaces(joins));
  if (cfg.value("new_user", false)) RETURN_IF_ERROR(EnterUserNamespace(fd));
  ASSIGN_OR_RETURN(int flags, NewNamespaceFlags(cfg));
  if (flags != 0 && ::unshare(flags) != 0) return base::ErrnoError("unshare namespaces");
  // CLONE_PARENT: stage 2 becomes the parent's child (the parent reaps it, or its subreaper does
  // once the parent exits); with CLONE_NEWPID unshared above it is pid 1 of the new namespace.
  long pid = ::syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
  if (pid < 0) return base::ErrnoError("clone init");
  if (pid > 0) {
    RETURN_IF_ERROR(SendMessage(fd, MsgType::kChildPid, {{"pid", pid}}));
    ::_exit(0);
  }
  // Stage 2 waits until the parent has taken note of its pid (messages must not interleave with
  // stage 1's on the shared socket).
  RETURN_IF_ERROR(Expect(fd, MsgType::kChildPidAck).status());
  if (cfg.value("mode", "") == "exec") return ExecInit(fd, cfg);
  return CreateInit(fd, cfg);
}

}  // namespace

int RunInit() {
  const char* env = std::getenv(kInitPipeEnv);
  if (env == nullptr) {
    std::fprintf(stderr, "ocirun init: not for interactive use (started by create and exec)\n");
    return 1;
  }
  int fd = std::atoi(env);
  ::unsetenv(kInitPipeEnv);
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  base::Status st = Stage1(fd);
  SendError(fd, st);
  ::_exit(1);
}

}  // namespace ocirun::linux
