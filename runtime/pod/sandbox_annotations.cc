#include "runtime/pod/sandbox_annotations.h"

namespace ocirun::pod {
namespace {

std::string Get(const std::map<std::string, std::string>& a, const std::string& key) {
  auto it = a.find(key);
  return it == a.end() ? std::string() : it->second;
}

struct Form {
  const char* type_key;
  const char* id_key;
  const char* sandbox_alias;  // the docker form spells "sandbox" as "podsandbox"
};
constexpr Form kForms[] = {
    {"io.kubernetes.cri.container-type", "io.kubernetes.cri.sandbox-id", nullptr},
    {"io.kubernetes.cri-o.ContainerType", "io.kubernetes.cri-o.SandboxID", nullptr},
    {"io.kubernetes.docker.type", "io.kubernetes.sandbox.id", "podsandbox"},
};

base::Status CheckMemberHost(const SandboxRecord& sb, const std::string& requested, std::string& host) {
  if (host.empty()) {
    host = sb.host_id;
    return base::Status::Ok();
  }
  if (sb.host_id.empty()) {
    return base::FailedPrecondition("sandbox container " + sb.id + " is not running in a VM host, but host " +
                                    requested + " was specified");
  }
  if (host != sb.host_id) {
    return base::FailedPrecondition("sandbox container " + sb.id + " has a different host " + sb.host_id +
                                    " from the requested host " + requested);
  }
  return base::Status::Ok();
}

}  // namespace

SandboxAnnotations ParseSandboxAnnotations(const std::map<std::string, std::string>& annotations) {
  std::string type, id;
  for (const Form& f : kForms) {
    type = Get(annotations, f.type_key);
    if (type.empty()) continue;
    id = Get(annotations, f.id_key);
    if (f.sandbox_alias && type == f.sandbox_alias) type = "sandbox";
    break;
  }
  if (type == "sandbox") return {PodRole::kSandbox, id};
  if (type == "container") return {PodRole::kMember, id};
  return {};
}

base::Result<PodPlacement> PlaceInPod(const std::string& id, const SandboxAnnotations& pod, bool vm_isolated,
                                      bool lcow, const std::string& requested_host, const SandboxLookup& lookup) {
  PodPlacement p{pod.role, pod.sandbox_id, requested_host, false};
  if (pod.role == PodRole::kSandbox && pod.sandbox_id != id) {
    return base::InvalidArgument("sandbox ID must match ID (container " + id + ", sandbox-id annotation \"" +
                                 pod.sandbox_id + "\")");
  }
  if (pod.role == PodRole::kMember && !pod.sandbox_id.empty()) {
    ASSIGN_OR_RETURN_CTX(SandboxRecord sb, lookup(pod.sandbox_id), "sandbox " + pod.sandbox_id);
    if (sb.sandbox_id != pod.sandbox_id) {
      return base::FailedPrecondition("container " + pod.sandbox_id + " is not a sandbox");
    }
    RETURN_IF_ERROR(CheckMemberHost(sb, requested_host, p.host_id));
    if (vm_isolated && p.host_id.empty()) {
      return base::FailedPrecondition("container " + pod.sandbox_id + " is not a VM isolated sandbox");
    }
  }
  if (p.host_id.empty() && vm_isolated && (pod.role == PodRole::kSandbox || lcow)) {
    p.host_id = id;
    p.new_vm = true;
  }
  return p;
}

}  // namespace ocirun::pod
