// Copyright 2026 The trustsim Authors.

#include "protocol/dcerpc/pdu.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "protocol/dcerpc/interface.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::dcerpc {
namespace {

using ::trustsim::testing::Hex;

constexpr char kNetlogonUuid[] = "12345678-1234-abcd-ef00-01234567cffb";

SyntaxId Netlogon() { return SyntaxId{*ParseUuid(kNetlogonUuid), 1, 0}; }

TEST(UuidTest, ParsesIntoWireForm) {
  const std::optional<Uuid> uuid = ParseUuid(kNetlogonUuid);
  ASSERT_TRUE(uuid.has_value());
  // time_low, time_mid and time_hi little-endian; the last eight bytes as
  // written.
  EXPECT_EQ(ToHex(*uuid),
            "78563412"
            "3412"
            "cdab"
            "ef00"
            "01234567cffb");
  EXPECT_EQ(FormatUuid(*uuid), kNetlogonUuid);
  // Upper case is accepted; the text form is lower case.
  EXPECT_EQ(FormatUuid(*ParseUuid("8A885D04-1CEB-11C9-9FE8-08002B104860")),
            "8a885d04-1ceb-11c9-9fe8-08002b104860");
}

TEST(UuidTest, RejectsMalformedText) {
  EXPECT_FALSE(ParseUuid("").has_value());
  EXPECT_FALSE(ParseUuid("12345678-1234-abcd-ef00-01234567cff").has_value());    // short
  EXPECT_FALSE(ParseUuid("12345678-1234-abcd-ef00-01234567cffbb").has_value());  // long
  EXPECT_FALSE(ParseUuid("12345678-1234-abcd-ef00_01234567cffb").has_value());   // separator
  EXPECT_FALSE(ParseUuid("1234567g-1234-abcd-ef00-01234567cffb").has_value());   // digit
  EXPECT_FALSE(ParseUuid("{2345678-1234-abcd-ef00-01234567cffb").has_value());
  EXPECT_FALSE(ParseUuid("123456781-234-abcd-ef00-01234567cffb").has_value());
}

TEST(UuidTest, TransferSyntaxes) {
  EXPECT_EQ(ToHex(Ndr20Syntax().uuid), "045d888aeb1cc9119fe808002b104860");
  EXPECT_EQ(Ndr20Syntax().version_major, 2);
  EXPECT_EQ(Ndr20Syntax().version_minor, 0);
  EXPECT_EQ(FormatUuid(Ndr64Syntax().uuid), "71710533-beba-4937-8319-b5dbef9ccc36");
  EXPECT_EQ(Ndr64Syntax().version_major, 1);
}

TEST(BindTimeFeatureTest, RoundTripsAndRecognisesOnlyThePrefix) {
  const SyntaxId btfn = BindTimeFeatureSyntax(0x3);
  EXPECT_EQ(FormatUuid(btfn.uuid), "6cb71c2c-9812-4540-0300-000000000000");
  EXPECT_EQ(BindTimeFeatures(btfn), 0x3u);
  EXPECT_FALSE(BindTimeFeatures(Ndr20Syntax()).has_value());
  SyntaxId wrong_version = btfn;
  wrong_version.version_major = 2;
  EXPECT_FALSE(BindTimeFeatures(wrong_version).has_value());
}

// The bind impacket 0.10 sends for `dce.bind(nrpc.MSRPC_UUID_NRPC)` (rpcrt.py
// DCERPC_v5.bind with defaults), written out by hand from protocol-facts.md §6.
constexpr char kImpacketNetlogonBind[] =
    // Common header:
    "05 00"        // rpc_vers 5, rpc_vers_minor 0
    "0b"           // PTYPE bind
    "03"           // PFC_FIRST_FRAG | PFC_LAST_FRAG
    "10 00 00 00"  // drep: little-endian, ASCII, IEEE
    "48 00"        // frag_length 72 = 16 + 12 + 44
    "00 00"        // auth_length 0
    "01 00 00 00"  // call_id 1 (impacket's first call id)
    // Bind body:
    "b8 10"        // max_xmit_frag 4280
    "b8 10"        // max_recv_frag 4280
    "00 00 00 00"  // assoc_group_id 0 (new group)
    "01 00 00 00"  // num_ctx 1, three reserved bytes
    // p_cont_elem[0]:
    "00 00"  // context_id 0
    "01 00"  // one transfer syntax, reserved
    // abstract syntax 12345678-1234-abcd-ef00-01234567cffb v1.0: the first
    // three fields little-endian, then the last eight bytes as written.
    "78 56 34 12 34 12 cd ab ef 00 01 23 45 67 cf fb"
    "01 00 00 00"  // version major 1, minor 0
    // transfer syntax NDR 8a885d04-1ceb-11c9-9fe8-08002b104860 v2.0.
    "04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60"
    "02 00 00 00";

BindPdu ImpacketBind() {
  BindPdu bind;
  bind.call_id = 1;
  bind.max_xmit_frag = 4280;
  bind.max_recv_frag = 4280;
  bind.contexts.push_back(PresentationContext{0, Netlogon(), {Ndr20Syntax()}});
  return bind;
}

TEST(BindTest, EncodesImpacketNetlogonBind) {
  const absl::StatusOr<Bytes> encoded = EncodeBind(ImpacketBind());
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(ToHex(*encoded), ToHex(Hex(kImpacketNetlogonBind)));
}

TEST(BindTest, ParsesImpacketNetlogonBind) {
  const absl::StatusOr<BindPdu> bind = ParseBind(Hex(kImpacketNetlogonBind));
  ASSERT_TRUE(bind.ok()) << bind.status();
  EXPECT_EQ(*bind, ImpacketBind());
  // The same body under PTYPE 14 is an alter_context, not a bind.
  Bytes alter = Hex(kImpacketNetlogonBind);
  alter[2] = kPtypeAlterContext;
  EXPECT_EQ(ParseBind(alter).status().code(), absl::StatusCode::kInvalidArgument);
  const absl::StatusOr<BindPdu> parsed_alter = ParseAlterContext(alter);
  ASSERT_TRUE(parsed_alter.ok()) << parsed_alter.status();
  EXPECT_EQ(*parsed_alter, ImpacketBind());
}

TEST(BindAckTest, EncodesPortStringWithNulAndPadding) {
  BindAckPdu ack;
  ack.call_id = 1;
  ack.max_xmit_frag = 4280;
  ack.max_recv_frag = 4280;
  ack.assoc_group_id = 0x12345;
  ack.secondary_address = "49664";
  ack.results.push_back(ContextResult{kResultAcceptance, kReasonNotSpecified, Ndr20Syntax()});
  const absl::StatusOr<Bytes> encoded = EncodeBindAck(ack);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(ToHex(*encoded),
            ToHex(Hex("05 00 0c 03 10 00 00 00 3c 00 00 00 01 00 00 00"  // 60 bytes
                      "b8 10 b8 10 45 23 01 00"                          // frags, group
                      "06 00 34 39 36 36 34 00"                          // 6, "49664\0"
                      // offset 32: already 4-aligned, no padding
                      "01 00 00 00"  // one result
                      "00 00 00 00"  // acceptance, reason 0
                      "04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00")));
  const absl::StatusOr<BindAckPdu> parsed = ParseBindAck(*encoded);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, ack);
}

