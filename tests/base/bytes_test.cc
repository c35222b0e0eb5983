// Copyright 2026 The trustsim Authors.

#include "base/bytes.h"

#include "gtest/gtest.h"

namespace trustsim {
namespace {

TEST(BytesTest, HexRoundTrip) {
  const Bytes b = {0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(ToHex(b), "007f80ff");
  EXPECT_EQ(FromHex("007F80ff").value(), b);
}

TEST(BytesTest, HexAcceptsSpacesBetweenBytesLikeRfcText) {
  EXPECT_EQ(FromHex("cd ed\n b5 28").value(), (Bytes{0xcd, 0xed, 0xb5, 0x28}));
  EXPECT_TRUE(FromHex("").value().empty());
}

TEST(BytesTest, HexRejectsBadInput) {
  EXPECT_EQ(FromHex("abc").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FromHex("zz").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FromHex("a b").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BytesTest, AsBytesAndToArray) {
  EXPECT_EQ(ToHex(AsBytes("AB")), "4142");
  const auto a = ToArray<2>(AsBytes("AB"));
  EXPECT_EQ(a[0], 0x41);
  EXPECT_EQ(a[1], 0x42);
}

}  // namespace
}  // namespace trustsim
