// Copyright 2026 The trustsim Authors.

#include "base/byte_reader.h"

#include "absl/strings/str_cat.h"

namespace trustsim {

absl::Status ByteReader::Truncated(size_t n) const {
  return absl::OutOfRangeError(
      absl::StrCat("truncated: need ", n, " bytes at offset ", offset_, ", have ", remaining()));
}

absl::Status ByteReader::TrailingBytes(const char* what) const {
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": ", remaining(), " trailing bytes at offset ", offset_));
}

}  // namespace trustsim
