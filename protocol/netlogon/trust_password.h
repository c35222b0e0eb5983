// Copyright 2026 The trustsim Authors.
//
// trust_password.h
// -----------------------------------------------------------------------------
//
// NL_TRUST_PASSWORD, the 516-byte structure NetrServerPasswordSet2 carries
// (MS-NRPC 3.4.5.2.6; protocol-facts.md §2.5):
//
//   Buffer[512]: random filler, then the UTF-16LE password in the last
//                Length bytes (it ends at offset 512);
//   Length:      uint32 little-endian, at offset 512.
//
// All 516 bytes are encrypted with the session key (buffer_encryption.h).
// The server's checks follow Samba's dcesrv_netr_ServerPasswordSet2, the
// hardening that answers Zerologon's all-zero password set:
//
//   * a Length over 512 or odd cannot be decoded: STATUS_ACCESS_DENIED;
//   * STATUS_WRONG_PASSWORD if the password is shorter than 2 bytes
//     ("no empty machine passwords") or all zero, or, when a cipher was
//     applied, if decryption left the Length, the filler or the password
//     bytes unchanged (a sign that the client did not really encrypt them).

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_TRUST_PASSWORD_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_TRUST_PASSWORD_H_

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "base/random.h"
#include "protocol/netlogon/buffer_encryption.h"
#include "protocol/netlogon/credential.h"

namespace trustsim::netlogon {

inline constexpr size_t kTrustPasswordBufferBytes = 512;
inline constexpr size_t kTrustPasswordBytes = 516;

using NlTrustPassword = std::array<uint8_t, kTrustPasswordBytes>;

// Builds the plaintext structure for a workstation account: random filler from
// `rng`, the password at the end of the buffer, and its byte length.
// `password_utf16le` must have an even length of at most 512 bytes.
absl::StatusOr<NlTrustPassword> BuildTrustPassword(ByteView password_utf16le, RandomSource& rng);

// Encrypts or decrypts all 516 bytes with the cipher the flags select.
NlTrustPassword EncryptTrustPassword(uint32_t negotiated_flags, const SessionKey& session_key,
                                     const NlTrustPassword& plaintext);

// The server side: decrypts, applies the checks above, and returns the
// password's UTF-16LE bytes. Errors carry the NTSTATUS Samba returns.
absl::StatusOr<Bytes> DecryptTrustPassword(uint32_t negotiated_flags, const SessionKey& session_key,
                                           const NlTrustPassword& encrypted);

// The checks alone: `received` is what arrived on the wire, `decrypted` what
// it decrypted to, and `cipher_applied` whether a cipher was negotiated at all.
// Returns the password's UTF-16LE bytes.
absl::StatusOr<Bytes> ValidateTrustPassword(const NlTrustPassword& received,
                                            const NlTrustPassword& decrypted, bool cipher_applied);

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_TRUST_PASSWORD_H_
