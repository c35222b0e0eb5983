// Copyright 2026 The trustsim Authors.
//
// network.h
// -----------------------------------------------------------------------------
//
// Who can reach whom: hosts that are up, links with a latency, and partitions
// that cut pairs of hosts apart. Links are symmetric. Hosts are named
// case-insensitively.

#ifndef TRUSTSIM_SIM_NETWORK_H_
#define TRUSTSIM_SIM_NETWORK_H_

#include <set>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "sim/time.h"

namespace trustsim::sim {

class Network {
 public:
  explicit Network(SimDuration default_latency = kMillisecond)
      : default_latency_(default_latency) {}

  void SetDefaultLatency(SimDuration latency) { default_latency_ = latency; }
  void SetLatency(absl::string_view a, absl::string_view b, SimDuration latency);
  SimDuration Latency(absl::string_view a, absl::string_view b) const;

  // Cuts or restores the link between `a` and `b`.
  void Partition(absl::string_view a, absl::string_view b);
  void Heal(absl::string_view a, absl::string_view b);
  // Restores every link.
  void HealAll() { partitions_.clear(); }

  void SetUp(absl::string_view host, bool up);
  bool IsUp(absl::string_view host) const;

  // True if both hosts are up and not partitioned from each other.
  bool Reachable(absl::string_view a, absl::string_view b) const;

 private:
  static std::pair<std::string, std::string> Key(absl::string_view a, absl::string_view b);

  SimDuration default_latency_;
  absl::flat_hash_map<std::string, SimDuration> latency_;
  std::set<std::pair<std::string, std::string>> partitions_;
  std::set<std::string> down_;
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_NETWORK_H_
