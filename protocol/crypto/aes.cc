// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/aes.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "protocol/crypto/internal/openssl.h"

namespace trustsim::crypto {
namespace {

using internal::CipherId;
using internal::Direction;
using internal::RunCipher;

constexpr uint8_t kZeroIv[16] = {};

Bytes Cfb8(const Aes128Key& key, ByteView in, Direction direction) {
  Bytes out(in.size());
  if (in.empty()) return out;
  internal::CheckOk(RunCipher(CipherId::kAes128Cfb8, direction, key, kZeroIv, in, out.data()));
  return out;
}

absl::StatusOr<CipherId> CtsCipherFor(ByteView key) {
  if (key.size() == 16) return CipherId::kAes128CbcCts;
  if (key.size() == 32) return CipherId::kAes256CbcCts;
  return absl::InvalidArgumentError(absl::StrCat("aes: bad key length ", key.size()));
}

absl::StatusOr<Bytes> Cts(ByteView key, ByteView in, Direction direction) {
  ASSIGN_OR_RETURN(CipherId cipher, CtsCipherFor(key));
  if (in.size() < 16) {
    return absl::InvalidArgumentError(
        absl::StrCat("aes-cts: input of ", in.size(), " bytes is shorter than one block"));
  }
  Bytes out(in.size());
  RETURN_IF_ERROR(RunCipher(cipher, direction, key, kZeroIv, in, out.data(), "CS3"));
  return out;
}

}  // namespace

Bytes Aes128Cfb8Encrypt(const Aes128Key& key, ByteView plaintext) {
  return Cfb8(key, plaintext, Direction::kEncrypt);
}

Bytes Aes128Cfb8Decrypt(const Aes128Key& key, ByteView ciphertext) {
  return Cfb8(key, ciphertext, Direction::kDecrypt);
}

absl::StatusOr<Bytes> AesCtsEncrypt(ByteView key, ByteView plaintext) {
  return Cts(key, plaintext, Direction::kEncrypt);
}

absl::StatusOr<Bytes> AesCtsDecrypt(ByteView key, ByteView ciphertext) {
  return Cts(key, ciphertext, Direction::kDecrypt);
}

absl::StatusOr<AesBlock> AesEncryptBlock(ByteView key, const AesBlock& block) {
  CipherId cipher;
  if (key.size() == 16) {
    cipher = CipherId::kAes128Ecb;
  } else if (key.size() == 32) {
    cipher = CipherId::kAes256Ecb;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("aes: bad key length ", key.size()));
  }
  AesBlock out{};
  RETURN_IF_ERROR(RunCipher(cipher, Direction::kEncrypt, key, {}, block, out.data()));
  return out;
}

}  // namespace trustsim::crypto
