// Copyright 2026 The trustsim Authors.
//
// netlogon_session_fuzzer.cc
// -----------------------------------------------------------------------------
//
// A stateful fuzz target for the Netlogon secure-channel server (in the style
// of ngtcp2's fuzz/read_write_pkt.cc): the input is a tape of choices that a
// FuzzedDataProvider reads, and each choice drives one step against a
// `NetlogonServer` over an in-memory `TrustAccountStore`:
//
//   ReqChallenge (random, zero, repeated-byte, "first five equal", reused or
//   fuzzed challenges), Authenticate2/3 (credential from the current, the
//   previous, a wrong or another account's password, or raw bytes; any
//   flags), PasswordSet2 (honest, replayed, shifted or fuzzed authenticator;
//   honest, unencrypted, all-zero, empty, odd or fuzzed NL_TRUST_PASSWORD),
//   GetCapabilities, TrustPasswordsGet / GetTrustInfo, CheckSession, session
//   drops, policy flips, and password / disable / delete / type changes on
//   the store behind the server's back.
//
// Each call goes one of three ways, as the tape says: straight to the
// server; as an NDR stub through `NetlogonRpcHandler` (optionally claiming
// schannel, optionally with a mutated stub, or a raw fuzzed stub with any
// opnum); or as DCE/RPC PDUs through a `dcerpc::Connection`, plain or over a
// real schannel security context, delivered in arbitrary chunks.
//
// The honest client is the real client-side code (ClientHandshake,
// ClientCredentialChain, BuildTrustPassword / EncryptTrustPassword). Next to
// the server the target keeps a shadow model (pending challenges, sessions
// with their stored credentials, the store) that predicts every reply
// exactly: status, negotiated flags, server credential, RID, return
// authenticator, capabilities and encrypted OWF passwords, and what each call
// does to the store and the sessions. Any difference aborts. The invariants
// the model implies are also checked by name:
//
//   * a session is only ever established with a client credential computed
//     from a password the DC accepts (the current one, or the previous one
//     when the policy allows it);
//   * an authenticator is never accepted twice on a session whose client uses
//     clock timestamps. (A replay verifies exactly when the stored credential
//     has come back to the value it had, i.e. when the timestamps accepted
//     since, each plus one, sum to 0 mod 2^32: one authenticator with
//     timestamp 0xFFFFFFFF leaves the chain where it was and can be replayed
//     at will, as in MS-NRPC and Samba. The model predicts that case exactly,
//     and seed_timestamp_ffffffff_replay shows it);
//   * a failed call changes neither the store nor, if its authenticator was
//     refused, the session's credential chain: after every step, on a copy of
//     the server, the authenticator an honest client would send next must
//     verify for every session, and the server's return authenticators verify
//     on the honest client;
//   * a zero or non-random client challenge never yields a session;
//   * nothing crashes or leaks (ASan/LSan/UBSan).
//
// Input layout: FuzzedDataProvider takes integers from the end of the input
// and byte strings from the front. Every choice is one byte (a `Pick`) except
// the 4-byte RNG seed, flags and timestamps; a seed input is therefore mostly
// the reversed sequence of choices. The seeds in corpus/netlogon_session_fuzzer/
// were written that way: seed_<what it does>; regress_<what it once broke>.
// With TRUSTSIM_FUZZ_TRACE set, every call and its outcome go to stderr.

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/bytes.h"
#include "base/random.h"
#include "base/unicode.h"
#include "fuzz/fuzz_check.h"
#include "protocol/crypto/hash.h"
#include "protocol/dcerpc/connection.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/dcerpc/ndr.h"
#include "protocol/dcerpc/pdu.h"
#include "protocol/netlogon/authenticator.h"
#include "protocol/netlogon/buffer_encryption.h"
#include "protocol/netlogon/challenge.h"
#include "protocol/netlogon/credential.h"
#include "protocol/netlogon/handshake.h"
#include "protocol/netlogon/negotiate_flags.h"
#include "protocol/netlogon/rpc.h"
#include "protocol/netlogon/rpc_client.h"
#include "protocol/netlogon/schannel.h"
#include "protocol/netlogon/server.h"
#include "protocol/netlogon/trust_password.h"
#include "protocol/ntstatus.h"

