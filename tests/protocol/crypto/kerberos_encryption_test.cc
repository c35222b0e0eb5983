// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/kerberos_encryption.h"

#include "base/random.h"
#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::crypto {
namespace {

class KerberosEncryptionTest : public ::testing::TestWithParam<EncType> {
 protected:
  KerberosKey Key(uint8_t fill = 0x11) const {
    return KerberosKey{GetParam(), Bytes(KeyLength(GetParam()), fill)};
  }
  SeededRandom rng_{99};
};

TEST_P(KerberosEncryptionTest, RoundTripsEveryLength) {
  for (size_t n : {0, 1, 15, 16, 17, 31, 32, 100, 1024}) {
    SCOPED_TRACE(n);
    const Bytes plain(n, 0x5a);
    auto encrypted = KerberosEncrypt(Key(), kUsageAsRepEncPart, plain, rng_);
    ASSERT_TRUE(encrypted.ok()) << encrypted.status();
    const size_t overhead = GetParam() == EncType::kRc4Hmac ? 16 + 8 : 16 + 12;
    EXPECT_EQ(encrypted->size(), n + overhead);
    auto decrypted = KerberosDecrypt(Key(), kUsageAsRepEncPart, *encrypted);
    ASSERT_TRUE(decrypted.ok()) << decrypted.status();
    EXPECT_EQ(*decrypted, plain);
  }
}

TEST_P(KerberosEncryptionTest, ConfounderMakesCiphertextsDiffer) {
  const Bytes plain(20, 1);
  EXPECT_NE(KerberosEncrypt(Key(), 1, plain, rng_).value(),
            KerberosEncrypt(Key(), 1, plain, rng_).value());
}

TEST_P(KerberosEncryptionTest, WrongKeyFailsIntegrity) {
  const Bytes encrypted = KerberosEncrypt(Key(0x11), 1, AsBytes("timestamp"), rng_).value();
  const absl::Status s = KerberosDecrypt(Key(0x22), 1, encrypted).status();
  EXPECT_TRUE(IsIntegrityFailure(s)) << s;
}

TEST_P(KerberosEncryptionTest, WrongUsageFailsIntegrity) {
  const Bytes encrypted = KerberosEncrypt(Key(), 1, AsBytes("timestamp"), rng_).value();
  EXPECT_TRUE(IsIntegrityFailure(KerberosDecrypt(Key(), 2, encrypted).status()));
}

TEST_P(KerberosEncryptionTest, EveryFlippedBitFailsIntegrity) {
  const Bytes encrypted = KerberosEncrypt(Key(), 3, AsBytes("enc-part of an AS-REP"), rng_).value();
  for (size_t i = 0; i < encrypted.size(); ++i) {
    Bytes bad = encrypted;
    bad[i] ^= 0x01;
    ASSERT_TRUE(IsIntegrityFailure(KerberosDecrypt(Key(), 3, bad).status())) << "byte " << i;
  }
}

TEST_P(KerberosEncryptionTest, TruncatedCiphertextIsOutOfRange) {
  const Bytes encrypted = KerberosEncrypt(Key(), 1, Bytes{}, rng_).value();
  for (size_t n = 0; n < encrypted.size(); ++n) {
    const absl::Status s = KerberosDecrypt(Key(), 1, ByteView(encrypted).first(n)).status();
    ASSERT_EQ(s.code(), absl::StatusCode::kOutOfRange) << n << ": " << s;
  }
}

TEST_P(KerberosEncryptionTest, RejectsBadKeysAndConfounders) {
  const KerberosKey short_key{GetParam(), Bytes(5)};
  EXPECT_EQ(KerberosEncrypt(short_key, 1, Bytes(4), rng_).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KerberosDecrypt(short_key, 1, Bytes(64)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KerberosEncryptWithConfounder(Key(), 1, Bytes(3), Bytes(4)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(AllEncTypes, KerberosEncryptionTest,
                         ::testing::Values(EncType::kAes128CtsHmacSha196,
                                           EncType::kAes256CtsHmacSha196, EncType::kRc4Hmac),
                         [](const auto& info) {
                           return std::string(info.param == EncType::kRc4Hmac ? "rc4"
                                              : info.param == EncType::kAes128CtsHmacSha196
                                                  ? "aes128"
                                                  : "aes256");
                         });

TEST(KerberosEncryptionRc4Test, AsRepUsageIsSentAsEight) {
  // RFC 4757: the AS-REP enc-part (usage 3) is keyed as usage 8, so a
  // ciphertext made for 8 decrypts as 3; 9 is not remapped (errata).
  const KerberosKey key{EncType::kRc4Hmac, Bytes(16, 7)};
  const Bytes confounder(8, 1);
  const Bytes as_8 = KerberosEncryptWithConfounder(key, 8, confounder, AsBytes("x")).value();
  EXPECT_EQ(KerberosDecrypt(key, 3, as_8).value(), Bytes{'x'});
  EXPECT_FALSE(KerberosDecrypt(key, 9, as_8).ok());
}

}  // namespace
}  // namespace trustsim::crypto
