// Copyright 2026 The trustsim Authors.

#include "protocol/mutation.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "base/byte_reader.h"
#include "base/random.h"
#include "gtest/gtest.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/dcerpc/pdu.h"
#include "protocol/kerberos/der.h"
#include "protocol/kerberos/messages.h"

namespace trustsim::mutation {
namespace {

constexpr int kSeeds = 3000;

kerberos::PrincipalName Name(std::vector<std::string> parts, int32_t type) {
  kerberos::PrincipalName n;
  n.name_type = type;
  n.name_string = std::move(parts);
  return n;
}

Bytes Filled(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + 37 * i);
  return b;
}

Bytes AsRep() {
  kerberos::KdcRep rep;
  rep.msg_type = kerberos::kMsgTypeAsRep;
  kerberos::EtypeInfo2Entry entry;
  entry.etype = 18;
  entry.salt = "CORP.EXAMPLE.COMhostws01.corp.example.com";
  rep.padata =
      std::vector<kerberos::PaData>{{kerberos::kPaEtypeInfo2, kerberos::EncodeEtypeInfo2({entry})}};
  rep.crealm = "CORP.EXAMPLE.COM";
  rep.cname = Name({"WS01$"}, kerberos::kNtPrincipal);
  rep.ticket.realm = "CORP.EXAMPLE.COM";
  rep.ticket.sname = Name({"krbtgt", "CORP.EXAMPLE.COM"}, kerberos::kNtSrvInst);
  rep.ticket.enc_part = {18, 2, Filled(300, 1)};
  rep.enc_part = {18, 13, Filled(200, 2)};
  return kerberos::EncodeKdcRep(rep);
}

Bytes KrbError(int64_t stime, int32_t susec) {
  kerberos::KrbError e;
  e.stime = stime;
  e.susec = susec;
  e.error_code = 25;
  e.crealm = "CORP.EXAMPLE.COM";
  e.cname = Name({"WS01$"}, kerberos::kNtPrincipal);
  e.realm = "CORP.EXAMPLE.COM";
  e.sname = Name({"krbtgt", "CORP.EXAMPLE.COM"}, kerberos::kNtSrvInst);
  kerberos::EtypeInfo2Entry entry;
  entry.etype = 18;
  entry.salt = "CORP.EXAMPLE.COMhostws01.corp.example.com";
  e.e_data =
      kerberos::EncodeMethodData({{kerberos::kPaEtypeInfo2, kerberos::EncodeEtypeInfo2({entry})},
                                  {kerberos::kPaEncTimestamp, {}}});
  return kerberos::EncodeKrbError(e);
}

constexpr int64_t kStime = int64_t{1772355600} * 1000000;  // 2026-03-01 09:00:00

std::vector<Bytes> KerberosMessages() { return {AsRep(), KrbError(kStime, 123456)}; }

// True when `b` is exactly one well-formed outer TLV.
bool OneOuterTlv(ByteView b) {
  ByteReader r(b);
  return kerberos::der::ReadTlv(r).ok() && r.empty();
}

Bytes BindAck(bool with_auth) {
  dcerpc::BindAckPdu ack;
  ack.call_id = 1;
  ack.max_xmit_frag = 4280;
  ack.max_recv_frag = 4280;
  ack.assoc_group_id = 0x12345;
  ack.secondary_address = "49664";
  ack.results.push_back({dcerpc::kResultAcceptance, 0, dcerpc::Ndr20Syntax()});
  if (with_auth) {
    dcerpc::AuthVerifier auth;
    auth.auth_type = dcerpc::kAuthTypeNetlogon;
    auth.auth_level = dcerpc::kAuthLevelPrivacy;
    auth.auth_value = Filled(12, 3);
    ack.auth = auth;
  }
  absl::StatusOr<Bytes> b = dcerpc::EncodeBindAck(ack);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : Bytes{};
}

// A ServerAuthenticate3 reply: ServerCredential, flags, RID, status.
Bytes PlainResponse() {
  dcerpc::ResponsePdu r;
  r.call_id = 2;
  r.alloc_hint = 20;
  r.stub = Filled(8, 4);
  for (uint8_t b : {0xff, 0xff, 0x2f, 0x21, 0x50, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}) {
    r.stub.push_back(b);
  }
  absl::StatusOr<Bytes> b = dcerpc::EncodeResponse(r);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : Bytes{};
}

Bytes SealedResponse() {
  dcerpc::ResponsePdu r;
  r.call_id = 3;
  r.alloc_hint = 28;
  r.stub = Filled(32, 5);  // 28 bytes and 4 of padding
  dcerpc::AuthVerifier auth;
  auth.auth_type = dcerpc::kAuthTypeNetlogon;
  auth.auth_level = dcerpc::kAuthLevelPrivacy;
  auth.auth_pad_length = 4;
  auth.auth_value = Filled(32, 6);
  r.auth = auth;
  absl::StatusOr<Bytes> b = dcerpc::EncodeResponse(r);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : Bytes{};
}

Bytes Fault() {
  dcerpc::FaultPdu f;
  f.call_id = 4;
  f.status = 0x1C010002;
  f.pfc_flags |= dcerpc::kPfcDidNotExecute;
  absl::StatusOr<Bytes> b = dcerpc::EncodeFault(f);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : Bytes{};
}

std::vector<Bytes> RpcPdus() {
  return {BindAck(false), BindAck(true), PlainResponse(), SealedResponse(), Fault()};
}

uint16_t FragLength(ByteView pdu) { return static_cast<uint16_t>(pdu[8] | pdu[9] << 8); }

TEST(MutationTest, KerberosIsDeterministicAndTakesOneValue) {
  for (const Bytes& msg : KerberosMessages()) {
    for (uint64_t seed = 0; seed < 200; ++seed) {
      SeededRandom a(seed), b(seed), c(seed);
      const Mutation x = MutateKerberos(msg, a);
      const Mutation y = MutateKerberos(msg, b);
      EXPECT_EQ(x.bytes, y.bytes);
      EXPECT_EQ(x.description, y.description);
      EXPECT_EQ(x.kind, y.kind);
      // Exactly one value taken from the caller's stream.
      c.NextU64();
      EXPECT_EQ(a.NextU64(), c.NextU64());
    }
  }
}

TEST(MutationTest, KerberosReachesEveryKindWithValidOuterFraming) {
  std::map<Kind, std::string> seen;
  for (const Bytes& msg : KerberosMessages()) {
    for (uint64_t seed = 0; seed < kSeeds; ++seed) {
      SeededRandom rng(seed);
      const Mutation m = MutateKerberos(msg, rng);
      ASSERT_NE(m.kind, Kind::kRaw) << m.description;
      EXPECT_NE(m.bytes, msg) << m.description;
      EXPECT_TRUE(OneOuterTlv(m.bytes)) << m.description << "\n" << ToHex(m.bytes);
      EXPECT_FALSE(m.description.empty());
      seen.emplace(m.kind, m.description);
    }
  }
  for (Kind k : KerberosKinds()) {
    EXPECT_TRUE(seen.count(k)) << KindName(k);
  }
  for (const auto& [kind, description] : seen) {
    SCOPED_TRACE(description);
    EXPECT_TRUE(absl::StartsWith(description, "AS-REP") ||
                absl::StartsWith(description, "KRB-ERROR"));
  }
}

TEST(MutationTest, KerberosDescriptionsNameTheFields) {
  std::set<std::string> descriptions;
  for (const Bytes& msg : KerberosMessages()) {
    for (uint64_t seed = 0; seed < kSeeds; ++seed) {
      SeededRandom rng(seed);
      descriptions.insert(MutateKerberos(msg, rng).description);
    }
  }
  auto any = [&](absl::string_view prefix) {
    for (const std::string& d : descriptions) {
      if (absl::StartsWith(d, prefix)) return true;
    }
    return false;
  };
  EXPECT_TRUE(any("KRB-ERROR error-code 25 -> "));
  EXPECT_TRUE(any("KRB-ERROR error-code 25 -> 2147483647"));
  EXPECT_TRUE(any("AS-REP enc-part cipher: "));
  EXPECT_TRUE(any("AS-REP ticket enc-part kvno 2 -> "));
  EXPECT_TRUE(any("AS-REP: APPLICATION 11 -> "));
  EXPECT_TRUE(any("AS-REP ticket: APPLICATION 1 -> "));
  EXPECT_TRUE(any("KRB-ERROR stime -> 99991231235959Z (far future)"));
  EXPECT_TRUE(any("KRB-ERROR stime moved 100 years into the past"));
  EXPECT_TRUE(any("KRB-ERROR e-data[0] padata-value[0] salt: "));
  EXPECT_TRUE(any("AS-REP padata[0] padata-type 19 -> "));
  EXPECT_TRUE(any("AS-REP: crealm and cname swapped") || any("AS-REP: cname and crealm swapped"));
  EXPECT_TRUE(any("KRB-ERROR: e-data dropped"));
  EXPECT_TRUE(any("AS-REP ticket [5]: contents truncated from "));
  EXPECT_TRUE(any("AS-REP enc-part cipher OCTET STRING: length 200 -> "));
  EXPECT_TRUE(any("AS-REP enc-part cipher: replaced by "));
  EXPECT_TRUE(any("AS-REP enc-part cipher: 200 bytes replaced by random bytes"));
}

TEST(MutationTest, KerberosDescriptionsDoNotQuoteClockValues) {
  // Two KRB-ERRORs that differ only in stime and susec (same sizes): the same
  // seed gives the same description.
  const Bytes a = KrbError(kStime, 123456);
  const Bytes b = KrbError(kStime + 86400000000 + 7000000, 654321);
  ASSERT_EQ(a.size(), b.size());
  for (uint64_t seed = 0; seed < 500; ++seed) {
    SeededRandom ra(seed), rb(seed);
    const Mutation ma = MutateKerberos(a, ra);
    const Mutation mb = MutateKerberos(b, rb);
    EXPECT_EQ(ma.description, mb.description);
    EXPECT_FALSE(absl::StrContains(ma.description, "123456")) << ma.description;
    EXPECT_FALSE(absl::StrContains(ma.description, "20260301090000Z")) << ma.description;
  }
}

TEST(MutationTest, KerberosNeverCrashesOnArbitraryInput) {
  SeededRandom data_rng(99);
  std::vector<Bytes> inputs = {{}, {0x00}, {0x30}, {0x30, 0x00}, {0x04, 0x00}, {0x6b, 0x80}};
  for (int i = 0; i < 300; ++i) {
    Bytes b(data_rng.Uniform(200));
    data_rng.Fill(absl::MakeSpan(b));
    inputs.push_back(std::move(b));
  }
  for (const Bytes& msg : KerberosMessages()) {
    for (size_t n = 0; n < msg.size(); n += 7) inputs.emplace_back(msg.begin(), msg.begin() + n);
    Bytes trailing = msg;
    trailing.push_back(0);
    inputs.push_back(trailing);
  }
  // Deep nesting: 40 SEQUENCEs.
  Bytes deep;
  for (int i = 0; i < 40; ++i) deep.insert(deep.begin(), {0x30, static_cast<uint8_t>(2 * i)});
  inputs.push_back(deep);
  for (const Bytes& input : inputs) {
    for (uint64_t seed = 0; seed < 20; ++seed) {
      SeededRandom rng(seed);
      const Mutation m = MutateKerberos(input, rng);
      EXPECT_FALSE(m.description.empty());
      if (input.empty()) {
        EXPECT_FALSE(m.bytes.empty());
      }
      if (!kerberos::der::ValidateDer(input).ok()) {
        EXPECT_EQ(m.kind, Kind::kRaw) << ToHex(input);
      }
    }
  }
  // Not DER: a raw mutation, said so.
  SeededRandom rng(1);
  const Mutation m = MutateKerberos(AsBytes("hello, world"), rng);
  EXPECT_EQ(m.kind, Kind::kRaw);
  EXPECT_TRUE(absl::StartsWith(m.description, "not DER: ")) << m.description;
}

TEST(MutationTest, RpcIsDeterministicAndTakesOneValue) {
  for (const Bytes& pdu : RpcPdus()) {
    for (uint64_t seed = 0; seed < 200; ++seed) {
      SeededRandom a(seed), b(seed), c(seed);
      const Mutation x = MutateRpc(pdu, a);
      const Mutation y = MutateRpc(pdu, b);
      EXPECT_EQ(x.bytes, y.bytes);
      EXPECT_EQ(x.description, y.description);
      c.NextU64();
      EXPECT_EQ(a.NextU64(), c.NextU64());
    }
  }
}

TEST(MutationTest, RpcReachesEveryKindAndKeepsFraming) {
  std::map<Kind, std::string> seen;
  for (const Bytes& pdu : RpcPdus()) {
    for (uint64_t seed = 0; seed < kSeeds; ++seed) {
      SeededRandom rng(seed);
      const Mutation m = MutateRpc(pdu, rng);
      SCOPED_TRACE(m.description);
      ASSERT_NE(m.kind, Kind::kRaw);
      ASSERT_GE(m.bytes.size(), dcerpc::kCommonHeaderSize);
      EXPECT_NE(m.bytes, pdu);
      if (m.kind == Kind::kWrongFragLength) {
        EXPECT_NE(FragLength(m.bytes), m.bytes.size());
        EXPECT_TRUE(LeavesRpcClientWaiting(pdu, m.bytes));
      } else {
        EXPECT_EQ(FragLength(m.bytes), m.bytes.size());
      }
      if (m.kind == Kind::kStatus || m.kind == Kind::kCredential || m.kind == Kind::kStubBitFlip ||
          m.kind == Kind::kAllocHint) {
        EXPECT_FALSE(LeavesRpcClientWaiting(pdu, m.bytes));
      }
      // Mutations that leave the header alone still split cleanly.
      if (m.kind == Kind::kStubTruncate || m.kind == Kind::kStatus ||
          m.kind == Kind::kBindAckSecondaryAddress || m.kind == Kind::kAuthTrailer) {
        EXPECT_TRUE(dcerpc::ParseCommonHeader(m.bytes).ok());
      }
      seen.emplace(m.kind, m.description);
    }
  }
  for (Kind k : RpcKinds()) {
    EXPECT_TRUE(seen.count(k)) << KindName(k);
  }
}

TEST(MutationTest, RpcDescriptions) {
  std::set<std::string> descriptions;
  for (const Bytes& pdu : RpcPdus()) {
    for (uint64_t seed = 0; seed < kSeeds; ++seed) {
      SeededRandom rng(seed);
      descriptions.insert(MutateRpc(pdu, rng).description);
    }
  }
  auto any = [&](absl::string_view prefix) {
    for (const std::string& d : descriptions) {
      if (absl::StartsWith(d, prefix)) return true;
    }
    return false;
  };
  EXPECT_TRUE(
      any("response: status 0x00000000 (STATUS_SUCCESS) -> 0xc0000022 (STATUS_ACCESS_DENIED)"));
  EXPECT_TRUE(any("response: status (last stub u32, sealed) -> "));
  EXPECT_TRUE(any("fault: status 0x1c010002 (nca_s_op_rng_error) -> "));
  EXPECT_TRUE(any("response: credential (stub bytes 0-7) replaced by random bytes"));
  EXPECT_TRUE(any("response: auth value (signature): "));
  EXPECT_TRUE(any("bind_ack: secondary address -> \"\""));
  EXPECT_TRUE(any("bind_ack: max_recv_frag 4280 -> 0"));
  EXPECT_TRUE(any("bind_ack: result 0 -> provider rejection, reason 1"));
  EXPECT_TRUE(any("response: ptype 2 (response) -> 3 (fault)"));
  EXPECT_TRUE(any("response: pfc_flags 0x03 -> 0x01"));
  EXPECT_TRUE(any("response: stub truncated from 20 to "));
  EXPECT_TRUE(any("bind_ack: frag_length "));
  for (const std::string& d : descriptions) {
    // The secondary address (a port) differs from run to run: never quoted.
    EXPECT_FALSE(absl::StrContains(d, "49664")) << d;
  }
}

TEST(MutationTest, RpcStatusMutationChangesTheLastStubWord) {
  const Bytes pdu = PlainResponse();
  for (uint64_t seed = 0; seed < kSeeds; ++seed) {
    SeededRandom rng(seed);
    const Mutation m = MutateRpc(pdu, rng);
    if (m.kind != Kind::kStatus) continue;
    ASSERT_EQ(m.bytes.size(), pdu.size());
    EXPECT_TRUE(std::equal(pdu.begin(), pdu.end() - 4, m.bytes.begin()));
    EXPECT_NE(Bytes(pdu.end() - 4, pdu.end()), Bytes(m.bytes.end() - 4, m.bytes.end()));
    return;
  }
  FAIL() << "no status mutation";
}

TEST(MutationTest, RpcNeverCrashesOnArbitraryInput) {
  SeededRandom data_rng(7);
  std::vector<Bytes> inputs = {{}, {0x05}, Bytes(16, 0)};
  for (int i = 0; i < 300; ++i) {
    Bytes b(data_rng.Uniform(120));
    data_rng.Fill(absl::MakeSpan(b));
    if (b.size() >= 16 && i % 2 == 0) {
      // A plausible header over random contents.
      b[0] = 5;
      b[1] = 0;
      b[2] = static_cast<uint8_t>(i % 20);
      b[4] = 0x10;
      b[5] = 0;
      b[8] = static_cast<uint8_t>(b.size());
      b[9] = 0;
      b[10] = static_cast<uint8_t>(i % 3 == 0 ? b[10] % 16 : 0);
      b[11] = 0;
    }
    inputs.push_back(std::move(b));
  }
  for (const Bytes& pdu : RpcPdus()) {
    for (size_t n = 0; n < pdu.size(); n += 5) inputs.emplace_back(pdu.begin(), pdu.begin() + n);
  }
  for (const Bytes& input : inputs) {
    for (uint64_t seed = 0; seed < 20; ++seed) {
      SeededRandom rng(seed);
      const Mutation m = MutateRpc(input, rng);
      EXPECT_FALSE(m.description.empty());
      absl::StatusOr<dcerpc::CommonHeader> h = dcerpc::ParseCommonHeader(input);
      if (!h.ok() || h->frag_length != input.size()) {
        EXPECT_EQ(m.kind, Kind::kRaw);
        if (!input.empty()) {
          EXPECT_EQ(m.bytes.size(), input.size());
        }
      } else if (m.kind != Kind::kWrongFragLength) {
        EXPECT_EQ(FragLength(m.bytes), m.bytes.size()) << m.description;
      }
    }
  }
}

TEST(MutationTest, SplitRpcPdus) {
  const Bytes a = PlainResponse(), b = Fault(), c = BindAck(true);
  Bytes stream = a;
  stream.insert(stream.end(), b.begin(), b.end());
  stream.insert(stream.end(), c.begin(), c.end());
  std::vector<ByteView> parts = SplitRpcPdus(stream);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(Bytes(parts[0].begin(), parts[0].end()), a);
  EXPECT_EQ(Bytes(parts[1].begin(), parts[1].end()), b);
  EXPECT_EQ(Bytes(parts[2].begin(), parts[2].end()), c);
  // A tail that does not frame is one last piece.
  stream.push_back(1);
  stream.push_back(2);
  parts = SplitRpcPdus(stream);
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[3].size(), 2u);
  EXPECT_TRUE(SplitRpcPdus({}).empty());
}

