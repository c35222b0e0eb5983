// Copyright 2026 The trustsim Authors.
//
// random.h
// -----------------------------------------------------------------------------
//
// `RandomSource` is how every layer asks for randomness: challenges,
// confounders, machine passwords, jitter. Code never reaches for a global
// generator; it is handed a `RandomSource&`. The simulator hands out one
// `SeededRandom`, so the same seed gives the same run; the live servers hand
// out an OpenSSL-backed source (see protocol/crypto/system_random.h).
//
// Example:
//
//   SeededRandom rng(/*seed=*/42);
//   std::array<uint8_t, 8> challenge;
//   rng.Fill(absl::MakeSpan(challenge));

#ifndef TRUSTSIM_BASE_RANDOM_H_
#define TRUSTSIM_BASE_RANDOM_H_

#include <cstdint>
#include <random>

#include "absl/types/span.h"

namespace trustsim {

class RandomSource {
 public:
  virtual ~RandomSource() = default;

  // Fills `out` with random bytes.
  virtual void Fill(absl::Span<uint8_t> out) = 0;

  // Returns 64 random bits.
  uint64_t NextU64();

  // Returns a value uniformly distributed in [0, bound). `bound` must be > 0.
  uint64_t Uniform(uint64_t bound);
};

// A deterministic generator: the same seed yields the same byte stream on every
// platform, because std::mt19937_64's output sequence is fixed by the C++
// standard. Not for secrets that leave the simulation.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}

  void Fill(absl::Span<uint8_t> out) override;

 private:
  std::mt19937_64 engine_;
};

}  // namespace trustsim

#endif  // TRUSTSIM_BASE_RANDOM_H_
