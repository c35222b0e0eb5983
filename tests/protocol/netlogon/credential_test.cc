// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/credential.h"

#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"
#include "tests/protocol/netlogon/vectors.h"

namespace trustsim::netlogon {
namespace {

using ::trustsim::testing::Hex;
using namespace ::trustsim::netlogon::testing;  // NOLINT(google-build-using-namespace)

TEST(CredentialTest, SelectsCryptoFromNegotiatedFlags) {
  EXPECT_EQ(SelectCrypto(kWindowsClientFlags), SecureChannelCrypto::kAes);
  EXPECT_EQ(SelectCrypto(kNegSupportsAes), SecureChannelCrypto::kAes);
  EXPECT_EQ(SelectCrypto(0x600fffff), SecureChannelCrypto::kStrongKey);
  EXPECT_EQ(SelectCrypto(0x000701ff), SecureChannelCrypto::kDes);
  EXPECT_EQ(SelectCrypto(0), SecureChannelCrypto::kDes);
}

TEST(CredentialTest, DerivedVectorsFromProtocolFacts) {
  const crypto::NtHash nt = crypto::NtHashOfPassword(kPassword).value();
  ASSERT_EQ(ToHex(nt), kNtHash);
  const NetlogonChallenge cc = ToArray<8>(Hex(kClientChallenge));
  const NetlogonChallenge sc = ToArray<8>(Hex(kServerChallenge));
  for (const CryptoVector& v : kCryptoVectors) {
    SCOPED_TRACE(v.name);
    ASSERT_EQ(SelectCrypto(v.flags), v.crypto);
    const SessionKey sk = ComputeSessionKey(v.crypto, nt, cc, sc);
    EXPECT_EQ(ToHex(sk), v.session_key);
    EXPECT_EQ(ToHex(ComputeNetlogonCredential(v.crypto, cc, sk)), v.client_credential);
    EXPECT_EQ(ToHex(ComputeNetlogonCredential(v.crypto, sc, sk)), v.server_credential);
  }
}

TEST(CredentialTest, AddToLow32WrapsAndKeepsHighBytes) {
  const NetlogonCredential c = ToArray<8>(Hex("feffffff11223344"));
  EXPECT_EQ(ToHex(AddToLow32(c, 1)), "ffffffff11223344");
  EXPECT_EQ(ToHex(AddToLow32(c, 2)), "0000000011223344");
  EXPECT_EQ(ToHex(AddToLow32(c, 0x12)), "1000000011223344");
}

TEST(CredentialTest, DesChallengeSumModesDisagreeOnlyOnLowHalfCarry) {
  const crypto::NtHash nt = crypto::NtHashOfPassword(kPassword).value();
  const NetlogonChallenge no_carry_c = ToArray<8>(Hex(kClientChallenge));
  const NetlogonChallenge no_carry_s = ToArray<8>(Hex(kServerChallenge));
  EXPECT_EQ(ComputeSessionKey(SecureChannelCrypto::kDes, nt, no_carry_c, no_carry_s,
                              DesChallengeSum::kSambaHalves),
            ComputeSessionKey(SecureChannelCrypto::kDes, nt, no_carry_c, no_carry_s,
                              DesChallengeSum::kMsNrpc64Bit));
  // Low halves that overflow: 0xffffffff + 0x00000001.
  const NetlogonChallenge carry_c = ToArray<8>(Hex("ffffffff01000000"));
  const NetlogonChallenge carry_s = ToArray<8>(Hex("0100000001000000"));
  EXPECT_NE(ComputeSessionKey(SecureChannelCrypto::kDes, nt, carry_c, carry_s,
                              DesChallengeSum::kSambaHalves),
            ComputeSessionKey(SecureChannelCrypto::kDes, nt, carry_c, carry_s,
                              DesChallengeSum::kMsNrpc64Bit));
}

TEST(CredentialTest, CryptoNames) {
  EXPECT_STREQ(SecureChannelCryptoName(SecureChannelCrypto::kAes), "AES");
  EXPECT_STREQ(SecureChannelCryptoName(SecureChannelCrypto::kStrongKey), "strong-key");
  EXPECT_STREQ(SecureChannelCryptoName(SecureChannelCrypto::kDes), "DES");
}

}  // namespace
}  // namespace trustsim::netlogon
