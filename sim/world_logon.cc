// Copyright 2026 The trustsim Authors.
//
// Interactive logon of a domain user on a member.
//
// 1. Kerberos: the member sends the DC's KDC (protocol/kerberos/kdc.h) a DER
//    AS-REQ for the user with PA-ENC-TIMESTAMP from its own clock; the KDC
//    refuses a skew over the domain's maximum (KRB_AP_ERR_SKEW, which Windows
//    shows as ERROR_TIME_SKEW) and logs event 4771.
// 2. Otherwise the logon is validated by NTLM pass-through over the secure
//    channel, as when the member cannot use its Kerberos ticket because its
//    machine key is stale. A secure channel the DC refuses surfaces as
//    STATUS_TRUSTED_RELATIONSHIP_FAILURE (Samba's errormap notes that
//    ACCESS_DENIED and NO_TRUST_SAM_ACCOUNT are "squashed" to it in session
//    setup) or, for a missing or disabled account, NO_TRUST_SAM_ACCOUNT, the
//    text Microsoft's duplicate-SPN KB shows (protocol-facts.md §3.1).
// 3. With no DC reachable, a user who logged on before gets in with cached
//    credentials; anyone else gets ERROR_NO_LOGON_SERVERS.

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "protocol/kerberos/client.h"
#include "sim/world.h"

namespace trustsim::sim {

const crypto::KerberosKey& World::UserKey(const DomainUser& user) {
  auto it = user_keys_.find(user.name);
  if (it != user_keys_.end()) return it->second;
  // MS-KILE 3.1.1.2: users are salted with UPPER(realm) + user name.
  absl::StatusOr<crypto::KerberosKey> key = crypto::StringToKey(
      crypto::EncType::kAes256CtsHmacSha196, user.password, domain_.Realm() + user.name);
  return user_keys_.emplace(user.name, *std::move(key)).first->second;
}

Outcome World::Logon(absl::string_view host, absl::string_view user_name) {
  Member* member = FindMember(host);
  if (member == nullptr || !member->powered_on()) {
    return Outcome::Failure(kErrorNoLogonServers, NtStatus::kNoLogonServers,
                            absl::StrCat(host, " is not running"));
  }
  MemberState& s = member->state();
  const DomainUser* user = FindUser(user_name);
  auto fail = [&](uint32_t win32, NtStatus nt, std::string reason) {
    Log(host, "logon",
        absl::StrCat(user_name, ": ", Win32ErrorName(win32), " - ", Win32ErrorMessage(win32)),
        {{"user", std::string(user_name)}, {"result", Win32ErrorName(win32)}});
    return Outcome::Failure(win32, nt, std::move(reason));
  };
  if (!s.joined) {
    return fail(kErrorNoTrustLsaSecret, NtStatus::kNoTrustLsaSecret,
                absl::StrCat(host, " is not joined to ", domain_.netbios_name));
  }
  if (user == nullptr) {
    return fail(kErrorLogonFailure, NtStatus::kLogonFailure,
                absl::StrCat("no domain user named ", user_name));
  }
  if (!user->enabled) {
    return fail(kErrorAccountDisabled, NtStatus::kAccountDisabled,
                absl::StrCat("the user account ", user->name, " is disabled"));
  }

  std::vector<DomainController*> dcs = LocateDcs(*member, "");
  if (dcs.empty()) {
    if (s.cached_logons.count(absl::AsciiStrToLower(user->name)) > 0) {
      Log(host, "logon",
          absl::StrCat(user->name, " logged on with cached credentials (no DC reachable)"),
          {{"user", user->name}, {"result", "cached"}});
      return Outcome::Success("no domain controller reachable: cached credentials used");
    }
    return fail(kErrorNoLogonServers, NtStatus::kNoLogonServers,
                absl::StrCat("no domain controller reachable from ", host,
                             " and no cached logon for ", user->name));
  }
  DomainController& dc = *dcs.front();

  // The AS exchange, as bytes to the DC's KDC: an AS-REQ with PA-ENC-TIMESTAMP
  // from the member's clock under the user's key. (A Windows client that knows
  // the salt pre-authenticates in its first request.)
  kerberos::AsRequest as;
  as.cname = kerberos::PrincipalName{kerberos::kNtPrincipal, {user->name}};
  as.realm = domain_.Realm();
  const uint32_t nonce = static_cast<uint32_t>(kdc_rng_.NextU64());
  absl::StatusOr<Bytes> as_req =
      kerberos::BuildAsReq(as, nonce, LocalTime(host), UserKey(*user), kdc_rng_);
  if (!as_req.ok()) return fail(kErrorLogonFailure, NtStatus::kLogonFailure, "no AS-REQ");
  absl::StatusOr<kerberos::KdcReply> reply = kerberos::ParseKdcReply(KdcExchange(dc, *as_req));
  if (!reply.ok()) return fail(kErrorLogonFailure, NtStatus::kLogonFailure, "bad KDC reply");
  if (reply->error) {
    const kerberos::KrbError& e = *reply->error;
    if (e.error_code == kerberos::kKrbApErrSkew) {
      const SimDuration skew = LocalTime(host) - LocalTime(dc.name());
      return fail(kErrorTimeSkew, NtStatus::kTimeDifferenceAtDc,
                  absl::StrCat(host, "'s clock is ", FormatDuration(skew > 0 ? skew : -skew),
                               skew > 0 ? " ahead of " : " behind ", dc.name(),
                               "'s; Kerberos allows ", FormatDuration(domain_.max_skew)));
    }
    if (e.error_code == kerberos::kKdcErrClientRevoked) {
      return fail(kErrorAccountDisabled, NtStatus::kAccountDisabled,
                  absl::StrCat("the KDC refused ", user->name, ": KDC_ERR_CLIENT_REVOKED"));
    }
    return fail(
        kErrorLogonFailure, NtStatus::kLogonFailure,
        absl::StrCat("the KDC refused ", user->name, ": ", kerberos::KrbErrorName(e.error_code)));
  }
  if (!kerberos::DecryptAsRep(*reply->rep, UserKey(*user), nonce).ok()) {
    return fail(kErrorLogonFailure, NtStatus::kLogonFailure, "the AS-REP did not decrypt");
  }

  // NTLM pass-through over the secure channel.
  Outcome channel = VerifySecureChannel(*member);
  if (!channel.ok()) {
    switch (channel.ntstatus) {
      case NtStatus::kNoTrustSamAccount:
        return fail(kErrorNoTrustSamAccount, NtStatus::kNoTrustSamAccount, channel.reason);
      case NtStatus::kNoLogonServers:
        if (s.cached_logons.count(absl::AsciiStrToLower(user->name)) > 0) {
          return Outcome::Success("cached credentials used");
        }
        return fail(kErrorNoLogonServers, NtStatus::kNoLogonServers, channel.reason);
      default:
        return fail(kErrorTrustedRelationshipFailure, NtStatus::kTrustedRelationshipFailure,
                    channel.reason);
    }
  }
  s.cached_logons.insert(absl::AsciiStrToLower(user->name));
  Log(host, "logon",
      absl::StrCat(domain_.netbios_name, "\\", user->name, " logged on (validated by ",
                   s.channel.dc, " over the secure channel)"),
      {{"user", user->name}, {"result", "success"}});
  return Outcome::Success(channel.reason);
}

}  // namespace trustsim::sim
