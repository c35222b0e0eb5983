// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/rfc3961.h"

#include <cassert>
#include <numeric>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "base/byte_writer.h"
#include "base/status_macros.h"
#include "protocol/crypto/aes.h"

namespace trustsim::crypto {

Bytes NFold(ByteView input, size_t output_bytes) {
  assert(!input.empty() && output_bytes > 0);
  const size_t in_bytes = input.size();
  const size_t lcm = std::lcm(in_bytes, output_bytes);
  const size_t in_bits = in_bytes * 8;

  // Byte `i` of the lcm-length buffer is built from copies of the input, each
  // rotated right by 13 bits more than the one before. Bit `b` (0 = most
  // significant) of copy `k` is bit (b - 13k) mod in_bits of the input.
  auto input_bit = [&](size_t bit) -> unsigned { return (input[bit / 8] >> (7 - bit % 8)) & 1u; };
  auto stretched_byte = [&](size_t index) -> unsigned {
    const size_t copy = index / in_bytes;
    const size_t rotation = (13 * copy) % in_bits;
    unsigned value = 0;
    for (size_t j = 0; j < 8; ++j) {
      const size_t bit_in_copy = ((index % in_bytes) * 8 + j + in_bits - rotation) % in_bits;
      value = value << 1 | input_bit(bit_in_copy);
    }
    return value;
  };

  // Add the output-sized chunks with one's-complement (end-around carry)
  // addition, working from the least significant byte.
  std::vector<unsigned> sum(output_bytes, 0);
  for (size_t chunk = 0; chunk < lcm / output_bytes; ++chunk) {
    unsigned carry = 0;
    for (size_t i = output_bytes; i-- > 0;) {
      const unsigned v = sum[i] + stretched_byte(chunk * output_bytes + i) + carry;
      sum[i] = v & 0xFF;
      carry = v >> 8;
    }
    for (size_t i = output_bytes; carry != 0 && i-- > 0;) {
      const unsigned v = sum[i] + carry;
      sum[i] = v & 0xFF;
      carry = v >> 8;
    }
  }
  return Bytes(sum.begin(), sum.end());
}

absl::StatusOr<Bytes> DeriveRandom(ByteView key, ByteView constant) {
  if (constant.empty()) return absl::InvalidArgumentError("DR: empty constant");
  Bytes out;
  out.reserve(key.size());
  AesBlock block = ToArray<16>(NFold(constant, 16));
  while (out.size() < key.size()) {
    ASSIGN_OR_RETURN(block, AesEncryptBlock(key, block));
    out.insert(out.end(), block.begin(), block.end());
  }
  out.resize(key.size());
  return out;
}

absl::StatusOr<Bytes> DeriveKey(ByteView key, ByteView constant) {
  // Every Kerberos encryption derives two keys, and a KDC derives the same
  // ones over and over (krbtgt's, a busy service's), so derived keys are
  // cached per thread, as MIT caches them on its key handles. The cache is
  // bounded: it is emptied when it fills.
  constexpr size_t kMaxCached = 1024;
  thread_local absl::flat_hash_map<std::string, Bytes> cache;
  std::string id(reinterpret_cast<const char*>(key.data()), key.size());
  id.append(reinterpret_cast<const char*>(constant.data()), constant.size());
  id.push_back(static_cast<char>(key.size()));
  if (auto it = cache.find(id); it != cache.end()) return it->second;
  ASSIGN_OR_RETURN(Bytes derived, DeriveRandom(key, constant));
  if (cache.size() >= kMaxCached) cache.clear();
  cache.emplace(std::move(id), derived);
  return derived;
}

Bytes UsageConstant(uint32_t usage, KeyRole role) {
  ByteWriter w;
  w.WriteU32Be(usage);
  w.WriteU8(static_cast<uint8_t>(role));
  return std::move(w).Take();
}

}  // namespace trustsim::crypto
