// Copyright 2026 The trustsim Authors.

#include "protocol/kerberos/kdc.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "base/random.h"
#include "gtest/gtest.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/kerberos/client.h"

namespace trustsim::kerberos {
namespace {

using crypto::EncType;
using crypto::KerberosKey;

constexpr char kRealm[] = "CORP.EXAMPLE.COM";
constexpr int64_t kSecond = 1000000;
constexpr int64_t kMinute = 60 * kSecond;
// 2026-01-05 08:00:00Z plus a fraction, so susec matters.
constexpr int64_t kNow = int64_t{1767600000} * kSecond + 123456;

KerberosKey Key(EncType type, absl::string_view password, absl::string_view salt) {
  return crypto::StringToKey(type, password, salt).value();
}

// An in-memory account database.
class FakeDatabase : public KdcDatabase {
 public:
  struct Account {
    KdcPrincipal principal;
    std::map<EncType, KerberosKey> keys;
    std::vector<KerberosKey> historic;
    std::vector<std::string> spns;  // lower case
  };

  FakeDatabase() {
    Account krbtgt;
    krbtgt.principal = {"krbtgt", 2, {EncType::kAes256CtsHmacSha196}, "", false, false, 0};
    krbtgt.keys[EncType::kAes256CtsHmacSha196] =
        KerberosKey{EncType::kAes256CtsHmacSha196, Bytes(32, 0x42)};
    accounts_["krbtgt"] = krbtgt;
    AddComputer("WS01$", "ws01", "Passw0rd!", "OldPassw0rd!", 3);
    AddComputer("WS02$", "ws02", "Other1!", "", 1);
  }

  Account& AddComputer(const std::string& sam, const std::string& host, const std::string& password,
                       const std::string& old_password, uint32_t kvno) {
    Account a;
    const std::string salt = crypto::AdComputerSalt(kRealm, sam);
    a.principal = {
        sam,
        kvno,
        {EncType::kAes256CtsHmacSha196, EncType::kAes128CtsHmacSha196, EncType::kRc4Hmac},
        salt,
        false,
        false,
        0};
    for (EncType t : a.principal.enctypes) a.keys[t] = Key(t, password, salt);
    if (!old_password.empty()) {
      a.historic.push_back(Key(EncType::kAes256CtsHmacSha196, old_password, salt));
    }
    a.spns = {"host/" + host + ".corp.example.com", "host/" + host};
    return accounts_[sam] = a;
  }

  Account& account(const std::string& name) { return accounts_.at(name); }

  absl::StatusOr<KdcPrincipal> FindClient(const PrincipalName& name,
                                          absl::string_view realm) override {
    if (name.name_string.size() == 1) {
      auto it = accounts_.find(absl::AsciiStrToUpper(name.name_string[0]));
      if (it != accounts_.end()) return it->second.principal;
    }
    return absl::NotFoundError("no such client");
  }

  absl::StatusOr<KdcPrincipal> FindServer(const PrincipalName& name,
                                          absl::string_view realm) override {
    if (name.name_string.size() == 2 && name.name_string[0] == "krbtgt") {
      return accounts_.at("krbtgt").principal;
    }
    std::vector<const Account*> holders = Holders(name);
    if (holders.size() > 1) return absl::FailedPreconditionError("duplicate");
    if (holders.empty()) return absl::NotFoundError("no such server");
    return holders.front()->principal;
  }

  std::vector<std::string> DuplicateHolders(const PrincipalName& name) override {
    std::vector<std::string> names;
    for (const Account* a : Holders(name)) names.push_back(a->principal.account);
    return names;
  }

  absl::StatusOr<KerberosKey> CurrentKey(const KdcPrincipal& principal, EncType type) override {
    const Account& a = accounts_.at(principal.account);
    auto it = a.keys.find(type);
    if (it == a.keys.end()) return absl::NotFoundError("no key");
    return it->second;
  }

  std::vector<KerberosKey> HistoricKeys(const KdcPrincipal& principal, EncType type) override {
    return accounts_.at(principal.account).historic;
  }

  void OnKdcEvent(const KdcEvent& event) override { events.push_back(event); }

  std::vector<KdcEvent> events;

