// Subprocess on Windows: CreateProcessW with a command line quoted by base/win_cmdline.h, anonymous
// pipes pumped by threads, and a job object holding the child and everything it starts, so a timeout
// (or destroying an unwaited Subprocess) ends the whole tree, like a process-group SIGKILL on POSIX.
// A normal exit leaves helpers the child started running (a runtime's detached shim must survive
// `create`): the job is not kill-on-close. As on POSIX, output is collected until every holder of the
// pipes closes them, bounded by the timeout when there is one.
// Only the three stdio handles are inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST).
#include <windows.h>
// After windows.h: K32GetProcessMemoryInfo is in kernel32 (PSAPI_VERSION 2), no psapi.dll needed.
#include <psapi.h>

#include <atomic>
#include <thread>

#include "base/subprocess.h"
#include "base/win32_util.h"
#include "base/win_cmdline.h"

namespace base {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  UniqueHandle read, write;
};

// A pipe whose `child_end` (0 = read, 1 = write) is inheritable and whose other end is not.
Result<Pipe> MakePipe(int child_end) {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  HANDLE r = nullptr, w = nullptr;
  if (!::CreatePipe(&r, &w, &sa, 0)) return Win32Error("CreatePipe");
  Pipe p{UniqueHandle(r), UniqueHandle(w)};
  HANDLE ours = child_end == 0 ? w : r;
  if (!::SetHandleInformation(ours, HANDLE_FLAG_INHERIT, 0)) return Win32Error("SetHandleInformation");
  return p;
}

Result<UniqueHandle> OpenNul() {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  UniqueHandle h(::CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                               OPEN_EXISTING, 0, nullptr));
  if (!h) return Win32Error("open NUL");
  return h;
}

// An inheritable handle appending to `path` (created if missing). Shared for reading and writing, so
// the caller can read the file while the child (or a container shim it handed the handle to) writes.
Result<UniqueHandle> OpenAppend(const std::string& path) {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  UniqueHandle h(::CreateFileW(Widen(path).c_str(), FILE_APPEND_DATA | SYNCHRONIZE,
                               FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, &sa, OPEN_ALWAYS,
                               FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!h) return Win32Error("open " + path);
  return h;
}

// An inheritable copy of one of our std handles, or NUL when we have none.
Result<UniqueHandle> InheritOurs(DWORD which) {
  HANDLE ours = ::GetStdHandle(which);
  if (ours == nullptr || ours == INVALID_HANDLE_VALUE) return OpenNul();
  HANDLE dup = nullptr;
  if (!::DuplicateHandle(::GetCurrentProcess(), ours, ::GetCurrentProcess(), &dup, 0, TRUE,
                         DUPLICATE_SAME_ACCESS)) {
    return OpenNul();  // e.g. a console pseudo-handle that cannot be duplicated
  }
  return UniqueHandle(dup);
}

void Drain(HANDLE h, std::string* sink) {
  char buf[16384];
  DWORD n = 0;
  while (::ReadFile(h, buf, sizeof buf, &n, nullptr) && n > 0) sink->append(buf, n);
}

std::wstring EnvironmentBlock(const std::vector<std::string>& env) {
  std::wstring block;
  for (const std::string& kv : env) {
    block += Widen(kv);
    block += L'\0';
  }
  block += L'\0';
  return block;
}

bool IsFile(const std::string& path) {
  DWORD a = ::GetFileAttributesW(Widen(path).c_str());
  return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY);
}

class Win32Subprocess final : public Subprocess {
 public:
  Win32Subprocess(UniqueHandle process, UniqueHandle job, DWORD pid, std::chrono::milliseconds timeout)
      : process_(std::move(process)), job_(std::move(job)), pid_(pid), timeout_(timeout), start_(Clock::now()) {}

  ~Win32Subprocess() override {
    if (!waited_) {
      ::TerminateJobObject(job_.get(), 1);
      ::WaitForSingleObject(process_.get(), INFINITE);
    }
    JoinPumps();
  }

  void StartPumps(UniqueHandle in, std::string in_data, UniqueHandle out, UniqueHandle err) {
    if (in) {
      in_thread_ = std::thread([h = std::move(in), data = std::move(in_data)]() mutable {
        std::string_view rest = data;
        while (!rest.empty()) {
          DWORD n = 0;
          DWORD chunk = static_cast<DWORD>(std::min<size_t>(rest.size(), 1 << 20));
          if (!::WriteFile(h.get(), rest.data(), chunk, &n, nullptr)) break;
          rest.remove_prefix(n);
        }
      });
    }
    if (out) {
      ++pumps_;
      out_thread_ = std::thread([this, h = std::move(out)] { Drain(h.get(), &out_); --pumps_; });
    }
    if (err) {
      ++pumps_;
      err_thread_ = std::thread([this, h = std::move(err)] { Drain(h.get(), &err_); --pumps_; });
    }
  }

