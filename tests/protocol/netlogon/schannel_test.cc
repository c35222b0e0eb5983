// Copyright 2026 The trustsim Authors.
//
// Tests of the Netlogon SSP: the NL_AUTH_MESSAGE codec, the signature tokens
// in both directions at both levels with RC4 and AES, tampering, replay and
// reflection, the provider's bind checks, and an oracle check against
// impacket 0.10's nrpc.SEAL/UNSEAL run under /usr/bin/python3 (fails, never
// skips, when impacket is missing).

#include "protocol/netlogon/schannel.h"

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/random.h"
#include "gtest/gtest.h"
#include "protocol/netlogon/negotiate_flags.h"
#include "protocol/ntstatus.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::netlogon {
namespace {

using ::trustsim::testing::Hex;

Bytes Str(absl::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// What impacket 0.10's nrpc.getSSPType1("WS01", "CORP") sends: OEM domain,
// OEM computer and the UTF-8 computer name as a one-label DNS name.
Bytes ImpacketNegotiate() {
  return Cat({Hex("00000000 13000000"), Str(std::string("CORP\0", 5)),
              Str(std::string("WS01\0", 5)), Hex("04"), Str(std::string("WS01\0", 5))});
}

// -----------------------------------------------------------------------------
// NL_AUTH_MESSAGE
// -----------------------------------------------------------------------------

TEST(SchannelNlAuthMessageTest, ParsesImpacketNegotiate) {
  auto m = ParseNlAuthMessage(ImpacketNegotiate());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->message_type, kNlAuthNegotiateRequest);
  EXPECT_EQ(m->flags(), 0x13u);
  EXPECT_EQ(m->oem_netbios_domain, "CORP");
  EXPECT_EQ(m->oem_netbios_computer, "WS01");
  EXPECT_EQ(m->utf8_netbios_computer, "WS01");
  EXPECT_FALSE(m->utf8_dns_domain.has_value());
  EXPECT_EQ(m->ComputerName(), "WS01");
  // And encodes back to the same bytes.
  auto encoded = EncodeNlAuthMessage(*m);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(ToHex(*encoded), ToHex(ImpacketNegotiate()));
}

TEST(SchannelNlAuthMessageTest, RoundTripsEveryField) {
  NlAuthMessage m;
  m.oem_netbios_domain = "CORP";
  m.oem_netbios_computer = "WS01";
  m.utf8_dns_domain = "corp.example.com";
  m.utf8_dns_host = "ws01.corp.example.com";
  m.utf8_netbios_computer = "WS01";
  auto encoded = EncodeNlAuthMessage(m);
  ASSERT_TRUE(encoded.ok());
  auto parsed = ParseNlAuthMessage(*encoded);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, m);
  EXPECT_EQ(parsed->flags(), 0x1Fu);

  NlAuthMessage only_utf8;
  only_utf8.utf8_netbios_computer = "WS02";
  EXPECT_EQ(ParseNlAuthMessage(*EncodeNlAuthMessage(only_utf8))->ComputerName(), "WS02");
  NlAuthMessage none;
  EXPECT_EQ(ParseNlAuthMessage(*EncodeNlAuthMessage(none))->ComputerName(), std::nullopt);
}

TEST(SchannelNlAuthMessageTest, EveryTruncationIsOutOfRange) {
  NlAuthMessage m;
  m.oem_netbios_domain = "CORP";
  m.oem_netbios_computer = "WS01";
  m.utf8_dns_domain = "corp.example.com";
  m.utf8_dns_host = "ws01.corp.example.com";
  m.utf8_netbios_computer = "WS01";
  const Bytes full = *EncodeNlAuthMessage(m);
  for (size_t n = 0; n < full.size(); ++n) {
    auto parsed = ParseNlAuthMessage(ByteView(full).first(n));
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kOutOfRange) << n;
  }
}

