// Copyright 2026 The trustsim Authors.
//
// handshake.h
// -----------------------------------------------------------------------------
//
// Both ends of secure-channel setup (NetrServerReqChallenge followed by
// NetrServerAuthenticate3; MS-NRPC 3.1.4.1, protocol-facts.md §1.4), sans I/O.
//
// The server side takes the pending challenge out of its store first, so it is
// consumed even when authentication fails, then proves the client against
// each password it is willing to accept: only the current one, or the current
// and the previous one, as the DC profile decides.

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_HANDSHAKE_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_HANDSHAKE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "protocol/netlogon/authenticator.h"
#include "protocol/netlogon/challenge.h"
#include "protocol/netlogon/credential.h"

namespace trustsim::netlogon {

// What the server holds after a successful ServerAuthenticate.
struct ServerSession {
  uint32_t negotiated_flags = 0;
  SessionKey session_key{};
  // The ServerCredential to return to the client.
  NetlogonCredential server_credential{};
  // Which of the candidate passwords matched (0 = current).
  size_t matched_password = 0;
  ServerCredentialChain chain;
};

// Server side of ServerAuthenticate. Takes the challenge for `computer_name`
// from `store`, refuses a non-random client challenge, and checks
// `client_credential` against each of `candidate_passwords` in order.
// Returns STATUS_ACCESS_DENIED if there is no pending challenge, the challenge
// is not random, or no candidate matches.
absl::StatusOr<ServerSession> AuthenticateClient(
    ChallengeStore& store, absl::string_view computer_name, uint32_t negotiated_flags,
    const NetlogonCredential& client_credential,
    absl::Span<const crypto::NtHash> candidate_passwords,
    DesChallengeSum des_sum = DesChallengeSum::kSambaHalves);

// Client side: derives the session key and the ClientCredential to send, then
// checks the ServerCredential that comes back.
//
// Example:
//
//   ClientHandshake hs(kWindowsClientFlags, nt_hash, client_chal, server_chal);
//   ... send hs.client_credential(), receive server_credential ...
//   ASSIGN_OR_RETURN(ClientCredentialChain chain, hs.Finish(server_credential));
class ClientHandshake {
 public:
  ClientHandshake(uint32_t negotiated_flags, const crypto::NtHash& nt_hash,
                  const NetlogonChallenge& client_challenge,
                  const NetlogonChallenge& server_challenge,
                  DesChallengeSum des_sum = DesChallengeSum::kSambaHalves);

  const NetlogonCredential& client_credential() const { return client_credential_; }
  const SessionKey& session_key() const { return session_key_; }

  // Verifies the server's credential. A mismatch means the server does not
  // know our password (or is not who it claims): STATUS_ACCESS_DENIED.
  absl::StatusOr<ClientCredentialChain> Finish(const NetlogonCredential& server_credential) const;

 private:
  SecureChannelCrypto crypto_;
  SessionKey session_key_;
  NetlogonCredential client_credential_;
  NetlogonCredential expected_server_credential_;
};

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_HANDSHAKE_H_
