// Copyright 2026 The trustsim Authors.
//
// buffer_encryption.h
// -----------------------------------------------------------------------------
//
// Encryption of secrets inside Netlogon calls with the session key
// (protocol-facts.md §1.6; Samba libcli/auth/credentials.c):
//
//   * buffers such as NL_TRUST_PASSWORD use AES-128-CFB8 (zero IV, fresh per
//     buffer) if AES was negotiated, else RC4 keyed with the session key if
//     ARCFOUR was, else nothing (Samba then requires a sealed RPC);
//   * ENCRYPTED_NT_OWF_PASSWORD (16 bytes) is always two-key DES, even with
//     AES or RC4, and an all-zero hash is left as is.

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_BUFFER_ENCRYPTION_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_BUFFER_ENCRYPTION_H_

#include <array>
#include <cstdint>

#include "base/bytes.h"
#include "protocol/netlogon/credential.h"

namespace trustsim::netlogon {

enum class BufferCipher { kAesCfb8, kRc4, kNone };

BufferCipher SelectBufferCipher(uint32_t negotiated_flags);

Bytes EncryptBuffer(BufferCipher cipher, const SessionKey& session_key, ByteView plaintext);
Bytes DecryptBuffer(BufferCipher cipher, const SessionKey& session_key, ByteView ciphertext);

using OwfPassword = std::array<uint8_t, 16>;

// ENCRYPTED_NT_OWF_PASSWORD in both directions.
OwfPassword EncryptOwfPassword(const SessionKey& session_key, const OwfPassword& nt_hash);
OwfPassword DecryptOwfPassword(const SessionKey& session_key, const OwfPassword& encrypted);

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_BUFFER_ENCRYPTION_H_
