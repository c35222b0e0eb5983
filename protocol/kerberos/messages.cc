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

namespace trustsim::kerberos {
namespace {

using der::DerReader;
using der::DerWriter;

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("kerberos: ", what));
}

// Reads the required field [n] of `seq` with `read`, which must consume the
// whole field.
template <typename T, typename Read>
absl::StatusOr<T> Field(DerReader& seq, uint32_t n, Read read) {
  ASSIGN_OR_RETURN(DerReader f, seq.ExpectContext(n));
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

absl::StatusOr<int32_t> ReadInt32(DerReader& r) { return r.ReadInt32(); }
absl::StatusOr<uint32_t> ReadUint32(DerReader& r) { return r.ReadUint32(); }
absl::StatusOr<int64_t> ReadTime(DerReader& r) { return r.ReadKerberosTime(); }
absl::StatusOr<std::string> ReadString(DerReader& r) { return r.ReadGeneralString(); }

absl::StatusOr<Bytes> ReadOctets(DerReader& r) {
  ASSIGN_OR_RETURN(ByteView v, r.ReadOctetString());
  return Bytes(v.begin(), v.end());
}

absl::StatusOr<int32_t> ReadMicroseconds(DerReader& r) {
  ASSIGN_OR_RETURN(int32_t us, r.ReadInt32());
  if (us < 0 || us > 999999) return Malformed(absl::StrCat("microseconds out of range: ", us));
  return us;
}

absl::StatusOr<int32_t> ReadExact(DerReader& r, int32_t want, const char* what) {
  ASSIGN_OR_RETURN(int32_t v, r.ReadInt32());
  if (v != want) return Malformed(absl::StrCat(what, " is ", v, ", want ", want));
  return v;
}

// One TLV of any tag, re-encoded (DER is canonical, so the bytes are the
// input's) and checked for well-formedness within the remaining depth.
absl::StatusOr<Bytes> ReadRawTlv(DerReader& r) {
  ASSIGN_OR_RETURN(der::Tlv tlv, r.ReadAny());
  DerWriter w;
  w.WriteTlv(tlv.tag, tlv.value);
  Bytes raw = std::move(w).Take();
  RETURN_IF_ERROR(der::ValidateDer(raw, der::kDefaultMaxDepth - r.depth()));
  return raw;
}

void WriteRawTlv(DerWriter& w, ByteView raw) {
  DerReader r(raw);
  absl::StatusOr<der::Tlv> tlv = r.ReadAny();
  if (tlv.ok()) w.WriteTlv(tlv->tag, tlv->value);
}

// --- PrincipalName ---------------------------------------------------------

absl::StatusOr<PrincipalName> ReadPrincipal(DerReader& r) {
  ASSIGN_OR_RETURN(DerReader seq, r.ExpectSequence());
  PrincipalName name;
  ASSIGN_OR_RETURN(name.name_type, Field<int32_t>(seq, 0, ReadInt32));
  ASSIGN_OR_RETURN(DerReader f, seq.ExpectContext(1));
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

// Parses a whole message with `read`, rejecting trailing bytes.
template <typename T, typename Read>
absl::StatusOr<T> ParseTop(ByteView der, Read read) {
  DerReader top(der);
  ASSIGN_OR_RETURN(T value, read(top));
  RETURN_IF_ERROR(top.ExpectEnd());
  return value;
}

template <typename Write>
Bytes Encode(Write write) {
  DerWriter w;
  write(w);
  return std::move(w).Take();
}

}  // namespace

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

absl::StatusOr<AsReq> ParseAsReq(ByteView der) {
  DerReader top(der);
  ASSIGN_OR_RETURN(DerReader app, top.ExpectApplication(kMsgTypeAsReq));
  RETURN_IF_ERROR(top.ExpectEnd());
  ASSIGN_OR_RETURN(DerReader seq, app.ExpectSequence());
  RETURN_IF_ERROR(app.ExpectEnd());
  AsReq req;
  RETURN_IF_ERROR(
      Field<int32_t>(seq, 1, [](DerReader& f) { return ReadExact(f, kPvno, "pvno"); }).status());
  RETURN_IF_ERROR(Field<int32_t>(seq, 2, [](DerReader& f) {
                    return ReadExact(f, kMsgTypeAsReq, "msg-type");
                  }).status());
  ASSIGN_OR_RETURN(req.padata, OptField<std::vector<PaData>>(seq, 3, ReadPaDataList));
  // req-body: keep its exact bytes, then parse them.
  ASSIGN_OR_RETURN(DerReader body_field, seq.ExpectContext(4));
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
  ASSIGN_OR_RETURN(req.req_body, ReadKdcReqBody(body_top));
  RETURN_IF_ERROR(body_top.ExpectEnd());
  RETURN_IF_ERROR(seq.ExpectEnd());
  return req;
}

Bytes EncodeAsReq(const AsReq& req) {
  return Encode([&](DerWriter& w) {
    w.Application(kMsgTypeAsReq, [&](DerWriter& app) {
      app.Sequence([&](DerWriter& seq) {
        seq.Context(1, [&](DerWriter& f) { f.Integer(kPvno); });
        seq.Context(2, [&](DerWriter& f) { f.Integer(kMsgTypeAsReq); });
        if (req.padata) {
          seq.Context(3, [&](DerWriter& f) {
            f.Sequence([&](DerWriter& list) {
              for (const PaData& pa : *req.padata) WritePaData(list, pa);
            });
          });
        }
        seq.Context(4, [&](DerWriter& f) { WriteKdcReqBody(f, req.req_body); });
      });
    });
  });
}

absl::StatusOr<KrbError> ParseKrbError(ByteView der) {
  DerReader top(der);
  ASSIGN_OR_RETURN(DerReader app, top.ExpectApplication(kMsgTypeKrbError));
  RETURN_IF_ERROR(top.ExpectEnd());
  ASSIGN_OR_RETURN(DerReader seq, app.ExpectSequence());
  RETURN_IF_ERROR(app.ExpectEnd());
  KrbError e;
  RETURN_IF_ERROR(
      Field<int32_t>(seq, 0, [](DerReader& f) { return ReadExact(f, kPvno, "pvno"); }).status());
  RETURN_IF_ERROR(Field<int32_t>(seq, 1, [](DerReader& f) {
                    return ReadExact(f, kMsgTypeKrbError, "msg-type");
                  }).status());
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
