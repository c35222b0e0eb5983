// Copyright 2026 The trustsim Authors.

#include "sim/tools/windows_text.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace trustsim::sim::tools {
namespace {

absl::CivilSecond Civil(SimTime t) {
  return absl::ToCivilSecond(absl::FromUnixMicros(t), absl::UTCTimeZone());
}

}  // namespace

std::string UsDateTime(SimTime t) {
  const absl::CivilSecond c = Civil(t);
  const int hour12 = c.hour() % 12 == 0 ? 12 : c.hour() % 12;
  return absl::StrFormat("%d/%d/%d %d:%02d:%02d %s", c.month(), c.day(), c.year(), hour12,
                         c.minute(), c.second(), c.hour() < 12 ? "AM" : "PM");
}

std::string UsDateTime24(SimTime t) {
  const absl::CivilSecond c = Civil(t);
  return absl::StrFormat("%d/%d/%d %d:%02d:%02d", c.month(), c.day(), c.year(), c.hour(),
                         c.minute(), c.second());
}

std::string IsoMillis(SimTime t) {
  const absl::CivilSecond c = Civil(t);
  SimDuration within = t % kSecond;
  if (within < 0) within += kSecond;
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%03d", c.year(), c.month(), c.day(),
                         c.hour(), c.minute(), c.second(), within / kMillisecond);
}

std::string DomainDn(const DomainConfig& domain) {
  std::vector<std::string> parts;
  for (absl::string_view label : absl::StrSplit(domain.dns_name, '.', absl::SkipEmpty())) {
    parts.push_back(absl::StrCat("DC=", label));
  }
  return absl::StrJoin(parts, ",");
}

bool IsComputerAccount(const ComputerAccount& account) {
  return absl::EndsWith(account.sam_account_name, "$");
}

std::string AccountCn(const ComputerAccount& account) {
  std::string name = account.sam_account_name;
  if (IsComputerAccount(account)) name.pop_back();
  return name;
}

std::string AccountDn(const DomainConfig& domain, const ComputerAccount& account) {
  return absl::StrCat("CN=", AccountCn(account),
                      IsComputerAccount(account) ? ",CN=Computers," : ",CN=Users,",
                      DomainDn(domain));
}

std::string HostFqdn(const DomainConfig& domain, absl::string_view host) {
  return absl::StrCat(absl::AsciiStrToUpper(host), ".", domain.dns_name);
}

bool WildcardMatch(absl::string_view pattern, absl::string_view text) {
  // Iterative glob matching with backtracking to the last "*".
  size_t p = 0, t = 0, star = absl::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && absl::ascii_tolower(static_cast<unsigned char>(pattern[p])) ==
                                         absl::ascii_tolower(static_cast<unsigned char>(text[t]))) {
      ++p;
      ++t;
    } else if (star != absl::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace trustsim::sim::tools
