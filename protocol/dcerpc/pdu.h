// Copyright 2026 The trustsim Authors.
//
// pdu.h
// -----------------------------------------------------------------------------
//
// Codecs for connection-oriented DCE/RPC PDUs (C706 chapter 12, MS-RPCE
// 2.2.2; protocol-facts.md §6): the 16-byte common header, bind, bind_ack,
// bind_nak, alter_context, alter_context_resp, request, response, fault and
// auth3, and the auth trailer (sec_trailer + auth_value) that may end any of
// them.
//
// Only the little-endian, ASCII, IEEE data representation (drep
// {0x10, 0, ...}) is supported: every Windows and impacket client sends it.
// A PDU in any other representation is rejected with kUnimplemented. The two
// reserved drep bytes are not checked (C706 12.6.3.1 calls them reserved).
//
// Parsers take exactly one PDU (frag_length bytes) and are strict: a PDU
// shorter than its frag_length or than its fixed fields is kOutOfRange
// ("truncated"); a PDU with trailing bytes, impossible lengths or counts, or
// the wrong PTYPE is kInvalidArgument. Encoders compute frag_length and
// auth_length and return kInvalidArgument for values that cannot be encoded
// (a PDU over 65535 bytes, more than 255 contexts, ...).
//
// Auth padding: the sec_trailer starts 4-byte aligned from the start of the
// PDU and `auth_pad_length` bytes of padding precede it. For bind-like PDUs
// (bind, bind_ack, alter_context(_resp), auth3) the encoder inserts the
// padding itself and ignores `AuthVerifier::auth_pad_length`; for request and
// response the padding is part of `stub` (the security provider signs and
// seals it) and `auth_pad_length` says how much of the stub's tail it is.
//
// Example:
//
//   ASSIGN_OR_RETURN(BindPdu bind, ParseBind(pdu));
//   BindAckPdu ack;
//   ack.call_id = bind.call_id;
//   ...
//   ASSIGN_OR_RETURN(Bytes reply, EncodeBindAck(ack));

#ifndef TRUSTSIM_PROTOCOL_DCERPC_PDU_H_
#define TRUSTSIM_PROTOCOL_DCERPC_PDU_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "protocol/dcerpc/interface.h"

