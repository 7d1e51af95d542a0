#include "specs/parse.h"

#include <gtest/gtest.h>

namespace ocispec {
namespace {

constexpr const char* kRuncDefault = R"({
  "ociVersion": "1.0.2-dev",
  "process": {
    "terminal": true,
    "user": {"uid": 0, "gid": 0},
    "args": ["sh"],
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
    "cwd": "/",
    "capabilities": {"bounding": ["CAP_AUDIT_WRITE", "CAP_KILL"], "permitted": ["CAP_KILL"]},
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
    "noNewPrivileges": true
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "runc",
  "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
             {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
              "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}],
  "linux": {
    "resources": {"devices": [{"allow": false, "access": "rwm"}]},
    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "mount"}],
    "maskedPaths": ["/proc/acpi"],
    "readonlyPaths": ["/proc/bus"]
  }
})";

TEST(ParseConfig, RuncDefaultIntoModel) {
  auto spec = ParseConfig(kRuncDefault);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->oci_version, "1.0.2-dev");
  ASSERT_TRUE(spec->process.has_value());
  EXPECT_EQ(spec->process->args, std::vector<std::string>{"sh"});
  EXPECT_EQ(spec->process->user.uid, 0u);
  EXPECT_EQ(spec->process->rlimits.at(0).hard, 1024u);
  EXPECT_EQ(spec->process->capabilities->permitted.at(0), "CAP_KILL");
  EXPECT_EQ(spec->root->path, "rootfs");
  EXPECT_EQ(spec->mounts.at(1).options.size(), 4u);
  ASSERT_TRUE(spec->linux.has_value());
  EXPECT_EQ(spec->linux->namespaces.at(2).type, "mount");
  EXPECT_FALSE(spec->linux->resources->devices.at(0).allow);
  EXPECT_FALSE(spec->windows.has_value());
}

TEST(ParseConfig, RoundTripsKnownAndUnknownProperties) {
  auto doc = nlohmann::json::parse(kRuncDefault);
  doc["x-vendor"] = {{"a", 1}};
  doc["process"]["user"]["futureField"] = "kept";
  doc["linux"]["resources"]["memory"] = {{"limit", -1}, {"someNewKnob", true}};
  doc["solaris"] = {{"milestone", "svc:/milestone/container:default"}};
  auto spec = ParseConfig(doc.dump());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->process->user.extra["futureField"], "kept");
  EXPECT_EQ(ToJson(*spec), doc);
}

TEST(ParseConfig, WindowsSectionAndVm) {
  const char* text = R"({"ociVersion": "1.1.0", "process": {"cwd": "C:\\", "args": ["cmd"],
    "user": {"username": "ContainerUser"}, "commandLine": "cmd /c echo"},
    "windows": {"layerFolders": ["C:\\layers\\base", "C:\\layers\\scratch"],
      "resources": {"memory": {"limit": 2147483648}, "cpu": {"count": 2, "affinity": [{"mask": 3, "group": 0}]},
                    "storage": {"iops": 100, "sandboxSize": 21474836480}},
      "hyperv": {"utilityVMPath": "C:\\uvm"}, "credentialSpec": {"any": ["thing"]},
      "network": {"endpointList": ["e1"], "allowUnqualifiedDNSQuery": true, "DNSSearchList": ["a.b"]}},
    "vm": {"kernel": {"path": "/k", "parameters": ["quiet"]}, "image": {"path": "/i", "format": "raw"}}})";
  auto spec = ParseConfig(text);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  const Windows& w = *spec->windows;
  EXPECT_EQ(w.layer_folders.size(), 2u);
  EXPECT_EQ(*w.resources->memory->limit, 2147483648u);
  EXPECT_EQ(*w.resources->cpu->count, 2u);
  EXPECT_EQ(w.resources->cpu->affinity.at(0).mask, 3u);
  EXPECT_EQ(*w.hyperv->utility_vm_path, "C:\\uvm");
  EXPECT_EQ(w.network->dns_search_list.at(0), "a.b");
  EXPECT_EQ(*spec->process->user.username, "ContainerUser");
  EXPECT_FALSE(spec->process->user.uid.has_value());
  EXPECT_EQ(spec->vm->kernel.parameters.at(0), "quiet");
  EXPECT_EQ(ToJson(*spec), nlohmann::json::parse(text));
}

TEST(ParseConfig, TypeErrorNamesPointerLineAndColumn) {
  const char* text = "{\n  \"ociVersion\": \"1.0.0\",\n  \"process\": {\n    \"cwd\": \"/\",\n"
                     "    \"user\": {\n      \"gid\": 0,\n      \"uid\": \"root\"\n    }\n  }\n}";
  std::vector<ParseIssue> issues;
  auto spec = ParseConfig(text, &issues);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), base::Code::kInvalidArgument);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].pointer, "/process/user/uid");
  EXPECT_EQ(issues[0].line, 7);
  EXPECT_EQ(issues[0].column, 14);
  EXPECT_NE(spec.status().message().find(
                "/process/user/uid (line 7, column 14): expected unsigned integer, got string"),
            std::string::npos)
      << spec.status().message();
}

