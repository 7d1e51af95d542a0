// HRESULTs the HCS (computecore.dll) and its layer calls (vmcompute.dll) return, and the one mapping
// from an HRESULT to a base::Status that both clients use. Depends on base only, so the layer
// library (wclayer.h) can use it without the rest of the HCS backend.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace ocirun::hcs {

// As hcsshim's internal/hcs/errors.go names them.
inline constexpr uint32_t kHcsPending = 0xC0370103;
inline constexpr uint32_t kHcsInvalidState = 0xC0370105;
inline constexpr uint32_t kHcsInvalidStateWarning = 0x80370105;
inline constexpr uint32_t kHcsUnexpectedExit = 0xC0370106;
inline constexpr uint32_t kHcsInvalidJson = 0xC037010D;
inline constexpr uint32_t kHcsSystemNotFound = 0xC037010E;
inline constexpr uint32_t kHcsAlreadyExists = 0xC037010F;
inline constexpr uint32_t kHcsAlreadyStopped = 0xC0370110;
inline constexpr uint32_t kHcsOperationTimeout = 0x80370118;
inline constexpr uint32_t kHcsProcessAlreadyStopped = 0x8037011F;
inline constexpr uint32_t kAccessDenied = 0x80070005;
inline constexpr uint32_t kSharingViolation = 0x80070020;  // HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION)
inline constexpr uint32_t kModNotFound = 0x8007007E;       // HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND)

// "<what>: <name> (0x...)" for the HRESULTs above, "<what>: HRESULT 0x..." for the rest. Codes: not
// found (system does not exist), already exists, failed precondition (invalid state, already
// stopped, access denied), invalid argument (invalid JSON), timeout, unimplemented (HCS missing), io
// otherwise. os_error holds the HRESULT.
base::Status HresultError(std::string_view what, uint32_t hr);

}  // namespace ocirun::hcs
