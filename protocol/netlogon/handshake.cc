// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/handshake.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "protocol/ntstatus.h"

namespace trustsim::netlogon {

absl::StatusOr<ServerSession> AuthenticateClient(
    ChallengeStore& store, absl::string_view computer_name, uint32_t negotiated_flags,
    const NetlogonCredential& client_credential,
    absl::Span<const crypto::NtHash> candidate_passwords, DesChallengeSum des_sum) {
  ASSIGN_OR_RETURN(ChallengePair pair, store.Take(computer_name));
  RETURN_IF_ERROR(CheckClientChallengeIsRandom(pair.client));
  const SecureChannelCrypto crypto = SelectCrypto(negotiated_flags);
  for (size_t i = 0; i < candidate_passwords.size(); ++i) {
    const SessionKey sk =
        ComputeSessionKey(crypto, candidate_passwords[i], pair.client, pair.server, des_sum);
    const NetlogonCredential expected = ComputeNetlogonCredential(crypto, pair.client, sk);
    if (!crypto::ConstantTimeEquals(expected, client_credential)) continue;
    return ServerSession{
        .negotiated_flags = negotiated_flags,
        .session_key = sk,
        .server_credential = ComputeNetlogonCredential(crypto, pair.server, sk),
        .matched_password = i,
        .chain = ServerCredentialChain(crypto, sk, client_credential),
    };
  }
  return NtStatusError(
      NtStatus::kAccessDenied,
      absl::StrCat("client credential from ", computer_name, " matches none of the ",
                   candidate_passwords.size(), " password(s) the DC accepts"));
}

ClientHandshake::ClientHandshake(uint32_t negotiated_flags, const crypto::NtHash& nt_hash,
                                 const NetlogonChallenge& client_challenge,
                                 const NetlogonChallenge& server_challenge, DesChallengeSum des_sum)
    : crypto_(SelectCrypto(negotiated_flags)),
      session_key_(
          ComputeSessionKey(crypto_, nt_hash, client_challenge, server_challenge, des_sum)),
      client_credential_(ComputeNetlogonCredential(crypto_, client_challenge, session_key_)),
      expected_server_credential_(
          ComputeNetlogonCredential(crypto_, server_challenge, session_key_)) {}

absl::StatusOr<ClientCredentialChain> ClientHandshake::Finish(
    const NetlogonCredential& server_credential) const {
  if (!crypto::ConstantTimeEquals(expected_server_credential_, server_credential)) {
    return NtStatusError(NtStatus::kAccessDenied,
                         "server credential does not match: the DC holds another password");
  }
  return ClientCredentialChain(crypto_, session_key_, client_credential_);
}

}  // namespace trustsim::netlogon
