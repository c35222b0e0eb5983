// Copyright 2026 The trustsim Authors.
//
// matrix.h
// -----------------------------------------------------------------------------
//
// The repair matrix: from the broken state at one point of a scenario, try
// every applicable repair in isolation and report what each does. Each try
// replays the scenario from its start to that point with the same seed, so
// every repair starts from the identical world (the simulator is
// deterministic; replaying is how it forks).
//
// A try types the repair as an admin would, in a given logon context, then
// verifies by logging a domain user on. The reason column says why a repair
// fails: the caller's context, a missing tool, the OS's PowerShell version, a
// password mismatch it cannot fix, and so on.
//
// Example:
//
//   ASSIGN_OR_RETURN(RepairMatrix m, BuildRepairMatrix(scenario, /*at_line=*/0));
//   for (const RepairTry& t : m.tries) ...

#ifndef TRUSTSIM_SIM_SCENARIO_MATRIX_H_
#define TRUSTSIM_SIM_SCENARIO_MATRIX_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/scenario/scenario.h"

namespace trustsim::sim::scenario {

struct RepairTry {
  std::string repair;   // what is typed, e.g. "nltest /sc_reset:CORP"
  std::string context;  // who types it, e.g. ".\\Administrator (elevated)"
  int exit_code = 0;
  std::string output;  // the console's first line(s)
  bool fixed = false;  // a domain user could log on afterwards
  // Other members whose logons worked before the repair and fail after it
  // (a clone sharing the account, say).
  std::vector<std::string> broke;
  std::string verdict;  // "fixed", "no effect", "failed"
  std::string reason;   // why, in the trainer's terms
};

struct RepairMatrix {
  std::string host;       // the broken member
  std::string broken_by;  // the step the matrix starts after
  int at_line = 0;
  std::string before;     // the logon result before any repair
  std::string passwords;  // who holds which password at that point
  std::vector<RepairTry> tries;
};

// Builds the matrix after the step at `at_line` (a line in the file), or, if
// 0, after the first step whose result is a failure.
absl::StatusOr<RepairMatrix> BuildRepairMatrix(const Scenario& scenario, int at_line);

}  // namespace trustsim::sim::scenario

#endif  // TRUSTSIM_SIM_SCENARIO_MATRIX_H_
