// Copyright 2026 The trustsim Authors.
//
// ndr_netlogon_fuzzer.cc
// -----------------------------------------------------------------------------
//
// Fuzzes the Netlogon NDR stubs, in the manner of Samba's
// lib/fuzzing/fuzz_ndr_X.c: a two-byte prefix, then one stub.
//
//   byte 0         the opnum
//   byte 1 bit 0   direction: 0 = a request stub for the server,
//                  NetlogonRpcHandler (protocol/netlogon/rpc.h) with
//                  SchannelPolicy::kAllowPlain over an in-memory account
//                  store; 1 = a response stub for the client decoders of
//                  protocol/netlogon/rpc_client.h
//          bit 1   requests: the call comes over schannel (privacy, "WS01")
//          bit 2   requests: the server has no session (by default it has
//                  run the impacket ReqChallenge + Authenticate3 of
//                  rpc_test.cc, so authenticator checks have a session to
//                  work on, and impacket's PasswordSet2 stub passes them;
//                  the handshake runs once, and each call meets a copy)
//
// Invariants, each an abort() when broken:
//   * the handler answers every stub: a response, or a fault that its
//     contract allows (nca_op_rng_error for unknown opnums, bad stub data,
//     invalid tag for GetCapabilities);
//   * for ReqChallenge (4), Authenticate2/3 (15, 26) and PasswordSet2 (30),
//     a mirror of the server's decoding decodes the stub exactly when the
//     handler does not answer bad stub data; the decoded request, re-encoded
//     with the rpc_client.h encoder, decodes to the same values;
//   * the server's responses to 4, 26 and 30 decode with the client decoders;
//   * client decoders: a decoded response, encoded again as the server
//     encodes it, gives back the input and decodes to the same values.
//
// One asymmetry is tolerated and documented here: the NDR reader accepts a
// string of exactly kMaxNdrStringChars code units without a terminating NUL,
// which the writer (always adding the NUL) turns into one unit too many.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"
#include "base/random.h"
#include "fuzz/fuzz_check.h"
#include "protocol/crypto/hash.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/dcerpc/ndr.h"
#include "protocol/netlogon/rpc.h"
#include "protocol/netlogon/rpc_client.h"
#include "protocol/netlogon/server.h"

namespace trustsim::netlogon {
namespace {

using dcerpc::CallContext;
using dcerpc::CallReply;
using dcerpc::NdrReader;
using dcerpc::NdrWriter;
using fuzz::CheckParseError;
using fuzz::Fail;
using fuzz::FailBytes;

// impacket 0.10's stubs for the protocol-facts.md §8 AES example
// (tests/protocol/netlogon/rpc_test.cc): PrimaryName "\\DC1", WS01$ / WS01,
// client challenge 0102030405060708, flags 0x612fffff, password "Passw0rd!".
constexpr char kImpacketReqChallenge[] =
    "aacd00000600000000000000060000005c005c004400430031000000050000000000000005000000570053003000"
    "310000000102030405060708";
constexpr char kImpacketAuthenticate3[] =
    "2fa800000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab0500000000000000050000005700530030003100000067f84c8521df708dbfbfffff"
    "2f61";

// --- The server's world -------------------------------------------------------

class MemoryStore final : public TrustAccountStore {
 public:
  MemoryStore() {
    const crypto::NtHash password = crypto::NtHashOfPassword("Passw0rd!").value();
    accounts_["WS01$"] = {1105, kUfWorkstationTrustAccount, password, std::nullopt};
    accounts_["OFF$"] = {1106, kUfWorkstationTrustAccount | kUfAccountDisable, password,
                         std::nullopt};
    accounts_["DC2$"] = {1000, kUfServerTrustAccount, password, password};
  }
  absl::StatusOr<TrustAccount> FindTrustAccount(absl::string_view name) override {
    auto it = accounts_.find(absl::AsciiStrToUpper(name));
    if (it == accounts_.end()) return absl::NotFoundError("no such account");
    return it->second;
  }
  absl::Status SetTrustAccountPassword(absl::string_view name, ByteView utf16le) override {
    auto it = accounts_.find(absl::AsciiStrToUpper(name));
    if (it == accounts_.end()) return absl::NotFoundError("no such account");
    it->second.previous = it->second.current;
    it->second.current = crypto::NtHashOfUtf16Le(utf16le);
    return absl::OkStatus();
  }

