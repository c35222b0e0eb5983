// Copyright 2026 The trustsim Authors.

#include "protocol/kerberos/messages.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/bytes.h"
#include "gtest/gtest.h"
#include "protocol/kerberos/der.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::kerberos {
namespace {

using ::trustsim::testing::Hex;

constexpr int64_t kMicros = 1'000'000;
constexpr int64_t kT0 = int64_t{1'790'000'000} * kMicros;  // 2026-09-21

// The first UDP datagram MIT kinit (krb5-user 1.20.1-2+deb12u5, Debian 12)
// sent for `kinit -V alice@CORP.EXAMPLE.COM < /dev/null`. Captured once by
// hand: a python3 script bound a UDP socket on 127.0.0.1:0, wrote a temporary
// krb5.conf ([libdefaults] default_realm = CORP.EXAMPLE.COM,
// dns_lookup_kdc = false, udp_preference_limit = 1000000; [realms]
// CORP.EXAMPLE.COM = { kdc = 127.0.0.1:<port> }), ran
// `KRB5_CONFIG=<conf> timeout 3 kinit -V alice@CORP.EXAMPLE.COM < /dev/null`
// and printed recvfrom()'s first datagram as hex.
//
// Contents: padata {150 (PA-AS-FRESHNESS), ""}, {149 (PA-REQ-ENC-PA-REP),
// ""}; kdc-options 0x00000010 (renewable-ok); cname alice; realm
// CORP.EXAMPLE.COM; sname krbtgt/CORP.EXAMPLE.COM; till 20261125040503Z;
// nonce 0x3ebbc487; etypes 18 17 20 19 16 23 25 26. No fields outside the
// modelled set, so the re-encoding is byte-identical.
constexpr char kMitKinitAsReq[] =
    "6a81be3081bba103020105a20302010aa31a3018300aa10402020096a2020400300aa104"
    "02020095a2020400a4819230818fa00703050000000010a1123010a003020101a1093007"
    "1b05616c696365a2121b10434f52502e4558414d504c452e434f4da3253023a003020102"
    "a11c301a1b066b72627467741b10434f52502e4558414d504c452e434f4da511180f3230"
    "3236313132353034303530335aa70602043ebbc487a81a30180201120201110201140201"
    "1302011002011702011902011a";

PrincipalName Krbtgt(const std::string& realm) { return {kNtSrvInst, {"krbtgt", realm}}; }

AsReq FullAsReq() {
  AsReq req;
  req.padata = std::vector<PaData>{
      {kPaEncTimestamp, Hex("3003020101")},
      {149, {}},
  };
  KdcReqBody& b = req.req_body;
  b.kdc_options = 0x40810010;
  b.cname = PrincipalName{kNtPrincipal, {"alice"}};
  b.realm = "CORP.EXAMPLE.COM";
  b.sname = Krbtgt("CORP.EXAMPLE.COM");
  b.from = kT0;
  b.till = kT0 + 36000 * kMicros;
  b.rtime = kT0 + 7 * 86400 * kMicros;
  b.nonce = 0xfedcba98;
  b.etypes = {18, 17, 23};
  // HostAddresses: one IPv4 address (addr-type 2, 127.0.0.1).
  b.addresses = Hex("300f300da003020102a10604047f000001");
  b.enc_authorization_data = Hex("3009a003020112a2020400");
  b.additional_tickets = Hex("3000");
  return req;
}

KrbError FullKrbError() {
  KrbError e;
  e.ctime = kT0 - 5 * kMicros;
  e.cusec = 123456;
  e.stime = kT0;
  e.susec = 999999;
  e.error_code = 25;  // KDC_ERR_PREAUTH_REQUIRED
  e.crealm = "CORP.EXAMPLE.COM";
  e.cname = PrincipalName{kNtPrincipal, {"alice"}};
  e.realm = "CORP.EXAMPLE.COM";
  e.sname = Krbtgt("CORP.EXAMPLE.COM");
  e.e_text = "NEEDED_PREAUTH";
  e.e_data = Hex("3000");
  return e;
}

bool CleanError(const absl::Status& s) {
  return s.code() == absl::StatusCode::kOutOfRange ||
         s.code() == absl::StatusCode::kInvalidArgument;
}

// Hand-built AS-REQs for rejection tests.
struct AsReqShape {
  int64_t pvno = 5;
  int64_t msg_type = 10;
  uint32_t app_tag = 10;
  bool realm = true;
  bool nonce = true;
  std::optional<uint32_t> extra_body_tag = std::nullopt;  // an unknown [n] at the end of the body
  std::optional<uint32_t> extra_req_tag = std::nullopt;   // an unknown [n] at the end of KDC-REQ
};

Bytes BuildAsReq(const AsReqShape& s) {
  der::DerWriter w;
  w.Application(s.app_tag, [&](der::DerWriter& app) {
    app.Sequence([&](der::DerWriter& seq) {
      seq.Context(1, [&](der::DerWriter& f) { f.Integer(s.pvno); });
      seq.Context(2, [&](der::DerWriter& f) { f.Integer(s.msg_type); });
      seq.Context(4, [&](der::DerWriter& f) {
        f.Sequence([&](der::DerWriter& body) {
          body.Context(0, [&](der::DerWriter& x) { x.BitString32(0); });
          if (s.realm) body.Context(2, [&](der::DerWriter& x) { x.GeneralString("R"); });
          if (s.nonce) body.Context(7, [&](der::DerWriter& x) { x.Integer(1); });
          body.Context(
              8, [&](der::DerWriter& x) { x.Sequence([&](der::DerWriter& l) { l.Integer(18); }); });
          if (s.extra_body_tag) {
            body.Context(*s.extra_body_tag, [&](der::DerWriter& x) { x.Integer(0); });
          }
        });
      });
      if (s.extra_req_tag) seq.Context(*s.extra_req_tag, [&](der::DerWriter& x) { x.Integer(0); });
    });
  });
  return std::move(w).Take();
}

// --- Small structures ----------------------------------------------------------

TEST(KerberosMessagesTest, PrincipalNameRoundTrip) {
  for (const PrincipalName& name :
       {PrincipalName{kNtPrincipal, {"alice"}}, Krbtgt("CORP.EXAMPLE.COM"), PrincipalName{0, {}}}) {
    Bytes der = EncodePrincipalName(name);
    auto parsed = ParsePrincipalName(der);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, name);
  }
  EXPECT_EQ(ToHex(EncodePrincipalName({kNtPrincipal, {"alice"}})),
            "3010a003020101a10930071b05616c696365");
}

TEST(KerberosMessagesTest, EncryptedDataRoundTrip) {
  for (const EncryptedData& data :
       {EncryptedData{18, 2, Hex("00112233")}, EncryptedData{17, std::nullopt, {}},
        EncryptedData{23, 0xffffffffu, Hex("ff")}}) {
    auto parsed = ParseEncryptedData(EncodeEncryptedData(data));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, data);
  }
  EXPECT_EQ(ToHex(EncodeEncryptedData({18, std::nullopt, Hex("aabb")})),
            "300ba003020112a2040402aabb");
}