namespace trustsim::netlogon {
namespace {

// -----------------------------------------------------------------------------
// Failure reporting
// -----------------------------------------------------------------------------

[[noreturn]] void Violation(const std::string& what) { fuzz::Fail("netlogon_session", what); }

#define INVARIANT(cond, ...)                                          \
  do {                                                                \
    if (!(cond)) Violation(absl::StrCat(#cond, " -- ", __VA_ARGS__)); \
  } while (0)

std::string Hex(ByteView b) { return ToHex(b); }

// With TRUSTSIM_FUZZ_TRACE set in the environment, every call and its
// outcome is printed to stderr (to read what a reproducer does).
bool Tracing() {
  static const bool tracing = std::getenv("TRUSTSIM_FUZZ_TRACE") != nullptr;
  return tracing;
}

void Trace(const std::string& line) {
  if (Tracing()) std::fprintf(stderr, "  %s\n", line.c_str());
}

constexpr uint32_t kOk = static_cast<uint32_t>(NtStatus::kSuccess);
constexpr uint32_t kDenied = static_cast<uint32_t>(NtStatus::kAccessDenied);
constexpr uint32_t kInvalidParameter = static_cast<uint32_t>(NtStatus::kInvalidParameter);
constexpr uint32_t kNoTrustSam = static_cast<uint32_t>(NtStatus::kNoTrustSamAccount);
constexpr uint32_t kWrongPassword = static_cast<uint32_t>(NtStatus::kWrongPassword);
constexpr uint32_t kAccountRestriction = static_cast<uint32_t>(NtStatus::kAccountRestriction);

uint32_t Code(const absl::Status& s) { return static_cast<uint32_t>(GetNtStatus(s)); }

std::string Upper(absl::string_view s) { return absl::AsciiStrToUpper(s); }

// -----------------------------------------------------------------------------
// The tape
// -----------------------------------------------------------------------------

class Tape {
 public:
  Tape(const uint8_t* data, size_t size) : fdp_(data, size) {}

  bool empty() { return fdp_.remaining_bytes() == 0; }
  // One byte from the end: a choice in [0, n).
  size_t Pick(size_t n) { return n <= 1 ? 0 : fdp_.ConsumeIntegralInRange<size_t>(0, n - 1); }
  bool Bool() { return fdp_.ConsumeBool(); }
  uint8_t U8() { return fdp_.ConsumeIntegral<uint8_t>(); }
  uint16_t U16() { return fdp_.ConsumeIntegral<uint16_t>(); }
  uint32_t U32() { return fdp_.ConsumeIntegral<uint32_t>(); }
  // Bytes from the front; zero-filled when the input runs out.
  template <size_t N>
  std::array<uint8_t, N> Array() {
    std::array<uint8_t, N> out{};
    const std::vector<uint8_t> b = fdp_.ConsumeBytes<uint8_t>(N);
    std::copy(b.begin(), b.end(), out.begin());
    return out;
  }
  Bytes Raw(size_t max) {
    const size_t n = fdp_.ConsumeIntegralInRange<size_t>(0, max);
    return fdp_.ConsumeBytes<uint8_t>(n);
  }

 private:
  FuzzedDataProvider fdp_;
};

// -----------------------------------------------------------------------------
// The account store
// -----------------------------------------------------------------------------

struct AccountRecord {
  uint32_t rid = 0;
  uint32_t uac = 0;
  Bytes current;  // UTF-16LE
  std::optional<Bytes> previous;
  bool exists = true;

  bool operator==(const AccountRecord&) const = default;
};

using AccountMap = std::map<std::string, AccountRecord>;  // by upper-case name

class MemoryStore final : public TrustAccountStore {
 public:
  absl::StatusOr<TrustAccount> FindTrustAccount(absl::string_view account_name) override {
    auto it = accounts.find(Upper(account_name));
    if (it == accounts.end() || !it->second.exists) return absl::NotFoundError("no account");
    TrustAccount t;
    t.rid = it->second.rid;
    t.user_account_control = it->second.uac;
    t.current = crypto::NtHashOfUtf16Le(it->second.current);
    if (it->second.previous) t.previous = crypto::NtHashOfUtf16Le(*it->second.previous);
    return t;
  }

  absl::Status SetTrustAccountPassword(absl::string_view account_name,
                                       ByteView new_password_utf16le) override {
    ++set_calls;
    if (fail_next_set) {
      const absl::Status s = *fail_next_set;
      fail_next_set.reset();
      return s;
    }
    auto it = accounts.find(Upper(account_name));
    if (it == accounts.end() || !it->second.exists) return absl::NotFoundError("no account");
    it->second.previous = it->second.current;
    it->second.current.assign(new_password_utf16le.begin(), new_password_utf16le.end());
    return absl::OkStatus();
  }

  AccountMap accounts;
  std::optional<absl::Status> fail_next_set;
  int set_calls = 0;
};

// -----------------------------------------------------------------------------
// Names
// -----------------------------------------------------------------------------

// Computers and the account each uses when it is honest. SRV01 is a server
// trust account (channel type 6); WS02$ is disabled; NOBODY has no account
// (GHOST$ until a store change creates it).
struct Identity {
  const char* computer;
  const char* account;
  SecureChannelType type;
};
constexpr Identity kIdentities[] = {
    {"WS01", "WS01$", SecureChannelType::kWorkstation},
    {"ws01", "ws01$", SecureChannelType::kWorkstation},
    {"WS02", "WS02$", SecureChannelType::kWorkstation},
    {"SRV01", "SRV01$", SecureChannelType::kServer},
    {"NOBODY", "GHOST$", SecureChannelType::kWorkstation},
    {"", "", SecureChannelType::kWorkstation},
};
constexpr size_t kNumIdentities = sizeof(kIdentities) / sizeof(kIdentities[0]);
constexpr const char* kStoreAccounts[] = {"WS01$", "WS02$", "SRV01$", "GHOST$"};

Bytes Utf16(absl::string_view ascii) { return Utf8ToUtf16Le(ascii).value(); }

// -----------------------------------------------------------------------------
// Requests and outcomes, common to the three transports
// -----------------------------------------------------------------------------

// One call, as the server sees it after decoding.
struct Req {
  uint16_t opnum = 0;
  std::optional<std::string> computer;  // [unique] for GetCapabilities only
  std::string account;
  SecureChannelType type = SecureChannelType::kNull;
  NetlogonChallenge challenge{};
  NetlogonCredential credential{};
  uint32_t flags = 0;
  NetlogonAuthenticator auth{};
  NlTrustPassword password{};
  uint32_t level = 0;

  bool operator==(const Req&) const = default;
};

// What came back (or, from the model, what must come back).
struct Outcome {
  uint32_t fault = 0;
  uint32_t status = 0;
  NetlogonChallenge server_challenge{};
  NetlogonCredential server_credential{};
  uint32_t flags = 0;
  uint32_t rid = 0;
  NetlogonAuthenticator ret{};
  uint32_t capabilities = 0;
  OwfPassword enc_new{};
  OwfPassword enc_old{};

  bool operator==(const Outcome&) const = default;
};

std::string Describe(const Outcome& o) {
  return absl::StrCat("{fault=", absl::Hex(o.fault), " status=", absl::Hex(o.status),
                      " cred=", Hex(o.server_credential), " flags=", absl::Hex(o.flags),
                      " rid=", o.rid, " ret=", Hex(o.ret.credential), "/", o.ret.timestamp,
                      " caps=", absl::Hex(o.capabilities), " new=", Hex(o.enc_new),
                      " old=", Hex(o.enc_old), "}");
}

std::string Describe(const Req& r) {
  return absl::StrCat("opnum ", r.opnum, " computer=", r.computer.value_or("<null>"),
                      " account=", r.account, " type=", static_cast<int>(r.type),
                      " flags=", absl::Hex(r.flags), " auth=", Hex(r.auth.credential), "/",
                      r.auth.timestamp, " level=", r.level);
}

// -----------------------------------------------------------------------------
// Stub encoding and decoding (client side and the model's view of requests)
// -----------------------------------------------------------------------------

constexpr char kPrimaryName[] = "\\\\DC01";

void WriteAuth(dcerpc::NdrWriter& w, const NetlogonAuthenticator& a) {
  w.WriteFixedArray(a.credential, 4);
  w.WriteU32(a.timestamp);
}

absl::StatusOr<NetlogonAuthenticator> ReadAuth(dcerpc::NdrReader& r) {
  NetlogonAuthenticator a;
  absl::StatusOr<std::array<uint8_t, 8>> c = r.ReadFixed<8>(4);
  if (!c.ok()) return c.status();
  a.credential = *c;
  absl::StatusOr<uint32_t> t = r.ReadU32();
  if (!t.ok()) return t.status();
  a.timestamp = *t;
  return a;
}

absl::Status WriteAccountParams(dcerpc::NdrWriter& w, const Req& q) {
  if (absl::Status s = w.WriteUniqueString(std::string(kPrimaryName)); !s.ok()) return s;
  if (absl::Status s = w.WriteRefString(q.account); !s.ok()) return s;
  w.WriteEnum16(static_cast<uint16_t>(q.type));
  return w.WriteRefString(q.computer.value_or(""));
}

std::optional<Bytes> EncodeStub(const Req& q) {
  absl::StatusOr<Bytes> out;
  const std::string computer = q.computer.value_or("");
  switch (q.opnum) {
    case kOpNetrServerReqChallenge:
      out = EncodeReqChallengeRequest(std::string(kPrimaryName), computer, q.challenge);
      break;
    case kOpNetrServerAuthenticate3:
      out = EncodeAuthenticate3Request(std::string(kPrimaryName), q.account, q.type, computer,
                                       q.credential, q.flags);
      break;
    case kOpNetrServerAuthenticate2: {
      dcerpc::NdrWriter w;
      if (!WriteAccountParams(w, q).ok()) return std::nullopt;
      w.WriteFixedArray(q.credential);
      w.WriteU32(q.flags);
      out = std::move(w).Take();
      break;
    }
    case kOpNetrServerPasswordSet2:
      out = EncodePasswordSet2Request(std::string(kPrimaryName), q.account, q.type, computer,
                                      q.auth, q.password);
      break;
    case kOpNetrLogonGetCapabilities: {
      dcerpc::NdrWriter w;
      if (!w.WriteRefString(kPrimaryName).ok()) return std::nullopt;
      if (!w.WriteUniqueString(q.computer).ok()) return std::nullopt;
      WriteAuth(w, q.auth);
      WriteAuth(w, NetlogonAuthenticator{});
      w.WriteU32(q.level);
      out = std::move(w).Take();
      break;
    }
    case kOpNetrServerTrustPasswordsGet:
    case kOpNetrServerGetTrustInfo: {
      dcerpc::NdrWriter w;
      if (!WriteAccountParams(w, q).ok()) return std::nullopt;
      WriteAuth(w, q.auth);
      out = std::move(w).Take();
      break;
    }
    default:
      return std::nullopt;
  }
  if (!out.ok()) return std::nullopt;
  return *std::move(out);
}

// The model's decoding of a request stub, mirroring what MS-NRPC's IDL says
// each call carries. nullopt: the stub does not decode (bad stub data).
std::optional<Req> DecodeStub(uint16_t opnum, ByteView stub) {
  dcerpc::NdrReader r(stub);
  Req q;
  q.opnum = opnum;
  auto account_params = [&]() -> bool {
    if (!r.ReadUniqueString().ok()) return false;
    absl::StatusOr<std::string> account = r.ReadRefString();
    if (!account.ok()) return false;
    q.account = *account;
    absl::StatusOr<uint16_t> type = r.ReadEnum16();
    if (!type.ok()) return false;
    q.type = static_cast<SecureChannelType>(*type);
    absl::StatusOr<std::string> computer = r.ReadRefString();
    if (!computer.ok()) return false;
    q.computer = *computer;
    return true;
  };
  switch (opnum) {
    case kOpNetrServerReqChallenge: {
      if (!r.ReadUniqueString().ok()) return std::nullopt;
      absl::StatusOr<std::string> computer = r.ReadRefString();
      if (!computer.ok()) return std::nullopt;
      q.computer = *computer;
      absl::StatusOr<std::array<uint8_t, 8>> c = r.ReadFixed<8>();
      if (!c.ok()) return std::nullopt;
      q.challenge = *c;
      return q;
    }
    case kOpNetrServerAuthenticate2:
    case kOpNetrServerAuthenticate3: {
      if (!account_params()) return std::nullopt;
      absl::StatusOr<std::array<uint8_t, 8>> c = r.ReadFixed<8>();
      if (!c.ok()) return std::nullopt;
      q.credential = *c;
      absl::StatusOr<uint32_t> f = r.ReadU32();
      if (!f.ok()) return std::nullopt;
      q.flags = *f;
      return q;
    }
    case kOpNetrServerPasswordSet2: {
      if (!account_params()) return std::nullopt;
      absl::StatusOr<NetlogonAuthenticator> a = ReadAuth(r);
      if (!a.ok()) return std::nullopt;
      q.auth = *a;
      absl::StatusOr<NlTrustPassword> p = r.ReadFixed<kTrustPasswordBytes>(4);
      if (!p.ok()) return std::nullopt;
      q.password = *p;
      return q;
    }
    case kOpNetrLogonGetCapabilities: {
      if (!r.ReadRefString().ok()) return std::nullopt;
      absl::StatusOr<std::optional<std::string>> computer = r.ReadUniqueString();
      if (!computer.ok()) return std::nullopt;
      q.computer = *computer;
      absl::StatusOr<NetlogonAuthenticator> a = ReadAuth(r);
      if (!a.ok()) return std::nullopt;
      q.auth = *a;
      if (!ReadAuth(r).ok()) return std::nullopt;
      absl::StatusOr<uint32_t> level = r.ReadU32();
      if (!level.ok()) return std::nullopt;
      q.level = *level;
      return q;
    }
    case kOpNetrServerTrustPasswordsGet:
    case kOpNetrServerGetTrustInfo: {
      if (!account_params()) return std::nullopt;
      absl::StatusOr<NetlogonAuthenticator> a = ReadAuth(r);
      if (!a.ok()) return std::nullopt;
      q.auth = *a;
      return q;
    }
    default:
      return std::nullopt;
  }
}

bool Served(uint16_t opnum) {
  switch (opnum) {
    case kOpNetrServerReqChallenge:
    case kOpNetrServerAuthenticate2:
    case kOpNetrServerAuthenticate3:
    case kOpNetrServerPasswordSet2:
    case kOpNetrLogonGetCapabilities:
    case kOpNetrServerTrustPasswordsGet:
    case kOpNetrServerGetTrustInfo:
    case kOpNetrLogonControl2Ex:
      return true;
    default:
      return false;
  }
}

// Decodes a response stub into an Outcome; a stub that does not decode is a
// violation.
Outcome DecodeResponse(uint16_t opnum, ByteView stub) {
  Outcome o;
  switch (opnum) {
    case kOpNetrServerReqChallenge: {
      absl::StatusOr<ReqChallengeResponse> r = DecodeReqChallengeResponse(stub);
      INVARIANT(r.ok(), "ReqChallenge response does not decode: ", r.status().ToString());
      o.server_challenge = r->server_challenge;
      o.status = r->status;
      return o;
    }
    case kOpNetrServerAuthenticate3: {
      absl::StatusOr<Authenticate3Response> r = DecodeAuthenticate3Response(stub);
      INVARIANT(r.ok(), "Authenticate3 response does not decode: ", r.status().ToString());
      o.server_credential = r->server_credential;
      o.flags = r->negotiate_flags;
      o.rid = r->account_rid;
      o.status = r->status;
      return o;
    }
    case kOpNetrServerPasswordSet2: {
      absl::StatusOr<PasswordSet2Response> r = DecodePasswordSet2Response(stub);
      INVARIANT(r.ok(), "PasswordSet2 response does not decode: ", r.status().ToString());
      o.ret = r->return_authenticator;
      o.status = r->status;
      return o;
    }
    default:
      break;
  }
  dcerpc::NdrReader r(stub);
  auto u32 = [&]() {
    absl::StatusOr<uint32_t> v = r.ReadU32();
    INVARIANT(v.ok(), "response of opnum ", opnum, " does not decode");
    return *v;
  };
  switch (opnum) {
    case kOpNetrServerAuthenticate2: {
      absl::StatusOr<std::array<uint8_t, 8>> c = r.ReadFixed<8>();
      INVARIANT(c.ok(), "Authenticate2 response does not decode");
      o.server_credential = *c;
      o.flags = u32();
      o.status = u32();
      break;
    }
    case kOpNetrLogonGetCapabilities: {
      absl::StatusOr<NetlogonAuthenticator> a = ReadAuth(r);
      INVARIANT(a.ok(), "GetCapabilities response does not decode");
      o.ret = *a;
      u32();  // the union discriminant
      o.capabilities = u32();
      o.status = u32();
      break;
    }
    case kOpNetrServerTrustPasswordsGet:
    case kOpNetrServerGetTrustInfo: {
      absl::StatusOr<NetlogonAuthenticator> a = ReadAuth(r);
      INVARIANT(a.ok(), "TrustPasswordsGet response does not decode");
      o.ret = *a;
      absl::StatusOr<std::array<uint8_t, 16>> n = r.ReadFixed<16>();
      absl::StatusOr<std::array<uint8_t, 16>> old = r.ReadFixed<16>();
      INVARIANT(n.ok() && old.ok(), "TrustPasswordsGet response does not decode");
      o.enc_new = *n;
      o.enc_old = *old;
      if (opnum == kOpNetrServerGetTrustInfo) {
        INVARIANT(u32() == 0, "GetTrustInfo returned a TrustInfo pointer");
      }
      o.status = u32();
      break;
    }
    default:
      Violation(absl::StrCat("DecodeResponse for opnum ", opnum));
  }
  INVARIANT(r.remaining() == 0, "trailing bytes in the response of opnum ", opnum);
  return o;
}

// -----------------------------------------------------------------------------
// The shadow model
// -----------------------------------------------------------------------------

struct ShadowSession {
  SecureChannelCrypto crypto = SecureChannelCrypto::kDes;
  SessionKey session_key{};
  NetlogonCredential stored{};
  uint32_t negotiated = 0;
  uint32_t requested = 0;
  std::string account;
  SecureChannelType type = SecureChannelType::kNull;
  uint64_t id = 0;
  // Every authenticator accepted so far carried a clock timestamp.
  bool clock_only = true;
};

struct PendingChallenge {
  ChallengePair pair;
  uint64_t sequence = 0;
};

// The honest client of one computer name (upper case).
struct HonestClient {
  std::optional<ClientCredentialChain> chain;
  uint64_t session_id = 0;
  uint32_t negotiated = 0;
  std::optional<NetlogonChallenge> client_challenge;  // last one sent
  std::optional<NetlogonChallenge> server_challenge;  // and its answer
};

// An authenticator the server accepted once, for replays.
struct Accepted {
  std::string computer;
  NetlogonAuthenticator auth;
  uint64_t session_id = 0;
};

bool IsRandomChallenge(const NetlogonChallenge& c) {
  for (int i = 1; i < 5; ++i) {
    if (c[i] != c[0]) return true;
  }
  return false;
}

std::optional<uint32_t> RequiredBit(SecureChannelType type) {
  switch (type) {
    case SecureChannelType::kWorkstation:
      return kUfWorkstationTrustAccount;
    case SecureChannelType::kServer:
      return kUfServerTrustAccount;
    case SecureChannelType::kCdc:
      return kUfPartialSecretsAccount;
    case SecureChannelType::kTrustedDnsDomain:
    case SecureChannelType::kTrustedDomain:
      return kUfInterdomainTrustAccount;
    default:
      return std::nullopt;
  }
}

// What NL_TRUST_PASSWORD decrypts to under the session, by the rules of
// MS-NRPC 3.5.4.4.5 and Samba's hardening (trust_password.h), computed here
// independently.
struct PasswordVerdict {
  uint32_t status = kOk;
  Bytes password;
};

PasswordVerdict JudgePassword(uint32_t negotiated, const SessionKey& sk,
                              const NlTrustPassword& wire) {
  const BufferCipher cipher = SelectBufferCipher(negotiated);
  const Bytes plain = DecryptBuffer(cipher, sk, wire);
  const uint32_t length =
      plain[512] | plain[513] << 8 | plain[514] << 16 | static_cast<uint32_t>(plain[515]) << 24;
  if (length > 512 || length % 2 != 0) return {kDenied, {}};
  if (length < 2) return {kWrongPassword, {}};
  const size_t offset = 512 - length;
  auto same = [&](size_t b, size_t e) {
    return std::equal(plain.begin() + b, plain.begin() + e, wire.begin() + b);
  };
  if (cipher != BufferCipher::kNone) {
    if (same(512, 516)) return {kWrongPassword, {}};
    if (offset > 0 && same(0, offset)) return {kWrongPassword, {}};
    if (same(offset, 512)) return {kWrongPassword, {}};
  }
  Bytes password(plain.begin() + offset, plain.begin() + 512);
  if (std::all_of(password.begin(), password.end(), [](uint8_t b) { return b == 0; })) {
    return {kWrongPassword, {}};
  }
  return {kOk, std::move(password)};
}

// -----------------------------------------------------------------------------
// The schannel session source over the server, for the PDU transport
// -----------------------------------------------------------------------------

class ServerSessions final : public SchannelSessionSource {
 public:
  explicit ServerSessions(NetlogonServer& server) : server_(server) {}
  absl::StatusOr<SchannelSession> FindSession(absl::string_view computer_name) override {
    std::optional<SessionInfo> info = server_.SessionOf(computer_name);
    if (!info) return absl::NotFoundError("no session");
    return SchannelSession{Bytes(info->session_key.begin(), info->session_key.end()),
                           info->negotiated_flags};
  }

 private:
  NetlogonServer& server_;
};

// -----------------------------------------------------------------------------
// The harness
// -----------------------------------------------------------------------------

enum class Transport { kDirect, kRpc, kPdu };

// How the authenticator of a protected call was made.
enum class AuthKind { kHonest, kShifted, kReplay, kFuzzed, kZero };

constexpr uint32_t kFlagChoices[] = {kWindowsClientFlags,
                                     kWindowsClientFlagsNoSchannel,
                                     0x600fffff /* RC4, strong keys */,
                                     kNegStrongKeys /* strong keys, no buffer cipher */,
                                     0 /* DES */,
                                     kNegSupportsAes | kNegArcfour};

class Harness {
 public:
  explicit Harness(Tape& tape)
      : t_(tape),
        seed_(tape.U32()),
        server_rng_(seed_),
        client_rng_(seed_ ^ 0x5eed5eedu),
        server_(store_, server_rng_, ReadPolicy(tape)),
        handler_(server_, tape.Bool() ? SchannelPolicy::kRequire : SchannelPolicy::kAllowPlain),
        sessions_source_(server_),
        provider_(sessions_source_, server_rng_) {
    max_pending_ = server_.policy().max_pending_challenges;
    SetUpStore();
  }

  void Run();

 private:
  static ServerPolicy ReadPolicy(Tape& t) {
    ServerPolicy policy;
    policy.accept_previous_password = t.Bool();
    policy.refuse_password_change = t.Bool();
    switch (t.Pick(3)) {
      case 0:
        policy.server_flags = kSambaAdServerFlags;
        break;
      case 1:
        policy.server_flags = 0x600fffff;
        break;
      default:
        policy.server_flags = t.U32();
        break;
    }
    policy.des_sum = t.Bool() ? DesChallengeSum::kMsNrpc64Bit : DesChallengeSum::kSambaHalves;
    constexpr size_t kMaxPending[] = {4096, 1, 2, 3};
    policy.max_pending_challenges = kMaxPending[t.Pick(4)];
    return policy;
  }

  void SetUpStore() {
    store_.accounts["WS01$"] = {1104, kUfWorkstationTrustAccount, Utf16("ws01-current-pw"),
                                Utf16("ws01-previous-pw"), true};
    store_.accounts["WS02$"] = {1105, kUfWorkstationTrustAccount | kUfAccountDisable,
                                Utf16("ws02-pw"), std::nullopt, true};
    store_.accounts["SRV01$"] = {1106, kUfServerTrustAccount, Utf16("srv01-pw"), std::nullopt,
                                 true};
    store_.accounts["GHOST$"] = {1107, kUfWorkstationTrustAccount, Utf16("ghost-pw"), std::nullopt,
                                 false};
  }

  const ServerPolicy& policy() const { return server_.policy(); }

  // --- choices ---------------------------------------------------------------

  const Identity& PickIdentity() { return kIdentities[t_.Pick(kNumIdentities)]; }

  std::string PickComputer() {
    if (t_.Pick(8) == 7) {
      // A fuzzed ASCII name.
      std::string s;
      const size_t n = t_.Pick(6);
      for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('A' + t_.Pick(26)));
      return s;
    }
    return PickIdentity().computer;
  }

  std::string PickAccount() {
    if (t_.Pick(8) == 7) return "ws02$";
    return PickIdentity().account;
  }

  SecureChannelType PickType() {
    switch (t_.Pick(6)) {
      case 0:
      case 1:
        return SecureChannelType::kWorkstation;
      case 2:
        return SecureChannelType::kServer;
      case 3:
        return SecureChannelType::kNull;
      case 4:
        return SecureChannelType::kTrustedDomain;
      default:
        return static_cast<SecureChannelType>(t_.U16());
    }
  }

  uint32_t PickFlags() {
    const size_t n = sizeof(kFlagChoices) / sizeof(kFlagChoices[0]);
    const size_t i = t_.Pick(n + 1);
    return i < n ? kFlagChoices[i] : t_.U32();
  }

  // A timestamp for an authenticator; sets `clock` if it is a clock reading.
  uint32_t PickTimestamp(bool& clock) {
    clock = false;
    switch (t_.Pick(5)) {
      case 0:
      case 1:
      case 2:
        clock_ += 1 + static_cast<uint32_t>(t_.Pick(256));
        clock = true;
        return clock_;
      case 3:
        return 0xFFFFFFFFu;
      default:
        return t_.U32();
    }
  }

  HonestClient& ClientOf(absl::string_view computer) { return clients_[Upper(computer)]; }

  // The honest client's current password for `account` (what it would use):
  // the store's truth, or a password nobody has when there is no account.
  Bytes PasswordOf(absl::string_view account) {
    auto it = store_.accounts.find(Upper(account));
    if (it == store_.accounts.end()) return Utf16("no-such-account");
    return it->second.current;
  }

  // --- the model ---------------------------------------------------------------

  uint32_t ModelUsable(absl::string_view account, SecureChannelType type) const {
    const std::optional<uint32_t> bit = RequiredBit(type);
    if (!bit) return kInvalidParameter;
    auto it = store_.accounts.find(Upper(account));
    if (it == store_.accounts.end() || !it->second.exists) return kNoTrustSam;
    if (it->second.uac & kUfAccountDisable) return kNoTrustSam;
    if ((it->second.uac & *bit) == 0) return kNoTrustSam;
    return kOk;
  }

  void ModelPutChallenge(const std::string& computer, const ChallengePair& pair) {
    const std::string key = Upper(computer);
    if (pending_.size() >= max_pending_ && !pending_.contains(key)) {
      auto oldest = pending_.begin();
      for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        if (it->second.sequence < oldest->second.sequence) oldest = it;
      }
      pending_.erase(oldest);
    }
    pending_[key] = PendingChallenge{pair, next_sequence_++};
  }

  // Steps the shadow chain of `computer`; fills the return authenticator the
  // server must send. False if the server must refuse.
  bool ModelStep(const std::string& computer, const NetlogonAuthenticator& a, bool clock,
                 Outcome& expect) {
    expect.ret = {};
    auto it = sessions_.find(Upper(computer));
    if (it == sessions_.end()) return false;
    ShadowSession& s = it->second;
    const NetlogonCredential candidate = AddToLow32(s.stored, a.timestamp);
    if (ComputeNetlogonCredential(s.crypto, candidate, s.session_key) != a.credential) {
      return false;
    }
    s.stored = AddToLow32(candidate, 1);
    expect.ret = {ComputeNetlogonCredential(s.crypto, s.stored, s.session_key), 0};
    if (!clock) s.clock_only = false;
    return true;
  }

  // Whether an authenticator-protected call passes NetlogonRpcHandler's
  // transport check.
  uint32_t ModelTransport(const std::optional<dcerpc::SecurityInfo>& security,
                          const std::optional<std::string>& computer) const {
    const bool schannel = security.has_value() &&
                          security->auth_type == dcerpc::kAuthTypeNetlogon &&
                          security->auth_level >= dcerpc::kAuthLevelIntegrity;
    if (schannel) {
      if (!computer || !absl::EqualsIgnoreCase(security->computer_name, *computer)) {
        return kDenied;
      }
      return kOk;
    }
    if (handler_.schannel_policy() == SchannelPolicy::kRequire) return kDenied;
    return kOk;
  }

  // Predicts the outcome of `q` (not ReqChallenge) and applies its effects to
  // the shadow state and `expected_store`. `rpc` says whether it went through
  // the RPC handler (with `security`); `clock` whether its authenticator
  // carries a clock timestamp. `session_made` is set when it creates a
  // session, `stepped` when it advances a chain.
  Outcome Predict(const Req& q, bool rpc, const std::optional<dcerpc::SecurityInfo>& security,
                  bool clock, AccountMap& expected_store, bool& stepped) {
    Outcome e;
    stepped = false;
    const std::string computer = q.computer.value_or("");
    switch (q.opnum) {
      case kOpNetrServerAuthenticate2:
      case kOpNetrServerAuthenticate3: {
        e.flags = q.flags & policy().server_flags;
        std::optional<PendingChallenge> pending;
        if (auto it = pending_.find(Upper(computer)); it != pending_.end()) {
          pending = it->second;
          pending_.erase(it);
        }
        if (uint32_t s = ModelUsable(q.account, q.type); s != kOk) {
          e.status = s;
          return e;
        }
        if (!pending || !IsRandomChallenge(pending->pair.client)) {
          e.status = kDenied;
          return e;
        }
        const AccountRecord& account = store_.accounts.at(Upper(q.account));
        std::vector<Bytes> candidates = {account.current};
        if (policy().accept_previous_password && account.previous) {
          candidates.push_back(*account.previous);
        }
        const SecureChannelCrypto crypto = SelectCrypto(e.flags);
        for (size_t i = 0; i < candidates.size(); ++i) {
          const Bytes& password = candidates[i];
          made_password_ = i;
          const SessionKey sk =
              ComputeSessionKey(crypto, crypto::NtHashOfUtf16Le(password), pending->pair.client,
                                pending->pair.server, policy().des_sum);
          if (ComputeNetlogonCredential(crypto, pending->pair.client, sk) != q.credential) {
            continue;
          }
          // The named invariants, independent of the comparison below.
          INVARIANT(IsRandomChallenge(pending->pair.client), "session from a non-random challenge");
          e.status = kOk;
          e.server_credential = ComputeNetlogonCredential(crypto, pending->pair.server, sk);
          e.rid = q.opnum == kOpNetrServerAuthenticate3 ? account.rid : 0;
          ShadowSession s;
          s.crypto = crypto;
          s.session_key = sk;
          s.stored = q.credential;
          s.negotiated = e.flags;
          s.requested = q.flags;
          s.account = q.account;
          s.type = q.type;
          s.id = next_session_id_++;
          sessions_[Upper(computer)] = s;
          made_session_ = s.id;
          return e;
        }
        e.status = kDenied;
        return e;
      }
      case kOpNetrServerPasswordSet2: {
        if (rpc) {
          if (uint32_t s = ModelTransport(security, q.computer); s != kOk) {
            e.status = s;
            return e;
          }
        }
        if (!ModelStep(computer, q.auth, clock, e)) {
          e.status = kDenied;
          return e;
        }
        stepped = true;
        const ShadowSession& s = sessions_.at(Upper(computer));
        if (uint32_t st = ModelUsable(s.account, s.type); st != kOk) {
          e.status = st;
          return e;
        }
        if (policy().refuse_password_change && s.type == SecureChannelType::kWorkstation) {
          e.status = kAccountRestriction;
          return e;
        }
        PasswordVerdict v = JudgePassword(s.negotiated, s.session_key, q.password);
        if (v.status != kOk) {
          e.status = v.status;
          return e;
        }
        expect_set_call_ = true;
        if (store_.fail_next_set) {
          e.status = Code(*store_.fail_next_set);
          return e;
        }
        AccountRecord& record = expected_store.at(Upper(s.account));
        record.previous = record.current;
        record.current = v.password;
        e.status = kOk;
        return e;
      }
      case kOpNetrLogonGetCapabilities: {
        if (q.level != 1 && q.level != 2) {
          if (rpc) {
            e.fault = kFaultInvalidTag;
          } else {
            e.status = kInvalidParameter;
          }
          return e;
        }
        if (rpc) {
          if (uint32_t s = ModelTransport(security, q.computer); s != kOk) {
            e.status = s;
            return e;
          }
        }
        if (!q.computer || !ModelStep(*q.computer, q.auth, clock, e)) {
          e.status = kDenied;
          return e;
        }
        stepped = true;
        const ShadowSession& s = sessions_.at(Upper(*q.computer));
        e.capabilities = q.level == 1 ? s.negotiated : s.requested;
        e.status = kOk;
        return e;
      }
      case kOpNetrServerTrustPasswordsGet:
      case kOpNetrServerGetTrustInfo: {
        if (rpc) {
          if (uint32_t s = ModelTransport(security, q.computer); s != kOk) {
            e.status = s;
            return e;
          }
        }
        if (!ModelStep(computer, q.auth, clock, e)) {
          e.status = kDenied;
          return e;
        }
        stepped = true;
        const ShadowSession& s = sessions_.at(Upper(computer));
        if (q.type != s.type || !absl::EqualsIgnoreCase(q.account, s.account)) {
          e.status = kInvalidParameter;
          return e;
        }
        if (uint32_t st = ModelUsable(s.account, s.type); st != kOk) {
          e.status = st;
          return e;
        }
        const AccountRecord& a = store_.accounts.at(Upper(s.account));
        e.enc_new = EncryptOwfPassword(s.session_key, crypto::NtHashOfUtf16Le(a.current));
        e.enc_old = EncryptOwfPassword(s.session_key,
                                       crypto::NtHashOfUtf16Le(a.previous.value_or(Bytes{})));
        e.status = kOk;
        return e;
      }
      default:
        Violation(absl::StrCat("Predict for opnum ", q.opnum));
    }
  }

  // --- transports ----------------------------------------------------------------

  Outcome CallDirect(const Req& q) {
    Outcome o;
    const std::string computer = q.computer.value_or("");
    switch (q.opnum) {
      case kOpNetrServerReqChallenge:
        o.server_challenge = server_.ServerReqChallenge(computer, q.challenge);
        o.status = kOk;
        break;
      case kOpNetrServerAuthenticate2:
      case kOpNetrServerAuthenticate3: {
        const Authenticate3Reply r =
            server_.ServerAuthenticate3(q.account, q.type, computer, q.credential, q.flags);
        o.status = Code(r.status);
        o.server_credential = r.server_credential;
        o.flags = r.negotiate_flags;
        o.rid = q.opnum == kOpNetrServerAuthenticate3 ? r.account_rid : 0;
        break;
      }
      case kOpNetrServerPasswordSet2: {
        const AuthenticatedReply r =
            server_.ServerPasswordSet2(q.account, q.type, computer, q.auth, q.password);
        o.status = Code(r.status);
        o.ret = r.return_authenticator;
        break;
      }
      case kOpNetrLogonGetCapabilities: {
        const CapabilitiesReply r = server_.LogonGetCapabilities(computer, q.auth, q.level);
        o.status = Code(r.status);
        o.ret = r.return_authenticator;
        o.capabilities = r.capabilities;
        break;
      }
      case kOpNetrServerTrustPasswordsGet:
      case kOpNetrServerGetTrustInfo: {
        const TrustPasswordsReply r =
            server_.ServerTrustPasswordsGet(q.account, q.type, computer, q.auth);
        o.status = Code(r.status);
        o.ret = r.return_authenticator;
        o.enc_new = r.encrypted_new;
        o.enc_old = r.encrypted_old;
        break;
      }
      default:
        Violation("CallDirect");
    }
    return o;
  }

  // The DCE/RPC association of the PDU transport.
  struct Link {
    std::unique_ptr<dcerpc::Connection> connection;
    std::optional<SchannelClient> schannel;
    dcerpc::SecurityInfo security;
    uint32_t next_call_id = 1;
  };

  // Opens a new association: a plain bind, or a schannel bind naming
  // `computer` at `level`. Checks bind_ack / bind_nak against the model.
  void Connect(bool schannel, const std::string& computer, uint8_t level) {
    link_.reset();
    auto link = std::make_unique<Link>();
    dcerpc::ConnectionOptions options;
    options.secondary_address = "49664";
    link->connection = std::make_unique<dcerpc::Connection>(options);
    link->connection->AddInterface(&handler_);
    link->connection->AddSecurityProvider(&provider_);

    dcerpc::BindPdu bind;
    bind.call_id = link->next_call_id++;
    bind.contexts.push_back({0, NetlogonSyntax(), {dcerpc::Ndr20Syntax()}});
    bool expect_ack = true;
    if (schannel) {
      absl::StatusOr<Bytes> negotiate = SchannelClient::Negotiate("CORP", computer);
      INVARIANT(negotiate.ok(), "Negotiate(", computer, ")");
      bind.auth = dcerpc::AuthVerifier{dcerpc::kAuthTypeNetlogon, level, 0, 0, 1, *negotiate};
      expect_ack = (level == dcerpc::kAuthLevelIntegrity || level == dcerpc::kAuthLevelPrivacy) &&
                   sessions_.contains(Upper(computer));
    }
    absl::StatusOr<Bytes> wire = dcerpc::EncodeBind(bind);
    INVARIANT(wire.ok(), "EncodeBind");
    const Bytes out = link->connection->Receive(*wire);
    absl::StatusOr<dcerpc::CommonHeader> header = dcerpc::ParseCommonHeader(out);
    INVARIANT(header.ok(), "no reply to a bind");
    INVARIANT(header->frag_length == out.size(), "bind reply is not one PDU");
    if (!expect_ack) {
      INVARIANT(header->ptype == dcerpc::kPtypeBindNak, "schannel bind for ", computer,
                " at level ", level, " without a session was accepted");
      INVARIANT(link->connection->closed(), "bind_nak without closing");
      return;
    }
    INVARIANT(header->ptype == dcerpc::kPtypeBindAck, "bind refused: ptype ", header->ptype);
    absl::StatusOr<dcerpc::BindAckPdu> ack = dcerpc::ParseBindAck(out);
    INVARIANT(ack.ok(), "bind_ack does not parse");
    INVARIANT(ack->results.size() == 1 && ack->results[0].result == dcerpc::kResultAcceptance,
              "Netlogon context not accepted");
    if (schannel) {
      INVARIANT(ack->auth.has_value(), "schannel bind_ack without auth");
      INVARIANT(SchannelClient::AcceptResponse(ack->auth->auth_value).ok(),
                "schannel bind_ack auth value");
      const ShadowSession& s = sessions_.at(Upper(computer));
      SchannelSession session{Bytes(s.session_key.begin(), s.session_key.end()), s.negotiated};
      absl::StatusOr<SchannelClient> client = SchannelClient::Create(session, level, client_rng_);
      INVARIANT(client.ok(), "SchannelClient::Create");
      link->schannel.emplace(*std::move(client));
      link->security = {dcerpc::kAuthTypeNetlogon, level, computer};
    }
    link_ = std::move(link);
  }

  // Sends one call over the link; returns the reassembled (verified,
  // unsealed) response stub, or the fault status.
  dcerpc::CallReply CallPdu(uint16_t opnum, const Bytes& stub) {
    Link& link = *link_;
    const uint32_t call_id = link.next_call_id++;
    // One or two fragments.
    std::vector<Bytes> pieces;
    if (stub.size() > 1 && t_.Pick(4) == 0) {
      const size_t cut = 1 + t_.Pick(256) % (stub.size() - 1);
      pieces.emplace_back(stub.begin(), stub.begin() + cut);
      pieces.emplace_back(stub.begin() + cut, stub.end());
    } else {
      pieces.push_back(stub);
    }
    Bytes wire;
    for (size_t i = 0; i < pieces.size(); ++i) {
      dcerpc::RequestPdu req;
      req.call_id = call_id;
      req.pfc_flags = (i == 0 ? dcerpc::kPfcFirstFrag : 0) |
                      (i + 1 == pieces.size() ? dcerpc::kPfcLastFrag : 0);
      req.alloc_hint = static_cast<uint32_t>(stub.size());
      req.context_id = 0;
      req.opnum = opnum;
      req.stub = pieces[i];
      if (link.schannel) {
        const size_t pad = (16 - req.stub.size() % 16) % 16;
        req.stub.resize(req.stub.size() + pad, 0);
        absl::StatusOr<Bytes> token = link.schannel->SignRequest(req.stub);
        INVARIANT(token.ok(), "SignRequest");
        req.auth = dcerpc::AuthVerifier{dcerpc::kAuthTypeNetlogon,
                                        link.security.auth_level,
                                        static_cast<uint8_t>(pad),
                                        0,
                                        1,
                                        *token};
      }
      absl::StatusOr<Bytes> encoded = dcerpc::EncodeRequest(req);
      INVARIANT(encoded.ok(), "EncodeRequest");
      wire.insert(wire.end(), encoded->begin(), encoded->end());
    }
    // Delivered whole, in two chunks, or in small ones.
    Bytes out;
    const size_t mode = t_.Pick(4);
    size_t pos = 0;
    while (pos < wire.size()) {
      size_t n = wire.size() - pos;
      if (mode == 1 && pos == 0) n = 1 + t_.Pick(256) % wire.size();
      if (mode == 2) n = std::min<size_t>(n, 1 + t_.Pick(64));
      const Bytes part = link.connection->Receive(ByteView(wire).subspan(pos, n));
      out.insert(out.end(), part.begin(), part.end());
      pos += n;
    }
    // Parse what came back.
    dcerpc::CallReply reply;
    ByteView rest(out);
    bool done = false;
    INVARIANT(!rest.empty(), "no reply to a complete request (opnum ", opnum, ")");
    while (!rest.empty()) {
      INVARIANT(!done, "bytes after the last response fragment");
      absl::StatusOr<dcerpc::CommonHeader> h = dcerpc::ParseCommonHeader(rest);
      INVARIANT(h.ok() && h->frag_length <= rest.size(), "response PDU framing");
      const ByteView pdu = rest.first(h->frag_length);
      rest.remove_prefix(h->frag_length);
      INVARIANT(h->call_id == call_id, "response to call ", h->call_id, ", sent ", call_id);
      if (h->ptype == dcerpc::kPtypeFault) {
        absl::StatusOr<dcerpc::FaultPdu> f = dcerpc::ParseFault(pdu);
        INVARIANT(f.ok(), "fault PDU does not parse");
        reply.fault = f->status;
        INVARIANT(f->status != dcerpc::kFaultAccessDenied && f->status != dcerpc::kFaultProtoError,
                  "honest request refused by the connection: fault ", absl::Hex(f->status));
        done = true;
        continue;
      }
      INVARIANT(h->ptype == dcerpc::kPtypeResponse, "unexpected ptype ", h->ptype);
      absl::StatusOr<dcerpc::ResponsePdu> r = dcerpc::ParseResponse(pdu);
      INVARIANT(r.ok(), "response PDU does not parse");
      Bytes body = r->stub;
      if (link.schannel) {
        INVARIANT(r->auth.has_value(), "unsigned response on a schannel call");
        INVARIANT(link.schannel->VerifyResponse(body, r->auth->auth_value).ok(),
                  "the server's response signature does not verify");
        INVARIANT(r->auth->auth_pad_length <= body.size(), "auth padding");
        body.resize(body.size() - r->auth->auth_pad_length);
      } else {
        INVARIANT(!r->auth.has_value(), "signed response to a plain call");
      }
      reply.stub.insert(reply.stub.end(), body.begin(), body.end());
      done = (r->pfc_flags & dcerpc::kPfcLastFrag) != 0;
    }
    INVARIANT(done, "response without its last fragment");
    INVARIANT(!link.connection->closed(), "connection closed after a well-formed call");
    return reply;
  }

  // Mutates a stub (sometimes): truncation, a flipped byte or appended bytes.
  bool MaybeMutate(Bytes& stub) {
    switch (t_.Pick(8)) {
      case 0:
        if (!stub.empty()) stub.resize(t_.U16() % stub.size());
        return true;
      case 1:
        if (!stub.empty()) stub[t_.U16() % stub.size()] ^= static_cast<uint8_t>(1 + t_.Pick(255));
        return true;
      case 2: {
        const Bytes extra = t_.Raw(16);
        stub.insert(stub.end(), extra.begin(), extra.end());
        return false;  // trailing bytes are ignored: the call is unchanged
      }
      default:
        return false;
    }
  }

  // Runs one call through the chosen transport, checks the outcome against
  // the model and the named invariants, and returns what came back. `honest`
  // says the request is the honest client's untouched one (set to false if a
  // mutation changed it). For ReqChallenge the model records the server's
  // challenge from the outcome.
  Outcome Call(Req q, bool clock, AuthKind kind, bool& honest) {
    const size_t transport_choice = t_.Pick(6);
    Transport transport = transport_choice < 3   ? Transport::kDirect
                          : transport_choice < 5 ? Transport::kRpc
                                                 : Transport::kPdu;
    std::optional<dcerpc::SecurityInfo> security;
    if (transport == Transport::kPdu && !link_) transport = Transport::kRpc;
    if (transport == Transport::kRpc) {
      switch (t_.Pick(4)) {
        case 1:
          security =
              dcerpc::SecurityInfo{dcerpc::kAuthTypeNetlogon, static_cast<uint8_t>(5 + t_.Pick(2)),
                                   q.computer.value_or("")};
          break;
        case 2:
          security = dcerpc::SecurityInfo{dcerpc::kAuthTypeNetlogon,
                                          static_cast<uint8_t>(t_.Pick(7)), PickComputer()};
          break;
        default:
          break;
      }
    } else if (transport == Transport::kPdu && link_->schannel) {
      security = link_->security;
    }

    // What the server will decode. The direct API has no NULL ComputerName.
    Req decoded = q;
    if (transport == Transport::kDirect && !decoded.computer) decoded.computer = "";
    std::optional<Bytes> stub;
    if (transport != Transport::kDirect) {
      stub = EncodeStub(q);
      if (!stub) {
        // Not encodable (e.g. a name that is not UTF-8): go direct instead.
        transport = Transport::kDirect;
        security.reset();
        if (!decoded.computer) decoded.computer = "";
      } else {
        if (MaybeMutate(*stub)) honest = false;
        const std::optional<Req> d = DecodeStub(q.opnum, *stub);
        if (!d) {
          Outcome got = Transport::kRpc == transport ? RpcOutcome(q.opnum, *stub, security)
                                                     : PduOutcome(q.opnum, *stub);
          INVARIANT(got.fault == dcerpc::kFaultBadStubData, "undecodable stub for opnum ", q.opnum,
                    " answered ", Describe(got));
          honest = false;
          CheckSessions();
          return got;
        }
        decoded = *d;
        if (!(decoded == q)) honest = false;
      }
    }
    NoteName(decoded.computer.value_or(""));

    if (decoded.opnum == kOpNetrServerReqChallenge) {
      const Outcome got = transport == Transport::kDirect ? CallDirect(decoded)
                          : transport == Transport::kRpc
                              ? RpcOutcome(decoded.opnum, *stub, security)
                              : PduOutcome(decoded.opnum, *stub);
      Trace(absl::StrCat("ReqChallenge ", decoded.computer.value_or(""), " challenge ",
                         Hex(decoded.challenge), " via transport ", static_cast<int>(transport)));
      INVARIANT(got.fault == 0 && got.status == kOk, "ReqChallenge failed: ", Describe(got));
      ModelPutChallenge(decoded.computer.value_or(""), {decoded.challenge, got.server_challenge});
      CheckSessions();
      return got;
    }

    // Predict, call, compare.
    const AccountMap store_before = store_.accounts;
    AccountMap expected_store = store_.accounts;
    const int set_calls_before = store_.set_calls;
    expect_set_call_ = false;
    made_session_.reset();
    const std::string key = Upper(decoded.computer.value_or(""));
    std::optional<ShadowSession> shadow_before;
    if (auto it = sessions_.find(key); it != sessions_.end()) shadow_before = it->second;
    bool stepped = false;
    Outcome expect =
        Predict(decoded, transport != Transport::kDirect, security, clock, expected_store, stepped);
    const Outcome got = transport == Transport::kDirect ? CallDirect(decoded)
                        : transport == Transport::kRpc  ? RpcOutcome(decoded.opnum, *stub, security)
                                                        : PduOutcome(decoded.opnum, *stub);
    Trace(absl::StrCat(Describe(decoded), " via transport ", static_cast<int>(transport),
                       security ? " (schannel claimed)" : "", " -> ", Describe(got)));
    INVARIANT(got == expect, Describe(decoded), " via transport ", static_cast<int>(transport),
              ": expected ", Describe(expect), " got ", Describe(got));

    // The store changes only on a successful PasswordSet2.
    const bool set_ok = decoded.opnum == kOpNetrServerPasswordSet2 && got.status == kOk;
    if (!set_ok) {
      INVARIANT(store_.accounts == store_before, "a failed or non-PasswordSet2 call (",
                Describe(decoded), ") changed the store");
    } else {
      INVARIANT(store_.accounts == expected_store, "PasswordSet2 stored something else");
    }
    INVARIANT(store_.set_calls == set_calls_before + (expect_set_call_ ? 1 : 0),
              "the store was written ", store_.set_calls - set_calls_before, " times by ",
              Describe(decoded));

    // Replays: on a session whose client uses clock timestamps, an
    // authenticator that was accepted once never is again.
    if (kind == AuthKind::kReplay && stepped) {
      INVARIANT(!shadow_before || !shadow_before->clock_only,
                "replayed authenticator accepted on '", key, "' (session ", shadow_before->id, ")");
      ++wrap_replays_;
    }
    if (stepped && (decoded.opnum == kOpNetrServerPasswordSet2 ||
                    decoded.opnum == kOpNetrLogonGetCapabilities ||
                    decoded.opnum == kOpNetrServerTrustPasswordsGet ||
                    decoded.opnum == kOpNetrServerGetTrustInfo)) {
      accepted_.push_back({decoded.computer.value_or(""), decoded.auth,
                           sessions_.at(Upper(decoded.computer.value_or(""))).id});
      if (accepted_.size() > 16) accepted_.erase(accepted_.begin());
    }

    // Sessions only come from an accepted password.
    if ((decoded.opnum == kOpNetrServerAuthenticate3 ||
         decoded.opnum == kOpNetrServerAuthenticate2) &&
        got.status == kOk) {
      CheckSessionFromAcceptedPassword(decoded);
    }
    CheckSessions();
    return got;
  }

  Outcome RpcOutcome(uint16_t opnum, const Bytes& stub,
                     const std::optional<dcerpc::SecurityInfo>& security) {
    dcerpc::CallContext context;
    context.opnum = opnum;
    context.stub = stub;
    context.security = security;
    const dcerpc::CallReply reply = handler_.Call(context);
    return ToOutcome(opnum, reply);
  }

  Outcome PduOutcome(uint16_t opnum, const Bytes& stub) {
    return ToOutcome(opnum, CallPdu(opnum, stub));
  }

  static Outcome ToOutcome(uint16_t opnum, const dcerpc::CallReply& reply) {
    if (reply.fault != 0) {
      INVARIANT(reply.stub.empty(), "fault with a stub");
      Outcome o;
      o.fault = reply.fault;
      return o;
    }
    return DecodeResponse(opnum, reply.stub);
  }

  // After a successful ServerAuthenticate: the credential was made from the
  // current password, or from the previous one if the policy accepts it.
  // The server's session key is the one the model derived from that password.
  void CheckSessionFromAcceptedPassword(const Req& q) {
    const ShadowSession& s = sessions_.at(Upper(q.computer.value_or("")));
    const AccountRecord& a = store_.accounts.at(Upper(q.account));
    INVARIANT(a.exists && !(a.uac & kUfAccountDisable), "session for an unusable account");
    INVARIANT(made_password_ == 0 || (made_password_ == 1 && policy().accept_previous_password),
              "session from password #", made_password_);
    const std::optional<SessionInfo> info = server_.SessionOf(q.computer.value_or(""));
    INVARIANT(info.has_value(), "successful ServerAuthenticate left no session");
    INVARIANT(info->session_key == s.session_key,
              "the server's session key is not derived from an accepted password");
  }

  // Compares the server's sessions with the shadow for every name seen, and
  // each session's credential chain: on a copy of the server, the next
  // authenticator an honest client would compute from the model's stored
  // credential must verify and return the model's return authenticator. So a
  // refused call (a replay, a bad authenticator, a transport refusal) that
  // moved the server's chain, or an accepted one that moved it differently,
  // is caught at once.
  void CheckSessions() {
    if (!sessions_.empty()) {
      NetlogonServer probe = server_;
      for (const auto& [name, s] : sessions_) {
        const NetlogonCredential next = AddToLow32(s.stored, 1);
        const NetlogonAuthenticator a{ComputeNetlogonCredential(s.crypto, next, s.session_key), 1};
        const CapabilitiesReply r = probe.LogonGetCapabilities(name, a, 1);
        INVARIANT(r.status.ok(), "the server's chain of '", name,
                  "' is not where the model has it: ", r.status.ToString());
        const NetlogonAuthenticator ret{
            ComputeNetlogonCredential(s.crypto, AddToLow32(next, 1), s.session_key), 0};
        INVARIANT(r.return_authenticator == ret && r.capabilities == s.negotiated, "probe of '",
                  name, "': unexpected return authenticator or capabilities");
      }
    }
    for (const std::string& name : names_) {
      const std::optional<SessionInfo> info = server_.SessionOf(name);
      auto it = sessions_.find(Upper(name));
      INVARIANT(info.has_value() == (it != sessions_.end()), "session of '", name, "': server ",
                info.has_value(), " model ", it != sessions_.end());
      INVARIANT(server_.HasSession(name) == info.has_value(), "HasSession / SessionOf");
      if (!info) continue;
      const ShadowSession& s = it->second;
      INVARIANT(info->session_key == s.session_key && info->negotiated_flags == s.negotiated &&
                    info->requested_flags == s.requested && info->account_name == s.account &&
                    info->channel_type == s.type,
                "session of '", name, "' differs from the model");
    }
  }

  void NoteName(const std::string& name) {
    if (names_.size() < 64) names_.insert(name);
  }

  // --- operations -----------------------------------------------------------------

  void OpReqChallenge(std::optional<std::string> computer = std::nullopt,
                      std::optional<size_t> kind_choice = std::nullopt) {
    Req q;
    q.opnum = kOpNetrServerReqChallenge;
    q.computer = computer ? *computer : PickComputer();
    HonestClient& client = ClientOf(*q.computer);
    switch (kind_choice ? *kind_choice : t_.Pick(6)) {
      case 0:
      case 1:
        client_rng_.Fill(absl::MakeSpan(q.challenge));
        break;
      case 2:
        q.challenge = {};  // Zerologon's
        break;
      case 3:
        q.challenge.fill(static_cast<uint8_t>(t_.U8()));
        break;
      case 4:
        // The first five bytes equal, the rest not: still "not random".
        q.challenge = {7, 7, 7, 7, 7, 1, 2, 3};
        break;
      default:
        if (client.client_challenge && t_.Bool()) {
          q.challenge = *client.client_challenge;  // reused
        } else {
          q.challenge = t_.Array<8>();
        }
        break;
    }
    bool honest = true;
    const Outcome got = Call(q, false, AuthKind::kZero, honest);
    if (got.fault == 0) {
      client.client_challenge = q.challenge;
      client.server_challenge = got.server_challenge;
    }
  }

  // ServerAuthenticate3 (or 2). `fixed` makes the honest choice: right
  // password, identity's account and type, Windows flags.
  void OpAuthenticate(bool fixed = false, std::optional<size_t> identity = std::nullopt) {
    Req q;
    const Identity& id = identity ? kIdentities[*identity] : PickIdentity();
    q.opnum = (!fixed && t_.Pick(4) == 0) ? kOpNetrServerAuthenticate2 : kOpNetrServerAuthenticate3;
    q.computer = id.computer;
    q.account = id.account;
    q.type = id.type;
    if (!fixed && t_.Pick(4) == 0) {
      q.computer = PickComputer();
      q.account = PickAccount();
      q.type = PickType();
    }
    q.flags = fixed ? kWindowsClientFlags : PickFlags();
    HonestClient& client = ClientOf(*q.computer);

    // The client's password and how it computes its credential.
    const size_t pw_choice = fixed ? 0 : t_.Pick(6);
    std::optional<Bytes> password;
    switch (pw_choice) {
      case 0:
      case 1:
        password = PasswordOf(q.account);
        break;
      case 2: {
        auto it = store_.accounts.find(Upper(q.account));
        password = it != store_.accounts.end() && it->second.previous ? *it->second.previous
                                                                      : Utf16("never-set");
        break;
      }
      case 3:
        password = Utf16("wrong-password");
        break;
      case 4:
        password = PasswordOf(kStoreAccounts[t_.Pick(4)]);
        break;
      default:
        break;  // raw credential
    }
    const uint32_t client_view_flags =
        (fixed || t_.Pick(4) != 0) ? q.flags & policy().server_flags : q.flags;
    const DesChallengeSum des_sum =
        (fixed || t_.Pick(4) != 0)
            ? policy().des_sum
            : (t_.Bool() ? DesChallengeSum::kMsNrpc64Bit : DesChallengeSum::kSambaHalves);
    std::optional<ClientHandshake> handshake;
    if (password && client.client_challenge && client.server_challenge) {
      handshake.emplace(client_view_flags, crypto::NtHashOfUtf16Le(*password),
                        *client.client_challenge, *client.server_challenge, des_sum);
      q.credential = handshake->client_credential();
    } else {
      q.credential = t_.Array<8>();
    }
    bool honest = handshake.has_value();
    const Outcome got = Call(q, false, AuthKind::kZero, honest);
    if (got.fault != 0 || got.status != kOk) return;

    // A session exists: the named invariant, from the client's side.
    INVARIANT(made_session_.has_value(), "session made without the model's consent");
    const AccountRecord& account = store_.accounts.at(Upper(q.account));
    if (honest) {
      const crypto::NtHash h = crypto::NtHashOfUtf16Le(*password);
      const bool current = h == crypto::NtHashOfUtf16Le(account.current);
      const bool previous = account.previous && h == crypto::NtHashOfUtf16Le(*account.previous);
      INVARIANT(current || (previous && policy().accept_previous_password),
                "session established with a password the DC does not accept");
      INVARIANT(IsRandomChallenge(*client.client_challenge),
                "session established from a non-random client challenge");
      // The server proves it knows the same password.
      absl::StatusOr<ClientCredentialChain> chain = handshake->Finish(got.server_credential);
      INVARIANT(chain.ok(),
                "honest client rejects the server credential: ", chain.status().ToString());
      INVARIANT(chain->session_key() == sessions_.at(Upper(*q.computer)).session_key,
                "client and server session keys differ");
      client.chain.emplace(*std::move(chain));
      client.session_id = *made_session_;
      client.negotiated = got.flags;
    } else {
      // Whoever got a session through a mutated stub or raw bytes: the honest
      // client of that name no longer holds it.
      HonestClient& other = ClientOf(*q.computer);
      other.session_id = 0;
    }
    // The challenge pair is used up either way.
  }

  // Builds the authenticator of a protected call.
  NetlogonAuthenticator MakeAuthenticator(const std::string& computer, AuthKind& kind, bool& clock,
                                          bool& from_chain, size_t forced = 99) {
    clock = false;
    from_chain = false;
    HonestClient& client = ClientOf(computer);
    const size_t choice = forced != 99 ? forced : t_.Pick(8);
    if (choice <= 3 && client.chain) {
      const uint32_t ts = PickTimestamp(clock);
      NetlogonAuthenticator a = client.chain->Next(ts);
      if (choice == 3) {
        kind = AuthKind::kShifted;
        a.timestamp += 1 + static_cast<uint32_t>(t_.Pick(4));
        clock = false;
        return a;
      }
      kind = AuthKind::kHonest;
      from_chain = true;
      return a;
    }
    if (choice == 4 && !accepted_.empty()) {
      kind = AuthKind::kReplay;
      return accepted_[t_.Pick(accepted_.size())].auth;
    }
    if (choice == 5) {
      kind = AuthKind::kZero;
      return {};
    }
    kind = AuthKind::kFuzzed;
    NetlogonAuthenticator a;
    a.credential = t_.Array<8>();
    a.timestamp = t_.U32();
    return a;
  }

  // After a protected call: the honest client accepts the return
  // authenticator iff the server accepted its authenticator.
  void AfterProtectedCall(const std::string& computer, const Outcome& got, bool from_chain,
                          bool honest, uint64_t session_before) {
    if (!from_chain || !honest) return;
    HonestClient& client = ClientOf(computer);
    const bool zero = got.ret == NetlogonAuthenticator{};
    if (zero) return;  // refused: the client's chain stays where it was
    const absl::Status s = client.chain->Accept(got.ret);
    if (client.session_id == session_before && session_before != 0) {
      INVARIANT(s.ok(), "the honest client rejects the return authenticator: ", s.ToString());
      const ShadowSession& shadow = sessions_.at(Upper(computer));
      INVARIANT(client.chain->stored_credential() == shadow.stored,
                "client and server chains diverged");
    }
  }

  uint64_t SessionIdOf(const std::string& computer) {
    auto it = sessions_.find(Upper(computer));
    return it == sessions_.end() ? 0 : it->second.id;
  }

  void OpPasswordSet2(bool fixed = false, std::optional<size_t> identity = std::nullopt) {
    const Identity& id = identity ? kIdentities[*identity] : PickIdentity();
    Req q;
    q.opnum = kOpNetrServerPasswordSet2;
    q.computer = id.computer;
    q.account = (!fixed && t_.Pick(4) == 0) ? PickAccount() : id.account;
    q.type = id.type;
    AuthKind kind;
    bool clock = false;
    bool from_chain = false;
    const std::string computer = *q.computer;
    q.auth = MakeAuthenticator(computer, kind, clock, from_chain, fixed ? 0 : 99);
    HonestClient& client = ClientOf(computer);

    // The new password and its NL_TRUST_PASSWORD.
    const size_t pw_choice = fixed ? 0 : t_.Pick(8);
    const uint32_t flags = client.chain ? client.negotiated : 0;
    const SessionKey sk = client.chain ? client.chain->session_key() : SessionKey{};
    Bytes new_password;
    const size_t chars = 1 + t_.Pick(120);
    for (size_t i = 0; i < chars; ++i) {
      new_password.push_back(static_cast<uint8_t>('a' + client_rng_.Uniform(26)));
      new_password.push_back(0);
    }
    NlTrustPassword plain{};
    switch (pw_choice) {
      case 0:
      case 1:
      case 2:
        plain = BuildTrustPassword(new_password, client_rng_).value();
        q.password = EncryptTrustPassword(flags, sk, plain);
        break;
      case 3:
        q.password = BuildTrustPassword(new_password, client_rng_).value();  // not encrypted
        break;
      case 4:
        plain = BuildTrustPassword(Bytes(2 * chars, 0), client_rng_).value();  // all zero
        q.password = EncryptTrustPassword(flags, sk, plain);
        break;
      case 5:
        // Length 0, 1 (odd) or 2 (the last two filler bytes).
        plain = BuildTrustPassword({}, client_rng_).value();
        plain[512] = static_cast<uint8_t>(t_.Pick(3));
        q.password = EncryptTrustPassword(flags, sk, plain);
        break;
      case 6: {
        const std::array<uint8_t, 516> raw = t_.Array<516>();
        std::copy(raw.begin(), raw.end(), q.password.begin());
        break;
      }
      default: {
        // A plaintext with a fuzzed length, honestly encrypted.
        plain = BuildTrustPassword(new_password, client_rng_).value();
        const uint32_t length = t_.U32();
        for (int i = 0; i < 4; ++i) plain[512 + i] = static_cast<uint8_t>(length >> (8 * i));
        q.password = EncryptTrustPassword(flags, sk, plain);
        break;
      }
    }
    const uint64_t session_before = SessionIdOf(computer);
    bool honest = true;
    const Outcome got = Call(q, clock, kind, honest);
    AfterProtectedCall(computer, got, from_chain, honest, session_before);
  }

  void OpGetCapabilities() {
    const Identity& id = PickIdentity();
    Req q;
    q.opnum = kOpNetrLogonGetCapabilities;
    q.computer = id.computer;
    if (t_.Pick(8) == 0) q.computer.reset();  // a NULL ComputerName
    switch (t_.Pick(6)) {
      case 0:
      case 1:
      case 2:
        q.level = 1;
        break;
      case 3:
      case 4:
        q.level = 2;
        break;
      default:
        q.level = t_.U32();
        break;
    }
    AuthKind kind;
    bool clock = false;
    bool from_chain = false;
    q.auth = MakeAuthenticator(id.computer, kind, clock, from_chain);
    const uint64_t session_before = SessionIdOf(id.computer);
    bool honest = q.computer.has_value();
    const Outcome got = Call(q, clock, kind, honest);
    if (got.fault == 0 && got.status == kOk && honest && from_chain && q.level == 1 &&
        ClientOf(id.computer).session_id == session_before) {
      INVARIANT(got.capabilities == ClientOf(id.computer).negotiated,
                "GetCapabilities level 1 is not the negotiated flags");
    }
    AfterProtectedCall(id.computer, got, from_chain, honest, session_before);
  }

  void OpTrustPasswordsGet() {
    const Identity& id = PickIdentity();
    Req q;
    q.opnum = t_.Bool() ? kOpNetrServerTrustPasswordsGet : kOpNetrServerGetTrustInfo;
    q.computer = id.computer;
    q.account = id.account;
    q.type = id.type;
    if (t_.Pick(4) == 0) {
      q.account = PickAccount();
      q.type = PickType();
    }
    AuthKind kind;
    bool clock = false;
    bool from_chain = false;
    q.auth = MakeAuthenticator(id.computer, kind, clock, from_chain);
    const uint64_t session_before = SessionIdOf(id.computer);
    bool honest = true;
    const Outcome got = Call(q, clock, kind, honest);
    if (got.fault == 0 && got.status == kOk && honest && from_chain) {
      // The honest client decrypts what the DC holds.
      HonestClient& client = ClientOf(id.computer);
      if (client.session_id == session_before) {
        const AccountRecord& a = store_.accounts.at(Upper(q.account));
        INVARIANT(DecryptOwfPassword(client.chain->session_key(), got.enc_new) ==
                      crypto::NtHashOfUtf16Le(a.current),
                  "TrustPasswordsGet: the new OWF is not the current password's");
      }
    }
    AfterProtectedCall(id.computer, got, from_chain, honest, session_before);
  }

  // A raw stub with any opnum through the RPC handler.
  void OpRawStub() {
    constexpr uint16_t kOpnums[] = {kOpNetrServerReqChallenge,      kOpNetrServerAuthenticate2,
                                    kOpNetrLogonControl2Ex,         kOpNetrLogonGetCapabilities,
                                    kOpNetrServerAuthenticate3,     kOpNetrServerPasswordSet2,
                                    kOpNetrServerTrustPasswordsGet, kOpNetrServerGetTrustInfo};
    const size_t i = t_.Pick(9);
    const uint16_t opnum = i < 8 ? kOpnums[i] : t_.U16();
    const Bytes stub = t_.Raw(700);
    std::optional<dcerpc::SecurityInfo> security;
    if (t_.Bool()) {
      security = dcerpc::SecurityInfo{dcerpc::kAuthTypeNetlogon, 6, PickComputer()};
    }
    dcerpc::CallContext context;
    context.opnum = opnum;
    context.stub = stub;
    context.security = security;

    if (!Served(opnum)) {
      const dcerpc::CallReply reply = handler_.Call(context);
      INVARIANT(reply.fault == dcerpc::kFaultOpRangeError, "opnum ", opnum, " not refused");
      return;
    }
    if (opnum == kOpNetrLogonControl2Ex) {
      // No backend, no state: only "does not crash" and no session changes.
      const dcerpc::CallReply reply = handler_.Call(context);
      INVARIANT(reply.fault == 0 || reply.fault == dcerpc::kFaultBadStubData,
                "LogonControl2Ex fault ", reply.fault);
      CheckSessions();
      return;
    }
    const std::optional<Req> q = DecodeStub(opnum, stub);
    if (!q) {
      const dcerpc::CallReply reply = handler_.Call(context);
      INVARIANT(reply.fault == dcerpc::kFaultBadStubData, "undecodable raw stub for opnum ", opnum,
                " answered fault ", reply.fault);
      CheckSessions();
      return;
    }
    NoteName(q->computer.value_or(""));
    if (opnum == kOpNetrServerReqChallenge) {
      const Outcome got = ToOutcome(opnum, handler_.Call(context));
      INVARIANT(got.fault == 0 && got.status == kOk, "raw ReqChallenge failed");
      ModelPutChallenge(q->computer.value_or(""), {q->challenge, got.server_challenge});
      CheckSessions();
      return;
    }
    const AccountMap before = store_.accounts;
    AccountMap expected_store = store_.accounts;
    bool stepped = false;
    expect_set_call_ = false;
    made_session_.reset();
    const Outcome expect = Predict(*q, true, security, false, expected_store, stepped);
    const Outcome got = ToOutcome(opnum, handler_.Call(context));
    INVARIANT(got == expect, "raw ", Describe(*q), ": expected ", Describe(expect), " got ",
              Describe(got));
    if (!(opnum == kOpNetrServerPasswordSet2 && got.status == kOk)) {
      INVARIANT(store_.accounts == before, "raw call changed the store");
    } else {
      INVARIANT(store_.accounts == expected_store, "raw PasswordSet2 stored something else");
    }
    if (made_session_) ClientOf(q->computer.value_or("")).session_id = 0;
    CheckSessions();
  }

  void OpDropSession() {
    const std::string computer = PickComputer();
    NoteName(computer);
    server_.DropSession(computer);
    sessions_.erase(Upper(computer));
    CheckSessions();
  }

  void OpDropAll() {
    server_.DropAllSessions();
    sessions_.clear();
    CheckSessions();
  }

  void OpCheckSession() {
    const Identity& id = PickIdentity();
    const std::string computer = t_.Pick(4) == 0 ? PickComputer() : std::string(id.computer);
    const std::string account = t_.Pick(4) == 0 ? PickAccount() : std::string(id.account);
    const SecureChannelType type = t_.Pick(4) == 0 ? PickType() : id.type;
    NoteName(computer);
    SessionKey key{};
    auto it = sessions_.find(Upper(computer));
    if (it != sessions_.end() && t_.Pick(4) != 0) {
      key = it->second.session_key;
    } else {
      key = t_.Array<16>();
    }
    uint32_t expect = kOk;
    if (it == sessions_.end() || it->second.session_key != key) {
      expect = kDenied;
    } else if (uint32_t s = ModelUsable(account, type); s != kOk) {
      expect = s;
      sessions_.erase(it);
    }
    const uint32_t got = Code(server_.CheckSession(computer, account, type, key));
    INVARIANT(got == expect, "CheckSession(", computer, ", ", account, "): expected ",
              absl::Hex(expect), " got ", absl::Hex(got));
    CheckSessions();
  }

  void OpStoreChange() {
    AccountRecord& a = store_.accounts.at(kStoreAccounts[t_.Pick(4)]);
    switch (t_.Pick(7)) {
      case 0:
      case 1: {
        a.previous = a.current;
        a.current.clear();
        const size_t n = 1 + t_.Pick(20);
        for (size_t i = 0; i < n; ++i) {
          a.current.push_back(static_cast<uint8_t>('A' + client_rng_.Uniform(26)));
          a.current.push_back(0);
        }
        break;
      }
      case 2:
        a.previous.reset();
        break;
      case 3:
        a.uac ^= kUfAccountDisable;
        break;
      case 4:
        a.exists = !a.exists;
        break;
      case 5:
        a.uac ^= kUfWorkstationTrustAccount | kUfServerTrustAccount;
        break;
      default:
        store_.fail_next_set = absl::UnavailableError("replica is read-only");
        break;
    }
  }

  void OpPolicyChange() {
    switch (t_.Pick(5)) {
      case 0:
        server_.policy().accept_previous_password = !server_.policy().accept_previous_password;
        break;
      case 1:
        server_.policy().refuse_password_change = !server_.policy().refuse_password_change;
        break;
      case 2:
        server_.policy().server_flags = t_.Bool() ? kSambaAdServerFlags : PickFlags();
        break;
      case 3:
        server_.policy().des_sum = server_.policy().des_sum == DesChallengeSum::kSambaHalves
                                       ? DesChallengeSum::kMsNrpc64Bit
                                       : DesChallengeSum::kSambaHalves;
        break;
      default:
        handler_.set_schannel_policy(handler_.schannel_policy() == SchannelPolicy::kRequire
                                         ? SchannelPolicy::kAllowPlain
                                         : SchannelPolicy::kRequire);
        break;
    }
  }

  void OpConnect() {
    const bool schannel = t_.Pick(3) != 0;
    const Identity& id = kIdentities[t_.Pick(kNumIdentities - 1)];  // not the empty name
    const uint8_t level = t_.Pick(6) == 0 ? static_cast<uint8_t>(2 + t_.Pick(3))
                                          : static_cast<uint8_t>(5 + t_.Pick(2));
    Connect(schannel, id.computer, level);
  }

  // An honest ReqChallenge + Authenticate3 for one identity, as one step.
  void OpHonestHandshake() {
    const size_t identity = t_.Pick(kNumIdentities);
    OpReqChallenge(std::string(kIdentities[identity].computer), 0);
    OpAuthenticate(/*fixed=*/true, identity);
  }

  // Replays one of the last accepted authenticators on a protected call.
  void OpReplay() {
    if (accepted_.empty()) return;
    const Accepted& a = accepted_[t_.Pick(accepted_.size())];
    Req q;
    q.computer = a.computer;
    q.auth = a.auth;
    auto it = sessions_.find(Upper(a.computer));
    if (it != sessions_.end()) {
      q.account = it->second.account;
      q.type = it->second.type;
    }
    switch (t_.Pick(3)) {
      case 0:
        q.opnum = kOpNetrLogonGetCapabilities;
        q.level = 1;
        break;
      case 1:
        q.opnum = kOpNetrServerTrustPasswordsGet;
        break;
      default: {
        q.opnum = kOpNetrServerPasswordSet2;
        HonestClient& client = ClientOf(a.computer);
        if (client.chain) {
          Bytes pw = Utf16("replayed-password");
          q.password = EncryptTrustPassword(client.negotiated, client.chain->session_key(),
                                            BuildTrustPassword(pw, client_rng_).value());
        }
        break;
      }
    }
    bool honest = false;
    Call(q, false, AuthKind::kReplay, honest);
  }

  Tape& t_;
  const uint32_t seed_;
  SeededRandom server_rng_;
  SeededRandom client_rng_;
  MemoryStore store_;
  NetlogonServer server_;
  NetlogonRpcHandler handler_;
  ServerSessions sessions_source_;
  SchannelProvider provider_;
  std::unique_ptr<Link> link_;

  // The shadow.
  size_t max_pending_ = 4096;
  std::map<std::string, PendingChallenge> pending_;
  uint64_t next_sequence_ = 0;
  std::map<std::string, ShadowSession> sessions_;
  uint64_t next_session_id_ = 1;
  std::optional<uint64_t> made_session_;
  size_t made_password_ = 0;
  bool expect_set_call_ = false;

  std::map<std::string, HonestClient> clients_;
  std::vector<Accepted> accepted_;
  std::set<std::string> names_ = {"WS01", "WS02", "SRV01", "NOBODY", ""};
  uint32_t clock_ = 1767600000;
  uint64_t wrap_replays_ = 0;
};

void Harness::Run() {
  constexpr int kMaxOps = 96;
  for (int i = 0; i < kMaxOps && !t_.empty(); ++i) {
    const size_t op = t_.Pick(16);
    Trace(absl::StrCat("op ", op));
    switch (op) {
      case 0:
        OpReqChallenge();
        break;
      case 1:
        OpAuthenticate();
        break;
      case 2:
        OpPasswordSet2();
        break;
      case 3:
        OpGetCapabilities();
        break;
      case 4:
        OpTrustPasswordsGet();
        break;
      case 5:
      case 6:
        OpHonestHandshake();
        break;
      case 7:
        OpPasswordSet2(/*fixed=*/true, t_.Pick(kNumIdentities));
        break;
      case 8:
        OpDropSession();
        break;
      case 9:
        if (t_.Pick(4) == 0) OpDropAll();
        break;
      case 10:
        OpStoreChange();
        break;
      case 11:
        OpPolicyChange();
        break;
      case 12:
        OpCheckSession();
        break;
      case 13:
        OpRawStub();
        break;
      case 14:
        OpConnect();
        break;
      default:
        OpReplay();
        break;
    }
  }
}

}  // namespace
}  // namespace trustsim::netlogon

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  trustsim::netlogon::Tape tape(data, size);
  trustsim::netlogon::Harness harness(tape);
  harness.Run();
  return 0;
}