  int pid() const override { return static_cast<int>(pid_); }

  Status Signal(int signo) override {
    if (waited_) return FailedPrecondition("process " + std::to_string(pid_) + " already exited");
    // Windows has no signals: any signal ends the process tree (exit code 1, as TerminateProcess).
    if (!::TerminateJobObject(job_.get(), 1)) return Win32Error("terminate process " + std::to_string(pid_));
    return Status::Ok();
  }

  Result<SubprocessResult> Wait() override {
    SubprocessResult result;
    DWORD wait_ms = INFINITE;
    if (timeout_.count() > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(start_ + timeout_ - Clock::now());
      wait_ms = static_cast<DWORD>(std::max<int64_t>(0, left.count()));
    }
    DWORD w = ::WaitForSingleObject(process_.get(), wait_ms);
    if (w == WAIT_TIMEOUT) {
      result.timed_out = true;
      ::TerminateJobObject(job_.get(), 1);
      w = ::WaitForSingleObject(process_.get(), INFINITE);
    }
    if (w != WAIT_OBJECT_0) return Win32Error("wait for process " + std::to_string(pid_));
    waited_ = true;
    if (!WaitForPumps()) {
      // Helpers the child left behind still hold its output past the deadline: end the tree.
      result.timed_out = true;
      ::TerminateJobObject(job_.get(), 1);
    }
    JoinPumps();
    result.duration = Clock::now() - start_;
    DWORD code = 0;
    if (!::GetExitCodeProcess(process_.get(), &code)) return Win32Error("exit code of " + std::to_string(pid_));
    if (!result.timed_out) result.exit_code = static_cast<int>(code);
    result.max_rss_kb = PeakWorkingSetKb();
    result.out = std::move(out_);
    result.err = std::move(err_);
    return result;
  }

 private:
  // Waits for the output pumps to see end-of-file; false when the timeout passes first.
  bool WaitForPumps() {
    if (timeout_.count() == 0) return true;
    while (pumps_.load() > 0) {
      if (Clock::now() >= start_ + timeout_) return false;
      ::Sleep(1);
    }
    return true;
  }

  // The child's peak working set (the nearest Windows has to POSIX's max RSS); 0 if unknown.
  int64_t PeakWorkingSetKb() const {
    PROCESS_MEMORY_COUNTERS pmc{};
    pmc.cb = sizeof pmc;
    if (!::K32GetProcessMemoryInfo(process_.get(), &pmc, sizeof pmc)) return 0;
    return static_cast<int64_t>(pmc.PeakWorkingSetSize / 1024);
  }

  void JoinPumps() {
    for (std::thread* t : {&in_thread_, &out_thread_, &err_thread_}) {
      if (t->joinable()) t->join();
    }
  }

  UniqueHandle process_, job_;
  DWORD pid_;
  std::chrono::milliseconds timeout_;
  Clock::time_point start_;
  bool waited_ = false;
  std::string out_, err_;
  std::atomic<int> pumps_{0};
  std::thread in_thread_, out_thread_, err_thread_;
};

struct ChildStdio {
  UniqueHandle child_in, child_out, child_err;  // inheritable, closed after CreateProcessW
  UniqueHandle our_in, our_out, our_err;        // pumped by the parent
};

Result<ChildStdio> PrepareStdio(const SubprocessOptions& o) {
  ChildStdio s;
  if (o.stdin_data) {
    ASSIGN_OR_RETURN(Pipe p, MakePipe(0));
    s.child_in = std::move(p.read);
    s.our_in = std::move(p.write);
  } else if (o.inherit_stdin) {
    ASSIGN_OR_RETURN(s.child_in, InheritOurs(STD_INPUT_HANDLE));
  } else {
    ASSIGN_OR_RETURN(s.child_in, OpenNul());
  }
  if (o.capture_stdout) {
    ASSIGN_OR_RETURN(Pipe p, MakePipe(1));
    s.child_out = std::move(p.write);
    s.our_out = std::move(p.read);
  } else if (!o.stdout_file.empty()) {
    ASSIGN_OR_RETURN(s.child_out, OpenAppend(o.stdout_file));
  } else {
    ASSIGN_OR_RETURN(s.child_out, InheritOurs(STD_OUTPUT_HANDLE));
  }
  if (o.capture_stderr) {
    ASSIGN_OR_RETURN(Pipe p, MakePipe(1));
    s.child_err = std::move(p.write);
    s.our_err = std::move(p.read);
  } else if (!o.stderr_file.empty()) {
    ASSIGN_OR_RETURN(s.child_err, OpenAppend(o.stderr_file));
  } else {
    ASSIGN_OR_RETURN(s.child_err, InheritOurs(STD_ERROR_HANDLE));
  }
  return s;
}

