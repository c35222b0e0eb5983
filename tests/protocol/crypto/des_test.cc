// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/des.h"

#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::crypto {
namespace {

using ::trustsim::testing::Hex;

DesBlock Block(absl::string_view hex) { return ToArray<8>(Hex(hex)); }

// Samba libcli/auth/tests/test_gnutls.c (protocol-facts.md §8).
TEST(DesTest, SambaDesCrypt56) {
  EXPECT_EQ(
      ToHex(DesCrypt56(Hex("6988968EB53A24"), Block("3F495B20A784C234"), DesDirection::kEncrypt)),
      "5486cf51493a535b");
  EXPECT_EQ(
      ToHex(DesCrypt56(Hex("6988968EB53A24"), Block("5486CF51493A535B"), DesDirection::kDecrypt)),
      "3f495b20a784c234");
}

TEST(DesTest, SambaDesCrypt128) {
  EXPECT_EQ(ToHex(DesCrypt128(Hex("98FDCB3AF7B51CF8A96988968EB53A24"), Block("3F495B20A784C234"))),
            "4cb44bd3c8c1a550");
}

TEST(DesTest, SambaDesCrypt112) {
  EXPECT_EQ(ToHex(DesCrypt112(Hex("98FDCB3AF7B51CF888968EB53A24"), Block("2F495B20D784C234"))),
            "8735faa45d7aa505");
}

TEST(DesTest, SambaDesCrypt112x16BothWays) {
  const Bytes key = Hex("1E38275B3BB867EB88968EB53A24");
  const Bytes plain = Hex("02FA3BEEE8BA0601FB6799A483F3D4ED");
  const auto encrypted = DesCrypt112x16(key, plain, DesDirection::kEncrypt);
  EXPECT_EQ(ToHex(encrypted), "3c1037679695f796aa03b9ead6b3c32d");
  EXPECT_EQ(ToHex(DesCrypt112x16(key, encrypted, DesDirection::kDecrypt)), ToHex(plain));
}

TEST(DesTest, KeyExpansionSpreadsSevenBitGroups) {
  EXPECT_EQ(ToHex(ExpandDesKey(Hex("ffffffffffffff"))), "fefefefefefefefe");
  EXPECT_EQ(ToHex(ExpandDesKey(Hex("00000000000000"))), "0000000000000000");
  // 0x80 in the first byte is the top bit of the first 7-bit group.
  EXPECT_EQ(ToHex(ExpandDesKey(Hex("80000000000000"))), "8000000000000000");
  // The last byte's low 7 bits form the last group.
  EXPECT_EQ(ToHex(ExpandDesKey(Hex("0000000000007f"))), "00000000000000fe");
}

}  // namespace
}  // namespace trustsim::crypto
