// Copyright 2026 The trustsim Authors.
//
// fuzz_check.h
// -----------------------------------------------------------------------------
//
// The invariant checks shared by the fuzz targets in fuzz/. A broken invariant
// prints what broke (and the bytes involved, in hex) and calls abort(), which
// libFuzzer reports as a crash and the replay main as a failed test.
//
// Example:
//
//   absl::StatusOr<Ticket> first = ParseTicket(input);
//   if (!first.ok()) {
//     fuzz::CheckParseError("ParseTicket", first.status());
//     return;
//   }
//   fuzz::CheckRoundTrip("Ticket", input, ParseTicket, EncodeTicket);

#ifndef TRUSTSIM_FUZZ_FUZZ_CHECK_H_
#define TRUSTSIM_FUZZ_FUZZ_CHECK_H_

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/bytes.h"

namespace trustsim::fuzz {

// Prints "INVARIANT <what>: <why>" and aborts.
[[noreturn]] inline void Fail(const std::string& what, const std::string& why) {
  std::fprintf(stderr, "INVARIANT %s: %s\n", what.c_str(), why.c_str());
  std::fflush(stderr);
  std::abort();
}

// The same with two byte strings shown in hex (at most 512 bytes each).
[[noreturn]] inline void FailBytes(const std::string& what, const std::string& why,
                                   ByteView expected, ByteView actual) {
  auto shown = [](ByteView v) {
    std::string hex = ToHex(v.first(std::min<size_t>(v.size(), 512)));
    if (v.size() > 512) hex += "...";
    return hex;
  };
  Fail(what, why + "\n  expected (" + std::to_string(expected.size()) + " bytes) " +
                 shown(expected) + "\n  actual   (" + std::to_string(actual.size()) + " bytes) " +
                 shown(actual));
}

inline bool SameBytes(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Parsers of untrusted bytes fail only with the codes DEVELOPERS.md allows:
// kOutOfRange (truncated), kInvalidArgument (malformed) or kUnimplemented
// (unsupported).
inline void CheckParseError(const std::string& what, const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kUnimplemented:
      return;
    default:
      Fail(what, "unexpected error code: " + status.ToString());
  }
}

// For a canonical codec: if `parse` accepts `input`, `encode` must give back
// exactly `input`, and parsing that must give an equal value. Returns whether
// `input` parsed.
template <typename Parse, typename Encode>
bool CheckRoundTrip(const std::string& what, ByteView input, Parse parse, Encode encode) {
  auto first = parse(input);
  if (!first.ok()) {
    CheckParseError(what, first.status());
    return false;
  }
  const Bytes encoded = encode(*first);
  if (!SameBytes(encoded, input)) {
    FailBytes(what, "re-encoding a successful parse changed the bytes", input, encoded);
  }
  auto second = parse(encoded);
  if (!second.ok()) Fail(what, "the re-encoding does not parse: " + second.status().ToString());
  if (!(*second == *first)) Fail(what, "the re-encoding parses to a different value");
  return true;
}

}  // namespace trustsim::fuzz

#endif  // TRUSTSIM_FUZZ_FUZZ_CHECK_H_
