// Copyright 2026 The trustsim Authors.

#include "sim/network.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace trustsim::sim {

std::pair<std::string, std::string> Network::Key(absl::string_view a, absl::string_view b) {
  std::string x = absl::AsciiStrToUpper(a), y = absl::AsciiStrToUpper(b);
  if (y < x) std::swap(x, y);
  return {std::move(x), std::move(y)};
}

void Network::SetLatency(absl::string_view a, absl::string_view b, SimDuration latency) {
  const auto key = Key(a, b);
  latency_[absl::StrCat(key.first, "|", key.second)] = latency;
}

SimDuration Network::Latency(absl::string_view a, absl::string_view b) const {
  const auto key = Key(a, b);
  auto it = latency_.find(absl::StrCat(key.first, "|", key.second));
  return it == latency_.end() ? default_latency_ : it->second;
}

void Network::Partition(absl::string_view a, absl::string_view b) { partitions_.insert(Key(a, b)); }

void Network::Heal(absl::string_view a, absl::string_view b) { partitions_.erase(Key(a, b)); }

void Network::SetUp(absl::string_view host, bool up) {
  if (up) {
    down_.erase(absl::AsciiStrToUpper(host));
  } else {
    down_.insert(absl::AsciiStrToUpper(host));
  }
}

bool Network::IsUp(absl::string_view host) const {
  return down_.count(absl::AsciiStrToUpper(host)) == 0;
}

bool Network::Reachable(absl::string_view a, absl::string_view b) const {
  return IsUp(a) && IsUp(b) && partitions_.count(Key(a, b)) == 0;
}

}  // namespace trustsim::sim
