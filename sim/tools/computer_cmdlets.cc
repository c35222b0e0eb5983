// Copyright 2026 The trustsim Authors.
//
// The Microsoft.PowerShell.Management computer cmdlets that repair or redo a
// machine's domain membership: Reset-ComputerMachinePassword,
// Test-ComputerSecureChannel, Remove-Computer and Add-Computer. See the pages
// in docs/commands/.
//
// Sources (details and URLs on the docs pages):
//   * the Windows PowerShell reference (MicrosoftDocs/PowerShell-Docs, 2.0,
//     3.0 and 5.1): which parameters exist in which version (the four
//     cmdlets exist since 2.0; -Credential of Reset-ComputerMachinePassword
//     and Test-ComputerSecureChannel, -Restart, -WorkgroupName and
//     -UnjoinDomainCredential since 3.0), mandatory and positional
//     parameters, aliases, and that Remove-Computer disables the account;
//   * the message texts of ComputerResources.resx (PowerShell/PowerShell):
//     "The secure channel between the local computer and the domain {0} is
//     in good condition.", "The changes will take effect after you restart
//     the computer {1}.", the error texts and their error ids;
//   * the Windows PowerShell 3.0-era implementation of these cmdlets, as
//     published decompiled: Test-ComputerSecureChannel writes its result
//     before its verbose message; a repair resets the password over LDAP
//     with the credentials, then writes the LSA (which needs elevation),
//     then asks Netlogon to rediscover a DC.
//
// Parameters bind as PowerShell binds them: names case-insensitively, any
// unambiguous prefix (-Cred), aliases, `-Name:value`, positional values, and
// the common parameters -Verbose and -WhatIf (-Debug, -Confirm, -ErrorAction
// and -WarningAction are accepted and have no effect). Errors print as
// PowerShell 5.1 prints an error record, without the "At line:" position.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "sim/tools/commands.h"

