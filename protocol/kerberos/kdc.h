// Copyright 2026 The trustsim Authors.
//
// kdc.h
// -----------------------------------------------------------------------------
//
// A Kerberos KDC (RFC 4120 §3.1, §3.3), sans I/O: request bytes and the DC's
// clock in, reply bytes out. Accounts come from a `KdcDatabase`, which the
// simulator implements over a simulated DC's replica and tests implement over
// a map. The same code answers simulated members (as bytes over the simulated
// network) and real clients (behind net/).
//
// Authentication service (AS-REQ):
//   * an unknown client is KDC_ERR_C_PRINCIPAL_UNKNOWN (6); a disabled or
//     locked-out account KDC_ERR_CLIENT_REVOKED (18), before pre-
//     authentication, as Windows logs it (4768 with 0x12);
//   * without PA-ENC-TIMESTAMP: KDC_ERR_PREAUTH_REQUIRED (25) whose e-data is
//     METHOD-DATA with PA-ETYPE-INFO2 (the AD salt) and PA-ENC-TIMESTAMP;
//   * PA-ENC-TIMESTAMP is decrypted with the account's current keys only. If
//     that fails, previous keys are tried only to say so in the event (Samba
//     and Heimdal do the same); the reply is KDC_ERR_PREAUTH_FAILED (24);
//   * then the timestamp is checked against the DC clock: KRB_AP_ERR_SKEW
//     (37) with stime/susec and no e-text (Heimdal clears it so Windows
//     clients retry with the KDC's time);
//   * success: a ticket for the requested server (normally krbtgt/REALM)
//     under its current key and kvno, and the enc-part under the client key
//     the client pre-authenticated with.
// Ticket-granting service (TGS-REQ):
//   * PA-TGS-REQ carries an AP-REQ with a TGT, which must be under the
//     current krbtgt key; the authenticator must decrypt, name the ticket's
//     client, carry a checksum over the request body and be within the skew;
//   * the service is found by SPN or account name; an unknown one is
//     KDC_ERR_S_PRINCIPAL_UNKNOWN (7), one held by two accounts
//     KDC_ERR_PRINCIPAL_NOT_UNIQUE (8) and an event;
//   * the ticket is under the service's current key and kvno; the enc-part
//     under the authenticator's subkey (usage 9) or the TGT session key (8).
// Malformed requests get KRB_ERR_GENERIC (60) with an e-text saying what was
// wrong; nothing reachable from the request bytes fails otherwise.
//
// Not implemented (each a KRB-ERROR, not a crash): renewal, validation and
// user-to-user (KDC_ERR_BADOPTION), FAST, PKINIT, and PACs (tickets carry no
// authorization data).
//
// Example:
//
//   Kdc kdc({.realm = "CORP.EXAMPLE.COM"}, database);
//   Bytes reply = kdc.Handle(request, dc_clock_micros, rng);

#ifndef TRUSTSIM_PROTOCOL_KERBEROS_KDC_H_
#define TRUSTSIM_PROTOCOL_KERBEROS_KDC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"
#include "base/random.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/kerberos/messages.h"

namespace trustsim::kerberos {

// Error codes (RFC 4120 §7.5.9) the KDC and its transports send.
enum KrbErrorCode : int32_t {
  kKdcErrCPrincipalUnknown = 6,
  kKdcErrSPrincipalUnknown = 7,
  kKdcErrPrincipalNotUnique = 8,
  kKdcErrBadOption = 13,
  kKdcErrEtypeNoSupp = 14,
  kKdcErrPadataTypeNoSupp = 16,
  kKdcErrClientRevoked = 18,
  kKdcErrPreauthFailed = 24,
  kKdcErrPreauthRequired = 25,
  kKrbApErrBadIntegrity = 31,
  kKrbApErrTktExpired = 32,
  kKrbApErrTktNotYetValid = 33,
  kKrbApErrNotUs = 35,
  kKrbApErrBadMatch = 36,
  kKrbApErrSkew = 37,
  kKrbApErrMsgType = 40,
  kKrbApErrModified = 41,
  kKrbApErrBadKeyVersion = 44,
  kKrbApErrInappCksum = 50,
  kKrbErrResponseTooBig = 52,
  kKrbErrGeneric = 60,
  kKrbErrFieldTooLong = 61,
  kKdcErrWrongRealm = 68,
};

// The RFC 4120 name of an error code ("KDC_ERR_PREAUTH_FAILED"), or "" if
// unknown.
const char* KrbErrorName(int32_t code);
// MIT's message for an error code (krb5_err.et), e.g. "Preauthentication
// failed", or "" if unknown.
const char* KrbErrorMessage(int32_t code);

// A principal as the database describes it to the KDC.
struct KdcPrincipal {
  // The database's own name for it, handed back to `CurrentKey`.
  std::string account;
  uint32_t kvno = 1;
  // The enctypes it has keys for, strongest first.
  std::vector<crypto::EncType> enctypes;
  // The AES string-to-key salt, sent in PA-ETYPE-INFO2.
  std::string salt;
  bool disabled = false;
  bool locked_out = false;
  // Added to the KDC's clock for everything this client sees and is checked
  // against. A real process standing in for a simulated member runs on the
  // host's clock; shifting the KDC's time by (host clock - member clock)
  // gives it the member's skew. Zero in the simulation itself.
  int64_t clock_shift_micros = 0;
};

// What happened, for the caller's logs and events (Windows 4768/4769/4771,
// KDC event 11).
struct KdcEvent {
  enum class Kind {
    kTgtIssued,            // AS exchange succeeded (4768 success)
    kAsFailed,             // AS exchange refused (4768/4771 failure), see error_code
    kServiceTicketIssued,  // TGS exchange succeeded (4769 success)
    kTgsFailed,            // TGS exchange refused (4769 failure)
    kDuplicateName,        // several accounts hold the service name (event 11)
  };
  Kind kind = Kind::kAsFailed;
  int32_t error_code = 0;
  std::string client;  // "WS01$@CORP.EXAMPLE.COM", if known
  std::string server;  // "krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM"
  // The pre-authentication decrypted with a previous key (kvno - 1 or older).
  bool historic_key_matched = false;
  // For KRB_AP_ERR_SKEW: client time - KDC time.
  int64_t skew_micros = 0;
  // For kDuplicateName: the accounts holding the name.
  std::vector<std::string> holders;
  std::string detail;
};

// The KDC's view of an account database.
class KdcDatabase {
 public:
  virtual ~KdcDatabase() = default;