 private:
  std::map<std::string, TrustAccount> accounts_;
};

// The server challenge of the §8 example, 1112131415161718, every time.
class VectorRandom final : public RandomSource {
 public:
  void Fill(absl::Span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(0x11 + i % 8);
  }
};

Bytes Unhex(const char* hex) { return FromHex(hex).value(); }

// --- A mirror of the server's request decoding (rpc.cc) ----------------------------

struct AccountParams {
  std::optional<std::string> server_name;
  std::string account_name;
  uint16_t channel_type = 0;
  std::string computer_name;
  bool operator==(const AccountParams&) const = default;
};

struct ReqChallengeRequest {
  std::optional<std::string> primary_name;
  std::string computer_name;
  NetlogonChallenge client_challenge{};
  bool operator==(const ReqChallengeRequest&) const = default;
};

struct AuthenticateRequest {
  AccountParams params;
  NetlogonCredential client_credential{};
  uint32_t flags = 0;
  bool operator==(const AuthenticateRequest&) const = default;
};

struct PasswordSet2Request {
  AccountParams params;
  NetlogonAuthenticator authenticator;
  NlTrustPassword password{};
  bool operator==(const PasswordSet2Request&) const = default;
};

#define MIRROR_ASSIGN(lhs, expr)          \
  do {                                    \
    auto mirror_value = (expr);           \
    if (!mirror_value.ok()) return false; \
    lhs = *std::move(mirror_value);       \
  } while (false)

bool ReadParams(NdrReader& r, AccountParams& p) {
  MIRROR_ASSIGN(p.server_name, r.ReadUniqueString());
  MIRROR_ASSIGN(p.account_name, r.ReadRefString());
  MIRROR_ASSIGN(p.channel_type, r.ReadEnum16());
  MIRROR_ASSIGN(p.computer_name, r.ReadRefString());
  return true;
}

bool Decode(ByteView stub, ReqChallengeRequest& out) {
  NdrReader r(stub);
  MIRROR_ASSIGN(out.primary_name, r.ReadUniqueString());
  MIRROR_ASSIGN(out.computer_name, r.ReadRefString());
  MIRROR_ASSIGN(out.client_challenge, r.ReadFixed<8>());
  return true;
}

bool Decode(ByteView stub, AuthenticateRequest& out) {
  NdrReader r(stub);
  if (!ReadParams(r, out.params)) return false;
  MIRROR_ASSIGN(out.client_credential, r.ReadFixed<8>());
  MIRROR_ASSIGN(out.flags, r.ReadU32());
  return true;
}

bool Decode(ByteView stub, PasswordSet2Request& out) {
  NdrReader r(stub);
  if (!ReadParams(r, out.params)) return false;
  MIRROR_ASSIGN(out.authenticator.credential, r.ReadFixed<8>(4));
  MIRROR_ASSIGN(out.authenticator.timestamp, r.ReadU32());
  MIRROR_ASSIGN(out.password, r.ReadFixed<kTrustPasswordBytes>(4));
  return true;
}

#undef MIRROR_ASSIGN

absl::StatusOr<Bytes> Encode(const ReqChallengeRequest& q) {
  return EncodeReqChallengeRequest(q.primary_name, q.computer_name, q.client_challenge);
}
absl::StatusOr<Bytes> Encode(const AuthenticateRequest& q) {
  return EncodeAuthenticate3Request(q.params.server_name, q.params.account_name,
                                    static_cast<SecureChannelType>(q.params.channel_type),
                                    q.params.computer_name, q.client_credential, q.flags);
}
absl::StatusOr<Bytes> Encode(const PasswordSet2Request& q) {
  return EncodePasswordSet2Request(q.params.server_name, q.params.account_name,
                                   static_cast<SecureChannelType>(q.params.channel_type),
                                   q.params.computer_name, q.authenticator, q.password);
}

// The length of `utf8` in UTF-16 code units.
size_t Utf16Units(absl::string_view utf8) {
  size_t units = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) units += (c >= 0xF0) ? 2 : 1;
  }
  return units;
}

