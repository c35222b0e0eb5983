// Copyright 2026 The trustsim Authors.
//
// commands.h
// -----------------------------------------------------------------------------
//
// The subcommands of `trustsim`. Each returns the process exit code: 0 when
// everything holds, 1 when an expectation or check fails, 2 for usage and
// file errors.

#ifndef TRUSTSIM_CLI_COMMANDS_H_
#define TRUSTSIM_CLI_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trustsim::cli {

struct RunFlags {
  std::vector<std::string> paths;  // files or directories of *.yaml
  bool json = false;
  bool quiet = false;  // only the per-scenario summary lines
  std::string junit;
  std::optional<uint64_t> seed;
};

int RunCommand(const RunFlags& flags);
int LintCommand(const std::vector<std::string>& paths);
int ExplainCommand(const std::string& path, std::optional<uint64_t> seed);
int SelfCheckCommand();
// The interactive console; `at_line` > 0 stops the scenario after that step.
int ConsoleCommand(const std::string& path, int at_line);
// Writes `host`'s keytab (MIT format) for the password its LSA holds at `at`
// (point_in_time.h; "" = the end): CurrVal at the DC's kvno, and with
// `with_old` OldVal at kvno - 1.
int KeytabCommand(const std::string& path, const std::string& host, const std::string& at,
                  bool with_old, const std::string& output);

struct ServeFlags {
  std::string path;
  int until_line = 0;
  std::string at;
  std::string kdc;  // "ADDR:PORT"
  std::string netlogon;
  std::string epm;
  std::string dir;
  bool json = false;
  size_t max_udp_reply = 0;  // 0: the server's default
  // --mutate SEED [--rate P]: a hostile DC whose replies are mutated
  // (protocol/mutation.h), reproducibly from SEED, each with probability P.
  std::optional<uint64_t> mutate_seed;
  double mutate_rate = 1.0;
};
// Runs the scenario to a point and serves its DCs until SIGINT/SIGTERM.
int ServeCommand(const ServeFlags& flags);
// The repair matrix after the step at `at_line` (0: the first failure).
int MatrixCommand(const std::string& path, int at_line, bool json);

}  // namespace trustsim::cli

#endif  // TRUSTSIM_CLI_COMMANDS_H_
