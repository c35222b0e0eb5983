// Copyright 2026 The trustsim Authors.
//
// Interactive logon of a domain user on a member.
//
// 1. Kerberos pre-authentication: the member encrypts a timestamp from its own
//    clock under the user's key (RFC 4120 PA-ENC-TIMESTAMP, key usage 1); the
//    DC decrypts it and refuses a skew over the domain's maximum
//    (KRB_AP_ERR_SKEW, which Windows shows as ERROR_TIME_SKEW).
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
#include "protocol/crypto/kerberos_encryption.h"
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

  // Kerberos pre-authentication with the member's clock.
  const SimTime member_time = LocalTime(host);
  ByteWriter timestamp;
  timestamp.WriteU64Be(static_cast<uint64_t>(member_time));
  const crypto::KerberosKey& key = UserKey(*user);
  absl::StatusOr<Bytes> pa_enc_timestamp =
      crypto::KerberosEncrypt(key, crypto::kUsageAsReqPaEncTimestamp, timestamp.view(), sim_.rng());
  absl::StatusOr<Bytes> decrypted =
      crypto::KerberosDecrypt(UserKey(*user), crypto::kUsageAsReqPaEncTimestamp, *pa_enc_timestamp);
  if (!decrypted.ok()) {
    return fail(kErrorLogonFailure, NtStatus::kLogonFailure, "pre-authentication failed");
  }
  ByteReader reader(*decrypted);
  const SimTime claimed = static_cast<SimTime>(reader.ReadU64Be().value_or(0));
  const SimDuration skew = claimed - LocalTime(dc.name());
  if (skew > domain_.max_skew || -skew > domain_.max_skew) {
    DcEvent(
        dc, kEventKerberosPreauthFailed, "Information", "Microsoft-Windows-Security-Auditing",
        absl::StrCat("Kerberos pre-authentication failed.\n\nAccount Information:\n"
                     "\tSecurity ID:\t\t",
                     domain_.netbios_name, "\\", user->name, "\n\tAccount Name:\t\t", user->name,
                     "\n\nService Information:\n\tService Name:\t\tkrbtgt/", domain_.netbios_name,
                     "\n\nNetwork Information:\n"
                     "\tClient Address:\t\t",
                     host,
                     "\n\nAdditional Information:\n\tTicket Options:\t\t0x40810010"
                     "\n\tFailure Code:\t\t0x25\n\tPre-Authentication Type:\t2"));
    Log(dc.name(), "kdc",
        absl::StrCat("AS-REQ for ", user->name, " from ", host, ": KRB_AP_ERR_SKEW (",
                     skew > 0 ? "+" : "-", FormatDuration(skew > 0 ? skew : -skew), ", limit ",
                     FormatDuration(domain_.max_skew), ")"));
    return fail(kErrorTimeSkew, NtStatus::kTimeDifferenceAtDc,
                absl::StrCat(host, "'s clock is ", FormatDuration(skew > 0 ? skew : -skew),
                             skew > 0 ? " ahead of " : " behind ", dc.name(),
                             "'s; Kerberos allows ", FormatDuration(domain_.max_skew)));
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
