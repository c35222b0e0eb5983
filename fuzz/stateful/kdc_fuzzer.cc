// Copyright 2026 The trustsim Authors.
//
// kdc_fuzzer.cc
// -----------------------------------------------------------------------------
//
// A stateful fuzz target for the KDC (protocol/kerberos/kdc.h). The input is a
// tape of choices read with FuzzedDataProvider; each choice is one step:
//
//   * an AS-REQ built by the real client (BuildAsReq) for a client, realm,
//     service and enctype list picked from small sets, pre-authenticated with
//     the client's current key, a historic key, another account's key, a
//     random key or nothing, at a client time inside or outside the skew;
//   * a hand-built AS-REQ whose PA-ENC-TIMESTAMP plaintext is fuzzed (or
//     crafted) and encrypted under the right key, with fuzzed KDC options,
//     till and rtime, and several PA-ENC-TIMESTAMPs;
//   * a TGS-REQ built by the real client (BuildTgsReq) with a ticket the
//     honest client legitimately holds (a TGT or a service ticket), with or
//     without a subkey, at a client time inside or outside the skew;
//   * a TGS-REQ with a forged TGT (under a random key, the previous krbtgt
//     key or a service key), a legitimate TGT with a flipped byte, a
//     rewritten sname or the wrong session key, an authenticator naming
//     someone else, a fuzzed authenticator plaintext under the right session
//     key, a body changed after its checksum, or a legitimate one with fuzzed
//     options, till and rtime;
//   * raw fuzzed bytes, a mutated copy of an earlier request, or a verbatim
//     replay of one;
//   * time passing (forwards or backwards), key rotation of a client or of
//     krbtgt, disabling / locking accounts and shifting a client's clock.
//
// Keys are random (KeyFromBytes from a SeededRandom seeded by the input), so
// no string-to-key runs. Every reply is checked:
//
//   * it parses (ParseKdcReply) as a KRB-ERROR for our realm or a KDC-REP of
//     the request's kind, and the database saw one event that agrees with it;
//   * an AS-REP only ever answers an AS-REQ whose (last) PA-ENC-TIMESTAMP
//     decrypts with the client's *current* key and is within the skew of the
//     KDC's clock (plus the client's clock shift), for an enabled client; its
//     enc-part is under that key and its ticket under the service's current
//     key, naming the client;
//   * a TGS-REP only ever answers a TGS-REQ whose TGT is one the KDC itself
//     issued and that decrypts under the current krbtgt key, whose
//     authenticator decrypts under that TGT's session key, names the TGT's
//     client and is within the skew, for an enabled client;
//   * for the requests the honest client builds, the model also predicts the
//     outcome exactly (the reply or the error code), and a reply must decrypt
//     with what the client holds (DecryptAsRep / DecryptTgsRep).
//
// Input layout: integers come from the end of the input, byte strings from
// the front. Each choice is one byte except the 4-byte seed and the fuzzed
// times, flags and nonces, so the seeds in corpus/kdc_fuzzer/ are mostly the
// reversed sequence of choices. With TRUSTSIM_FUZZ_TRACE set, every request's
// outcome goes to stderr.

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/bytes.h"
#include "base/random.h"
#include "fuzz/fuzz_check.h"
#include "protocol/crypto/kerberos_checksum.h"
#include "protocol/crypto/kerberos_encryption.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/kerberos/client.h"
#include "protocol/kerberos/der.h"
#include "protocol/kerberos/kdc.h"
#include "protocol/kerberos/messages.h"

