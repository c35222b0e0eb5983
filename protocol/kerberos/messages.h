// Copyright 2026 The trustsim Authors.
//
// messages.h
// -----------------------------------------------------------------------------
//
// Kerberos message codecs (RFC 4120 §5), sans I/O, built on the strict DER
// codec in der.h: AS-REQ/TGS-REQ, AS-REP/TGS-REP, KRB-ERROR, AP-REQ, Ticket,
// EncTicketPart, EncKDCRepPart, Authenticator and the small structures they
// carry (PrincipalName, EncryptedData, EncryptionKey, Checksum, PA-DATA,
// PA-ENC-TS-ENC, ETYPE-INFO2).
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

// Message types, which are also the APPLICATION tag numbers (RFC 4120 §5.10).
inline constexpr int32_t kMsgTypeAsReq = 10;
inline constexpr int32_t kMsgTypeAsRep = 11;
inline constexpr int32_t kMsgTypeTgsReq = 12;
inline constexpr int32_t kMsgTypeTgsRep = 13;
inline constexpr int32_t kMsgTypeApReq = 14;
inline constexpr int32_t kMsgTypeKrbError = 30;

// APPLICATION tags of the encrypted parts and the ticket.
inline constexpr uint32_t kTagTicket = 1;
inline constexpr uint32_t kTagAuthenticator = 2;
inline constexpr uint32_t kTagEncTicketPart = 3;
inline constexpr uint32_t kTagEncAsRepPart = 25;
inline constexpr uint32_t kTagEncTgsRepPart = 26;

// Principal name types (RFC 4120 §6.2).
inline constexpr int32_t kNtPrincipal = 1;
inline constexpr int32_t kNtSrvInst = 2;
inline constexpr int32_t kNtSrvHst = 3;  // host/<fqdn> service principals

// PA-DATA types (RFC 4120 §7.5.2; PAC-REQUEST from MS-KILE 2.2.3).
inline constexpr int32_t kPaTgsReq = 1;
inline constexpr int32_t kPaEncTimestamp = 2;
inline constexpr int32_t kPaPwSalt = 3;
inline constexpr int32_t kPaEtypeInfo2 = 19;
inline constexpr int32_t kPaPacRequest = 128;

// KDCOptions bits (RFC 4120 §5.4.1), in Kerberos bit order: bit 0 is the MSB.
inline constexpr uint32_t KerberosFlag(int bit) { return 0x80000000u >> bit; }
inline constexpr uint32_t kKdcOptForwardable = KerberosFlag(1);
inline constexpr uint32_t kKdcOptRenewable = KerberosFlag(8);
inline constexpr uint32_t kKdcOptCanonicalize = KerberosFlag(15);
inline constexpr uint32_t kKdcOptRenewableOk = KerberosFlag(27);

// TicketFlags bits (RFC 4120 §5.3).
inline constexpr uint32_t kTicketForwardable = KerberosFlag(1);
inline constexpr uint32_t kTicketRenewable = KerberosFlag(8);
inline constexpr uint32_t kTicketInitial = KerberosFlag(9);
inline constexpr uint32_t kTicketPreAuthent = KerberosFlag(10);
inline constexpr uint32_t kTicketEncPaRep = KerberosFlag(15);

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

// EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING }
struct EncryptionKey {
  int32_t keytype = 0;
  Bytes keyvalue;

  bool operator==(const EncryptionKey&) const = default;
};

// Checksum ::= SEQUENCE { cksumtype [0] Int32, checksum [1] OCTET STRING }
struct Checksum {
  int32_t cksumtype = 0;
  Bytes checksum;

  bool operator==(const Checksum&) const = default;
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

// AS-REQ ::= [APPLICATION 10] KDC-REQ; TGS-REQ ::= [APPLICATION 12] KDC-REQ
// KDC-REQ ::= SEQUENCE { pvno [1] INTEGER (5), msg-type [2] INTEGER (10 -- AS
//     -- | 12 -- TGS), padata [3] SEQUENCE OF PA-DATA OPTIONAL,
//     req-body [4] KDC-REQ-BODY }
struct KdcReq {
  int32_t msg_type = kMsgTypeAsReq;
  std::optional<std::vector<PaData>> padata;
  KdcReqBody req_body;
  // The exact DER of the KDC-REQ-BODY SEQUENCE as received (set by the
  // parsers; ignored by the encoders, which encode `req_body`). A TGS-REQ's
  // authenticator checksum covers these bytes.
  Bytes req_body_der;
};
using AsReq = KdcReq;

// Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0] INTEGER (5),
//     realm [1] Realm, sname [2] PrincipalName, enc-part [3] EncryptedData }
struct Ticket {
  std::string realm;
  PrincipalName sname;
  EncryptedData enc_part;

  bool operator==(const Ticket&) const = default;
};

// EncTicketPart ::= [APPLICATION 3] SEQUENCE (RFC 4120 §5.3). `transited` is
// always {tr-type 0 (DOMAIN-X500-COMPRESS), contents ""} within one realm.
// `caddr` and `authorization_data` hold the DER of their single TLV.
struct EncTicketPart {
  uint32_t flags = 0;
  EncryptionKey key;
  std::string crealm;
  PrincipalName cname;
  int32_t transited_type = 0;
  Bytes transited_contents;
  int64_t authtime = 0;
  std::optional<int64_t> starttime;
  int64_t endtime = 0;
  std::optional<int64_t> renew_till;
  std::optional<Bytes> caddr;
  std::optional<Bytes> authorization_data;

