// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/hash.h"

#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::crypto {
namespace {

using ::trustsim::testing::Hex;

TEST(HashTest, Md4KnownAnswers) {
  EXPECT_EQ(ToHex(Md4(AsBytes(""))), "31d6cfe0d16ae931b73c59d7e0c089c0");
  EXPECT_EQ(ToHex(Md4(AsBytes("abc"))), "a448017aaf21d8525fc10ae87aa6729d");
}

TEST(HashTest, OtherDigests) {
  EXPECT_EQ(ToHex(Md5(AsBytes(""))), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(ToHex(Sha1(AsBytes("abc"))), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(ToHex(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashTest, NtHash) {
  // RFC 4757 §3 (draft-brezak-win2k-krb-rc4-hmac-03): String2Key("foo").
  EXPECT_EQ(ToHex(NtHashOfPassword("foo").value()), "ac8e657f83df82beea5d43bdaf7800cc");
  EXPECT_EQ(ToHex(NtHashOfPassword("Passw0rd!").value()), "fc525c9683e8fe067095ba2ddc971889");
  // Raw UTF-16LE bytes hash as they are.
  EXPECT_EQ(ToHex(NtHashOfUtf16Le(Hex("66006f006f00"))), "ac8e657f83df82beea5d43bdaf7800cc");
  EXPECT_FALSE(NtHashOfPassword("\xff").ok());
}

TEST(HashTest, HmacRfc2202AndRfc4231) {
  const Bytes key16(16, 0x0b), key20(20, 0x0b);
  EXPECT_EQ(ToHex(HmacMd5(key16, AsBytes("Hi There"))), "9294727a3638bb1c13f48ef8158bfc9d");
  EXPECT_EQ(ToHex(HmacSha1(key20, AsBytes("Hi There"))),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(ToHex(HmacSha256(key20, AsBytes("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // RFC 2202 test 2: a short key.
  EXPECT_EQ(ToHex(HmacMd5(AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))),
            "750c783e6ab0b503eaa86e310a5db738");
}

TEST(HashTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals(AsBytes("abc"), AsBytes("abc")));
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("abc"), AsBytes("abd")));
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("abc"), AsBytes("ab")));
  EXPECT_TRUE(ConstantTimeEquals(ByteView{}, ByteView{}));
}

}  // namespace
}  // namespace trustsim::crypto