 private:
  std::vector<const Account*> Holders(const PrincipalName& name) {
    const std::string spn = absl::AsciiStrToLower(absl::StrJoin(name.name_string, "/"));
    std::vector<const Account*> out;
    for (const auto& [key, a] : accounts_) {
      for (const std::string& s : a.spns) {
        if (s == spn) out.push_back(&a);
      }
    }
    return out;
  }

  std::map<std::string, Account> accounts_;
};

class KdcTest : public ::testing::Test {
 protected:
  KdcTest() : kdc_({.realm = kRealm}, db_) {}

  AsRequest Ws01() const { return Request("WS01$"); }
  static AsRequest Request(const std::string& name) {
    AsRequest req;
    req.cname = PrincipalName{kNtPrincipal, {name}};
    req.realm = kRealm;
    return req;
  }
  KerberosKey Ws01Key(absl::string_view password = "Passw0rd!") const {
    return Key(EncType::kAes256CtsHmacSha196, password, crypto::AdComputerSalt(kRealm, "WS01$"));
  }

  KdcReply Send(ByteView request, int64_t now = kNow) {
    Bytes reply = kdc_.Handle(request, now, rng_);
    absl::StatusOr<KdcReply> parsed = ParseKdcReply(reply);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return parsed.ok() ? *parsed : KdcReply{};
  }

  KdcReply As(const AsRequest& req, std::optional<KerberosKey> key, int64_t client_time = kNow,
              int64_t kdc_time = kNow) {
    return Send(BuildAsReq(req, 77, client_time, key, rng_).value(), kdc_time);
  }

  int32_t ErrorCode(const KdcReply& reply) { return reply.error ? reply.error->error_code : 0; }

  Credentials Tgt() {
    KdcReply reply = As(Ws01(), Ws01Key());
    EXPECT_TRUE(reply.rep.has_value());
    return DecryptAsRep(*reply.rep, Ws01Key(), 77).value();
  }

  KdcReply Tgs(const Credentials& tgt, const std::vector<std::string>& sname,
               std::optional<KerberosKey> subkey = std::nullopt, int64_t client_time = kNow) {
    return Send(BuildTgsReq(tgt, PrincipalName{kNtSrvHst, sname}, {18, 17, 23}, 99, client_time,
                            subkey, rng_)
                    .value());
  }

  SeededRandom rng_{7};
  FakeDatabase db_;
  Kdc kdc_;
};

TEST_F(KdcTest, WithoutPreauthAsksForItWithTheAdSalt) {
  KdcReply reply = As(Ws01(), std::nullopt);
  ASSERT_TRUE(reply.error.has_value());
  EXPECT_EQ(reply.error->error_code, kKdcErrPreauthRequired);
  EXPECT_EQ(reply.error->stime, kNow - 123456);
  EXPECT_EQ(reply.error->susec, 123456);
  auto info = PreferredEtypeInfo(*reply.error);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->etype, 18);
  EXPECT_EQ(info->salt, "CORP.EXAMPLE.COMhostws01.corp.example.com");
  auto method_data = ParseMethodData(*reply.error->e_data);
  ASSERT_TRUE(method_data.ok());
  ASSERT_EQ(method_data->size(), 2u);
  EXPECT_EQ((*method_data)[1].type, kPaEncTimestamp);
  // RC4 entries carry no salt; the order follows the client's list.
  AsRequest rc4_first = Ws01();
  rc4_first.etypes = {23, 18};
  info = PreferredEtypeInfo(*As(rc4_first, std::nullopt).error);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->etype, 23);
  EXPECT_FALSE(info->salt.has_value());
}

TEST_F(KdcTest, CurrentKeyGetsATgtUnderKrbtgt) {
  KdcReply reply = As(Ws01(), Ws01Key());
  ASSERT_TRUE(reply.rep.has_value()) << ErrorCode(reply);
  EXPECT_EQ(reply.rep->enc_part.kvno, 3u);
  auto creds = DecryptAsRep(*reply.rep, Ws01Key(), 77);
  ASSERT_TRUE(creds.ok()) << creds.status();
  EXPECT_EQ(creds->part.sname, KrbtgtName(kRealm));
  EXPECT_EQ(creds->part.authtime, kNow - 123456);
  EXPECT_EQ(creds->part.endtime, kNow - 123456 + 10 * 60 * kMinute);
  EXPECT_TRUE(creds->part.flags & kTicketInitial);
  EXPECT_TRUE(creds->part.flags & kTicketPreAuthent);
  EXPECT_EQ(reply.rep->ticket.enc_part.kvno, 2u);
  auto tkt = DecryptTicket(
      reply.rep->ticket,
      *db_.CurrentKey(*db_.FindServer(KrbtgtName(kRealm), kRealm), EncType::kAes256CtsHmacSha196));
  ASSERT_TRUE(tkt.ok()) << tkt.status();
  EXPECT_EQ(tkt->cname, Ws01().cname);
  EXPECT_EQ(tkt->key, creds->part.key);
  ASSERT_EQ(db_.events.size(), 1u);
  EXPECT_EQ(db_.events[0].kind, KdcEvent::Kind::kTgtIssued);
  EXPECT_EQ(db_.events[0].client, "WS01$@CORP.EXAMPLE.COM");
}

