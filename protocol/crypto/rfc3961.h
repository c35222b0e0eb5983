// Copyright 2026 The trustsim Authors.
//
// rfc3961.h
// -----------------------------------------------------------------------------
//
// The key-derivation machinery of RFC 3961 ("simplified profile"), specialised
// to the AES enctypes of RFC 3962:
//
//   n-fold(input, n)  stretches or folds a constant to n bits (§5.1);
//   DR(K, constant)   = E(K, n-fold(constant)) chained until key-sized;
//   DK(K, constant)   = random-to-key(DR(K, constant)), the identity for AES.
//
// Per-usage keys are DK(base, usage || 0x99 | 0xAA | 0x55) for the checksum,
// encryption and integrity keys respectively.

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_RFC3961_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_RFC3961_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "base/bytes.h"

namespace trustsim::crypto {

// Returns `input` n-folded to `output_bytes` bytes. `input` must not be empty.
Bytes NFold(ByteView input, size_t output_bytes);

// RFC 3961 DR with AES as E. `key` is 16 or 32 bytes; the result has the same
// length.
absl::StatusOr<Bytes> DeriveRandom(ByteView key, ByteView constant);

// RFC 3961 DK for AES (random-to-key is the identity).
absl::StatusOr<Bytes> DeriveKey(ByteView key, ByteView constant);

// The derivation constants for a key usage number.
enum class KeyRole : uint8_t { kChecksum = 0x99, kEncryption = 0xAA, kIntegrity = 0x55 };
Bytes UsageConstant(uint32_t usage, KeyRole role);

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_RFC3961_H_
