// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/negotiate_flags.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace trustsim::netlogon {
namespace {

struct FlagName {
  uint32_t bit;
  const char* name;
};

constexpr FlagName kFlagNames[] = {
    {kNegAccountLockout, "ACCOUNT_LOCKOUT"},
    {kNegPersistentSamrepl, "PERSISTENT_SAMREPL"},
    {kNegArcfour, "ARCFOUR"},
    {kNegPromotionCount, "PROMOTION_COUNT"},
    {kNegChangelogBdc, "CHANGELOG_BDC"},
    {kNegFullSyncRepl, "FULL_SYNC_REPL"},
    {kNegMultipleSids, "MULTIPLE_SIDS"},
    {kNegRedo, "REDO"},
    {kNegPasswordChangeRefusal, "PASSWORD_CHANGE_REFUSAL"},
    {kNegSendPasswordInfoPdc, "SEND_PASSWORD_INFO_PDC"},
    {kNegGenericPassthrough, "GENERIC_PASSTHROUGH"},
    {kNegConcurrentRpc, "CONCURRENT_RPC"},
    {kNegAvoidAccountDbRepl, "AVOID_ACCOUNT_DB_REPL"},
    {kNegAvoidSecurityauthDbRepl, "AVOID_SECURITYAUTH_DB_REPL"},
    {kNegStrongKeys, "STRONG_KEYS"},
    {kNegTransitiveTrusts, "TRANSITIVE_TRUSTS"},
    {kNegDnsDomainTrusts, "DNS_DOMAIN_TRUSTS"},
    {kNegPasswordSet2, "PASSWORD_SET2"},
    {kNegGetDomainInfo, "GETDOMAININFO"},
    {kNegCrossForestTrusts, "CROSS_FOREST_TRUSTS"},
    {kNegNeutralizeNt4Emulation, "NEUTRALIZE_NT4_EMULATION"},
    {kNegRodcPassthrough, "RODC_PASSTHROUGH"},
    {kNegSupportsAesSha2, "SUPPORTS_AES_SHA2"},
    {kNegSupportsAes, "SUPPORTS_AES"},
    {kNegAuthenticatedRpcLsass, "AUTHENTICATED_RPC_LSASS"},
    {kNegAuthenticatedRpc, "AUTHENTICATED_RPC"},
    {kNegSupportsKerberosAuth, "SUPPORTS_KERBEROS_AUTH"},
};

}  // namespace

std::string FormatNegotiateFlags(uint32_t flags) {
  if (flags == 0) return "0";
  std::string out;
  uint32_t rest = flags;
  for (const FlagName& f : kFlagNames) {
    if ((flags & f.bit) == 0) continue;
    absl::StrAppend(&out, out.empty() ? "" : "|", f.name);
    rest &= ~f.bit;
  }
  if (rest != 0) absl::StrAppend(&out, out.empty() ? "" : "|", absl::StrFormat("0x%08x", rest));
  return out;
}

}  // namespace trustsim::netlogon
