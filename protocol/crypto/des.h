// Copyright 2026 The trustsim Authors.
//
// des.h
// -----------------------------------------------------------------------------
//
// Single DES as Netlogon uses it. Netlogon keys DES with 7-byte (56-bit)
// slices of a session key or NT hash; each slice is spread over the 8 bytes
// DES expects (MS-NRPC InitLMKey, Samba's str_to_key). The block cipher itself
// is OpenSSL's DES-ECB from the legacy provider.
//
// Names follow Samba's libcli/auth/smbdes.c, whose unit-test vectors the tests
// reproduce.

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_DES_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_DES_H_

#include <array>
#include <cstdint>

#include "base/bytes.h"

namespace trustsim::crypto {

using DesBlock = std::array<uint8_t, 8>;

enum class DesDirection { kEncrypt, kDecrypt };

// Expands 7 key bytes to an 8-byte DES key: each 7-bit group becomes a byte,
// shifted left by one (the parity bit is left 0). `key7` has 7 bytes.
DesBlock ExpandDesKey(ByteView key7);

// DES-ECB of one block under the expanded `key7`.
DesBlock DesCrypt56(ByteView key7, const DesBlock& in, DesDirection direction);

// Two DES passes: key bytes 0..6, then 7..13. The Netlogon DES credential.
// `key` has at least 14 bytes.
DesBlock DesCrypt112(ByteView key, const DesBlock& in);

// Two DES passes: key bytes 0..6, then 9..15. The 64-bit DES session key.
// `key` has 16 bytes.
DesBlock DesCrypt128(ByteView key, const DesBlock& in);

// Two independent blocks: bytes 0..7 under key bytes 0..6 and bytes 8..15 under
// key bytes 7..13. Netlogon's ENCRYPTED_NT_OWF_PASSWORD, which is always DES.
std::array<uint8_t, 16> DesCrypt112x16(ByteView key, ByteView in16, DesDirection direction);

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_DES_H_
