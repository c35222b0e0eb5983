// Copyright 2026 The trustsim Authors.

#include "base/byte_writer.h"

#include "base/byte_reader.h"
#include "gtest/gtest.h"

namespace trustsim {
namespace {

TEST(ByteWriterTest, WritesWhatTheReaderReads) {
  ByteWriter w;
  w.WriteU8(0xAB);
  w.WriteU16Le(0x1234);
  w.WriteU16Be(0x1234);
  w.WriteU32Le(0xDEADBEEF);
  w.WriteU32Be(0xDEADBEEF);
  w.WriteU64Le(0x0102030405060708);
  w.WriteU64Be(0x0102030405060708);
  Bytes out = std::move(w).Take();
  ASSERT_EQ(out.size(), 1u + 2 + 2 + 4 + 4 + 8 + 8);
  ByteReader r(out);
  EXPECT_EQ(r.ReadU8().value(), 0xAB);
  EXPECT_EQ(r.ReadU16Le().value(), 0x1234);
  EXPECT_EQ(r.ReadU16Be().value(), 0x1234);
  EXPECT_EQ(r.ReadU32Le().value(), 0xDEADBEEF);
  EXPECT_EQ(r.ReadU32Be().value(), 0xDEADBEEF);
  EXPECT_EQ(r.ReadU64Le().value(), 0x0102030405060708u);
  EXPECT_EQ(r.ReadU64Be().value(), 0x0102030405060708u);
  EXPECT_EQ(ToHex(ByteView(out).first(5)), "ab34121234");
}

TEST(ByteWriterTest, AlignsWithFill) {
  ByteWriter w;
  w.WriteU8(1);
  w.Align(4, 0xAB);
  EXPECT_EQ(ToHex(w.view()), "01ababab");
  w.Align(4);
  EXPECT_EQ(w.size(), 4u);
  w.WriteFill(2, 0);
  w.Align(8);
  EXPECT_EQ(w.size(), 8u);
}

TEST(ByteWriterTest, PatchesInPlace) {
  ByteWriter w;
  w.WriteU32Le(0);
  w.WriteU32Be(0);
  w.WriteU16Le(0);
  w.PatchU32Le(0, 0x11223344);
  w.PatchU32Be(4, 0x11223344);
  w.PatchU16Le(8, 0xBEEF);
  EXPECT_EQ(ToHex(w.view()), "4433221111223344efbe");
}

}  // namespace
}  // namespace trustsim
