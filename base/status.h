// Status and Result<T>: the error type that crosses every library boundary in ocicert.
// Shaped like C++23 std::expected: a code, the errno or HRESULT behind it, and a message chain
// that each layer extends once ("create container abc: write state: open ...: No such file").
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace base {

enum class Code : uint8_t {
  kOk = 0,
  kInvalidArgument,     // bad input: a field, a flag, an id
  kNotFound,            // the thing named does not exist
  kAlreadyExists,       // the thing would be created twice
  kFailedPrecondition,  // the operation is not allowed in the current state
  kUnimplemented,       // not supported by this build, platform or backend
  kIo,                  // the OS or a file said no (errno / HRESULT set)
  kInternal,            // a bug or an impossible state
  kTimeout,             // a deadline passed
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message, int64_t os_error = 0)
      : code_(code), os_error_(os_error), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // errno (POSIX) or HRESULT (Windows) behind the failure, 0 when none.
  int64_t os_error() const { return os_error_; }
  // The full chain, outermost context first: "ctx: inner ctx: root cause".
  const std::string& message() const { return message_; }

  // Adds one layer of context in front of the message; the code and os error are kept.
  Status Wrap(std::string_view context) const&;
  Status Wrap(std::string_view context) &&;

  // Explicitly drop a status (best-effort cleanup paths).
  void IgnoreError() const {}

  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  int64_t os_error_ = 0;
  std::string message_;
};

// Constructors for the common codes.
Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status AlreadyExists(std::string message);
Status FailedPrecondition(std::string message);
Status Unimplemented(std::string message);
Status Internal(std::string message);
Status Timeout(std::string message);
// An OS failure: "<what>: <strerror(err)>", code kIo (or kNotFound for ENOENT,
// kAlreadyExists for EEXIST, kInvalidArgument for EINVAL), os_error = err.
Status ErrnoError(std::string_view what, int err);
// ErrnoError with the current errno.
Status ErrnoError(std::string_view what);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit like std::expected
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // The error; an OK status when the result holds a value.
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  T value_or(T fallback) const { return ok() ? std::get<T>(v_) : std::move(fallback); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace base

// Return early on error. RETURN_IF_ERROR(expr) for Status, with an optional context:
//   RETURN_IF_ERROR(WriteState(dir), "write state for " + id);
#define OCI_CONCAT_INNER_(a, b) a##b
#define OCI_CONCAT_(a, b) OCI_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                 \
  do {                                        \
    ::base::Status oci_status_ = (expr);      \
    if (!oci_status_.ok()) return oci_status_; \
  } while (0)

#define RETURN_IF_ERROR_CTX(expr, ctx)                     \
  do {                                                     \
    ::base::Status oci_status_ = (expr);                   \
    if (!oci_status_.ok()) return std::move(oci_status_).Wrap(ctx); \
  } while (0)

// ASSIGN_OR_RETURN(auto fd, OpenAt(...));
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(OCI_CONCAT_(oci_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN_CTX(lhs, expr, ctx) \
  ASSIGN_OR_RETURN_CTX_IMPL_(OCI_CONCAT_(oci_result_, __LINE__), lhs, expr, ctx)
#define ASSIGN_OR_RETURN_CTX_IMPL_(tmp, lhs, expr, ctx) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return tmp.status().Wrap(ctx);         \
  lhs = std::move(tmp).value()
