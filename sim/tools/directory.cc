// Copyright 2026 The trustsim Authors.
//
// Directory tools: setspn, ldifde, Get-ADComputer and the ADUC-equivalent
// account actions (Disable-ADAccount, Enable-ADAccount, Remove-ADComputer,
// dsmod computer -reset / -disabled).
//
// They read the directory as one DC holds it: the PDC emulator unless the
// command names a server (-Server, ldifde -s, dsmod -s), so a replica that has
// not yet caught up shows its stale copy. Changes go through the world's ADUC
// operations (World::AddSpn, ResetAccount, ...), which write at the PDC and
// replicate from there. The caller needs a domain identity to read (a domain
// account, or any administrator on a DC) and a domain admin to write.
//
// Output follows Microsoft's documentation and published console captures
// where they exist (docs/commands/setspn.md, ldifde.md, Get-ADComputer.md,
// ad-account-actions.md name each source); the rest is trustsim's best
// effort and those pages say so.

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sim/tools/commands.h"
#include "sim/tools/windows_text.h"

namespace trustsim::sim::tools {
namespace {

// --- Who is asking, and which DC answers -----------------------------------------

bool OnDc(Shell& shell, const Session& session) {
  return shell.world().FindDc(session.host) != nullptr;
}

// A domain account, or an administrator logged on to a DC (whose only
// accounts are domain accounts).
bool HasDomainIdentity(Shell& shell, const Session& session) {
  if (session.user.empty()) return false;
  return session.domain_account || OnDc(shell, session);
}

bool IsDomainAdmin(Shell& shell, const Session& session) {
  return HasDomainIdentity(shell, session) && shell.IsLocalAdmin(session);
}

// The ActiveDirectory module, ldifde and dsmod: RSAT, or a DC.
bool HasAdTools(Shell& shell, const Session& session) {
  if (OnDc(shell, session)) return true;
  const Member* member = shell.MemberOf(session);
  return member != nullptr && member->os().HasActiveDirectoryModule();
}

// The DC a tool talks to: `server` (a DC's name or FQDN, or the domain's
// name) or, when empty, the PDC emulator. Null when there is no such DC.
DomainController* TargetDc(World& world, absl::string_view server) {
  if (server.empty() || absl::EqualsIgnoreCase(server, world.domain().dns_name) ||
      absl::EqualsIgnoreCase(server, world.domain().netbios_name)) {
    return world.Pdc();
  }
  absl::string_view name = server;
  if (size_t dot = name.find('.'); dot != absl::string_view::npos) name = name.substr(0, dot);
  return world.FindDc(name);
}

bool CanReach(Shell& shell, const Session& session, const DomainController& dc) {
  return shell.world().network().Reachable(session.host, dc.name());
}

// "CORP\WS01$" -> "WS01$".
absl::string_view StripDomain(absl::string_view name) {
  if (size_t slash = name.find('\\'); slash != absl::string_view::npos) {
    return name.substr(slash + 1);
  }
  return name;
}

// setspn's account name: a computer if one of that name exists, else a user
// or service account (Microsoft's setspn page: "If neither [-C nor -U] is
// specified, the tool interprets accountname as a computer name if such
// computer exists, and as a user name if it doesn't").
ComputerAccount* FindSetspnAccount(DomainController& dc, absl::string_view name) {
  name = StripDomain(name);
  if (!absl::EndsWith(name, "$")) {
    if (ComputerAccount* computer = dc.FindAccount(absl::StrCat(name, "$"))) return computer;
  }
  return dc.FindAccount(name);
}

// Every live account the DC holds, in a stable order.
std::vector<const ComputerAccount*> LiveAccounts(const DomainController& dc) {
  std::vector<const ComputerAccount*> out;
  for (const auto& [key, account] : dc.accounts()) {
    if (!account.deleted) out.push_back(&account);
  }
  return out;
}

// A deterministic objectGUID derived from the SID (two FNV-1a 64-bit hashes),
// formatted as PowerShell prints a Guid.
std::string ObjectGuid(const ComputerAccount& account) {
  auto fnv = [](absl::string_view text, uint64_t basis) {
    uint64_t h = basis;
    for (char c : text) {
      h ^= static_cast<uint8_t>(c);
      h *= 0x100000001b3ULL;
    }
    return h;
  };
  const std::string seed = account.sid.empty() ? account.sam_account_name : account.sid;
  const uint64_t hi = fnv(seed, 0xcbf29ce484222325ULL);
  const uint64_t lo = fnv(seed, 0x84222325cbf29ce4ULL);
  const uint16_t version = static_cast<uint16_t>(((hi >> 16) & 0x0fff) | 0x4000);
  const uint16_t variant = static_cast<uint16_t>(((lo >> 48) & 0x3fff) | 0x8000);
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", static_cast<uint32_t>(hi >> 32),
                         static_cast<uint16_t>(hi & 0xffff), version, variant,
                         lo & 0xffffffffffffULL);
}

// --- setspn ------------------------------------------------------------------------

constexpr char kSetspnUsage[] =
    "Usage: setspn [modifiers switch] [accountname]\n"
    "  Where \"accountname\" can be the name or domain\\name\n"
    "  of the target computer or user account\n"
    "\n"
    "  Edit Mode Switches:\n"
    "   -R = reset HOST ServicePrincipalName\n"
    "   -A = add arbitrary SPN\n"
    "   -S = add arbitrary SPN after verifying no duplicates exist\n"
    "   -D = delete arbitrary SPN\n"
    "   -L = list SPNs registered to target account\n"
    "\n"
    "  Query Mode Switches:\n"
    "   -Q = query for existence of SPN\n"
    "   -X = search for duplicate SPNs\n";

std::string CheckingDomain(const World& world) {
  return absl::StrCat("Checking domain ", DomainDn(world.domain()), "\n");
}

std::string CouldNotFind(absl::string_view name) {
  return absl::StrCat(
      "FindDomainForAccount: Call to DsGetDcNameWithAccountW failed with return value "
      "0x00000525\nCould not find account ",
      StripDomain(name), "\n");
}

// setspn's LDAP connection to a DC: fails when none is reachable or the caller
// has no domain identity.
std::optional<CommandResult> SetspnConnect(Shell& shell, const Session& session,
                                           DomainController* dc, absl::string_view account) {
  if (dc == nullptr || !CanReach(shell, session, *dc)) {
    std::string out =
        "Ldap Error(0x51 -- Server Down): ldap_connect\n"
        "Failed to retrieve DN for domain \"\" : 0x00000051\n";
    if (!account.empty()) {
      absl::StrAppend(&out,
                      "FindDomainForAccount: Call to DsGetDcNameWithAccountW failed with return "
                      "value 0x0000054B\nUnable to locate account ",
                      StripDomain(account), "\n");
    }
    return CommandResult{1, out};
  }
  if (!HasDomainIdentity(shell, session)) {
    return CommandResult{1,
                         "Ldap Error(0x31 -- Invalid Credentials): ldap_bind\n"
                         "Failed to retrieve DN for domain \"\" : 0x00000031\n"};
  }
  return std::nullopt;
}

CommandResult SetspnList(Shell& shell, Session& session, absl::string_view name) {
  World& world = shell.world();
  DomainController* dc = world.Pdc();
  if (auto failed = SetspnConnect(shell, session, dc, name)) return *failed;
  std::string dn;
  std::vector<std::string> spns;
  if (const ComputerAccount* account = FindSetspnAccount(*dc, name)) {
    dn = AccountDn(world.domain(), *account);
    spns = account->service_principal_names;
  } else if (const DomainUser* user = world.FindUser(StripDomain(name))) {
    dn = absl::StrCat("CN=", user->name, ",CN=Users,", DomainDn(world.domain()));
  } else {
    return {1, CouldNotFind(name)};
  }
  std::string out = absl::StrCat("Registered ServicePrincipalNames for ", dn, ":\n");
  for (const std::string& spn : spns) absl::StrAppend(&out, "\t", spn, "\n");
  return {0, out};
}

CommandResult SetspnAdd(Shell& shell, Session& session, absl::string_view spn,
                        absl::string_view name) {
  World& world = shell.world();
  DomainController* dc = world.Pdc();
  if (auto failed = SetspnConnect(shell, session, dc, name)) return *failed;
  // The target: an existing account, or a domain user that gets its first SPN.
  std::string world_name, dn;
  if (const ComputerAccount* account = FindSetspnAccount(*dc, name)) {
    world_name = account->sam_account_name;
    dn = AccountDn(world.domain(), *account);
  } else if (const DomainUser* user = world.FindUser(StripDomain(name))) {
    world_name = user->name;
    dn = absl::StrCat("CN=", user->name, ",CN=Users,", DomainDn(world.domain()));
  } else {
    return {1, CouldNotFind(name)};
  }
  std::string out = CheckingDomain(world);
  // setspn searches for the SPN before it writes (-S always; -A too against
  // Windows Server 2012 and later DCs), so a duplicate stops here, on the
  // client, and the DC logs nothing.
  auto duplicate = [&](const ComputerAccount& holder) {
    absl::StrAppend(&out, AccountDn(world.domain(), holder), "\n");
    for (const std::string& held : holder.service_principal_names) {
      if (absl::EqualsIgnoreCase(held, spn)) absl::StrAppend(&out, "\t", held, "\n");
    }
    absl::StrAppend(&out, "\nDuplicate SPN found, aborting operation!\n");
    return CommandResult{1, out};
  };
  if (const ComputerAccount* holder = dc->FindSpnHolder(spn)) return duplicate(*holder);

  absl::StrAppend(&out, "\nRegistering ServicePrincipalNames for ", dn, "\n\t", spn, "\n");
  if (!IsDomainAdmin(shell, session)) {
    absl::StrAppend(&out, "Failed to assign SPN on account '", dn,
                    "', error 0x2098/8344 -> Insufficient access rights to perform the "
                    "operation.\n");
    return {1, out};
  }
  const Outcome added = world.AddSpn(world_name, spn);
  if (!added.ok()) {
    if (added.win32 == kErrorDsSpnValueNotUniqueInForest) {
      absl::StrAppend(&out, "Duplicate SPN found, aborting operation!\n");
    } else {
      absl::StrAppendFormat(&out, "Failed to assign SPN on account '%s', error 0x%x/%u -> %s\n", dn,
                            added.win32, added.win32, Win32ErrorMessage(added.win32));
    }
    return {1, out};
  }
  absl::StrAppend(&out, "Updated object\n");
  return {0, out};
}

CommandResult SetspnDelete(Shell& shell, Session& session, absl::string_view spn,
                           absl::string_view name) {
  World& world = shell.world();
  DomainController* dc = world.Pdc();
  if (auto failed = SetspnConnect(shell, session, dc, name)) return *failed;
  const ComputerAccount* account = FindSetspnAccount(*dc, name);
  if (account == nullptr) return {1, CouldNotFind(name)};
  const std::string dn = AccountDn(world.domain(), *account);
  std::string out = absl::StrCat("Unregistering ServicePrincipalNames for ", dn, "\n\t", spn, "\n");
  if (!IsDomainAdmin(shell, session)) {
    absl::StrAppend(&out, "Failed to remove SPN on account '", dn,
                    "', error 0x2098/8344 -> Insufficient access rights to perform the "
                    "operation.\n");
    return {1, out};
  }
  const bool held =
      std::any_of(account->service_principal_names.begin(), account->service_principal_names.end(),
                  [&](const std::string& s) { return absl::EqualsIgnoreCase(s, spn); });
  if (!held) {
    // Removing a value the attribute does not hold: the LDAP modify fails
    // with noSuchAttribute (ERROR_DS_NO_ATTRIBUTE_OR_VALUE).
    absl::StrAppend(&out, "Failed to remove SPN on account '", dn,
                    "', error 0x200a/8202 -> The specified directory service attribute or "
                    "value does not exist.\n");
    return {1, out};
  }
  const Outcome removed = world.RemoveSpn(account->sam_account_name, spn);
  if (!removed.ok()) {
    absl::StrAppendFormat(&out, "Failed to remove SPN on account '%s', error 0x%x/%u -> %s\n", dn,
                          removed.win32, removed.win32, Win32ErrorMessage(removed.win32));
    return {1, out};
  }
  absl::StrAppend(&out, "Updated object\n");
  return {0, out};
}

CommandResult SetspnQuery(Shell& shell, Session& session, absl::string_view pattern) {
  World& world = shell.world();
  DomainController* dc = world.Pdc();
  if (auto failed = SetspnConnect(shell, session, dc, "")) return *failed;
  std::string out = CheckingDomain(world);
  bool found = false;
  for (const ComputerAccount* account : LiveAccounts(*dc)) {
    const bool match = std::any_of(account->service_principal_names.begin(),
                                   account->service_principal_names.end(),
                                   [&](const std::string& s) { return WildcardMatch(pattern, s); });
    if (!match) continue;
    found = true;
    absl::StrAppend(&out, AccountDn(world.domain(), *account), "\n");
    for (const std::string& spn : account->service_principal_names) {
      absl::StrAppend(&out, "\t", spn, "\n");
    }
  }
  if (!found) return {1, absl::StrCat(out, "\nNo such SPN found.\n")};
  return {0, absl::StrCat(out, "\nExisting SPN found!\n")};
}

CommandResult SetspnDuplicates(Shell& shell, Session& session) {
  World& world = shell.world();
  DomainController* dc = world.Pdc();
  if (auto failed = SetspnConnect(shell, session, dc, "")) return *failed;
  // Lower-cased SPN -> (as first written, holders' DNs).
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> holders;
  for (const ComputerAccount* account : LiveAccounts(*dc)) {
    std::set<std::string> seen;  // an account listing a value twice is one holder
    for (const std::string& spn : account->service_principal_names) {
      const std::string key = absl::AsciiStrToLower(spn);
      if (!seen.insert(key).second) continue;
      auto& entry = holders[key];
      if (entry.first.empty()) entry.first = spn;
      entry.second.push_back(AccountDn(world.domain(), *account));
    }
  }
  std::string out = absl::StrCat(CheckingDomain(world), "Processing entry 0\n");
  int groups = 0;
  for (const auto& [key, entry] : holders) {
    if (entry.second.size() < 2) continue;
    ++groups;
    absl::StrAppend(&out, entry.first, " is registered on these accounts:\n");
    for (const std::string& dn : entry.second) absl::StrAppend(&out, "\t", dn, "\n");
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, "found ", groups, " group of duplicate SPNs.\n");
  return {0, out};
}

CommandResult Setspn(Shell& shell, Session& session, const CommandLine& cmd) {
  // Switches start with - or /, case-insensitively; -T takes a domain and
  // -C, -U, -F, -P only qualify the others.
  std::string mode;
  std::vector<std::string> args;
  for (size_t i = 1; i < cmd.words.size(); ++i) {
    const std::string& w = cmd.words[i];
    if (w.size() >= 2 && (w[0] == '-' || w[0] == '/')) {
      const std::string sw = absl::AsciiStrToLower(w.substr(1));
      if (sw == "t") {
        ++i;  // -T domain: trustsim has one domain
      } else if (sw == "c" || sw == "u" || sw == "f" || sw == "p") {
      } else if (sw == "l" || sw == "s" || sw == "a" || sw == "d" || sw == "q" || sw == "x") {
        if (!mode.empty()) return {1, kSetspnUsage};
        mode = sw;
      } else {
        return {1, kSetspnUsage};
      }
    } else {
      args.push_back(w);
    }
  }
  if (mode.empty() && args.size() == 1) mode = "l";  // "setspn WS01" lists
  if (mode == "l" && args.size() == 1) return SetspnList(shell, session, args[0]);
  if ((mode == "s" || mode == "a") && args.size() == 2) {
    return SetspnAdd(shell, session, args[0], args[1]);
  }
  if (mode == "d" && args.size() == 2) return SetspnDelete(shell, session, args[0], args[1]);
  if (mode == "q" && args.size() == 1) return SetspnQuery(shell, session, args[0]);
  if (mode == "x" && args.empty()) return SetspnDuplicates(shell, session);
  return {1, kSetspnUsage};
}

// --- LDAP filters (ldifde -r) -----------------------------------------------------------

// The attributes of an account as LDAP returns them, by lower-cased name.
struct LdapEntry {
  std::string dn;
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;  // display name
  const std::vector<std::string>* Find(absl::string_view name) const {
    for (const auto& [n, values] : attributes) {
      if (absl::EqualsIgnoreCase(n, name)) return &values;
    }
    return nullptr;
  }
};

LdapEntry EntryOf(const DomainConfig& domain, const ComputerAccount& account) {
  LdapEntry e;
  e.dn = AccountDn(domain, account);
  const bool computer = IsComputerAccount(account);
  std::vector<std::string> classes = {"top", "person", "organizationalPerson", "user"};
  if (computer) classes.push_back("computer");
  e.attributes.push_back({"objectClass", classes});
  e.attributes.push_back({"cn", {AccountCn(account)}});
  e.attributes.push_back({"distinguishedName", {e.dn}});
  e.attributes.push_back({"name", {AccountCn(account)}});
  e.attributes.push_back({"userAccountControl", {absl::StrCat(account.user_account_control)}});
  e.attributes.push_back({"pwdLastSet", {absl::StrCat(ToFileTime(account.pwd_last_set))}});
  e.attributes.push_back({"sAMAccountName", {account.sam_account_name}});
  if (!account.dns_host_name.empty()) {
    e.attributes.push_back({"dNSHostName", {account.dns_host_name}});
  }
  if (!account.service_principal_names.empty()) {
    e.attributes.push_back({"servicePrincipalName", account.service_principal_names});
  }
  return e;
}

// A parsed filter: "&", "|", "!" with children, or attr=value (value may hold
// "*" wildcards; "*" alone tests presence).
struct LdapFilter {
  char op = '=';
  std::string attribute;
  std::string value;
  std::vector<LdapFilter> children;