TEST(KerberosMessagesTest, EncryptedDataRejectsMissingCipherAndUnknownTag) {
  // etype only.
  EXPECT_FALSE(ParseEncryptedData(Hex("3005a003020112")).ok());
  // etype, cipher, then an unknown [3].
  EXPECT_EQ(ParseEncryptedData(Hex("3010a003020112a2040402aabba303020100")).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Fields out of order: cipher before etype.
  EXPECT_FALSE(ParseEncryptedData(Hex("300ba2040402aabba003020112")).ok());
  // Trailing bytes after the SEQUENCE.
  EXPECT_FALSE(ParseEncryptedData(Hex("300ba003020112a2040402aabb00")).ok());
}

TEST(KerberosMessagesTest, PaDataRoundTripUsesTagsOneAndTwo) {
  PaData pa{kPaEncTimestamp, Hex("0102")};
  Bytes der = EncodePaData(pa);
  EXPECT_EQ(ToHex(der), "300ba103020102a20404020102");
  auto parsed = ParsePaData(der);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, pa);
  // Tags [0]/[1] are not PA-DATA.
  EXPECT_FALSE(ParsePaData(Hex("300ba003020102a10404020102")).ok());
}

TEST(KerberosMessagesTest, PaEncTsEncRoundTrip) {
  for (const PaEncTsEnc& ts :
       {PaEncTsEnc{kT0, 654321}, PaEncTsEnc{kT0, std::nullopt}, PaEncTsEnc{0, 0}}) {
    auto parsed = ParsePaEncTsEnc(EncodePaEncTsEnc(ts));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, ts);
  }
  // pausec out of range.
  Bytes bad = EncodePaEncTsEnc({kT0, 1'000'000});
  EXPECT_EQ(ParsePaEncTsEnc(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(KerberosMessagesTest, EtypeInfo2RoundTrip) {
  EtypeInfo2 info = {
      {18, "CORP.EXAMPLE.COMalice", std::nullopt},
      {17, std::nullopt, Hex("00001000")},
      {23, std::nullopt, std::nullopt},
  };
  auto parsed = ParseEtypeInfo2(EncodeEtypeInfo2(info));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, info);
  EXPECT_EQ(ParseEtypeInfo2(Hex("3000")).status().code(), absl::StatusCode::kInvalidArgument);
}

// --- AS-REQ ----------------------------------------------------------------------

TEST(KerberosMessagesTest, AsReqRoundTrip) {
  AsReq req = FullAsReq();
  Bytes der = EncodeAsReq(req);
  auto parsed = ParseAsReq(der);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->padata, req.padata);
  EXPECT_EQ(parsed->req_body, req.req_body);
  EXPECT_EQ(EncodeAsReq(*parsed), der);
  // req_body_der is the exact KDC-REQ-BODY SEQUENCE inside the message.
  ASSERT_FALSE(parsed->req_body_der.empty());
  EXPECT_EQ(parsed->req_body_der[0], 0x30);
  EXPECT_NE(
      std::search(der.begin(), der.end(), parsed->req_body_der.begin(), parsed->req_body_der.end()),
      der.end());
  EXPECT_EQ(der.end() - parsed->req_body_der.size(),
            std::search(der.begin(), der.end(), parsed->req_body_der.begin(),
                        parsed->req_body_der.end()));
}