TEST(SchannelNlAuthMessageTest, RejectsMalformed) {
  auto code = [](const Bytes& b) { return ParseNlAuthMessage(b).status().code(); };
  // Unknown MessageType, unknown flag bits.
  EXPECT_EQ(code(Hex("02000000 00000000")), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Hex("00000000 20000000")), absl::StatusCode::kInvalidArgument);
  // Trailing bytes after a negotiate.
  EXPECT_EQ(code(Cat({ImpacketNegotiate(), Hex("00")})), absl::StatusCode::kInvalidArgument);
  // A DNS label with the reserved 01/10 type bits, and one with a dot inside.
  EXPECT_EQ(code(Hex("00000000 04000000 4100")), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Cat({Hex("00000000 04000000 03"), Str("a.b"), Hex("00")})),
            absl::StatusCode::kInvalidArgument);
  // OEM name over the bound.
  EXPECT_EQ(code(Cat({Hex("00000000 01000000"), Bytes(300, 'A'), Hex("00")})),
            absl::StatusCode::kInvalidArgument);
  // Whole message over the bound.
  EXPECT_EQ(code(Cat({Hex("00000000 00000000"), Bytes(kNlAuthMaxMessageLength, 0)})),
            absl::StatusCode::kInvalidArgument);
}

TEST(SchannelNlAuthMessageTest, FollowsBackwardCompressionPointersOnly) {
  // DNS domain at offset 8; the DNS host points back at it.
  const Bytes domain =
      Cat({Hex("04"), Str("corp"), Hex("07"), Str("example"), Hex("03"), Str("com"), Hex("00")});
  const Bytes good = Cat({Hex("00000000 1C000000"), domain, Hex("04"), Str("ws01"), Hex("C008"),
                          Hex("04"), Str("WS01"), Hex("00")});
  auto m = ParseNlAuthMessage(good);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->utf8_dns_domain, "corp.example.com");
  EXPECT_EQ(m->utf8_dns_host, "ws01.corp.example.com");
  EXPECT_EQ(m->utf8_netbios_computer, "WS01");

  auto code = [](const Bytes& b) { return ParseNlAuthMessage(b).status().code(); };
  // Forward pointer, pointer to itself, and a loop (a label then a pointer
  // back to the label).
  EXPECT_EQ(code(Cat({Hex("00000000 04000000 C00C 00")})), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Hex("00000000 04000000 C008")), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Cat({Hex("00000000 04000000 01"), Str("a"), Hex("C008")})),
            absl::StatusCode::kInvalidArgument);
  // A pointer from the domain forward into the host that follows it.
  EXPECT_EQ(code(Cat({Hex("00000000 0C000000 01"), Str("a"), Hex("C00B"), Hex("C008")})),
            absl::StatusCode::kInvalidArgument);
}

