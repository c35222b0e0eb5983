// Copyright 2026 The trustsim Authors.
//
// member.h
// -----------------------------------------------------------------------------
//
// A domain member (workstation or server) as a VM: the state a snapshot
// captures (`MemberState`) and the VM around it (power, OS, identity of the
// VM itself). Behaviour lives in the world (world.h), which sees the DCs and
// the network.
//
// The LSA secret $MACHINE.ACC holds CurrVal, OldVal and CupdTime
// (protocol-facts.md §4.1). The Netlogon parameters are the registry values
// of HKLM\SYSTEM\CurrentControlSet\Services\Netlogon\Parameters (§4.3).

#ifndef TRUSTSIM_SIM_MEMBER_H_
#define TRUSTSIM_SIM_MEMBER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol/netlogon/authenticator.h"
#include "protocol/ntstatus.h"
#include "sim/clock.h"
#include "sim/event_log.h"
#include "sim/machine_password.h"
#include "sim/simulator.h"
#include "sim/time.h"

namespace trustsim::sim {

// The OS a member runs. Later issues gate tools on it (PowerShell 3.0 ships
// with Windows 8 / Server 2012; netdom with Server 2008).
struct OsVersion {
  std::string name = "windows-10";  // as written in scenarios
  bool server = false;
  // Remote Server Administration Tools installed (brings netdom and the
  // ActiveDirectory PowerShell module to a client).
  bool rsat = false;
  // Windows PowerShell version, e.g. "5.1"; "" = what the OS ships with.
  std::string powershell;

  // The PowerShell version in effect: the explicit one, else the OS's own
  // (2.0 on Windows 7 and Server 2008 R2, 4.0 on 8.1 and 2012 R2, 5.1 on
  // Windows 10/11 and Server 2016+).
  std::string PowerShellVersion() const;
  // netdom ships with Windows Server 2008 and later; clients need RSAT.
  bool HasNetdom() const { return server || rsat; }
  // The ActiveDirectory module: domain controllers and RSAT.
  bool HasActiveDirectoryModule() const { return rsat; }
};

struct LsaMachineSecret {
  std::optional<MachinePassword> current;  // CurrVal
  std::optional<MachinePassword> old;      // OldVal
  SimTime updated_local = 0;               // CupdTime, on the member's clock
};

struct NetlogonParameters {
  SimDuration maximum_password_age = 30 * kDay;  // 1..999 days
  bool disable_password_change = false;
  SimDuration scavenge_interval = 900 * kSecond;
};

enum class ChannelState { kNone, kEstablished, kFailed };
const char* ChannelStateName(ChannelState state);

struct SecureChannel {
  ChannelState state = ChannelState::kNone;
  std::string dc;  // the DC it was set up with, or tried last
  NtStatus last_status = NtStatus::kSuccess;
  // Which LSA value authenticated: "CurrVal" or "OldVal".
  std::string authenticated_with;
  uint32_t negotiated_flags = 0;
  std::optional<netlogon::ClientCredentialChain> chain;
};

// Everything a VM snapshot captures.
struct MemberState {
  std::string computer_name;  // NetBIOS name, e.g. "WS01"
  // The built-in local Administrator account (RID 500). Logged on with it,
  // an admin is elevated locally but has no domain rights.
  std::string local_admin_name = "Administrator";
  std::string local_admin_password = "LocalAdm1n!";
  std::string machine_sid;
  bool joined = false;
  LsaMachineSecret lsa;
  NetlogonParameters netlogon;
  HostClock clock;
  std::optional<TimeSyncRecord> last_time_sync;
  SecureChannel channel;
  EventLog events;
  std::set<std::string> cached_logons;  // users with cached credentials
  std::string preferred_dc;             // the DC locator's current choice
  int password_changes = 0;             // successful scavenger changes
};

class Member {
 public:
  Member(std::string host, OsVersion os) : host_(std::move(host)), os_(std::move(os)) {}

  // The VM's name in the scenario (unique), which may differ from the
  // computer name: a clone keeps the computer name of its source.
  const std::string& host() const { return host_; }
  const OsVersion& os() const { return os_; }
  MemberState& state() { return state_; }
  const MemberState& state() const { return state_; }

  bool powered_on() const { return powered_on_; }
  void set_powered_on(bool on) { powered_on_ = on; }

  std::optional<Simulator::EventId> scavenger_event;
  struct Snapshot {
    MemberState state;
    SimTime taken_at = 0;  // true time
  };
  // Snapshots by name.
  std::map<std::string, Snapshot> snapshots;
  // Time sync from the hypervisor (Hyper-V / VMware time synchronization).
  bool hypervisor_time_sync = true;

 private:
  std::string host_;
  OsVersion os_;
  MemberState state_;
  bool powered_on_ = true;
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_MEMBER_H_
