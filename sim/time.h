// Copyright 2026 The trustsim Authors.
//
// time.h
// -----------------------------------------------------------------------------
//
// Virtual time. `SimTime` is true time in microseconds since the Unix epoch;
// `SimDuration` a signed span in microseconds. Hosts read their own clocks
// (clock.h), which may be offset from true time.
//
// Durations are written as in scenario files: an integer followed by a unit
// (d, h, m, s, ms, us), optionally several in a row ("1h30m"), optionally
// negative ("-10m").

#ifndef TRUSTSIM_SIM_TIME_H_
#define TRUSTSIM_SIM_TIME_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trustsim::sim {

using SimTime = int64_t;
using SimDuration = int64_t;

inline constexpr SimDuration kMicrosecond = 1;
inline constexpr SimDuration kMillisecond = 1000;
inline constexpr SimDuration kSecond = 1000 * kMillisecond;
inline constexpr SimDuration kMinute = 60 * kSecond;
inline constexpr SimDuration kHour = 60 * kMinute;
inline constexpr SimDuration kDay = 24 * kHour;

// The epoch a scenario starts at unless it sets one: Monday 2026-01-05
// 08:00:00 UTC.
inline constexpr SimTime kDefaultEpoch = 1767600000LL * kSecond;

// Parses "30d", "1h30m", "5m", "-10m", "250ms". Errors name what was wrong.
absl::StatusOr<SimDuration> ParseDuration(absl::string_view text);

// Formats compactly: "30d", "1h30m", "5m", "1.5s" is written "1s500ms"; zero
// is "0s".
std::string FormatDuration(SimDuration d);

// Parses an RFC 3339 time, e.g. "2026-01-05T08:00:00Z".
absl::StatusOr<SimTime> ParseTime(absl::string_view text);

// Formats as "2026-01-05 08:00:00" (UTC), with ".123456" when not whole
// seconds.
std::string FormatTime(SimTime t);

// Seconds since the Unix epoch, as Netlogon authenticators carry them.
uint32_t ToUnixSeconds(SimTime t);

// A Windows FILETIME (100 ns ticks since 1601-01-01), as pwdLastSet and
// CupdTime hold.
uint64_t ToFileTime(SimTime t);

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_TIME_H_