TEST(SchannelNlAuthMessageTest, EncodeRejectsUnencodableNames) {
  NlAuthMessage m;
  m.oem_netbios_computer = std::string("WS\0", 3);
  EXPECT_EQ(EncodeNlAuthMessage(m).status().code(), absl::StatusCode::kInvalidArgument);
  NlAuthMessage dns;
  dns.utf8_dns_domain = "corp..com";
  EXPECT_EQ(EncodeNlAuthMessage(dns).status().code(), absl::StatusCode::kInvalidArgument);
  dns.utf8_dns_domain = std::string(64, 'a') + ".com";
  EXPECT_EQ(EncodeNlAuthMessage(dns).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SchannelNlAuthMessageTest, Response) {
  const Bytes response = EncodeNlAuthNegotiateResponse();
  EXPECT_EQ(ToHex(response), "010000000000000000006c00");
  auto parsed = ParseNlAuthMessage(response);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->message_type, kNlAuthNegotiateResponse);
  NlAuthMessage m;
  m.message_type = kNlAuthNegotiateResponse;
  EXPECT_EQ(ToHex(*EncodeNlAuthMessage(m)), ToHex(response));

  EXPECT_TRUE(SchannelClient::AcceptResponse(response).ok());
  // impacket's default NL_AUTH_MESSAGE response body: four zero bytes.
  EXPECT_TRUE(SchannelClient::AcceptResponse(Hex("01000000 00000000 00000000")).ok());
  // Shorter than 12 bytes, or not a response.
  EXPECT_EQ(SchannelClient::AcceptResponse(Hex("01000000 00000000 000000")).code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_FALSE(SchannelClient::AcceptResponse(ImpacketNegotiate()).ok());
}

// -----------------------------------------------------------------------------
// Provider and tokens
// -----------------------------------------------------------------------------

class FakeSessions : public SchannelSessionSource {
 public:
  absl::StatusOr<SchannelSession> FindSession(absl::string_view computer_name) override {
    lookups.push_back(std::string(computer_name));
    auto it = sessions.find(std::string(computer_name));
    if (it == sessions.end()) return absl::NotFoundError("no session");
    return it->second;
  }
  std::map<std::string, SchannelSession> sessions;
  std::vector<std::string> lookups;
};

SchannelSession MakeSession(uint32_t flags) {
  return SchannelSession{Hex("00112233445566778899aabbccddeeff"), flags};
}

// kSambaAdServerFlags & kWindowsClientFlags has AES; 0x600fffff (Samba's
// NETLOGON_NEG_AUTH2_ADS_FLAGS) has ARCFOUR and STRONG_KEYS but no AES.
constexpr uint32_t kAesFlags = kWindowsClientFlags;
constexpr uint32_t kRc4Flags = 0x600fffff;

struct ChannelCase {
  const char* name;
  uint32_t flags;
  uint8_t level;
};

std::ostream& operator<<(std::ostream& os, const ChannelCase& c) { return os << c.name; }

class SchannelChannelTest : public ::testing::TestWithParam<ChannelCase> {
 protected:
  void SetUp() override {
    sessions_.sessions["WS01"] = MakeSession(GetParam().flags);
    provider_ = std::make_unique<SchannelProvider>(sessions_, server_random_);
    auto accepted = provider_->Accept(GetParam().level, ImpacketNegotiate());
    ASSERT_TRUE(accepted.ok()) << accepted.status();
    server_ = std::move(accepted->context);
    ASSERT_TRUE(SchannelClient::AcceptResponse(accepted->reply_auth_value).ok());
    auto client =
        SchannelClient::Create(MakeSession(GetParam().flags), GetParam().level, client_random_);
    ASSERT_TRUE(client.ok()) << client.status();
    client_.emplace(*std::move(client));
  }

  bool aes() const { return GetParam().flags & kNegSupportsAes; }
  bool sealed() const { return GetParam().level == dcerpc::kAuthLevelPrivacy; }
  Bytes Stub(size_t n) {
    Bytes b(n);
    data_random_.Fill(absl::MakeSpan(b));
    return b;
  }
  // Bytes of the token the receiver checks; the rest is reserved.
  size_t CheckedTokenBytes() const { return sealed() ? 32 : 24; }

  FakeSessions sessions_;
  SeededRandom server_random_{1};
  SeededRandom client_random_{2};
  SeededRandom data_random_{3};
  std::unique_ptr<SchannelProvider> provider_;
  std::unique_ptr<dcerpc::SecurityContext> server_;
  std::optional<SchannelClient> client_;
};

TEST_P(SchannelChannelTest, RequestsAndResponsesRoundTrip) {
  EXPECT_EQ(server_->info().auth_type, dcerpc::kAuthTypeNetlogon);
  EXPECT_EQ(server_->info().auth_level, GetParam().level);
  EXPECT_EQ(server_->info().computer_name, "WS01");
  EXPECT_EQ(server_->signature_length(), aes() ? 56u : 32u);
  EXPECT_EQ(client_->signature_length(), server_->signature_length());
  EXPECT_EQ(client_->channel().algorithm(),
            aes() ? SchannelAlgorithm::kAesHmacSha256 : SchannelAlgorithm::kRc4HmacMd5);

  for (size_t i = 0; i < 6; ++i) {
    const size_t n = std::vector<size_t>{0, 1, 8, 17, 64, 333}[i];
    SCOPED_TRACE(n);
    const Bytes request = Stub(n);
    Bytes wire = request;
    auto token = client_->SignRequest(wire);
    ASSERT_TRUE(token.ok()) << token.status();
    EXPECT_EQ(token->size(), client_->signature_length());
    if (sealed() && n >= 8) {
      EXPECT_NE(wire, request);
    } else if (!sealed()) {
      EXPECT_EQ(wire, request);
    }
    ASSERT_TRUE(server_->VerifyRequest(wire, *token).ok());
    EXPECT_EQ(wire, request);

    const Bytes response = Stub(n + 3);
    Bytes wire_response = response;
    auto response_token = server_->SignResponse(wire_response);
    ASSERT_TRUE(response_token.ok());
    EXPECT_EQ(response_token->size(), server_->signature_length());
    ASSERT_TRUE(client_->VerifyResponse(wire_response, *response_token).ok());
    EXPECT_EQ(wire_response, response);
    // One counter for both directions: request 2i, response 2i+1.
    EXPECT_EQ(client_->channel().sequence(), 2 * (i + 1));
  }
}

TEST_P(SchannelChannelTest, AnyFlippedBitFailsAndLeavesStateAlone) {
  const Bytes request = Stub(24);
  Bytes wire = request;
  const Bytes token = *client_->SignRequest(wire);
  const Bytes sealed_wire = wire;

  for (size_t bit = 0; bit < sealed_wire.size() * 8; ++bit) {
    Bytes tampered = sealed_wire;
    tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    const Bytes before = tampered;
    const absl::Status s = server_->VerifyRequest(tampered, token);
    EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << "stub bit " << bit;
    EXPECT_EQ(tampered, before) << "stub changed on failure, bit " << bit;
  }
  for (size_t bit = 0; bit < CheckedTokenBytes() * 8; ++bit) {
    Bytes tampered_token = token;
    tampered_token[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Bytes copy = sealed_wire;
    EXPECT_EQ(server_->VerifyRequest(copy, tampered_token).code(), absl::StatusCode::kDataLoss)
        << "token bit " << bit;
  }
  // Truncated tokens.
  const size_t min = aes() ? (sealed() ? 56 : 48) : (sealed() ? 32 : 24);
  Bytes copy = sealed_wire;
  EXPECT_EQ(server_->VerifyRequest(copy, ByteView(token).first(min - 1)).code(),
            absl::StatusCode::kOutOfRange);

  // None of that advanced the counter: the genuine request still verifies.
  copy = sealed_wire;
  ASSERT_TRUE(server_->VerifyRequest(copy, token).ok());
  EXPECT_EQ(copy, request);
}

TEST_P(SchannelChannelTest, ReplayedRequestFails) {
  const Bytes request = Stub(40);
  Bytes wire = request;
  const Bytes token = *client_->SignRequest(wire);
  Bytes first = wire;
  ASSERT_TRUE(server_->VerifyRequest(first, token).ok());
  Bytes replay = wire;
  EXPECT_EQ(server_->VerifyRequest(replay, token).code(), absl::StatusCode::kDataLoss);

  // A request the client signs after skipping one also fails (out of order).
  Bytes skipped = Stub(5);
  ASSERT_TRUE(client_->SignRequest(skipped).ok());  // seq 1, never delivered
  Bytes next = Stub(5);
  const Bytes next_token = *client_->SignRequest(next);  // seq 2
  EXPECT_EQ(server_->VerifyRequest(next, next_token).code(), absl::StatusCode::kDataLoss);
}

TEST_P(SchannelChannelTest, ReflectedResponseFails) {
  // The server's own response, fed back as a request at the right counter,
  // fails on the direction bit.
  Bytes response = Stub(16);
  const Bytes token = *server_->SignResponse(response);  // seq 0, server -> client
  EXPECT_EQ(server_->VerifyRequest(response, token).code(), absl::StatusCode::kDataLoss);
}

TEST_P(SchannelChannelTest, ReservedTokenBytesAreIgnored) {
  Bytes wire = Stub(10);
  Bytes token = *client_->SignRequest(wire);
  for (size_t i = CheckedTokenBytes(); i < token.size(); ++i) token[i] ^= 0x5A;
  EXPECT_TRUE(server_->VerifyRequest(wire, token).ok());
}

INSTANTIATE_TEST_SUITE_P(
    Schannel, SchannelChannelTest,
    ::testing::Values(ChannelCase{"Rc4Integrity", kRc4Flags, dcerpc::kAuthLevelIntegrity},
                      ChannelCase{"Rc4Privacy", kRc4Flags, dcerpc::kAuthLevelPrivacy},
                      ChannelCase{"AesIntegrity", kAesFlags, dcerpc::kAuthLevelIntegrity},
                      ChannelCase{"AesPrivacy", kAesFlags, dcerpc::kAuthLevelPrivacy}),
    [](const ::testing::TestParamInfo<ChannelCase>& info) { return info.param.name; });

TEST(SchannelTokenTest, DirectionBitAndSequenceBytes) {
  EXPECT_EQ(ToHex(SchannelSequenceBytes(0, SchannelRole::kClient)), "0000000080000000");
  EXPECT_EQ(ToHex(SchannelSequenceBytes(0, SchannelRole::kServer)), "0000000000000000");
  EXPECT_EQ(ToHex(SchannelSequenceBytes(0x0000000100000002ull, SchannelRole::kClient)),
            "0000000280000001");
  EXPECT_EQ(ToHex(SchannelSequenceBytes(0x12345678ull, SchannelRole::kServer)), "1234567800000000");
}

TEST(SchannelTokenTest, KnownAnswerFromImpacket) {
  // impacket 0.10 nrpc.SEAL(b"hello world, this is a stub!", b"ABCDEFGH", 5,
  // bytes(range(16)), False): the client's 6th token.
  const SessionKey key = ToArray<16>(Hex("000102030405060708090a0b0c0d0e0f"));
  Bytes stub = Str("hello world, this is a stub!");
  const std::array<uint8_t, 8> confounder = ToArray<8>(Str("ABCDEFGH"));
  const Bytes token = SchannelChannel::ProtectWith(SchannelAlgorithm::kRc4HmacMd5, key, true, 5,
                                                   SchannelRole::kClient, confounder, stub);
  EXPECT_EQ(ToHex(stub), "c30706c3566b19df6b2a016e15dd3597a90cbbd0b6e105de4a4096c1");
  EXPECT_EQ(ToHex(token), "77007a00ffff000035eefe35157f709d61d465408e41183aea2029eb7c0d29f8");
  EXPECT_TRUE(SchannelChannel::UnprotectWith(SchannelAlgorithm::kRc4HmacMd5, key, true, 5,
                                             SchannelRole::kClient, stub, token)
                  .ok());
  EXPECT_EQ(stub, Str("hello world, this is a stub!"));
}

TEST(SchannelTokenTest, AesSealStreamOptionChangesOnlyTheStub) {
  const SessionKey key = ToArray<16>(Hex("00112233445566778899aabbccddeeff"));
  const std::array<uint8_t, 8> confounder = ToArray<8>(Hex("0102030405060708"));
  const Bytes plain = Str("a sealed Netlogon request stub");
  Bytes continuous = plain, restart = plain;
  const Bytes t1 = SchannelChannel::ProtectWith(SchannelAlgorithm::kAesHmacSha256, key, true, 3,
                                                SchannelRole::kClient, confounder, continuous);
  const Bytes t2 = SchannelChannel::ProtectWith(
      SchannelAlgorithm::kAesHmacSha256, key, true, 3, SchannelRole::kClient, confounder, restart,
      SchannelCryptoOptions{AesSealStream::kRestartForStub});
  EXPECT_EQ(ToHex(t1), ToHex(t2));  // same checksum, sequence and confounder
  EXPECT_NE(continuous, restart);
  // Each side only understands its own variant.
  Bytes c = continuous;
  EXPECT_TRUE(SchannelChannel::UnprotectWith(SchannelAlgorithm::kAesHmacSha256, key, true, 3,
                                             SchannelRole::kClient, c, t1)
                  .ok());
  Bytes r = restart;
  EXPECT_FALSE(SchannelChannel::UnprotectWith(SchannelAlgorithm::kAesHmacSha256, key, true, 3,
                                              SchannelRole::kClient, r, t2)
                   .ok());
  r = restart;
  EXPECT_TRUE(SchannelChannel::UnprotectWith(SchannelAlgorithm::kAesHmacSha256, key, true, 3,
                                             SchannelRole::kClient, r, t2,
                                             SchannelCryptoOptions{AesSealStream::kRestartForStub})
                  .ok());
  EXPECT_EQ(r, plain);
}

TEST(SchannelProviderTest, RefusesBadBinds) {
  FakeSessions sessions;
  sessions.sessions["WS01"] = MakeSession(kAesFlags);
  SeededRandom random(7);
  SchannelProvider provider(sessions, random);
  EXPECT_EQ(provider.auth_type(), 68);

  // Levels below integrity.
  for (uint8_t level : {dcerpc::kAuthLevelConnect, dcerpc::kAuthLevelPacket, uint8_t{7}}) {
    auto a = provider.Accept(level, ImpacketNegotiate());
    EXPECT_EQ(GetNtStatus(a.status()), NtStatus::kInvalidParameter) << int{level};
  }
  // Unknown computer: the source's NotFound.
  NlAuthMessage other;
  other.oem_netbios_domain = "CORP";
  other.oem_netbios_computer = "WS99";
  auto a = provider.Accept(dcerpc::kAuthLevelPrivacy, *EncodeNlAuthMessage(other));
  EXPECT_EQ(a.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(sessions.lookups.back(), "WS99");
  // No computer name at all.
  NlAuthMessage nameless;
  nameless.oem_netbios_domain = "CORP";
  a = provider.Accept(dcerpc::kAuthLevelPrivacy, *EncodeNlAuthMessage(nameless));
  EXPECT_EQ(GetNtStatus(a.status()), NtStatus::kLogonFailure);
  // A response instead of a negotiate; garbage.
  a = provider.Accept(dcerpc::kAuthLevelPrivacy, EncodeNlAuthNegotiateResponse());
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  a = provider.Accept(dcerpc::kAuthLevelPrivacy, Hex("0000"));
  EXPECT_EQ(a.status().code(), absl::StatusCode::kOutOfRange);
  // A session whose key is not 16 bytes.
  sessions.sessions["BAD"] = SchannelSession{Hex("0011"), kAesFlags};
  NlAuthMessage bad;
  bad.oem_netbios_computer = "BAD";
  a = provider.Accept(dcerpc::kAuthLevelPrivacy, *EncodeNlAuthMessage(bad));
  EXPECT_FALSE(a.ok());
}

TEST(SchannelProviderTest, DomainCheckWhenConfigured) {
  FakeSessions sessions;
  sessions.sessions["WS01"] = MakeSession(kRc4Flags);
  SeededRandom random(7);
  SchannelProvider provider(sessions, random,
                            SchannelProviderOptions{"CORP", "corp.example.com", {}});
  auto negotiate = [](std::optional<std::string> netbios, std::optional<std::string> dns) {
    NlAuthMessage m;
    m.oem_netbios_domain = std::move(netbios);
    m.utf8_dns_domain = std::move(dns);
    m.oem_netbios_computer = "WS01";
    return *EncodeNlAuthMessage(m);
  };
  EXPECT_TRUE(provider.Accept(dcerpc::kAuthLevelPrivacy, negotiate("corp", std::nullopt)).ok());
  EXPECT_TRUE(
      provider.Accept(dcerpc::kAuthLevelPrivacy, negotiate(std::nullopt, "CORP.example.com")).ok());
  EXPECT_EQ(
      GetNtStatus(
          provider.Accept(dcerpc::kAuthLevelPrivacy, negotiate("OTHER", std::nullopt)).status()),
      NtStatus::kLogonFailure);
  EXPECT_EQ(
      GetNtStatus(provider.Accept(dcerpc::kAuthLevelPrivacy, negotiate(std::nullopt, std::nullopt))
                      .status()),
      NtStatus::kLogonFailure);
}

// -----------------------------------------------------------------------------
// impacket oracle
// -----------------------------------------------------------------------------

constexpr char kSystemPython[] = "/usr/bin/python3";

// Runs a Python script (via a here-document) with `args`; returns stdout
// lines, failing the test on a non-zero exit.
std::vector<std::string> RunPython(const std::string& script, const std::string& args) {
  const std::string command =
      absl::StrCat(kSystemPython, " - ", args, " <<'TRUSTSIM_PY'\n", script, "\nTRUSTSIM_PY\n");
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  if (pipe == nullptr) return {};
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << "python/impacket failed (impacket 0.10 under " << kSystemPython
                       << " is required): " << out;
  return absl::StrSplit(out, '\n', absl::SkipEmpty());
}

// impacket 0.10's SEAL. With "aes", ComputeNetlogonSignatureAES is replaced
// by the bytes-clean version impacket 0.13 ships (0.10's concatenates str and
// bytes and raises); everything else, including the AES sealing and sequence
// encryption, is impacket's own.
constexpr char kSealScript[] = R"PY(
import sys, hmac, hashlib
from impacket.dcerpc.v5 import nrpc
key = bytes.fromhex(sys.argv[1])
aes = sys.argv[2] == 'aes'
if aes:
    def fixed(authSignature, message, confounder, sessionKey):
        hm = hmac.new(key=sessionKey, digestmod=hashlib.sha256)
        hm.update(authSignature.getData()[:8])
        hm.update(confounder)
        hm.update(bytes(message))
        return hm.digest()[:8]
    nrpc.ComputeNetlogonSignatureAES = fixed
for seq in (0, 1, 2, 7, 0x12345678, 0x100000002, 0x7fffffffffffffff):
    for n in (0, 1, 8, 16, 37, 200):
        data = bytes((i * 7 + seq) & 0xff for i in range(n))
        conf = bytes((0xa0 + i + seq) & 0xff for i in range(8))
        enc, sig = nrpc.SEAL(data, conf, seq, key, aes)
        print(seq, data.hex() or '-', conf.hex(), enc.hex() or '-', sig.getData().hex())
)PY";

// impacket 0.10's UNSEAL of tokens given as "enc:token" arguments.
constexpr char kUnsealScript[] = R"PY(
import sys
from impacket.dcerpc.v5 import nrpc
key = bytes.fromhex(sys.argv[1])
aes = sys.argv[2] == 'aes'
for arg in sys.argv[3:]:
    enc, token = arg.split(':')
    enc = b'' if enc == '-' else bytes.fromhex(enc)
    plain, conf = nrpc.UNSEAL(enc, bytes.fromhex(token), key, aes)
    print(plain.hex() or '-', conf.hex())
)PY";

// impacket 0.10's rpcrt at PKT_INTEGRITY: SIGN(data, b'', ...).
constexpr char kSignScript[] = R"PY(
import sys
from impacket.dcerpc.v5 import nrpc
key = bytes.fromhex(sys.argv[1])
data = bytes.fromhex(sys.argv[2])
print(nrpc.SIGN(data, b'', 0, key, False).getData().hex())
)PY";

