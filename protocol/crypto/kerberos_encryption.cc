// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/kerberos_encryption.h"

#include "absl/strings/str_cat.h"
#include "base/byte_writer.h"
#include "base/status_macros.h"
#include "protocol/crypto/aes.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/rc4.h"
#include "protocol/crypto/rfc3961.h"

namespace trustsim::crypto {
namespace {

constexpr size_t kAesMacLength = 12;  // HMAC-SHA1-96
constexpr size_t kRc4ChecksumLength = 16;

absl::Status IntegrityError(EncType type) {
  return absl::DataLossError(absl::StrCat(EncTypeName(type), ": integrity check failed"));
}

Bytes Concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

uint32_t Rc4Usage(uint32_t usage) {
  if (usage == kUsageAsRepEncPart) return 8;
  if (usage == 23) return 13;
  return usage;
}

Digest16 Rc4UsageKey(const KerberosKey& key, uint32_t usage) {
  ByteWriter w;
  w.WriteU32Le(Rc4Usage(usage));
  return HmacMd5(key.bytes, w.view());
}

absl::StatusOr<Bytes> AesEncrypt(const KerberosKey& key, uint32_t usage, ByteView confounder,
                                 ByteView plaintext) {
  ASSIGN_OR_RETURN(Bytes ke, DeriveKey(key.bytes, UsageConstant(usage, KeyRole::kEncryption)));
  ASSIGN_OR_RETURN(Bytes ki, DeriveKey(key.bytes, UsageConstant(usage, KeyRole::kIntegrity)));
  const Bytes basic = Concat(confounder, plaintext);
  ASSIGN_OR_RETURN(Bytes out, AesCtsEncrypt(ke, basic));
  const Digest20 mac = HmacSha1(ki, basic);
  out.insert(out.end(), mac.begin(), mac.begin() + kAesMacLength);
  return out;
}

absl::StatusOr<Bytes> AesDecrypt(const KerberosKey& key, uint32_t usage, ByteView ciphertext) {
  if (ciphertext.size() < 16 + kAesMacLength) {
    return absl::OutOfRangeError(absl::StrCat(EncTypeName(key.type), ": ciphertext of ",
                                              ciphertext.size(), " bytes is too short"));
  }
  ASSIGN_OR_RETURN(Bytes ke, DeriveKey(key.bytes, UsageConstant(usage, KeyRole::kEncryption)));
  ASSIGN_OR_RETURN(Bytes ki, DeriveKey(key.bytes, UsageConstant(usage, KeyRole::kIntegrity)));
  const ByteView body = ciphertext.first(ciphertext.size() - kAesMacLength);
  const ByteView mac = ciphertext.last(kAesMacLength);
  ASSIGN_OR_RETURN(Bytes basic, AesCtsDecrypt(ke, body));
  const Digest20 expected = HmacSha1(ki, basic);
  if (!ConstantTimeEquals(ByteView(expected).first(kAesMacLength), mac)) {
    return IntegrityError(key.type);
  }
  return Bytes(basic.begin() + 16, basic.end());
}

Bytes Rc4Encrypt(const KerberosKey& key, uint32_t usage, ByteView confounder, ByteView plaintext) {
  const Digest16 k1 = Rc4UsageKey(key, usage);
  const Bytes basic = Concat(confounder, plaintext);
  const Digest16 checksum = HmacMd5(k1, basic);
  const Digest16 k3 = HmacMd5(k1, checksum);
  return Concat(checksum, Rc4(k3, basic));
}

absl::StatusOr<Bytes> Rc4Decrypt(const KerberosKey& key, uint32_t usage, ByteView ciphertext) {
  if (ciphertext.size() < kRc4ChecksumLength + 8) {
    return absl::OutOfRangeError(
        absl::StrCat("rc4-hmac: ciphertext of ", ciphertext.size(), " bytes is too short"));
  }
  const Digest16 k1 = Rc4UsageKey(key, usage);
  const ByteView checksum = ciphertext.first(kRc4ChecksumLength);
  const Digest16 k3 = HmacMd5(k1, checksum);
  const Bytes basic = Rc4(k3, ciphertext.subspan(kRc4ChecksumLength));
  const Digest16 expected = HmacMd5(k1, basic);
  if (!ConstantTimeEquals(expected, checksum)) return IntegrityError(key.type);
  return Bytes(basic.begin() + 8, basic.end());
}

absl::Status CheckKey(const KerberosKey& key) {
  if (key.bytes.size() != KeyLength(key.type)) {
    return absl::InvalidArgumentError(
        absl::StrCat(EncTypeName(key.type), ": key of ", key.bytes.size(), " bytes"));
  }
  return absl::OkStatus();
}

}  // namespace

size_t ConfounderLength(EncType type) { return type == EncType::kRc4Hmac ? 8 : 16; }

absl::StatusOr<Bytes> KerberosEncrypt(const KerberosKey& key, uint32_t usage, ByteView plaintext,
                                      RandomSource& rng) {
  Bytes confounder(ConfounderLength(key.type));
  rng.Fill(absl::MakeSpan(confounder));
  return KerberosEncryptWithConfounder(key, usage, confounder, plaintext);
}

absl::StatusOr<Bytes> KerberosEncryptWithConfounder(const KerberosKey& key, uint32_t usage,
                                                    ByteView confounder, ByteView plaintext) {
  RETURN_IF_ERROR(CheckKey(key));
  if (confounder.size() != ConfounderLength(key.type)) {
    return absl::InvalidArgumentError("kerberos: bad confounder length");
  }
  if (key.type == EncType::kRc4Hmac) return Rc4Encrypt(key, usage, confounder, plaintext);
  return AesEncrypt(key, usage, confounder, plaintext);
}

absl::StatusOr<Bytes> KerberosDecrypt(const KerberosKey& key, uint32_t usage, ByteView ciphertext) {
  RETURN_IF_ERROR(CheckKey(key));
  if (key.type == EncType::kRc4Hmac) return Rc4Decrypt(key, usage, ciphertext);
  return AesDecrypt(key, usage, ciphertext);
}

bool IsIntegrityFailure(const absl::Status& status) {
  return status.code() == absl::StatusCode::kDataLoss;
}

}  // namespace trustsim::crypto
