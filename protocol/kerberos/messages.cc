// Copyright 2026 The trustsim Authors.

#include "protocol/kerberos/messages.h"

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

namespace trustsim::kerberos {
namespace internal {
// --- PrincipalName ---------------------------------------------------------

absl::StatusOr<PrincipalName> ReadPrincipal(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  PrincipalName name;
  ASSIGN_OR_RETURN(name.name_type, Field<int32_t>(seq, 0, ReadInt32));
  ASSIGN_OR_RETURN(DerReader f, internal::ExpectField(seq, 1));
  ASSIGN_OR_RETURN(DerReader strings, f.ExpectSequence());
  while (!strings.empty()) {
    ASSIGN_OR_RETURN(std::string s, strings.ReadGeneralString());
    name.name_string.push_back(std::move(s));
  }
  RETURN_IF_ERROR(f.ExpectEnd());
  RETURN_IF_ERROR(seq.ExpectEnd());
  return name;
}

void WritePrincipal(DerWriter& w, const PrincipalName& name) {
  w.Sequence([&](DerWriter& seq) {
    seq.Context(0, [&](DerWriter& f) { f.Integer(name.name_type); });
    seq.Context(1, [&](DerWriter& f) {
      f.Sequence([&](DerWriter& s) {
        for (const std::string& part : name.name_string) s.GeneralString(part);
      });
    });
  });
}

// --- EncryptedData -----------------------------------------------------------

absl::StatusOr<EncryptedData> ReadEncryptedData(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  EncryptedData data;
  ASSIGN_OR_RETURN(data.etype, Field<int32_t>(seq, 0, ReadInt32));
  ASSIGN_OR_RETURN(data.kvno, OptField<uint32_t>(seq, 1, ReadUint32));
  ASSIGN_OR_RETURN(data.cipher, Field<Bytes>(seq, 2, ReadOctets));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return data;
}

void WriteEncryptedData(DerWriter& w, const EncryptedData& data) {
  w.Sequence([&](DerWriter& seq) {
    seq.Context(0, [&](DerWriter& f) { f.Integer(data.etype); });
    if (data.kvno) seq.Context(1, [&](DerWriter& f) { f.Integer(*data.kvno); });
    seq.Context(2, [&](DerWriter& f) { f.OctetString(data.cipher); });
  });
}

// --- PA-DATA -------------------------------------------------------------------

absl::StatusOr<PaData> ReadPaData(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  PaData pa;
  ASSIGN_OR_RETURN(pa.type, Field<int32_t>(seq, 1, ReadInt32));
  ASSIGN_OR_RETURN(pa.value, Field<Bytes>(seq, 2, ReadOctets));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return pa;
}

void WritePaData(DerWriter& w, const PaData& pa) {
  w.Sequence([&](DerWriter& seq) {
    seq.Context(1, [&](DerWriter& f) { f.Integer(pa.type); });
    seq.Context(2, [&](DerWriter& f) { f.OctetString(pa.value); });
  });
}

absl::StatusOr<std::vector<PaData>> ReadPaDataList(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  std::vector<PaData> list;
  while (!seq.empty()) {
    ASSIGN_OR_RETURN(PaData pa, ReadPaData(seq));
    list.push_back(std::move(pa));
  }
  return list;
}

void WritePaDataList(DerWriter& w, const std::vector<PaData>& list) {
  w.Sequence([&](DerWriter& seq) {
    for (const PaData& pa : list) WritePaData(seq, pa);
  });
}

// --- PA-ENC-TS-ENC -------------------------------------------------------------

absl::StatusOr<PaEncTsEnc> ReadPaEncTsEnc(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  PaEncTsEnc ts;
  ASSIGN_OR_RETURN(ts.patimestamp_micros, Field<int64_t>(seq, 0, ReadTime));
  ASSIGN_OR_RETURN(ts.pausec, OptField<int32_t>(seq, 1, ReadMicroseconds));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return ts;
}

// --- ETYPE-INFO2 -----------------------------------------------------------------

absl::StatusOr<EtypeInfo2Entry> ReadEtypeInfo2Entry(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  EtypeInfo2Entry e;
  ASSIGN_OR_RETURN(e.etype, Field<int32_t>(seq, 0, ReadInt32));
  ASSIGN_OR_RETURN(e.salt, OptField<std::string>(seq, 1, ReadString));
  ASSIGN_OR_RETURN(e.s2kparams, OptField<Bytes>(seq, 2, ReadOctets));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return e;
}

// --- KDC-REQ-BODY ------------------------------------------------------------------

absl::StatusOr<std::vector<int32_t>> ReadEtypeList(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  std::vector<int32_t> etypes;
  while (!seq.empty()) {
    ASSIGN_OR_RETURN(int32_t e, seq.ReadInt32());
    etypes.push_back(e);
  }
  if (etypes.empty()) return Malformed("empty etype list");
  return etypes;
}

absl::StatusOr<KdcReqBody> ReadKdcReqBody(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  KdcReqBody b;
  ASSIGN_OR_RETURN(b.kdc_options,
                   Field<uint32_t>(seq, 0, [](DerReader& f) { return f.ReadBitString(); }));
  ASSIGN_OR_RETURN(b.cname, OptField<PrincipalName>(seq, 1, ReadPrincipal));
  ASSIGN_OR_RETURN(b.realm, Field<std::string>(seq, 2, ReadString));
  ASSIGN_OR_RETURN(b.sname, OptField<PrincipalName>(seq, 3, ReadPrincipal));
  ASSIGN_OR_RETURN(b.from, OptField<int64_t>(seq, 4, ReadTime));
  ASSIGN_OR_RETURN(b.till, OptField<int64_t>(seq, 5, ReadTime));
  ASSIGN_OR_RETURN(b.rtime, OptField<int64_t>(seq, 6, ReadTime));
  ASSIGN_OR_RETURN(b.nonce, Field<uint32_t>(seq, 7, ReadUint32));
  ASSIGN_OR_RETURN(b.etypes, Field<std::vector<int32_t>>(seq, 8, ReadEtypeList));
  ASSIGN_OR_RETURN(b.addresses, OptField<Bytes>(seq, 9, ReadRawTlv));
  ASSIGN_OR_RETURN(b.enc_authorization_data, OptField<Bytes>(seq, 10, ReadRawTlv));
  ASSIGN_OR_RETURN(b.additional_tickets, OptField<Bytes>(seq, 11, ReadRawTlv));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return b;
}

void WriteKdcReqBody(DerWriter& w, const KdcReqBody& b) {
  w.Sequence([&](DerWriter& seq) {
    seq.Context(0, [&](DerWriter& f) { f.BitString32(b.kdc_options); });
    if (b.cname) seq.Context(1, [&](DerWriter& f) { WritePrincipal(f, *b.cname); });
    seq.Context(2, [&](DerWriter& f) { f.GeneralString(b.realm); });
    if (b.sname) seq.Context(3, [&](DerWriter& f) { WritePrincipal(f, *b.sname); });
    if (b.from) seq.Context(4, [&](DerWriter& f) { f.KerberosTime(*b.from); });
    if (b.till) seq.Context(5, [&](DerWriter& f) { f.KerberosTime(*b.till); });
    if (b.rtime) seq.Context(6, [&](DerWriter& f) { f.KerberosTime(*b.rtime); });
    seq.Context(7, [&](DerWriter& f) { f.Integer(b.nonce); });
    seq.Context(8, [&](DerWriter& f) {
      f.Sequence([&](DerWriter& s) {
        for (int32_t e : b.etypes) s.Integer(e);
      });
    });
    if (b.addresses) seq.Context(9, [&](DerWriter& f) { WriteRawTlv(f, *b.addresses); });
    if (b.enc_authorization_data) {
      seq.Context(10, [&](DerWriter& f) { WriteRawTlv(f, *b.enc_authorization_data); });
    }
    if (b.additional_tickets) {
      seq.Context(11, [&](DerWriter& f) { WriteRawTlv(f, *b.additional_tickets); });
    }
  });
}

}  // namespace internal

using der::DerReader;
using der::DerWriter;
using internal::Encode;
using internal::ExpectIntField;
using internal::Field;
using internal::Malformed;
using internal::OptField;
using internal::ParseTop;
using internal::ReadEncryptedData;
using internal::ReadEtypeInfo2Entry;
using internal::ReadInt32;
using internal::ReadMicroseconds;
using internal::ReadOctets;
using internal::ReadPaData;
using internal::ReadPaDataList;
using internal::ReadPaEncTsEnc;
using internal::ReadPrincipal;
using internal::ReadString;
using internal::ReadTime;
using internal::WriteEncryptedData;
using internal::WritePaData;
using internal::WritePaDataList;
using internal::WritePrincipal;

absl::StatusOr<PrincipalName> ParsePrincipalName(ByteView der) {
  return ParseTop<PrincipalName>(der, ReadPrincipal);
}
Bytes EncodePrincipalName(const PrincipalName& name) {
  return Encode([&](DerWriter& w) { WritePrincipal(w, name); });
}

absl::StatusOr<EncryptedData> ParseEncryptedData(ByteView der) {
  return ParseTop<EncryptedData>(der, ReadEncryptedData);
}
Bytes EncodeEncryptedData(const EncryptedData& data) {
  return Encode([&](DerWriter& w) { WriteEncryptedData(w, data); });
}

absl::StatusOr<PaData> ParsePaData(ByteView der) { return ParseTop<PaData>(der, ReadPaData); }
Bytes EncodePaData(const PaData& pa) {
  return Encode([&](DerWriter& w) { WritePaData(w, pa); });
}

absl::StatusOr<PaEncTsEnc> ParsePaEncTsEnc(ByteView der) {
  return ParseTop<PaEncTsEnc>(der, ReadPaEncTsEnc);
}
Bytes EncodePaEncTsEnc(const PaEncTsEnc& ts) {
  return Encode([&](DerWriter& w) {
    w.Sequence([&](DerWriter& seq) {
      seq.Context(0, [&](DerWriter& f) { f.KerberosTime(ts.patimestamp_micros); });
      if (ts.pausec) seq.Context(1, [&](DerWriter& f) { f.Integer(*ts.pausec); });
    });
  });
}

absl::StatusOr<EtypeInfo2> ParseEtypeInfo2(ByteView der) {
  return ParseTop<EtypeInfo2>(der, [](DerReader& r) -> absl::StatusOr<EtypeInfo2> {
    ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
    EtypeInfo2 info;
    while (!seq.empty()) {
      ASSIGN_OR_RETURN(EtypeInfo2Entry e, ReadEtypeInfo2Entry(seq));
      info.push_back(std::move(e));
    }
    if (info.empty()) return Malformed("empty ETYPE-INFO2");
    return info;
  });
}
Bytes EncodeEtypeInfo2(const EtypeInfo2& info) {
  return Encode([&](DerWriter& w) {
    w.Sequence([&](DerWriter& list) {
      for (const EtypeInfo2Entry& e : info) {
        list.Sequence([&](DerWriter& seq) {
          seq.Context(0, [&](DerWriter& f) { f.Integer(e.etype); });
          if (e.salt) seq.Context(1, [&](DerWriter& f) { f.GeneralString(*e.salt); });
          if (e.s2kparams) seq.Context(2, [&](DerWriter& f) { f.OctetString(*e.s2kparams); });
        });
      }
    });
  });
}

namespace {

absl::StatusOr<KdcReq> ParseKdcReqOfType(ByteView der, int32_t msg_type) {
  DerReader top(der);
  ASSIGN_OR_RETURN(DerReader seq, internal::ExpectApplicationSequence(top, msg_type));
  RETURN_IF_ERROR(top.ExpectEnd());
  KdcReq req;
  req.msg_type = msg_type;
  RETURN_IF_ERROR(ExpectIntField(seq, 1, kPvno, "pvno"));
  RETURN_IF_ERROR(ExpectIntField(seq, 2, msg_type, "msg-type"));
  ASSIGN_OR_RETURN(req.padata, OptField<std::vector<PaData>>(seq, 3, ReadPaDataList));
  // req-body: keep its exact bytes, then parse them.
  ASSIGN_OR_RETURN(DerReader body_field, internal::ExpectField(seq, 4));
  ASSIGN_OR_RETURN(der::Tlv body_tlv, body_field.ReadAny());
  RETURN_IF_ERROR(body_field.ExpectEnd());
  if (body_tlv.tag != der::Tag{der::TagClass::kUniversal, true, der::kTagSequence}) {
    return Malformed(absl::StrCat("req-body is ", der::FormatTag(body_tlv.tag)));
  }
  {
    DerWriter w;
    w.WriteTlv(body_tlv.tag, body_tlv.value);
    req.req_body_der = std::move(w).Take();
  }
  DerReader body_top(req.req_body_der, der::kDefaultMaxDepth - body_field.depth());
  ASSIGN_OR_RETURN(req.req_body, internal::ReadKdcReqBody(body_top));
  RETURN_IF_ERROR(body_top.ExpectEnd());
  RETURN_IF_ERROR(seq.ExpectEnd());
  return req;
}

}  // namespace

absl::StatusOr<KdcReq> ParseKdcReq(ByteView der) {
  DerReader top(der);
  ASSIGN_OR_RETURN(der::Tag tag, top.PeekTag());
  if (tag.tag_class == der::TagClass::kApplication && tag.number == kMsgTypeTgsReq) {
    return ParseKdcReqOfType(der, kMsgTypeTgsReq);
  }
  return ParseKdcReqOfType(der, kMsgTypeAsReq);
}

absl::StatusOr<KdcReq> ParseAsReq(ByteView der) { return ParseKdcReqOfType(der, kMsgTypeAsReq); }

absl::StatusOr<KdcReq> ParseTgsReq(ByteView der) { return ParseKdcReqOfType(der, kMsgTypeTgsReq); }

Bytes EncodeKdcReqBody(const KdcReqBody& body) {
  return Encode([&](DerWriter& w) { internal::WriteKdcReqBody(w, body); });
}

Bytes EncodeKdcReq(const KdcReq& req) {
  return Encode([&](DerWriter& w) {
    w.Application(req.msg_type, [&](DerWriter& app) {
      app.Sequence([&](DerWriter& seq) {
        seq.Context(1, [&](DerWriter& f) { f.Integer(kPvno); });
        seq.Context(2, [&](DerWriter& f) { f.Integer(req.msg_type); });
        if (req.padata) {
          seq.Context(3, [&](DerWriter& f) { WritePaDataList(f, *req.padata); });
        }
        seq.Context(4, [&](DerWriter& f) { internal::WriteKdcReqBody(f, req.req_body); });
      });
    });
  });
}

Bytes EncodeAsReq(const AsReq& req) {
  KdcReq copy = req;
  copy.msg_type = kMsgTypeAsReq;
  return EncodeKdcReq(copy);
}

absl::StatusOr<KrbError> ParseKrbError(ByteView der) {
  DerReader top(der);
  ASSIGN_OR_RETURN(DerReader seq, internal::ExpectApplicationSequence(top, kMsgTypeKrbError));
  RETURN_IF_ERROR(top.ExpectEnd());
  KrbError e;
  RETURN_IF_ERROR(ExpectIntField(seq, 0, kPvno, "pvno"));
  RETURN_IF_ERROR(ExpectIntField(seq, 1, kMsgTypeKrbError, "msg-type"));
  ASSIGN_OR_RETURN(e.ctime, OptField<int64_t>(seq, 2, ReadTime));
  ASSIGN_OR_RETURN(e.cusec, OptField<int32_t>(seq, 3, ReadMicroseconds));
  ASSIGN_OR_RETURN(e.stime, Field<int64_t>(seq, 4, ReadTime));
  ASSIGN_OR_RETURN(e.susec, Field<int32_t>(seq, 5, ReadMicroseconds));
  ASSIGN_OR_RETURN(e.error_code, Field<int32_t>(seq, 6, ReadInt32));
  ASSIGN_OR_RETURN(e.crealm, OptField<std::string>(seq, 7, ReadString));
  ASSIGN_OR_RETURN(e.cname, OptField<PrincipalName>(seq, 8, ReadPrincipal));
  ASSIGN_OR_RETURN(e.realm, Field<std::string>(seq, 9, ReadString));
  ASSIGN_OR_RETURN(e.sname, Field<PrincipalName>(seq, 10, ReadPrincipal));
  ASSIGN_OR_RETURN(e.e_text, OptField<std::string>(seq, 11, ReadString));
  ASSIGN_OR_RETURN(e.e_data, OptField<Bytes>(seq, 12, ReadOctets));
  RETURN_IF_ERROR(seq.ExpectEnd());
  return e;
}

Bytes EncodeKrbError(const KrbError& e) {
  return Encode([&](DerWriter& w) {
    w.Application(kMsgTypeKrbError, [&](DerWriter& app) {
      app.Sequence([&](DerWriter& seq) {
        seq.Context(0, [&](DerWriter& f) { f.Integer(kPvno); });
        seq.Context(1, [&](DerWriter& f) { f.Integer(kMsgTypeKrbError); });
        if (e.ctime) seq.Context(2, [&](DerWriter& f) { f.KerberosTime(*e.ctime); });
        if (e.cusec) seq.Context(3, [&](DerWriter& f) { f.Integer(*e.cusec); });
        seq.Context(4, [&](DerWriter& f) { f.KerberosTime(e.stime); });
        seq.Context(5, [&](DerWriter& f) { f.Integer(e.susec); });
        seq.Context(6, [&](DerWriter& f) { f.Integer(e.error_code); });
        if (e.crealm) seq.Context(7, [&](DerWriter& f) { f.GeneralString(*e.crealm); });
        if (e.cname) seq.Context(8, [&](DerWriter& f) { WritePrincipal(f, *e.cname); });
        seq.Context(9, [&](DerWriter& f) { f.GeneralString(e.realm); });
        seq.Context(10, [&](DerWriter& f) { WritePrincipal(f, e.sname); });
        if (e.e_text) seq.Context(11, [&](DerWriter& f) { f.GeneralString(*e.e_text); });
        if (e.e_data) seq.Context(12, [&](DerWriter& f) { f.OctetString(*e.e_data); });
      });
    });
  });
}

}  // namespace trustsim::kerberos
