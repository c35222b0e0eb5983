// Copyright 2026 The trustsim Authors.
//
// client.h
// -----------------------------------------------------------------------------
//
// The client side of the AS and TGS exchanges, sans I/O: builds requests and
// reads replies. Simulated members use it to log on through the KDC as bytes,
// and the load generator in bench/ to drive real sockets. Time and randomness
// are passed in, as everywhere in protocol/.
//
// Example (an AS exchange with pre-authentication):
//
//   AsRequest as{.cname = {kNtPrincipal, {"WS01$"}}, .realm = "CORP.EXAMPLE.COM"};
//   Bytes first = BuildAsReq(as, nonce, now, std::nullopt, rng).value();
//   ... send, receive `reply` ...
//   ASSIGN_OR_RETURN(KdcReply r, ParseKdcReply(reply));
//   // r.error->error_code == 25: read the salt, derive the key, ask again.
//   ASSIGN_OR_RETURN(EtypeInfo2Entry info, PreferredEtypeInfo(*r.error));
//   Bytes second = BuildAsReq(as, nonce, now, key, rng).value();
//   ...
//   ASSIGN_OR_RETURN(Credentials tgt, DecryptAsRep(*r.rep, key, nonce));

#ifndef TRUSTSIM_PROTOCOL_KERBEROS_CLIENT_H_
#define TRUSTSIM_PROTOCOL_KERBEROS_CLIENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "base/random.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/kerberos/messages.h"

namespace trustsim::kerberos {

struct AsRequest {
  PrincipalName cname;
  std::string realm;
  // The service; krbtgt/REALM when empty.
  std::optional<PrincipalName> sname;
  // In order of preference: aes256, aes128, rc4-hmac by default.
  std::vector<int32_t> etypes = {18, 17, 23};
  int64_t lifetime_micros = int64_t{10} * 3600 * 1000000;
};

// A ticket and what the client needs to use it.
struct Credentials {
  std::string crealm;
  PrincipalName cname;
  Ticket ticket;
  crypto::KerberosKey session_key;
  EncKdcRepPart part;
};

// A KDC's reply: exactly one of the two is set.
struct KdcReply {
  std::optional<KrbError> error;
  std::optional<KdcRep> rep;
};

// Builds an AS-REQ. With `preauth_key`, it carries PA-ENC-TIMESTAMP for `now`
// under that key.
absl::StatusOr<Bytes> BuildAsReq(const AsRequest& request, uint32_t nonce, int64_t now,
                                 const std::optional<crypto::KerberosKey>& preauth_key,
                                 RandomSource& rng);

// Parses a reply as a KRB-ERROR, AS-REP or TGS-REP.
absl::StatusOr<KdcReply> ParseKdcReply(ByteView reply);

// The first PA-ETYPE-INFO2 entry of a KDC_ERR_PREAUTH_REQUIRED error's
// METHOD-DATA, which names the enctype and salt the KDC wants.
absl::StatusOr<EtypeInfo2Entry> PreferredEtypeInfo(const KrbError& error);

// Decrypts an AS-REP's enc-part with the client's key and checks the nonce.
absl::StatusOr<Credentials> DecryptAsRep(const KdcRep& rep, const crypto::KerberosKey& key,
                                         uint32_t nonce);

// Builds a TGS-REQ for `sname` with `tgt`: an AP-REQ whose authenticator
// carries a checksum over the body and, if `subkey` is given, that subkey.
absl::StatusOr<Bytes> BuildTgsReq(const Credentials& tgt, const PrincipalName& sname,
                                  const std::vector<int32_t>& etypes, uint32_t nonce, int64_t now,
                                  const std::optional<crypto::KerberosKey>& subkey,
                                  RandomSource& rng);

// Decrypts a TGS-REP's enc-part with the subkey (if one was sent) or the
// TGT's session key, and checks the nonce.
absl::StatusOr<Credentials> DecryptTgsRep(const KdcRep& rep, const Credentials& tgt,
                                          const std::optional<crypto::KerberosKey>& subkey,
                                          uint32_t nonce);

// Decrypts a service ticket with the service's long-term key, as the service
// does when it receives an AP-REQ.
absl::StatusOr<EncTicketPart> DecryptTicket(const Ticket& ticket, const crypto::KerberosKey& key);

}  // namespace trustsim::kerberos

#endif  // TRUSTSIM_PROTOCOL_KERBEROS_CLIENT_H_
