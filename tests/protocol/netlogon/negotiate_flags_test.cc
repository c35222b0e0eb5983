// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/negotiate_flags.h"

#include "gtest/gtest.h"

namespace trustsim::netlogon {
namespace {

TEST(NegotiateFlagsTest, ValuesFromTheIdl) {
  EXPECT_EQ(kNegArcfour, 0x4u);
  EXPECT_EQ(kNegStrongKeys, 0x4000u);
  EXPECT_EQ(kNegSupportsAes, 0x01000000u);
  EXPECT_EQ(kNegAuthenticatedRpc, 0x40000000u);
  EXPECT_EQ(kNegPasswordChangeRefusal, 0x100u);
}

TEST(NegotiateFlagsTest, WindowsClientFlagsDecodeAsProtocolFactsSays) {
  // 0x612fffff = bits 0x1..0x80000, RODC_PASSTHROUGH, AES, AUTH_RPC_LSASS and
  // AUTH_RPC; NEUTRALIZE_NT4_EMULATION is not set.
  uint32_t low = 0;
  for (uint32_t bit = 1; bit <= 0x80000; bit <<= 1) low |= bit;
  EXPECT_EQ(kWindowsClientFlags, low | kNegRodcPassthrough | kNegSupportsAes |
                                     kNegAuthenticatedRpcLsass | kNegAuthenticatedRpc);
  EXPECT_EQ(kWindowsClientFlags & kNegNeutralizeNt4Emulation, 0u);
  EXPECT_EQ(kWindowsClientFlagsNoSchannel, kWindowsClientFlags & ~kNegAuthenticatedRpc);
}

TEST(NegotiateFlagsTest, Format) {
  EXPECT_EQ(FormatNegotiateFlags(0), "0");
  EXPECT_EQ(FormatNegotiateFlags(kNegArcfour | kNegSupportsAes), "ARCFOUR|SUPPORTS_AES");
  EXPECT_EQ(FormatNegotiateFlags(0x02000000 | kNegStrongKeys), "STRONG_KEYS|0x02000000");
}

}  // namespace
}  // namespace trustsim::netlogon