namespace trustsim::sim::tools {
namespace {

constexpr char kPsCredential[] = "System.Management.Automation.PSCredential";
constexpr char kActionPreference[] = "System.Management.Automation.ActionPreference";

struct Param {
  absl::string_view name;
  bool is_switch = false;
  // The Windows PowerShell version that introduced the parameter.
  double since = 2.0;
  absl::string_view alias = "";
  // When the alias existed before the parameter's current name (the 2.0
  // -Credential of Remove-Computer became -UnjoinDomainCredential in 3.0).
  double alias_since = 0;
  absl::string_view type = "System.String";
  int position = -1;
};

struct CmdletInfo {
  absl::string_view name;
  absl::string_view class_name;
  std::vector<Param> params;
  std::vector<absl::string_view> mandatory;
};

const std::vector<Param>& CommonParams() {
  static const std::vector<Param> params = {
      {.name = "Verbose", .is_switch = true, .alias = "vb"},
      {.name = "Debug", .is_switch = true, .alias = "db"},
      {.name = "WhatIf", .is_switch = true, .alias = "wi"},
      {.name = "Confirm", .is_switch = true, .alias = "cf"},
      {.name = "ErrorAction", .alias = "ea", .type = kActionPreference},
      {.name = "WarningAction", .alias = "wa", .type = kActionPreference},
  };
  return params;
}

const CmdletInfo kResetComputerMachinePassword = {
    "Reset-ComputerMachinePassword",
    "ResetComputerMachinePasswordCommand",
    {{.name = "Server"}, {.name = "Credential", .since = 3.0, .type = kPsCredential}},
    {}};

const CmdletInfo kTestComputerSecureChannel = {
    "Test-ComputerSecureChannel",
    "TestComputerSecureChannelCommand",
    {{.name = "Repair", .is_switch = true},
     {.name = "Server"},
     {.name = "Credential", .since = 3.0, .type = kPsCredential}},
    {}};

const CmdletInfo kRemoveComputer = {"Remove-Computer",
                                    "RemoveComputerCommand",
                                    {{.name = "UnjoinDomainCredential",
                                      .since = 3.0,
                                      .alias = "Credential",
                                      .alias_since = 2.0,
                                      .type = kPsCredential,
                                      .position = 0},
                                     {.name = "WorkgroupName", .since = 3.0},
                                     {.name = "Restart", .is_switch = true, .since = 3.0},
                                     {.name = "Force", .is_switch = true},
                                     {.name = "PassThru", .is_switch = true}},
                                    {}};

const CmdletInfo kAddComputer = {
    "Add-Computer",
    "AddComputerCommand",
    {{.name = "DomainName", .alias = "Domain", .position = 0},
     {.name = "Credential", .alias = "DomainCredential", .type = kPsCredential},
     {.name = "Server", .alias = "DC"},
     {.name = "OUPath", .alias = "OU"},
     {.name = "UnjoinDomainCredential", .since = 3.0, .type = kPsCredential},
     {.name = "Restart", .is_switch = true, .since = 3.0},
     {.name = "Force", .is_switch = true, .since = 3.0},
     {.name = "PassThru", .is_switch = true}},
    {"DomainName", "Credential"}};

// An error record as PowerShell 5.1's console shows it. `target` is the
// string target object ("WS01"), "" for none.
std::string ErrorRecord(const CmdletInfo& cmdlet, absl::string_view message,
                        absl::string_view category, absl::string_view target,
                        absl::string_view exception, absl::string_view error_id) {
  return PowerShellError(
      {.command = std::string(cmdlet.name),
       .message = std::string(message),
       .category = std::string(category),
       .target = std::string(target),
       .activity = std::string(cmdlet.name),
       .exception = std::string(exception),
       .error_id = absl::StrCat(error_id, ",Microsoft.PowerShell.Commands.", cmdlet.class_name)});
}

std::string BindingError(const CmdletInfo& cmdlet, absl::string_view message,
                         absl::string_view error_id) {
  return ErrorRecord(cmdlet, message, "InvalidArgument", "", "ParameterBindingException", error_id);
}

// A Win32 message as .NET's Win32Exception gives it: without the final
// period, which the resource templates add.
std::string Win32Text(uint32_t win32) {
  if (win32 == 1355) return "The specified domain either does not exist or could not be contacted";
  std::string text = Win32ErrorMessage(win32);
  if (absl::EndsWith(text, ".")) text.pop_back();
  return text;
}

double ParseVersion(absl::string_view text) {
  double v = 0;
  return absl::SimpleAtod(text, &v) ? v : 0;
}

bool Available(const Param& p, double version) { return p.since <= version; }
bool AliasAvailable(const Param& p, double version) {
  return !p.alias.empty() && (p.alias_since > 0 ? p.alias_since : p.since) <= version;
}

// Binds the words after the cmdlet name. On success returns the parameters
// as DashArgs with canonical names; otherwise `error` holds the record.
std::optional<DashArgs> Bind(const CmdletInfo& cmdlet, const std::vector<std::string>& words,
                             double version, std::string* error) {
  std::vector<const Param*> all;
  for (const Param& p : cmdlet.params) all.push_back(&p);
  for (const Param& p : CommonParams()) all.push_back(&p);

  std::vector<std::string> canonical = {words[0]};
  std::vector<const Param*> bound;
  auto is_bound = [&](const Param* p) {
    return std::find(bound.begin(), bound.end(), p) != bound.end();
  };
  auto add = [&](const Param* p, std::optional<std::string> value) -> bool {
    if (is_bound(p)) {
      *error = BindingError(
          cmdlet,
          absl::StrCat("Cannot bind parameter because parameter '", p->name,
                       "' is specified more than once. To provide multiple values to "
                       "parameters that can accept multiple values, use the array syntax. For "
                       "example, \"-parameter value1,value2,value3\"."),
          "ParameterAlreadyBound");
      return false;
    }
    bound.push_back(p);
    canonical.push_back(absl::StrCat("-", p->name));
    if (value.has_value()) canonical.push_back(*value);
    return true;
  };

  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() < 2 || w[0] != '-') {
      const Param* next = nullptr;
      for (int pos = 0; next == nullptr && pos < 8; ++pos) {
        for (const Param* p : all) {
          if (p->position == pos && !is_bound(p) &&
              (Available(*p, version) || AliasAvailable(*p, version))) {
            next = p;
            break;
          }
        }
      }
      if (next == nullptr) {
        *error = BindingError(
            cmdlet,
            absl::StrCat("A positional parameter cannot be found that accepts argument '", w, "'."),
            "PositionalParameterNotFound");
        return std::nullopt;
      }
      if (!add(next, w)) return std::nullopt;
      continue;
    }
    std::string written = w.substr(1);
    std::optional<std::string> inline_value;
    if (size_t colon = written.find(':'); colon != std::string::npos) {
      inline_value = written.substr(colon + 1);
      written.resize(colon);
    }
    const Param* param = nullptr;
    for (const Param* p : all) {
      if ((Available(*p, version) && absl::EqualsIgnoreCase(p->name, written)) ||
          (AliasAvailable(*p, version) && absl::EqualsIgnoreCase(p->alias, written))) {
        param = p;
      }
    }
    if (param == nullptr) {
      std::vector<const Param*> matches;
      for (const Param* p : all) {
        if (Available(*p, version) && absl::StartsWithIgnoreCase(p->name, written)) {
          matches.push_back(p);
        }
      }
      if (matches.size() > 1) {
        std::vector<std::string> names;
        for (const Param* p : matches) names.push_back(absl::StrCat("-", p->name));
        *error = BindingError(
            cmdlet,
            absl::StrCat("Parameter cannot be processed because the parameter name '", written,
                         "' is ambiguous. Possible matches include: ", absl::StrJoin(names, " "),
                         "."),
            "AmbiguousParameter");
        return std::nullopt;
      }
      if (matches.size() == 1) param = matches[0];
    }
    if (param == nullptr) {
      *error = BindingError(
          cmdlet,
          absl::StrCat("A parameter cannot be found that matches parameter name '", written, "'."),
          "NamedParameterNotFound");
      return std::nullopt;
    }
    if (param->is_switch) {
      // -Switch:$false is the switch left off.
      if (inline_value.has_value() && absl::EqualsIgnoreCase(*inline_value, "$false")) continue;
      if (!add(param, std::nullopt)) return std::nullopt;
      continue;
    }
    if (!inline_value.has_value()) {
      if (i + 1 >= words.size() || (words[i + 1].size() > 1 && words[i + 1][0] == '-')) {
        *error = BindingError(
            cmdlet,
            absl::StrCat("Missing an argument for parameter '", param->name,
                         "'. Specify a parameter of type '", param->type, "' and try again."),
            "MissingArgument");
        return std::nullopt;
      }
      inline_value = words[++i];
    }
    if (!add(param, inline_value)) return std::nullopt;
  }

