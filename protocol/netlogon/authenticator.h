// Copyright 2026 The trustsim Authors.
//
// authenticator.h
// -----------------------------------------------------------------------------
//
// Authenticator chaining for calls on an established secure channel (MS-NRPC
// 3.1.4.5; protocol-facts.md §1.5). Both sides keep a stored credential,
// seeded with the ClientCredential of the handshake. For each call:
//
//   client:  stored += timestamp;  sends {Cred(stored), timestamp}
//   server:  checks Cred(stored + timestamp); stored += timestamp + 1;
//            returns {Cred(stored), 0}
//   client:  stored += 1; expects the returned Cred(stored)
//
// "+=" adds to the low 32 bits only. The server does not compare timestamps
// with its clock: they are increments. A failed check leaves the stored
// credential as it was (Samba stores the new state only after success), so an
// authenticator replayed after a successful call never verifies again.

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_AUTHENTICATOR_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_AUTHENTICATOR_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "protocol/netlogon/credential.h"

namespace trustsim::netlogon {

// NETLOGON_AUTHENTICATOR.
struct NetlogonAuthenticator {
  NetlogonCredential credential{};
  uint32_t timestamp = 0;

  friend bool operator==(const NetlogonAuthenticator&, const NetlogonAuthenticator&) = default;
};

// The client's half of the chain.
//
// Example:
//
//   NetlogonAuthenticator a = chain.Next(/*timestamp=*/now_unix);
//   ... call NetrServerPasswordSet2 with `a`, receive `returned` ...
//   RETURN_IF_ERROR(chain.Accept(returned));
class ClientCredentialChain {
 public:
  ClientCredentialChain(SecureChannelCrypto crypto, const SessionKey& session_key,
                        const NetlogonCredential& seed)
      : crypto_(crypto), session_key_(session_key), stored_(seed) {}

  // Builds the authenticator for the next call. Calling `Next` again before
  // `Accept` starts over from the last accepted state.
  NetlogonAuthenticator Next(uint32_t timestamp);

  // Verifies the server's ReturnAuthenticator for the call built by the last
  // `Next`, and only then advances the stored credential. A mismatch is
  // STATUS_ACCESS_DENIED and changes nothing.
  absl::Status Accept(const NetlogonAuthenticator& returned);

  const NetlogonCredential& stored_credential() const { return stored_; }
  SecureChannelCrypto crypto() const { return crypto_; }
  const SessionKey& session_key() const { return session_key_; }

 private:
  SecureChannelCrypto crypto_;
  SessionKey session_key_;
  NetlogonCredential stored_;
  NetlogonCredential pending_{};
  bool has_pending_ = false;
};

// The server's half of the chain.
class ServerCredentialChain {
 public:
  ServerCredentialChain(SecureChannelCrypto crypto, const SessionKey& session_key,
                        const NetlogonCredential& seed)
      : crypto_(crypto), session_key_(session_key), stored_(seed) {}

  // Verifies `received`; on success advances the stored credential and
  // returns the ReturnAuthenticator (timestamp 0, as Samba sends). On failure
  // returns STATUS_ACCESS_DENIED and leaves the state unchanged.
  absl::StatusOr<NetlogonAuthenticator> Step(const NetlogonAuthenticator& received);

  const NetlogonCredential& stored_credential() const { return stored_; }
  SecureChannelCrypto crypto() const { return crypto_; }
  const SessionKey& session_key() const { return session_key_; }

 private:
  SecureChannelCrypto crypto_;
  SessionKey session_key_;
  NetlogonCredential stored_;
};

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_AUTHENTICATOR_H_
