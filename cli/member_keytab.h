// Copyright 2026 The trustsim Authors.
//
// member_keytab.h
// -----------------------------------------------------------------------------
//
// A member's keytab as MIT tools read it (format 0x502): the keys of the
// password its LSA holds, under the account name (WS01$) and its host SPNs'
// principal (host/ws01.corp.example.com), so `kinit -k -t FILE 'WS01$'` and
// `kinit -k -t FILE host/ws01.corp.example.com` behave exactly as that member
// would. CurrVal is numbered with the kvno the DC holds; OldVal, on request,
// with kvno - 1.

#ifndef TRUSTSIM_CLI_MEMBER_KEYTAB_H_
#define TRUSTSIM_CLI_MEMBER_KEYTAB_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "protocol/kerberos/keytab.h"
#include "sim/world.h"

namespace trustsim::cli {

struct MemberKeytab {
  std::vector<kerberos::KeytabEntry> entries;
  // "CurrVal v3 at kvno 4, OldVal v2 at kvno 3", for people.
  std::string summary;
};

// The keytab of `host`'s LSA secret now. Fails if `host` is not a joined
// member.
absl::StatusOr<MemberKeytab> BuildMemberKeytab(sim::World& world, absl::string_view host,
                                               bool with_old);

// Writes `entries` to `path` (mode 0600).
absl::Status WriteKeytabFile(const std::string& path,
                             const std::vector<kerberos::KeytabEntry>& entries);

}  // namespace trustsim::cli

#endif  // TRUSTSIM_CLI_MEMBER_KEYTAB_H_
