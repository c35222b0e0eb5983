// Copyright 2026 The trustsim Authors.
//
// unicode.h
// -----------------------------------------------------------------------------
//
// Conversions between the encodings passwords travel in. Windows keeps machine
// passwords as raw UTF-16LE bytes, often not valid UTF-16 (120 random code
// units); the NT hash is taken over those bytes, while Kerberos string-to-key
// needs UTF-8. How invalid code units become UTF-8 is a fidelity choice, so it
// is a parameter (see docs/fidelity.md, "Machine password to UTF-8").

#ifndef TRUSTSIM_BASE_UNICODE_H_
#define TRUSTSIM_BASE_UNICODE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"

namespace trustsim {

// Encodes valid UTF-8 as UTF-16LE bytes. Invalid UTF-8 is an error.
absl::StatusOr<Bytes> Utf8ToUtf16Le(absl::string_view utf8);

// How `Utf16LeToUtf8` treats code units that have no UTF-8 form.
enum class Utf16Munging {
  // Samba's CH_UTF16MUNGED, which states it follows Windows' string-to-key:
  // U+0000 becomes U+0001, unpaired surrogates become U+FFFD.
  kWindows,
  // Python's decode('utf-16-le', 'replace') as used by impacket: unpaired
  // surrogates become U+FFFD, U+0000 is kept.
  kImpacket,
};

// Decodes UTF-16LE bytes to UTF-8 without failing: unpaired surrogates are
// replaced as `munging` says. A trailing odd byte is dropped.
std::string Utf16LeToUtf8(ByteView utf16le, Utf16Munging munging = Utf16Munging::kWindows);

}  // namespace trustsim

#endif  // TRUSTSIM_BASE_UNICODE_H_
