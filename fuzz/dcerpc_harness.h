// Copyright 2026 The trustsim Authors.
//
// dcerpc_harness.h
// -----------------------------------------------------------------------------
//
// The DCE/RPC server harness shared by dcerpc_pdu_fuzzer (the connection fed
// a whole client stream) and stateful/dcerpc_connection_fuzzer (the same
// stream cut into reads, against the whole). Both take one control byte, then
// the stream:
//
//   control bits 0-2  (dcerpc_connection_fuzzer) how the stream is cut into
//                     Receive() calls: chunks of 1 to 4^(m-1) bytes for
//                     m = 1..7, of 1 to the whole stream for 0 (at most 64
//                     calls: the 64th takes the rest)
//   control bit  3    small limits (256-byte fragments, 4 KiB requests, ...)
//   control bits 4-6  (dcerpc_connection_fuzzer) seed of the chunk sizes
//   control bit  7    (dcerpc_pdu_fuzzer) 1: the PDU codecs instead of the
//                     connection
//
// The connection serves a trivial interface under the Netlogon syntax
// (opnum 0 echoes the stub, 1 faults, 2 answers with as many bytes as the
// stub's first two say, up to 8 KiB, the rest are nca_op_rng_error) and a fake
// security provider under auth type 68 (accepts unless the auth value starts
// with 0xff; signs with 16 bytes; does not transform the stub).
//
// CheckOutput's invariants, each an abort() when broken: Receive() returns
// whole PDUs only, each parses with the parser of its PTYPE, and the server
// only sends bind_ack, bind_nak, alter_context_resp, response and fault;
// response fragments fit the negotiated size and reassemble to exactly the
// stub the handler returned; nothing comes out after closed().

#ifndef TRUSTSIM_FUZZ_DCERPC_HARNESS_H_
#define TRUSTSIM_FUZZ_DCERPC_HARNESS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "fuzz/fuzz_check.h"
#include "protocol/dcerpc/connection.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/dcerpc/pdu.h"
#include "protocol/netlogon/rpc.h"

namespace trustsim::dcerpc::harness {

using fuzz::Fail;
using fuzz::FailBytes;

// Receive() calls per feed; after that the rest of the stream goes at once.
inline constexpr size_t kMaxChunks = 64;
inline constexpr uint32_t kHandlerFault = 0x00001234;

// --- The connection's collaborators ------------------------------------------

class FakeSecurityContext final : public SecurityContext {
 public:
  explicit FakeSecurityContext(uint8_t level) : info_{kAuthTypeNetlogon, level, "WS01"} {}

