// Copyright 2026 The trustsim Authors.

#include "sim/tools/shell.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sim/tools/commands.h"

namespace trustsim::sim::tools {

Session Session::LocalAdministrator(absl::string_view host) {
  Session s;
  s.host = std::string(host);
  s.user = "Administrator";
  s.domain = absl::AsciiStrToUpper(host);
  s.domain_account = false;
  s.elevated = true;
  return s;
}

Session Session::DomainUser(absl::string_view host, absl::string_view netbios_domain,
                            absl::string_view user, bool elevated) {
  Session s;
  s.host = std::string(host);
  s.user = std::string(user);
  s.domain = absl::AsciiStrToUpper(netbios_domain);
  s.domain_account = true;
  s.elevated = elevated;
  return s;
}

std::string Session::Qualified() const {
  return absl::AsciiStrToLower(absl::StrCat(domain, "\\", user));
}

std::string NotRecognized(absl::string_view program) {
  if (absl::StrContains(program, '-')) {
    // PowerShell's CommandNotFoundException.
    return PowerShellError(
        {.command = std::string(program),
         .message = absl::StrCat("The term '", program,
                                 "' is not recognized as the name of a cmdlet, function, script "
                                 "file, or operable program. Check the spelling of the name, or if "
                                 "a path was included, verify that the path is correct and try "
                                 "again."),
         .category = "ObjectNotFound",
         .target = std::string(program),
         .exception = "CommandNotFoundException",
         .error_id = "CommandNotFoundException"});
  }
  return absl::StrCat("'", program,
                      "' is not recognized as an internal or external command,\n"
                      "operable program or batch file.\n");
}

std::string PowerShellError(const PowerShellErrorRecord& r) {
  return absl::StrCat(r.command, " : ", r.message, "\n",
                      "    + CategoryInfo          : ", r.category, ": (", r.target,
                      r.target.empty() ? ":" : absl::StrCat(":", r.target_type), ") [", r.activity,
                      "], ", r.exception, "\n", "    + FullyQualifiedErrorId : ", r.error_id, "\n");
}

Shell::Shell(World& world) : world_(world) {
  RegisterSessionCommands(*this);
  RegisterNltest(*this);
  RegisterDirectoryCommands(*this);
  RegisterDiagnosticCommands(*this);
  RegisterNetdom(*this);
  RegisterComputerCmdlets(*this);
}

void Shell::Register(std::string name, CommandHandler handler) {
  commands_.emplace_back(absl::AsciiStrToLower(name), std::move(handler));
}

std::vector<std::string> Shell::CommandNames() const {
  std::vector<std::string> names;
  for (const auto& [name, handler] : commands_) names.push_back(name);
  return names;
}

bool Shell::IsLocalAdmin(const Session& session) const {
  if (session.user.empty()) return false;
  if (!session.domain_account) return absl::EqualsIgnoreCase(session.user, "Administrator");
  const DomainUser* user = world_.FindUser(session.user);
  return user != nullptr && user->admin;  // Domain Admins are local admins on members
}

Outcome Shell::CheckDomainCredential(absl::string_view qualified_user, bool need_admin) {
  // "CORP\dsmith", "corp.example.com\dsmith" or a bare "dsmith"; another
  // domain's account is not one of ours.
  if (size_t slash = qualified_user.find('\\'); slash != absl::string_view::npos) {
    const absl::string_view domain = qualified_user.substr(0, slash);
    if (!absl::EqualsIgnoreCase(domain, world_.domain().netbios_name) &&
        !absl::EqualsIgnoreCase(domain, world_.domain().dns_name)) {
      return Outcome::Failure(
          kErrorLogonFailure, NtStatus::kLogonFailure,
          absl::StrCat("no account ", qualified_user, " in ", world_.domain().netbios_name));
    }
  }
  const DomainUser* user = world_.FindUser(qualified_user);
  if (user == nullptr || !user->enabled) {
    return Outcome::Failure(kErrorLogonFailure, NtStatus::kLogonFailure,
                            absl::StrCat("no enabled domain account ", qualified_user));
  }
  if (need_admin && !user->admin) {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                            absl::StrCat(user->name, " is not a domain admin"));
  }
  return Outcome::Success();
}

CommandResult Shell::Run(Session& session, absl::string_view line) {
  CommandResult result;
  absl::StatusOr<CommandLine> cmd = SplitCommandLine(line);
  if (!cmd.ok()) {
    result.exit_code = 1;
    result.out = "The syntax of the command is incorrect.\n";
  } else if (cmd->words.empty()) {
    return result;
  } else {
    std::string program = absl::AsciiStrToLower(cmd->words[0]);
    if (absl::EndsWith(program, ".exe")) program.resize(program.size() - 4);
    const CommandHandler* handler = nullptr;
    for (const auto& [name, h] : commands_) {
      if (name == program) handler = &h;
    }
    if (handler == nullptr) {
      result.exit_code = 9009;  // cmd.exe's "not recognized" errorlevel
      result.out = NotRecognized(cmd->words[0]);
    } else {
      result = (*handler)(*this, session, *cmd);
    }
  }
  world_.sim().Log(
      session.host, "command",
      absl::StrCat(session.host, "> ", std::string(line), " (exit ", result.exit_code, ")"),
      {{"user", session.Qualified()}});
  return result;
}

}  // namespace trustsim::sim::tools