  std::vector<std::string> missing;
  for (absl::string_view name : cmdlet.mandatory) {
    bool have = false;
    for (const Param* p : bound) have = have || p->name == name;
    if (!have) missing.push_back(std::string(name));
  }
  if (!missing.empty()) {
    // What a console that cannot prompt (powershell -NonInteractive) says.
    *error =
        BindingError(cmdlet,
                     absl::StrCat("Cannot process command because of one or more missing mandatory "
                                  "parameters: ",
                                  absl::StrJoin(missing, " "), "."),
                     "MissingMandatoryParameter");
    return std::nullopt;
  }
  // Every switch of the four cmdlets and the common parameters.
  absl::StatusOr<DashArgs> args = DashArgs::Parse(
      canonical, 1,
      {"verbose", "debug", "whatif", "confirm", "repair", "force", "restart", "passthru"});
  if (!args.ok()) {
    *error = BindingError(cmdlet, args.status().message(), "MissingArgument");
    return std::nullopt;
  }
  return *std::move(args);
}

// One run of a cmdlet: the console, the bound parameters and the output so
// far.
struct Run {
  Run(Shell& shell, Session& session, const CmdletInfo& cmdlet)
      : shell(shell), session(session), cmdlet(cmdlet) {}

  Shell& shell;
  Session& session;
  const CmdletInfo& cmdlet;
  Member* member = nullptr;
  double version = 5.1;
  DashArgs args;
  std::string out;

