// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/rpc.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "base/unicode.h"
#include "gtest/gtest.h"
#include "protocol/dcerpc/ndr.h"
#include "protocol/ntstatus.h"
#include "tests/protocol/crypto/test_util.h"
#include "tests/protocol/netlogon/vectors.h"

namespace trustsim::netlogon {
namespace {

using ::trustsim::dcerpc::CallContext;
using ::trustsim::dcerpc::CallReply;
using ::trustsim::dcerpc::NdrReader;
using ::trustsim::dcerpc::NdrWriter;
using ::trustsim::dcerpc::SecurityInfo;
using ::trustsim::testing::Hex;
using ::trustsim::testing::NormHex;
using namespace ::trustsim::netlogon::testing;  // NOLINT(google-build-using-namespace)

// Request stubs encoded by impacket 0.10.0 (Debian python3-impacket 0.10.0-4,
// `nrpc.<Call>().getData()`), pad bytes 0xAB/0xBF and random referent ids as
// impacket writes them. They follow the §8 AES example: PrimaryName "\\DC1",
// AccountName "WS01$", Workstation channel, ComputerName "WS01", CC
// 0102030405060708, the ClientCredential of "Passw0rd!" with SC
// 1112131415161718, flags 0x612fffff; then authenticators for timestamps
// 1700000000 (PasswordSet2 of "NewPass1!", 0xAA filler, AES-CFB8),
// 1700000010 (GetCapabilities level 1), 1700000020 (TrustPasswordsGet) and
// 1700000030 (GetTrustInfo).
constexpr char kImpacketReqChallenge[] =
    "aacd00000600000000000000060000005c005c004400430031000000050000000000000005000000570053003000"
    "310000000102030405060708";
constexpr char kImpacketAuthenticate3[] =
    "2fa800000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab0500000000000000050000005700530030003100000067f84c8521df708dbfbfffff"
    "2f61";
constexpr char kImpacketAuthenticate2[] =
    "ea1700000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab0500000000000000050000005700530030003100000067f84c8521df708dbfbfffff"
    "2f61";
constexpr char kImpacketPasswordSet2[] =
    "def100000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab05000000000000000500000057005300300031000000abab016678b6d69425160"
    "0f15365ccbb00e5bdc10fcf5c4865b1e0880ee77d23c4aabb01664af292f65ac8018e06f0bd38f81da9f3731af5"
    "7d07237b65611d266277bb82b83c1963d8b9aa44010e5954d8982adb1a8b6ff0fb5011b21aee24199af935ddc93"
    "ad62b7b437de23bcaf1cc1f24f9c40904fab8c33a2f8defbeaabaa53f4b4ad897b0b0e31c8968887ce0acc5546"
    "0febd5f7ad9c32940555631a858c4384f4c6df2831a1d73f0ebf5f02360986a778a5a3acf341a157d30c75afd5"
    "80455baa8e0f6863947ee411cc789f9ee7835064ae19eee30f2935eb9ba611b244f3ca92514d85115d469d6702"
    "b36e6bbd9f8c38aa337878ed95b1ede22f9e813d7ed492d04a178c8105525b4fd350b2584b58a2fdfc813cf95d"
    "2beaf070aa472ae4c815ea66a7553665b4d1cf3e55aa1ebfcedd663db79daf1846735698b78db5886d16373fcf"
    "f20f139055c2739844235b923a19018075bb61270b9a44bc38ea5ac59ec341f35fb61793654dec667eddd12671"
    "ccfcd37ccd11a1ed6e23db80da7f453286a726a77d1d7b10e1c738764693bbc3d37d78a5d3615ec51cd071d63b"
    "c4633c7fdf0eb96319edbd141b7b60c194527f27a8385355e9987a3e9209f1524bed92fcb8db347da0aa0290a3"
    "e03ef136ff7a67d93a2a02b4c0b4e5577f5ccb874f6aa5eb1838a749b978d6ae6cd88277287603ce7059ef12c1"
    "f35b86575971712e9148fe2d89075e7ca22e0a9fbe9716a";
constexpr char kImpacketGetCapabilities[] =
    "0600000000000000060000005c005c004400430031000000c88f00000500000000000000050000005700530030"
    "0031000000abab1438cbc6bd230b2b0af1536500000000000000000000000001000000";
constexpr char kImpacketTrustPasswordsGet[] =
    "8d0800000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab05000000000000000500000057005300300031000000ababe11df9aafd5b2cc014f1"
    "5365";
constexpr char kImpacketGetTrustInfo[] =
    "0c6c00000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab05000000000000000500000057005300300031000000ababc0fa387f6ef1c4ca1ef1"
    "5365";
// NetrLogonControl2Ex(ServerName "\\DC1", TC_QUERY, level 2, Data = {6, "CORP"}).
constexpr char kImpacketLogonControl2Ex[] =
    "edc900000600000000000000060000005c005c00440043003100000006000000020000000600000008da00000500"
    "0000000000000500000043004f00520050000000";

constexpr uint32_t kRid = 1105;

crypto::NtHash Nt(absl::string_view password) { return crypto::NtHashOfPassword(password).value(); }

// An account database in memory.
class MemoryStore final : public TrustAccountStore {
 public:
  void Add(absl::string_view name, TrustAccount account) {
    accounts_[absl::AsciiStrToUpper(name)] = account;
  }
  const TrustAccount& Get(absl::string_view name) { return accounts_[absl::AsciiStrToUpper(name)]; }

