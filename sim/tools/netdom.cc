// Copyright 2026 The trustsim Authors.
//
// netdom: resetpwd and verify. See docs/commands/netdom.md.
//
// netdom ships with Windows Server 2008 and later and with RSAT on clients
// (OsVersion::HasNetdom); elsewhere cmd.exe does not know it. Microsoft's
// netdom reference says it must run from an elevated command prompt.
//
//   * `netdom resetpwd /Server:DC /UserD:user /PasswordD:{password|*}` writes
//     a new machine password to the named DC with the given domain
//     credentials and into the LSA, and sets the channel up again with it: no
//     reboot (World::Repair, RepairKind::kResetMachinePassword). The success
//     and failure lines are the ones transcripts of real runs show; the
//     closing "The command failed to complete successfully." follows the
//     Directory Services tools' convention.
//   * `netdom verify COMPUTER [/Domain:D] [/UserO:user /PasswordO:...]`
//     verifies the secure channel of a member (the local one or another).
//
// Abbreviations /S, /UD, /PD, /D, /UO, /PO work as on Windows. A missing
// required option, an unknown option or `/?` prints a short usage (exit 1).

#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "sim/tools/commands.h"

namespace trustsim::sim::tools {
namespace {

constexpr char kCompleted[] = "The command completed successfully.\n";
constexpr char kFailed[] = "The command failed to complete successfully.\n";

constexpr char kUsage[] =
    "The syntax of this command is:\n"
    "\n"
    "NETDOM [ ADD | COMPUTERNAME | HELP | JOIN | MOVE | QUERY | REMOVE | MOVENT4BDC |\n"
    "         RENAMECOMPUTER | RESET | RESETPWD | TRUST | VERIFY ]\n"
    "\n"
    "NETDOM HELP command displays help on one command.\n";

constexpr char kResetPwdUsage[] =
    "The syntax of this command is:\n"
    "\n"
    "NETDOM RESETPWD /Server:domain-controller /UserD:user /PasswordD:[password | *]\n"
    "\n"
    "NETDOM RESETPWD resets the machine account password of the computer on which\n"
    "        this command is run, on the domain controller given by /Server.\n";

constexpr char kVerifyUsage[] =
    "The syntax of this command is:\n"
    "\n"
    "NETDOM VERIFY machine [/Domain:domain] [/UserO:user] [/PasswordO:[password | *]]\n"
    "\n"
    "NETDOM VERIFY verifies the secure channel between a workstation or member\n"
    "        server and its domain.\n";

// Win32 codes netdom reports that sim/windows_error.h has no text for
// (MS-ERREF).
constexpr uint32_t kErrorNotSupported = 50;
constexpr uint32_t kErrorBadNetPath = 53;
constexpr uint32_t kErrorNoSuchDomain = 1355;

std::string Message(uint32_t win32) {
  switch (win32) {
    case kErrorNotSupported:
      return "The request is not supported.";
    case kErrorBadNetPath:
      return "The network path was not found.";
    case kErrorNoSuchDomain:
      return "The specified domain either does not exist or could not be contacted.";
    default:
      return Win32ErrorMessage(win32);
  }
}

// `/Full:value` or its abbreviation `/Abbrev:value`.
std::optional<std::string> Opt(const SlashArgs& args, absl::string_view full,
                               absl::string_view abbrev) {
  if (std::optional<std::string> v = args.Get(full)) return v;
  return args.Get(abbrev);
}

bool IsOurDomain(const World& world, absl::string_view name) {
  return absl::EqualsIgnoreCase(name, world.domain().netbios_name) ||
         absl::EqualsIgnoreCase(name, world.domain().dns_name);
}

// "DC01", "\\DC01" or "DC01.corp.example.com" -> "DC01".
std::string HostPart(absl::string_view name) {
  absl::ConsumePrefix(&name, "\\\\");
  return std::string(name.substr(0, name.find('.')));
}

// Checks domain credentials as netdom sends them: "CORP\user", "user" or
// "user@corp.example.com", with a password (`*` = prompted, which trustsim
// treats as typed correctly). Returns the Win32 error, or 0 and the
// account's qualified name for the trace.
uint32_t CheckCredential(Shell& shell, absl::string_view written,
                         const std::optional<std::string>& password, std::string* qualified) {
  World& world = shell.world();
  absl::string_view domain, name = written;
  if (size_t slash = name.find('\\'); slash != absl::string_view::npos) {
    domain = name.substr(0, slash);
    name = name.substr(slash + 1);
  } else if (size_t at = name.find('@'); at != absl::string_view::npos) {
    domain = name.substr(at + 1);
    name = name.substr(0, at);
  }
  if (!domain.empty() && !IsOurDomain(world, domain)) return kErrorLogonFailure;
  const DomainUser* user = world.FindUser(name);
  if (user == nullptr) return kErrorLogonFailure;
  if (!user->enabled) return kErrorAccountDisabled;
  const bool prompted = password.has_value() && *password == "*";
  if (!prompted && password.value_or("") != user->password) return kErrorLogonFailure;
  const Outcome admin = shell.CheckDomainCredential(user->name, /*need_admin=*/true);
  if (!admin.ok()) return admin.win32;
  *qualified = absl::StrCat(world.domain().netbios_name, "\\", user->name);
  return kErrorSuccess;
}

CommandResult ResetPwd(Shell& shell, Session& session, const SlashArgs& args) {
  World& world = shell.world();
  if (args.Has("?") || args.Has("help") || !args.positional().empty() ||
      !args.Unknown({"server", "s", "userd", "ud", "passwordd", "pd"}).empty()) {
    return {1, kResetPwdUsage};
  }
  const std::optional<std::string> server = Opt(args, "server", "s");
  const std::optional<std::string> user = Opt(args, "userd", "ud");
  const std::optional<std::string> password = Opt(args, "passwordd", "pd");
  if (!server || server->empty() || !user || user->empty()) return {1, kResetPwdUsage};

  // netdom prompts while it reads its arguments, before it does anything.
  std::string out;
  if (password.has_value() && *password == "*") {
    out = "Type the password associated with the domain user:\n\n";
  }
  auto fail = [&](uint32_t win32) {
    return CommandResult{
        1, absl::StrCat(
               out, "The machine account password for the local machine could not be reset.\n\n",
               Message(win32), "\n\n", kFailed)};
  };
  // The LSA secret is written with the caller's own rights: only an elevated
  // local administrator may.
  if (!shell.IsLocalAdmin(session) || !session.elevated) return fail(kErrorAccessDenied);
  Member* member = shell.MemberOf(session);
  if (member == nullptr) return fail(kErrorNotSupported);  // a DC's own reset: not modelled
  if (!member->state().joined) return fail(kErrorNoTrustLsaSecret);
  std::string qualified;
  if (uint32_t denied = CheckCredential(shell, *user, password, &qualified); denied != 0) {
    return fail(denied);
  }
  const std::string dc = HostPart(*server);
  if (world.FindDc(dc) == nullptr) return fail(kErrorBadNetPath);
  const Outcome outcome =
      world.Repair({RepairKind::kResetMachinePassword, session.host, dc, qualified});
  if (!outcome.ok()) return fail(outcome.win32);
  return {0, absl::StrCat(out,
                          "The machine account password for the local machine has been "
                          "successfully reset.\n\n",
                          kCompleted)};
}

Member* FindComputer(World& world, absl::string_view name) {
  const std::string host = HostPart(name);
  if (Member* m = world.FindMember(host)) return m;
  for (Member* m : world.members()) {
    if (absl::EqualsIgnoreCase(m->state().computer_name, host)) return m;
  }
  return nullptr;
}

CommandResult Verify(Shell& shell, Session& session, const SlashArgs& args) {
  World& world = shell.world();
  if (args.Has("?") || args.Has("help") || args.positional().size() != 1 ||
      !args.Unknown({"domain", "d", "usero", "uo", "passwordo", "po"}).empty()) {
    return {1, kVerifyUsage};
  }
  const std::optional<std::string> domain = Opt(args, "domain", "d");
  const std::optional<std::string> user = Opt(args, "usero", "uo");
  const std::optional<std::string> password = Opt(args, "passwordo", "po");
  std::string out;
  if (password.has_value() && *password == "*") {
    out = "Type the password associated with the object user:\n\n";
  }
  auto error = [&](uint32_t win32) {
    return CommandResult{1, absl::StrCat(out, Message(win32), "\n\n", kFailed)};
  };
  if (domain.has_value() && !IsOurDomain(world, *domain)) return error(kErrorNoSuchDomain);
  Member* target = FindComputer(world, args.positional()[0]);
  if (target == nullptr || !target->powered_on()) return error(kErrorBadNetPath);
  const bool local = absl::EqualsIgnoreCase(target->host(), session.host);

  // netdom itself needs an elevated prompt. The query runs on the target
  // with /UserO's credentials, or the caller's: a local administrator on
  // its own machine, a domain admin anywhere.
  if (!session.elevated) return error(kErrorAccessDenied);
  if (user.has_value()) {
    std::string qualified;
    if (uint32_t denied = CheckCredential(shell, *user, password, &qualified); denied != 0) {
      return error(denied);
    }
  } else if (!shell.IsLocalAdmin(session) || (!local && !session.domain_account)) {
    return error(kErrorAccessDenied);
  }

  const std::string computer = target->state().computer_name;
  const std::string& netbios = world.domain().netbios_name;
  const Outcome outcome =
      target->state().joined
          ? world.VerifySecureChannel(*target)
          : Outcome::Failure(kErrorNoTrustLsaSecret, NtStatus::kNoTrustLsaSecret, "not joined");
  if (!outcome.ok()) {
    return {1, absl::StrCat(out, "The secure channel from ", computer, " to the domain ", netbios,
                            " is invalid.\n\n", Message(outcome.win32), "\n\n", kFailed)};
  }
  return {0, absl::StrCat(out, "The secure channel from ", computer, " to the domain ", netbios,
                          " has been verified.  The connection is with the machine \\\\",
                          target->state().channel.dc, ".", world.domain().dns_name, ".\n\n",
                          kCompleted)};
}

CommandResult Netdom(Shell& shell, Session& session, const CommandLine& cmd) {
  World& world = shell.world();
  const Member* member = shell.MemberOf(session);
  // Domain controllers are servers; a member needs a server OS or RSAT.
  const bool present =
      member != nullptr ? member->os().HasNetdom() : world.FindDc(session.host) != nullptr;
  if (!present) return {9009, NotRecognized(cmd.words[0])};
  if (cmd.words.size() < 2) return {1, kUsage};
  const std::string sub = absl::AsciiStrToLower(cmd.words[1]);
  const SlashArgs args = SlashArgs::Parse(cmd.words, 2);
  if (sub == "resetpwd") return ResetPwd(shell, session, args);
  if (sub == "verify") return Verify(shell, session, args);
  return {1, kUsage};  // "/?", "help" and everything trustsim does not model
}

}  // namespace

void RegisterNetdom(Shell& shell) { shell.Register("netdom", Netdom); }

}  // namespace trustsim::sim::tools