  World& world() { return shell.world(); }
  // The computer name as Dns.GetHostName() returns it.
  std::string Target() const {
    return member != nullptr ? member->state().computer_name : absl::AsciiStrToUpper(session.host);
  }

  CommandResult Done(int exit_code = 0) { return {exit_code, std::move(out)}; }
  CommandResult Fail(absl::string_view message, absl::string_view category,
                     absl::string_view target, absl::string_view error_id) {
    absl::StrAppend(&out, ErrorRecord(cmdlet, message, category, target,
                                      "InvalidOperationException", error_id));
    return Done(1);
  }
  void Verbose(absl::string_view line) {
    if (args.Has("Verbose")) absl::StrAppend(&out, "VERBOSE: ", line, "\n");
  }
  void Warning(absl::string_view line) { absl::StrAppend(&out, "WARNING: ", line, "\n"); }

  // ShouldProcess: -Verbose announces the operation, -WhatIf describes it and
  // stops the cmdlet (returns false). The wording changed in 3.0.
  bool ShouldProcess(absl::string_view action) {
    const std::string line = version < 3.0 ? absl::StrCat("Performing operation \"", action,
                                                          "\" on Target \"", Target(), "\".")
                                           : absl::StrCat("Performing the operation \"", action,
                                                          "\" on target \"", Target(), "\".");
    if (args.Has("WhatIf")) {
      absl::StrAppend(&out, "What if: ", line, "\n");
      return false;
    }
    Verbose(line);
    return true;
  }
};

// Parses the command line and checks the cmdlet exists in this PowerShell.
// Returns a finished result when the cmdlet cannot run.
std::optional<CommandResult> Start(Run& run, const CommandLine& cmd) {
  run.member = run.shell.MemberOf(run.session);
  run.version = run.member != nullptr ? ParseVersion(run.member->os().PowerShellVersion()) : 5.1;
  if (run.version < 2.0) {
    // Windows PowerShell 1.0 has none of these cmdlets.
    return CommandResult{9009, NotRecognized(run.cmdlet.name)};
  }
  std::string error;
  std::optional<DashArgs> args = Bind(run.cmdlet, cmd.words, run.version, &error);
  if (!args.has_value()) return CommandResult{1, error};
  run.args = *std::move(args);
  return std::nullopt;
}

bool IsOurDomain(const World& world, absl::string_view name) {
  return absl::EqualsIgnoreCase(name, world.domain().netbios_name) ||
         absl::EqualsIgnoreCase(name, world.domain().dns_name);
}

// "DC01", "DC01.corp.example.com" or "CORP\DC01" -> "DC01".
std::string HostPart(absl::string_view name) {
  if (size_t slash = name.rfind('\\'); slash != absl::string_view::npos) {
    name = name.substr(slash + 1);
  }
  return std::string(name.substr(0, name.find('.')));
}

// Whether DNS resolves `name`: the domain's DCs and members.
bool Resolves(World& world, absl::string_view name) {
  const std::string host = HostPart(name);
  if (world.FindDc(host) != nullptr || world.FindMember(host) != nullptr) return true;
  for (Member* m : world.members()) {
    if (absl::EqualsIgnoreCase(m->state().computer_name, host)) return true;
  }
  return absl::EqualsIgnoreCase(name, "localhost") || name == ".";
}

