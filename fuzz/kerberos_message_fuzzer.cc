// Copyright 2026 The trustsim Authors.
//
// kerberos_message_fuzzer.cc
// -----------------------------------------------------------------------------
//
// Fuzzes every Kerberos message codec in protocol/kerberos/messages.h and the
// reply parsing of protocol/kerberos/client.h. The first input byte picks one
// check (fuzz/check_selector.h, KerberosCheck) and the rest is the message;
// whatever parses is encoded again and parsed again. Invariants, each an
// abort() when broken:
//
//   * a parse error is kOutOfRange, kInvalidArgument or kUnimplemented;
//   * DER is canonical and the parsers are strict, so re-encoding a successful
//     parse gives back the input byte for byte, and parsing that gives an
//     equal value (KdcReq has no operator==: its fields and its re-encodings
//     are compared instead; `req_body_der` must be the body's encoding);
//   * ParseKdcReq agrees with ParseAsReq / ParseTgsReq on the message type;
//     ParseKdcReply agrees with ParseKrbError / ParseKdcRep;
//   * PreferredEtypeInfo, on a parsed KRB-ERROR and on the input as a
//     KRB-ERROR's e-data, returns the first ETYPE-INFO2 entry it finds.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "fuzz/check_selector.h"
#include "fuzz/fuzz_check.h"
#include "protocol/kerberos/client.h"
#include "protocol/kerberos/messages.h"