  bool Matches(const LdapEntry& entry) const {
    switch (op) {
      case '&':
        return std::all_of(children.begin(), children.end(),
                           [&](const LdapFilter& f) { return f.Matches(entry); });
      case '|':
        return std::any_of(children.begin(), children.end(),
                           [&](const LdapFilter& f) { return f.Matches(entry); });
      case '!':
        return !children.front().Matches(entry);
      default: {
        const std::vector<std::string>* values = entry.Find(attribute);
        if (values == nullptr) return false;
        return std::any_of(values->begin(), values->end(),
                           [&](const std::string& v) { return WildcardMatch(value, v); });
      }
    }
  }
};

// Parses one parenthesised filter at `text[pos]`; advances `pos`.
std::optional<LdapFilter> ParseFilter(absl::string_view text, size_t& pos) {
  if (pos >= text.size() || text[pos] != '(') return std::nullopt;
  ++pos;
  LdapFilter f;
  if (pos < text.size() && (text[pos] == '&' || text[pos] == '|' || text[pos] == '!')) {
    f.op = text[pos++];
    while (pos < text.size() && text[pos] == '(') {
      std::optional<LdapFilter> child = ParseFilter(text, pos);
      if (!child) return std::nullopt;
      f.children.push_back(std::move(*child));
    }
    if (f.children.empty() || (f.op == '!' && f.children.size() != 1)) return std::nullopt;
  } else {
    const size_t close = text.find(')', pos);
    if (close == absl::string_view::npos) return std::nullopt;
    absl::string_view item = text.substr(pos, close - pos);
    const size_t eq = item.find('=');
    if (eq == absl::string_view::npos || eq == 0) return std::nullopt;
    f.attribute = std::string(absl::StripAsciiWhitespace(item.substr(0, eq)));
    f.value = std::string(item.substr(eq + 1));
    pos = close;
  }
  if (pos >= text.size() || text[pos] != ')') return std::nullopt;
  ++pos;
  return f;
}

std::optional<LdapFilter> ParseWholeFilter(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  std::string wrapped(text);
  if (!absl::StartsWith(text, "(")) wrapped = absl::StrCat("(", text, ")");
  size_t pos = 0;
  std::optional<LdapFilter> f = ParseFilter(wrapped, pos);
  if (!f || pos != wrapped.size()) return std::nullopt;
  return f;
}

// --- ldifde ------------------------------------------------------------------------

constexpr char kLdifdeUsage[] =
    "LDIF Directory Exchange\n"
    "\n"
    "General Parameters\n"
    "==================\n"
    "-i              Turn on Import Mode (The default is Export)\n"
    "-f filename     Input or Output filename\n"
    "-s servername   The server to bind to (Default to DC of computer's domain)\n"
    "\n"
    "Export Specific\n"
    "===============\n"
    "-d RootDN       The root of the LDAP search (Default to Naming Context)\n"
    "-r Filter       LDAP search filter (Default to \"(objectClass=*)\")\n"
    "-p SearchScope  Search Scope (Base/OneLevel/Subtree)\n"
    "-l list         List of attributes (comma separated) to look for\n"
    "                in an LDAP search\n";

CommandResult Ldifde(Shell& shell, Session& session, const CommandLine& cmd) {
  World& world = shell.world();
  if (!HasAdTools(shell, session)) return {9009, NotRecognized(cmd.words[0])};
  std::map<std::string, std::string> opts;
  for (size_t i = 1; i < cmd.words.size(); ++i) {
    const std::string& w = cmd.words[i];
    if (w.size() != 2 || (w[0] != '-' && w[0] != '/')) return {1, kLdifdeUsage};
    const std::string name = absl::AsciiStrToLower(w.substr(1));
    if (name == "f" || name == "r" || name == "l" || name == "s" || name == "d" || name == "p") {
      if (i + 1 >= cmd.words.size()) return {1, kLdifdeUsage};
      opts[name] = cmd.words[++i];
    } else if (name == "u" || name == "n") {
      opts[name] = "";  // Unicode output / no binary values: no effect here
    } else {
      return {1, kLdifdeUsage};  // import (-i) and the rest are not modelled
    }
  }
  if (opts.count("f") == 0) return {1, kLdifdeUsage};
  const std::string file = opts["f"];
  std::vector<std::string> wanted;
  if (opts.count("l")) {
    for (absl::string_view a : absl::StrSplit(opts["l"], ',', absl::SkipWhitespace())) {
      wanted.push_back(std::string(absl::StripAsciiWhitespace(a)));
    }
  }
  DomainController* dc = TargetDc(world, opts.count("s") ? opts["s"] : "");
  const std::string server =
      dc != nullptr ? absl::AsciiStrToLower(HostFqdn(world.domain(), dc->name())) : opts["s"];
  std::string out = absl::StrCat("Connecting to \"", server, "\"\n");
  if (dc == nullptr || !CanReach(shell, session, *dc)) {
    absl::StrAppend(&out, "Error connecting to \"", server,
                    "\"\nThe server is not operational.\nAn error has occurred in the program\n");
    return {1, out};
  }
  absl::StrAppend(&out, "Logging in as current user using SSPI\n");
  if (!HasDomainIdentity(shell, session)) {
    absl::StrAppend(&out,
                    "Error logging in.\nThe user name or password is incorrect.\n"
                    "An error has occurred in the program\n");
    return {1, out};
  }
  const bool console = absl::EqualsIgnoreCase(file, "con");
  absl::StrAppend(&out, "Exporting directory to file ", file, "\nSearching for entries...\n");
  std::optional<LdapFilter> filter =
      ParseWholeFilter(opts.count("r") ? opts["r"] : "(objectClass=*)");
  if (!filter) {
    absl::StrAppend(&out, "An error has occurred in the program\nThe search filter is invalid.\n");
    return {1, out};
  }
  std::string ldif;
  int count = 0;
  for (const ComputerAccount* account : LiveAccounts(*dc)) {
    const LdapEntry entry = EntryOf(world.domain(), *account);
    if (!filter->Matches(entry)) continue;
    ++count;
    absl::StrAppend(&ldif, "dn: ", entry.dn, "\nchangetype: add\n");
    for (const auto& [name, values] : entry.attributes) {
      if (!wanted.empty() &&
          std::none_of(wanted.begin(), wanted.end(), [&, &name = name](const std::string& w) {
            return absl::EqualsIgnoreCase(w, name);
          })) {
        continue;
      }
      for (const std::string& v : values) absl::StrAppend(&ldif, name, ": ", v, "\n");
    }
    absl::StrAppend(&ldif, "\n");
  }
  if (count == 0) {
    absl::StrAppend(&out, "No Entries found\n\nThe command has completed successfully\n");
    return {0, out};
  }
  absl::StrAppend(&out, "Writing out entries.\n");
  if (console) absl::StrAppend(&out, ldif);
  absl::StrAppend(&out, count, " entries exported\n\nThe command has completed successfully\n");
  return {0, out};
}

// --- PowerShell ActiveDirectory cmdlets -------------------------------------------------

// "Get-ADComputer" -> "Microsoft.ActiveDirectory.Management.Commands.GetADComputer".
std::string CmdletClass(absl::string_view cmdlet) {
  return absl::StrCat("Microsoft.ActiveDirectory.Management.Commands.",
                      absl::StrReplaceAll(cmdlet, {{"-", ""}}));
}

CommandResult AdError(absl::string_view cmdlet, absl::string_view message,
                      absl::string_view category, absl::string_view id) {
  return {1, PowerShellError(
                 {.command = std::string(cmdlet),
                  .message = std::string(message),
                  .category = std::string(category),
                  .activity = std::string(cmdlet),
                  .exception = category == "InvalidArgument"    ? "ParameterBindingException"
                               : category == "ObjectNotFound"   ? "ADIdentityNotFoundException"
                               : category == "PermissionDenied" ? "UnauthorizedAccessException"
                                                                : "ADException",
                  .error_id = absl::StrCat(id, ",", CmdletClass(cmdlet))})};
}

CommandResult NotFoundError(const World& world, absl::string_view cmdlet,
                            absl::string_view identity) {
  return AdError(cmdlet,
                 absl::StrCat("Cannot find an object with identity: '", identity, "' under: '",
                              DomainDn(world.domain()), "'."),
                 "ObjectNotFound",
                 "ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management."
                 "ADIdentityNotFoundException");
}

// What each AD cmdlet checks before it touches an object: the module is
// loaded, the arguments parse, the server answers and the caller
// authenticates. On success returns the DC and the parsed arguments.
struct AdContext {
  DomainController* dc = nullptr;
  DashArgs args;
};

std::variant<AdContext, CommandResult> AdPrologue(Shell& shell, Session& session,
                                                  const CommandLine& cmd, absl::string_view cmdlet,
                                                  std::initializer_list<absl::string_view> switches,
                                                  std::initializer_list<absl::string_view> known) {
  if (!HasAdTools(shell, session)) return CommandResult{9009, NotRecognized(cmd.words[0])};
  absl::StatusOr<DashArgs> args = DashArgs::Parse(cmd.words, 1, switches);
  if (!args.ok()) {
    return AdError(cmdlet, args.status().message(), "InvalidArgument", "MissingArgument");
  }
  if (std::vector<std::string> unknown = args->Unknown(known); !unknown.empty()) {
    return AdError(cmdlet,
                   absl::StrCat("A parameter cannot be found that matches parameter name '",
                                unknown.front().substr(1), "'."),
                   "InvalidArgument", "NamedParameterNotFound");
  }
  World& world = shell.world();
  DomainController* dc = TargetDc(world, args->Get("server").value_or(""));
  if (dc == nullptr || !CanReach(shell, session, *dc)) {
    return AdError(cmdlet,
                   "Unable to contact the server. This may be because this server does not "
                   "exist, it is currently down, or it does not have the Active Directory Web "
                   "Services running.",
                   "ResourceUnavailable", "ActiveDirectoryServer:0");
  }
  if (!HasDomainIdentity(shell, session)) {
    return AdError(cmdlet, "The server has rejected the client credentials.", "SecurityError",
                   "ActiveDirectoryCmdlet:System.Security.Authentication.AuthenticationException");
  }
  return AdContext{dc, *std::move(args)};
}

// The -Identity argument, named or first positional.
std::optional<std::string> IdentityArg(const DashArgs& args) {
  if (auto id = args.Get("identity")) return id;
  if (!args.positional().empty()) return args.positional().front();
  return std::nullopt;
}

CommandResult MissingIdentity(absl::string_view cmdlet) {
  return AdError(cmdlet,
                 "Cannot process command because of one or more missing mandatory parameters: "
                 "Identity.",
                 "InvalidArgument", "MissingMandatoryParameter");
}

// Resolves an ADComputer identity (DN, GUID, SID, or sAMAccountName with or
// without its "$") on `dc`.
ComputerAccount* ResolveComputer(const World& world, DomainController& dc,
                                 absl::string_view identity) {
  for (const auto& [key, account] : dc.accounts()) {
    if (account.deleted || !IsComputerAccount(account)) continue;
    if (absl::EqualsIgnoreCase(identity, AccountDn(world.domain(), account)) ||
        absl::EqualsIgnoreCase(identity, account.sid) ||
        absl::EqualsIgnoreCase(absl::StripSuffix(absl::StripPrefix(identity, "{"), "}"),
                               ObjectGuid(account))) {
      return dc.FindAccount(account.sam_account_name);
    }
  }
  std::string sam(StripDomain(identity));
  if (!absl::EndsWith(sam, "$")) sam += "$";
  return dc.FindAccount(sam);
}

// Resolves an ADAccount identity: DN, GUID, SID or the exact sAMAccountName
// (a computer's ends in "$": "WS01" names no account).
ComputerAccount* ResolveAccount(const World& world, DomainController& dc,
                                absl::string_view identity) {
  for (const auto& [key, account] : dc.accounts()) {
    if (account.deleted) continue;
    if (absl::EqualsIgnoreCase(identity, AccountDn(world.domain(), account)) ||
        absl::EqualsIgnoreCase(identity, account.sid) ||
        absl::EqualsIgnoreCase(absl::StripSuffix(absl::StripPrefix(identity, "{"), "}"),
                               ObjectGuid(account))) {
      return dc.FindAccount(account.sam_account_name);
    }
  }
  return dc.FindAccount(StripDomain(identity));
}

// PowerShell shows at most $FormatEnumerationLimit (4) items of a collection.
std::string PsCollection(const std::vector<std::string>& items) {
  constexpr size_t kLimit = 4;
  std::vector<std::string> shown(items.begin(), items.begin() + std::min(items.size(), kLimit));
  return absl::StrCat("{", absl::StrJoin(shown, ", "), items.size() > kLimit ? "..." : "", "}");
}

using PropertyValue = std::function<std::string(const World&, const ComputerAccount&)>;

// The properties -Properties can add, by canonical name.
const std::vector<std::pair<std::string, PropertyValue>>& ExtendedProperties() {
  static const auto* properties = new std::vector<std::pair<std::string, PropertyValue>>{
      {"msDS-KeyVersionNumber",
       [](const World&, const ComputerAccount& a) { return absl::StrCat(a.kvno); }},
      {"objectSid", [](const World&, const ComputerAccount& a) { return a.sid; }},
      {"PasswordLastSet",
       [](const World&, const ComputerAccount& a) {
         return a.pwd_last_set == 0 ? std::string() : UsDateTime(a.pwd_last_set);
       }},
      {"pwdLastSet",
       [](const World&, const ComputerAccount& a) {
         return absl::StrCat(ToFileTime(a.pwd_last_set));
       }},
      {"servicePrincipalName",
       [](const World&, const ComputerAccount& a) {
         return PsCollection(a.service_principal_names);
       }},
      {"ServicePrincipalNames",
       [](const World&, const ComputerAccount& a) {
         return PsCollection(a.service_principal_names);
       }},
      {"userAccountControl",
       [](const World&, const ComputerAccount& a) { return absl::StrCat(a.user_account_control); }},
  };
  return *properties;
}

std::string ComputerList(const World& world, const ComputerAccount& account,
                         const std::vector<std::string>& extra) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"DistinguishedName", AccountDn(world.domain(), account)},
      {"DNSHostName", account.dns_host_name},
      {"Enabled", account.disabled() ? "False" : "True"},
      {"Name", AccountCn(account)},
      {"ObjectClass", "computer"},
      {"ObjectGUID", ObjectGuid(account)},
      {"SamAccountName", account.sam_account_name},
      {"SID", account.sid},
      {"UserPrincipalName", ""},
  };
  for (const auto& [name, value] : ExtendedProperties()) {
    if (std::find(extra.begin(), extra.end(), name) != extra.end()) {
      rows.push_back({name, value(world, account)});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return absl::AsciiStrToLower(a.first) < absl::AsciiStrToLower(b.first);
  });
  size_t width = 0;
  for (const auto& [name, value] : rows) width = std::max(width, name.size());
  std::string out = "\n";
  for (const auto& [name, value] : rows) {
    std::string line = absl::StrCat(name, std::string(width - name.size(), ' '), " : ", value);
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(line), "\n");
  }
  absl::StrAppend(&out, "\n");
  return out;
}

