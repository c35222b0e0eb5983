// Copyright 2026 The trustsim Authors.

#include "base/status_macros.h"

#include <memory>

#include "gtest/gtest.h"

namespace trustsim {
namespace {

absl::Status FailIf(bool fail) {
  return fail ? absl::InvalidArgumentError("failed") : absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<int>> MakeInt(bool fail, int v) {
  if (fail) return absl::NotFoundError("no int");
  return std::make_unique<int>(v);
}

absl::Status UseReturnIfError(bool fail, int* reached) {
  RETURN_IF_ERROR(FailIf(fail));
  *reached = 1;
  return absl::OkStatus();
}

absl::StatusOr<int> UseAssignOrReturn(bool fail) {
  ASSIGN_OR_RETURN(std::unique_ptr<int> p, MakeInt(fail, 41));
  int existing = 0;
  ASSIGN_OR_RETURN(existing, absl::StatusOr<int>(1));
  return *p + existing;
}

TEST(StatusMacrosTest, ReturnIfErrorPropagates) {
  int reached = 0;
  EXPECT_EQ(UseReturnIfError(true, &reached).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(reached, 0);
  EXPECT_TRUE(UseReturnIfError(false, &reached).ok());
  EXPECT_EQ(reached, 1);
}

TEST(StatusMacrosTest, AssignOrReturnMovesValuesAndPropagatesErrors) {
  EXPECT_EQ(UseAssignOrReturn(false).value(), 42);
  EXPECT_EQ(UseAssignOrReturn(true).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace trustsim
