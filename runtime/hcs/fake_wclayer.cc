#include "runtime/hcs/fake_wclayer.h"

#include "runtime/hcs/guid.h"
#include "runtime/hcs/hresult.h"

namespace ocirun::hcs::wclayer {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ";") + p;
  return out;
}

// The filter driver's answer for a layer in the wrong state (ERROR_INVALID_STATE as an HRESULT).
constexpr uint32_t kInvalidLayerState = 0x8007139F;

}  // namespace

base::Status FakeLayerApi::Record(const std::string& call, const std::string& path, const std::string& detail) {
  calls_.push_back(call + " " + path + (detail.empty() ? "" : " " + detail));
  auto it = fail_next_.find(call);
  if (it == fail_next_.end()) return base::Status::Ok();
  uint32_t hr = it->second;
  fail_next_.erase(it);
  return HresultError(call + " " + path, hr);
}

base::Result<std::string> FakeLayerApi::NameToGuid(const std::string& name) {
  RETURN_IF_ERROR(Record("NameToGuid", name));
  return PortableLayerId(name);
}

base::Status FakeLayerApi::CreateSandboxLayer(const std::string& path, const std::vector<std::string>& parents) {
  RETURN_IF_ERROR(Record("CreateSandboxLayer", path, Join(parents)));
  sandboxes_.insert(path);
  return base::Status::Ok();
}

base::Status FakeLayerApi::ActivateLayer(const std::string& path) {
  RETURN_IF_ERROR(Record("ActivateLayer", path));
  activated_.insert(path);
  return base::Status::Ok();
}

base::Status FakeLayerApi::PrepareLayer(const std::string& path, const std::vector<std::string>& parents) {
  RETURN_IF_ERROR(Record("PrepareLayer", path, Join(parents)));
  if (!activated_.count(path)) return HresultError("PrepareLayer " + path, kInvalidLayerState);
  prepared_.insert(path);
  return base::Status::Ok();
}

base::Result<std::string> FakeLayerApi::GetLayerMountPath(const std::string& path) {
  RETURN_IF_ERROR(Record("GetLayerMountPath", path));
  if (!prepared_.count(path)) return HresultError("GetLayerMountPath " + path, kInvalidLayerState);
  return mount_path;
}

base::Status FakeLayerApi::UnprepareLayer(const std::string& path) {
  RETURN_IF_ERROR(Record("UnprepareLayer", path));
  prepared_.erase(path);
  return base::Status::Ok();
}

base::Status FakeLayerApi::DeactivateLayer(const std::string& path) {
  RETURN_IF_ERROR(Record("DeactivateLayer", path));
  activated_.erase(path);
  return base::Status::Ok();
}

}  // namespace ocirun::hcs::wclayer
