// Copyright 2026 The trustsim Authors.

#include "base/bytes.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace trustsim {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ToHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

absl::StatusOr<Bytes> FromHex(absl::string_view hex) {
  Bytes out;
  int high = -1;
  for (size_t i = 0; i < hex.size(); ++i) {
    const char c = hex[i];
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      if (high >= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("hex: whitespace inside a byte at offset ", i));
      }
      continue;
    }
    const int v = HexValue(c);
    if (v < 0) {
      return absl::InvalidArgumentError(absl::StrCat("hex: bad character at offset ", i));
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) return absl::InvalidArgumentError("hex: odd number of digits");
  return out;
}

}  // namespace trustsim
