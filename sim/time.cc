// Copyright 2026 The trustsim Authors.

#include "sim/time.h"

#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace trustsim::sim {
namespace {

struct Unit {
  const char* suffix;
  SimDuration size;
};

// Longest suffixes first so "ms" is not read as "m".
constexpr Unit kUnits[] = {{"ms", kMillisecond}, {"us", kMicrosecond}, {"d", kDay},
                           {"h", kHour},         {"m", kMinute},       {"s", kSecond}};

}  // namespace

absl::StatusOr<SimDuration> ParseDuration(absl::string_view text) {
  absl::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  if (rest.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("bad duration \"", text, "\": empty"));
  }
  SimDuration total = 0;
  while (!rest.empty()) {
    size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) {
      ++digits;
    }
    if (digits == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad duration \"", text, "\": expected a number, e.g. 30d, 1h30m, 5m, 90s"));
    }
    int64_t value = 0;
    if (digits > 12 || !absl::SimpleAtoi(rest.substr(0, digits), &value)) {
      return absl::InvalidArgumentError(absl::StrCat("bad duration \"", text, "\": too large"));
    }
    rest.remove_prefix(digits);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (absl::StartsWith(rest, u.suffix)) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bad duration \"", text, "\": missing or unknown unit (use d, h, m, s, ms or us)"));
    }
    rest.remove_prefix(absl::string_view(unit->suffix).size());
    constexpr SimDuration kLimit = 100LL * 365 * kDay;
    if (value > kLimit / unit->size || total + value * unit->size > kLimit) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad duration \"", text, "\": longer than 100 years"));
    }
    total += value * unit->size;
  }
  return negative ? -total : total;
}

std::string FormatDuration(SimDuration d) {
  if (d == 0) return "0s";
  std::string out = d < 0 ? "-" : "";
  uint64_t rest = d < 0 ? -static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
  static constexpr Unit kOrder[] = {{"d", kDay},    {"h", kHour},         {"m", kMinute},
                                    {"s", kSecond}, {"ms", kMillisecond}, {"us", kMicrosecond}};
  for (const Unit& u : kOrder) {
    const uint64_t n = rest / static_cast<uint64_t>(u.size);
    if (n == 0) continue;
    absl::StrAppend(&out, n, u.suffix);
    rest -= n * static_cast<uint64_t>(u.size);
  }
  return out;
}

absl::StatusOr<SimTime> ParseTime(absl::string_view text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad time \"", text, "\": ", error, " (want e.g. 2026-01-05T08:00:00Z)"));
  }
  return absl::ToUnixMicros(t);
}

std::string FormatTime(SimTime t) {
  const absl::Time at = absl::FromUnixMicros(t);
  const char* format = t % kSecond == 0 ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M:%E6S";
  return absl::FormatTime(format, at, absl::UTCTimeZone());
}

uint32_t ToUnixSeconds(SimTime t) { return static_cast<uint32_t>(t / kSecond); }

uint64_t ToFileTime(SimTime t) {
  constexpr uint64_t kUnixEpochAsFileTime = 116444736000000000ULL;
  return kUnixEpochAsFileTime + static_cast<uint64_t>(t) * 10;
}

}  // namespace trustsim::sim
