// Copyright 2026 The trustsim Authors.

#include "sim/windows_error.h"

#include "gtest/gtest.h"

namespace trustsim::sim {
namespace {

TEST(ParseWin32ErrorTest, Success) {
  EXPECT_EQ(*ParseWin32Error("success"), 0u);
  EXPECT_EQ(*ParseWin32Error("SUCCESS"), 0u);
  EXPECT_EQ(*ParseWin32Error("NERR_Success"), 0u);
  EXPECT_EQ(*ParseWin32Error("0"), 0u);
}

TEST(ParseWin32ErrorTest, Numbers) {
  EXPECT_EQ(*ParseWin32Error("1789"), 1789u);
  EXPECT_EQ(*ParseWin32Error("0x6FD"), 1789u);
  EXPECT_EQ(*ParseWin32Error("0x6fd"), 1789u);
  EXPECT_EQ(*ParseWin32Error("1311"), 1311u);
}

TEST(ParseWin32ErrorTest, Win32Names) {
  EXPECT_EQ(*ParseWin32Error("ERROR_TRUSTED_RELATIONSHIP_FAILURE"), 1789u);
  EXPECT_EQ(*ParseWin32Error("error_trusted_relationship_failure"), 1789u);
  EXPECT_EQ(*ParseWin32Error("ERROR_NO_LOGON_SERVERS"), 1311u);
  EXPECT_EQ(*ParseWin32Error("ERROR_NO_TRUST_SAM_ACCOUNT"), 1787u);
  EXPECT_EQ(*ParseWin32Error("ERROR_TIME_SKEW"), 1398u);
  EXPECT_EQ(*ParseWin32Error("ERROR_DS_SPN_VALUE_NOT_UNIQUE_IN_FOREST"), 8647u);
}

TEST(ParseWin32ErrorTest, NtStatusNamesAndValues) {
  EXPECT_EQ(*ParseWin32Error("STATUS_ACCESS_DENIED"), 5u);
  EXPECT_EQ(*ParseWin32Error("STATUS_TRUSTED_RELATIONSHIP_FAILURE"), 1789u);
  EXPECT_EQ(*ParseWin32Error("STATUS_NO_TRUST_SAM_ACCOUNT"), 1787u);
  EXPECT_EQ(*ParseWin32Error("0xC000018D"), 1789u);
  EXPECT_EQ(*ParseWin32Error("0xc0000022"), 5u);
}

TEST(ParseWin32ErrorTest, Rejects) {
  for (const char* bad : {"bogus", "", "0x", "0xZZ", "-5", "ERROR_BOGUS", "17 89"}) {
    absl::StatusOr<uint32_t> code = ParseWin32Error(bad);
    EXPECT_FALSE(code.ok()) << "\"" << bad << "\" parsed as " << *code;
    if (!code.ok()) {
      EXPECT_EQ(code.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(ParseWin32ErrorTest, RejectsNtStatusValuesItCannotMap) {
  // An NTSTATUS trustsim does not produce must not quietly become
  // ERROR_ACCESS_DENIED, or a scenario expecting it would match any
  // access-denied outcome.
  EXPECT_FALSE(ParseWin32Error("0xC0000001").ok());
  EXPECT_FALSE(ParseWin32Error("0xDEADBEEF").ok());
}

TEST(Win32ErrorTest, ExactMessages) {
  EXPECT_STREQ(Win32ErrorMessage(1789),
               "The trust relationship between this workstation and the primary domain failed.");
  EXPECT_STREQ(Win32ErrorMessage(1787),
               "The security database on the server does not have a computer account for this "
               "workstation trust relationship.");
  EXPECT_STREQ(Win32ErrorMessage(1311),
               "There are currently no logon servers available to service the logon request.");
  EXPECT_STREQ(Win32ErrorMessage(0), "The command completed successfully.");
}

TEST(Win32ErrorTest, Names) {
  EXPECT_STREQ(Win32ErrorName(0), "NERR_Success");
  EXPECT_STREQ(Win32ErrorName(1789), "ERROR_TRUSTED_RELATIONSHIP_FAILURE");
  EXPECT_STREQ(Win32ErrorName(1398), "ERROR_TIME_SKEW");
  EXPECT_STREQ(Win32ErrorName(424242), "ERROR_UNKNOWN");
}

TEST(Win32ErrorTest, FromNtStatus) {
  EXPECT_EQ(Win32FromNtStatus(NtStatus::kSuccess), 0u);
  EXPECT_EQ(Win32FromNtStatus(NtStatus::kAccessDenied), 5u);
  EXPECT_EQ(Win32FromNtStatus(NtStatus::kNoTrustSamAccount), 1787u);
  EXPECT_EQ(Win32FromNtStatus(NtStatus::kTrustedRelationshipFailure), 1789u);
  EXPECT_EQ(Win32FromNtStatus(NtStatus::kNoLogonServers), 1311u);
  EXPECT_EQ(Win32FromNtStatus(NtStatus::kTimeDifferenceAtDc), 1398u);
}

TEST(OutcomeTest, SuccessAndFailure) {
  const Outcome ok = Outcome::Success("fine");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.win32, 0u);
  EXPECT_EQ(ok.reason, "fine");
  const Outcome bad =
      Outcome::Failure(kErrorTrustedRelationshipFailure, NtStatus::kTrustedRelationshipFailure,
                       "DC01 holds v2, WS01 holds v0");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.win32, 1789u);
  EXPECT_EQ(bad.ntstatus, NtStatus::kTrustedRelationshipFailure);
  EXPECT_EQ(bad.message, Win32ErrorMessage(1789));
  EXPECT_EQ(bad.reason, "DC01 holds v2, WS01 holds v0");
}

}  // namespace
}  // namespace trustsim::sim