// The domain account a domain operation runs as: `-Credential` (typed as
// "CORP\user", "user@corp.example.com" or "user"; PowerShell prompts for the
// password, which trustsim treats as typed correctly), else the caller. The
// account must be a domain admin. On success `qualified` is "CORP\user".
Outcome DomainIdentity(Run& run, std::optional<std::string> credential, std::string* qualified) {
  World& world = run.world();
  std::string name;
  if (credential.has_value()) {
    absl::string_view written = *credential, domain;
    if (size_t slash = written.find('\\'); slash != absl::string_view::npos) {
      domain = written.substr(0, slash);
      written = written.substr(slash + 1);
    } else if (size_t at = written.find('@'); at != absl::string_view::npos) {
      domain = written.substr(at + 1);
      written = written.substr(0, at);
    }
    if (!domain.empty() && !IsOurDomain(world, domain)) {
      // A local account ("WS01\Administrator") means nothing to a DC.
      return Outcome::Failure(kErrorLogonFailure, NtStatus::kLogonFailure,
                              absl::StrCat(*credential, " is not a domain account"));
    }
    name = std::string(written);
  } else if (run.session.domain_account) {
    name = run.session.user;
  } else {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                            "the caller is a local account, which has no rights in the domain");
  }
  const DomainUser* user = world.FindUser(name);
  if (user != nullptr && !user->enabled) {
    return Outcome::Failure(kErrorAccountDisabled, NtStatus::kAccountDisabled,
                            absl::StrCat(user->name, " is disabled"));
  }
  Outcome check = run.shell.CheckDomainCredential(name, /*need_admin=*/true);
  if (!check.ok()) return check;
  *qualified = absl::StrCat(world.domain().netbios_name, "\\", user->name);
  return Outcome::Success();
}

bool Elevated(const Run& run) {
  return run.shell.IsLocalAdmin(run.session) && run.session.elevated;
}

// --- Reset-ComputerMachinePassword and Test-ComputerSecureChannel -Repair ----

// The failure of the domain half of a password reset (an LDAP SetPassword
// with the credentials) as the cmdlets report it. Directory-services
// exception texts end in a line break, which the template follows with ".".
CommandResult ResetFailure(Run& run, uint32_t win32, const std::optional<std::string>& server) {
  const std::string target = run.Target();
  if (win32 == kErrorNoTrustSamAccount) {
    return run.Fail(
        server.has_value()
            ? absl::StrCat("Cannot find the computer account for the local computer from the "
                           "domain controller ",
                           *server, ".")
            : absl::StrCat("Cannot find the computer account for the local computer in the "
                           "domain ",
                           run.world().domain().dns_name, "."),
        "OperationStopped", target, "CannotFindMachineAccount");
  }
  std::string exception;
  switch (win32) {
    case kErrorAccessDenied:
      exception = "Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED)).";
      break;
    case kErrorNoLogonServers:
      exception = "The server is not operational.\n.";
      break;
    default:
      exception = absl::StrCat(Win32ErrorMessage(win32), "\n.");
  }
  return run.Fail(absl::StrCat("Cannot reset the secure channel password for the computer account "
                               "in the domain. Operation failed with the following exception: ",
                               exception),
                  "OperationStopped", target, "FailToResetPasswordOnDomain");
}

// The checks both cmdlets make before they reset, in the order the
// implementation meets them: the -Server name resolves, the machine is in a
// domain, the credentials may set the password (LDAP), the caller may write
// the LSA (elevated local administrator). Returns a finished result when one
// fails.
std::optional<CommandResult> CheckReset(Run& run, absl::string_view not_in_domain,
                                        std::string* user) {
  if (!run.member->state().joined) {
    return run.Fail(not_in_domain, "InvalidOperation", run.Target(), "ComputerNotInDomain");
  }
  if (Outcome who = DomainIdentity(run, run.args.Get("Credential"), user); !who.ok()) {
    return ResetFailure(run, who.win32, run.args.Get("Server"));
  }
  if (!Elevated(run)) {
    // The real cmdlet has already set the new password in AD by now, so the
    // trust breaks; trustsim stops before changing anything.
    return run.Fail(
        "Administrator rights are required to reset the secure channel password on the local "
        "computer. Access is denied.",
        "InvalidOperation", run.Target(), "UnauthorizedAccessException");
  }
  return std::nullopt;
}