  bool operator==(const EncTicketPart&) const = default;
};

// LastReq ::= SEQUENCE OF SEQUENCE { lr-type [0] Int32, lr-value [1] KerberosTime }
struct LastReqEntry {
  int32_t lr_type = 0;
  int64_t lr_value = 0;

  bool operator==(const LastReqEntry&) const = default;
};

// EncKDCRepPart ::= SEQUENCE (RFC 4120 §5.4.2), inside [APPLICATION 25]
// (EncASRepPart) or [APPLICATION 26] (EncTGSRepPart), named by `tag`.
struct EncKdcRepPart {
  uint32_t tag = kTagEncAsRepPart;
  EncryptionKey key;
  std::vector<LastReqEntry> last_req;
  uint32_t nonce = 0;
  std::optional<int64_t> key_expiration;
  uint32_t flags = 0;
  int64_t authtime = 0;
  std::optional<int64_t> starttime;
  int64_t endtime = 0;
  std::optional<int64_t> renew_till;
  std::string srealm;
  PrincipalName sname;
  std::optional<Bytes> caddr;
  std::optional<std::vector<PaData>> encrypted_pa_data;

  bool operator==(const EncKdcRepPart&) const = default;
};

// AS-REP ::= [APPLICATION 11] KDC-REP; TGS-REP ::= [APPLICATION 13] KDC-REP
// KDC-REP ::= SEQUENCE { pvno [0] INTEGER (5), msg-type [1] INTEGER,
//     padata [2] SEQUENCE OF PA-DATA OPTIONAL, crealm [3] Realm,
//     cname [4] PrincipalName, ticket [5] Ticket, enc-part [6] EncryptedData }
struct KdcRep {
  int32_t msg_type = kMsgTypeAsRep;
  std::optional<std::vector<PaData>> padata;
  std::string crealm;
  PrincipalName cname;
  Ticket ticket;
  EncryptedData enc_part;

  bool operator==(const KdcRep&) const = default;
};

// AP-REQ ::= [APPLICATION 14] SEQUENCE { pvno [0] INTEGER (5),
//     msg-type [1] INTEGER (14), ap-options [2] APOptions, ticket [3] Ticket,
//     authenticator [4] EncryptedData }
struct ApReq {
  uint32_t ap_options = 0;
  Ticket ticket;
  EncryptedData authenticator;

  bool operator==(const ApReq&) const = default;
};

// Authenticator ::= [APPLICATION 2] SEQUENCE { authenticator-vno [0] (5),
//     crealm [1], cname [2], cksum [3] Checksum OPTIONAL, cusec [4],
//     ctime [5], subkey [6] EncryptionKey OPTIONAL, seq-number [7] UInt32
//     OPTIONAL, authorization-data [8] OPTIONAL (the DER of its TLV) }
struct Authenticator {
  std::string crealm;
  PrincipalName cname;
  std::optional<Checksum> cksum;
  int32_t cusec = 0;
  int64_t ctime = 0;
  std::optional<EncryptionKey> subkey;
  std::optional<uint32_t> seq_number;
  std::optional<Bytes> authorization_data;

  bool operator==(const Authenticator&) const = default;
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

// METHOD-DATA ::= SEQUENCE OF PA-DATA (a KRB-ERROR's e-data).
absl::StatusOr<std::vector<PaData>> ParseMethodData(ByteView der);
Bytes EncodeMethodData(const std::vector<PaData>& list);

absl::StatusOr<EncryptionKey> ParseEncryptionKey(ByteView der);
Bytes EncodeEncryptionKey(const EncryptionKey& key);

// Parses an AS-REQ or a TGS-REQ, whichever the APPLICATION tag says.
absl::StatusOr<KdcReq> ParseKdcReq(ByteView der);
absl::StatusOr<KdcReq> ParseAsReq(ByteView der);
absl::StatusOr<KdcReq> ParseTgsReq(ByteView der);
// Encodes `req` as the message `req.msg_type` names.
Bytes EncodeKdcReq(const KdcReq& req);
// Encodes `req` as an AS-REQ whatever its `msg_type`.
Bytes EncodeAsReq(const AsReq& req);
// The DER of a KDC-REQ-BODY, as a client checksums it.
Bytes EncodeKdcReqBody(const KdcReqBody& body);

// Parses an AS-REP or a TGS-REP, whichever the APPLICATION tag says.
absl::StatusOr<KdcRep> ParseKdcRep(ByteView der);
Bytes EncodeKdcRep(const KdcRep& rep);

absl::StatusOr<Ticket> ParseTicket(ByteView der);
Bytes EncodeTicket(const Ticket& ticket);

absl::StatusOr<EncTicketPart> ParseEncTicketPart(ByteView der);
Bytes EncodeEncTicketPart(const EncTicketPart& part);

// Accepts [APPLICATION 25] or [APPLICATION 26]. RFC 4120 §5.4.2 notes that
// some implementations send EncTGSRepPart in an AS-REP; MIT accepts either.
absl::StatusOr<EncKdcRepPart> ParseEncKdcRepPart(ByteView der);
Bytes EncodeEncKdcRepPart(const EncKdcRepPart& part);

absl::StatusOr<ApReq> ParseApReq(ByteView der);
Bytes EncodeApReq(const ApReq& req);

absl::StatusOr<Authenticator> ParseAuthenticator(ByteView der);
Bytes EncodeAuthenticator(const Authenticator& authenticator);

absl::StatusOr<KrbError> ParseKrbError(ByteView der);
Bytes EncodeKrbError(const KrbError& error);

}  // namespace trustsim::kerberos

#endif  // TRUSTSIM_PROTOCOL_KERBEROS_MESSAGES_H_
