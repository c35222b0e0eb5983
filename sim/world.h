// Copyright 2026 The trustsim Authors.
//
// world.h
// -----------------------------------------------------------------------------
//
// The simulated domain: domain controllers, members, users, the hypervisor
// and the network, driven by one `Simulator`. Every operation a scenario can
// ask for is a method here returning an `Outcome` (what Windows shows, and
// why), and every state change is a trace record.
//
// The member's side follows Windows as protocol-facts.md §3-§4 describe it:
//   * the scavenger changes the machine password once it is older than
//     MaximumPasswordAge (default 30 days) and then sleeps until the next one
//     is due ("NlWksScavenger: Can be called again in N days");
//   * secure-channel setup tries CurrVal, then OldVal on
//     STATUS_ACCESS_DENIED ("new password is bad, try old one");
//   * the new password goes to the DC over the secure channel
//     (NetrServerPasswordSet2), then into the LSA (CurrVal -> OldVal), or the
//     other way round under `PasswordChangeOrder::kLsaFirst`.
// All of it runs through the real Netlogon code in protocol/netlogon.
//
// Example:
//
//   World world(/*seed=*/1, kDefaultEpoch, DomainConfig{});
//   world.AddDc("DC01", /*pdc=*/true, DcProfile::kWindows);
//   world.AddMember("WS01", OsVersion{});
//   world.Join("WS01");
//   world.sim().RunUntil(world.sim().now() + 365 * kDay);

#ifndef TRUSTSIM_SIM_WORLD_H_
#define TRUSTSIM_SIM_WORLD_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/kerberos/kdc.h"
#include "protocol/netlogon/rpc_client.h"
#include "sim/domain_controller.h"
#include "sim/kdc_database.h"
#include "sim/member.h"
#include "sim/network.h"
#include "sim/simulator.h"
#include "sim/windows_error.h"

namespace trustsim::sim {

struct DomainConfig {
  std::string dns_name = "corp.example.com";
  std::string netbios_name = "CORP";
  // Maximum tolerance for computer clock synchronization (5 minutes).
  SimDuration max_skew = 5 * kMinute;
  // How long a change takes to reach the other DCs. Machine password
  // changes are not urgent replication.
  SimDuration replication_latency = 15 * kSecond;
  // The domain SID; accounts are this plus their RID.
  std::string domain_sid = "S-1-5-21-1004336348-1177238915-682003330";

  // UPPER(dns_name).
  std::string Realm() const;
};

struct DomainUser {
  std::string name;
  std::string password;
  bool admin = false;  // member of Domain Admins
  bool enabled = true;
};

// Which side a password change writes first. The issue and the well-known
// explanation say the DC; Samba's member writes a pending value locally first
// (protocol-facts.md §4.2, §9.7: the Windows order is not confirmed).
enum class PasswordChangeOrder { kDcFirst, kLsaFirst };

// Repairs, in terms of what they do; the Windows command syntax maps onto
// these (netdom resetpwd and Reset-ComputerMachinePassword reset; nltest
// /sc_reset resets the channel; Test-ComputerSecureChannel -Repair repairs).
enum class RepairKind {
  kResetMachinePassword,  // netdom resetpwd / Reset-ComputerMachinePassword
  kRepairSecureChannel,   // Test-ComputerSecureChannel -Repair
  kResetSecureChannel,    // nltest /sc_reset
  kRejoin,                // Remove-Computer + Add-Computer, with reboots
  kResyncTime,            // w32tm /resync
};

const char* RepairKindName(RepairKind kind);

struct RepairRequest {
  RepairKind kind = RepairKind::kResetMachinePassword;
  std::string host;
  std::string server;  // a DC, or "" for the locator's choice
  std::string user;    // domain credentials, where the repair needs them
};

class World {
 public:
  World(uint64_t seed, SimTime epoch, DomainConfig domain);
  ~World();

  World(const World&) = delete;
  World& operator=(const World&) = delete;

  Simulator& sim() { return sim_; }
  Network& network() { return network_; }
  const DomainConfig& domain() const { return domain_; }
  PasswordChangeOrder password_change_order() const { return order_; }
  void set_password_change_order(PasswordChangeOrder order) { order_ = order; }
  // Scavenger start-up jitter after boot, join or clone: uniform in
  // [0, max). Zero turns jitter off.
  void set_boot_jitter(SimDuration max) { boot_jitter_ = max; }

  // --- Setup ---------------------------------------------------------------
  DomainController& AddDc(absl::string_view name, bool pdc, DcProfile profile);
  Member& AddMember(absl::string_view host, OsVersion os);
  void AddUser(DomainUser user);

