// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/rc4.h"

#include "protocol/crypto/internal/openssl.h"

namespace trustsim::crypto {

Bytes Rc4(ByteView key, ByteView data) {
  Bytes out(data.size());
  if (data.empty()) return out;
  internal::CheckOk(internal::RunCipher(internal::CipherId::kRc4, internal::Direction::kEncrypt,
                                        key, {}, data, out.data()));
  return out;
}

}  // namespace trustsim::crypto