CommandResult GetAdComputer(Shell& shell, Session& session, const CommandLine& cmd) {
  constexpr char kCmdlet[] = "Get-ADComputer";
  auto prologue =
      AdPrologue(shell, session, cmd, kCmdlet, {}, {"identity", "properties", "server", "filter"});
  if (auto* failed = std::get_if<CommandResult>(&prologue)) return *failed;
  AdContext& ctx = std::get<AdContext>(prologue);
  World& world = shell.world();

  // The extended properties asked for, by canonical name.
  std::vector<std::string> extra;
  if (auto props = ctx.args.Get("properties")) {
    for (absl::string_view p : absl::StrSplit(*props, ',', absl::SkipWhitespace())) {
      p = absl::StripAsciiWhitespace(p);
      if (p == "*") {
        for (const auto& [name, value] : ExtendedProperties()) extra.push_back(name);
        continue;
      }
      static constexpr absl::string_view kDefaults[] = {
          "DistinguishedName", "DNSHostName", "Enabled",        "Name",
          "ObjectClass",       "ObjectGUID",  "SamAccountName", "SID",
          "UserPrincipalName"};
      if (std::any_of(std::begin(kDefaults), std::end(kDefaults),
                      [&](absl::string_view d) { return absl::EqualsIgnoreCase(d, p); })) {
        continue;
      }
      auto it = std::find_if(ExtendedProperties().begin(), ExtendedProperties().end(),
                             [&](const auto& e) { return e.first == p; });
      if (it == ExtendedProperties().end()) {
        it = std::find_if(ExtendedProperties().begin(), ExtendedProperties().end(),
                          [&](const auto& e) { return absl::EqualsIgnoreCase(e.first, p); });
      }
      if (it == ExtendedProperties().end()) {
        return AdError(kCmdlet,
                       absl::StrCat("One or more properties are invalid.\nParameter name: ", p),
                       "InvalidArgument", "ActiveDirectoryCmdlet:System.ArgumentException");
      }
      extra.push_back(it->first);
    }
  }

  if (auto filter = ctx.args.Get("filter")) {
    if (absl::StripAsciiWhitespace(*filter) != "*") {
      return AdError(kCmdlet, "trustsim models only -Filter *.", "InvalidArgument",
                     "ActiveDirectoryCmdlet:System.ArgumentException");
    }
    std::string out;
    for (const ComputerAccount* account : LiveAccounts(*ctx.dc)) {
      if (IsComputerAccount(*account)) absl::StrAppend(&out, ComputerList(world, *account, extra));
    }
    return {0, out};
  }
  std::optional<std::string> identity = IdentityArg(ctx.args);
  if (!identity) return MissingIdentity(kCmdlet);
  const ComputerAccount* account = ResolveComputer(world, *ctx.dc, *identity);
  if (account == nullptr) return NotFoundError(world, kCmdlet, *identity);
  return {0, ComputerList(world, *account, extra)};
}

