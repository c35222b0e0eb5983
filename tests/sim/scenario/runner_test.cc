// Copyright 2026 The trustsim Authors.
//
// The runner's `exec:` steps, with a fake exec host standing in for the one
// `trustsim run` provides: what the host is given, how the program's exit
// code and output are checked, and that the output never reaches the trace.

#include "sim/scenario/runner.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/matrix.h"

namespace trustsim::sim::scenario {
namespace {

// Line numbers matter: the tests look for failures at them.
constexpr char kScenario[] = R"yaml(name: exec-test
domain:
  users:
    - {name: alice, password: "Passw0rd!"}
    - {name: dsmith, password: "Adm1n!Pass", admin: true}
dcs:
  - {name: DC01}
hosts:
  - {name: WS01}
timeline:
  - at: +1h
    exec: kinit -k WS01
    timeout: 30s
    expect:
      exit: 1
      stderr: Preauthentication failed
      stdout: Password for
      contains: [Password for, Preauthentication]
  - at: +1m
    exec: disable-account WS01
  - at: +1m
    expect:
      host: WS01
      dc: {name: DC01, enabled: false}
)yaml";

constexpr char kKinit[] = "kinit -k WS01";
constexpr char kDisable[] = "disable-account WS01";

Scenario Load() {
  absl::StatusOr<Scenario> s = LoadScenarioText(kScenario, "exec.yaml");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario{};
}

ExecResult Exited(int code, std::string out, std::string err) {
  ExecResult r;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

// What kinit prints when the keytab's key is not the DC's.
ExecResult KinitFails() {
  return Exited(1, "Password for WS01$@CORP.EXAMPLE.COM:\n",
                "kinit: Preauthentication failed while getting initial credentials\n");
}

// A fake exec host: canned results by command line, and a record of what it
// was given. `disable-account HOST` really disables the account, as a repair
// tool talking to the served DC would.
struct FakeHost {
  std::map<std::string, ExecResult> results;
  bool disable = true;
  std::vector<std::string> commands;
  std::vector<SimDuration> timeouts;
  std::vector<SimTime> times;
  std::vector<World*> worlds;
  std::vector<bool> account_existed;

  ExecHost Host() {
    return [this](const Action& action, World& world) {
      commands.push_back(action.Param("command"));
      timeouts.push_back(action.exec_timeout);
      times.push_back(world.sim().now());
      worlds.push_back(&world);
      DomainController* dc = world.FindDc("DC01");
      account_existed.push_back(dc != nullptr && dc->FindAccount("WS01$") != nullptr);
      if (disable && action.Param("command") == kDisable) {
        EXPECT_TRUE(world.SetAccountEnabled("WS01", false).ok());
      }
      auto it = results.find(action.Param("command"));
      return it == results.end() ? Exited(0, "", "") : it->second;
    };
  }
};

std::vector<std::string> Messages(const StepResult& r) {
  std::vector<std::string> out;
  for (const CheckFailure& f : r.failures) out.push_back(f.pos.ToString() + ": " + f.message);
  return out;
}

TEST(ScenarioRunnerExecTest, HostGetsTheCommandAndTheLiveWorld) {
  const Scenario s = Load();
  FakeHost fake;
  fake.results[kKinit] = KinitFails();
  RunOptions options;
  options.exec_host = fake.Host();
  std::vector<bool> had_exec;
  options.on_step = [&](const StepResult& r, World&) { had_exec.push_back(r.exec.has_value()); };
  Runner runner(s, options);
  const RunResult result = runner.Run();

  for (const StepResult& r : result.steps) EXPECT_TRUE(r.failures.empty()) << Messages(r)[0];
  EXPECT_EQ(result.failed_checks, 0);
  EXPECT_EQ(result.checks, 6);  // exit, stderr, stdout, contains x2; dc enabled
  EXPECT_EQ(fake.commands, (std::vector<std::string>{kKinit, kDisable}));
  EXPECT_EQ(fake.timeouts, (std::vector<SimDuration>{30 * kSecond, 60 * kSecond}));
  // Simulated time stands at the step's time while the program runs.
  ASSERT_EQ(fake.times.size(), 2u);
  EXPECT_EQ(fake.times[0], s.steps[0].at);
  EXPECT_EQ(fake.times[1], s.steps[1].at);
  for (World* w : fake.worlds) EXPECT_EQ(w, &runner.world());
  EXPECT_EQ(fake.account_existed, (std::vector<bool>{true, true}));
  EXPECT_EQ(had_exec, (std::vector<bool>{true, true, false}));

  // The program's result is kept, and is the step's outcome.
  ASSERT_EQ(result.steps.size(), 3u);
  const StepResult& kinit = result.steps[0];
  ASSERT_TRUE(kinit.exec.has_value());
  EXPECT_EQ(kinit.exec->exit_code, 1);
  EXPECT_TRUE(absl::StrContains(kinit.exec->err, "Preauthentication failed"));
  EXPECT_TRUE(kinit.has_outcome);
  EXPECT_FALSE(kinit.outcome.ok());
  EXPECT_EQ(kinit.outcome.reason, "exit code 1");
  EXPECT_TRUE(result.steps[1].outcome.ok());
  EXPECT_FALSE(result.steps[2].exec.has_value());

  // What the program changed on the DC, the later step saw.
  const ComputerAccount* account = runner.world().FindDc("DC01")->FindAccount("WS01$");
  ASSERT_NE(account, nullptr);
  EXPECT_TRUE(account->disabled());
}

TEST(ScenarioRunnerExecTest, LaterStepsSeeOnlyWhatTheProgramChanged) {
  // The same run with a program that changes nothing: the dc check fails.
  const Scenario s = Load();
  FakeHost fake;
  fake.results[kKinit] = KinitFails();
  fake.disable = false;
  RunOptions options;
  options.exec_host = fake.Host();
  const RunResult result = Runner(s, options).Run();
  EXPECT_EQ(result.failed_checks, 1);
  ASSERT_EQ(result.steps[2].failures.size(), 1u);
  EXPECT_EQ(result.steps[2].failures[0].pos.ToString(), "exec.yaml:24:11");
  EXPECT_TRUE(absl::StrContains(result.steps[2].failures[0].message, "should be disabled"));
}

TEST(ScenarioRunnerExecTest, FailedChecksPointAtTheirKeys) {
  const Scenario s = Load();
  FakeHost fake;
  fake.results[kKinit] = Exited(0, "ok out", "ok err");
  RunOptions options;
  options.exec_host = fake.Host();
  const RunResult result = Runner(s, options).Run();

  const StepResult& kinit = result.steps[0];
  EXPECT_TRUE(kinit.outcome.ok());
  EXPECT_EQ(kinit.checks, 5);
  ASSERT_EQ(kinit.failures.size(), 5u);
  EXPECT_EQ(result.failed_checks, 5);
  const std::vector<std::string> m = Messages(kinit);
  // In the order the runner checks them.
  EXPECT_TRUE(absl::StartsWith(m[0], "exec.yaml:15:7: expected exit code 1, got 0")) << m[0];
  EXPECT_TRUE(absl::StrContains(m[0], "stderr was:\nok err")) << m[0];
  EXPECT_TRUE(absl::StartsWith(
      m[1], "exec.yaml:18:7: expected the program's output to contain \"Password for\""))
      << m[1];
  EXPECT_TRUE(absl::StrContains(m[1], "stdout was:\nok out\nstderr was:\nok err")) << m[1];
  EXPECT_TRUE(absl::StartsWith(
      m[2], "exec.yaml:18:7: expected the program's output to contain \"Preauthentication\""))
      << m[2];
  EXPECT_TRUE(absl::StartsWith(m[3], "exec.yaml:17:7: expected stdout to contain \"Password for\""))
      << m[3];
  EXPECT_TRUE(absl::StartsWith(
      m[4], "exec.yaml:16:7: expected stderr to contain \"Preauthentication failed\""))
      << m[4];
}

TEST(ScenarioRunnerExecTest, StdoutAndStderrAreCheckedSeparately) {
  const Scenario s = Load();
  FakeHost fake;
  // The right words, in the wrong streams: contains: passes, stdout: and
  // stderr: do not.
  fake.results[kKinit] = Exited(1, "kinit: Preauthentication failed\n", "Password for WS01$:\n");
  RunOptions options;
  options.exec_host = fake.Host();
  const RunResult result = Runner(s, options).Run();
  const std::vector<std::string> m = Messages(result.steps[0]);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(m[0], "exec.yaml:17:7: expected stdout to contain")) << m[0];
  EXPECT_TRUE(absl::StartsWith(m[1], "exec.yaml:16:7: expected stderr to contain")) << m[1];
}

TEST(ScenarioRunnerExecTest, TimeoutIsAFailureAtTheExecKey) {
  const Scenario s = Load();
  FakeHost fake;
  ExecResult timed_out = KinitFails();  // what it printed before it hung
  timed_out.exit_code = 128 + 9;
  timed_out.timed_out = true;
  fake.results[kKinit] = timed_out;
  RunOptions options;
  options.exec_host = fake.Host();
  const RunResult result = Runner(s, options).Run();

  const StepResult& kinit = result.steps[0];
  EXPECT_FALSE(kinit.outcome.ok());
  EXPECT_EQ(kinit.outcome.reason, "timed out after 30s");
  // One failure: the output checks of a killed program prove nothing.
  EXPECT_EQ(Messages(kinit), std::vector<std::string>{"exec.yaml:12:5: timed out after 30s"});
  EXPECT_EQ(result.failed_checks, 1);
}

TEST(ScenarioRunnerExecTest, StartErrorIsAFailureEvenWithoutExpect) {
  const Scenario s = Load();
  FakeHost fake;
  ExecResult missing;
  missing.error = "cannot start /bin/sh: No such file or directory";
  fake.results[kKinit] = missing;
  fake.results[kDisable] = missing;
  fake.disable = false;
  RunOptions options;
  options.exec_host = fake.Host();
  const RunResult result = Runner(s, options).Run();

  EXPECT_EQ(
      Messages(result.steps[0]),
      std::vector<std::string>{"exec.yaml:12:5: cannot start /bin/sh: No such file or directory"});
  // The second exec step has no expect:, and fails all the same.
  EXPECT_EQ(
      Messages(result.steps[1]),
      std::vector<std::string>{"exec.yaml:20:5: cannot start /bin/sh: No such file or directory"});
  EXPECT_FALSE(result.steps[1].outcome.ok());
  EXPECT_EQ(result.steps[1].outcome.reason, "cannot start /bin/sh: No such file or directory");
  EXPECT_EQ(result.failed_checks, 3);  // and the dc check, since nothing was disabled
}

TEST(ScenarioRunnerExecTest, HostThatThrowsIsAStartError) {
  const Scenario s = Load();
  RunOptions options;
  options.exec_host = [](const Action&, World&) -> ExecResult { throw std::runtime_error("boom"); };
  const RunResult result = Runner(s, options).Run();
  EXPECT_EQ(Messages(result.steps[0]),
            std::vector<std::string>{"exec.yaml:12:5: the program could not be run: boom"});
}

TEST(ScenarioRunnerExecTest, WithoutAHostExecStepsFailClearly) {
  const Scenario s = Load();
  std::vector<TraceRecord> results;
  RunOptions options;  // no exec_host: as in explain, the console and the matrix
  options.trace_sink = [&](const TraceRecord& r) {
    if (r.kind == "result") results.push_back(r);
  };
  const RunResult result = Runner(s, options).Run();
  const std::string why = "exec steps start programs: run this scenario with `trustsim run`";
  ASSERT_EQ(result.steps.size(), 3u);
  EXPECT_EQ(Messages(result.steps[0]), std::vector<std::string>{"exec.yaml:12:5: " + why});
  EXPECT_EQ(Messages(result.steps[1]), std::vector<std::string>{"exec.yaml:20:5: " + why});
  ASSERT_TRUE(result.steps[0].exec.has_value());
  EXPECT_EQ(result.steps[0].exec->error, why);
  EXPECT_EQ(result.steps[0].exec->exit_code, -1);
  EXPECT_FALSE(result.steps[0].outcome.ok());
  EXPECT_EQ(result.steps[0].outcome.reason, why);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].text, why);
}

