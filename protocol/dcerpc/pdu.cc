// Copyright 2026 The trustsim Authors.

#include "protocol/dcerpc/pdu.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/status_macros.h"

namespace trustsim::dcerpc {
namespace {

// Offsets inside the common header.
constexpr size_t kFragLengthOffset = 8;
constexpr size_t kAuthLengthOffset = 10;

// The fixed first eight wire bytes of the bind-time feature negotiation UUID
// 6cb71c2c-9812-4540-....
constexpr uint8_t kBindTimeFeaturePrefix[8] = {0x2c, 0x1c, 0xb7, 0x6c, 0x12, 0x98, 0x40, 0x45};

absl::StatusOr<SyntaxId> ReadSyntax(ByteReader& r) {
  SyntaxId s;
  ASSIGN_OR_RETURN(ByteView uuid, r.ReadBytes(16));
  s.uuid = ToArray<16>(uuid);
  ASSIGN_OR_RETURN(s.version_major, r.ReadU16Le());
  ASSIGN_OR_RETURN(s.version_minor, r.ReadU16Le());
  return s;
}

void WriteSyntax(ByteWriter& w, const SyntaxId& s) {
  w.WriteBytes(s.uuid);
  w.WriteU16Le(s.version_major);
  w.WriteU16Le(s.version_minor);
}

// Writes a common header with frag_length and auth_length zero; FinishPdu
// patches them.
void BeginPdu(ByteWriter& w, uint8_t ptype, uint8_t pfc_flags, uint32_t call_id) {
  w.WriteU8(5);
  w.WriteU8(0);
  w.WriteU8(ptype);
  w.WriteU8(pfc_flags);
  w.WriteBytes(ByteView(CommonHeader{}.drep));
  w.WriteU16Le(0);
  w.WriteU16Le(0);
  w.WriteU32Le(call_id);
}

// How FinishPdu treats the auth padding.
enum class Padding {
  kInsert,  // bind-like: insert padding to 4, auth_pad_length computed
  kInBody,  // request/response: the body already ends with the padding
};

// Appends the sec_trailer and auth value (if any) and patches frag_length
// and auth_length. `body_start` is where the stub (request/response) begins,
// for the auth_pad_length check.
absl::StatusOr<Bytes> FinishPdu(ByteWriter w, const std::optional<AuthVerifier>& auth,
                                Padding padding, size_t body_start) {
  if (auth.has_value()) {
    uint8_t pad_length = 0;
    if (padding == Padding::kInsert) {
      const size_t before = w.size();
      w.Align(4);
      pad_length = static_cast<uint8_t>(w.size() - before);
    } else {
      if (w.size() % 4 != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("sec_trailer would start at offset ", w.size(), ", not 4-byte aligned"));
      }
      if (auth->auth_pad_length > w.size() - body_start) {
        return absl::InvalidArgumentError(absl::StrCat("auth_pad_length ", auth->auth_pad_length,
                                                       " exceeds the stub (", w.size() - body_start,
                                                       " bytes)"));
      }
      pad_length = auth->auth_pad_length;
    }
    if (auth->auth_value.size() > kMaxPduSize) {
      return absl::InvalidArgumentError("auth value too long");
    }
    w.WriteU8(auth->auth_type);
    w.WriteU8(auth->auth_level);
    w.WriteU8(pad_length);
    w.WriteU8(auth->reserved);
    w.WriteU32Le(auth->auth_context_id);
    w.WriteBytes(auth->auth_value);
    w.PatchU16Le(kAuthLengthOffset, static_cast<uint16_t>(auth->auth_value.size()));
  }
  if (w.size() > kMaxPduSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("PDU of ", w.size(), " bytes exceeds the 65535-byte frag_length"));
  }
  w.PatchU16Le(kFragLengthOffset, static_cast<uint16_t>(w.size()));
  return std::move(w).Take();
}

absl::StatusOr<PduParts> SplitTyped(ByteView pdu, uint8_t ptype, const char* name) {
  ASSIGN_OR_RETURN(PduParts parts, SplitPdu(pdu));
  if (parts.header.ptype != ptype) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected ", name, " (PTYPE ", ptype, "), got PTYPE ", parts.header.ptype));
  }
  return parts;
}

