// Copyright 2026 The trustsim Authors.

#include "protocol/dcerpc/interface.h"

#include <cstddef>

namespace trustsim::dcerpc {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The text form is five groups of hex digits separated by '-':
// 8-4-4-4-12. The first three groups are integers that go on the wire
// little-endian; the last two are eight bytes sent as written.
constexpr size_t kTextLength = 36;
constexpr size_t kDashes[] = {8, 13, 18, 23};

}  // namespace

std::optional<Uuid> ParseUuid(absl::string_view text) {
  if (text.size() != kTextLength) return std::nullopt;
  // The 16 bytes in text order (big-endian fields).
  std::array<uint8_t, 16> plain{};
  size_t out = 0;
  for (size_t i = 0; i < text.size();) {
    if (i == kDashes[0] || i == kDashes[1] || i == kDashes[2] || i == kDashes[3]) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int hi = HexDigit(text[i]);
    const int lo = HexDigit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    plain[out++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  if (out != plain.size()) return std::nullopt;
  Uuid wire{};
  // time_low (u32), time_mid (u16), time_hi_and_version (u16): little-endian.
  wire[0] = plain[3];
  wire[1] = plain[2];
  wire[2] = plain[1];
  wire[3] = plain[0];
  wire[4] = plain[5];
  wire[5] = plain[4];
  wire[6] = plain[7];
  wire[7] = plain[6];
  for (size_t i = 8; i < 16; ++i) wire[i] = plain[i];
  return wire;
}

std::string FormatUuid(const Uuid& uuid) {
  static constexpr char kHex[] = "0123456789abcdef";
  const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  std::string text;
  text.reserve(kTextLength);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    const uint8_t b = uuid[order[i]];
    text.push_back(kHex[b >> 4]);
    text.push_back(kHex[b & 0xF]);
  }
  return text;
}

SyntaxId Ndr20Syntax() {
  static const Uuid kUuid = *ParseUuid("8a885d04-1ceb-11c9-9fe8-08002b104860");
  return SyntaxId{kUuid, 2, 0};
}

}  // namespace trustsim::dcerpc
