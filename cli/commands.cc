// Copyright 2026 The trustsim Authors.

#include "cli/commands.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/exec_host.h"
#include "cli/member_keytab.h"
#include "cli/output.h"
#include "cli/point_in_time.h"
#include "nlohmann/json.hpp"
#include "protocol/kerberos/keytab.h"
#include "protocol/self_test.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/matrix.h"
#include "sim/scenario/runner.h"

namespace trustsim::cli {
namespace {

namespace fs = std::filesystem;
using sim::scenario::Scenario;

// Expands directories to their *.yaml files (sorted); keeps files as given.
bool ExpandPaths(const std::vector<std::string>& paths, std::vector<std::string>* files) {
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(p, ec)) {
        const std::string name = entry.path().string();
        if (absl::EndsWith(name, ".yaml") || absl::EndsWith(name, ".yml")) found.push_back(name);
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        std::fprintf(stderr, "trustsim: %s: no .yaml scenario files in this directory\n",
                     p.c_str());
        return false;
      }
      files->insert(files->end(), found.begin(), found.end());
    } else {
      files->push_back(p);
    }
  }
  return true;
}

// Loads every file, printing each error; false if any failed.
bool LoadAll(const std::vector<std::string>& files, std::vector<std::unique_ptr<Scenario>>* out) {
  bool ok = true;
  for (const std::string& file : files) {
    absl::StatusOr<Scenario> s = sim::scenario::LoadScenarioFile(file);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
      ok = false;
      continue;
    }
    out->push_back(std::make_unique<Scenario>(*std::move(s)));
  }
  return ok;
}

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    absl::StrAppend(&out, prefix, text.substr(start, end - start), "\n");
    start = end + 1;
  }
  return out;
}

}  // namespace

int SelfCheckCommand() {
  int failed = 0;
  const auto results = RunProtocolSelfTests();
  for (const auto& r : results) {
    std::printf("%-4s %s\n", r.passed ? "ok" : "FAIL", r.name.c_str());
    if (!r.passed) {
      std::printf("     %s\n", r.detail.c_str());
      ++failed;
    }
  }
  std::printf("%zu passed, %d failed\n", results.size() - failed, failed);
  return failed == 0 ? kExitOk : kExitFailed;
}

int LintCommand(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  if (!ExpandPaths(paths, &files)) return kExitUsage;
  std::vector<std::unique_ptr<Scenario>> scenarios;
  const bool ok = LoadAll(files, &scenarios);
  for (const auto& s : scenarios) {
    std::printf("ok   %s (%s, %zu steps)\n", s->file.c_str(), s->name.c_str(), s->steps.size());
  }
  return ok ? kExitOk : kExitUsage;
}

int RunCommand(const RunFlags& flags) {
  std::vector<std::string> files;
  if (!ExpandPaths(flags.paths, &files)) return kExitUsage;
  std::vector<std::unique_ptr<Scenario>> scenarios;
  if (!LoadAll(files, &scenarios)) return kExitUsage;

  std::vector<ScenarioReport> reports;
  int failed_scenarios = 0;
  for (const auto& scenario : scenarios) {
    const Scenario& s = *scenario;
    const bool narrate = !flags.json && !flags.quiet;
    if (narrate) {
      std::printf("=== %s: %s\n", s.name.c_str(), s.title.c_str());
      std::printf("    %s\n", s.file.c_str());
    }
    sim::scenario::RunOptions options;
    options.seed = flags.seed;
    options.retain_trace = false;
    options.exec_host = MakeExecHost();
    options.trace_sink = [&](const sim::TraceRecord& record) {
      if (flags.json) {
        std::printf("%s\n", RecordJson(s.name, record).c_str());
      } else if (narrate) {
        const std::string line = NarrateRecord(record, s.epoch);
        if (!line.empty()) std::printf("%s\n", line.c_str());
      }
    };
    options.on_step = [&](const sim::scenario::StepResult& step, sim::World&) {
      if (flags.json) {
        std::printf("%s\n", StepJson(s.name, step).c_str());
      } else if (narrate) {
        std::printf("%s", NarrateStep(step, s.epoch).c_str());
      }
    };
    const auto start = std::chrono::steady_clock::now();
    sim::scenario::Runner runner(s, options);
    ScenarioReport report{&s, runner.Run(), 0};
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto& r = report.result;
    if (r.failed_checks > 0) ++failed_scenarios;
    if (flags.json) {
      std::printf("%s\n", SummaryJson(s, r).c_str());
    } else {
      std::printf("%s %s: %d checks, %d failed, seed %llu, trace %s\n",
                  r.failed_checks == 0 ? "PASS" : "FAIL", s.name.c_str(), r.checks, r.failed_checks,
                  static_cast<unsigned long long>(r.seed), r.trace_hash.c_str());
      if (narrate) std::printf("\n");
    }
    reports.push_back(std::move(report));
  }
  if (!flags.json && scenarios.size() > 1) {
    std::printf("%zu scenarios: %zu passed, %d failed\n", scenarios.size(),
                scenarios.size() - failed_scenarios, failed_scenarios);
  }
  if (!flags.junit.empty()) {
    std::string error;
    if (!WriteJUnit(flags.junit, reports, &error)) {
      std::fprintf(stderr, "trustsim: %s\n", error.c_str());
      return kExitUsage;
    }
  }
  std::fflush(stdout);
  return failed_scenarios == 0 ? kExitOk : kExitFailed;
}

