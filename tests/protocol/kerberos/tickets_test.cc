// Copyright 2026 The trustsim Authors.
//
// Tests for the ticket, reply and authenticator codecs (tickets.cc), the
// generalized KDC-REQ codec (messages.cc) and the checksum-free parts of the
// client (client.h).
//
// Besides round trips and known answers, every message goes through the same
// generic checks: `ExpectStrict` takes a valid encoding apart one level
// ([APPLICATION n] SEQUENCE { [k] value ... }) and rebuilds it with one thing
// wrong at a time; `ExpectTruncationsOutOfRange` and `ExpectBitFlipsSafe` cut
// and corrupt it byte by byte.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"
#include "gtest/gtest.h"
#include "protocol/kerberos/client.h"
#include "protocol/kerberos/der.h"
#include "protocol/kerberos/messages.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::kerberos {
namespace {

using ::trustsim::testing::Hex;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kOutOfRange = absl::StatusCode::kOutOfRange;

constexpr int64_t kMicros = 1'000'000;
constexpr int64_t kT0 = int64_t{1'790'000'000} * kMicros;  // 2026-09-21
constexpr int64_t kHour = 3600 * kMicros;
constexpr int64_t kDay = 24 * kHour;

// HostAddresses with one IPv4 address (addr-type 2, 127.0.0.1).
constexpr char kHostAddresses[] = "300f300da003020102a10604047f000001";
// AuthorizationData with one AD-IF-RELEVANT (1) element holding an empty
// SEQUENCE.
constexpr char kAuthorizationData[] = "300d300ba003020101a10404023000";

bool CleanError(const absl::Status& s) { return s.code() == kOutOfRange || s.code() == kInvalid; }

Bytes Pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + 7 * i);
  return b;
}

Bytes Str(absl::string_view s) {
  ByteView v = AsBytes(s);
  return Bytes(v.begin(), v.end());
}