  // Finds the client of an AS-REQ or of a TGT. `kNotFound` means unknown.
  virtual absl::StatusOr<KdcPrincipal> FindClient(const PrincipalName& name,
                                                  absl::string_view realm) = 0;
  // Finds a service: krbtgt/REALM, an SPN or an account name. `kNotFound`
  // means unknown; `kFailedPrecondition` means held by several accounts,
  // whose names `DuplicateHolders` then gives.
  virtual absl::StatusOr<KdcPrincipal> FindServer(const PrincipalName& name,
                                                  absl::string_view realm) = 0;
  virtual std::vector<std::string> DuplicateHolders(const PrincipalName& name) { return {}; }
  // The current long-term key of `principal` for `type`.
  virtual absl::StatusOr<crypto::KerberosKey> CurrentKey(const KdcPrincipal& principal,
                                                         crypto::EncType type) = 0;
  // Older keys, newest first, used only to classify a failed pre-
  // authentication; they never authenticate.
  virtual std::vector<crypto::KerberosKey> HistoricKeys(const KdcPrincipal& principal,
                                                        crypto::EncType type) {
    return {};
  }
  // Called once per request with what the KDC decided.
  virtual void OnKdcEvent(const KdcEvent& event) {}
};

struct KdcOptions {
  std::string realm;
  // Windows' "Maximum tolerance for computer clock synchronization" and MIT's
  // clockskew both default to 5 minutes.
  int64_t max_skew_micros = int64_t{300} * 1000000;
  // Windows' "Maximum lifetime for user ticket" (10 hours) and "for user
  // ticket renewal" (7 days).
  int64_t max_ticket_lifetime_micros = int64_t{10} * 3600 * 1000000;
  int64_t max_renew_micros = int64_t{7} * 24 * 3600 * 1000000;
};

class Kdc {
 public:
  Kdc(KdcOptions options, KdcDatabase& database);

  const KdcOptions& options() const { return options_; }

  // Answers one request: an AS-REP, a TGS-REP or a KRB-ERROR. `now_micros` is
  // the DC's clock (microseconds since the Unix epoch); `rng` supplies
  // session keys and confounders.
  Bytes Handle(ByteView request, int64_t now_micros, RandomSource& rng);

  // A bare KRB-ERROR from this KDC, for transports (KRB_ERR_FIELD_TOOLONG,
  // KRB_ERR_RESPONSE_TOO_BIG).
  Bytes ErrorReply(int32_t error_code, int64_t now_micros) const;

 private:
  struct Request;
  Bytes HandleAs(Request& request);
  Bytes HandleTgs(Request& request);
  Bytes Error(const Request& request, int32_t code, std::optional<std::string> e_text = {},
              std::optional<Bytes> e_data = {}) const;

  KdcOptions options_;
  KdcDatabase& db_;
};

// Formats "name/instance@REALM".
std::string FormatPrincipal(const PrincipalName& name, absl::string_view realm);

// The krbtgt/REALM service name.
PrincipalName KrbtgtName(absl::string_view realm);

}  // namespace trustsim::kerberos

#endif  // TRUSTSIM_PROTOCOL_KERBEROS_KDC_H_
