// Copyright 2026 The trustsim Authors.
//
// pbkdf2.h
// -----------------------------------------------------------------------------
//
// PBKDF2-HMAC-SHA1 (RFC 2898) from OpenSSL, the first half of RFC 3962's AES
// string-to-key.

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_PBKDF2_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_PBKDF2_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "base/bytes.h"

namespace trustsim::crypto {

// The largest iteration count accepted. Iteration counts can arrive from the
// network (Kerberos s2kparams); MIT krb5 refuses counts of 2^24 and above, and
// so does trustsim.
inline constexpr uint32_t kMaxPbkdf2Iterations = (1u << 24) - 1;

// Derives `length` bytes. `iterations` must be in [1, kMaxPbkdf2Iterations].
absl::StatusOr<Bytes> Pbkdf2HmacSha1(ByteView password, ByteView salt, uint32_t iterations,
                                     size_t length);

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_PBKDF2_H_