bool AtStringLimit(const std::optional<std::string>& s) {
  return s.has_value() && Utf16Units(*s) >= dcerpc::kMaxNdrStringChars;
}
bool AtStringLimit(const ReqChallengeRequest& q) {
  return AtStringLimit(q.primary_name) || AtStringLimit(q.computer_name);
}
bool AtStringLimit(const AccountParams& p) {
  return AtStringLimit(p.server_name) || AtStringLimit(p.account_name) ||
         AtStringLimit(p.computer_name);
}
bool AtStringLimit(const AuthenticateRequest& q) { return AtStringLimit(q.params); }
bool AtStringLimit(const PasswordSet2Request& q) { return AtStringLimit(q.params); }

// Decodes `stub` as the server does; the result must agree with the handler's
// verdict, and a decoded request must survive the client encoder.
template <typename Request>
void CheckRequestRoundTrip(const char* what, ByteView stub, const CallReply& reply) {
  Request request;
  const bool decoded = Decode(stub, request);
  const bool bad_stub = reply.fault == dcerpc::kFaultBadStubData;
  if (decoded == bad_stub) {
    Fail(what, decoded ? "the handler refused a stub the mirror decodes"
                       : "the handler served a stub the mirror refuses");
  }
  if (!decoded) return;
  absl::StatusOr<Bytes> encoded = Encode(request);
  if (!encoded.ok())
    Fail(what, "a decoded request does not encode: " + encoded.status().ToString());
  Request again;
  if (!Decode(*encoded, again)) {
    if (AtStringLimit(request)) return;  // the documented asymmetry
    FailBytes(what, "the re-encoded request does not decode", stub, *encoded);
  }
  if (!(again == request))
    FailBytes(what, "the re-encoded request decodes differently", stub, *encoded);
}

// --- Client decoders -----------------------------------------------------------

// The server's encodings of the three responses (rpc.cc).
Bytes EncodeResponse(const ReqChallengeResponse& r) {
  NdrWriter w;
  w.WriteFixedArray(r.server_challenge);
  w.WriteU32(r.status);
  return std::move(w).Take();
}
Bytes EncodeResponse(const Authenticate3Response& r) {
  NdrWriter w;
  w.WriteFixedArray(r.server_credential);
  w.WriteU32(r.negotiate_flags);
  w.WriteU32(r.account_rid);
  w.WriteU32(r.status);
  return std::move(w).Take();
}
Bytes EncodeResponse(const PasswordSet2Response& r) {
  NdrWriter w;
  w.WriteFixedArray(r.return_authenticator.credential, 4);
  w.WriteU32(r.return_authenticator.timestamp);
  w.WriteU32(r.status);
  return std::move(w).Take();
}

bool SameResponse(const ReqChallengeResponse& a, const ReqChallengeResponse& b) {
  return a.server_challenge == b.server_challenge && a.status == b.status;
}
bool SameResponse(const Authenticate3Response& a, const Authenticate3Response& b) {
  return a.server_credential == b.server_credential && a.negotiate_flags == b.negotiate_flags &&
         a.account_rid == b.account_rid && a.status == b.status;
}
bool SameResponse(const PasswordSet2Response& a, const PasswordSet2Response& b) {
  return a.return_authenticator == b.return_authenticator && a.status == b.status;
}

template <typename Decoder>
void CheckClientDecoder(const char* what, ByteView stub, Decoder decode) {
  auto first = decode(stub);
  if (!first.ok()) {
    CheckParseError(what, first.status());
    return;
  }
  const Bytes encoded = EncodeResponse(*first);
  if (!fuzz::SameBytes(encoded, stub)) {
    FailBytes(what, "re-encoding a decoded response changed it", stub, encoded);
  }
  auto second = decode(encoded);
  if (!second.ok() || !SameResponse(*first, *second)) {
    Fail(what, "the re-encoded response decodes differently");
  }
}

void CheckClient(uint8_t opnum, ByteView stub) {
  const bool all = opnum != kOpNetrServerReqChallenge && opnum != kOpNetrServerAuthenticate3 &&
                   opnum != kOpNetrServerPasswordSet2;
  if (all || opnum == kOpNetrServerReqChallenge) {
    CheckClientDecoder("DecodeReqChallengeResponse", stub, DecodeReqChallengeResponse);
  }
  if (all || opnum == kOpNetrServerAuthenticate3) {
    CheckClientDecoder("DecodeAuthenticate3Response", stub, DecodeAuthenticate3Response);
  }
  if (all || opnum == kOpNetrServerPasswordSet2) {
    CheckClientDecoder("DecodePasswordSet2Response", stub, DecodePasswordSet2Response);
  }
}

