// Privileged: what the process sees inside the container (process settings, mounts, /dev, masked
// and readonly paths, sysctls, namespaces incl. user and join-by-path) and the safety properties
// (no fd leaks, symlinked mount targets stay inside the rootfs, /proc/<init>/exe not writable).
// Each check runs against ocirun and, where installed, runc with the same bundle.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "runtime/tests/it_util.h"

namespace ocirun::it {
namespace {

class Isolation : public RuntimeFixture {
 protected:
  // Runs `script` with sh in the foreground; returns stdout (and checks the exit code).
  std::string RunScript(const std::string& id, nlohmann::json config, int want_exit = 0,
                        const std::vector<std::string>& extra = {}) {
    std::string bundle = WriteBundle(tmp_ + "/" + id, config);
    std::vector<std::string> args = {"run", "-b", bundle};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(id);
    auto r = Rt(rt_, args);
    EXPECT_EQ(r.exit_code, want_exit) << rt_.name << " stderr: " << r.err;
    return r.out;
  }
  nlohmann::json Script(const std::string& id, const std::string& script) {
    return BaseConfig(id, {"sh", "-c", script});
  }

};

TEST_P(Isolation, ProcessSettings) {
  std::string id = Id("proc");
  nlohmann::json c = Script(id,
      "echo uid=$(id -u) gid=$(id -g) groups=$(id -G); echo cwd=$(pwd); echo umask=$(umask);"
      "echo env=$FOO; echo nofile=$(ulimit -n); echo host=$(hostname) dom=$(cat /proc/sys/kernel/domainname);"
      "grep -E '^(NoNewPrivs|CapEff|CapBnd|SigIgn|SigBlk):' /proc/self/status");
  c["process"]["user"] = {{"uid", 1000}, {"gid", 1001}, {"additionalGids", {1002, 1003}}, {"umask", 18}};
  c["process"]["cwd"] = "/tmp";
  c["process"]["env"].push_back("FOO=bar baz");
  c["process"]["rlimits"] = {{{"type", "RLIMIT_NOFILE"}, {"soft", 512}, {"hard", 512}}};
  c["domainname"] = "oct.example";
  c["process"]["capabilities"] = {{"bounding", {"CAP_KILL", "CAP_CHOWN"}}, {"effective", {"CAP_KILL"}},
                                  {"permitted", {"CAP_KILL"}}, {"ambient", {"CAP_KILL"}},
                                  {"inheritable", {"CAP_KILL"}}};
  std::string out = RunScript(id, c);
  EXPECT_NE(out.find("uid=1000 gid=1001 groups=1001 1002 1003"), std::string::npos) << out;
  EXPECT_NE(out.find("cwd=/tmp"), std::string::npos) << out;
  EXPECT_NE(out.find("umask=0022"), std::string::npos) << out;
  EXPECT_NE(out.find("env=bar baz"), std::string::npos) << out;
  EXPECT_NE(out.find("nofile=512"), std::string::npos) << out;
  EXPECT_NE(out.find("host=oct-rt dom="), std::string::npos) << out;
  if (rt_.name == "ocirun") EXPECT_NE(out.find("dom=oct.example"), std::string::npos) << out;  // runc 1.1.5 skips it
  EXPECT_NE(out.find("NoNewPrivs:\t1"), std::string::npos) << out;
  EXPECT_NE(out.find("CapEff:\t0000000000000020"), std::string::npos) << out;  // CAP_KILL (ambient)
  EXPECT_NE(out.find("CapBnd:\t0000000000000021"), std::string::npos) << out;  // CAP_KILL|CAP_CHOWN
  // Default signal dispositions: ocirun ignores SIGPIPE itself; that must not reach the program
  // (busybox sh ignores SIGQUIT for its children, so only SIGPIPE's bit is checked).
  EXPECT_NE(out.find("SigBlk:\t0000000000000000"), std::string::npos) << out;
  size_t ign = out.find("SigIgn:\t");
  ASSERT_NE(ign, std::string::npos) << out;
  EXPECT_EQ(std::stoull(out.substr(ign + 8, 16), nullptr, 16) & (1ull << (SIGPIPE - 1)), 0u) << out;
}

TEST_P(Isolation, FilesystemView) {
  std::string id = Id("fs");
  nlohmann::json c = Script(id,
      "touch /rootfile 2>/dev/null && echo root=rw || echo root=ro;"
      "touch /tmp/x && echo tmp=rw;"
      "[ -c /proc/keys ] && echo keys=masked;"
      "echo 1 > /proc/sys/kernel/ns_last_pid 2>/dev/null && echo procsys=rw || echo procsys=ro;"
      "for n in null zero full random urandom tty; do [ -c /dev/$n ] && printf '%s ' $n; done; echo;"
      "echo fd=$(readlink /dev/fd) stdin=$(readlink /dev/stdin) stderr=$(readlink /dev/stderr);"
      "echo ipfwd=$(cat /proc/sys/net/ipv4/ip_forward);"
      "ls /proc/self/fd | tr '\\n' ' '; echo; echo pid=$$");
  c["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}};
  std::string out = RunScript(id, c);
  EXPECT_NE(out.find("root=ro"), std::string::npos) << out;
  EXPECT_NE(out.find("tmp=rw"), std::string::npos) << out;
  EXPECT_NE(out.find("keys=masked"), std::string::npos) << out;  // /dev/null over it (maskedPaths)
  EXPECT_NE(out.find("procsys=ro"), std::string::npos) << out;
  EXPECT_NE(out.find("null zero full random urandom tty"), std::string::npos) << out;
  EXPECT_NE(out.find("fd=/proc/self/fd stdin=/proc/self/fd/0 stderr=/proc/self/fd/2"), std::string::npos) << out;
  EXPECT_NE(out.find("ipfwd=1"), std::string::npos) << out;
  // Only 0-2 (and ls's own directory fd) are open: no runtime fd leaks into the container.
  EXPECT_NE(out.find("0 1 2 3 \n"), std::string::npos) << out;
  EXPECT_NE(out.find("pid=1"), std::string::npos) << out;
}

TEST_P(Isolation, PreserveFds) {
  std::string id = Id("fds");
  std::string bundle = WriteBundle(tmp_ + "/" + id, Script(id, "ls /proc/self/fd | tr '\\n' ' '"));
  int extra = ::open("/dev/null", O_RDONLY);  // not close-on-exec: reaches the runtime as fd 3+
  base::SubprocessOptions o;
  o.argv = {rt_.binary, "--root", rt_.root, "run", "--preserve-fds", "1", "-b", bundle, id};
  o.extra_fds = {extra};
  auto r = base::RunSubprocess(o);
  ::close(extra);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0) << r->err;
  EXPECT_EQ(r->out, "0 1 2 3 4 ") << r->err;  // 3 preserved, 4 is ls's directory
}

TEST_P(Isolation, BindMountsReadonlyAndNoPivot) {
  std::string id = Id("bind");
  std::string host = tmp_ + "/share";
  std::filesystem::create_directories(host);
  { std::FILE* f = std::fopen((host + "/hello").c_str(), "w"); std::fputs("hi", f); std::fclose(f); }
  nlohmann::json c = Script(id, "cat /data/hello; echo; touch /data/new 2>/dev/null && echo data=rw || echo data=ro;"
                                "cat /etc/hostfile 2>/dev/null; echo");
  c["mounts"].push_back({{"destination", "/data"}, {"type", "bind"}, {"source", host}, {"options", {"bind", "ro"}}});
  c["mounts"].push_back({{"destination", "/etc/hostfile"}, {"type", "bind"}, {"source", host + "/hello"}, {"options", {"rbind", "ro"}}});
  std::string out = RunScript(id, c, 0, {"--no-pivot"});
  EXPECT_NE(out.find("hi\ndata=ro\nhi"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(host + "/new"));
}

TEST_P(Isolation, SymlinkedMountTargetStaysInsideTheRootfs) {
  // A rootfs whose /evil points at a host folder: a mount on /evil must land inside the rootfs.
  std::string id = Id("escape");
  std::string rootfs = tmp_ + "/escape-rootfs";
  std::filesystem::copy(SharedRootfs(), rootfs, std::filesystem::copy_options::recursive |
                                                   std::filesystem::copy_options::copy_symlinks);
  std::string victim = tmp_ + "/victim";
  std::filesystem::create_directories(victim);
  std::filesystem::create_symlink(victim, rootfs + "/evil");
  nlohmann::json c = Script(id, "touch /evil/inside && echo ok");
  c["root"] = {{"path", rootfs}, {"readonly", false}};
  c["mounts"].push_back({{"destination", "/evil"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
  auto bundle = WriteBundle(tmp_ + "/" + id, c);
  auto r = Rt(rt_, {"run", "-b", bundle, id});
  // Either the mount lands at <rootfs>/<victim path> (ocirun, runc) or fails; never on the host.
  EXPECT_FALSE(std::filesystem::exists(victim + "/inside")) << r.out << r.err;
  std::string mounts = Slurp("/proc/self/mountinfo");
  EXPECT_EQ(mounts.find(" " + victim + " "), std::string::npos);
}

// CVE-2019-5736: while the init is still the runtime itself (before start), the container can open
// /proc/<init>/exe. Writing it at once fails (ETXTBSY at least); the attack keeps an O_PATH handle,
// waits for the runtime's process to end and reopens the handle for writing. That must fail too, or
// the write must: the file behind it is never the host binary in writable form. ocirun is checked
// in both of its ways (a private read-only overlay of its folder, and a sealed memfd copy).
void ExpectInitExeNotWritable(const RuntimeBinary& rt, const std::string& id, const std::string& bundle) {
  ASSERT_TRUE(Rt(rt, {"create", "-b", bundle, id}).success());
  int pid = StateOf(rt, id)["pid"].get<int>();
  std::string exe = "/proc/" + std::to_string(pid) + "/exe";
  int fd = ::open(exe.c_str(), O_WRONLY);
  int err = errno;
  if (fd >= 0) ::close(fd);
  EXPECT_LT(fd, 0);
  EXPECT_TRUE(err == ETXTBSY || err == EPERM || err == EACCES || err == EROFS) << err;
  int held = ::open(exe.c_str(), O_PATH | O_CLOEXEC);
  ASSERT_GE(held, 0) << exe;
  char link[256] = {};
  ASSERT_GT(::readlink(exe.c_str(), link, sizeof link - 1), 0);
  struct statfs fs{};
  ASSERT_EQ(::fstatfs(held, &fs), 0);
  ASSERT_TRUE(Rt(rt, {"delete", "--force", id}).success());  // the init (the runtime) is gone
  std::string again = "/proc/self/fd/" + std::to_string(held);
  int w = ::open(again.c_str(), O_RDWR);
  if (w >= 0) {
    char first = 0;
    ASSERT_EQ(::pread(w, &first, 1, 0), 1);
    errno = 0;
    EXPECT_LT(::pwrite(w, &first, 1, 0), 0) << "wrote through " << link;  // the same byte: no harm if it passes
    ::close(w);
  } else {
    EXPECT_TRUE(errno == EROFS || errno == EPERM || errno == EACCES || errno == ETXTBSY) << errno;
  }
  ::close(held);
  if (rt.name == "ocirun") {
    bool memfd = std::string(link).find("memfd:") != std::string::npos;
    constexpr long kOverlayMagic = 0x794c7630;
    bool ro_overlay = static_cast<long>(fs.f_type) == kOverlayMagic && (fs.f_flags & ST_RDONLY);
    EXPECT_TRUE(memfd || ro_overlay) << link << " on filesystem type " << std::hex << fs.f_type;
    const char* mode = std::getenv("OCIRUN_INIT_EXE");
    if (mode && std::string(mode) == "memfd") {
      EXPECT_TRUE(memfd) << link;
    }
  }
}

TEST_P(Isolation, InitExecutableCannotBeWritten) {
  std::string id = Id("exe");
  std::string bundle = WriteBundle(tmp_ + "/" + id, BaseConfig(id, {"sleep", "1000"}));
  ExpectInitExeNotWritable(rt_, id, bundle);
  if (rt_.name != "ocirun") return;
  ::setenv("OCIRUN_INIT_EXE", "memfd", 1);  // the fallback: a sealed copy
  ExpectInitExeNotWritable(rt_, id, bundle);
  ::unsetenv("OCIRUN_INIT_EXE");
}

TEST_P(Isolation, UserNamespaceWithMappings) {
  if (::access("/proc/self/ns/user", F_OK) != 0) GTEST_SKIP() << "no user namespaces";
  std::string id = Id("userns");
  nlohmann::json c = Script(id, "cat /proc/self/uid_map /proc/self/gid_map | tr -s ' '; id -u");
  c["linux"]["namespaces"].push_back({{"type", "user"}});
  c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 200000}, {"size", 65536}}};
  c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 200000}, {"size", 65536}}};
  std::string out = RunScript(id, c);
  EXPECT_NE(out.find(" 0 200000 65536"), std::string::npos) << out;
  EXPECT_NE(out.find("\n0\n"), std::string::npos) << out;
}

