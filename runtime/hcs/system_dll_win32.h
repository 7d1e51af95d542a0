// Run-time loading of the HCS DLLs (computecore.dll, vmcompute.dll) for *_win32.cc files: loaded
// from System32 with LoadLibraryExW and bound with GetProcAddress, never imported at load time, so
// ocirun.exe and ocicert.exe start on hosts without the Containers feature (and under wine) and
// report "HCS not available" instead of failing before main.
#pragma once

#include <windows.h>

#include <string>

#include "base/status.h"
#include "base/win32_util.h"

namespace ocirun::hcs {

// `dll` loaded from System32; kUnimplemented "HCS not available: <dll> could not be loaded from
// System32 (<needs>): <system message>" when it is missing (os_error: the Win32 error).
inline base::Result<HMODULE> LoadSystemDll(const std::string& dll, const std::string& needs) {
  HMODULE m = ::LoadLibraryExW(base::Widen(dll).c_str(), nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (m) return m;
  DWORD err = ::GetLastError();
  return base::Status(base::Code::kUnimplemented,
                      "HCS not available: " + dll + " could not be loaded from System32 (" + needs + "): " +
                          base::SystemMessage(err),
                      static_cast<int64_t>(err));
}

// fn = the export `name` of `m` (the DLL `dll`); kUnimplemented "HCS not available: <dll> has no
// <name>" when it has none (an older Windows).
template <typename F>
base::Status BindProc(HMODULE m, const std::string& dll, const char* name, F& fn) {
  fn = reinterpret_cast<F>(reinterpret_cast<void*>(::GetProcAddress(m, name)));
  if (!fn) return base::Unimplemented("HCS not available: " + dll + " has no " + name);
  return base::Status::Ok();
}

}  // namespace ocirun::hcs
