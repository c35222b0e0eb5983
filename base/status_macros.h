// Copyright 2026 The trustsim Authors.
//
// status_macros.h
// -----------------------------------------------------------------------------
//
// RETURN_IF_ERROR and ASSIGN_OR_RETURN for code that returns `absl::Status` or
// `absl::StatusOr<T>`. Debian's Abseil (20220623) does not ship these macros, so
// they live here, once, for every layer.
//
// Example:
//
//   absl::StatusOr<Header> ParseHeader(ByteReader& reader) {
//     ASSIGN_OR_RETURN(uint8_t version, reader.ReadU8());
//     RETURN_IF_ERROR(CheckVersion(version));
//     return Header{version};
//   }

#ifndef TRUSTSIM_BASE_STATUS_MACROS_H_
#define TRUSTSIM_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TRUSTSIM_STATUS_CONCAT_INNER_(a, b) a##b
#define TRUSTSIM_STATUS_CONCAT_(a, b) TRUSTSIM_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr`, an `absl::Status`, and returns it from the enclosing
// function if it is not OK.
#define RETURN_IF_ERROR(expr)                                               \
  do {                                                                      \
    if (::absl::Status trustsim_status_ = (expr); !trustsim_status_.ok()) { \
      return trustsim_status_;                                              \
    }                                                                       \
  } while (false)

// Evaluates `rexpr`, an `absl::StatusOr<T>`. On error returns its status from
// the enclosing function; otherwise moves the value into `lhs`, which may be a
// declaration (`ASSIGN_OR_RETURN(auto x, F())`) or an existing variable.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  TRUSTSIM_ASSIGN_OR_RETURN_IMPL_(TRUSTSIM_STATUS_CONCAT_(trustsim_statusor_, __LINE__), lhs, rexpr)

#define TRUSTSIM_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                    \
  if (!statusor.ok()) {                                       \
    return std::move(statusor).status();                      \
  }                                                           \
  lhs = *std::move(statusor)

#endif  // TRUSTSIM_BASE_STATUS_MACROS_H_
