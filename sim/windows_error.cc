// Copyright 2026 The trustsim Authors.

#include "sim/windows_error.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace trustsim::sim {
namespace {

struct Entry {
  uint32_t code;
  const char* name;
  const char* message;
  NtStatus ntstatus;
};

constexpr Entry kEntries[] = {
    {kErrorSuccess, "NERR_Success", "The command completed successfully.", NtStatus::kSuccess},
    {kErrorAccessDenied, "ERROR_ACCESS_DENIED", "Access is denied.", NtStatus::kAccessDenied},
    {kErrorNotSupported, "ERROR_NOT_SUPPORTED", "The request is not supported.",
     NtStatus::kSuccess},
    {kErrorBadNetpath, "ERROR_BAD_NETPATH", "The network path was not found.", NtStatus::kSuccess},
    {kErrorInvalidPassword, "ERROR_INVALID_PASSWORD",
     "The specified network password is not correct.", NtStatus::kWrongPassword},
    {kErrorNoLogonServers, "ERROR_NO_LOGON_SERVERS",
     "There are currently no logon servers available to service the logon request.",
     NtStatus::kNoLogonServers},
    {kErrorWrongPassword, "ERROR_WRONG_PASSWORD",
     "Unable to update the password. The value provided as the current password is incorrect.",
     NtStatus::kWrongPassword},
    {kErrorLogonFailure, "ERROR_LOGON_FAILURE", "The user name or password is incorrect.",
     NtStatus::kLogonFailure},
    {kErrorAccountRestriction, "ERROR_ACCOUNT_RESTRICTION",
     "Account restrictions are preventing this user from signing in. For example: blank "
     "passwords aren't allowed, sign-in times are limited, or a policy restriction has been "
     "enforced.",
     NtStatus::kAccountRestriction},
    {kErrorAccountDisabled, "ERROR_ACCOUNT_DISABLED",
     "This user can't sign in because this account is currently disabled.",
     NtStatus::kAccountDisabled},
    {kErrorNoSuchDomain, "ERROR_NO_SUCH_DOMAIN",
     "The specified domain either does not exist or could not be contacted.", NtStatus::kSuccess},
    {kErrorTimeSkew, "ERROR_TIME_SKEW",
     "There is a time and/or date difference between the client and server.",
     NtStatus::kTimeDifferenceAtDc},
    {kErrorNoTrustLsaSecret, "ERROR_NO_TRUST_LSA_SECRET",
     "The workstation does not have a trust secret.", NtStatus::kNoTrustLsaSecret},
    {kErrorNoTrustSamAccount, "ERROR_NO_TRUST_SAM_ACCOUNT",
     "The security database on the server does not have a computer account for this "
     "workstation trust relationship.",
     NtStatus::kNoTrustSamAccount},
    {kErrorTrustedDomainFailure, "ERROR_TRUSTED_DOMAIN_FAILURE",
     "The trust relationship between the primary domain and the trusted domain failed.",
     NtStatus::kTrustedDomainFailure},
    {kErrorTrustedRelationshipFailure, "ERROR_TRUSTED_RELATIONSHIP_FAILURE",
     "The trust relationship between this workstation and the primary domain failed.",
     NtStatus::kTrustedRelationshipFailure},
    {kErrorDsSpnValueNotUniqueInForest, "ERROR_DS_SPN_VALUE_NOT_UNIQUE_IN_FOREST",
     "The operation failed because SPN value provided for addition/modification is not unique "
     "forest-wide.",
     NtStatus::kSuccess},
};

const Entry* Find(uint32_t code) {
  for (const Entry& e : kEntries) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

}  // namespace

const char* Win32ErrorName(uint32_t code) {
  const Entry* e = Find(code);
  return e == nullptr ? "ERROR_UNKNOWN" : e->name;
}

const char* Win32ErrorMessage(uint32_t code) {
  const Entry* e = Find(code);
  return e == nullptr ? "Unknown error." : e->message;
}

uint32_t Win32FromNtStatus(NtStatus status) {
  switch (status) {
    case NtStatus::kSuccess:
      return kErrorSuccess;
    case NtStatus::kAccessDenied:
      return kErrorAccessDenied;
    case NtStatus::kNoLogonServers:
      return kErrorNoLogonServers;
    case NtStatus::kWrongPassword:
      return kErrorInvalidPassword;
    case NtStatus::kLogonFailure:
      return kErrorLogonFailure;
    case NtStatus::kAccountRestriction:
      return kErrorAccountRestriction;
    case NtStatus::kAccountDisabled:
      return kErrorAccountDisabled;
    case NtStatus::kTimeDifferenceAtDc:
      return kErrorTimeSkew;
    case NtStatus::kNoTrustLsaSecret:
      return kErrorNoTrustLsaSecret;
    case NtStatus::kNoTrustSamAccount:
      return kErrorNoTrustSamAccount;
    case NtStatus::kTrustedDomainFailure:
      return kErrorTrustedDomainFailure;
    case NtStatus::kTrustedRelationshipFailure:
      return kErrorTrustedRelationshipFailure;
    default:
      return kErrorAccessDenied;
  }
}

absl::StatusOr<uint32_t> ParseWin32Error(absl::string_view text) {
  const std::string upper = absl::AsciiStrToUpper(text);
  if (upper == "SUCCESS" || upper == "OK") return kErrorSuccess;
  for (const Entry& e : kEntries) {
    if (upper == absl::AsciiStrToUpper(e.name)) return e.code;
    if (e.ntstatus != NtStatus::kSuccess && upper == NtStatusName(e.ntstatus)) return e.code;
  }
  uint32_t value = 0;
  if (absl::StartsWith(upper, "0X")) {
    if (absl::SimpleHexAtoi(upper.substr(2), &value)) {
      if (value < 0xC0000000) return value;
      // An NTSTATUS is accepted only if trustsim knows what Windows shows for it.
      for (const Entry& e : kEntries) {
        if (e.ntstatus != NtStatus::kSuccess && static_cast<uint32_t>(e.ntstatus) == value) {
          return e.code;
        }
      }
      return absl::InvalidArgumentError(
          absl::StrCat("NTSTATUS ", text, " is not one trustsim produces"));
    }
  } else if (absl::SimpleAtoi(upper, &value)) {
    return value;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown error \"", text,
      "\": use success, a Win32 code (1789), a name (ERROR_TRUSTED_RELATIONSHIP_FAILURE, "
      "STATUS_ACCESS_DENIED) or hex (0xC000018D)"));
}

Outcome Outcome::Success(std::string reason) {
  return Outcome{kErrorSuccess, NtStatus::kSuccess, Win32ErrorMessage(kErrorSuccess),
                 std::move(reason)};
}

Outcome Outcome::Failure(uint32_t win32, NtStatus ntstatus, std::string reason) {
  return Outcome{win32, ntstatus, Win32ErrorMessage(win32), std::move(reason)};
}

}  // namespace trustsim::sim