namespace trustsim::kerberos {
namespace {

using fuzz::CheckParseError;
using fuzz::CheckRoundTrip;
using fuzz::Fail;
using fuzz::FailBytes;
using fuzz::KerberosCheck;
using fuzz::SameBytes;

// The fields of a KdcReq that carry meaning.
bool SameKdcReq(const KdcReq& a, const KdcReq& b) {
  return a.msg_type == b.msg_type && a.padata == b.padata && a.req_body == b.req_body &&
         a.req_body_der == b.req_body_der;
}

void CheckKdcReq(ByteView input) {
  absl::StatusOr<KdcReq> req = ParseKdcReq(input);
  absl::StatusOr<KdcReq> as = ParseAsReq(input);
  absl::StatusOr<KdcReq> tgs = ParseTgsReq(input);
  if (!as.ok()) CheckParseError("ParseAsReq", as.status());
  if (!tgs.ok()) CheckParseError("ParseTgsReq", tgs.status());
  if (as.ok() && tgs.ok()) Fail("KdcReq", "both an AS-REQ and a TGS-REQ");
  if (!req.ok()) {
    CheckParseError("ParseKdcReq", req.status());
    if (as.ok() || tgs.ok()) Fail("ParseKdcReq", "refuses what ParseAsReq/ParseTgsReq accepts");
    return;
  }
  if (req->msg_type != kMsgTypeAsReq && req->msg_type != kMsgTypeTgsReq) {
    Fail("ParseKdcReq", "msg_type " + std::to_string(req->msg_type));
  }
  const absl::StatusOr<KdcReq>& same = req->msg_type == kMsgTypeAsReq ? as : tgs;
  if (!same.ok() || !SameKdcReq(*same, *req)) {
    Fail("ParseKdcReq", "disagrees with ParseAsReq/ParseTgsReq");
  }

  // The body's exact bytes are its encoding (DER is canonical).
  const Bytes body = EncodeKdcReqBody(req->req_body);
  if (!SameBytes(body, req->req_body_der)) {
    FailBytes("KdcReq", "req_body_der is not the body's encoding", req->req_body_der, body);
  }
  const Bytes encoded = EncodeKdcReq(*req);
  if (!SameBytes(encoded, input)) {
    FailBytes("KdcReq", "re-encoding a successful parse changed the bytes", input, encoded);
  }
  absl::StatusOr<KdcReq> again = ParseKdcReq(encoded);
  if (!again.ok()) Fail("KdcReq", "the re-encoding does not parse: " + again.status().ToString());
  if (!SameKdcReq(*again, *req)) Fail("KdcReq", "the re-encoding parses to a different value");
  if (!SameBytes(EncodeKdcReq(*again), encoded)) Fail("KdcReq", "re-encodings differ");

  // EncodeAsReq is EncodeKdcReq with the AS-REQ message type.
  const Bytes as_encoded = EncodeAsReq(*req);
  absl::StatusOr<KdcReq> as_again = ParseAsReq(as_encoded);
  if (!as_again.ok() || as_again->req_body != req->req_body || as_again->padata != req->padata) {
    Fail("EncodeAsReq", "does not round-trip");
  }
}

void CheckPreferredEtypeInfo(const KrbError& error) {
  absl::StatusOr<EtypeInfo2Entry> preferred = PreferredEtypeInfo(error);
  // What it should find: the first PA-ETYPE-INFO2 of the METHOD-DATA.
  std::optional<absl::StatusOr<EtypeInfo2Entry>> expected;
  if (error.e_data) {
    absl::StatusOr<std::vector<PaData>> method_data = ParseMethodData(*error.e_data);
    if (!method_data.ok()) {
      expected = method_data.status();
    } else {
      for (const PaData& pa : *method_data) {
        if (pa.type != kPaEtypeInfo2) continue;
        absl::StatusOr<EtypeInfo2> info = ParseEtypeInfo2(pa.value);
        if (info.ok()) {
          if (info->empty()) Fail("ParseEtypeInfo2", "returned an empty list");
          expected = info->front();
        } else {
          expected = info.status();
        }
        break;
      }
    }
  }
  if (!expected.has_value()) {
    if (preferred.ok() || preferred.status().code() != absl::StatusCode::kNotFound) {
      Fail("PreferredEtypeInfo", "found an entry where there is none");
    }
    return;
  }
  if (preferred.ok() != expected->ok()) {
    Fail("PreferredEtypeInfo", "disagrees with ParseMethodData/ParseEtypeInfo2");
  }
  if (preferred.ok() && !(*preferred == **expected)) {
    Fail("PreferredEtypeInfo", "returned another entry than the first");
  }
}

void CheckReplies(ByteView input) {
  absl::StatusOr<KrbError> error = ParseKrbError(input);
  absl::StatusOr<KdcRep> rep = ParseKdcRep(input);
  absl::StatusOr<KdcReply> reply = ParseKdcReply(input);
  if (!reply.ok()) {
    CheckParseError("ParseKdcReply", reply.status());
    if (error.ok() || rep.ok()) Fail("ParseKdcReply", "refuses a KRB-ERROR or KDC-REP");
  } else {
    if (reply->error.has_value() == reply->rep.has_value()) {
      Fail("ParseKdcReply", "must set exactly one of error and rep");
    }
    if (reply->error && (!error.ok() || !(*reply->error == *error))) {
      Fail("ParseKdcReply", "disagrees with ParseKrbError");
    }
    if (reply->rep && (!rep.ok() || !(*reply->rep == *rep))) {
      Fail("ParseKdcReply", "disagrees with ParseKdcRep");
    }
  }
  if (error.ok()) CheckPreferredEtypeInfo(*error);
  if (rep.ok() && rep->msg_type != kMsgTypeAsRep && rep->msg_type != kMsgTypeTgsRep) {
    Fail("ParseKdcRep", "msg_type " + std::to_string(rep->msg_type));
  }

  // The input as the e-data of a KDC_ERR_PREAUTH_REQUIRED error.
  KrbError wrapper;
  wrapper.error_code = 25;
  wrapper.e_data = Bytes(input.begin(), input.end());
  CheckPreferredEtypeInfo(wrapper);
}

// Runs the check the first input byte picked on the rest of the input.
void RunCheck(KerberosCheck check, ByteView input) {
  switch (check) {
    case KerberosCheck::kKdcReq:
      CheckKdcReq(input);
      break;
    case KerberosCheck::kKdcReply:
      CheckReplies(input);
      CheckRoundTrip("KdcRep", input, ParseKdcRep, EncodeKdcRep);
      CheckRoundTrip("KrbError", input, ParseKrbError, EncodeKrbError);
      break;
    case KerberosCheck::kApReq:
      CheckRoundTrip("ApReq", input, ParseApReq, EncodeApReq);
      break;
    case KerberosCheck::kAuthenticator:
      CheckRoundTrip("Authenticator", input, ParseAuthenticator, EncodeAuthenticator);
      break;
    case KerberosCheck::kTicket:
      CheckRoundTrip("Ticket", input, ParseTicket, EncodeTicket);
      break;
    case KerberosCheck::kEncTicketPart:
      CheckRoundTrip("EncTicketPart", input, ParseEncTicketPart, EncodeEncTicketPart);
      break;
    case KerberosCheck::kEncKdcRepPart:
      CheckRoundTrip("EncKdcRepPart", input, ParseEncKdcRepPart, EncodeEncKdcRepPart);
      break;
    case KerberosCheck::kEncryptionKey:
      CheckRoundTrip("EncryptionKey", input, ParseEncryptionKey, EncodeEncryptionKey);
      break;
    case KerberosCheck::kPaEncTsEnc:
      CheckRoundTrip("PaEncTsEnc", input, ParsePaEncTsEnc, EncodePaEncTsEnc);
      break;
    case KerberosCheck::kEtypeInfo2:
      CheckRoundTrip("EtypeInfo2", input, ParseEtypeInfo2, EncodeEtypeInfo2);
      break;
    case KerberosCheck::kMethodData:
      CheckRoundTrip("MethodData", input, ParseMethodData, EncodeMethodData);
      break;
    case KerberosCheck::kEncryptedData:
      CheckRoundTrip("EncryptedData", input, ParseEncryptedData, EncodeEncryptedData);
      break;
    case KerberosCheck::kPrincipalName:
      CheckRoundTrip("PrincipalName", input, ParsePrincipalName, EncodePrincipalName);
      break;
    case KerberosCheck::kPaData:
      CheckRoundTrip("PaData", input, ParsePaData, EncodePaData);
      break;
    case KerberosCheck::kCount:
      break;
  }
}

}  // namespace
}  // namespace trustsim::kerberos

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto check = trustsim::fuzz::PickCheck<trustsim::fuzz::KerberosCheck>(data[0]);
  trustsim::kerberos::RunCheck(check, trustsim::ByteView(data + 1, size - 1));
  return 0;
}