TEST(BindAckTest, PadsAfterOddAddressAndEncodesEmptyAddressAsZeroLength) {
  BindAckPdu ack;
  ack.secondary_address = "135";  // 2 + 4 bytes at offset 24 -> 30, pad 2
  ack.results.push_back(ContextResult{kResultProviderRejection, 1, SyntaxId{}});
  absl::StatusOr<Bytes> encoded = EncodeBindAck(ack);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(ToHex(ByteView(*encoded).subspan(24, 12)),
            "0400"
            "31333500"
            "0000"
            "01000000");
  EXPECT_EQ(*ParseBindAck(*encoded), ack);

  ack.secondary_address = "";
  encoded = EncodeAlterContextResp(ack);
  ASSERT_TRUE(encoded.ok());
  // 2-byte length 0 at offset 24, padded to 28.
  EXPECT_EQ(ToHex(ByteView(*encoded).subspan(24, 8)),
            "0000"
            "0000"
            "01000000");
  EXPECT_EQ(*ParseAlterContextResp(*encoded), ack);
}

TEST(BindAckTest, RejectsUnterminatedAddress) {
  BindAckPdu ack;
  ack.secondary_address = "49664";
  Bytes encoded = *EncodeBindAck(ack);
  encoded[31] = '5';  // the NUL
  EXPECT_EQ(ParseBindAck(encoded).status().code(), absl::StatusCode::kInvalidArgument);
  encoded[31] = 0;
  encoded[27] = 0;  // NUL inside
  EXPECT_EQ(ParseBindAck(encoded).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BindNakTest, EncodesAsSamba) {
  BindNakPdu nak;
  nak.call_id = 7;
  nak.reject_reason = kBindNakProtocolVersionNotSupported;
  const absl::StatusOr<Bytes> encoded = EncodeBindNak(nak);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(ToHex(*encoded), ToHex(Hex("05 00 0d 03 10 00 00 00 18 00 00 00 07 00 00 00"
                                       "04 00"         // reason
                                       "01 05 00"      // one version: 5.0
                                       "00 00 00")));  // padding to 24
  const absl::StatusOr<BindNakPdu> parsed = ParseBindNak(*encoded);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, nak);
}

