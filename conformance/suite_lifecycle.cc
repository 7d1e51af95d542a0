// lifecycle: every operation in every status, as a matrix. Each cell says whether the operation must
// succeed, and what the status must be afterwards; a refused operation must also have had no effect
// (same status, same pid, the process still alive, the user program still not started).
#include <thread>

#include "conformance/case.h"
#include "conformance/helpers.h"

namespace conform {
namespace {

struct Cell {
  const char* op;
  const char* status;
  bool allowed;
  const char* after;  // status afterwards when allowed; "" = container gone
  std::vector<std::string> requirements;
  bool either = false;  // the CLI contract allows refusing too (then with no effect)
};

const std::vector<std::string> kNoEffect = {"ErrorsLeaveStateUnchange"};

std::vector<Cell> Matrix() {
  auto refused = [](std::vector<std::string> ids) {
    ids.insert(ids.end(), kNoEffect.begin(), kNoEffect.end());
    return ids;
  };
  return {
      {"start", "created", true, "running", {"StartProcImplement", "ProcImplement", "DefaultOperations", "EntityOperSameContainer", "ProcNotRunAtResRequest", "ProcArgsApplyUntilStart"}},
      {"start", "running", false, "", refused({"StartNotCreatedGenError", "StartNotCreatedHaveNoEffect"})},
      {"start", "paused", false, "", refused({"StartNotCreatedGenError", "StartNotCreatedHaveNoEffect"})},
      {"start", "stopped", false, "", refused({"StartNotCreatedGenError", "StartNotCreatedHaveNoEffect"})},
      {"kill", "created", true, "stopped", {"KillSignalImplement", "DefaultOperations"}},
      {"kill", "running", true, "stopped", {"KillSignalImplement", "DefaultOperations"}},
      {"kill", "paused", false, "", refused({"KillNonCreateRunGenError", "KillNonCreateRunHaveNoEffect"})},
      {"kill", "stopped", false, "", refused({"KillNonCreateRunGenError", "KillNonCreateRunHaveNoEffect"})},
      {"delete", "created", false, "", refused({"DeleteNonStopGenError", "DeleteNonStopHaveNoEffect"})},
      {"delete", "running", false, "", refused({"DeleteNonStopGenError", "DeleteNonStopHaveNoEffect"})},
      {"delete", "paused", false, "", refused({"DeleteNonStopGenError", "DeleteNonStopHaveNoEffect"})},
      {"delete", "stopped", true, "", {"DeleteResImplement", "UndoCreateSteps", "DefaultOperations"}},
      // runc freezes a created container, or fails with "unable to freeze" under load: either is fine.
      {"pause", "created", true, "paused", {"CliPauseResume", "CliPauseStateErrors"}, true},
      {"pause", "running", true, "paused", {"CliPauseResume"}},
      {"pause", "paused", false, "", {"CliPauseStateErrors"}},
      {"pause", "stopped", false, "", {"CliPauseStateErrors"}},
      {"resume", "created", false, "", {"CliPauseStateErrors"}},
      {"resume", "running", false, "", {"CliPauseStateErrors"}},
      {"resume", "paused", true, "running", {"CliPauseResume"}},
      {"resume", "stopped", false, "", {"CliPauseStateErrors"}},
      {"state", "created", true, "created", {"QueryStateImplement", "StatePidOnLinux", "StateNewStatus", "DefaultOperations"}},
      {"state", "running", true, "running", {"QueryStateImplement", "StatePidOnLinux", "StateNewStatus"}},
      {"state", "paused", true, "paused", {"QueryStateImplement", "StateNewStatus"}},
      {"state", "stopped", true, "stopped", {"QueryStateImplement", "StateNewStatus"}},
  };
}

std::vector<std::string> OpArgs(const std::string& op, const std::string& id) {
  if (op == "kill") return {"kill", id, "KILL"};
  return {op, id};
}

void RunCell(CaseContext& ctx, const Cell& cell) {
  Container c = ctx.NewContainer(std::string(cell.op) + "-" + cell.status);
  int pid = MakeStatus(ctx, c, cell.status);
  bool program_ran = HasMark(c, "program");
  std::string what = std::string(cell.op) + " in status " + cell.status;
  const Call& call = cell.allowed ? ctx.rt().Run(OpArgs(cell.op, c.id)) : ExpectRefusal(ctx, OpArgs(cell.op, c.id), what);
  if (cell.allowed && !(cell.either && call.failed())) {
    ctx.Require(call.ok(), std::string(cell.op) + " in status " + cell.status + " must succeed: " + Describe(call));
    std::string after = cell.after;
    if (after.empty()) {
      ctx.Check(!State(ctx, c.id).has_value(), "the container still exists after delete");
    } else {
      ctx.Check(WaitForStatus(ctx, c.id, after),
                "after " + std::string(cell.op) + " want status " + after + ", " + StateSays(ctx, c.id));
    }
    if (std::string(cell.op) == "state") {
      auto st = State(ctx, c.id);
      ctx.Require(st.has_value(), "state printed no JSON object");
      std::string bad = SchemaViolations(*st, "state.json");
      ctx.Check(bad.empty(), "state does not match the state schema (specs/schema/state.json): " + bad);
      ctx.Check((*st)["id"] == c.id, "state.id is not the container id");
      ctx.Check((*st)["bundle"] == c.bundle, "state.bundle is not the absolute bundle path");
      ctx.Check((*st)["ociVersion"].is_string(), "state.ociVersion is missing");
      if (pid) ctx.Check((*st)["pid"] == pid, "state.pid changed between two state calls");
      if (std::string(cell.status) == "created" || std::string(cell.status) == "running")
        ctx.Check((*st)["pid"].is_number_integer() && (*st)["pid"].get<int>() > 0 &&
                      (ctx.windows() || PidAlive((*st)["pid"].get<int>())),
                  "state.pid must be the live container process on Linux when created or running, got " +
                      (*st)["pid"].dump());
    }
    if (std::string(cell.op) == "start") {
      ctx.Check(!program_ran, "the user program ran before start");
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (!HasMark(c, "program") && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      ctx.Check(HasMark(c, "program"), "start did not run the user program");
    }
    return;
  }
  // Refused (ExpectRefusal checked the exit and the --log error record). No effect: same status, same pid, the process alive, the program not started by the attempt.
  auto st = State(ctx, c.id);
  ctx.Require(st.has_value(), std::string(cell.op) + " in status " + cell.status + " removed the container");
  ctx.Check((*st)["status"] == cell.status, std::string(cell.op) + " changed the status from " + cell.status +
                                                " to " + (*st)["status"].dump());
  if (pid) {
    ctx.Check((*st)["pid"] == pid, "the pid changed");
    ctx.Check(PidAlive(pid), "the container process is gone");
  }
  if (std::string(cell.status) == "created")
    ctx.Check(!HasMark(c, "program"), "the refused operation ran the user program");
}

}  // namespace

void AddLifecycleCases(std::vector<Case>& out) {
  for (const Cell& cell : Matrix()) {
    Case c;
    c.suite = "lifecycle";
    c.id = std::string("lifecycle.") + cell.op + "." + cell.status;
    c.title = std::string(cell.op) + " on a " + cell.status + " container " + (cell.either ? "fails with no effect or " : "") +
              (cell.allowed ? "succeeds" + (std::string(cell.after).empty() ? std::string(" and removes it")
                                                                           : std::string(" -> ") + cell.after)
                            : std::string("fails with no effect"));
    c.requirements = cell.requirements;
    c.os = "any";  // the command line only: Windows containers too
    c.run = [cell](CaseContext& ctx) { RunCell(ctx, cell); };
    out.push_back(std::move(c));
  }
}

}  // namespace conform