TEST_F(KdcTest, EveryImplementedEnctypePreauthenticates) {
  for (EncType t : {EncType::kAes128CtsHmacSha196, EncType::kRc4Hmac}) {
    AsRequest req = Ws01();
    req.etypes = {static_cast<int32_t>(t)};
    KerberosKey key = Key(t, "Passw0rd!", crypto::AdComputerSalt(kRealm, "WS01$"));
    KdcReply reply = As(req, key);
    ASSERT_TRUE(reply.rep.has_value()) << crypto::EncTypeName(t) << " " << ErrorCode(reply);
    EXPECT_TRUE(DecryptAsRep(*reply.rep, key, 77).ok());
  }
}

TEST_F(KdcTest, PreviousKeyNeverAuthenticatesButIsNoted) {
  KdcReply reply = As(Ws01(), Ws01Key("OldPassw0rd!"));
  EXPECT_EQ(ErrorCode(reply), kKdcErrPreauthFailed);
  ASSERT_EQ(db_.events.size(), 1u);
  EXPECT_TRUE(db_.events[0].historic_key_matched);
  reply = As(Ws01(), Ws01Key("never-set"));
  EXPECT_EQ(ErrorCode(reply), kKdcErrPreauthFailed);
  EXPECT_FALSE(db_.events[1].historic_key_matched);
}

TEST_F(KdcTest, SkewIsCheckedAfterDecryptionWithTheKdcTime) {
  KdcReply reply = As(Ws01(), Ws01Key(), kNow + 10 * kMinute);
  ASSERT_EQ(ErrorCode(reply), kKrbApErrSkew);
  EXPECT_EQ(reply.error->stime, kNow - 123456);
  EXPECT_EQ(reply.error->susec, 123456);
  EXPECT_FALSE(reply.error->e_text.has_value());
  EXPECT_EQ(db_.events.back().skew_micros, 10 * kMinute);
  // Behind works the same; within five minutes is fine.
  EXPECT_EQ(ErrorCode(As(Ws01(), Ws01Key(), kNow - 6 * kMinute)), kKrbApErrSkew);
  EXPECT_TRUE(As(Ws01(), Ws01Key(), kNow + 4 * kMinute).rep.has_value());
  EXPECT_TRUE(As(Ws01(), Ws01Key(), kNow - 5 * kMinute).rep.has_value());
  // A wrong key with a skewed clock is a key problem first.
  EXPECT_EQ(ErrorCode(As(Ws01(), Ws01Key("x"), kNow + 10 * kMinute)), kKdcErrPreauthFailed);
}

TEST_F(KdcTest, ClockShiftGivesAStandInTheMembersSkew) {
  db_.account("WS01$").principal.clock_shift_micros = -10 * kMinute;
  KdcReply reply = As(Ws01(), Ws01Key(), kNow);
  ASSERT_EQ(ErrorCode(reply), kKrbApErrSkew);
  // The error carries the shifted time, so a client that syncs to it succeeds.
  const int64_t kdc_view = reply.error->stime + reply.error->susec;
  EXPECT_EQ(kdc_view, kNow - 10 * kMinute);
  EXPECT_TRUE(As(Ws01(), Ws01Key(), kdc_view).rep.has_value());
}