  DomainController* FindDc(absl::string_view name);
  Member* FindMember(absl::string_view host);
  const DomainUser* FindUser(absl::string_view name) const;
  std::vector<DomainController*> dcs();
  std::vector<Member*> members();
  // The PDC emulator, or the first DC.
  DomainController* Pdc();

  // The host's clock reading now (member or DC).
  SimTime LocalTime(absl::string_view host);

  // --- Membership ----------------------------------------------------------
  // Joins the member: creates (or reuses and resets) its computer account on
  // `dc` (or the PDC), with its SPNs, and stores the password in the LSA.
  Outcome Join(absl::string_view host, absl::string_view dc = "");
  // Leaves the domain (to a workgroup): the LSA secret is removed and the
  // account disabled, as Remove-Computer does with domain credentials.
  Outcome Unjoin(absl::string_view host);

  // --- Netlogon, as the member runs it -------------------------------------
  Outcome SetupSecureChannel(Member& member, absl::string_view dc = "");
  // Changes a member's Netlogon parameters; the scavenger re-reads them at
  // its next run, within ScavengeInterval.
  void SetNetlogonParameters(Member& member, const NetlogonParameters& parameters);
  // Runs the scavenger's password change now.
  Outcome ChangeMachinePassword(Member& member);
  // Checks the channel still works (re-establishing it if the DC dropped it).
  Outcome VerifySecureChannel(Member& member);
  // Interactive logon of a domain user, with that user's password.
  Outcome Logon(absl::string_view host, absl::string_view user);

  // --- Hypervisor ------------------------------------------------------------
  Outcome Snapshot(absl::string_view host, absl::string_view name);
  Outcome Revert(absl::string_view host, absl::string_view name);
  // Clones `source` as a new VM `new_host`. Without sysprep the clone keeps
  // the computer name, SID and LSA secret; with sysprep it gets a new identity
  // (`new_computer_name`, default `new_host`) and must join.
  Outcome Clone(absl::string_view source, absl::string_view new_host, bool sysprep,
                absl::string_view new_computer_name = "");
  Outcome PowerOff(absl::string_view host);
  Outcome PowerOn(absl::string_view host);

  // --- Administration (ADUC) -------------------------------------------------
  Outcome ResetAccount(absl::string_view computer);
  Outcome SetAccountEnabled(absl::string_view computer, bool enabled);
  Outcome DeleteAccount(absl::string_view computer);
  // Adds an SPN to an account (forest-wide uniqueness applies).
  Outcome AddSpn(absl::string_view account, absl::string_view spn);
  Outcome RemoveSpn(absl::string_view account, absl::string_view spn);
  Outcome BackupDc(absl::string_view dc, absl::string_view name);
  Outcome RestoreDc(absl::string_view dc, absl::string_view name);

  // --- Time ----------------------------------------------------------------
  void SetClockOffset(absl::string_view host, SimDuration offset);
  void SetClockDrift(absl::string_view host, double ppm);
  // w32tm /resync: a member takes its DC's time, a DC the PDC's, the PDC true time.
  Outcome Resync(absl::string_view host);
  // The host's last successful time sync, if any (member or DC).
  std::optional<TimeSyncRecord> LastTimeSync(absl::string_view host);
  // The DC a member takes its time from: the locator's first reachable DC.
  DomainController* TimeSourceOf(Member& member);

  // W32Time's periodic synchronisation: every `interval` the host resyncs.
  void SetTimeSyncInterval(absl::string_view host, SimDuration interval);

  // --- Faults ----------------------------------------------------------------
  // The member crashes between the two writes of its next password change.
  void InjectCrashDuringPasswordChange(absl::string_view host);

  // --- Repairs ---------------------------------------------------------------
  Outcome Repair(const RepairRequest& request);

  // --- Kerberos --------------------------------------------------------------
  // The KDC of `dc` and the database it reads (sim/kdc_database.h).
  kerberos::Kdc& KdcOf(DomainController& dc);
  DcKdcDatabase& KdcDatabaseOf(DomainController& dc);
  // Sends `request` to `dc`'s KDC at the DC's clock and returns its reply.
  Bytes KdcExchange(DomainController& dc, ByteView request);
  // The randomness of KDC exchanges: a stream of its own, derived from the
  // seed, so Kerberos traffic (including real clients' under `serve`) never
  // shifts the world's other random draws.
  RandomSource& kdc_rng() { return kdc_rng_; }
  uint32_t krbtgt_kvno() const { return 2; }
  absl::StatusOr<crypto::KerberosKey> KrbtgtKey(crypto::EncType type) const;
  // Logs what a KDC decided and writes the DC's Security events for it
  // (4768, 4769, 4771; KDC event 11 for duplicate names).
  void RecordKdcEvent(DomainController& dc, const kerberos::KdcEvent& event);

