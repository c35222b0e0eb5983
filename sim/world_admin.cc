// Copyright 2026 The trustsim Authors.
//
// Joining, the hypervisor, ADUC administration and DC backup/restore.

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sim/world.h"

namespace trustsim::sim {
namespace {

Outcome NoSuchHost(absl::string_view host) {
  return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                          absl::StrCat("no host named ", host));
}

}  // namespace

std::vector<std::string> World::ComputerSpns(absl::string_view computer) const {
  const std::string name = absl::AsciiStrToUpper(computer);
  const std::string fqdn =
      absl::StrCat(absl::AsciiStrToLower(computer), ".", absl::AsciiStrToLower(domain_.dns_name));
  return {absl::StrCat("HOST/", name),
          absl::StrCat("HOST/", fqdn),
          absl::StrCat("RestrictedKrbHost/", name),
          absl::StrCat("RestrictedKrbHost/", fqdn),
          absl::StrCat("TERMSRV/", name),
          absl::StrCat("TERMSRV/", fqdn)};
}

Outcome World::Join(absl::string_view host, absl::string_view dc_name) {
  Member* member = FindMember(host);
  if (member == nullptr) return NoSuchHost(host);
  MemberState& s = member->state();
  std::vector<DomainController*> dcs = LocateDcs(*member, dc_name);
  if (dcs.empty()) {
    return Outcome::Failure(kErrorNoLogonServers, NtStatus::kNoLogonServers,
                            "no domain controller reachable to join through");
  }
  DomainController& dc = *dcs.front();
  const std::string sam = absl::StrCat(s.computer_name, "$");
  ComputerAccount* account = dc.FindAccount(sam);
  const bool reuse = account != nullptr;
  if (!reuse) {
    ComputerAccount fresh;
    fresh.sam_account_name = sam;
    fresh.rid = next_rid_++;
    fresh.sid = absl::StrCat(domain_.domain_sid, "-", fresh.rid);
    fresh.kvno = 0;
    fresh.version = 0;
    account = &dc.PutAccount(std::move(fresh));
  }
  account->user_account_control =
      member->os().server ? netlogon::kUfServerTrustAccount : netlogon::kUfWorkstationTrustAccount;
  account->dns_host_name =
      absl::StrCat(absl::AsciiStrToLower(s.computer_name), ".", domain_.dns_name);

  // The SPNs are written after the account exists; a duplicate (MS-ADTS
  // 3.1.1.5.1.3 forest-wide uniqueness) fails that write, and the account is
  // left disabled, as in Microsoft's duplicate-SPN KB: the join "succeeds",
  // the next logon gets NO_TRUST_SAM_ACCOUNT.
  std::string duplicate;
  for (const std::string& spn : ComputerSpns(s.computer_name)) {
    const ComputerAccount* holder = dc.FindSpnHolder(spn);
    if (holder != nullptr && holder != account) {
      duplicate = absl::StrCat(spn, " (held by ", holder->sam_account_name, ")");
      DcEvent(dc, kEventDuplicateSpn, "Error", "ActiveDirectory_DomainService",
              absl::StrCat("The attribute value provided is not unique in the forest or "
                           "partition. Attribute: servicePrincipalName Value=",
                           spn, " ", holder->sam_account_name, " Winerror: 8647"));
      break;
    }
  }
  if (duplicate.empty()) {
    dc.SetSpns(*account, ComputerSpns(s.computer_name));
  } else {
    account->user_account_control |= netlogon::kUfAccountDisable;
  }
  MachinePassword password = MachinePassword::Random(sim_.rng(), 0);
  password.version = PasswordVersion(s.computer_name, password.nt_hash);
  account->previous.reset();
  account->current = password;
  ++account->kvno;
  account->pwd_last_set = LocalTime(dc.name());
  Originate(dc, *account);

  s.joined = true;
  s.lsa.current = password;
  s.lsa.old.reset();
  s.lsa.updated_local = LocalTime(host);
  s.channel = SecureChannel{};
  s.preferred_dc = dc.name();
  Log(host, "join",
      absl::StrCat("joined ", domain_.dns_name, " through ", dc.name(),
                   reuse ? " (existing account reset)" : " (account created)", ": ",
                   password.Label(), duplicate.empty() ? "" : "; SPN write refused: ", duplicate),
      {{"dc", dc.name()},
       {"password", password.Label()},
       {"nt", ToHex(ByteView(password.nt_hash).first(4))}});
  Reboot(*member, "join requires a restart");
  if (!duplicate.empty()) {
    return Outcome::Success(absl::StrCat(
        "joined, but: While processing a change to the DNS Host Name for an object, the Service "
        "Principal Name values could not be kept in sync. (duplicate ",
        duplicate, ")"));
  }
  return Outcome::Success(absl::StrCat("joined with ", password.Label()));
}

