// Copyright 2026 The trustsim Authors.
//
// `trustsim console SCENARIO`: an interactive console for trainers. The
// scenario runs (to its end, or to --at LINE), then the trainer types Windows
// commands on the simulated hosts and drives time and the hypervisor:
//
//   WS01> nltest /sc_query:CORP
//   WS01> wait 31d
//   WS01> revert day0
//   WS01> use dc01
//   DC01> status
//
// Line editing and history come from libedit when stdin is a terminal; from a
// pipe the console reads plain lines and echoes them, so a test (or a
// trainer's prepared script) can drive it.

#include <editline/readline.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "cli/commands.h"
#include "cli/exec_host.h"
#include "cli/output.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"

namespace trustsim::cli {
namespace {

constexpr char kHelp[] =
    "Console verbs (everything else is run as a Windows command on the current host):\n"
    "  use HOST                switch to another host (a member or a DC)\n"
    "  wait DURATION           let simulated time pass, e.g. wait 31d, wait 15m\n"
    "  snapshot NAME           snapshot the current member's VM\n"
    "  revert NAME             revert the current member's VM to a snapshot\n"
    "  clone NEWHOST [sysprep] clone the current member's VM\n"
    "  status                  passwords, kvno, clocks and secure channels, side by side\n"
    "  logon DOMAIN\\user | .\\Administrator [/elevated]    logoff    whoami\n"
    "  help                    this text;  exit  leave the console\n"
    "Windows commands: nltest, netdom, Test-ComputerSecureChannel, Reset-ComputerMachinePassword,\n"
    "  Add-Computer, Remove-Computer, setspn, ldifde, Get-ADComputer, w32tm, klist,\n"
    "  Get-WinEvent, wevtutil, hostname, ...\n";

std::string Status(sim::World& world) {
  std::string out = absl::StrFormat("Time: %s (true time)\n\n", sim::FormatTime(world.sim().now()));
  absl::StrAppend(&out, absl::StrFormat("%-12s %-10s %-10s %-10s %-12s %-12s %s\n", "HOST",
                                        "CurrVal", "OldVal", "clock", "channel", "with", "DC"));
  for (sim::Member* m : world.members()) {
    const sim::MemberState& s = m->state();
    const sim::SimDuration offset = s.clock.Offset(world.sim().now());
    absl::StrAppend(
        &out,
        absl::StrFormat("%-12s %-10s %-10s %-10s %-12s %-12s %s\n", m->host(),
                        s.lsa.current ? s.lsa.current->Label() : "-",
                        s.lsa.old ? s.lsa.old->Label() : "-",
                        absl::StrCat(offset >= 0 ? "+" : "", sim::FormatDuration(offset)),
                        m->powered_on() ? sim::ChannelStateName(s.channel.state) : "(off)",
                        s.channel.authenticated_with.empty() ? "-" : s.channel.authenticated_with,
                        s.channel.dc.empty() ? "-" : s.channel.dc));
  }
  absl::StrAppend(&out, "\n",
                  absl::StrFormat("%-12s %-12s %-10s %-10s %-6s %-10s %s\n", "DC", "ACCOUNT",
                                  "current", "previous", "kvno", "clock", "profile"));
  for (sim::DomainController* dc : world.dcs()) {
    const sim::SimDuration offset = dc->clock().Offset(world.sim().now());
    for (const auto& [key, a] : dc->accounts()) {
      // Computer accounts only: service accounts that just hold SPNs have no
      // machine password.
      if (a.deleted || a.current.utf16le.empty()) continue;
      absl::StrAppend(
          &out, absl::StrFormat(
                    "%-12s %-12s %-10s %-10s %-6d %-10s %s%s\n", dc->name(), a.sam_account_name,
                    a.current.Label(), a.previous ? a.previous->Label() : "-", a.kvno,
                    absl::StrCat(offset >= 0 ? "+" : "", sim::FormatDuration(offset)),
                    sim::DcProfileName(dc->profile()), a.disabled() ? " (disabled)" : ""));
    }
  }
  return out;
}

}  // namespace

int ConsoleCommand(const std::string& path, int at_line) {
  absl::StatusOr<sim::scenario::Scenario> loaded = sim::scenario::LoadScenarioFile(path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return kExitUsage;
  }
  const sim::scenario::Scenario& scenario = *loaded;
  sim::scenario::RunOptions options;
  options.retain_trace = false;
  options.exec_host = MakeExecHost();
  if (at_line > 0) {
    absl::StatusOr<size_t> limit = sim::scenario::StepsThroughLine(scenario, at_line);
    if (!limit.ok()) {
      std::fprintf(stderr, "%s\n", std::string(limit.status().message()).c_str());
      return kExitUsage;
    }
    options.step_limit = *limit;
  }
  sim::scenario::Runner runner(scenario, options);
  runner.Run();
  sim::World& world = runner.world();
  sim::tools::Shell& shell = runner.shell();
  // From here on, show what happens as it happens.
  world.sim().trace().set_sink([&](const sim::TraceRecord& r) {
    if (r.kind == "command" || r.kind == "output") return;
    const std::string line = NarrateRecord(r, scenario.epoch);
    if (!line.empty()) std::printf("%s\n", line.c_str());
  });

  std::string host =
      scenario.hosts.empty() ? scenario.dcs.front().name : scenario.hosts.front().name;
  sim::tools::Session session = runner.ConsoleSession(host);
  std::printf("trustsim console: %s\n%s\nType help for the console verbs.\n\n",
              scenario.title.c_str(),
              absl::StrCat("Now: ", sim::FormatTime(world.sim().now()), "; you are ",
                           session.Qualified(), " on ", host, ".")
                  .c_str());
  const bool interactive = isatty(STDIN_FILENO);
  for (;;) {
    const std::string prompt = absl::StrCat(absl::AsciiStrToUpper(session.host), "> ");
    std::string line;
    if (interactive) {
      char* raw = readline(prompt.c_str());
      if (raw == nullptr) break;
      line = raw;
      free(raw);
      if (!absl::StripAsciiWhitespace(line).empty()) add_history(line.c_str());
    } else {
      if (!std::getline(std::cin, line)) break;
      std::printf("%s%s\n", prompt.c_str(), line.c_str());
    }
    line = std::string(absl::StripAsciiWhitespace(line));
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> words = absl::StrSplit(line, ' ', absl::SkipEmpty());
    const std::string verb = absl::AsciiStrToLower(words[0]);
    if (verb == "exit" || verb == "quit") break;
    if (verb == "help" || verb == "?") {
      std::printf("%s", kHelp);
    } else if (verb == "status") {
      std::printf("%s", Status(world).c_str());
    } else if (verb == "use" && words.size() == 2) {
      if (world.FindMember(words[1]) == nullptr && world.FindDc(words[1]) == nullptr) {
        std::printf("No host named %s.\n", words[1].c_str());
      } else {
        session = runner.ConsoleSession(words[1]);
        std::printf("You are %s on %s.\n", session.Qualified().c_str(), session.host.c_str());
      }
    } else if (verb == "wait" && words.size() == 2) {
      absl::StatusOr<sim::SimDuration> d = sim::ParseDuration(words[1]);
      if (!d.ok() || *d < 0) {
        std::printf("%s\n", d.ok() ? "wait: the duration must be positive"
                                   : std::string(d.status().message()).c_str());
      } else {
        world.sim().RunUntil(world.sim().now() + *d);
        std::printf("Now: %s\n", sim::FormatTime(world.sim().now()).c_str());
      }
    } else if ((verb == "snapshot" || verb == "revert") && words.size() == 2) {
      const sim::Outcome o = verb == "snapshot" ? world.Snapshot(session.host, words[1])
                                                : world.Revert(session.host, words[1]);
      if (!o.ok()) std::printf("%s\n", o.reason.c_str());
    } else if (verb == "clone" && (words.size() == 2 || words.size() == 3)) {
      const sim::Outcome o =
          world.Clone(session.host, words[1], words.size() == 3 && words[2] == "sysprep");
      if (!o.ok()) std::printf("%s\n", o.reason.c_str());
    } else {
      const sim::tools::CommandResult r = shell.Run(session, line);
      std::printf("%s", r.out.c_str());
    }
    std::fflush(stdout);
  }
  return kExitOk;
}

}  // namespace trustsim::cli
