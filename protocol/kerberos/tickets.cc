// Copyright 2026 The trustsim Authors.
//
// Codecs for tickets, replies and authenticators (declared in messages.h).

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
#include "protocol/kerberos/internal/fields.h"
#include "protocol/kerberos/messages.h"

namespace trustsim::kerberos {
namespace {

using der::DerReader;
using der::DerWriter;
using internal::Encode;
using internal::ExpectApplicationSequence;
using internal::ExpectField;
using internal::ExpectIntField;
using internal::Field;
using internal::Malformed;
using internal::OptField;
using internal::ParseTop;
using internal::ReadEncryptedData;
using internal::ReadInt32;
using internal::ReadMicroseconds;
using internal::ReadOctets;
using internal::ReadPaDataList;
using internal::ReadPrincipal;
using internal::ReadRawTlv;
using internal::ReadString;
using internal::ReadTime;
using internal::ReadUint32;
using internal::WriteEncryptedData;
using internal::WritePaDataList;
using internal::WritePrincipal;
using internal::WriteRawTlv;

absl::StatusOr<uint32_t> ReadFlags(DerReader& r) { return r.ReadBitString(); }

// --- EncryptionKey, Checksum ---------------------------------------------------

absl::StatusOr<EncryptionKey> ReadEncryptionKey(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  EncryptionKey key;
  ASSIGN_OR_RETURN(key.keytype, Field<int32_t>(seq, 0, ReadInt32));
  ASSIGN_OR_RETURN(key.keyvalue, Field<Bytes>(seq, 1, ReadOctets));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return key;
}

void WriteEncryptionKey(DerWriter& w, const EncryptionKey& key) {
  w.Sequence([&](DerWriter& seq) {
    seq.Context(0, [&](DerWriter& f) { f.Integer(key.keytype); });
    seq.Context(1, [&](DerWriter& f) { f.OctetString(key.keyvalue); });
  });
}

absl::StatusOr<Checksum> ReadChecksum(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  Checksum sum;
  ASSIGN_OR_RETURN(sum.cksumtype, Field<int32_t>(seq, 0, ReadInt32));
  ASSIGN_OR_RETURN(sum.checksum, Field<Bytes>(seq, 1, ReadOctets));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return sum;
}

void WriteChecksum(DerWriter& w, const Checksum& sum) {
  w.Sequence([&](DerWriter& seq) {
    seq.Context(0, [&](DerWriter& f) { f.Integer(sum.cksumtype); });
    seq.Context(1, [&](DerWriter& f) { f.OctetString(sum.checksum); });
  });
}

// --- Ticket ----------------------------------------------------------------------

absl::StatusOr<Ticket> ReadTicket(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, ExpectApplicationSequence(r, kTagTicket));
  Ticket t;
  RETURN_IF_ERROR(ExpectIntField(seq, 0, kPvno, "tkt-vno"));
  ASSIGN_OR_RETURN(t.realm, Field<std::string>(seq, 1, ReadString));
  ASSIGN_OR_RETURN(t.sname, Field<PrincipalName>(seq, 2, ReadPrincipal));
  ASSIGN_OR_RETURN(t.enc_part, Field<EncryptedData>(seq, 3, ReadEncryptedData));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return t;
}

void WriteTicket(DerWriter& w, const Ticket& t) {
  w.Application(kTagTicket, [&](DerWriter& app) {
    app.Sequence([&](DerWriter& seq) {
      seq.Context(0, [&](DerWriter& f) { f.Integer(kPvno); });
      seq.Context(1, [&](DerWriter& f) { f.GeneralString(t.realm); });
      seq.Context(2, [&](DerWriter& f) { WritePrincipal(f, t.sname); });
      seq.Context(3, [&](DerWriter& f) { WriteEncryptedData(f, t.enc_part); });
    });
  });
}

// --- EncTicketPart -------------------------------------------------------------------

absl::StatusOr<EncTicketPart> ReadEncTicketPart(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, ExpectApplicationSequence(r, kTagEncTicketPart));
  EncTicketPart p;
  ASSIGN_OR_RETURN(p.flags, Field<uint32_t>(seq, 0, ReadFlags));
  ASSIGN_OR_RETURN(p.key, Field<EncryptionKey>(seq, 1, ReadEncryptionKey));
  ASSIGN_OR_RETURN(p.crealm, Field<std::string>(seq, 2, ReadString));
  ASSIGN_OR_RETURN(p.cname, Field<PrincipalName>(seq, 3, ReadPrincipal));
  {
    ASSIGN_OR_RETURN(DerReader f, ExpectField(seq, 4));
    ASSIGN_OR_RETURN(DerReader tr, f.ExpectSequence());
    RETURN_IF_ERROR(f.ExpectEnd());
    ASSIGN_OR_RETURN(p.transited_type, Field<int32_t>(tr, 0, ReadInt32));
    ASSIGN_OR_RETURN(p.transited_contents, Field<Bytes>(tr, 1, ReadOctets));
    RETURN_IF_ERROR(tr.ExpectEnd());
  }
  ASSIGN_OR_RETURN(p.authtime, Field<int64_t>(seq, 5, ReadTime));
  ASSIGN_OR_RETURN(p.starttime, OptField<int64_t>(seq, 6, ReadTime));
  ASSIGN_OR_RETURN(p.endtime, Field<int64_t>(seq, 7, ReadTime));
  ASSIGN_OR_RETURN(p.renew_till, OptField<int64_t>(seq, 8, ReadTime));
  ASSIGN_OR_RETURN(p.caddr, OptField<Bytes>(seq, 9, ReadRawTlv));
  ASSIGN_OR_RETURN(p.authorization_data, OptField<Bytes>(seq, 10, ReadRawTlv));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return p;
}

