// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/trust_password.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/byte_reader.h"
#include "base/status_macros.h"
#include "protocol/ntstatus.h"

namespace trustsim::netlogon {
namespace {

NlTrustPassword RunCipher(uint32_t negotiated_flags, const SessionKey& session_key,
                          const NlTrustPassword& in, bool encrypt) {
  const BufferCipher cipher = SelectBufferCipher(negotiated_flags);
  const Bytes out =
      encrypt ? EncryptBuffer(cipher, session_key, in) : DecryptBuffer(cipher, session_key, in);
  return ToArray<kTrustPasswordBytes>(out);
}

bool RangeEqual(const NlTrustPassword& a, const NlTrustPassword& b, size_t begin, size_t end) {
  return std::equal(a.begin() + begin, a.begin() + end, b.begin() + begin);
}

}  // namespace

absl::StatusOr<NlTrustPassword> BuildTrustPassword(ByteView password_utf16le, RandomSource& rng) {
  const size_t length = password_utf16le.size();
  if (length > kTrustPasswordBufferBytes || length % 2 != 0) {
    return absl::InvalidArgumentError(absl::StrCat("NL_TRUST_PASSWORD: password of ", length,
                                                   " bytes; need an even length of at most 512"));
  }
  NlTrustPassword out{};
  const size_t offset = kTrustPasswordBufferBytes - length;
  rng.Fill(absl::MakeSpan(out.data(), offset));
  std::copy(password_utf16le.begin(), password_utf16le.end(), out.begin() + offset);
  for (int i = 0; i < 4; ++i) {
    out[kTrustPasswordBufferBytes + i] = static_cast<uint8_t>(length >> (8 * i));
  }
  return out;
}

NlTrustPassword EncryptTrustPassword(uint32_t negotiated_flags, const SessionKey& session_key,
                                     const NlTrustPassword& plaintext) {
  return RunCipher(negotiated_flags, session_key, plaintext, /*encrypt=*/true);
}

absl::StatusOr<Bytes> DecryptTrustPassword(uint32_t negotiated_flags, const SessionKey& session_key,
                                           const NlTrustPassword& encrypted) {
  return ValidateTrustPassword(encrypted,
                               RunCipher(negotiated_flags, session_key, encrypted, false),
                               SelectBufferCipher(negotiated_flags) != BufferCipher::kNone);
}

absl::StatusOr<Bytes> ValidateTrustPassword(const NlTrustPassword& received,
                                            const NlTrustPassword& decrypted, bool cipher_applied) {
  ByteReader length_reader(ByteView(decrypted).subspan(kTrustPasswordBufferBytes));
  ASSIGN_OR_RETURN(const uint32_t length, length_reader.ReadU32Le());
  if (length > kTrustPasswordBufferBytes || length % 2 != 0) {
    return NtStatusError(NtStatus::kAccessDenied,
                         absl::StrCat("NL_TRUST_PASSWORD: undecodable length ", length));
  }
  if (length < 2) {
    return NtStatusError(NtStatus::kWrongPassword,
                         "NL_TRUST_PASSWORD: empty machine passwords are refused");
  }
  const size_t offset = kTrustPasswordBufferBytes - length;
  if (cipher_applied) {
    if (RangeEqual(decrypted, received, kTrustPasswordBufferBytes, kTrustPasswordBytes)) {
      return NtStatusError(NtStatus::kWrongPassword,
                           "NL_TRUST_PASSWORD: the length field was not encrypted");
    }
    if (offset > 0 && RangeEqual(decrypted, received, 0, offset)) {
      return NtStatusError(NtStatus::kWrongPassword,
                           "NL_TRUST_PASSWORD: the confounder was not encrypted");
    }
    if (RangeEqual(decrypted, received, offset, kTrustPasswordBufferBytes)) {
      return NtStatusError(NtStatus::kWrongPassword,
                           "NL_TRUST_PASSWORD: the password was not encrypted");
    }
  }
  const auto password_begin = decrypted.begin() + offset;
  const auto password_end = decrypted.begin() + kTrustPasswordBufferBytes;
  if (std::all_of(password_begin, password_end, [](uint8_t b) { return b == 0; })) {
    return NtStatusError(NtStatus::kWrongPassword, "NL_TRUST_PASSWORD: all-zero password");
  }
  return Bytes(password_begin, password_end);
}

}  // namespace trustsim::netlogon
