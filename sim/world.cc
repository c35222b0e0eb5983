// Copyright 2026 The trustsim Authors.
//
// Setup, lookups, replication and time. The member's Netlogon behaviour is in
// world_netlogon.cc, logon in world_logon.cc, the hypervisor and
// administration in world_admin.cc, repairs in world_repair.cc.

#include "sim/world.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace trustsim::sim {

std::string DomainConfig::Realm() const { return absl::AsciiStrToUpper(dns_name); }

const char* RepairKindName(RepairKind kind) {
  switch (kind) {
    case RepairKind::kResetMachinePassword:
      return "reset-machine-password";
    case RepairKind::kRepairSecureChannel:
      return "repair-secure-channel";
    case RepairKind::kResetSecureChannel:
      return "reset-secure-channel";
    case RepairKind::kRejoin:
      return "rejoin";
    case RepairKind::kResyncTime:
      return "resync-time";
  }
  return "unknown";
}

World::World(uint64_t seed, SimTime epoch, DomainConfig domain)
    : sim_(seed, epoch),
      // "kdc" in ASCII: a stream of its own for Kerberos (see kdc_rng()).
      kdc_rng_(seed ^ 0x6b6463'0000000000ULL),
      domain_(std::move(domain)) {
  for (crypto::EncType type : {crypto::EncType::kAes256CtsHmacSha196,
                               crypto::EncType::kAes128CtsHmacSha196, crypto::EncType::kRc4Hmac}) {
    crypto::KerberosKey key{type, Bytes(crypto::KeyLength(type))};
    kdc_rng_.Fill(absl::MakeSpan(key.bytes));
    krbtgt_keys_.emplace(type, std::move(key));
  }
}

World::~World() = default;

void World::Log(absl::string_view host, absl::string_view kind, std::string text,
                std::vector<std::pair<std::string, std::string>> fields) {
  sim_.Log(std::string(host), std::string(kind), std::move(text), std::move(fields));
}

void World::MemberEvent(Member& member, uint32_t id, std::string level, std::string message) {
  Log(member.host(), "eventlog", absl::StrCat("Event ", id, " (NETLOGON, ", level, ")"),
      {{"id", absl::StrCat(id)}});
  member.state().events.Add(
      {LocalTime(member.host()), id, "NETLOGON", std::move(level), std::move(message)});
}

void World::DcEvent(DomainController& dc, uint32_t id, std::string level, std::string source,
                    std::string message) {
  Log(dc.name(), "eventlog", absl::StrCat("Event ", id, " (", source, ", ", level, ")"),
      {{"id", absl::StrCat(id)}});
  dc.events().Add(
      {LocalTime(dc.name()), id, std::move(source), std::move(level), std::move(message)});
}

DomainController& World::AddDc(absl::string_view name, bool pdc, DcProfile profile) {
  auto dc = std::make_unique<DomainController>(std::string(name), pdc, profile, sim_.rng());
  dc->clock().Set(sim_.now(), sim_.now());
  dc->password_version = [this](absl::string_view computer, const crypto::NtHash& hash) {
    return PasswordVersion(computer, hash);
  };
  DomainController* raw = dc.get();
  dcs_by_name_[absl::AsciiStrToUpper(name)] = raw;
  dc->on_password_set = [this, raw](ComputerAccount& account) {
    account.pwd_last_set = LocalTime(raw->name());
    Log(raw->name(), "dc.password-set",
        absl::StrCat(account.sam_account_name, " now has ", account.current.Label(), " (previous ",
                     account.previous ? account.previous->Label() : "none", "), kvno ",
                     account.kvno),
        {{"account", account.sam_account_name},
         {"current", account.current.Label()},
         {"kvno", absl::StrCat(account.kvno)},
         {"nt", ToHex(ByteView(account.current.nt_hash).first(4))}});
    Originate(*raw, account);
  };
  dcs_.push_back(std::move(dc));
  return *raw;
}

Member& World::AddMember(absl::string_view host, OsVersion os) {
  auto member = std::make_unique<Member>(std::string(host), std::move(os));
  member->state().computer_name = absl::AsciiStrToUpper(host);
  member->state().machine_sid = NewMachineSid();
  member->state().clock.Set(sim_.now(), sim_.now());
  members_by_name_[absl::AsciiStrToUpper(host)] = member.get();
  members_.push_back(std::move(member));
  return *members_.back();
}

void World::AddUser(DomainUser user) { users_.push_back(std::move(user)); }

DomainController* World::FindDc(absl::string_view name) {
  auto it = dcs_by_name_.find(absl::AsciiStrToUpper(name));
  return it == dcs_by_name_.end() ? nullptr : it->second;
}

Member* World::FindMember(absl::string_view host) {
  auto it = members_by_name_.find(absl::AsciiStrToUpper(host));
  return it == members_by_name_.end() ? nullptr : it->second;
}

const DomainUser* World::FindUser(absl::string_view name) const {
  // Accept "alice", "CORP\alice" and "alice@corp.example.com".
  absl::string_view bare = name;
  if (size_t slash = bare.find('\\'); slash != absl::string_view::npos) {
    bare = bare.substr(slash + 1);
  }
  if (size_t at = bare.find('@'); at != absl::string_view::npos) bare = bare.substr(0, at);
  for (const DomainUser& u : users_) {
    if (absl::EqualsIgnoreCase(u.name, bare)) return &u;
  }
  return nullptr;
}

std::vector<DomainController*> World::dcs() {
  std::vector<DomainController*> out;
  for (auto& dc : dcs_) out.push_back(dc.get());
  return out;
}

std::vector<Member*> World::members() {
  std::vector<Member*> out;
  for (auto& m : members_) out.push_back(m.get());
  return out;
}

DomainController* World::Pdc() {
  for (auto& dc : dcs_) {
    if (dc->pdc()) return dc.get();
  }
  return dcs_.empty() ? nullptr : dcs_.front().get();
}

SimTime World::LocalTime(absl::string_view host) {
  if (Member* m = FindMember(host)) return m->state().clock.Read(sim_.now());
  if (DomainController* dc = FindDc(host)) return dc->clock().Read(sim_.now());
  return sim_.now();
}

int World::PasswordVersion(absl::string_view computer_name, const crypto::NtHash& hash) {
  auto& versions = password_versions_[absl::AsciiStrToUpper(computer_name)];
  const std::string key = ToHex(hash);
  auto it = versions.find(key);
  if (it != versions.end()) return it->second;
  const int version = static_cast<int>(versions.size());
  versions.emplace(key, version);
  return version;
}

ComputerAccount* World::Account(absl::string_view computer, absl::string_view dc_name) {
  DomainController* dc = dc_name.empty() ? Pdc() : FindDc(dc_name);
  if (dc == nullptr) return nullptr;
  std::string sam(computer);
  if (!absl::EndsWith(sam, "$")) sam += "$";
  return dc->FindAccount(sam);
}

std::string World::NewMachineSid() {
  return absl::StrFormat("S-1-5-21-%u-%u-%u-%u", 1000000000u + next_sid_ * 7919u,
                         2000000000u + next_sid_ * 104729u, 3000000u + next_sid_, next_sid_);
}

// --- Replication -------------------------------------------------------------

void World::Originate(DomainController& dc, ComputerAccount& account) {
  account.version += 1;
  account.originating_time = sim_.now();
  account.originating_dc = dc.name();
  for (auto& other : dcs_) {
    if (other.get() == &dc) continue;
    const std::string from = dc.name(), to = other->name();
    ComputerAccount copy = account;
    sim_.Schedule(sim_.now() + domain_.replication_latency + network_.Latency(from, to),
                  [this, from, to, copy = std::move(copy)]() mutable {
                    DeliverReplica(from, to, std::move(copy));
                  });
  }
}

void World::DeliverReplica(const std::string& from, const std::string& to, ComputerAccount copy) {
  DomainController* dst = FindDc(to);
  if (dst == nullptr) return;
  if (!network_.Reachable(from, to)) {
    // Replication retries until the partners can talk again.
    sim_.Schedule(sim_.now() + domain_.replication_latency,
                  [this, from, to, copy = std::move(copy)]() mutable {
                    DeliverReplica(from, to, std::move(copy));
                  });
    return;
  }
  const std::string key = absl::AsciiStrToUpper(copy.sam_account_name);
  auto it = dst->accounts().find(key);
  if (it != dst->accounts().end() && !copy.NewerThan(it->second)) return;
  Log(to, "replication",
      absl::StrCat(copy.sam_account_name, " replicated from ", from,
                   copy.deleted ? " (deleted)" : absl::StrCat(": ", copy.current.Label())),
      {{"account", copy.sam_account_name}, {"from", from}});
  dst->PutAccount(std::move(copy));
}

// --- Time --------------------------------------------------------------------

void World::SetClockOffset(absl::string_view host, SimDuration offset) {
  if (Member* m = FindMember(host)) {
    m->state().clock.SetOffset(sim_.now(), offset);
  } else if (DomainController* dc = FindDc(host)) {
    dc->clock().SetOffset(sim_.now(), offset);
  }
  Log(host, "clock.set",
      absl::StrCat("clock set ", offset >= 0 ? "+" : "", FormatDuration(offset),
                   " from true time"));
}

void World::SetClockDrift(absl::string_view host, double ppm) {
  if (Member* m = FindMember(host)) {
    m->state().clock.SetDrift(sim_.now(), ppm);
  } else if (DomainController* dc = FindDc(host)) {
    dc->clock().SetDrift(sim_.now(), ppm);
  }
  Log(host, "clock.drift", absl::StrCat("clock drifts ", ppm, " ppm"));
}

Outcome World::Resync(absl::string_view host) {
  // The domain hierarchy: members follow a DC, DCs follow the PDC emulator,
  // the PDC follows true time (its external source).
  SimTime reference = sim_.now();
  std::string source = "";
  if (Member* m = FindMember(host)) {
    std::vector<DomainController*> dcs = LocateDcs(*m, "");
    if (dcs.empty()) {
      Log(host, "w32tm", "w32tm /resync failed: no domain controller reachable");
      return Outcome::Failure(kErrorNoLogonServers, NtStatus::kNoLogonServers,
                              "w32tm found no domain controller to take time from");
    }
    reference = LocalTime(dcs.front()->name());
    source = dcs.front()->name();
    const SimDuration before = m->state().clock.Offset(sim_.now());
    m->state().clock.Set(sim_.now(), reference);
    m->state().last_time_sync = TimeSyncRecord{reference, source};
    Log(host, "w32tm",
        absl::StrCat("clock resynchronised from ", source, " (was ", before >= 0 ? "+" : "",
                     FormatDuration(before), " from true time)"));
    return Outcome::Success();
  }
  DomainController* dc = FindDc(host);
  if (dc == nullptr) {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied, "no such host");
  }
  if (!dc->pdc() && Pdc() != nullptr && Pdc() != dc) {
    reference = LocalTime(Pdc()->name());
    source = Pdc()->name();
  }
  dc->clock().Set(sim_.now(), reference);
  dc->last_time_sync() = TimeSyncRecord{reference, source};
  Log(host, "w32tm",
      absl::StrCat("clock resynchronised from ",
                   source.empty() ? "the external time source" : source));
  return Outcome::Success();
}