void WriteEncTicketPart(DerWriter& w, const EncTicketPart& p) {
  w.Application(kTagEncTicketPart, [&](DerWriter& app) {
    app.Sequence([&](DerWriter& seq) {
      seq.Context(0, [&](DerWriter& f) { f.BitString32(p.flags); });
      seq.Context(1, [&](DerWriter& f) { WriteEncryptionKey(f, p.key); });
      seq.Context(2, [&](DerWriter& f) { f.GeneralString(p.crealm); });
      seq.Context(3, [&](DerWriter& f) { WritePrincipal(f, p.cname); });
      seq.Context(4, [&](DerWriter& f) {
        f.Sequence([&](DerWriter& tr) {
          tr.Context(0, [&](DerWriter& g) { g.Integer(p.transited_type); });
          tr.Context(1, [&](DerWriter& g) { g.OctetString(p.transited_contents); });
        });
      });
      seq.Context(5, [&](DerWriter& f) { f.KerberosTime(p.authtime); });
      if (p.starttime) seq.Context(6, [&](DerWriter& f) { f.KerberosTime(*p.starttime); });
      seq.Context(7, [&](DerWriter& f) { f.KerberosTime(p.endtime); });
      if (p.renew_till) seq.Context(8, [&](DerWriter& f) { f.KerberosTime(*p.renew_till); });
      if (p.caddr) seq.Context(9, [&](DerWriter& f) { WriteRawTlv(f, *p.caddr); });
      if (p.authorization_data) {
        seq.Context(10, [&](DerWriter& f) { WriteRawTlv(f, *p.authorization_data); });
      }
    });
  });
}

// --- EncKDCRepPart -----------------------------------------------------------------------

absl::StatusOr<std::vector<LastReqEntry>> ReadLastReq(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader list, r.ExpectSequence());
  std::vector<LastReqEntry> entries;
  while (!list.empty()) {
    ASSIGN_OR_RETURN(DerReader seq, list.ExpectSequence());
    LastReqEntry e;
    ASSIGN_OR_RETURN(e.lr_type, Field<int32_t>(seq, 0, ReadInt32));
    ASSIGN_OR_RETURN(e.lr_value, Field<int64_t>(seq, 1, ReadTime));
    RETURN_IF_ERROR(seq.ExpectEnd());
    entries.push_back(e);
  }
  return entries;
}

