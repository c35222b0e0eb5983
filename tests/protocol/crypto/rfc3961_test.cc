// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/rfc3961.h"

#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::crypto {
namespace {

using ::trustsim::testing::NormHex;

struct NFoldVector {
  size_t bits;
  const char* input;
  const char* output;
};

// RFC 3961 Appendix A.1.
constexpr NFoldVector kNFoldVectors[] = {
    {64, "012345", "be072631276b1955"},
    {56, "password", "78a07b6caf85fa"},
    {64, "Rough Consensus, and Running Code", "bb6ed30870b7f0e0"},
    {168, "password", "59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e"},
    {192, "MASSACHVSETTS INSTITVTE OF TECHNOLOGY",
     "db3b0d8f0b061e603282b308a50841229ad798fab9540c1b"},
    {168, "Q", "518a54a2 15a8452a 518a54a2 15a8452a 518a54a2 15"},
    {168, "ba", "fb25d531 ae897449 9f52fd92 ea9857c4 ba24cf29 7e"},
    {64, "kerberos", "6b657262 65726f73"},
    {128, "kerberos", "6b657262 65726f73 7b9b5b2b 93132b93"},
    {168, "kerberos", "8372c236 344e5f15 50cd0747 e15d62ca 7a5a3bce a4"},
    {256, "kerberos", "6b657262 65726f73 7b9b5b2b 93132b93 5c9bdcda d95c9899 c4cae4de e6d6cae4"},
};

TEST(NFoldTest, Rfc3961AppendixA1) {
  for (const NFoldVector& v : kNFoldVectors) {
    SCOPED_TRACE(v.input);
    EXPECT_EQ(ToHex(NFold(AsBytes(v.input), v.bits / 8)), NormHex(v.output));
  }
}

TEST(DeriveKeyTest, LengthFollowsTheKeyAndBadKeysFail) {
  EXPECT_EQ(DeriveKey(Bytes(16, 1), AsBytes("kerberos")).value().size(), 16u);
  EXPECT_EQ(DeriveKey(Bytes(32, 1), AsBytes("kerberos")).value().size(), 32u);
  EXPECT_FALSE(DeriveKey(Bytes(7, 1), AsBytes("kerberos")).ok());
  EXPECT_FALSE(DeriveRandom(Bytes(16, 1), ByteView{}).ok());
}

TEST(DeriveKeyTest, UsageConstants) {
  EXPECT_EQ(ToHex(UsageConstant(3, KeyRole::kEncryption)), "00000003aa");
  EXPECT_EQ(ToHex(UsageConstant(1, KeyRole::kIntegrity)), "0000000155");
  EXPECT_EQ(ToHex(UsageConstant(0x01020304, KeyRole::kChecksum)), "0102030499");
}

}  // namespace
}  // namespace trustsim::crypto
