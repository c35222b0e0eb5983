// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/server.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
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
  sessions_.insert_or_assign(
      absl::AsciiStrToUpper(computer_name),
      Session{*std::move(session), std::string(account_name), channel_type, client_flags});
  reply.status = absl::OkStatus();
  return reply;
}

absl::StatusOr<NetlogonServer::Session*> NetlogonServer::StepSession(
    absl::string_view computer_name, const NetlogonAuthenticator& authenticator,
    NetlogonAuthenticator& return_authenticator) {
  return_authenticator = {};
  auto it = sessions_.find(absl::AsciiStrToUpper(computer_name));
  if (it == sessions_.end()) {
    return NtStatusError(NtStatus::kAccessDenied,
                         absl::StrCat("no secure channel session for ", computer_name));
  }
  ASSIGN_OR_RETURN(return_authenticator, it->second.crypto.chain.Step(authenticator));
  return &it->second;
}

AuthenticatedReply NetlogonServer::ServerPasswordSet2(absl::string_view /*account_name*/,
                                                      SecureChannelType /*channel_type*/,
                                                      absl::string_view computer_name,
                                                      const NetlogonAuthenticator& authenticator,
                                                      const NlTrustPassword& encrypted_password) {
  AuthenticatedReply reply;
  absl::StatusOr<Session*> stepped =
      StepSession(computer_name, authenticator, reply.return_authenticator);
  if (!stepped.ok()) {
    reply.status = stepped.status();
    return reply;
  }
  // Like Samba, act on the account the session was established for; the
  // AccountName and SecureChannelType of the call are not consulted.
  const Session& session = **stepped;
  if (absl::StatusOr<TrustAccount> account =
          FindUsableAccount(session.account_name, session.channel_type);
      !account.ok()) {
    reply.status = account.status();
    return reply;
  }
  if (policy_.refuse_password_change && session.channel_type == SecureChannelType::kWorkstation) {
    reply.status = NtStatusError(NtStatus::kAccountRestriction,
                                 "RefusePasswordChange is set on this domain controller");
    return reply;
  }
  absl::StatusOr<Bytes> password = DecryptTrustPassword(
      session.crypto.negotiated_flags, session.crypto.session_key, encrypted_password);
  if (!password.ok()) {
    reply.status = password.status();
    return reply;
  }
  reply.status = accounts_.SetTrustAccountPassword(session.account_name, *password);
  return reply;
}

CapabilitiesReply NetlogonServer::LogonGetCapabilities(absl::string_view computer_name,
                                                       const NetlogonAuthenticator& authenticator,
                                                       uint32_t query_level) {
  CapabilitiesReply reply;
  if (query_level != 1 && query_level != 2) {
    reply.status = NtStatusError(NtStatus::kInvalidParameter,
                                 absl::StrCat("capabilities query level ", query_level));
    return reply;
  }
  absl::StatusOr<Session*> stepped =
      StepSession(computer_name, authenticator, reply.return_authenticator);
  if (!stepped.ok()) {
    reply.status = stepped.status();
    return reply;
  }
  reply.capabilities =
      query_level == 1 ? (*stepped)->crypto.negotiated_flags : (*stepped)->requested_flags;
  reply.status = absl::OkStatus();
  return reply;
}

TrustPasswordsReply NetlogonServer::ServerTrustPasswordsGet(
    absl::string_view account_name, SecureChannelType channel_type, absl::string_view computer_name,
    const NetlogonAuthenticator& authenticator) {
  TrustPasswordsReply reply;
  absl::StatusOr<Session*> stepped =
      StepSession(computer_name, authenticator, reply.return_authenticator);
  if (!stepped.ok()) {
    reply.status = stepped.status();
    return reply;
  }
  const Session& session = **stepped;
  if (channel_type != session.channel_type ||
      !absl::EqualsIgnoreCase(account_name, session.account_name)) {
    reply.status =
        NtStatusError(NtStatus::kInvalidParameter,
                      absl::StrCat("the call names ", account_name, " but the secure channel of ",
                                   computer_name, " belongs to ", session.account_name));
    return reply;
  }
  absl::StatusOr<TrustAccount> account =
      FindUsableAccount(session.account_name, session.channel_type);
  if (!account.ok()) {
    reply.status = account.status();
    return reply;
  }
  // Samba returns the hash of the empty password as the "old" one of a
  // workstation account; trustsim does so only when it keeps no previous one.
  static const crypto::NtHash kEmptyPasswordHash = crypto::NtHashOfUtf16Le({});
  const crypto::NtHash old_hash = account->previous.value_or(kEmptyPasswordHash);
  reply.encrypted_new = EncryptOwfPassword(session.crypto.session_key, account->current);
  reply.encrypted_old = EncryptOwfPassword(session.crypto.session_key, old_hash);
  reply.status = absl::OkStatus();
  return reply;
}

std::optional<SessionInfo> NetlogonServer::SessionOf(absl::string_view computer_name) const {
  auto it = sessions_.find(absl::AsciiStrToUpper(computer_name));
  if (it == sessions_.end()) return std::nullopt;
  const Session& s = it->second;
  return SessionInfo{s.crypto.session_key, s.crypto.negotiated_flags, s.requested_flags,
                     s.account_name, s.channel_type};
}

absl::Status NetlogonServer::CheckSession(absl::string_view computer_name,
                                          absl::string_view account_name,
                                          SecureChannelType channel_type,
                                          const SessionKey& session_key) {
  auto it = sessions_.find(absl::AsciiStrToUpper(computer_name));
  if (it == sessions_.end() ||
      !crypto::ConstantTimeEquals(it->second.crypto.session_key, session_key)) {
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
