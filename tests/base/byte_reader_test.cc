// Copyright 2026 The trustsim Authors.

#include "base/byte_reader.h"

#include "gtest/gtest.h"

namespace trustsim {
namespace {

constexpr uint8_t kData[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};

TEST(ByteReaderTest, ReadsLittleAndBigEndian) {
  ByteReader r(kData);
  EXPECT_EQ(r.ReadU8().value(), 0x01);
  EXPECT_EQ(r.ReadU16Le().value(), 0x0302);
  EXPECT_EQ(r.ReadU16Be().value(), 0x0405);
  EXPECT_EQ(r.ReadU32Le().value(), 0x09080706u);
  EXPECT_TRUE(r.empty());
  EXPECT_TRUE(r.ExpectEnd("test").ok());
}

TEST(ByteReaderTest, Reads64Bit) {
  ByteReader le(kData);
  EXPECT_EQ(le.ReadU64Le().value(), 0x0807060504030201u);
  ByteReader be(kData);
  EXPECT_EQ(be.ReadU64Be().value(), 0x0102030405060708u);
  EXPECT_EQ(be.ReadU32Be().status().code(), absl::StatusCode::kOutOfRange);
}

TEST(ByteReaderTest, TruncationIsOutOfRangeAndDoesNotConsume) {
  ByteReader r(ByteView(kData).first(3));
  EXPECT_EQ(r.ReadU32Le().status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(r.offset(), 0u);
  EXPECT_EQ(r.ReadBytes(4).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(r.ReadU16Le().value(), 0x0201);
}

TEST(ByteReaderTest, AlignmentIsFromTheStartAndIgnoresPadContents) {
  ByteReader r(kData);
  ASSERT_TRUE(r.Skip(1).ok());
  ASSERT_TRUE(r.Align(4).ok());
  EXPECT_EQ(r.offset(), 4u);
  ASSERT_TRUE(r.Align(4).ok());
  EXPECT_EQ(r.offset(), 4u);
  ASSERT_TRUE(r.Skip(1).ok());
  ASSERT_TRUE(r.Align(8).ok());
  EXPECT_EQ(r.offset(), 8u);
  EXPECT_EQ(r.Align(16).code(), absl::StatusCode::kOutOfRange);
}

TEST(ByteReaderTest, SubReaderIsBoundedAndStartsAtZero) {
  ByteReader r(kData);
  ASSERT_TRUE(r.Skip(2).ok());
  auto sub = r.ReadSubReader(3);
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->offset(), 0u);
  EXPECT_EQ(sub->remaining(), 3u);
  EXPECT_EQ(sub->ReadU32Le().status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(r.offset(), 5u);
  EXPECT_EQ(r.ReadSubReader(5).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(ByteReaderTest, PeekAndExpectEnd) {
  ByteReader r(ByteView(kData).first(1));
  EXPECT_EQ(r.PeekU8().value(), 0x01);
  EXPECT_EQ(r.ExpectEnd("thing").code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(r.Skip(1).ok());
  EXPECT_EQ(r.PeekU8().status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(r.Rest().size(), 0u);
}

TEST(ByteReaderTest, EmptyInput) {
  ByteReader r(ByteView{});
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.ReadU8().status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(r.ReadBytes(0).ok());
}

}  // namespace
}  // namespace trustsim
