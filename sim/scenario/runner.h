// Copyright 2026 The trustsim Authors.
//
// runner.h
// -----------------------------------------------------------------------------
//
// Runs a loaded scenario: builds the world its header describes, then walks
// the timeline, letting simulated time run up to each step, performing the
// step's action and checking its expectations.
//
// Example:
//
//   ASSIGN_OR_RETURN(Scenario scenario, LoadScenarioFile(path));
//   Runner runner(scenario, RunOptions{});
//   RunResult result = runner.Run();
//   if (result.failed_checks > 0) ...

#ifndef TRUSTSIM_SIM_SCENARIO_RUNNER_H_
#define TRUSTSIM_SIM_SCENARIO_RUNNER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/scenario/scenario.h"
#include "sim/tools/shell.h"
#include "sim/trace.h"
#include "sim/windows_error.h"
#include "sim/world.h"

namespace trustsim::sim::scenario {

// What an `exec:` step's program did.
struct ExecResult {
  int exit_code = -1;      // the exit status; 128 + N when killed by signal N
  std::string out;         // its stdout
  std::string err;         // its stderr
  bool timed_out = false;  // killed at the step's time limit
  std::string error;       // set when the program could not be started at all
};

// Runs an `exec:` step's program while the DCs are served; `trustsim run` sets
// it. `action.Param("command")` is the command line for /bin/sh -c and
// `action.exec_timeout` its time limit. Simulated time stands still while it
// runs; whatever it changes in `world` (the live world) later steps see.
using ExecHost = std::function<ExecResult(const Action& action, World& world)>;

struct CheckFailure {
  SourcePos pos;
  std::string message;
};

struct StepResult {
  const Step* step = nullptr;
  SimTime time = 0;
  bool has_outcome = false;  // the step performed an action with a result
  Outcome outcome;
  // For `run:` steps: what the console printed and its exit code.
  std::optional<tools::CommandResult> command;
  // For `exec:` steps: what the program did. Never in the trace.
  std::optional<ExecResult> exec;
  int checks = 0;  // expectations evaluated
  std::vector<CheckFailure> failures;
};

struct RunResult {
  std::vector<StepResult> steps;
  int checks = 0;
  int failed_checks = 0;
  uint64_t seed = 0;
  std::string trace_hash;
  uint64_t events_run = 0;
  SimTime end_time = 0;
};

struct RunOptions {
  std::optional<uint64_t> seed;  // overrides the scenario's
  Trace::Sink trace_sink;        // sees every trace record as it happens
  // Called after each step, with the world as the step left it.
  std::function<void(const StepResult&, World&)> on_step;
  bool retain_trace = true;
  // Stop after this many steps (the rest of the timeline is not run).
  std::optional<size_t> step_limit;
  // Runs `exec:` steps. Without it, every `exec:` step fails with a message
  // saying so (the repair matrix, `explain` and the console replay without).
  ExecHost exec_host;
};

// The number of steps to run to stop right after the step that starts on
// `line`: the `--at LINE` of console, matrix and keytab. An error names the
// file and line when no step starts there.
absl::StatusOr<size_t> StepsThroughLine(const Scenario& scenario, int line);

class Runner {
 public:
  Runner(const Scenario& scenario, RunOptions options);
  ~Runner();

  // Builds the world and runs every step.
  RunResult Run();

  // The world, once `Run` has started (for `explain`, the console and the
  // repair matrix, which go on from where the run stopped).
  World& world() { return *world_; }
  // The console shell on that world.
  tools::Shell& shell() { return *shell_; }
  // Who a console on `host` starts as: a member's local Administrator,
  // elevated; on a DC, which has no local accounts, the scenario's first
  // domain admin.
  tools::Session ConsoleSession(absl::string_view host) const;

 private:
  void Build();
  StepResult RunStep(const Step& step);
  Outcome Perform(const Action& action);
  void Check(const Step& step, StepResult& result);

  // Runs a `run:` step's command in a console on its host.
  tools::CommandResult RunCommand(const Action& action);
  // Runs an `exec:` step's program through `RunOptions::exec_host`.
  ExecResult RunExec(const Action& action);

  const Scenario& scenario_;
  RunOptions options_;
  std::unique_ptr<World> world_;
  std::unique_ptr<tools::Shell> shell_;
};

}  // namespace trustsim::sim::scenario

#endif  // TRUSTSIM_SIM_SCENARIO_RUNNER_H_