namespace trustsim::dcerpc {

// PTYPE values (C706 12.6.4.x; protocol-facts.md §6).
inline constexpr uint8_t kPtypeRequest = 0;
inline constexpr uint8_t kPtypeResponse = 2;
inline constexpr uint8_t kPtypeFault = 3;
inline constexpr uint8_t kPtypeBind = 11;
inline constexpr uint8_t kPtypeBindAck = 12;
inline constexpr uint8_t kPtypeBindNak = 13;
inline constexpr uint8_t kPtypeAlterContext = 14;
inline constexpr uint8_t kPtypeAlterContextResp = 15;
inline constexpr uint8_t kPtypeAuth3 = 16;
inline constexpr uint8_t kPtypeShutdown = 17;
inline constexpr uint8_t kPtypeCoCancel = 18;
inline constexpr uint8_t kPtypeOrphaned = 19;

// pfc_flags bits.
inline constexpr uint8_t kPfcFirstFrag = 0x01;
inline constexpr uint8_t kPfcLastFrag = 0x02;
inline constexpr uint8_t kPfcPendingCancel = 0x04;      // in requests
inline constexpr uint8_t kPfcSupportHeaderSign = 0x04;  // in bind/alter (MS-RPCE)
inline constexpr uint8_t kPfcConcMpx = 0x10;
inline constexpr uint8_t kPfcDidNotExecute = 0x20;
inline constexpr uint8_t kPfcMaybe = 0x40;
inline constexpr uint8_t kPfcObjectUuid = 0x80;

// Sizes of fixed parts.
inline constexpr size_t kCommonHeaderSize = 16;
inline constexpr size_t kSecTrailerSize = 8;
inline constexpr size_t kRequestHeaderSize = 24;  // without the object UUID
inline constexpr size_t kResponseHeaderSize = 24;
inline constexpr size_t kFaultPduSize = 32;
inline constexpr size_t kMaxPduSize = 0xFFFF;  // frag_length is a u16

// p_cont_def_result_t and p_provider_reason_t (bind_ack / alter_context_resp
// results).
inline constexpr uint16_t kResultAcceptance = 0;
inline constexpr uint16_t kResultUserRejection = 1;
inline constexpr uint16_t kResultProviderRejection = 2;
inline constexpr uint16_t kResultNegotiateAck = 3;  // bind-time feature negotiation
inline constexpr uint16_t kReasonNotSpecified = 0;
inline constexpr uint16_t kReasonAbstractSyntaxNotSupported = 1;
inline constexpr uint16_t kReasonTransferSyntaxesNotSupported = 2;
inline constexpr uint16_t kReasonLocalLimitExceeded = 3;

// bind_nak reject reasons (C706 p_reject_reason_t, MS-RPCE 2.2.2.5).
inline constexpr uint16_t kBindNakNotSpecified = 0;
inline constexpr uint16_t kBindNakTemporaryCongestion = 1;
inline constexpr uint16_t kBindNakLocalLimitExceeded = 2;
inline constexpr uint16_t kBindNakProtocolVersionNotSupported = 4;
inline constexpr uint16_t kBindNakAuthTypeNotRecognized = 8;
inline constexpr uint16_t kBindNakInvalidChecksum = 9;

// Bind-time feature negotiation bits (MS-RPCE 3.3.1.5.3).
inline constexpr uint64_t kFeatureSecurityContextMultiplexing = 0x1;
inline constexpr uint64_t kFeatureKeepConnectionOnOrphan = 0x2;

// NDR64 transfer syntax: 71710533-beba-4937-8319-b5dbef9ccc36 v1.0.
SyntaxId Ndr64Syntax();
// The bind-time feature negotiation "transfer syntax"
// 6cb71c2c-9812-4540-XXXX-XXXXXXXXXXXX v1.0 offering `features` (the last
// eight wire bytes, as a little-endian u64).
SyntaxId BindTimeFeatureSyntax(uint64_t features);
// The features offered by `syntax` if it is a bind-time feature negotiation
// syntax; nullopt otherwise.
std::optional<uint64_t> BindTimeFeatures(const SyntaxId& syntax);

// The 16-byte common header.
struct CommonHeader {
  uint8_t rpc_vers = 5;
  uint8_t rpc_vers_minor = 0;
  uint8_t ptype = 0;
  uint8_t pfc_flags = kPfcFirstFrag | kPfcLastFrag;
  std::array<uint8_t, 4> drep = {0x10, 0, 0, 0};
  uint16_t frag_length = 0;
  uint16_t auth_length = 0;
  uint32_t call_id = 0;
};

// Parses and checks the common header at the start of `data` (which may be
// longer or shorter than frag_length; only 16 bytes are needed): version 5.0
// or 5.1, little-endian drep, frag_length >= 16 and room in frag_length for
// the sec_trailer and auth_length bytes of auth value.
absl::StatusOr<CommonHeader> ParseCommonHeader(ByteView data);

// sec_trailer (8 bytes) and the auth value after it.
struct AuthVerifier {
  uint8_t auth_type = kAuthTypeNone;
  uint8_t auth_level = kAuthLevelNone;
  uint8_t auth_pad_length = 0;
  uint8_t reserved = 0;
  uint32_t auth_context_id = 0;
  Bytes auth_value;

  bool operator==(const AuthVerifier&) const = default;
};

// One PDU split into header, body and auth verifier, without looking into
// the body.
struct PduParts {
  CommonHeader header;
  // The bytes after the common header up to the sec_trailer (or to the end
  // without one), including any auth padding. Points into the parsed PDU.
  ByteView body;
  std::optional<AuthVerifier> auth;
};

// Splits exactly one PDU. Checks the header, that `pdu` is frag_length long,
// and that auth_pad_length fits in the body.
absl::StatusOr<PduParts> SplitPdu(ByteView pdu);

// p_cont_elem_t: one presentation context offered in a bind/alter_context.
struct PresentationContext {
  uint16_t context_id = 0;
  SyntaxId abstract_syntax;
  std::vector<SyntaxId> transfer_syntaxes;

  bool operator==(const PresentationContext&) const = default;
};

// bind and alter_context (the same body).
struct BindPdu {
  uint32_t call_id = 0;
  uint8_t pfc_flags = kPfcFirstFrag | kPfcLastFrag;
  uint16_t max_xmit_frag = 4280;
  uint16_t max_recv_frag = 4280;
  uint32_t assoc_group_id = 0;
  std::vector<PresentationContext> contexts;
  std::optional<AuthVerifier> auth;

  bool operator==(const BindPdu&) const = default;
};

// p_result_t: the answer to one presentation context.
struct ContextResult {
  uint16_t result = kResultAcceptance;
  uint16_t reason = kReasonNotSpecified;
  SyntaxId transfer_syntax;  // all zero unless accepted

  bool operator==(const ContextResult&) const = default;
};

// bind_ack and alter_context_resp (the same body).
struct BindAckPdu {
  uint32_t call_id = 0;
  uint8_t pfc_flags = kPfcFirstFrag | kPfcLastFrag;
  uint16_t max_xmit_frag = 0;
  uint16_t max_recv_frag = 0;
  uint32_t assoc_group_id = 0;
  // The secondary address (for ncacn_ip_tcp the port, e.g. "49664"). Sent
  // with its terminating NUL; an empty address is sent as length 0.
  std::string secondary_address;
  std::vector<ContextResult> results;
  std::optional<AuthVerifier> auth;

