// Copyright 2026 The trustsim Authors.

#include "protocol/ntstatus.h"

#include "absl/strings/cord.h"
#include "absl/types/optional.h"

namespace trustsim {
namespace {

constexpr char kPayloadUrl[] = "type.trustsim.dev/ntstatus";

struct Entry {
  NtStatus code;
  const char* name;
  absl::StatusCode abseil_code;
};

constexpr Entry kEntries[] = {
    {NtStatus::kSuccess, "STATUS_SUCCESS", absl::StatusCode::kOk},
    {NtStatus::kInvalidParameter, "STATUS_INVALID_PARAMETER", absl::StatusCode::kInvalidArgument},
    {NtStatus::kAccessDenied, "STATUS_ACCESS_DENIED", absl::StatusCode::kPermissionDenied},
    {NtStatus::kNoLogonServers, "STATUS_NO_LOGON_SERVERS", absl::StatusCode::kUnavailable},
    {NtStatus::kWrongPassword, "STATUS_WRONG_PASSWORD", absl::StatusCode::kPermissionDenied},
    {NtStatus::kLogonFailure, "STATUS_LOGON_FAILURE", absl::StatusCode::kUnauthenticated},
    {NtStatus::kAccountRestriction, "STATUS_ACCOUNT_RESTRICTION",
     absl::StatusCode::kFailedPrecondition},
    {NtStatus::kAccountDisabled, "STATUS_ACCOUNT_DISABLED", absl::StatusCode::kFailedPrecondition},
    {NtStatus::kTimeDifferenceAtDc, "STATUS_TIME_DIFFERENCE_AT_DC",
     absl::StatusCode::kFailedPrecondition},
    {NtStatus::kNoTrustLsaSecret, "STATUS_NO_TRUST_LSA_SECRET", absl::StatusCode::kNotFound},
    {NtStatus::kNoTrustSamAccount, "STATUS_NO_TRUST_SAM_ACCOUNT", absl::StatusCode::kNotFound},
    {NtStatus::kTrustedDomainFailure, "STATUS_TRUSTED_DOMAIN_FAILURE",
     absl::StatusCode::kUnauthenticated},
    {NtStatus::kTrustedRelationshipFailure, "STATUS_TRUSTED_RELATIONSHIP_FAILURE",
     absl::StatusCode::kUnauthenticated},
    {NtStatus::kNetlogonNotStarted, "STATUS_NETLOGON_NOT_STARTED", absl::StatusCode::kUnavailable},
    {NtStatus::kAccountLockedOut, "STATUS_ACCOUNT_LOCKED_OUT",
     absl::StatusCode::kFailedPrecondition},
    {NtStatus::kDowngradeDetected, "STATUS_DOWNGRADE_DETECTED",
     absl::StatusCode::kPermissionDenied},
};

const Entry* Find(NtStatus code) {
  for (const Entry& e : kEntries) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

}  // namespace

const char* NtStatusName(NtStatus code) {
  const Entry* e = Find(code);
  return e == nullptr ? "STATUS_UNKNOWN" : e->name;
}

absl::Status NtStatusError(NtStatus code, absl::string_view message) {
  const Entry* e = Find(code);
  absl::Status status(e != nullptr && e->abseil_code != absl::StatusCode::kOk
                          ? e->abseil_code
                          : absl::StatusCode::kUnknown,
                      message);
  const uint32_t v = static_cast<uint32_t>(code);
  const char bytes[4] = {static_cast<char>(v), static_cast<char>(v >> 8),
                         static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
  status.SetPayload(kPayloadUrl, absl::Cord(absl::string_view(bytes, 4)));
  return status;
}

NtStatus GetNtStatus(const absl::Status& status) {
  if (status.ok()) return NtStatus::kSuccess;
  if (absl::optional<absl::Cord> payload = status.GetPayload(kPayloadUrl);
      payload.has_value() && payload->size() == 4) {
    const std::string b(*payload);
    return static_cast<NtStatus>(static_cast<uint8_t>(b[0]) | static_cast<uint8_t>(b[1]) << 8 |
                                 static_cast<uint8_t>(b[2]) << 16 |
                                 static_cast<uint32_t>(static_cast<uint8_t>(b[3])) << 24);
  }
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return NtStatus::kInvalidParameter;
    case absl::StatusCode::kUnavailable:
      return NtStatus::kNoLogonServers;
    default:
      return NtStatus::kAccessDenied;
  }
}

}  // namespace trustsim
