// Copyright 2026 The trustsim Authors.

#include "protocol/crypto/internal/openssl.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/provider.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"

namespace trustsim::crypto::internal {
namespace {

struct Algorithms {
  const EVP_CIPHER* ciphers[7] = {};
  const EVP_MD* digests[4] = {};
  EVP_MAC* hmac = nullptr;
};

constexpr const char* kDigestNames[] = {"MD4", "MD5", "SHA1", "SHA256"};

[[noreturn]] void DieMissing(const char* name) {
  std::fprintf(stderr,
               "trustsim: OpenSSL cannot provide %s. MD4, RC4 and DES need OpenSSL 3's legacy "
               "provider (Debian: libssl3, ossl-modules/legacy.so).\n",
               name);
  std::abort();
}

const Algorithms& Get() {
  static const Algorithms* const algorithms = [] {
    // Loading "legacy" explicitly switches off the implicit "default" load, so
    // both are named.
    if (OSSL_PROVIDER_load(nullptr, "default") == nullptr) DieMissing("the default provider");
    if (OSSL_PROVIDER_load(nullptr, "legacy") == nullptr) DieMissing("the legacy provider");
    auto* a = new Algorithms;
    static constexpr const char* kCipherNames[] = {
        "AES-128-ECB",     "AES-256-ECB", "AES-128-CFB8", "AES-128-CBC-CTS",
        "AES-256-CBC-CTS", "DES-ECB",     "RC4"};
    for (int i = 0; i < 7; ++i) {
      a->ciphers[i] = EVP_CIPHER_fetch(nullptr, kCipherNames[i], nullptr);
      if (a->ciphers[i] == nullptr) DieMissing(kCipherNames[i]);
    }
    for (int i = 0; i < 4; ++i) {
      a->digests[i] = EVP_MD_fetch(nullptr, kDigestNames[i], nullptr);
      if (a->digests[i] == nullptr) DieMissing(kDigestNames[i]);
    }
    a->hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (a->hmac == nullptr) DieMissing("HMAC");
    return a;
  }();
  return *algorithms;
}

}  // namespace

const EVP_CIPHER* Cipher(CipherId id) { return Get().ciphers[static_cast<int>(id)]; }
const EVP_MD* Digest(DigestId id) { return Get().digests[static_cast<int>(id)]; }

absl::Status OpenSslError(const char* what) {
  const unsigned long code = ERR_get_error();
  char text[256] = "no OpenSSL error recorded";
  if (code != 0) ERR_error_string_n(code, text, sizeof(text));
  ERR_clear_error();
  return absl::InternalError(absl::StrCat(what, ": ", text));
}

namespace {

struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

// A context with its digest set, one per digest and thread.
EVP_MAC_CTX* HmacContext(DigestId digest) {
  thread_local std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> contexts[4];
  auto& ctx = contexts[static_cast<int>(digest)];
  if (ctx == nullptr) {
    ctx.reset(EVP_MAC_CTX_new(Get().hmac));
    if (ctx == nullptr) CheckOk(OpenSslError("EVP_MAC_CTX_new"));
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(
            OSSL_MAC_PARAM_DIGEST, const_cast<char*>(kDigestNames[static_cast<int>(digest)]), 0),
        OSSL_PARAM_END};
    if (EVP_MAC_CTX_set_params(ctx.get(), params) != 1) {
      CheckOk(OpenSslError("EVP_MAC_CTX_set_params"));
    }
  }
  return ctx.get();
}

}  // namespace

void Hmac(DigestId digest, ByteView key, ByteView data, uint8_t* out, size_t out_size) {
  static constexpr uint8_t kEmptyKey[1] = {0};
  EVP_MAC_CTX* ctx = HmacContext(digest);
  size_t written = 0;
  if (EVP_MAC_init(ctx, key.empty() ? kEmptyKey : key.data(), key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx, out, &written, out_size) != 1 || written != out_size) {
    CheckOk(OpenSslError("HMAC"));
  }
}

void CheckOk(const absl::Status& status) {
  if (status.ok()) return;
  std::fprintf(stderr, "trustsim: fatal OpenSSL failure: %s\n", status.ToString().c_str());
  std::abort();
}

absl::Status RunCipher(CipherId cipher, Direction direction, ByteView key, ByteView iv, ByteView in,
                       uint8_t* out, const char* cts_mode) {
  // One context per cipher and thread, bound to its cipher once. Every call
  // re-keys it and resets the IV, so no state carries from one call to the
  // next: each call starts exactly as a new context would, without paying
  // for the allocation and provider lookup.
  thread_local CipherCtx contexts[7];
  CipherCtx& slot = contexts[static_cast<int>(cipher)];
  const int enc = direction == Direction::kEncrypt ? 1 : 0;
  const EVP_CIPHER* c = Cipher(cipher);
  if (slot == nullptr) {
    slot.reset(EVP_CIPHER_CTX_new());
    if (slot == nullptr) return OpenSslError("EVP_CIPHER_CTX_new");
    if (EVP_CipherInit_ex2(slot.get(), c, nullptr, nullptr, enc, nullptr) != 1) {
      return OpenSslError("EVP_CipherInit_ex2");
    }
  }
  EVP_CIPHER_CTX* ctx = slot.get();
  OSSL_PARAM params[2] = {OSSL_PARAM_END, OSSL_PARAM_END};
  if (cts_mode != nullptr) {
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_CIPHER_PARAM_CTS_MODE,
                                                 const_cast<char*>(cts_mode), 0);
  }
  // Only RC4 takes keys of other lengths than the cipher's default.
  if (static_cast<size_t>(EVP_CIPHER_get_key_length(c)) != key.size() &&
      EVP_CIPHER_CTX_set_key_length(ctx, static_cast<int>(key.size())) != 1) {
    return OpenSslError("EVP_CIPHER_CTX_set_key_length");
  }
  if (EVP_CipherInit_ex2(ctx, nullptr, key.data(), iv.empty() ? nullptr : iv.data(), enc, params) !=
      1) {
    return OpenSslError("EVP_CipherInit_ex2 (key)");
  }
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  int written = 0;
  if (EVP_CipherUpdate(ctx, out, &written, in.data(), static_cast<int>(in.size())) != 1) {
    return OpenSslError("EVP_CipherUpdate");
  }
  int tail = 0;
  if (EVP_CipherFinal_ex(ctx, out + written, &tail) != 1) {
    return OpenSslError("EVP_CipherFinal_ex");
  }
  if (static_cast<size_t>(written + tail) != in.size()) {
    return absl::InternalError("cipher produced an unexpected length");
  }
  return absl::OkStatus();
}

}  // namespace trustsim::crypto::internal
