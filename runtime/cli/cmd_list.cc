// ocirun list [-f table|json] [-q]: the containers under --root.
#include <cstdio>

#include "runtime/cli/command.h"
#include "runtime/container/operations.h"

namespace ocirun::cli {
namespace {

void PrintTable(const std::vector<nlohmann::ordered_json>& states) {
  // runc uses a tabwriter with minwidth 12 and padding 1; columns are at least 12 wide.
  std::vector<std::vector<std::string>> rows = {{"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const auto& s : states) {
    rows.push_back({s["id"].get<std::string>(), std::to_string(s["pid"].get<int>()),
                    s["status"].get<std::string>(), s["bundle"].get<std::string>(),
                    s["created"].get<std::string>(), s["owner"].get<std::string>()});
  }
  std::vector<size_t> width(6, 12);
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size() + 1);
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size(), ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace

CommandRun RegisterList(CLI::App& app, GlobalOptions& global) {
  auto format = std::make_shared<std::string>("table");
  auto quiet = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("list", "list containers");
  sub->add_option("-f,--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  sub->add_flag("-q,--quiet", *quiet, "print only the ids");
  return [&global, format, quiet] {
    auto states = List(GetRuntime(global));
    if (!states.ok()) return ReportError(global, states.status());
    if (*quiet) {
      for (const auto& s : *states) std::printf("%s\n", s["id"].get<std::string>().c_str());
    } else if (*format == "json") {
      // runc prints "null" for no containers; a JSON array otherwise, one line.
      std::printf("%s\n", states->empty() ? "null" : nlohmann::ordered_json(*states).dump().c_str());
    } else {
      PrintTable(*states);
    }
    return 0;
  };
}

}  // namespace ocirun::cli