// Checks what is left in a bind-like body: exactly the auth padding.
absl::Status ExpectPadding(const ByteReader& r, const PduParts& parts, const char* what) {
  const size_t pad = parts.auth.has_value() ? parts.auth->auth_pad_length : 0;
  if (r.remaining() != pad) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", r.remaining(),
                                                   " bytes after the body, expected ", pad,
                                                   " bytes of auth padding"));
  }
  return absl::OkStatus();
}

absl::StatusOr<BindPdu> ParseBindLike(ByteView pdu, uint8_t ptype, const char* name) {
  ASSIGN_OR_RETURN(PduParts parts, SplitTyped(pdu, ptype, name));
  BindPdu out;
  out.call_id = parts.header.call_id;
  out.pfc_flags = parts.header.pfc_flags;
  ByteReader r(parts.body);
  ASSIGN_OR_RETURN(out.max_xmit_frag, r.ReadU16Le());
  ASSIGN_OR_RETURN(out.max_recv_frag, r.ReadU16Le());
  ASSIGN_OR_RETURN(out.assoc_group_id, r.ReadU32Le());
  ASSIGN_OR_RETURN(uint8_t num_contexts, r.ReadU8());
  RETURN_IF_ERROR(r.Skip(3));
  for (size_t i = 0; i < num_contexts; ++i) {
    PresentationContext ctx;
    ASSIGN_OR_RETURN(ctx.context_id, r.ReadU16Le());
    ASSIGN_OR_RETURN(uint8_t num_transfer, r.ReadU8());
    RETURN_IF_ERROR(r.Skip(1));
    ASSIGN_OR_RETURN(ctx.abstract_syntax, ReadSyntax(r));
    for (size_t j = 0; j < num_transfer; ++j) {
      ASSIGN_OR_RETURN(SyntaxId syntax, ReadSyntax(r));
      ctx.transfer_syntaxes.push_back(syntax);
    }
    out.contexts.push_back(std::move(ctx));
  }
  RETURN_IF_ERROR(ExpectPadding(r, parts, name));
  out.auth = std::move(parts.auth);
  return out;
}

absl::StatusOr<Bytes> EncodeBindLike(const BindPdu& pdu, uint8_t ptype) {
  if (pdu.contexts.size() > 0xFF) return absl::InvalidArgumentError("more than 255 contexts");
  ByteWriter w;
  BeginPdu(w, ptype, pdu.pfc_flags, pdu.call_id);
  w.WriteU16Le(pdu.max_xmit_frag);
  w.WriteU16Le(pdu.max_recv_frag);
  w.WriteU32Le(pdu.assoc_group_id);
  w.WriteU8(static_cast<uint8_t>(pdu.contexts.size()));
  w.WriteFill(3, 0);
  for (const PresentationContext& ctx : pdu.contexts) {
    if (ctx.transfer_syntaxes.size() > 0xFF) {
      return absl::InvalidArgumentError("more than 255 transfer syntaxes");
    }
    w.WriteU16Le(ctx.context_id);
    w.WriteU8(static_cast<uint8_t>(ctx.transfer_syntaxes.size()));
    w.WriteU8(0);
    WriteSyntax(w, ctx.abstract_syntax);
    for (const SyntaxId& s : ctx.transfer_syntaxes) WriteSyntax(w, s);
  }
  return FinishPdu(std::move(w), pdu.auth, Padding::kInsert, 0);
}

absl::StatusOr<BindAckPdu> ParseBindAckLike(ByteView pdu, uint8_t ptype, const char* name) {
  ASSIGN_OR_RETURN(PduParts parts, SplitTyped(pdu, ptype, name));
  BindAckPdu out;
  out.call_id = parts.header.call_id;
  out.pfc_flags = parts.header.pfc_flags;
  ByteReader r(parts.body);
  ASSIGN_OR_RETURN(out.max_xmit_frag, r.ReadU16Le());
  ASSIGN_OR_RETURN(out.max_recv_frag, r.ReadU16Le());
  ASSIGN_OR_RETURN(out.assoc_group_id, r.ReadU32Le());
  ASSIGN_OR_RETURN(uint16_t address_length, r.ReadU16Le());
  ASSIGN_OR_RETURN(ByteView address, r.ReadBytes(address_length));
  if (!address.empty()) {
    // NUL-terminated, with no NUL inside.
    for (size_t i = 0; i + 1 < address.size(); ++i) {
      if (address[i] == 0) {
        return absl::InvalidArgumentError(absl::StrCat(name, ": NUL inside secondary address"));
      }
    }
    if (address.back() != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": secondary address is not NUL-terminated"));
    }
    out.secondary_address.assign(address.begin(), address.end() - 1);
  }
  // The body starts at offset 16 of the PDU, so aligning the body reader to
  // 4 aligns relative to the PDU as C706 requires.
  RETURN_IF_ERROR(r.Align(4));
  ASSIGN_OR_RETURN(uint8_t num_results, r.ReadU8());
  RETURN_IF_ERROR(r.Skip(3));
  for (size_t i = 0; i < num_results; ++i) {
    ContextResult result;
    ASSIGN_OR_RETURN(result.result, r.ReadU16Le());
    ASSIGN_OR_RETURN(result.reason, r.ReadU16Le());
    ASSIGN_OR_RETURN(result.transfer_syntax, ReadSyntax(r));
    out.results.push_back(result);
  }
  RETURN_IF_ERROR(ExpectPadding(r, parts, name));
  out.auth = std::move(parts.auth);
  return out;
}

