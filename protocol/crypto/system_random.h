// Copyright 2026 The trustsim Authors.
//
// system_random.h
// -----------------------------------------------------------------------------
//
// A `RandomSource` backed by OpenSSL's CSPRNG, for live servers whose
// challenges and session keys face real clients. The simulator never uses it:
// simulated runs take all randomness from one `SeededRandom`.

#ifndef TRUSTSIM_PROTOCOL_CRYPTO_SYSTEM_RANDOM_H_
#define TRUSTSIM_PROTOCOL_CRYPTO_SYSTEM_RANDOM_H_

#include "base/random.h"

namespace trustsim::crypto {

class SystemRandom final : public RandomSource {
 public:
  void Fill(absl::Span<uint8_t> out) override;
};

}  // namespace trustsim::crypto

#endif  // TRUSTSIM_PROTOCOL_CRYPTO_SYSTEM_RANDOM_H_