TEST_F(KdcTest, AccountStateAndNames) {
  EXPECT_EQ(ErrorCode(As(Request("NOPE$"), std::nullopt)), kKdcErrCPrincipalUnknown);
  db_.account("WS01$").principal.disabled = true;
  EXPECT_EQ(ErrorCode(As(Ws01(), std::nullopt)), kKdcErrClientRevoked);
  EXPECT_EQ(ErrorCode(As(Ws01(), Ws01Key())), kKdcErrClientRevoked);
  db_.account("WS01$").principal.disabled = false;
  db_.account("WS01$").principal.locked_out = true;
  EXPECT_EQ(ErrorCode(As(Ws01(), Ws01Key())), kKdcErrClientRevoked);
  db_.account("WS01$").principal.locked_out = false;
  AsRequest wrong_realm = Ws01();
  wrong_realm.realm = "OTHER.EXAMPLE";
  EXPECT_EQ(ErrorCode(As(wrong_realm, Ws01Key())), kKdcErrWrongRealm);
  AsRequest des_only = Ws01();
  des_only.etypes = {16, 3};
  EXPECT_EQ(ErrorCode(As(des_only, std::nullopt)), kKdcErrEtypeNoSupp);
  AsRequest unknown_service = Ws01();
  unknown_service.sname = PrincipalName{kNtSrvHst, {"cifs", "nowhere"}};
  EXPECT_EQ(ErrorCode(As(unknown_service, Ws01Key())), kKdcErrSPrincipalUnknown);
}

TEST_F(KdcTest, MalformedInputGetsAKrbError) {
  for (const Bytes& garbage : {Bytes{}, Bytes{0x00}, Bytes{0x6a, 0x05, 0x30}, Bytes(100, 0xff)}) {
    KdcReply reply = Send(garbage);
    ASSERT_TRUE(reply.error.has_value());
    // Not a request at all (40) or a broken one (60).
    EXPECT_TRUE(reply.error->error_code == kKrbApErrMsgType ||
                reply.error->error_code == kKrbErrGeneric)
        << reply.error->error_code;
  }
  EXPECT_EQ(ErrorCode(Send(Bytes{0x6a, 0x05, 0x30})), kKrbErrGeneric);
  // A well-formed message that is not a request.
  KdcReply reply = Send(kdc_.ErrorReply(kKrbErrGeneric, kNow));
  EXPECT_EQ(ErrorCode(reply), kKrbApErrMsgType);
  // Every truncation of a real request.
  Bytes request = BuildAsReq(Ws01(), 1, kNow, Ws01Key(), rng_).value();
  for (size_t n = 0; n < request.size(); ++n) {
    KdcReply r = Send(ByteView(request.data(), n));
    EXPECT_TRUE(r.error.has_value()) << n;
  }
}

TEST_F(KdcTest, ServiceTicketUnderTheTargetsCurrentKeyAndKvno) {
  Credentials tgt = Tgt();
  for (bool with_subkey : {false, true}) {
    SCOPED_TRACE(with_subkey);
    std::optional<KerberosKey> subkey;
    if (with_subkey) subkey = KerberosKey{EncType::kAes256CtsHmacSha196, Bytes(32, 0x17)};
    KdcReply reply = Tgs(tgt, {"host", "ws02.corp.example.com"}, subkey);
    ASSERT_TRUE(reply.rep.has_value()) << ErrorCode(reply);
    EXPECT_EQ(reply.rep->ticket.enc_part.kvno, 1u);
    auto creds = DecryptTgsRep(*reply.rep, tgt, subkey, 99);
    ASSERT_TRUE(creds.ok()) << creds.status();
    EXPECT_EQ(creds->part.tag, kTagEncTgsRepPart);
    // Only WS02's key opens the ticket.
    const KerberosKey ws02 = db_.account("WS02$").keys.at(EncType::kAes256CtsHmacSha196);
    auto tkt = DecryptTicket(reply.rep->ticket, ws02);
    ASSERT_TRUE(tkt.ok()) << tkt.status();
    EXPECT_EQ(tkt->cname, Ws01().cname);
    EXPECT_EQ(tkt->key, creds->part.key);
    EXPECT_EQ(tkt->authtime, tgt.part.authtime);
    EXPECT_FALSE(DecryptTicket(reply.rep->ticket, Ws01Key()).ok());
    // Without the subkey, a subkey reply does not open (and vice versa).
    EXPECT_FALSE(DecryptTgsRep(*reply.rep, tgt,
                               with_subkey ? std::nullopt
                                           : std::optional(KerberosKey{
                                                 EncType::kAes256CtsHmacSha196, Bytes(32, 0x17)}),
                               99)
                     .ok());
  }
  EXPECT_EQ(db_.events.back().kind, KdcEvent::Kind::kServiceTicketIssued);
}

