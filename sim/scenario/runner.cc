// Copyright 2026 The trustsim Authors.

#include "sim/scenario/runner.h"

#include <algorithm>
#include <exception>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace trustsim::sim::scenario {
namespace {

std::string LabelOr(const std::optional<MachinePassword>& p) {
  return p.has_value() ? p->Label() : "none";
}

bool ParseBool(const std::string& text) { return text == "true" || text == "yes" || text == "1"; }

// A program's output for a failure message, its head when it is long.
std::string Shown(const std::string& text) {
  constexpr size_t kMax = 4000;
  if (text.empty()) return "(nothing)";
  if (text.size() <= kMax) return text;
  return absl::StrCat(text.substr(0, kMax), "\n... (", text.size() - kMax, " more bytes)");
}

ExecResult NotStarted(std::string error) {
  ExecResult x;
  x.error = std::move(error);
  return x;
}

// The outcome of an `exec:` step: success when the program ran to the end and
// exited with 0. The reason never quotes the program's output.
Outcome ExecOutcome(const ExecResult& x, const Action& a) {
  std::string reason;
  if (!x.error.empty()) {
    reason = x.error;
  } else if (x.timed_out) {
    reason = absl::StrCat("timed out after ", FormatDuration(a.exec_timeout));
  } else if (x.exit_code != 0) {
    reason = absl::StrCat("exit code ", x.exit_code);
  } else {
    return Outcome::Success("exit code 0");
  }
  // Not a Windows error: the exit code stands in for one, as for run: steps.
  const uint32_t code = x.exit_code > 0 ? static_cast<uint32_t>(x.exit_code) : 0xFFFFFFFFu;
  return Outcome{code, NtStatus::kSuccess, reason, reason};
}

}  // namespace

Runner::Runner(const Scenario& scenario, RunOptions options)
    : scenario_(scenario), options_(std::move(options)) {}

Runner::~Runner() = default;

void Runner::Build() {
  const uint64_t seed = options_.seed.value_or(scenario_.seed);
  world_ = std::make_unique<World>(seed, scenario_.epoch, scenario_.domain);
  shell_ = std::make_unique<tools::Shell>(*world_);
  World& w = *world_;
  w.sim().trace().set_retain(options_.retain_trace);
  if (options_.trace_sink) w.sim().trace().set_sink(options_.trace_sink);
  w.set_password_change_order(scenario_.policies.password_change_order);
  w.set_boot_jitter(scenario_.policies.boot_jitter);
  w.sim().Log("", "scenario",
              absl::StrCat(scenario_.name, ": ", scenario_.title, " (seed ", seed, ")"));
  for (const DomainUser& user : scenario_.users) w.AddUser(user);
  for (const DcSpec& spec : scenario_.dcs) {
    const DcProfile profile =
        scenario_.policies.profile.value_or(spec.profile.value_or(DcProfile::kWindows));
    DomainController& dc = w.AddDc(spec.name, spec.pdc, profile);
    dc.set_refuse_password_change(spec.refuse_password_change);
    dc.set_schannel_required(spec.schannel_required);
    if (spec.clock_offset != 0) w.SetClockOffset(spec.name, spec.clock_offset);
    w.sim().Log(spec.name, "dc",
                absl::StrCat("domain controller", spec.pdc ? " (PDC emulator)" : "", ", profile ",
                             DcProfileName(profile),
                             spec.refuse_password_change ? ", RefusePasswordChange" : "",
                             spec.schannel_required ? "" : ", schannel not required"));
  }
  for (const HostSpec& spec : scenario_.hosts) {
    Member& m = w.AddMember(spec.name, spec.os);
    m.state().netlogon = spec.netlogon;
    m.hypervisor_time_sync = spec.hypervisor_time_sync;
    if (spec.clock_offset != 0) w.SetClockOffset(spec.name, spec.clock_offset);
    if (spec.drift_ppm != 0) w.SetClockDrift(spec.name, spec.drift_ppm);
    if (spec.time_sync_interval > 0) w.SetTimeSyncInterval(spec.name, spec.time_sync_interval);
  }
  for (const HostSpec& spec : scenario_.hosts) {
    if (spec.join) w.Join(spec.name);
  }
}

