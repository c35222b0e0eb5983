// Copyright 2026 The trustsim Authors.

#include "net/kdc_tcp_framing.h"

#include <string>

#include "gtest/gtest.h"

namespace trustsim::net {
namespace {

Bytes Text(absl::string_view text) { return Bytes(text.begin(), text.end()); }

TEST(KdcTcpFramingTest, FramePrefixesBigEndianLength) {
  EXPECT_EQ(FrameKdcTcpMessage(AsBytes("abc")), (Bytes{0, 0, 0, 3, 'a', 'b', 'c'}));
  const Bytes big(0x010203, 0xaa);
  const Bytes framed = FrameKdcTcpMessage(big);
  ASSERT_EQ(framed.size(), big.size() + 4);
  EXPECT_EQ(framed[0], 0x00);
  EXPECT_EQ(framed[1], 0x01);
  EXPECT_EQ(framed[2], 0x02);
  EXPECT_EQ(framed[3], 0x03);
}

TEST(KdcTcpFramingTest, WholeMessage) {
  KdcTcpFramer framer(100);
  framer.Append(FrameKdcTcpMessage(AsBytes("hello")));
  KdcTcpFrame frame = framer.Next();
  ASSERT_EQ(frame.status, KdcTcpFrameStatus::kMessage);
  EXPECT_EQ(frame.message, Text("hello"));
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kNeedMore);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(KdcTcpFramingTest, ByteByByte) {
  KdcTcpFramer framer(100);
  const Bytes framed = FrameKdcTcpMessage(AsBytes("hello"));
  for (size_t i = 0; i + 1 < framed.size(); ++i) {
    framer.Append(ByteView(&framed[i], 1));
    ASSERT_EQ(framer.Next().status, KdcTcpFrameStatus::kNeedMore) << "after byte " << i;
  }
  framer.Append(ByteView(&framed.back(), 1));
  KdcTcpFrame frame = framer.Next();
  ASSERT_EQ(frame.status, KdcTcpFrameStatus::kMessage);
  EXPECT_EQ(frame.message, Text("hello"));
}

TEST(KdcTcpFramingTest, SeveralMessagesAndAPartOneInOneAppend) {
  KdcTcpFramer framer(100);
  Bytes stream = FrameKdcTcpMessage(AsBytes("one"));
  const Bytes two = FrameKdcTcpMessage(AsBytes("two"));
  const Bytes three = FrameKdcTcpMessage(AsBytes("three"));
  stream.insert(stream.end(), two.begin(), two.end());
  stream.insert(stream.end(), three.begin(), three.begin() + 6);
  framer.Append(stream);

  KdcTcpFrame frame = framer.Next();
  ASSERT_EQ(frame.status, KdcTcpFrameStatus::kMessage);
  EXPECT_EQ(frame.message, Text("one"));
  frame = framer.Next();
  ASSERT_EQ(frame.status, KdcTcpFrameStatus::kMessage);
  EXPECT_EQ(frame.message, Text("two"));
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kNeedMore);
  EXPECT_EQ(framer.buffered(), 6u);

  framer.Append(ByteView(three).subspan(6));
  frame = framer.Next();
  ASSERT_EQ(frame.status, KdcTcpFrameStatus::kMessage);
  EXPECT_EQ(frame.message, Text("three"));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(KdcTcpFramingTest, LengthAtTheLimitIsAccepted) {
  KdcTcpFramer framer(5);
  framer.Append(FrameKdcTcpMessage(AsBytes("12345")));
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kMessage);
}

TEST(KdcTcpFramingTest, LengthOverTheLimitIsTooLongBeforeAnyBody) {
  KdcTcpFramer framer(5);
  framer.Append(Bytes{0, 0, 0, 6});
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kTooLong);
}

TEST(KdcTcpFramingTest, HighBitIsTooLongWhateverTheLimit) {
  KdcTcpFramer framer(static_cast<size_t>(-1));
  framer.Append(Bytes{0x80, 0, 0, 1, 'x'});
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kTooLong);
}

TEST(KdcTcpFramingTest, ZeroLengthIsEmptyMessage) {
  KdcTcpFramer framer(100);
  framer.Append(Bytes{0, 0, 0, 0});
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kEmptyMessage);
}

TEST(KdcTcpFramingTest, ErrorsAreSticky) {
  KdcTcpFramer framer(100);
  framer.Append(Bytes{0xff, 0xff, 0xff, 0xff});
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kTooLong);
  framer.Append(FrameKdcTcpMessage(AsBytes("hello")));
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kTooLong);
}

TEST(KdcTcpFramingTest, PrefixSplitAcrossAppendsIsJudgedOnceComplete) {
  KdcTcpFramer framer(100);
  framer.Append(Bytes{0x00, 0x00});
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kNeedMore);
  framer.Append(Bytes{0x01});
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kNeedMore);
  framer.Append(Bytes{0x00});
  EXPECT_EQ(framer.Next().status, KdcTcpFrameStatus::kTooLong);  // 256 > 100
}

}  // namespace
}  // namespace trustsim::net
