// Copyright 2026 The trustsim Authors.
//
// dcerpc_pdu_fuzzer.cc
// -----------------------------------------------------------------------------
//
// Fuzzes the connection-oriented DCE/RPC PDU codecs (protocol/dcerpc/pdu.h)
// and the server state machine `dcerpc::Connection` (connection.h) given a
// whole client stream: bind, calls, fragment reassembly, response
// fragmentation. Input: one control byte, then a byte stream as a client
// would send it (fuzz/dcerpc_harness.h has the control bits). Control bit 7
// picks the codecs or the connection: one half per input keeps each execution
// short, and flipping that bit is one of libFuzzer's cheapest mutations. How
// the stream is cut into reads is stateful/dcerpc_connection_fuzzer's.
//
// Invariants, each an abort() when broken:
//   * the parser of each PDU's PTYPE (on the stream, and on each PDU it
//     frames) fails only with kOutOfRange / kInvalidArgument /
//     kUnimplemented; whatever parses encodes again and parses to the same
//     value (auth_pad_length of bind-like PDUs aside: the encoder computes
//     it); SplitPdu accepts only what the header frames;
//   * the connection's output passes CheckOutput (dcerpc_harness.h): whole
//     PDUs of the kinds a server sends, responses within the negotiated
//     fragment size that reassemble to the handler's stub, nothing after
//     closed().

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "fuzz/dcerpc_harness.h"
#include "fuzz/fuzz_check.h"
#include "protocol/dcerpc/pdu.h"

namespace trustsim::dcerpc {
namespace {

using fuzz::CheckParseError;
using fuzz::Fail;
using fuzz::FailBytes;

constexpr size_t kMaxPdusChecked = 64;

// --- Codec round trips ----------------------------------------------------------

// Bind-like encoders insert the auth padding themselves.
template <typename T>
void ForgetAuthPad(T& pdu) {
  if (pdu.auth.has_value()) pdu.auth->auth_pad_length = 0;
}
void ForgetAuthPad(Auth3Pdu& pdu) { pdu.auth.auth_pad_length = 0; }

template <typename T, bool kBindLike, typename Parse, typename Encode>
void RoundTrip(const char* what, ByteView pdu, Parse parse, Encode encode) {
  absl::StatusOr<T> first = parse(pdu);
  if (!first.ok()) {
    CheckParseError(what, first.status());
    return;
  }
  absl::StatusOr<Bytes> encoded = encode(*first);
  if (!encoded.ok()) Fail(what, "a parsed PDU does not encode: " + encoded.status().ToString());
  absl::StatusOr<T> second = parse(*encoded);
  if (!second.ok()) Fail(what, "the re-encoding does not parse: " + second.status().ToString());
  if constexpr (kBindLike) {
    ForgetAuthPad(*first);
    ForgetAuthPad(*second);
  }
  if (!(*first == *second)) FailBytes(what, "the re-encoding parses differently", pdu, *encoded);
}

// Offers `pdu` to the parser of the PTYPE its header names, as the
// connection dispatches. (Every parser starts with the common header and
// refuses any other PTYPE, so the others would only repeat that.)
void CheckParsers(ByteView pdu) {
  absl::StatusOr<CommonHeader> header = ParseCommonHeader(pdu);
  absl::StatusOr<PduParts> parts = SplitPdu(pdu);
  if (!parts.ok()) {
    CheckParseError("SplitPdu", parts.status());
  } else if (!header.ok() || parts->header.frag_length != pdu.size()) {
    Fail("SplitPdu", "accepted a PDU whose header does not frame it");
  }
  if (!header.ok()) {
    CheckParseError("ParseCommonHeader", header.status());
    return;
  }
  switch (header->ptype) {
    case kPtypeBind:
      RoundTrip<BindPdu, true>("bind", pdu, ParseBind, EncodeBind);
      break;
    case kPtypeAlterContext:
      RoundTrip<BindPdu, true>("alter_context", pdu, ParseAlterContext, EncodeAlterContext);
      break;
    case kPtypeBindAck:
      RoundTrip<BindAckPdu, true>("bind_ack", pdu, ParseBindAck, EncodeBindAck);
      break;
    case kPtypeAlterContextResp:
      RoundTrip<BindAckPdu, true>("alter_context_resp", pdu, ParseAlterContextResp,
                                  EncodeAlterContextResp);
      break;
    case kPtypeBindNak:
      RoundTrip<BindNakPdu, false>("bind_nak", pdu, ParseBindNak, EncodeBindNak);
      break;
    case kPtypeRequest:
      RoundTrip<RequestPdu, false>("request", pdu, ParseRequest, EncodeRequest);
      break;
    case kPtypeResponse:
      RoundTrip<ResponsePdu, false>("response", pdu, ParseResponse, EncodeResponse);
      break;
    case kPtypeFault:
      RoundTrip<FaultPdu, false>("fault", pdu, ParseFault, EncodeFault);
      break;
    case kPtypeAuth3:
      RoundTrip<Auth3Pdu, true>("auth3", pdu, ParseAuth3, EncodeAuth3);
      break;
    default:
      break;
  }
}

// The codecs, on the whole stream and on each PDU it frames.
void CheckCodecs(ByteView stream) {
  CheckParsers(stream);
  size_t offset = 0;
  for (size_t i = 0; i < kMaxPdusChecked && offset < stream.size(); ++i) {
    absl::StatusOr<CommonHeader> header = ParseCommonHeader(stream.subspan(offset));
    if (!header.ok() || header->frag_length > stream.size() - offset) break;
    if (offset != 0 || header->frag_length != stream.size()) {
      CheckParsers(stream.subspan(offset, header->frag_length));
    }
    offset += header->frag_length;
  }
}

}  // namespace
}  // namespace trustsim::dcerpc

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trustsim::dcerpc;  // NOLINT(google-build-using-namespace)
  using trustsim::ByteView;
  if (size < 1) return 0;
  const uint8_t control = data[0];
  const ByteView stream(data + 1, size - 1);

  if (control & 0x80) {
    CheckCodecs(stream);
    return 0;
  }

  // The connection, fed the whole stream.
  harness::Server server((control & 0x08) != 0);
  harness::Feed(server, stream, nullptr, /*check_output=*/true);
  return 0;
}