TEST(FaultTest, Is32Bytes) {
  FaultPdu fault;
  fault.call_id = 2;
  fault.pfc_flags = kPfcFirstFrag | kPfcLastFrag | kPfcDidNotExecute;
  fault.alloc_hint = 24;
  fault.context_id = 1;
  fault.status = kFaultOpRangeError;
  const absl::StatusOr<Bytes> encoded = EncodeFault(fault);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(ToHex(*encoded), ToHex(Hex("05 00 03 23 10 00 00 00 20 00 00 00 02 00 00 00"
                                       "18 00 00 00 01 00 00 00 02 00 01 1c 00 00 00 00")));
  EXPECT_EQ(*ParseFault(*encoded), fault);
}

TEST(RequestTest, EncodesHeaderAndObjectUuid) {
  RequestPdu request;
  request.call_id = 3;
  request.alloc_hint = 4;
  request.context_id = 0;
  request.opnum = 4;
  request.stub = Hex("aabbccdd");
  absl::StatusOr<Bytes> encoded = EncodeRequest(request);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(ToHex(*encoded), ToHex(Hex("05 00 00 03 10 00 00 00 1c 00 00 00 03 00 00 00"
                                       "04 00 00 00 00 00 04 00 aa bb cc dd")));
  EXPECT_EQ(*ParseRequest(*encoded), request);

  request.object = *ParseUuid(kNetlogonUuid);
  encoded = EncodeRequest(request);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ((*encoded)[3], 0x83);
  EXPECT_EQ(encoded->size(), 44u);
  const absl::StatusOr<RequestPdu> parsed = ParseRequest(*encoded);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->object, request.object);
  EXPECT_EQ(parsed->stub, request.stub);
}

