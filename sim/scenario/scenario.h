// Copyright 2026 The trustsim Authors.
//
// scenario.h
// -----------------------------------------------------------------------------
//
// A scenario file, parsed: the world to build (domain, DCs, hosts, policies)
// and a timeline of steps. Each step happens at a time, may perform one
// action, and may assert expectations about the action's outcome or the
// state of the world afterwards. The format is documented in
// docs/scenarios.md; loader.h reads it from YAML.
//
// Every element keeps the position it came from, so a runtime failure can
// point at `file:line:col` just like a load error.

#ifndef TRUSTSIM_SIM_SCENARIO_SCENARIO_H_
#define TRUSTSIM_SIM_SCENARIO_SCENARIO_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/domain_controller.h"
#include "sim/time.h"
#include "sim/world.h"

namespace trustsim::sim::scenario {

// A position in a scenario file, 1-based.
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;

  // "file:line:col".
  std::string ToString() const;
};

struct DcSpec {
  SourcePos pos;
  std::string name;
  bool pdc = false;
  std::optional<DcProfile> profile;  // default: the scenario policy, else windows
  bool refuse_password_change = false;
  // Whether authenticator-protected Netlogon calls need schannel (patched
  // DCs: "require") or may come over plain RPC ("allow-plain").
  bool schannel_required = true;
  SimDuration clock_offset = 0;
};

struct HostSpec {
  SourcePos pos;
  std::string name;
  OsVersion os;
  bool join = true;
  SimDuration clock_offset = 0;
  double drift_ppm = 0;
  bool hypervisor_time_sync = true;
  NetlogonParameters netlogon;
  // How often W32Time resynchronises from the domain hierarchy; 0 = only
  // when a step says so.
  SimDuration time_sync_interval = 0;
};

struct Policies {
  std::optional<DcProfile> profile;  // overrides every DC's profile
  PasswordChangeOrder password_change_order = PasswordChangeOrder::kDcFirst;
  SimDuration boot_jitter = 15 * kMinute;
};

// What the loader knows about each action: its name and parameters, all
// kept as strings and validated at load time.
enum class ActionKind {
  kNone,  // a step with only expectations
  kJoin,
  kUnjoin,
  kLogon,
  kChangePassword,  // the scavenger's change, now (nltest /sc_change_pwd)
  kSetupChannel,    // set up or verify the secure channel
  kSnapshot,
  kRevert,
  kClone,
  kPowerOff,
  kPowerOn,
  kResetAccount,
  kDisableAccount,
  kEnableAccount,
  kDeleteAccount,
  kAddSpn,
  kRemoveSpn,
  kBackupDc,
  kRestoreDc,
  kSetClock,
  kSetDrift,
  kResync,
  kSetLatency,
  kPartition,
  kHeal,
  kSetNetlogon,           // change a member's Netlogon parameters
  kRefusePasswordChange,  // change a DC's RefusePasswordChange
  kCrashDuringPasswordChange,
  kRepair,
  kRun,   // a command typed at a host's console: `run: 'ws01> nltest ...'`
  kExec,  // a real program run by /bin/sh while the DCs are served: `exec: kinit ...`
};

const char* ActionName(ActionKind kind);

struct Action {
  ActionKind kind = ActionKind::kNone;
  SourcePos pos;
  // Parameters by name ("host", "user", "name", "dc", ...), validated. An
  // `exec:` step's command line is both "exec" and "command".
  std::map<std::string, std::string> params;
  // For kRepair.
  RepairRequest repair;
  // For kExec: how long the program may run (`timeout:`) before it is killed.
  SimDuration exec_timeout = 60 * kSecond;

  const std::string& Param(const std::string& key) const;
};

// Expectations. Absent fields are not checked.
struct DcExpectation {
  SourcePos pos;
  std::string dc;                       // "" = every DC
  std::optional<std::string> current;   // "v2", or "none" for no account
  std::optional<std::string> previous;  // "v1" or "none"
  std::optional<uint32_t> kvno;
  std::optional<bool> enabled;
  std::optional<bool> exists;
};

struct Expectation {
  SourcePos pos;
  // Where each key was written, so a failed check points at its own line.
  std::map<std::string, SourcePos> key_pos;
  // The position of `key`, or of the whole expectation.
  const SourcePos& PosOf(const std::string& key) const {
    auto it = key_pos.find(key);
    return it == key_pos.end() ? pos : it->second;
  }
  // On the step's action outcome.
  std::optional<uint32_t> status;          // Win32 code
  std::optional<std::string> status_text;  // as written, for messages
  std::optional<std::string> message;      // substring of the Windows message
  std::optional<std::string> reason;       // substring of trustsim's explanation
  // On state. `host` defaults to the action's host.
  std::string host;
  std::optional<std::string> lsa_current;  // "v2" or "none"
  std::optional<std::string> lsa_old;
  std::optional<std::string> channel;  // none | established | failed
  std::optional<int> password_changes;
  std::vector<DcExpectation> dcs;
  std::string events_host;  // "" = `host`
  std::vector<uint32_t> events_present;
  std::vector<uint32_t> events_absent;
  // On a `run:` step's console output, or an `exec:` step's program.
  std::optional<int> exit_code;
  std::vector<std::string> output_lines;     // exact lines, in this order (run: only)
  std::vector<std::string> output_contains;  // substrings (of stdout and stderr, for exec:)
  // On an `exec:` step's program: substrings of its stdout and its stderr.
  std::vector<std::string> stdout_contains;
  std::vector<std::string> stderr_contains;
};

struct Step {
  SourcePos pos;
  SimTime at = 0;  // absolute, resolved at load time
  std::string at_text;
  Action action;
  std::optional<Expectation> expect;
  // A short human description, e.g. "logon WS01 as alice".
  std::string Describe() const;
};

struct Scenario {
  std::string file;
  std::string name;
  std::string title;
  std::string explanation;
  uint64_t seed = 1;
  SimTime epoch = kDefaultEpoch;
  DomainConfig domain;
  std::vector<DomainUser> users;
  std::vector<DcSpec> dcs;
  std::vector<HostSpec> hosts;
  Policies policies;
  std::vector<Step> steps;
};

}  // namespace trustsim::sim::scenario

#endif  // TRUSTSIM_SIM_SCENARIO_SCENARIO_H_
