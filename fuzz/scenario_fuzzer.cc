// Copyright 2026 The trustsim Authors.
//
// scenario_fuzzer.cc
// -----------------------------------------------------------------------------
//
// Fuzzes the YAML scenario loader (sim/scenario/loader.h) through its
// in-memory entry point, LoadScenarioText. The loader promises never to throw
// and to report every problem as kInvalidArgument with a message that starts
// with "file:line:col: " (1-based); both are checked, with an abort() when
// broken. (yaml-cpp itself is Debian's build, not instrumented: coverage
// guidance comes from the loader.)

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "fuzz/fuzz_check.h"
#include "sim/scenario/loader.h"

namespace {

constexpr char kFileName[] = "fuzz.yaml";

// Whether `message` starts with "fuzz.yaml:<line>:<col>: ", both >= 1.
bool Positioned(absl::string_view message) {
  if (!absl::ConsumePrefix(&message, kFileName)) return false;
  for (int field = 0; field < 2; ++field) {
    if (!absl::ConsumePrefix(&message, ":")) return false;
    size_t digits = 0;
    while (digits < message.size() && std::isdigit(static_cast<unsigned char>(message[digits]))) {
      ++digits;
    }
    if (digits == 0 || message[0] == '0') return false;
    message.remove_prefix(digits);
  }
  return absl::StartsWith(message, ": ");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using trustsim::sim::scenario::LoadScenarioText;
  using trustsim::sim::scenario::Scenario;
  const absl::string_view yaml(reinterpret_cast<const char*>(data), size);

  const absl::StatusOr<Scenario> scenario = LoadScenarioText(yaml, kFileName);
  if (!scenario.ok()) {
    const absl::Status& status = scenario.status();
    if (status.code() != absl::StatusCode::kInvalidArgument) {
      trustsim::fuzz::Fail("LoadScenarioText", "error code: " + status.ToString());
    }
    if (!Positioned(status.message())) {
      trustsim::fuzz::Fail("LoadScenarioText",
                           "error without a file:line:col position: " + status.ToString());
    }
  }
  return 0;
}
