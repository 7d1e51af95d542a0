#include <windows.h>

#include <memory>

#include "base/win32_util.h"
#include "runtime/hcs/detached_thread.h"

namespace ocirun::hcs {
namespace {

DWORD WINAPI RunTask(LPVOID param) {
  std::unique_ptr<std::function<void()>> task(static_cast<std::function<void()>*>(param));
  (*task)();
  return 0;
}

}  // namespace

bool StartDetachedThread(std::function<void()> fn, std::string* error) {
  auto task = std::make_unique<std::function<void()>>(std::move(fn));
  HANDLE thread = ::CreateThread(nullptr, 0, RunTask, task.get(), 0, nullptr);
  if (!thread) {
    *error = base::Win32Error("CreateThread").message();
    return false;
  }
  task.release();  // the thread owns it now
  ::CloseHandle(thread);
  return true;
}

}  // namespace ocirun::hcs
