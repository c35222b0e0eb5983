// Copyright 2026 The trustsim Authors.
//
// event_log.h
// -----------------------------------------------------------------------------
//
// A host's Windows event log, reduced to what trust troubleshooting reads:
// event ID, source, level and message, stamped with the host's own clock.
//
// IDs (protocol-facts.md §3.1, §4.5, §7; lmerrlog.h):
//   3210  NETLOGON  member could not authenticate with a DC
//   5719  NETLOGON  member found no DC to set up a secure session with
//   5722  NETLOGON  DC: session setup failed to authenticate
//   5723  NETLOGON  DC: no trust account for the computer
//   5823  NETLOGON  member changed its password on the DC
//   2974  ActiveDirectory_DomainService  DC: duplicate SPN refused
//   4771  Microsoft-Windows-Security-Auditing  DC (KDC): Kerberos pre-authentication
//         failed (failure code 0x25 for clock skew)

#ifndef TRUSTSIM_SIM_EVENT_LOG_H_
#define TRUSTSIM_SIM_EVENT_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sim/time.h"

namespace trustsim::sim {

inline constexpr uint32_t kEventNetlogonAuthDcFail = 3210;
inline constexpr uint32_t kEventNetlogonNoDc = 5719;
inline constexpr uint32_t kEventNetlogonServerAuthFailed = 5722;
inline constexpr uint32_t kEventNetlogonServerAuthNoTrustSamAccount = 5723;
inline constexpr uint32_t kEventNetlogonMachinePasswordSet = 5823;
inline constexpr uint32_t kEventDuplicateSpn = 2974;
inline constexpr uint32_t kEventKerberosPreauthFailed = 4771;

struct EventLogEntry {
  SimTime local_time = 0;
  uint32_t id = 0;
  std::string source;
  std::string level;  // "Error", "Warning", "Information"
  std::string message;
};

class EventLog {
 public:
  // Like a Windows log set to "Overwrite events as needed (oldest events
  // first)": past kMaxEntries the oldest half is dropped, so a KDC served for
  // hours does not grow without bound.
  static constexpr size_t kMaxEntries = 100000;
  void Add(EventLogEntry entry) {
    if (entries_.size() >= kMaxEntries) {
      entries_.erase(entries_.begin(), entries_.begin() + kMaxEntries / 2);
    }
    entries_.push_back(std::move(entry));
  }
  bool Contains(uint32_t id) const;
  size_t Count(uint32_t id) const;
  const std::vector<EventLogEntry>& entries() const { return entries_; }

 private:
  std::vector<EventLogEntry> entries_;
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_EVENT_LOG_H_