  bool operator==(const BindAckPdu&) const = default;
};

// bind_nak.
struct BindNakPdu {
  uint32_t call_id = 0;
  uint8_t pfc_flags = kPfcFirstFrag | kPfcLastFrag;
  uint16_t reject_reason = kBindNakNotSpecified;
  // Supported protocol versions (major, minor); the server sends {5, 0}.
  std::vector<std::array<uint8_t, 2>> versions = {{5, 0}};

  bool operator==(const BindNakPdu&) const = default;
};

// request.
struct RequestPdu {
  uint32_t call_id = 0;
  // kPfcObjectUuid is set by the encoder iff `object` is present.
  uint8_t pfc_flags = kPfcFirstFrag | kPfcLastFrag;
  uint32_t alloc_hint = 0;
  uint16_t context_id = 0;
  uint16_t opnum = 0;
  std::optional<Uuid> object;
  // The stub; with `auth`, it ends with auth->auth_pad_length padding bytes.
  Bytes stub;
  std::optional<AuthVerifier> auth;

  bool operator==(const RequestPdu&) const = default;
};

// response.
struct ResponsePdu {
  uint32_t call_id = 0;
  uint8_t pfc_flags = kPfcFirstFrag | kPfcLastFrag;
  uint32_t alloc_hint = 0;
  uint16_t context_id = 0;
  uint8_t cancel_count = 0;
  uint8_t reserved = 0;
  // The stub; with `auth`, it ends with auth->auth_pad_length padding bytes.
  Bytes stub;
  std::optional<AuthVerifier> auth;

  bool operator==(const ResponsePdu&) const = default;
};

// fault: 32 bytes without extended error data.
struct FaultPdu {
  uint32_t call_id = 0;
  uint8_t pfc_flags = kPfcFirstFrag | kPfcLastFrag;
  uint32_t alloc_hint = 0;
  uint16_t context_id = 0;
  uint8_t cancel_count = 0;
  uint8_t flags = 0;  // "reserved" in C706; MS-RPCE extended error flag
  uint32_t status = 0;
  uint32_t reserved = 0;
  // Anything after the 32 bytes (MS-RPCE extended error info); normally
  // empty.
  Bytes extra;

  bool operator==(const FaultPdu&) const = default;
};

// auth3: four bytes of padding and an auth verifier (required).
struct Auth3Pdu {
  uint32_t call_id = 0;
  uint8_t pfc_flags = kPfcFirstFrag | kPfcLastFrag;
  AuthVerifier auth;

  bool operator==(const Auth3Pdu&) const = default;
};

// Parsers. Each checks the PTYPE.
absl::StatusOr<BindPdu> ParseBind(ByteView pdu);
absl::StatusOr<BindPdu> ParseAlterContext(ByteView pdu);
absl::StatusOr<BindAckPdu> ParseBindAck(ByteView pdu);
absl::StatusOr<BindAckPdu> ParseAlterContextResp(ByteView pdu);
absl::StatusOr<BindNakPdu> ParseBindNak(ByteView pdu);
absl::StatusOr<RequestPdu> ParseRequest(ByteView pdu);
absl::StatusOr<ResponsePdu> ParseResponse(ByteView pdu);
absl::StatusOr<FaultPdu> ParseFault(ByteView pdu);
absl::StatusOr<Auth3Pdu> ParseAuth3(ByteView pdu);

// Encoders.
absl::StatusOr<Bytes> EncodeBind(const BindPdu& pdu);
absl::StatusOr<Bytes> EncodeAlterContext(const BindPdu& pdu);
absl::StatusOr<Bytes> EncodeBindAck(const BindAckPdu& pdu);
absl::StatusOr<Bytes> EncodeAlterContextResp(const BindAckPdu& pdu);
absl::StatusOr<Bytes> EncodeBindNak(const BindNakPdu& pdu);
absl::StatusOr<Bytes> EncodeRequest(const RequestPdu& pdu);
absl::StatusOr<Bytes> EncodeResponse(const ResponsePdu& pdu);
absl::StatusOr<Bytes> EncodeFault(const FaultPdu& pdu);
absl::StatusOr<Bytes> EncodeAuth3(const Auth3Pdu& pdu);
// A header-only PDU (shutdown, co_cancel, orphaned).
absl::StatusOr<Bytes> EncodeHeaderOnly(uint8_t ptype, uint32_t call_id,
                                       uint8_t pfc_flags = kPfcFirstFrag | kPfcLastFrag);

}  // namespace trustsim::dcerpc

#endif  // TRUSTSIM_PROTOCOL_DCERPC_PDU_H_
