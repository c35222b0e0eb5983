// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/kerberos_key.h"

#include <string>

#include "base/unicode.h"
#include "gtest/gtest.h"
#include "protocol/crypto/pbkdf2.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::crypto {
namespace {

using ::trustsim::testing::Hex;
using ::trustsim::testing::NormHex;

struct S2kVector {
  uint32_t iterations;
  std::string password;
  std::string salt;
  const char* pbkdf2_128;
  const char* key_128;
  const char* pbkdf2_256;
  const char* key_256;
};

// RFC 3962 Appendix B.
const S2kVector kVectors[] = {
    {1, "password", "ATHENA.MIT.EDUraeburn", "cd ed b5 28 1b b2 f8 01 56 5a 11 22 b2 56 35 15",
     "42 26 3c 6e 89 f4 fc 28 b8 df 68 ee 09 79 9f 15",
     "cd ed b5 28 1b b2 f8 01 56 5a 11 22 b2 56 35 15 0a d1 f7 a0 4b b9 f3 a3 33 ec c0 e2 e1 f7 08 "
     "37",
     "fe 69 7b 52 bc 0d 3c e1 44 32 ba 03 6a 92 e6 5b bb 52 28 09 90 a2 fa 27 88 39 98 d7 2a f3 01 "
     "61"},
    {2, "password", "ATHENA.MIT.EDUraeburn", "01 db ee 7f 4a 9e 24 3e 98 8b 62 c7 3c da 93 5d",
     "c6 51 bf 29 e2 30 0a c2 7f a4 69 d6 93 bd da 13",
     "01 db ee 7f 4a 9e 24 3e 98 8b 62 c7 3c da 93 5d a0 53 78 b9 32 44 ec 8f 48 a9 9e 61 ad 79 9d "
     "86",
     "a2 e1 6d 16 b3 60 69 c1 35 d5 e9 d2 e2 5f 89 61 02 68 56 18 b9 59 14 b4 67 c6 76 22 22 58 24 "
     "ff"},
    {1200, "password", "ATHENA.MIT.EDUraeburn", "5c 08 eb 61 fd f7 1e 4e 4e c3 cf 6b a1 f5 51 2b",
     "4c 01 cd 46 d6 32 d0 1e 6d be 23 0a 01 ed 64 2a",
     "5c 08 eb 61 fd f7 1e 4e 4e c3 cf 6b a1 f5 51 2b a7 e5 2d db c5 e5 14 2f 70 8a 31 e2 e6 2b 1e "
     "13",
     "55 a6 ac 74 0a d1 7b 48 46 94 10 51 e1 e8 b0 a7 54 8d 93 b0 ab 30 a8 bc 3f f1 62 80 38 2b 8c "
     "2a"},
    {5, "password", "\x12\x34\x56\x78\x78\x56\x34\x12",
     "d1 da a7 86 15 f2 87 e6 a1 c8 b1 20 d7 06 2a 49",
     "e9 b2 3d 52 27 37 47 dd 5c 35 cb 55 be 61 9d 8e",
     "d1 da a7 86 15 f2 87 e6 a1 c8 b1 20 d7 06 2a 49 3f 98 d2 03 e6 be 49 a6 ad f4 fa 57 4b 6e 64 "
     "ee",
     "97 a4 e7 86 be 20 d8 1a 38 2d 5e bc 96 d5 90 9c ab cd ad c8 7c a4 8f 57 45 04 15 9f 16 c3 6e "
     "31"},
    {1200, std::string(64, 'X'), "pass phrase equals block size",
     "13 9c 30 c0 96 6b c3 2b a5 5f db f2 12 53 0a c9",
     "59 d1 bb 78 9a 82 8b 1a a5 4e f9 c2 88 3f 69 ed",
     "13 9c 30 c0 96 6b c3 2b a5 5f db f2 12 53 0a c9 c5 ec 59 f1 a4 52 f5 cc 9a d9 40 fe a0 59 8e "
     "d1",
     "89 ad ee 36 08 db 8b c7 1f 1b fb fe 45 94 86 b0 56 18 b7 0c ba e2 20 92 53 4e 56 c5 53 ba 4b "
     "34"},
    {1200, std::string(65, 'X'), "pass phrase exceeds block size",
     "9c ca d6 d4 68 77 0c d5 1b 10 e6 a6 87 21 be 61",
     "cb 80 05 dc 5f 90 17 9a 7f 02 10 4c 00 18 75 1d",
     "9c ca d6 d4 68 77 0c d5 1b 10 e6 a6 87 21 be 61 1a 8b 4d 28 26 01 db 3b 36 be 92 46 91 5e c8 "
     "2a",
     "d7 8c 5c 9c b8 72 a8 c9 da d4 69 7f 0b b5 b2 d2 14 96 c8 2b eb 2c ae da 21 12 fc ee a0 57 40 "
     "1b"},
    {50, "\xf0\x9d\x84\x9e", "EXAMPLE.COMpianist",
     "6b 9c f2 6d 45 45 5a 43 a5 b8 bb 27 6a 40 3b 39",
     "f1 49 c1 f2 e1 54 a7 34 52 d4 3e 7f e6 2a 56 e5",
     "6b 9c f2 6d 45 45 5a 43 a5 b8 bb 27 6a 40 3b 39 e7 fe 37 a0 c4 1e 02 c2 81 ff 30 69 e1 e9 4f "
     "52",
     "4b 6d 98 39 f8 44 06 df 1f 09 cc 16 6d b4 b8 3c 57 18 48 b7 84 a3 d6 bd c3 46 58 9a 3e 39 3f "
     "9e"},
};

TEST(StringToKeyTest, Rfc3962AppendixBPbkdf2) {
  for (const S2kVector& v : kVectors) {
    SCOPED_TRACE(v.iterations);
    EXPECT_EQ(ToHex(Pbkdf2HmacSha1(AsBytes(v.password), AsBytes(v.salt), v.iterations, 16).value()),
              NormHex(v.pbkdf2_128));
    EXPECT_EQ(ToHex(Pbkdf2HmacSha1(AsBytes(v.password), AsBytes(v.salt), v.iterations, 32).value()),
              NormHex(v.pbkdf2_256));
  }
}

TEST(StringToKeyTest, Rfc3962AppendixBKeys) {
  for (const S2kVector& v : kVectors) {
    SCOPED_TRACE(v.iterations);
    auto k128 = StringToKey(EncType::kAes128CtsHmacSha196, v.password, v.salt, v.iterations);
    auto k256 = StringToKey(EncType::kAes256CtsHmacSha196, v.password, v.salt, v.iterations);
    ASSERT_TRUE(k128.ok() && k256.ok());
    EXPECT_EQ(ToHex(k128->bytes), NormHex(v.key_128));
    EXPECT_EQ(ToHex(k256->bytes), NormHex(v.key_256));
  }
}

TEST(StringToKeyTest, AdComputerSaltAndKeys) {
  // protocol-facts.md §8, confirmed with MIT ktutil 1.20.1.
  const std::string salt = AdComputerSalt("corp.example.com", "WS01$");
  EXPECT_EQ(salt, "CORP.EXAMPLE.COMhostws01.corp.example.com");
  EXPECT_EQ(AdComputerSalt("CORP.EXAMPLE.COM", "ws01"), salt);
  EXPECT_EQ(ToHex(StringToKey(EncType::kAes256CtsHmacSha196, "Passw0rd!", salt).value().bytes),
            "c707fddc95861731fcf6b0d4e963164cde89afaa32c72556cf2ac33b1a6bf427");
  EXPECT_EQ(ToHex(StringToKey(EncType::kAes128CtsHmacSha196, "Passw0rd!", salt).value().bytes),
            "333f79ddc1f8a25a0cb809d866d0a602");
  EXPECT_EQ(ToHex(StringToKey(EncType::kRc4Hmac, "Passw0rd!", salt).value().bytes),
            "fc525c9683e8fe067095ba2ddc971889");
}

TEST(StringToKeyTest, MachinePasswordFromRawUtf16) {
  const std::string salt = AdComputerSalt("CORP.EXAMPLE.COM", "WS01$");
  const Bytes utf16 = Utf8ToUtf16Le("Passw0rd!").value();
  EXPECT_EQ(ToHex(MachinePasswordToKey(EncType::kAes256CtsHmacSha196, utf16, salt).value().bytes),
            "c707fddc95861731fcf6b0d4e963164cde89afaa32c72556cf2ac33b1a6bf427");
  EXPECT_EQ(ToHex(MachinePasswordToKey(EncType::kRc4Hmac, utf16, salt).value().bytes),
            "fc525c9683e8fe067095ba2ddc971889");
  // An unpaired surrogate goes through U+FFFD, the same for both mungings.
  const Bytes lone = Hex("00d8 4100");
  EXPECT_EQ(MachinePasswordToKey(EncType::kAes128CtsHmacSha196, lone, salt).value(),
            StringToKey(EncType::kAes128CtsHmacSha196,
                        "\xef\xbf\xbd"
                        "A",
                        salt)
                .value());
}

TEST(StringToKeyTest, RejectsBadParameters) {
  EXPECT_FALSE(StringToKey(EncType::kAes128CtsHmacSha196, "p", "s", 0).ok());
  EXPECT_FALSE(StringToKey(EncType::kAes128CtsHmacSha196, "p", "s", kMaxPbkdf2Iterations + 1).ok());
  EXPECT_FALSE(StringToKey(EncType::kRc4Hmac, "\xff", "s").ok());
  EXPECT_FALSE(KeyFromBytes(EncType::kAes256CtsHmacSha196, Bytes(16)).ok());
  EXPECT_TRUE(KeyFromBytes(EncType::kAes256CtsHmacSha196, Bytes(32)).ok());
}

TEST(EncTypeTest, NumbersAndNames) {
  EXPECT_EQ(EncTypeFromNumber(18).value(), EncType::kAes256CtsHmacSha196);
  EXPECT_EQ(EncTypeFromNumber(17).value(), EncType::kAes128CtsHmacSha196);
  EXPECT_EQ(EncTypeFromNumber(23).value(), EncType::kRc4Hmac);
  EXPECT_EQ(EncTypeFromNumber(16).status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_STREQ(EncTypeName(EncType::kAes256CtsHmacSha196), "aes256-cts-hmac-sha1-96");
  EXPECT_EQ(KeyLength(EncType::kRc4Hmac), 16u);
}

}  // namespace
}  // namespace trustsim::crypto
