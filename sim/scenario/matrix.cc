// Copyright 2026 The trustsim Authors.

#include "sim/scenario/matrix.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sim/scenario/runner.h"

namespace trustsim::sim::scenario {
namespace {

struct Candidate {
  std::vector<std::string> commands;
  bool domain_admin_context = false;  // logged on as the domain admin
  bool on_dc = false;                 // typed on the PDC instead of the member
  const char* cost = "";              // what the repair costs when it works
};

// The first line of a command's output, for the table.
std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.empty() && !text.empty() ? FirstLine(text.substr(1)) : line;
}

}  // namespace

absl::StatusOr<RepairMatrix> BuildRepairMatrix(const Scenario& scenario, int at_line) {
  // Find the point to fork from.
  std::optional<size_t> cut;
  {
    RunOptions options;
    options.retain_trace = false;
    size_t index = 0;
    // Replays run no programs: an `exec:` step fails here for want of a host
    // (RunOptions::exec_host), which says nothing about the member's trust.
    options.on_step = [&](const StepResult& r, World&) {
      const ActionKind kind = r.step->action.kind;
      const bool match = at_line > 0 ? r.step->pos.line == at_line
                                     : r.has_outcome && !r.outcome.ok() &&
                                           kind != ActionKind::kRepair && kind != ActionKind::kExec;
      if (match && !cut) cut = index;
      ++index;
    };
    Runner(scenario, options).Run();
  }
  if (!cut) {
    return absl::InvalidArgumentError(
        at_line > 0 ? absl::StrCat(scenario.file, ": no step starts on line ", at_line)
                    : absl::StrCat(scenario.file,
                                   ": nothing fails in this scenario; name a step with --at LINE"));
  }
  const Step& step = scenario.steps[*cut];
  RepairMatrix matrix;
  matrix.at_line = step.pos.line;
  matrix.broken_by = step.Describe();

  const DomainUser* user = nullptr;
  const DomainUser* admin = nullptr;
  for (const DomainUser& u : scenario.users) {
    if (u.admin && admin == nullptr) admin = &u;
    if (!u.admin && user == nullptr) user = &u;
  }
  if (user == nullptr) user = admin;
  if (user == nullptr || admin == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        scenario.file, ": the matrix needs a user and a domain admin in domain.users"));
  }

  // Replays the scenario through the cut; the caller goes on from there.
  auto replay = [&]() {
    RunOptions options;
    options.retain_trace = false;
    options.step_limit = *cut + 1;
    auto runner = std::make_unique<Runner>(scenario, options);
    runner->Run();
    return runner;
  };

  std::unique_ptr<Runner> base = replay();
  World& world = base->world();
  std::string host = step.action.Param("host");
  if (world.FindMember(host) == nullptr) {
    host = scenario.hosts.empty() ? "" : scenario.hosts.front().name;
  }
  Member* member = world.FindMember(host);
  if (member == nullptr) return absl::InvalidArgumentError("the scenario has no member to repair");
  matrix.host = host;
  matrix.passwords = world.DescribePasswords(*member);
  // Which other members work now, to notice repairs that break them.
  std::vector<std::string> others_working;
  for (Member* other : world.members()) {
    if (other->host() == host || !other->powered_on() || !other->state().joined) continue;
    if (world.Logon(other->host(), user->name).ok()) others_working.push_back(other->host());
  }
  const Outcome before = world.Logon(host, user->name);
  matrix.before = before.ok() ? "logon works"
                              : absl::StrCat(Win32ErrorName(before.win32), ": ", before.message);

  const std::string domain = scenario.domain.netbios_name;
  const std::string cred = absl::StrCat(domain, "\\", admin->name);
  const std::string dc = world.Pdc()->name();
  const std::string computer = member->state().computer_name;
  const std::vector<Candidate> candidates = {
      {{absl::StrCat("nltest /sc_reset:", domain)}, false, false},
      {{absl::StrCat("nltest /sc_reset:", domain)}, true, false},
      {{absl::StrCat("Test-ComputerSecureChannel -Repair -Credential ", cred)},
       false,
       false,
       "no restart"},
      {{absl::StrCat("Reset-ComputerMachinePassword -Server ", dc, " -Credential ", cred)},
       false,
       false,
       "no restart"},
      {{absl::StrCat("netdom resetpwd /Server:", dc, " /UserD:", cred, " /PasswordD:*")},
       false,
       false,
       "no restart"},
      {{"w32tm /resync"}, false, false},
      {{absl::StrCat("Enable-ADAccount -Identity ", computer, "$")}, true, true},
      {{absl::StrCat("Remove-Computer -UnjoinDomainCredential ", cred,
                     " -WorkgroupName WORKGROUP -Force"),
        absl::StrCat("Add-Computer -DomainName ", scenario.domain.dns_name, " -Credential ", cred,
                     " -Force")},
       false,
       false,
       "two restarts; domain profiles stay linked (same SIDs)"},
  };

  for (const Candidate& c : candidates) {
    std::unique_ptr<Runner> run = replay();
    World& w = run->world();
    tools::Shell& shell = run->shell();
    RepairTry t;
    t.repair =
        c.commands.size() == 1 ? c.commands[0] : absl::StrCat(c.commands[0], " ; ", c.commands[1]);
    tools::Session session = run->ConsoleSession(c.on_dc ? dc : host);
    t.context = c.on_dc                  ? absl::StrCat(cred, " on ", dc)
                : c.domain_admin_context ? cred
                                         : ".\\Administrator";
    bool stopped = false;
    if (c.domain_admin_context && !c.on_dc) {
      tools::CommandResult logon = shell.Run(session, absl::StrCat("logon ", cred, " /elevated"));
      if (logon.exit_code != 0) {
        t.exit_code = logon.exit_code;
        t.output = FirstLine(logon.out);
        t.verdict = "cannot start";
        t.reason = absl::StrCat("logging on as ", cred, " fails first: ", t.output);
        stopped = true;
      }
    }
    for (const std::string& command : c.commands) {
      if (stopped) break;
      tools::CommandResult r = shell.Run(session, command);
      t.exit_code = r.exit_code;
      t.output = FirstLine(r.out);
      if (r.exit_code == 9009) {
        const OsVersion& os = w.FindMember(host)->os();
        t.verdict = "not available";
        t.reason = absl::StrCat("the command does not exist on ", os.name,
                                os.server ? "" : (os.rsat ? " with RSAT" : " without RSAT"),
                                " (Windows PowerShell ", os.PowerShellVersion(), ")");
        stopped = true;
      } else if (r.exit_code != 0) {
        t.verdict = "failed";
        t.reason = t.output.empty() ? absl::StrCat("exit code ", r.exit_code) : t.output;
        stopped = true;
      }
    }
    // Verify the way users do: a domain logon on the member, and on the
    // members that worked before.
    const Outcome after = w.Logon(host, user->name);
    t.fixed = after.ok();
    for (const std::string& other : others_working) {
      if (!w.Logon(other, user->name).ok()) t.broke.push_back(other);
    }
    if (!stopped) {
      t.verdict = t.fixed ? (before.ok() ? "works (was not broken)" : "fixed") : "no effect";
      if (!t.broke.empty()) {
        t.verdict = absl::StrCat(t.verdict, ", but breaks ", absl::StrJoin(t.broke, ", "));
      }
      t.reason = t.fixed ? absl::StrCat(*c.cost ? absl::StrCat(c.cost, "; ") : "", "now ",
                                        w.DescribePasswords(*w.FindMember(host)))
                         : absl::StrCat("a logon still fails: ", Win32ErrorName(after.win32), " (",
                                        after.reason, ")");
    }
    matrix.tries.push_back(std::move(t));
  }
  return matrix;
}

}  // namespace trustsim::sim::scenario
