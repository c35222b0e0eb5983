// Copyright 2026 The trustsim Authors.
//
// crypto_bench.cc
// -----------------------------------------------------------------------------
//
// Cost of the protocol crypto primitives per operation: the NT hash of a
// machine password, the Netlogon session key, credential, authenticator chain
// and server-side handshake check, Kerberos AES string-to-key and AES-CTS
// encryption of a ticket. The handshake check is the crypto-only bound that
// later server benchmarks are compared against.
//
// Run with the release preset (see docs/performance.md):
//
//   ./build/release/bench/crypto_bench --benchmark_min_time=0.2

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "base/bytes.h"
#include "base/random.h"
#include "base/unicode.h"
#include "protocol/crypto/aes.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/kerberos_encryption.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/netlogon/authenticator.h"
#include "protocol/netlogon/challenge.h"
#include "protocol/netlogon/credential.h"
#include "protocol/netlogon/handshake.h"
#include "protocol/netlogon/negotiate_flags.h"

namespace trustsim {
namespace {

using crypto::EncType;
using crypto::KerberosKey;
using crypto::NtHash;
using netlogon::ChallengePair;
using netlogon::NetlogonChallenge;
using netlogon::NetlogonCredential;
using netlogon::SecureChannelCrypto;
using netlogon::SessionKey;

// A Windows machine password: 120 random UTF-16 code units, 240 bytes.
constexpr size_t kMachinePasswordBytes = 240;
constexpr char kRealm[] = "CORP.EXAMPLE.COM";
constexpr char kComputer[] = "WS01$";
constexpr char kComputerName[] = "WS01";

Bytes RandomBytes(size_t n, uint64_t seed) {
  SeededRandom rng(seed);
  Bytes out(n);
  rng.Fill(absl::MakeSpan(out));
  return out;
}

template <size_t N>
std::array<uint8_t, N> RandomArray(uint64_t seed) {
  SeededRandom rng(seed);
  std::array<uint8_t, N> out{};
  rng.Fill(absl::MakeSpan(out));
  return out;
}

// Set-up failures are bugs in the benchmark, not results: stop loudly.
template <typename T>
T ValueOrDie(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) {
    std::fprintf(stderr, "crypto_bench: %s: %s\n", what, value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

const Bytes& MachinePassword() {
  static const Bytes* const password = new Bytes(RandomBytes(kMachinePasswordBytes, 1));
  return *password;
}

NtHash MachineNtHash() { return crypto::NtHashOfUtf16Le(MachinePassword()); }

// Challenges whose first five bytes differ, so the Zerologon check accepts them.
NetlogonChallenge ClientChallenge() { return {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}; }
NetlogonChallenge ServerChallenge() { return {0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78}; }

// --- NT hash ------------------------------------------------------------------

void BM_NtHashOfUtf16Le_240B(benchmark::State& state) {
  const Bytes& password = MachinePassword();
  for (auto _ : state) {
    NtHash nt = crypto::NtHashOfUtf16Le(password);
    benchmark::DoNotOptimize(nt);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kMachinePasswordBytes);
}
BENCHMARK(BM_NtHashOfUtf16Le_240B);

// --- Netlogon session key and credential -----------------------------------------

void BM_NetlogonSessionKey(benchmark::State& state, SecureChannelCrypto which) {
  const NtHash nt = MachineNtHash();
  const NetlogonChallenge client = ClientChallenge();
  const NetlogonChallenge server = ServerChallenge();
  for (auto _ : state) {
    SessionKey sk = netlogon::ComputeSessionKey(which, nt, client, server);
    benchmark::DoNotOptimize(sk);
  }
}
BENCHMARK_CAPTURE(BM_NetlogonSessionKey, aes, SecureChannelCrypto::kAes);
BENCHMARK_CAPTURE(BM_NetlogonSessionKey, strong_key, SecureChannelCrypto::kStrongKey);
BENCHMARK_CAPTURE(BM_NetlogonSessionKey, des, SecureChannelCrypto::kDes);

void BM_NetlogonCredential(benchmark::State& state, SecureChannelCrypto which) {
  const SessionKey sk =
      netlogon::ComputeSessionKey(which, MachineNtHash(), ClientChallenge(), ServerChallenge());
  NetlogonCredential input = ClientChallenge();
  for (auto _ : state) {
    NetlogonCredential cred = netlogon::ComputeNetlogonCredential(which, input, sk);
    benchmark::DoNotOptimize(cred);
  }
}
BENCHMARK_CAPTURE(BM_NetlogonCredential, aes, SecureChannelCrypto::kAes);
BENCHMARK_CAPTURE(BM_NetlogonCredential, des, SecureChannelCrypto::kDes);

// --- Authenticator chain ----------------------------------------------------------

// One authenticated call: client Next, server Step, client Accept (three
// credentials, two of them verified).
void BM_NetlogonAuthenticatorStep(benchmark::State& state, SecureChannelCrypto which) {
  const NetlogonChallenge client = ClientChallenge();
  const SessionKey sk =
      netlogon::ComputeSessionKey(which, MachineNtHash(), client, ServerChallenge());
  const NetlogonCredential seed = netlogon::ComputeNetlogonCredential(which, client, sk);
  netlogon::ClientCredentialChain client_chain(which, sk, seed);
  netlogon::ServerCredentialChain server_chain(which, sk, seed);
  uint32_t timestamp = 1767225600;  // 2026-01-01T00:00:00Z
  for (auto _ : state) {
    const netlogon::NetlogonAuthenticator sent = client_chain.Next(timestamp++);
    absl::StatusOr<netlogon::NetlogonAuthenticator> returned = server_chain.Step(sent);
    if (!returned.ok()) {
      state.SkipWithError("server rejected the authenticator");
      break;
    }
    absl::Status accepted = client_chain.Accept(*returned);
    if (!accepted.ok()) {
      state.SkipWithError("client rejected the return authenticator");
      break;
    }
    benchmark::DoNotOptimize(accepted);
  }
}
BENCHMARK_CAPTURE(BM_NetlogonAuthenticatorStep, aes, SecureChannelCrypto::kAes);

// --- Server-side handshake check -------------------------------------------------------

// ChallengeStore::Put (what NetrServerReqChallenge leaves behind) followed by
// AuthenticateClient (NetrServerAuthenticate3) against the current password:
// the crypto and bookkeeping a DC does per secure-channel setup, without RPC.
void BM_NetlogonServerHandshake(benchmark::State& state, uint32_t flags) {
  const NtHash nt = MachineNtHash();
  const ChallengePair pair{.client = ClientChallenge(), .server = ServerChallenge()};
  const netlogon::ClientHandshake client(flags, nt, pair.client, pair.server);
  const NetlogonCredential client_credential = client.client_credential();
  const std::array<NtHash, 1> candidates = {nt};
  netlogon::ChallengeStore store;
  for (auto _ : state) {
    store.Put(kComputerName, pair);
    absl::StatusOr<netlogon::ServerSession> session =
        netlogon::AuthenticateClient(store, kComputerName, flags, client_credential, candidates);
    if (!session.ok()) {
      state.SkipWithError("server rejected the client credential");
      break;
    }
    benchmark::DoNotOptimize(session);
  }
}
BENCHMARK_CAPTURE(BM_NetlogonServerHandshake, aes, netlogon::kWindowsClientFlags);

// --- Kerberos ------------------------------------------------------------------

// RFC 3962 string-to-key with AD's computer salt and the default 4096
// iterations, from the UTF-8 form of the 240-byte machine password (what
// MachinePasswordToKey feeds it).
void BM_KerberosStringToKey(benchmark::State& state, EncType type) {
  const std::string password = Utf16LeToUtf8(MachinePassword());
  const std::string salt = crypto::AdComputerSalt(kRealm, kComputer);
  for (auto _ : state) {
    absl::StatusOr<KerberosKey> key =
        crypto::StringToKey(type, password, salt, crypto::kDefaultAesIterations);
    if (!key.ok()) {
      state.SkipWithError("StringToKey failed");
      break;
    }
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK_CAPTURE(BM_KerberosStringToKey, aes256_4096, EncType::kAes256CtsHmacSha196);
BENCHMARK_CAPTURE(BM_KerberosStringToKey, aes128_4096, EncType::kAes128CtsHmacSha196);

constexpr size_t kTicketBytes = 1024;

// A whole Kerberos encryption of a 1 KiB ticket: confounder, two key
// derivations (Ke, Ki), AES-256-CTS and HMAC-SHA1-96.
void BM_KerberosEncrypt_Aes256_Ticket1KiB(benchmark::State& state) {
  const KerberosKey key =
      ValueOrDie(crypto::KeyFromBytes(EncType::kAes256CtsHmacSha196, RandomBytes(32, 2)), "key");
  const Bytes ticket = RandomBytes(kTicketBytes, 3);
  SeededRandom rng(4);
  for (auto _ : state) {
    absl::StatusOr<Bytes> sealed = crypto::KerberosEncrypt(key, crypto::kUsageTicket, ticket, rng);
    if (!sealed.ok()) {
      state.SkipWithError("KerberosEncrypt failed");
      break;
    }
    benchmark::DoNotOptimize(sealed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kTicketBytes);
}
BENCHMARK(BM_KerberosEncrypt_Aes256_Ticket1KiB);

// The AES-256-CBC-CTS pass alone over 1 KiB.
void BM_AesCtsEncrypt_Aes256_1KiB(benchmark::State& state) {
  const Bytes key = RandomBytes(32, 5);
  const Bytes plaintext = RandomBytes(kTicketBytes, 6);
  for (auto _ : state) {
    absl::StatusOr<Bytes> ciphertext = crypto::AesCtsEncrypt(key, plaintext);
    if (!ciphertext.ok()) {
      state.SkipWithError("AesCtsEncrypt failed");
      break;
    }
    benchmark::DoNotOptimize(ciphertext);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kTicketBytes);
}
BENCHMARK(BM_AesCtsEncrypt_Aes256_1KiB);

}  // namespace
}  // namespace trustsim

BENCHMARK_MAIN();
