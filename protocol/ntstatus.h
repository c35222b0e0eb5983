// Copyright 2026 The trustsim Authors.
//
// ntstatus.h
// -----------------------------------------------------------------------------
//
// NTSTATUS codes carried inside `absl::Status`. Protocol code reports a
// Windows-visible failure as `NtStatusError(NtStatus::kAccessDenied, "...")`;
// the status keeps an Abseil code for generic handling and the exact NTSTATUS
// as a payload, so an RPC server can put the right 32 bits on the wire and the
// simulator can print exactly what Windows prints.
//
// Values and texts: MS-ERREF, as mirrored in impacket's nt_errors.py
// (protocol-facts.md §3.5, §4.4).
//
// Example:
//
//   absl::Status s = NtStatusError(NtStatus::kNoTrustSamAccount, "WS01$ disabled");
//   GetNtStatus(s);  // NtStatus::kNoTrustSamAccount

#ifndef TRUSTSIM_PROTOCOL_NTSTATUS_H_
#define TRUSTSIM_PROTOCOL_NTSTATUS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace trustsim {

enum class NtStatus : uint32_t {
  kSuccess = 0x00000000,
  kInvalidParameter = 0xC000000D,
  kAccessDenied = 0xC0000022,
  kNoLogonServers = 0xC000005E,
  kWrongPassword = 0xC000006A,
  kLogonFailure = 0xC000006D,
  kAccountRestriction = 0xC000006E,
  kAccountDisabled = 0xC0000072,
  kTimeDifferenceAtDc = 0xC0000133,
  kNoTrustLsaSecret = 0xC000018A,
  kNoTrustSamAccount = 0xC000018B,
  kTrustedDomainFailure = 0xC000018C,
  kTrustedRelationshipFailure = 0xC000018D,
  kNetlogonNotStarted = 0xC0000192,
  kAccountLockedOut = 0xC0000234,
  kDowngradeDetected = 0xC0000388,
};

// Returns the symbolic name, e.g. "STATUS_ACCESS_DENIED", or "STATUS_UNKNOWN".
const char* NtStatusName(NtStatus code);

// Returns an error status carrying `code`. `code` must not be kSuccess.
absl::Status NtStatusError(NtStatus code, absl::string_view message);

// Returns the NTSTATUS carried by `status`: kSuccess for OK, the payload if
// present, and otherwise a generic mapping of the Abseil code.
NtStatus GetNtStatus(const absl::Status& status);

}  // namespace trustsim

#endif  // TRUSTSIM_PROTOCOL_NTSTATUS_H_
