// Copyright 2026 The trustsim Authors.
//
// kerberos_encryption.h
// -----------------------------------------------------------------------------
//
// Kerberos encryption with key usages:
//
//   * AES (RFC 3962 over RFC 3961's simplified profile): a 16-byte random
//     confounder, AES-CTS under Ke = DK(key, usage|0xAA), then the first 12
//     bytes of HMAC-SHA1 under Ki = DK(key, usage|0x55) over confounder|plain.
//   * RC4-HMAC (RFC 4757): K1 = HMAC-MD5(key, usage'), checksum =
//     HMAC-MD5(K1, confounder|plain), K3 = HMAC-MD5(K1, checksum), output =
//     checksum | RC4(K3, confounder|plain), with an 8-byte confounder. Usage 3
//     is sent as 8 and 23 as 13 (RFC 4757 §3 with its errata: 9 stays 9).
//
// Decryption failures are reported with Abseil codes chosen for the KDC to map:
// too short is `kOutOfRange`, a failed integrity check is `kDataLoss`
// (KRB_AP_ERR_BAD_INTEGRITY on the wire).

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_KERBEROS_ENCRYPTION_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_KERBEROS_ENCRYPTION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "base/random.h"
#include "protocol/crypto/kerberos_key.h"

namespace trustsim::crypto {

// Kerberos key usage numbers (RFC 4120 §7.5.1) that trustsim uses.
enum KeyUsage : uint32_t {
  kUsageAsReqPaEncTimestamp = 1,
  kUsageTicket = 2,
  kUsageAsRepEncPart = 3,
  kUsageTgsReqAuthenticatorChecksum = 6,
  kUsageTgsReqAuthenticator = 7,
  kUsageTgsRepEncPartSessionKey = 8,
  kUsageTgsRepEncPartSubkey = 9,
  kUsageApReqAuthenticatorChecksum = 10,
  kUsageApReqAuthenticator = 11,
  kUsageApRepEncPart = 12,
};

// The confounder length for `type`: 16 for AES, 8 for RC4-HMAC.
size_t ConfounderLength(EncType type);

// Encrypts with a fresh confounder drawn from `rng`.
absl::StatusOr<Bytes> KerberosEncrypt(const KerberosKey& key, uint32_t usage, ByteView plaintext,
                                      RandomSource& rng);

// Encrypts with the given confounder, which must be `ConfounderLength` bytes.
// For tests and cross-implementation checks; protocol code uses the overload
// above.
absl::StatusOr<Bytes> KerberosEncryptWithConfounder(const KerberosKey& key, uint32_t usage,
                                                    ByteView confounder, ByteView plaintext);

// Decrypts and verifies; returns the plaintext without the confounder.
absl::StatusOr<Bytes> KerberosDecrypt(const KerberosKey& key, uint32_t usage, ByteView ciphertext);

// True if `status` is the integrity failure `KerberosDecrypt` reports.
bool IsIntegrityFailure(const absl::Status& status);

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_KERBEROS_ENCRYPTION_H_
