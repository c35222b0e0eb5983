// Copyright 2026 The trustsim Authors.
//
// internal/fields.h
// -----------------------------------------------------------------------------
//
// Field-level helpers shared by the Kerberos message codecs: required and
// optional explicit context fields, ranged integers, opaque TLVs, and the
// structures that several messages embed. Not part of the public API.

#ifndef TRUSTSIM_PROTOCOL_KERBEROS_INTERNAL_FIELDS_H_
#define TRUSTSIM_PROTOCOL_KERBEROS_INTERNAL_FIELDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "protocol/kerberos/der.h"
#include "protocol/kerberos/messages.h"

namespace trustsim::kerberos::internal {

using der::DerReader;
using der::DerWriter;

inline absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("kerberos: ", what));
}

// Enters the required field [n] of `seq`, the contents of a complete
// SEQUENCE: running out of it means the field is missing, not truncated.
inline absl::StatusOr<DerReader> ExpectField(DerReader& seq, uint32_t n) {
  if (seq.empty()) return Malformed(absl::StrCat("missing field [", n, "]"));
  return seq.ExpectContext(n);
}

// Reads the required field [n] of `seq` with `read`, which must consume the
// whole field.
template <typename T, typename Read>
absl::StatusOr<T> Field(DerReader& seq, uint32_t n, Read read) {
  ASSIGN_OR_RETURN(DerReader f, ExpectField(seq, n));
  ASSIGN_OR_RETURN(T value, read(f));
  RETURN_IF_ERROR(f.ExpectEnd());
  return value;
}

// Reads the optional field [n] of `seq`, if it is next.
template <typename T, typename Read>
absl::StatusOr<std::optional<T>> OptField(DerReader& seq, uint32_t n, Read read) {
  ASSIGN_OR_RETURN(std::optional<DerReader> f, seq.OptionalContext(n));
  if (!f.has_value()) return std::optional<T>();
  ASSIGN_OR_RETURN(T value, read(*f));
  RETURN_IF_ERROR(f->ExpectEnd());
  return std::optional<T>(std::move(value));
}

inline absl::StatusOr<int32_t> ReadInt32(DerReader& r) { return r.ReadInt32(); }
inline absl::StatusOr<uint32_t> ReadUint32(DerReader& r) { return r.ReadUint32(); }
inline absl::StatusOr<int64_t> ReadTime(DerReader& r) { return r.ReadKerberosTime(); }
inline absl::StatusOr<std::string> ReadString(DerReader& r) { return r.ReadGeneralString(); }

inline absl::StatusOr<Bytes> ReadOctets(DerReader& r) {
  ASSIGN_OR_RETURN(ByteView v, r.ReadOctetString());
  return Bytes(v.begin(), v.end());
}

inline absl::StatusOr<int32_t> ReadMicroseconds(DerReader& r) {
  ASSIGN_OR_RETURN(int32_t us, r.ReadInt32());
  if (us < 0 || us > 999999) return Malformed(absl::StrCat("microseconds out of range: ", us));
  return us;
}

inline absl::StatusOr<int32_t> ReadExact(DerReader& r, int32_t want, const char* what) {
  ASSIGN_OR_RETURN(int32_t v, r.ReadInt32());
  if (v != want) return Malformed(absl::StrCat(what, " is ", v, ", want ", want));
  return v;
}

// One TLV of any tag, re-encoded (DER is canonical, so the bytes are the
// input's) and checked for well-formedness within the remaining depth.
inline absl::StatusOr<Bytes> ReadRawTlv(DerReader& r) {
  ASSIGN_OR_RETURN(der::Tlv tlv, r.ReadAny());
  DerWriter w;
  w.WriteTlv(tlv.tag, tlv.value);
  Bytes raw = std::move(w).Take();
  RETURN_IF_ERROR(der::ValidateDer(raw, der::kDefaultMaxDepth - r.depth()));
  return raw;
}

inline void WriteRawTlv(DerWriter& w, ByteView raw) {
  DerReader r(raw);
  absl::StatusOr<der::Tlv> tlv = r.ReadAny();
  if (tlv.ok()) w.WriteTlv(tlv->tag, tlv->value);
}

// Structures embedded in several messages (messages.cc).
absl::StatusOr<PrincipalName> ReadPrincipal(DerReader& r);
void WritePrincipal(DerWriter& w, const PrincipalName& name);
absl::StatusOr<EncryptedData> ReadEncryptedData(DerReader& r);
void WriteEncryptedData(DerWriter& w, const EncryptedData& data);
absl::StatusOr<std::vector<PaData>> ReadPaDataList(DerReader& r);
void WritePaDataList(DerWriter& w, const std::vector<PaData>& list);
absl::StatusOr<KdcReqBody> ReadKdcReqBody(DerReader& r);
void WriteKdcReqBody(DerWriter& w, const KdcReqBody& body);

// Reads `[0] pvno (5)` style fields: an Int32 that must equal `want`.
inline absl::Status ExpectIntField(DerReader& seq, uint32_t n, int32_t want, const char* what) {
  return Field<int32_t>(seq, n, [&](DerReader& f) { return ReadExact(f, want, what); }).status();
}

// Parses a whole message with `read`, rejecting trailing bytes.
template <typename T, typename Read>
absl::StatusOr<T> ParseTop(ByteView der, Read read) {
  DerReader top(der);
  ASSIGN_OR_RETURN(T value, read(top));
  RETURN_IF_ERROR(top.ExpectEnd());
  return value;
}

// Encodes with `write` into a fresh writer.
template <typename Write>
Bytes Encode(Write write) {
  DerWriter w;
  write(w);
  return std::move(w).Take();
}

// Enters `[APPLICATION n] SEQUENCE`, requiring nothing after either.
inline absl::StatusOr<DerReader> ExpectApplicationSequence(DerReader& r, uint32_t n) {
  ASSIGN_OR_RETURN(DerReader app, r.ExpectApplication(n));
  ASSIGN_OR_RETURN(DerReader seq, app.ExpectSequence());
  RETURN_IF_ERROR(app.ExpectEnd());
  return seq;
}

}  // namespace trustsim::kerberos::internal

#endif  // TRUSTSIM_PROTOCOL_KERBEROS_INTERNAL_FIELDS_H_