// CreateProcessW, suspended, inheriting exactly the three stdio handles.
Result<PROCESS_INFORMATION> Spawn(const std::string& exe, const SubprocessOptions& o, ChildStdio& s) {
  HANDLE inherit[3] = {s.child_in.get(), s.child_out.get(), s.child_err.get()};
  SIZE_T size = 0;
  ::InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
  std::string attr_buf(size, '\0');
  auto* attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attr_buf.data());
  if (!::InitializeProcThreadAttributeList(attrs, 1, 0, &size)) return Win32Error("InitializeProcThreadAttributeList");
  ::UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit, sizeof inherit, nullptr, nullptr);

  STARTUPINFOEXW si{};
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = inherit[0];
  si.StartupInfo.hStdOutput = inherit[1];
  si.StartupInfo.hStdError = inherit[2];
  si.lpAttributeList = attrs;

  std::wstring cmdline = Widen(JoinWindowsCommandLine(o.argv));
  std::wstring env = o.env ? EnvironmentBlock(*o.env) : std::wstring();
  std::wstring cwd = Widen(o.cwd);
  DWORD flags = CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT;
  if (o.new_process_group) flags |= CREATE_NEW_PROCESS_GROUP;
  PROCESS_INFORMATION pi{};
  BOOL ok = ::CreateProcessW(Widen(exe).c_str(), cmdline.data(), nullptr, nullptr, TRUE, flags,
                             o.env ? env.data() : nullptr, o.cwd.empty() ? nullptr : cwd.c_str(),
                             &si.StartupInfo, &pi);
  DWORD err = ::GetLastError();
  ::DeleteProcThreadAttributeList(attrs);
  if (!ok) return Win32Error("spawn " + exe, err);
  return pi;
}

Result<UniqueHandle> MakeJob() {
  UniqueHandle job(::CreateJobObjectW(nullptr, nullptr));
  if (!job) return Win32Error("CreateJobObject");
  return job;
}

}  // namespace

Result<std::string> FindProgram(const std::string& name) {
  if (name.find_first_of("/\\:") != std::string::npos) {
    if (IsFile(name)) return name;
    if (IsFile(name + ".exe")) return name + ".exe";
    return NotFound("program " + name + " is not executable");
  }
  DWORD n = ::GetEnvironmentVariableW(L"PATH", nullptr, 0);
  std::wstring wpath(n, L'\0');
  if (n) wpath.resize(::GetEnvironmentVariableW(L"PATH", wpath.data(), n));
  std::string path = Narrow(wpath);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(';', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (!dir.empty()) {
      for (const char* ext : {"", ".exe"}) {
        std::string candidate = dir + "\\" + name + ext;
        if (IsFile(candidate)) return candidate;
      }
    }
    start = end + 1;
  }
  return NotFound("program " + name + " not found in PATH");
}

Result<std::unique_ptr<Subprocess>> Subprocess::Start(const SubprocessOptions& o) {
  if (o.argv.empty()) return InvalidArgument("subprocess: empty argv");
  if (!o.extra_fds.empty()) return Unimplemented("subprocess: extra_fds are POSIX only");
  ASSIGN_OR_RETURN(std::string exe, FindProgram(o.argv[0]));
  ASSIGN_OR_RETURN(ChildStdio stdio, PrepareStdio(o));
  ASSIGN_OR_RETURN(UniqueHandle job, MakeJob());
  ASSIGN_OR_RETURN(PROCESS_INFORMATION pi, Spawn(exe, o, stdio));
  UniqueHandle process(pi.hProcess), thread(pi.hThread);
  if (!::AssignProcessToJobObject(job.get(), process.get())) {
    Status st = Win32Error("assign process to job");
    ::TerminateProcess(process.get(), 1);
    return st;
  }
  ::ResumeThread(thread.get());
  stdio.child_in.Reset();  // the child holds its ends; ours must close for EOF to reach the pumps
  stdio.child_out.Reset();
  stdio.child_err.Reset();
  auto sp = std::make_unique<Win32Subprocess>(std::move(process), std::move(job), pi.dwProcessId, o.timeout);
  sp->StartPumps(std::move(stdio.our_in), o.stdin_data.value_or(""), std::move(stdio.our_out),
                 std::move(stdio.our_err));
  return std::unique_ptr<Subprocess>(std::move(sp));
}

Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<Subprocess> sp, Subprocess::Start(options));
  return sp->Wait();
}

}  // namespace base
