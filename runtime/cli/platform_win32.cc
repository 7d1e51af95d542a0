// The Windows side of the command-line differences (command.h): runhcs's behaviour.
#include <cctype>
#include <charconv>

#include "runtime/cli/command.h"
#include "runtime/container/signal.h"
#include "runtime/hcs/hcs_backend.h"

namespace ocirun::cli {
namespace {

struct WindowsSignal {
  const char* name;  // upper case, as runhcs compares them (signals.ValidateSigstrWCOW)
  int number;        // what SignalOptions maps (runtime/hcs/translate.h)
};

constexpr WindowsSignal kWindowsSignals[] = {
    {"CTRLC", 0}, {"CTRLBREAK", 1}, {"CTRLCLOSE", 2}, {"CTRLLOGOFF", 5}, {"CTRLSHUTDOWN", 6}, {"TERM", 15}, {"KILL", 9},
};

}  // namespace

// runhcs ps prints JSON only ("invalid format option" otherwise).
std::vector<std::string> PsFormats() { return {"json"}; }

base::Result<int> ParseKillSignal(const std::string& text) {
  int number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  // Numbers as given (0 is CtrlC); the backend refuses those the container's OS has no use for.
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size() && number >= 0) return number;
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const WindowsSignal& s : kWindowsSignals) {
    if (upper == s.name) return s.number;
  }
  return ParseSignal(text);  // Linux names, for Linux containers (LCOW)
}

void AdaptExecUser(ExecFlags& flags) {
  if (flags.user.empty()) return;
  flags.username = flags.user;
  flags.user.clear();
}

base::Status ResizeTty(const Runtime& rt, const std::string& id, int pid, int width, int height) {
  ASSIGN_OR_RETURN(Container c, Container::Load(rt, id));
  RETURN_IF_ERROR(c.Check(Operation::kExec));  // a running container
  auto* hcs = dynamic_cast<hcs::HcsBackend*>(&c.backend());
  if (!hcs) return base::Internal("resize-tty: this ocirun.exe has no HCS backend");
  return hcs->ResizeConsole(c.facts(), static_cast<uint32_t>(pid), static_cast<uint16_t>(width),
                            static_cast<uint16_t>(height));
}

// Windows chooses isolation per container from windows.hyperv (runhcs); --isolation is Linux's.
std::unique_ptr<Backend> MakeCliBackend(const GlobalOptions&) { return MakeBackend(); }

}  // namespace ocirun::cli
