// Copyright 2026 The trustsim Authors.

#include "protocol/self_test.h"

#include "gtest/gtest.h"

namespace trustsim {
namespace {

TEST(SelfTestTest, EveryKnownAnswerPasses) {
  const auto results = RunProtocolSelfTests();
  ASSERT_GE(results.size(), 10u);
  for (const auto& r : results) EXPECT_TRUE(r.passed) << r.name << ": " << r.detail;
}

}  // namespace
}  // namespace trustsim