// --- Server ----------------------------------------------------------------------

// The servers a call meets, built once: `fresh` has seen nothing,
// `established` has impacket's ReqChallenge and Authenticate3 behind it. Each
// execution copies one of them; both use `store`, which is reset to
// `pristine` first, so nothing one input does is seen by the next.
struct Servers {
  Servers() : fresh(store, rng), established(store, rng) {
    NetlogonRpcHandler handler(established, SchannelPolicy::kAllowPlain);
    handler.Call(
        CallContext{kOpNetrServerReqChallenge, Unhex(kImpacketReqChallenge), std::nullopt});
    const CallReply reply = handler.Call(
        CallContext{kOpNetrServerAuthenticate3, Unhex(kImpacketAuthenticate3), std::nullopt});
    absl::StatusOr<Authenticate3Response> r = DecodeAuthenticate3Response(reply.stub);
    if (reply.fault != 0 || !r.ok() || r->status != 0) {
      Fail("setup", "impacket's handshake no longer establishes a session");
    }
  }

  const MemoryStore pristine;
  MemoryStore store;
  VectorRandom rng;
  NetlogonServer fresh;
  NetlogonServer established;
};

void CheckServer(uint8_t opnum, uint8_t flags, ByteView stub) {
  static Servers* const servers = new Servers;
  servers->store = servers->pristine;
  NetlogonServer server = (flags & 0x04) ? servers->fresh : servers->established;
  NetlogonRpcHandler handler(server, SchannelPolicy::kAllowPlain);

  CallContext call;
  call.opnum = opnum;
  call.stub = stub;
  if (flags & 0x02) {
    call.security =
        dcerpc::SecurityInfo{dcerpc::kAuthTypeNetlogon, dcerpc::kAuthLevelPrivacy, "WS01"};
  }
  const CallReply reply = handler.Call(call);

  bool known = true;
  switch (opnum) {
    case kOpNetrServerReqChallenge:
      CheckRequestRoundTrip<ReqChallengeRequest>("ReqChallenge", stub, reply);
      if (reply.fault == 0 && !DecodeReqChallengeResponse(reply.stub).ok()) {
        Fail("ReqChallenge", "the client cannot decode the server's response");
      }
      break;
    case kOpNetrServerAuthenticate2:
      CheckRequestRoundTrip<AuthenticateRequest>("Authenticate2", stub, reply);
      break;
    case kOpNetrServerAuthenticate3:
      CheckRequestRoundTrip<AuthenticateRequest>("Authenticate3", stub, reply);
      if (reply.fault == 0 && !DecodeAuthenticate3Response(reply.stub).ok()) {
        Fail("Authenticate3", "the client cannot decode the server's response");
      }
      break;
    case kOpNetrServerPasswordSet2:
      CheckRequestRoundTrip<PasswordSet2Request>("PasswordSet2", stub, reply);
      if (reply.fault == 0 && !DecodePasswordSet2Response(reply.stub).ok()) {
        Fail("PasswordSet2", "the client cannot decode the server's response");
      }
      break;
    case kOpNetrLogonGetCapabilities:
      if (reply.fault != 0 && reply.fault != dcerpc::kFaultBadStubData &&
          reply.fault != kFaultInvalidTag) {
        Fail("GetCapabilities", "fault " + std::to_string(reply.fault));
      }
      break;
    case kOpNetrLogonControl2Ex:
    case kOpNetrServerTrustPasswordsGet:
    case kOpNetrServerGetTrustInfo:
      if (reply.fault != 0 && reply.fault != dcerpc::kFaultBadStubData) {
        Fail("Netlogon", "fault " + std::to_string(reply.fault));
      }
      break;
    default:
      known = false;
      if (reply.fault != dcerpc::kFaultOpRangeError) Fail("Netlogon", "an unknown opnum served");
  }
  // Every response ends with its 32-bit status.
  if (known && reply.fault == 0 && reply.stub.size() < 4) {
    Fail("Netlogon", "a response without a status");
  }
}

}  // namespace
}  // namespace trustsim::netlogon

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t opnum = data[0];
  const uint8_t flags = data[1];
  const trustsim::ByteView stub(data + 2, size - 2);
  if (flags & 0x01) {
    trustsim::netlogon::CheckClient(opnum, stub);
  } else {
    trustsim::netlogon::CheckServer(opnum, flags, stub);
  }
  return 0;
}