TEST(RequestTest, AuthTrailerFollowsPaddedStub) {
  RequestPdu request;
  request.call_id = 5;
  request.opnum = 2;
  request.stub = Hex("01020304 05 bbbbbb");  // 5 bytes + 3 of auth padding
  request.auth = AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 3, 0, 79231, Hex("5a5a")};
  const absl::StatusOr<Bytes> encoded = EncodeRequest(request);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(ToHex(*encoded), ToHex(Hex("05 00 00 03 10 00 00 00 2a 00 02 00 05 00 00 00"
                                       "00 00 00 00 00 00 02 00"
                                       "01 02 03 04 05 bb bb bb"
                                       "44 06 03 00 7f 35 01 00"  // 68, privacy, pad 3, id
                                       "5a 5a")));
  const absl::StatusOr<RequestPdu> parsed = ParseRequest(*encoded);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, request);

  // The stub must end 4-byte aligned and hold the padding.
  RequestPdu misaligned = request;
  misaligned.stub.pop_back();
  EXPECT_EQ(EncodeRequest(misaligned).status().code(), absl::StatusCode::kInvalidArgument);
  RequestPdu too_much_pad = request;
  too_much_pad.stub = Hex("00000000");
  too_much_pad.auth->auth_pad_length = 5;
  EXPECT_EQ(EncodeRequest(too_much_pad).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EncodeTest, RejectsOversizedPdu) {
  RequestPdu request;
  request.stub.resize(0xFFFF);
  EXPECT_EQ(EncodeRequest(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.stub.resize(0xFFFF - kRequestHeaderSize);
  EXPECT_TRUE(EncodeRequest(request).ok());
}

// One sample of every PDU kind, with and without auth.
std::vector<Bytes> Samples() {
  std::vector<Bytes> samples;
  const auto add = [&](absl::StatusOr<Bytes> pdu) {
    EXPECT_TRUE(pdu.ok()) << pdu.status();
    if (pdu.ok()) samples.push_back(*pdu);
  };
  BindPdu bind = ImpacketBind();
  bind.contexts.push_back(PresentationContext{1, Netlogon(), {Ndr64Syntax(), Ndr20Syntax()}});
  add(EncodeBind(bind));
  bind.auth = AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 0, 0, 79231, Hex("00000000")};
  add(EncodeBind(bind));
  add(EncodeAlterContext(bind));

  BindAckPdu ack;
  ack.call_id = 1;
  ack.max_xmit_frag = ack.max_recv_frag = 4280;
  ack.assoc_group_id = 0x12345;
  ack.secondary_address = "49664";
  ack.results = {ContextResult{kResultAcceptance, 0, Ndr20Syntax()},
                 ContextResult{kResultProviderRejection, 2, SyntaxId{}}};
  add(EncodeBindAck(ack));
  ack.secondary_address = "135";
  ack.auth = AuthVerifier{kAuthTypeNetlogon, kAuthLevelIntegrity, 0, 0, 1, Hex("0100000000")};
  add(EncodeBindAck(ack));
  add(EncodeAlterContextResp(ack));

  add(EncodeBindNak(BindNakPdu{9, kPfcFirstFrag | kPfcLastFrag, 8, {{5, 0}, {5, 1}}}));

  RequestPdu request;
  request.call_id = 2;
  request.opnum = 26;
  request.stub = Hex("0102030405060708090a");
  add(EncodeRequest(request));
  request.object = *ParseUuid(kNetlogonUuid);
  request.stub = Hex("0102030405060708090a0000");
  request.auth = AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 2, 0, 7, Bytes(32, 0x11)};
  add(EncodeRequest(request));

  ResponsePdu response;
  response.call_id = 2;
  response.alloc_hint = 6;
  response.stub = Hex("000000000000");
  add(EncodeResponse(response));
  response.stub = Hex("00000000000000000000000000000000");
  response.auth = AuthVerifier{kAuthTypeNetlogon, kAuthLevelIntegrity, 10, 0, 7, Bytes(32, 0x22)};
  add(EncodeResponse(response));

  add(EncodeFault(FaultPdu{3, 3, 24, 0, 0, 0, kFaultProtoError, 0, {}}));
  add(EncodeAuth3(Auth3Pdu{4, 3, AuthVerifier{10, kAuthLevelConnect, 0, 0, 0, Hex("4e544c4d")}}));
  add(EncodeHeaderOnly(kPtypeShutdown, 0));
  return samples;
}

using Parser = std::function<absl::Status(ByteView)>;

