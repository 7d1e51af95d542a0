#include "runtime/hcs/stdio_relay.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "runtime/hcs/detached_thread.h"

namespace ocirun::hcs {

using Clock = std::chrono::steady_clock;

// The direction threads are detached and share this with the relay: a relay abandoned while a
// thread is blocked in a read (a console nobody types into) never waits for it, and the thread
// touches nothing but this state and its own streams when the read returns.
struct StdioRelay::Shared {
  std::mutex mu;
  std::condition_variable cv;
  bool abandoned = false;
  int outputs_running = 0;
  int writes_in_flight = 0;  // output writes to the caller under way (a slow reader is not idle)
  Clock::time_point last_output = Clock::now();
  std::function<void()> stdin_closed;
  bool callback_running = false;
  RelayReport report;

  void NoteError(const std::string& what) {
    if (report.first_error.empty()) report.first_error = what;
  }
};

namespace {

using Shared = StdioRelay::Shared;
constexpr size_t kChunk = 64 * 1024;

// Runs `fn` on a detached thread; false (and an error in the report) when no thread can be made.
template <typename Fn>
bool Spawn(Shared& s, Fn fn) {
  std::string error;
  if (StartDetachedThread(std::move(fn), &error)) return true;
  std::lock_guard lock(s.mu);
  s.NoteError("start relay thread: " + error);
  return false;
}

// Writes one chunk to the caller (when it still has a working sink); false once the sink failed.
bool Deliver(Shared& s, ByteStream* to, const char* buf, size_t n, const char* name) {
  if (!to) return false;
  {
    std::lock_guard lock(s.mu);
    ++s.writes_in_flight;
  }
  base::Status st = to->Write(buf, n);
  std::lock_guard lock(s.mu);
  --s.writes_in_flight;
  s.last_output = Clock::now();
  if (!st.ok()) s.NoteError(std::string("write ") + name + ": " + st.ToString());
  s.cv.notify_all();
  return st.ok();
}

// process output -> caller, until the pipe ends. Output the caller cannot take is dropped.
void PumpOutput(std::shared_ptr<Shared> s, std::shared_ptr<ByteStream> from, std::shared_ptr<ByteStream> to,
                uint64_t RelayReport::*counter, const char* name) {
  std::vector<char> buf(kChunk);
  bool sink = to != nullptr;
  for (;;) {
    base::Result<size_t> n = from->Read(buf.data(), buf.size());
    {
      std::lock_guard lock(s->mu);
      if (s->abandoned) return;
      if (!n.ok()) s->NoteError(std::string("read ") + name + ": " + n.status().ToString());
      if (!n.ok() || *n == 0) break;
      s->report.*counter += *n;
      s->last_output = Clock::now();
    }
    if (sink) sink = Deliver(*s, to.get(), buf.data(), *n, name);
  }
  if (to) to->Close();  // a no-op for this process's own (borrowed) standard handles
  std::lock_guard lock(s->mu);
  if (--s->outputs_running == 0) s->report.output_done = true;
  s->cv.notify_all();
}

// Copies caller input to the process until either side ends; false when abandoned meanwhile.
bool CopyInput(Shared& s, ByteStream& from, ByteStream& to) {
  std::vector<char> buf(kChunk);
  for (;;) {
    base::Result<size_t> n = from.Read(buf.data(), buf.size());
    std::unique_lock lock(s.mu);
    if (s.abandoned) return false;
    if (!n.ok()) s.NoteError("read stdin: " + n.status().ToString());
    if (!n.ok() || *n == 0) return true;
    s.report.in_bytes += *n;
    lock.unlock();
    if (base::Status st = to.Write(buf.data(), *n); !st.ok()) {
      lock.lock();
      s.NoteError("write stdin: " + st.ToString());  // the process no longer reads its stdin
      return true;
    }
  }
}

// caller input -> process stdin; then close the process's stdin and tell whoever holds the process.
void PumpInput(std::shared_ptr<Shared> s, std::shared_ptr<ByteStream> from, std::shared_ptr<ByteStream> to) {
  if (from && !CopyInput(*s, *from, *to)) return;
  to->Close();
  std::function<void()> callback;
  {
    std::lock_guard lock(s->mu);
    if (s->abandoned) return;
    callback = std::move(s->stdin_closed);
    s->callback_running = true;
  }
  if (callback) callback();
  callback = nullptr;  // what it holds (the HCS process) goes before the relay learns it is done
  std::lock_guard lock(s->mu);
  s->callback_running = false;
  s->report.input_done = true;
  s->cv.notify_all();
}

}  // namespace

std::unique_ptr<StdioRelay> StdioRelay::Start(StdioStreams caller, StdioStreams process,
                                              std::function<void()> stdin_closed) {
  auto s = std::make_shared<Shared>();
  s->stdin_closed = std::move(stdin_closed);
  std::shared_ptr<ByteStream> pin(std::move(process.in)), pout(std::move(process.out)), perr(std::move(process.err));
  std::shared_ptr<ByteStream> cin(std::move(caller.in)), cout(std::move(caller.out)), cerr(std::move(caller.err));
  s->outputs_running = (pout ? 1 : 0) + (perr ? 1 : 0);
  s->report.output_done = s->outputs_running == 0;
  s->report.input_done = !pin;
  if (pin && !Spawn(*s, [s, cin, pin] { PumpInput(s, cin, pin); })) s->report.input_done = true;
  struct Direction {
    std::shared_ptr<ByteStream> from, to;
    uint64_t RelayReport::*counter;
    const char* name;
  };
  for (const Direction& d : {Direction{pout, cout, &RelayReport::out_bytes, "stdout"},
                             Direction{perr, cerr, &RelayReport::err_bytes, "stderr"}}) {
    if (!d.from) continue;
    if (!Spawn(*s, [s, d] { PumpOutput(s, d.from, d.to, d.counter, d.name); })) {
      std::lock_guard lock(s->mu);
      if (--s->outputs_running == 0) s->report.output_done = true;
    }
  }
  return std::unique_ptr<StdioRelay>(new StdioRelay(std::move(s)));
}

StdioRelay::~StdioRelay() {
  std::function<void()> dropped;  // destroyed after the lock is released
  std::unique_lock lock(shared_->mu);
  shared_->abandoned = true;
  dropped = std::move(shared_->stdin_closed);
  // A stdin_closed already running finishes first: it may use what the caller is about to tear down.
  shared_->cv.wait(lock, [&] { return !shared_->callback_running; });
}

bool StdioRelay::WaitOutput(Duration idle) {
  std::unique_lock lock(shared_->mu);
  const Clock::time_point start = Clock::now();
  for (;;) {
    if (shared_->outputs_running == 0) return true;
    if (shared_->writes_in_flight > 0) {
      shared_->cv.wait(lock);
      continue;
    }
    Clock::time_point deadline = std::max(shared_->last_output, start) + idle;
    if (Clock::now() >= deadline) return false;
    shared_->cv.wait_until(lock, deadline);
  }
}

bool StdioRelay::WaitInput(Duration timeout) {
  std::unique_lock lock(shared_->mu);
  return shared_->cv.wait_for(lock, timeout, [&] { return shared_->report.input_done; });
}

RelayReport StdioRelay::Report() const {
  std::lock_guard lock(shared_->mu);
  return shared_->report;
}

}  // namespace ocirun::hcs