absl::StatusOr<Bytes> EncodeBindAckLike(const BindAckPdu& pdu, uint8_t ptype) {
  if (pdu.results.size() > 0xFF) return absl::InvalidArgumentError("more than 255 results");
  if (pdu.secondary_address.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("NUL inside secondary address");
  }
  if (pdu.secondary_address.size() >= kMaxPduSize) {
    return absl::InvalidArgumentError("secondary address too long");
  }
  ByteWriter w;
  BeginPdu(w, ptype, pdu.pfc_flags, pdu.call_id);
  w.WriteU16Le(pdu.max_xmit_frag);
  w.WriteU16Le(pdu.max_recv_frag);
  w.WriteU32Le(pdu.assoc_group_id);
  if (pdu.secondary_address.empty()) {
    w.WriteU16Le(0);
  } else {
    w.WriteU16Le(static_cast<uint16_t>(pdu.secondary_address.size() + 1));
    w.WriteBytes(AsBytes(pdu.secondary_address));
    w.WriteU8(0);
  }
  w.Align(4);
  w.WriteU8(static_cast<uint8_t>(pdu.results.size()));
  w.WriteFill(3, 0);
  for (const ContextResult& result : pdu.results) {
    w.WriteU16Le(result.result);
    w.WriteU16Le(result.reason);
    WriteSyntax(w, result.transfer_syntax);
  }
  return FinishPdu(std::move(w), pdu.auth, Padding::kInsert, 0);
}

// Checks that the stub of a request/response holds the auth padding.
absl::Status CheckStubPadding(const PduParts& parts, size_t stub_size, const char* what) {
  if (parts.auth.has_value() && parts.auth->auth_pad_length > stub_size) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": auth_pad_length ",
                                                   parts.auth->auth_pad_length,
                                                   " exceeds the stub (", stub_size, " bytes)"));
  }
  return absl::OkStatus();
}

}  // namespace

SyntaxId Ndr64Syntax() {
  static const Uuid kUuid = *ParseUuid("71710533-beba-4937-8319-b5dbef9ccc36");
  return SyntaxId{kUuid, 1, 0};
}

SyntaxId BindTimeFeatureSyntax(uint64_t features) {
  SyntaxId s;
  for (size_t i = 0; i < 8; ++i) s.uuid[i] = kBindTimeFeaturePrefix[i];
  for (size_t i = 0; i < 8; ++i) s.uuid[8 + i] = static_cast<uint8_t>(features >> (8 * i));
  s.version_major = 1;
  s.version_minor = 0;
  return s;
}

std::optional<uint64_t> BindTimeFeatures(const SyntaxId& syntax) {
  for (size_t i = 0; i < 8; ++i) {
    if (syntax.uuid[i] != kBindTimeFeaturePrefix[i]) return std::nullopt;
  }
  if (syntax.version_major != 1 || syntax.version_minor != 0) return std::nullopt;
  uint64_t features = 0;
  for (size_t i = 0; i < 8; ++i) features |= static_cast<uint64_t>(syntax.uuid[8 + i]) << (8 * i);
  return features;
}

