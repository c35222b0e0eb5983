// Copyright 2026 The trustsim Authors.
//
// internal/openssl.h
// -----------------------------------------------------------------------------
//
// The one place that talks to OpenSSL's provider machinery. It loads the
// "default" and "legacy" providers once (MD4, RC4 and single DES live only in
// the legacy provider in OpenSSL 3), fetches each algorithm once, and turns
// OpenSSL's error queue into an `absl::Status`.
//
// Not part of the public crypto API.

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_INTERNAL_OPENSSL_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_INTERNAL_OPENSSL_H_

#include <openssl/evp.h>

#include <memory>

#include "absl/status/status.h"
#include "base/bytes.h"

namespace trustsim::crypto::internal {

enum class CipherId {
  kAes128Ecb,
  kAes256Ecb,
  kAes128Cfb8,
  kAes128CbcCts,
  kAes256CbcCts,
  kDesEcb,
  kRc4,
};

enum class DigestId {
  kMd4,
  kMd5,
  kSha1,
  kSha256,
};

// Returns the fetched algorithm. Aborts the process if OpenSSL cannot provide
// it: a build without the legacy provider cannot run trustsim at all, and
// saying so once, loudly, beats failing every call.
const EVP_CIPHER* Cipher(CipherId id);
const EVP_MD* Digest(DigestId id);

// Computes HMAC with `digest` into `out` (sized for the digest). Uses a MAC
// context cached per thread and digest, re-keyed on every call: OpenSSL 3.0's
// one-shot HMAC() fetches the MAC and the digest by name on every call, which
// costs more than the MAC itself on short inputs.
void Hmac(DigestId digest, ByteView key, ByteView data, uint8_t* out, size_t out_size);

// Returns `kInternal` with `what` and the newest OpenSSL error, and clears the
// error queue.
absl::Status OpenSslError(const char* what);

// Aborts with `status`'s message unless it is OK. For operations that cannot
// fail on any input (hashing, HMAC, stream ciphers) and so only fail when
// OpenSSL itself is broken or out of memory.
void CheckOk(const absl::Status& status);

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

enum class Direction { kEncrypt, kDecrypt };

// Runs `cipher` over `in` in one pass with padding disabled, writing exactly
// `in.size()` bytes to `out`. `iv` may be empty for ECB and RC4. Every call
// starts from a freshly keyed state with the given IV: nothing carries
// between calls.
// `cts_mode`, if non-null, selects the ciphertext-stealing variant ("CS3").
absl::Status RunCipher(CipherId cipher, Direction direction, ByteView key, ByteView iv, ByteView in,
                       uint8_t* out, const char* cts_mode = nullptr);

}  // namespace trustsim::crypto::internal

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_INTERNAL_OPENSSL_H_