CommandResult AccessDenied(absl::string_view cmdlet) {
  return AdError(cmdlet, "Access is denied", "PermissionDenied",
                 "ActiveDirectoryCmdlet:System.UnauthorizedAccessException");
}

CommandResult SetEnabled(Shell& shell, Session& session, const CommandLine& cmd,
                         absl::string_view cmdlet, bool enabled) {
  auto prologue = AdPrologue(shell, session, cmd, cmdlet, {"passthru", "whatif", "confirm"},
                             {"identity", "server", "passthru", "whatif", "confirm"});
  if (auto* failed = std::get_if<CommandResult>(&prologue)) return *failed;
  AdContext& ctx = std::get<AdContext>(prologue);
  World& world = shell.world();
  std::optional<std::string> identity = IdentityArg(ctx.args);
  if (!identity) return MissingIdentity(cmdlet);
  const ComputerAccount* account = ResolveAccount(world, *ctx.dc, *identity);
  // The world's ADUC operations act on computer accounts.
  if (account == nullptr || !IsComputerAccount(*account)) {
    return NotFoundError(world, cmdlet, *identity);
  }
  if (!IsDomainAdmin(shell, session)) return AccessDenied(cmdlet);
  const Outcome outcome = world.SetAccountEnabled(AccountCn(*account), enabled);
  if (!outcome.ok()) return NotFoundError(world, cmdlet, *identity);
  return {0, ""};
}

