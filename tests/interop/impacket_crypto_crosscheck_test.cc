// Copyright 2026 The trustsim Authors.
//
// impacket_crypto_crosscheck_test.cc
// -----------------------------------------------------------------------------
//
// Cross-implementation check of trustsim's Netlogon and Kerberos crypto
// against Debian's impacket (python3-impacket 0.10). The Python script
// impacket_crypto_vectors.py draws random inputs from a fixed seed and prints
// impacket's results as JSON lines; this test recomputes every value with
// trustsim and requires identical bytes.
//
// The test fails, never skips, if /usr/bin/python3 or impacket is missing:
// an interop suite that silently passes without its peer proves nothing.

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "base/bytes.h"
#include "base/unicode.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "protocol/crypto/aes.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/kerberos_encryption.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/netlogon/authenticator.h"
#include "protocol/netlogon/buffer_encryption.h"
#include "protocol/netlogon/challenge.h"
#include "protocol/netlogon/credential.h"
#include "protocol/netlogon/handshake.h"
#include "protocol/netlogon/negotiate_flags.h"
#include "protocol/netlogon/trust_password.h"

#ifndef TRUSTSIM_IMPACKET_VECTORS_PY
#error "TRUSTSIM_IMPACKET_VECTORS_PY must name impacket_crypto_vectors.py"
#endif

