// Copyright 2026 The trustsim Authors.
//
// seed_corpus_generator.cc
// -----------------------------------------------------------------------------
//
// Writes the generated part of the seed corpora in fuzz/corpus/: real
// messages, not random bytes, so the fuzzers start deep inside the parsers.
//
//   * Kerberos (der_fuzzer, kerberos_message_fuzzer): MIT kinit's AS-REQ
//     (tests/protocol/kerberos/messages_test.cc) and what our KDC answers to
//     it; then a whole AS and TGS exchange between our client (client.h) and
//     our KDC (kdc.h), with every message and every decrypted part (tickets,
//     EncKDCRepParts, the authenticator, PA-ENC-TS-ENC, ETYPE-INFO2,
//     METHOD-DATA), and the KDC's errors for an unknown client, a wrong
//     password, clock skew and an unknown service. Each is written behind
//     the selector byte (fuzz/check_selector.h) of the check whose parser
//     accepts it, and for der_fuzzer also behind the DER walk's.
//   * keytab_fuzzer: keytabs written by WriteKeytab (the CLI's keytab for
//     scenarios/healthy-year.yaml is added by hand, see docs/fuzzing.md).
//   * dcerpc_pdu_fuzzer (and dcerpc_connection_fuzzer, which shares the
//     corpus): client byte streams (control byte + PDUs, once for the
//     connection and once for the codecs) built around impacket's Netlogon
//     bind (tests/protocol/dcerpc/pdu_test.cc): plain, schannel-authenticated,
//     fragmented, alter_context, bind-time feature negotiation, and the PDUs
//     only a server sends.
//   * ndr_netlogon_fuzzer: impacket's Netlogon request stubs
//     (tests/protocol/netlogon/rpc_test.cc, protocol-facts.md §2.4) behind
//     their opnum/direction prefix, and the responses our server gives them.
//
// Everything is deterministic (fixed seed and clock): running it again gives
// the same files.
//
// Usage: fuzz_seed_corpus_generator <corpus root, e.g. fuzz/corpus>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "base/bytes.h"
#include "base/random.h"
#include "fuzz/check_selector.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/kerberos_encryption.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/dcerpc/pdu.h"
#include "protocol/kerberos/client.h"
#include "protocol/kerberos/kdc.h"
#include "protocol/kerberos/keytab.h"
#include "protocol/kerberos/messages.h"
#include "protocol/netlogon/rpc.h"
#include "protocol/netlogon/server.h"

namespace trustsim {
namespace {

namespace fs = std::filesystem;
using crypto::EncType;
using crypto::KerberosKey;

fs::path g_root;
int g_written = 0;

template <typename T>
T Must(absl::StatusOr<T> v, const char* what) {
  if (!v.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, v.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(v);
}

void Write(const std::string& fuzzer, const std::string& name, ByteView bytes) {
  const fs::path dir = g_root / fuzzer;
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", (dir / name).c_str());
    std::exit(1);
  }
  ++g_written;
}

Bytes Unhex(const char* hex) { return Must(FromHex(hex), "hex"); }

Bytes Cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// --- Kerberos -------------------------------------------------------------------

constexpr char kRealm[] = "CORP.EXAMPLE.COM";
constexpr int64_t kSecond = 1000000;
// 2026-01-05 08:00:00.123456Z.
constexpr int64_t kNow = int64_t{1767600000} * kSecond + 123456;

// The first UDP datagram of `kinit -V alice@CORP.EXAMPLE.COM` (MIT krb5
// 1.20.1, Debian 12), from tests/protocol/kerberos/messages_test.cc.
constexpr char kMitKinitAsReq[] =
    "6a81be3081bba103020105a20302010aa31a3018300aa10402020096a2020400300aa104"
    "02020095a2020400a4819230818fa00703050000000010a1123010a003020101a1093007"
    "1b05616c696365a2121b10434f52502e4558414d504c452e434f4da3253023a003020102"
    "a11c301a1b066b72627467741b10434f52502e4558414d504c452e434f4da511180f3230"
    "3236313132353034303530335aa70602043ebbc487a81a30180201120201110201140201"
    "1302011002011702011902011a";

// alice (a user), WS01$ (a computer with SPNs) and krbtgt.
class Database final : public kerberos::KdcDatabase {
 public:
  Database() {
    Add("krbtgt", 2, "", {}, "krbtgt-secret");
    Add("alice", 1, std::string(kRealm) + "alice", {}, "Alice1!");
    Add("WS01$", 3, crypto::AdComputerSalt(kRealm, "WS01$"),
        {"host/ws01.corp.example.com", "host/ws01"}, "Passw0rd!");
  }

