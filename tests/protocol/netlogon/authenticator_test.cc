// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/authenticator.h"

#include "gtest/gtest.h"
#include "protocol/ntstatus.h"
#include "tests/protocol/crypto/test_util.h"
#include "tests/protocol/netlogon/vectors.h"

namespace trustsim::netlogon {
namespace {

using ::trustsim::testing::Hex;
using namespace ::trustsim::netlogon::testing;  // NOLINT(google-build-using-namespace)

class AuthenticatorTest : public ::testing::TestWithParam<CryptoVector> {
 protected:
  SessionKey Key() const { return ToArray<16>(Hex(GetParam().session_key)); }
  NetlogonCredential Seed() const { return ToArray<8>(Hex(GetParam().client_credential)); }
  ClientCredentialChain Client() const { return {GetParam().crypto, Key(), Seed()}; }
  ServerCredentialChain Server() const { return {GetParam().crypto, Key(), Seed()}; }
};

TEST_P(AuthenticatorTest, DerivedVectorsFromProtocolFacts) {
  ClientCredentialChain client = Client();
  ServerCredentialChain server = Server();
  const NetlogonAuthenticator a = client.Next(kTimestamp);
  EXPECT_EQ(ToHex(a.credential), GetParam().authenticator);
  EXPECT_EQ(a.timestamp, kTimestamp);
  auto returned = server.Step(a);
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(ToHex(returned->credential), GetParam().return_authenticator);
  EXPECT_EQ(returned->timestamp, 0u);
  EXPECT_EQ(ToHex(server.stored_credential()), GetParam().seed_after);
  ASSERT_TRUE(client.Accept(*returned).ok());
  EXPECT_EQ(client.stored_credential(), server.stored_credential());
}

TEST_P(AuthenticatorTest, ChainStaysInStepOverManyCalls) {
  ClientCredentialChain client = Client();
  ServerCredentialChain server = Server();
  uint32_t ts = 0xfffffff0;  // crosses the 32-bit wrap
  for (int i = 0; i < 50; ++i, ts += 7) {
    auto returned = server.Step(client.Next(ts));
    ASSERT_TRUE(returned.ok()) << i;
    ASSERT_TRUE(client.Accept(*returned).ok()) << i;
  }
  EXPECT_EQ(client.stored_credential(), server.stored_credential());
}

TEST_P(AuthenticatorTest, ReplayIsRejected) {
  ClientCredentialChain client = Client();
  ServerCredentialChain server = Server();
  const NetlogonAuthenticator a = client.Next(kTimestamp);
  ASSERT_TRUE(server.Step(a).ok());
  const auto replay = server.Step(a);
  EXPECT_EQ(GetNtStatus(replay.status()), NtStatus::kAccessDenied);
}

TEST_P(AuthenticatorTest, FailedCheckDoesNotAdvanceState) {
  ClientCredentialChain client = Client();
  ServerCredentialChain server = Server();
  NetlogonAuthenticator bad = client.Next(kTimestamp);
  bad.credential[7] ^= 1;
  const NetlogonCredential before = server.stored_credential();
  EXPECT_EQ(GetNtStatus(server.Step(bad).status()), NtStatus::kAccessDenied);
  EXPECT_EQ(server.stored_credential(), before);
  // The genuine authenticator still verifies afterwards.
  auto returned = server.Step(client.Next(kTimestamp));
  ASSERT_TRUE(returned.ok());
  EXPECT_TRUE(client.Accept(*returned).ok());
}

TEST_P(AuthenticatorTest, TimestampMustMatchTheOneAuthenticated) {
  ClientCredentialChain client = Client();
  ServerCredentialChain server = Server();
  NetlogonAuthenticator a = client.Next(kTimestamp);
  a.timestamp += 1;
  EXPECT_FALSE(server.Step(a).ok());
}

TEST_P(AuthenticatorTest, ClientRejectsForgedReturnAuthenticator) {
  ClientCredentialChain client = Client();
  ServerCredentialChain server = Server();
  auto returned = server.Step(client.Next(kTimestamp));
  ASSERT_TRUE(returned.ok());
  NetlogonAuthenticator forged = *returned;
  forged.credential[0] ^= 0x80;
  const NetlogonCredential before = client.stored_credential();
  EXPECT_EQ(GetNtStatus(client.Accept(forged)), NtStatus::kAccessDenied);
  EXPECT_EQ(client.stored_credential(), before);
}

TEST_P(AuthenticatorTest, AcceptWithoutNextIsAnError) {
  ClientCredentialChain client = Client();
  EXPECT_EQ(client.Accept({}).code(), absl::StatusCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(AllCrypto, AuthenticatorTest, ::testing::ValuesIn(kCryptoVectors),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace trustsim::netlogon