Outcome World::Unjoin(absl::string_view host) {
  Member* member = FindMember(host);
  if (member == nullptr) return NoSuchHost(host);
  MemberState& s = member->state();
  std::string account_note = "no computer account left to disable";
  if (ComputerAccount* account = Account(s.computer_name, s.preferred_dc)) {
    account->user_account_control |= netlogon::kUfAccountDisable;
    if (DomainController* dc = FindDc(s.preferred_dc.empty() ? Pdc()->name() : s.preferred_dc)) {
      Originate(*dc, *account);
    }
    account_note = "computer account disabled";
  }
  s.joined = false;
  s.lsa = LsaMachineSecret{};
  Log(host, "unjoin", absl::StrCat("left the domain (now in WORKGROUP); ", account_note));
  Reboot(*member, "leaving the domain requires a restart");
  return Outcome::Success("moved to a workgroup");
}

// --- Hypervisor ----------------------------------------------------------------

Outcome World::Snapshot(absl::string_view host, absl::string_view name) {
  Member* member = FindMember(host);
  if (member == nullptr) return NoSuchHost(host);
  member->snapshots[std::string(name)] = {member->state(), sim_.now()};
  const MemberState& s = member->state();
  Log(host, "hypervisor",
      absl::StrCat("snapshot \"", name, "\" taken (CurrVal ",
                   s.lsa.current ? s.lsa.current->Label() : "(none)", ", OldVal ",
                   s.lsa.old ? s.lsa.old->Label() : "(none)", ")"));
  return Outcome::Success();
}

Outcome World::Revert(absl::string_view host, absl::string_view name) {
  Member* member = FindMember(host);
  if (member == nullptr) return NoSuchHost(host);
  auto it = member->snapshots.find(std::string(name));
  if (it == member->snapshots.end()) {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                            absl::StrCat("no snapshot named ", name));
  }
  const Member::Snapshot& snap = it->second;
  const SimDuration offset_then = snap.state.clock.Offset(snap.taken_at);
  const SimTime local_then = snap.state.clock.Read(snap.taken_at);
  member->state() = snap.state;
  if (member->hypervisor_time_sync) {
    member->state().clock.SetOffset(sim_.now(), offset_then);
  } else {
    member->state().clock.Set(sim_.now(), local_then);
  }
  member->set_powered_on(true);
  network_.SetUp(host, true);
  Log(host, "hypervisor",
      absl::StrCat("reverted to snapshot \"", name, "\" taken ",
                   FormatDuration(sim_.now() - snap.taken_at),
                   " ago: ", DescribePasswords(*member)));
  Reboot(*member, "reverted");
  return Outcome::Success();
}

Outcome World::Clone(absl::string_view source, absl::string_view new_host, bool sysprep,
                     absl::string_view new_computer_name) {
  Member* src = FindMember(source);
  if (src == nullptr) return NoSuchHost(source);
  if (FindMember(new_host) != nullptr || FindDc(new_host) != nullptr) {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                            absl::StrCat("a host named ", new_host, " already exists"));
  }
  MemberState copy = src->state();
  OsVersion os = src->os();
  Member& clone = AddMember(new_host, os);
  const std::string sid = clone.state().machine_sid;
  clone.state() = copy;
  clone.hypervisor_time_sync = src->hypervisor_time_sync;
  if (sysprep) {
    // Sysprep generalises: a new SID and name, no domain membership.
    clone.state().machine_sid = sid;
    clone.state().computer_name =
        absl::AsciiStrToUpper(new_computer_name.empty() ? new_host : new_computer_name);
    clone.state().joined = false;
    clone.state().lsa = LsaMachineSecret{};
    clone.state().cached_logons.clear();
    clone.state().events = EventLog{};
    clone.state().password_changes = 0;
  }
  Log(new_host, "hypervisor",
      absl::StrCat("cloned from ", source,
                   sysprep ? " with sysprep: new identity "
                           : " without sysprep: same name, SID and "
                             "secret as ",
                   sysprep ? clone.state().computer_name : src->state().computer_name));
  Reboot(clone, "first boot of the clone");
  return Outcome::Success();
}