absl::StatusOr<EncKdcRepPart> ReadEncKdcRepPart(DerReader& r) {
  ASSIGN_OR_RETURN(der::Tag tag, r.PeekTag());
  if (tag.tag_class != der::TagClass::kApplication ||
      (tag.number != kTagEncAsRepPart && tag.number != kTagEncTgsRepPart)) {
    return Malformed(absl::StrCat("EncKDCRepPart is ", der::FormatTag(tag)));
  }
  ASSIGN_OR_RETURN(DerReader seq, ExpectApplicationSequence(r, tag.number));
  EncKdcRepPart p;
  p.tag = tag.number;
  ASSIGN_OR_RETURN(p.key, Field<EncryptionKey>(seq, 0, ReadEncryptionKey));
  ASSIGN_OR_RETURN(p.last_req, Field<std::vector<LastReqEntry>>(seq, 1, ReadLastReq));
  ASSIGN_OR_RETURN(p.nonce, Field<uint32_t>(seq, 2, ReadUint32));
  ASSIGN_OR_RETURN(p.key_expiration, OptField<int64_t>(seq, 3, ReadTime));
  ASSIGN_OR_RETURN(p.flags, Field<uint32_t>(seq, 4, ReadFlags));
  ASSIGN_OR_RETURN(p.authtime, Field<int64_t>(seq, 5, ReadTime));
  ASSIGN_OR_RETURN(p.starttime, OptField<int64_t>(seq, 6, ReadTime));
  ASSIGN_OR_RETURN(p.endtime, Field<int64_t>(seq, 7, ReadTime));
  ASSIGN_OR_RETURN(p.renew_till, OptField<int64_t>(seq, 8, ReadTime));
  ASSIGN_OR_RETURN(p.srealm, Field<std::string>(seq, 9, ReadString));
  ASSIGN_OR_RETURN(p.sname, Field<PrincipalName>(seq, 10, ReadPrincipal));
  ASSIGN_OR_RETURN(p.caddr, OptField<Bytes>(seq, 11, ReadRawTlv));
  ASSIGN_OR_RETURN(p.encrypted_pa_data, OptField<std::vector<PaData>>(seq, 12, ReadPaDataList));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return p;
}

void WriteEncKdcRepPart(DerWriter& w, const EncKdcRepPart& p) {
  w.Application(p.tag, [&](DerWriter& app) {
    app.Sequence([&](DerWriter& seq) {
      seq.Context(0, [&](DerWriter& f) { WriteEncryptionKey(f, p.key); });
      seq.Context(1, [&](DerWriter& f) {
        f.Sequence([&](DerWriter& list) {
          for (const LastReqEntry& e : p.last_req) {
            list.Sequence([&](DerWriter& s) {
              s.Context(0, [&](DerWriter& g) { g.Integer(e.lr_type); });
              s.Context(1, [&](DerWriter& g) { g.KerberosTime(e.lr_value); });
            });
          }
        });
      });
      seq.Context(2, [&](DerWriter& f) { f.Integer(p.nonce); });
      if (p.key_expiration) {
        seq.Context(3, [&](DerWriter& f) { f.KerberosTime(*p.key_expiration); });
      }
      seq.Context(4, [&](DerWriter& f) { f.BitString32(p.flags); });
      seq.Context(5, [&](DerWriter& f) { f.KerberosTime(p.authtime); });
      if (p.starttime) seq.Context(6, [&](DerWriter& f) { f.KerberosTime(*p.starttime); });
      seq.Context(7, [&](DerWriter& f) { f.KerberosTime(p.endtime); });
      if (p.renew_till) seq.Context(8, [&](DerWriter& f) { f.KerberosTime(*p.renew_till); });
      seq.Context(9, [&](DerWriter& f) { f.GeneralString(p.srealm); });
      seq.Context(10, [&](DerWriter& f) { WritePrincipal(f, p.sname); });
      if (p.caddr) seq.Context(11, [&](DerWriter& f) { WriteRawTlv(f, *p.caddr); });
      if (p.encrypted_pa_data) {
        seq.Context(12, [&](DerWriter& f) { WritePaDataList(f, *p.encrypted_pa_data); });
      }
    });
  });
}

// --- KDC-REP -------------------------------------------------------------------------------

