// FakeCgroupOs: an in-memory CgroupOs for unit tests. Files and directories live in maps; every
// mutating call is recorded in order ("write /x/memory.limit_in_bytes 100", "mkdir /x", "rmdir /x",
// "kill 42 9"); scripted read sequences simulate files the kernel changes (freezer.state).
#pragma once

#include <cerrno>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "runtime/linux/cgroup.h"

namespace ocirun::linux {

class FakeCgroupOs : public CgroupOs {
 public:
  std::map<std::string, std::string> files;
  std::set<std::string> dirs;
  // Successive values returned by Read(path) before falling back to `files` (last one sticks).
  std::map<std::string, std::deque<std::string>> scripted;
  // Writes to these paths fail with the given errno.
  std::map<std::string, int> write_errno;
  // rmdir of these paths fails with EBUSY this many times.
  std::map<std::string, int> busy;
  std::vector<std::string> calls;
  int sleeps = 0;

  // Adds a file (and its parent directories).
  void AddFile(const std::string& path, std::string value = "") {
    files[path] = std::move(value);
    AddDir(path.substr(0, path.rfind('/')));
  }
  void AddDir(std::string path) {
    while (!path.empty() && path != "/") {
      dirs.insert(path);
      path = path.substr(0, path.rfind('/'));
    }
  }
  std::vector<std::string> CallsStarting(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const std::string& c : calls)
      if (c.rfind(prefix, 0) == 0) out.push_back(c);
    return out;
  }

  base::Result<std::string> Read(const std::string& path) override {
    auto s = scripted.find(path);
    if (s != scripted.end() && !s->second.empty()) {
      std::string v = s->second.front();
      if (s->second.size() > 1) s->second.pop_front();
      return v;
    }
    auto it = files.find(path);
    if (it == files.end()) return base::ErrnoError("open " + path, ENOENT);
    return it->second;
  }
  base::Status Write(const std::string& path, std::string_view data) override {
    calls.push_back("write " + path + " " + std::string(data));
    auto err = write_errno.find(path);
    if (err != write_errno.end()) return base::ErrnoError("write " + path, err->second);
    if (!files.count(path)) return base::ErrnoError("open " + path, ENOENT);
    files[path] = std::string(data);
    return base::Status::Ok();
  }
  bool Exists(const std::string& path) override { return files.count(path) || dirs.count(path); }
  base::Status MakeDir(const std::string& path) override {
    calls.push_back("mkdir " + path);
    if (dirs.count(path)) return base::ErrnoError("mkdir " + path, EEXIST);
    std::string parent = path.substr(0, path.rfind('/'));
    if (!dirs.count(parent)) return base::ErrnoError("mkdir " + path, ENOENT);
    dirs.insert(path);
    // Like cgroupfs: the new directory gets the parent's control files, empty (as a new v1 cpuset
    // is), except the state files the kernel initialises.
    std::vector<std::string> names;
    for (const auto& [file, value] : files)
      if (file.rfind(parent + "/", 0) == 0 && file.find('/', parent.size() + 1) == std::string::npos)
        names.push_back(file.substr(parent.size() + 1));
    for (const std::string& name : names) {
      std::string init = name == "freezer.state" ? "THAWED\n"
                         : name == "cgroup.events" ? "populated 0\nfrozen 0\n" : "";
      files[path + "/" + name] = init;
    }
    return base::Status::Ok();
  }
  base::Status RemoveDir(const std::string& path) override {
    calls.push_back("rmdir " + path);
    if (!dirs.count(path)) return base::ErrnoError("rmdir " + path, ENOENT);
    if (busy[path] > 0) {
      --busy[path];
      return base::ErrnoError("rmdir " + path, EBUSY);
    }
    dirs.erase(path);
    for (auto it = files.begin(); it != files.end();)
      it = it->first.rfind(path + "/", 0) == 0 ? files.erase(it) : std::next(it);
    return base::Status::Ok();
  }
  base::Result<std::vector<std::string>> SubDirs(const std::string& path) override {
    if (!dirs.count(path)) return base::ErrnoError("opendir " + path, ENOENT);
    std::vector<std::string> out;
    for (const std::string& d : dirs)
      if (d.rfind(path + "/", 0) == 0 && d.find('/', path.size() + 1) == std::string::npos)
        out.push_back(d.substr(path.size() + 1));
    return out;
  }
  base::Status Kill(pid_t pid, int signo) override {
    calls.push_back("kill " + std::to_string(pid) + " " + std::to_string(signo));
    return base::Status::Ok();
  }
  void Sleep(std::chrono::microseconds) override { ++sleeps; }
};

}  // namespace ocirun::linux
