// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/des.h"

#include <cassert>

#include "protocol/crypto/internal/openssl.h"

namespace trustsim::crypto {

DesBlock ExpandDesKey(ByteView key7) {
  assert(key7.size() >= 7);
  DesBlock key{};
  key[0] = key7[0] >> 1;
  key[1] = ((key7[0] & 0x01) << 6) | (key7[1] >> 2);
  key[2] = ((key7[1] & 0x03) << 5) | (key7[2] >> 3);
  key[3] = ((key7[2] & 0x07) << 4) | (key7[3] >> 4);
  key[4] = ((key7[3] & 0x0F) << 3) | (key7[4] >> 5);
  key[5] = ((key7[4] & 0x1F) << 2) | (key7[5] >> 6);
  key[6] = ((key7[5] & 0x3F) << 1) | (key7[6] >> 7);
  key[7] = key7[6] & 0x7F;
  for (uint8_t& b : key) b = static_cast<uint8_t>(b << 1);
  return key;
}

DesBlock DesCrypt56(ByteView key7, const DesBlock& in, DesDirection direction) {
  const DesBlock key = ExpandDesKey(key7);
  DesBlock out{};
  internal::CheckOk(internal::RunCipher(internal::CipherId::kDesEcb,
                                        direction == DesDirection::kEncrypt
                                            ? internal::Direction::kEncrypt
                                            : internal::Direction::kDecrypt,
                                        key, {}, in, out.data()));
  return out;
}

DesBlock DesCrypt112(ByteView key, const DesBlock& in) {
  assert(key.size() >= 14);
  const DesBlock first = DesCrypt56(key.subspan(0, 7), in, DesDirection::kEncrypt);
  return DesCrypt56(key.subspan(7, 7), first, DesDirection::kEncrypt);
}

DesBlock DesCrypt128(ByteView key, const DesBlock& in) {
  assert(key.size() >= 16);
  const DesBlock first = DesCrypt56(key.subspan(0, 7), in, DesDirection::kEncrypt);
  return DesCrypt56(key.subspan(9, 7), first, DesDirection::kEncrypt);
}

std::array<uint8_t, 16> DesCrypt112x16(ByteView key, ByteView in16, DesDirection direction) {
  assert(key.size() >= 14 && in16.size() == 16);
  std::array<uint8_t, 16> out{};
  for (int half = 0; half < 2; ++half) {
    const DesBlock block = ToArray<8>(in16.subspan(8 * half, 8));
    const DesBlock result = DesCrypt56(key.subspan(7 * half, 7), block, direction);
    std::copy(result.begin(), result.end(), out.begin() + 8 * half);
  }
  return out;
}

}  // namespace trustsim::crypto
