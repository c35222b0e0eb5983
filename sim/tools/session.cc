// Copyright 2026 The trustsim Authors.
//
// Who is at the keyboard: logon, logoff, whoami, hostname.
//
// `logon` and `logoff` are trustsim console verbs (on Windows: the logon
// screen). A domain logon goes through the simulated domain logon, so it fails
// exactly when a user's logon would; the local Administrator always works
// (the local SAM needs no DC), which is why admins repair broken trust from it.

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sim/tools/commands.h"

namespace trustsim::sim::tools {
namespace {

CommandResult Logon(Shell& shell, Session& session, const CommandLine& cmd) {
  World& world = shell.world();
  if (cmd.words.size() < 2) {
    return {1, "usage: logon DOMAIN\\user | .\\Administrator [/elevated]\n"};
  }
  const bool elevated = absl::EqualsIgnoreCase(cmd.words.back(), "/elevated");
  std::string account = cmd.words[1];
  std::string domain;
  if (size_t slash = account.find('\\'); slash != std::string::npos) {
    domain = account.substr(0, slash);
    account = account.substr(slash + 1);
  }
  const bool local = domain == "." || absl::EqualsIgnoreCase(domain, session.host) ||
                     (domain.empty() && absl::EqualsIgnoreCase(account, "Administrator"));
  if (local) {
    if (!absl::EqualsIgnoreCase(account, "Administrator")) {
      return {1, "The user name or password is incorrect.\n"};
    }
    session = Session::LocalAdministrator(session.host);
    session.elevated = true;
    return {0, absl::StrCat("Logged on to ", absl::AsciiStrToUpper(session.host),
                            " as the local Administrator.\n")};
  }
  const DomainUser* user = world.FindUser(account);
  Outcome outcome = Outcome::Success();
  if (world.FindDc(session.host) != nullptr) {
    // On a DC the domain logon is local: the DC is its own logon server.
    if (user == nullptr || !user->enabled) return {1, "The user name or password is incorrect.\n"};
  } else if (outcome = world.Logon(session.host, account); !outcome.ok()) {
    return {1, absl::StrCat("The sign-in failed: ", outcome.message, "\n")};
  }
  session = Session::DomainUser(session.host, world.domain().netbios_name, user->name,
                                elevated && user->admin);
  // A logon a DC validated leaves a TGT and the LDAP ticket Group Policy
  // uses on that DC (klist); one on cached credentials leaves none.
  const Member* member = shell.MemberOf(session);
  if (member != nullptr && !member->state().channel.dc.empty() &&
      !absl::StrContains(outcome.reason, "cached credentials")) {
    const std::string dc_fqdn = absl::StrCat(absl::AsciiStrToUpper(member->state().channel.dc), ".",
                                             world.domain().dns_name);
    session.logon_server = member->state().channel.dc;
    session.logon_time = world.LocalTime(session.host);
    session.tickets = {absl::StrCat("krbtgt/", world.domain().Realm()),
                       absl::StrCat("LDAP/", dc_fqdn, "/", world.domain().dns_name)};
  }
  return {0, absl::StrCat("Logged on as ", session.Qualified(),
                          session.elevated ? " (elevated)" : "", ".\n")};
}

CommandResult Logoff(Shell&, Session& session, const CommandLine&) {
  session.user.clear();
  session.domain.clear();
  session.domain_account = false;
  session.elevated = false;
  session.tickets.clear();
  session.logon_server.clear();
  return {0, ""};
}

CommandResult Whoami(Shell&, Session& session, const CommandLine&) {
  if (session.user.empty()) return {1, "ERROR: Nobody is logged on.\n"};
  return {0, absl::StrCat(session.Qualified(), "\n")};
}

CommandResult Hostname(Shell& shell, Session& session, const CommandLine&) {
  std::string name = absl::AsciiStrToUpper(session.host);
  if (Member* m = shell.MemberOf(session)) name = m->state().computer_name;
  return {0, absl::StrCat(name, "\n")};
}

}  // namespace

void RegisterSessionCommands(Shell& shell) {
  shell.Register("logon", Logon);
  shell.Register("logoff", Logoff);
  shell.Register("whoami", Whoami);
  shell.Register("hostname", Hostname);
}

}  // namespace trustsim::sim::tools
