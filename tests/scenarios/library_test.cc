// Copyright 2026 The trustsim Authors.
//
// The scenario library as a whole: every file loads, passes, and is
// deterministic. The same scenario and seed give the same trace hash twice;
// another seed gives another hash, because every scenario's passwords,
// challenges and scavenger start-up jitter come from the seeded generator.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"

namespace trustsim::sim::scenario {
namespace {

std::vector<std::string> LibraryFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(TRUSTSIM_SCENARIO_DIR)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class LibraryTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LibraryTest, PassesAndIsDeterministic) {
  absl::StatusOr<Scenario> scenario = LoadScenarioFile(GetParam());
  ASSERT_TRUE(scenario.ok()) << scenario.status();

  RunResult first = Runner(*scenario, RunOptions{}).Run();
  EXPECT_GT(first.checks, 0) << "a library scenario must assert something";
  EXPECT_EQ(first.failed_checks, 0);
  for (const StepResult& step : first.steps) {
    for (const CheckFailure& f : step.failures)
      ADD_FAILURE() << f.pos.ToString() << ": " << f.message;
  }

  RunResult again = Runner(*scenario, RunOptions{}).Run();
  EXPECT_EQ(first.trace_hash, again.trace_hash) << "same seed, different trace";

  RunOptions other_seed;
  other_seed.seed = scenario->seed + 1000;
  RunResult different = Runner(*scenario, other_seed).Run();
  EXPECT_NE(first.trace_hash, different.trace_hash) << "the seed does not reach the trace";
}

INSTANTIATE_TEST_SUITE_P(Scenarios, LibraryTest, ::testing::ValuesIn(LibraryFiles()),
                         [](const auto& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(LibraryTest, HasTheWholeCatalogue) { EXPECT_GE(LibraryFiles().size(), 16u); }

}  // namespace
}  // namespace trustsim::sim::scenario
