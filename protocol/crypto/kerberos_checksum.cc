// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/kerberos_checksum.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/byte_writer.h"
#include "base/status_macros.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/rfc3961.h"

namespace trustsim::crypto {

int32_t MandatoryChecksumType(EncType type) {
  switch (type) {
    case EncType::kAes128CtsHmacSha196:
      return kChecksumHmacSha196Aes128;
    case EncType::kAes256CtsHmacSha196:
      return kChecksumHmacSha196Aes256;
    case EncType::kRc4Hmac:
      return kChecksumHmacMd5;
  }
  return 0;
}

absl::StatusOr<Bytes> KerberosChecksum(const KerberosKey& key, uint32_t usage, ByteView data) {
  if (key.type == EncType::kRc4Hmac) {
    static constexpr char kSignatureKey[] = "signaturekey";  // with its NUL
    const Digest16 ksign =
        HmacMd5(key.bytes,
                ByteView(reinterpret_cast<const uint8_t*>(kSignatureKey), sizeof(kSignatureKey)));
    ByteWriter w;
    w.WriteU32Le(usage);
    w.WriteBytes(data);
    const Digest16 tmp = Md5(w.view());
    const Digest16 sum = HmacMd5(ksign, tmp);
    return Bytes(sum.begin(), sum.end());
  }
  ASSIGN_OR_RETURN(Bytes kc, DeriveKey(key.bytes, UsageConstant(usage, KeyRole::kChecksum)));
  const Digest20 mac = HmacSha1(kc, data);
  return Bytes(mac.begin(), mac.begin() + 12);
}

absl::Status VerifyKerberosChecksum(const KerberosKey& key, uint32_t usage, int32_t checksum_type,
                                    ByteView data, ByteView checksum) {
  if (checksum_type != MandatoryChecksumType(key.type)) {
    return absl::InvalidArgumentError(
        absl::StrCat("checksum type ", checksum_type, " does not go with ", EncTypeName(key.type)));
  }
  ASSIGN_OR_RETURN(Bytes expected, KerberosChecksum(key, usage, data));
  if (!ConstantTimeEquals(expected, checksum)) {
    return absl::DataLossError("kerberos: checksum mismatch");
  }
  return absl::OkStatus();
}

}  // namespace trustsim::crypto
