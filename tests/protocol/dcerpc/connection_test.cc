// Copyright 2026 The trustsim Authors.

#include "protocol/dcerpc/connection.h"

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/dcerpc/pdu.h"

namespace trustsim::dcerpc {
namespace {

SyntaxId Netlogon() { return SyntaxId{*ParseUuid("12345678-1234-abcd-ef00-01234567cffb"), 1, 0}; }
SyntaxId Epm() { return SyntaxId{*ParseUuid("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0}; }

constexpr uint16_t kOpEcho = 0;             // returns the stub
constexpr uint16_t kOpLarge = 1;            // returns stub[0] * 256 + stub[1] bytes counting up
constexpr uint32_t kAuthContextId = 79231;  // impacket: ctx + 79231

// A handler that records its calls.
class FakeHandler : public InterfaceHandler {
 public:
  explicit FakeHandler(SyntaxId syntax) : syntax_(syntax) {}
  SyntaxId syntax() const override { return syntax_; }
  CallReply Call(const CallContext& call) override {
    ++calls;
    last_opnum = call.opnum;
    last_stub.assign(call.stub.begin(), call.stub.end());
    last_security = call.security;
    if (call.opnum == kOpEcho) return CallReply{last_stub, 0};
    if (call.opnum == kOpLarge && call.stub.size() >= 2) {
      Bytes out(size_t{call.stub[0]} * 256 + call.stub[1]);
      for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(i);
      return CallReply{out, 0};
    }
    return CallReply::Fault(kFaultOpRangeError);
  }

  int calls = 0;
  uint16_t last_opnum = 0;
  Bytes last_stub;
  std::optional<SecurityInfo> last_security;

 private:
  SyntaxId syntax_;
};

// A toy security context: the "signature" is "SIG" + a one-byte sum of the
// plaintext (padding included); privacy "seals" by XOR with 0x5A.
constexpr size_t kFakeSignatureLength = 4;

Bytes FakeSignature(ByteView plain) {
  uint8_t sum = 0;
  for (uint8_t b : plain) sum = static_cast<uint8_t>(sum + b);
  return Bytes{'S', 'I', 'G', sum};
}

void FakeXor(Bytes& data) {
  for (uint8_t& b : data) b ^= 0x5A;
}

class FakeSecurityContext : public SecurityContext {
 public:
  FakeSecurityContext(uint8_t level, std::string computer, int* verifies) : verifies_(verifies) {
    info_.auth_type = kAuthTypeNetlogon;
    info_.auth_level = level;
    info_.computer_name = std::move(computer);
  }
  absl::Status VerifyRequest(Bytes& stub, ByteView auth_value) override {
    ++*verifies_;
    if (info_.auth_level == kAuthLevelPrivacy) FakeXor(stub);
    if (Bytes(auth_value.begin(), auth_value.end()) != FakeSignature(stub)) {
      return absl::PermissionDeniedError("bad signature");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Bytes> SignResponse(Bytes& stub) override {
    Bytes signature = FakeSignature(stub);
    if (info_.auth_level == kAuthLevelPrivacy) FakeXor(stub);
    return signature;
  }
  size_t signature_length() const override { return kFakeSignatureLength; }
  const SecurityInfo& info() const override { return info_; }

 private:
  SecurityInfo info_;
  int* verifies_;
};

// Accepts any auth value except "BAD"; the value is the computer name.
class FakeSecurityProvider : public SecurityProvider {
 public:
  uint8_t auth_type() const override { return kAuthTypeNetlogon; }
  absl::StatusOr<Accepted> Accept(uint8_t auth_level, ByteView auth_value) override {
    const std::string name(auth_value.begin(), auth_value.end());
    if (name == "BAD") return absl::PermissionDeniedError("refused");
    Accepted accepted;
    accepted.context = std::make_unique<FakeSecurityContext>(auth_level, name, &verifies);
    const std::string reply = "OK:" + name;
    accepted.reply_auth_value.assign(reply.begin(), reply.end());
    return accepted;
  }
  int verifies = 0;
};

Bytes ToBytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

// Splits a server's output into PDUs by frag_length.
std::vector<Bytes> SplitStream(const Bytes& stream) {
  std::vector<Bytes> pdus;
  size_t at = 0;
  while (at + kCommonHeaderSize <= stream.size()) {
    const size_t length = stream[at + 8] | stream[at + 9] << 8;
    EXPECT_GE(length, kCommonHeaderSize);
    EXPECT_LE(at + length, stream.size());
    if (length < kCommonHeaderSize || at + length > stream.size()) break;
    pdus.emplace_back(stream.begin() + at, stream.begin() + at + length);
    at += length;
  }
  EXPECT_EQ(at, stream.size()) << "partial PDU in output";
  return pdus;
}

Bytes BindBytes(std::vector<PresentationContext> contexts,
                std::optional<AuthVerifier> auth = std::nullopt, uint16_t max_frag = 4280) {
  BindPdu bind;
  bind.call_id = 1;
  bind.max_xmit_frag = max_frag;
  bind.max_recv_frag = max_frag;
  bind.contexts = std::move(contexts);
  bind.auth = std::move(auth);
  absl::StatusOr<Bytes> bytes = EncodeBind(bind);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : Bytes{};
}

Bytes NetlogonBind() { return BindBytes({PresentationContext{0, Netlogon(), {Ndr20Syntax()}}}); }

Bytes RequestBytes(uint32_t call_id, uint16_t opnum, Bytes stub,
                   uint8_t flags = kPfcFirstFrag | kPfcLastFrag, uint16_t context_id = 0,
                   std::optional<AuthVerifier> auth = std::nullopt) {
  RequestPdu request;
  request.call_id = call_id;
  request.pfc_flags = flags;
  request.alloc_hint = static_cast<uint32_t>(stub.size());
  request.context_id = context_id;
  request.opnum = opnum;
  request.stub = std::move(stub);
  request.auth = std::move(auth);
  absl::StatusOr<Bytes> bytes = EncodeRequest(request);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : Bytes{};
}

// Seals and signs a request stub as the fake client: pads to 4 as impacket
// does, then signs the padded plaintext and XORs at privacy level.
Bytes AuthRequestBytes(uint32_t call_id, uint16_t opnum, Bytes stub, uint8_t level,
                       uint8_t flags = kPfcFirstFrag | kPfcLastFrag, bool corrupt = false) {
  const uint8_t pad = static_cast<uint8_t>((4 - stub.size() % 4) % 4);
  stub.resize(stub.size() + pad, 0xBB);
  Bytes signature = FakeSignature(stub);
  if (corrupt) signature[3] ^= 1;
  if (level == kAuthLevelPrivacy) FakeXor(stub);
  return RequestBytes(call_id, opnum, std::move(stub), flags, 0,
                      AuthVerifier{kAuthTypeNetlogon, level, pad, 0, kAuthContextId, signature});
}

class ConnectionTest : public ::testing::Test {
 protected:
  ConnectionTest() : netlogon_(Netlogon()), epm_(Epm()) {}

  std::unique_ptr<Connection> Make(ConnectionOptions options = {}) {
    if (options.secondary_address.empty()) options.secondary_address = "49664";
    auto connection = std::make_unique<Connection>(options);
    connection->AddInterface(&netlogon_);
    connection->AddInterface(&epm_);
    connection->AddSecurityProvider(&schannel_);
    return connection;
  }

  // Binds and checks the bind_ack.
  std::unique_ptr<Connection> Bound(ConnectionOptions options = {}) {
    auto connection = Make(options);
    const std::vector<Bytes> out = SplitStream(connection->Receive(NetlogonBind()));
    EXPECT_EQ(out.size(), 1u);
    EXPECT_TRUE(connection->bound());
    return connection;
  }

  // Binds with the fake schannel at `level`.
  std::unique_ptr<Connection> BoundWithAuth(uint8_t level, ConnectionOptions options = {}) {
    auto connection = Make(options);
    const Bytes bind =
        BindBytes({PresentationContext{0, Netlogon(), {Ndr20Syntax()}}},
                  AuthVerifier{kAuthTypeNetlogon, level, 0, 0, kAuthContextId, ToBytes("WS01")});
    const std::vector<Bytes> out = SplitStream(connection->Receive(bind));
    EXPECT_EQ(out.size(), 1u);
    EXPECT_TRUE(connection->bound());
    return connection;
  }

  FakeHandler netlogon_;
  FakeHandler epm_;
  FakeSecurityProvider schannel_;
};

TEST_F(ConnectionTest, BindAckCarriesPortGroupAndNegotiatedFragment) {
  auto connection = Make();
  const std::vector<Bytes> out = SplitStream(connection->Receive(NetlogonBind()));
  ASSERT_EQ(out.size(), 1u);
  const absl::StatusOr<BindAckPdu> ack = ParseBindAck(out[0]);
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->call_id, 1u);
  EXPECT_EQ(ack->pfc_flags, kPfcFirstFrag | kPfcLastFrag);
  EXPECT_EQ(ack->secondary_address, "49664");
  EXPECT_EQ(ack->assoc_group_id, 0x12345u);
  EXPECT_EQ(ack->max_xmit_frag, 4280);
  EXPECT_EQ(ack->max_recv_frag, 4280);
  ASSERT_EQ(ack->results.size(), 1u);
  EXPECT_EQ(ack->results[0].result, kResultAcceptance);
  EXPECT_EQ(ack->results[0].transfer_syntax, Ndr20Syntax());
  EXPECT_FALSE(ack->auth.has_value());
  EXPECT_FALSE(connection->closed());
  EXPECT_EQ(connection->max_fragment(), 4280);
}

TEST_F(ConnectionTest, FragmentSizeFollowsSamba) {
  // The client's smaller value, raised to 2048, capped at ours, multiple of 8.
  struct Case {
    uint16_t xmit, recv, ours, expected;
  } cases[] = {{4280, 4280, 4280, 4280},
               {5840, 5840, 4280, 4280},
               {1024, 4280, 4280, 2048},
               {3001, 4000, 4280, 3000},
               {4280, 4280, 1024, 1024}};
  for (const Case& c : cases) {
    ConnectionOptions options;
    options.max_fragment = c.ours;
    auto connection = Make(options);
    BindPdu bind = *ParseBind(NetlogonBind());
    bind.max_xmit_frag = c.xmit;
    bind.max_recv_frag = c.recv;
    const std::vector<Bytes> out = SplitStream(connection->Receive(*EncodeBind(bind)));
    ASSERT_EQ(out.size(), 1u);
    const BindAckPdu ack = *ParseBindAck(out[0]);
    EXPECT_EQ(ack.max_xmit_frag, c.expected);
    EXPECT_EQ(ack.max_recv_frag, c.expected);
  }
}

TEST_F(ConnectionTest, UnknownInterfaceIsRejectedWithReason1) {
  auto connection = Make();
  const SyntaxId samr{*ParseUuid("12345778-1234-abcd-ef00-0123456789ac"), 1, 0};
  const std::vector<Bytes> out =
      SplitStream(connection->Receive(BindBytes({PresentationContext{0, samr, {Ndr20Syntax()}}})));
  ASSERT_EQ(out.size(), 1u);
  const BindAckPdu ack = *ParseBindAck(out[0]);
  ASSERT_EQ(ack.results.size(), 1u);
  EXPECT_EQ(ack.results[0].result, kResultProviderRejection);
  EXPECT_EQ(ack.results[0].reason, kReasonAbstractSyntaxNotSupported);
  EXPECT_EQ(ack.results[0].transfer_syntax, SyntaxId{});
  // The wrong version of a known interface is also unknown.
  auto again = Make();
  SyntaxId v2 = Netlogon();
  v2.version_major = 2;
  const BindAckPdu ack2 = *ParseBindAck(
      SplitStream(again->Receive(BindBytes({PresentationContext{0, v2, {Ndr20Syntax()}}})))[0]);
  EXPECT_EQ(ack2.results[0].reason, kReasonAbstractSyntaxNotSupported);
}

TEST_F(ConnectionTest, Ndr64OnlyIsRejectedWithReason2) {
  auto connection = Make();
  const std::vector<Bytes> out = SplitStream(
      connection->Receive(BindBytes({PresentationContext{0, Netlogon(), {Ndr64Syntax()}}})));
  ASSERT_EQ(out.size(), 1u);
  const BindAckPdu ack = *ParseBindAck(out[0]);
  EXPECT_EQ(ack.results[0].result, kResultProviderRejection);
  EXPECT_EQ(ack.results[0].reason, kReasonTransferSyntaxesNotSupported);
  // A request on the rejected context is an unknown interface.
  const FaultPdu fault = *ParseFault(connection->Receive(RequestBytes(2, kOpEcho, {1, 2})));
  EXPECT_EQ(fault.status, kFaultUnknownInterface);
  EXPECT_EQ(netlogon_.calls, 0);
}

TEST_F(ConnectionTest, WindowsStyleBindWithNdr64Ndr20AndFeatureNegotiation) {
  auto connection = Make();
  const Bytes bind = BindBytes({PresentationContext{0, Netlogon(), {Ndr64Syntax()}},
                                PresentationContext{1, Netlogon(), {Ndr20Syntax()}},
                                PresentationContext{2, Netlogon(), {BindTimeFeatureSyntax(0x3)}}});
  const BindAckPdu ack = *ParseBindAck(SplitStream(connection->Receive(bind))[0]);
  ASSERT_EQ(ack.results.size(), 3u);
  EXPECT_EQ(ack.results[0].result, kResultProviderRejection);
  EXPECT_EQ(ack.results[0].reason, kReasonTransferSyntaxesNotSupported);
  EXPECT_EQ(ack.results[1].result, kResultAcceptance);
  EXPECT_EQ(ack.results[2].result, kResultNegotiateAck);
  EXPECT_EQ(ack.results[2].reason, 0x3);
  EXPECT_EQ(ack.results[2].transfer_syntax, SyntaxId{});
  // Calls go to context 1.
  const ResponsePdu response = *ParseResponse(
      connection->Receive(RequestBytes(2, kOpEcho, {7, 8, 9}, kPfcFirstFrag | kPfcLastFrag, 1)));
  EXPECT_EQ(response.context_id, 1);
  EXPECT_EQ(response.stub, (Bytes{7, 8, 9}));
}

TEST_F(ConnectionTest, FeatureBitsAreMaskedToWhatWeSupport) {
  ConnectionOptions options;
  options.max_security_contexts = 1;  // no multiplexing
  auto connection = Make(options);
  const Bytes bind = BindBytes({PresentationContext{0, Netlogon(), {BindTimeFeatureSyntax(0xFF)}}});
  const BindAckPdu ack = *ParseBindAck(SplitStream(connection->Receive(bind))[0]);
  EXPECT_EQ(ack.results[0].result, kResultNegotiateAck);
  EXPECT_EQ(ack.results[0].reason, kFeatureKeepConnectionOnOrphan);
}

TEST_F(ConnectionTest, TwoFeatureContextsAreNaked) {
  auto connection = Make();
  const Bytes bind = BindBytes({PresentationContext{0, Netlogon(), {BindTimeFeatureSyntax(1)}},
                                PresentationContext{1, Netlogon(), {BindTimeFeatureSyntax(2)}}});
  const BindNakPdu nak = *ParseBindNak(connection->Receive(bind));
  EXPECT_EQ(nak.reject_reason, kBindNakNotSpecified);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, EchoRequestAndUnknownOpnumFault) {
  auto connection = Bound();
  const ResponsePdu response =
      *ParseResponse(connection->Receive(RequestBytes(2, kOpEcho, {1, 2, 3, 4, 5})));
  EXPECT_EQ(response.call_id, 2u);
  EXPECT_EQ(response.pfc_flags, kPfcFirstFrag | kPfcLastFrag);
  EXPECT_EQ(response.alloc_hint, 5u);
  EXPECT_EQ(response.stub, (Bytes{1, 2, 3, 4, 5}));
  EXPECT_FALSE(response.auth.has_value());
  EXPECT_FALSE(netlogon_.last_security.has_value());

  const Bytes out = connection->Receive(RequestBytes(3, 77, {}));
  ASSERT_EQ(out.size(), kFaultPduSize);
  const FaultPdu fault = *ParseFault(out);
  EXPECT_EQ(fault.call_id, 3u);
  EXPECT_EQ(fault.status, kFaultOpRangeError);
  EXPECT_EQ(fault.pfc_flags, kPfcFirstFrag | kPfcLastFrag | kPfcDidNotExecute);
  EXPECT_EQ(netlogon_.last_opnum, 77);
  EXPECT_FALSE(connection->closed());
}

TEST_F(ConnectionTest, ThreeFragmentRequestIsReassembled) {
  auto connection = Bound();
  EXPECT_TRUE(connection->Receive(RequestBytes(5, kOpEcho, {1, 2, 3}, kPfcFirstFrag)).empty());
  EXPECT_TRUE(connection->Receive(RequestBytes(5, kOpEcho, {4, 5}, 0)).empty());
  EXPECT_EQ(netlogon_.calls, 0);
  const ResponsePdu response =
      *ParseResponse(connection->Receive(RequestBytes(5, kOpEcho, {6}, kPfcLastFrag)));
  EXPECT_EQ(netlogon_.calls, 1);
  EXPECT_EQ(netlogon_.last_stub, (Bytes{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(response.stub, (Bytes{1, 2, 3, 4, 5, 6}));
}

TEST_F(ConnectionTest, FragmentOfAnotherCallIsAProtocolError) {
  auto connection = Bound();
  EXPECT_TRUE(connection->Receive(RequestBytes(5, kOpEcho, {1}, kPfcFirstFrag)).empty());
  const FaultPdu fault = *ParseFault(connection->Receive(RequestBytes(6, kOpEcho, {2}, 0)));
  EXPECT_EQ(fault.status, kFaultProtoError);
  EXPECT_TRUE(connection->closed());
  EXPECT_TRUE(connection->Receive(RequestBytes(5, kOpEcho, {3}, kPfcLastFrag)).empty());
}

TEST_F(ConnectionTest, NewCallWhileFragmentsPendingIsAProtocolError) {
  auto connection = Bound();
  EXPECT_TRUE(connection->Receive(RequestBytes(5, kOpEcho, {1}, kPfcFirstFrag)).empty());
  const FaultPdu fault = *ParseFault(connection->Receive(RequestBytes(6, kOpEcho, {2})));
  EXPECT_EQ(fault.status, kFaultProtoError);
  EXPECT_EQ(fault.call_id, 5u);  // the call in progress
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, OrphanedDropsThePendingCall) {
  auto connection = Bound();
  EXPECT_TRUE(connection->Receive(RequestBytes(5, kOpEcho, {1}, kPfcFirstFrag)).empty());
  EXPECT_TRUE(connection->Receive(*EncodeHeaderOnly(kPtypeOrphaned, 5)).empty());
  const ResponsePdu response = *ParseResponse(connection->Receive(RequestBytes(6, kOpEcho, {2})));
  EXPECT_EQ(response.stub, (Bytes{2}));
  EXPECT_TRUE(connection->Receive(*EncodeHeaderOnly(kPtypeCoCancel, 6)).empty());
  EXPECT_FALSE(connection->closed());
}

TEST_F(ConnectionTest, ResponseIsFragmentedToTheNegotiatedSize) {
  ConnectionOptions options;
  options.max_fragment = 1024;
  auto connection = Bound(options);
  ASSERT_EQ(connection->max_fragment(), 1024);
  const std::vector<Bytes> out =
      SplitStream(connection->Receive(RequestBytes(2, kOpLarge, {0x0B, 0xB8})));  // 3000 bytes
  ASSERT_EQ(out.size(), 3u);  // 1000 + 1000 + 1000
  Bytes stub;
  size_t remaining = 3000;
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_LE(out[i].size(), 1024u);
    const ResponsePdu response = *ParseResponse(out[i]);
    EXPECT_EQ(response.pfc_flags,
              (i == 0 ? kPfcFirstFrag : 0) | (i + 1 == out.size() ? kPfcLastFrag : 0));
    EXPECT_EQ(response.alloc_hint, remaining);
    remaining -= response.stub.size();
    stub.insert(stub.end(), response.stub.begin(), response.stub.end());
  }
  ASSERT_EQ(stub.size(), 3000u);
  for (size_t i = 0; i < stub.size(); ++i) ASSERT_EQ(stub[i], static_cast<uint8_t>(i));
}

TEST_F(ConnectionTest, EmptyResponseIsOneFragment) {
  auto connection = Bound();
  const ResponsePdu response = *ParseResponse(connection->Receive(RequestBytes(2, kOpEcho, {})));
  EXPECT_EQ(response.pfc_flags, kPfcFirstFrag | kPfcLastFrag);
  EXPECT_TRUE(response.stub.empty());
}

TEST_F(ConnectionTest, ByteByByteFeedingGivesTheSameOutput) {
  Bytes session = NetlogonBind();
  for (const Bytes& pdu : {RequestBytes(2, kOpEcho, {1, 2, 3}, kPfcFirstFrag),
                           RequestBytes(2, kOpEcho, {4}, kPfcLastFrag),
                           RequestBytes(3, kOpLarge, {0x20, 0x00}), RequestBytes(4, 99, {})}) {
    session.insert(session.end(), pdu.begin(), pdu.end());
  }
  auto all_at_once = Make();
  const Bytes expected = all_at_once->Receive(session);
  // bind_ack, the echo, 8192 bytes in two 4280-byte fragments, a fault.
  EXPECT_EQ(SplitStream(expected).size(), 1u + 1 + 2 + 1);

  auto byte_by_byte = Make();
  Bytes got;
  for (uint8_t b : session) {
    const Bytes out = byte_by_byte->Receive(ByteView(&b, 1));
    got.insert(got.end(), out.begin(), out.end());
  }
  EXPECT_EQ(got, expected);
  EXPECT_FALSE(byte_by_byte->closed());
}

TEST_F(ConnectionTest, PartialFragmentThenRestAndAnotherPduInOneRead) {
  auto connection = Bound();
  const Bytes first = RequestBytes(2, kOpEcho, {1, 2, 3, 4, 5, 6, 7, 8});
  const Bytes second = RequestBytes(3, kOpEcho, {9});
  // The header and part of the body: nothing to answer yet, twice.
  EXPECT_TRUE(connection->Receive(ByteView(first).first(20)).empty());
  EXPECT_TRUE(connection->Receive(ByteView(first).subspan(20, 2)).empty());
  // The rest of the first request and all of the second in one read.
  Bytes rest(first.begin() + 22, first.end());
  rest.insert(rest.end(), second.begin(), second.end());
  const std::vector<Bytes> out = SplitStream(connection->Receive(rest));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(ParseResponse(out[0])->stub, (Bytes{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(ParseResponse(out[1])->call_id, 3u);
  EXPECT_FALSE(connection->closed());
}

TEST_F(ConnectionTest, OversizedFragLengthBeforeBindIsNakedAndCloses) {
  auto connection = Make();
  Bytes bind = NetlogonBind();
  bind[8] = 0xB9;  // frag_length 4281 > 4280
  bind[9] = 0x10;
  const BindNakPdu nak = *ParseBindNak(connection->Receive(ByteView(bind).first(16)));
  EXPECT_EQ(nak.reject_reason, kBindNakLocalLimitExceeded);
  EXPECT_TRUE(connection->closed());
  EXPECT_TRUE(connection->Receive(NetlogonBind()).empty());
}

TEST_F(ConnectionTest, OversizedFragLengthAfterBindFaultsAndCloses) {
  ConnectionOptions options;
  options.max_fragment = 2048;
  auto connection = Bound(options);
  Bytes request = RequestBytes(2, kOpEcho, Bytes(2048 - 24 + 1));
  const FaultPdu fault = *ParseFault(connection->Receive(request));
  EXPECT_EQ(fault.status, kFaultProtoError);
  EXPECT_EQ(fault.call_id, 2u);
  EXPECT_TRUE(connection->closed());
  EXPECT_EQ(netlogon_.calls, 0);
}

TEST_F(ConnectionTest, TinyFragLengthIsAProtocolError) {
  auto connection = Bound();
  Bytes request = RequestBytes(2, kOpEcho, {});
  request[8] = 15;
  const FaultPdu fault = *ParseFault(connection->Receive(request));
  EXPECT_EQ(fault.status, kFaultProtoError);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, BigEndianIsRefused) {
  auto connection = Make();
  Bytes bind = NetlogonBind();
  bind[4] = 0x00;
  const BindNakPdu nak = *ParseBindNak(connection->Receive(bind));
  EXPECT_EQ(nak.reject_reason, kBindNakProtocolVersionNotSupported);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, RequestBeforeBindIsNakedAndCloses) {
  auto connection = Make();
  const BindNakPdu nak = *ParseBindNak(connection->Receive(RequestBytes(1, kOpEcho, {1})));
  EXPECT_EQ(nak.call_id, 1u);
  EXPECT_EQ(nak.reject_reason, kBindNakProtocolVersionNotSupported);
  EXPECT_TRUE(connection->closed());
  EXPECT_EQ(netlogon_.calls, 0);
}

TEST_F(ConnectionTest, SecondBindIsNakedAndCloses) {
  auto connection = Bound();
  const BindNakPdu nak = *ParseBindNak(connection->Receive(NetlogonBind()));
  EXPECT_EQ(nak.reject_reason, kBindNakNotSpecified);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, BindWithoutContextsIsNaked) {
  auto connection = Make();
  const BindNakPdu nak = *ParseBindNak(connection->Receive(BindBytes({})));
  EXPECT_EQ(nak.reject_reason, kBindNakProtocolVersionNotSupported);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, UnknownContextIdFaultsButKeepsTheConnection) {
  auto connection = Bound();
  const FaultPdu fault = *ParseFault(
      connection->Receive(RequestBytes(2, kOpEcho, {1}, kPfcFirstFrag | kPfcLastFrag, 9)));
  EXPECT_EQ(fault.status, kFaultUnknownInterface);
  EXPECT_EQ(fault.context_id, 9);
  EXPECT_FALSE(connection->closed());
  EXPECT_TRUE(ParseResponse(connection->Receive(RequestBytes(3, kOpEcho, {1}))).ok());
}

TEST_F(ConnectionTest, UnexpectedPduTypesAreProtocolErrors) {
  for (const uint8_t ptype : {kPtypeResponse, kPtypeFault, kPtypeBindAck, kPtypeBindNak,
                              kPtypeAlterContextResp, uint8_t{1}, uint8_t{20}, uint8_t{255}}) {
    auto connection = Bound();
    const FaultPdu fault = *ParseFault(connection->Receive(*EncodeHeaderOnly(ptype, 8)));
    EXPECT_EQ(fault.status, kFaultProtoError);
    EXPECT_EQ(fault.call_id, 8u);
    EXPECT_TRUE(connection->closed());
  }
}

TEST_F(ConnectionTest, ShutdownClosesSilently) {
  auto connection = Bound();
  EXPECT_TRUE(connection->Receive(*EncodeHeaderOnly(kPtypeShutdown, 0)).empty());
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, MalformedRequestBodyIsAProtocolError) {
  auto connection = Bound();
  // A request PDU too short for its 8-byte request header.
  Bytes pdu = *EncodeHeaderOnly(kPtypeRequest, 2);
  const FaultPdu fault = *ParseFault(connection->Receive(pdu));
  EXPECT_EQ(fault.status, kFaultProtoError);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, RequestLimits) {
  ConnectionOptions options;
  options.max_request_bytes = 10;
  options.max_fragments = 3;
  {
    auto connection = Bound(options);
    EXPECT_TRUE(connection->Receive(RequestBytes(2, kOpEcho, Bytes(6), kPfcFirstFrag)).empty());
    const FaultPdu fault =
        *ParseFault(connection->Receive(RequestBytes(2, kOpEcho, Bytes(5), kPfcLastFrag)));
    EXPECT_EQ(fault.status, kFaultAccessDenied);
    EXPECT_TRUE(connection->closed());
  }
  {
    auto connection = Bound(options);
    RequestPdu request = *ParseRequest(RequestBytes(2, kOpEcho, {1}, kPfcFirstFrag));
    request.alloc_hint = 11;
    const FaultPdu fault = *ParseFault(connection->Receive(*EncodeRequest(request)));
    EXPECT_EQ(fault.status, kFaultAccessDenied);
    EXPECT_TRUE(connection->closed());
  }
  {
    auto connection = Bound(options);
    EXPECT_TRUE(connection->Receive(RequestBytes(2, kOpEcho, {1}, kPfcFirstFrag)).empty());
    EXPECT_TRUE(connection->Receive(RequestBytes(2, kOpEcho, {1}, 0)).empty());
    EXPECT_TRUE(connection->Receive(RequestBytes(2, kOpEcho, {1}, 0)).empty());
    const FaultPdu fault = *ParseFault(connection->Receive(RequestBytes(2, kOpEcho, {1}, 0)));
    EXPECT_EQ(fault.status, kFaultProtoError);
    EXPECT_TRUE(connection->closed());
  }
  EXPECT_EQ(netlogon_.calls, 0);
}

TEST_F(ConnectionTest, AlterContextAddsAContext) {
  auto connection = Bound();
  BindPdu alter;
  alter.call_id = 2;
  alter.contexts = {PresentationContext{1, Epm(), {Ndr20Syntax()}}};
  const std::vector<Bytes> out = SplitStream(connection->Receive(*EncodeAlterContext(alter)));
  ASSERT_EQ(out.size(), 1u);
  const BindAckPdu resp = *ParseAlterContextResp(out[0]);
  EXPECT_EQ(resp.call_id, 2u);
  EXPECT_EQ(resp.secondary_address, "");
  EXPECT_EQ(resp.max_xmit_frag, 4280);
  EXPECT_EQ(resp.results[0].result, kResultAcceptance);
  EXPECT_TRUE(ParseResponse(connection->Receive(
                                RequestBytes(3, kOpEcho, {1}, kPfcFirstFrag | kPfcLastFrag, 1)))
                  .ok());
  EXPECT_EQ(epm_.calls, 1);
  EXPECT_EQ(netlogon_.calls, 0);

  // Rebinding context 0 to another interface is a protocol error.
  alter.call_id = 4;
  alter.contexts = {PresentationContext{0, Epm(), {Ndr20Syntax()}}};
  const FaultPdu fault = *ParseFault(connection->Receive(*EncodeAlterContext(alter)));
  EXPECT_EQ(fault.status, kFaultProtoError);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, ContextLimit) {
  ConnectionOptions options;
  options.max_contexts = 1;
  auto connection = Bound(options);
  BindPdu alter;
  alter.call_id = 2;
  alter.contexts = {PresentationContext{1, Epm(), {Ndr20Syntax()}},
                    PresentationContext{0, Netlogon(), {Ndr20Syntax()}}};  // re-offer: fine
  const BindAckPdu resp = *ParseAlterContextResp(connection->Receive(*EncodeAlterContext(alter)));
  EXPECT_EQ(resp.results[0].result, kResultProviderRejection);
  EXPECT_EQ(resp.results[0].reason, kReasonLocalLimitExceeded);
  EXPECT_EQ(resp.results[1].result, kResultAcceptance);
}

// --- The auth trailer path, with the fake schannel. ---

TEST_F(ConnectionTest, AuthenticatedBindRepliesWithTheProvidersAuthValue) {
  auto connection = Make();
  const Bytes bind = BindBytes(
      {PresentationContext{0, Netlogon(), {Ndr20Syntax()}}},
      AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 0, 0, kAuthContextId, ToBytes("WS01")});
  const BindAckPdu ack = *ParseBindAck(connection->Receive(bind));
  ASSERT_TRUE(ack.auth.has_value());
  EXPECT_EQ(ack.auth->auth_type, kAuthTypeNetlogon);
  EXPECT_EQ(ack.auth->auth_level, kAuthLevelPrivacy);
  EXPECT_EQ(ack.auth->auth_context_id, kAuthContextId);
  EXPECT_EQ(ack.auth->auth_value, ToBytes("OK:WS01"));
}

TEST_F(ConnectionTest, SealedRequestIsVerifiedUnsealedAndTheResponseSealed) {
  auto connection = BoundWithAuth(kAuthLevelPrivacy);
  const Bytes stub = {1, 2, 3, 4, 5};
  const ResponsePdu response =
      *ParseResponse(connection->Receive(AuthRequestBytes(2, kOpEcho, stub, kAuthLevelPrivacy)));
  EXPECT_EQ(schannel_.verifies, 1);
  EXPECT_EQ(netlogon_.last_stub, stub);  // unsealed, padding stripped
  ASSERT_TRUE(netlogon_.last_security.has_value());
  EXPECT_EQ(netlogon_.last_security->computer_name, "WS01");
  EXPECT_EQ(netlogon_.last_security->auth_level, kAuthLevelPrivacy);

  ASSERT_TRUE(response.auth.has_value());
  EXPECT_EQ(response.auth->auth_type, kAuthTypeNetlogon);
  EXPECT_EQ(response.auth->auth_level, kAuthLevelPrivacy);
  EXPECT_EQ(response.auth->auth_context_id, kAuthContextId);
  EXPECT_EQ(response.auth->auth_pad_length, 11);  // 5 -> 16
  ASSERT_EQ(response.stub.size(), 16u);
  Bytes plain = response.stub;
  FakeXor(plain);
  EXPECT_EQ(response.auth->auth_value, FakeSignature(plain));
  plain.resize(plain.size() - response.auth->auth_pad_length);
  EXPECT_EQ(plain, stub);
  EXPECT_EQ(response.alloc_hint, 5u);
}

TEST_F(ConnectionTest, SignedRequestAtIntegrityLevelIsNotUnsealed) {
  auto connection = BoundWithAuth(kAuthLevelIntegrity);
  const Bytes stub = {9, 8, 7, 6};
  const ResponsePdu response =
      *ParseResponse(connection->Receive(AuthRequestBytes(2, kOpEcho, stub, kAuthLevelIntegrity)));
  EXPECT_EQ(netlogon_.last_stub, stub);
  ASSERT_TRUE(response.auth.has_value());
  EXPECT_EQ(response.auth->auth_value, FakeSignature(response.stub));
  EXPECT_EQ(Bytes(response.stub.begin(), response.stub.begin() + 4), stub);
}

TEST_F(ConnectionTest, BadSignatureFaultsWithoutCallingTheHandler) {
  auto connection = BoundWithAuth(kAuthLevelPrivacy);
  const FaultPdu fault = *ParseFault(connection->Receive(
      AuthRequestBytes(2, kOpEcho, {1, 2, 3}, kAuthLevelPrivacy, kPfcFirstFrag | kPfcLastFrag,
                       /*corrupt=*/true)));
  EXPECT_EQ(fault.status, kFaultAccessDenied);
  EXPECT_FALSE(fault.pfc_flags & kPfcDidNotExecute);
  EXPECT_EQ(schannel_.verifies, 1);
  EXPECT_EQ(netlogon_.calls, 0);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, UnauthenticatedCallOnASecuredConnectionHasNoSecurity) {
  auto connection = BoundWithAuth(kAuthLevelPrivacy);
  const ResponsePdu response = *ParseResponse(connection->Receive(RequestBytes(2, kOpEcho, {1})));
  EXPECT_EQ(netlogon_.calls, 1);
  EXPECT_FALSE(netlogon_.last_security.has_value());
  EXPECT_FALSE(response.auth.has_value());
  EXPECT_EQ(schannel_.verifies, 0);
}

TEST_F(ConnectionTest, AuthLevelOrContextMismatchIsAProtocolError) {
  {
    auto connection = BoundWithAuth(kAuthLevelPrivacy);
    const FaultPdu fault =
        *ParseFault(connection->Receive(AuthRequestBytes(2, kOpEcho, {1}, kAuthLevelIntegrity)));
    EXPECT_EQ(fault.status, kFaultProtoError);
    EXPECT_TRUE(connection->closed());
  }
  {
    auto connection = BoundWithAuth(kAuthLevelPrivacy);
    RequestPdu request = *ParseRequest(AuthRequestBytes(2, kOpEcho, {1}, kAuthLevelPrivacy));
    request.auth->auth_context_id = 1;
    const FaultPdu fault = *ParseFault(connection->Receive(*EncodeRequest(request)));
    EXPECT_EQ(fault.status, kFaultProtoError);
    EXPECT_TRUE(connection->closed());
  }
  {
    // A verifier on a connection that never authenticated.
    auto connection = Bound();
    const FaultPdu fault =
        *ParseFault(connection->Receive(AuthRequestBytes(2, kOpEcho, {1}, kAuthLevelPrivacy)));
    EXPECT_EQ(fault.status, kFaultProtoError);
  }
  EXPECT_EQ(netlogon_.calls, 0);
}

TEST_F(ConnectionTest, FragmentedSealedRequestIsVerifiedPerFragment) {
  auto connection = BoundWithAuth(kAuthLevelPrivacy);
  EXPECT_TRUE(connection
                  ->Receive(AuthRequestBytes(2, kOpEcho, {1, 2, 3, 4, 5, 6, 7, 8},
                                             kAuthLevelPrivacy, kPfcFirstFrag))
                  .empty());
  const ResponsePdu response = *ParseResponse(
      connection->Receive(AuthRequestBytes(2, kOpEcho, {9, 10}, kAuthLevelPrivacy, kPfcLastFrag)));
  EXPECT_EQ(schannel_.verifies, 2);
  EXPECT_EQ(netlogon_.last_stub, (Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_TRUE(response.auth.has_value());
}

TEST_F(ConnectionTest, MixingSignedAndUnsignedFragmentsIsAProtocolError) {
  auto connection = BoundWithAuth(kAuthLevelPrivacy);
  EXPECT_TRUE(
      connection
          ->Receive(AuthRequestBytes(2, kOpEcho, {1, 2, 3, 4}, kAuthLevelPrivacy, kPfcFirstFrag))
          .empty());
  const FaultPdu fault =
      *ParseFault(connection->Receive(RequestBytes(2, kOpEcho, {5}, kPfcLastFrag)));
  EXPECT_EQ(fault.status, kFaultProtoError);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, SignedResponseFragmentsCarry16ByteMultiples) {
  ConnectionOptions options;
  options.max_fragment = 1024;
  auto connection = BoundWithAuth(kAuthLevelPrivacy, options);
  const std::vector<Bytes> out = SplitStream(
      connection->Receive(AuthRequestBytes(2, kOpLarge, {0x09, 0x00}, kAuthLevelPrivacy)));
  // (1024 - 24 - 8 - 4) rounded down to 16 = 976 stub bytes per fragment;
  // 2304 = 976 + 976 + 352.
  ASSERT_EQ(out.size(), 3u);
  Bytes stub;
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_LE(out[i].size(), 1024u);
    const ResponsePdu response = *ParseResponse(out[i]);
    ASSERT_TRUE(response.auth.has_value());
    EXPECT_EQ(response.stub.size() % 16, 0u);
    Bytes plain = response.stub;
    FakeXor(plain);
    EXPECT_EQ(response.auth->auth_value, FakeSignature(plain));
    plain.resize(plain.size() - response.auth->auth_pad_length);
    EXPECT_EQ(plain.size(), i < 2 ? 976u : 352u);
    stub.insert(stub.end(), plain.begin(), plain.end());
  }
  ASSERT_EQ(stub.size(), 2304u);
  for (size_t i = 0; i < stub.size(); ++i) ASSERT_EQ(stub[i], static_cast<uint8_t>(i));
}

TEST_F(ConnectionTest, BindAuthFailures) {
  {
    auto connection = Make();
    const Bytes bind = BindBytes({PresentationContext{0, Netlogon(), {Ndr20Syntax()}}},
                                 AuthVerifier{10, kAuthLevelPrivacy, 0, 0, 0, ToBytes("NTLM")});
    const BindNakPdu nak = *ParseBindNak(connection->Receive(bind));
    EXPECT_EQ(nak.reject_reason, kBindNakAuthTypeNotRecognized);
    EXPECT_TRUE(connection->closed());
  }
  {
    auto connection = Make();
    const Bytes bind =
        BindBytes({PresentationContext{0, Netlogon(), {Ndr20Syntax()}}},
                  AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 0, 0, 0, ToBytes("BAD")});
    const BindNakPdu nak = *ParseBindNak(connection->Receive(bind));
    EXPECT_EQ(nak.reject_reason, kBindNakNotSpecified);
    EXPECT_TRUE(connection->closed());
  }
  {
    auto connection = Make();
    const Bytes bind = BindBytes({PresentationContext{0, Netlogon(), {Ndr20Syntax()}}},
                                 AuthVerifier{kAuthTypeNetlogon, 7, 0, 0, 0, ToBytes("WS01")});
    const BindNakPdu nak = *ParseBindNak(connection->Receive(bind));
    EXPECT_EQ(nak.reject_reason, kBindNakNotSpecified);
  }
}

TEST_F(ConnectionTest, AlterContextCanAddASecurityContext) {
  auto connection = Bound();
  BindPdu alter;
  alter.call_id = 2;
  alter.contexts = {PresentationContext{0, Netlogon(), {Ndr20Syntax()}}};
  alter.auth =
      AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 0, 0, kAuthContextId, ToBytes("WS02")};
  const BindAckPdu resp = *ParseAlterContextResp(connection->Receive(*EncodeAlterContext(alter)));
  ASSERT_TRUE(resp.auth.has_value());
  EXPECT_EQ(resp.auth->auth_value, ToBytes("OK:WS02"));
  EXPECT_TRUE(
      ParseResponse(connection->Receive(AuthRequestBytes(3, kOpEcho, {1}, kAuthLevelPrivacy)))
          .ok());
  EXPECT_EQ(netlogon_.last_security->computer_name, "WS02");

  // Reusing the auth_context_id is a protocol error.
  alter.call_id = 4;
  const FaultPdu fault = *ParseFault(connection->Receive(*EncodeAlterContext(alter)));
  EXPECT_EQ(fault.status, kFaultProtoError);
  EXPECT_TRUE(connection->closed());
}

TEST_F(ConnectionTest, AlterContextAuthFailuresFault) {
  {
    auto connection = Bound();
    BindPdu alter;
    alter.call_id = 2;
    alter.contexts = {PresentationContext{0, Netlogon(), {Ndr20Syntax()}}};
    alter.auth = AuthVerifier{9, kAuthLevelPrivacy, 0, 0, 1, ToBytes("x")};
    EXPECT_EQ(ParseFault(connection->Receive(*EncodeAlterContext(alter)))->status,
              kFaultSecPkgError);
    EXPECT_TRUE(connection->closed());
  }
  {
    auto connection = Bound();
    BindPdu alter;
    alter.call_id = 2;
    alter.contexts = {PresentationContext{0, Netlogon(), {Ndr20Syntax()}}};
    alter.auth = AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 0, 0, 1, ToBytes("BAD")};
    EXPECT_EQ(ParseFault(connection->Receive(*EncodeAlterContext(alter)))->status,
              kFaultAccessDenied);
    EXPECT_TRUE(connection->closed());
  }
}

// --- Robustness. ---

Bytes ValidSession() {
  Bytes session = BindBytes(
      {PresentationContext{0, Netlogon(), {Ndr20Syntax()}}},
      AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 0, 0, kAuthContextId, ToBytes("WS01")});
  for (const Bytes& pdu :
       {AuthRequestBytes(2, kOpEcho, {1, 2, 3}, kAuthLevelPrivacy, kPfcFirstFrag),
        AuthRequestBytes(2, kOpEcho, {4, 5}, kAuthLevelPrivacy, kPfcLastFrag),
        RequestBytes(3, kOpLarge, {0x01, 0x00}), RequestBytes(4, 42, {})}) {
    session.insert(session.end(), pdu.begin(), pdu.end());
  }
  return session;
}

TEST_F(ConnectionTest, ValidSessionWorks) {
  auto connection = Make();
  const std::vector<Bytes> out = SplitStream(connection->Receive(ValidSession()));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_TRUE(ParseBindAck(out[0]).ok());
  EXPECT_TRUE(ParseResponse(out[1]).ok());
  EXPECT_TRUE(ParseResponse(out[2]).ok());
  EXPECT_EQ(ParseFault(out[3])->status, kFaultOpRangeError);
}

TEST_F(ConnectionTest, BitFlippedSessionsNeverCrash) {
  const Bytes session = ValidSession();
  for (size_t bit = 0; bit < session.size() * 8; ++bit) {
    Bytes mutated = session;
    mutated[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
    auto connection = Make();
    const Bytes out = connection->Receive(mutated);
    // Whatever happened, the output is a sequence of whole PDUs.
    size_t at = 0;
    while (at + kCommonHeaderSize <= out.size()) {
      const size_t length = out[at + 8] | out[at + 9] << 8;
      ASSERT_GE(length, kCommonHeaderSize) << "bit " << bit;
      at += length;
    }
    ASSERT_EQ(at, out.size()) << "bit " << bit;
  }
}

TEST_F(ConnectionTest, RandomStreamsNeverCrash) {
  std::mt19937 rng(20260101);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 300; ++round) {
    auto connection = Make();
    // Start from a valid bind half the time so requests get exercised.
    if (round % 2 == 0) connection->Receive(NetlogonBind());
    for (int chunk = 0; chunk < 8 && !connection->closed(); ++chunk) {
      Bytes data(static_cast<size_t>(byte(rng)) + 1);
      for (uint8_t& b : data) b = static_cast<uint8_t>(byte(rng));
      // Often make it look like a PDU.
      if (data.size() >= 16 && byte(rng) < 200) {
        data[0] = 5;
        data[1] = 0;
        data[2] = static_cast<uint8_t>(byte(rng) % 20);
        data[4] = 0x10;
        data[5] = 0;
        data[8] = static_cast<uint8_t>(data.size());
        data[9] = static_cast<uint8_t>(data.size() >> 8);
        if (byte(rng) < 128) data[10] = data[11] = 0;
      }
      (void)connection->Receive(data);
    }
  }
}

}  // namespace
}  // namespace trustsim::dcerpc
