// A FAKE vmcompute.dll for tests under wine (never shipped): the layer calls ocirun makes
// (runtime/hcs/wclayer_win32.cc, hcsshim's internal/wclayer), with the same exported names and
// signatures, so the layer-mount path of `ocirun create` runs end to end without a Windows host.
//
// What it does, and what it does not:
// - CreateSandboxLayer creates the folder and an empty sandbox.vhdx in it (not a real VHDX).
// - ActivateLayer / PrepareLayer / UnprepareLayer / DeactivateLayer record the layer's state in the
//   folder (fakehcs.activated, fakehcs.prepared listing the parents); no filter driver, no volume.
//   Activate and Prepare fail with HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND) when the folder does not
//   exist; Prepare and GetLayerMountPath need an activated layer (ERROR_NOT_READY otherwise);
//   Unprepare / Deactivate of a layer in neither state succeed (what the real DLL does is unknown).
// - GetLayerMountPath returns "\\?\Volume{<GUID from the lowercased folder path>}\": a well-formed
//   volume GUID path that names no real volume (nothing can be read through it).
// - NameToGuid returns a deterministic GUID of the name (fake_common.h), not vmcompute's algorithm:
//   layer ids differ from a real host's.
#include <windows.h>

#include <cwctype>
#include <string>

#include "runtime/hcs/fakedll/fake_common.h"

namespace {

// hcsshim's driverInfo and WC_LAYER_DESCRIPTOR (the fake reads only the descriptors' paths),
// declared here from hcsshim on purpose, not shared with wclayer_win32.cc: a layout ocirun got wrong
// must not be agreed with by construction.
struct DriverInfo {
  int Flavour;
  LPCWSTR HomeDir;
};
struct LayerDescriptor {
  GUID LayerId;
  ULONG Flags;
  LPCWSTR Path;
};

constexpr const wchar_t* kActivated = L"\\fakehcs.activated";
constexpr const wchar_t* kPrepared = L"\\fakehcs.prepared";

bool IsDir(const std::wstring& path) {
  DWORD attrs = ::GetFileAttributesW(path.c_str());
  return attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY);
}

bool Exists(const std::wstring& path) { return ::GetFileAttributesW(path.c_str()) != INVALID_FILE_ATTRIBUTES; }

std::wstring Trimmed(LPCWSTR path) {
  std::wstring p = path ? path : L"";
  while (p.size() > 3 && (p.back() == L'\\' || p.back() == L'/')) p.pop_back();
  return p;
}

std::string Parents(const LayerDescriptor* layers, ULONG count) {
  std::string list;
  for (ULONG i = 0; layers && i < count; ++i) list += fakehcs::Narrow(layers[i].Path ? layers[i].Path : L"") + "\n";
  return list;
}

HRESULT FromWin32(DWORD err) { return HRESULT_FROM_WIN32(err); }

}  // namespace

extern "C" {

HRESULT WINAPI NameToGuid(LPCWSTR name, GUID* guid) {
  if (!name || !guid) return E_INVALIDARG;
  *guid = fakehcs::HashGuid(name);
  return S_OK;
}

HRESULT WINAPI CreateSandboxLayer(DriverInfo*, LPCWSTR id, LPCWSTR, LayerDescriptor* layers, ULONG count) {
  const std::wstring dir = Trimmed(id);
  if (dir.empty()) return E_INVALIDARG;
  if (!fakehcs::MakeDirs(dir)) return FromWin32(::GetLastError());
  if (!fakehcs::WriteFileAtomic(dir + L"\\sandbox.vhdx", "")) return FromWin32(::GetLastError());
  if (!fakehcs::WriteFileAtomic(dir + L"\\fakehcs.parents", Parents(layers, count))) return FromWin32(::GetLastError());
  return S_OK;
}

HRESULT WINAPI ActivateLayer(DriverInfo*, LPCWSTR id) {
  const std::wstring dir = Trimmed(id);
  if (!IsDir(dir)) return FromWin32(ERROR_PATH_NOT_FOUND);
  return fakehcs::WriteFileAtomic(dir + kActivated, "") ? S_OK : FromWin32(::GetLastError());
}

HRESULT WINAPI PrepareLayer(DriverInfo*, LPCWSTR id, LayerDescriptor* layers, ULONG count) {
  const std::wstring dir = Trimmed(id);
  if (!IsDir(dir)) return FromWin32(ERROR_PATH_NOT_FOUND);
  if (!Exists(dir + kActivated)) return FromWin32(ERROR_NOT_READY);
  for (ULONG i = 0; layers && i < count; ++i) {
    if (!layers[i].Path || !IsDir(Trimmed(layers[i].Path))) return FromWin32(ERROR_PATH_NOT_FOUND);
  }
  return fakehcs::WriteFileAtomic(dir + kPrepared, Parents(layers, count)) ? S_OK : FromWin32(::GetLastError());
}

// Two calls, as hcsshim makes them: with no buffer, *length receives the size in WCHARs including
// the terminating NUL; then the buffer of that size is filled.
HRESULT WINAPI GetLayerMountPath(DriverInfo*, LPCWSTR id, ULONG_PTR* length, LPWSTR buffer) {
  const std::wstring dir = Trimmed(id);
  if (!length) return E_INVALIDARG;
  if (!IsDir(dir)) return FromWin32(ERROR_PATH_NOT_FOUND);
  if (!Exists(dir + kActivated)) return FromWin32(ERROR_NOT_READY);
  std::wstring key = dir;
  for (wchar_t& c : key) c = static_cast<wchar_t>(std::towlower(c));
  const std::wstring volume = L"\\\\?\\Volume{" + fakehcs::GuidString(fakehcs::HashGuid(key)) + L"}\\";
  if (!buffer) {
    *length = volume.size() + 1;
    return S_OK;
  }
  if (*length < volume.size() + 1) return FromWin32(ERROR_INSUFFICIENT_BUFFER);
  volume.copy(buffer, volume.size());
  buffer[volume.size()] = L'\0';
  *length = volume.size() + 1;
  return S_OK;
}

HRESULT WINAPI UnprepareLayer(DriverInfo*, LPCWSTR id) {
  ::DeleteFileW((Trimmed(id) + kPrepared).c_str());
  return S_OK;
}

HRESULT WINAPI DeactivateLayer(DriverInfo*, LPCWSTR id) {
  ::DeleteFileW((Trimmed(id) + kActivated).c_str());
  return S_OK;
}

}  // extern "C"