// -Server must resolve (Dns.GetHostEntry), before anything else.
std::optional<CommandResult> CheckServer(Run& run) {
  const std::optional<std::string> server = run.args.Get("Server");
  if (!server.has_value() || Resolves(run.world(), *server)) return std::nullopt;
  absl::StrAppend(&run.out,
                  ErrorRecord(run.cmdlet,
                              absl::StrCat("Computer name ", *server,
                                           " cannot be resolved with the exception: No such host "
                                           "is known."),
                              "InvalidArgument", *server, "InvalidOperationException",
                              "AddressResolutionException"));
  return run.Done(1);
}

// Not modelled on a DC (a DC's own machine password).
CommandResult NotSupported(Run& run) {
  return run.Fail("This functionality is not supported on this operating system.",
                  "InvalidOperation", run.Target(), "NotSupported");
}

CommandResult ResetComputerMachinePassword(Shell& shell, Session& session, const CommandLine& cmd) {
  Run run{shell, session, kResetComputerMachinePassword};
  if (std::optional<CommandResult> stop = Start(run, cmd)) return *stop;
  if (std::optional<CommandResult> stop = CheckServer(run)) return *stop;
  if (!run.ShouldProcess(run.cmdlet.name)) return run.Done();
  if (run.member == nullptr) return NotSupported(run);
  std::string user;
  if (std::optional<CommandResult> stop = CheckReset(
          run,
          "Cannot reset the secure channel password for the account of the local computer. The "
          "local computer is not currently part of a domain.",
          &user)) {
    return *stop;
  }
  const std::optional<std::string> server = run.args.Get("Server");
  const Outcome outcome = run.world().Repair(
      {RepairKind::kResetMachinePassword, session.host, server ? HostPart(*server) : "", user});
  if (!outcome.ok()) return ResetFailure(run, outcome.win32, server);
  return run.Done();  // the cmdlet writes no output
}

CommandResult TestComputerSecureChannel(Shell& shell, Session& session, const CommandLine& cmd) {
  Run run{shell, session, kTestComputerSecureChannel};
  if (std::optional<CommandResult> stop = Start(run, cmd)) return *stop;
  if (std::optional<CommandResult> stop = CheckServer(run)) return *stop;
  if (!run.ShouldProcess(run.cmdlet.name)) return run.Done();
  if (run.member == nullptr) {
    // Microsoft: on a domain controller it "returns false positive errors".
    absl::StrAppend(&run.out, "False\n");
    return run.Done();
  }
  World& world = run.world();
  Member& member = *run.member;
  const std::string& domain = world.domain().dns_name;
  if (!run.args.Has("Repair")) {
    if (!member.state().joined) {
      return run.Fail(
          "Cannot verify the secure channel password for the local computer. The local computer "
          "is not currently part of a domain.",
          "InvalidOperation", run.Target(), "ComputerNotInDomain");
    }
    // I_NetLogonControl2(NETLOGON_CONTROL_TC_QUERY), as nltest /sc_query:
    // the channel Netlogon holds, set up first if there is none.
    if (member.state().channel.state == ChannelState::kNone) world.VerifySecureChannel(member);
    const bool alive = member.state().channel.state == ChannelState::kEstablished;
    absl::StrAppend(&run.out, alive ? "True\n" : "False\n");
    run.Verbose(absl::StrCat("The secure channel between the local computer and the domain ",
                             domain, alive ? " is in good condition." : " is broken."));
    return run.Done();
  }
  std::string user;
  if (std::optional<CommandResult> stop = CheckReset(
          run,
          "Cannot verify the secure channel password for the local computer. The local computer "
          "is not currently part of a domain.",
          &user)) {
    return *stop;
  }
  const std::optional<std::string> server = run.args.Get("Server");
  const Outcome outcome = world.Repair(
      {RepairKind::kRepairSecureChannel, session.host, server ? HostPart(*server) : "", user});
  if (!outcome.ok() &&
      (outcome.win32 == kErrorNoTrustSamAccount || outcome.win32 == kErrorNoLogonServers ||
       outcome.win32 == kErrorLogonFailure || outcome.win32 == kErrorAccessDenied)) {
    return ResetFailure(run, outcome.win32, server);
  }
  absl::StrAppend(&run.out, outcome.ok() ? "True\n" : "False\n");
  run.Verbose(outcome.ok() ? absl::StrCat("The secure channel between the local computer and the "
                                          "domain ",
                                          domain, " was successfully repaired.")
                           : absl::StrCat("The attempt to repair the secure channel between the "
                                          "local computer and the domain ",
                                          domain, " has failed."));
  return run.Done();
}

