// Copyright 2026 The trustsim Authors.

#include "sim/time.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trustsim::sim {
namespace {

using ::testing::HasSubstr;

TEST(ParseDurationTest, SingleUnits) {
  EXPECT_EQ(*ParseDuration("30d"), 30 * kDay);
  EXPECT_EQ(*ParseDuration("5m"), 5 * kMinute);
  EXPECT_EQ(*ParseDuration("90s"), 90 * kSecond);
  EXPECT_EQ(*ParseDuration("250ms"), 250 * kMillisecond);
  EXPECT_EQ(*ParseDuration("7us"), 7 * kMicrosecond);
  EXPECT_EQ(*ParseDuration("0s"), 0);
}

TEST(ParseDurationTest, Signs) {
  EXPECT_EQ(*ParseDuration("+1h"), kHour);
  EXPECT_EQ(*ParseDuration("-10m"), -10 * kMinute);
}

TEST(ParseDurationTest, SeveralUnitsInARow) {
  EXPECT_EQ(*ParseDuration("1h30m"), kHour + 30 * kMinute);
  EXPECT_EQ(*ParseDuration("1d2h3m4s5ms6us"),
            kDay + 2 * kHour + 3 * kMinute + 4 * kSecond + 5 * kMillisecond + 6);
  EXPECT_EQ(*ParseDuration("-1h30m"), -(kHour + 30 * kMinute));
}

TEST(ParseDurationTest, MillisecondsAreNotMinutes) {
  EXPECT_EQ(*ParseDuration("1m500ms"), kMinute + 500 * kMillisecond);
}

TEST(ParseDurationTest, Errors) {
  for (const char* bad : {"", "5", "5x", "m5", "-", "+", "1h30", "h", "5 m", "1.5s"}) {
    absl::StatusOr<SimDuration> d = ParseDuration(bad);
    EXPECT_FALSE(d.ok()) << "\"" << bad << "\" parsed as " << *d;
    if (!d.ok()) {
      EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << bad;
      EXPECT_THAT(d.status().message(), HasSubstr("bad duration")) << bad;
    }
  }
}

TEST(ParseDurationTest, ErrorsNameWhatWasWrong) {
  EXPECT_THAT(ParseDuration("").status().message(), HasSubstr("empty"));
  EXPECT_THAT(ParseDuration("5").status().message(), HasSubstr("unit"));
  EXPECT_THAT(ParseDuration("5x").status().message(), HasSubstr("unit"));
  EXPECT_THAT(ParseDuration("m5").status().message(), HasSubstr("expected a number"));
}

TEST(ParseDurationTest, RejectsHugeValues) {
  EXPECT_FALSE(ParseDuration("99999999999999d").ok());
  EXPECT_FALSE(ParseDuration("40000d").ok());  // more than 100 years
  EXPECT_TRUE(ParseDuration("36500d").ok());
}

TEST(FormatDurationTest, Compact) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(30 * kDay), "30d");
  EXPECT_EQ(FormatDuration(kHour + 30 * kMinute), "1h30m");
  EXPECT_EQ(FormatDuration(5 * kMinute), "5m");
  EXPECT_EQ(FormatDuration(1500 * kMillisecond), "1s500ms");
  EXPECT_EQ(FormatDuration(250 * kMillisecond), "250ms");
  EXPECT_EQ(FormatDuration(-10 * kMinute), "-10m");
  EXPECT_EQ(FormatDuration(3), "3us");
}

TEST(FormatDurationTest, RoundTrips) {
  for (const char* text : {"30d", "1h30m", "5m", "-10m", "250ms", "1d1us", "4s320ms"}) {
    absl::StatusOr<SimDuration> d = ParseDuration(text);
    ASSERT_TRUE(d.ok()) << text;
    EXPECT_EQ(FormatDuration(*d), text);
  }
}

TEST(ParseTimeTest, Rfc3339) {
  EXPECT_EQ(*ParseTime("2026-01-05T08:00:00Z"), kDefaultEpoch);
  EXPECT_EQ(*ParseTime("2026-01-05T09:00:00+01:00"), kDefaultEpoch);
  EXPECT_EQ(*ParseTime("2026-01-05T08:00:00.25Z"), kDefaultEpoch + 250 * kMillisecond);
  EXPECT_EQ(*ParseTime("1970-01-01T00:00:00Z"), 0);
}

TEST(ParseTimeTest, Errors) {
  for (const char* bad : {"", "bogus", "2026-01-05", "2026-13-05T08:00:00Z"}) {
    absl::StatusOr<SimTime> t = ParseTime(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    }
  }
}

TEST(FormatTimeTest, UtcWithOptionalMicroseconds) {
  EXPECT_EQ(FormatTime(kDefaultEpoch), "2026-01-05 08:00:00");
  EXPECT_EQ(FormatTime(kDefaultEpoch + 123456), "2026-01-05 08:00:00.123456");
  EXPECT_EQ(FormatTime(kDefaultEpoch + 5 * kMillisecond), "2026-01-05 08:00:00.005000");
  EXPECT_EQ(FormatTime(kDefaultEpoch + 365 * kDay), "2027-01-05 08:00:00");
}

TEST(FormatTimeTest, RoundTripsThroughParseTime) {
  const SimTime t = kDefaultEpoch + 42 * kDay + 3 * kHour + 7 * kSecond;
  EXPECT_EQ(FormatTime(*ParseTime("2026-02-16T11:00:07Z")), FormatTime(t));
}

TEST(TimeConversionTest, UnixSecondsAndFileTime) {
  EXPECT_EQ(ToUnixSeconds(kDefaultEpoch), 1767600000u);
  EXPECT_EQ(ToUnixSeconds(kDefaultEpoch + 999 * kMillisecond), 1767600000u);
  EXPECT_EQ(ToFileTime(0), 116444736000000000ULL);
  EXPECT_EQ(ToFileTime(kSecond), 116444736000000000ULL + 10000000ULL);
}

}  // namespace
}  // namespace trustsim::sim