TEST_F(KdcTest, UnknownAndDuplicateServiceNames) {
  Credentials tgt = Tgt();
  EXPECT_EQ(ErrorCode(Tgs(tgt, {"host", "ws99.corp.example.com"})), kKdcErrSPrincipalUnknown);
  db_.account("WS02$").spns.push_back("host/ws01.corp.example.com");
  db_.events.clear();
  EXPECT_EQ(ErrorCode(Tgs(tgt, {"HOST", "WS01.corp.example.com"})), kKdcErrPrincipalNotUnique);
  ASSERT_EQ(db_.events.size(), 2u);
  EXPECT_EQ(db_.events[0].kind, KdcEvent::Kind::kDuplicateName);
  EXPECT_EQ(db_.events[0].holders, (std::vector<std::string>{"WS01$", "WS02$"}));
  EXPECT_EQ(db_.events[1].kind, KdcEvent::Kind::kTgsFailed);
}

TEST_F(KdcTest, TgsChecksTheTgtAndAuthenticator) {
  Credentials tgt = Tgt();
  EXPECT_EQ(ErrorCode(Tgs(tgt, {"host", "ws02"}, std::nullopt, kNow + 6 * kMinute)), kKrbApErrSkew);
  // A TGT from a KDC with another krbtgt key.
  Credentials forged = tgt;
  forged.ticket.enc_part.cipher[20] ^= 1;
  EXPECT_EQ(ErrorCode(Tgs(forged, {"host", "ws02"})), kKrbApErrBadIntegrity);
  forged = tgt;
  forged.ticket.enc_part.kvno = 1;
  EXPECT_EQ(ErrorCode(Tgs(forged, {"host", "ws02"})), kKrbApErrBadKeyVersion);
  // The wrong session key: the authenticator does not decrypt.
  forged = tgt;
  forged.session_key.bytes[0] ^= 1;
  EXPECT_EQ(ErrorCode(Tgs(forged, {"host", "ws02"})), kKrbApErrBadIntegrity);
  // An expired TGT.
  Bytes later = BuildTgsReq(tgt, {kNtSrvHst, {"host", "ws02"}}, {18}, 1, kNow + 11 * 60 * kMinute,
                            std::nullopt, rng_)
                    .value();
  EXPECT_EQ(ErrorCode(Send(later, kNow + 11 * 60 * kMinute)), kKrbApErrTktExpired);
  // The body changed after the checksum was made.
  Bytes request =
      BuildTgsReq(tgt, {kNtSrvHst, {"host", "ws02"}}, {18}, 1, kNow, std::nullopt, rng_).value();
  KdcReq req = ParseTgsReq(request).value();
  req.req_body.sname = PrincipalName{kNtSrvHst, {"host", "ws01"}};
  EXPECT_EQ(ErrorCode(Send(EncodeKdcReq(req))), kKrbApErrModified);
  // No PA-TGS-REQ at all.
  req.padata.reset();
  EXPECT_EQ(ErrorCode(Send(EncodeKdcReq(req))), kKdcErrPadataTypeNoSupp);
  // Renewal is not implemented: a clear error.
  req = ParseTgsReq(request).value();
  req.req_body.kdc_options |= KerberosFlag(30);
  EXPECT_EQ(ErrorCode(Send(EncodeKdcReq(req))), kKdcErrBadOption);
  // A disabled client's TGT stops working.
  db_.account("WS01$").principal.disabled = true;
  EXPECT_EQ(ErrorCode(Tgs(tgt, {"host", "ws02"})), kKdcErrClientRevoked);
}

TEST(KdcErrorTextTest, NamesAndMitMessages) {
  EXPECT_STREQ(KrbErrorName(24), "KDC_ERR_PREAUTH_FAILED");
  EXPECT_STREQ(KrbErrorMessage(24), "Preauthentication failed");
  EXPECT_STREQ(KrbErrorMessage(37), "Clock skew too great");
  EXPECT_STREQ(KrbErrorMessage(18), "Client's credentials have been revoked");
  EXPECT_STREQ(KrbErrorName(12345), "");
}

}  // namespace
}  // namespace trustsim::kerberos
