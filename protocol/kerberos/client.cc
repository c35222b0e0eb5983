// Copyright 2026 The trustsim Authors.

#include "protocol/kerberos/client.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "protocol/crypto/kerberos_checksum.h"
#include "protocol/crypto/kerberos_encryption.h"
#include "protocol/kerberos/der.h"
#include "protocol/kerberos/kdc.h"

namespace trustsim::kerberos {
namespace {

absl::StatusOr<Credentials> ReadEncPart(const KdcRep& rep, const crypto::KerberosKey& key,
                                        uint32_t usage, uint32_t nonce) {
  if (rep.enc_part.etype != static_cast<int32_t>(key.type)) {
    return absl::InvalidArgumentError(
        absl::StrCat("kerberos: reply encrypted with enctype ", rep.enc_part.etype));
  }
  ASSIGN_OR_RETURN(Bytes plain, crypto::KerberosDecrypt(key, usage, rep.enc_part.cipher));
  Credentials creds;
  ASSIGN_OR_RETURN(creds.part, ParseEncKdcRepPart(plain));
  if (creds.part.nonce != nonce) return absl::InvalidArgumentError("kerberos: nonce mismatch");
  ASSIGN_OR_RETURN(crypto::EncType type, crypto::EncTypeFromNumber(creds.part.key.keytype));
  ASSIGN_OR_RETURN(creds.session_key, crypto::KeyFromBytes(type, creds.part.key.keyvalue));
  creds.crealm = rep.crealm;
  creds.cname = rep.cname;
  creds.ticket = rep.ticket;
  return creds;
}

}  // namespace

absl::StatusOr<Bytes> BuildAsReq(const AsRequest& request, uint32_t nonce, int64_t now,
                                 const std::optional<crypto::KerberosKey>& preauth_key,
                                 RandomSource& rng) {
  KdcReq req;
  req.msg_type = kMsgTypeAsReq;
  KdcReqBody& b = req.req_body;
  b.kdc_options = kKdcOptForwardable | kKdcOptRenewableOk;
  b.cname = request.cname;
  b.realm = request.realm;
  b.sname = request.sname.value_or(KrbtgtName(request.realm));
  b.till = der::WholeSeconds(now) + request.lifetime_micros;
  b.nonce = nonce;
  b.etypes = request.etypes;
  std::vector<PaData> padata;
  if (preauth_key) {
    const int64_t seconds = der::WholeSeconds(now);
    PaEncTsEnc ts{seconds, static_cast<int32_t>(now - seconds)};
    ASSIGN_OR_RETURN(Bytes cipher,
                     crypto::KerberosEncrypt(*preauth_key, crypto::kUsageAsReqPaEncTimestamp,
                                             EncodePaEncTsEnc(ts), rng));
    padata.push_back(PaData{
        kPaEncTimestamp,
        EncodeEncryptedData({static_cast<int32_t>(preauth_key->type), std::nullopt, cipher})});
  }
  padata.push_back(PaData{kPaPacRequest, Bytes{0x30, 0x05, 0xa0, 0x03, 0x01, 0x01, 0xff}});
  req.padata = std::move(padata);
  return EncodeKdcReq(req);
}

absl::StatusOr<KdcReply> ParseKdcReply(ByteView reply) {
  der::DerReader top(reply);
  ASSIGN_OR_RETURN(der::Tag tag, top.PeekTag());
  KdcReply out;
  if (tag.tag_class == der::TagClass::kApplication &&
      tag.number == static_cast<uint32_t>(kMsgTypeKrbError)) {
    ASSIGN_OR_RETURN(out.error, ParseKrbError(reply));
  } else {
    ASSIGN_OR_RETURN(out.rep, ParseKdcRep(reply));
  }
  return out;
}

absl::StatusOr<EtypeInfo2Entry> PreferredEtypeInfo(const KrbError& error) {
  if (!error.e_data) return absl::NotFoundError("kerberos: KRB-ERROR without e-data");
  ASSIGN_OR_RETURN(std::vector<PaData> method_data, ParseMethodData(*error.e_data));
  for (const PaData& pa : method_data) {
    if (pa.type != kPaEtypeInfo2) continue;
    ASSIGN_OR_RETURN(EtypeInfo2 info, ParseEtypeInfo2(pa.value));
    return info.front();
  }
  return absl::NotFoundError("kerberos: no PA-ETYPE-INFO2");
}

absl::StatusOr<Credentials> DecryptAsRep(const KdcRep& rep, const crypto::KerberosKey& key,
                                         uint32_t nonce) {
  if (rep.msg_type != kMsgTypeAsRep) return absl::InvalidArgumentError("kerberos: not an AS-REP");
  return ReadEncPart(rep, key, crypto::kUsageAsRepEncPart, nonce);
}

absl::StatusOr<Bytes> BuildTgsReq(const Credentials& tgt, const PrincipalName& sname,
                                  const std::vector<int32_t>& etypes, uint32_t nonce, int64_t now,
                                  const std::optional<crypto::KerberosKey>& subkey,
                                  RandomSource& rng) {
  KdcReq req;
  req.msg_type = kMsgTypeTgsReq;
  KdcReqBody& b = req.req_body;
  b.kdc_options = kKdcOptForwardable | kKdcOptCanonicalize;
  b.realm = tgt.crealm;
  b.sname = sname;
  b.till = tgt.part.endtime;
  b.nonce = nonce;
  b.etypes = etypes;
  const Bytes body_der = EncodeKdcReqBody(b);

  Authenticator a;
  a.crealm = tgt.crealm;
  a.cname = tgt.cname;
  ASSIGN_OR_RETURN(Bytes sum,
                   crypto::KerberosChecksum(tgt.session_key,
                                            crypto::kUsageTgsReqAuthenticatorChecksum, body_der));
  a.cksum = Checksum{crypto::MandatoryChecksumType(tgt.session_key.type), std::move(sum)};
  const int64_t seconds = der::WholeSeconds(now);
  a.ctime = seconds;
  a.cusec = static_cast<int32_t>(now - seconds);
  if (subkey) a.subkey = EncryptionKey{static_cast<int32_t>(subkey->type), subkey->bytes};
  ASSIGN_OR_RETURN(Bytes auth_cipher,
                   crypto::KerberosEncrypt(tgt.session_key, crypto::kUsageTgsReqAuthenticator,
                                           EncodeAuthenticator(a), rng));
  ApReq ap;
  ap.ticket = tgt.ticket;
  ap.authenticator =
      EncryptedData{static_cast<int32_t>(tgt.session_key.type), std::nullopt, auth_cipher};
  req.padata = std::vector<PaData>{PaData{kPaTgsReq, EncodeApReq(ap)}};
  return EncodeKdcReq(req);
}

absl::StatusOr<Credentials> DecryptTgsRep(const KdcRep& rep, const Credentials& tgt,
                                          const std::optional<crypto::KerberosKey>& subkey,
                                          uint32_t nonce) {
  if (rep.msg_type != kMsgTypeTgsRep) return absl::InvalidArgumentError("kerberos: not a TGS-REP");
  if (subkey) return ReadEncPart(rep, *subkey, crypto::kUsageTgsRepEncPartSubkey, nonce);
  return ReadEncPart(rep, tgt.session_key, crypto::kUsageTgsRepEncPartSessionKey, nonce);
}

absl::StatusOr<EncTicketPart> DecryptTicket(const Ticket& ticket, const crypto::KerberosKey& key) {
  if (ticket.enc_part.etype != static_cast<int32_t>(key.type)) {
    return absl::InvalidArgumentError(
        absl::StrCat("kerberos: ticket encrypted with enctype ", ticket.enc_part.etype));
  }
  ASSIGN_OR_RETURN(Bytes plain,
                   crypto::KerberosDecrypt(key, crypto::kUsageTicket, ticket.enc_part.cipher));
  return ParseEncTicketPart(plain);
}

}  // namespace trustsim::kerberos