RunResult Runner::Run() {
  Build();
  RunResult result;
  result.seed = options_.seed.value_or(scenario_.seed);
  for (size_t i = 0; i < scenario_.steps.size(); ++i) {
    if (options_.step_limit && i >= *options_.step_limit) break;
    StepResult r = RunStep(scenario_.steps[i]);
    result.checks += r.checks;
    result.failed_checks += static_cast<int>(r.failures.size());
    if (options_.on_step) options_.on_step(r, *world_);
    result.steps.push_back(std::move(r));
  }
  result.trace_hash = world_->sim().trace().HashHex();
  result.events_run = world_->sim().events_run();
  result.end_time = world_->sim().now();
  return result;
}

StepResult Runner::RunStep(const Step& step) {
  World& w = *world_;
  w.sim().RunUntil(step.at);
  StepResult result;
  result.step = &step;
  result.time = w.sim().now();
  if (step.action.kind != ActionKind::kNone) {
    w.sim().Log(step.action.Param("host"), "step", step.Describe(),
                {{"line", absl::StrCat(step.pos.line)}});
    if (step.action.kind == ActionKind::kRun) {
      result.command = RunCommand(step.action);
      const tools::CommandResult& c = *result.command;
      result.outcome =
          c.exit_code == 0
              ? Outcome::Success()
              : Outcome{static_cast<uint32_t>(c.exit_code), NtStatus::kSuccess,
                        c.out.substr(0, c.out.find('\n')), absl::StrCat("exit code ", c.exit_code)};
    } else if (step.action.kind == ActionKind::kExec) {
      result.exec = RunExec(step.action);
      result.outcome = ExecOutcome(*result.exec, step.action);
    } else {
      result.outcome = Perform(step.action);
    }
    result.has_outcome = true;
    if (result.exec.has_value()) {
      // The exit code only: the program's output may hold wall-clock times,
      // and the trace must stay the same for the same scenario and seed.
      w.sim().Log("", "result", result.outcome.reason,
                  {{"exit", absl::StrCat(result.exec->exit_code)}});
    } else {
      w.sim().Log(step.action.Param("host"), "result",
                  absl::StrCat(Win32ErrorName(result.outcome.win32),
                               result.outcome.reason.empty() ? "" : ": ", result.outcome.reason),
                  {{"win32", absl::StrCat(result.outcome.win32)}});
    }
  }
  // A program that could not start or ran out of time is never what a
  // scenario means, expectations or not.
  if (result.exec.has_value() && (!result.exec->error.empty() || result.exec->timed_out)) {
    ++result.checks;
    result.failures.push_back({step.action.pos, result.outcome.reason});
  }
  if (step.expect.has_value()) Check(step, result);
  return result;
}

absl::StatusOr<size_t> StepsThroughLine(const Scenario& scenario, int line) {
  for (size_t i = 0; i < scenario.steps.size(); ++i) {
    if (scenario.steps[i].pos.line == line) return i + 1;
  }
  return absl::InvalidArgumentError(absl::StrCat(scenario.file, ": no step starts on line ", line));
}

tools::Session Runner::ConsoleSession(absl::string_view host) const {
  const DomainController* dc = world_->FindDc(host);
  if (dc == nullptr) return tools::Session::LocalAdministrator(host);
  for (const DomainUser& u : scenario_.users) {
    if (u.admin) {
      return tools::Session::DomainUser(dc->name(), scenario_.domain.netbios_name, u.name,
                                        /*elevated=*/true);
    }
  }
  return tools::Session::LocalAdministrator(dc->name());
}

tools::CommandResult Runner::RunCommand(const Action& a) {
  const std::string& host = a.Param("host");
  tools::Session session = ConsoleSession(host);
  if (const std::string& as = a.Param("as"); !as.empty() && as != ".\\Administrator") {
    // Running as a domain user means logging on as one first; with broken
    // trust that logon fails, and so does the step.
    tools::CommandResult logon = shell_->Run(session, absl::StrCat("logon ", as, " /elevated"));
    if (logon.exit_code != 0) return logon;
  }
  if (a.Param("elevated") == "false") session.elevated = false;
  tools::CommandResult result = shell_->Run(session, a.Param("command"));
  size_t start = 0;
  while (start < result.out.size()) {
    size_t end = result.out.find('\n', start);
    if (end == std::string::npos) end = result.out.size();
    world_->sim().Log(host, "output", result.out.substr(start, end - start));
    start = end + 1;
  }
  return result;
}

ExecResult Runner::RunExec(const Action& a) {
  if (!options_.exec_host) {
    return NotStarted("exec steps start programs: run this scenario with `trustsim run`");
  }
  try {
    return options_.exec_host(a, *world_);
  } catch (const std::exception& e) {
    return NotStarted(absl::StrCat("the program could not be run: ", e.what()));
  }
}

