#include "base/status.h"

#include <cerrno>
#include <cstring>

namespace base {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kNotFound: return "not found";
    case Code::kAlreadyExists: return "already exists";
    case Code::kFailedPrecondition: return "failed precondition";
    case Code::kUnimplemented: return "unimplemented";
    case Code::kIo: return "io";
    case Code::kInternal: return "internal";
    case Code::kTimeout: return "timeout";
  }
  return "unknown";
}

Status Status::Wrap(std::string_view context) const& {
  Status copy = *this;
  return std::move(copy).Wrap(context);
}

Status Status::Wrap(std::string_view context) && {
  if (ok()) return std::move(*this);
  std::string chained(context);
  if (!message_.empty()) {
    chained += ": ";
    chained += message_;
  }
  message_ = std::move(chained);
  return std::move(*this);
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return message_.empty() ? std::string(CodeName(code_)) : message_;
}

Status InvalidArgument(std::string m) { return Status(Code::kInvalidArgument, std::move(m)); }
Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
Status AlreadyExists(std::string m) { return Status(Code::kAlreadyExists, std::move(m)); }
Status FailedPrecondition(std::string m) { return Status(Code::kFailedPrecondition, std::move(m)); }
Status Unimplemented(std::string m) { return Status(Code::kUnimplemented, std::move(m)); }
Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }
Status Timeout(std::string m) { return Status(Code::kTimeout, std::move(m)); }

Status ErrnoError(std::string_view what, int err) {
  Code code = Code::kIo;
  if (err == ENOENT) code = Code::kNotFound;
  if (err == EEXIST) code = Code::kAlreadyExists;
  if (err == EINVAL) code = Code::kInvalidArgument;
  std::string message(what);
  message += ": ";
  message += std::strerror(err);
  return Status(code, std::move(message), err);
}

Status ErrnoError(std::string_view what) { return ErrnoError(what, errno); }

}  // namespace base