// --- Remove-Computer and Add-Computer -----------------------------------------

// After the membership changed: the restart PowerShell asks for, or the
// restart itself (-Restart), which ends the console session.
void AfterMembershipChange(Run& run) {
  if (run.args.Has("Restart")) {
    // World::Join and World::Unjoin model the restart; the logon is gone.
    Session after;
    after.host = run.session.host;
    run.session = after;
    return;
  }
  run.Warning(absl::StrCat("The changes will take effect after you restart the computer ",
                           run.Target(), "."));
}

CommandResult RemoveComputer(Shell& shell, Session& session, const CommandLine& cmd) {
  Run run{shell, session, kRemoveComputer};
  if (std::optional<CommandResult> stop = Start(run, cmd)) return *stop;
  if (!run.ShouldProcess(run.cmdlet.name)) return run.Done();
  if (run.member == nullptr) return NotSupported(run);
  const std::string target = run.Target();
  World& world = run.world();
  if (!run.member->state().joined) {
    return run.Fail(
        absl::StrCat("Cannot remove computer '", target, "' because it is not in a domain."),
        "InvalidOperation", target, "ComputerNotInDomain");
  }
  // The confirmation prompt (without -Force) is taken as answered "Yes".
  auto unjoin_failed = [&](uint32_t win32) {
    return run.Fail(absl::StrCat("Failed to unjoin computer '", target, "' from domain '",
                                 world.domain().dns_name,
                                 "' with the following error message: ", Win32Text(win32), "."),
                    "OperationStopped", target, "FailToUnjoinDomain");
  };
  // UnjoinDomainOrWorkgroup runs locally (elevated administrator) and
  // disables the account with the credentials (NETSETUP_ACCT_DELETE). With no
  // DC to reach, -Force retries without disabling the account.
  if (!Elevated(run)) return unjoin_failed(kErrorAccessDenied);
  bool dc_reachable = false;
  for (DomainController* dc : world.dcs()) {
    dc_reachable = dc_reachable || world.network().Reachable(session.host, dc->name());
  }
  if (!dc_reachable && !run.args.Has("Force")) return unjoin_failed(1355);
  std::string user;
  if (Outcome who = DomainIdentity(run, run.args.Get("UnjoinDomainCredential"), &user);
      dc_reachable && !who.ok()) {
    return unjoin_failed(who.win32);
  }
  const Outcome outcome = world.Unjoin(session.host);
  if (!outcome.ok()) return unjoin_failed(outcome.win32);
  AfterMembershipChange(run);
  return run.Done();
}

