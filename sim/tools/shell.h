// Copyright 2026 The trustsim Authors.
//
// shell.h
// -----------------------------------------------------------------------------
//
// A console on a simulated host that accepts the commands an admin types:
// cmd.exe tools (nltest, netdom, setspn, w32tm, klist, wevtutil, whoami,
// hostname) and PowerShell cmdlets (Test-ComputerSecureChannel,
// Reset-ComputerMachinePassword, Add-Computer, Get-ADComputer, ...). Each
// command checks its preconditions (OS and features, elevation, the caller's
// account, domain credentials) and prints what Windows prints.
//
// A `Session` is who is logged on where. Commands run in the caller's
// context: logged on as the local Administrator, a tool that needs domain
// rights gets ERROR_ACCESS_DENIED, exactly as nltest does on a member whose
// trust is broken (the usual situation: the domain logon no longer works).
//
// Example:
//
//   Shell shell(world);
//   Session session = Session::LocalAdministrator("WS01");
//   CommandResult r = shell.Run(session, "nltest /sc_verify:corp.example.com");
//   // r.out: "Flags: b0 HAS_IP  HAS_TIMESERV\n..."

#ifndef TRUSTSIM_SIM_TOOLS_SHELL_H_
#define TRUSTSIM_SIM_TOOLS_SHELL_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "sim/tools/command_line.h"
#include "sim/world.h"

namespace trustsim::sim::tools {

struct Session {
  std::string host;
  // Who is logged on: "" (nobody), or an account with its domain: for a
  // local account the domain is the host's computer name.
  std::string user;
  std::string domain;
  bool domain_account = false;
  // Running "as administrator" (UAC elevation). Only administrators can be.
  bool elevated = false;
  // Kerberos tickets cached for this logon session (klist): their server
  // principals, issued by `logon_server` at `logon_time` (host clock) when a
  // domain logon succeeded against a DC.
  std::vector<std::string> tickets;
  std::string logon_server;
  SimTime logon_time = 0;

  // The built-in local Administrator, elevated: how an admin gets onto a
  // member whose domain logon is broken.
  static Session LocalAdministrator(absl::string_view host);
  // A domain user (not elevated unless `elevated`).
  static Session DomainUser(absl::string_view host, absl::string_view netbios_domain,
                            absl::string_view user, bool elevated);

  // "corp\alice" / "ws01\administrator", as whoami prints it.
  std::string Qualified() const;
};

struct CommandResult {
  int exit_code = 0;
  std::string out;  // what the console shows, "\n"-terminated lines
};

class Shell;
using CommandHandler =
    std::function<CommandResult(Shell& shell, Session& session, const CommandLine& cmd)>;

class Shell {
 public:
  explicit Shell(World& world);

  World& world() { return world_; }

  // Runs one command line on `session.host` and records it in the trace.
  CommandResult Run(Session& session, absl::string_view line);

  // The commands this shell knows, lower-case names.
  std::vector<std::string> CommandNames() const;

  // Adds a command; `name` is matched case-insensitively.
  void Register(std::string name, CommandHandler handler);

  // Helpers for command implementations.
  Member* MemberOf(const Session& session) { return world_.FindMember(session.host); }
  bool IsLocalAdmin(const Session& session) const;
  // Checks "domain\user" credentials against the domain's users; the user
  // must be a domain admin when `need_admin`.
  Outcome CheckDomainCredential(absl::string_view qualified_user, bool need_admin);

 private:
  World& world_;
  std::vector<std::pair<std::string, CommandHandler>> commands_;
};

// The messages consoles print for a command they do not know.
std::string NotRecognized(absl::string_view program);

// A PowerShell error record, as the PowerShell 5.1 console prints it:
//
//   <command> : <message>
//       + CategoryInfo          : <category>: (<target>:<target_type>) [<activity>], <exception>
//       + FullyQualifiedErrorId : <error_id>
struct PowerShellErrorRecord {
  std::string command = {};  // what the record is reported for, e.g. "Get-ADComputer"
  std::string message = {};
  std::string category = {};  // "ObjectNotFound", "InvalidArgument", ...
  std::string target = {};    // the target object, "" for none
  std::string target_type = "String";
  std::string activity = {};   // inside the brackets: the cmdlet, or "" for a command not found
  std::string exception = {};  // "ParameterBindingException", ...
  std::string error_id = {};   // "NamedParameterNotFound,Microsoft.PowerShell.Commands...."
};
std::string PowerShellError(const PowerShellErrorRecord& record);

}  // namespace trustsim::sim::tools

#endif  // TRUSTSIM_SIM_TOOLS_SHELL_H_