absl::StatusOr<KdcRep> ReadKdcRep(DerReader& r) {
  ASSIGN_OR_RETURN(der::Tag tag, r.PeekTag());
  if (tag.tag_class != der::TagClass::kApplication ||
      (tag.number != static_cast<uint32_t>(kMsgTypeAsRep) &&
       tag.number != static_cast<uint32_t>(kMsgTypeTgsRep))) {
    return Malformed(absl::StrCat("KDC-REP is ", der::FormatTag(tag)));
  }
  ASSIGN_OR_RETURN(DerReader seq, ExpectApplicationSequence(r, tag.number));
  KdcRep rep;
  rep.msg_type = static_cast<int32_t>(tag.number);
  RETURN_IF_ERROR(ExpectIntField(seq, 0, kPvno, "pvno"));
  RETURN_IF_ERROR(ExpectIntField(seq, 1, rep.msg_type, "msg-type"));
  ASSIGN_OR_RETURN(rep.padata, OptField<std::vector<PaData>>(seq, 2, ReadPaDataList));
  ASSIGN_OR_RETURN(rep.crealm, Field<std::string>(seq, 3, ReadString));
  ASSIGN_OR_RETURN(rep.cname, Field<PrincipalName>(seq, 4, ReadPrincipal));
  ASSIGN_OR_RETURN(rep.ticket, Field<Ticket>(seq, 5, ReadTicket));
  ASSIGN_OR_RETURN(rep.enc_part, Field<EncryptedData>(seq, 6, ReadEncryptedData));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return rep;
}

// --- AP-REQ, Authenticator ----------------------------------------------------------------

absl::StatusOr<ApReq> ReadApReq(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, ExpectApplicationSequence(r, kMsgTypeApReq));
  ApReq req;
  RETURN_IF_ERROR(ExpectIntField(seq, 0, kPvno, "pvno"));
  RETURN_IF_ERROR(ExpectIntField(seq, 1, kMsgTypeApReq, "msg-type"));
  ASSIGN_OR_RETURN(req.ap_options, Field<uint32_t>(seq, 2, ReadFlags));
  ASSIGN_OR_RETURN(req.ticket, Field<Ticket>(seq, 3, ReadTicket));
  ASSIGN_OR_RETURN(req.authenticator, Field<EncryptedData>(seq, 4, ReadEncryptedData));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return req;
}

absl::StatusOr<Authenticator> ReadAuthenticator(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, ExpectApplicationSequence(r, kTagAuthenticator));
  Authenticator a;
  RETURN_IF_ERROR(ExpectIntField(seq, 0, kPvno, "authenticator-vno"));
  ASSIGN_OR_RETURN(a.crealm, Field<std::string>(seq, 1, ReadString));
  ASSIGN_OR_RETURN(a.cname, Field<PrincipalName>(seq, 2, ReadPrincipal));
  ASSIGN_OR_RETURN(a.cksum, OptField<Checksum>(seq, 3, ReadChecksum));
  ASSIGN_OR_RETURN(a.cusec, Field<int32_t>(seq, 4, ReadMicroseconds));
  ASSIGN_OR_RETURN(a.ctime, Field<int64_t>(seq, 5, ReadTime));
  ASSIGN_OR_RETURN(a.subkey, OptField<EncryptionKey>(seq, 6, ReadEncryptionKey));
  ASSIGN_OR_RETURN(a.seq_number, OptField<uint32_t>(seq, 7, ReadUint32));
  ASSIGN_OR_RETURN(a.authorization_data, OptField<Bytes>(seq, 8, ReadRawTlv));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return a;
}

}  // namespace

absl::StatusOr<std::vector<PaData>> ParseMethodData(ByteView der) {
  return ParseTop<std::vector<PaData>>(der, ReadPaDataList);
}
Bytes EncodeMethodData(const std::vector<PaData>& list) {
  return Encode([&](DerWriter& w) { WritePaDataList(w, list); });
}

absl::StatusOr<EncryptionKey> ParseEncryptionKey(ByteView der) {
  return ParseTop<EncryptionKey>(der, ReadEncryptionKey);
}
Bytes EncodeEncryptionKey(const EncryptionKey& key) {
  return Encode([&](DerWriter& w) { WriteEncryptionKey(w, key); });
}

absl::StatusOr<Ticket> ParseTicket(ByteView der) { return ParseTop<Ticket>(der, ReadTicket); }
Bytes EncodeTicket(const Ticket& ticket) {
  return Encode([&](DerWriter& w) { WriteTicket(w, ticket); });
}