TEST_P(Isolation, JoinNamespaceByPath) {
  std::string a = Id("nsa");
  std::string bundle_a = WriteBundle(tmp_ + "/" + a, BaseConfig(a, {"sleep", "1000"}));
  ASSERT_TRUE(Rt(rt_, {"run", "-d", "-b", bundle_a, a}).success());
  int pid = StateOf(rt_, a)["pid"].get<int>();
  std::string want;
  {
    char buf[128] = {};
    ASSERT_GT(::readlink(("/proc/" + std::to_string(pid) + "/ns/net").c_str(), buf, sizeof buf - 1), 0);
    want = buf;
  }
  std::string b = Id("nsb");
  nlohmann::json c = Script(b, "readlink /proc/self/ns/net");
  for (auto& ns : c["linux"]["namespaces"]) {
    if (ns["type"] == "network") ns["path"] = "/proc/" + std::to_string(pid) + "/ns/net";
  }
  std::string out = RunScript(b, c);
  EXPECT_EQ(out, want + "\n");
}

// config-linux.md#namespaces: an omitted type is the runtime's own namespace. Without a mount
// entry the init chroots into the rootfs in our mount namespace, the config's mounts are made there
// under the rootfs and delete removes them; exec'd processes get the same root. What would change
// our "/" (masks, read-only paths, rootfsPropagation, root.readonly) and a hostname without a UTS
// namespace are refused, naming the field. ocirun only: runc would make our "/" rslave.
TEST_P(Isolation, OmittedMountNamespaceSharesOurs) {
  if (rt_.name != "ocirun") GTEST_SKIP() << rt_.name << " without a mount namespace changes the propagation of our \"/\"";
  std::string id = Id("nomntns");
  std::string rootfs = tmp_ + "/" + id + "-rootfs";
  std::filesystem::copy(SharedRootfs(), rootfs,
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  nlohmann::json c = BaseConfig(id, {"sleep", "1000"});
  c["root"] = {{"path", rootfs}, {"readonly", false}};
  c["mounts"] = {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}}};
  c["linux"].erase("maskedPaths");
  c["linux"].erase("readonlyPaths");
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& ns : c["linux"]["namespaces"])
    if (ns["type"] != "mount") kept.push_back(ns);
  c["linux"]["namespaces"] = kept;
  std::string bundle = WriteBundle(tmp_ + "/" + id, c);
  auto refused = [&](const std::string& field, const std::function<void(nlohmann::json&)>& change) {
    nlohmann::json bad = c;
    change(bad);
    std::string b = Id("nomntns-bad");
    auto r = Rt(rt_, {"create", "-b", WriteBundle(tmp_ + "/" + b, bad), b});
    EXPECT_NE(r.exit_code, 0) << field << " was accepted without a mount namespace";
    EXPECT_NE(r.err.find(field), std::string::npos) << r.err;
  };
  refused("linux.maskedPaths", [](nlohmann::json& j) { j["linux"]["maskedPaths"] = {"/proc/kcore"}; });
  refused("linux.readonlyPaths", [](nlohmann::json& j) { j["linux"]["readonlyPaths"] = {"/proc/sys"}; });
  refused("linux.rootfsPropagation", [](nlohmann::json& j) { j["linux"]["rootfsPropagation"] = "shared"; });
  refused("root.readonly", [](nlohmann::json& j) { j["root"]["readonly"] = true; });
  refused("hostname", [](nlohmann::json& j) {
    nlohmann::json no_uts = nlohmann::json::array();
    for (const auto& ns : j["linux"]["namespaces"])
      if (ns["type"] != "uts") no_uts.push_back(ns);
    j["linux"]["namespaces"] = no_uts;
  });

  auto created = Rt(rt_, {"create", "-b", bundle, id});
  ASSERT_TRUE(created.success()) << created.err;
  std::string pid = std::to_string(StateOf(rt_, id)["pid"].get<int>());
  auto link = [](const std::string& path) {
    char buf[4096] = {};
    return ::readlink(path.c_str(), buf, sizeof buf - 1) > 0 ? std::string(buf) : std::string("<unreadable>");
  };
  EXPECT_EQ(link("/proc/" + pid + "/ns/mnt"), link("/proc/self/ns/mnt"));
  EXPECT_EQ(link("/proc/" + pid + "/root"), std::filesystem::canonical(rootfs).string());
  auto mounted = [&] {
    std::string info = Slurp("/proc/self/mountinfo");
    return info.find(" " + std::filesystem::canonical(rootfs).string() + "/proc ") != std::string::npos;
  };
  EXPECT_TRUE(mounted()) << "the config's /proc mount is not under the rootfs in our namespace";
  auto exec = Rt(rt_, {"exec", id, "sh", "-c", "readlink /proc/self/root; ls /bin/busybox"});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_EQ(exec.out, "/\n/bin/busybox\n") << "the exec'd process is not in the container's root";
  ASSERT_TRUE(Rt(rt_, {"delete", "--force", id}).success());
  EXPECT_FALSE(mounted()) << "delete left the container's /proc mount behind";
}

OCIRUN_INSTANTIATE_FOR_RUNTIMES(Isolation);

}  // namespace
}  // namespace ocirun::it