Bytes Cat(Bytes a, ByteView b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes Int(int64_t v) {
  der::DerWriter w;
  w.Integer(v);
  return std::move(w).Take();
}

// `n` SEQUENCEs nested in each other around an empty one.
Bytes Nested(int n) {
  Bytes nested = Hex("3000");
  for (int i = 0; i < n; ++i) {
    der::DerWriter w;
    w.WriteTlv(der::Tag{der::TagClass::kUniversal, true, der::kTagSequence}, nested);
    nested = std::move(w).Take();
  }
  return nested;
}

PrincipalName Krbtgt(const std::string& realm) { return {kNtSrvInst, {"krbtgt", realm}}; }
PrincipalName Alice() { return {kNtPrincipal, {"alice"}}; }

// --- Sample values -----------------------------------------------------------

Ticket FullTicket() {
  return Ticket{"CORP.EXAMPLE.COM", Krbtgt("CORP.EXAMPLE.COM"),
                EncryptedData{18, 2, Pattern(60, 0x11)}};
}

Ticket MinimalTicket() {
  return Ticket{"R", PrincipalName{kNtSrvHst, {"host", "dc1.r"}},
                EncryptedData{23, std::nullopt, Bytes{0xaa}}};
}

EncTicketPart FullEncTicketPart() {
  EncTicketPart p;
  p.flags =
      kTicketForwardable | kTicketRenewable | kTicketInitial | kTicketPreAuthent | kTicketEncPaRep;
  p.key = {18, Pattern(32, 0x20)};
  p.crealm = "CORP.EXAMPLE.COM";
  p.cname = Alice();
  p.transited_type = 1;
  p.transited_contents = Str("EXAMPLE.COM,");
  p.authtime = kT0;
  p.starttime = kT0 + kMicros;
  p.endtime = kT0 + 10 * kHour;
  p.renew_till = kT0 + 7 * kDay;
  p.caddr = Hex(kHostAddresses);
  p.authorization_data = Hex(kAuthorizationData);
  return p;
}

EncTicketPart MinimalEncTicketPart() {
  EncTicketPart p;
  p.key = {17, Pattern(16, 0x30)};
  p.crealm = "R";
  p.cname = Alice();
  p.authtime = kT0;
  p.endtime = kT0 + 10 * kHour;
  return p;
}

EncKdcRepPart FullEncKdcRepPart(uint32_t tag = kTagEncAsRepPart) {
  EncKdcRepPart p;
  p.tag = tag;
  p.key = {18, Pattern(32, 0x40)};
  p.last_req = {{0, kT0}, {-6, kT0 - kDay}};
  p.nonce = 0xfedcba98;  // above INT32_MAX: UInt32
  p.key_expiration = kT0 + 30 * kDay;
  p.flags = kTicketForwardable | kTicketInitial | kTicketPreAuthent;
  p.authtime = kT0;
  p.starttime = kT0 + kMicros;
  p.endtime = kT0 + 10 * kHour;
  p.renew_till = kT0 + 7 * kDay;
  p.srealm = "CORP.EXAMPLE.COM";
  p.sname = Krbtgt("CORP.EXAMPLE.COM");
  p.caddr = Hex(kHostAddresses);
  p.encrypted_pa_data = std::vector<PaData>{{149, {}}, {kPaPwSalt, Str("salt")}};
  return p;
}

EncKdcRepPart MinimalEncKdcRepPart() {
  EncKdcRepPart p;
  p.key = {23, Pattern(16, 0x50)};
  p.authtime = kT0;
  p.endtime = kT0 + kHour;
  p.srealm = "R";
  p.sname = Krbtgt("R");
  return p;
}

KdcRep FullKdcRep(int32_t msg_type = kMsgTypeAsRep) {
  KdcRep rep;
  rep.msg_type = msg_type;
  rep.padata = std::vector<PaData>{
      {kPaEtypeInfo2, EncodeEtypeInfo2({{18, "CORP.EXAMPLE.COMalice", std::nullopt}})},
      {kPaPacRequest, Hex("3005a0030101ff")},
  };
  rep.crealm = "CORP.EXAMPLE.COM";
  rep.cname = Alice();
  rep.ticket = FullTicket();
  rep.enc_part = {18, 5, Pattern(90, 0x60)};
  return rep;
}

KdcRep MinimalKdcRep(int32_t msg_type = kMsgTypeAsRep) {
  KdcRep rep;
  rep.msg_type = msg_type;
  rep.crealm = "R";
  rep.cname = Alice();
  rep.ticket = MinimalTicket();
  rep.enc_part = {23, std::nullopt, Bytes{0x01}};
  return rep;
}

ApReq FullApReq() {
  return ApReq{KerberosFlag(1) | KerberosFlag(2), FullTicket(), {18, 7, Pattern(50, 0x70)}};
}

ApReq MinimalApReq() { return ApReq{0, MinimalTicket(), {23, std::nullopt, {}}}; }

Authenticator FullAuthenticator() {
  Authenticator a;
  a.crealm = "CORP.EXAMPLE.COM";
  a.cname = Alice();
  a.cksum = Checksum{16, Pattern(12, 0x80)};
  a.cusec = 999999;
  a.ctime = kT0;
  a.subkey = EncryptionKey{17, Pattern(16, 0x90)};
  a.seq_number = 0xffffffffu;
  a.authorization_data = Hex(kAuthorizationData);
  return a;
}

Authenticator MinimalAuthenticator() {
  Authenticator a;
  a.crealm = "R";
  a.cname = Alice();
  a.ctime = kT0;
  return a;
}

KdcReq FullAsReq() {
  KdcReq req;
  req.msg_type = kMsgTypeAsReq;
  req.padata = std::vector<PaData>{{kPaEncTimestamp, Hex("3003020101")}, {149, {}}};
  KdcReqBody& b = req.req_body;
  b.kdc_options = 0x40810010;
  b.cname = Alice();
  b.realm = "CORP.EXAMPLE.COM";
  b.sname = Krbtgt("CORP.EXAMPLE.COM");
  b.from = kT0;
  b.till = kT0 + 10 * kHour;
  b.rtime = kT0 + 7 * kDay;
  b.nonce = 0xfedcba98;
  b.etypes = {18, 17, 23};
  b.addresses = Hex(kHostAddresses);
  b.enc_authorization_data = Hex("3009a003020112a2020400");
  b.additional_tickets = Hex("3000");
  return req;
}

KdcReq FullTgsReq() {
  KdcReq req;
  req.msg_type = kMsgTypeTgsReq;
  req.padata = std::vector<PaData>{{kPaTgsReq, EncodeApReq(FullApReq())},
                                   {kPaPacRequest, Hex("3005a0030101ff")}};
  KdcReqBody& b = req.req_body;
  b.kdc_options = kKdcOptForwardable | kKdcOptCanonicalize;
  b.cname = Alice();
  b.realm = "CORP.EXAMPLE.COM";
  b.sname = PrincipalName{kNtSrvHst, {"host", "dc1.corp.example.com"}};
  b.from = kT0;
  b.till = kT0 + 10 * kHour;
  b.rtime = kT0 + 7 * kDay;
  b.nonce = 12345;
  b.etypes = {18};
  b.addresses = Hex(kHostAddresses);
  b.enc_authorization_data = EncodeEncryptedData({18, std::nullopt, Pattern(20, 0xa0)});
  // additional-tickets: SEQUENCE OF Ticket with one ticket.
  der::DerWriter w;
  w.WriteTlv(der::Tag{der::TagClass::kUniversal, true, der::kTagSequence},
             EncodeTicket(MinimalTicket()));
  b.additional_tickets = std::move(w).Take();
  return req;
}

KdcReq MinimalKdcReq(int32_t msg_type) {
  KdcReq req;
  req.msg_type = msg_type;
  req.req_body.realm = "R";
  req.req_body.etypes = {18};
  return req;
}

KrbError PreauthRequired(std::optional<Bytes> e_data) {
  KrbError e;
  e.stime = kT0;
  e.susec = 5;
  e.error_code = 25;  // KDC_ERR_PREAUTH_REQUIRED
  e.realm = "CORP.EXAMPLE.COM";
  e.sname = Krbtgt("CORP.EXAMPLE.COM");
  e.e_data = std::move(e_data);
  return e;
}

// --- Generic machinery ----------------------------------------------------------

// Parses and re-encodes; a parse error passes through.
using RoundTrip = std::function<absl::StatusOr<Bytes>(ByteView)>;

template <typename T>
RoundTrip Via(absl::StatusOr<T> (*parse)(ByteView), Bytes (*encode)(const T&)) {
  return [parse, encode](ByteView der) -> absl::StatusOr<Bytes> {
    absl::StatusOr<T> value = parse(der);
    if (!value.ok()) return value.status();
    return encode(*value);
  };
}

// As `Via`, also checking that `req_body_der` is the canonical body encoding.
RoundTrip KdcReqVia(absl::StatusOr<KdcReq> (*parse)(ByteView)) {
  return [parse](ByteView der) -> absl::StatusOr<Bytes> {
    absl::StatusOr<KdcReq> req = parse(der);
    if (!req.ok()) return req.status();
    EXPECT_EQ(req->req_body_der, EncodeKdcReqBody(req->req_body));
    return EncodeKdcReq(*req);
  };
}

// One explicitly tagged field: [tag] inner.
struct CtxField {
  uint32_t tag = 0;
  Bytes inner;  // the TLV(s) inside the context tag
  bool constructed = true;
};

// A message taken apart one level: [APPLICATION app] (if any) SEQUENCE { fields }.
struct Shape {
  std::optional<uint32_t> app;
  uint32_t seq_tag = der::kTagSequence;
  std::vector<CtxField> fields;
};

Shape Decompose(ByteView der) {
  Shape s;
  der::DerReader top(der);
  absl::StatusOr<der::Tlv> outer = top.ReadAny();
  if (!outer.ok()) {
    ADD_FAILURE() << outer.status();
    return s;
  }
  ByteView seq_der = der;
  if (outer->tag.tag_class == der::TagClass::kApplication) {
    s.app = outer->tag.number;
    seq_der = outer->value;
  }
  der::DerReader seq_reader(seq_der);
  absl::StatusOr<der::Tlv> seq = seq_reader.ReadAny();
  if (!seq.ok()) {
    ADD_FAILURE() << seq.status();
    return s;
  }
  der::DerReader fields(seq->value);
  while (!fields.empty()) {
    absl::StatusOr<der::Tlv> f = fields.ReadAny();
    if (!f.ok()) {
      ADD_FAILURE() << f.status();
      return s;
    }
    s.fields.push_back({f->tag.number, Bytes(f->value.begin(), f->value.end()), true});
  }
  return s;
}

Bytes Compose(const Shape& s) {
  der::DerWriter body;
  for (const CtxField& f : s.fields) {
    body.WriteTlv(der::Tag{der::TagClass::kContext, f.constructed, f.tag}, f.inner);
  }
  der::DerWriter seq;
  seq.WriteTlv(der::Tag{der::TagClass::kUniversal, true, s.seq_tag}, body.view());
  if (!s.app) return std::move(seq).Take();
  der::DerWriter app;
  app.WriteTlv(der::Tag{der::TagClass::kApplication, true, *s.app}, seq.view());
  return std::move(app).Take();
}

size_t FieldIndex(const Shape& s, uint32_t tag) {
  for (size_t i = 0; i < s.fields.size(); ++i) {
    if (s.fields[i].tag == tag) return i;
  }
  ADD_FAILURE() << "no field [" << tag << "]";
  return 0;
}

// What `ExpectStrict` needs to know about a message type.
struct Strictness {
  RoundTrip parse = {};
  Bytes full = {};                        // a valid encoding with every optional field
  std::set<uint32_t> accepted_apps = {};  // empty: no APPLICATION wrapper
  std::set<uint32_t> optional = {};       // fields that may be left out
  std::set<uint32_t> opaque = {};         // fields holding any single well-formed TLV
  std::vector<std::pair<uint32_t, int32_t>> exact = {};  // fields that must hold one value
};

void ExpectStrict(const Strictness& spec) {
  const Shape shape = Decompose(spec.full);
  ASSERT_EQ(Compose(shape), spec.full);
  ASSERT_FALSE(shape.fields.empty());
  {
    absl::StatusOr<Bytes> ok = spec.parse(spec.full);
    ASSERT_TRUE(ok.ok()) << ok.status();
  }
  const auto status = [&](ByteView der) { return spec.parse(der).status(); };
  const auto expect_invalid = [&](ByteView der, const std::string& what) {
    absl::Status s = status(der);
    EXPECT_EQ(s.code(), kInvalid) << what << ": " << s;
  };
  const auto expect_shape_invalid = [&](const Shape& s, const std::string& what) {
    expect_invalid(Compose(s), what);
  };

  // Trailing bytes after the message.
  for (const char* tail : {"00", "3000", "0500"}) {
    expect_invalid(Cat(spec.full, Hex(tail)), absl::StrCat("trailing ", tail));
  }
  expect_invalid(Cat(spec.full, spec.full), "message twice");

  // The outer tag.
  if (spec.accepted_apps.empty()) {
    Shape s = shape;
    s.app = kTagTicket;
    expect_shape_invalid(s, "wrapped in [APPLICATION 1]");
  } else {
    for (uint32_t n :
         {0u, 1u, 2u, 3u, 4u, 10u, 11u, 12u, 13u, 14u, 15u, 24u, 25u, 26u, 27u, 30u, 31u, 200u}) {
      if (spec.accepted_apps.count(n) != 0) continue;
      Shape s = shape;
      s.app = n;
      expect_shape_invalid(s, absl::StrCat("[APPLICATION ", n, "]"));
    }
    Shape bare = shape;
    bare.app.reset();
    expect_shape_invalid(bare, "no APPLICATION wrapper");
  }
  {
    Bytes der = spec.full;
    der[0] &= ~0x20;  // primitive
    expect_invalid(der, "primitive outer tag");
    der = spec.full;
    der[0] ^= 0xc0;  // APPLICATION <-> CONTEXT, UNIVERSAL <-> PRIVATE
    expect_invalid(der, "outer tag class changed");
  }
  {
    Shape s = shape;
    s.seq_tag = 17;  // SET
    expect_shape_invalid(s, "SET instead of SEQUENCE");
    s = shape;
    s.fields.clear();
    absl::Status st = status(Compose(s));
    EXPECT_TRUE(CleanError(st)) << "empty SEQUENCE: " << st;
  }

  // One field at a time.
  for (size_t i = 0; i < shape.fields.size(); ++i) {
    const uint32_t tag = shape.fields[i].tag;
    const std::string name = absl::StrCat("[", tag, "] ");
    {
      Shape s = shape;
      s.fields.erase(s.fields.begin() + i);
      absl::Status st = status(Compose(s));
      if (spec.optional.count(tag) != 0) {
        EXPECT_TRUE(st.ok()) << name << "left out: " << st;
      } else if (i + 1 < shape.fields.size()) {
        EXPECT_EQ(st.code(), kInvalid) << name << "(required) left out: " << st;
      } else {
        // The last field left out: see MissingFinalRequiredFieldIsInvalidArgument.
        EXPECT_TRUE(CleanError(st)) << name << "(required, last) left out: " << st;
      }
    }
    {
      Shape s = shape;
      s.fields[i].constructed = false;
      expect_shape_invalid(s, name + "primitive");
    }
    {
      Shape s = shape;
      s.fields.insert(s.fields.begin() + i + 1, s.fields[i]);
      expect_shape_invalid(s, name + "twice");
    }
    {
      Shape s = shape;
      s.fields[i].inner = Cat(s.fields[i].inner, Hex("0500"));
      expect_shape_invalid(s, name + "holding two values");
    }
    {
      Shape s = shape;
      s.fields[i].inner = Hex("0500");  // NULL
      absl::Status st = status(Compose(s));
      if (spec.opaque.count(tag) != 0) {
        EXPECT_TRUE(st.ok()) << name << "(opaque) holding NULL: " << st;
      } else {
        EXPECT_EQ(st.code(), kInvalid) << name << "holding NULL: " << st;
      }
    }
    {
      Shape s = shape;
      s.fields[i].inner.clear();
      absl::Status st = status(Compose(s));
      EXPECT_TRUE(CleanError(st)) << name << "empty: " << st;
    }
    {
      Shape s = shape;
      s.fields[i].tag = tag + 1;
      expect_shape_invalid(s, name + "renumbered up");
      if (tag > 0) {
        s.fields[i].tag = tag - 1;
        expect_shape_invalid(s, name + "renumbered down");
      }
    }
    if (i + 1 < shape.fields.size()) {
      Shape s = shape;
      std::swap(s.fields[i], s.fields[i + 1]);
      expect_shape_invalid(s, name + "swapped with the next field");
    }
  }

  // Unknown tags, at every position and in high-tag-number form at the end.
  const uint32_t unknown = shape.fields.back().tag + 1;
  for (size_t pos = 0; pos <= shape.fields.size(); ++pos) {
    Shape s = shape;
    s.fields.insert(s.fields.begin() + pos, CtxField{unknown, Int(0)});
    expect_shape_invalid(s, absl::StrCat("unknown [", unknown, "] at ", pos));
  }
  for (uint32_t n : {31u, 1000u}) {
    Shape s = shape;
    s.fields.push_back(CtxField{n, Int(0)});
    expect_shape_invalid(s, absl::StrCat("unknown [", n, "] at the end"));
  }

  // Fields with one allowed value (pvno, msg-type, ...).
  for (const auto& [tag, want] : spec.exact) {
    const size_t i = FieldIndex(shape, tag);
    for (int64_t v : {int64_t{want} - 1, int64_t{want} + 1, int64_t{want} + 2, int64_t{0},
                      -int64_t{want}, int64_t{want} + (int64_t{1} << 32), int64_t{1} << 40}) {
      Shape s = shape;
      s.fields[i].inner = Int(v);
      expect_shape_invalid(s, absl::StrCat("[", tag, "] = ", v));
    }
    Shape s = shape;
    s.fields[i].inner = Hex("040105");  // OCTET STRING 05
    expect_shape_invalid(s, absl::StrCat("[", tag, "] an OCTET STRING"));
  }
}

// Every proper prefix of `der` is truncated input.
void ExpectTruncationsOutOfRange(const RoundTrip& parse, const Bytes& der) {
  for (size_t n = 0; n < der.size(); ++n) {
    absl::Status st = parse(ByteView(der.data(), n)).status();
    EXPECT_EQ(st.code(), kOutOfRange) << "prefix of " << n << " bytes: " << st;
  }
}

// Flipping any single bit never crashes; what still parses re-encodes to the
// same bytes (the parsers accept only DER, which is canonical).
void ExpectBitFlipsSafe(const RoundTrip& parse, const Bytes& der) {
  for (size_t i = 0; i < der.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes mutated = der;
      mutated[i] ^= static_cast<uint8_t>(1 << bit);
      absl::StatusOr<Bytes> again = parse(mutated);
      if (again.ok()) {
        EXPECT_EQ(*again, mutated) << "byte " << i << " bit " << bit;
      } else {
        EXPECT_TRUE(CleanError(again.status()))
            << "byte " << i << " bit " << bit << ": " << again.status();
      }
    }
  }
}

