// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/kerberos_key.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/pbkdf2.h"
#include "protocol/crypto/rfc3961.h"

namespace trustsim::crypto {

const char* EncTypeName(EncType type) {
  switch (type) {
    case EncType::kAes128CtsHmacSha196:
      return "aes128-cts-hmac-sha1-96";
    case EncType::kAes256CtsHmacSha196:
      return "aes256-cts-hmac-sha1-96";
    case EncType::kRc4Hmac:
      return "rc4-hmac";
  }
  return "unknown";
}

absl::StatusOr<EncType> EncTypeFromNumber(int32_t number) {
  switch (number) {
    case 17:
      return EncType::kAes128CtsHmacSha196;
    case 18:
      return EncType::kAes256CtsHmacSha196;
    case 23:
      return EncType::kRc4Hmac;
  }
  return absl::UnimplementedError(absl::StrCat("unsupported enctype ", number));
}

size_t KeyLength(EncType type) { return type == EncType::kAes256CtsHmacSha196 ? 32 : 16; }

std::string AdComputerSalt(absl::string_view realm, absl::string_view computer_name) {
  if (absl::EndsWith(computer_name, "$")) computer_name.remove_suffix(1);
  return absl::StrCat(absl::AsciiStrToUpper(realm), "host", absl::AsciiStrToLower(computer_name),
                      ".", absl::AsciiStrToLower(realm));
}

absl::StatusOr<KerberosKey> KeyFromBytes(EncType type, ByteView bytes) {
  if (bytes.size() != KeyLength(type)) {
    return absl::InvalidArgumentError(absl::StrCat(EncTypeName(type), ": key of ", bytes.size(),
                                                   " bytes, want ", KeyLength(type)));
  }
  return KerberosKey{type, Bytes(bytes.begin(), bytes.end())};
}

absl::StatusOr<KerberosKey> StringToKey(EncType type, absl::string_view password_utf8,
                                        absl::string_view salt, uint32_t iterations) {
  if (type == EncType::kRc4Hmac) {
    ASSIGN_OR_RETURN(NtHash nt, NtHashOfPassword(password_utf8));
    return KerberosKey{type, Bytes(nt.begin(), nt.end())};
  }
  ASSIGN_OR_RETURN(Bytes seed, Pbkdf2HmacSha1(AsBytes(password_utf8), AsBytes(salt), iterations,
                                              KeyLength(type)));
  ASSIGN_OR_RETURN(Bytes key, DeriveKey(seed, AsBytes("kerberos")));
  return KerberosKey{type, std::move(key)};
}

absl::StatusOr<KerberosKey> MachinePasswordToKey(EncType type, ByteView password_utf16le,
                                                 absl::string_view salt, Utf16Munging munging) {
  if (type == EncType::kRc4Hmac) {
    const NtHash nt = NtHashOfUtf16Le(password_utf16le);
    return KerberosKey{type, Bytes(nt.begin(), nt.end())};
  }
  return StringToKey(type, Utf16LeToUtf8(password_utf16le, munging), salt);
}

}  // namespace trustsim::crypto
