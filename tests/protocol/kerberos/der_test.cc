// Copyright 2026 The trustsim Authors.

#include "protocol/kerberos/der.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::kerberos::der {
namespace {

using ::trustsim::testing::Hex;
using ::trustsim::testing::NormHex;

constexpr int64_t kMicros = 1'000'000;

Bytes Write(DerWriter::Fn fn) {
  DerWriter w;
  fn(w);
  return std::move(w).Take();
}

// --- Known encodings ------------------------------------------------------

TEST(DerWriterTest, IntegerKnownEncodings) {
  const struct {
    int64_t value;
    const char* hex;
  } kCases[] = {
      {0, "020100"},
      {127, "02017f"},
      {128, "02020080"},
      {256, "02020100"},
      {-1, "0201ff"},
      {-128, "020180"},
      {-129, "0202ff7f"},
      {std::numeric_limits<int64_t>::max(), "02087fffffffffffffff"},
      {std::numeric_limits<int64_t>::min(), "02088000000000000000"},
  };
  for (const auto& c : kCases) {
    const Bytes der = Write([&](DerWriter& w) { w.Integer(c.value); });
    EXPECT_EQ(ToHex(der), c.hex) << c.value;
    DerReader r(der);
    auto v = r.ReadInteger();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(*v, c.value);
    EXPECT_TRUE(r.ExpectEnd().ok());
  }
}

TEST(DerReaderTest, KdcOptionsBitString) {
  const Bytes der = Hex("03 05 00 40 81 00 10");
  DerReader r(der);
  auto flags = r.ReadBitString();
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(*flags, 0x40810010u);
  EXPECT_EQ(ToHex(Write([](DerWriter& w) { w.BitString32(0x40810010); })),
            NormHex("0305004081 0010"));
}

TEST(DerReaderTest, KerberosTimeKnownValue) {
  const Bytes der = Write([](DerWriter& w) { w.KerberosTime(1767600000 * kMicros + 999'999); });
  EXPECT_EQ(ToHex(der), absl::StrCat("180f", ToHex(AsBytes("20260105080000Z"))));
  DerReader r(der);
  auto t = r.ReadKerberosTime();
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(*t, 1767600000 * kMicros);
  EXPECT_EQ(*ParseKerberosTime("20260105080000Z"), 1767600000 * kMicros);
}

TEST(DerReaderTest, LongFormLength) {
  Bytes value(200, 0xab);
  const Bytes der = Write([&](DerWriter& w) { w.OctetString(value); });
  EXPECT_EQ(ToHex(ByteView(der).subspan(0, 3)), "0481c8");
  DerReader r(der);
  auto got = r.ReadOctetString();
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->size(), 200u);

  Bytes big(0x10000, 0);
  const Bytes der2 = Write([&](DerWriter& w) { w.OctetString(big); });
  EXPECT_EQ(ToHex(ByteView(der2).subspan(0, 5)), "0483010000");
  DerReader r2(der2);
  EXPECT_TRUE(r2.ReadOctetString().ok());
}

// --- Civil calendar -------------------------------------------------------

TEST(CivilTest, DaysFromCivilKnownDays) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({2026, 1, 5}), 20458);  // 1767600000 / 86400 = 20458.33
  EXPECT_EQ(DaysFromCivil({2038, 1, 19}), 24855);
  EXPECT_EQ(DaysFromCivil({1600, 1, 1}), -135140);
  EXPECT_EQ(DaysFromCivil({0, 1, 1}), -719528);
}

TEST(CivilTest, RoundTripsEveryDayOverCenturies) {
  CivilDay expected{1599, 1, 1};
  for (int64_t days = DaysFromCivil({1599, 1, 1}); days <= DaysFromCivil({2401, 12, 31}); ++days) {
    const CivilDay got = CivilFromDays(days);
    ASSERT_EQ(got, expected) << days;
    ASSERT_EQ(DaysFromCivil(got), days);
    // Advance `expected` by one day by hand.
    const bool leap =
        (expected.year % 4 == 0 && expected.year % 100 != 0) || expected.year % 400 == 0;
    const int kDays[12] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (++expected.day > kDays[expected.month - 1]) {
      expected.day = 1;
      if (++expected.month > 12) {
        expected.month = 1;
        ++expected.year;
      }
    }
  }
}

TEST(KerberosTimeTest, ParseAndFormat) {
  EXPECT_EQ(*ParseKerberosTime("19700101000000Z"), 0);
  EXPECT_EQ(*ParseKerberosTime("20000229235959Z"), (951868799) * kMicros);
  EXPECT_EQ(*ParseKerberosTime("19691231235959Z"), -1 * kMicros);
  EXPECT_EQ(FormatKerberosTime(0), "19700101000000Z");
  EXPECT_EQ(FormatKerberosTime(-1), "19691231235959Z");  // rounds down
  EXPECT_EQ(FormatKerberosTime(2147483647 * kMicros), "20380119031407Z");
  EXPECT_EQ(FormatKerberosTime(std::numeric_limits<int64_t>::max()), "99991231235959Z");
  EXPECT_EQ(FormatKerberosTime(std::numeric_limits<int64_t>::min()), "00000101000000Z");
}

TEST(KerberosTimeTest, RejectsBadStrings) {
  for (const char* bad : {
           "2026010508000Z",       // 14 characters
           "20261305080000Z",      // month 13
           "20260105080000+0100",  // offset instead of Z
           "20260105080000z",      // lowercase z
           "20260105080000.5Z",    // fraction
           "2026010508000AZ",      // non-digit
           "20260100080000Z",      // day 0
           "20260230080000Z",      // February 30
           "21000229000000Z",      // 2100 is not a leap year
           "20260105240000Z",      // hour 24
           "20260105086000Z",      // minute 60
           "20260105080060Z",      // leap second
           "2026-1-5080000Z",      // signs
       }) {
    const auto t = ParseKerberosTime(bad);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    const Bytes der = Write([&](DerWriter& w) {
      w.WriteTlv(Tag{TagClass::kUniversal, false, kTagGeneralizedTime}, AsBytes(bad));
    });
    DerReader r(der);
    EXPECT_EQ(r.ReadKerberosTime().status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.remaining(), der.size()) << "a failed read must not move the cursor";
  }
  EXPECT_TRUE(ParseKerberosTime("20240229120000Z").ok());
  EXPECT_TRUE(ParseKerberosTime("20000229120000Z").ok());
}

// --- Round trips ------------------------------------------------------------

TEST(DerRoundTripTest, EveryType) {
  const Bytes blob = Hex("00 01 02 ff");
  const Bytes der = Write([&](DerWriter& w) {
    w.Application(10, [&](DerWriter& app) {
      app.Sequence([&](DerWriter& seq) {
        seq.Context(0, [](DerWriter& f) { f.Integer(-5); });
        seq.Context(1, [](DerWriter& f) { f.Integer(std::numeric_limits<int32_t>::min()); });
        seq.Context(2, [](DerWriter& f) { f.Integer(std::numeric_limits<uint32_t>::max()); });
        seq.Context(3, [&](DerWriter& f) { f.OctetString(blob); });
        seq.Context(4, [](DerWriter& f) { f.GeneralString("CORP.EXAMPLE.COM"); });
        seq.Context(5, [](DerWriter& f) { f.KerberosTime(1767600000 * kMicros); });
        seq.Context(6, [](DerWriter& f) { f.BitString32(0x80000001); });
        seq.Context(7, [](DerWriter& f) {
          f.Boolean(true);
          f.Boolean(false);
        });
        seq.Context(40, [](DerWriter& f) { f.OctetString({}); });  // high tag number
      });
    });
  });
  EXPECT_TRUE(ValidateDer(der).ok());

  DerReader top(der);
  auto app = top.ExpectApplication(10);
  ASSERT_TRUE(app.ok()) << app.status();
  EXPECT_TRUE(top.ExpectEnd().ok());
  auto seq = app->ExpectSequence();
  ASSERT_TRUE(seq.ok()) << seq.status();
  EXPECT_TRUE(app->ExpectEnd().ok());
  EXPECT_EQ(seq->depth(), 2);

  auto f0 = seq->ExpectContext(0);
  ASSERT_TRUE(f0.ok());
  EXPECT_EQ(*f0->ReadInteger(), -5);
  EXPECT_TRUE(f0->ExpectEnd().ok());

  auto f1 = seq->ExpectContext(1);
  ASSERT_TRUE(f1.ok());
  EXPECT_EQ(*f1->ReadInt32(), std::numeric_limits<int32_t>::min());

  auto f2 = seq->ExpectContext(2);
  ASSERT_TRUE(f2.ok());
  EXPECT_EQ(*f2->ReadUint32(), std::numeric_limits<uint32_t>::max());

  auto f3 = seq->ExpectContext(3);
  ASSERT_TRUE(f3.ok());
  EXPECT_EQ(ToHex(*f3->ReadOctetString()), "000102ff");

  // [4] is present, [99] is not: OptionalContext looks only at the next tag.
  auto absent = seq->OptionalContext(99);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  auto f4 = seq->OptionalContext(4);
  ASSERT_TRUE(f4.ok());
  ASSERT_TRUE(f4->has_value());
  EXPECT_EQ(*(*f4)->ReadGeneralString(), "CORP.EXAMPLE.COM");

  auto f5 = seq->ExpectContext(5);
  ASSERT_TRUE(f5.ok());
  EXPECT_EQ(*f5->ReadKerberosTime(), 1767600000 * kMicros);

  auto f6 = seq->ExpectContext(6);
  ASSERT_TRUE(f6.ok());
  EXPECT_EQ(*f6->ReadBitString(), 0x80000001u);

  auto f7 = seq->ExpectContext(7);
  ASSERT_TRUE(f7.ok());
  EXPECT_EQ(*f7->ReadBoolean(), true);
  EXPECT_EQ(*f7->ReadBoolean(), false);
  EXPECT_TRUE(f7->ExpectEnd().ok());

  auto f40 = seq->ExpectContext(40);
  ASSERT_TRUE(f40.ok()) << f40.status();
  EXPECT_TRUE(f40->ReadOctetString()->empty());

  auto end = seq->OptionalContext(8);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
  EXPECT_TRUE(seq->ExpectEnd().ok());
}

TEST(DerRoundTripTest, IntegersAcrossByteBoundaries) {
  for (int shift = 0; shift < 63; ++shift) {
    for (int64_t delta : {-1, 0, 1}) {
      for (int64_t sign : {1, -1}) {
        const int64_t v = sign * ((int64_t{1} << shift) + delta);
        const Bytes der = Write([&](DerWriter& w) { w.Integer(v); });
        DerReader r(der);
        auto got = r.ReadInteger();
        ASSERT_TRUE(got.ok()) << v << " " << got.status();
        EXPECT_EQ(*got, v);
      }
    }
  }
}

TEST(DerRoundTripTest, HighTagNumbers) {
  for (uint32_t n : {30u, 31u, 127u, 128u, 16383u, 16384u, 0xffffffffu}) {
    const Bytes der =
        Write([&](DerWriter& w) { w.Context(n, [](DerWriter& f) { f.Integer(1); }); });
    ByteReader br(der);
    auto tlv = ReadTlv(br);
    ASSERT_TRUE(tlv.ok()) << n << " " << tlv.status();
    EXPECT_EQ(tlv->tag, (Tag{TagClass::kContext, true, n}));
  }
  EXPECT_EQ(ToHex(Write([](DerWriter& w) { w.Context(128, [](DerWriter&) {}); })), "bf810000");
}

// --- Rejections -------------------------------------------------------------

absl::StatusCode TlvCode(absl::string_view hex) {
  const Bytes der = Hex(hex);
  ByteReader r(der);
  const auto tlv = ReadTlv(r);
  if (!tlv.ok()) {
    EXPECT_EQ(r.offset(), 0u) << "a failed read must not move the cursor";
  }
  return tlv.status().code();
}

TEST(DerRejectTest, Lengths) {
  EXPECT_EQ(TlvCode("04 80 00 00"), absl::StatusCode::kInvalidArgument);          // indefinite
  EXPECT_EQ(TlvCode("04 81 05 0102030405"), absl::StatusCode::kInvalidArgument);  // non-minimal
  EXPECT_EQ(TlvCode("04 82 00 80"), absl::StatusCode::kInvalidArgument);          // leading zero
  EXPECT_EQ(TlvCode("04 ff"), absl::StatusCode::kInvalidArgument);                // reserved
  EXPECT_EQ(TlvCode("04 85 0000000001"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TlvCode("04 84 01000001"), absl::StatusCode::kInvalidArgument);  // > 16 MiB
  EXPECT_EQ(TlvCode("04 05 010203"), absl::StatusCode::kOutOfRange);         // past the end
  EXPECT_EQ(TlvCode("04 83 ffffff"), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(TlvCode("04 82 01"), absl::StatusCode::kOutOfRange);  // length truncated
  EXPECT_EQ(TlvCode("04"), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(TlvCode(""), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(TlvCode("04 81 80"), absl::StatusCode::kOutOfRange);  // minimal, but short
}

TEST(DerRejectTest, Tags) {
  EXPECT_EQ(TlvCode("1f 1e 00"), absl::StatusCode::kInvalidArgument);     // 30 in long form
  EXPECT_EQ(TlvCode("1f 80 7f 00"), absl::StatusCode::kInvalidArgument);  // leading 0x80
  EXPECT_EQ(TlvCode("1f 90 80 80 80 80 00 00"), absl::StatusCode::kInvalidArgument);  // > u32
  EXPECT_EQ(TlvCode("1f 81"), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(TlvCode("1f 1f 00"), absl::StatusCode::kOk);
}

absl::StatusCode IntegerCode(absl::string_view hex) {
  const Bytes der = Hex(hex);
  DerReader r(der);
  return r.ReadInteger().status().code();
}

TEST(DerRejectTest, Integers) {
  EXPECT_EQ(IntegerCode("02 02 00 01"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IntegerCode("02 02 ff 80"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IntegerCode("02 00"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IntegerCode("02 09 01 0000000000000000"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IntegerCode("22 01 00"), absl::StatusCode::kInvalidArgument);  // constructed
  EXPECT_EQ(IntegerCode("04 01 00"), absl::StatusCode::kInvalidArgument);  // wrong tag
  EXPECT_EQ(IntegerCode("02 09 00 ffffffffffffffff"), absl::StatusCode::kInvalidArgument);

  const Bytes big = Hex("02 05 01 00000000");  // 2^32
  DerReader r(big);
  EXPECT_EQ(r.ReadUint32().status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.ReadInt32().status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*r.ReadInteger(), int64_t{1} << 32);  // cursor was not moved
  const Bytes neg = Hex("02 01 ff");
  DerReader r2(neg);
  EXPECT_EQ(r2.ReadUint32().status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*r2.ReadInt32(), -1);
  const Bytes i32 = Hex("02 05 00 80000000");  // 2^31
  DerReader r3(i32);
  EXPECT_EQ(r3.ReadInt32().status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*r3.ReadUint32(), 0x80000000u);
}

TEST(DerRejectTest, GeneralStringControlByte) {
  for (absl::string_view hex : {"1b 03 41 0a 42", "1b 01 00", "1b 01 7f", "1b 02 c3 a9"}) {
    const Bytes der = Hex(hex);
    DerReader r(der);
    EXPECT_EQ(r.ReadGeneralString().status().code(), absl::StatusCode::kInvalidArgument) << hex;
  }
  const Bytes ok = Hex("1b 03 20 7e 41");
  DerReader r(ok);
  EXPECT_EQ(*r.ReadGeneralString(), " ~A");
  const Bytes utf8 = Hex("0c 01 41");  // UTF8String is a different tag
  DerReader r2(utf8);
  EXPECT_EQ(r2.ReadGeneralString().status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DerRejectTest, BitStringAndBoolean) {
  for (absl::string_view hex : {"03 05 01 40810010", "03 04 00 408100", "03 06 00 4081001000",
                                "03 00", "23 05 00 40810010"}) {
    const Bytes der = Hex(hex);
    DerReader r(der);
    EXPECT_EQ(r.ReadBitString().status().code(), absl::StatusCode::kInvalidArgument) << hex;
  }
  for (absl::string_view hex : {"01 01 01", "01 01 7f", "01 00", "01 02 ff ff"}) {
    const Bytes der = Hex(hex);
    DerReader r(der);
    EXPECT_EQ(r.ReadBoolean().status().code(), absl::StatusCode::kInvalidArgument) << hex;
  }
}

TEST(DerRejectTest, WrongTags) {
  const Bytes der = Hex("30 03 02 01 05");
  DerReader r(der);
  EXPECT_EQ(r.ExpectApplication(16).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.ExpectContext(16).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.ReadOctetString().status().code(), absl::StatusCode::kInvalidArgument);
  auto seq = r.ExpectSequence();
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(seq->ExpectContext(0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*seq->ReadInteger(), 5);

  // A primitive [0] is not an explicit tag; nor is a primitive SEQUENCE.
  const Bytes prim = Hex("80 01 05 10 00");
  DerReader r2(prim);
  EXPECT_EQ(r2.ExpectContext(0).status().code(), absl::StatusCode::kInvalidArgument);
  auto opt = r2.OptionalContext(0);
  ASSERT_TRUE(opt.ok());
  EXPECT_FALSE(opt->has_value());
  ASSERT_TRUE(r2.ReadAny().ok());
  EXPECT_EQ(r2.ExpectSequence().status().code(), absl::StatusCode::kInvalidArgument);

  // OptionalContext still reports a malformed TLV with the right tag.
  const Bytes bad = Hex("a0 80 02 01 05 00 00");
  DerReader r3(bad);
  EXPECT_EQ(r3.OptionalContext(0).status().code(), absl::StatusCode::kInvalidArgument);
  const Bytes truncated = Hex("a0");
  DerReader r4(truncated);
  EXPECT_EQ(r4.OptionalContext(0).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(DerRejectTest, TrailingBytes) {
  const Bytes der = Hex("02 01 05 00");
  DerReader r(der);
  EXPECT_EQ(*r.ReadInteger(), 5);
  EXPECT_EQ(r.ExpectEnd().code(), absl::StatusCode::kInvalidArgument);

  const Bytes inner = Hex("30 04 02 01 05 00");
  DerReader r2(inner);
  auto seq = r2.ExpectSequence();
  ASSERT_TRUE(seq.ok());
  EXPECT_TRUE(r2.ExpectEnd().ok());
  EXPECT_EQ(*seq->ReadInteger(), 5);
  EXPECT_EQ(seq->ExpectEnd().code(), absl::StatusCode::kInvalidArgument);
}

Bytes NestedSequences(int depth) {
  DerWriter w;
  if (depth == 0) {
    w.Integer(7);
  } else {
    const Bytes inner = NestedSequences(depth - 1);
    w.WriteTlv(Tag{TagClass::kUniversal, true, kTagSequence}, inner);
  }
  return std::move(w).Take();
}

TEST(DerRejectTest, NestingDepth) {
  const Bytes ok = NestedSequences(kDefaultMaxDepth);
  const Bytes deep = NestedSequences(kDefaultMaxDepth + 1);
  EXPECT_TRUE(ValidateDer(ok).ok());
  EXPECT_EQ(ValidateDer(deep).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateDer(deep, kDefaultMaxDepth + 1).ok());
  EXPECT_EQ(ValidateDer(ok, 3).code(), absl::StatusCode::kInvalidArgument);

  auto descend = [](ByteView der, int max_depth) -> absl::Status {
    DerReader r(der, max_depth);
    while (true) {
      ASSIGN_OR_RETURN(Tag tag, r.PeekTag());
      if (tag.number != kTagSequence) break;
      ASSIGN_OR_RETURN(r, r.ExpectSequence());
    }
    ASSIGN_OR_RETURN(int64_t v, r.ReadInteger());
    EXPECT_EQ(v, 7);
    return r.ExpectEnd();
  };
  EXPECT_TRUE(descend(ok, kDefaultMaxDepth).ok());
  EXPECT_EQ(descend(deep, kDefaultMaxDepth).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(descend(deep, kDefaultMaxDepth + 1).ok());

  // Deep input does not grow the stack of ValidateDer.
  const Bytes very_deep = NestedSequences(5000);
  EXPECT_EQ(ValidateDer(very_deep).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateDer(very_deep, 5000).ok());
}

// --- Parsegrind -------------------------------------------------------------

// A KDC-REQ-shaped message (RFC 4120 §5.4.1), written and parsed in full.
Bytes SampleRequest() {
  return Write([](DerWriter& w) {
    w.Application(10, [](DerWriter& app) {
      app.Sequence([](DerWriter& req) {
        req.Context(1, [](DerWriter& f) { f.Integer(5); });
        req.Context(2, [](DerWriter& f) { f.Integer(10); });
        req.Context(3, [](DerWriter& f) {
          f.Sequence([](DerWriter& padata) {
            padata.Sequence([](DerWriter& pa) {
              pa.Context(1, [](DerWriter& t) { t.Integer(128); });
              pa.Context(
                  2, [](DerWriter& v) { v.OctetString(AsBytes("\x30\x05\xa0\x03\x01\x01\xff")); });
            });
          });
        });
        req.Context(4, [](DerWriter& f) {
          f.Sequence([](DerWriter& body) {
            body.Context(0, [](DerWriter& o) { o.BitString32(0x40810010); });
            body.Context(2, [](DerWriter& r) { r.GeneralString("CORP.EXAMPLE.COM"); });
            body.Context(5, [](DerWriter& t) { t.KerberosTime(2136420000 * kMicros); });
            body.Context(7, [](DerWriter& n) { n.Integer(0x7fffffff); });
            body.Context(8, [](DerWriter& e) {
              e.Sequence([](DerWriter& list) {
                for (int etype : {18, 17, 23, -135}) list.Integer(etype);
              });
            });
            body.Context(9, [](DerWriter& b) { b.Boolean(true); });
          });
        });
      });
    });
  });
}

struct ParsedRequest {
  int32_t pvno = 0, msg_type = 0, nonce = 0;
  int64_t padata_type = 0, till = 0;
  uint32_t options = 0;
  std::string realm;
  std::vector<int32_t> etypes;
  bool flag = false;
};

absl::StatusOr<ParsedRequest> ParseRequest(ByteView der) {
  ParsedRequest out;
  DerReader top(der);
  ASSIGN_OR_RETURN(DerReader app, top.ExpectApplication(10));
  RETURN_IF_ERROR(top.ExpectEnd());
  ASSIGN_OR_RETURN(DerReader req, app.ExpectSequence());
  RETURN_IF_ERROR(app.ExpectEnd());
  ASSIGN_OR_RETURN(DerReader f1, req.ExpectContext(1));
  ASSIGN_OR_RETURN(out.pvno, f1.ReadInt32());
  RETURN_IF_ERROR(f1.ExpectEnd());
  ASSIGN_OR_RETURN(DerReader f2, req.ExpectContext(2));
  ASSIGN_OR_RETURN(out.msg_type, f2.ReadInt32());
  RETURN_IF_ERROR(f2.ExpectEnd());
  ASSIGN_OR_RETURN(std::optional<DerReader> f3, req.OptionalContext(3));
  if (f3.has_value()) {
    ASSIGN_OR_RETURN(DerReader list, f3->ExpectSequence());
    RETURN_IF_ERROR(f3->ExpectEnd());
    while (!list.empty()) {
      ASSIGN_OR_RETURN(DerReader pa, list.ExpectSequence());
      ASSIGN_OR_RETURN(DerReader t, pa.ExpectContext(1));
      ASSIGN_OR_RETURN(out.padata_type, t.ReadInteger());
      RETURN_IF_ERROR(t.ExpectEnd());
      ASSIGN_OR_RETURN(DerReader v, pa.ExpectContext(2));
      ASSIGN_OR_RETURN(ByteView value, v.ReadOctetString());
      RETURN_IF_ERROR(ValidateDer(value));
      RETURN_IF_ERROR(v.ExpectEnd());
      RETURN_IF_ERROR(pa.ExpectEnd());
    }
  }
  ASSIGN_OR_RETURN(DerReader f4, req.ExpectContext(4));
  RETURN_IF_ERROR(req.ExpectEnd());
  ASSIGN_OR_RETURN(DerReader body, f4.ExpectSequence());
  RETURN_IF_ERROR(f4.ExpectEnd());
  ASSIGN_OR_RETURN(DerReader b0, body.ExpectContext(0));
  ASSIGN_OR_RETURN(out.options, b0.ReadBitString());
  ASSIGN_OR_RETURN(DerReader b2, body.ExpectContext(2));
  ASSIGN_OR_RETURN(out.realm, b2.ReadGeneralString());
  ASSIGN_OR_RETURN(DerReader b5, body.ExpectContext(5));
  ASSIGN_OR_RETURN(out.till, b5.ReadKerberosTime());
  ASSIGN_OR_RETURN(DerReader b7, body.ExpectContext(7));
  ASSIGN_OR_RETURN(uint32_t nonce, b7.ReadUint32());
  out.nonce = static_cast<int32_t>(nonce);
  ASSIGN_OR_RETURN(DerReader b8, body.ExpectContext(8));
  ASSIGN_OR_RETURN(DerReader etypes, b8.ExpectSequence());
  while (!etypes.empty()) {
    ASSIGN_OR_RETURN(int32_t e, etypes.ReadInt32());
    out.etypes.push_back(e);
  }
  ASSIGN_OR_RETURN(DerReader b9, body.ExpectContext(9));
  ASSIGN_OR_RETURN(out.flag, b9.ReadBoolean());
  for (const DerReader* r : {&b0, &b2, &b5, &b7, &b8, &b9}) RETURN_IF_ERROR(r->ExpectEnd());
  RETURN_IF_ERROR(body.ExpectEnd());
  return out;
}

TEST(DerParsegrindTest, SampleParses) {
  const Bytes der = SampleRequest();
  auto req = ParseRequest(der);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->pvno, 5);
  EXPECT_EQ(req->msg_type, 10);
  EXPECT_EQ(req->padata_type, 128);
  EXPECT_EQ(req->options, 0x40810010u);
  EXPECT_EQ(req->realm, "CORP.EXAMPLE.COM");
  EXPECT_EQ(req->till, 2136420000 * kMicros);
  EXPECT_EQ(req->nonce, 0x7fffffff);
  EXPECT_EQ(req->etypes, (std::vector<int32_t>{18, 17, 23, -135}));
  EXPECT_TRUE(req->flag);
  EXPECT_TRUE(ValidateDer(der).ok());
}

TEST(DerParsegrindTest, EveryTruncationFailsCleanly) {
  const Bytes der = SampleRequest();
  for (size_t n = 0; n < der.size(); ++n) {
    const ByteView prefix = ByteView(der).subspan(0, n);
    const auto req = ParseRequest(prefix);
    ASSERT_FALSE(req.ok()) << "prefix " << n;
    EXPECT_EQ(req.status().code(), absl::StatusCode::kOutOfRange) << n << " " << req.status();
    EXPECT_EQ(ValidateDer(prefix).code(),
              n == 0 ? absl::StatusCode::kOk : absl::StatusCode::kOutOfRange)
        << n;
  }
}

TEST(DerParsegrindTest, EveryInnerTruncationFailsCleanly) {
  // Cut the message short at every offset but keep the outer TLV's length
  // consistent, so the error surfaces inside the nested readers.
  const Bytes der = SampleRequest();
  ByteReader outer(der);
  auto app = ReadTlv(outer);
  ASSERT_TRUE(app.ok());
  for (size_t n = 0; n < app->value.size(); ++n) {
    DerWriter w;
    w.WriteTlv(app->tag, app->value.subspan(0, n));
    const Bytes cut = std::move(w).Take();
    const auto req = ParseRequest(cut);
    ASSERT_FALSE(req.ok()) << "inner prefix " << n;
    const absl::StatusCode code = req.status().code();
    EXPECT_TRUE(code == absl::StatusCode::kOutOfRange || code == absl::StatusCode::kInvalidArgument)
        << n << " " << req.status();
  }
}

TEST(DerParsegrindTest, EveryByteFlipIsHandled) {
  const Bytes der = SampleRequest();
  for (size_t i = 0; i < der.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      Bytes mutated = der;
      mutated[i] ^= mask;
      const auto req = ParseRequest(mutated);
      if (!req.ok()) {
        const absl::StatusCode code = req.status().code();
        EXPECT_TRUE(code == absl::StatusCode::kOutOfRange ||
                    code == absl::StatusCode::kInvalidArgument)
            << i << " " << req.status();
      }
      (void)ValidateDer(mutated);
    }
  }
}

}  // namespace
}  // namespace trustsim::kerberos::der
