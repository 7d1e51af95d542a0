// Helpers shared by the fake computecore.dll and vmcompute.dll (test-only, see computecore_fake.cc):
// UTF-8 <-> UTF-16, whole-file reads and atomic writes, a deterministic GUID from a string, and the
// folder the fake HCS keeps its compute systems in.
#pragma once

#include <windows.h>

#include <cstdint>
#include <optional>
#include <string>

namespace fakehcs {

std::string Narrow(const std::wstring& w);
std::wstring Widen(const std::string& s);

// The file's bytes; nullopt when it cannot be read (missing).
std::optional<std::string> ReadFileText(const std::wstring& path);
// Writes a temporary file next to `path` and renames it over `path`.
bool WriteFileAtomic(const std::wstring& path, const std::string& text);
// Creates `dir` and its missing parents.
bool MakeDirs(const std::wstring& dir);
// Removes the files in `dir` (not recursive), then `dir`.
void RemoveDirFiles(const std::wstring& dir);

// A GUID that depends only on `text` (two FNV-1a 64-bit hashes; version 5 and RFC 4122 variant
// bits set so it looks like the name-based GUIDs vmcompute.dll returns). Not vmcompute's algorithm.
GUID HashGuid(const std::wstring& text);
// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lowercase.
std::wstring GuidString(const GUID& g);

// A copy of `text` in LocalAlloc'd memory, as the HCS returns result documents (freed with LocalFree).
PWSTR LocalString(const std::wstring& text);

// %ProgramData%\fakehcs: one folder per compute system.
std::wstring StoreRoot();

}  // namespace fakehcs
