// A thread nobody joins: the stdio relay's directions (stdio_relay.cc), which may stay blocked in a
// read after the relay is gone.
//
// On Windows this is a bare CreateThread, not std::thread + detach(). mingw-w64's std::thread runs
// on winpthreads, and ocirun.exe crashed now and then under wine as a relay thread ended: in
// libstdc++'s thread trampoline, after the thread's function returned, the std::thread state's
// vtable pointer read 1 (a write through freed memory into a reused block). Short-lived detached
// threads, whose exit can race with detach(), are the likely cause; with no winpthreads in this
// path there is nothing of theirs left to race.
#pragma once

#include <functional>
#include <string>

namespace ocirun::hcs {

// Runs `fn` on a new thread that is never joined. False, with `error` set, when no thread can be made.
bool StartDetachedThread(std::function<void()> fn, std::string* error);

}  // namespace ocirun::hcs
