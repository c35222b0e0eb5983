// Copyright 2026 The trustsim Authors.
//
// negotiate_flags.h
// -----------------------------------------------------------------------------
//
// Netlogon negotiate flags (MS-NRPC 3.1.4.2; Samba librpc/idl/netlogon.idl
// netr_NegotiateFlags). The flags a session uses are the AND of what the
// client asks for and what the server supports; the crypto is chosen from the
// result (see credential.h).

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_NEGOTIATE_FLAGS_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_NEGOTIATE_FLAGS_H_

#include <cstdint>
#include <string>

namespace trustsim::netlogon {

enum NegotiateFlag : uint32_t {
  kNegAccountLockout = 0x00000001,
  kNegPersistentSamrepl = 0x00000002,
  kNegArcfour = 0x00000004,  // MS-NRPC "C"
  kNegPromotionCount = 0x00000008,
  kNegChangelogBdc = 0x00000010,
  kNegFullSyncRepl = 0x00000020,
  kNegMultipleSids = 0x00000040,
  kNegRedo = 0x00000080,
  kNegPasswordChangeRefusal = 0x00000100,
  kNegSendPasswordInfoPdc = 0x00000200,
  kNegGenericPassthrough = 0x00000400,
  kNegConcurrentRpc = 0x00000800,
  kNegAvoidAccountDbRepl = 0x00001000,
  kNegAvoidSecurityauthDbRepl = 0x00002000,
  kNegStrongKeys = 0x00004000,  // MS-NRPC "O"
  kNegTransitiveTrusts = 0x00008000,
  kNegDnsDomainTrusts = 0x00010000,
  kNegPasswordSet2 = 0x00020000,
  kNegGetDomainInfo = 0x00040000,
  kNegCrossForestTrusts = 0x00080000,
  kNegNeutralizeNt4Emulation = 0x00100000,
  kNegRodcPassthrough = 0x00200000,
  kNegSupportsAesSha2 = 0x00400000,  // legacy draft bit
  kNegSupportsAes = 0x01000000,      // MS-NRPC "W"
  kNegAuthenticatedRpcLsass = 0x20000000,
  kNegAuthenticatedRpc = 0x40000000,  // MS-NRPC "Y", schannel
  kNegSupportsKerberosAuth = 0x80000000,
};

// What a Windows 10 / Server client asks of a Windows DC (Microsoft's
// netlogon.log samples: "Negotiated flags with server are 0x612fffff").
inline constexpr uint32_t kWindowsClientFlags = 0x612fffff;
// The same without AUTHENTICATED_RPC, as impacket-based tools send.
inline constexpr uint32_t kWindowsClientFlagsNoSchannel = 0x212fffff;
// Samba AD DC's server flags (dcesrv_netr_ServerAuthenticateGeneric).
inline constexpr uint32_t kSambaAdServerFlags = 0x613fffff;

// Returns the flags joined with '|' by name ("ARCFOUR|STRONG_KEYS|..."), with
// unknown bits as hex; "0" for none.
std::string FormatNegotiateFlags(uint32_t flags);

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_NEGOTIATE_FLAGS_H_