CommandResult AddComputer(Shell& shell, Session& session, const CommandLine& cmd) {
  Run run{shell, session, kAddComputer};
  if (std::optional<CommandResult> stop = Start(run, cmd)) return *stop;
  World& world = run.world();
  std::string domain = *run.args.Get("DomainName");
  std::string dc;
  if (std::optional<std::string> server = run.args.Get("Server")) {
    dc = HostPart(*server);
    if (world.FindDc(dc) == nullptr) {
      absl::StrAppend(&run.out, ErrorRecord(run.cmdlet,
                                            absl::StrCat("The specified server name ", *server,
                                                         " cannot be resolved."),
                                            "InvalidArgument", *server, "InvalidOperationException",
                                            "AddressResolutionException"));
      return run.Done(1);
    }
    // Add-Computer passes "domain\server" to JoinDomainOrWorkgroup.
    domain = absl::StrCat(domain, "\\", *server);
  }
  if (!run.ShouldProcess(absl::StrCat("Join in domain '", domain, "'"))) return run.Done();
  if (run.member == nullptr) return NotSupported(run);
  Member& member = *run.member;
  const std::string target = run.Target();
  const std::string named = *run.args.Get("DomainName");
  const std::string& dns = world.domain().dns_name;
  const bool ours =
      IsOurDomain(world, named) || absl::EqualsIgnoreCase(named, dns.substr(0, dns.find('.')));
  if (member.state().joined && ours) {
    return run.Fail(absl::StrCat("Cannot add computer '", target, "' to domain '", domain,
                                 "' because it is already in that domain."),
                    "InvalidOperation", target, "AddComputerToSameDomain");
  }
  auto join_failed = [&](uint32_t win32) {
    return run.Fail(absl::StrCat("Computer '", target, "' failed to join domain '", domain,
                                 "' from its current workgroup 'WORKGROUP' with following error "
                                 "message: ",
                                 Win32Text(win32), "."),
                    "OperationStopped", target, "FailToJoinDomainFromWorkgroup");
  };
  if (member.state().joined) {
    // Moving to another domain: trustsim has one domain, so the unjoin
    // succeeds and the join fails, and the machine is left in a workgroup.
    std::string user;
    std::optional<std::string> unjoin_as = run.args.Get("UnjoinDomainCredential");
    if (!unjoin_as.has_value()) unjoin_as = run.args.Get("Credential");
    if (!Elevated(run) || !DomainIdentity(run, unjoin_as, &user).ok()) {
      return run.Fail(absl::StrCat("Failed to unjoin computer '", target, "' from domain '", dns,
                                   "' with the following error message: Access is denied."),
                      "OperationStopped", target, "FailToUnjoinDomain");
    }
    world.Unjoin(session.host);
    return run.Fail(absl::StrCat("Computer '", target, "' was successfully unjoined from domain '",
                                 dns, "', but failed to join the new domain '", domain,
                                 "' with the following error message: ", Win32Text(1355), "."),
                    "OperationStopped", target, "FailToJoinNewDomainAfterUnjoinOldDomain");
  }
  if (!Elevated(run)) return join_failed(kErrorAccessDenied);
  if (!ours) return join_failed(1355);
  std::string user;
  if (Outcome who = DomainIdentity(run, run.args.Get("Credential"), &user); !who.ok()) {
    return join_failed(who.win32);
  }
  const Outcome outcome = world.Join(session.host, dc);
  if (!outcome.ok()) return join_failed(outcome.win32);
  if (absl::StrContains(outcome.reason, "could not be kept in sync")) {
    // The join "succeeds", but the DC refused the SPN write (duplicate SPN;
    // Microsoft's KB on the 2012 R2 uniqueness check, protocol-facts.md §7).
    absl::StrAppend(&run.out,
                    "WARNING: While processing a change to the DNS Host Name for an object, the "
                    "Service Principal Name values could not be kept in sync.\n");
  }
  AfterMembershipChange(run);
  // trustsim's own warning (not a Windows message): domain users who logged
  // on here before have profiles to reattach after a rejoin.
  const std::set<std::string>& profiles = member.state().cached_logons;
  if (!profiles.empty()) {
    std::vector<std::string> users;
    for (const std::string& u : profiles) {
      users.push_back(absl::StrCat(absl::AsciiStrToLower(world.domain().netbios_name), "\\", u));
    }
    absl::StrAppend(&run.out, "WARNING: [trustsim] Check the local profiles of domain users on ",
                    target, " (", absl::StrJoin(users, ", "),
                    "): a rejoin keeps them linked only while the domain and the users' SIDs stay "
                    "the same.\n");
  }
  return run.Done();
}

}  // namespace

void RegisterComputerCmdlets(Shell& shell) {
  shell.Register("Reset-ComputerMachinePassword", ResetComputerMachinePassword);
  shell.Register("Test-ComputerSecureChannel", TestComputerSecureChannel);
  shell.Register("Remove-Computer", RemoveComputer);
  shell.Register("Add-Computer", AddComputer);
}

}  // namespace trustsim::sim::tools
