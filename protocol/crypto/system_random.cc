// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/system_random.h"

#include <openssl/rand.h>

#include "protocol/crypto/internal/openssl.h"

namespace trustsim::crypto {

void SystemRandom::Fill(absl::Span<uint8_t> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    internal::CheckOk(internal::OpenSslError("RAND_bytes"));
  }
}

}  // namespace trustsim::crypto