absl::StatusOr<CommonHeader> ParseCommonHeader(ByteView data) {
  ByteReader r(data);
  CommonHeader h;
  ASSIGN_OR_RETURN(ByteView raw, r.ReadBytes(kCommonHeaderSize));
  ByteReader f(raw);
  ASSIGN_OR_RETURN(h.rpc_vers, f.ReadU8());
  ASSIGN_OR_RETURN(h.rpc_vers_minor, f.ReadU8());
  ASSIGN_OR_RETURN(h.ptype, f.ReadU8());
  ASSIGN_OR_RETURN(h.pfc_flags, f.ReadU8());
  ASSIGN_OR_RETURN(ByteView drep, f.ReadBytes(4));
  h.drep = ToArray<4>(drep);
  ASSIGN_OR_RETURN(h.frag_length, f.ReadU16Le());
  ASSIGN_OR_RETURN(h.auth_length, f.ReadU16Le());
  ASSIGN_OR_RETURN(h.call_id, f.ReadU32Le());
  if (h.rpc_vers != 5 || h.rpc_vers_minor > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported RPC version ", h.rpc_vers, ".", h.rpc_vers_minor));
  }
  // drep[0]: integer representation in the high nibble (1 = little-endian),
  // character representation in the low nibble (0 = ASCII); drep[1]: floating
  // point (0 = IEEE).
  if (h.drep[0] != 0x10 || h.drep[1] != 0) {
    return absl::UnimplementedError(absl::StrCat("unsupported data representation ",
                                                 ToHex(ByteView(h.drep).subspan(0, 2)),
                                                 " (only little-endian ASCII IEEE)"));
  }
  if (h.frag_length < kCommonHeaderSize) {
    return absl::InvalidArgumentError(absl::StrCat("frag_length ", h.frag_length, " < 16"));
  }
  if (h.auth_length != 0 &&
      size_t{h.auth_length} + kSecTrailerSize + kCommonHeaderSize > h.frag_length) {
    return absl::InvalidArgumentError(absl::StrCat("auth_length ", h.auth_length,
                                                   " does not fit in frag_length ", h.frag_length));
  }
  return h;
}

absl::StatusOr<PduParts> SplitPdu(ByteView pdu) {
  PduParts parts;
  ASSIGN_OR_RETURN(parts.header, ParseCommonHeader(pdu));
  const size_t frag_length = parts.header.frag_length;
  if (pdu.size() < frag_length) {
    return absl::OutOfRangeError(
        absl::StrCat("truncated PDU: frag_length ", frag_length, ", have ", pdu.size()));
  }
  if (pdu.size() > frag_length) {
    return absl::InvalidArgumentError(
        absl::StrCat(pdu.size() - frag_length, " bytes after frag_length ", frag_length));
  }
  if (parts.header.auth_length == 0) {
    parts.body = pdu.subspan(kCommonHeaderSize);
    return parts;
  }
  const size_t trailer_at = frag_length - parts.header.auth_length - kSecTrailerSize;
  if (trailer_at % 4 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("sec_trailer at offset ", trailer_at, " is not 4-byte aligned"));
  }
  parts.body = pdu.subspan(kCommonHeaderSize, trailer_at - kCommonHeaderSize);
  ByteReader r(pdu.subspan(trailer_at));
  AuthVerifier auth;
  ASSIGN_OR_RETURN(auth.auth_type, r.ReadU8());
  ASSIGN_OR_RETURN(auth.auth_level, r.ReadU8());
  ASSIGN_OR_RETURN(auth.auth_pad_length, r.ReadU8());
  ASSIGN_OR_RETURN(auth.reserved, r.ReadU8());
  ASSIGN_OR_RETURN(auth.auth_context_id, r.ReadU32Le());
  ASSIGN_OR_RETURN(ByteView value, r.ReadBytes(parts.header.auth_length));
  auth.auth_value.assign(value.begin(), value.end());
  if (auth.auth_pad_length > parts.body.size()) {
    return absl::InvalidArgumentError(absl::StrCat("auth_pad_length ", auth.auth_pad_length,
                                                   " exceeds the body (", parts.body.size(), ")"));
  }
  parts.auth = std::move(auth);
  return parts;
}

absl::StatusOr<BindPdu> ParseBind(ByteView pdu) { return ParseBindLike(pdu, kPtypeBind, "bind"); }

absl::StatusOr<BindPdu> ParseAlterContext(ByteView pdu) {
  return ParseBindLike(pdu, kPtypeAlterContext, "alter_context");
}

absl::StatusOr<BindAckPdu> ParseBindAck(ByteView pdu) {
  return ParseBindAckLike(pdu, kPtypeBindAck, "bind_ack");
}

absl::StatusOr<BindAckPdu> ParseAlterContextResp(ByteView pdu) {
  return ParseBindAckLike(pdu, kPtypeAlterContextResp, "alter_context_resp");
}

