// Copyright 2026 The trustsim Authors.
//
// point_in_time.h
// -----------------------------------------------------------------------------
//
// Where in a scenario `serve` and `keytab` stop: after the step on a line
// (`--until LINE`, and `--at LINE` for compatibility), or at a simulated time
// (`--at TIME`): an absolute UTC time ("2026-03-01T09:00:00Z") or a duration
// from the scenario's epoch ("45d", "+2h30m"). At a time, every step due by
// then runs, and then simulated time runs on to it.

#ifndef TRUSTSIM_CLI_POINT_IN_TIME_H_
#define TRUSTSIM_CLI_POINT_IN_TIME_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/scenario.h"

namespace trustsim::cli {

struct PointInTime {
  std::optional<size_t> step_limit;
  std::optional<sim::SimTime> time;
  // "after the step at line 12" / "at 2026-02-19 08:00:00Z"; empty for the end.
  std::string description;
};

// Resolves `until_line` (0: none) and `at` ("": none); at most one may be set.
absl::StatusOr<PointInTime> ResolvePointInTime(const sim::scenario::Scenario& scenario,
                                               int until_line, const std::string& at);

// Runs `runner` (built with `point.step_limit` in its options) and then
// simulated time up to `point.time`.
sim::scenario::RunResult RunToPoint(sim::scenario::Runner& runner, const PointInTime& point);

}  // namespace trustsim::cli

#endif  // TRUSTSIM_CLI_POINT_IN_TIME_H_
