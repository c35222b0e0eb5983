// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/authenticator.h"

#include "protocol/crypto/hash.h"
#include "protocol/ntstatus.h"

namespace trustsim::netlogon {

NetlogonAuthenticator ClientCredentialChain::Next(uint32_t timestamp) {
  pending_ = AddToLow32(stored_, timestamp);
  has_pending_ = true;
  return {ComputeNetlogonCredential(crypto_, pending_, session_key_), timestamp};
}

absl::Status ClientCredentialChain::Accept(const NetlogonAuthenticator& returned) {
  if (!has_pending_) {
    return absl::FailedPreconditionError("Accept without a preceding Next");
  }
  const NetlogonCredential next = AddToLow32(pending_, 1);
  const NetlogonCredential expected = ComputeNetlogonCredential(crypto_, next, session_key_);
  if (!crypto::ConstantTimeEquals(expected, returned.credential)) {
    return NtStatusError(NtStatus::kAccessDenied,
                         "return authenticator does not match: the server holds another session");
  }
  stored_ = next;
  has_pending_ = false;
  return absl::OkStatus();
}

absl::StatusOr<NetlogonAuthenticator> ServerCredentialChain::Step(
    const NetlogonAuthenticator& received) {
  const NetlogonCredential candidate = AddToLow32(stored_, received.timestamp);
  const NetlogonCredential expected = ComputeNetlogonCredential(crypto_, candidate, session_key_);
  if (!crypto::ConstantTimeEquals(expected, received.credential)) {
    return NtStatusError(NtStatus::kAccessDenied, "authenticator does not verify");
  }
  stored_ = AddToLow32(candidate, 1);
  return NetlogonAuthenticator{ComputeNetlogonCredential(crypto_, stored_, session_key_), 0};
}

}  // namespace trustsim::netlogon