CommandResult DisableAdAccount(Shell& shell, Session& session, const CommandLine& cmd) {
  return SetEnabled(shell, session, cmd, "Disable-ADAccount", false);
}

CommandResult EnableAdAccount(Shell& shell, Session& session, const CommandLine& cmd) {
  return SetEnabled(shell, session, cmd, "Enable-ADAccount", true);
}

CommandResult RemoveAdComputer(Shell& shell, Session& session, const CommandLine& cmd) {
  constexpr char kCmdlet[] = "Remove-ADComputer";
  auto prologue = AdPrologue(shell, session, cmd, kCmdlet, {"whatif", "confirm"},
                             {"identity", "server", "whatif", "confirm"});
  if (auto* failed = std::get_if<CommandResult>(&prologue)) return *failed;
  AdContext& ctx = std::get<AdContext>(prologue);
  World& world = shell.world();
  std::optional<std::string> identity = IdentityArg(ctx.args);
  if (!identity) return MissingIdentity(kCmdlet);
  const ComputerAccount* account = ResolveComputer(world, *ctx.dc, *identity);
  if (account == nullptr) return NotFoundError(world, kCmdlet, *identity);
  const std::string dn = AccountDn(world.domain(), *account);
  if (ctx.args.Has("whatif")) {
    return {0,
            absl::StrCat("What if: Performing the operation \"Remove\" on target \"", dn, "\".\n")};
  }
  // Remove-ADComputer's ConfirmImpact is High: it asks unless -Confirm:$false.
  // The trustsim console cannot answer, so the prompt ends the command.
  const std::string confirm = absl::AsciiStrToLower(ctx.args.Get("confirm").value_or("$true"));
  if (confirm != "$false" && confirm != "false" && confirm != "0") {
    return {1, absl::StrCat("\nConfirm\nAre you sure you want to perform this action?\n"
                            "Performing the operation \"Remove\" on target \"",
                            dn,
                            "\".\n[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  "
                            "[?] Help (default is \"Y\"):\n"
                            "(trustsim cannot answer prompts: add -Confirm:$false)\n")};
  }
  if (!IsDomainAdmin(shell, session)) return AccessDenied(kCmdlet);
  const Outcome outcome = world.DeleteAccount(AccountCn(*account));
  if (!outcome.ok()) return NotFoundError(world, kCmdlet, *identity);
  return {0, ""};
}

