// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base/status_macros.h"
#include "base/unicode.h"
#include "protocol/crypto/internal/openssl.h"

namespace trustsim::crypto {
namespace {

using internal::CheckOk;
using internal::Digest;
using internal::DigestId;
using internal::OpenSslError;

template <size_t N>
std::array<uint8_t, N> RunDigest(DigestId id, ByteView data) {
  std::array<uint8_t, N> out{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &length, Digest(id), nullptr) != 1 ||
      length != N) {
    CheckOk(OpenSslError("EVP_Digest"));
  }
  return out;
}

template <size_t N>
std::array<uint8_t, N> RunHmac(DigestId id, ByteView key, ByteView data) {
  std::array<uint8_t, N> out{};
  internal::Hmac(id, key, data, out.data(), N);
  return out;
}

}  // namespace

Digest16 Md4(ByteView data) { return RunDigest<16>(DigestId::kMd4, data); }
Digest16 Md5(ByteView data) { return RunDigest<16>(DigestId::kMd5, data); }
Digest20 Sha1(ByteView data) { return RunDigest<20>(DigestId::kSha1, data); }
Digest32 Sha256(ByteView data) { return RunDigest<32>(DigestId::kSha256, data); }

Digest16 HmacMd5(ByteView key, ByteView data) { return RunHmac<16>(DigestId::kMd5, key, data); }
Digest20 HmacSha1(ByteView key, ByteView data) { return RunHmac<20>(DigestId::kSha1, key, data); }
Digest32 HmacSha256(ByteView key, ByteView data) {
  return RunHmac<32>(DigestId::kSha256, key, data);
}

NtHash NtHashOfUtf16Le(ByteView utf16le) { return Md4(utf16le); }

absl::StatusOr<NtHash> NtHashOfPassword(absl::string_view utf8) {
  ASSIGN_OR_RETURN(Bytes utf16, Utf8ToUtf16Le(utf8));
  return NtHashOfUtf16Le(utf16);
}

bool ConstantTimeEquals(ByteView a, ByteView b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace trustsim::crypto