TEST(KerberosMessagesTest, AsReqMinimalRoundTrip) {
  AsReq req;
  req.req_body.realm = "R";
  req.req_body.nonce = 7;
  req.req_body.etypes = {18};
  auto parsed = ParseAsReq(EncodeAsReq(req));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->padata.has_value());
  EXPECT_EQ(parsed->req_body, req.req_body);
  EXPECT_TRUE(ParseAsReq(BuildAsReq({})).ok());
}

TEST(KerberosMessagesTest, AsReqRejections) {
  const auto code = [](const AsReqShape& s) { return ParseAsReq(BuildAsReq(s)).status().code(); };
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(code({.pvno = 4}), kInvalid);
  EXPECT_EQ(code({.pvno = 6}), kInvalid);
  EXPECT_EQ(code({.msg_type = 12}), kInvalid);  // TGS-REQ msg-type
  EXPECT_EQ(code({.msg_type = 12, .app_tag = 12}), kInvalid);
  EXPECT_EQ(code({.app_tag = 12}), kInvalid);
  EXPECT_EQ(code({.realm = false}), kInvalid);
  EXPECT_EQ(code({.nonce = false}), kInvalid);
  EXPECT_EQ(code({.extra_body_tag = 12}), kInvalid);
  EXPECT_EQ(code({.extra_req_tag = 5}), kInvalid);
  // Trailing garbage after the application value.
  Bytes der = BuildAsReq({});
  der.push_back(0);
  EXPECT_EQ(ParseAsReq(der).status().code(), kInvalid);
  // A KRB-ERROR is not an AS-REQ and vice versa.
  EXPECT_FALSE(ParseAsReq(EncodeKrbError(FullKrbError())).ok());
  EXPECT_FALSE(ParseKrbError(EncodeAsReq(FullAsReq())).ok());
}

TEST(KerberosMessagesTest, AsReqTruncatedAtEveryByteIsCleanError) {
  for (const Bytes& der : {EncodeAsReq(FullAsReq()), Hex(kMitKinitAsReq)}) {
    for (size_t n = 0; n < der.size(); ++n) {
      auto parsed = ParseAsReq(ByteView(der.data(), n));
      ASSERT_FALSE(parsed.ok()) << n;
      EXPECT_TRUE(CleanError(parsed.status())) << n << ": " << parsed.status();
    }
  }
}

TEST(KerberosMessagesTest, AsReqByteCorruptionNeverCrashes) {
  const Bytes der = EncodeAsReq(FullAsReq());
  for (size_t i = 0; i < der.size(); ++i) {
    for (uint8_t v : {uint8_t{0x00}, uint8_t{0xff}, uint8_t{0x80}, uint8_t(der[i] ^ 0x01)}) {
      Bytes mutated = der;
      mutated[i] = v;
      auto parsed = ParseAsReq(mutated);
      if (!parsed.ok()) {
        EXPECT_TRUE(CleanError(parsed.status())) << i << ": " << parsed.status();
      }
    }
  }
}

TEST(KerberosMessagesTest, SkippedFieldsMustBeWellFormedSingleTlvs) {
  AsReq req = FullAsReq();
  req.req_body.addresses = Hex("3000");
  Bytes der = EncodeAsReq(req);
  // A SEQUENCE whose INTEGER claims one byte but has none.
  req.req_body.addresses = Hex("30020201");  // INTEGER claims 1 byte, none left
  // The encoder writes it as given (trusted input); the parser rejects it.
  EXPECT_FALSE(ParseAsReq(EncodeAsReq(req)).ok());
  EXPECT_TRUE(ParseAsReq(der).ok());
}