// --- dsmod computer --------------------------------------------------------------------

CommandResult Dsmod(Shell& shell, Session& session, const CommandLine& cmd) {
  World& world = shell.world();
  if (!HasAdTools(shell, session)) return {9009, NotRecognized(cmd.words[0])};
  constexpr char kUsage[] =
      "Description:  Modifies an existing computer in the directory.\n"
      "Syntax:       dsmod computer <ComputerDN ...> [-desc <Description>] [-loc <Location>]\n"
      "                   [-disabled {yes | no}] [-reset] [{-s <Server> | -d <Domain>}]\n";
  if (cmd.words.size() < 3 || !absl::EqualsIgnoreCase(cmd.words[1], "computer")) {
    return {1, kUsage};
  }
  std::vector<std::string> dns;
  bool reset = false;
  std::optional<bool> disable;
  std::string server;
  for (size_t i = 2; i < cmd.words.size(); ++i) {
    const std::string& w = cmd.words[i];
    const std::string lower = absl::AsciiStrToLower(w);
    if (lower == "-reset") {
      reset = true;
    } else if (lower == "-disabled" && i + 1 < cmd.words.size()) {
      const std::string v = absl::AsciiStrToLower(cmd.words[++i]);
      if (v != "yes" && v != "no") return {1, kUsage};
      disable = v == "yes";
    } else if ((lower == "-s" || lower == "-d") && i + 1 < cmd.words.size()) {
      server = lower == "-s" ? cmd.words[i + 1] : "";
      ++i;
    } else if (!w.empty() && w[0] == '-') {
      return {1, kUsage};
    } else {
      dns.push_back(w);
    }
  }
  if (dns.empty() || (!reset && !disable)) return {1, kUsage};
  auto failed = [](absl::string_view dn, absl::string_view why) {
    return CommandResult{
        1, absl::StrCat("dsmod failed:", dn, ":", why, "\ntype dsmod /? for help.\n")};
  };
  DomainController* dc = TargetDc(world, server);
  if (dc == nullptr || !CanReach(shell, session, *dc)) {
    return failed(dns.front(), "The server is not operational.");
  }
  if (!HasDomainIdentity(shell, session)) {
    return failed(dns.front(), "The user name or password is incorrect.");
  }
  std::string out;
  for (const std::string& dn : dns) {
    const ComputerAccount* account = nullptr;
    for (const auto& [key, a] : dc->accounts()) {
      if (!a.deleted && IsComputerAccount(a) &&
          absl::EqualsIgnoreCase(AccountDn(world.domain(), a), dn)) {
        account = &a;
      }
    }
    if (account == nullptr) return {1, out + failed(dn, "Directory object not found.").out};
    if (!IsDomainAdmin(shell, session)) return {1, out + failed(dn, "Access is denied.").out};
    const std::string name = AccountCn(*account);
    if (reset) world.ResetAccount(name);
    if (disable) world.SetAccountEnabled(name, !*disable);
    absl::StrAppend(&out, "dsmod succeeded:", dn, "\n");
  }
  return {0, out};
}

}  // namespace

void RegisterDirectoryCommands(Shell& shell) {
  shell.Register("setspn", Setspn);
  shell.Register("ldifde", Ldifde);
  shell.Register("dsmod", Dsmod);
  shell.Register("Get-ADComputer", GetAdComputer);
  shell.Register("Disable-ADAccount", DisableAdAccount);
  shell.Register("Enable-ADAccount", EnableAdAccount);
  shell.Register("Remove-ADComputer", RemoveAdComputer);
}

}  // namespace trustsim::sim::tools