std::vector<Parser> AllParsers() {
  return {
      [](ByteView b) { return SplitPdu(b).status(); },
      [](ByteView b) { return ParseBind(b).status(); },
      [](ByteView b) { return ParseAlterContext(b).status(); },
      [](ByteView b) { return ParseBindAck(b).status(); },
      [](ByteView b) { return ParseAlterContextResp(b).status(); },
      [](ByteView b) { return ParseBindNak(b).status(); },
      [](ByteView b) { return ParseRequest(b).status(); },
      [](ByteView b) { return ParseResponse(b).status(); },
      [](ByteView b) { return ParseFault(b).status(); },
      [](ByteView b) { return ParseAuth3(b).status(); },
  };
}

TEST(PduTest, EverySampleRoundTripsThroughItsParser) {
  for (const Bytes& pdu : Samples()) {
    SCOPED_TRACE(ToHex(pdu));
    ASSERT_TRUE(SplitPdu(pdu).ok());
    absl::StatusOr<Bytes> again;
    switch (pdu[2]) {
      case kPtypeBind:
        again = EncodeBind(*ParseBind(pdu));
        break;
      case kPtypeAlterContext:
        again = EncodeAlterContext(*ParseAlterContext(pdu));
        break;
      case kPtypeBindAck:
        again = EncodeBindAck(*ParseBindAck(pdu));
        break;
      case kPtypeAlterContextResp:
        again = EncodeAlterContextResp(*ParseAlterContextResp(pdu));
        break;
      case kPtypeBindNak:
        again = EncodeBindNak(*ParseBindNak(pdu));
        break;
      case kPtypeRequest:
        again = EncodeRequest(*ParseRequest(pdu));
        break;
      case kPtypeResponse:
        again = EncodeResponse(*ParseResponse(pdu));
        break;
      case kPtypeFault:
        again = EncodeFault(*ParseFault(pdu));
        break;
      case kPtypeAuth3:
        again = EncodeAuth3(*ParseAuth3(pdu));
        break;
      default: {
        const PduParts parts = *SplitPdu(pdu);
        again = EncodeHeaderOnly(parts.header.ptype, parts.header.call_id, parts.header.pfc_flags);
      }
    }
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(ToHex(*again), ToHex(pdu));
  }
}

TEST(PduTest, EveryTruncationIsACleanOutOfRange) {
  for (const Bytes& pdu : Samples()) {
    for (size_t n = 0; n < pdu.size(); ++n) {
      const ByteView cut = ByteView(pdu).first(n);
      for (const Parser& parse : AllParsers()) {
        EXPECT_EQ(parse(cut).code(), absl::StatusCode::kOutOfRange)
            << "PTYPE " << int{pdu[2]} << " cut at " << n;
      }
    }
  }
}

