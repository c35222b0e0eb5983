// Copyright 2026 The trustsim Authors.
//
// The `trustsim` executable. Subcommands:
//
//   trustsim selfcheck   known-answer tests of the protocol crypto

#include <cstdio>

#include "CLI/CLI.hpp"
#include "protocol/self_test.h"

namespace {

// Exit codes shared by every subcommand: 0 all good, 1 a check or expectation
// failed, 2 usage or input errors.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;

int RunSelfCheck() {
  int failed = 0;
  const auto results = trustsim::RunProtocolSelfTests();
  for (const auto& r : results) {
    std::printf("%-4s %s\n", r.passed ? "ok" : "FAIL", r.name.c_str());
    if (!r.passed) {
      std::printf("     %s\n", r.detail.c_str());
      ++failed;
    }
  }
  std::printf("%zu passed, %d failed\n", results.size() - failed, failed);
  return failed == 0 ? kExitOk : kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"trustsim: simulate, break and repair AD machine-account trust"};
  app.require_subcommand(1);
  auto* selfcheck =
      app.add_subcommand("selfcheck", "Check this build's crypto against known answers");
  CLI11_PARSE(app, argc, argv);
  if (selfcheck->parsed()) return RunSelfCheck();
  return kExitOk;
}
