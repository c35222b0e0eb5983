// Copyright 2026 The trustsim Authors.

#include "protocol/ntstatus.h"

#include "gtest/gtest.h"

namespace trustsim {
namespace {

TEST(NtStatusTest, ErrorCarriesTheExactCode) {
  const absl::Status s = NtStatusError(NtStatus::kNoTrustSamAccount, "WS01$ is disabled");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "WS01$ is disabled");
  EXPECT_EQ(GetNtStatus(s), NtStatus::kNoTrustSamAccount);
  EXPECT_EQ(static_cast<uint32_t>(GetNtStatus(s)), 0xC000018Bu);
}

TEST(NtStatusTest, HighBitSurvivesThePayload) {
  EXPECT_EQ(GetNtStatus(NtStatusError(NtStatus::kDowngradeDetected, "")),
            NtStatus::kDowngradeDetected);
}

TEST(NtStatusTest, PlainStatusesMapGenerically) {
  EXPECT_EQ(GetNtStatus(absl::OkStatus()), NtStatus::kSuccess);
  EXPECT_EQ(GetNtStatus(absl::InvalidArgumentError("x")), NtStatus::kInvalidParameter);
  EXPECT_EQ(GetNtStatus(absl::OutOfRangeError("x")), NtStatus::kInvalidParameter);
  EXPECT_EQ(GetNtStatus(absl::UnavailableError("x")), NtStatus::kNoLogonServers);
  EXPECT_EQ(GetNtStatus(absl::InternalError("x")), NtStatus::kAccessDenied);
}

TEST(NtStatusTest, Names) {
  EXPECT_STREQ(NtStatusName(NtStatus::kAccessDenied), "STATUS_ACCESS_DENIED");
  EXPECT_STREQ(NtStatusName(NtStatus::kTrustedRelationshipFailure),
               "STATUS_TRUSTED_RELATIONSHIP_FAILURE");
  EXPECT_STREQ(NtStatusName(static_cast<NtStatus>(0xC0001234)), "STATUS_UNKNOWN");
}

}  // namespace
}  // namespace trustsim
