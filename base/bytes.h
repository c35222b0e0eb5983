// Copyright 2026 The trustsim Authors.
//
// bytes.h
// -----------------------------------------------------------------------------
//
// The byte vocabulary shared by every layer: an owning `Bytes` buffer, a
// non-owning `ByteView`, and hex conversion for tests, traces and vectors.

#ifndef TRUSTSIM_BASE_BYTES_H_
#define TRUSTSIM_BASE_BYTES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace trustsim {

using Bytes = std::vector<uint8_t>;
using ByteView = absl::Span<const uint8_t>;

// Returns the bytes of `s`, unchanged.
inline ByteView AsBytes(absl::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Returns lowercase hex, two digits per byte, without separators.
std::string ToHex(ByteView bytes);

// Parses hex. Whitespace between digit pairs is ignored, so vectors can be
// copied from RFC text ("cd ed b5 28"). Odd digit counts and non-hex characters
// are errors.
absl::StatusOr<Bytes> FromHex(absl::string_view hex);

// Copies `view` into a fixed-size array. `view.size()` must equal N.
template <size_t N>
std::array<uint8_t, N> ToArray(ByteView view) {
  std::array<uint8_t, N> out{};
  for (size_t i = 0; i < N && i < view.size(); ++i) out[i] = view[i];
  return out;
}

}  // namespace trustsim

#endif  // TRUSTSIM_BASE_BYTES_H_
