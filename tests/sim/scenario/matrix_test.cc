// Copyright 2026 The trustsim Authors.
//
// The repair matrix on library scenarios: which repairs fix which broken
// state, and why the others do not.

#include "sim/scenario/matrix.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "sim/scenario/loader.h"

namespace trustsim::sim::scenario {
namespace {

Scenario Load(const std::string& name) {
  auto s = LoadScenarioFile(std::string(TRUSTSIM_SCENARIO_DIR) + "/" + name);
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

const RepairTry& Find(const RepairMatrix& m, absl::string_view repair_prefix,
                      absl::string_view context = "") {
  for (const RepairTry& t : m.tries) {
    if (absl::StartsWith(t.repair, repair_prefix) && (context.empty() || t.context == context)) {
      return t;
    }
  }
  ADD_FAILURE() << "no try starting with " << repair_prefix;
  static const RepairTry kNone;
  return kNone;
}

int LineOf(const Scenario& s, absl::string_view describe_prefix, int nth = 0) {
  for (const Step& step : s.steps) {
    if (absl::StartsWith(step.Describe(), describe_prefix) && nth-- == 0) return step.pos.line;
  }
  ADD_FAILURE() << "no step " << describe_prefix;
  return 0;
}

TEST(RepairMatrixTest, DoubleRotation) {
  const Scenario s = Load("revert-two-rotations.yaml");
  auto m = BuildRepairMatrix(s, 0);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->host, "WS01");
  EXPECT_TRUE(absl::StrContains(m->before, "ERROR_TRUSTED_RELATIONSHIP_FAILURE"));
  // nltest runs in the caller's context: the local Administrator has no
  // domain rights, and the domain admin cannot log on to a broken member.
  const RepairTry& local = Find(*m, "nltest /sc_reset", ".\\Administrator");
  EXPECT_FALSE(local.fixed);
  EXPECT_TRUE(absl::StrContains(local.reason, "ERROR_ACCESS_DENIED")) << local.reason;
  const RepairTry& domain = Find(*m, "nltest /sc_reset", "CORP\\dsmith");
  EXPECT_EQ(domain.verdict, "cannot start");
  EXPECT_TRUE(Find(*m, "Reset-ComputerMachinePassword").fixed);
  EXPECT_TRUE(Find(*m, "Test-ComputerSecureChannel -Repair").fixed);
  // Windows 10 without RSAT has no netdom.
  EXPECT_EQ(Find(*m, "netdom resetpwd").verdict, "not available");
  EXPECT_FALSE(Find(*m, "w32tm /resync").fixed);
  EXPECT_FALSE(Find(*m, "Enable-ADAccount").fixed);
  const RepairTry& rejoin = Find(*m, "Remove-Computer");
  EXPECT_TRUE(rejoin.fixed);
  EXPECT_TRUE(absl::StrContains(rejoin.reason, "two restarts"));
}

TEST(RepairMatrixTest, CloneRejoinFixesTheCopyButBreaksTheOriginal) {
  const Scenario s = Load("clone-without-sysprep.yaml");
  auto m = BuildRepairMatrix(s, LineOf(s, "logon WS01-COPY", 1));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->host, "WS01-COPY");
  const RepairTry& rejoin = Find(*m, "Remove-Computer");
  EXPECT_TRUE(rejoin.fixed);
  ASSERT_EQ(rejoin.broke.size(), 1u);
  EXPECT_EQ(rejoin.broke[0], "WS01");
  EXPECT_TRUE(absl::StrContains(rejoin.verdict, "but breaks WS01"));
}

TEST(RepairMatrixTest, SkewIsFixedOnlyByTime) {
  const Scenario s = Load("clock-skew.yaml");
  auto m = BuildRepairMatrix(s, 0);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(absl::StrContains(m->before, "ERROR_TIME_SKEW"));
  EXPECT_TRUE(Find(*m, "w32tm /resync").fixed);
  const RepairTry& reset = Find(*m, "Reset-ComputerMachinePassword");
  EXPECT_FALSE(reset.fixed);
  EXPECT_TRUE(absl::StrContains(reset.reason, "ERROR_TIME_SKEW")) << reset.reason;
}

TEST(RepairMatrixTest, DuplicateSpnIsNotFixedByAnyPasswordRepair) {
  const Scenario s = Load("duplicate-spn.yaml");
  auto m = BuildRepairMatrix(s, LineOf(s, "logon WS01"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(absl::StrContains(m->before, "ERROR_NO_TRUST_SAM_ACCOUNT"));
  for (const RepairTry& t : m->tries) {
    if (absl::StartsWith(t.repair, "Enable-ADAccount")) continue;
    EXPECT_FALSE(t.fixed) << t.repair << ": " << t.reason;
  }
  // Enabling the half-joined account lets the password work, though the
  // SPNs are still missing: the matrix reports what the logon shows.
  EXPECT_TRUE(Find(*m, "Enable-ADAccount").fixed);
}

TEST(RepairMatrixTest, NothingBrokenIsAnError) {
  const Scenario s = Load("healthy-year.yaml");
  EXPECT_FALSE(BuildRepairMatrix(s, 0).ok());
  EXPECT_FALSE(BuildRepairMatrix(s, 999).ok());
}

}  // namespace
}  // namespace trustsim::sim::scenario
