// Copyright 2026 The trustsim Authors.
//
// credential.h
// -----------------------------------------------------------------------------
//
// The secure channel's key schedule (MS-NRPC 3.1.4.3 and 3.1.4.4; Samba
// libcli/auth/credentials.c; protocol-facts.md §1):
//
//   * the negotiated flags pick the crypto: AES if SUPPORTS_AES, else the
//     HMAC-MD5 "strong key" if STRONG_KEYS, else 64-bit DES;
//   * the session key mixes the NT hash of the machine password with both
//     challenges;
//   * ComputeNetlogonCredential encrypts 8 bytes under the session key
//     (AES-128-CFB8 with a zero IV, or two DES passes).
//
// Example:
//
//   SecureChannelCrypto crypto = SelectCrypto(client_flags & server_flags);
//   SessionKey sk = ComputeSessionKey(crypto, nt_hash, client_chal, server_chal);
//   NetlogonCredential client_cred = ComputeNetlogonCredential(crypto, client_chal, sk);

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_CREDENTIAL_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_CREDENTIAL_H_

#include <array>
#include <cstdint>

#include "protocol/crypto/hash.h"

namespace trustsim::netlogon {

using NetlogonChallenge = std::array<uint8_t, 8>;
using NetlogonCredential = std::array<uint8_t, 8>;
using SessionKey = std::array<uint8_t, 16>;

enum class SecureChannelCrypto { kAes, kStrongKey, kDes };

const char* SecureChannelCryptoName(SecureChannelCrypto crypto);

// Picks the crypto from the negotiated (ANDed) flags, as both sides do.
SecureChannelCrypto SelectCrypto(uint32_t negotiated_flags);

// How the 64-bit DES session key adds the two challenges. MS-NRPC 3.1.4.3.3
// adds them as one 64-bit little-endian integer; Samba adds the two 32-bit
// halves separately, dropping the carry between them. They differ when the low
// halves overflow. Only the DES crypto (neither AES nor STRONG_KEYS) is
// affected. See docs/fidelity.md.
enum class DesChallengeSum { kSambaHalves, kMsNrpc64Bit };

// Computes the 16-byte session key. For DES the upper 8 bytes are zero.
SessionKey ComputeSessionKey(SecureChannelCrypto crypto, const crypto::NtHash& nt_hash,
                             const NetlogonChallenge& client_challenge,
                             const NetlogonChallenge& server_challenge,
                             DesChallengeSum des_sum = DesChallengeSum::kSambaHalves);

// ComputeNetlogonCredential(input, session key).
NetlogonCredential ComputeNetlogonCredential(SecureChannelCrypto crypto,
                                             const NetlogonCredential& input,
                                             const SessionKey& session_key);

// Adds `value` to the low 32 bits (little-endian) of `credential`, wrapping;
// the high 4 bytes are untouched. This is the authenticator arithmetic of
// MS-NRPC 3.1.4.5.
NetlogonCredential AddToLow32(const NetlogonCredential& credential, uint32_t value);

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_CREDENTIAL_H_
