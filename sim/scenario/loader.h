// Copyright 2026 The trustsim Authors.
//
// loader.h
// -----------------------------------------------------------------------------
//
// Reads a scenario file (docs/scenarios.md) from YAML into a `Scenario`,
// validating everything that can be checked without running it: keys, types,
// durations and times, the actions and their parameters, and every reference
// to a host, DC or user. Steps get their absolute times.
//
// Every error is `absl::InvalidArgumentError` (an unreadable file is
// `absl::NotFoundError`) whose message starts with `file:line:col: `, 1-based,
// pointing at the offending key or value:
//
//   revert.yaml:12:5: unknown key "hots" in a step (did you mean "host"?)
//
// The loader never throws: YAML syntax errors and yaml-cpp's own exceptions
// become positioned errors like any other.
//
// Example:
//
//   absl::StatusOr<Scenario> scenario = LoadScenarioFile("scenarios/revert.yaml");
//   if (!scenario.ok()) {
//     std::cerr << scenario.status().message() << "\n";  // file:line:col: ...
//     return 2;
//   }

#ifndef TRUSTSIM_SIM_SCENARIO_LOADER_H_
#define TRUSTSIM_SIM_SCENARIO_LOADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/scenario/scenario.h"

namespace trustsim::sim::scenario {

// Reads and validates the scenario file at `path`. Errors name `path` as
// given.
absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path);

// Validates the scenario in `yaml`; `file_name` is what error messages and
// `SourcePos::file` call it.
absl::StatusOr<Scenario> LoadScenarioText(absl::string_view yaml, const std::string& file_name);

}  // namespace trustsim::sim::scenario

#endif  // TRUSTSIM_SIM_SCENARIO_LOADER_H_
