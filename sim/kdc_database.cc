// Copyright 2026 The trustsim Authors.

#include "sim/kdc_database.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "sim/domain_controller.h"
#include "sim/world.h"

namespace trustsim::sim {
namespace {

using crypto::EncType;
using kerberos::KdcPrincipal;
using kerberos::PrincipalName;

constexpr EncType kEnctypes[] = {EncType::kAes256CtsHmacSha196, EncType::kAes128CtsHmacSha196,
                                 EncType::kRc4Hmac};

// Service classes AD's default sPNMappings (CN=Directory Service,CN=Windows
// NT,CN=Services,CN=Configuration) maps onto "host".
constexpr const char* kHostAliases[] = {
    "alerter",     "appmgmt",      "browser",    "cifs",     "cisvc",       "clipsrv",
    "dcom",        "dhcp",         "dmserver",   "dns",      "dnscache",    "eventlog",
    "eventsystem", "fax",          "http",       "ias",      "iisadmin",    "mcsvc",
    "messenger",   "msdtc",        "msiserver",  "netdde",   "netddedsm",   "netlogon",
    "netman",      "nmagent",      "oakley",     "plugplay", "policyagent", "protectedstorage",
    "rasman",      "remoteaccess", "replicator", "rpc",      "rpclocator",  "rpcss",
    "rsvp",        "samss",        "scardsvr",   "scesrv",   "schedule",    "scm",
    "seclogon",    "snmp",         "spooler",    "tapisrv",  "time",        "trksvr",
    "trkwks",      "ups",          "w3svc",      "wins",     "www"};

bool IsKrbtgt(const PrincipalName& name, absl::string_view realm) {
  return name.name_string.size() == 2 && absl::EqualsIgnoreCase(name.name_string[0], "krbtgt") &&
         absl::EqualsIgnoreCase(name.name_string[1], realm);
}

constexpr char kKrbtgtAccount[] = "krbtgt";
constexpr char kUserPrefix[] = "user:";

}  // namespace

KdcPrincipal DcKdcDatabase::ComputerPrincipal(const ComputerAccount& account) {
  KdcPrincipal p;
  p.account = account.sam_account_name;
  p.kvno = account.kvno;
  p.enctypes.assign(std::begin(kEnctypes), std::end(kEnctypes));
  p.salt = crypto::AdComputerSalt(world_.domain().Realm(), account.sam_account_name);
  p.disabled = account.disabled();
  if (clock_shift) p.clock_shift_micros = clock_shift(account.sam_account_name);
  return p;
}

std::vector<const ComputerAccount*> DcKdcDatabase::SpnHolders(const PrincipalName& name) {
  const std::string spn = absl::StrJoin(name.name_string, "/");
  std::vector<const ComputerAccount*> holders = dc_.SpnHolders(spn);
  if (holders.empty() && name.name_string.size() >= 2) {
    const std::string service = absl::AsciiStrToLower(name.name_string[0]);
    if (std::find(std::begin(kHostAliases), std::end(kHostAliases), service) !=
        std::end(kHostAliases)) {
      std::vector<std::string> host = name.name_string;
      host[0] = "host";
      holders = dc_.SpnHolders(absl::StrJoin(host, "/"));
    }
  }
  return holders;
}

absl::StatusOr<KdcPrincipal> DcKdcDatabase::FindClient(const PrincipalName& name,
                                                       absl::string_view realm) {
  if (name.name_string.size() == 1) {
    const std::string& sam = name.name_string[0];
    if (ComputerAccount* account = dc_.FindAccount(sam); account != nullptr && !account->deleted) {
      return ComputerPrincipal(*account);
    }
    if (const DomainUser* user = world_.FindUser(sam); user != nullptr) {
      KdcPrincipal p;
      p.account = absl::StrCat(kUserPrefix, user->name);
      p.enctypes.assign(std::begin(kEnctypes), std::end(kEnctypes));
      p.salt = absl::StrCat(world_.domain().Realm(), user->name);
      p.disabled = !user->enabled;
      return p;
    }
    return absl::NotFoundError(absl::StrCat("no account ", sam));
  }
  // A computer's SPN names the computer as a client too.
  std::vector<const ComputerAccount*> holders = SpnHolders(name);
  if (holders.size() == 1) return ComputerPrincipal(*holders.front());
  return absl::NotFoundError("no client by that name");
}

absl::StatusOr<KdcPrincipal> DcKdcDatabase::FindServer(const PrincipalName& name,
                                                       absl::string_view realm) {
  if (IsKrbtgt(name, world_.domain().Realm())) {
    KdcPrincipal p;
    p.account = kKrbtgtAccount;
    p.kvno = world_.krbtgt_kvno();
    p.enctypes.assign(std::begin(kEnctypes), std::end(kEnctypes));
    return p;
  }
  if (name.name_string.size() == 1) {
    ComputerAccount* account = dc_.FindAccount(name.name_string[0]);
    if (account != nullptr && !account->deleted) return ComputerPrincipal(*account);
    return absl::NotFoundError("no such service");
  }
  std::vector<const ComputerAccount*> holders = SpnHolders(name);
  if (holders.size() > 1) return absl::FailedPreconditionError("duplicate SPN");
  if (holders.empty()) return absl::NotFoundError("no such service");
  return ComputerPrincipal(*holders.front());
}

std::vector<std::string> DcKdcDatabase::DuplicateHolders(const PrincipalName& name) {
  std::vector<std::string> names;
  for (const ComputerAccount* account : SpnHolders(name)) {
    names.push_back(account->sam_account_name);
  }
  return names;
}

absl::StatusOr<crypto::KerberosKey> DcKdcDatabase::CurrentKey(const KdcPrincipal& principal,
                                                              EncType type) {
  if (principal.account == kKrbtgtAccount) return world_.KrbtgtKey(type);
  if (absl::StartsWith(principal.account, kUserPrefix)) {
    const std::string name = principal.account.substr(sizeof(kUserPrefix) - 1);
    auto key = std::make_pair(name, static_cast<int32_t>(type));
    if (auto it = user_keys_.find(key); it != user_keys_.end()) return it->second;
    const DomainUser* user = world_.FindUser(name);
    if (user == nullptr) return absl::NotFoundError("user is gone");
    ASSIGN_OR_RETURN(crypto::KerberosKey derived,
                     crypto::StringToKey(type, user->password, principal.salt));
    return user_keys_.emplace(key, derived).first->second;
  }
  ComputerAccount* account = dc_.FindAccount(principal.account);
  if (account == nullptr) return absl::NotFoundError("account is gone");
  return account->CurrentKey(type, world_.domain().Realm());
}

std::vector<crypto::KerberosKey> DcKdcDatabase::HistoricKeys(const KdcPrincipal& principal,
                                                             EncType type) {
  std::vector<crypto::KerberosKey> keys;
  ComputerAccount* account = dc_.FindAccount(principal.account);
  if (account == nullptr || !account->previous) return keys;
  absl::StatusOr<crypto::KerberosKey> key = account->previous->KerberosKey(
      type, crypto::AdComputerSalt(world_.domain().Realm(), account->sam_account_name));
  if (key.ok()) keys.push_back(*std::move(key));
  return keys;
}

void DcKdcDatabase::OnKdcEvent(const kerberos::KdcEvent& event) {
  world_.RecordKdcEvent(dc_, event);
}

}  // namespace trustsim::sim