  absl::StatusOr<TrustAccount> FindTrustAccount(absl::string_view name) override {
    auto it = accounts_.find(absl::AsciiStrToUpper(name));
    if (it == accounts_.end()) return absl::NotFoundError("no such account");
    return it->second;
  }
  absl::Status SetTrustAccountPassword(absl::string_view name, ByteView utf16le) override {
    auto it = accounts_.find(absl::AsciiStrToUpper(name));
    if (it == accounts_.end()) return absl::NotFoundError("no such account");
    it->second.previous = it->second.current;
    it->second.current = crypto::NtHashOfUtf16Le(utf16le);
    ++sets_;
    return absl::OkStatus();
  }
  int sets() const { return sets_; }

 private:
  std::map<std::string, TrustAccount> accounts_;
  int sets_ = 0;
};

// Hands out the §8 server challenge, 1112131415161718, for every Fill(8).
class VectorRandom final : public RandomSource {
 public:
  void Fill(absl::Span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(0x11 + i % 8);
  }
};

// What the test client keeps: the challenges and its credential chain.
struct ClientState {
  NetlogonChallenge client_challenge{};
  NetlogonChallenge server_challenge{};
  std::optional<ClientCredentialChain> chain;
};

class NetlogonRpcTest : public ::testing::Test {
 protected:
  NetlogonRpcTest() {
    store_.Add("WS01$", {kRid, kUfWorkstationTrustAccount, Nt(kPassword), std::nullopt});
    store_.Add("OFF$",
               {1106, kUfWorkstationTrustAccount | kUfAccountDisable, Nt(kPassword), std::nullopt});
  }

  static SecurityInfo Schannel(absl::string_view computer = "WS01") {
    return SecurityInfo{dcerpc::kAuthTypeNetlogon, dcerpc::kAuthLevelPrivacy,
                        std::string(computer)};
  }

  CallReply Call(uint16_t opnum, ByteView stub,
                 std::optional<SecurityInfo> security = std::nullopt) {
    CallContext call;
    call.opnum = opnum;
    call.stub = stub;
    call.security = std::move(security);
    return handler_.Call(call);
  }

  // Request stubs built with NdrWriter.
  static Bytes ReqChallengeStub(absl::string_view computer, const NetlogonChallenge& challenge) {
    NdrWriter w;
    EXPECT_TRUE(w.WriteUniqueString("\\\\DC1").ok());
    EXPECT_TRUE(w.WriteRefString(computer).ok());
    w.WriteFixedArray(challenge);
    return std::move(w).Take();
  }
  static void WriteAccountParams(NdrWriter& w, absl::string_view account, SecureChannelType type,
                                 absl::string_view computer) {
    EXPECT_TRUE(w.WriteUniqueString("\\\\DC1").ok());
    EXPECT_TRUE(w.WriteRefString(account).ok());
    w.WriteEnum16(static_cast<uint16_t>(type));
    EXPECT_TRUE(w.WriteRefString(computer).ok());
  }
  static void WriteAuthenticator(NdrWriter& w, const NetlogonAuthenticator& a) {
    w.WriteFixedArray(a.credential, 4);
    w.WriteU32(a.timestamp);
  }
  static Bytes AuthenticateStub(absl::string_view account, SecureChannelType type,
                                absl::string_view computer, const NetlogonCredential& credential,
                                uint32_t flags) {
    NdrWriter w;
    WriteAccountParams(w, account, type, computer);
    w.WriteFixedArray(credential);
    w.WriteU32(flags);
    return std::move(w).Take();
  }
  static Bytes PasswordSet2Stub(absl::string_view computer, const NetlogonAuthenticator& a,
                                const NlTrustPassword& password) {
    NdrWriter w;
    WriteAccountParams(w, "WS01$", SecureChannelType::kWorkstation, computer);
    WriteAuthenticator(w, a);
    w.WriteFixedArray(password, 4);
    return std::move(w).Take();
  }
  static Bytes CapabilitiesStub(std::optional<std::string> computer, const NetlogonAuthenticator& a,
                                uint32_t level) {
    NdrWriter w;
    EXPECT_TRUE(w.WriteRefString("\\\\DC1").ok());
    EXPECT_TRUE(w.WriteUniqueString(computer).ok());
    WriteAuthenticator(w, a);
    WriteAuthenticator(w, {});
    w.WriteU32(level);
    return std::move(w).Take();
  }
  static Bytes TrustGetStub(absl::string_view account, const NetlogonAuthenticator& a) {
    NdrWriter w;
    WriteAccountParams(w, account, SecureChannelType::kWorkstation, "WS01");
    WriteAuthenticator(w, a);
    return std::move(w).Take();
  }
  static Bytes ControlStub(uint32_t function, uint32_t level, uint32_t discriminant,
                           std::optional<std::string> domain) {
    NdrWriter w;
    EXPECT_TRUE(w.WriteUniqueString(std::nullopt).ok());
    w.WriteU32(function);
    w.WriteU32(level);
    w.WriteUnionDiscriminant(discriminant);
    EXPECT_TRUE(w.WriteUniqueString(domain).ok());
    return std::move(w).Take();
  }