  absl::StatusOr<kerberos::KdcPrincipal> FindClient(const kerberos::PrincipalName& name,
                                                    absl::string_view realm) override {
    if (name.name_string.size() == 1) {
      for (auto& [key, a] : accounts_) {
        if (absl::EqualsIgnoreCase(key, name.name_string[0])) return a.principal;
      }
    }
    return absl::NotFoundError("no such client");
  }
  absl::StatusOr<kerberos::KdcPrincipal> FindServer(const kerberos::PrincipalName& name,
                                                    absl::string_view realm) override {
    if (name.name_string.size() == 2 && name.name_string[0] == "krbtgt") {
      return accounts_.at("krbtgt").principal;
    }
    const std::string spn = absl::AsciiStrToLower(absl::StrJoin(name.name_string, "/"));
    for (auto& [key, a] : accounts_) {
      for (const std::string& s : a.spns) {
        if (s == spn) return a.principal;
      }
    }
    return absl::NotFoundError("no such server");
  }
  absl::StatusOr<KerberosKey> CurrentKey(const kerberos::KdcPrincipal& principal,
                                         EncType type) override {
    const Account& a = accounts_.at(principal.account);
    auto it = a.keys.find(type);
    if (it == a.keys.end()) return absl::NotFoundError("no key");
    return it->second;
  }

  KerberosKey KeyOf(const std::string& account, EncType type) {
    return accounts_.at(account).keys.at(type);
  }

 private:
  struct Account {
    kerberos::KdcPrincipal principal;
    std::map<EncType, KerberosKey> keys;
    std::vector<std::string> spns;
  };

  void Add(const std::string& name, uint32_t kvno, const std::string& salt,
           std::vector<std::string> spns, const std::string& password) {
    Account a;
    a.principal.account = name;
    a.principal.kvno = kvno;
    a.principal.enctypes = {EncType::kAes256CtsHmacSha196, EncType::kAes128CtsHmacSha196,
                            EncType::kRc4Hmac};
    a.principal.salt = salt;
    for (EncType t : a.principal.enctypes) {
      a.keys[t] = Must(crypto::StringToKey(t, password, salt), "StringToKey");
    }
    a.spns = std::move(spns);
    accounts_[name] = std::move(a);
  }

