// Building blocks shared by the suites: bring a container to a status, read its state, run the probe.
// They Require() what they need, so a case stops at the first broken precondition.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/case.h"

namespace conform {

// Parsed `state <id>` output, or nullopt when the command failed or printed no JSON object.
std::optional<nlohmann::json> State(CaseContext& ctx, const std::string& id);
// The status from `state`, "" when state failed.
std::string StatusOf(CaseContext& ctx, const std::string& id);
// "state says \"running\"", or what was wrong: "state failed: exit 1: ...", "state printed invalid
// JSON: \"...\"" (the first bytes), for messages.
std::string StateSays(CaseContext& ctx, const std::string& id);
// Polls `state` until the status is `want`; false after the timeout (scaled by the profile), or at
// once when state exits 0 with garbage (no JSON object, no status): waiting would not change it.
bool WaitForStatus(CaseContext& ctx, const std::string& id, const std::string& want,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Writes config.json and runs `create --bundle B [extra] id`.
const Call& Create(CaseContext& ctx, const Container& c, const std::vector<std::string>& extra = {});
// Create/start that must succeed.
void CreateOk(CaseContext& ctx, const Container& c, const std::vector<std::string>& extra = {});
void StartOk(CaseContext& ctx, const std::string& id);

// Runs an operation that must be refused (runtime.md#errors): a normal non-zero exit (Call::failed), and,
// since the call gets `--log <fresh file> --log-format json`, where the runtime writes JSON lines to
// that file, one of them must be an error record ({"level":"error","msg":...}). A runtime that writes
// nothing there, or no JSON, is not held to the record. `what` names the operation for messages
// ("start of a running container"). Whether the state is unchanged afterwards is the caller's check.
const Call& ExpectRefusal(CaseContext& ctx, const std::vector<std::string>& args, const std::string& what,
                          InvokeOptions options = {});
// Writes config.json and expects `create --bundle B [extra] id` to be refused, as ExpectRefusal.
const Call& ExpectCreateRefused(CaseContext& ctx, const Container& c, const std::string& what,
                                const std::vector<std::string>& extra = {});

// The violations of `doc` against our embedded schema `root` ("state.json", "features.json" of
// specs/schema), each naming the field ("status: required property ... is missing"), joined with
// "; "; "" when the document conforms.
std::string SchemaViolations(const nlohmann::json& doc, const std::string& root);

// Brings a fresh container to a status: "created", "running", "paused" or "stopped" (its program then
// only marks "program" and exits). Returns its pid (0 when stopped).
int MakeStatus(CaseContext& ctx, Container& c, const std::string& status);

// Runs the probe as the container's process with `run` (foreground) and returns its JSON report.
nlohmann::json RunProbe(CaseContext& ctx, Container& c, const std::vector<std::string>& probe_args = {},
                        const std::vector<std::string>& run_flags = {});
// Parses the probe report out of text (the last line holding a JSON object); nullopt if none.
std::optional<nlohmann::json> ParseProbe(const std::string& text);

using host::PidAlive;
// The namespace identity ("net:[4026531840]") of a host pid; "self" for ours (helpers_posix.cc: the
// Linux-container suites only).
std::string NamespaceOf(const std::string& pid, const std::string& type);
// Lines of a JSON-lines file (marks, hook logs); unparsable lines are skipped.
std::vector<nlohmann::json> ReadJsonLines(const std::string& path);
// Whether the marks file of a container holds an entry of this kind.
bool HasMark(const Container& c, const std::string& kind);
// "exit 1: <first stderr line>" for messages.
std::string Describe(const Call& call);

}  // namespace conform