absl::StatusOr<BindNakPdu> ParseBindNak(ByteView pdu) {
  ASSIGN_OR_RETURN(PduParts parts, SplitTyped(pdu, kPtypeBindNak, "bind_nak"));
  if (parts.auth.has_value()) return absl::InvalidArgumentError("bind_nak with auth_length");
  BindNakPdu out;
  out.call_id = parts.header.call_id;
  out.pfc_flags = parts.header.pfc_flags;
  out.versions.clear();
  ByteReader r(parts.body);
  ASSIGN_OR_RETURN(out.reject_reason, r.ReadU16Le());
  ASSIGN_OR_RETURN(uint8_t num_versions, r.ReadU8());
  for (size_t i = 0; i < num_versions; ++i) {
    ASSIGN_OR_RETURN(ByteView v, r.ReadBytes(2));
    out.versions.push_back({v[0], v[1]});
  }
  // What follows is padding (and, from Windows, possibly a signature and
  // extended error information, MS-RPCE 2.2.2.5): ignored.
  return out;
}

absl::StatusOr<RequestPdu> ParseRequest(ByteView pdu) {
  ASSIGN_OR_RETURN(PduParts parts, SplitTyped(pdu, kPtypeRequest, "request"));
  RequestPdu out;
  out.call_id = parts.header.call_id;
  out.pfc_flags = parts.header.pfc_flags;
  ByteReader r(parts.body);
  ASSIGN_OR_RETURN(out.alloc_hint, r.ReadU32Le());
  ASSIGN_OR_RETURN(out.context_id, r.ReadU16Le());
  ASSIGN_OR_RETURN(out.opnum, r.ReadU16Le());
  if (out.pfc_flags & kPfcObjectUuid) {
    ASSIGN_OR_RETURN(ByteView object, r.ReadBytes(16));
    out.object = ToArray<16>(object);
  }
  RETURN_IF_ERROR(CheckStubPadding(parts, r.remaining(), "request"));
  const ByteView stub = r.Rest();
  out.stub.assign(stub.begin(), stub.end());
  out.auth = std::move(parts.auth);
  return out;
}

absl::StatusOr<ResponsePdu> ParseResponse(ByteView pdu) {
  ASSIGN_OR_RETURN(PduParts parts, SplitTyped(pdu, kPtypeResponse, "response"));
  ResponsePdu out;
  out.call_id = parts.header.call_id;
  out.pfc_flags = parts.header.pfc_flags;
  ByteReader r(parts.body);
  ASSIGN_OR_RETURN(out.alloc_hint, r.ReadU32Le());
  ASSIGN_OR_RETURN(out.context_id, r.ReadU16Le());
  ASSIGN_OR_RETURN(out.cancel_count, r.ReadU8());
  ASSIGN_OR_RETURN(out.reserved, r.ReadU8());
  RETURN_IF_ERROR(CheckStubPadding(parts, r.remaining(), "response"));
  const ByteView stub = r.Rest();
  out.stub.assign(stub.begin(), stub.end());
  out.auth = std::move(parts.auth);
  return out;
}

absl::StatusOr<FaultPdu> ParseFault(ByteView pdu) {
  ASSIGN_OR_RETURN(PduParts parts, SplitTyped(pdu, kPtypeFault, "fault"));
  FaultPdu out;
  out.call_id = parts.header.call_id;
  out.pfc_flags = parts.header.pfc_flags;
  ByteReader r(parts.body);
  ASSIGN_OR_RETURN(out.alloc_hint, r.ReadU32Le());
  ASSIGN_OR_RETURN(out.context_id, r.ReadU16Le());
  ASSIGN_OR_RETURN(out.cancel_count, r.ReadU8());
  ASSIGN_OR_RETURN(out.flags, r.ReadU8());
  ASSIGN_OR_RETURN(out.status, r.ReadU32Le());
  ASSIGN_OR_RETURN(out.reserved, r.ReadU32Le());
  // An auth verifier on a fault is split off by SplitPdu and ignored.
  const ByteView extra = r.Rest();
  out.extra.assign(extra.begin(), extra.end());
  return out;
}

absl::StatusOr<Auth3Pdu> ParseAuth3(ByteView pdu) {
  ASSIGN_OR_RETURN(PduParts parts, SplitTyped(pdu, kPtypeAuth3, "auth3"));
  if (!parts.auth.has_value()) return absl::InvalidArgumentError("auth3 without auth verifier");
  Auth3Pdu out;
  out.call_id = parts.header.call_id;
  out.pfc_flags = parts.header.pfc_flags;
  // The body is padding (four bytes from impacket and Windows): ignored.
  out.auth = std::move(*parts.auth);
  return out;
}