// Replaces field [tag] of the message `der` with `inner`.
Bytes WithField(ByteView der, uint32_t tag, Bytes inner) {
  Shape s = Decompose(der);
  s.fields[FieldIndex(s, tag)].inner = std::move(inner);
  return Compose(s);
}

// --- Machinery self-check ------------------------------------------------------------

TEST(KerberosTicketsTest, DecomposeComposeIsIdentity) {
  for (const Bytes& der : {EncodeTicket(FullTicket()), EncodeEncryptionKey({18, Pattern(32, 1)}),
                           EncodeKdcRep(FullKdcRep()), EncodeKdcReq(FullTgsReq())}) {
    EXPECT_EQ(ToHex(Compose(Decompose(der))), ToHex(der));
  }
  Shape s = Decompose(EncodeTicket(FullTicket()));
  EXPECT_EQ(s.app, kTagTicket);
  ASSERT_EQ(s.fields.size(), 4u);
  EXPECT_EQ(s.fields[0].tag, 0u);
  EXPECT_EQ(ToHex(s.fields[0].inner), "020105");
  EXPECT_EQ(s.fields[3].tag, 3u);
}

// --- EncryptionKey ---------------------------------------------------------------------

TEST(KerberosTicketsTest, EncryptionKeyRoundTrip) {
  for (const EncryptionKey& key : {EncryptionKey{18, Pattern(32, 1)}, EncryptionKey{23, {}},
                                   EncryptionKey{-128, Bytes{0}}, EncryptionKey{0x7fffffff, {}}}) {
    const Bytes der = EncodeEncryptionKey(key);
    absl::StatusOr<EncryptionKey> parsed = ParseEncryptionKey(der);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, key);
    EXPECT_EQ(EncodeEncryptionKey(*parsed), der);
  }
}

TEST(KerberosTicketsTest, EncryptionKeyKnownAnswer) {
  // EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING }
  //   30 0b              SEQUENCE, 11 bytes
  //     a0 03            [0], 3 bytes
  //       02 01 12       INTEGER 18 (aes256-cts-hmac-sha1-96)
  //     a1 04            [1], 4 bytes
  //       04 02 01 02    OCTET STRING 01 02
  constexpr char kKnown[] = "300ba003020112a10404020102";
  EXPECT_EQ(ToHex(EncodeEncryptionKey({18, Bytes{0x01, 0x02}})), kKnown);
  absl::StatusOr<EncryptionKey> parsed = ParseEncryptionKey(Hex(kKnown));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, (EncryptionKey{18, Bytes{0x01, 0x02}}));
  // The same fields under [1] and [2] (the Checksum / PA-DATA confusion).
  EXPECT_EQ(ParseEncryptionKey(Hex("300ba103020112a20404020102")).status().code(), kInvalid);
  // keyvalue as a GeneralString.
  EXPECT_EQ(ParseEncryptionKey(Hex("300ba003020112a1041b020102")).status().code(), kInvalid);
}

TEST(KerberosTicketsTest, EncryptionKeyStrictness) {
  ExpectStrict({.parse = Via(ParseEncryptionKey, EncodeEncryptionKey),
                .full = EncodeEncryptionKey({18, Pattern(32, 1)})});
  // keytype outside Int32.
  EXPECT_EQ(ParseEncryptionKey(WithField(EncodeEncryptionKey({18, {}}), 0, Int(int64_t{1} << 31)))
                .status()
                .code(),
            kInvalid);
}

TEST(KerberosTicketsTest, EncryptionKeyTruncationAndBitFlips) {
  const RoundTrip rt = Via(ParseEncryptionKey, EncodeEncryptionKey);
  const Bytes der = EncodeEncryptionKey({18, Pattern(32, 1)});
  ExpectTruncationsOutOfRange(rt, der);
  ExpectBitFlipsSafe(rt, der);
}

// --- Ticket ---------------------------------------------------------------------------------

TEST(KerberosTicketsTest, TicketRoundTrip) {
  for (const Ticket& t : {FullTicket(), MinimalTicket(), Ticket{}}) {
    const Bytes der = EncodeTicket(t);
    EXPECT_EQ(der[0], 0x61);  // [APPLICATION 1] constructed
    absl::StatusOr<Ticket> parsed = ParseTicket(der);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, t);
    EXPECT_EQ(EncodeTicket(*parsed), der);
  }
  absl::StatusOr<Ticket> parsed = ParseTicket(EncodeTicket(MinimalTicket()));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->enc_part.kvno.has_value());
}

