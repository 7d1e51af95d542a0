// LayerApi over vmcompute.dll, the calls hcsshim's internal/wclayer makes. The DLL is loaded on first
// use (system_dll_win32.h: LoadLibraryExW from System32 + GetProcAddress), never imported at load
// time, so ocirun.exe and ocicert.exe start on hosts without the Containers feature (and under wine).
//
// Every call takes hcsshim's stdDriverInfo {Flavour 1 (filter driver), HomeDir ""} and the layer
// folder's path as the layer id; parents travel as WC_LAYER_DESCRIPTORs whose LayerId is
// NameToGuid(base name of the folder) (hcsshim's layerPathsToDescriptors).
#include <windows.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "base/win32_util.h"
#include "runtime/hcs/guid.h"
#include "runtime/hcs/hresult.h"
#include "runtime/hcs/system_dll_win32.h"
#include "runtime/hcs/wclayer.h"

namespace ocirun::hcs::wclayer {
namespace {

// hcsshim internal/wclayer: driverInfo and WC_LAYER_DESCRIPTOR as vmcompute.dll takes them.
struct DriverInfo {
  int Flavour;
  LPCWSTR HomeDir;
};
struct LayerDescriptor {
  GUID LayerId;
  ULONG Flags;  // 0
  LPCWSTR Path;
};

using LayerFn = HRESULT(WINAPI*)(DriverInfo*, LPCWSTR id);  // Activate, Deactivate, Unprepare
using PrepareFn = HRESULT(WINAPI*)(DriverInfo*, LPCWSTR id, LayerDescriptor* layers, ULONG count);
using CreateSandboxFn = HRESULT(WINAPI*)(DriverInfo*, LPCWSTR id, LPCWSTR parent, LayerDescriptor* layers, ULONG count);
using MountPathFn = HRESULT(WINAPI*)(DriverInfo*, LPCWSTR id, ULONG_PTR* length, LPWSTR buffer);
using NameToGuidFn = HRESULT(WINAPI*)(LPCWSTR name, GUID* guid);

struct Api {
  NameToGuidFn NameToGuid = nullptr;
  CreateSandboxFn CreateSandboxLayer = nullptr;
  LayerFn ActivateLayer = nullptr;
  PrepareFn PrepareLayer = nullptr;
  MountPathFn GetLayerMountPath = nullptr;
  LayerFn UnprepareLayer = nullptr;
  LayerFn DeactivateLayer = nullptr;
};

base::Result<Api> LoadApi() {
  ASSIGN_OR_RETURN(HMODULE m, LoadSystemDll("vmcompute.dll", "Windows Server with the Containers feature is needed"));
  auto Bind = [m](const char* name, auto& fn) { return BindProc(m, "vmcompute.dll", name, fn); };
  Api a;
  RETURN_IF_ERROR(Bind("NameToGuid", a.NameToGuid));
  RETURN_IF_ERROR(Bind("CreateSandboxLayer", a.CreateSandboxLayer));
  RETURN_IF_ERROR(Bind("ActivateLayer", a.ActivateLayer));
  RETURN_IF_ERROR(Bind("PrepareLayer", a.PrepareLayer));
  RETURN_IF_ERROR(Bind("GetLayerMountPath", a.GetLayerMountPath));
  RETURN_IF_ERROR(Bind("UnprepareLayer", a.UnprepareLayer));
  RETURN_IF_ERROR(Bind("DeactivateLayer", a.DeactivateLayer));
  return a;
}

// Loaded once per process; `what` ("ActivateLayer C:\...") prefixes the failure.
base::Result<const Api*> Load(const std::string& what) {
  static std::once_flag once;
  static base::Result<Api> api = base::Internal("not loaded");
  std::call_once(once, [] { api = LoadApi(); });
  if (!api.ok()) return api.status().Wrap(what);
  return &*api;
}

// hcsshim's stdDriverInfo: the filter driver, an empty (not null) home directory.
DriverInfo StdDriverInfo() { return DriverInfo{1, L""}; }

base::Status Check(const std::string& what, HRESULT hr) {
  if (SUCCEEDED(hr)) return base::Status::Ok();
  return HresultError(what, static_cast<uint32_t>(hr));
}

// The canonical lowercase text of a GUID (FormatGuid's form: GUID's Data1..3 are host-order fields).
std::string GuidText(const GUID& g) {
  GuidBytes b{};
  for (int i = 0; i < 4; ++i) b[i] = static_cast<uint8_t>(g.Data1 >> (24 - 8 * i));
  b[4] = static_cast<uint8_t>(g.Data2 >> 8);
  b[5] = static_cast<uint8_t>(g.Data2);
  b[6] = static_cast<uint8_t>(g.Data3 >> 8);
  b[7] = static_cast<uint8_t>(g.Data3);
  std::copy(std::begin(g.Data4), std::end(g.Data4), b.begin() + 8);
  return FormatGuid(b);
}

// The parents as WC_LAYER_DESCRIPTORs; `paths` keeps the strings the descriptors point to.
struct Descriptors {
  std::vector<std::wstring> paths;
  std::vector<LayerDescriptor> list;
  LayerDescriptor* data() { return list.empty() ? nullptr : list.data(); }
  ULONG size() const { return static_cast<ULONG>(list.size()); }
};

base::Result<Descriptors> Describe(const Api& api, const std::vector<std::string>& parents) {
  Descriptors d;
  d.paths.reserve(parents.size());
  for (const std::string& folder : parents) {
    GUID id{};
    const std::string name = BaseName(folder);
    RETURN_IF_ERROR(Check("NameToGuid " + name, api.NameToGuid(base::Widen(name).c_str(), &id)));
    d.paths.push_back(base::Widen(folder));
    d.list.push_back(LayerDescriptor{id, 0, d.paths.back().c_str()});
  }
  return d;
}

// hcsshim retries ActivateLayer while the layer is in use (ERROR_SHARING_VIOLATION), backing off
// 1, 2, 4, ... s; here the waits stop after 30 s in total.
HRESULT ActivateWithRetry(const Api& api, DriverInfo& info, LPCWSTR id) {
  constexpr std::chrono::seconds kBudget{30};
  std::chrono::seconds delay{1}, waited{0};
  for (;;) {
    HRESULT hr = api.ActivateLayer(&info, id);
    const bool in_use = static_cast<uint32_t>(hr) == kSharingViolation || hr == ERROR_SHARING_VIOLATION;
    if (!in_use || waited >= kBudget) return hr;
    std::chrono::seconds wait = std::min(delay, kBudget - waited);
    std::this_thread::sleep_for(wait);
    waited += wait;
    delay *= 2;
  }
}

class VmCompute final : public LayerApi {
 public:
  base::Result<std::string> NameToGuid(const std::string& name) override {
    const std::string what = "NameToGuid " + name;
    ASSIGN_OR_RETURN(const Api* api, Load(what));
    GUID id{};
    RETURN_IF_ERROR(Check(what, api->NameToGuid(base::Widen(name).c_str(), &id)));
    return GuidText(id);
  }

