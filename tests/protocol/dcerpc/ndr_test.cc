// Copyright 2026 The trustsim Authors.

#include "protocol/dcerpc/ndr.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::dcerpc {
namespace {

using ::trustsim::testing::Hex;
using ::trustsim::testing::NormHex;

// protocol-facts.md §2.4: NetrServerReqChallenge(PrimaryName="\\DC1",
// ComputerName="WS01", ClientChallenge=0102030405060708) as impacket 0.10
// encodes it (referent id 0x00009682).
constexpr char kReqChallengeStub[] =
    "82960000 06000000 00000000 06000000 5c005c00 44004300 31000000"
    "05000000 00000000 05000000 57005300 30003100 0000"
    "0102030405060708";

TEST(NdrReaderTest, DecodesImpacketReqChallenge) {
  const Bytes stub = Hex(kReqChallengeStub);
  NdrReader r(stub);
  auto primary = r.ReadUniqueString();
  ASSERT_TRUE(primary.ok()) << primary.status();
  EXPECT_EQ(*primary, std::optional<std::string>("\\\\DC1"));
  auto computer = r.ReadRefString();
  ASSERT_TRUE(computer.ok()) << computer.status();
  EXPECT_EQ(*computer, "WS01");
  auto challenge = r.ReadFixed<8>();
  ASSERT_TRUE(challenge.ok());
  EXPECT_EQ(ToHex(*challenge), "0102030405060708");
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(NdrWriterTest, ReproducesImpacketBytesUpToTheReferentId) {
  NdrWriter w;
  ASSERT_TRUE(w.WriteUniqueString("\\\\DC1").ok());
  ASSERT_TRUE(w.WriteRefString("WS01").ok());
  w.WriteFixedArray(Hex("0102030405060708"));
  Bytes expected = Hex(kReqChallengeStub);
  expected[0] = 0x00;  // our first referent id is 0x00020000
  expected[1] = 0x00;
  expected[2] = 0x02;
  expected[3] = 0x00;
  EXPECT_EQ(ToHex(w.view()), ToHex(expected));
}

TEST(NdrReaderTest, IgnoresPaddingContents) {
  // impacket's Authenticate3 prefix: enum 0x0002, pad 0xabab, then a string.
  const Bytes stub = Hex("0200abab 05000000 00000000 05000000 5700530030003100 0000 bfbf ffff2f61");
  NdrReader r(stub);
  EXPECT_EQ(r.ReadEnum16().value(), 2);
  EXPECT_EQ(r.ReadRefString().value(), "WS01");
  EXPECT_EQ(r.ReadU32().value(), 0x612fffffu);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(NdrWriterTest, PadsWithZerosAndAlignsPrimitives) {
  NdrWriter w;
  w.WriteU8(1);
  w.WriteU16(0x0302);
  w.WriteU32(0x07060504);
  w.WriteU8(8);
  w.WriteU64(0x1112131415161718);
  EXPECT_EQ(ToHex(w.view()), NormHex("01 00 0203 04050607 08 00000000000000 1817161514131211"));
}

TEST(NdrWriterTest, NumbersReferentsLikeWindows) {
  NdrWriter w;
  w.WriteUniquePointer(true);
  w.WriteUniquePointer(false);
  w.WriteUniquePointer(true);
  EXPECT_EQ(ToHex(w.view()), NormHex("00000200 00000000 04000200"));
}

TEST(NdrRoundTripTest, StringsPointersAndNull) {
  NdrWriter w;
  ASSERT_TRUE(w.WriteUniqueString(std::nullopt).ok());
  ASSERT_TRUE(w.WriteUniqueString("Grüße").ok());
  ASSERT_TRUE(w.WriteRefString("").ok());
  w.WriteEnum16(6);
  w.WriteUnionDiscriminant(2);
  const Bytes stub = std::move(w).Take();
  NdrReader r(stub);
  EXPECT_EQ(r.ReadUniqueString().value(), std::nullopt);
  EXPECT_EQ(r.ReadUniqueString().value(), std::optional<std::string>("Grüße"));
  EXPECT_EQ(r.ReadRefString().value(), "");
  EXPECT_EQ(r.ReadEnum16().value(), 6);
  EXPECT_EQ(r.ReadUnionDiscriminant().value(), 2u);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(NdrReaderTest, StringWithoutNulIsAcceptedUnlessRequired) {
  const Bytes stub = Hex("02000000 00000000 02000000 41004200");
  EXPECT_EQ(NdrReader(stub).ReadConformantVaryingString().value(), "AB");
  EXPECT_EQ(
      NdrReader(stub).ReadConformantVaryingString(StringTerminator::kRequired).status().code(),
      absl::StatusCode::kInvalidArgument);
  const Bytes empty = Hex("00000000 00000000 00000000");
  EXPECT_EQ(NdrReader(empty).ReadConformantVaryingString().value(), "");
  EXPECT_EQ(
      NdrReader(empty).ReadConformantVaryingString(StringTerminator::kRequired).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(NdrReaderTest, StringStopsAtTheFirstNul) {
  const Bytes stub = Hex("04000000 00000000 04000000 41000000 42000000");
  EXPECT_EQ(NdrReader(stub).ReadConformantVaryingString().value(), "A");
  const Bytes raw = NdrReader(stub).ReadConformantVaryingStringUtf16().value();
  EXPECT_EQ(ToHex(raw), "4100");
}

TEST(NdrReaderTest, RejectsMalformedStrings) {
  // offset != 0
  EXPECT_EQ(NdrReader(Hex("02000000 01000000 01000000 4100")).ReadRefString().status().code(),
            absl::StatusCode::kInvalidArgument);
  // actual_count > max_count
  EXPECT_EQ(NdrReader(Hex("01000000 00000000 02000000 41004200")).ReadRefString().status().code(),
            absl::StatusCode::kInvalidArgument);
  // actual_count over the limit, without reading the (absent) characters
  EXPECT_EQ(NdrReader(Hex("ffffffff 00000000 ffffffff")).ReadRefString().status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NdrReader(Hex("05000000 00000000 05000000 4100"))
                .ReadConformantVaryingString(StringTerminator::kOptional, 4)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  // characters missing
  EXPECT_EQ(NdrReader(Hex("03000000 00000000 03000000 41004200")).ReadRefString().status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(NdrReaderTest, EveryTruncationIsOutOfRange) {
  const Bytes stub = Hex(kReqChallengeStub);
  for (size_t n = 0; n < stub.size(); ++n) {
    NdrReader r(ByteView(stub).first(n));
    absl::Status status = r.ReadUniqueString().status();
    if (status.ok()) status = r.ReadRefString().status();
    if (status.ok()) status = r.ReadFixed<8>().status();
    EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange) << n;
  }
}

TEST(NdrReaderTest, AlignmentIsFromTheStartOfTheStub) {
  const Bytes stub = Hex("01 ababab 04030201 05 ababababababab 0807060504030201");
  NdrReader r(stub);
  EXPECT_EQ(r.ReadU8().value(), 1);
  EXPECT_EQ(r.ReadU32().value(), 0x01020304u);
  EXPECT_EQ(r.ReadU8().value(), 5);
  EXPECT_EQ(r.ReadU64().value(), 0x0102030405060708u);
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(NdrReader(Hex("01 abab")).ReadFixedArray(4, 4).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(NdrWriterTest, RejectsBadStringInputWithoutWriting) {
  NdrWriter w;
  EXPECT_FALSE(w.WriteConformantVaryingString("\xff").ok());
  EXPECT_FALSE(w.WriteUniqueString(std::string("\xc3")).ok());
  const Bytes odd = {0x41};
  EXPECT_FALSE(w.WriteConformantVaryingStringUtf16(odd).ok());
  EXPECT_EQ(w.size(), 0u);
}

}  // namespace
}  // namespace trustsim::dcerpc