TEST(KerberosTicketsTest, TicketKnownAnswer) {
  // Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0] INTEGER (5),
  //     realm [1] Realm, sname [2] PrincipalName, enc-part [3] EncryptedData }
  // for realm "R", sname krbtgt/R (NT-SRV-INST, 2), enc-part {etype 18,
  // kvno 2, cipher aa bb}. Worked out inside out:
  //   sname:  1b 06 "krbtgt"                  GeneralString, 8 bytes
  //           1b 01 "R"                       GeneralString, 3 bytes
  //           30 0b ...                       SEQUENCE OF, 2 + 11 = 13 bytes
  //           a1 0d ...                       name-string [1], 15 bytes
  //           a0 03 02 01 02                  name-type [0] INTEGER 2, 5 bytes
  //           30 14 ...                       PrincipalName, 2 + 20 = 22 bytes
  //           a2 16 ...                       sname [2], 24 bytes
  //   enc-part: a0 03 02 01 12                etype [0] INTEGER 18, 5 bytes
  //           a1 03 02 01 02                  kvno [1] INTEGER 2, 5 bytes
  //           a2 04 04 02 aa bb               cipher [2] OCTET STRING, 6 bytes
  //           30 10 ...                       EncryptedData, 2 + 16 = 18 bytes
  //           a3 12 ...                       enc-part [3], 20 bytes
  //   a0 03 02 01 05                          tkt-vno [0] INTEGER 5, 5 bytes
  //   a1 03 1b 01 52                          realm [1] "R", 5 bytes
  //   30 36 ...                               SEQUENCE, 5 + 5 + 24 + 20 = 54
  //   61 38 ...                               [APPLICATION 1] (0x40|0x20|1), 56
  const std::string known =
      ToHex(Hex("61 38 30 36"
                " a0 03 02 01 05"
                " a1 03 1b 01 52"
                " a2 16 30 14 a0 03 02 01 02 a1 0d 30 0b 1b 06 6b 72 62 74 67 74 1b 01 52"
                " a3 12 30 10 a0 03 02 01 12 a1 03 02 01 02 a2 04 04 02 aa bb"));
  const Ticket ticket{"R", Krbtgt("R"), EncryptedData{18, 2, Bytes{0xaa, 0xbb}}};
  EXPECT_EQ(ToHex(EncodeTicket(ticket)), known);
  EXPECT_EQ(known.size(), 2u * 58);
  absl::StatusOr<Ticket> parsed = ParseTicket(Hex(known));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, ticket);
}

TEST(KerberosTicketsTest, TicketStrictness) {
  ExpectStrict({.parse = Via(ParseTicket, EncodeTicket),
                .full = EncodeTicket(FullTicket()),
                .accepted_apps = {kTagTicket},
                .exact = {{0, kPvno}}});
  // Nested: a bad EncryptedData or PrincipalName inside is rejected.
  const Bytes der = EncodeTicket(FullTicket());
  EXPECT_EQ(ParseTicket(WithField(der, 3, Hex("3005a103020112"))).status().code(), kInvalid);
  EXPECT_EQ(ParseTicket(WithField(der, 2, Hex("3005a103020101"))).status().code(), kInvalid);
  // The realm is printable ASCII: "R" is fine, a newline is not.
  EXPECT_EQ(ParseTicket(WithField(der, 1, Hex("1b0152"))).status().code(), absl::StatusCode::kOk);
  EXPECT_EQ(ParseTicket(WithField(der, 1, Hex("1b010a"))).status().code(), kInvalid);
}

TEST(KerberosTicketsTest, TicketTruncationAndBitFlips) {
  const RoundTrip rt = Via(ParseTicket, EncodeTicket);
  for (const Ticket& t : {FullTicket(), MinimalTicket()}) {
    const Bytes der = EncodeTicket(t);
    ExpectTruncationsOutOfRange(rt, der);
    ExpectBitFlipsSafe(rt, der);
  }
}

// --- EncTicketPart ---------------------------------------------------------------------------

TEST(KerberosTicketsTest, EncTicketPartRoundTrip) {
  for (const EncTicketPart& p : {FullEncTicketPart(), MinimalEncTicketPart()}) {
    const Bytes der = EncodeEncTicketPart(p);
    EXPECT_EQ(der[0], 0x63);  // [APPLICATION 3]
    absl::StatusOr<EncTicketPart> parsed = ParseEncTicketPart(der);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, p);
    EXPECT_EQ(EncodeEncTicketPart(*parsed), der);
  }
  absl::StatusOr<EncTicketPart> minimal =
      ParseEncTicketPart(EncodeEncTicketPart(MinimalEncTicketPart()));
  ASSERT_TRUE(minimal.ok()) << minimal.status();
  EXPECT_FALSE(minimal->starttime.has_value());
  EXPECT_FALSE(minimal->renew_till.has_value());
  EXPECT_FALSE(minimal->caddr.has_value());
  EXPECT_FALSE(minimal->authorization_data.has_value());
  EXPECT_TRUE(minimal->transited_contents.empty());
}

TEST(KerberosTicketsTest, EncTicketPartTimesRoundDownToSeconds) {
  EncTicketPart p = MinimalEncTicketPart();
  p.authtime = kT0 + 999'999;
  p.endtime = kT0 + kHour + 1;
  absl::StatusOr<EncTicketPart> parsed = ParseEncTicketPart(EncodeEncTicketPart(p));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->authtime, kT0);
  EXPECT_EQ(parsed->endtime, kT0 + kHour);
}

TEST(KerberosTicketsTest, EncTicketPartStrictness) {
  ExpectStrict({.parse = Via(ParseEncTicketPart, EncodeEncTicketPart),
                .full = EncodeEncTicketPart(FullEncTicketPart()),
                .accepted_apps = {kTagEncTicketPart},
                .optional = {6, 8, 9, 10},
                .opaque = {9, 10}});
  const Bytes der = EncodeEncTicketPart(FullEncTicketPart());
  const auto code = [](const Bytes& d) { return ParseEncTicketPart(d).status().code(); };
  // TransitedEncoding ::= SEQUENCE { tr-type [0] Int32, contents [1] OCTET STRING }
  EXPECT_EQ(code(WithField(der, 4, Hex("3007a0030201000400"))), kInvalid);      // contents untagged
  EXPECT_EQ(code(WithField(der, 4, Hex("3004a1020400"))), kInvalid);            // no tr-type
  EXPECT_EQ(code(WithField(der, 4, Hex("3009a1020400a003020100"))), kInvalid);  // out of order
  EXPECT_EQ(code(WithField(der, 4, Hex("300ea003020100a1020400a203020100"))), kInvalid);  // [2]
  EXPECT_EQ(code(WithField(der, 4, Hex("3009a003020100a1020400"))), absl::StatusCode::kOk);
  // Two TLVs inside transited [4]: the SEQUENCE then a NULL.
  EXPECT_EQ(code(WithField(der, 4, Hex("3009a003020100a10204000500"))), kInvalid);
  // flags: a BIT STRING of 32 bits with no unused bits.
  EXPECT_EQ(code(WithField(der, 0, Hex("030400000000"))), kInvalid);
  EXPECT_EQ(code(WithField(der, 0, Hex("03050100000000"))), kInvalid);    // 1 unused bit
  EXPECT_EQ(code(WithField(der, 0, Hex("0306000000000000"))), kInvalid);  // 40 bits
  // A time that is not a KerberosTime.
  EXPECT_EQ(code(WithField(der, 5, Cat(Hex("180f"), Str("20261321000000Z")))), kInvalid);
  EXPECT_EQ(code(WithField(der, 5, Cat(Hex("1811"), Str("20260921000000.5Z")))), kInvalid);
  // caddr must be a well-formed TLV, and not too deep.
  EXPECT_TRUE(CleanError(ParseEncTicketPart(WithField(der, 9, Hex("30020201"))).status()));
  EXPECT_EQ(code(WithField(der, 9, Nested(20))), absl::StatusCode::kOk);
  EXPECT_EQ(code(WithField(der, 9, Nested(40))), kInvalid);
}

TEST(KerberosTicketsTest, EncTicketPartTruncationAndBitFlips) {
  const RoundTrip rt = Via(ParseEncTicketPart, EncodeEncTicketPart);
  for (const EncTicketPart& p : {FullEncTicketPart(), MinimalEncTicketPart()}) {
    const Bytes der = EncodeEncTicketPart(p);
    ExpectTruncationsOutOfRange(rt, der);
    ExpectBitFlipsSafe(rt, der);
  }
}

// --- EncKDCRepPart -------------------------------------------------------------------------

