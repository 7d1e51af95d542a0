// Google Benchmark: parse and validate of a small, a typical (`runc spec` default) and a large
// (hundreds of mounts and env entries) config. items_per_second is configs per second.
#include <string>

#include <benchmark/benchmark.h>

#include "specs/parse.h"
#include "specs/validate.h"

namespace {

using json = nlohmann::json;

json Small() {
  return json::parse(R"({"ociVersion": "1.2.0", "process": {"user": {"uid": 0, "gid": 0}, "args": ["/bin/true"],
    "cwd": "/"}, "root": {"path": "rootfs"}, "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}})");
}

json Typical() {
  return json::parse(R"({"ociVersion": "1.0.2-dev", "process": {"terminal": true, "user": {"uid": 0, "gid": 0},
    "args": ["sh"], "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
    "cwd": "/", "capabilities": {"bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
    "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
    "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
    "ambient": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]},
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}], "noNewPrivileges": true},
    "root": {"path": "rootfs", "readonly": true}, "hostname": "runc",
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
      {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
      {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
      {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
      {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
      {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
      {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}],
    "linux": {"resources": {"devices": [{"allow": false, "access": "rwm"}]},
      "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}],
      "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
      "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]}})");
}

json Large() {
  json c = Typical();
  for (int i = 0; i < 500; ++i) {
    c["mounts"].push_back({{"destination", "/data/volume-" + std::to_string(i)}, {"type", "bind"},
                           {"source", "/srv/volumes/" + std::to_string(i)}, {"options", {"rbind", "ro", "nosuid"}}});
    c["process"]["env"].push_back("VARIABLE_" + std::to_string(i) + "=value-" + std::to_string(i));
  }
  return c;
}

std::string Text(int which) {
  json c = which == 0 ? Small() : which == 1 ? Typical() : Large();
  return c.dump(2);
}

void BM_ParseConfig(benchmark::State& state) {
  std::string text = Text(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto spec = ocispec::ParseConfig(text);
    if (!spec.ok()) state.SkipWithError(spec.status().message().c_str());
    benchmark::DoNotOptimize(spec);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}

void BM_ValidateConfig(benchmark::State& state) {
  std::string text = Text(static_cast<int>(state.range(0)));
  ocispec::ValidateOptions options;
  options.stage = ocispec::Stage::kStart;
  for (auto _ : state) {
    auto findings = ocispec::ValidateText(text, options);
    if (!ocispec::IsValid(findings)) state.SkipWithError("benchmark config is invalid");
    benchmark::DoNotOptimize(findings);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("config");  // 0 small, 1 typical (runc spec), 2 large (500 mounts + 500 env)
  b->Arg(0)->Arg(1)->Arg(2);
}

BENCHMARK(BM_ParseConfig)->Apply(Sizes);
BENCHMARK(BM_ValidateConfig)->Apply(Sizes);

}  // namespace

BENCHMARK_MAIN();
