#include "runtime/container/exec_process.h"

#include <charconv>

#include "base/file.h"

namespace ocirun {
namespace {

base::Result<nlohmann::json> ReadProcessFile(const std::string& path) {
  ASSIGN_OR_RETURN_CTX(std::string text, base::ReadFile(path), "exec --process");
  nlohmann::json p = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (p.is_discarded() || !p.is_object()) {
    return base::InvalidArgument("exec --process " + path + ": not a JSON object");
  }
  if (!p.contains("args") || !p["args"].is_array() || p["args"].empty()) {
    return base::InvalidArgument("exec --process " + path + ": process.args must not be empty");
  }
  return p;
}

base::Result<unsigned> ParseId(const std::string& text, const char* what) {
  unsigned v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return base::InvalidArgument(std::string("exec --user: invalid ") + what + " \"" + text + "\"");
  }
  return v;
}

base::Status ApplyUser(const std::string& user, const std::string& username, nlohmann::json& p) {
  if (!username.empty()) p["user"]["username"] = username;
  if (user.empty()) return base::Status::Ok();
  size_t colon = user.find(':');
  ASSIGN_OR_RETURN(unsigned uid, ParseId(user.substr(0, colon), "uid"));
  p["user"]["uid"] = uid;
  p["user"]["gid"] = 0;
  if (colon != std::string::npos) {
    ASSIGN_OR_RETURN(unsigned gid, ParseId(user.substr(colon + 1), "gid"));
    p["user"]["gid"] = gid;
  }
  return base::Status::Ok();
}

void AddCaps(const std::vector<std::string>& caps, nlohmann::json& p) {
  for (const char* set : {"bounding", "effective", "permitted", "inheritable", "ambient"}) {
    if (std::string(set) == "ambient" || std::string(set) == "inheritable") continue;  // as runc
    nlohmann::json& list = p["capabilities"][set];
    if (!list.is_array()) list = nlohmann::json::array();
    for (const std::string& c : caps) {
      std::string name = c.rfind("CAP_", 0) == 0 ? c : "CAP_" + c;
      if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
    }
  }
}

}  // namespace

base::Result<nlohmann::json> BuildExecProcess(const ExecFlags& f, const nlohmann::json& config_process) {
  if (!f.process_file.empty()) return ReadProcessFile(f.process_file);
  if (f.args.empty()) return base::InvalidArgument("exec: arguments must contain at least the command");
  nlohmann::json p = config_process.is_object() ? config_process : nlohmann::json::object();
  p["args"] = f.args;
  // The config's commandLine (Windows) is the init's command: it would take precedence over the
  // exec's args in the HCS process document.
  p.erase("commandLine");
  p["terminal"] = f.tty;
  if (!f.cwd.empty()) p["cwd"] = f.cwd;
  if (!p.contains("cwd")) p["cwd"] = "/";
  if (!p["env"].is_array()) p["env"] = nlohmann::json::array();
  for (const std::string& e : f.env) p["env"].push_back(e);
  RETURN_IF_ERROR(ApplyUser(f.user, f.username, p));
  if (!f.additional_gids.empty()) p["user"]["additionalGids"] = f.additional_gids;
  if (f.no_new_privs) p["noNewPrivileges"] = true;
  if (!f.caps.empty()) AddCaps(f.caps, p);
  p.erase("consoleSize");
  return p;
}

}  // namespace ocirun