TEST(KerberosTicketsTest, EncKdcRepPartRoundTrip) {
  for (uint32_t tag : {kTagEncAsRepPart, kTagEncTgsRepPart}) {
    EncKdcRepPart minimal = MinimalEncKdcRepPart();
    minimal.tag = tag;
    for (const EncKdcRepPart& p : {FullEncKdcRepPart(tag), minimal}) {
      const Bytes der = EncodeEncKdcRepPart(p);
      absl::StatusOr<EncKdcRepPart> parsed = ParseEncKdcRepPart(der);
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(parsed->tag, tag);
      EXPECT_EQ(*parsed, p);
      EXPECT_EQ(EncodeEncKdcRepPart(*parsed), der);
    }
  }
  absl::StatusOr<EncKdcRepPart> minimal =
      ParseEncKdcRepPart(EncodeEncKdcRepPart(MinimalEncKdcRepPart()));
  ASSERT_TRUE(minimal.ok()) << minimal.status();
  EXPECT_TRUE(minimal->last_req.empty());
  EXPECT_FALSE(minimal->key_expiration.has_value());
  EXPECT_FALSE(minimal->starttime.has_value());
  EXPECT_FALSE(minimal->renew_till.has_value());
  EXPECT_FALSE(minimal->caddr.has_value());
  EXPECT_FALSE(minimal->encrypted_pa_data.has_value());
  // An empty encrypted-pa-data list is kept as present.
  EncKdcRepPart empty_pa = MinimalEncKdcRepPart();
  empty_pa.encrypted_pa_data = std::vector<PaData>{};
  absl::StatusOr<EncKdcRepPart> parsed = ParseEncKdcRepPart(EncodeEncKdcRepPart(empty_pa));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, empty_pa);
}

TEST(KerberosTicketsTest, EncKdcRepPartAcceptsTags25And26AndKeepsTag) {
  Bytes as = EncodeEncKdcRepPart(FullEncKdcRepPart(kTagEncAsRepPart));
  const Bytes tgs = EncodeEncKdcRepPart(FullEncKdcRepPart(kTagEncTgsRepPart));
  EXPECT_EQ(as[0], 0x79);   // 0x40 | 0x20 | 25
  EXPECT_EQ(tgs[0], 0x7a);  // 0x40 | 0x20 | 26
  absl::StatusOr<EncKdcRepPart> p = ParseEncKdcRepPart(as);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->tag, kTagEncAsRepPart);
  p = ParseEncKdcRepPart(tgs);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->tag, kTagEncTgsRepPart);
  // Only the tag byte differs.
  as[0] = 0x7a;
  EXPECT_EQ(as, tgs);
  // Neighbouring and unrelated tags are not EncKDCRepPart.
  for (uint32_t n : {3u, 24u, 27u, 11u, 13u}) {
    Shape s = Decompose(tgs);
    s.app = n;
    EXPECT_EQ(ParseEncKdcRepPart(Compose(s)).status().code(), kInvalid) << n;
  }
  // A CONTEXT or UNIVERSAL 25 is not APPLICATION 25.
  Bytes other = tgs;
  other[0] = 0xb9;  // [25] constructed
  EXPECT_EQ(ParseEncKdcRepPart(other).status().code(), kInvalid);
  other[0] = 0x39;  // UNIVERSAL 25 constructed
  EXPECT_EQ(ParseEncKdcRepPart(other).status().code(), kInvalid);
}

TEST(KerberosTicketsTest, EncKdcRepPartStrictness) {
  for (uint32_t tag : {kTagEncAsRepPart, kTagEncTgsRepPart}) {
    SCOPED_TRACE(tag);
    ExpectStrict({.parse = Via(ParseEncKdcRepPart, EncodeEncKdcRepPart),
                  .full = EncodeEncKdcRepPart(FullEncKdcRepPart(tag)),
                  .accepted_apps = {kTagEncAsRepPart, kTagEncTgsRepPart},
                  .optional = {3, 6, 8, 11, 12},
                  .opaque = {11}});
  }
  const Bytes der = EncodeEncKdcRepPart(FullEncKdcRepPart());
  const auto code = [](const Bytes& d) { return ParseEncKdcRepPart(d).status().code(); };
  // nonce is a UInt32.
  EXPECT_EQ(code(WithField(der, 2, Int(-1))), kInvalid);
  EXPECT_EQ(code(WithField(der, 2, Int(int64_t{1} << 32))), kInvalid);
  EXPECT_EQ(code(WithField(der, 2, Int(0xffffffff))), absl::StatusCode::kOk);
  // LastReq entries need both fields, in order, and nothing else.
  EXPECT_EQ(code(WithField(der, 1, Hex("3000"))), absl::StatusCode::kOk);
  Bytes lr_value = Cat(Hex("a111180f"), Str("20260921000000Z"));
  Bytes entry = Cat(Hex("3018a003020100"), lr_value);
  EXPECT_EQ(code(WithField(der, 1, Cat(Hex("301a"), entry))), absl::StatusCode::kOk);
  Bytes swapped = Cat(Cat(Hex("3018"), lr_value), Hex("a003020100"));
  EXPECT_EQ(code(WithField(der, 1, Cat(Hex("301a"), swapped))), kInvalid);
  Bytes extra = Cat(Cat(Hex("301da003020100"), lr_value), Hex("a203020100"));
  EXPECT_EQ(code(WithField(der, 1, Cat(Hex("301f"), extra))), kInvalid);
  // A LastReq element that is not a SEQUENCE.
  EXPECT_EQ(code(WithField(der, 1, Hex("3003020100"))), kInvalid);
  // encrypted-pa-data elements are PA-DATA.
  EXPECT_EQ(code(WithField(der, 12, Hex("30073005a003020102"))), kInvalid);
}

TEST(KerberosTicketsTest, EncKdcRepPartTruncationAndBitFlips) {
  const RoundTrip rt = Via(ParseEncKdcRepPart, EncodeEncKdcRepPart);
  for (const EncKdcRepPart& p : {FullEncKdcRepPart(kTagEncAsRepPart),
                                 FullEncKdcRepPart(kTagEncTgsRepPart), MinimalEncKdcRepPart()}) {
    const Bytes der = EncodeEncKdcRepPart(p);
    ExpectTruncationsOutOfRange(rt, der);
    ExpectBitFlipsSafe(rt, der);
  }
}

// --- KDC-REP -------------------------------------------------------------------------------

TEST(KerberosTicketsTest, KdcRepRoundTrip) {
  for (int32_t msg_type : {kMsgTypeAsRep, kMsgTypeTgsRep}) {
    for (const KdcRep& rep : {FullKdcRep(msg_type), MinimalKdcRep(msg_type)}) {
      const Bytes der = EncodeKdcRep(rep);
      EXPECT_EQ(der[0], 0x60 | msg_type);
      absl::StatusOr<KdcRep> parsed = ParseKdcRep(der);
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(parsed->msg_type, msg_type);
      EXPECT_EQ(*parsed, rep);
      EXPECT_EQ(EncodeKdcRep(*parsed), der);
    }
  }
  absl::StatusOr<KdcRep> minimal = ParseKdcRep(EncodeKdcRep(MinimalKdcRep()));
  ASSERT_TRUE(minimal.ok()) << minimal.status();
  EXPECT_FALSE(minimal->padata.has_value());
  // An empty padata list is kept as present.
  KdcRep empty_pa = MinimalKdcRep();
  empty_pa.padata = std::vector<PaData>{};
  absl::StatusOr<KdcRep> parsed = ParseKdcRep(EncodeKdcRep(empty_pa));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->padata.has_value());
  EXPECT_TRUE(parsed->padata->empty());
}

TEST(KerberosTicketsTest, KdcRepMsgTypeMustMatchTag) {
  const Bytes as = EncodeKdcRep(FullKdcRep(kMsgTypeAsRep));
  const Bytes tgs = EncodeKdcRep(FullKdcRep(kMsgTypeTgsRep));
  // [APPLICATION 11] with msg-type 13 and [APPLICATION 13] with msg-type 11.
  EXPECT_EQ(ParseKdcRep(WithField(as, 1, Int(kMsgTypeTgsRep))).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcRep(WithField(tgs, 1, Int(kMsgTypeAsRep))).status().code(), kInvalid);
  Shape s = Decompose(as);
  s.app = kMsgTypeTgsRep;
  EXPECT_EQ(ParseKdcRep(Compose(s)).status().code(), kInvalid);
  // Other messages are not replies.
  EXPECT_EQ(ParseKdcRep(EncodeKdcReq(FullAsReq())).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcRep(EncodeKdcReq(FullTgsReq())).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcRep(EncodeApReq(FullApReq())).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcRep(EncodeKrbError(PreauthRequired(std::nullopt))).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcRep(EncodeTicket(FullTicket())).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcRep({}).status().code(), kOutOfRange);
}