TEST(PduTest, TrailingBytesAreRejected) {
  for (Bytes pdu : Samples()) {
    pdu.push_back(0);
    for (const Parser& parse : AllParsers()) {
      EXPECT_EQ(parse(pdu).code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(PduTest, BitFlipsNeverCrash) {
  size_t accepted = 0;
  for (const Bytes& pdu : Samples()) {
    for (size_t bit = 0; bit < pdu.size() * 8; ++bit) {
      Bytes mutated = pdu;
      mutated[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
      for (const Parser& parse : AllParsers()) {
        if (parse(mutated).ok()) ++accepted;
      }
    }
  }
  // Most flips land in values, which parse fine; this only checks we ran.
  EXPECT_GT(accepted, 0u);
}

TEST(PduTest, FieldBytesOverwrittenWithExtremesNeverCrash) {
  for (const Bytes& pdu : Samples()) {
    for (size_t i = 0; i < pdu.size(); ++i) {
      for (const uint8_t value : {uint8_t{0x00}, uint8_t{0xFF}, uint8_t{0x80}}) {
        Bytes mutated = pdu;
        mutated[i] = value;
        for (const Parser& parse : AllParsers()) (void)parse(mutated);
      }
    }
  }
}

TEST(CommonHeaderTest, ChecksVersionDrepAndLengths) {
  const Bytes bind = Hex(kImpacketNetlogonBind);
  ASSERT_TRUE(ParseCommonHeader(bind).ok());
  EXPECT_EQ(ParseCommonHeader(ByteView(bind).first(15)).status().code(),
            absl::StatusCode::kOutOfRange);

  Bytes b = bind;
  b[0] = 4;
  EXPECT_EQ(ParseCommonHeader(b).status().code(), absl::StatusCode::kInvalidArgument);
  b = bind;
  b[1] = 2;
  EXPECT_EQ(ParseCommonHeader(b).status().code(), absl::StatusCode::kInvalidArgument);
  b = bind;
  b[1] = 1;  // 5.1 is accepted
  EXPECT_TRUE(ParseCommonHeader(b).ok());

  b = bind;
  b[4] = 0x00;  // big-endian
  EXPECT_EQ(ParseCommonHeader(b).status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(ParseBind(b).status().code(), absl::StatusCode::kUnimplemented);
  b = bind;
  b[4] = 0x11;  // EBCDIC
  EXPECT_EQ(ParseCommonHeader(b).status().code(), absl::StatusCode::kUnimplemented);
  b = bind;
  b[5] = 0x01;  // VAX floating point
  EXPECT_EQ(ParseCommonHeader(b).status().code(), absl::StatusCode::kUnimplemented);

  b = bind;
  b[8] = 15;  // frag_length < 16
  b[9] = 0;
  EXPECT_EQ(ParseCommonHeader(b).status().code(), absl::StatusCode::kInvalidArgument);

  b = bind;
  b[10] = 72 - 16 - 8 + 1;  // auth_length that does not fit
  EXPECT_EQ(ParseCommonHeader(b).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SplitPduTest, FindsTheTrailerAndChecksThePadding) {
  RequestPdu request;
  request.stub = Hex("0102 0000");
  request.auth = AuthVerifier{kAuthTypeNetlogon, kAuthLevelIntegrity, 2, 0, 1, Hex("abcdef01")};
  Bytes pdu = *EncodeRequest(request);
  const absl::StatusOr<PduParts> parts = SplitPdu(pdu);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(ToHex(parts->body),
            "00000000"
            "0000"
            "0000"
            "01020000");
  ASSERT_TRUE(parts->auth.has_value());
  EXPECT_EQ(ToHex(parts->auth->auth_value), "abcdef01");

  // auth_pad_length beyond the stub (but inside the body).
  pdu[pdu.size() - 4 - 8 + 2] = 5;
  EXPECT_EQ(ParseRequest(pdu).status().code(), absl::StatusCode::kInvalidArgument);
  // ... and beyond the body.
  pdu[pdu.size() - 4 - 8 + 2] = 13;
  EXPECT_EQ(SplitPdu(pdu).status().code(), absl::StatusCode::kInvalidArgument);

  // A misaligned trailer: auth_length one less, so the trailer starts one
  // byte later.
  pdu = *EncodeRequest(request);
  pdu[10] = 3;
  EXPECT_EQ(SplitPdu(pdu).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BindTest, RejectsBytesBetweenContextsAndTrailer) {
  // Without auth: nothing may follow the contexts.
  Bytes b = Hex(kImpacketNetlogonBind);
  b.insert(b.end(), {0, 0, 0, 0});
  b[8] = static_cast<uint8_t>(b.size());
  EXPECT_EQ(ParseBind(b).status().code(), absl::StatusCode::kInvalidArgument);
  // Claimed contexts that are not there.
  b = Hex(kImpacketNetlogonBind);
  b[24] = 2;
  EXPECT_EQ(ParseBind(b).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(Auth3Test, RequiresAnAuthVerifier) {
  Bytes pdu = *EncodeHeaderOnly(kPtypeAuth3, 1);
  EXPECT_EQ(ParseAuth3(pdu).status().code(), absl::StatusCode::kInvalidArgument);
  const Auth3Pdu auth3{1, 3, AuthVerifier{10, 2, 0, 0, 0, Hex("01")}};
  pdu = *EncodeAuth3(auth3);
  EXPECT_EQ(pdu.size(), 16u + 4 + 8 + 1);
  EXPECT_EQ(*ParseAuth3(pdu), auth3);
}

}  // namespace
}  // namespace trustsim::dcerpc
