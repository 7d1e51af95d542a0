#include "runtime/container/signal.h"

#include <charconv>
#include <string>

namespace ocirun {
namespace {

struct SignalName {
  const char* name;
  int number;
};

// Linux numbering (the OCI kill contract uses it on every platform; HCS maps TERM/KILL).
constexpr SignalName kSignals[] = {
    {"HUP", 1},     {"INT", 2},     {"QUIT", 3},   {"ILL", 4},     {"TRAP", 5},    {"ABRT", 6},
    {"IOT", 6},     {"BUS", 7},     {"FPE", 8},    {"KILL", 9},    {"USR1", 10},   {"SEGV", 11},
    {"USR2", 12},   {"PIPE", 13},   {"ALRM", 14},  {"TERM", 15},   {"STKFLT", 16}, {"CHLD", 17},
    {"CONT", 18},   {"STOP", 19},   {"TSTP", 20},  {"TTIN", 21},   {"TTOU", 22},   {"URG", 23},
    {"XCPU", 24},   {"XFSZ", 25},   {"VTALRM", 26}, {"PROF", 27},  {"WINCH", 28},  {"IO", 29},
    {"POLL", 29},   {"PWR", 30},    {"SYS", 31},
};

}  // namespace

base::Result<int> ParseSignal(std::string_view text) {
  int number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!text.empty() && ec == std::errc() && ptr == text.data() + text.size()) {
    if (number > 0 && number <= 64) return number;
    return base::InvalidArgument("invalid signal " + std::string(text));
  }
  std::string upper;
  for (char c : text) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  std::string_view name = upper;
  if (name.substr(0, 3) == "SIG") name.remove_prefix(3);
  for (const SignalName& s : kSignals) {
    if (name == s.name) return s.number;
  }
  if (name.substr(0, 5) == "RTMIN" || name.substr(0, 5) == "RTMAX") {
    // RTMIN+n / RTMAX-n (Linux: 34..64).
    int base = name[3] == 'I' ? 34 : 64;
    int offset = 0;
    if (name.size() > 5) {
      std::string_view rest = name.substr(6);
      std::from_chars(rest.data(), rest.data() + rest.size(), offset);
      if (name[5] == '-') offset = -offset;
    }
    if (base + offset >= 34 && base + offset <= 64) return base + offset;
  }
  return base::InvalidArgument("unknown signal \"" + std::string(text) + "\"");
}

}  // namespace ocirun