absl::StatusOr<Bytes> EncodeBind(const BindPdu& pdu) { return EncodeBindLike(pdu, kPtypeBind); }

absl::StatusOr<Bytes> EncodeAlterContext(const BindPdu& pdu) {
  return EncodeBindLike(pdu, kPtypeAlterContext);
}

absl::StatusOr<Bytes> EncodeBindAck(const BindAckPdu& pdu) {
  return EncodeBindAckLike(pdu, kPtypeBindAck);
}

absl::StatusOr<Bytes> EncodeAlterContextResp(const BindAckPdu& pdu) {
  return EncodeBindAckLike(pdu, kPtypeAlterContextResp);
}

absl::StatusOr<Bytes> EncodeBindNak(const BindNakPdu& pdu) {
  if (pdu.versions.size() > 0xFF) return absl::InvalidArgumentError("more than 255 versions");
  ByteWriter w;
  BeginPdu(w, kPtypeBindNak, pdu.pfc_flags, pdu.call_id);
  w.WriteU16Le(pdu.reject_reason);
  w.WriteU8(static_cast<uint8_t>(pdu.versions.size()));
  for (const auto& v : pdu.versions) w.WriteBytes(ByteView(v));
  w.Align(4);  // as Samba: 24 bytes for one version
  return FinishPdu(std::move(w), std::nullopt, Padding::kInsert, 0);
}

absl::StatusOr<Bytes> EncodeRequest(const RequestPdu& pdu) {
  ByteWriter w;
  const uint8_t flags =
      pdu.object.has_value() ? (pdu.pfc_flags | kPfcObjectUuid) : (pdu.pfc_flags & ~kPfcObjectUuid);
  BeginPdu(w, kPtypeRequest, flags, pdu.call_id);
  w.WriteU32Le(pdu.alloc_hint);
  w.WriteU16Le(pdu.context_id);
  w.WriteU16Le(pdu.opnum);
  if (pdu.object.has_value()) w.WriteBytes(*pdu.object);
  const size_t stub_start = w.size();
  w.WriteBytes(pdu.stub);
  return FinishPdu(std::move(w), pdu.auth, Padding::kInBody, stub_start);
}

absl::StatusOr<Bytes> EncodeResponse(const ResponsePdu& pdu) {
  ByteWriter w;
  BeginPdu(w, kPtypeResponse, pdu.pfc_flags, pdu.call_id);
  w.WriteU32Le(pdu.alloc_hint);
  w.WriteU16Le(pdu.context_id);
  w.WriteU8(pdu.cancel_count);
  w.WriteU8(pdu.reserved);
  const size_t stub_start = w.size();
  w.WriteBytes(pdu.stub);
  return FinishPdu(std::move(w), pdu.auth, Padding::kInBody, stub_start);
}

absl::StatusOr<Bytes> EncodeFault(const FaultPdu& pdu) {
  ByteWriter w;
  BeginPdu(w, kPtypeFault, pdu.pfc_flags, pdu.call_id);
  w.WriteU32Le(pdu.alloc_hint);
  w.WriteU16Le(pdu.context_id);
  w.WriteU8(pdu.cancel_count);
  w.WriteU8(pdu.flags);
  w.WriteU32Le(pdu.status);
  w.WriteU32Le(pdu.reserved);
  w.WriteBytes(pdu.extra);
  return FinishPdu(std::move(w), std::nullopt, Padding::kInsert, 0);
}

absl::StatusOr<Bytes> EncodeAuth3(const Auth3Pdu& pdu) {
  ByteWriter w;
  BeginPdu(w, kPtypeAuth3, pdu.pfc_flags, pdu.call_id);
  w.WriteFill(4, 0);
  return FinishPdu(std::move(w), pdu.auth, Padding::kInsert, 0);
}

absl::StatusOr<Bytes> EncodeHeaderOnly(uint8_t ptype, uint32_t call_id, uint8_t pfc_flags) {
  ByteWriter w;
  BeginPdu(w, ptype, pfc_flags, call_id);
  return FinishPdu(std::move(w), std::nullopt, Padding::kInsert, 0);
}

}  // namespace trustsim::dcerpc