  absl::Status VerifyRequest(Bytes& stub, ByteView auth_value) override {
    if (auth_value.size() != kSignatureLength || auth_value[0] == 0xff) {
      return absl::PermissionDeniedError("bad signature");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Bytes> SignResponse(Bytes& stub) override {
    Bytes signature(kSignatureLength, 0x5a);
    signature[0] = static_cast<uint8_t>(stub.size());
    return signature;
  }
  size_t signature_length() const override { return kSignatureLength; }
  const SecurityInfo& info() const override { return info_; }

  static constexpr size_t kSignatureLength = 16;

 private:
  SecurityInfo info_;
};

class FakeSecurityProvider final : public SecurityProvider {
 public:
  uint8_t auth_type() const override { return kAuthTypeNetlogon; }
  absl::StatusOr<Accepted> Accept(uint8_t auth_level, ByteView auth_value) override {
    if (!auth_value.empty() && auth_value[0] == 0xff) {
      return absl::PermissionDeniedError("refused");
    }
    return Accepted{std::make_unique<FakeSecurityContext>(auth_level), Bytes{1, 0, 0, 0}};
  }
};

// Serves the Netlogon syntax trivially and remembers the stubs it answered.
class EchoHandler final : public InterfaceHandler {
 public:
  explicit EchoHandler(size_t max_request) : max_request_(max_request) {}

  SyntaxId syntax() const override { return netlogon::NetlogonSyntax(); }
  CallReply Call(const CallContext& call) override {
    if (call.stub.size() > max_request_) Fail("Connection", "dispatched an oversized stub");
    if (call.security.has_value() && call.security->auth_type != kAuthTypeNetlogon) {
      Fail("Connection", "dispatched with an unknown security context");
    }
    CallReply reply;
    switch (call.opnum) {
      case 0:
        reply.stub.assign(call.stub.begin(), call.stub.end());
        break;
      case 1:
        return CallReply::Fault(kHandlerFault);
      case 2: {
        const size_t n = call.stub.size() >= 2 ? (call.stub[0] | call.stub[1] << 8) : 0;
        const Bytes& pattern = Pattern();
        reply.stub.assign(pattern.begin(),
                          pattern.begin() + static_cast<ptrdiff_t>(std::min(n, pattern.size())));
        break;
      }
      default:
        return CallReply::Fault(kFaultOpRangeError);
    }
    answered.push_back(reply.stub);
    return reply;
  }

  std::deque<Bytes> answered;

 private:
  // Opnum 2's answer: up to 8 KiB (32 fragments of the small limits) of a
  // pattern, computed once.
  static const Bytes& Pattern() {
    static const Bytes* const pattern = [] {
      auto* p = new Bytes(8192);
      for (size_t i = 0; i < p->size(); ++i) (*p)[i] = static_cast<uint8_t>(i * 7);
      return p;
    }();
    return *pattern;
  }

  size_t max_request_;
};

// A connection with its collaborators.
struct Server {
  explicit Server(bool small)
      : options(Options(small)), handler(options.max_request_bytes), connection(options) {
    connection.AddInterface(&handler);
    connection.AddSecurityProvider(&provider);
  }

  static ConnectionOptions Options(bool small) {
    ConnectionOptions o;
    o.secondary_address = "49664";
    if (small) {
      o.max_fragment = 256;
      o.max_request_bytes = 4096;
      o.max_fragments = 8;
      o.max_contexts = 4;
      o.max_security_contexts = 2;
    }
    return o;
  }

  ConnectionOptions options;
  EchoHandler handler;
  FakeSecurityProvider provider;
  Connection connection;
  // The response stub being reassembled, if a response is in progress.
  std::optional<Bytes> response;
};

// Checks one Receive() output: whole PDUs that the server may send, whose
// responses reassemble to what the handler answered.
inline void CheckOutput(Server& server, ByteView out) {
  size_t offset = 0;
  while (offset < out.size()) {
    const ByteView rest = out.subspan(offset);
    absl::StatusOr<CommonHeader> header = ParseCommonHeader(rest);
    if (!header.ok())
      FailBytes("Connection", "sent a bad header: " + header.status().ToString(), {}, rest);
    if (header->frag_length > rest.size()) {
      FailBytes("Connection", "sent a partial PDU", {}, rest);
    }
    const ByteView pdu = rest.first(header->frag_length);
    offset += header->frag_length;
    absl::Status parsed;
    switch (header->ptype) {
      case kPtypeBindAck:
        parsed = ParseBindAck(pdu).status();
        break;
      case kPtypeAlterContextResp:
        parsed = ParseAlterContextResp(pdu).status();
        break;
      case kPtypeBindNak:
        parsed = ParseBindNak(pdu).status();
        break;
      case kPtypeFault:
        parsed = ParseFault(pdu).status();
        if (server.response.has_value()) Fail("Connection", "a fault inside a response");
        break;
      case kPtypeResponse: {
        absl::StatusOr<ResponsePdu> response = ParseResponse(pdu);
        parsed = response.status();
        if (!response.ok()) break;
        if (header->frag_length > server.connection.max_fragment()) {
          Fail("Connection", "a response fragment over the negotiated size");
        }
        if (response->auth.has_value() &&
            response->auth->auth_value.size() != FakeSecurityContext::kSignatureLength) {
          Fail("Connection", "a response signature of the wrong length");
        }
        const bool first = (response->pfc_flags & kPfcFirstFrag) != 0;
        if (first == server.response.has_value()) {
          Fail("Connection", "response fragments out of order");
        }
        if (first) server.response.emplace();
        const size_t pad = response->auth ? response->auth->auth_pad_length : 0;
        server.response->insert(server.response->end(), response->stub.begin(),
                                response->stub.end() - static_cast<ptrdiff_t>(pad));
        if (response->pfc_flags & kPfcLastFrag) {
          if (server.handler.answered.empty()) Fail("Connection", "a response nobody asked for");
          if (*server.response != server.handler.answered.front()) {
            FailBytes("Connection", "the response fragments do not reassemble to the stub",
                      server.handler.answered.front(), *server.response);
          }
          server.handler.answered.pop_front();
          server.response.reset();
        }
        break;
      }
      default:
        FailBytes("Connection", "sent PTYPE " + std::to_string(header->ptype), {}, pdu);
    }
    if (!parsed.ok()) {
      FailBytes("Connection", "sent a PDU that does not parse: " + parsed.ToString(), {}, pdu);
    }
  }
  if (server.response.has_value()) Fail("Connection", "a response without its last fragment");
  if (!server.handler.answered.empty()) Fail("Connection", "an answer that was not sent");
}

// A small deterministic generator for chunk sizes.
class Chunker {
 public:
  Chunker(uint8_t control, size_t total) : state_(0x9e3779b9u ^ ((control >> 4) & 7)) {
    const int mode = control & 7;
    max_ = mode == 0 ? total : size_t{1} << (2 * (mode - 1));
    if (max_ == 0) max_ = 1;
  }
  size_t Next() {
    state_ = state_ * 1103515245u + 12345u;
    return 1 + (state_ >> 8) % max_;
  }

 private:
  uint32_t state_;
  size_t max_;
};

// Feeds `stream` to the server in the chunks `chunker` picks, or at once if
// it is null, and returns everything the server sent. With `check_output`,
// each Receive() output goes through CheckOutput.
inline Bytes Feed(Server& server, ByteView stream, Chunker* chunker, bool check_output) {
  Bytes all;
  size_t offset = 0;
  bool closed_before = false;
  for (size_t chunks = 1; offset < stream.size(); ++chunks) {
    const size_t rest = stream.size() - offset;
    const size_t n =
        chunker == nullptr || chunks == kMaxChunks ? rest : std::min(chunker->Next(), rest);
    const Bytes out = server.connection.Receive(stream.subspan(offset, n));
    offset += n;
    if (closed_before && !out.empty()) Fail("Connection", "output after closed()");
    closed_before = server.connection.closed();
    if (check_output) CheckOutput(server, out);
    all.insert(all.end(), out.begin(), out.end());
  }
  if (server.connection.closed() && !server.connection.Receive(stream.first(0)).empty()) {
    Fail("Connection", "output after closed()");
  }
  return all;
}
}  // namespace trustsim::dcerpc::harness

#endif  // TRUSTSIM_FUZZ_DCERPC_HARNESS_H_
