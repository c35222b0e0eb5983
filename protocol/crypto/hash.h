// Copyright 2026 The trustsim Authors.
//
// hash.h
// -----------------------------------------------------------------------------
//
// Message digests and HMACs from OpenSSL, with fixed-size results, and the NT
// hash (MD4 of the UTF-16LE password) that Netlogon and RC4-HMAC key on.
//
// Example:
//
//   NtHash nt = NtHashOfUtf16Le(lsa_secret.current);   // raw UTF-16LE bytes
//   Digest32 mac = HmacSha256(nt, challenges);

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_HASH_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_HASH_H_

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"

namespace trustsim::crypto {

using Digest16 = std::array<uint8_t, 16>;
using Digest20 = std::array<uint8_t, 20>;
using Digest32 = std::array<uint8_t, 32>;

// The NT one-way function of a password: MD4 over its UTF-16LE bytes. MS-NRPC
// calls it M4SS; RFC 4757 uses it as the RC4-HMAC key.
using NtHash = Digest16;

Digest16 Md4(ByteView data);
Digest16 Md5(ByteView data);
Digest20 Sha1(ByteView data);
Digest32 Sha256(ByteView data);

Digest16 HmacMd5(ByteView key, ByteView data);
Digest20 HmacSha1(ByteView key, ByteView data);
Digest32 HmacSha256(ByteView key, ByteView data);

// Returns the NT hash of a password held as raw UTF-16LE bytes (valid UTF-16
// or not), as Windows stores machine passwords.
NtHash NtHashOfUtf16Le(ByteView utf16le);

// Returns the NT hash of a UTF-8 password. Invalid UTF-8 is an error.
absl::StatusOr<NtHash> NtHashOfPassword(absl::string_view utf8);

// Compares two buffers in time that depends only on their lengths, for
// comparing credentials and MACs.
bool ConstantTimeEquals(ByteView a, ByteView b);

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_HASH_H_