namespace trustsim {
namespace {

using nlohmann::json;

// Debian's interpreter, the one that sees python3-impacket. Never a python3
// from PATH, which may be a virtualenv or pyenv without impacket.
constexpr char kSystemPython[] = "/usr/bin/python3";
constexpr int kSeed = 1;
constexpr size_t kRowCount = 300;

// Flags that select each crypto. AES: what impacket-based tools send
// (0x212fffff). Strong key: Samba's NETLOGON_NEG_AUTH2_ADS_FLAGS (0x600fffff),
// which impacket's own nrpc tests use; it has ARCFOUR and STRONG_KEYS, no AES.
constexpr uint32_t kAesFlags = netlogon::kWindowsClientFlagsNoSchannel;
constexpr uint32_t kStrongKeyFlags = 0x600fffff;

struct ScriptOutput {
  std::vector<std::string> lines;
  int exit_status = -1;
};

ScriptOutput RunVectorScript() {
  const std::string command = std::string(kSystemPython) + " '" + TRUSTSIM_IMPACKET_VECTORS_PY +
                              "' --seed " + std::to_string(kSeed) + " --count " +
                              std::to_string(kRowCount);
  ScriptOutput out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::string line;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    for (size_t i = 0; i < n; ++i) {
      if (buffer[i] == '\n') {
        out.lines.push_back(std::move(line));
        line.clear();
      } else {
        line.push_back(buffer[i]);
      }
    }
  }
  if (!line.empty()) out.lines.push_back(std::move(line));
  out.exit_status = pclose(pipe);
  return out;
}

std::string Str(const json& j, const char* key) { return j.at(key).get<std::string>(); }

Bytes Hex(const json& j, const char* key) {
  absl::StatusOr<Bytes> bytes = FromHex(Str(j, key));
  EXPECT_TRUE(bytes.ok()) << key << ": " << bytes.status();
  return bytes.ok() ? *std::move(bytes) : Bytes();
}

template <size_t N>
std::array<uint8_t, N> HexArray(const json& j, const char* key) {
  const Bytes bytes = Hex(j, key);
  EXPECT_EQ(bytes.size(), N) << key;
  return ToArray<N>(bytes);
}

// One authenticated call on a secure channel, both directions:
//   impacket client -> trustsim server: our ServerCredentialChain accepts the
//     authenticator impacket built and returns the credential impacket expects;
//   trustsim client -> impacket server: our ClientCredentialChain builds the
//     same authenticator and accepts impacket's return credential.
void CheckChannel(netlogon::SecureChannelCrypto crypto, uint32_t flags,
                  const crypto::NtHash& nt_hash, const netlogon::NetlogonChallenge& cc,
                  const netlogon::NetlogonChallenge& sc, const json& expected) {
  using netlogon::NetlogonCredential;
  SCOPED_TRACE(netlogon::SecureChannelCryptoName(crypto));
  ASSERT_EQ(netlogon::SelectCrypto(flags), crypto);

  const netlogon::SessionKey sk = netlogon::ComputeSessionKey(crypto, nt_hash, cc, sc);
  EXPECT_EQ(ToHex(sk), Str(expected, "session_key"));
  const NetlogonCredential client_cred = netlogon::ComputeNetlogonCredential(crypto, cc, sk);
  const NetlogonCredential server_cred = netlogon::ComputeNetlogonCredential(crypto, sc, sk);
  EXPECT_EQ(ToHex(client_cred), Str(expected, "client_credential"));
  EXPECT_EQ(ToHex(server_cred), Str(expected, "server_credential"));

  const auto imp_sk = HexArray<16>(expected, "session_key");
  const auto imp_client_cred = HexArray<8>(expected, "client_credential");
  const auto imp_server_cred = HexArray<8>(expected, "server_credential");
  const auto imp_auth_cred = HexArray<8>(expected, "authenticator_credential");
  const auto imp_return_cred = HexArray<8>(expected, "return_credential");
  const auto imp_seed_after = HexArray<8>(expected, "seed_after");
  const uint32_t ts = expected.at("timestamp").get<uint32_t>();

  // Handshake, client side: our client talks to impacket's numbers.
  netlogon::ClientHandshake client_hs(flags, nt_hash, cc, sc);
  EXPECT_EQ(ToHex(client_hs.session_key()), ToHex(imp_sk));
  EXPECT_EQ(ToHex(client_hs.client_credential()), ToHex(imp_client_cred));
  EXPECT_TRUE(client_hs.Finish(imp_server_cred).ok());

  // Handshake, server side: impacket's ClientCredential authenticates.
  netlogon::ChallengeStore store;
  store.Put("IMPACKET", {cc, sc});
  const std::vector<crypto::NtHash> candidates = {nt_hash};
  absl::StatusOr<netlogon::ServerSession> session =
      netlogon::AuthenticateClient(store, "impacket", flags, imp_client_cred, candidates);
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(ToHex(session->session_key), ToHex(imp_sk));
  EXPECT_EQ(ToHex(session->server_credential), ToHex(imp_server_cred));

  // impacket's authenticator -> our server.
  const netlogon::NetlogonAuthenticator imp_auth{imp_auth_cred, ts};
  absl::StatusOr<netlogon::NetlogonAuthenticator> returned = session->chain.Step(imp_auth);
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(ToHex(returned->credential), ToHex(imp_return_cred));
  EXPECT_EQ(returned->timestamp, 0u);
  EXPECT_EQ(ToHex(session->chain.stored_credential()), ToHex(imp_seed_after));
  // Replaying the same authenticator must fail now.
  EXPECT_FALSE(session->chain.Step(imp_auth).ok());

  // Our client -> impacket's numbers.
  netlogon::ClientCredentialChain client(crypto, sk, client_cred);
  const netlogon::NetlogonAuthenticator ours = client.Next(ts);
  EXPECT_EQ(ToHex(ours.credential), ToHex(imp_auth_cred));
  EXPECT_EQ(ours.timestamp, ts);
  EXPECT_TRUE(client.Accept({imp_return_cred, 0}).ok());
  EXPECT_EQ(ToHex(client.stored_credential()), ToHex(imp_seed_after));
  EXPECT_EQ(ToHex(netlogon::AddToLow32(client_cred, ts + 1)), ToHex(imp_seed_after));
}

void CheckTrustPassword(const netlogon::SessionKey& sk_aes, const netlogon::SessionKey& sk_strong,
                        const json& expected) {
  const Bytes plain = Hex(expected, "plaintext");
  ASSERT_EQ(plain.size(), netlogon::kTrustPasswordBytes);
  const auto plain516 = ToArray<netlogon::kTrustPasswordBytes>(plain);
  const std::string aes_ct = Str(expected, "aes_ciphertext");
  const std::string rc4_ct = Str(expected, "rc4_ciphertext");

  EXPECT_EQ(ToHex(netlogon::EncryptTrustPassword(kAesFlags, sk_aes, plain516)), aes_ct);
  EXPECT_EQ(ToHex(crypto::Aes128Cfb8Encrypt(sk_aes, plain)), aes_ct);
  EXPECT_EQ(ToHex(crypto::Aes128Cfb8Decrypt(sk_aes, Hex(expected, "aes_ciphertext"))),
            ToHex(plain));
  EXPECT_EQ(ToHex(netlogon::EncryptBuffer(netlogon::BufferCipher::kAesCfb8, sk_aes, plain)),
            aes_ct);

  EXPECT_EQ(ToHex(netlogon::EncryptTrustPassword(kStrongKeyFlags, sk_strong, plain516)), rc4_ct);
  EXPECT_EQ(ToHex(netlogon::DecryptBuffer(netlogon::BufferCipher::kRc4, sk_strong,
                                          Hex(expected, "rc4_ciphertext"))),
            ToHex(plain));
}

void CheckKerberosEncryption(const json& e) {
  const int etype = e.at("etype").get<int>();
  const uint32_t usage = e.at("usage").get<uint32_t>();
  SCOPED_TRACE("etype " + std::to_string(etype) + " usage " + std::to_string(usage));
  absl::StatusOr<crypto::EncType> type = crypto::EncTypeFromNumber(etype);
  ASSERT_TRUE(type.ok()) << type.status();
  absl::StatusOr<crypto::KerberosKey> key = crypto::KeyFromBytes(*type, Hex(e, "key"));
  ASSERT_TRUE(key.ok()) << key.status();
  const Bytes plaintext = Hex(e, "plaintext");
  const Bytes ciphertext = Hex(e, "ciphertext");

  absl::StatusOr<Bytes> encrypted =
      crypto::KerberosEncryptWithConfounder(*key, usage, Hex(e, "confounder"), plaintext);
  ASSERT_TRUE(encrypted.ok()) << encrypted.status();
  EXPECT_EQ(ToHex(*encrypted), ToHex(ciphertext));

  absl::StatusOr<Bytes> decrypted = crypto::KerberosDecrypt(*key, usage, ciphertext);
  ASSERT_TRUE(decrypted.ok()) << decrypted.status();
  EXPECT_EQ(ToHex(*decrypted), ToHex(plaintext));

  // A flipped bit in impacket's ciphertext is an integrity failure, not
  // garbage plaintext.
  Bytes tampered = ciphertext;
  tampered[tampered.size() / 2] ^= 0x01;
  absl::StatusOr<Bytes> rejected = crypto::KerberosDecrypt(*key, usage, tampered);
  ASSERT_FALSE(rejected.ok());
  EXPECT_TRUE(crypto::IsIntegrityFailure(rejected.status())) << rejected.status();
}

struct Coverage {
  size_t rows = 0;
  size_t machine_rows = 0;
  size_t ascii_rows = 0;
  size_t string_to_key_ascii = 0;
  size_t string_to_key_machine = 0;
  size_t kerberos_encryptions = 0;
};

void CheckRow(const json& row, Coverage& coverage) {
  const std::string kind = Str(row, "kind");
  const bool machine = kind == "machine";
  ASSERT_TRUE(machine || kind == "ascii") << kind;
  ++coverage.rows;
  ++(machine ? coverage.machine_rows : coverage.ascii_rows);

  // The NT hash: impacket hashed the raw bytes (machine) or the string.
  const Bytes utf16le = Hex(row, "password_utf16le");
  const crypto::NtHash nt_hash = crypto::NtHashOfUtf16Le(utf16le);
  EXPECT_EQ(ToHex(nt_hash), Str(row, "nt_hash"));
  std::string password;
  if (!machine) {
    password = Str(row, "password");
    absl::StatusOr<Bytes> encoded = Utf8ToUtf16Le(password);
    ASSERT_TRUE(encoded.ok()) << encoded.status();
    EXPECT_EQ(ToHex(*encoded), ToHex(utf16le));
    absl::StatusOr<crypto::NtHash> from_string = crypto::NtHashOfPassword(password);
    ASSERT_TRUE(from_string.ok()) << from_string.status();
    EXPECT_EQ(ToHex(*from_string), Str(row, "nt_hash"));
  } else {
    // impacket 0.10 secretsdump's UTF-16 -> UTF-8 for Kerberos keys.
    EXPECT_EQ(ToHex(AsBytes(Utf16LeToUtf8(utf16le, Utf16Munging::kImpacket))),
              Str(row, "password_utf8_replace"));
  }

  const auto cc = HexArray<8>(row, "client_challenge");
  const auto sc = HexArray<8>(row, "server_challenge");
  CheckChannel(netlogon::SecureChannelCrypto::kAes, kAesFlags, nt_hash, cc, sc, row.at("aes"));
  CheckChannel(netlogon::SecureChannelCrypto::kStrongKey, kStrongKeyFlags, nt_hash, cc, sc,
               row.at("strong"));

  {
    SCOPED_TRACE("trust_password");
    CheckTrustPassword(HexArray<16>(row.at("aes"), "session_key"),
                       HexArray<16>(row.at("strong"), "session_key"), row.at("trust_password"));
  }

  const json& krb = row.at("kerberos");
  SCOPED_TRACE("kerberos");
  const std::string salt = crypto::AdComputerSalt(Str(krb, "realm"), Str(krb, "computer_name"));
  EXPECT_EQ(salt, Str(krb, "salt"));

  if (krb.contains("string_to_key")) {
    const json& keys = krb.at("string_to_key");
    const std::pair<crypto::EncType, const char*> aes_types[] = {
        {crypto::EncType::kAes256CtsHmacSha196, "aes256"},
        {crypto::EncType::kAes128CtsHmacSha196, "aes128"}};
    for (const auto& [type, name] : aes_types) {
      SCOPED_TRACE(std::string("string_to_key ") + name);
      absl::StatusOr<crypto::KerberosKey> key =
          machine ? crypto::MachinePasswordToKey(type, utf16le, salt, Utf16Munging::kImpacket)
                  : crypto::StringToKey(type, password, salt);
      ASSERT_TRUE(key.ok()) << key.status();
      EXPECT_EQ(ToHex(key->bytes), Str(keys, name));
    }
    absl::StatusOr<crypto::KerberosKey> rc4 =
        machine ? crypto::MachinePasswordToKey(crypto::EncType::kRc4Hmac, utf16le, salt)
                : crypto::StringToKey(crypto::EncType::kRc4Hmac, password, salt);
    ASSERT_TRUE(rc4.ok()) << rc4.status();
    // impacket's _RC4.string_to_key takes a str, so only ASCII rows carry it;
    // for machine passwords the rc4-hmac key is the NT hash of the raw bytes.
    EXPECT_EQ(ToHex(rc4->bytes), machine ? Str(row, "nt_hash") : Str(keys, "rc4"));
    ++(machine ? coverage.string_to_key_machine : coverage.string_to_key_ascii);
  }

  for (const json& e : krb.at("encryptions")) {
    CheckKerberosEncryption(e);
    ++coverage.kerberos_encryptions;
  }
}

TEST(ImpacketCryptoCrosscheck, MatchesImpacketByteForByte) {
  const ScriptOutput out = RunVectorScript();
  ASSERT_EQ(out.exit_status, 0)
      << kSystemPython << " " << TRUSTSIM_IMPACKET_VECTORS_PY
      << " failed (is Debian's python3-impacket installed?); its stderr is above";
  ASSERT_EQ(out.lines.size(), kRowCount) << "impacket_crypto_vectors.py printed too few rows";

  Coverage coverage;
  for (size_t i = 0; i < out.lines.size(); ++i) {
    const json row = json::parse(out.lines[i], /*cb=*/nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(row.is_discarded()) << "line " << i << " is not JSON: " << out.lines[i];
    ASSERT_EQ(row.at("index").get<size_t>(), i);
    SCOPED_TRACE("row " + std::to_string(i) + ": " + out.lines[i].substr(0, 200));
    CheckRow(row, coverage);
  }

  // Every kind of check ran, on every row.
  EXPECT_EQ(coverage.rows, kRowCount);
  EXPECT_EQ(coverage.machine_rows, kRowCount / 2);
  EXPECT_EQ(coverage.ascii_rows, kRowCount / 2);
  EXPECT_GT(coverage.string_to_key_ascii, 0u);
  EXPECT_GT(coverage.string_to_key_machine, 0u);
  EXPECT_EQ(coverage.kerberos_encryptions, 3 * kRowCount);
}

}  // namespace
}  // namespace trustsim
