// Copyright 2026 The trustsim Authors.
//
// windows_text.h
// -----------------------------------------------------------------------------
//
// Small formatting helpers the directory and diagnostic commands share: how
// Windows tools print dates (en-US), how Active Directory names objects
// (distinguished names), and the wildcard matching setspn and LDAP filters
// use. Times are a host's clock reading (sim/clock.h); trustsim has no time
// zones, so "local" time is the host clock as it reads.
//
// Example:
//
//   UsDateTime(kDefaultEpoch);        // "1/5/2026 8:00:00 AM"
//   DomainDn(world.domain());         // "DC=corp,DC=example,DC=com"

#ifndef TRUSTSIM_SIM_TOOLS_WINDOWS_TEXT_H_
#define TRUSTSIM_SIM_TOOLS_WINDOWS_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "sim/domain_controller.h"
#include "sim/time.h"
#include "sim/world.h"

namespace trustsim::sim::tools {

// "1/5/2026 8:00:00 AM": PowerShell's and w32tm's en-US date and time.
std::string UsDateTime(SimTime t);
// "1/5/2026 8:00:00": klist's 24-hour form (without " (local)").
std::string UsDateTime24(SimTime t);
// "2026-01-05T08:00:00.000": wevtutil's /f:text date.
std::string IsoMillis(SimTime t);

// "DC=corp,DC=example,DC=com".
std::string DomainDn(const DomainConfig& domain);
// "CN=WS01,CN=Computers,DC=..." for a computer account (sAMAccountName ending
// in "$"), "CN=svc-web,CN=Users,DC=..." for any other account.
std::string AccountDn(const DomainConfig& domain, const ComputerAccount& account);
// "WS01" for "WS01$"; other names unchanged.
std::string AccountCn(const ComputerAccount& account);
bool IsComputerAccount(const ComputerAccount& account);
// "DC01.corp.example.com".
std::string HostFqdn(const DomainConfig& domain, absl::string_view host);

// Case-insensitive match of `text` against `pattern`, where "*" matches any
// run of characters (setspn -Q and LDAP substring filters).
bool WildcardMatch(absl::string_view pattern, absl::string_view text);

}  // namespace trustsim::sim::tools

#endif  // TRUSTSIM_SIM_TOOLS_WINDOWS_TEXT_H_
