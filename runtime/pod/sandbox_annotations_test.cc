#include "runtime/pod/sandbox_annotations.h"

#include <gtest/gtest.h>

namespace ocirun::pod {
namespace {

using Annotations = std::map<std::string, std::string>;

TEST(SandboxAnnotations, ThreeFormsInOrder) {
  auto cri = ParseSandboxAnnotations(
      {{"io.kubernetes.cri.container-type", "sandbox"}, {"io.kubernetes.cri.sandbox-id", "p1"}});
  EXPECT_EQ(cri.role, PodRole::kSandbox);
  EXPECT_EQ(cri.sandbox_id, "p1");
  auto crio = ParseSandboxAnnotations(
      {{"io.kubernetes.cri-o.ContainerType", "container"}, {"io.kubernetes.cri-o.SandboxID", "p2"}});
  EXPECT_EQ(crio.role, PodRole::kMember);
  EXPECT_EQ(crio.sandbox_id, "p2");
  auto docker = ParseSandboxAnnotations(
      {{"io.kubernetes.docker.type", "podsandbox"}, {"io.kubernetes.sandbox.id", "p3"}});
  EXPECT_EQ(docker.role, PodRole::kSandbox);
  EXPECT_EQ(docker.sandbox_id, "p3");
}

TEST(SandboxAnnotations, FirstNonEmptyTypeWinsEvenWhenItsIdIsMissing) {
  Annotations a = {{"io.kubernetes.cri.container-type", "container"},
                   {"io.kubernetes.cri-o.ContainerType", "sandbox"},
                   {"io.kubernetes.cri-o.SandboxID", "other"}};
  auto p = ParseSandboxAnnotations(a);
  EXPECT_EQ(p.role, PodRole::kMember);
  EXPECT_EQ(p.sandbox_id, "");
  a["io.kubernetes.cri.container-type"] = "";  // empty type: fall through to the next form
  EXPECT_EQ(ParseSandboxAnnotations(a).sandbox_id, "other");
}

TEST(SandboxAnnotations, UnknownTypesAndCriPodsandboxMeanNoPod) {
  EXPECT_EQ(ParseSandboxAnnotations({}).role, PodRole::kNone);
  auto p = ParseSandboxAnnotations(
      {{"io.kubernetes.cri.container-type", "podsandbox"}, {"io.kubernetes.cri.sandbox-id", "x"}});
  EXPECT_EQ(p.role, PodRole::kNone);
  EXPECT_EQ(p.sandbox_id, "");
  EXPECT_EQ(ParseSandboxAnnotations({{"io.kubernetes.docker.type", "container"},
                                     {"io.kubernetes.sandbox.id", "d"}})
                .role,
            PodRole::kMember);
}

SandboxLookup Store(std::map<std::string, SandboxRecord> records) {
  return [records](const std::string& id) -> base::Result<SandboxRecord> {
    auto it = records.find(id);
    if (it == records.end()) return base::NotFound("ID '" + id + "' was not found");
    return it->second;
  };
}

TEST(PlaceInPod, SandboxIdMustMatchItsOwnId) {
  auto r = PlaceInPod("a", {PodRole::kSandbox, "b"}, false, false, "", Store({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("sandbox ID must match ID"), std::string::npos);
}

TEST(PlaceInPod, VmSandboxOwnsANewVm) {
  auto r = PlaceInPod("pod", {PodRole::kSandbox, "pod"}, true, false, "", Store({}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->new_vm);
  EXPECT_EQ(r->host_id, "pod");
  auto proc = PlaceInPod("pod", {PodRole::kSandbox, "pod"}, false, false, "", Store({}));
  ASSERT_TRUE(proc.ok());
  EXPECT_FALSE(proc->new_vm);
  EXPECT_EQ(proc->host_id, "");
}

TEST(PlaceInPod, MemberNeedsAnExistingSandbox) {
  auto r = PlaceInPod("c", {PodRole::kMember, "pod"}, false, false, "", Store({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Code::kNotFound);
  EXPECT_EQ(r.status().message(), "sandbox pod: ID 'pod' was not found");
}

TEST(PlaceInPod, MemberTargetMustBeASandbox) {
  auto r = PlaceInPod("c", {PodRole::kMember, "x"}, false, false, "", Store({{"x", {"x", "", ""}}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "container x is not a sandbox");
}

TEST(PlaceInPod, MemberInheritsTheSandboxVm) {
  auto r = PlaceInPod("c", {PodRole::kMember, "pod"}, true, false, "", Store({{"pod", {"pod", "pod", "pod"}}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->host_id, "pod");
  EXPECT_FALSE(r->new_vm);
}

TEST(PlaceInPod, VmIsolatedMemberOfProcessSandboxIsAnError) {
  auto r = PlaceInPod("c", {PodRole::kMember, "pod"}, true, false, "", Store({{"pod", {"pod", "pod", ""}}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "container pod is not a VM isolated sandbox");
  auto proc = PlaceInPod("c", {PodRole::kMember, "pod"}, false, false, "", Store({{"pod", {"pod", "pod", ""}}}));
  EXPECT_TRUE(proc.ok()) << "a process-isolated member joins a process sandbox";
}

TEST(PlaceInPod, RequestedHostMustAgreeWithTheSandbox) {
  auto store = Store({{"pod", {"pod", "pod", "vm1"}}, {"psb", {"psb", "psb", ""}}});
  auto diff = PlaceInPod("c", {PodRole::kMember, "pod"}, true, false, "vm2", store);
  ASSERT_FALSE(diff.ok());
  EXPECT_EQ(diff.status().message(), "sandbox container pod has a different host vm1 from the requested host vm2");
  auto none = PlaceInPod("c", {PodRole::kMember, "psb"}, true, false, "vm2", store);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(),
            "sandbox container psb is not running in a VM host, but host vm2 was specified");
  EXPECT_TRUE(PlaceInPod("c", {PodRole::kMember, "pod"}, true, false, "vm1", store).ok());
}

TEST(PlaceInPod, LoneLinuxContainerGetsItsOwnVm) {
  auto r = PlaceInPod("l", {}, true, true, "", Store({}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->new_vm);
  auto w = PlaceInPod("w", {}, true, false, "", Store({}));
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE(w->new_vm) << "a lone Windows Hyper-V container gets its VM from the HCS document, not a vmshim";
}

}  // namespace
}  // namespace ocirun::pod
