// Copyright 2026 The trustsim Authors.
//
// Helpers for writing vectors in tests.

#ifndef TRUSTSIM_TESTS_PROTOCOL_CRYPTO_TEST_UTIL_H_
#define TRUSTSIM_TESTS_PROTOCOL_CRYPTO_TEST_UTIL_H_

#include "absl/strings/string_view.h"
#include "base/bytes.h"
#include "gtest/gtest.h"

namespace trustsim::testing {

// Parses hex written as in RFC text; a malformed literal fails the test.
inline Bytes Hex(absl::string_view hex) {
  auto bytes = FromHex(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : Bytes{};
}

// Normalises RFC-style hex ("cd ed b5") for comparison with ToHex output.
inline std::string NormHex(absl::string_view hex) { return ToHex(Hex(hex)); }

}  // namespace trustsim::testing

#endif  // TRUSTSIM_TESTS_PROTOCOL_CRYPTO_TEST_UTIL_H_
