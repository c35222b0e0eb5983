// Copyright 2026 The trustsim Authors.
//
// domain_controller.h
// -----------------------------------------------------------------------------
//
// A simulated domain controller: its replica of the computer accounts, its
// clock and event log, and the Netlogon server (protocol/netlogon/server.h)
// that authenticates members against that replica.
//
// Behaviour profiles (docs/fidelity.md, "DC profiles"):
//   * `windows`: the secure channel accepts the current or the previous
//     machine password, the behaviour the well-known "double rotation breaks
//     trust" explanation describes;
//   * `samba-ad`: only the current password, as Samba's AD DC does for
//     workstation accounts (dcesrv_netr_ServerAuthenticateNTHash_cb).

#ifndef TRUSTSIM_SIM_DOMAIN_CONTROLLER_H_
#define TRUSTSIM_SIM_DOMAIN_CONTROLLER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "protocol/netlogon/rpc.h"
#include "protocol/netlogon/server.h"
#include "sim/clock.h"
#include "sim/event_log.h"
#include "sim/machine_password.h"
#include "sim/time.h"

namespace trustsim::sim {

enum class DcProfile { kWindows, kSambaAd };

const char* DcProfileName(DcProfile profile);
absl::StatusOr<DcProfile> ParseDcProfile(absl::string_view name);

// A computer object as one DC holds it.
struct ComputerAccount {
  std::string sam_account_name;  // "WS01$"
  uint32_t rid = 0;
  std::string sid;  // objectSid: the domain SID and the RID
  uint32_t user_account_control = netlogon::kUfWorkstationTrustAccount;
  std::string dns_host_name;
  std::vector<std::string> service_principal_names;
  SimTime pwd_last_set = 0;  // DC clock
  MachinePassword current;
  std::optional<MachinePassword> previous;
  uint32_t kvno = 1;  // msDS-KeyVersionNumber
  bool deleted = false;

  // Replication metadata: originating updates bump `version`; a replica
  // applies an incoming copy when (version, originating_time, originating_dc)
  // is greater than its own.
  uint64_t version = 1;
  SimTime originating_time = 0;
  std::string originating_dc;

  bool disabled() const { return user_account_control & netlogon::kUfAccountDisable; }
  // The long-term Kerberos key of the current password, salted as AD salts
  // computer accounts (MS-KILE 3.1.1.2), derived lazily.
  absl::StatusOr<crypto::KerberosKey> CurrentKey(crypto::EncType type,
                                                 absl::string_view realm) const;
  bool NewerThan(const ComputerAccount& other) const;
};

class DomainController final : public netlogon::TrustAccountStore {
 public:
  DomainController(std::string name, bool pdc, DcProfile profile, RandomSource& rng);

  const std::string& name() const { return name_; }
  bool pdc() const { return pdc_; }
  void set_pdc(bool pdc) { pdc_ = pdc; }
  DcProfile profile() const { return profile_; }
  void set_profile(DcProfile profile);
  bool refuse_password_change() const { return server_.policy().refuse_password_change; }
  const netlogon::NetlogonServer& netlogon() const { return server_; }
  void set_refuse_password_change(bool refuse) { server_.policy().refuse_password_change = refuse; }
  // Whether Netlogon calls protected by an authenticator must come over
  // schannel (the default since the CVE-2020-1472 enforcement phase).
  bool schannel_required() const { return schannel_required_; }
  void set_schannel_required(bool required) { schannel_required_ = required; }

  HostClock& clock() { return clock_; }
  std::optional<TimeSyncRecord>& last_time_sync() { return last_time_sync_; }
  EventLog& events() { return events_; }
  netlogon::NetlogonServer& netlogon() { return server_; }
  // The Netlogon RPC interface in front of `netlogon()`, as simulated members
  // reach it: NDR stubs over the simulated network, without the DCE/RPC PDU
  // and schannel layers (real clients get those through `trustsim serve`).
  netlogon::NetlogonRpcHandler& netlogon_rpc() { return rpc_; }

  // Accounts by upper-cased sAMAccountName. Deleted accounts stay as
  // tombstones so deletions replicate. Change SPNs only through SetSpns /
  // PutAccount, which keep the uniqueness index in step.
  const std::map<std::string, ComputerAccount>& accounts() const { return accounts_; }
  ComputerAccount* FindAccount(absl::string_view sam_account_name);

  // Returns the live account holding `spn` (case-insensitive), if any.
  const ComputerAccount* FindSpnHolder(absl::string_view spn) const;
  // Every live account holding `spn` (case-insensitive): more than one only
  // where uniqueness was not enforced.
  std::vector<const ComputerAccount*> SpnHolders(absl::string_view spn) const;

  // Inserts or replaces an account (e.g. a replicated copy), keeping the SPN
  // index in step.
  ComputerAccount& PutAccount(ComputerAccount account);
  // Replaces an account's SPNs, keeping the SPN index in step.
  void SetSpns(ComputerAccount& account, std::vector<std::string> spns);
  // Replaces every account (a restore from backup).
  void ReplaceAllAccounts(std::map<std::string, ComputerAccount> accounts);

  // Called after `SetTrustAccountPassword` changed an account, so the world
  // can stamp and replicate it. Set by the world.
  std::function<void(ComputerAccount&)> on_password_set;

  // netlogon::TrustAccountStore:
  absl::StatusOr<netlogon::TrustAccount> FindTrustAccount(absl::string_view account_name) override;
  absl::Status SetTrustAccountPassword(absl::string_view account_name,
                                       ByteView new_password_utf16le) override;

  // Names a password for people: the world numbers every distinct password
  // per computer (see machine_password.h). Set by the world.
  std::function<int(absl::string_view computer_name, const crypto::NtHash&)> password_version;

 private:
  std::string name_;
  bool pdc_;
  DcProfile profile_;
  HostClock clock_;
  std::optional<TimeSyncRecord> last_time_sync_;
  bool schannel_required_ = true;
  EventLog events_;
  void IndexSpns(const ComputerAccount& account, bool add);

  std::map<std::string, ComputerAccount> accounts_;
  // Lower-cased SPN -> keys of the live accounts holding it.
  std::map<std::string, std::set<std::string>> spn_index_;
  netlogon::NetlogonServer server_;
  netlogon::NetlogonRpcHandler rpc_{server_, netlogon::SchannelPolicy::kAllowPlain};
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_DOMAIN_CONTROLLER_H_
