// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/credential.h"

#include <algorithm>

#include "base/byte_writer.h"
#include "protocol/crypto/aes.h"
#include "protocol/crypto/des.h"
#include "protocol/netlogon/negotiate_flags.h"

namespace trustsim::netlogon {
namespace {

uint32_t LoadU32Le(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint32_t Low32(const NetlogonChallenge& c) { return LoadU32Le(c.data()); }
uint32_t High32(const NetlogonChallenge& c) { return LoadU32Le(c.data() + 4); }

crypto::DesBlock SumChallenges(const NetlogonChallenge& a, const NetlogonChallenge& b,
                               DesChallengeSum mode) {
  ByteWriter w;
  if (mode == DesChallengeSum::kSambaHalves) {
    w.WriteU32Le(Low32(a) + Low32(b));
    w.WriteU32Le(High32(a) + High32(b));
  } else {
    const uint64_t sum =
        (uint64_t{High32(a)} << 32 | Low32(a)) + (uint64_t{High32(b)} << 32 | Low32(b));
    w.WriteU64Le(sum);
  }
  return ToArray<8>(w.view());
}

}  // namespace

const char* SecureChannelCryptoName(SecureChannelCrypto crypto) {
  switch (crypto) {
    case SecureChannelCrypto::kAes:
      return "AES";
    case SecureChannelCrypto::kStrongKey:
      return "strong-key";
    case SecureChannelCrypto::kDes:
      return "DES";
  }
  return "unknown";
}

SecureChannelCrypto SelectCrypto(uint32_t negotiated_flags) {
  if (negotiated_flags & kNegSupportsAes) return SecureChannelCrypto::kAes;
  if (negotiated_flags & kNegStrongKeys) return SecureChannelCrypto::kStrongKey;
  return SecureChannelCrypto::kDes;
}

SessionKey ComputeSessionKey(SecureChannelCrypto crypto, const crypto::NtHash& nt_hash,
                             const NetlogonChallenge& client_challenge,
                             const NetlogonChallenge& server_challenge, DesChallengeSum des_sum) {
  switch (crypto) {
    case SecureChannelCrypto::kAes: {
      ByteWriter data;
      data.WriteBytes(client_challenge);
      data.WriteBytes(server_challenge);
      const crypto::Digest32 mac = crypto::HmacSha256(nt_hash, data.view());
      return ToArray<16>(ByteView(mac).first(16));
    }
    case SecureChannelCrypto::kStrongKey: {
      ByteWriter data;
      data.WriteU32Le(0);
      data.WriteBytes(client_challenge);
      data.WriteBytes(server_challenge);
      return crypto::HmacMd5(nt_hash, crypto::Md5(data.view()));
    }
    case SecureChannelCrypto::kDes: {
      const crypto::DesBlock sum = SumChallenges(client_challenge, server_challenge, des_sum);
      const crypto::DesBlock key = crypto::DesCrypt128(nt_hash, sum);
      SessionKey sk{};
      std::copy(key.begin(), key.end(), sk.begin());
      return sk;
    }
  }
  return {};
}

NetlogonCredential ComputeNetlogonCredential(SecureChannelCrypto crypto,
                                             const NetlogonCredential& input,
                                             const SessionKey& session_key) {
  if (crypto == SecureChannelCrypto::kAes) {
    return ToArray<8>(crypto::Aes128Cfb8Encrypt(session_key, input));
  }
  return crypto::DesCrypt112(session_key, input);
}

NetlogonCredential AddToLow32(const NetlogonCredential& credential, uint32_t value) {
  NetlogonCredential out = credential;
  const uint32_t low = Low32(credential) + value;
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(low >> (8 * i));
  return out;
}

}  // namespace trustsim::netlogon