TEST(ParseConfig, CollectsEveryIssue) {
  const char* text = R"({"ociVersion": 1, "mounts": [{"destination": "/a"}, {"destination": 5}],
    "process": {"user": {"uid": -1}, "oomScoreAdj": 1.5}, "linux": {"namespaces": "pid"}})";
  std::vector<ParseIssue> issues;
  ASSERT_FALSE(ParseConfig(text, &issues).ok());
  std::vector<std::string> pointers;
  for (const auto& i : issues) pointers.push_back(i.pointer);
  EXPECT_EQ(pointers, (std::vector<std::string>{"/ociVersion", "/process/user/uid",
                                                "/process/oomScoreAdj", "/mounts/1/destination",
                                                "/linux/namespaces"}));
  EXPECT_NE(issues[1].message.find("out of range"), std::string::npos) << issues[1].message;
  EXPECT_EQ(issues[2].message, "expected integer, got number 1.5");
}

TEST(ParseConfig, SyntaxErrorHasLineAndColumn) {
  std::vector<ParseIssue> issues;
  auto spec = ParseConfig("{\n  \"ociVersion\": \"1.0.0\",\n  }", &issues);
  ASSERT_FALSE(spec.ok());
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].line, 3);
  EXPECT_NE(issues[0].message.find("syntax error"), std::string::npos) << issues[0].message;
}

TEST(ParseConfig, RejectsDeepNestingWithoutRecursing) {
  std::string deep = R"({"ociVersion": "1.0.0", "x": )" + std::string(100000, '[') +
                     std::string(100000, ']') + "}";
  std::vector<ParseIssue> issues;
  auto spec = ParseConfig(deep, &issues);
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("nesting deeper than 128"), std::string::npos);
  EXPECT_EQ(issues.at(0).column, 29 + 128);  // the brace is level 1, the 128th bracket level 129
}

TEST(ParseConfig, DeepValueRejectedToo) {
  nlohmann::json v = nlohmann::json::array();
  for (int i = 0; i < 200; ++i) v = nlohmann::json::array({v});
  auto spec = ConfigFromJson({{"ociVersion", "1.0.0"}, {"x", v}});
  EXPECT_FALSE(spec.ok());
}

TEST(ParseConfigFile, MissingFileIsNotFound) {
  auto spec = ParseConfigFile("/nonexistent/config.json");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), base::Code::kNotFound);
  EXPECT_NE(spec.status().message().find("/nonexistent/config.json"), std::string::npos);
}

TEST(ParseState, RequiredFieldsAndExtras) {
  auto st = ParseState(R"({"ociVersion": "1.0.2", "id": "c1", "status": "running", "pid": 42,
    "bundle": "/b", "rootfs": "/b/rootfs", "created": "2026-01-01T00:00:00Z", "owner": ""})");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->id, "c1");
  EXPECT_EQ(*st->pid, 42);
  EXPECT_EQ(st->extra["rootfs"], "/b/rootfs");
  EXPECT_EQ(ToJson(*st)["created"], "2026-01-01T00:00:00Z");
}

TEST(ParseFeatures, RuncLikeDocument) {
  auto f = ParseFeatures(R"({"ociVersionMin": "1.0.0", "ociVersionMax": "1.1.0",
    "hooks": ["prestart", "poststop"], "mountOptions": ["ro"],
    "linux": {"namespaces": ["pid"], "cgroup": {"v1": true, "v2": true, "systemd": true},
              "seccomp": {"enabled": true, "actions": ["SCMP_ACT_KILL"]}, "apparmor": {"enabled": true},
              "mountExtensions": {"idmap": {"enabled": false}}},
    "annotations": {"org.opencontainers.runc.version": "1.1.5"}})");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->oci_version_max, "1.1.0");
  EXPECT_TRUE(*f->linux->cgroup->v2);
  EXPECT_FALSE(*f->linux->mount_extensions->idmap->enabled);
  EXPECT_EQ(f->annotations.at("org.opencontainers.runc.version"), "1.1.5");
}

TEST(ParseLinuxResources, UpdateDocument) {
  auto r = ParseLinuxResources(R"({"memory": {"limit": 104857600, "swap": -1},
    "cpu": {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0-1"}, "pids": {"limit": 64},
    "blockIO": {"weight": 500, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}]},
    "unified": {"memory.high": "max"}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r->memory->limit, 104857600);
  EXPECT_EQ(*r->memory->swap, -1);
  EXPECT_EQ(*r->cpu->quota, 50000);
  EXPECT_EQ(r->pids->limit, 64);
  EXPECT_EQ(r->block_io->throttle_read_bps_device.at(0).rate, 1048576u);
  EXPECT_EQ(r->unified.at("memory.high"), "max");
  auto bad = ParseLinuxResources(R"({"cpu": {"shares": "many"}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("/cpu/shares"), std::string::npos);
}

TEST(ParseProcess, ExecDocument) {
  auto p = ParseProcess(R"({"args": ["ls", "-l"], "cwd": "/tmp", "env": ["A=b"],
    "user": {"uid": 1000, "gid": 1000, "additionalGids": [5, 6]}, "terminal": false})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->args.size(), 2u);
  EXPECT_EQ(p->user.additional_gids, (std::vector<uint32_t>{5, 6}));
  EXPECT_FALSE(*p->terminal);
  EXPECT_FALSE(ParseProcess("[1]").ok());
}

}  // namespace
}  // namespace ocispec