TEST(KerberosTicketsTest, KdcRepStrictness) {
  for (int32_t msg_type : {kMsgTypeAsRep, kMsgTypeTgsRep}) {
    SCOPED_TRACE(msg_type);
    ExpectStrict({.parse = Via(ParseKdcRep, EncodeKdcRep),
                  .full = EncodeKdcRep(FullKdcRep(msg_type)),
                  .accepted_apps = {static_cast<uint32_t>(kMsgTypeAsRep),
                                    static_cast<uint32_t>(kMsgTypeTgsRep)},
                  .optional = {2},
                  .exact = {{0, kPvno}, {1, msg_type}}});
  }
  // The embedded ticket is parsed strictly: tkt-vno 4 inside an AS-REP.
  const Bytes der = EncodeKdcRep(FullKdcRep());
  const Bytes bad_ticket = WithField(EncodeTicket(FullTicket()), 0, Int(4));
  EXPECT_EQ(ParseKdcRep(WithField(der, 5, bad_ticket)).status().code(), kInvalid);
  // A bare SEQUENCE is not a Ticket.
  Shape ticket = Decompose(EncodeTicket(FullTicket()));
  ticket.app.reset();
  EXPECT_EQ(ParseKdcRep(WithField(der, 5, Compose(ticket))).status().code(), kInvalid);
  // padata elements are PA-DATA.
  EXPECT_EQ(ParseKdcRep(WithField(der, 2, Hex("30073005a003020102"))).status().code(), kInvalid);
}

TEST(KerberosTicketsTest, KdcRepTruncationAndBitFlips) {
  const RoundTrip rt = Via(ParseKdcRep, EncodeKdcRep);
  for (const KdcRep& rep :
       {FullKdcRep(kMsgTypeAsRep), FullKdcRep(kMsgTypeTgsRep), MinimalKdcRep()}) {
    const Bytes der = EncodeKdcRep(rep);
    ExpectTruncationsOutOfRange(rt, der);
    ExpectBitFlipsSafe(rt, der);
  }
}

// --- AP-REQ --------------------------------------------------------------------------------

TEST(KerberosTicketsTest, ApReqRoundTrip) {
  for (const ApReq& req : {FullApReq(), MinimalApReq()}) {
    const Bytes der = EncodeApReq(req);
    EXPECT_EQ(der[0], 0x6e);  // [APPLICATION 14]
    absl::StatusOr<ApReq> parsed = ParseApReq(der);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, req);
    EXPECT_EQ(EncodeApReq(*parsed), der);
  }
}

TEST(KerberosTicketsTest, ApReqStrictness) {
  ExpectStrict({.parse = Via(ParseApReq, EncodeApReq),
                .full = EncodeApReq(FullApReq()),
                .accepted_apps = {static_cast<uint32_t>(kMsgTypeApReq)},
                .exact = {{0, kPvno}, {1, kMsgTypeApReq}}});
  const Bytes der = EncodeApReq(FullApReq());
  const Bytes bad_ticket = WithField(EncodeTicket(FullTicket()), 0, Int(6));
  EXPECT_EQ(ParseApReq(WithField(der, 3, bad_ticket)).status().code(), kInvalid);
  // ap-options is 32 bits.
  EXPECT_EQ(ParseApReq(WithField(der, 2, Hex("03020020"))).status().code(), kInvalid);
  // The authenticator is EncryptedData, not an Authenticator.
  EXPECT_EQ(ParseApReq(WithField(der, 4, EncodeAuthenticator(FullAuthenticator()))).status().code(),
            kInvalid);
}

TEST(KerberosTicketsTest, ApReqTruncationAndBitFlips) {
  const RoundTrip rt = Via(ParseApReq, EncodeApReq);
  for (const ApReq& req : {FullApReq(), MinimalApReq()}) {
    const Bytes der = EncodeApReq(req);
    ExpectTruncationsOutOfRange(rt, der);
    ExpectBitFlipsSafe(rt, der);
  }
}

// --- Authenticator --------------------------------------------------------------------------

TEST(KerberosTicketsTest, AuthenticatorRoundTrip) {
  for (const Authenticator& a : {FullAuthenticator(), MinimalAuthenticator()}) {
    const Bytes der = EncodeAuthenticator(a);
    EXPECT_EQ(der[0], 0x62);  // [APPLICATION 2]
    absl::StatusOr<Authenticator> parsed = ParseAuthenticator(der);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, a);
    EXPECT_EQ(EncodeAuthenticator(*parsed), der);
  }
  absl::StatusOr<Authenticator> minimal =
      ParseAuthenticator(EncodeAuthenticator(MinimalAuthenticator()));
  ASSERT_TRUE(minimal.ok()) << minimal.status();
  EXPECT_FALSE(minimal->cksum.has_value());
  EXPECT_FALSE(minimal->subkey.has_value());
  EXPECT_FALSE(minimal->seq_number.has_value());
  EXPECT_FALSE(minimal->authorization_data.has_value());
}

TEST(KerberosTicketsTest, AuthenticatorStrictness) {
  ExpectStrict({.parse = Via(ParseAuthenticator, EncodeAuthenticator),
                .full = EncodeAuthenticator(FullAuthenticator()),
                .accepted_apps = {kTagAuthenticator},
                .optional = {3, 6, 7, 8},
                .opaque = {8},
                .exact = {{0, kPvno}}});
  const Bytes der = EncodeAuthenticator(FullAuthenticator());
  const auto code = [](const Bytes& d) { return ParseAuthenticator(d).status().code(); };
  // cusec is Microseconds (0..999999).
  EXPECT_EQ(code(WithField(der, 4, Int(1'000'000))), kInvalid);
  EXPECT_EQ(code(WithField(der, 4, Int(-1))), kInvalid);
  EXPECT_EQ(code(WithField(der, 4, Int(0))), absl::StatusCode::kOk);
  // seq-number is a UInt32.
  EXPECT_EQ(code(WithField(der, 7, Int(-1))), kInvalid);
  EXPECT_EQ(code(WithField(der, 7, Int(int64_t{1} << 32))), kInvalid);
  // Checksum and subkey are checked field by field.
  EXPECT_EQ(code(WithField(der, 3, Hex("3005a103020110"))), kInvalid);
  EXPECT_EQ(code(WithField(der, 3, Hex("3009a003020110a1020400"))), absl::StatusCode::kOk);
  EXPECT_EQ(code(WithField(der, 6, Hex("3009a103020110a2020400"))), kInvalid);
  // authorization-data must be well-formed and not too deep.
  EXPECT_EQ(code(WithField(der, 8, Nested(20))), absl::StatusCode::kOk);
  EXPECT_EQ(code(WithField(der, 8, Nested(40))), kInvalid);
}

TEST(KerberosTicketsTest, AuthenticatorTruncationAndBitFlips) {
  const RoundTrip rt = Via(ParseAuthenticator, EncodeAuthenticator);
  for (const Authenticator& a : {FullAuthenticator(), MinimalAuthenticator()}) {
    const Bytes der = EncodeAuthenticator(a);
    ExpectTruncationsOutOfRange(rt, der);
    ExpectBitFlipsSafe(rt, der);
  }
}

// --- METHOD-DATA ---------------------------------------------------------------------------

TEST(KerberosTicketsTest, MethodDataRoundTrip) {
  const std::vector<PaData> full = {
      {kPaEtypeInfo2, EncodeEtypeInfo2({{18, "CORP.EXAMPLE.COMalice", std::nullopt}})},
      {kPaEncTimestamp, {}},
      {-1, Pattern(200, 3)},  // long-form lengths
  };
  for (const std::vector<PaData>& list : {full, std::vector<PaData>{}}) {
    const Bytes der = EncodeMethodData(list);
    absl::StatusOr<std::vector<PaData>> parsed = ParseMethodData(der);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, list);
    EXPECT_EQ(EncodeMethodData(*parsed), der);
  }
  EXPECT_EQ(ToHex(EncodeMethodData({})), "3000");
  EXPECT_EQ(ToHex(EncodeMethodData({{kPaEncTimestamp, Hex("0102")}})),
            "300d300ba103020102a20404020102");
}

TEST(KerberosTicketsTest, MethodDataStrictness) {
  const auto code = [](const char* hex) { return ParseMethodData(Hex(hex)).status().code(); };
  EXPECT_EQ(code("300d300ba103020102a20404020102"), absl::StatusCode::kOk);
  EXPECT_EQ(code("300d300ba103020102a2040402010200"), kInvalid);  // trailing byte
  EXPECT_EQ(code("310d300ba103020102a20404020102"), kInvalid);    // SET OF
  EXPECT_EQ(code("600d300ba103020102a20404020102"), kInvalid);    // [APPLICATION 0]
  EXPECT_EQ(code("3003020102"), kInvalid);                        // element not a SEQUENCE
  EXPECT_EQ(code("300d300ba003020102a10404020102"), kInvalid);    // tags [0]/[1]
  EXPECT_EQ(code("300d300ba20404020102a103020102"), kInvalid);    // out of order
  EXPECT_EQ(code("30083006a20404020102"), kInvalid);              // no padata-type
  EXPECT_EQ(code("3012 3010 a103020102 a20404020102 a303020100"), kInvalid);  // unknown [3]
  EXPECT_EQ(code("300f 300d a103020102 a20604020102 0500"), kInvalid);        // two values in [2]
  EXPECT_EQ(code("300b3009a103020102a2020500"), kInvalid);  // value not OCTET STRING
}