Bytes HexOrEmpty(const std::string& s) { return s == "-" ? Bytes{} : Hex(s); }

void CheckSealOracle(SchannelAlgorithm algorithm, const char* mode) {
  const std::string key_hex = "7c1f2a3b4d5e6f708192a3b4c5d6e7f8";
  const SessionKey key = ToArray<16>(Hex(key_hex));
  const std::vector<std::string> lines = RunPython(kSealScript, absl::StrCat(key_hex, " ", mode));
  ASSERT_EQ(lines.size(), 7u * 6u);
  for (const std::string& line : lines) {
    const std::vector<std::string> f = absl::StrSplit(line, ' ');
    ASSERT_EQ(f.size(), 5u) << line;
    SCOPED_TRACE(line);
    const uint64_t seq = std::stoull(f[0]);
    const Bytes data = HexOrEmpty(f[1]);
    const std::array<uint8_t, 8> confounder = ToArray<8>(Hex(f[2]));
    const Bytes impacket_token = Hex(f[4]);

    // Our client produces impacket's bytes (impacket's AES token is the first
    // 32 bytes of ours: it has no reserved tail).
    Bytes stub = data;
    const Bytes token = SchannelChannel::ProtectWith(algorithm, key, true, seq,
                                                     SchannelRole::kClient, confounder, stub);
    EXPECT_EQ(ToHex(stub), ToHex(HexOrEmpty(f[3])));
    EXPECT_EQ(ToHex(ByteView(token).first(32)), ToHex(impacket_token));
    EXPECT_EQ(token.size(), SchannelSignatureLength(algorithm));

    // Our server accepts impacket's request (padded to our length for AES,
    // as a Windows client sends 56 bytes).
    Bytes wire = HexOrEmpty(f[3]);
    Bytes padded = impacket_token;
    padded.resize(SchannelSignatureLength(algorithm), 0);
    ASSERT_TRUE(SchannelChannel::UnprotectWith(algorithm, key, true, seq, SchannelRole::kClient,
                                               wire, padded)
                    .ok());
    EXPECT_EQ(wire, data);
  }
}

