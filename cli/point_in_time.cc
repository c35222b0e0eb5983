// Copyright 2026 The trustsim Authors.

#include "cli/point_in_time.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "sim/time.h"

namespace trustsim::cli {

absl::StatusOr<PointInTime> ResolvePointInTime(const sim::scenario::Scenario& scenario,
                                               int until_line, const std::string& at) {
  PointInTime point;
  int line = until_line;
  int as_number = 0;
  if (!at.empty() && absl::SimpleAtoi(at, &as_number)) {
    // A bare number is a step's line, as --at has always meant for console,
    // matrix and keytab.
    if (line > 0) return absl::InvalidArgumentError("give --until or --at, not both");
    line = as_number;
  } else if (!at.empty()) {
    if (line > 0) return absl::InvalidArgumentError("give --until or --at, not both");
    sim::SimTime t = 0;
    if (absl::ascii_isdigit(at[0]) && at.find('-') != std::string::npos) {
      absl::StatusOr<sim::SimTime> parsed = sim::ParseTime(at);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--at ", at, ": ", parsed.status().message()));
      }
      t = *parsed;
    } else {
      absl::StatusOr<sim::SimDuration> d =
          sim::ParseDuration(at[0] == '+' ? absl::string_view(at).substr(1) : at);
      if (!d.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--at ", at,
            ": expected a step's line, a UTC time like 2026-03-01T09:00:00Z, or a duration "
            "from the scenario's start like 45d"));
      }
      t = scenario.epoch + *d;
    }
    if (t < scenario.epoch) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--at ", at, " is before the scenario starts (", sim::FormatTime(scenario.epoch), ")"));
    }
    size_t due = 0;
    while (due < scenario.steps.size() && scenario.steps[due].at <= t) ++due;
    point.step_limit = due;
    point.time = t;
    point.description = absl::StrCat("at ", sim::FormatTime(t));
    return point;
  }
  if (line > 0) {
    ASSIGN_OR_RETURN(size_t limit, sim::scenario::StepsThroughLine(scenario, line));
    point.step_limit = limit;
    point.description = absl::StrCat("after the step at line ", line);
  }
  return point;
}

sim::scenario::RunResult RunToPoint(sim::scenario::Runner& runner, const PointInTime& point) {
  sim::scenario::RunResult result = runner.Run();
  if (point.time && *point.time > runner.world().sim().now()) {
    runner.world().sim().RunUntil(*point.time);
  }
  return result;
}

}  // namespace trustsim::cli
