// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/pbkdf2.h"

#include <openssl/evp.h>

#include "absl/strings/str_cat.h"
#include "protocol/crypto/internal/openssl.h"

namespace trustsim::crypto {

absl::StatusOr<Bytes> Pbkdf2HmacSha1(ByteView password, ByteView salt, uint32_t iterations,
                                     size_t length) {
  if (iterations == 0 || iterations > kMaxPbkdf2Iterations) {
    return absl::InvalidArgumentError(
        absl::StrCat("pbkdf2: iteration count ", iterations, " out of range"));
  }
  if (length == 0 || length > 1024) {
    return absl::InvalidArgumentError(absl::StrCat("pbkdf2: bad output length ", length));
  }
  Bytes out(length);
  if (PKCS5_PBKDF2_HMAC(
          reinterpret_cast<const char*>(password.data()), static_cast<int>(password.size()),
          salt.data(), static_cast<int>(salt.size()), static_cast<int>(iterations),
          internal::Digest(internal::DigestId::kSha1), static_cast<int>(length), out.data()) != 1) {
    return internal::OpenSslError("PKCS5_PBKDF2_HMAC");
  }
  return out;
}

}  // namespace trustsim::crypto
