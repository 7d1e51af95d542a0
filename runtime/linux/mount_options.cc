#include "runtime/linux/mount_options.h"

#include <sys/mount.h>

#include <algorithm>
#include <string>

namespace ocirun::linux {
namespace {

struct Flag {
  const char* name;
  bool clear;
  unsigned long flag;
};

constexpr Flag kFlags[] = {
    {"async", true, MS_SYNCHRONOUS},   {"atime", true, MS_NOATIME},      {"bind", false, MS_BIND},
    {"defaults", false, 0},            {"dev", true, MS_NODEV},          {"diratime", true, MS_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC},    {"exec", true, MS_NOEXEC},        {"iversion", false, MS_I_VERSION},
    {"lazytime", false, MS_LAZYTIME},  {"loud", true, MS_SILENT},        {"mand", false, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},    {"nodev", false, MS_NODEV},       {"nodiratime", false, MS_NODIRATIME},
    {"noexec", false, MS_NOEXEC},      {"noiversion", true, MS_I_VERSION}, {"nolazytime", true, MS_LAZYTIME},
    {"nomand", true, MS_MANDLOCK},     {"norelatime", true, MS_RELATIME}, {"nostrictatime", true, MS_STRICTATIME},
    {"nosuid", false, MS_NOSUID},      {"rbind", false, MS_BIND | MS_REC}, {"relatime", false, MS_RELATIME},
    {"remount", false, MS_REMOUNT},    {"ro", false, MS_RDONLY},         {"rw", true, MS_RDONLY},
    {"silent", false, MS_SILENT},      {"strictatime", false, MS_STRICTATIME}, {"suid", true, MS_NOSUID},
    {"sync", false, MS_SYNCHRONOUS},
};

struct Propagation {
  const char* name;
  unsigned long flag;
};
constexpr Propagation kPropagations[] = {
    {"private", MS_PRIVATE},         {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},           {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},             {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE},   {"runbindable", MS_UNBINDABLE | MS_REC},
};

// Accepted and ignored (their features need idmapped mounts or copy-up we do not do).
constexpr const char* kIgnored[] = {"tmpcopyup", "rro", "rrw", "rnosuid", "rnodev", "rnoexec"};

}  // namespace

MountOptions ParseMountOptions(const std::vector<std::string>& options) {
  MountOptions out;
  for (const std::string& o : options) {
    bool known = false;
    for (const Flag& f : kFlags) {
      if (o != f.name) continue;
      known = true;
      if (f.clear) {
        out.flags &= ~f.flag;
      } else {
        out.flags |= f.flag;
      }
      if (o == "bind" || o == "rbind") out.bind = true;
      if (o == "rbind") out.recursive = true;
    }
    for (const Propagation& p : kPropagations) {
      if (o != p.name) continue;
      known = true;
      out.propagation = p.flag;
      out.propagations.push_back(p.flag);
    }
    for (const char* ignored : kIgnored) known = known || o == ignored;
    if (!known) out.data += (out.data.empty() ? "" : ",") + o;
  }
  return out;
}

std::vector<std::string> KnownMountOptions() {
  std::vector<std::string> names;
  for (const Flag& f : kFlags) names.push_back(f.name);
  for (const Propagation& p : kPropagations) names.push_back(p.name);
  return names;
}

std::string UnescapeMountField(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      std::string oct(s.substr(i + 1, 3));
      if (std::all_of(oct.begin(), oct.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        out.push_back(static_cast<char>(std::stoi(oct, nullptr, 8)));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace ocirun::linux
