// Copyright 2026 The trustsim Authors.
//
// output.h
// -----------------------------------------------------------------------------
//
// How `trustsim run` shows a run: a narrated timeline for people, JSON lines
// for machines, and JUnit XML for CI systems.

#ifndef TRUSTSIM_CLI_OUTPUT_H_
#define TRUSTSIM_CLI_OUTPUT_H_

#include <cstdio>
#include <string>
#include <vector>

#include "sim/scenario/runner.h"
#include "sim/scenario/scenario.h"
#include "sim/trace.h"

namespace trustsim::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // an expectation or check failed
inline constexpr int kExitUsage = 2;   // usage or file errors

// One line of narration for a trace record, or "" for records that are
// noise to a reader (the step/result records are shown by the step printer).
std::string NarrateRecord(const sim::TraceRecord& record, sim::SimTime epoch);

// The step header and its checks, for the narrated view.
std::string NarrateStep(const sim::scenario::StepResult& step, sim::SimTime epoch);

// A trace record or a step result as one JSON object (one line).
std::string RecordJson(const std::string& scenario, const sim::TraceRecord& record);
std::string StepJson(const std::string& scenario, const sim::scenario::StepResult& step);
std::string SummaryJson(const sim::scenario::Scenario& scenario,
                        const sim::scenario::RunResult& result);

struct ScenarioReport {
  const sim::scenario::Scenario* scenario;
  sim::scenario::RunResult result;
  double seconds = 0;
};

// Writes JUnit XML: one <testsuite> per scenario, one <testcase> per step with
// expectations.
bool WriteJUnit(const std::string& path, const std::vector<ScenarioReport>& reports,
                std::string* error);

}  // namespace trustsim::cli

#endif  // TRUSTSIM_CLI_OUTPUT_H_
