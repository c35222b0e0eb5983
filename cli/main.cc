// Copyright 2026 The trustsim Authors.
//
// The `trustsim` executable.
//
//   trustsim run FILE|DIR...    run scenarios (narrated; --json, --junit FILE, --seed N)
//   trustsim explain FILE       why each failure in a scenario happened
//   trustsim lint FILE...       check scenario files without running them
//   trustsim serve FILE         serve the DCs' KDCs to real clients (kinit, your tools)
//   trustsim keytab FILE HOST   a member's keytab, MIT format
//   trustsim selfcheck          known-answer tests of the protocol crypto

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace {

// Parses --seed as scenario files do: decimal digits only, 0..2^64-1.
std::optional<uint64_t> ParseSeed(const std::string& text) {
  uint64_t value = 0;
  if (text.empty() || text.size() > 20 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(text, &value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace trustsim::cli;  // NOLINT(google-build-using-namespace)
  CLI::App app{"trustsim: simulate, break and repair AD machine-account trust"};
  app.require_subcommand(1);

  RunFlags run_flags;
  std::string seed;
  auto* run = app.add_subcommand("run", "Run scenario files (or directories of them)");
  run->add_option("paths", run_flags.paths, "Scenario files or directories")->required();
  run->add_flag("--json", run_flags.json, "Events, steps and summaries as JSON lines");
  run->add_flag("-q,--quiet", run_flags.quiet, "Only one summary line per scenario");
  run->add_option("--junit", run_flags.junit, "Also write JUnit XML to this file");
  auto* run_seed = run->add_option("--seed", seed, "Override every scenario's seed");

  std::string explain_path;
  std::string explain_seed;
  auto* explain = app.add_subcommand("explain", "Explain why each failure in a scenario happened");
  explain->add_option("file", explain_path, "Scenario file")->required();
  auto* explain_seed_opt = explain->add_option("--seed", explain_seed, "Override the seed");

  std::vector<std::string> lint_paths;
  auto* lint = app.add_subcommand("lint", "Check scenario files without running them");
  lint->add_option("paths", lint_paths, "Scenario files or directories")->required();

  std::string console_path;
  int console_at = 0;
  auto* console = app.add_subcommand("console", "Interactive console on a scenario's hosts");
  console->add_option("file", console_path, "Scenario file")->required();
  console->add_option("--at", console_at, "Stop the scenario after the step on this line");

  std::string matrix_path;
  int matrix_at = 0;
  bool matrix_json = false;
  auto* matrix = app.add_subcommand("matrix", "Try every repair from a scenario's broken state");
  matrix->add_option("file", matrix_path, "Scenario file")->required();
  matrix->add_option("--at", matrix_at,
                     "Fork after the step on this line (default: first failure)");
  matrix->add_flag("--json", matrix_json, "JSON output");

  std::string keytab_path, keytab_host, keytab_out, keytab_at;
  bool keytab_with_old = false;
  auto* keytab = app.add_subcommand(
      "keytab", "Write a member's keytab (MIT format) for the password it holds");
  keytab->add_option("file", keytab_path, "Scenario file")->required();
  keytab->add_option("host", keytab_host, "The member")->required();
  keytab->add_option("--at", keytab_at,
                     "When: a UTC time (2026-03-01T09:00:00Z), a duration from the start (45d), "
                     "or a step's line (default: the end)");
  keytab->add_flag("--with-old", keytab_with_old, "Also OldVal's keys, at kvno - 1");
  keytab->add_option("-o,--output", keytab_out, "Keytab file to write")->required();

  ServeFlags serve_flags;
  auto* serve = app.add_subcommand(
      "serve", "Serve a scenario's DCs to real Kerberos clients (kinit, your tools)");
  serve->add_option("file", serve_flags.path, "Scenario file")->required();
  serve->add_option("--until", serve_flags.until_line,
                    "Stop the scenario after the step on this line");
  serve->add_option("--at", serve_flags.at,
                    "Or at a UTC time (2026-03-01T09:00:00Z) or a duration from the start (45d)");
  serve->add_option("--kdc", serve_flags.kdc,
                    "The first DC's KDC address (default 127.0.0.1:0, a free port)");
  serve->add_option("--netlogon", serve_flags.netlogon,
                    "The first DC's Netlogon (ncacn_ip_tcp) address (default: a free port)");
  serve->add_option("--epm", serve_flags.epm,
                    "The first DC's endpoint mapper address (default: a free port; Windows: 135)");
  serve->add_option("--dir", serve_flags.dir,
                    "Where to write krb5.conf and keytabs (default: a new directory in $TMPDIR)");
  serve->add_flag("--json", serve_flags.json, "Status as JSON lines");
  serve
      ->add_option("--max-udp-reply", serve_flags.max_udp_reply,
                   "Larger UDP replies become KRB_ERR_RESPONSE_TOO_BIG (default 1400 bytes)")
      ->check(CLI::Range(size_t{1}, size_t{65507}));
  std::string serve_mutate;
  auto* serve_mutate_opt = serve->add_option(
      "--mutate", serve_mutate,
      "Mutate the KDC and Netlogon replies (a hostile DC), reproducibly from this seed");
  serve
      ->add_option("--rate", serve_flags.mutate_rate,
                   "With --mutate: the probability that a reply is mutated (default 1: every "
                   "reply)")
      ->check(CLI::Range(0.0, 1.0))
      ->needs(serve_mutate_opt);

  auto* selfcheck =
      app.add_subcommand("selfcheck", "Check this build's crypto against known answers");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  auto seed_or_usage = [](const std::string& text, std::optional<uint64_t>* out) {
    *out = ParseSeed(text);
    if (!out->has_value()) {
      std::fprintf(stderr,
                   "trustsim: --seed: expected a non-negative decimal integer below 2^64, "
                   "got \"%s\"\n",
                   text.c_str());
      return false;
    }
    return true;
  };
  if (run->parsed()) {
    if (*run_seed && !seed_or_usage(seed, &run_flags.seed)) return kExitUsage;
    return RunCommand(run_flags);
  }
  if (explain->parsed()) {
    std::optional<uint64_t> parsed;
    if (*explain_seed_opt && !seed_or_usage(explain_seed, &parsed)) return kExitUsage;
    return ExplainCommand(explain_path, parsed);
  }
  if (lint->parsed()) return LintCommand(lint_paths);
  if (console->parsed()) return ConsoleCommand(console_path, console_at);
  if (matrix->parsed()) return MatrixCommand(matrix_path, matrix_at, matrix_json);
  if (keytab->parsed()) {
    return KeytabCommand(keytab_path, keytab_host, keytab_at, keytab_with_old, keytab_out);
  }
  if (serve->parsed()) {
    if (*serve_mutate_opt) {
      serve_flags.mutate_seed = ParseSeed(serve_mutate);
      if (!serve_flags.mutate_seed) {
        std::fprintf(stderr,
                     "trustsim serve: --mutate: expected a non-negative decimal integer below "
                     "2^64, got \"%s\"\n",
                     serve_mutate.c_str());
        return kExitUsage;
      }
    }
    if (!(serve_flags.mutate_rate > 0.0)) {
      std::fprintf(stderr, "trustsim serve: --rate: expected a probability in (0, 1], got %g\n",
                   serve_flags.mutate_rate);
      return kExitUsage;
    }
    return ServeCommand(serve_flags);
  }
  if (selfcheck->parsed()) return SelfCheckCommand();
  return kExitUsage;
}
