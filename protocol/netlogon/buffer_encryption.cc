// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/buffer_encryption.h"

#include <algorithm>

#include "protocol/crypto/aes.h"
#include "protocol/crypto/des.h"
#include "protocol/crypto/rc4.h"
#include "protocol/netlogon/negotiate_flags.h"

namespace trustsim::netlogon {
namespace {

bool IsAllZero(const OwfPassword& p) {
  return std::all_of(p.begin(), p.end(), [](uint8_t b) { return b == 0; });
}

OwfPassword RunOwf(const SessionKey& session_key, const OwfPassword& in,
                   crypto::DesDirection direction) {
  if (IsAllZero(in)) return in;
  return crypto::DesCrypt112x16(session_key, in, direction);
}

}  // namespace

BufferCipher SelectBufferCipher(uint32_t negotiated_flags) {
  if (negotiated_flags & kNegSupportsAes) return BufferCipher::kAesCfb8;
  if (negotiated_flags & kNegArcfour) return BufferCipher::kRc4;
  return BufferCipher::kNone;
}

Bytes EncryptBuffer(BufferCipher cipher, const SessionKey& session_key, ByteView plaintext) {
  switch (cipher) {
    case BufferCipher::kAesCfb8:
      return crypto::Aes128Cfb8Encrypt(session_key, plaintext);
    case BufferCipher::kRc4:
      return crypto::Rc4(session_key, plaintext);
    case BufferCipher::kNone:
      break;
  }
  return Bytes(plaintext.begin(), plaintext.end());
}

Bytes DecryptBuffer(BufferCipher cipher, const SessionKey& session_key, ByteView ciphertext) {
  if (cipher == BufferCipher::kAesCfb8) return crypto::Aes128Cfb8Decrypt(session_key, ciphertext);
  return EncryptBuffer(cipher, session_key, ciphertext);  // RC4 and none are symmetric.
}

OwfPassword EncryptOwfPassword(const SessionKey& session_key, const OwfPassword& nt_hash) {
  return RunOwf(session_key, nt_hash, crypto::DesDirection::kEncrypt);
}

OwfPassword DecryptOwfPassword(const SessionKey& session_key, const OwfPassword& encrypted) {
  return RunOwf(session_key, encrypted, crypto::DesDirection::kDecrypt);
}

}  // namespace trustsim::netlogon