  // --- Queries ---------------------------------------------------------------
  // Numbers a password for people (see machine_password.h).
  int PasswordVersion(absl::string_view computer_name, const crypto::NtHash& hash);
  // The account as `dc` holds it (default: the PDC), or null.
  ComputerAccount* Account(absl::string_view computer, absl::string_view dc = "");
  // Explains in one line which password each side holds, for `reason` texts
  // and `trustsim explain`.
  std::string DescribePasswords(const Member& member);

 private:
  struct ChannelAttempt;

  void Log(absl::string_view host, absl::string_view kind, std::string text,
           std::vector<std::pair<std::string, std::string>> fields = {});
  void MemberEvent(Member& member, uint32_t id, std::string level, std::string message);
  void DcEvent(DomainController& dc, uint32_t id, std::string level, std::string source,
               std::string message);

  // The DCs the member's locator would try, in order, that it can reach.
  std::vector<DomainController*> LocateDcs(Member& member, absl::string_view dc);
  void ScheduleScavenger(Member& member, SimTime at);
  void TimeSyncTick(const std::string& host, SimDuration interval);
  void RunScavenger(Member& member);
  void Reboot(Member& member, absl::string_view why);
  // Stamps an originating change at `dc` and replicates it.
  void Originate(DomainController& dc, ComputerAccount& account);
  void DeliverReplica(const std::string& from, const std::string& to, ComputerAccount copy);
  // Sets a new password on `dc` directly (LDAP/SAMR with admin rights) and
  // optionally in the member's LSA: what netdom resetpwd does.
  Outcome ResetPasswordWithCredentials(Member& member, DomainController& dc,
                                       absl::string_view user);
  std::vector<std::string> ComputerSpns(absl::string_view computer) const;
  // Netlogon calls to `dc` as NDR stubs (world_netlogon.cc).
  absl::StatusOr<Bytes> NetlogonCall(DomainController& dc, uint16_t opnum, ByteView stub);
  absl::StatusOr<netlogon::ReqChallengeResponse> NetlogonReqChallenge(
      DomainController& dc, absl::string_view computer_name,
      const netlogon::NetlogonChallenge& client_challenge);
  netlogon::Authenticate3Reply NetlogonAuthenticate3(DomainController& dc,
                                                     absl::string_view account_name,
                                                     netlogon::SecureChannelType type,
                                                     absl::string_view computer_name,
                                                     const netlogon::NetlogonCredential& credential,
                                                     uint32_t flags);
  netlogon::AuthenticatedReply NetlogonPasswordSet2(
      DomainController& dc, absl::string_view account_name, netlogon::SecureChannelType type,
      absl::string_view computer_name, const netlogon::NetlogonAuthenticator& authenticator,
      const netlogon::NlTrustPassword& encrypted);
  const crypto::KerberosKey& UserKey(const DomainUser& user);
  std::string NewMachineSid();

  Simulator sim_;
  SeededRandom kdc_rng_;
  std::map<crypto::EncType, crypto::KerberosKey> krbtgt_keys_;
  struct DcKdc {
    DcKdc(World& world, DomainController& dc);
    DcKdcDatabase database;
    kerberos::Kdc kdc;
  };
  std::map<std::string, std::unique_ptr<DcKdc>> kdcs_;
  Network network_;
  DomainConfig domain_;
  PasswordChangeOrder order_ = PasswordChangeOrder::kDcFirst;
  SimDuration boot_jitter_ = 900 * kSecond;
  std::vector<std::unique_ptr<DomainController>> dcs_;
  std::vector<std::unique_ptr<Member>> members_;
  // Upper-cased names -> hosts, so lookups do not scan a 10,000-member fleet.
  absl::flat_hash_map<std::string, DomainController*> dcs_by_name_;
  absl::flat_hash_map<std::string, Member*> members_by_name_;
  std::vector<DomainUser> users_;
  std::map<std::string, crypto::KerberosKey> user_keys_;
  std::map<std::string, std::map<std::string, std::map<std::string, ComputerAccount>>> backups_;
  std::set<std::string> crash_next_change_;
  // Per computer name: NT hash (hex) -> version, and the next version.
  std::map<std::string, std::map<std::string, int>> password_versions_;
  uint32_t next_rid_ = 1104;
  uint32_t next_sid_ = 1;
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_WORLD_H_