Outcome Runner::Perform(const Action& a) {
  World& w = *world_;
  const std::string& host = a.Param("host");
  auto member = [&]() -> Member* { return w.FindMember(host); };
  auto duration = [&](const char* key) { return ParseDuration(a.Param(key)).value_or(0); };
  switch (a.kind) {
    case ActionKind::kNone:
      return Outcome::Success();
    case ActionKind::kJoin:
      return w.Join(host, a.Param("dc"));
    case ActionKind::kUnjoin:
      return w.Unjoin(host);
    case ActionKind::kLogon:
      return w.Logon(host, a.Param("user"));
    case ActionKind::kChangePassword:
      return member() ? w.ChangeMachinePassword(*member()) : Outcome::Success();
    case ActionKind::kSetupChannel:
      if (member() == nullptr) break;
      if (!a.Param("dc").empty()) return w.SetupSecureChannel(*member(), a.Param("dc"));
      return w.VerifySecureChannel(*member());
    case ActionKind::kSnapshot:
      return w.Snapshot(host, a.Param("name"));
    case ActionKind::kRevert:
      return w.Revert(host, a.Param("name"));
    case ActionKind::kClone:
      return w.Clone(host, a.Param("new_host"), ParseBool(a.Param("sysprep")),
                     a.Param("computer_name"));
    case ActionKind::kPowerOff:
      return w.PowerOff(host);
    case ActionKind::kPowerOn:
      return w.PowerOn(host);
    case ActionKind::kResetAccount:
      return w.ResetAccount(a.Param("computer"));
    case ActionKind::kDisableAccount:
      return w.SetAccountEnabled(a.Param("computer"), false);
    case ActionKind::kEnableAccount:
      return w.SetAccountEnabled(a.Param("computer"), true);
    case ActionKind::kDeleteAccount:
      return w.DeleteAccount(a.Param("computer"));
    case ActionKind::kAddSpn:
      return w.AddSpn(a.Param("account"), a.Param("spn"));
    case ActionKind::kRemoveSpn:
      return w.RemoveSpn(a.Param("account"), a.Param("spn"));
    case ActionKind::kBackupDc:
      return w.BackupDc(a.Param("dc"), a.Param("name"));
    case ActionKind::kRestoreDc:
      return w.RestoreDc(a.Param("dc"), a.Param("name"));
    case ActionKind::kSetClock:
      w.SetClockOffset(host, duration("offset"));
      return Outcome::Success();
    case ActionKind::kSetDrift: {
      double ppm = 0;
      (void)absl::SimpleAtod(a.Param("ppm"), &ppm);
      w.SetClockDrift(host, ppm);
      return Outcome::Success();
    }
    case ActionKind::kResync:
      return w.Resync(host);
    case ActionKind::kSetLatency:
      w.network().SetLatency(a.Param("a"), a.Param("b"), duration("latency"));
      w.sim().Log(a.Param("a"), "network",
                  absl::StrCat("latency to ", a.Param("b"), " is now ", a.Param("latency")));
      return Outcome::Success();
    case ActionKind::kPartition:
    case ActionKind::kHeal: {
      const bool cut = a.kind == ActionKind::kPartition;
      const std::string& x = a.Param("a");
      const std::string& y = a.Param("b");
      if (!cut && x == "*" && y == "*") {
        w.network().HealAll();
        w.sim().Log("", "network", "every link restored");
        return Outcome::Success();
      }
      std::vector<std::string> others;
      if (y == "*") {
        for (DomainController* dc : w.dcs()) others.push_back(dc->name());
        for (Member* m : w.members()) others.push_back(m->host());
      } else {
        others.push_back(y);
      }
      for (const std::string& other : others) {
        if (absl::EqualsIgnoreCase(other, x)) continue;
        if (cut) {
          w.network().Partition(x, other);
        } else {
          w.network().Heal(x, other);
        }
      }
      w.sim().Log(x, "network",
                  absl::StrCat(cut ? "cut off from " : "reconnected to ",
                               y == "*" ? "every other host" : y));
      return Outcome::Success();
    }
    case ActionKind::kSetNetlogon: {
      Member* m = member();
      if (m == nullptr) break;
      NetlogonParameters p = m->state().netlogon;
      if (!a.Param("maximum_password_age").empty()) {
        p.maximum_password_age = duration("maximum_password_age");
      }
      if (!a.Param("scavenge_interval").empty()) {
        p.scavenge_interval = duration("scavenge_interval");
      }
      if (!a.Param("disable_password_change").empty()) {
        p.disable_password_change = ParseBool(a.Param("disable_password_change"));
      }
      w.SetNetlogonParameters(*m, p);
      w.sim().Log(host, "netlogon.policy",
                  absl::StrCat("MaximumPasswordAge ", FormatDuration(p.maximum_password_age),
                               ", DisablePasswordChange ", p.disable_password_change ? 1 : 0,
                               ", ScavengeInterval ", FormatDuration(p.scavenge_interval)));
      return Outcome::Success();
    }
    case ActionKind::kRefusePasswordChange: {
      DomainController* dc = w.FindDc(a.Param("dc"));
      if (dc == nullptr) break;
      dc->set_refuse_password_change(ParseBool(a.Param("value")));
      w.sim().Log(dc->name(), "dc",
                  absl::StrCat("RefusePasswordChange = ", dc->refuse_password_change() ? 1 : 0));
      return Outcome::Success();
    }
    case ActionKind::kCrashDuringPasswordChange:
      w.InjectCrashDuringPasswordChange(host);
      return Outcome::Success();
    case ActionKind::kRepair:
      return w.Repair(a.repair);
    case ActionKind::kRun:
      break;  // handled by RunCommand
    case ActionKind::kExec:
      break;  // handled by RunExec
  }
  return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                          absl::StrCat("cannot ", ActionName(a.kind), " on ", host));
}

