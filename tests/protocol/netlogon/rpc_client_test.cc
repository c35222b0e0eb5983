// Copyright 2026 The trustsim Authors.
//
// The client stubs against the server handler: a member's handshake and
// password change as NDR bytes, and malformed replies.

#include "protocol/netlogon/rpc_client.h"

#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "base/random.h"
#include "gtest/gtest.h"
#include "protocol/netlogon/handshake.h"
#include "protocol/netlogon/rpc.h"

namespace trustsim::netlogon {
namespace {

crypto::NtHash Nt(absl::string_view password) { return crypto::NtHashOfPassword(password).value(); }

class OneAccount final : public TrustAccountStore {
 public:
  absl::StatusOr<TrustAccount> FindTrustAccount(absl::string_view name) override {
    if (absl::AsciiStrToUpper(name) != "WS01$") return absl::NotFoundError("no such account");
    return account;
  }
  absl::Status SetTrustAccountPassword(absl::string_view, ByteView utf16le) override {
    account.previous = account.current;
    account.current = crypto::NtHashOfUtf16Le(utf16le);
    return absl::OkStatus();
  }
  TrustAccount account{1104, kUfWorkstationTrustAccount, Nt("Passw0rd!"), std::nullopt};
};

class RpcClientTest : public ::testing::Test {
 protected:
  Bytes Call(uint16_t opnum, const Bytes& stub) {
    dcerpc::CallContext call;
    call.opnum = opnum;
    call.stub = stub;
    dcerpc::CallReply reply = handler_.Call(call);
    EXPECT_EQ(reply.fault, 0u);
    return reply.stub;
  }

  SeededRandom rng_{5};
  OneAccount store_;
  NetlogonServer server_{store_, rng_};
  NetlogonRpcHandler handler_{server_, SchannelPolicy::kAllowPlain};
};

TEST_F(RpcClientTest, HandshakeAndPasswordChangeAsStubs) {
  const NetlogonChallenge client_challenge = {1, 2, 3, 4, 5, 6, 7, 8};
  auto challenge = DecodeReqChallengeResponse(
      Call(kOpNetrServerReqChallenge,
           EncodeReqChallengeRequest("\\\\DC01", "WS01", client_challenge).value()));
  ASSERT_TRUE(challenge.ok()) << challenge.status();
  EXPECT_EQ(challenge->status, 0u);

  ClientHandshake hs(kWindowsClientFlags, Nt("Passw0rd!"), client_challenge,
                     challenge->server_challenge);
  auto auth = DecodeAuthenticate3Response(
      Call(kOpNetrServerAuthenticate3,
           EncodeAuthenticate3Request(std::nullopt, "WS01$", SecureChannelType::kWorkstation,
                                      "WS01", hs.client_credential(), kWindowsClientFlags)
               .value()));
  ASSERT_TRUE(auth.ok()) << auth.status();
  ASSERT_EQ(auth->status, 0u);
  EXPECT_EQ(auth->account_rid, 1104u);
  auto chain = hs.Finish(auth->server_credential);
  ASSERT_TRUE(chain.ok()) << chain.status();

  const Bytes utf16 = {'N', 0, 'e', 0, 'w', 0};
  NlTrustPassword plain = BuildTrustPassword(utf16, rng_).value();
  NlTrustPassword encrypted = EncryptTrustPassword(auth->negotiate_flags, hs.session_key(), plain);
  auto set = DecodePasswordSet2Response(
      Call(kOpNetrServerPasswordSet2,
           EncodePasswordSet2Request(std::nullopt, "WS01$", SecureChannelType::kWorkstation, "WS01",
                                     chain->Next(1767600000), encrypted)
               .value()));
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->status, 0u);
  EXPECT_TRUE(chain->Accept(set->return_authenticator).ok());
  EXPECT_EQ(store_.account.current, crypto::NtHashOfUtf16Le(utf16));
  EXPECT_EQ(store_.account.previous, Nt("Passw0rd!"));
}

TEST_F(RpcClientTest, WrongPasswordComesBackAsAccessDenied) {
  const NetlogonChallenge client_challenge = {9, 2, 3, 4, 5, 6, 7, 8};
  auto challenge = DecodeReqChallengeResponse(
      Call(kOpNetrServerReqChallenge,
           EncodeReqChallengeRequest(std::nullopt, "WS01", client_challenge).value()));
  ASSERT_TRUE(challenge.ok());
  ClientHandshake hs(kWindowsClientFlags, Nt("wrong"), client_challenge,
                     challenge->server_challenge);
  auto auth = DecodeAuthenticate3Response(
      Call(kOpNetrServerAuthenticate3,
           EncodeAuthenticate3Request(std::nullopt, "WS01$", SecureChannelType::kWorkstation,
                                      "WS01", hs.client_credential(), kWindowsClientFlags)
               .value()));
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->status, 0xC0000022u);
}

TEST(RpcClientDecodeTest, TruncatedOrPaddedRepliesAreErrors) {
  const Bytes good(8 + 4 + 4 + 4, 0);
  ASSERT_TRUE(DecodeAuthenticate3Response(good).ok());
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(DecodeAuthenticate3Response(ByteView(good.data(), n)).ok()) << n;
  }
  Bytes longer = good;
  longer.push_back(0);
  EXPECT_FALSE(DecodeAuthenticate3Response(longer).ok());
  EXPECT_FALSE(DecodeReqChallengeResponse(Bytes(11, 0)).ok());
  EXPECT_FALSE(DecodePasswordSet2Response(Bytes(15, 0)).ok());
  EXPECT_TRUE(DecodePasswordSet2Response(Bytes(16, 0)).ok());
}

}  // namespace
}  // namespace trustsim::netlogon