TEST(SchannelImpacketOracleTest, Rc4SealMatchesImpacket) {
  CheckSealOracle(SchannelAlgorithm::kRc4HmacMd5, "rc4");
}

TEST(SchannelImpacketOracleTest, AesSealMatchesImpacketWithFixedChecksum) {
  CheckSealOracle(SchannelAlgorithm::kAesHmacSha256, "aes");
}

TEST(SchannelImpacketOracleTest, ImpacketUnsealsOurResponses) {
  for (const char* mode : {"rc4", "aes"}) {
    SCOPED_TRACE(mode);
    const bool aes = std::string(mode) == "aes";
    const SchannelAlgorithm algorithm =
        aes ? SchannelAlgorithm::kAesHmacSha256 : SchannelAlgorithm::kRc4HmacMd5;
    const std::string key_hex = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const SessionKey key = ToArray<16>(Hex(key_hex));
    std::vector<std::pair<Bytes, std::array<uint8_t, 8>>> expected;
    std::string args = absl::StrCat(key_hex, " ", mode);
    for (uint64_t seq : {1ull, 3ull, 0x100000001ull}) {
      Bytes plain(static_cast<size_t>(seq % 50 + 5));
      for (size_t i = 0; i < plain.size(); ++i) plain[i] = static_cast<uint8_t>(i * 13 + seq);
      const std::array<uint8_t, 8> confounder = ToArray<8>(Hex("5566778899aabbcc"));
      Bytes stub = plain;
      const Bytes token = SchannelChannel::ProtectWith(algorithm, key, true, seq,
                                                       SchannelRole::kServer, confounder, stub);
      // impacket 0.10 parses an 8-byte checksum then takes the rest as the
      // confounder: hand it the first 32 bytes.
      absl::StrAppend(&args, " ", ToHex(stub), ":", ToHex(ByteView(token).first(32)));
      expected.emplace_back(plain, confounder);
    }
    const std::vector<std::string> lines = RunPython(kUnsealScript, args);
    ASSERT_EQ(lines.size(), expected.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::vector<std::string> f = absl::StrSplit(lines[i], ' ');
      ASSERT_EQ(f.size(), 2u);
      EXPECT_EQ(f[0], ToHex(expected[i].first));
      EXPECT_EQ(f[1], ToHex(expected[i].second));
    }
  }
}

TEST(SchannelImpacketOracleTest, ImpacketIntegrityTokenIsRefusedAsWindowsWould) {
  // impacket 0.10 on Python 3 signs PKT_INTEGRITY requests with
  // SealAlgorithm 0x007A (its `confounder == ''` test never matches b''),
  // which MS-NRPC 3.3.4.2.2 answers with SEC_E_MESSAGE_ALTERED and Samba
  // with a checksum mismatch.
  const std::string key_hex = "00112233445566778899aabbccddeeff";
  const Bytes data = Str("integrity-level stub");
  const std::vector<std::string> lines =
      RunPython(kSignScript, absl::StrCat(key_hex, " ", ToHex(data)));
  ASSERT_EQ(lines.size(), 1u);
  const Bytes token = Hex(lines[0]);
  ASSERT_EQ(token.size(), 24u);
  EXPECT_EQ(ToHex(ByteView(token).first(8)), "77007a00ffff0000");
  Bytes stub = data;
  EXPECT_EQ(
      SchannelChannel::UnprotectWith(SchannelAlgorithm::kRc4HmacMd5, ToArray<16>(Hex(key_hex)),
                                     false, 0, SchannelRole::kClient, stub, token)
          .code(),
      absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace trustsim::netlogon