  std::map<std::string, Account> accounts_;
};

// `bytes` behind the selector byte of `check` (fuzz/check_selector.h).
template <typename Check>
Bytes Selected(Check check, ByteView bytes) {
  return Cat({Bytes{static_cast<uint8_t>(check)}, bytes});
}

// Whether the parser of kerberos_message_fuzzer's `check` accepts `der`.
bool KerberosCheckAccepts(fuzz::KerberosCheck check, ByteView der) {
  using namespace kerberos;  // NOLINT(google-build-using-namespace)
  using fuzz::KerberosCheck;
  switch (check) {
    case KerberosCheck::kKdcReq:
      return ParseKdcReq(der).ok();
    case KerberosCheck::kKdcReply:
      return ParseKdcReply(der).ok();
    case KerberosCheck::kApReq:
      return ParseApReq(der).ok();
    case KerberosCheck::kAuthenticator:
      return ParseAuthenticator(der).ok();
    case KerberosCheck::kTicket:
      return ParseTicket(der).ok();
    case KerberosCheck::kEncTicketPart:
      return ParseEncTicketPart(der).ok();
    case KerberosCheck::kEncKdcRepPart:
      return ParseEncKdcRepPart(der).ok();
    case KerberosCheck::kEncryptionKey:
      return ParseEncryptionKey(der).ok();
    case KerberosCheck::kPaEncTsEnc:
      return ParsePaEncTsEnc(der).ok();
    case KerberosCheck::kEtypeInfo2:
      return ParseEtypeInfo2(der).ok();
    case KerberosCheck::kMethodData:
      return ParseMethodData(der).ok();
    case KerberosCheck::kEncryptedData:
      return ParseEncryptedData(der).ok();
    case KerberosCheck::kPrincipalName:
      return ParsePrincipalName(der).ok();
    case KerberosCheck::kPaData:
      return ParsePaData(der).ok();
    case KerberosCheck::kCount:
      break;
  }
  return false;
}

// The der_fuzzer structure check for a kerberos_message_fuzzer check, if any.
std::optional<fuzz::DerCheck> DerStructureCheck(fuzz::KerberosCheck check) {
  using fuzz::DerCheck;
  using fuzz::KerberosCheck;
  switch (check) {
    case KerberosCheck::kPrincipalName:
      return DerCheck::kPrincipalName;
    case KerberosCheck::kEncryptedData:
      return DerCheck::kEncryptedData;
    case KerberosCheck::kPaData:
      return DerCheck::kPaData;
    case KerberosCheck::kEncryptionKey:
      return DerCheck::kEncryptionKey;
    case KerberosCheck::kPaEncTsEnc:
      return DerCheck::kPaEncTsEnc;
    default:
      return std::nullopt;
  }
}

// Writes a Kerberos structure as seeds: for kerberos_message_fuzzer behind
// the selector of every check whose parser accepts it (KDC-REQ's if none
// does), for der_fuzzer behind the DER walk's and the structure check's.
void WriteKerberos(const std::string& name, ByteView der) {
  using fuzz::KerberosCheck;
  std::vector<KerberosCheck> accepting;
  for (uint8_t i = 0; i < static_cast<uint8_t>(KerberosCheck::kCount); ++i) {
    const auto check = static_cast<KerberosCheck>(i);
    if (KerberosCheckAccepts(check, der)) accepting.push_back(check);
  }
  if (accepting.empty()) accepting.push_back(KerberosCheck::kKdcReq);
  for (KerberosCheck check : accepting) {
    const std::string file =
        accepting.size() == 1 ? name : name + "-" + std::to_string(static_cast<int>(check));
    Write("kerberos_message_fuzzer", file, Selected(check, der));
    if (std::optional<fuzz::DerCheck> structure = DerStructureCheck(check)) {
      Write("der_fuzzer", name + "-structure", Selected(*structure, der));
    }
  }
  Write("der_fuzzer", name, Selected(fuzz::DerCheck::kWalk, der));
}

void GenerateKerberos() {
  using namespace kerberos;  // NOLINT(google-build-using-namespace)
  Database db;
  Kdc kdc({.realm = kRealm}, db);
  SeededRandom rng(1);

  // MIT kinit's AS-REQ and our KDC's answer (PREAUTH_REQUIRED with
  // METHOD-DATA).
  const Bytes kinit = Unhex(kMitKinitAsReq);
  WriteKerberos("as_req_mit_kinit", kinit);
  const Bytes preauth_required = kdc.Handle(kinit, kNow, rng);
  WriteKerberos("krb_error_preauth_required_kinit", preauth_required);
  const KrbError error = Must(ParseKrbError(preauth_required), "ParseKrbError");
  if (error.e_data) {
    WriteKerberos("method_data", *error.e_data);
    for (const PaData& pa : Must(ParseMethodData(*error.e_data), "ParseMethodData")) {
      WriteKerberos("pa_data_" + std::to_string(pa.type), EncodePaData(pa));
      if (pa.type == kPaEtypeInfo2) WriteKerberos("etype_info2", pa.value);
    }
  }

  // Our client, WS01$: AS-REQ without and with pre-authentication.
  AsRequest as;
  as.cname = {kNtPrincipal, {"WS01$"}};
  as.realm = kRealm;
  const Bytes as_req = Must(BuildAsReq(as, 0x1234567, kNow, std::nullopt, rng), "BuildAsReq");
  WriteKerberos("as_req_ws01", as_req);
  WriteKerberos("krb_error_preauth_required_ws01", kdc.Handle(as_req, kNow, rng));
  const KerberosKey ws01_key = db.KeyOf("WS01$", EncType::kAes256CtsHmacSha196);
  const Bytes as_req_pa = Must(BuildAsReq(as, 0x1234568, kNow, ws01_key, rng), "BuildAsReq");
  WriteKerberos("as_req_ws01_enc_timestamp", as_req_pa);
  const KdcReq parsed_pa = Must(ParseAsReq(as_req_pa), "ParseAsReq");
  if (parsed_pa.padata) {
    for (const PaData& pa : *parsed_pa.padata) {
      if (pa.type != kPaEncTimestamp) continue;
      WriteKerberos("encrypted_data_pa_enc_timestamp", pa.value);
      const EncryptedData enc = Must(ParseEncryptedData(pa.value), "ParseEncryptedData");
      WriteKerberos(
          "pa_enc_ts_enc",
          Must(crypto::KerberosDecrypt(ws01_key, crypto::kUsageAsReqPaEncTimestamp, enc.cipher),
               "decrypt PA-ENC-TIMESTAMP"));
    }
  }
  WriteKerberos("kdc_req_body_ws01", parsed_pa.req_body_der);
  const Bytes as_rep = kdc.Handle(as_req_pa, kNow, rng);
  WriteKerberos("as_rep_ws01", as_rep);
  const KdcReply as_reply = Must(ParseKdcReply(as_rep), "ParseKdcReply");
  if (!as_reply.rep) {
    std::fprintf(stderr, "the KDC refused WS01$\n");
    std::exit(1);
  }
  WriteKerberos("encrypted_data_as_rep", EncodeEncryptedData(as_reply.rep->enc_part));
  const Credentials tgt = Must(DecryptAsRep(*as_reply.rep, ws01_key, 0x1234568), "DecryptAsRep");
  WriteKerberos("enc_as_rep_part", EncodeEncKdcRepPart(tgt.part));
  WriteKerberos("encryption_key", EncodeEncryptionKey(tgt.part.key));
  WriteKerberos("principal_name_krbtgt", EncodePrincipalName(tgt.ticket.sname));
  WriteKerberos("principal_name_ws01", EncodePrincipalName(tgt.cname));
  WriteKerberos("ticket_tgt", EncodeTicket(tgt.ticket));
  const KerberosKey krbtgt_key = db.KeyOf("krbtgt", EncType::kAes256CtsHmacSha196);
  WriteKerberos("enc_ticket_part_tgt",
                EncodeEncTicketPart(Must(DecryptTicket(tgt.ticket, krbtgt_key), "DecryptTicket")));

  // TGS exchange for host/ws01.corp.example.com, with a subkey.
  const PrincipalName host{kNtSrvHst, {"host", "ws01.corp.example.com"}};
  const KerberosKey subkey{EncType::kAes256CtsHmacSha196, Bytes(32, 0x5c)};
  const Bytes tgs_req =
      Must(BuildTgsReq(tgt, host, {18, 17, 23}, 0x2345678, kNow, subkey, rng), "BuildTgsReq");
  WriteKerberos("tgs_req_host_ws01", tgs_req);
  const KdcReq parsed_tgs = Must(ParseTgsReq(tgs_req), "ParseTgsReq");
  if (parsed_tgs.padata) {
    for (const PaData& pa : *parsed_tgs.padata) {
      if (pa.type != kPaTgsReq) continue;
      WriteKerberos("ap_req_tgs", pa.value);
      const ApReq ap = Must(ParseApReq(pa.value), "ParseApReq");
      WriteKerberos("authenticator_tgs",
                    Must(crypto::KerberosDecrypt(tgt.session_key, crypto::kUsageTgsReqAuthenticator,
                                                 ap.authenticator.cipher),
                         "decrypt Authenticator"));
    }
  }
  const Bytes tgs_rep = kdc.Handle(tgs_req, kNow, rng);
  WriteKerberos("tgs_rep_host_ws01", tgs_rep);
  const KdcReply tgs_reply = Must(ParseKdcReply(tgs_rep), "ParseKdcReply");
  if (!tgs_reply.rep) {
    std::fprintf(stderr, "the KDC refused the TGS-REQ\n");
    std::exit(1);
  }
  const Credentials service =
      Must(DecryptTgsRep(*tgs_reply.rep, tgt, subkey, 0x2345678), "DecryptTgsRep");
  WriteKerberos("enc_tgs_rep_part", EncodeEncKdcRepPart(service.part));
  WriteKerberos("ticket_host_ws01", EncodeTicket(service.ticket));
  WriteKerberos(
      "enc_ticket_part_host_ws01",
      EncodeEncTicketPart(Must(DecryptTicket(service.ticket, ws01_key), "DecryptTicket")));

  // Errors: unknown client, wrong password, clock skew, unknown service.
  AsRequest bob = as;
  bob.cname = {kNtPrincipal, {"bob"}};
  WriteKerberos(
      "krb_error_c_principal_unknown",
      kdc.Handle(Must(BuildAsReq(bob, 1, kNow, std::nullopt, rng), "BuildAsReq"), kNow, rng));
  const KerberosKey wrong = Must(crypto::StringToKey(EncType::kAes256CtsHmacSha196, "wrong",
                                                     crypto::AdComputerSalt(kRealm, "WS01$")),
                                 "StringToKey");
  WriteKerberos("krb_error_preauth_failed",
                kdc.Handle(Must(BuildAsReq(as, 2, kNow, wrong, rng), "BuildAsReq"), kNow, rng));
  WriteKerberos(
      "krb_error_skew",
      kdc.Handle(Must(BuildAsReq(as, 3, kNow + 3600 * kSecond, ws01_key, rng), "BuildAsReq"), kNow,
                 rng));
  const PrincipalName nobody{kNtSrvHst, {"host", "nobody.corp.example.com"}};
  WriteKerberos(
      "krb_error_s_principal_unknown",
      kdc.Handle(Must(BuildTgsReq(tgt, nobody, {18}, 4, kNow, std::nullopt, rng), "BuildTgsReq"),
                 kNow, rng));
  WriteKerberos("krb_error_generic", kdc.Handle(Unhex("6a0330"), kNow, rng));

  // A few bare DER values for the typed readers.
  // A few bare DER values for the typed readers, behind their checks.
  using fuzz::DerCheck;
  Write("der_fuzzer", "integer_negative", Selected(DerCheck::kReadInteger, Unhex("0203ff0001")));
  Write("der_fuzzer", "int32_max", Selected(DerCheck::kReadInt32, Unhex("02047fffffff")));
  Write("der_fuzzer", "uint32_max", Selected(DerCheck::kReadUint32, Unhex("020500ffffffff")));
  Write("der_fuzzer", "generalized_time",
        Selected(DerCheck::kReadKerberosTime, Unhex("180f32303236303130353038303030305a")));
  Write("der_fuzzer", "kerberos_time_text",
        Selected(DerCheck::kKerberosTimeText, Unhex("32303236303130353038303030305a")));
  Write("der_fuzzer", "bit_string_kdc_options",
        Selected(DerCheck::kReadBitString, Unhex("03050040810010")));
  Write("der_fuzzer", "boolean_true", Selected(DerCheck::kReadBoolean, Unhex("0101ff")));
  Write("der_fuzzer", "general_string_realm",
        Selected(DerCheck::kReadGeneralString, Unhex("1b10434f52502e4558414d504c452e434f4d")));
  Write("der_fuzzer", "octet_string", Selected(DerCheck::kReadOctetString, Unhex("0403010203")));
  Write("der_fuzzer", "sequence_in_context",
        Selected(DerCheck::kConstructedReads, Unhex("a0053003020105")));
  Write("der_fuzzer", "high_tag_number", Selected(DerCheck::kWalk, Unhex("bf810003020105")));
}

// --- Keytabs --------------------------------------------------------------------

void GenerateKeytabs() {
  using kerberos::KeytabEntry;
  std::vector<KeytabEntry> entries;
  const std::string salt = crypto::AdComputerSalt(kRealm, "WS01$");
  uint32_t timestamp = 1767600000;
  for (EncType t :
       {EncType::kAes256CtsHmacSha196, EncType::kAes128CtsHmacSha196, EncType::kRc4Hmac}) {
    const KerberosKey key = Must(crypto::StringToKey(t, "Passw0rd!", salt), "StringToKey");
    entries.push_back(KeytabEntry{kRealm, {"WS01$"}, kerberos::kNtPrincipal, timestamp, 3, key});
    entries.push_back(KeytabEntry{
        kRealm, {"host", "ws01.corp.example.com"}, kerberos::kNtSrvHst, timestamp, 3, key});
  }
  Write("keytab_fuzzer", "ws01_three_enctypes.keytab", kerberos::WriteKeytab(entries));
  // kvno 300: the 8-bit field wraps and the 32-bit one carries it.
  Write("keytab_fuzzer", "kvno_300.keytab",
        kerberos::WriteKeytab({KeytabEntry{
            kRealm, {"WS01$"}, kerberos::kNtPrincipal, timestamp, 300, entries[0].key}}));
  // A hole (negative size) before an entry, as MIT leaves after kdel.
  const Bytes one = kerberos::WriteKeytab({entries[4]});
  Bytes hole = {0x05, 0x02, 0xff, 0xff, 0xff, 0xf8, 0, 0, 0, 0, 0, 0, 0, 0};
  hole.insert(hole.end(), one.begin() + 2, one.end());
  Write("keytab_fuzzer", "hole_then_rc4.keytab", hole);
  Write("keytab_fuzzer", "empty.keytab", kerberos::WriteKeytab({}));
}

// --- DCE/RPC --------------------------------------------------------------------

// impacket's Netlogon request stubs (tests/protocol/netlogon/rpc_test.cc).
constexpr char kImpacketReqChallenge[] =
    "aacd00000600000000000000060000005c005c004400430031000000050000000000000005000000570053003000"
    "310000000102030405060708";
constexpr char kImpacketAuthenticate3[] =
    "2fa800000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab0500000000000000050000005700530030003100000067f84c8521df708dbfbfffff"
    "2f61";
constexpr char kImpacketAuthenticate2[] =
    "ea1700000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab0500000000000000050000005700530030003100000067f84c8521df708dbfbfffff"
    "2f61";
constexpr char kImpacketPasswordSet2[] =
    "def100000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab05000000000000000500000057005300300031000000abab016678b6d69425160"
    "0f15365ccbb00e5bdc10fcf5c4865b1e0880ee77d23c4aabb01664af292f65ac8018e06f0bd38f81da9f3731af5"
    "7d07237b65611d266277bb82b83c1963d8b9aa44010e5954d8982adb1a8b6ff0fb5011b21aee24199af935ddc93"
    "ad62b7b437de23bcaf1cc1f24f9c40904fab8c33a2f8defbeaabaa53f4b4ad897b0b0e31c8968887ce0acc5546"
    "0febd5f7ad9c32940555631a858c4384f4c6df2831a1d73f0ebf5f02360986a778a5a3acf341a157d30c75afd5"
    "80455baa8e0f6863947ee411cc789f9ee7835064ae19eee30f2935eb9ba611b244f3ca92514d85115d469d6702"
    "b36e6bbd9f8c38aa337878ed95b1ede22f9e813d7ed492d04a178c8105525b4fd350b2584b58a2fdfc813cf95d"
    "2beaf070aa472ae4c815ea66a7553665b4d1cf3e55aa1ebfcedd663db79daf1846735698b78db5886d16373fcf"
    "f20f139055c2739844235b923a19018075bb61270b9a44bc38ea5ac59ec341f35fb61793654dec667eddd12671"
    "ccfcd37ccd11a1ed6e23db80da7f453286a726a77d1d7b10e1c738764693bbc3d37d78a5d3615ec51cd071d63b"
    "c4633c7fdf0eb96319edbd141b7b60c194527f27a8385355e9987a3e9209f1524bed92fcb8db347da0aa0290a3"
    "e03ef136ff7a67d93a2a02b4c0b4e5577f5ccb874f6aa5eb1838a749b978d6ae6cd88277287603ce7059ef12c1"
    "f35b86575971712e9148fe2d89075e7ca22e0a9fbe9716a";
constexpr char kImpacketGetCapabilities[] =
    "0600000000000000060000005c005c004400430031000000c88f00000500000000000000050000005700530030"
    "0031000000abab1438cbc6bd230b2b0af1536500000000000000000000000001000000";
constexpr char kImpacketTrustPasswordsGet[] =
    "8d0800000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab05000000000000000500000057005300300031000000ababe11df9aafd5b2cc014f1"
    "5365";
constexpr char kImpacketGetTrustInfo[] =
    "0c6c00000600000000000000060000005c005c0044004300310000000600000000000000060000005700530030"
    "003100240000000200abab05000000000000000500000057005300300031000000ababc0fa387f6ef1c4ca1ef1"
    "5365";
constexpr char kImpacketLogonControl2Ex[] =
    "edc900000600000000000000060000005c005c00440043003100000006000000020000000600000008da00000500"
    "0000000000000500000043004f00520050000000";

// impacket 0.10's `dce.bind(nrpc.MSRPC_UUID_NRPC)` is NetlogonBind(1) (pdu_test.cc
// checks the encoding against impacket's bytes).
dcerpc::BindPdu NetlogonBind(uint32_t call_id) {
  dcerpc::BindPdu bind;
  bind.call_id = call_id;
  bind.contexts.push_back(
      dcerpc::PresentationContext{0, netlogon::NetlogonSyntax(), {dcerpc::Ndr20Syntax()}});
  return bind;
}

Bytes Request(uint32_t call_id, uint16_t opnum, ByteView stub, uint8_t flags = 3,
              uint16_t context_id = 0) {
  dcerpc::RequestPdu r;
  r.call_id = call_id;
  r.pfc_flags = flags;
  r.alloc_hint = static_cast<uint32_t>(stub.size());
  r.context_id = context_id;
  r.opnum = opnum;
  r.stub.assign(stub.begin(), stub.end());
  return Must(dcerpc::EncodeRequest(r), "EncodeRequest");
}

// A request under the fake 16-byte signature of dcerpc_pdu_fuzzer.
Bytes SignedRequest(uint32_t call_id, uint16_t opnum, ByteView stub, uint8_t level) {
  dcerpc::RequestPdu r;
  r.call_id = call_id;
  r.alloc_hint = static_cast<uint32_t>(stub.size());
  r.opnum = opnum;
  r.stub.assign(stub.begin(), stub.end());
  const uint8_t pad = static_cast<uint8_t>((4 - stub.size() % 4) % 4);
  r.stub.resize(stub.size() + pad, 0xbb);
  r.auth = dcerpc::AuthVerifier{dcerpc::kAuthTypeNetlogon, level, pad, 0, 79231, Bytes(16, 0x11)};
  return Must(dcerpc::EncodeRequest(r), "EncodeRequest");
}

// Writes a client byte stream behind `control` (bit 7 clear: for the
// connection), and again behind 0x80 (for the PDU codecs).
void WriteStream(const std::string& name, uint8_t control, std::initializer_list<ByteView> pdus) {
  Bytes stream = {control};
  for (ByteView p : pdus) stream.insert(stream.end(), p.begin(), p.end());
  Write("dcerpc_pdu_fuzzer", name, stream);
  stream[0] = 0x80;
  Write("dcerpc_pdu_fuzzer", name + "-codecs", stream);
}

void GenerateDcerpc() {
  using namespace dcerpc;  // NOLINT(google-build-using-namespace)
  const Bytes bind = Must(EncodeBind(NetlogonBind(1)), "EncodeBind");
  const Bytes echo = Request(2, 0, Unhex(kImpacketReqChallenge));
  const Bytes big = Request(3, 2, Unhex("0020"));  // an 8 KiB response, fragmented
  const Bytes faulting = Request(4, 1, {});
  const Bytes unknown_op = Request(5, 4, Unhex(kImpacketAuthenticate3));
  WriteStream("impacket_bind", 0x00, {bind});
  WriteStream("bind_echo_whole", 0x00, {bind, echo});
  WriteStream("bind_calls_bytewise", 0x01, {bind, echo, big, faulting, unknown_op});
  WriteStream("bind_calls_chunks_small_limits", 0x3b, {bind, echo, big, faulting});
  WriteStream("bind_calls_chunks", 0x55, {bind, Request(2, 0, Unhex(kImpacketPasswordSet2))});

  // A fragmented request: first, middle, last.
  const Bytes stub = Unhex(kImpacketPasswordSet2);
  const ByteView s(stub);
  WriteStream("fragmented_request", 0x04,
              {bind, Request(7, 0, s.subspan(0, 200), kPfcFirstFrag),
               Request(7, 0, s.subspan(200, 200), 0), Request(7, 0, s.subspan(400), kPfcLastFrag)});

  // Schannel-style bind (auth type 68, privacy) and signed calls.
  BindPdu secure = NetlogonBind(1);
  secure.auth = AuthVerifier{kAuthTypeNetlogon,
                             kAuthLevelPrivacy,
                             0,
                             0,
                             79231,
                             Unhex("00000000170000004e455442494f53000000")};
  const Bytes secure_bind = Must(EncodeBind(secure), "EncodeBind");
  WriteStream("schannel_bind_signed_calls", 0x02,
              {secure_bind, SignedRequest(2, 0, Unhex(kImpacketReqChallenge), kAuthLevelPrivacy),
               SignedRequest(3, 2, Unhex("0010"), kAuthLevelPrivacy)});

  // alter_context adding a second context, with a new security context.
  BindPdu alter = NetlogonBind(2);
  alter.contexts[0].context_id = 1;
  alter.auth = AuthVerifier{kAuthTypeNetlogon, kAuthLevelIntegrity, 0, 0, 2, Unhex("01020304")};
  WriteStream("alter_context_second_context", 0x03,
              {bind, Must(EncodeAlterContext(alter), "EncodeAlterContext"),
               Request(3, 0, Unhex("41424344"), 3, 1)});

  // Bind-time feature negotiation and NDR64, as Windows offers them.
  BindPdu features = NetlogonBind(1);
  features.contexts.push_back(PresentationContext{1, netlogon::NetlogonSyntax(), {Ndr64Syntax()}});
  features.contexts.push_back(
      PresentationContext{2, netlogon::NetlogonSyntax(), {BindTimeFeatureSyntax(3)}});
  WriteStream("bind_feature_negotiation", 0x00, {Must(EncodeBind(features), "EncodeBind"), echo});

  // auth3, co_cancel, orphaned and shutdown after the bind.
  WriteStream(
      "auth3_cancel_orphaned_shutdown", 0x00,
      {bind,
       Must(EncodeAuth3(Auth3Pdu{
                2, 3, AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 0, 0, 1, Unhex("0102")}}),
            "EncodeAuth3"),
       Must(EncodeHeaderOnly(kPtypeCoCancel, 3), "EncodeHeaderOnly"),
       Request(4, 0, Unhex("00"), kPfcFirstFrag),
       Must(EncodeHeaderOnly(kPtypeOrphaned, 4), "EncodeHeaderOnly"),
       Must(EncodeHeaderOnly(kPtypeShutdown, 5), "EncodeHeaderOnly")});

