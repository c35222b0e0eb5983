// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/kerberos_checksum.h"

#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::crypto {
namespace {

// The keys of protocol-facts.md §8 (WS01$, "Passw0rd!", AD salt). The expected
// checksums of "trustsim checksum vector" under usage 6 were computed with
// Debian's impacket 0.10 (impacket.krb5.crypto _checksum_table), an
// independent implementation.
struct Vector {
  EncType type;
  const char* key;
  int32_t checksum_type;
  const char* checksum;
};

constexpr Vector kVectors[] = {
    {EncType::kAes256CtsHmacSha196,
     "c707fddc95861731fcf6b0d4e963164cde89afaa32c72556cf2ac33b1a6bf427", 16,
     "b2b2aa9832fdc2875a481380"},
    {EncType::kAes128CtsHmacSha196, "333f79ddc1f8a25a0cb809d866d0a602", 15,
     "067493b9101baf8538cda7df"},
    {EncType::kRc4Hmac, "fc525c9683e8fe067095ba2ddc971889", -138,
     "8a30719953a4b05dd7caef5f6d012f0c"},
};

using ::trustsim::testing::Hex;

const ByteView kData = AsBytes("trustsim checksum vector");

TEST(KerberosChecksumTest, MatchesImpacketVectors) {
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(EncTypeName(v.type));
    const KerberosKey key{v.type, Hex(v.key)};
    EXPECT_EQ(MandatoryChecksumType(v.type), v.checksum_type);
    auto sum = KerberosChecksum(key, 6, kData);
    ASSERT_TRUE(sum.ok()) << sum.status();
    EXPECT_EQ(ToHex(*sum), v.checksum);
    EXPECT_TRUE(VerifyKerberosChecksum(key, 6, v.checksum_type, kData, *sum).ok());
  }
}

TEST(KerberosChecksumTest, RejectsWrongValueUsageTypeAndLength) {
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(EncTypeName(v.type));
    const KerberosKey key{v.type, Hex(v.key)};
    Bytes sum = Hex(v.checksum);
    EXPECT_EQ(VerifyKerberosChecksum(key, 7, v.checksum_type, kData, sum).code(),
              absl::StatusCode::kDataLoss);
    EXPECT_EQ(VerifyKerberosChecksum(key, 6, 1, kData, sum).code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(
        VerifyKerberosChecksum(key, 6, v.checksum_type, kData, ByteView(sum.data(), 4)).code(),
        absl::StatusCode::kDataLoss);
    for (size_t i = 0; i < sum.size(); ++i) {
      Bytes flipped = sum;
      flipped[i] ^= 0x01;
      EXPECT_EQ(VerifyKerberosChecksum(key, 6, v.checksum_type, kData, flipped).code(),
                absl::StatusCode::kDataLoss);
    }
  }
}

}  // namespace
}  // namespace trustsim::crypto