  // The last four bytes of a response: the status.
  static uint32_t StatusOf(const CallReply& reply) {
    EXPECT_EQ(reply.fault, 0u);
    EXPECT_GE(reply.stub.size(), 4u);
    if (reply.stub.size() < 4) return 0xFFFFFFFF;
    NdrReader r(ByteView(reply.stub).last(4));
    return r.ReadU32().value();
  }
  static NetlogonAuthenticator ReturnAuthenticatorOf(const CallReply& reply) {
    NdrReader r(reply.stub);
    NetlogonAuthenticator a;
    a.credential = r.ReadFixed<8>().value();
    a.timestamp = r.ReadU32().value();
    return a;
  }

  // ReqChallenge + Authenticate3 through the handler with `password`;
  // returns the response of Authenticate3 and fills `client`.
  CallReply Handshake(ClientState& client, absl::string_view password,
                      uint32_t flags = kWindowsClientFlags, absl::string_view account = "WS01$",
                      absl::string_view computer = "WS01") {
    client.client_challenge = ToArray<8>(Hex(kClientChallenge));
    const CallReply challenge_reply =
        Call(kOpNetrServerReqChallenge, ReqChallengeStub(computer, client.client_challenge));
    EXPECT_EQ(StatusOf(challenge_reply), 0u);
    client.server_challenge = ToArray<8>(ByteView(challenge_reply.stub).first(8));
    ClientHandshake hs(flags & kSambaAdServerFlags, Nt(password), client.client_challenge,
                       client.server_challenge);
    const CallReply reply =
        Call(kOpNetrServerAuthenticate3, AuthenticateStub(account, SecureChannelType::kWorkstation,
                                                          computer, hs.client_credential(), flags));
    if (StatusOf(reply) == 0) {
      auto chain = hs.Finish(ToArray<8>(ByteView(reply.stub).first(8)));
      EXPECT_TRUE(chain.ok()) << chain.status();
      if (chain.ok()) client.chain = *chain;
    }
    return reply;
  }

