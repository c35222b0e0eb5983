// Copyright 2026 The trustsim Authors.

#include "protocol/kerberos/kdc.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "protocol/crypto/kerberos_checksum.h"
#include "protocol/crypto/kerberos_encryption.h"
#include "protocol/kerberos/der.h"

namespace trustsim::kerberos {

namespace {

constexpr int32_t kKdcErrNeverValid = 11;

bool HasEnctype(const KdcPrincipal& p, crypto::EncType type) {
  return std::find(p.enctypes.begin(), p.enctypes.end(), type) != p.enctypes.end();
}

bool IsAes(crypto::EncType type) { return type != crypto::EncType::kRc4Hmac; }

// The first enctype of the client's list that trustsim implements and
// `principal` has a key for.
std::optional<crypto::EncType> ChooseEnctype(const std::vector<int32_t>& requested,
                                             const KdcPrincipal& principal) {
  for (int32_t number : requested) {
    absl::StatusOr<crypto::EncType> type = crypto::EncTypeFromNumber(number);
    if (type.ok() && HasEnctype(principal, *type)) return *type;
  }
  return std::nullopt;
}

bool IsKrbtgt(const PrincipalName& name, absl::string_view realm) {
  return name.name_string.size() == 2 && name.name_string[0] == "krbtgt" &&
         absl::EqualsIgnoreCase(name.name_string[1], realm);
}

crypto::KerberosKey RandomSessionKey(crypto::EncType type, RandomSource& rng) {
  crypto::KerberosKey key{type, Bytes(crypto::KeyLength(type))};
  rng.Fill(absl::MakeSpan(key.bytes));
  return key;
}

EncryptionKey ToWire(const crypto::KerberosKey& key) {
  return EncryptionKey{static_cast<int32_t>(key.type), key.bytes};
}

absl::StatusOr<crypto::KerberosKey> FromWire(const EncryptionKey& key) {
  ASSIGN_OR_RETURN(crypto::EncType type, crypto::EncTypeFromNumber(key.keytype));
  return crypto::KeyFromBytes(type, key.keyvalue);
}

}  // namespace

const char* KrbErrorName(int32_t code) {
  switch (code) {
    case kKdcErrCPrincipalUnknown:
      return "KDC_ERR_C_PRINCIPAL_UNKNOWN";
    case kKdcErrSPrincipalUnknown:
      return "KDC_ERR_S_PRINCIPAL_UNKNOWN";
    case kKdcErrPrincipalNotUnique:
      return "KDC_ERR_PRINCIPAL_NOT_UNIQUE";
    case kKdcErrNeverValid:
      return "KDC_ERR_NEVER_VALID";
    case kKdcErrBadOption:
      return "KDC_ERR_BADOPTION";
    case kKdcErrEtypeNoSupp:
      return "KDC_ERR_ETYPE_NOSUPP";
    case kKdcErrPadataTypeNoSupp:
      return "KDC_ERR_PADATA_TYPE_NOSUPP";
    case kKdcErrClientRevoked:
      return "KDC_ERR_CLIENT_REVOKED";
    case kKdcErrPreauthFailed:
      return "KDC_ERR_PREAUTH_FAILED";
    case kKdcErrPreauthRequired:
      return "KDC_ERR_PREAUTH_REQUIRED";
    case kKrbApErrBadIntegrity:
      return "KRB_AP_ERR_BAD_INTEGRITY";
    case kKrbApErrTktExpired:
      return "KRB_AP_ERR_TKT_EXPIRED";
    case kKrbApErrTktNotYetValid:
      return "KRB_AP_ERR_TKT_NYV";
    case kKrbApErrNotUs:
      return "KRB_AP_ERR_NOT_US";
    case kKrbApErrBadMatch:
      return "KRB_AP_ERR_BADMATCH";
    case kKrbApErrSkew:
      return "KRB_AP_ERR_SKEW";
    case kKrbApErrMsgType:
      return "KRB_AP_ERR_MSG_TYPE";
    case kKrbApErrModified:
      return "KRB_AP_ERR_MODIFIED";
    case kKrbApErrBadKeyVersion:
      return "KRB_AP_ERR_BADKEYVER";
    case kKrbApErrInappCksum:
      return "KRB_AP_ERR_INAPP_CKSUM";
    case kKrbErrResponseTooBig:
      return "KRB_ERR_RESPONSE_TOO_BIG";
    case kKrbErrGeneric:
      return "KRB_ERR_GENERIC";
    case kKrbErrFieldTooLong:
      return "KRB_ERR_FIELD_TOOLONG";
    case kKdcErrWrongRealm:
      return "KDC_ERR_WRONG_REALM";
  }
  return "";
}

const char* KrbErrorMessage(int32_t code) {
  // MIT krb5 src/lib/krb5/error_tables/krb5_err.et.
  switch (code) {
    case kKdcErrCPrincipalUnknown:
      return "Client not found in Kerberos database";
    case kKdcErrSPrincipalUnknown:
      return "Server not found in Kerberos database";
    case kKdcErrPrincipalNotUnique:
      return "Principal has multiple entries in Kerberos database";
    case kKdcErrNeverValid:
      return "Requested effective lifetime is negative or too short";
    case kKdcErrBadOption:
      return "KDC can't fulfill requested option";
    case kKdcErrEtypeNoSupp:
      return "KDC has no support for encryption type";
    case kKdcErrPadataTypeNoSupp:
      return "KDC has no support for padata type";
    case kKdcErrClientRevoked:
      return "Client's credentials have been revoked";
    case kKdcErrPreauthFailed:
      return "Preauthentication failed";
    case kKdcErrPreauthRequired:
      return "Additional pre-authentication required";
    case kKrbApErrBadIntegrity:
      return "Decrypt integrity check failed";
    case kKrbApErrTktExpired:
      return "Ticket expired";
    case kKrbApErrTktNotYetValid:
      return "Ticket not yet valid";
    case kKrbApErrNotUs:
      return "The ticket isn't for us";
    case kKrbApErrBadMatch:
      return "Ticket/authenticator don't match";
    case kKrbApErrSkew:
      return "Clock skew too great";
    case kKrbApErrMsgType:
      return "Invalid message type";
    case kKrbApErrModified:
      return "Message stream modified";
    case kKrbApErrBadKeyVersion:
      return "Key version number for principal in key table is incorrect";
    case kKrbApErrInappCksum:
      return "Inappropriate type of checksum in message";
    case kKrbErrResponseTooBig:
      return "Response too big for UDP, retry with TCP";
    case kKrbErrGeneric:
      return "Generic error (see e-text)";
    case kKrbErrFieldTooLong:
      return "Field is too long for this implementation";
    case kKdcErrWrongRealm:
      return "Wrong realm";
  }
  return "";
}

std::string FormatPrincipal(const PrincipalName& name, absl::string_view realm) {
  return absl::StrCat(absl::StrJoin(name.name_string, "/"), "@", realm);
}

PrincipalName KrbtgtName(absl::string_view realm) {
  return PrincipalName{kNtSrvInst, {"krbtgt", std::string(realm)}};
}

// Per-request state.
struct Kdc::Request {
  KdcReq req;
  int64_t dc_now = 0;
  // The time this client sees: the DC clock plus its clock shift.
  int64_t now = 0;
  std::optional<PrincipalName> cname;
  std::string crealm;
  PrincipalName sname;
  RandomSource* rng = nullptr;
  KdcEvent event;
};

Kdc::Kdc(KdcOptions options, KdcDatabase& database) : options_(std::move(options)), db_(database) {}

Bytes Kdc::ErrorReply(int32_t error_code, int64_t now_micros) const {
  Request r;
  r.dc_now = r.now = now_micros;
  r.sname = KrbtgtName(options_.realm);
  return Error(r, error_code);
}

Bytes Kdc::Error(const Request& r, int32_t code, std::optional<std::string> e_text,
                 std::optional<Bytes> e_data) const {
  KrbError e;
  e.stime = der::WholeSeconds(r.now);
  e.susec = static_cast<int32_t>(r.now - e.stime);
  e.error_code = code;
  if (r.cname) {
    e.crealm = r.crealm;
    e.cname = r.cname;
  }
  e.realm = options_.realm;
  e.sname = r.sname;
  e.e_text = std::move(e_text);
  e.e_data = std::move(e_data);
  return EncodeKrbError(e);
}

Bytes Kdc::Handle(ByteView request, int64_t now_micros, RandomSource& rng) {
  Request r;
  r.dc_now = r.now = now_micros;
  r.rng = &rng;
  r.sname = KrbtgtName(options_.realm);
  der::DerReader top(request);
  absl::StatusOr<der::Tag> tag = top.PeekTag();
  const bool tgs = tag.ok() && tag->tag_class == der::TagClass::kApplication &&
                   tag->number == static_cast<uint32_t>(kMsgTypeTgsReq);
  const bool as = tag.ok() && tag->tag_class == der::TagClass::kApplication &&
                  tag->number == static_cast<uint32_t>(kMsgTypeAsReq);
  if (!as && !tgs) {
    return Error(r, tag.ok() ? kKrbApErrMsgType : kKrbErrGeneric,
                 tag.ok() ? "not a KDC request" : "malformed request");
  }
  absl::StatusOr<KdcReq> parsed = tgs ? ParseTgsReq(request) : ParseAsReq(request);
  if (!parsed.ok()) {
    return Error(r, kKrbErrGeneric, absl::StrCat("malformed request: ", parsed.status().message()));
  }
  r.req = *std::move(parsed);
  if (r.req.req_body.sname) r.sname = *r.req.req_body.sname;
  Bytes reply = tgs ? HandleTgs(r) : HandleAs(r);
  db_.OnKdcEvent(r.event);
  return reply;
}

namespace {

// Ticket times for a new ticket starting at `now`, bounded by the request's
// till/rtime and, for a service ticket, by the TGT's own times.
struct TicketTimes {
  int64_t start = 0;
  int64_t end = 0;
  std::optional<int64_t> renew_till;
  uint32_t flags = 0;
};

std::optional<TicketTimes> ComputeTimes(const KdcReqBody& body, const KdcOptions& options,
                                        int64_t now, std::optional<int64_t> cap_end,
                                        std::optional<int64_t> cap_renew) {
  TicketTimes t;
  t.start = der::WholeSeconds(now);
  int64_t end = t.start + options.max_ticket_lifetime_micros;
  // A till of 0 (19700101000000Z) means "as long as allowed" (RFC 4120 §5.4.1).
  const bool till_given = body.till.has_value() && *body.till != 0;
  if (till_given) end = std::min(end, *body.till);
  if (cap_end) end = std::min(end, *cap_end);
  if (end <= t.start) return std::nullopt;
  t.end = end;
  std::optional<int64_t> renew;
  if ((body.kdc_options & kKdcOptRenewable) && body.rtime && *body.rtime != 0) {
    renew = *body.rtime;
  } else if ((body.kdc_options & kKdcOptRenewableOk) && till_given && *body.till > end) {
    renew = *body.till;
  }
  if (renew) {
    int64_t limit = t.start + options.max_renew_micros;
    if (cap_renew) limit = std::min(limit, *cap_renew);
    if (std::min(*renew, limit) > t.end) {
      t.renew_till = std::min(*renew, limit);
      t.flags |= kTicketRenewable;
    }
  }
  if (body.kdc_options & kKdcOptForwardable) t.flags |= kTicketForwardable;
  return t;
}

// Encrypts a ticket for `server` and returns it.
absl::StatusOr<Ticket> SealTicket(KdcDatabase& db, const KdcPrincipal& server,
                                  const PrincipalName& sname, absl::string_view realm,
                                  const EncTicketPart& part, RandomSource& rng) {
  if (server.enctypes.empty()) return absl::FailedPreconditionError("server has no keys");
  ASSIGN_OR_RETURN(crypto::KerberosKey key, db.CurrentKey(server, server.enctypes.front()));
  ASSIGN_OR_RETURN(Bytes cipher, crypto::KerberosEncrypt(key, crypto::kUsageTicket,
                                                         EncodeEncTicketPart(part), rng));
  Ticket t;
  t.realm = std::string(realm);
  t.sname = sname;
  t.enc_part = EncryptedData{static_cast<int32_t>(key.type), server.kvno, std::move(cipher)};
  return t;
}

// The client's copy of what `tkt` says (RFC 4120 §5.4.2), for an AS-REP
// (tag 25) or a TGS-REP (26).
EncKdcRepPart RepPartFor(const EncTicketPart& tkt, uint32_t tag, const KdcReqBody& body,
                         absl::string_view realm) {
  EncKdcRepPart part;
  part.tag = tag;
  part.key = tkt.key;
  part.last_req = {LastReqEntry{0, tkt.starttime.value_or(tkt.authtime)}};
  part.nonce = body.nonce;
  part.flags = tkt.flags;
  part.authtime = tkt.authtime;
  part.starttime = tkt.starttime;
  part.endtime = tkt.endtime;
  part.renew_till = tkt.renew_till;
  part.srealm = std::string(realm);
  part.sname = *body.sname;
  return part;
}

EtypeInfo2 EtypeInfoFor(const KdcPrincipal& client, const std::vector<int32_t>& requested) {
  EtypeInfo2 info;
  for (int32_t number : requested) {
    absl::StatusOr<crypto::EncType> type = crypto::EncTypeFromNumber(number);
    if (!type.ok() || !HasEnctype(client, *type)) continue;
    if (std::any_of(info.begin(), info.end(),
                    [&](const EtypeInfo2Entry& e) { return e.etype == number; })) {
      continue;
    }
    EtypeInfo2Entry e;
    e.etype = number;
    if (IsAes(*type)) e.salt = client.salt;
    info.push_back(std::move(e));
  }
  return info;
}

}  // namespace

Bytes Kdc::HandleAs(Request& r) {
  const KdcReqBody& body = r.req.req_body;
  r.event.kind = KdcEvent::Kind::kAsFailed;
  auto fail = [&](int32_t code, std::optional<std::string> e_text = {},
                  std::optional<Bytes> e_data = {}) {
    r.event.error_code = code;
    if (e_text) r.event.detail = *e_text;
    return Error(r, code, std::move(e_text), std::move(e_data));
  };
  if (!body.cname) return fail(kKrbErrGeneric, "AS-REQ without cname");
  r.cname = body.cname;
  r.crealm = body.realm;
  r.event.client = FormatPrincipal(*body.cname, body.realm);
  r.event.server = FormatPrincipal(r.sname, body.realm);
  if (!absl::EqualsIgnoreCase(body.realm, options_.realm)) return fail(kKdcErrWrongRealm);
  if (!body.sname) return fail(kKrbErrGeneric, "AS-REQ without sname");

  absl::StatusOr<KdcPrincipal> client = db_.FindClient(*body.cname, body.realm);
  if (!client.ok()) return fail(kKdcErrCPrincipalUnknown);
  r.now = r.dc_now + client->clock_shift_micros;
  if (client->disabled || client->locked_out) return fail(kKdcErrClientRevoked);

  absl::StatusOr<KdcPrincipal> server = db_.FindServer(*body.sname, body.realm);
  if (!server.ok()) {
    return fail(absl::IsFailedPrecondition(server.status()) ? kKdcErrPrincipalNotUnique
                                                            : kKdcErrSPrincipalUnknown);
  }

  const std::optional<crypto::EncType> reply_type = ChooseEnctype(body.etypes, *client);
  if (!reply_type) return fail(kKdcErrEtypeNoSupp);

  const PaData* enc_ts = nullptr;
  if (r.req.padata) {
    for (const PaData& pa : *r.req.padata) {
      if (pa.type == kPaEncTimestamp) enc_ts = &pa;
    }
  }
  const EtypeInfo2 etype_info = EtypeInfoFor(*client, body.etypes);
  if (enc_ts == nullptr) {
    std::vector<PaData> method_data = {
        PaData{kPaEtypeInfo2, EncodeEtypeInfo2(etype_info)},
        PaData{kPaEncTimestamp, {}},
    };
    return fail(kKdcErrPreauthRequired, std::nullopt, EncodeMethodData(method_data));
  }

  // Pre-authentication: current keys only.
  absl::StatusOr<EncryptedData> enc = ParseEncryptedData(enc_ts->value);
  if (!enc.ok()) return fail(kKrbErrGeneric, "malformed PA-ENC-TIMESTAMP");
  absl::StatusOr<crypto::EncType> ts_type = crypto::EncTypeFromNumber(enc->etype);
  if (!ts_type.ok() || !HasEnctype(*client, *ts_type)) return fail(kKdcErrEtypeNoSupp);
  absl::StatusOr<crypto::KerberosKey> client_key = db_.CurrentKey(*client, *ts_type);
  if (!client_key.ok()) return fail(kKdcErrEtypeNoSupp);
  absl::StatusOr<Bytes> plain =
      crypto::KerberosDecrypt(*client_key, crypto::kUsageAsReqPaEncTimestamp, enc->cipher);
  if (!plain.ok()) {
    for (const crypto::KerberosKey& old : db_.HistoricKeys(*client, *ts_type)) {
      if (crypto::KerberosDecrypt(old, crypto::kUsageAsReqPaEncTimestamp, enc->cipher).ok()) {
        r.event.historic_key_matched = true;
        break;
      }
    }
    return fail(kKdcErrPreauthFailed);
  }
  absl::StatusOr<PaEncTsEnc> ts = ParsePaEncTsEnc(*plain);
  if (!ts.ok()) return fail(kKdcErrPreauthFailed, "malformed PA-ENC-TS-ENC");
  const int64_t client_time = ts->patimestamp_micros + ts->pausec.value_or(0);
  const int64_t skew = client_time - r.now;
  if (skew > options_.max_skew_micros || -skew > options_.max_skew_micros) {
    r.event.skew_micros = skew;
    return fail(kKrbApErrSkew);  // no e-text: see the header
  }

  // Success: a ticket for the server and the enc-part for the client.
  std::optional<TicketTimes> times = ComputeTimes(body, options_, r.now, {}, {});
  if (!times) return fail(kKdcErrNeverValid);
  const crypto::KerberosKey session =
      RandomSessionKey(ChooseEnctype(body.etypes, *server).value_or(*ts_type), *r.rng);
  EncTicketPart tkt;
  tkt.flags = times->flags | kTicketInitial | kTicketPreAuthent;
  tkt.key = ToWire(session);
  tkt.crealm = body.realm;
  tkt.cname = *body.cname;
  tkt.authtime = times->start;
  tkt.starttime = times->start;
  tkt.endtime = times->end;
  tkt.renew_till = times->renew_till;
  absl::StatusOr<Ticket> ticket =
      SealTicket(db_, *server, *body.sname, options_.realm, tkt, *r.rng);
  if (!ticket.ok()) return fail(kKrbErrGeneric, "the server has no usable key");

  const EncKdcRepPart part = RepPartFor(tkt, kTagEncAsRepPart, body, options_.realm);
  absl::StatusOr<Bytes> cipher = crypto::KerberosEncrypt(*client_key, crypto::kUsageAsRepEncPart,
                                                         EncodeEncKdcRepPart(part), *r.rng);
  if (!cipher.ok()) return fail(kKrbErrGeneric, "encryption failed");

  KdcRep rep;
  rep.msg_type = kMsgTypeAsRep;
  EtypeInfo2Entry used{static_cast<int32_t>(*ts_type), std::nullopt, std::nullopt};
  if (IsAes(*ts_type)) used.salt = client->salt;
  rep.padata = std::vector<PaData>{PaData{kPaEtypeInfo2, EncodeEtypeInfo2({used})}};
  rep.crealm = body.realm;
  rep.cname = *body.cname;
  rep.ticket = *std::move(ticket);
  rep.enc_part = EncryptedData{static_cast<int32_t>(*ts_type), client->kvno, *std::move(cipher)};
  r.event.kind = KdcEvent::Kind::kTgtIssued;
  r.event.error_code = 0;
  return EncodeKdcRep(rep);
}

Bytes Kdc::HandleTgs(Request& r) {
  const KdcReqBody& body = r.req.req_body;
  r.event.kind = KdcEvent::Kind::kTgsFailed;
  auto fail = [&](int32_t code, std::optional<std::string> e_text = {}) {
    r.event.error_code = code;
    if (e_text) r.event.detail = *e_text;
    return Error(r, code, std::move(e_text));
  };
  r.event.server = FormatPrincipal(r.sname, body.realm);
  if (!absl::EqualsIgnoreCase(body.realm, options_.realm)) return fail(kKdcErrWrongRealm);
  if (!body.sname) return fail(kKrbErrGeneric, "TGS-REQ without sname");
  if (body.kdc_options & (KerberosFlag(28) | KerberosFlag(30) | KerberosFlag(31))) {
    // ENC-TKT-IN-SKEY (28), RENEW (30), VALIDATE (31) are not implemented.
    return fail(kKdcErrBadOption);
  }

  const PaData* tgs_pa = nullptr;
  if (r.req.padata) {
    for (const PaData& pa : *r.req.padata) {
      if (pa.type == kPaTgsReq) tgs_pa = &pa;
    }
  }
  if (tgs_pa == nullptr) return fail(kKdcErrPadataTypeNoSupp, "TGS-REQ without PA-TGS-REQ");
  absl::StatusOr<ApReq> ap = ParseApReq(tgs_pa->value);
  if (!ap.ok()) return fail(kKrbErrGeneric, "malformed AP-REQ");
  if (!absl::EqualsIgnoreCase(ap->ticket.realm, options_.realm) ||
      !IsKrbtgt(ap->ticket.sname, options_.realm)) {
    return fail(kKrbApErrNotUs);
  }

  // The TGT, under the current krbtgt key.
  absl::StatusOr<KdcPrincipal> krbtgt = db_.FindServer(KrbtgtName(options_.realm), options_.realm);
  if (!krbtgt.ok()) return fail(kKrbErrGeneric, "no krbtgt account");
  if (ap->ticket.enc_part.kvno && *ap->ticket.enc_part.kvno != krbtgt->kvno) {
    return fail(kKrbApErrBadKeyVersion);
  }
  absl::StatusOr<crypto::EncType> tgt_type = crypto::EncTypeFromNumber(ap->ticket.enc_part.etype);
  if (!tgt_type.ok()) return fail(kKdcErrEtypeNoSupp);
  absl::StatusOr<crypto::KerberosKey> krbtgt_key = db_.CurrentKey(*krbtgt, *tgt_type);
  if (!krbtgt_key.ok()) return fail(kKdcErrEtypeNoSupp);
  absl::StatusOr<Bytes> tgt_plain =
      crypto::KerberosDecrypt(*krbtgt_key, crypto::kUsageTicket, ap->ticket.enc_part.cipher);
  if (!tgt_plain.ok()) return fail(kKrbApErrBadIntegrity);
  absl::StatusOr<EncTicketPart> tgt = ParseEncTicketPart(*tgt_plain);
  if (!tgt.ok()) return fail(kKrbErrGeneric, "malformed ticket");
  r.cname = tgt->cname;
  r.crealm = tgt->crealm;
  r.event.client = FormatPrincipal(tgt->cname, tgt->crealm);

  absl::StatusOr<KdcPrincipal> client = db_.FindClient(tgt->cname, tgt->crealm);
  if (!client.ok()) return fail(kKdcErrCPrincipalUnknown);
  r.now = r.dc_now + client->clock_shift_micros;
  if (client->disabled || client->locked_out) return fail(kKdcErrClientRevoked);
  if (tgt->starttime.value_or(tgt->authtime) > r.now + options_.max_skew_micros) {
    return fail(kKrbApErrTktNotYetValid);
  }
  if (tgt->endtime + options_.max_skew_micros < r.now) return fail(kKrbApErrTktExpired);

  // The authenticator, under the TGT session key.
  absl::StatusOr<crypto::KerberosKey> tgt_session = FromWire(tgt->key);
  if (!tgt_session.ok()) return fail(kKrbErrGeneric, "bad session key in ticket");
  absl::StatusOr<Bytes> auth_plain = crypto::KerberosDecrypt(
      *tgt_session, crypto::kUsageTgsReqAuthenticator, ap->authenticator.cipher);
  if (!auth_plain.ok()) return fail(kKrbApErrBadIntegrity);
  absl::StatusOr<Authenticator> auth = ParseAuthenticator(*auth_plain);
  if (!auth.ok()) return fail(kKrbErrGeneric, "malformed authenticator");
  if (auth->cname != tgt->cname || !absl::EqualsIgnoreCase(auth->crealm, tgt->crealm)) {
    return fail(kKrbApErrBadMatch);
  }
  const int64_t skew = auth->ctime + auth->cusec - r.now;
  if (skew > options_.max_skew_micros || -skew > options_.max_skew_micros) {
    r.event.skew_micros = skew;
    return fail(kKrbApErrSkew);
  }
  if (!auth->cksum) return fail(kKrbApErrInappCksum);
  absl::Status sum = crypto::VerifyKerberosChecksum(
      *tgt_session, crypto::kUsageTgsReqAuthenticatorChecksum, auth->cksum->cksumtype,
      r.req.req_body_der, auth->cksum->checksum);
  if (!sum.ok()) {
    return fail(absl::IsDataLoss(sum) ? kKrbApErrModified : kKrbApErrInappCksum);
  }
  crypto::KerberosKey reply_key = *tgt_session;
  uint32_t reply_usage = crypto::kUsageTgsRepEncPartSessionKey;
  if (auth->subkey) {
    absl::StatusOr<crypto::KerberosKey> subkey = FromWire(*auth->subkey);
    if (!subkey.ok()) return fail(kKdcErrEtypeNoSupp);
    reply_key = *std::move(subkey);
    reply_usage = crypto::kUsageTgsRepEncPartSubkey;
  }

  // The service.
  absl::StatusOr<KdcPrincipal> server = db_.FindServer(*body.sname, body.realm);
  if (!server.ok()) {
    if (absl::IsFailedPrecondition(server.status())) {
      KdcEvent duplicate;
      duplicate.kind = KdcEvent::Kind::kDuplicateName;
      duplicate.error_code = kKdcErrPrincipalNotUnique;
      duplicate.client = r.event.client;
      duplicate.server = r.event.server;
      duplicate.holders = db_.DuplicateHolders(*body.sname);
      db_.OnKdcEvent(duplicate);
      return fail(kKdcErrPrincipalNotUnique);
    }
    return fail(kKdcErrSPrincipalUnknown);
  }
  if (server->disabled) return fail(kKdcErrSPrincipalUnknown);
  const std::optional<crypto::EncType> session_type = ChooseEnctype(body.etypes, *server);
  if (!session_type) return fail(kKdcErrEtypeNoSupp);

  std::optional<TicketTimes> times =
      ComputeTimes(body, options_, r.now, tgt->endtime, tgt->renew_till);
  if (!times) return fail(kKdcErrNeverValid);
  const crypto::KerberosKey session = RandomSessionKey(*session_type, *r.rng);
  EncTicketPart tkt;
  tkt.flags =
      (times->flags & (tgt->flags | ~kTicketForwardable)) | (tgt->flags & kTicketPreAuthent);
  if (!(tgt->flags & kTicketRenewable)) {
    tkt.flags &= ~kTicketRenewable;
    times->renew_till.reset();
  }
  tkt.key = ToWire(session);
  tkt.crealm = tgt->crealm;
  tkt.cname = tgt->cname;
  tkt.authtime = tgt->authtime;
  tkt.starttime = times->start;
  tkt.endtime = times->end;
  tkt.renew_till = times->renew_till;
  absl::StatusOr<Ticket> ticket =
      SealTicket(db_, *server, *body.sname, options_.realm, tkt, *r.rng);
  if (!ticket.ok()) return fail(kKrbErrGeneric, "the server has no usable key");

  const EncKdcRepPart part = RepPartFor(tkt, kTagEncTgsRepPart, body, options_.realm);
  absl::StatusOr<Bytes> cipher =
      crypto::KerberosEncrypt(reply_key, reply_usage, EncodeEncKdcRepPart(part), *r.rng);
  if (!cipher.ok()) return fail(kKrbErrGeneric, "encryption failed");

  KdcRep rep;
  rep.msg_type = kMsgTypeTgsRep;
  rep.crealm = tgt->crealm;
  rep.cname = tgt->cname;
  rep.ticket = *std::move(ticket);
  rep.enc_part =
      EncryptedData{static_cast<int32_t>(reply_key.type), std::nullopt, *std::move(cipher)};
  r.event.kind = KdcEvent::Kind::kServiceTicketIssued;
  r.event.error_code = 0;
  return EncodeKdcRep(rep);
}

}  // namespace trustsim::kerberos
