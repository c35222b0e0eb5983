// Copyright 2026 The trustsim Authors.
//
// aes.h
// -----------------------------------------------------------------------------
//
// The AES modes the protocols use, all from OpenSSL:
//
//   * AES-128-CFB8 with a zero IV, which Netlogon uses for credentials and
//     buffer encryption. Every call starts from the zero IV: state never
//     carries from one call to the next (MS-NRPC 3.1.4.4.1).
//   * AES-CBC with ciphertext stealing, swapping the last two blocks always
//     (OpenSSL's "CS3"), which is RFC 3962's Kerberos mode.
//   * One raw AES block, the `E` of RFC 3961's key derivation.

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_AES_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_AES_H_

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "base/bytes.h"

namespace trustsim::crypto {

using AesBlock = std::array<uint8_t, 16>;
using Aes128Key = std::array<uint8_t, 16>;

// AES-128-CFB8, IV of 16 zero bytes. Any length, including zero.
Bytes Aes128Cfb8Encrypt(const Aes128Key& key, ByteView plaintext);
Bytes Aes128Cfb8Decrypt(const Aes128Key& key, ByteView ciphertext);

// AES-CBC-CTS (CS3) with a zero IV. `key` is 16 or 32 bytes; the input must be
// at least one block (16 bytes). A one-block input is plain CBC.
absl::StatusOr<Bytes> AesCtsEncrypt(ByteView key, ByteView plaintext);
absl::StatusOr<Bytes> AesCtsDecrypt(ByteView key, ByteView ciphertext);

// Encrypts one block with AES-ECB. `key` is 16 or 32 bytes.
absl::StatusOr<AesBlock> AesEncryptBlock(ByteView key, const AesBlock& block);

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_AES_H_
