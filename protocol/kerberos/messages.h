// Copyright 2026 The trustsim Authors.
//
// messages.h
// -----------------------------------------------------------------------------
//
// Kerberos message codecs (RFC 4120 §5), sans I/O, built on the strict DER
// codec in der.h: AS-REQ, KRB-ERROR and the small structures they carry
// (PrincipalName, EncryptedData, PA-DATA, PA-ENC-TS-ENC, ETYPE-INFO2).
//
// Parsing is strict: pvno must be 5, msg-type must match the application tag,
// required fields must be present, context tags must appear in order and
// unknown ones are rejected, and trailing bytes are errors. Truncated input is
// `kOutOfRange`; anything else malformed is `kInvalidArgument`. Nesting and
// lengths are bounded by the DER codec (`der::kDefaultMaxDepth`,
// `der::kMaxLength`). Encoders trust their input and emit DER that the parsers
// accept.
//
// Example:
//
//   ASSIGN_OR_RETURN(AsReq req, ParseAsReq(datagram));
//   if (req.req_body.cname) { ... }
//   // Checksums over the body use the exact received bytes:
//   ByteView body = req.req_body_der;

#ifndef TRUSTSIM_PROTOCOL_KERBEROS_MESSAGES_H_
#define TRUSTSIM_PROTOCOL_KERBEROS_MESSAGES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/bytes.h"

namespace trustsim::kerberos {

inline constexpr int32_t kPvno = 5;
inline constexpr int32_t kMsgTypeAsReq = 10;
inline constexpr int32_t kMsgTypeKrbError = 30;

// Principal name types (RFC 4120 §6.2).
inline constexpr int32_t kNtPrincipal = 1;
inline constexpr int32_t kNtSrvInst = 2;

// PA-DATA types (RFC 4120 §7.5.2).
inline constexpr int32_t kPaEncTimestamp = 2;
inline constexpr int32_t kPaEtypeInfo2 = 19;

// PrincipalName ::= SEQUENCE { name-type [0] Int32,
//                              name-string [1] SEQUENCE OF KerberosString }
struct PrincipalName {
  int32_t name_type = kNtPrincipal;
  std::vector<std::string> name_string;

  bool operator==(const PrincipalName&) const = default;
};

// EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL,
//                              cipher [2] OCTET STRING }
struct EncryptedData {
  int32_t etype = 0;
  std::optional<uint32_t> kvno;
  Bytes cipher;

  bool operator==(const EncryptedData&) const = default;
};

// PA-DATA ::= SEQUENCE { padata-type [1] Int32, padata-value [2] OCTET STRING }
struct PaData {
  int32_t type = 0;
  Bytes value;

  bool operator==(const PaData&) const = default;
};

// PA-ENC-TS-ENC ::= SEQUENCE { patimestamp [0] KerberosTime,
//                              pausec [1] Microseconds OPTIONAL }
struct PaEncTsEnc {
  int64_t patimestamp_micros = 0;  // whole seconds since the Unix epoch, in µs
  std::optional<int32_t> pausec;   // 0..999999

  bool operator==(const PaEncTsEnc&) const = default;
};

// ETYPE-INFO2-ENTRY ::= SEQUENCE { etype [0] Int32,
//     salt [1] KerberosString OPTIONAL, s2kparams [2] OCTET STRING OPTIONAL }
struct EtypeInfo2Entry {
  int32_t etype = 0;
  std::optional<std::string> salt;
  std::optional<Bytes> s2kparams;

  bool operator==(const EtypeInfo2Entry&) const = default;
};

// ETYPE-INFO2 ::= SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY
using EtypeInfo2 = std::vector<EtypeInfo2Entry>;

// KDC-REQ-BODY (RFC 4120 §5.4.1). Times are microseconds since the Unix epoch
// (whole seconds). `addresses`, `enc_authorization_data` and
// `additional_tickets` are not interpreted: each holds the DER of the single
// TLV inside its context tag, checked only for well-formedness.
struct KdcReqBody {
  uint32_t kdc_options = 0;  // Kerberos bit order: bit 0 is the MSB
  std::optional<PrincipalName> cname;
  std::string realm;
  std::optional<PrincipalName> sname;
  std::optional<int64_t> from;
  std::optional<int64_t> till;
  std::optional<int64_t> rtime;
  uint32_t nonce = 0;
  std::vector<int32_t> etypes;
  std::optional<Bytes> addresses;
  std::optional<Bytes> enc_authorization_data;
  std::optional<Bytes> additional_tickets;

  bool operator==(const KdcReqBody&) const = default;
};

// AS-REQ ::= [APPLICATION 10] KDC-REQ
// KDC-REQ ::= SEQUENCE { pvno [1] INTEGER (5), msg-type [2] INTEGER (10),
//     padata [3] SEQUENCE OF PA-DATA OPTIONAL, req-body [4] KDC-REQ-BODY }
struct AsReq {
  std::optional<std::vector<PaData>> padata;
  KdcReqBody req_body;
  // The exact DER of the KDC-REQ-BODY SEQUENCE as received (set by
  // `ParseAsReq`; ignored by `EncodeAsReq`, which encodes `req_body`).
  Bytes req_body_der;
};

// KRB-ERROR ::= [APPLICATION 30] SEQUENCE (RFC 4120 §5.9.1).
struct KrbError {
  std::optional<int64_t> ctime;
  std::optional<int32_t> cusec;
  int64_t stime = 0;
  int32_t susec = 0;
  int32_t error_code = 0;
  std::optional<std::string> crealm;
  std::optional<PrincipalName> cname;
  std::string realm;
  PrincipalName sname;
  std::optional<std::string> e_text;
  std::optional<Bytes> e_data;

  bool operator==(const KrbError&) const = default;
};

absl::StatusOr<PrincipalName> ParsePrincipalName(ByteView der);
Bytes EncodePrincipalName(const PrincipalName& name);

absl::StatusOr<EncryptedData> ParseEncryptedData(ByteView der);
Bytes EncodeEncryptedData(const EncryptedData& data);

absl::StatusOr<PaData> ParsePaData(ByteView der);
Bytes EncodePaData(const PaData& pa);

absl::StatusOr<PaEncTsEnc> ParsePaEncTsEnc(ByteView der);
Bytes EncodePaEncTsEnc(const PaEncTsEnc& ts);

absl::StatusOr<EtypeInfo2> ParseEtypeInfo2(ByteView der);
Bytes EncodeEtypeInfo2(const EtypeInfo2& info);

absl::StatusOr<AsReq> ParseAsReq(ByteView der);
Bytes EncodeAsReq(const AsReq& req);

absl::StatusOr<KrbError> ParseKrbError(ByteView der);
Bytes EncodeKrbError(const KrbError& error);

}  // namespace trustsim::kerberos

#endif  // TRUSTSIM_PROTOCOL_KERBEROS_MESSAGES_H_