TEST(KerberosTicketsTest, MethodDataTruncationAndBitFlips) {
  const RoundTrip rt = Via(ParseMethodData, EncodeMethodData);
  const Bytes der = EncodeMethodData({
      {kPaEtypeInfo2, EncodeEtypeInfo2({{18, "CORP.EXAMPLE.COMalice", std::nullopt}})},
      {kPaEncTimestamp, {}},
  });
  ExpectTruncationsOutOfRange(rt, der);
  ExpectBitFlipsSafe(rt, der);
}

// --- KDC-REQ -------------------------------------------------------------------------------

TEST(KerberosTicketsTest, KdcReqRoundTrip) {
  for (const KdcReq& req :
       {FullAsReq(), FullTgsReq(), MinimalKdcReq(kMsgTypeAsReq), MinimalKdcReq(kMsgTypeTgsReq)}) {
    SCOPED_TRACE(req.msg_type);
    const Bytes der = EncodeKdcReq(req);
    EXPECT_EQ(der[0], 0x60 | req.msg_type);
    absl::StatusOr<KdcReq> parsed = ParseKdcReq(der);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->msg_type, req.msg_type);
    EXPECT_EQ(parsed->padata, req.padata);
    EXPECT_EQ(parsed->req_body, req.req_body);
    EXPECT_EQ(EncodeKdcReq(*parsed), der);
    // The type-specific parser agrees.
    absl::StatusOr<KdcReq> specific =
        req.msg_type == kMsgTypeAsReq ? ParseAsReq(der) : ParseTgsReq(der);
    ASSERT_TRUE(specific.ok()) << specific.status();
    EXPECT_EQ(specific->req_body, req.req_body);
    EXPECT_EQ(specific->req_body_der, parsed->req_body_der);
  }
  absl::StatusOr<KdcReq> minimal = ParseTgsReq(EncodeKdcReq(MinimalKdcReq(kMsgTypeTgsReq)));
  ASSERT_TRUE(minimal.ok()) << minimal.status();
  EXPECT_FALSE(minimal->padata.has_value());
  const KdcReqBody& b = minimal->req_body;
  EXPECT_FALSE(b.cname || b.sname || b.from || b.till || b.rtime || b.addresses ||
               b.enc_authorization_data || b.additional_tickets);
}

TEST(KerberosTicketsTest, EncodeKdcReqBodyMatchesParsedReqBodyDer) {
  for (const KdcReq& req :
       {FullAsReq(), FullTgsReq(), MinimalKdcReq(kMsgTypeAsReq), MinimalKdcReq(kMsgTypeTgsReq)}) {
    SCOPED_TRACE(req.msg_type);
    const Bytes der = EncodeKdcReq(req);
    absl::StatusOr<KdcReq> parsed = ParseKdcReq(der);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    const Bytes body = EncodeKdcReqBody(req.req_body);
    EXPECT_EQ(ToHex(parsed->req_body_der), ToHex(body));
    // req-body is the last field: the body is the message's tail.
    ASSERT_LE(body.size(), der.size());
    EXPECT_EQ(ToHex(ByteView(der).subspan(der.size() - body.size())), ToHex(body));
  }
  // Encoders ignore req_body_der.
  KdcReq req = FullTgsReq();
  const Bytes der = EncodeKdcReq(req);
  req.req_body_der = Hex("3000");
  EXPECT_EQ(EncodeKdcReq(req), der);
}

TEST(KerberosTicketsTest, KdcReqDispatchesOnTag) {
  const Bytes as = EncodeKdcReq(FullAsReq());
  const Bytes tgs = EncodeKdcReq(FullTgsReq());
  EXPECT_EQ(as[0], 0x6a);   // [APPLICATION 10]
  EXPECT_EQ(tgs[0], 0x6c);  // [APPLICATION 12]
  absl::StatusOr<KdcReq> r = ParseKdcReq(as);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->msg_type, kMsgTypeAsReq);
  r = ParseKdcReq(tgs);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->msg_type, kMsgTypeTgsReq);
  ASSERT_TRUE(r->padata.has_value());
  EXPECT_EQ((*r->padata)[0].type, kPaTgsReq);
  absl::StatusOr<ApReq> ap = ParseApReq((*r->padata)[0].value);
  ASSERT_TRUE(ap.ok()) << ap.status();
  EXPECT_EQ(*ap, FullApReq());

  // Each specific parser rejects the other message.
  EXPECT_EQ(ParseAsReq(tgs).status().code(), kInvalid);
  EXPECT_EQ(ParseTgsReq(as).status().code(), kInvalid);
  EXPECT_TRUE(ParseAsReq(as).ok());
  EXPECT_TRUE(ParseTgsReq(tgs).ok());

  // msg-type must match the tag in both directions, whichever parser.
  const Bytes as_says_tgs = WithField(as, 2, Int(kMsgTypeTgsReq));
  const Bytes tgs_says_as = WithField(tgs, 2, Int(kMsgTypeAsReq));
  for (const Bytes& bad : {as_says_tgs, tgs_says_as}) {
    EXPECT_EQ(ParseKdcReq(bad).status().code(), kInvalid);
    EXPECT_EQ(ParseAsReq(bad).status().code(), kInvalid);
    EXPECT_EQ(ParseTgsReq(bad).status().code(), kInvalid);
  }

  // EncodeAsReq forces an AS-REQ.
  const Bytes forced = EncodeAsReq(FullTgsReq());
  EXPECT_EQ(forced[0], 0x6a);
  r = ParseAsReq(forced);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->msg_type, kMsgTypeAsReq);
  EXPECT_EQ(r->req_body, FullTgsReq().req_body);

  // Other messages are not requests.
  EXPECT_EQ(ParseKdcReq(EncodeKdcRep(FullKdcRep())).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcReq(EncodeKdcRep(FullKdcRep(kMsgTypeTgsRep))).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcReq(EncodeKrbError(PreauthRequired(std::nullopt))).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcReq(EncodeApReq(FullApReq())).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcReq({}).status().code(), kOutOfRange);
  EXPECT_EQ(ParseKdcReq(Hex("6c")).status().code(), kOutOfRange);
  // CONTEXT [12] is not APPLICATION 12.
  Bytes context = tgs;
  context[0] = 0xac;
  EXPECT_EQ(ParseKdcReq(context).status().code(), kInvalid);
}