namespace {

// What a failure means, for someone who has never seen AD internals.
const char* PlainWhy(uint32_t win32) {
  switch (win32) {
    case sim::kErrorTrustedRelationshipFailure:
      return "Before a domain user can log on, the computer must prove to a domain controller\n"
             "  that it knows the password of its computer account. The DC refused every\n"
             "  password the computer offered, so the computer is no longer trusted.";
    case sim::kErrorNoTrustSamAccount:
      return "The DC has no usable computer account for this computer: it was deleted or\n"
             "  disabled, or the join never finished. No password can fix that.";
    case sim::kErrorTimeSkew:
      return "Kerberos refuses requests stamped with a time too far from the DC's clock, to\n"
             "  stop old messages being replayed. The machine password is not the problem.";
    case sim::kErrorNoLogonServers:
      return "No domain controller could be reached, and this user has never logged on here\n"
             "  before, so there are no cached credentials to fall back on.";
    case sim::kErrorAccessDenied:
      return "The operation needs rights the caller does not have.";
    case sim::kErrorNoTrustLsaSecret:
      return "The computer is not joined to the domain: it holds no machine password at all.";
    default:
      return "";
  }
}

// Commands an admin types to repair trust (or the clock).
bool IsRepairCommand(const std::string& command) {
  const std::string c = absl::AsciiStrToLower(command);
  for (const char* prefix :
       {"netdom resetpwd", "reset-computermachinepassword", "add-computer", "w32tm /resync",
        "enable-adaccount", "nltest /sc_reset", "setspn -d"}) {
    if (absl::StartsWith(c, prefix)) return true;
  }
  return absl::StartsWith(c, "test-computersecurechannel") && absl::StrContains(c, "-repair");
}

// One line per side: the member's LSA secret and every DC's copy of the
// account, then who accepts what.
std::vector<std::string> WhoHoldsWhat(sim::World& world, const std::string& host) {
  std::vector<std::string> lines;
  sim::Member* m = world.FindMember(host);
  if (m == nullptr) return lines;
  const sim::MemberState& s = m->state();
  auto label = [](const std::optional<sim::MachinePassword>& p) {
    return p.has_value() ? p->Label() : std::string("(none)");
  };
  lines.push_back(absl::StrFormat("%-10s LSA secret  CurrVal %-6s OldVal %-6s", host,
                                  label(s.lsa.current), label(s.lsa.old)));
  std::vector<std::string> offered;
  if (s.lsa.current) offered.push_back(s.lsa.current->Label());
  if (s.lsa.old) offered.push_back(s.lsa.old->Label());
  for (sim::DomainController* dc : world.dcs()) {
    const sim::ComputerAccount* a = dc->FindAccount(absl::StrCat(s.computer_name, "$"));
    if (a == nullptr) {
      lines.push_back(absl::StrFormat("%-10s AD account  (none: no live account for %s$)",
                                      dc->name(), s.computer_name));
      continue;
    }
    const bool previous_ok = dc->profile() == sim::DcProfile::kWindows && a->previous;
    std::vector<std::string> accepted = {a->current.Label()};
    if (previous_ok) accepted.push_back(a->previous->Label());
    bool match = false;
    for (const auto& o : offered) {
      match |= std::find(accepted.begin(), accepted.end(), o) != accepted.end();
    }
    lines.push_back(absl::StrFormat(
        "%-10s AD account  current %-6s previous %-6s %s%s", dc->name(), a->current.Label(),
        label(a->previous), a->disabled() ? "DISABLED, " : "",
        absl::StrCat("accepts ", absl::StrJoin(accepted, " or "), " (",
                     sim::DcProfileName(dc->profile()), " profile): ",
                     offered.empty() ? "nothing offered"
                     : match         ? "a match"
                             : absl::StrCat("no match for ", absl::StrJoin(offered, ", ")))));
  }
  return lines;
}

}  // namespace

