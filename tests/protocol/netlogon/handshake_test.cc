// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/handshake.h"

#include <vector>

#include "gtest/gtest.h"
#include "protocol/ntstatus.h"
#include "tests/protocol/crypto/test_util.h"
#include "tests/protocol/netlogon/vectors.h"

namespace trustsim::netlogon {
namespace {

using ::trustsim::testing::Hex;
using namespace ::trustsim::netlogon::testing;  // NOLINT(google-build-using-namespace)

class HandshakeTest : public ::testing::Test {
 protected:
  crypto::NtHash Nt(absl::string_view password) {
    return crypto::NtHashOfPassword(password).value();
  }
  void Challenge(absl::string_view client_hex = kClientChallenge) {
    cc_ = ToArray<8>(Hex(client_hex));
    sc_ = ToArray<8>(Hex(kServerChallenge));
    store_.Put("WS01", {cc_, sc_});
  }

  ChallengeStore store_;
  NetlogonChallenge cc_{}, sc_{};
};

TEST_F(HandshakeTest, CurrentPasswordEstablishesAndChains) {
  Challenge();
  ClientHandshake client(kWindowsClientFlags, Nt(kPassword), cc_, sc_);
  EXPECT_EQ(ToHex(client.client_credential()), "67f84c8521df708d");
  const std::vector<crypto::NtHash> accepted = {Nt(kPassword)};
  auto server =
      AuthenticateClient(store_, "WS01", kWindowsClientFlags, client.client_credential(), accepted);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(ToHex(server->server_credential), "77b024596f032b3a");
  EXPECT_EQ(server->matched_password, 0u);
  auto chain = client.Finish(server->server_credential);
  ASSERT_TRUE(chain.ok());
  auto returned = server->chain.Step(chain->Next(kTimestamp));
  ASSERT_TRUE(returned.ok());
  EXPECT_TRUE(chain->Accept(*returned).ok());
}

TEST_F(HandshakeTest, PreviousPasswordMatchesOnlyWhenOffered) {
  Challenge();
  ClientHandshake client(kWindowsClientFlags, Nt("old"), cc_, sc_);
  const std::vector<crypto::NtHash> current_and_previous = {Nt("new"), Nt("old")};
  auto server = AuthenticateClient(store_, "WS01", kWindowsClientFlags, client.client_credential(),
                                   current_and_previous);
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(server->matched_password, 1u);

  Challenge();
  const std::vector<crypto::NtHash> current_only = {Nt("new")};
  auto refused = AuthenticateClient(store_, "WS01", kWindowsClientFlags, client.client_credential(),
                                    current_only);
  EXPECT_EQ(GetNtStatus(refused.status()), NtStatus::kAccessDenied);
}

TEST_F(HandshakeTest, WrongPasswordIsAccessDeniedAndConsumesTheChallenge) {
  Challenge();
  ClientHandshake client(kWindowsClientFlags, Nt("stale"), cc_, sc_);
  const std::vector<crypto::NtHash> accepted = {Nt(kPassword)};
  EXPECT_EQ(GetNtStatus(AuthenticateClient(store_, "WS01", kWindowsClientFlags,
                                           client.client_credential(), accepted)
                            .status()),
            NtStatus::kAccessDenied);
  // Retrying with the right credential fails too: the challenge is gone.
  ClientHandshake good(kWindowsClientFlags, Nt(kPassword), cc_, sc_);
  EXPECT_EQ(GetNtStatus(AuthenticateClient(store_, "WS01", kWindowsClientFlags,
                                           good.client_credential(), accepted)
                            .status()),
            NtStatus::kAccessDenied);
}

TEST_F(HandshakeTest, ReusedChallengeIsRejected) {
  Challenge();
  ClientHandshake client(kWindowsClientFlags, Nt(kPassword), cc_, sc_);
  const std::vector<crypto::NtHash> accepted = {Nt(kPassword)};
  ASSERT_TRUE(
      AuthenticateClient(store_, "WS01", kWindowsClientFlags, client.client_credential(), accepted)
          .ok());
  EXPECT_EQ(GetNtStatus(AuthenticateClient(store_, "WS01", kWindowsClientFlags,
                                           client.client_credential(), accepted)
                            .status()),
            NtStatus::kAccessDenied);
}

TEST_F(HandshakeTest, ZeroChallengeIsRejectedEvenWithTheRightPassword) {
  Challenge("0000000000000000");
  ClientHandshake client(kWindowsClientFlags, Nt(kPassword), cc_, sc_);
  const std::vector<crypto::NtHash> accepted = {Nt(kPassword)};
  const auto result =
      AuthenticateClient(store_, "WS01", kWindowsClientFlags, client.client_credential(), accepted);
  EXPECT_EQ(GetNtStatus(result.status()), NtStatus::kAccessDenied);
  EXPECT_NE(result.status().message().find("not random"), absl::string_view::npos);
}

TEST_F(HandshakeTest, NoChallengeIsAccessDenied) {
  const std::vector<crypto::NtHash> accepted = {Nt(kPassword)};
  EXPECT_EQ(
      GetNtStatus(AuthenticateClient(store_, "WS09", kWindowsClientFlags, {}, accepted).status()),
      NtStatus::kAccessDenied);
}

TEST_F(HandshakeTest, ClientDetectsAServerWithAnotherPassword) {
  Challenge();
  ClientHandshake client(kWindowsClientFlags, Nt(kPassword), cc_, sc_);
  ClientHandshake impostor(kWindowsClientFlags, Nt("other"), cc_, sc_);
  // What a server holding "other" would return as its credential.
  const SessionKey other_sk = impostor.session_key();
  const NetlogonCredential other_server_cred =
      ComputeNetlogonCredential(SecureChannelCrypto::kAes, sc_, other_sk);
  EXPECT_EQ(GetNtStatus(client.Finish(other_server_cred).status()), NtStatus::kAccessDenied);
}

TEST_F(HandshakeTest, EveryCryptoEstablishes) {
  for (const CryptoVector& v : kCryptoVectors) {
    SCOPED_TRACE(v.name);
    Challenge();
    ClientHandshake client(v.flags, Nt(kPassword), cc_, sc_);
    EXPECT_EQ(ToHex(client.session_key()), v.session_key);
    const std::vector<crypto::NtHash> accepted = {Nt(kPassword)};
    auto server = AuthenticateClient(store_, "WS01", v.flags, client.client_credential(), accepted);
    ASSERT_TRUE(server.ok());
    EXPECT_EQ(ToHex(server->server_credential), v.server_credential);
    EXPECT_TRUE(client.Finish(server->server_credential).ok());
  }
}

}  // namespace
}  // namespace trustsim::netlogon
