// Copyright 2026 The trustsim Authors.

#include "base/random.h"

#include <cassert>

namespace trustsim {

uint64_t RandomSource::NextU64() {
  uint8_t b[8];
  Fill(absl::MakeSpan(b));
  uint64_t v = 0;
  for (uint8_t byte : b) v = v << 8 | byte;
  return v;
}

uint64_t RandomSource::Uniform(uint64_t bound) {
  assert(bound > 0);
  // Rejection sampling keeps the distribution exactly uniform.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t v;
  do {
    v = NextU64();
  } while (v >= limit);
  return v % bound;
}

void SeededRandom::Fill(absl::Span<uint8_t> out) {
  size_t i = 0;
  while (i < out.size()) {
    uint64_t word = engine_();
    for (int k = 0; k < 8 && i < out.size(); ++k, ++i) {
      out[i] = static_cast<uint8_t>(word);
      word >>= 8;
    }
  }
}

}  // namespace trustsim
