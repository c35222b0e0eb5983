// Copyright 2026 The trustsim Authors.
//
// kerberos_key.h
// -----------------------------------------------------------------------------
//
// Kerberos long-term keys and how they come from passwords:
//
//   * aes128/aes256-cts-hmac-sha1-96 (17, 18): RFC 3962 string-to-key,
//     DK(random-to-key(PBKDF2-HMAC-SHA1(password, salt, iterations)), "kerberos");
//   * rc4-hmac (23): RFC 4757, the NT hash of the password.
//
// Active Directory salts a computer account with
// UPPER(realm) + "host" + lower(name without "$") + "." + lower(realm)
// (MS-KILE 3.1.1.2); a KDC that sends any other salt makes every client
// derive the wrong key.
//
// Example:
//
//   std::string salt = AdComputerSalt("CORP.EXAMPLE.COM", "WS01$");
//   ASSIGN_OR_RETURN(KerberosKey key,
//                    StringToKey(EncType::kAes256CtsHmacSha196, "Passw0rd!", salt));

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_KERBEROS_KEY_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_KERBEROS_KEY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"
#include "base/unicode.h"

namespace trustsim::crypto {

// Kerberos encryption types (RFC 3961 §8, RFC 3962, RFC 4757).
enum class EncType : int32_t {
  kAes128CtsHmacSha196 = 17,
  kAes256CtsHmacSha196 = 18,
  kRc4Hmac = 23,
};

// Returns the IANA name ("aes256-cts-hmac-sha1-96"), or "unknown".
const char* EncTypeName(EncType type);

// Returns the enctype for a number from the wire, or an error if trustsim does
// not implement it.
absl::StatusOr<EncType> EncTypeFromNumber(int32_t number);

// The key length in bytes: 16 for aes128 and rc4-hmac, 32 for aes256.
size_t KeyLength(EncType type);

// The default iteration count of RFC 3962, which AD uses.
inline constexpr uint32_t kDefaultAesIterations = 4096;

struct KerberosKey {
  EncType type;
  Bytes bytes;

  friend bool operator==(const KerberosKey&, const KerberosKey&) = default;
};

// Returns the AD salt for a computer account. `computer_name` may carry the
// trailing "$" of its sAMAccountName; it is dropped.
std::string AdComputerSalt(absl::string_view realm, absl::string_view computer_name);

// Derives a key from a UTF-8 password. `iterations` applies to AES only.
absl::StatusOr<KerberosKey> StringToKey(EncType type, absl::string_view password_utf8,
                                        absl::string_view salt,
                                        uint32_t iterations = kDefaultAesIterations);

// Derives a key from a password held as raw UTF-16LE bytes, as a member's LSA
// secret holds it. RC4 hashes the bytes as they are; AES first converts them to
// UTF-8 as `munging` says.
absl::StatusOr<KerberosKey> MachinePasswordToKey(EncType type, ByteView password_utf16le,
                                                 absl::string_view salt,
                                                 Utf16Munging munging = Utf16Munging::kWindows);

// Validates that raw key bytes have the right length for `type`.
absl::StatusOr<KerberosKey> KeyFromBytes(EncType type, ByteView bytes);

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_KERBEROS_KEY_H_