Outcome World::PowerOff(absl::string_view host) {
  Member* member = FindMember(host);
  if (member == nullptr) {
    if (FindDc(host) != nullptr) {
      network_.SetUp(host, false);
      Log(host, "power", "powered off");
      return Outcome::Success();
    }
    return NoSuchHost(host);
  }
  member->set_powered_on(false);
  network_.SetUp(host, false);
  if (member->scavenger_event) sim_.Cancel(*member->scavenger_event);
  member->scavenger_event.reset();
  member->state().channel = SecureChannel{};
  Log(host, "power", "powered off");
  return Outcome::Success();
}

Outcome World::PowerOn(absl::string_view host) {
  Member* member = FindMember(host);
  if (member == nullptr) {
    if (FindDc(host) != nullptr) {
      network_.SetUp(host, true);
      Log(host, "power", "powered on");
      return Outcome::Success();
    }
    return NoSuchHost(host);
  }
  member->set_powered_on(true);
  network_.SetUp(host, true);
  Reboot(*member, "powered on");
  return Outcome::Success();
}

// --- ADUC ----------------------------------------------------------------------

Outcome World::ResetAccount(absl::string_view computer) {
  DomainController* dc = Pdc();
  ComputerAccount* account = Account(computer);
  if (dc == nullptr || account == nullptr) {
    return Outcome::Failure(kErrorNoTrustSamAccount, NtStatus::kNoTrustSamAccount,
                            absl::StrCat("no computer account ", computer));
  }
  // ADUC "Reset Account" sets the default password (the lower-case computer
  // name). An administrative reset leaves the member no password the DC
  // still accepts, so it breaks the secure channel until the member is
  // reset or rejoined, as ADUC's own help says.
  const std::string name = absl::AsciiStrToLower(computer);
  Bytes utf16;
  for (char c : name) {
    utf16.push_back(static_cast<uint8_t>(c));
    utf16.push_back(0);
  }
  MachinePassword password = MachinePassword::FromUtf16(utf16, 0);
  password.version = PasswordVersion(computer, password.nt_hash);
  account->current = password;
  account->previous = password;
  ++account->kvno;
  account->pwd_last_set = LocalTime(dc->name());
  Log(dc->name(), "aduc",
      absl::StrCat("Reset Account on ", account->sam_account_name, ": default password ",
                   password.Label()));
  Originate(*dc, *account);
  return Outcome::Success();
}

Outcome World::SetAccountEnabled(absl::string_view computer, bool enabled) {
  DomainController* dc = Pdc();
  ComputerAccount* account = Account(computer);
  if (dc == nullptr || account == nullptr) {
    return Outcome::Failure(kErrorNoTrustSamAccount, NtStatus::kNoTrustSamAccount,
                            absl::StrCat("no computer account ", computer));
  }
  if (enabled) {
    account->user_account_control &= ~netlogon::kUfAccountDisable;
  } else {
    account->user_account_control |= netlogon::kUfAccountDisable;
  }
  Log(dc->name(), "aduc",
      absl::StrCat(enabled ? "enabled " : "disabled ", account->sam_account_name));
  Originate(*dc, *account);
  return Outcome::Success();
}

Outcome World::DeleteAccount(absl::string_view computer) {
  DomainController* dc = Pdc();
  ComputerAccount* account = Account(computer);
  if (dc == nullptr || account == nullptr) {
    return Outcome::Failure(kErrorNoTrustSamAccount, NtStatus::kNoTrustSamAccount,
                            absl::StrCat("no computer account ", computer));
  }
  dc->SetSpns(*account, {});
  account->deleted = true;
  dc->netlogon().DropSession(computer);
  Log(dc->name(), "aduc", absl::StrCat("deleted ", account->sam_account_name));
  Originate(*dc, *account);
  return Outcome::Success();
}