  MemoryStore store_;
  VectorRandom rng_;
  NetlogonServer server_{store_, rng_};
  NetlogonRpcHandler handler_{server_};
};

TEST_F(NetlogonRpcTest, ServesTheNetlogonInterface) {
  const dcerpc::SyntaxId syntax = handler_.syntax();
  EXPECT_EQ(ToHex(syntax.uuid), "785634123412cdabef0001234567cffb");
  EXPECT_EQ(syntax.version_major, 1);
  EXPECT_EQ(syntax.version_minor, 0);
}

// The whole §8 AES example, driven by impacket's own request bytes, over a
// schannel context for WS01.
TEST_F(NetlogonRpcTest, ImpacketRequestsEndToEnd) {
  CallReply reply = Call(kOpNetrServerReqChallenge, Hex(kImpacketReqChallenge));
  ASSERT_EQ(reply.fault, 0u);
  EXPECT_EQ(ToHex(reply.stub), NormHex("1112131415161718 00000000"));

  reply = Call(kOpNetrServerAuthenticate3, Hex(kImpacketAuthenticate3));
  ASSERT_EQ(reply.fault, 0u);
  // ServerCredential (§8 AES), flags 0x612fffff & 0x613fffff, RID 1105, OK.
  EXPECT_EQ(ToHex(reply.stub), NormHex("77b024596f032b3a ffff2f61 51040000 00000000"));

  const std::optional<SessionInfo> session = server_.SessionOf("ws01");
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(ToHex(session->session_key), kCryptoVectors[0].session_key);
  EXPECT_EQ(session->negotiated_flags, 0x612fffffu);
  EXPECT_EQ(session->requested_flags, 0x612fffffu);
  EXPECT_EQ(session->account_name, "WS01$");
  EXPECT_EQ(session->channel_type, SecureChannelType::kWorkstation);

  // Our client chain must produce the authenticators impacket's stubs carry.
  ClientHandshake hs(kWindowsClientFlags, Nt(kPassword), ToArray<8>(Hex(kClientChallenge)),
                     ToArray<8>(Hex(kServerChallenge)));
  ClientCredentialChain chain = hs.Finish(ToArray<8>(Hex("77b024596f032b3a"))).value();

  EXPECT_EQ(ToHex(chain.Next(1700000000).credential), "016678b6d6942516");
  reply = Call(kOpNetrServerPasswordSet2, Hex(kImpacketPasswordSet2), Schannel());
  ASSERT_EQ(reply.fault, 0u);
  EXPECT_EQ(ToHex(reply.stub), NormHex("0e99db0621d20705 00000000 00000000"));
  EXPECT_TRUE(chain.Accept(ReturnAuthenticatorOf(reply)).ok());
  EXPECT_EQ(store_.Get("WS01$").current, Nt("NewPass1!"));
  EXPECT_EQ(store_.Get("WS01$").previous, Nt(kPassword));

  chain.Next(1700000010);
  reply = Call(kOpNetrLogonGetCapabilities, Hex(kImpacketGetCapabilities), Schannel());
  ASSERT_EQ(reply.fault, 0u);
  ASSERT_EQ(reply.stub.size(), 24u);
  EXPECT_TRUE(chain.Accept(ReturnAuthenticatorOf(reply)).ok());
  EXPECT_EQ(ToHex(ByteView(reply.stub).subspan(12)), NormHex("01000000 ffff2f61 00000000"));

  for (const char* stub : {kImpacketTrustPasswordsGet, kImpacketGetTrustInfo}) {
    const bool trust_info = stub == kImpacketGetTrustInfo;
    chain.Next(trust_info ? 1700000030 : 1700000020);
    reply = Call(trust_info ? kOpNetrServerGetTrustInfo : kOpNetrServerTrustPasswordsGet, Hex(stub),
                 Schannel());
    ASSERT_EQ(reply.fault, 0u);
    ASSERT_EQ(reply.stub.size(), trust_info ? 52u : 48u);
    EXPECT_TRUE(chain.Accept(ReturnAuthenticatorOf(reply)).ok());
    const SessionKey& sk = session->session_key;
    EXPECT_EQ(DecryptOwfPassword(sk, ToArray<16>(ByteView(reply.stub).subspan(12, 16))),
              Nt("NewPass1!"));
    EXPECT_EQ(DecryptOwfPassword(sk, ToArray<16>(ByteView(reply.stub).subspan(28, 16))),
              Nt(kPassword));
    if (trust_info) {
      EXPECT_EQ(ToHex(ByteView(reply.stub).subspan(44)), NormHex("00000000 00000000"));
    }
    EXPECT_EQ(StatusOf(reply), 0u);
  }
}

TEST_F(NetlogonRpcTest, ImpacketAuthenticate2HasNoRid) {
  Call(kOpNetrServerReqChallenge, Hex(kImpacketReqChallenge));
  const CallReply reply = Call(kOpNetrServerAuthenticate2, Hex(kImpacketAuthenticate2));
  ASSERT_EQ(reply.fault, 0u);
  EXPECT_EQ(ToHex(reply.stub), NormHex("77b024596f032b3a ffff2f61 00000000"));
}

TEST_F(NetlogonRpcTest, HandshakeWithTheRightPasswordVerifiesOnTheClient) {
  ClientState client;
  const CallReply reply = Handshake(client, kPassword);
  EXPECT_EQ(StatusOf(reply), 0u);
  EXPECT_TRUE(client.chain.has_value());
  EXPECT_TRUE(server_.HasSession("WS01"));
}

TEST_F(NetlogonRpcTest, WrongPasswordIsAccessDeniedWithAndedFlags) {
  ClientState client;
  const CallReply reply = Handshake(client, "stale", /*flags=*/0xFFFFFFFF);
  ASSERT_EQ(reply.stub.size(), 20u);
  EXPECT_EQ(StatusOf(reply), 0xC0000022u);
  EXPECT_EQ(ToHex(ByteView(reply.stub).first(16)),
            NormHex("0000000000000000 ffff3f61 00000000"));  // 0xffffffff & 0x613fffff
  EXPECT_FALSE(server_.SessionOf("WS01").has_value());
}

TEST_F(NetlogonRpcTest, UnknownOrDisabledAccountIsNoTrustSamAccount) {
  for (const char* account : {"NOBODY$", "OFF$"}) {
    ClientState client;
    const CallReply reply = Handshake(client, kPassword, kWindowsClientFlags, account);
    EXPECT_EQ(StatusOf(reply), 0xC000018Bu) << account;
    NdrReader r(ByteView(reply.stub).subspan(8));
    EXPECT_EQ(r.ReadU32().value(), kWindowsClientFlags & kSambaAdServerFlags) << account;
  }
}

TEST_F(NetlogonRpcTest, ChallengeIsSingleUse) {
  ClientState client;
  ASSERT_EQ(StatusOf(Handshake(client, kPassword)), 0u);
  // Replaying the same Authenticate3 without a new ReqChallenge fails.
  const CallReply replay = Call(kOpNetrServerAuthenticate3, Hex(kImpacketAuthenticate3));
  EXPECT_EQ(StatusOf(replay), 0xC0000022u);
}

TEST_F(NetlogonRpcTest, NonRandomClientChallengeIsRefusedAtAuthenticate) {
  // ReqChallenge itself succeeds (as on a patched Windows DC or Samba); the
  // Zerologon hardening refuses the ServerAuthenticate that follows, even
  // with a credential computed from the right password.
  const NetlogonChallenge zero{};
  const CallReply challenge_reply = Call(kOpNetrServerReqChallenge, ReqChallengeStub("WS01", zero));
  EXPECT_EQ(StatusOf(challenge_reply), 0u);
  ClientHandshake hs(kWindowsClientFlags, Nt(kPassword), zero,
                     ToArray<8>(ByteView(challenge_reply.stub).first(8)));
  const CallReply reply = Call(kOpNetrServerAuthenticate3,
                               AuthenticateStub("WS01$", SecureChannelType::kWorkstation, "WS01",
                                                hs.client_credential(), kWindowsClientFlags));
  EXPECT_EQ(StatusOf(reply), 0xC0000022u);
}

TEST_F(NetlogonRpcTest, PasswordSet2ChangesTheStoreOverSchannel) {
  ClientState client;
  ASSERT_EQ(StatusOf(Handshake(client, kPassword)), 0u);
  SeededRandom filler(7);
  const Bytes new_password = Utf8ToUtf16Le("S3cond!pass").value();
  const NlTrustPassword encrypted =
      EncryptTrustPassword(kWindowsClientFlags, client.chain->session_key(),
                           BuildTrustPassword(new_password, filler).value());
  const Bytes stub = PasswordSet2Stub("WS01", client.chain->Next(42), encrypted);
  const CallReply reply = Call(kOpNetrServerPasswordSet2, stub, Schannel("ws01"));
  EXPECT_EQ(StatusOf(reply), 0u);
  EXPECT_TRUE(client.chain->Accept(ReturnAuthenticatorOf(reply)).ok());
  EXPECT_EQ(store_.Get("WS01$").current, crypto::NtHashOfUtf16Le(new_password));
  EXPECT_EQ(store_.Get("WS01$").previous, Nt(kPassword));

  // The same call again is a replay: its authenticator no longer verifies.
  const CallReply replay = Call(kOpNetrServerPasswordSet2, stub, Schannel());
  EXPECT_EQ(ToHex(replay.stub), NormHex("0000000000000000 00000000 220000c0"));
  EXPECT_EQ(store_.sets(), 1);
}

TEST_F(NetlogonRpcTest, PasswordSet2ActsOnTheSessionsAccount) {
  ClientState client;
  ASSERT_EQ(StatusOf(Handshake(client, kPassword)), 0u);
  SeededRandom filler(7);
  const Bytes new_password = Utf8ToUtf16Le("S3cond!pass").value();
  const NlTrustPassword encrypted =
      EncryptTrustPassword(kWindowsClientFlags, client.chain->session_key(),
                           BuildTrustPassword(new_password, filler).value());
  // The call names OFF$; like Samba, the server changes WS01$, whose session
  // it is.
  NdrWriter w;
  WriteAccountParams(w, "OFF$", SecureChannelType::kServer, "WS01");
  WriteAuthenticator(w, client.chain->Next(77));
  w.WriteFixedArray(encrypted, 4);
  const CallReply reply = Call(kOpNetrServerPasswordSet2, w.view(), Schannel());
  EXPECT_EQ(StatusOf(reply), 0u);
  EXPECT_EQ(store_.Get("WS01$").current, crypto::NtHashOfUtf16Le(new_password));
  EXPECT_EQ(store_.Get("OFF$").current, Nt(kPassword));
}

TEST_F(NetlogonRpcTest, RequireSchannelRefusesPlainPasswordSet2) {
  ClientState client;
  ASSERT_EQ(StatusOf(Handshake(client, kPassword)), 0u);
  SeededRandom filler(7);
  const NlTrustPassword encrypted = EncryptTrustPassword(
      kWindowsClientFlags, client.chain->session_key(),
      BuildTrustPassword(Utf8ToUtf16Le("S3cond!pass").value(), filler).value());
  const Bytes stub = PasswordSet2Stub("WS01", client.chain->Next(100), encrypted);

  CallReply reply = Call(kOpNetrServerPasswordSet2, stub);
  EXPECT_EQ(ToHex(reply.stub), NormHex("0000000000000000 00000000 220000c0"));
  // Signed but not schannel, or schannel below integrity: still refused.
  reply =
      Call(kOpNetrServerPasswordSet2, stub, SecurityInfo{10, dcerpc::kAuthLevelPrivacy, "WS01"});
  EXPECT_EQ(StatusOf(reply), 0xC0000022u);
  reply = Call(kOpNetrServerPasswordSet2, stub,
               SecurityInfo{dcerpc::kAuthTypeNetlogon, dcerpc::kAuthLevelConnect, "WS01"});
  EXPECT_EQ(StatusOf(reply), 0xC0000022u);
  // A schannel context of another computer.
  reply = Call(kOpNetrServerPasswordSet2, stub, Schannel("WS02"));
  EXPECT_EQ(StatusOf(reply), 0xC0000022u);
  EXPECT_EQ(store_.sets(), 0);

  // None of that stepped the chain: the same authenticator works at
  // integrity level over WS01's schannel.
  reply = Call(kOpNetrServerPasswordSet2, stub,
               SecurityInfo{dcerpc::kAuthTypeNetlogon, dcerpc::kAuthLevelIntegrity, "WS01"});
  EXPECT_EQ(StatusOf(reply), 0u);
  EXPECT_EQ(store_.sets(), 1);
}

TEST_F(NetlogonRpcTest, AllowPlainAcceptsPlainPasswordSet2) {
  handler_.set_schannel_policy(SchannelPolicy::kAllowPlain);
  ClientState client;
  ASSERT_EQ(StatusOf(Handshake(client, kPassword)), 0u);
  SeededRandom filler(7);
  const NlTrustPassword encrypted = EncryptTrustPassword(
      kWindowsClientFlags, client.chain->session_key(),
      BuildTrustPassword(Utf8ToUtf16Le("S3cond!pass").value(), filler).value());
  const CallReply reply =
      Call(kOpNetrServerPasswordSet2, PasswordSet2Stub("WS01", client.chain->Next(5), encrypted));
  EXPECT_EQ(StatusOf(reply), 0u);
  EXPECT_TRUE(client.chain->Accept(ReturnAuthenticatorOf(reply)).ok());
  // Schannel for another computer is refused even when plain is allowed.
  const CallReply other =
      Call(kOpNetrServerPasswordSet2, PasswordSet2Stub("WS01", client.chain->Next(6), encrypted),
           Schannel("WS02"));
  EXPECT_EQ(StatusOf(other), 0xC0000022u);
}

TEST_F(NetlogonRpcTest, BadAuthenticatorIsAccessDeniedWithZeroReturnAuthenticator) {
  ClientState client;
  ASSERT_EQ(StatusOf(Handshake(client, kPassword)), 0u);
  NetlogonAuthenticator bad = client.chain->Next(9);
  bad.credential[0] ^= 1;
  const CallReply reply =
      Call(kOpNetrLogonGetCapabilities, CapabilitiesStub("WS01", bad, 1), Schannel());
  EXPECT_EQ(ToHex(reply.stub), NormHex("0000000000000000 00000000 01000000 00000000 220000c0"));
}

TEST_F(NetlogonRpcTest, GetCapabilitiesLevels) {
  ClientState client;
  ASSERT_EQ(StatusOf(Handshake(client, kPassword, /*flags=*/0xFFFFFFFF)), 0u);
  CallReply reply = Call(kOpNetrLogonGetCapabilities,
                         CapabilitiesStub("WS01", client.chain->Next(10), 1), Schannel());
  EXPECT_TRUE(client.chain->Accept(ReturnAuthenticatorOf(reply)).ok());
  EXPECT_EQ(ToHex(ByteView(reply.stub).subspan(12)), NormHex("01000000 ffff3f61 00000000"));
  reply = Call(kOpNetrLogonGetCapabilities, CapabilitiesStub("WS01", client.chain->Next(11), 2),
               Schannel());
  EXPECT_TRUE(client.chain->Accept(ReturnAuthenticatorOf(reply)).ok());
  EXPECT_EQ(ToHex(ByteView(reply.stub).subspan(12)), NormHex("02000000 ffffffff 00000000"));
  // Level 3 is a fault, before anything else.
  reply = Call(kOpNetrLogonGetCapabilities, CapabilitiesStub("WS01", client.chain->Next(12), 3),
               Schannel());
  EXPECT_EQ(reply.fault, kFaultInvalidTag);
  // A NULL ComputerName cannot match any session.
  reply = Call(kOpNetrLogonGetCapabilities,
               CapabilitiesStub(std::nullopt, client.chain->Next(12), 1), Schannel());
  EXPECT_EQ(StatusOf(reply), 0xC0000022u);
  // Plain under kRequire.
  reply = Call(kOpNetrLogonGetCapabilities, CapabilitiesStub("WS01", client.chain->Next(12), 1));
  EXPECT_EQ(StatusOf(reply), 0xC0000022u);
  // Plain RPC allowed: a NULL ComputerName still names no session, and the
  // chain does not move (found by fuzz/stateful/netlogon_session_fuzzer: the
  // handler used to dereference the empty name).
  handler_.set_schannel_policy(SchannelPolicy::kAllowPlain);
  reply =
      Call(kOpNetrLogonGetCapabilities, CapabilitiesStub(std::nullopt, client.chain->Next(12), 1));
  EXPECT_EQ(ToHex(reply.stub), NormHex("0000000000000000 00000000 01000000 00000000 220000c0"));
  reply = Call(kOpNetrLogonGetCapabilities, CapabilitiesStub("WS01", client.chain->Next(12), 1));
  EXPECT_EQ(StatusOf(reply), 0u);
}

TEST_F(NetlogonRpcTest, TrustPasswordsGetWithoutHistoryReturnsTheEmptyPasswordAsOld) {
  ClientState client;
  ASSERT_EQ(StatusOf(Handshake(client, kPassword)), 0u);
  const CallReply reply = Call(kOpNetrServerTrustPasswordsGet,
                               TrustGetStub("WS01$", client.chain->Next(3)), Schannel());
  ASSERT_EQ(StatusOf(reply), 0u);
  const SessionKey sk = client.chain->session_key();
  EXPECT_EQ(DecryptOwfPassword(sk, ToArray<16>(ByteView(reply.stub).subspan(12, 16))),
            Nt(kPassword));
  EXPECT_EQ(ToHex(DecryptOwfPassword(sk, ToArray<16>(ByteView(reply.stub).subspan(28, 16)))),
            "31d6cfe0d16ae931b73c59d7e0c089c0");
}

TEST_F(NetlogonRpcTest, TrustPasswordsGetForAnotherAccountIsInvalidParameter) {
  ClientState client;
  ASSERT_EQ(StatusOf(Handshake(client, kPassword)), 0u);
  const CallReply reply =
      Call(kOpNetrServerGetTrustInfo, TrustGetStub("OTHER$", client.chain->Next(3)), Schannel());
  EXPECT_EQ(StatusOf(reply), 0xC000000Du);
  // The authenticator was good, so the chain moved and the return
  // authenticator verifies; the hashes are zero.
  EXPECT_TRUE(client.chain->Accept(ReturnAuthenticatorOf(reply)).ok());
  EXPECT_EQ(ToHex(ByteView(reply.stub).subspan(12, 36)), std::string(72, '0'));
}

TEST_F(NetlogonRpcTest, LogonControl2ExDefaultsToNotSupported) {
  const CallReply reply = Call(kOpNetrLogonControl2Ex, Hex(kImpacketLogonControl2Ex));
  ASSERT_EQ(reply.fault, 0u);
  EXPECT_EQ(ToHex(reply.stub), NormHex("02000000 00000000 32000000"));
}

class FakeControl final : public NetlogonControlBackend {
 public:
  NetlogonControlReply Control(const NetlogonControlRequest& request) override {
    seen = request;
    NetlogonControlReply reply;
    reply.win32_status = 0;
    reply.info = NetlogonInfo2{0x30, 0, "\\\\DC1.corp.example.com", 0};
    return reply;
  }
  std::optional<NetlogonControlRequest> seen;
};

TEST_F(NetlogonRpcTest, LogonControl2ExAnswersFromTheBackend) {
  FakeControl control;
  handler_.set_control_backend(&control);
  CallReply reply = Call(kOpNetrLogonControl2Ex, Hex(kImpacketLogonControl2Ex));
  ASSERT_EQ(reply.fault, 0u);
  ASSERT_TRUE(control.seen.has_value());
  EXPECT_EQ(control.seen->server_name, std::optional<std::string>("\\\\DC1"));
  EXPECT_EQ(control.seen->function_code, kNetlogonControlTcQuery);
  EXPECT_EQ(control.seen->query_level, 2u);
  EXPECT_EQ(control.seen->domain_name, std::optional<std::string>("CORP"));

  NdrReader r(reply.stub);
  EXPECT_EQ(r.ReadUnionDiscriminant().value(), 2u);
  EXPECT_TRUE(r.ReadUniquePointer().value());
  EXPECT_EQ(r.ReadU32().value(), 0x30u);
  EXPECT_EQ(r.ReadU32().value(), 0u);
  EXPECT_TRUE(r.ReadUniquePointer().value());
  EXPECT_EQ(r.ReadU32().value(), 0u);
  EXPECT_EQ(r.ReadRefString(dcerpc::StringTerminator::kRequired).value(),
            "\\\\DC1.corp.example.com");
  EXPECT_EQ(r.ReadU32().value(), 0u);
  EXPECT_EQ(r.remaining(), 0u);
  // Byte for byte; impacket 0.10's NetrLogonControl2ExResponse parses these
  // bytes back to the same NETLOGON_INFO_2.
  EXPECT_EQ(ToHex(reply.stub),
            NormHex("02000000 00000200 30000000 00000000 04000200 00000000"
                    "17000000 00000000 17000000"
                    "5c005c004400430031002e0063006f00720070002e006500780061006d0070006c0065002e00"
                    "63006f006d000000 0000 00000000"));

  // Level 1 sends the first two fields of the same answer.
  reply = Call(kOpNetrLogonControl2Ex,
               ControlStub(kNetlogonControlTcVerify, 1, kNetlogonControlTcVerify, "CORP"));
  EXPECT_EQ(ToHex(reply.stub), NormHex("01000000 00000200 30000000 00000000 00000000"));
  // FIND_USER carries a user name, QUERY nothing.
  reply = Call(kOpNetrLogonControl2Ex,
               ControlStub(kNetlogonControlFindUser, 2, kNetlogonControlFindUser, "alice"));
  EXPECT_EQ(control.seen->user_name, std::optional<std::string>("alice"));
  NdrWriter w;
  w.WriteUniquePointer(false);
  w.WriteU32(kNetlogonControlQuery);
  w.WriteU32(1);
  w.WriteUnionDiscriminant(kNetlogonControlQuery);
  reply = Call(kOpNetrLogonControl2Ex, w.view());
  EXPECT_EQ(reply.fault, 0u);
  EXPECT_EQ(control.seen->function_code, kNetlogonControlQuery);
  EXPECT_FALSE(control.seen->domain_name.has_value());
}

TEST_F(NetlogonRpcTest, LogonControl2ExWithAMismatchedUnionIsBadStubData) {
  const CallReply reply =
      Call(kOpNetrLogonControl2Ex, ControlStub(kNetlogonControlTcQuery, 2, 5, "CORP"));
  EXPECT_EQ(reply.fault, dcerpc::kFaultBadStubData);
}

TEST_F(NetlogonRpcTest, UnknownOpnumsAreOpRangeFaults) {
  for (uint16_t opnum : {0, 2, 5, 29, 39, 47, 59, 0xFFFF}) {
    EXPECT_EQ(Call(opnum, Hex(kImpacketReqChallenge)).fault, dcerpc::kFaultOpRangeError) << opnum;
  }
}

TEST_F(NetlogonRpcTest, MalformedStringIsBadStubData) {
  Bytes stub = Hex(kImpacketReqChallenge);
  stub[8] = 1;  // PrimaryName's offset
  EXPECT_EQ(Call(kOpNetrServerReqChallenge, stub).fault, dcerpc::kFaultBadStubData);
}

TEST_F(NetlogonRpcTest, EveryTruncationOfEveryRequestIsBadStubData) {
  const std::vector<std::pair<uint16_t, Bytes>> requests = {
      {kOpNetrServerReqChallenge, Hex(kImpacketReqChallenge)},
      {kOpNetrServerAuthenticate3, Hex(kImpacketAuthenticate3)},
      {kOpNetrServerAuthenticate2, Hex(kImpacketAuthenticate2)},
      {kOpNetrServerPasswordSet2, Hex(kImpacketPasswordSet2)},
      {kOpNetrLogonGetCapabilities, Hex(kImpacketGetCapabilities)},
      {kOpNetrServerTrustPasswordsGet, Hex(kImpacketTrustPasswordsGet)},
      {kOpNetrServerGetTrustInfo, Hex(kImpacketGetTrustInfo)},
      {kOpNetrLogonControl2Ex, Hex(kImpacketLogonControl2Ex)},
      {kOpNetrLogonControl2Ex,
       ControlStub(kNetlogonControlSetDbflag, 1, kNetlogonControlSetDbflag, std::nullopt)},
  };
  for (const auto& [opnum, stub] : requests) {
    for (size_t n = 0; n < stub.size(); ++n) {
      const CallReply reply = Call(opnum, ByteView(stub).first(n), Schannel());
      EXPECT_EQ(reply.fault, dcerpc::kFaultBadStubData) << "opnum " << opnum << " length " << n;
    }
  }
  // Nothing reached the server.
  EXPECT_FALSE(server_.HasSession("WS01"));
  EXPECT_EQ(store_.sets(), 0);
  // The whole stubs decode.
  for (const auto& [opnum, stub] : requests) {
    EXPECT_EQ(Call(opnum, stub, Schannel()).fault, 0u) << opnum;
  }
}

TEST_F(NetlogonRpcTest, RandomStubsNeverCrash) {
  SeededRandom random(1);
  const uint16_t opnums[] = {4, 15, 18, 21, 26, 30, 42, 46};
  for (int i = 0; i < 4000; ++i) {
    Bytes stub(random.Uniform(700));
    random.Fill(absl::MakeSpan(stub));
    // Keep string headers plausible now and then, to get past them.
    if (!stub.empty() && random.Uniform(2) == 0) {
      for (size_t j = 0; j + 12 <= stub.size() && j < 64; j += 4) {
        if (random.Uniform(3) == 0) stub[j + 1] = stub[j + 2] = stub[j + 3] = 0;
      }
    }
    const CallReply reply = Call(opnums[i % 8], stub, Schannel());
    if (reply.fault == 0) {
      EXPECT_GE(reply.stub.size(), 4u);
    }
  }
}

}  // namespace
}  // namespace trustsim::netlogon