TEST(ScenarioRunnerExecTest, TraceHasTheExitCodeButNotTheOutput) {
  const Scenario s = Load();
  auto run = [&](ExecResult kinit, std::vector<TraceRecord>* records = nullptr) {
    FakeHost fake;
    fake.results[kKinit] = std::move(kinit);
    RunOptions options;
    options.exec_host = fake.Host();
    if (records != nullptr) {
      options.trace_sink = [records](const TraceRecord& r) { records->push_back(r); };
    }
    return Runner(s, options).Run();
  };
  std::vector<TraceRecord> records;
  const RunResult first =
      run(Exited(1, "Password for WS01$ at Mon Mar  2 10:14:03 2026\n",
                 "kinit: Preauthentication failed while getting initial credentials (pid 4711)\n"),
          &records);
  const RunResult second =
      run(Exited(1, "Password for WS01$ at Tue Mar  3 23:59:59 2026\n",
                 "kinit: Preauthentication failed while getting initial credentials (pid 99)\n"));
  EXPECT_EQ(first.failed_checks, 0);
  EXPECT_EQ(second.failed_checks, 0);
  EXPECT_EQ(first.trace_hash, second.trace_hash);

  bool step_logged = false;
  bool result_logged = false;
  for (const TraceRecord& r : records) {
    EXPECT_FALSE(absl::StrContains(r.text, "Password for")) << r.text;
    EXPECT_FALSE(absl::StrContains(r.text, "Preauthentication")) << r.text;
    if (r.kind == "step" && r.text == "exec \"kinit -k WS01\"") step_logged = true;
    if (r.kind == "result" && r.text == "exit code 1") {
      result_logged = true;
      EXPECT_EQ(r.fields, (std::vector<std::pair<std::string, std::string>>{{"exit", "1"}}));
    }
  }
  EXPECT_TRUE(step_logged);
  EXPECT_TRUE(result_logged);

  // The exit code is part of the trace.
  const RunResult other_code = run(Exited(2, "", ""));
  EXPECT_NE(first.trace_hash, other_code.trace_hash);
}

TEST(ScenarioRunnerExecTest, RepairMatrixReplaysWithoutAHost) {
  const Scenario s = Load();
  // The exec steps fail in replays, but that breaks nothing to repair.
  absl::StatusOr<RepairMatrix> automatic = BuildRepairMatrix(s, 0);
  ASSERT_FALSE(automatic.ok());
  EXPECT_TRUE(absl::StrContains(automatic.status().message(), "nothing fails"))
      << automatic.status();
  // Forking right after one works.
  absl::StatusOr<RepairMatrix> at = BuildRepairMatrix(s, s.steps[1].pos.line);
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(at->host, "WS01");
  EXPECT_EQ(at->broken_by, "exec \"disable-account WS01\"");
  EXPECT_FALSE(at->tries.empty());
}

}  // namespace
}  // namespace trustsim::sim::scenario
