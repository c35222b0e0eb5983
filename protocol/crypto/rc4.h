// Copyright 2026 The trustsim Authors.
//
// rc4.h
// -----------------------------------------------------------------------------
//
// RC4 from OpenSSL's legacy provider, for RFC 4757's RC4-HMAC and for Netlogon
// buffers when ARCFOUR is negotiated without AES.

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_RC4_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_RC4_H_

#include "base/bytes.h"

namespace trustsim::crypto {

// Returns `data` XORed with the RC4 keystream of `key` (1 to 256 bytes).
// Encryption and decryption are the same operation.
Bytes Rc4(ByteView key, ByteView data);

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_RC4_H_
