// Copyright 2026 The trustsim Authors.

#include "sim/member.h"

#include "absl/strings/match.h"

namespace trustsim::sim {

std::string OsVersion::PowerShellVersion() const {
  if (!powershell.empty()) return powershell;
  if (name == "windows-7" || name == "server-2008r2") return "2.0";
  if (name == "windows-8.1" || name == "server-2012r2") return "4.0";
  return "5.1";
}

}  // namespace trustsim::sim
