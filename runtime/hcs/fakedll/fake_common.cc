#include "runtime/hcs/fakedll/fake_common.h"

#include <cstdio>
#include <cwchar>

namespace fakehcs {

std::string Narrow(const std::wstring& w) {
  if (w.empty()) return "";
  int n = ::WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<size_t>(n), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), out.data(), n, nullptr, nullptr);
  return out;
}

std::wstring Widen(const std::string& s) {
  if (s.empty()) return L"";
  int n = ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(n), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n);
  return out;
}

std::optional<std::string> ReadFileText(const std::wstring& path) {
  HANDLE h = ::CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return std::nullopt;
  std::string text;
  char buf[4096];
  DWORD got = 0;
  while (::ReadFile(h, buf, sizeof buf, &got, nullptr) && got > 0) text.append(buf, got);
  ::CloseHandle(h);
  return text;
}

bool WriteFileAtomic(const std::wstring& path, const std::string& text) {
  const std::wstring tmp = path + L".tmp" + std::to_wstring(::GetCurrentProcessId());
  HANDLE h = ::CreateFileW(tmp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return false;
  DWORD put = 0;
  bool ok = text.empty() || (::WriteFile(h, text.data(), static_cast<DWORD>(text.size()), &put, nullptr) && put == text.size());
  ok = ::FlushFileBuffers(h) && ok;
  ::CloseHandle(h);
  if (ok && ::MoveFileExW(tmp.c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) return true;
  ::DeleteFileW(tmp.c_str());
  return false;
}

bool MakeDirs(const std::wstring& dir) {
  if (dir.empty()) return false;
  DWORD attrs = ::GetFileAttributesW(dir.c_str());
  if (attrs != INVALID_FILE_ATTRIBUTES) return (attrs & FILE_ATTRIBUTE_DIRECTORY) != 0;
  size_t slash = dir.find_last_of(L"\\/");
  if (slash != std::wstring::npos && slash > 2) MakeDirs(dir.substr(0, slash));
  return ::CreateDirectoryW(dir.c_str(), nullptr) || ::GetLastError() == ERROR_ALREADY_EXISTS;
}

void RemoveDirFiles(const std::wstring& dir) {
  WIN32_FIND_DATAW fd;
  HANDLE find = ::FindFirstFileW((dir + L"\\*").c_str(), &fd);
  if (find != INVALID_HANDLE_VALUE) {
    do {
      if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) ::DeleteFileW((dir + L"\\" + fd.cFileName).c_str());
    } while (::FindNextFileW(find, &fd));
    ::FindClose(find);
  }
  ::RemoveDirectoryW(dir.c_str());
}

namespace {

uint64_t Fnv1a(const std::wstring& text, uint64_t seed) {
  uint64_t h = seed;
  for (wchar_t c : text) {
    for (int shift = 0; shift < 16; shift += 8) {
      h ^= static_cast<uint8_t>(static_cast<uint16_t>(c) >> shift);
      h *= 0x100000001b3ULL;
    }
  }
  return h;
}

}  // namespace

GUID HashGuid(const std::wstring& text) {
  uint64_t hi = Fnv1a(text, 0xcbf29ce484222325ULL), lo = Fnv1a(text, 0x84222325cbf29ce4ULL);
  GUID g{};
  g.Data1 = static_cast<unsigned long>(hi >> 32);
  g.Data2 = static_cast<unsigned short>(hi >> 16);
  g.Data3 = static_cast<unsigned short>((hi & 0x0fff) | 0x5000);  // version 5
  for (int i = 0; i < 8; ++i) g.Data4[i] = static_cast<unsigned char>(lo >> (56 - 8 * i));
  g.Data4[0] = static_cast<unsigned char>((g.Data4[0] & 0x3f) | 0x80);  // RFC 4122 variant
  return g;
}

std::wstring GuidString(const GUID& g) {
  wchar_t buf[40];
  std::swprintf(buf, 40, L"%08lx-%04hx-%04hx-%02x%02x-%02x%02x%02x%02x%02x%02x", g.Data1, g.Data2, g.Data3,
                g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  return buf;
}

PWSTR LocalString(const std::wstring& text) {
  auto* out = static_cast<PWSTR>(::LocalAlloc(LMEM_FIXED, (text.size() + 1) * sizeof(wchar_t)));
  if (!out) return nullptr;
  std::wmemcpy(out, text.c_str(), text.size() + 1);
  return out;
}

std::wstring StoreRoot() {
  wchar_t buf[MAX_PATH];
  DWORD n = ::GetEnvironmentVariableW(L"ProgramData", buf, MAX_PATH);
  std::wstring base = (n > 0 && n < MAX_PATH) ? std::wstring(buf, n) : L"C:\\ProgramData";
  return base + L"\\fakehcs";
}

}  // namespace fakehcs