int ExplainCommand(const std::string& path, std::optional<uint64_t> seed) {
  absl::StatusOr<Scenario> loaded = sim::scenario::LoadScenarioFile(path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return kExitUsage;
  }
  const Scenario& s = *loaded;
  std::printf("%s\n%s\n\n", s.title.c_str(), std::string(s.title.size(), '=').c_str());
  if (!s.explanation.empty()) std::printf("%s\n", Indent(s.explanation, "").c_str());

  struct Failure {
    const sim::scenario::Step* step;
    sim::SimTime time;
    sim::Outcome outcome;
    std::vector<std::string> sides;
  };
  std::vector<Failure> failures;
  std::vector<std::string> repairs;
  sim::scenario::RunOptions options;
  options.seed = seed;
  options.retain_trace = false;
  options.exec_host = MakeExecHost();
  options.on_step = [&](const sim::scenario::StepResult& r, sim::World& world) {
    const bool run = r.step->action.kind == sim::scenario::ActionKind::kRun;
    // A program's own failure (exec:) says nothing about which password who holds.
    if (r.step->action.kind == sim::scenario::ActionKind::kExec) return;
    // Repairs are what comes after something broke.
    if (!failures.empty() && r.outcome.ok() &&
        (r.step->action.kind == sim::scenario::ActionKind::kRepair ||
         (run && IsRepairCommand(r.step->action.Param("command"))))) {
      repairs.push_back(absl::StrCat("line ", r.step->pos.line, ": ", r.step->Describe(),
                                     r.outcome.reason.empty() ? "" : " -> ", r.outcome.reason));
    }
    // A command that fails is shown in the narration; the failures explained
    // here are what users and the member itself run into.
    if (!r.has_outcome || r.outcome.ok() || run) return;
    failures.push_back(
        {r.step, r.time, r.outcome, WhoHoldsWhat(world, r.step->action.Param("host"))});
  };
  sim::scenario::Runner runner(s, options);
  const auto result = runner.Run();

  if (failures.empty()) {
    std::printf("Nothing failed in this scenario: every logon and secure channel worked.\n\n");
  }
  int n = 0;
  for (const Failure& f : failures) {
    const std::string stamp = sim::FormatTime(f.time);
    std::printf("Failure %d, day %lld at %s: %s (line %d)\n", ++n,
                static_cast<long long>(
                    (f.time - f.time % sim::kDay - (s.epoch - s.epoch % sim::kDay)) / sim::kDay),
                stamp.substr(11, 5).c_str(), f.step->Describe().c_str(), f.step->pos.line);
    std::printf("  Windows says: %s\n", f.outcome.message.c_str());
    std::printf("                (%s, %u; NTSTATUS 0x%08X)\n", sim::Win32ErrorName(f.outcome.win32),
                f.outcome.win32, static_cast<uint32_t>(f.outcome.ntstatus));
    if (const char* why = PlainWhy(f.outcome.win32); *why != '\0') {
      std::printf("  Why: %s\n", why);
    }
    std::printf("  In detail: %s\n", f.outcome.reason.c_str());
    if (!f.sides.empty()) {
      std::printf("  Who holds which password:\n");
      for (const std::string& line : f.sides) std::printf("    %s\n", line.c_str());
    }
    std::printf("\n");
  }
  if (!repairs.empty()) {
    std::printf("Repaired by:\n");
    for (const std::string& r : repairs) std::printf("  %s\n", r.c_str());
    std::printf("\n");
  }
  std::printf("Expectations: %d checks, %d failed.\n", result.checks, result.failed_checks);
  return result.failed_checks == 0 ? kExitOk : kExitFailed;
}

