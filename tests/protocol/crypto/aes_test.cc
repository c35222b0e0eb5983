// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/aes.h"

#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::crypto {
namespace {

using ::trustsim::testing::Hex;
using ::trustsim::testing::NormHex;

constexpr char kCtsKey[] = "63 68 69 63 6b 65 6e 20 74 65 72 69 79 61 6b 69";
constexpr char kChicken[] = "I would like the General Gau's Chicken, please, and wonton soup.";

struct CtsVector {
  size_t length;
  const char* ciphertext;
};

// RFC 3962 Appendix B, AES-128 CBC-CTS with a zero IV.
constexpr CtsVector kCtsVectors[] = {
    {17, "c6 35 35 68 f2 bf 8c b4 d8 a5 80 36 2d a7 ff 7f 97"},
    {31,
     "fc 00 78 3e 0e fd b2 c1 d4 45 d4 c8 ef f7 ed 22 97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf "
     "e5"},
    {32,
     "39 31 25 23 a7 86 62 d5 be 7f cb cc 98 eb f5 a8 97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf e5 "
     "84"},
    {47,
     "97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf e5 84 b3 ff fd 94 0c 16 a1 8c 1b 55 49 d2 f8 38 02 "
     "9e "
     "39 31 25 23 a7 86 62 d5 be 7f cb cc 98 eb f5"},
    {48,
     "97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf e5 84 9d ad 8b bb 96 c4 cd c0 3b c1 03 e1 a1 94 bb "
     "d8 "
     "39 31 25 23 a7 86 62 d5 be 7f cb cc 98 eb f5 a8"},
    {64,
     "97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf e5 84 39 31 25 23 a7 86 62 d5 be 7f cb cc 98 eb f5 "
     "a8 "
     "48 07 ef e8 36 ee 89 a5 26 73 0d bc 2f 7b c8 40 9d ad 8b bb 96 c4 cd c0 3b c1 03 e1 a1 94 bb "
     "d8"},
};

TEST(AesCtsTest, Rfc3962Vectors) {
  for (const CtsVector& v : kCtsVectors) {
    SCOPED_TRACE(v.length);
    const ByteView plain = AsBytes(kChicken).first(v.length);
    auto encrypted = AesCtsEncrypt(Hex(kCtsKey), plain);
    ASSERT_TRUE(encrypted.ok()) << encrypted.status();
    EXPECT_EQ(ToHex(*encrypted), NormHex(v.ciphertext));
    auto decrypted = AesCtsDecrypt(Hex(kCtsKey), *encrypted);
    ASSERT_TRUE(decrypted.ok());
    EXPECT_EQ(ToHex(*decrypted), ToHex(plain));
  }
}

TEST(AesCtsTest, OneBlockIsPlainCbc) {
  const Bytes key = Hex(kCtsKey);
  const ByteView plain = AsBytes(kChicken).first(16);
  auto encrypted = AesCtsEncrypt(key, plain);
  ASSERT_TRUE(encrypted.ok());
  auto block = AesEncryptBlock(key, ToArray<16>(plain));
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(ToHex(*encrypted), ToHex(*block));
}

TEST(AesCtsTest, Aes256RoundTrip) {
  const Bytes key(32, 0x42);
  const ByteView plain = AsBytes(kChicken).first(50);
  auto encrypted = AesCtsEncrypt(key, plain);
  ASSERT_TRUE(encrypted.ok());
  EXPECT_EQ(encrypted->size(), 50u);
  EXPECT_EQ(ToHex(AesCtsDecrypt(key, *encrypted).value()), ToHex(plain));
}

TEST(AesCtsTest, RejectsShortInputAndBadKeys) {
  EXPECT_EQ(AesCtsEncrypt(Hex(kCtsKey), AsBytes("short")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AesCtsDecrypt(Hex(kCtsKey), Bytes(15)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AesCtsEncrypt(Bytes(24), Bytes(16)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AesEncryptBlock(Bytes(5), AesBlock{}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(AesCfb8Test, FipsVectorPrefixWithZeroIv) {
  // NIST SP 800-38A F.3.7 uses a non-zero IV, so this checks CFB8's defining
  // property instead: ciphertext byte i depends only on bytes < i, and every
  // call restarts from the zero IV.
  Aes128Key key{};
  for (int i = 0; i < 16; ++i) key[i] = static_cast<uint8_t>(i);
  const Bytes plain = Hex("000102030405060708090a0b0c0d0e0f1011");
  const Bytes full = Aes128Cfb8Encrypt(key, plain);
  const Bytes prefix = Aes128Cfb8Encrypt(key, ByteView(plain).first(5));
  EXPECT_EQ(ToHex(ByteView(full).first(5)), ToHex(prefix));
  EXPECT_EQ(Aes128Cfb8Encrypt(key, plain), full);
  EXPECT_EQ(Aes128Cfb8Decrypt(key, full), plain);
  EXPECT_TRUE(Aes128Cfb8Encrypt(key, {}).empty());
}

TEST(AesCfb8Test, FirstByteIsKeystreamOfZeroBlock) {
  // With a zero IV the first keystream byte is the first byte of E(K, 0^16).
  Aes128Key key{};
  key[0] = 1;
  auto block = AesEncryptBlock(key, AesBlock{});
  ASSERT_TRUE(block.ok());
  const Bytes out = Aes128Cfb8Encrypt(key, Bytes{0x00});
  EXPECT_EQ(out[0], (*block)[0]);
}

}  // namespace
}  // namespace trustsim::crypto
