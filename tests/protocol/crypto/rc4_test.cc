// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/rc4.h"

#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::crypto {
namespace {

using ::trustsim::testing::Hex;

TEST(Rc4Test, Rfc6229KeystreamFor40BitKey) {
  // RFC 6229 §2, key 0x0102030405, keystream at offset 0.
  EXPECT_EQ(ToHex(Rc4(Hex("0102030405"), Bytes(16, 0))), "b2396305f03dc027ccc3524a0a1118a8");
}

TEST(Rc4Test, Rfc6229KeystreamFor128BitKey) {
  // RFC 6229 §2, key 0x0102...10, keystream at offset 0.
  EXPECT_EQ(ToHex(Rc4(Hex("0102030405060708090a0b0c0d0e0f10"), Bytes(16, 0))),
            "9ac7cc9a609d1ef7b2932899cde41b97");
}

TEST(Rc4Test, IsItsOwnInverse) {
  const Bytes key = Hex("00112233445566778899aabbccddeeff");
  const Bytes data = Hex("deadbeef00");
  EXPECT_EQ(Rc4(key, Rc4(key, data)), data);
  EXPECT_TRUE(Rc4(key, {}).empty());
}

}  // namespace
}  // namespace trustsim::crypto
