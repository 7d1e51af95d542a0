// Windows command lines from argv vectors. Portable (no Windows headers): the HCS translation builds
// process CommandLine values with it on every platform, subprocess_win32.cc passes it to CreateProcessW.
// The rules are Go's syscall.EscapeArg, which hcsshim uses for OCI process.args, so a given args
// vector gives the same CommandLine through ocirun as through runhcs; CommandLineToArgvW and the
// MSVC runtime split it back into the same argv.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace base {

// One argument, quoted only when needed: "" for empty; spaces or tabs wrap it in quotes; a quote
// becomes \" and the backslashes before a quote (or before the closing quote) are doubled.
inline std::string EscapeWindowsArg(std::string_view s) {
  if (s.empty()) return "\"\"";
  bool space = s.find_first_of(" \t") != std::string_view::npos;
  if (!space && s.find_first_of("\"\\") == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  if (space) out += '"';
  size_t slashes = 0;
  for (char c : s) {
    if (c == '\\') {
      ++slashes;
    } else if (c == '"') {
      out.append(slashes, '\\');  // double the run: each written once more, then once below
      out += '\\';
      slashes = 0;
    } else {
      slashes = 0;
    }
    out += c;
  }
  if (space) {
    out.append(slashes, '\\');
    out += '"';
  }
  return out;
}

// The arguments escaped and joined with single spaces.
inline std::string JoinWindowsCommandLine(const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ' ';
    out += EscapeWindowsArg(args[i]);
  }
  return out;
}

}  // namespace base
