// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/server.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "protocol/ntstatus.h"

namespace trustsim::netlogon {
namespace {

// The userAccountControl bit a channel type requires (Samba
// dcesrv_netr_ServerAuthenticateGeneric).
absl::StatusOr<uint32_t> RequiredAccountBit(SecureChannelType type) {
  switch (type) {
    case SecureChannelType::kWorkstation:
      return kUfWorkstationTrustAccount;
    case SecureChannelType::kServer:
      return kUfServerTrustAccount;
    case SecureChannelType::kCdc:
      return kUfPartialSecretsAccount;
    case SecureChannelType::kTrustedDnsDomain:
    case SecureChannelType::kTrustedDomain:
      return kUfInterdomainTrustAccount;
    default:
      return NtStatusError(
          NtStatus::kInvalidParameter,
          absl::StrCat("secure channel type ", static_cast<int>(type), " is not one a DC serves"));
  }
}

}  // namespace

NetlogonChallenge NetlogonServer::ServerReqChallenge(absl::string_view computer_name,
                                                     const NetlogonChallenge& client_challenge) {
  NetlogonChallenge server_challenge;
  rng_.Fill(absl::MakeSpan(server_challenge));
  challenges_.Put(computer_name, {client_challenge, server_challenge});
  return server_challenge;
}

absl::StatusOr<TrustAccount> NetlogonServer::FindUsableAccount(absl::string_view account_name,
                                                               SecureChannelType channel_type) {
  ASSIGN_OR_RETURN(const uint32_t required_bit, RequiredAccountBit(channel_type));
  absl::StatusOr<TrustAccount> account = accounts_.FindTrustAccount(account_name);
  if (!account.ok()) {
    return NtStatusError(NtStatus::kNoTrustSamAccount,
                         absl::StrCat("no account named ", account_name));
  }
  if (account->user_account_control & kUfAccountDisable) {
    return NtStatusError(NtStatus::kNoTrustSamAccount,
                         absl::StrCat("account ", account_name, " is disabled"));
  }
  if ((account->user_account_control & required_bit) == 0) {
    return NtStatusError(
        NtStatus::kNoTrustSamAccount,
        absl::StrCat("account ", account_name, " is not a trust account of the requested type"));
  }
  return account;
}

Authenticate3Reply NetlogonServer::ServerAuthenticate3(absl::string_view account_name,
                                                       SecureChannelType channel_type,
                                                       absl::string_view computer_name,
                                                       const NetlogonCredential& client_credential,
                                                       uint32_t client_flags) {
  Authenticate3Reply reply;
  reply.negotiate_flags = client_flags & policy_.server_flags;
  absl::StatusOr<TrustAccount> account = FindUsableAccount(account_name, channel_type);
  if (!account.ok()) {
    // The pending challenge is consumed whatever the outcome.
    challenges_.Take(computer_name).IgnoreError();
    reply.status = account.status();
    return reply;
  }
  std::vector<crypto::NtHash> accepted = {account->current};
  if (policy_.accept_previous_password && account->previous.has_value()) {
    accepted.push_back(*account->previous);
  }
  absl::StatusOr<ServerSession> session =
      AuthenticateClient(challenges_, computer_name, reply.negotiate_flags, client_credential,
                         accepted, policy_.des_sum);
  if (!session.ok()) {
    reply.status = session.status();
    return reply;
  }
  reply.server_credential = session->server_credential;
  reply.account_rid = account->rid;
  sessions_.insert_or_assign(absl::AsciiStrToUpper(computer_name), *std::move(session));
  reply.status = absl::OkStatus();
  return reply;
}

AuthenticatedReply NetlogonServer::ServerPasswordSet2(absl::string_view account_name,
                                                      SecureChannelType channel_type,
                                                      absl::string_view computer_name,
                                                      const NetlogonAuthenticator& authenticator,
                                                      const NlTrustPassword& encrypted_password) {
  AuthenticatedReply reply;
  auto it = sessions_.find(absl::AsciiStrToUpper(computer_name));
  if (it == sessions_.end()) {
    reply.status = NtStatusError(NtStatus::kAccessDenied,
                                 absl::StrCat("no secure channel session for ", computer_name));
    return reply;
  }
  ServerSession& session = it->second;
  absl::StatusOr<NetlogonAuthenticator> returned = session.chain.Step(authenticator);
  if (!returned.ok()) {
    reply.status = returned.status();
    return reply;
  }
  reply.return_authenticator = *returned;
  if (absl::StatusOr<TrustAccount> account = FindUsableAccount(account_name, channel_type);
      !account.ok()) {
    reply.status = account.status();
    return reply;
  }
  if (policy_.refuse_password_change && channel_type == SecureChannelType::kWorkstation) {
    reply.status = NtStatusError(NtStatus::kAccountRestriction,
                                 "RefusePasswordChange is set on this domain controller");
    return reply;
  }
  absl::StatusOr<Bytes> password =
      DecryptTrustPassword(session.negotiated_flags, session.session_key, encrypted_password);
  if (!password.ok()) {
    reply.status = password.status();
    return reply;
  }
  reply.status = accounts_.SetTrustAccountPassword(account_name, *password);
  return reply;
}

absl::Status NetlogonServer::CheckSession(absl::string_view computer_name,
                                          absl::string_view account_name,
                                          SecureChannelType channel_type,
                                          const SessionKey& session_key) {
  auto it = sessions_.find(absl::AsciiStrToUpper(computer_name));
  if (it == sessions_.end() || !crypto::ConstantTimeEquals(it->second.session_key, session_key)) {
    return NtStatusError(NtStatus::kAccessDenied,
                         absl::StrCat("the DC holds no matching session for ", computer_name));
  }
  if (absl::StatusOr<TrustAccount> account = FindUsableAccount(account_name, channel_type);
      !account.ok()) {
    sessions_.erase(it);
    return account.status();
  }
  return absl::OkStatus();
}

void NetlogonServer::DropSession(absl::string_view computer_name) {
  sessions_.erase(absl::AsciiStrToUpper(computer_name));
}

bool NetlogonServer::HasSession(absl::string_view computer_name) const {
  return sessions_.count(absl::AsciiStrToUpper(computer_name)) > 0;
}

}  // namespace trustsim::netlogon