TEST(KerberosMessagesTest, DeepNestingInSkippedFieldIsBounded) {
  // 40 nested SEQUENCEs inside addresses exceed the depth limit.
  Bytes nested = Hex("3000");
  for (int i = 0; i < 40; ++i) {
    der::DerWriter w;
    w.WriteTlv(der::Tag{der::TagClass::kUniversal, true, der::kTagSequence}, nested);
    nested = std::move(w).Take();
  }
  AsReq req = FullAsReq();
  req.req_body.addresses = nested;
  EXPECT_EQ(ParseAsReq(EncodeAsReq(req)).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(KerberosMessagesTest, MitKinitAsReqVector) {
  const Bytes der = Hex(kMitKinitAsReq);
  auto parsed = ParseAsReq(der);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const KdcReqBody& b = parsed->req_body;
  ASSERT_TRUE(b.cname.has_value());
  EXPECT_EQ(b.cname->name_type, kNtPrincipal);
  EXPECT_EQ(b.cname->name_string, std::vector<std::string>{"alice"});
  EXPECT_EQ(b.realm, "CORP.EXAMPLE.COM");
  ASSERT_TRUE(b.sname.has_value());
  EXPECT_EQ(*b.sname, Krbtgt("CORP.EXAMPLE.COM"));
  EXPECT_NE(std::find(b.etypes.begin(), b.etypes.end(), 18), b.etypes.end());
  EXPECT_NE(std::find(b.etypes.begin(), b.etypes.end(), 17), b.etypes.end());
  EXPECT_EQ(b.kdc_options, 0x00000010u);
  EXPECT_EQ(b.nonce, 0x3ebbc487u);
  ASSERT_TRUE(b.till.has_value());
  EXPECT_EQ(der::FormatKerberosTime(*b.till), "20261125040503Z");
  EXPECT_FALSE(b.from.has_value());
  EXPECT_FALSE(b.rtime.has_value());
  EXPECT_FALSE(b.addresses.has_value());
  ASSERT_TRUE(parsed->padata.has_value());
  EXPECT_EQ(*parsed->padata, (std::vector<PaData>{{150, {}}, {149, {}}}));
  // The body is the tail of the message, starting at its SEQUENCE tag.
  EXPECT_EQ(ToHex(parsed->req_body_der), ToHex(ByteView(der).subspan(der.size() - 146)));
  // Every field MIT sent is modelled, so the re-encoding is identical.
  EXPECT_EQ(ToHex(EncodeAsReq(*parsed)), ToHex(der));
}

// --- KRB-ERROR --------------------------------------------------------------------

TEST(KerberosMessagesTest, KrbErrorRoundTrip) {
  KrbError full = FullKrbError();
  Bytes der = EncodeKrbError(full);
  auto parsed = ParseKrbError(der);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, full);

  KrbError minimal;
  minimal.stime = kT0;
  minimal.error_code = 6;  // KDC_ERR_C_PRINCIPAL_UNKNOWN
  minimal.realm = "R";
  minimal.sname = Krbtgt("R");
  parsed = ParseKrbError(EncodeKrbError(minimal));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, minimal);
}

TEST(KerberosMessagesTest, KrbErrorRejections) {
  KrbError e = FullKrbError();
  Bytes der = EncodeKrbError(e);
  // pvno [0] INTEGER 5 -> 4.
  Bytes bad = der;
  const Bytes pvno = Hex("a003020105");
  auto it = std::search(bad.begin(), bad.end(), pvno.begin(), pvno.end());
  ASSERT_NE(it, bad.end());
  it[4] = 4;
  EXPECT_EQ(ParseKrbError(bad).status().code(), absl::StatusCode::kInvalidArgument);
  // msg-type [1] INTEGER 30 -> 31.
  bad = der;
  const Bytes msg_type = Hex("a10302011e");
  it = std::search(bad.begin(), bad.end(), msg_type.begin(), msg_type.end());
  ASSERT_NE(it, bad.end());
  it[4] = 31;
  EXPECT_EQ(ParseKrbError(bad).status().code(), absl::StatusCode::kInvalidArgument);
  // susec out of range.
  e.susec = 1'000'000;
  EXPECT_EQ(ParseKrbError(EncodeKrbError(e)).status().code(), absl::StatusCode::kInvalidArgument);
  // Truncation at every byte.
  for (size_t n = 0; n < der.size(); ++n) {
    auto parsed = ParseKrbError(ByteView(der.data(), n));
    ASSERT_FALSE(parsed.ok()) << n;
    EXPECT_TRUE(CleanError(parsed.status())) << n << ": " << parsed.status();
  }
}

}  // namespace
}  // namespace trustsim::kerberos