std::optional<TimeSyncRecord> World::LastTimeSync(absl::string_view host) {
  if (Member* m = FindMember(host)) return m->state().last_time_sync;
  if (DomainController* dc = FindDc(host)) return dc->last_time_sync();
  return std::nullopt;
}

DomainController* World::TimeSourceOf(Member& member) {
  std::vector<DomainController*> dcs = LocateDcs(member, "");
  return dcs.empty() ? nullptr : dcs.front();
}

void World::SetTimeSyncInterval(absl::string_view host, SimDuration interval) {
  sim_.Schedule(sim_.now() + interval,
                [this, name = std::string(host), interval] { TimeSyncTick(name, interval); });
}

void World::TimeSyncTick(const std::string& host, SimDuration interval) {
  Member* member = FindMember(host);
  if (FindDc(host) != nullptr || (member != nullptr && member->powered_on())) Resync(host);
  SetTimeSyncInterval(host, interval);
}

std::string World::DescribePasswords(const Member& member) {
  const MemberState& s = member.state();
  std::string out = absl::StrCat(member.host(), " holds CurrVal ",
                                 s.lsa.current ? s.lsa.current->Label() : "(none)", ", OldVal ",
                                 s.lsa.old ? s.lsa.old->Label() : "(none)");
  for (auto& dc : dcs_) {
    std::string sam = absl::StrCat(s.computer_name, "$");
    const ComputerAccount* a = dc->FindAccount(sam);
    if (a == nullptr) {
      auto it = dc->accounts().find(absl::AsciiStrToUpper(sam));
      absl::StrAppend(&out, "; ", dc->name(),
                      it != dc->accounts().end() ? " has deleted the account" : " has no account");
      continue;
    }
    absl::StrAppend(&out, "; ", dc->name(), " holds current ", a->current.Label(), ", previous ",
                    a->previous ? a->previous->Label() : "(none)",
                    a->disabled() ? " (account disabled)" : "",
                    dc->profile() == DcProfile::kWindows ? " (accepts current and previous)"
                                                         : " (accepts only the current one)");
  }
  return out;
}

}  // namespace trustsim::sim
