// Copyright 2026 The trustsim Authors.
//
// kerberos_checksum.h
// -----------------------------------------------------------------------------
//
// Keyed Kerberos checksums with key usages, as a KDC needs them for the
// authenticator checksum over a TGS-REQ body (key usage 6):
//
//   * hmac-sha1-96-aes128 (15) and hmac-sha1-96-aes256 (16), RFC 3962 §7:
//     the first 12 bytes of HMAC-SHA1 under Kc = DK(key, usage|0x99);
//   * hmac-md5 (-138), RFC 4757 §4: Ksign = HMAC-MD5(key, "signaturekey\0"),
//     checksum = HMAC-MD5(Ksign, MD5(usage as 4 LE bytes | data)).
//
// Each enctype has a mandatory checksum type (RFC 3961 §4 / RFC 3962 §7 /
// RFC 4757): 16 for aes256, 15 for aes128, -138 for rc4-hmac.
//
// Example:
//
//   ASSIGN_OR_RETURN(Bytes sum, KerberosChecksum(session_key, 6, body_der));
//   RETURN_IF_ERROR(VerifyKerberosChecksum(session_key, 6, cksumtype, body_der, sum));

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_KERBEROS_CHECKSUM_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_KERBEROS_CHECKSUM_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "protocol/crypto/kerberos_key.h"

namespace trustsim::crypto {

inline constexpr int32_t kChecksumHmacSha196Aes128 = 15;
inline constexpr int32_t kChecksumHmacSha196Aes256 = 16;
inline constexpr int32_t kChecksumHmacMd5 = -138;

// The mandatory checksum type of `type`'s keys.
int32_t MandatoryChecksumType(EncType type);

// Computes the mandatory checksum of `data` under `key` and `usage`.
absl::StatusOr<Bytes> KerberosChecksum(const KerberosKey& key, uint32_t usage, ByteView data);

// Checks `checksum` of type `checksum_type` over `data`. A checksum type that
// does not belong to the key's enctype is `kInvalidArgument`
// (KRB_AP_ERR_INAPP_CKSUM on the wire); a wrong value is `kDataLoss`
// (KRB_AP_ERR_MODIFIED).
absl::Status VerifyKerberosChecksum(const KerberosKey& key, uint32_t usage, int32_t checksum_type,
                                    ByteView data, ByteView checksum);

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_KERBEROS_CHECKSUM_H_
