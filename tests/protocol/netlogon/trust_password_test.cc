// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/trust_password.h"

#include "base/unicode.h"
#include "gtest/gtest.h"
#include "protocol/crypto/aes.h"
#include "protocol/ntstatus.h"
#include "tests/protocol/crypto/test_util.h"
#include "tests/protocol/netlogon/vectors.h"

namespace trustsim::netlogon {
namespace {

using ::trustsim::testing::Hex;

// A source that fills with one byte, to reproduce the §8 vector (filler 0xAA).
class FillRandom final : public RandomSource {
 public:
  explicit FillRandom(uint8_t b) : b_(b) {}
  void Fill(absl::Span<uint8_t> out) override {
    for (uint8_t& x : out) x = b_;
  }

 private:
  uint8_t b_;
};

constexpr uint32_t kAes = kNegSupportsAes | kNegArcfour | kNegStrongKeys;
constexpr uint32_t kRc4 = kNegArcfour | kNegStrongKeys;

SessionKey AesKey() { return ToArray<16>(Hex(testing::kCryptoVectors[0].session_key)); }

TEST(TrustPasswordTest, LayoutPutsThePasswordAtTheEnd) {
  FillRandom rng(0xAA);
  const Bytes pw = Utf8ToUtf16Le("NewPass1!").value();
  const NlTrustPassword tp = BuildTrustPassword(pw, rng).value();
  EXPECT_EQ(tp[0], 0xAA);
  EXPECT_EQ(tp[512 - pw.size() - 1], 0xAA);
  EXPECT_EQ(ToHex(ByteView(tp).subspan(512 - pw.size(), pw.size())), ToHex(pw));
  EXPECT_EQ(ToHex(ByteView(tp).subspan(512)), "12000000");
}

TEST(TrustPasswordTest, DerivedAesVectorFromProtocolFacts) {
  FillRandom rng(0xAA);
  const NlTrustPassword plain = BuildTrustPassword(Utf8ToUtf16Le("NewPass1!").value(), rng).value();
  const NlTrustPassword enc = EncryptTrustPassword(kAes, AesKey(), plain);
  EXPECT_EQ(ToHex(ByteView(enc).first(16)), "ccbb00e5bdc10fcf5c4865b1e0880ee7");
  EXPECT_EQ(ToHex(ByteView(enc).last(8)), "ca22e0a9fbe9716a");
}

class TrustPasswordRoundTrip : public ::testing::TestWithParam<uint32_t> {};

TEST_P(TrustPasswordRoundTrip, MachinePasswordSurvives) {
  SeededRandom rng(5);
  Bytes pw(240);  // 120 random UTF-16 code units, as Windows generates.
  rng.Fill(absl::MakeSpan(pw));
  const NlTrustPassword enc =
      EncryptTrustPassword(GetParam(), AesKey(), BuildTrustPassword(pw, rng).value());
  auto decoded = DecryptTrustPassword(GetParam(), AesKey(), enc);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, pw);
}

INSTANTIATE_TEST_SUITE_P(Ciphers, TrustPasswordRoundTrip, ::testing::Values(kAes, kRc4, 0u));

TEST(TrustPasswordTest, RejectsWhatCannotBeBuilt) {
  SeededRandom rng(1);
  EXPECT_FALSE(BuildTrustPassword(Bytes(513), rng).ok());
  EXPECT_FALSE(BuildTrustPassword(Bytes(3), rng).ok());
  EXPECT_TRUE(BuildTrustPassword(Bytes(512, 1), rng).ok());
}

// Encrypts a hand-built plaintext, to test the server's checks.
NlTrustPassword Encrypt(uint32_t flags, const NlTrustPassword& plain) {
  return EncryptTrustPassword(flags, AesKey(), plain);
}

NlTrustPassword WithLength(uint32_t length, uint8_t fill = 0x41) {
  NlTrustPassword tp{};
  tp.fill(fill);
  for (int i = 0; i < 4; ++i) tp[512 + i] = static_cast<uint8_t>(length >> (8 * i));
  return tp;
}

TEST(TrustPasswordTest, UndecodableLengthIsAccessDenied) {
  EXPECT_EQ(
      GetNtStatus(DecryptTrustPassword(kAes, AesKey(), Encrypt(kAes, WithLength(514))).status()),
      NtStatus::kAccessDenied);
  EXPECT_EQ(
      GetNtStatus(DecryptTrustPassword(kAes, AesKey(), Encrypt(kAes, WithLength(7))).status()),
      NtStatus::kAccessDenied);
}

TEST(TrustPasswordTest, EmptyOrAllZeroPasswordsAreWrongPassword) {
  EXPECT_EQ(
      GetNtStatus(DecryptTrustPassword(kAes, AesKey(), Encrypt(kAes, WithLength(0))).status()),
      NtStatus::kWrongPassword);
  NlTrustPassword zero_pw = WithLength(16);
  std::fill(zero_pw.begin() + 496, zero_pw.begin() + 512, 0);
  EXPECT_EQ(GetNtStatus(DecryptTrustPassword(kAes, AesKey(), Encrypt(kAes, zero_pw)).status()),
            NtStatus::kWrongPassword);
}

// A session key under which AES-CFB8 maps zeros to zeros: the first byte of
// E(K, 0^16) is 0, so a zero IV feeds back zeros forever. One key in 256 is
// like this; it is what a Zerologon attacker hopes to hit.
SessionKey ZerologonKey() {
  SeededRandom rng(2020);
  for (;;) {
    SessionKey k;
    rng.Fill(absl::MakeSpan(k));
    if (crypto::Aes128Cfb8Encrypt(k, Bytes(1, 0))[0] == 0) return k;
  }
}

TEST(TrustPasswordTest, ZerologonAllZeroBufferIsRefused) {
  // The CVE-2020-1472 exploit sends 516 zero bytes, hoping the key maps them
  // to an empty password.
  const SessionKey key = ZerologonKey();
  const NlTrustPassword zeros{};
  const auto result = DecryptTrustPassword(kAes, key, zeros);
  EXPECT_EQ(GetNtStatus(result.status()), NtStatus::kWrongPassword);
  EXPECT_NE(result.status().message().find("empty"), absl::string_view::npos);
}

TEST(TrustPasswordTest, ZeroConfounderUnderAZerologonKeyIsRefused) {
  // Under such a key a zero confounder encrypts to itself.
  const SessionKey key = ZerologonKey();
  NlTrustPassword plain{};
  for (size_t i = 496; i < 512; ++i) plain[i] = 0x41;
  plain[512] = 16;
  const NlTrustPassword enc = EncryptTrustPassword(kAes, key, plain);
  const auto result = DecryptTrustPassword(kAes, key, enc);
  EXPECT_EQ(GetNtStatus(result.status()), NtStatus::kWrongPassword);
  EXPECT_NE(result.status().message().find("confounder"), absl::string_view::npos);
}

TEST(TrustPasswordTest, ZeroPasswordUnderAZerologonKeyIsRefused) {
  const SessionKey key = ZerologonKey();
  NlTrustPassword plain{};
  plain[513] = 0x02;  // Length 512: the whole buffer is the (zero) password.
  const auto result = DecryptTrustPassword(kAes, key, EncryptTrustPassword(kAes, key, plain));
  EXPECT_EQ(GetNtStatus(result.status()), NtStatus::kWrongPassword);
}

TEST(TrustPasswordTest, ValidateRefusesFieldsThatDecryptionLeftUnchanged) {
  NlTrustPassword decrypted = WithLength(16, 0x42);
  NlTrustPassword received = decrypted;
  for (auto& b : received) b ^= 0xFF;

  NlTrustPassword same_length = received;
  std::copy(decrypted.begin() + 512, decrypted.end(), same_length.begin() + 512);
  auto r = ValidateTrustPassword(same_length, decrypted, true);
  EXPECT_EQ(GetNtStatus(r.status()), NtStatus::kWrongPassword);
  EXPECT_NE(r.status().message().find("length"), absl::string_view::npos);

  NlTrustPassword same_confounder = received;
  std::copy(decrypted.begin(), decrypted.begin() + 496, same_confounder.begin());
  r = ValidateTrustPassword(same_confounder, decrypted, true);
  EXPECT_NE(r.status().message().find("confounder"), absl::string_view::npos);

  NlTrustPassword same_password = received;
  std::copy(decrypted.begin() + 496, decrypted.begin() + 512, same_password.begin() + 496);
  r = ValidateTrustPassword(same_password, decrypted, true);
  EXPECT_NE(r.status().message().find("password was not encrypted"), absl::string_view::npos);

  auto ok = ValidateTrustPassword(received, decrypted, true);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, Bytes(16, 0x42));
  // Without a cipher (DES-only sessions, which Samba requires to be sealed)
  // the unchanged-field checks cannot apply.
  EXPECT_TRUE(ValidateTrustPassword(decrypted, decrypted, false).ok());
}

}  // namespace
}  // namespace trustsim::netlogon
