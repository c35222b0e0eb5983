// Copyright 2026 The trustsim Authors.

#include "sim/tools/command_line.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace trustsim::sim::tools {
namespace {

bool InList(absl::string_view name, std::initializer_list<absl::string_view> list) {
  for (absl::string_view k : list) {
    if (absl::EqualsIgnoreCase(k, name)) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<CommandLine> SplitCommandLine(absl::string_view text) {
  CommandLine cmd;
  cmd.raw = std::string(absl::StripAsciiWhitespace(text));
  std::string word;
  bool in_quotes = false, have_word = false;
  for (char c : cmd.raw) {
    if (c == '"') {
      in_quotes = !in_quotes;
      have_word = true;
    } else if (!in_quotes && (c == ' ' || c == '\t')) {
      if (have_word) cmd.words.push_back(std::move(word));
      word.clear();
      have_word = false;
    } else {
      word += c;
      have_word = true;
    }
  }
  if (in_quotes) return absl::InvalidArgumentError("unbalanced quotes");
  if (have_word) cmd.words.push_back(std::move(word));
  return cmd;
}

SlashArgs SlashArgs::Parse(const std::vector<std::string>& words, size_t first) {
  SlashArgs args;
  for (size_t i = first; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() > 1 && w[0] == '/') {
      const size_t sep = w.find_first_of(":=");
      std::string name =
          absl::AsciiStrToLower(w.substr(1, sep == std::string::npos ? w.npos : sep - 1));
      std::string value = sep == std::string::npos ? "" : w.substr(sep + 1);
      args.options_.emplace_back(std::move(name), std::move(value));
      args.written_.push_back(w);
    } else {
      args.positional_.push_back(w);
    }
  }
  return args;
}

bool SlashArgs::Has(absl::string_view name) const { return Get(name).has_value(); }

std::optional<std::string> SlashArgs::Get(absl::string_view name) const {
  for (const auto& [n, v] : options_) {
    if (absl::EqualsIgnoreCase(n, name)) return v;
  }
  return std::nullopt;
}

std::vector<std::string> SlashArgs::Unknown(std::initializer_list<absl::string_view> known) const {
  std::vector<std::string> out;
  for (size_t i = 0; i < options_.size(); ++i) {
    if (!InList(options_[i].first, known)) out.push_back(written_[i]);
  }
  return out;
}

absl::StatusOr<DashArgs> DashArgs::Parse(const std::vector<std::string>& words, size_t first,
                                         std::initializer_list<absl::string_view> switches) {
  DashArgs args;
  for (size_t i = first; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() > 1 && w[0] == '-') {
      std::string name = absl::AsciiStrToLower(w.substr(1));
      std::string value;
      // -Name:value is also PowerShell syntax.
      if (size_t colon = name.find(':'); colon != std::string::npos) {
        value = w.substr(colon + 2);
        name = name.substr(0, colon);
      } else if (!InList(name, switches)) {
        if (i + 1 >= words.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("Missing an argument for parameter '", w.substr(1),
                           "'. Specify a parameter of type 'System.String' and try again."));
        }
        value = words[++i];
      }
      args.params_.emplace_back(std::move(name), std::move(value));
      args.written_.push_back(w);
    } else {
      args.positional_.push_back(w);
    }
  }
  return args;
}

bool DashArgs::Has(absl::string_view name) const { return Get(name).has_value(); }

std::optional<std::string> DashArgs::Get(absl::string_view name) const {
  for (const auto& [n, v] : params_) {
    if (absl::EqualsIgnoreCase(n, name)) return v;
  }
  return std::nullopt;
}

std::vector<std::string> DashArgs::Unknown(std::initializer_list<absl::string_view> known) const {
  std::vector<std::string> out;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!InList(params_[i].first, known)) out.push_back(written_[i]);
  }
  return out;
}

}  // namespace trustsim::sim::tools