int KeytabCommand(const std::string& path, const std::string& host, const std::string& at,
                  bool with_old, const std::string& output) {
  absl::StatusOr<Scenario> loaded = sim::scenario::LoadScenarioFile(path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return kExitUsage;
  }
  absl::StatusOr<PointInTime> point = ResolvePointInTime(*loaded, 0, at);
  if (!point.ok()) {
    std::fprintf(stderr, "trustsim keytab: %s\n", std::string(point.status().message()).c_str());
    return kExitUsage;
  }
  sim::scenario::RunOptions options;
  options.retain_trace = false;
  options.step_limit = point->step_limit;
  options.exec_host = MakeExecHost();
  sim::scenario::Runner runner(*loaded, options);
  RunToPoint(runner, *point);
  sim::World& world = runner.world();
  absl::StatusOr<MemberKeytab> keytab = BuildMemberKeytab(world, host, with_old);
  if (!keytab.ok()) {
    std::fprintf(stderr, "trustsim keytab: %s in %s\n",
                 std::string(keytab.status().message()).c_str(), path.c_str());
    return kExitUsage;
  }
  if (absl::Status st = WriteKeytabFile(output, keytab->entries); !st.ok()) {
    std::fprintf(stderr, "trustsim keytab: %s\n", std::string(st.message()).c_str());
    return kExitUsage;
  }
  sim::Member* member = world.FindMember(host);
  std::printf("Wrote %zu keys for %s$@%s and host/%s.%s to %s: %s\n", keytab->entries.size(),
              member->state().computer_name.c_str(), world.domain().Realm().c_str(),
              absl::AsciiStrToLower(member->state().computer_name).c_str(),
              world.domain().dns_name.c_str(), output.c_str(), keytab->summary.c_str());
  return kExitOk;
}

int MatrixCommand(const std::string& path, int at_line, bool json) {
  absl::StatusOr<Scenario> loaded = sim::scenario::LoadScenarioFile(path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return kExitUsage;
  }
  absl::StatusOr<sim::scenario::RepairMatrix> m =
      sim::scenario::BuildRepairMatrix(*loaded, at_line);
  if (!m.ok()) {
    std::fprintf(stderr, "%s\n", std::string(m.status().message()).c_str());
    return kExitUsage;
  }
  if (json) {
    nlohmann::json j = {{"scenario", loaded->name}, {"host", m->host},
                        {"after_line", m->at_line}, {"after_step", m->broken_by},
                        {"before", m->before},      {"passwords", m->passwords}};
    for (const auto& t : m->tries) {
      j["tries"].push_back({{"repair", t.repair},
                            {"as", t.context},
                            {"exit", t.exit_code},
                            {"output", t.output},
                            {"fixed", t.fixed},
                            {"verdict", t.verdict},
                            {"reason", t.reason}});
    }
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("Repair matrix for %s after line %d (%s)\n", m->host.c_str(), m->at_line,
              m->broken_by.c_str());
  std::printf("  Before any repair: %s\n", m->before.c_str());
  std::printf("  Passwords: %s\n\n", m->passwords.c_str());
  size_t repair_width = 6, as_width = 2;
  for (const auto& t : m->tries) {
    repair_width = std::max(repair_width, std::min<size_t>(t.repair.size(), 64));
    as_width = std::max(as_width, t.context.size());
  }
  const std::string rule(repair_width + as_width + 30, '-');
  std::printf("%-*s  %-*s  %s\n%s\n", static_cast<int>(repair_width), "REPAIR",
              static_cast<int>(as_width), "AS", "RESULT", rule.c_str());
  for (const auto& t : m->tries) {
    std::string repair = t.repair;
    if (repair.size() > repair_width) repair = repair.substr(0, repair_width - 3) + "...";
    std::printf("%-*s  %-*s  %s\n%*s  why: %s\n", static_cast<int>(repair_width), repair.c_str(),
                static_cast<int>(as_width), t.context.c_str(), t.verdict.c_str(), 2, "",
                t.reason.c_str());
  }
  std::printf("%s\n", rule.c_str());
  int fixed = 0;
  for (const auto& t : m->tries) fixed += t.fixed;
  std::printf("%d of %zu repairs fix it. Each started from the same broken state.\n", fixed,
              m->tries.size());
  return kExitOk;
}

}  // namespace trustsim::cli
