// Copyright 2026 The trustsim Authors.
//
// windows_error.h
// -----------------------------------------------------------------------------
//
// What a Windows user or admin sees when something fails: a Win32 error code,
// its symbolic name, the NTSTATUS underneath, and the exact message text.
// Values and texts come from MS-ERREF as mirrored by impacket's
// system_errors.py and nt_errors.py (protocol-facts.md §3.5, §4.4).
//
// `Outcome` is what every simulated operation returns: the Windows-visible
// result plus `reason`, trustsim's explanation in terms of which password
// each side holds, for the trainer.

#ifndef TRUSTSIM_SIM_WINDOWS_ERROR_H_
#define TRUSTSIM_SIM_WINDOWS_ERROR_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "protocol/ntstatus.h"

namespace trustsim::sim {

enum Win32Error : uint32_t {
  kErrorSuccess = 0,
  kErrorAccessDenied = 5,
  kErrorNotSupported = 50,
  kErrorBadNetpath = 53,
  kErrorInvalidPassword = 86,
  kErrorNoLogonServers = 1311,
  kErrorWrongPassword = 1323,
  kErrorLogonFailure = 1326,
  kErrorAccountRestriction = 1327,
  kErrorAccountDisabled = 1331,
  kErrorNoSuchDomain = 1355,
  kErrorTimeSkew = 1398,
  kErrorNoTrustLsaSecret = 1786,
  kErrorNoTrustSamAccount = 1787,
  kErrorTrustedDomainFailure = 1788,
  kErrorTrustedRelationshipFailure = 1789,
  kErrorDsSpnValueNotUniqueInForest = 8647,
};

// "ERROR_TRUSTED_RELATIONSHIP_FAILURE"; "NERR_Success" for 0.
const char* Win32ErrorName(uint32_t code);
// The message text, e.g. "The trust relationship between this workstation and
// the primary domain failed."
const char* Win32ErrorMessage(uint32_t code);
// The Win32 code Windows reports for an NTSTATUS (RtlNtStatusToDosError for
// the codes trustsim produces).
uint32_t Win32FromNtStatus(NtStatus status);

// Parses how a scenario names an error: a number ("1789"), hex ("0x6FD",
// "0xC000018D" for an NTSTATUS), a Win32 name ("ERROR_NO_LOGON_SERVERS"), an
// NTSTATUS name ("STATUS_ACCESS_DENIED") or "success". Returns the Win32 code.
absl::StatusOr<uint32_t> ParseWin32Error(absl::string_view text);

struct Outcome {
  uint32_t win32 = kErrorSuccess;
  NtStatus ntstatus = NtStatus::kSuccess;
  std::string message;
  std::string reason;

  bool ok() const { return win32 == kErrorSuccess; }

  static Outcome Success(std::string reason = "");
  static Outcome Failure(uint32_t win32, NtStatus ntstatus, std::string reason);
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_WINDOWS_ERROR_H_