  // What only a server sends, for the parsers (the connection refuses them).
  BindAckPdu ack;
  ack.call_id = 1;
  ack.max_xmit_frag = 4280;
  ack.max_recv_frag = 4280;
  ack.assoc_group_id = 0x12345;
  ack.secondary_address = "49664";
  ack.results.push_back(ContextResult{kResultAcceptance, kReasonNotSpecified, Ndr20Syntax()});
  WriteStream("bind_ack", 0x00, {Must(EncodeBindAck(ack), "EncodeBindAck")});
  ack.secondary_address = "";
  ack.auth = AuthVerifier{kAuthTypeNetlogon, kAuthLevelPrivacy, 0, 0, 79231, Unhex("01000000")};
  WriteStream("alter_context_resp", 0x00,
              {Must(EncodeAlterContextResp(ack), "EncodeAlterContextResp")});
  BindNakPdu nak;
  nak.call_id = 1;
  nak.reject_reason = kBindNakProtocolVersionNotSupported;
  WriteStream("bind_nak", 0x00, {Must(EncodeBindNak(nak), "EncodeBindNak")});
  ResponsePdu response;
  response.call_id = 2;
  response.alloc_hint = 12;
  response.stub = Unhex("111213141516171800000000");
  WriteStream("response", 0x00, {Must(EncodeResponse(response), "EncodeResponse")});
  FaultPdu fault;
  fault.call_id = 2;
  fault.pfc_flags = 0x23;
  fault.alloc_hint = 24;
  fault.status = kFaultOpRangeError;
  WriteStream("fault", 0x00, {Must(EncodeFault(fault), "EncodeFault")});
}

// --- Netlogon NDR ---------------------------------------------------------------

class MemoryStore final : public netlogon::TrustAccountStore {
 public:
  absl::StatusOr<netlogon::TrustAccount> FindTrustAccount(absl::string_view name) override {
    if (!absl::EqualsIgnoreCase(name, "WS01$")) return absl::NotFoundError("no such account");
    return account_;
  }
  absl::Status SetTrustAccountPassword(absl::string_view name, ByteView utf16le) override {
    account_.previous = account_.current;
    account_.current = crypto::NtHashOfUtf16Le(utf16le);
    return absl::OkStatus();
  }

