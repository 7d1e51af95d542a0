// Platform-neutral rules of config.md (process, root, mounts, hooks, annotations, vm, platforms).
#include <charconv>
#include <set>

#include "specs/rules.h"

namespace ocispec::internal {
namespace {

void OciVersionSemver(RuleContext& c) {
  if (c.doc.contains("ociVersion") && !IsSemVer(c.spec->oci_version)) {
    c.Report("/ociVersion", "ociVersion " + Quote(c.spec->oci_version) + " is not a SemVer 2.0.0 version");
  }
}

void OciVersionSupported(RuleContext& c) {
  const std::string& v = c.spec->oci_version;
  if (!IsSemVer(v)) return;
  // IsSemVer guarantees digits; from_chars leaves huge numbers at 0 and the check still fires.
  unsigned long major = 0, minor = 0;
  size_t dot = v.find('.');
  std::from_chars(v.data(), v.data() + dot, major);
  auto [end, ec] = std::from_chars(v.data() + dot + 1, v.data() + v.size(), minor);
  if (major != 1 || minor > 3 || ec != std::errc()) {
    c.Report("/ociVersion", "ociVersion " + Quote(v) + " is outside the 1.0 to 1.3 range this validator knows");
  }
}

void ProcessForStart(RuleContext& c) {
  if (c.options.stage == Stage::kStart && !c.spec->process) {
    c.Report("", "process is missing: it is REQUIRED when start is called");
  }
}

void ProcessForCreate(RuleContext& c) {
  if (c.options.stage == Stage::kCreate && !c.spec->process) {
    c.Report("", "process is missing: the container can be created but start will fail");
  }
}

void ProcessCwdAbsolute(RuleContext& c) {
  const auto& p = c.spec->process;
  if (p && c.Present("/process/cwd") && !IsAbsoluteFor(c.process_platform(), p->cwd)) {
    c.Report("/process/cwd", "process.cwd " + Quote(p->cwd) + " is not an absolute path");
  }
}

void ProcessArgsRequired(RuleContext& c) {
  if (c.process_platform() == Platform::kLinux && c.spec->process && c.spec->process->args.empty()) {
    c.Report("/process", "process.args is missing or empty: at least one entry is REQUIRED");
  }
}

void ProcessEnvFormat(RuleContext& c) {
  if (!c.spec->process) return;
  const auto& env = c.spec->process->env;
  for (size_t i = 0; i < env.size(); ++i) {
    size_t eq = env[i].find('=');
    if (eq == std::string::npos || eq == 0) {
      c.Report(Ptr("/process/env", i), "process.env[" + std::to_string(i) + "] " + Quote(env[i]) +
                                           " is not of the form KEY=value");
    }
  }
}

void ProcessUidGid(RuleContext& c) {
  if (c.process_platform() != Platform::kLinux || !c.spec->process) return;
  const User& u = c.spec->process->user;
  if (!u.uid || !u.gid) {
    c.Report("/process/user", std::string("process.user.") + (u.uid ? "gid" : "uid") +
                                  " is missing: uid and gid are REQUIRED on Linux");
  }
}

void RlimitsUnique(RuleContext& c) {
  if (!c.spec->process) return;
  std::set<std::string> seen;
  const auto& rl = c.spec->process->rlimits;
  for (size_t i = 0; i < rl.size(); ++i) {
    if (!seen.insert(rl[i].type).second) {
      c.Report(Ptr("/process/rlimits", i) + "/type", "process.rlimits[" + std::to_string(i) +
                                                         "].type " + Quote(rl[i].type) + " is listed twice");
    }
  }
}

void RlimitsSoftLeHard(RuleContext& c) {
  if (!c.spec->process) return;
  const auto& rl = c.spec->process->rlimits;
  for (size_t i = 0; i < rl.size(); ++i) {
    if (rl[i].soft > rl[i].hard) {
      c.Report(Ptr("/process/rlimits", i) + "/soft",
               "process.rlimits[" + std::to_string(i) + "] " + rl[i].type + ": soft " +
                   std::to_string(rl[i].soft) + " exceeds hard " + std::to_string(rl[i].hard));
    }
  }
}

void RootRequired(RuleContext& c) {
  if (c.linux_platform() && !c.spec->root) c.Report("", "root is missing: it is REQUIRED on Linux");
}

void MountDestinations(RuleContext& c, Level level) {
  if (!c.linux_platform()) return;
  bool v10 = c.spec->oci_version.rfind("1.0.", 0) == 0;
  if (v10 != (level == Level::kMust)) return;
  for (size_t i = 0; i < c.spec->mounts.size(); ++i) {
    const std::string& d = c.spec->mounts[i].destination;
    if (!d.empty() && !IsAbsolutePosix(d)) {
      c.Report(Ptr("/mounts", i) + "/destination",
               "mounts[" + std::to_string(i) + "].destination " + Quote(d) + " is not an absolute path");
    }
  }
}
void MountDestinationAbsolute(RuleContext& c) { MountDestinations(c, Level::kShould); }
void MountDestinationAbsoluteV10(RuleContext& c) { MountDestinations(c, Level::kMust); }

void MountDestinationNonEmpty(RuleContext& c) {
  for (size_t i = 0; i < c.spec->mounts.size(); ++i) {
    if (c.spec->mounts[i].destination.empty() && c.Present(Ptr("/mounts", i) + "/destination")) {
      c.Report(Ptr("/mounts", i) + "/destination", "mounts[" + std::to_string(i) + "].destination is empty");
    }
  }
}

void CheckHookList(RuleContext& c, const char* name, const std::vector<Hook>& hooks) {
  for (size_t i = 0; i < hooks.size(); ++i) {
    std::string pointer = Ptr(Ptr("/hooks", name), i) + "/path";
    if (c.Present(pointer) && !IsAbsoluteFor(c.options.platform, hooks[i].path)) {
      c.Report(pointer, std::string("hooks.") + name + "[" +
                                                          std::to_string(i) + "].path " +
                                                          Quote(hooks[i].path) + " is not absolute");
    }
  }
}

void HookPathAbsolute(RuleContext& c) {
  if (!c.spec->hooks) return;
  const Hooks& h = *c.spec->hooks;
  CheckHookList(c, "prestart", h.prestart);
  CheckHookList(c, "createRuntime", h.create_runtime);
  CheckHookList(c, "createContainer", h.create_container);
  CheckHookList(c, "startContainer", h.start_container);
  CheckHookList(c, "poststart", h.poststart);
  CheckHookList(c, "poststop", h.poststop);
}

void AnnotationKeyNonEmpty(RuleContext& c) {
  if (c.spec->annotations.count("")) c.Report("/annotations/", "annotations has an empty key");
}

void AnnotationKeyReverseDomain(RuleContext& c) {
  for (const auto& [key, value] : c.spec->annotations) {
    if (!key.empty() && key.find('.') == std::string::npos) {
      c.Report(Ptr("/annotations", key), "annotation key " + Quote(key) +
                                             " is not in reverse domain notation (e.g. com.example.key)");
    }
  }
}

void ForeignSection(RuleContext& c) {
  std::vector<const char*> foreign = {"solaris", "zos"};
  if (c.linux_platform()) foreign.push_back("windows");
  for (const char* section : foreign) {
    if (c.doc.contains(section)) {
      c.Report(Ptr("", section), std::string("the ") + section + " section does not apply to the " +
                                     (c.linux_platform() ? "linux" : "windows") +
                                     " target platform and is ignored");
    }
  }
}

void VmPathsAbsolute(RuleContext& c) {
  if (!c.spec->vm) return;
  const Vm& vm = *c.spec->vm;
  auto check = [&](const std::string& pointer, const std::string& path) {
    if (!IsAbsolutePosix(path) && !IsAbsoluteWindows(path)) {
      c.Report(pointer, "vm path " + Quote(path) + " at " + pointer + " is not absolute");
    }
  };
  if (c.Present("/vm/hypervisor/path")) check("/vm/hypervisor/path", vm.hypervisor->path);
  if (c.Present("/vm/kernel/path")) check("/vm/kernel/path", vm.kernel.path);
  if (vm.kernel.initrd) check("/vm/kernel/initrd", *vm.kernel.initrd);
  if (c.Present("/vm/image/path")) check("/vm/image/path", vm.image->path);
}

constexpr Level kMust = Level::kMust;
constexpr Level kShould = Level::kShould;
constexpr Document kConfig = Document::kConfig;

const Rule kRules[] = {
    {{"config.ociVersion.semver", kMust, "config.md#specification-version: ociVersion MUST be in SemVer v2.0.0 format",
      "ociVersion is a SemVer 2.0.0 version"}, kConfig, OciVersionSemver},
    {{"config.ociVersion.supported", kShould, "config.md#specification-version (runtimes implement 1.0 to 1.3)",
      "ociVersion is 1.0.x to 1.3.x"}, kConfig, OciVersionSupported},
    {{"config.process.required-for-start", kMust, "config.md#process: REQUIRED when start is called; runtime.md#start",
      "process is present when the container will be started"}, kConfig, ProcessForStart},
    {{"config.process.required-for-create", kShould, "config.md#process; runtime.md#start: start errors without process",
      "process is present when the container is created"}, kConfig, ProcessForCreate},
    {{"config.process.cwd.absolute", kMust, "config.md#process: cwd MUST be an absolute path",
      "process.cwd is absolute (Windows paths on windows)"}, kConfig, ProcessCwdAbsolute},
    {{"config.process.args.required", kMust, "config.md#process: args, at least one entry is REQUIRED (non-Windows)",
      "process.args has at least one entry on Linux"}, kConfig, ProcessArgsRequired},
    {{"config.process.env.format", kShould, "config.md#process: env has the semantics of IEEE 1003.1 environ (NAME=value)",
      "process.env entries are KEY=value"}, kConfig, ProcessEnvFormat},
    {{"config.process.user.uid-gid", kMust, "config.md#posix-platform-user: uid and gid are REQUIRED",
      "process.user has uid and gid on Linux"}, kConfig, ProcessUidGid},
    {{"config.process.rlimits.unique", kMust, "config.md#posix-process: duplicated rlimits types MUST generate an error",
      "process.rlimits types are unique"}, kConfig, RlimitsUnique},
    {{"config.process.rlimits.soft-le-hard", kMust, "config.md#posix-process: the runtime MUST error when setrlimit fails (soft > hard is EINVAL)",
      "process.rlimits soft <= hard"}, kConfig, RlimitsSoftLeHard},
    {{"config.root.required", kMust, "config.md#root: REQUIRED on all platforms but Windows",
      "root is present on Linux"}, kConfig, RootRequired},
    {{"config.mounts.destination.absolute", kShould, "config.md#mounts (1.1+): destination SHOULD be an absolute path",
      "mount destinations are absolute (ociVersion 1.1+)"}, kConfig, MountDestinationAbsolute},
    {{"config.mounts.destination.absolute-v1.0", kMust, "config.md#mounts (1.0.x): destination MUST be an absolute path",
      "mount destinations are absolute (ociVersion 1.0.x)"}, kConfig, MountDestinationAbsoluteV10},
    {{"config.mounts.destination.nonempty", kMust, "config.md#mounts: destination is REQUIRED",
      "mount destinations are not empty"}, kConfig, MountDestinationNonEmpty},
    {{"config.hooks.path.absolute", kMust, "config.md#posix-platform-hooks: path MUST be absolute",
      "every hook path is absolute"}, kConfig, HookPathAbsolute},
    {{"config.annotations.key-nonempty", kMust, "config.md#annotations: keys MUST NOT be an empty string",
      "annotation keys are not empty"}, kConfig, AnnotationKeyNonEmpty},
    {{"config.annotations.key-reverse-domain", kShould, "config.md#annotations: keys SHOULD be named in reverse domain notation",
      "annotation keys look like com.example.key"}, kConfig, AnnotationKeyReverseDomain},
    {{"platform.foreign-section", kShould, "config.md#platform-specific-configuration: sections for other platforms are not applied",
      "no section for another platform (windows on linux; solaris, zos)"}, kConfig, ForeignSection},
    {{"config.vm.path.absolute", kMust, "config-vm.md: hypervisor, kernel, initrd and image paths MUST be absolute",
      "vm paths are absolute"}, kConfig, VmPathsAbsolute},
};

}  // namespace

std::span<const Rule> ConfigRules() { return kRules; }

}  // namespace ocispec::internal