void Runner::Check(const Step& step, StepResult& result) {
  World& w = *world_;
  const Expectation& e = *step.expect;
  auto check_at = [&](const SourcePos& pos, bool ok, std::string message) {
    ++result.checks;
    if (!ok) result.failures.push_back({pos, std::move(message)});
  };
  // `key` names the expect: key the check comes from.
  auto check = [&](const char* key, bool ok, std::string message) {
    check_at(e.PosOf(key), ok, std::move(message));
  };
  const Outcome& o = result.outcome;
  if (e.status.has_value()) {
    check("status", o.win32 == *e.status,
          absl::StrCat("expected status ", Win32ErrorName(*e.status), " (", *e.status, "), got ",
                       Win32ErrorName(o.win32), " (", o.win32, ")", o.reason.empty() ? "" : ": ",
                       o.reason));
  }
  if (e.message.has_value()) {
    check("message", absl::StrContains(o.message, *e.message),
          absl::StrCat("expected the message to contain \"", *e.message, "\", got \"", o.message,
                       "\""));
  }
  if (e.reason.has_value()) {
    check("reason", absl::StrContains(o.reason, *e.reason),
          absl::StrCat("expected the explanation to contain \"", *e.reason, "\", got \"", o.reason,
                       "\""));
  }
  const std::string host = e.host.empty() ? step.action.Param("host") : e.host;
  Member* m = w.FindMember(host);
  const bool member_checks = e.lsa_current || e.lsa_old || e.channel || e.password_changes;
  if (member_checks && m == nullptr) {
    check("host", false, absl::StrCat("no member named \"", host, "\" to check"));
  } else if (m != nullptr) {
    const MemberState& s = m->state();
    if (e.lsa_current) {
      check("lsa", LabelOr(s.lsa.current) == *e.lsa_current,
            absl::StrCat(host, ": expected LSA CurrVal ", *e.lsa_current, ", got ",
                         LabelOr(s.lsa.current)));
    }
    if (e.lsa_old) {
      check("lsa", LabelOr(s.lsa.old) == *e.lsa_old,
            absl::StrCat(host, ": expected LSA OldVal ", *e.lsa_old, ", got ", LabelOr(s.lsa.old)));
    }
    if (e.channel) {
      check("channel", ChannelStateName(s.channel.state) == *e.channel,
            absl::StrCat(host, ": expected secure channel ", *e.channel, ", got ",
                         ChannelStateName(s.channel.state)));
    }
    if (e.password_changes) {
      check("password_changes", s.password_changes == *e.password_changes,
            absl::StrCat(host, ": expected ", *e.password_changes, " password changes, got ",
                         s.password_changes));
    }
  }
  const std::string computer = m != nullptr ? m->state().computer_name : host;
  for (const DcExpectation& d : e.dcs) {
    std::vector<DomainController*> targets;
    if (d.dc.empty()) {
      targets = w.dcs();
    } else if (DomainController* dc = w.FindDc(d.dc)) {
      targets.push_back(dc);
    }
    if (targets.empty()) check_at(d.pos, false, absl::StrCat("no DC named \"", d.dc, "\""));
    for (DomainController* dc : targets) {
      const ComputerAccount* a = dc->FindAccount(absl::StrCat(computer, "$"));
      const std::string where = absl::StrCat(dc->name(), ": ", computer, "$");
      if (d.exists) {
        check_at(d.pos, (a != nullptr) == *d.exists,
                 absl::StrCat(where, *d.exists ? " should exist" : " should not exist"));
      }
      if (a == nullptr) {
        if (d.current || d.previous || d.kvno || d.enabled) {
          check_at(d.pos, d.current == std::optional<std::string>("none"),
                   absl::StrCat(where, " does not exist"));
        }
        continue;
      }
      if (d.current) {
        check_at(
            d.pos, a->current.Label() == *d.current,
            absl::StrCat(where, ": expected current ", *d.current, ", got ", a->current.Label()));
      }
      if (d.previous) {
        check_at(d.pos, LabelOr(a->previous) == *d.previous,
                 absl::StrCat(where, ": expected previous ", *d.previous, ", got ",
                              LabelOr(a->previous)));
      }
      if (d.kvno) {
        check_at(d.pos, a->kvno == *d.kvno,
                 absl::StrCat(where, ": expected kvno ", *d.kvno, ", got ", a->kvno));
      }
      if (d.enabled) {
        check_at(d.pos, !a->disabled() == *d.enabled,
                 absl::StrCat(where, *d.enabled ? " should be enabled" : " should be disabled"));
      }
    }
  }
  if (result.command.has_value()) {
    const tools::CommandResult& c = *result.command;
    if (e.exit_code) {
      check("exit", c.exit_code == *e.exit_code,
            absl::StrCat("expected exit code ", *e.exit_code, ", got ", c.exit_code));
    }
    for (const std::string& want : e.output_contains) {
      check("contains", absl::StrContains(c.out, want),
            absl::StrCat("expected the output to contain \"", want, "\"; it was:\n", c.out));
    }
    if (!e.output_lines.empty()) {
      const std::vector<std::string> lines = absl::StrSplit(c.out, '\n');
      size_t next = 0;
      for (const std::string& want : e.output_lines) {
        while (next < lines.size() && lines[next] != want) ++next;
        check(
            "lines", next < lines.size(),
            absl::StrCat("expected the line \"", want, "\" (in order); the output was:\n", c.out));
        if (next < lines.size()) ++next;
      }
    }
  }
  // An exec: step's program; one that did not run to the end has already
  // failed the step, and its output proves nothing.
  if (result.exec.has_value() && result.exec->error.empty() && !result.exec->timed_out) {
    const ExecResult& x = *result.exec;
    if (e.exit_code) {
      check("exit", x.exit_code == *e.exit_code,
            absl::StrCat("expected exit code ", *e.exit_code, ", got ", x.exit_code,
                         "; stderr was:\n", Shown(x.err)));
    }
    for (const std::string& want : e.output_contains) {
      check("contains", absl::StrContains(x.out, want) || absl::StrContains(x.err, want),
            absl::StrCat("expected the program's output to contain \"", want, "\"; stdout was:\n",
                         Shown(x.out), "\nstderr was:\n", Shown(x.err)));
    }
    for (const std::string& want : e.stdout_contains) {
      check("stdout", absl::StrContains(x.out, want),
            absl::StrCat("expected stdout to contain \"", want, "\"; it was:\n", Shown(x.out)));
    }
    for (const std::string& want : e.stderr_contains) {
      check("stderr", absl::StrContains(x.err, want),
            absl::StrCat("expected stderr to contain \"", want, "\"; it was:\n", Shown(x.err)));
    }
  }
  if (!e.events_present.empty() || !e.events_absent.empty()) {
    const std::string on = e.events_host.empty() ? host : e.events_host;
    const EventLog* log = nullptr;
    if (Member* em = w.FindMember(on)) log = &em->state().events;
    if (DomainController* dc = w.FindDc(on)) log = &dc->events();
    if (log == nullptr) {
      check("events", false, absl::StrCat("no host named \"", on, "\" for event checks"));
    } else {
      for (uint32_t id : e.events_present) {
        check("events", log->Contains(id),
              absl::StrCat(on, ": expected event ", id, " in the log"));
      }
      for (uint32_t id : e.events_absent) {
        check("events", !log->Contains(id),
              absl::StrCat(on, ": expected no event ", id, " in the log"));
      }
    }
  }
}

}  // namespace trustsim::sim::scenario