Outcome World::AddSpn(absl::string_view account_name, absl::string_view spn) {
  DomainController* dc = Pdc();
  if (dc == nullptr) return NoSuchHost("(no DC)");
  // Computer accounts are found with or without their "$"; any other name is
  // a service account, created on first use as a disabled SPN holder so the
  // uniqueness check can see it.
  ComputerAccount* account = dc->FindAccount(account_name);
  if (account == nullptr) account = dc->FindAccount(absl::StrCat(account_name, "$"));
  if (account == nullptr) {
    ComputerAccount fresh;
    fresh.sam_account_name = std::string(account_name);
    fresh.rid = next_rid_++;
    fresh.sid = absl::StrCat(domain_.domain_sid, "-", fresh.rid);
    fresh.user_account_control = netlogon::kUfAccountDisable;
    account = &dc->PutAccount(std::move(fresh));
  }
  if (const ComputerAccount* holder = dc->FindSpnHolder(spn); holder != nullptr) {
    DcEvent(*dc, kEventDuplicateSpn, "Error", "ActiveDirectory_DomainService",
            absl::StrCat("The attribute value provided is not unique in the forest or "
                         "partition. Attribute: servicePrincipalName Value=",
                         spn, " ", holder->sam_account_name, " Winerror: 8647"));
    return Outcome::Failure(kErrorDsSpnValueNotUniqueInForest, NtStatus::kSuccess,
                            absl::StrCat(spn, " is already held by ", holder->sam_account_name));
  }
  std::vector<std::string> spns = account->service_principal_names;
  spns.push_back(std::string(spn));
  dc->SetSpns(*account, std::move(spns));
  Log(dc->name(), "spn", absl::StrCat("added ", spn, " to ", account->sam_account_name));
  Originate(*dc, *account);
  return Outcome::Success();
}

Outcome World::RemoveSpn(absl::string_view account_name, absl::string_view spn) {
  DomainController* dc = Pdc();
  if (dc == nullptr) return NoSuchHost("(no DC)");
  ComputerAccount* account = dc->FindAccount(account_name);
  if (account == nullptr) account = dc->FindAccount(absl::StrCat(account_name, "$"));
  if (account == nullptr) {
    return Outcome::Failure(kErrorNoTrustSamAccount, NtStatus::kNoTrustSamAccount,
                            absl::StrCat("no account ", account_name));
  }
  std::vector<std::string> spns = account->service_principal_names;
  const size_t before = spns.size();
  spns.erase(std::remove_if(spns.begin(), spns.end(),
                            [&](const std::string& s) { return absl::EqualsIgnoreCase(s, spn); }),
             spns.end());
  dc->SetSpns(*account, spns);
  if (spns.size() == before) {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                            absl::StrCat(account->sam_account_name, " does not hold ", spn));
  }
  Log(dc->name(), "spn", absl::StrCat("removed ", spn, " from ", account->sam_account_name));
  Originate(*dc, *account);
  return Outcome::Success();
}

// --- DC backup -------------------------------------------------------------------

Outcome World::BackupDc(absl::string_view dc_name, absl::string_view name) {
  DomainController* dc = FindDc(dc_name);
  if (dc == nullptr) return NoSuchHost(dc_name);
  backups_[dc->name()][std::string(name)] = dc->accounts();
  Log(dc->name(), "backup", absl::StrCat("system state backup \"", name, "\" taken"));
  return Outcome::Success();
}

Outcome World::RestoreDc(absl::string_view dc_name, absl::string_view name) {
  DomainController* dc = FindDc(dc_name);
  if (dc == nullptr) return NoSuchHost(dc_name);
  auto& backups = backups_[dc->name()];
  auto it = backups.find(std::string(name));
  if (it == backups.end()) {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                            absl::StrCat("no backup named ", name));
  }
  dc->ReplaceAllAccounts(it->second);
  dc->netlogon().DropAllSessions();  // a restore restarts the DC
  Log(dc->name(), "backup",
      absl::StrCat("restored from backup \"", name, "\" (non-authoritative)"));
  // A non-authoritative restore takes newer changes back from its partners.
  for (auto& other : dcs_) {
    if (other.get() == dc) continue;
    for (auto& [key, account] : other->accounts()) {
      sim_.Schedule(sim_.now() + domain_.replication_latency,
                    [this, from = other->name(), to = dc->name(), copy = account]() mutable {
                      DeliverReplica(from, to, std::move(copy));
                    });
    }
  }
  return Outcome::Success();
}

}  // namespace trustsim::sim