TEST(KerberosTicketsTest, KdcReqStrictness) {
  struct Case {
    const char* name;
    absl::StatusOr<KdcReq> (*parse)(ByteView);
    KdcReq req;
    std::set<uint32_t> apps;
  };
  const std::set<uint32_t> both = {static_cast<uint32_t>(kMsgTypeAsReq),
                                   static_cast<uint32_t>(kMsgTypeTgsReq)};
  const Case cases[] = {
      {"ParseKdcReq(AS)", ParseKdcReq, FullAsReq(), both},
      {"ParseKdcReq(TGS)", ParseKdcReq, FullTgsReq(), both},
      {"ParseAsReq", ParseAsReq, FullAsReq(), {static_cast<uint32_t>(kMsgTypeAsReq)}},
      {"ParseTgsReq", ParseTgsReq, FullTgsReq(), {static_cast<uint32_t>(kMsgTypeTgsReq)}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectStrict({.parse = KdcReqVia(c.parse),
                  .full = EncodeKdcReq(c.req),
                  .accepted_apps = c.apps,
                  .optional = {3},
                  .exact = {{1, kPvno}, {2, c.req.msg_type}}});
  }
}

TEST(KerberosTicketsTest, KdcReqBodyStrictness) {
  // KDC-REQ-BODY has no parser of its own: embed it as req-body of a TGS-REQ.
  const Bytes outer = EncodeKdcReq(MinimalKdcReq(kMsgTypeTgsReq));
  const RoundTrip in_tgs_req = [&outer](ByteView body) -> absl::StatusOr<Bytes> {
    absl::StatusOr<KdcReq> req = ParseTgsReq(WithField(outer, 4, Bytes(body.begin(), body.end())));
    if (!req.ok()) return req.status();
    EXPECT_EQ(req->req_body_der, EncodeKdcReqBody(req->req_body));
    return EncodeKdcReqBody(req->req_body);
  };
  ExpectStrict({.parse = in_tgs_req,
                .full = EncodeKdcReqBody(FullTgsReq().req_body),
                .optional = {1, 3, 4, 5, 6, 9, 10, 11},
                .opaque = {9, 10, 11}});
  // etype must be a non-empty SEQUENCE OF Int32.
  const Bytes body = EncodeKdcReqBody(FullTgsReq().req_body);
  EXPECT_EQ(in_tgs_req(WithField(body, 8, Hex("3000"))).status().code(), kInvalid);
  EXPECT_EQ(in_tgs_req(WithField(body, 8, Hex("3003040112"))).status().code(), kInvalid);
  EXPECT_EQ(in_tgs_req(WithField(body, 8, Hex("3006020112020111"))).status().code(),
            absl::StatusCode::kOk);
}

TEST(KerberosTicketsTest, KdcReqTruncationAndBitFlips) {
  for (const KdcReq& req : {FullAsReq(), FullTgsReq(), MinimalKdcReq(kMsgTypeTgsReq)}) {
    SCOPED_TRACE(req.msg_type);
    const Bytes der = EncodeKdcReq(req);
    for (auto* parse : {ParseKdcReq, req.msg_type == kMsgTypeAsReq ? ParseAsReq : ParseTgsReq}) {
      ExpectTruncationsOutOfRange(KdcReqVia(parse), der);
      ExpectBitFlipsSafe(KdcReqVia(parse), der);
    }
  }
}

// --- Missing final required field ----------------------------------------------------

// messages.h: "required fields must be present ... Truncated input is
// `kOutOfRange`; anything else malformed is `kInvalidArgument`." A SEQUENCE
// whose own length is consistent but which ends before a required field is
// complete input that is malformed, not truncated input.
TEST(KerberosTicketsTest, MissingFinalRequiredFieldIsInvalidArgument) {
  const auto drop_last = [](const Bytes& der) {
    Shape s = Decompose(der);
    s.fields.pop_back();
    return Compose(s);
  };
  const struct {
    const char* what;
    absl::Status status;
  } kCases[] = {
      // Top-level messages without their last field.
      {"EncryptionKey without keyvalue [1]",
       ParseEncryptionKey(drop_last(EncodeEncryptionKey({18, Pattern(32, 1)}))).status()},
      {"Ticket without enc-part [3]", ParseTicket(drop_last(EncodeTicket(FullTicket()))).status()},
      {"EncTicketPart without endtime [7]",
       ParseEncTicketPart(drop_last(EncodeEncTicketPart(MinimalEncTicketPart()))).status()},
      {"EncKDCRepPart without sname [10]",
       ParseEncKdcRepPart(drop_last(EncodeEncKdcRepPart(MinimalEncKdcRepPart()))).status()},
      {"KDC-REP without enc-part [6]", ParseKdcRep(drop_last(EncodeKdcRep(FullKdcRep()))).status()},
      {"AP-REQ without authenticator [4]",
       ParseApReq(drop_last(EncodeApReq(FullApReq()))).status()},
      {"Authenticator without ctime [5]",
       ParseAuthenticator(drop_last(EncodeAuthenticator(MinimalAuthenticator()))).status()},
      {"AS-REQ without req-body [4]", ParseKdcReq(drop_last(EncodeKdcReq(FullAsReq()))).status()},
      {"TGS-REQ without req-body [4]", ParseTgsReq(drop_last(EncodeKdcReq(FullTgsReq()))).status()},
      {"KDC-REQ-BODY without etype [8]",
       ParseAsReq(WithField(EncodeKdcReq(MinimalKdcReq(kMsgTypeAsReq)), 4,
                            drop_last(EncodeKdcReqBody(MinimalKdcReq(kMsgTypeAsReq).req_body))))
           .status()},
      // Embedded structures without their last field.
      {"EncryptedData without cipher [2]",
       ParseTicket(WithField(EncodeTicket(FullTicket()), 3, Hex("3005a003020112"))).status()},
      {"PrincipalName without name-string [1]",
       ParseTicket(WithField(EncodeTicket(FullTicket()), 2, Hex("3005a003020101"))).status()},
      {"TransitedEncoding without contents [1]",
       ParseEncTicketPart(
           WithField(EncodeEncTicketPart(FullEncTicketPart()), 4, Hex("3005a003020100")))
           .status()},
      {"LastReq entry without lr-value [1]",
       ParseEncKdcRepPart(
           WithField(EncodeEncKdcRepPart(FullEncKdcRepPart()), 1, Hex("30073005a003020100")))
           .status()},
      {"Checksum without checksum [1]",
       ParseAuthenticator(
           WithField(EncodeAuthenticator(FullAuthenticator()), 3, Hex("3005a003020110")))
           .status()},
      {"PA-DATA without padata-value [2]", ParseMethodData(Hex("30073005a103020102")).status()},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(c.status.code(), kInvalid) << c.what << ": " << c.status;
  }
}

// --- Client: replies and ETYPE-INFO2 -------------------------------------------------------

TEST(KerberosClientTest, ParseKdcReplyDistinguishesErrorFromReply) {
  const KrbError error = PreauthRequired(Hex("3000"));
  absl::StatusOr<KdcReply> reply = ParseKdcReply(EncodeKrbError(error));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_TRUE(reply->error.has_value());
  EXPECT_FALSE(reply->rep.has_value());
  EXPECT_EQ(*reply->error, error);

  for (int32_t msg_type : {kMsgTypeAsRep, kMsgTypeTgsRep}) {
    const KdcRep rep = FullKdcRep(msg_type);
    reply = ParseKdcReply(EncodeKdcRep(rep));
    ASSERT_TRUE(reply.ok()) << reply.status();
    EXPECT_FALSE(reply->error.has_value());
    ASSERT_TRUE(reply->rep.has_value());
    EXPECT_EQ(reply->rep->msg_type, msg_type);
    EXPECT_EQ(*reply->rep, rep);
  }

  // Neither an error nor a reply.
  EXPECT_EQ(ParseKdcReply(EncodeKdcReq(FullAsReq())).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcReply(EncodeTicket(FullTicket())).status().code(), kInvalid);
  EXPECT_EQ(ParseKdcReply({}).status().code(), kOutOfRange);
  // A damaged KRB-ERROR is an error, not a KDC-REP attempt that succeeds.
  Bytes der = EncodeKrbError(error);
  EXPECT_EQ(ParseKdcReply(ByteView(der.data(), der.size() - 1)).status().code(), kOutOfRange);
  der.push_back(0);
  EXPECT_EQ(ParseKdcReply(der).status().code(), kInvalid);
}

TEST(KerberosClientTest, PreferredEtypeInfoReadsFirstEntry) {
  const EtypeInfo2 info = {
      {18, "CORP.EXAMPLE.COMhostws01.corp.example.com", Hex("00001000")},
      {17, "other", std::nullopt},
      {23, std::nullopt, std::nullopt},
  };
  const std::vector<PaData> method_data = {
      {kPaPacRequest, {}},
      {kPaEncTimestamp, {}},
      {11, Hex("3000")},  // PA-ETYPE-INFO (the old one) is not ETYPE-INFO2
      {kPaEtypeInfo2, EncodeEtypeInfo2(info)},
      {kPaEtypeInfo2, EncodeEtypeInfo2({{23, std::nullopt, std::nullopt}})},
  };
  // Through the wire, as a client receives it.
  absl::StatusOr<KdcReply> reply =
      ParseKdcReply(EncodeKrbError(PreauthRequired(EncodeMethodData(method_data))));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_TRUE(reply->error.has_value());
  absl::StatusOr<EtypeInfo2Entry> entry = PreferredEtypeInfo(*reply->error);
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(*entry, info[0]);

  // A single entry without salt.
  entry = PreferredEtypeInfo(PreauthRequired(
      EncodeMethodData({{kPaEtypeInfo2, EncodeEtypeInfo2({{23, std::nullopt, std::nullopt}})}})));
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(*entry, (EtypeInfo2Entry{23, std::nullopt, std::nullopt}));
}

TEST(KerberosClientTest, PreferredEtypeInfoNotFoundAndMalformed) {
  EXPECT_EQ(PreferredEtypeInfo(PreauthRequired(std::nullopt)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(PreferredEtypeInfo(PreauthRequired(EncodeMethodData({}))).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(PreferredEtypeInfo(PreauthRequired(EncodeMethodData(
                                   {{kPaEncTimestamp, {}}, {11, Hex("3000")}, {kPaPwSalt, {}}})))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  // Malformed e-data or ETYPE-INFO2 is an error, not "not found".
  EXPECT_EQ(PreferredEtypeInfo(PreauthRequired(Hex("0500"))).status().code(), kInvalid);
  EXPECT_EQ(PreferredEtypeInfo(PreauthRequired(Bytes{})).status().code(), kOutOfRange);
  EXPECT_EQ(PreferredEtypeInfo(PreauthRequired(EncodeMethodData({{kPaEtypeInfo2, Hex("3000")}})))
                .status()
                .code(),
            kInvalid);
  EXPECT_EQ(PreferredEtypeInfo(PreauthRequired(EncodeMethodData({{kPaEtypeInfo2, Hex("3003")}})))
                .status()
                .code(),
            kOutOfRange);
}

}  // namespace
}  // namespace trustsim::kerberos
