#include "runtime/pod/pod_policy.h"

#include "runtime/pod/windows_builds.h"

namespace ocirun::pod {
namespace {

constexpr std::string_view kNoteLinuxPod = "Supports true multi-container pods.";
constexpr std::string_view kNoteWindowsPod =
    "Supports true multi-container pods if each workload container OS matches the utility VM OS.";
constexpr std::string_view kNotePartial =
    "Supports pod sandboxes that can support a single process-isolated container per utility VM if the "
    "container OS matches the utility VM OS.";
constexpr std::string_view kNoteBeforeRS5 = "pod support is not available on Windows versions previous to RS5";
constexpr std::string_view kNoteClientProcess = "Windows 10 hosts only support Hyper-V isolation";
constexpr std::string_view kNoteLinuxProcess = "Linux containers run only Hyper-V isolated (in a utility VM)";

base::Status Refuse(std::string message) { return base::FailedPrecondition(std::move(message)); }

base::Status CheckLinux(const Host& host, Isolation isolation) {
  if (isolation != Isolation::kHyperV) {
    return Refuse("Linux containers need Hyper-V isolation on Windows (" + std::string(kNoteLinuxProcess) + ")");
  }
  if (host.build < kRS5) {
    return Refuse("Linux containers in a utility VM need " + DescribeBuild(kRS5) + " or later, host is " +
                  DescribeBuild(host.build));
  }
  return base::Status::Ok();
}

base::Status CheckWindowsProcess(const Host& host, uint32_t container_build) {
  if (host.edition == HostEdition::kClient) {
    return Refuse("process isolation is not available on a Windows client host (" + std::string(kNoteClientProcess) +
                  "); use Hyper-V isolation");
  }
  const uint32_t anchor = LtscAnchor(host.build);
  if (anchor == 0) {
    if (container_build == host.build) return base::Status::Ok();
    return Refuse("process isolation needs the container build to equal the host build before " +
                  DescribeBuild(kLTSC2022) + ": container " + DescribeBuild(container_build) + ", host " +
                  DescribeBuild(host.build) + "; use Hyper-V isolation");
  }
  if (container_build >= anchor && container_build <= host.build) return base::Status::Ok();
  return Refuse("process isolation on host " + DescribeBuild(host.build) + " runs container builds " +
                DescribeBuild(anchor) + " to " + DescribeBuild(host.build) + ", not " +
                DescribeBuild(container_build) + "; use Hyper-V isolation");
}

base::Status CheckWindowsHyperV(const Host& host, uint32_t container_build) {
  if (container_build <= host.build) return base::Status::Ok();
  return Refuse("Hyper-V isolation runs container builds up to the host's: container " +
                DescribeBuild(container_build) + " is newer than host " + DescribeBuild(host.build));
}

base::Status CheckMember(const Workload& w, PodSupport support) {
  const SandboxFacts& sb = w.sandbox;
  if (sb.os != w.os) {
    return Refuse("a " + std::string(Name(w.os)) + " container cannot join a " + std::string(Name(sb.os)) +
                  " sandbox");
  }
  if (w.isolation == Isolation::kHyperV && sb.isolation == Isolation::kProcess) {
    return Refuse("a Hyper-V isolated container cannot join a process-isolated sandbox");
  }
  const uint32_t mine = w.container_build ? w.container_build : w.host.build;
  const uint32_t theirs = sb.container_build ? sb.container_build : w.host.build;
  if (w.os == ContainerOs::kWindows && sb.isolation == Isolation::kHyperV && mine != theirs) {
    return Refuse("pod member container " + DescribeBuild(mine) + " does not match the sandbox utility VM " +
                  DescribeBuild(theirs) + " (each workload container OS must match the utility VM OS)");
  }
  if (support == PodSupport::kPartial && sb.members >= 1) {
    return Refuse("host " + DescribeBuild(w.host.build) +
                  " has Partial pod support: one workload container per utility VM, and this sandbox has " +
                  std::to_string(sb.members));
  }
  return base::Status::Ok();
}

}  // namespace

std::string_view Name(HostEdition e) { return e == HostEdition::kServer ? "server" : "client"; }
std::string_view Name(ContainerOs os) { return os == ContainerOs::kWindows ? "windows" : "linux"; }
std::string_view Name(Isolation i) { return i == Isolation::kProcess ? "process" : "hyperv"; }
std::string_view Name(PodSupport s) {
  switch (s) {
    case PodSupport::kYes: return "Yes";
    case PodSupport::kPartial: return "Partial";
    case PodSupport::kNo: return "No";
  }
  return "No";
}

PodSupportCell PodSupportFor(const Host& host, ContainerOs os, Isolation isolation) {
  if (os == ContainerOs::kLinux) {
    if (isolation == Isolation::kProcess) return {PodSupport::kNo, std::string(kNoteLinuxProcess)};
    if (host.build < kRS5) return {PodSupport::kNo, std::string(kNoteBeforeRS5)};
    return {PodSupport::kYes, std::string(kNoteLinuxPod)};
  }
  if (host.build < kRS5) {
    if (isolation == Isolation::kHyperV) return {PodSupport::kPartial, std::string(kNotePartial)};
    return {PodSupport::kNo, std::string(kNoteBeforeRS5)};
  }
  if (isolation == Isolation::kProcess && host.edition == HostEdition::kClient) {
    return {PodSupport::kNo, std::string(kNoteClientProcess)};
  }
  return {PodSupport::kYes, std::string(kNoteWindowsPod)};
}

base::Status CheckIsolation(const Host& host, ContainerOs os, uint32_t container_build, Isolation isolation) {
  if (host.build < kRS1) {
    return Refuse("host " + DescribeBuild(host.build) + " is older than " + DescribeBuild(kRS1) +
                  ", the first build with Windows containers");
  }
  if (os == ContainerOs::kLinux) return CheckLinux(host, isolation);
  const uint32_t build = container_build ? container_build : host.build;
  if (isolation == Isolation::kProcess) return CheckWindowsProcess(host, build);
  return CheckWindowsHyperV(host, build);
}

base::Status CheckWorkload(const Workload& w) {
  RETURN_IF_ERROR(CheckIsolation(w.host, w.os, w.container_build, w.isolation));
  if (w.role == PodRole::kNone) return base::Status::Ok();
  PodSupportCell cell = PodSupportFor(w.host, w.os, w.isolation);
  if (cell.support == PodSupport::kNo) {
    return Refuse("pods of " + std::string(Name(w.os)) + " containers in " + std::string(Name(w.isolation)) +
                  " isolation are not supported on " + std::string(Name(w.host.edition)) + " host " +
                  DescribeBuild(w.host.build) + ": " + cell.note);
  }
  if (w.role == PodRole::kSandbox) return base::Status::Ok();
  return CheckMember(w, cell.support);
}

}  // namespace ocirun::pod