absl::StatusOr<EncTicketPart> ParseEncTicketPart(ByteView der) {
  return ParseTop<EncTicketPart>(der, ReadEncTicketPart);
}
Bytes EncodeEncTicketPart(const EncTicketPart& part) {
  return Encode([&](DerWriter& w) { WriteEncTicketPart(w, part); });
}

absl::StatusOr<EncKdcRepPart> ParseEncKdcRepPart(ByteView der) {
  return ParseTop<EncKdcRepPart>(der, ReadEncKdcRepPart);
}
Bytes EncodeEncKdcRepPart(const EncKdcRepPart& part) {
  return Encode([&](DerWriter& w) { WriteEncKdcRepPart(w, part); });
}

absl::StatusOr<KdcRep> ParseKdcRep(ByteView der) { return ParseTop<KdcRep>(der, ReadKdcRep); }
Bytes EncodeKdcRep(const KdcRep& rep) {
  return Encode([&](DerWriter& w) {
    w.Application(rep.msg_type, [&](DerWriter& app) {
      app.Sequence([&](DerWriter& seq) {
        seq.Context(0, [&](DerWriter& f) { f.Integer(kPvno); });
        seq.Context(1, [&](DerWriter& f) { f.Integer(rep.msg_type); });
        if (rep.padata) seq.Context(2, [&](DerWriter& f) { WritePaDataList(f, *rep.padata); });
        seq.Context(3, [&](DerWriter& f) { f.GeneralString(rep.crealm); });
        seq.Context(4, [&](DerWriter& f) { WritePrincipal(f, rep.cname); });
        seq.Context(5, [&](DerWriter& f) { WriteTicket(f, rep.ticket); });
        seq.Context(6, [&](DerWriter& f) { WriteEncryptedData(f, rep.enc_part); });
      });
    });
  });
}

absl::StatusOr<ApReq> ParseApReq(ByteView der) { return ParseTop<ApReq>(der, ReadApReq); }
Bytes EncodeApReq(const ApReq& req) {
  return Encode([&](DerWriter& w) {
    w.Application(kMsgTypeApReq, [&](DerWriter& app) {
      app.Sequence([&](DerWriter& seq) {
        seq.Context(0, [&](DerWriter& f) { f.Integer(kPvno); });
        seq.Context(1, [&](DerWriter& f) { f.Integer(kMsgTypeApReq); });
        seq.Context(2, [&](DerWriter& f) { f.BitString32(req.ap_options); });
        seq.Context(3, [&](DerWriter& f) { WriteTicket(f, req.ticket); });
        seq.Context(4, [&](DerWriter& f) { WriteEncryptedData(f, req.authenticator); });
      });
    });
  });
}

absl::StatusOr<Authenticator> ParseAuthenticator(ByteView der) {
  return ParseTop<Authenticator>(der, ReadAuthenticator);
}
Bytes EncodeAuthenticator(const Authenticator& a) {
  return Encode([&](DerWriter& w) {
    w.Application(kTagAuthenticator, [&](DerWriter& app) {
      app.Sequence([&](DerWriter& seq) {
        seq.Context(0, [&](DerWriter& f) { f.Integer(kPvno); });
        seq.Context(1, [&](DerWriter& f) { f.GeneralString(a.crealm); });
        seq.Context(2, [&](DerWriter& f) { WritePrincipal(f, a.cname); });
        if (a.cksum) seq.Context(3, [&](DerWriter& f) { WriteChecksum(f, *a.cksum); });
        seq.Context(4, [&](DerWriter& f) { f.Integer(a.cusec); });
        seq.Context(5, [&](DerWriter& f) { f.KerberosTime(a.ctime); });
        if (a.subkey) seq.Context(6, [&](DerWriter& f) { WriteEncryptionKey(f, *a.subkey); });
        if (a.seq_number) seq.Context(7, [&](DerWriter& f) { f.Integer(*a.seq_number); });
        if (a.authorization_data) {
          seq.Context(8, [&](DerWriter& f) { WriteRawTlv(f, *a.authorization_data); });
        }
      });
    });
  });
}

}  // namespace trustsim::kerberos