  base::Status CreateSandboxLayer(const std::string& path, const std::vector<std::string>& parents) override {
    const std::string what = "CreateSandboxLayer " + path;
    ASSIGN_OR_RETURN(const Api* api, Load(what));
    ASSIGN_OR_RETURN_CTX(Descriptors layers, Describe(*api, parents), what);
    DriverInfo info = StdDriverInfo();
    return Check(what, api->CreateSandboxLayer(&info, base::Widen(path).c_str(), nullptr, layers.data(), layers.size()));
  }

  base::Status ActivateLayer(const std::string& path) override {
    const std::string what = "ActivateLayer " + path;
    ASSIGN_OR_RETURN(const Api* api, Load(what));
    DriverInfo info = StdDriverInfo();
    return Check(what, ActivateWithRetry(*api, info, base::Widen(path).c_str()));
  }

  base::Status PrepareLayer(const std::string& path, const std::vector<std::string>& parents) override {
    const std::string what = "PrepareLayer " + path;
    ASSIGN_OR_RETURN(const Api* api, Load(what));
    ASSIGN_OR_RETURN_CTX(Descriptors layers, Describe(*api, parents), what);
    // hcsshim serializes PrepareLayer ("a temporary workaround for a Windows bug": concurrent calls
    // time out); within one process, so do we.
    static std::mutex prepare_lock;
    std::lock_guard<std::mutex> hold(prepare_lock);
    DriverInfo info = StdDriverInfo();
    return Check(what, api->PrepareLayer(&info, base::Widen(path).c_str(), layers.data(), layers.size()));
  }

  base::Result<std::string> GetLayerMountPath(const std::string& path) override {
    const std::string what = "GetLayerMountPath " + path;
    ASSIGN_OR_RETURN(const Api* api, Load(what));
    DriverInfo info = StdDriverInfo();
    std::wstring id = base::Widen(path);
    ULONG_PTR length = 0;  // in WCHARs; the first call only asks for it
    RETURN_IF_ERROR(Check(what, api->GetLayerMountPath(&info, id.c_str(), &length, nullptr)));
    if (length == 0) return std::string();
    std::wstring buffer(length, L'\0');
    RETURN_IF_ERROR(Check(what, api->GetLayerMountPath(&info, id.c_str(), &length, buffer.data())));
    return base::Narrow(buffer.c_str());
  }

  base::Status UnprepareLayer(const std::string& path) override { return Simple("UnprepareLayer", path, &Api::UnprepareLayer); }
  base::Status DeactivateLayer(const std::string& path) override { return Simple("DeactivateLayer", path, &Api::DeactivateLayer); }

 private:
  static base::Status Simple(const char* call, const std::string& path, LayerFn Api::*fn) {
    const std::string what = std::string(call) + " " + path;
    ASSIGN_OR_RETURN(const Api* api, Load(what));
    DriverInfo info = StdDriverInfo();
    return Check(what, (api->*fn)(&info, base::Widen(path).c_str()));
  }
};

}  // namespace

LayerApi& HostLayerApi() {
  static VmCompute api;
  return api;
}

}  // namespace ocirun::hcs::wclayer