namespace trustsim::kerberos {
namespace {

using crypto::EncType;
using crypto::KerberosKey;

[[noreturn]] void Violation(const std::string& what) { fuzz::Fail("kdc", what); }

// With TRUSTSIM_FUZZ_TRACE set in the environment, every request's outcome is
// printed to stderr (to read what a reproducer does).
bool Tracing() {
  static const bool tracing = std::getenv("TRUSTSIM_FUZZ_TRACE") != nullptr;
  return tracing;
}

void Trace(const std::string& line) {
  if (Tracing()) std::fprintf(stderr, "  %s\n", line.c_str());
}

#define INVARIANT(cond, ...)                                          \
  do {                                                                \
    if (!(cond)) Violation(absl::StrCat(#cond, " -- ", __VA_ARGS__)); \
  } while (0)

constexpr char kRealm[] = "CORP.EXAMPLE.COM";
constexpr int64_t kSecond = 1000000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
// 2026-01-05 08:00:00.123456Z.
constexpr int64_t kStart = int64_t{1767600000} * kSecond + 123456;

int64_t WholeSeconds(int64_t micros) { return micros - ((micros % kSecond) + kSecond) % kSecond; }

// -----------------------------------------------------------------------------
// The tape
// -----------------------------------------------------------------------------

class Tape {
 public:
  Tape(const uint8_t* data, size_t size) : fdp_(data, size) {}

  bool empty() { return fdp_.remaining_bytes() == 0; }
  size_t Pick(size_t n) { return n <= 1 ? 0 : fdp_.ConsumeIntegralInRange<size_t>(0, n - 1); }
  bool Bool() { return fdp_.ConsumeBool(); }
  uint8_t U8() { return fdp_.ConsumeIntegral<uint8_t>(); }
  uint16_t U16() { return fdp_.ConsumeIntegral<uint16_t>(); }
  uint32_t U32() { return fdp_.ConsumeIntegral<uint32_t>(); }
  int64_t I64() { return fdp_.ConsumeIntegral<int64_t>(); }
  Bytes Raw(size_t max) {
    const size_t n = fdp_.ConsumeIntegralInRange<size_t>(0, max);
    return fdp_.ConsumeBytes<uint8_t>(n);
  }

 private:
  FuzzedDataProvider fdp_;
};

// -----------------------------------------------------------------------------
// The database
// -----------------------------------------------------------------------------

KerberosKey RandomKey(EncType type, RandomSource& rng) {
  Bytes b(crypto::KeyLength(type));
  rng.Fill(absl::MakeSpan(b));
  return crypto::KeyFromBytes(type, b).value();
}

class Database final : public KdcDatabase {
 public:
  struct Account {
    KdcPrincipal principal;
    std::map<EncType, KerberosKey> keys;
    std::vector<KerberosKey> historic;  // newest first
    std::vector<std::string> spns;      // lower case
  };

  explicit Database(RandomSource& rng) : rng_(rng) {
    Add("krbtgt", 2, {EncType::kAes256CtsHmacSha196, EncType::kRc4Hmac}, {});
    Add("WS01$", 3,
        {EncType::kAes256CtsHmacSha196, EncType::kAes128CtsHmacSha196, EncType::kRc4Hmac},
        {"host/ws01", "host/ws01.corp.example.com"});
    Add("WS02$", 1, {EncType::kRc4Hmac}, {"host/ws02"});
    Add("USER1", 5, {EncType::kAes256CtsHmacSha196}, {});
    Add("FS01$", 7, {EncType::kAes256CtsHmacSha196, EncType::kRc4Hmac}, {"cifs/fs01"});
    Add("DUP1$", 1, {EncType::kAes128CtsHmacSha196}, {"http/dup"});
    Add("DUP2$", 1, {EncType::kAes128CtsHmacSha196}, {"http/dup"});
    Add("DIS$", 1, {EncType::kAes256CtsHmacSha196}, {"host/dis"}).principal.disabled = true;
  }

  Account& Add(const std::string& name, uint32_t kvno, std::vector<EncType> types,
               std::vector<std::string> spns) {
    Account a;
    a.principal.account = name;
    a.principal.kvno = kvno;
    a.principal.enctypes = types;
    a.principal.salt = crypto::AdComputerSalt(kRealm, name);
    for (EncType t : types) a.keys[t] = RandomKey(t, rng_);
    a.spns = std::move(spns);
    return accounts_[name] = std::move(a);
  }

  Account& account(const std::string& name) { return accounts_.at(name); }

  // Rotates every key of `name`: kvno + 1, the old keys become historic.
  void Rotate(const std::string& name) {
    Account& a = accounts_.at(name);
    ++a.principal.kvno;
    for (auto& [type, key] : a.keys) {
      a.historic.insert(a.historic.begin(), key);
      key = RandomKey(type, rng_);
    }
    if (a.historic.size() > 6) a.historic.resize(6);
  }

  // Lookups, shared by the KDC and the model.
  const Account* Client(const PrincipalName& name) const {
    if (name.name_string.size() != 1) return nullptr;
    auto it = accounts_.find(absl::AsciiStrToUpper(name.name_string[0]));
    if (it == accounts_.end() || it->first == "krbtgt") return nullptr;
    return &it->second;
  }
  // nullptr: unknown; `duplicate` set when several accounts hold the name.
  const Account* Server(const PrincipalName& name, bool& duplicate) const {
    duplicate = false;
    if (name.name_string.size() == 2 && name.name_string[0] == "krbtgt" &&
        absl::EqualsIgnoreCase(name.name_string[1], kRealm)) {
      return &accounts_.at("krbtgt");
    }
    const std::string spn = absl::AsciiStrToLower(absl::StrJoin(name.name_string, "/"));
    std::vector<const Account*> holders;
    for (const auto& [key, a] : accounts_) {
      if (std::find(a.spns.begin(), a.spns.end(), spn) != a.spns.end()) holders.push_back(&a);
    }
    if (holders.size() > 1) {
      duplicate = true;
      return nullptr;
    }
    if (holders.size() == 1) return holders.front();
    if (name.name_string.size() == 1) return Client(name);
    return nullptr;
  }
  static bool IsKrbtgt(const Account* a) {
    return a != nullptr && a->principal.account == "krbtgt";
  }

  std::vector<std::string> Holders(const PrincipalName& name) const {
    const std::string spn = absl::AsciiStrToLower(absl::StrJoin(name.name_string, "/"));
    std::vector<std::string> out;
    for (const auto& [key, a] : accounts_) {
      if (std::find(a.spns.begin(), a.spns.end(), spn) != a.spns.end()) out.push_back(key);
    }
    return out;
  }

  // KdcDatabase.
  absl::StatusOr<KdcPrincipal> FindClient(const PrincipalName& name,
                                          absl::string_view realm) override {
    const Account* a = Client(name);
    if (a == nullptr) return absl::NotFoundError("no such client");
    return a->principal;
  }
  absl::StatusOr<KdcPrincipal> FindServer(const PrincipalName& name,
                                          absl::string_view realm) override {
    bool duplicate = false;
    const Account* a = Server(name, duplicate);
    if (duplicate) return absl::FailedPreconditionError("duplicate");
    if (a == nullptr) return absl::NotFoundError("no such server");
    return a->principal;
  }
  std::vector<std::string> DuplicateHolders(const PrincipalName& name) override {
    return Holders(name);
  }
  absl::StatusOr<KerberosKey> CurrentKey(const KdcPrincipal& principal, EncType type) override {
    auto it = accounts_.find(principal.account);
    if (it == accounts_.end()) return absl::NotFoundError("no account");
    auto key = it->second.keys.find(type);
    if (key == it->second.keys.end()) return absl::NotFoundError("no key");
    return key->second;
  }
  std::vector<KerberosKey> HistoricKeys(const KdcPrincipal& principal, EncType type) override {
    std::vector<KerberosKey> out;
    for (const KerberosKey& k : accounts_.at(principal.account).historic) {
      if (k.type == type) out.push_back(k);
    }
    return out;
  }
  void OnKdcEvent(const KdcEvent& event) override { events.push_back(event); }

  std::vector<KdcEvent> events;

 private:
  RandomSource& rng_;
  std::map<std::string, Account> accounts_;
};

// -----------------------------------------------------------------------------
// The harness
// -----------------------------------------------------------------------------

// Something the honest client holds.
struct Held {
  Credentials creds;
  std::optional<KerberosKey> used_key;  // the AS key or TGS subkey the reply was under
};

// What the model predicts for a request the honest client built.
struct Prediction {
  bool rep = false;
  int32_t error = 0;
};

std::string Describe(const KdcReply& r) {
  if (r.error) {
    return absl::StrCat("KRB-ERROR ", r.error->error_code, " (", KrbErrorName(r.error->error_code),
                        ") ", r.error->e_text.value_or(""));
  }
  return absl::StrCat("KDC-REP msg_type ", r.rep->msg_type);
}

std::optional<EncType> ChooseEnctype(const std::vector<int32_t>& requested, const KdcPrincipal& p) {
  for (int32_t n : requested) {
    absl::StatusOr<EncType> t = crypto::EncTypeFromNumber(n);
    if (t.ok() && std::find(p.enctypes.begin(), p.enctypes.end(), *t) != p.enctypes.end()) {
      return *t;
    }
  }
  return std::nullopt;
}

class Harness {
 public:
  explicit Harness(Tape& tape)
      : t_(tape), rng_(tape.U32()), db_(rng_), kdc_(ReadOptions(tape), db_) {}

  void Run();

 private:
  static KdcOptions ReadOptions(Tape& t) {
    KdcOptions o;
    o.realm = kRealm;
    constexpr int64_t kSkews[] = {5 * kMinute, 5 * kMinute, kSecond, 0};
    o.max_skew_micros = kSkews[t.Pick(4)];
    if (t.Pick(4) == 0) o.max_ticket_lifetime_micros = kHour;
    return o;
  }

  const KdcOptions& options() const { return kdc_.options(); }

  // --- choices ---------------------------------------------------------------

  std::string PickClientName() {
    constexpr const char* kNames[] = {"WS01$", "WS01$", "ws01$",  "WS02$", "USER1",
                                      "FS01$", "DIS$",  "GHOST$", "krbtgt"};
    return kNames[t_.Pick(9)];
  }

  PrincipalName PickService() {
    switch (t_.Pick(12)) {
      case 0:
      case 1:
      case 2:
        return KrbtgtName(kRealm);
      case 3:
        return PrincipalName{kNtSrvInst, {"krbtgt", "corp.example.com"}};
      case 4:
        return PrincipalName{kNtSrvInst, {"krbtgt", "OTHER.REALM"}};
      case 5:
        return PrincipalName{kNtSrvHst, {"cifs", "fs01"}};
      case 6:
        return PrincipalName{kNtSrvHst, {"host", "ws01"}};
      case 7:
        return PrincipalName{kNtSrvHst, {"HOST", "WS02"}};
      case 8:
        return PrincipalName{kNtSrvHst, {"http", "dup"}};
      case 9:
        return PrincipalName{kNtSrvHst, {"host", "dis"}};
      case 10:
        return PrincipalName{kNtPrincipal, {"FS01$"}};
      default:
        return PrincipalName{kNtSrvHst, {"host", "nowhere"}};
    }
  }

  std::vector<int32_t> PickEtypes() {
    switch (t_.Pick(8)) {
      case 0:
      case 1:
      case 2:
        return {18, 17, 23};
      case 3:
        return {23};
      case 4:
        return {17};
      case 5:
        return {23, 18};
      case 6:
        return {3, 1};  // DES only
      default:
        return {static_cast<int32_t>(t_.U8()), 18};
    }
  }

  // A client clock relative to the DC's, around the skew boundary.
  int64_t PickClientTime(int64_t base) {
    const int64_t skew = options().max_skew_micros;
    switch (t_.Pick(10)) {
      case 0:
      case 1:
      case 2:
      case 3:
        return base;
      case 4:
        return base + (static_cast<int64_t>(t_.U16()) - 32768) * 1000;
      case 5:
        return base + skew;
      case 6:
        return base - skew;
      case 7:
        return base + (t_.Bool() ? skew + 1 : -skew - 1);
      case 8:
        return base + (t_.Bool() ? 1 : -1) * (skew + kSecond * (1 + t_.Pick(256)));
      default:
        return base + static_cast<int64_t>(static_cast<int32_t>(t_.U32())) * kSecond;
    }
  }

  // --- sending and the oracle ---------------------------------------------

  int64_t ShiftOf(const PrincipalName& cname) const {
    const Database::Account* a = db_.Client(cname);
    return a ? a->principal.clock_shift_micros : 0;
  }

  bool WithinSkew(int64_t client_time, const PrincipalName& cname) const {
    const int64_t skew = client_time - (now_ + ShiftOf(cname));
    return skew <= options().max_skew_micros && -skew <= options().max_skew_micros;
  }

  // Sends `request` and checks the reply whatever it was; returns it parsed.
  KdcReply Send(const Bytes& request) {
    const size_t events_before = db_.events.size();
    const Bytes reply = kdc_.Handle(request, now_, rng_);
    absl::StatusOr<KdcReply> parsed = ParseKdcReply(reply);
    INVARIANT(parsed.ok(), "the KDC's reply does not parse: ", parsed.status().ToString(),
              " reply ", ToHex(reply));
    if (history_.size() < 32) history_.push_back(request);
    Trace(absl::StrCat("request of ", request.size(), " bytes at ", now_, " -> ",
                       parsed->error ? absl::StrCat("error ", parsed->error->error_code)
                                     : absl::StrCat("rep ", parsed->rep->msg_type)));

    // What kind of request the KDC saw.
    der::DerReader top(request);
    absl::StatusOr<der::Tag> tag = top.PeekTag();
    const bool is_as = tag.ok() && tag->tag_class == der::TagClass::kApplication &&
                       tag->number == static_cast<uint32_t>(kMsgTypeAsReq);
    const bool is_tgs = tag.ok() && tag->tag_class == der::TagClass::kApplication &&
                        tag->number == static_cast<uint32_t>(kMsgTypeTgsReq);
    std::optional<KdcReq> req;
    if (is_as || is_tgs) {
      absl::StatusOr<KdcReq> r = is_tgs ? ParseTgsReq(request) : ParseAsReq(request);
      if (r.ok()) req = *std::move(r);
    }
    const size_t new_events = db_.events.size() - events_before;

    if (parsed->error) {
      const KrbError& e = *parsed->error;
      INVARIANT(e.realm == kRealm, "KRB-ERROR for realm ", e.realm);
      INVARIANT(e.error_code != 0, "KRB-ERROR with code 0");
      INVARIANT(e.susec >= 0 && e.susec < 1000000, "susec ", e.susec);
      if (req) {
        INVARIANT(new_events >= 1, "no event for a refused request");
        const KdcEvent& ev = db_.events.back();
        INVARIANT(ev.error_code == e.error_code, "event code ", ev.error_code, " reply code ",
                  e.error_code);
        INVARIANT(ev.kind == (is_as ? KdcEvent::Kind::kAsFailed : KdcEvent::Kind::kTgsFailed),
                  "event kind for an error");
      } else {
        INVARIANT(new_events == 0, "event for a request that does not parse");
      }
      return *parsed;
    }

    // A KDC-REP: was it earned?
    const KdcRep& rep = *parsed->rep;
    INVARIANT(req.has_value(), "KDC-REP for a request that does not parse");
    INVARIANT(new_events >= 1, "no event for a reply");
    if (rep.msg_type == kMsgTypeAsRep) {
      INVARIANT(is_as, "AS-REP for a TGS-REQ");
      INVARIANT(db_.events.back().kind == KdcEvent::Kind::kTgtIssued, "AS-REP event kind");
      CheckAsRepEarned(*req, rep);
    } else {
      INVARIANT(rep.msg_type == kMsgTypeTgsRep, "KDC-REP msg_type ", rep.msg_type);
      INVARIANT(is_tgs, "TGS-REP for an AS-REQ");
      INVARIANT(db_.events.back().kind == KdcEvent::Kind::kServiceTicketIssued,
                "TGS-REP event kind");
      CheckTgsRepEarned(*req, rep);
    }
    return *parsed;
  }

  // The ticket in `rep` is under the current key of the service the request
  // named and names `cname`; TGTs are remembered as issued by the KDC.
  void CheckTicket(const KdcReq& req, const KdcRep& rep, const PrincipalName& cname) {
    INVARIANT(req.req_body.sname.has_value(), "reply to a request without sname");
    bool duplicate = false;
    const Database::Account* server = db_.Server(*req.req_body.sname, duplicate);
    INVARIANT(server != nullptr, "ticket for an unknown or duplicate service");
    INVARIANT(
        !server->principal.disabled || Database::IsKrbtgt(server) || rep.msg_type == kMsgTypeAsRep,
        "service ticket for a disabled service");
    const KerberosKey& key = server->keys.at(server->principal.enctypes.front());
    INVARIANT(rep.ticket.enc_part.kvno == server->principal.kvno, "ticket kvno");
    absl::StatusOr<EncTicketPart> part = DecryptTicket(rep.ticket, key);
    INVARIANT(part.ok(), "ticket not under the service's current key: ", part.status().ToString());
    INVARIANT(part->cname == cname, "ticket names another client");
    INVARIANT(part->endtime > part->starttime.value_or(part->authtime), "ticket times");
    if (Database::IsKrbtgt(server)) issued_tgts_.insert(rep.ticket.enc_part.cipher);
  }

  void CheckAsRepEarned(const KdcReq& req, const KdcRep& rep) {
    const KdcReqBody& body = req.req_body;
    INVARIANT(absl::EqualsIgnoreCase(body.realm, kRealm), "AS-REP for another realm");
    INVARIANT(body.cname.has_value(), "AS-REP without cname");
    const Database::Account* client = db_.Client(*body.cname);
    INVARIANT(client != nullptr, "AS-REP for an unknown client");
    INVARIANT(!client->principal.disabled && !client->principal.locked_out,
              "AS-REP for a disabled or locked-out client");
    // The last PA-ENC-TIMESTAMP, as the KDC reads it.
    const PaData* enc_ts = nullptr;
    if (req.padata) {
      for (const PaData& pa : *req.padata) {
        if (pa.type == kPaEncTimestamp) enc_ts = &pa;
      }
    }
    INVARIANT(enc_ts != nullptr, "AS-REP without PA-ENC-TIMESTAMP");
    absl::StatusOr<EncryptedData> enc = ParseEncryptedData(enc_ts->value);
    INVARIANT(enc.ok(), "AS-REP for a malformed PA-ENC-TIMESTAMP");
    absl::StatusOr<EncType> type = crypto::EncTypeFromNumber(enc->etype);
    INVARIANT(type.ok() && client->keys.contains(*type), "AS-REP: timestamp etype ", enc->etype);
    const KerberosKey& key = client->keys.at(*type);
    absl::StatusOr<Bytes> plain =
        crypto::KerberosDecrypt(key, crypto::kUsageAsReqPaEncTimestamp, enc->cipher);
    INVARIANT(plain.ok(), "AS-REP, but the timestamp is not under the client's current key");
    absl::StatusOr<PaEncTsEnc> ts = ParsePaEncTsEnc(*plain);
    INVARIANT(ts.ok(), "AS-REP for a malformed PA-ENC-TS-ENC");
    const int64_t client_time = ts->patimestamp_micros + ts->pausec.value_or(0);
    INVARIANT(WithinSkew(client_time, *body.cname),
              "AS-REP for a timestamp outside the skew: ", client_time - now_);
    // The enc-part is under that key, for this request.
    absl::StatusOr<Credentials> creds = DecryptAsRep(rep, key, body.nonce);
    INVARIANT(creds.ok(), "AS-REP enc-part: ", creds.status().ToString());
    INVARIANT(rep.cname == *body.cname, "AS-REP cname");
    CheckTicket(req, rep, *body.cname);
  }

  void CheckTgsRepEarned(const KdcReq& req, const KdcRep& rep) {
    const PaData* tgs_pa = nullptr;
    if (req.padata) {
      for (const PaData& pa : *req.padata) {
        if (pa.type == kPaTgsReq) tgs_pa = &pa;
      }
    }
    INVARIANT(tgs_pa != nullptr, "TGS-REP without PA-TGS-REQ");
    absl::StatusOr<ApReq> ap = ParseApReq(tgs_pa->value);
    INVARIANT(ap.ok(), "TGS-REP for a malformed AP-REQ");
    INVARIANT(issued_tgts_.contains(ap->ticket.enc_part.cipher),
              "TGS-REP for a TGT the KDC never issued");
    const Database::Account& krbtgt = db_.account("krbtgt");
    absl::StatusOr<EncType> type = crypto::EncTypeFromNumber(ap->ticket.enc_part.etype);
    INVARIANT(type.ok() && krbtgt.keys.contains(*type), "TGT etype");
    absl::StatusOr<EncTicketPart> tgt = DecryptTicket(ap->ticket, krbtgt.keys.at(*type));
    INVARIANT(tgt.ok(), "TGS-REP for a TGT not under the current krbtgt key");
    const Database::Account* client = db_.Client(tgt->cname);
    INVARIANT(client != nullptr && !client->principal.disabled && !client->principal.locked_out,
              "TGS-REP for an unknown, disabled or locked-out client");
    absl::StatusOr<EncType> session_type = crypto::EncTypeFromNumber(tgt->key.keytype);
    INVARIANT(session_type.ok(), "TGT session key type ", tgt->key.keytype);
    absl::StatusOr<KerberosKey> session = crypto::KeyFromBytes(*session_type, tgt->key.keyvalue);
    INVARIANT(session.ok(), "TGT session key");
    absl::StatusOr<Bytes> auth_plain = crypto::KerberosDecrypt(
        *session, crypto::kUsageTgsReqAuthenticator, ap->authenticator.cipher);
    INVARIANT(auth_plain.ok(), "TGS-REP, but the authenticator is not under the session key");
    absl::StatusOr<Authenticator> auth = ParseAuthenticator(*auth_plain);
    INVARIANT(auth.ok(), "TGS-REP for a malformed authenticator");
    INVARIANT(auth->cname == tgt->cname && absl::EqualsIgnoreCase(auth->crealm, tgt->crealm),
              "TGS-REP for an authenticator naming someone else");
    INVARIANT(WithinSkew(auth->ctime + auth->cusec, tgt->cname),
              "TGS-REP for an authenticator outside the skew");
    INVARIANT(auth->cksum.has_value(), "TGS-REP without a body checksum");
    INVARIANT(crypto::VerifyKerberosChecksum(*session, crypto::kUsageTgsReqAuthenticatorChecksum,
                                             auth->cksum->cksumtype, req.req_body_der,
                                             auth->cksum->checksum)
                  .ok(),
              "TGS-REP for a body the checksum does not cover");
    // The enc-part is under the subkey or the session key.
    Credentials as_tgt;
    as_tgt.session_key = *session;
    std::optional<KerberosKey> subkey;
    if (auth->subkey) {
      absl::StatusOr<EncType> subkey_type = crypto::EncTypeFromNumber(auth->subkey->keytype);
      INVARIANT(subkey_type.ok(), "TGS-REP for a subkey of type ", auth->subkey->keytype);
      absl::StatusOr<KerberosKey> k = crypto::KeyFromBytes(*subkey_type, auth->subkey->keyvalue);
      INVARIANT(k.ok(), "TGS-REP for an unusable subkey");
      subkey = *k;
    }
    absl::StatusOr<Credentials> creds = DecryptTgsRep(rep, as_tgt, subkey, req.req_body.nonce);
    INVARIANT(creds.ok(), "TGS-REP enc-part: ", creds.status().ToString());
    INVARIANT(rep.cname == tgt->cname, "TGS-REP cname");
    CheckTicket(req, rep, tgt->cname);
  }

  // --- the model's predictions for honest requests --------------------------

  Prediction PredictAs(const AsRequest& as, const std::optional<KerberosKey>& key,
                       int64_t client_time) {
    auto error = [](int32_t code) { return Prediction{false, code}; };
    if (!absl::EqualsIgnoreCase(as.realm, kRealm)) return error(kKdcErrWrongRealm);
    const Database::Account* client = db_.Client(as.cname);
    if (client == nullptr) return error(kKdcErrCPrincipalUnknown);
    if (client->principal.disabled || client->principal.locked_out) {
      return error(kKdcErrClientRevoked);
    }
    bool duplicate = false;
    const Database::Account* server =
        db_.Server(as.sname.value_or(KrbtgtName(as.realm)), duplicate);
    if (duplicate) return error(kKdcErrPrincipalNotUnique);
    if (server == nullptr) return error(kKdcErrSPrincipalUnknown);
    if (!ChooseEnctype(as.etypes, client->principal)) return error(kKdcErrEtypeNoSupp);
    if (!key) return error(kKdcErrPreauthRequired);
    auto current = client->keys.find(key->type);
    if (current == client->keys.end()) return error(kKdcErrEtypeNoSupp);
    if (!(current->second == *key)) return error(kKdcErrPreauthFailed);
    if (!WithinSkew(client_time, as.cname)) return error(kKrbApErrSkew);
    const int64_t start = WholeSeconds(now_ + client->principal.clock_shift_micros);
    const int64_t till = WholeSeconds(client_time) + as.lifetime_micros;
    const int64_t end =
        std::min(start + options().max_ticket_lifetime_micros, till != 0 ? till : INT64_MAX);
    if (end <= start) return error(11);  // KDC_ERR_NEVER_VALID
    return Prediction{true, 0};
  }

  Prediction PredictTgs(const Held& held, const PrincipalName& sname,
                        const std::vector<int32_t>& etypes, int64_t client_time) {
    auto error = [](int32_t code) { return Prediction{false, code}; };
    const Credentials& c = held.creds;
    if (!absl::EqualsIgnoreCase(c.crealm, kRealm)) return error(kKdcErrWrongRealm);
    if (!absl::EqualsIgnoreCase(c.ticket.realm, kRealm) || c.ticket.sname.name_string.size() != 2 ||
        c.ticket.sname.name_string[0] != "krbtgt" ||
        !absl::EqualsIgnoreCase(c.ticket.sname.name_string[1], kRealm)) {
      return error(kKrbApErrNotUs);
    }
    const Database::Account& krbtgt = db_.account("krbtgt");
    if (c.ticket.enc_part.kvno && *c.ticket.enc_part.kvno != krbtgt.principal.kvno) {
      return error(kKrbApErrBadKeyVersion);
    }
    if (!issued_tgts_.contains(c.ticket.enc_part.cipher)) return error(kKrbApErrBadIntegrity);
    const Database::Account* client = db_.Client(c.cname);
    if (client == nullptr) return error(kKdcErrCPrincipalUnknown);
    if (client->principal.disabled || client->principal.locked_out) {
      return error(kKdcErrClientRevoked);
    }
    const int64_t now = now_ + client->principal.clock_shift_micros;
    const int64_t starttime = c.part.starttime.value_or(c.part.authtime);
    if (starttime > now + options().max_skew_micros) return error(kKrbApErrTktNotYetValid);
    if (c.part.endtime + options().max_skew_micros < now) return error(kKrbApErrTktExpired);
    if (!WithinSkew(client_time, c.cname)) return error(kKrbApErrSkew);
    bool duplicate = false;
    const Database::Account* server = db_.Server(sname, duplicate);
    if (duplicate) return error(kKdcErrPrincipalNotUnique);
    if (server == nullptr || server->principal.disabled) return error(kKdcErrSPrincipalUnknown);
    if (!ChooseEnctype(etypes, server->principal)) return error(kKdcErrEtypeNoSupp);
    const int64_t start = WholeSeconds(now);
    const int64_t end = std::min(start + options().max_ticket_lifetime_micros, c.part.endtime);
    if (end <= start) return error(11);
    return Prediction{true, 0};
  }

  void Expect(const Prediction& p, const KdcReply& got, const std::string& what) {
    if (p.rep) {
      INVARIANT(got.rep.has_value(), what, ": expected a KDC-REP, got ", Describe(got));
    } else {
      INVARIANT(got.error.has_value() && got.error->error_code == p.error, what,
                ": expected error ", p.error, " (", KrbErrorName(p.error), "), got ",
                Describe(got));
    }
  }

  // --- operations ------------------------------------------------------------

  std::optional<KerberosKey> PickPreauthKey(const std::string& client_name) {
    const Database::Account* a = db_.Client(PrincipalName{kNtPrincipal, {client_name}});
    switch (t_.Pick(8)) {
      case 0:
      case 1:
      case 2:
      case 3: {
        if (a == nullptr) return RandomKey(EncType::kAes256CtsHmacSha196, rng_);
        const EncType type = a->principal.enctypes[t_.Pick(a->principal.enctypes.size())];
        return a->keys.at(type);
      }
      case 4:
        if (a != nullptr && !a->historic.empty()) return a->historic[t_.Pick(a->historic.size())];
        return RandomKey(EncType::kRc4Hmac, rng_);
      case 5: {
        const Database::Account* other = db_.Client(PrincipalName{kNtPrincipal, {"FS01$"}});
        return other->keys.begin()->second;
      }
      case 6:
        return RandomKey(t_.Bool() ? EncType::kAes128CtsHmacSha196 : EncType::kRc4Hmac, rng_);
      default:
        return std::nullopt;
    }
  }

  void OpAsHonest(bool fixed = false) {
    AsRequest as;
    const std::string name = fixed ? "WS01$" : PickClientName();
    as.cname = PrincipalName{kNtPrincipal, {name}};
    as.realm = kRealm;
    if (!fixed) {
      switch (t_.Pick(8)) {
        case 0:
          as.realm = "corp.example.com";
          break;
        case 1:
          as.realm = "OTHER.REALM";
          break;
        default:
          break;
      }
      if (t_.Pick(3) == 0) as.sname = PickService();
      as.etypes = PickEtypes();
      if (t_.Pick(6) == 0) as.lifetime_micros = t_.Bool() ? 0 : -kHour;
    }
    const std::optional<KerberosKey> key =
        fixed ? db_.account("WS01$").keys.at(EncType::kAes256CtsHmacSha196) : PickPreauthKey(name);
    const int64_t client_time = fixed ? now_ : PickClientTime(now_ + ShiftOf(as.cname));
    const uint32_t nonce = next_nonce_++;
    absl::StatusOr<Bytes> request = BuildAsReq(as, nonce, client_time, key, rng_);
    INVARIANT(request.ok(), "BuildAsReq: ", request.status().ToString());
    const Prediction p = PredictAs(as, key, client_time);
    const KdcReply got = Send(*request);
    Expect(p, got, absl::StrCat("AS-REQ for ", name));
    if (got.error && got.error->error_code == kKdcErrPreauthRequired) {
      absl::StatusOr<EtypeInfo2Entry> info = PreferredEtypeInfo(*got.error);
      INVARIANT(info.ok(), "PREAUTH_REQUIRED without PA-ETYPE-INFO2: ", info.status().ToString());
    }
    if (!got.rep) return;
    absl::StatusOr<Credentials> creds = DecryptAsRep(*got.rep, *key, nonce);
    INVARIANT(creds.ok(), "the honest client cannot read its AS-REP: ", creds.status().ToString());
    Keep(Held{*std::move(creds), key});
  }

  void Keep(Held held) {
    if (wallet_.size() >= 8) wallet_.erase(wallet_.begin());
    wallet_.push_back(std::move(held));
  }

  // A held ticket (a TGT when `tgt_only` and there is one).
  const Held* PickHeld(bool tgt_only) {
    if (wallet_.empty()) return nullptr;
    if (tgt_only) {
      std::vector<const Held*> tgts;
      for (const Held& h : wallet_) {
        if (h.creds.ticket.sname.name_string.size() == 2 &&
            h.creds.ticket.sname.name_string[0] == "krbtgt") {
          tgts.push_back(&h);
        }
      }
      if (!tgts.empty()) return tgts[t_.Pick(tgts.size())];
    }
    return &wallet_[t_.Pick(wallet_.size())];
  }

  std::optional<KerberosKey> PickSubkey() {
    switch (t_.Pick(5)) {
      case 0:
        return RandomKey(EncType::kAes256CtsHmacSha196, rng_);
      case 1:
        return RandomKey(EncType::kRc4Hmac, rng_);
      case 2:
        return RandomKey(EncType::kAes128CtsHmacSha196, rng_);
      default:
        return std::nullopt;
    }
  }

  void OpTgsHonest(bool fixed = false) {
    const Held* held = PickHeld(/*tgt_only=*/fixed || t_.Pick(4) != 0);
    if (held == nullptr) return;
    const Held copy = *held;  // the wallet may change below
    const PrincipalName sname = fixed ? PrincipalName{kNtSrvHst, {"cifs", "fs01"}} : PickService();
    const std::vector<int32_t> etypes = fixed ? std::vector<int32_t>{18, 17, 23} : PickEtypes();
    const std::optional<KerberosKey> subkey = fixed ? std::nullopt : PickSubkey();
    const int64_t client_time = fixed ? now_ : PickClientTime(now_ + ShiftOf(copy.creds.cname));
    const uint32_t nonce = next_nonce_++;
    absl::StatusOr<Bytes> request =
        BuildTgsReq(copy.creds, sname, etypes, nonce, client_time, subkey, rng_);
    INVARIANT(request.ok(), "BuildTgsReq: ", request.status().ToString());
    const Prediction p = PredictTgs(copy, sname, etypes, client_time);
    const KdcReply got = Send(*request);
    Expect(p, got, absl::StrCat("TGS-REQ for ", absl::StrJoin(sname.name_string, "/")));
    if (!got.rep) return;
    absl::StatusOr<Credentials> creds = DecryptTgsRep(*got.rep, copy.creds, subkey, nonce);
    INVARIANT(creds.ok(), "the honest client cannot read its TGS-REP: ", creds.status().ToString());
    INVARIANT(creds->part.endtime <= copy.creds.part.endtime, "service ticket outlives its TGT");
    Keep(Held{*std::move(creds), subkey});
  }

  // A TGS-REQ built by hand: the body, the authenticator plaintext and the
  // keys are the caller's.
  // `padata_mode`: 0 the PA-TGS-REQ alone, 1 none, 2 an unknown PA-DATA
  // first, 3 a garbage PA-TGS-REQ first (the KDC reads the last one).
  Bytes BuildTgs(const Ticket& ticket, const KerberosKey& session, const KdcReqBody& body,
                 Authenticator a, bool checksum_right, std::optional<KdcReqBody> sent_body,
                 int padata_mode) {
    const Bytes body_der = EncodeKdcReqBody(body);
    if (checksum_right) {
      absl::StatusOr<Bytes> sum =
          crypto::KerberosChecksum(session, crypto::kUsageTgsReqAuthenticatorChecksum, body_der);
      INVARIANT(sum.ok(), "KerberosChecksum");
      a.cksum = Checksum{crypto::MandatoryChecksumType(session.type), *sum};
    }
    absl::StatusOr<Bytes> cipher = crypto::KerberosEncrypt(
        session, crypto::kUsageTgsReqAuthenticator, EncodeAuthenticator(a), rng_);
    INVARIANT(cipher.ok(), "KerberosEncrypt");
    ApReq ap;
    ap.ticket = ticket;
    ap.authenticator = EncryptedData{static_cast<int32_t>(session.type), std::nullopt, *cipher};
    KdcReq req;
    req.msg_type = kMsgTypeTgsReq;
    req.req_body = sent_body.value_or(body);
    std::vector<PaData> padata;
    if (padata_mode == 2) padata.push_back(PaData{kPaPacRequest, {0x30, 0x00}});
    if (padata_mode == 3) padata.push_back(PaData{kPaTgsReq, t_.Raw(32)});
    if (padata_mode != 1) padata.push_back(PaData{kPaTgsReq, EncodeApReq(ap)});
    req.padata = std::move(padata);
    return EncodeKdcReq(req);
  }

  // A TGS-REQ with a forged or tampered TGT or authenticator, or a legitimate
  // one with a hand-made body.
  void OpTgsCrafted() {
    const Held* held = PickHeld(/*tgt_only=*/true);
    KdcReqBody body;
    body.kdc_options = kKdcOptForwardable | kKdcOptCanonicalize;
    body.realm = kRealm;
    body.sname = PickService();
    body.till = now_ + 10 * kHour;
    body.nonce = next_nonce_++;
    body.etypes = PickEtypes();
    Authenticator a;
    a.crealm = kRealm;
    a.cname = PrincipalName{kNtPrincipal, {"WS01$"}};
    const int64_t t = PickClientTime(now_);
    a.ctime = WholeSeconds(t);
    a.cusec = static_cast<int32_t>(t - a.ctime);

    Ticket ticket;
    KerberosKey session = RandomKey(EncType::kAes256CtsHmacSha196, rng_);
    if (held != nullptr) {
      ticket = held->creds.ticket;
      session = held->creds.session_key;
      a.crealm = held->creds.crealm;
      a.cname = held->creds.cname;
    }
    bool checksum_right = true;
    std::optional<KdcReqBody> sent_body;
    int padata_mode = 0;
    const size_t variant = t_.Pick(11);
    switch (variant) {
      case 0:
      case 1: {
        // A forged TGT.
        EncTicketPart part;
        part.flags = kTicketInitial | kTicketPreAuthent | kTicketForwardable;
        part.key = EncryptionKey{static_cast<int32_t>(session.type), session.bytes};
        part.crealm = kRealm;
        part.cname = a.cname;
        part.authtime = WholeSeconds(now_);
        part.starttime = part.authtime;
        part.endtime = part.authtime + 10 * kHour;
        const Database::Account& krbtgt = db_.account("krbtgt");
        KerberosKey key = RandomKey(EncType::kAes256CtsHmacSha196, rng_);
        switch (t_.Pick(4)) {
          case 0:
            if (!krbtgt.historic.empty()) key = krbtgt.historic[t_.Pick(krbtgt.historic.size())];
            break;
          case 1:
            key = db_.account("FS01$").keys.at(EncType::kAes256CtsHmacSha196);
            break;
          case 2:
            key = db_.account("WS01$").keys.at(EncType::kAes256CtsHmacSha196);
            break;
          default:
            break;
        }
        absl::StatusOr<Bytes> cipher =
            crypto::KerberosEncrypt(key, crypto::kUsageTicket, EncodeEncTicketPart(part), rng_);
        INVARIANT(cipher.ok(), "KerberosEncrypt");
        ticket.realm = kRealm;
        ticket.sname = KrbtgtName(kRealm);
        ticket.enc_part = EncryptedData{
            static_cast<int32_t>(key.type),
            t_.Bool() ? std::optional<uint32_t>(krbtgt.principal.kvno) : std::nullopt, *cipher};
        break;
      }
      case 2:
        // A flipped byte in the TGT.
        if (!ticket.enc_part.cipher.empty()) {
          ticket.enc_part.cipher[t_.U16() % ticket.enc_part.cipher.size()] ^=
              static_cast<uint8_t>(1 + t_.Pick(255));
        }
        break;
      case 3:
        // A service ticket (or the TGT) relabelled.
        if (const Held* any = PickHeld(false); any != nullptr) {
          ticket = any->creds.ticket;
          session = any->creds.session_key;
        }
        ticket.sname = t_.Bool() ? KrbtgtName(kRealm) : PrincipalName{kNtSrvHst, {"host", "ws01"}};
        break;
      case 4:
        // The wrong session key for the authenticator.
        session = RandomKey(session.type, rng_);
        break;
      case 5:
        // The authenticator names someone else.
        a.cname = PrincipalName{kNtPrincipal, {t_.Bool() ? "FS01$" : "USER1"}};
        break;
      case 6:
        // The body changed after its checksum.
        sent_body = body;
        sent_body->nonce ^= 1 + t_.U8();
        if (t_.Bool()) sent_body->sname = PrincipalName{kNtSrvHst, {"cifs", "fs01"}};
        break;
      case 7:
        // A fuzzed authenticator: times, checksum type, subkey, no checksum.
        a.ctime = WholeSeconds(now_) + static_cast<int64_t>(static_cast<int32_t>(t_.U32()));
        a.cusec = static_cast<int32_t>(t_.U32());
        if (t_.Bool()) {
          a.subkey = EncryptionKey{static_cast<int32_t>(t_.U8()), t_.Raw(40)};
        }
        if (t_.Bool()) {
          checksum_right = false;
          if (t_.Bool()) a.cksum = Checksum{static_cast<int32_t>(t_.U8()), t_.Raw(24)};
        }
        break;
      case 8:
      case 9: {
        // Legitimate, with fuzzed options and times (renewable, till 0, ...).
        body.kdc_options = t_.U32();
        body.till =
            t_.Bool() ? 0 : now_ + (static_cast<int64_t>(t_.U32()) - (int64_t{1} << 31)) * kSecond;
        if (t_.Bool()) body.rtime = now_ + static_cast<int64_t>(t_.U32()) * kSecond;
        if (t_.Bool()) body.from = now_;
        break;
      }
      default:
        // No PA-TGS-REQ, or an extra one before it.
        padata_mode = 1 + static_cast<int>(t_.Pick(3));
        break;
    }
    Bytes request;
    if (variant <= 5) {
      // The forged or tampered ticket goes through the real client.
      Credentials creds;
      creds.crealm = a.crealm;
      creds.cname = a.cname;
      creds.ticket = ticket;
      creds.session_key = session;
      creds.part.endtime = *body.till;
      absl::StatusOr<Bytes> built =
          BuildTgsReq(creds, *body.sname, body.etypes, body.nonce, t, std::nullopt, rng_);
      INVARIANT(built.ok(), "BuildTgsReq: ", built.status().ToString());
      request = *std::move(built);
    } else {
      request = BuildTgs(ticket, session, body, a, checksum_right, sent_body, padata_mode);
    }
    Send(request);
  }

  // A hand-built AS-REQ: fuzzed PA-ENC-TS-ENC plaintext (or crafted times)
  // under the right key, fuzzed options and times, several timestamps.
  void OpAsCrafted() {
    const std::string name = PickClientName();
    KdcReq req;
    req.msg_type = kMsgTypeAsReq;
    KdcReqBody& b = req.req_body;
    b.kdc_options = t_.Bool() ? t_.U32() : kKdcOptForwardable | kKdcOptRenewableOk;
    b.cname = PrincipalName{kNtPrincipal, {name}};
    b.realm = kRealm;
    b.sname = t_.Pick(4) == 0 ? PickService() : KrbtgtName(kRealm);
    b.till = t_.Bool() ? 0 : now_ + (static_cast<int64_t>(t_.U16()) - 1000) * kMinute;
    if (t_.Bool()) b.rtime = now_ + static_cast<int64_t>(t_.U32()) * kSecond;
    b.nonce = t_.U32();
    b.etypes = PickEtypes();
    std::optional<KerberosKey> key = PickPreauthKey(name);
    std::vector<PaData> padata;
    const size_t count = 1 + t_.Pick(3);
    for (size_t i = 0; i < count; ++i) {
      Bytes plain;
      switch (t_.Pick(4)) {
        case 0:
          plain = t_.Raw(64);
          break;
        case 1: {
          PaEncTsEnc ts{WholeSeconds(PickClientTime(now_)), std::nullopt};
          if (t_.Bool()) ts.pausec = static_cast<int32_t>(t_.U32());
          plain = EncodePaEncTsEnc(ts);
          break;
        }
        default: {
          const int64_t ct = PickClientTime(now_ + ShiftOf(*b.cname));
          plain = EncodePaEncTsEnc(
              PaEncTsEnc{WholeSeconds(ct), static_cast<int32_t>(ct - WholeSeconds(ct))});
          break;
        }
      }
      if (!key) {
        padata.push_back(PaData{kPaEncTimestamp, t_.Raw(64)});
        continue;
      }
      absl::StatusOr<Bytes> cipher =
          crypto::KerberosEncrypt(*key, crypto::kUsageAsReqPaEncTimestamp, plain, rng_);
      INVARIANT(cipher.ok(), "KerberosEncrypt");
      const int32_t etype =
          t_.Pick(8) == 0 ? static_cast<int32_t>(t_.U8()) : static_cast<int32_t>(key->type);
      padata.push_back(
          PaData{kPaEncTimestamp, EncodeEncryptedData({etype, std::nullopt, *std::move(cipher)})});
    }
    if (t_.Bool())
      padata.push_back(PaData{kPaPacRequest, {0x30, 0x05, 0xa0, 0x03, 0x01, 0x01, 0xff}});
    req.padata = std::move(padata);
    const KdcReply got = Send(EncodeKdcReq(req));
    if (got.rep && key) {
      absl::StatusOr<Credentials> creds = DecryptAsRep(*got.rep, *key, b.nonce);
      INVARIANT(creds.ok(), "AS-REP the client cannot read");
      Keep(Held{*std::move(creds), key});
    }
  }

  void OpRaw() { Send(t_.Raw(1024)); }

  void OpMutate() {
    if (history_.empty()) return;
    Bytes b = history_[t_.Pick(history_.size())];
    const size_t n = 1 + t_.Pick(4);
    for (size_t i = 0; i < n && !b.empty(); ++i) {
      const size_t pos = t_.U16() % b.size();
      switch (t_.Pick(4)) {
        case 0:
          b[pos] ^= static_cast<uint8_t>(1 + t_.Pick(255));
          break;
        case 1:
          b.resize(pos);
          break;
        case 2:
          b.insert(b.begin() + static_cast<ptrdiff_t>(pos), t_.U8());
          break;
        default:
          b.erase(b.begin() + static_cast<ptrdiff_t>(pos));
          break;
      }
    }
    Send(b);
  }

  void OpReplay() {
    if (history_.empty()) return;
    const Bytes b = history_[t_.Pick(history_.size())];
    Send(b);
  }

  void OpTime() {
    switch (t_.Pick(8)) {
      case 0:
        now_ += kSecond;
        break;
      case 1:
        now_ += options().max_skew_micros;
        break;
      case 2:
        now_ += options().max_skew_micros + kSecond;
        break;
      case 3:
        now_ += kHour;
        break;
      case 4:
        now_ += options().max_ticket_lifetime_micros;
        break;
      case 5:
        now_ -= options().max_skew_micros + kSecond;
        break;
      case 6:
        now_ += static_cast<int64_t>(t_.U16()) * kSecond + t_.U16();
        break;
      default:
        now_ -= static_cast<int64_t>(t_.U16()) * kSecond;
        break;
    }
  }

  void OpDatabase() {
    constexpr const char* kClients[] = {"WS01$", "WS02$", "USER1", "FS01$"};
    const std::string name = kClients[t_.Pick(4)];
    switch (t_.Pick(6)) {
      case 0:
        db_.Rotate(name);
        break;
      case 1:
        db_.Rotate("krbtgt");
        break;
      case 2:
        db_.account(name).principal.disabled ^= true;
        break;
      case 3:
        db_.account(name).principal.locked_out ^= true;
        break;
      case 4:
        db_.account(name).principal.clock_shift_micros =
            (static_cast<int64_t>(t_.U16()) - 32768) * 100 * 1000;
        break;
      default:
        db_.account("DIS$").principal.disabled ^= true;
        break;
    }
  }

  void OpErrorReply() {
    const int32_t code = static_cast<int32_t>(t_.U8());
    const Bytes reply = kdc_.ErrorReply(code, now_);
    absl::StatusOr<KdcReply> parsed = ParseKdcReply(reply);
    INVARIANT(parsed.ok() && parsed->error.has_value(), "ErrorReply does not parse");
    INVARIANT(parsed->error->error_code == code, "ErrorReply code");
  }

  Tape& t_;
  SeededRandom rng_;
  Database db_;
  Kdc kdc_;
  int64_t now_ = kStart;
  uint32_t next_nonce_ = 1000;
  std::vector<Held> wallet_;
  std::vector<Bytes> history_;
  std::set<Bytes> issued_tgts_;
};

void Harness::Run() {
  constexpr int kMaxOps = 48;
  for (int i = 0; i < kMaxOps && !t_.empty(); ++i) {
    const size_t op = t_.Pick(14);
    Trace(absl::StrCat("op ", op));
    switch (op) {
      case 0:
      case 1:
        OpAsHonest();
        break;
      case 2:
        OpAsHonest(/*fixed=*/true);
        break;
      case 3:
      case 4:
        OpTgsHonest();
        break;
      case 5:
        OpTgsHonest(/*fixed=*/true);
        break;
      case 6:
        OpTgsCrafted();
        break;
      case 7:
        OpAsCrafted();
        break;
      case 8:
        OpRaw();
        break;
      case 9:
        OpMutate();
        break;
      case 10:
        OpReplay();
        break;
      case 11:
        OpTime();
        break;
      case 12:
        OpDatabase();
        break;
      default:
        OpErrorReply();
        break;
    }
  }
}

}  // namespace
}  // namespace trustsim::kerberos

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  trustsim::kerberos::Tape tape(data, size);
  trustsim::kerberos::Harness harness(tape);
  harness.Run();
  return 0;
}
