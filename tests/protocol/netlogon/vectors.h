// Copyright 2026 The trustsim Authors.
//
// The derived Netlogon example of protocol-facts.md §8: password "Passw0rd!",
// CC = 0102030405060708, SC = 1112131415161718, authenticator timestamp
// 1700000000. Computed independently of trustsim; not official Microsoft
// vectors.

#ifndef TRUSTSIM_TESTS_PROTOCOL_NETLOGON_VECTORS_H_
#define TRUSTSIM_TESTS_PROTOCOL_NETLOGON_VECTORS_H_

#include <cstdint>
#include <ostream>

#include "protocol/netlogon/credential.h"
#include "protocol/netlogon/negotiate_flags.h"

namespace trustsim::netlogon::testing {

inline constexpr char kPassword[] = "Passw0rd!";
inline constexpr char kNtHash[] = "fc525c9683e8fe067095ba2ddc971889";
inline constexpr char kClientChallenge[] = "0102030405060708";
inline constexpr char kServerChallenge[] = "1112131415161718";
inline constexpr uint32_t kTimestamp = 1700000000;

struct CryptoVector {
  const char* name;
  uint32_t flags;
  SecureChannelCrypto crypto;
  const char* session_key;
  const char* client_credential;
  const char* server_credential;
  const char* authenticator;
  const char* return_authenticator;
  const char* seed_after;
};

inline constexpr CryptoVector kCryptoVectors[] = {
    {"AES", kNegSupportsAes | kNegStrongKeys, SecureChannelCrypto::kAes,
     "544bd695e97c4a55e31d11bd27a3b3b4", "67f84c8521df708d", "77b024596f032b3a", "016678b6d6942516",
     "0e99db0621d20705", "68e9a0ea21df708d"},
    {"Strong", kNegStrongKeys, SecureChannelCrypto::kStrongKey, "0494393fd21663ac8fa1bd79ad27e75f",
     "74d5fc0083262265", "3b46cc4421124205", "da2f3a6c071fe781", "b30dcb3ad4cee103",
     "75c6506683262265"},
    {"Des", 0, SecureChannelCrypto::kDes, "0ed0e973a3cbf1060000000000000000", "791970805a910896",
     "d73a6a6cdac6a49e", "6bcb7c65bbdec58f", "c890221074173106", "7a0ac4e55a910896"},
};

// Test names show the vector's name rather than its bytes.
inline void PrintTo(const CryptoVector& v, std::ostream* os) { *os << v.name; }

}  // namespace trustsim::netlogon::testing

#endif  // TRUSTSIM_TESTS_PROTOCOL_NETLOGON_VECTORS_H_