 private:
  netlogon::TrustAccount account_{1105, netlogon::kUfWorkstationTrustAccount,
                                  crypto::NtHashOfPassword("Passw0rd!").value(), std::nullopt};
};

class VectorRandom final : public RandomSource {
 public:
  void Fill(absl::Span<uint8_t> out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(0x11 + i % 8);
  }
};

void WriteNdr(const std::string& name, uint8_t opnum, uint8_t flags, ByteView stub) {
  Write("ndr_netlogon_fuzzer", name, Cat({Bytes{opnum, flags}, stub}));
}

void GenerateNdr() {
  using namespace netlogon;  // NOLINT(google-build-using-namespace)
  struct Call {
    const char* name;
    uint16_t opnum;
    const char* stub;
    uint8_t flags;  // see ndr_netlogon_fuzzer.cc
  };
  // In the order of the §8 example, each seed after a fresh handshake (flags
  // 0) or without one (flags 4); 2 = over schannel.
  const Call calls[] = {
      {"req_challenge", kOpNetrServerReqChallenge, kImpacketReqChallenge, 4},
      {"authenticate3", kOpNetrServerAuthenticate3, kImpacketAuthenticate3, 4},
      {"authenticate2", kOpNetrServerAuthenticate2, kImpacketAuthenticate2, 4},
      {"password_set2", kOpNetrServerPasswordSet2, kImpacketPasswordSet2, 0},
      {"password_set2_schannel", kOpNetrServerPasswordSet2, kImpacketPasswordSet2, 2},
      {"get_capabilities", kOpNetrLogonGetCapabilities, kImpacketGetCapabilities, 2},
      {"trust_passwords_get", kOpNetrServerTrustPasswordsGet, kImpacketTrustPasswordsGet, 0},
      {"get_trust_info", kOpNetrServerGetTrustInfo, kImpacketGetTrustInfo, 0},
      {"logon_control2ex", kOpNetrLogonControl2Ex, kImpacketLogonControl2Ex, 4},
  };
  for (const Call& c : calls) {
    WriteNdr(std::string("request_") + c.name, static_cast<uint8_t>(c.opnum), c.flags,
             Unhex(c.stub));
  }

  // The server's responses along the §8 example, for the client decoders.
  MemoryStore store;
  VectorRandom rng;
  NetlogonServer server(store, rng);
  NetlogonRpcHandler handler(server, SchannelPolicy::kAllowPlain);
  for (const Call& c : calls) {
    const Bytes stub = Unhex(c.stub);
    const dcerpc::CallReply reply = handler.Call(dcerpc::CallContext{c.opnum, stub, std::nullopt});
    if (reply.fault == 0) {
      WriteNdr(std::string("response_") + c.name, static_cast<uint8_t>(c.opnum), 1, reply.stub);
    }
  }
}

}  // namespace
}  // namespace trustsim

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus root, e.g. fuzz/corpus>\n", argv[0]);
    return 2;
  }
  trustsim::g_root = argv[1];
  trustsim::GenerateKerberos();
  trustsim::GenerateKeytabs();
  trustsim::GenerateDcerpc();
  trustsim::GenerateNdr();
  std::printf("wrote %d seed files under %s\n", trustsim::g_written, argv[1]);
  return 0;
}
