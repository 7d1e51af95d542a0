#include "runtime/linux/seccomp.h"

#include <seccomp.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ocirun::linux {
namespace {

constexpr const char kField[] = "linux.seccomp";

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

base::Status Invalid(const std::string& field, const std::string& what) {
  return base::InvalidArgument(field + ": " + what);
}

// runc's default errno for SCMP_ACT_ERRNO and SCMP_ACT_TRACE without errnoRet.
constexpr uint32_t kDefaultErrno = EPERM;

base::Result<uint32_t> Action(const std::string& name, std::optional<uint32_t> errno_ret,
                              const std::string& field) {
  uint32_t ret = errno_ret.value_or(kDefaultErrno);
  if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (name == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (name == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (name == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(ret);
  if (name == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(ret);
  if (name == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (name == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  if (name == "SCMP_ACT_NOTIFY") {
    return base::Unimplemented(field + ": SCMP_ACT_NOTIFY needs a seccomp agent (listenerPath), which this ocirun "
                               "build does not support");
  }
  return Invalid(field, "unknown action " + Quote(name));
}

base::Result<scmp_compare> Operator(const std::string& name, const std::string& field) {
  static const std::map<std::string, scmp_compare> kOps = {
      {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
      {"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ}};
  auto it = kOps.find(name);
  if (it == kOps.end()) return Invalid(field, "unknown operator " + Quote(name));
  return it->second;
}

constexpr std::string_view kArchPrefix = "SCMP_ARCH_";

// libseccomp's token for "SCMP_ARCH_X86_64" ("x86_64"), 0 when it knows none.
uint32_t ResolveArchitecture(const std::string& name) {
  if (name.rfind(kArchPrefix, 0) != 0) return 0;
  std::string lower = name.substr(kArchPrefix.size());
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return seccomp_arch_resolve_name(lower.c_str());
}

base::Result<uint32_t> Architecture(const std::string& name, const std::string& field) {
  if (uint32_t arch = ResolveArchitecture(name); arch != 0) return arch;
  return Invalid(field, "unknown architecture " + Quote(name));
}

base::Status Attribute(scmp_filter_ctx ctx, scmp_filter_attr attr, uint32_t value, const std::string& what) {
  int rc = seccomp_attr_set(ctx, attr, value);
  if (rc != 0) return base::ErrnoError(std::string(kField) + ": " + what, -rc);
  return base::Status::Ok();
}

base::Status Flag(scmp_filter_ctx ctx, const std::string& flag, const std::string& field) {
  if (flag == "SECCOMP_FILTER_FLAG_TSYNC") return Attribute(ctx, SCMP_FLTATR_CTL_TSYNC, 1, "flag TSYNC");
  if (flag == "SECCOMP_FILTER_FLAG_LOG") return Attribute(ctx, SCMP_FLTATR_CTL_LOG, 1, "flag LOG");
  if (flag == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") return Attribute(ctx, SCMP_FLTATR_CTL_SSB, 1, "flag SPEC_ALLOW");
  return Invalid(field, "unsupported flag " + Quote(flag));
}

// The conditions of one syscall entry, grouped as runc does: all in one rule when every argument
// index appears once (AND), else one rule per condition (OR).
base::Result<std::vector<std::vector<scmp_arg_cmp>>> Conditions(const ocispec::SeccompSyscall& call,
                                                                const std::string& field) {
  std::vector<scmp_arg_cmp> all;
  std::set<uint32_t> indexes;
  bool repeated = false;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const ocispec::SeccompArg& a = call.args[i];
    std::string arg_field = field + ".args[" + std::to_string(i) + "]";
    if (a.index > 5) return Invalid(arg_field + ".index", "a syscall has 6 arguments (0..5), got " + std::to_string(a.index));
    ASSIGN_OR_RETURN(scmp_compare op, Operator(a.op, arg_field + ".op"));
    scmp_arg_cmp cmp{};
    cmp.arg = a.index;
    cmp.op = op;
    cmp.datum_a = a.value;
    cmp.datum_b = a.value_two.value_or(0);
    all.push_back(cmp);
    repeated |= !indexes.insert(a.index).second;
  }
  std::vector<std::vector<scmp_arg_cmp>> rules;
  if (!repeated) {
    rules.push_back(std::move(all));
  } else {
    for (const scmp_arg_cmp& cmp : all) rules.push_back({cmp});
  }
  return rules;
}

}  // namespace

void SeccompContextDeleter::operator()(void* ctx) const { seccomp_release(static_cast<scmp_filter_ctx>(ctx)); }

base::Result<SeccompFilter> CompileSeccomp(const ocispec::Seccomp& profile) {
  ASSIGN_OR_RETURN(uint32_t default_action,
                   Action(profile.default_action, profile.default_errno_ret, std::string(kField) + ".defaultAction"));
  SeccompFilter filter(seccomp_init(default_action));
  if (!filter) return base::Internal(std::string(kField) + ": seccomp_init failed");
  scmp_filter_ctx ctx = filter.get();
  // no_new_privs is process.noNewPrivileges' business, not the filter's (libseccomp sets it by default).
  RETURN_IF_ERROR(Attribute(ctx, SCMP_FLTATR_CTL_NNP, 0, "clear the no_new_privs attribute"));
  for (size_t i = 0; i < profile.architectures.size(); ++i) {
    std::string field = std::string(kField) + ".architectures[" + std::to_string(i) + "]";
    ASSIGN_OR_RETURN(uint32_t arch, Architecture(profile.architectures[i], field));
    int rc = seccomp_arch_add(ctx, arch);
    // -EDOM: the other endianness, which cannot share a filter with the native one (and whose
    // binaries cannot run on this host anyway): skipped, like an unknown syscall name.
    if (rc != 0 && rc != -EEXIST && rc != -EDOM) return base::ErrnoError(field + ": add " + profile.architectures[i], -rc);
  }
  for (size_t i = 0; i < profile.flags.size(); ++i) {
    RETURN_IF_ERROR(Flag(ctx, profile.flags[i], std::string(kField) + ".flags[" + std::to_string(i) + "]"));
  }
  for (size_t i = 0; i < profile.syscalls.size(); ++i) {
    const ocispec::SeccompSyscall& call = profile.syscalls[i];
    std::string field = std::string(kField) + ".syscalls[" + std::to_string(i) + "]";
    ASSIGN_OR_RETURN(uint32_t action, Action(call.action, call.errno_ret, field + ".action"));
    ASSIGN_OR_RETURN(auto rules, Conditions(call, field));
    if (action == default_action) continue;  // libseccomp refuses it; the default already applies
    for (const std::string& name : call.names) {
      int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) continue;  // a syscall this libseccomp does not know: skipped, as runc
      for (const auto& conds : rules) {
        int rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(conds.size()),
                                        conds.empty() ? nullptr : conds.data());
        if (rc != 0) return base::ErrnoError(field + ": add the rule for " + Quote(name), -rc);
      }
    }
  }
  return filter;
}

base::Status LoadSeccomp(const SeccompFilter& filter) {
  int rc = seccomp_load(static_cast<scmp_filter_ctx>(filter.get()));
  if (rc != 0) return base::ErrnoError("load the seccomp filter", -rc);
  return base::Status::Ok();
}

std::vector<std::string> SeccompActions() {
  return {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO",        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
          "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"};
}

std::vector<std::string> SeccompArchitectures() {
  std::vector<std::string> out;
  for (const char* a : {"X86", "X86_64", "X32", "ARM", "AARCH64", "MIPS", "MIPS64", "MIPS64N32", "MIPSEL",
                        "MIPSEL64", "MIPSEL64N32", "PPC", "PPC64", "PPC64LE", "S390", "S390X", "PARISC",
                        "PARISC64", "RISCV64"}) {
    std::string name = std::string(kArchPrefix) + a;
    if (ResolveArchitecture(name) != 0) out.push_back(std::move(name));
  }
  return out;
}

std::vector<std::string> SeccompOperators() {
  return {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ",
          "SCMP_CMP_NE"};
}

std::vector<std::string> SeccompFlags() {
  return {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"};
}

}  // namespace ocirun::linux