TEST(MutationTest, LeavesRpcClientWaiting) {
  const Bytes pdu = PlainResponse();
  EXPECT_FALSE(LeavesRpcClientWaiting(pdu, pdu));
  Bytes longer = pdu;
  longer[8] += 1;
  EXPECT_TRUE(LeavesRpcClientWaiting(pdu, longer));
  Bytes not_last = pdu;
  not_last[3] &= ~dcerpc::kPfcLastFrag;
  EXPECT_TRUE(LeavesRpcClientWaiting(pdu, not_last));
  EXPECT_FALSE(LeavesRpcClientWaiting(not_last, not_last));
  EXPECT_TRUE(LeavesRpcClientWaiting(pdu, Bytes(pdu.begin(), pdu.begin() + 10)));
}

TEST(MutationTest, MutationsOfMutationsNeverCrash) {
  // Chains: each output is the next input, so the engine meets its own
  // broken DER and PDUs.
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SeededRandom rng(seed);
    for (Bytes b : KerberosMessages()) {
      for (int i = 0; i < 30; ++i) {
        Mutation m = MutateKerberos(b, rng);
        EXPECT_FALSE(m.description.empty());
        if (kerberos::der::ValidateDer(b).ok() && m.kind != Kind::kRaw) {
          EXPECT_TRUE(OneOuterTlv(m.bytes)) << m.description;
        }
        b = std::move(m.bytes);
      }
    }
    for (Bytes b : RpcPdus()) {
      for (int i = 0; i < 30; ++i) {
        Mutation m = MutateRpc(b, rng);
        EXPECT_FALSE(m.description.empty());
        b = std::move(m.bytes);
      }
    }
  }
}

TEST(MutationTest, ConvenienceFunctionsMatch) {
  const Bytes msg = AsRep();
  SeededRandom a(5), b(5);
  std::string description;
  const Bytes out = MutateKerberosReply(msg, a, &description);
  const Mutation m = MutateKerberos(msg, b);
  EXPECT_EQ(out, m.bytes);
  EXPECT_EQ(description, m.description);
  const Bytes pdu = PlainResponse();
  EXPECT_EQ(MutateRpcReply(pdu, a, nullptr), MutateRpc(pdu, b).bytes);
}

}  // namespace
}  // namespace trustsim::mutation
