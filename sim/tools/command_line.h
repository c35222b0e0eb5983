// Copyright 2026 The trustsim Authors.
//
// command_line.h
// -----------------------------------------------------------------------------
//
// Windows command lines as an admin types them. `SplitCommandLine` splits on
// spaces and honours double quotes (cmd.exe's rules for the simple cases:
// "a b" is one word, quotes are removed). Two option styles follow:
//
//   * `SlashArgs`: netdom, nltest, w32tm, wevtutil style: `/Name:value`,
//     `/Name=value` or a bare `/Name` switch;
//   * `DashArgs`: PowerShell style: `-Name value` or a bare `-Switch`.
//
// Option names match case-insensitively, as on Windows.
//
// Example:
//
//   ASSIGN_OR_RETURN(CommandLine cmd, SplitCommandLine("nltest /sc_query:CORP"));
//   SlashArgs args = SlashArgs::Parse(cmd.words, 1);
//   args.Get("sc_query");  // "CORP"

#ifndef TRUSTSIM_SIM_TOOLS_COMMAND_LINE_H_
#define TRUSTSIM_SIM_TOOLS_COMMAND_LINE_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trustsim::sim::tools {

struct CommandLine {
  std::string raw;
  std::vector<std::string> words;  // words[0] is the program
};

// Splits a command line. An unbalanced quote is an error.
absl::StatusOr<CommandLine> SplitCommandLine(absl::string_view text);

class SlashArgs {
 public:
  // Reads `words[first..]`: `/name:value` options and positional words.
  static SlashArgs Parse(const std::vector<std::string>& words, size_t first);

  bool Has(absl::string_view name) const;
  // The value of `/name:value`, "" for a bare switch, nullopt if absent.
  std::optional<std::string> Get(absl::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // The options not in `known`, as written, for error messages.
  std::vector<std::string> Unknown(std::initializer_list<absl::string_view> known) const;

 private:
  std::vector<std::pair<std::string, std::string>> options_;  // lower-case name, value
  std::vector<std::string> written_;
  std::vector<std::string> positional_;
};

class DashArgs {
 public:
  // Reads `words[first..]`. Names in `switches` take no value; any other
  // `-Name` takes the next word as its value.
  static absl::StatusOr<DashArgs> Parse(const std::vector<std::string>& words, size_t first,
                                        std::initializer_list<absl::string_view> switches);

  bool Has(absl::string_view name) const;
  std::optional<std::string> Get(absl::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  std::vector<std::string> Unknown(std::initializer_list<absl::string_view> known) const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;  // lower-case name, value
  std::vector<std::string> written_;
  std::vector<std::string> positional_;
};

}  // namespace trustsim::sim::tools

#endif  // TRUSTSIM_SIM_TOOLS_COMMAND_LINE_H_
