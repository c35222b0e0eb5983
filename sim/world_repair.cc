// Copyright 2026 The trustsim Authors.
//
// Repairs, by what they do (the Windows command syntax maps onto these):
//
//   * reset the machine password with domain credentials (netdom resetpwd,
//     Reset-ComputerMachinePassword): a new password is written to one DC
//     with the admin's rights, not over the secure channel, then to the LSA;
//     the channel is then set up with it. No reboot.
//   * repair the secure channel (Test-ComputerSecureChannel -Repair): the
//     same reset, then a check of the channel;
//   * reset the secure channel (nltest /sc_reset): only sets the channel up
//     again, optionally with a named DC; it cannot fix a password mismatch;
//   * rejoin (Remove-Computer, then Add-Computer): two restarts;
//   * resync the clock (w32tm /resync).

#include "absl/strings/str_cat.h"
#include "sim/world.h"

namespace trustsim::sim {

Outcome World::ResetPasswordWithCredentials(Member& member, DomainController& dc,
                                            absl::string_view user_name) {
  MemberState& s = member.state();
  if (!s.joined) {
    return Outcome::Failure(kErrorNoTrustLsaSecret, NtStatus::kNoTrustLsaSecret,
                            absl::StrCat(member.host(), " is not joined to a domain"));
  }
  const DomainUser* user = FindUser(user_name);
  if (user == nullptr || !user->enabled) {
    return Outcome::Failure(kErrorLogonFailure, NtStatus::kLogonFailure,
                            absl::StrCat("the credentials for ", user_name, " were refused"));
  }
  if (!user->admin) {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                            absl::StrCat(user->name, " may not reset computer passwords"));
  }
  ComputerAccount* account = dc.FindAccount(absl::StrCat(s.computer_name, "$"));
  if (account == nullptr) {
    return Outcome::Failure(
        kErrorNoTrustSamAccount, NtStatus::kNoTrustSamAccount,
        absl::StrCat(dc.name(), " has no account for ", s.computer_name, ": rejoin instead"));
  }
  MachinePassword fresh = MachinePassword::Random(sim_.rng(), 0);
  fresh.version = PasswordVersion(s.computer_name, fresh.nt_hash);
  account->previous = account->current;
  account->current = fresh;
  ++account->kvno;
  account->pwd_last_set = LocalTime(dc.name());
  Log(dc.name(), "dc.password-set",
      absl::StrCat(account->sam_account_name, " reset by ", user->name, " to ", fresh.Label(),
                   ", kvno ", account->kvno),
      {{"account", account->sam_account_name},
       {"current", fresh.Label()},
       {"kvno", absl::StrCat(account->kvno)}});
  Originate(dc, *account);
  s.lsa.old = s.lsa.current;
  s.lsa.current = fresh;
  s.lsa.updated_local = LocalTime(member.host());
  s.channel = SecureChannel{};
  return SetupSecureChannel(member, dc.name());
}

Outcome World::Repair(const RepairRequest& request) {
  Member* member = FindMember(request.host);
  if (member == nullptr || !member->powered_on()) {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                            absl::StrCat(request.host, " is not a running member"));
  }
  Log(request.host, "repair",
      absl::StrCat(RepairKindName(request.kind),
                   request.server.empty() ? "" : absl::StrCat(" against ", request.server),
                   request.user.empty() ? "" : absl::StrCat(" as ", request.user)));
  auto pick_dc = [&]() -> DomainController* {
    std::vector<DomainController*> dcs = LocateDcs(*member, request.server);
    return dcs.empty() ? nullptr : dcs.front();
  };
  switch (request.kind) {
    case RepairKind::kResetMachinePassword:
    case RepairKind::kRepairSecureChannel: {
      DomainController* dc = pick_dc();
      if (dc == nullptr) {
        return Outcome::Failure(kErrorNoLogonServers, NtStatus::kNoLogonServers,
                                "no domain controller reachable");
      }
      // Test-ComputerSecureChannel -Repair "removes and then rebuilds the
      // channel": it resets the password whether or not the channel still
      // works, which matters after an ADUC reset the open channel hides.
      return ResetPasswordWithCredentials(*member, *dc, request.user);
    }
    case RepairKind::kResetSecureChannel:
      member->state().channel = SecureChannel{};
      return SetupSecureChannel(*member, request.server);
    case RepairKind::kRejoin: {
      const DomainUser* user = FindUser(request.user);
      if (user == nullptr || !user->admin) {
        return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                                "joining needs domain credentials with the right to join");
      }
      Unjoin(request.host);
      Outcome joined = Join(request.host, request.server);
      if (!joined.ok()) return joined;
      Outcome channel = SetupSecureChannel(*member);
      if (!channel.ok()) return channel;
      return Outcome::Success(absl::StrCat(
          joined.reason,
          "; two restarts; domain users' profiles stay linked (their SIDs do not change), but a "
          "rejoin under another name or domain would need them reattached"));
    }
    case RepairKind::kResyncTime:
      return Resync(request.host);
  }
  return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied, "unknown repair");
}

}  // namespace trustsim::sim
