// Copyright 2026 The trustsim Authors.

#include "sim/clock.h"

#include "gtest/gtest.h"

namespace trustsim::sim {
namespace {

constexpr SimTime kT0 = kDefaultEpoch;

TEST(HostClockTest, DefaultReadsTrueTime) {
  HostClock clock;
  EXPECT_EQ(clock.Read(kT0), kT0);
  EXPECT_EQ(clock.Offset(kT0 + 365 * kDay), 0);
  EXPECT_EQ(clock.drift_ppm(), 0);
}

TEST(HostClockTest, OffsetIsConstantWithoutDrift) {
  HostClock clock;
  clock.SetOffset(kT0, 10 * kMinute);
  EXPECT_EQ(clock.Read(kT0), kT0 + 10 * kMinute);
  EXPECT_EQ(clock.Offset(kT0 + 100 * kDay), 10 * kMinute);
  clock.SetOffset(kT0, -3 * kSecond);
  EXPECT_EQ(clock.Read(kT0 + kHour), kT0 + kHour - 3 * kSecond);
}

TEST(HostClockTest, SetMakesTheClockReadTheGivenTime) {
  HostClock clock;
  const SimTime local = kT0 - 2 * kDay;
  clock.Set(kT0, local);
  EXPECT_EQ(clock.Read(kT0), local);
  EXPECT_EQ(clock.Read(kT0 + kHour), local + kHour);
}

TEST(HostClockTest, PositiveDriftAccumulates) {
  HostClock clock;
  clock.Set(kT0, kT0);
  clock.SetDrift(kT0, 50);
  EXPECT_EQ(clock.drift_ppm(), 50);
  EXPECT_EQ(clock.Offset(kT0), 0);
  // +50 ppm gains 4.32 s a day, and it accumulates.
  EXPECT_EQ(clock.Offset(kT0 + kDay), 4320 * kMillisecond);
  EXPECT_EQ(clock.Offset(kT0 + 10 * kDay), 43200 * kMillisecond);
}

TEST(HostClockTest, NegativeDriftLoses) {
  HostClock clock;
  clock.SetDrift(kT0, -100);
  EXPECT_EQ(clock.Offset(kT0 + kDay), -8640 * kMillisecond);
}

TEST(HostClockTest, DriftAddsToOffset) {
  HostClock clock;
  clock.SetOffset(kT0, kMinute);
  clock.SetDrift(kT0, 50);
  EXPECT_EQ(clock.Offset(kT0 + kDay), kMinute + 4320 * kMillisecond);
}

TEST(HostClockTest, ChangingDriftKeepsTheCurrentReading) {
  HostClock clock;
  clock.SetDrift(kT0, 50);
  const SimTime reading = clock.Read(kT0 + kDay);
  clock.SetDrift(kT0 + kDay, 100);
  EXPECT_EQ(clock.Read(kT0 + kDay), reading);
  // One more day at 100 ppm: 4.32 s + 8.64 s.
  EXPECT_EQ(clock.Offset(kT0 + 2 * kDay), 12960 * kMillisecond);
}

TEST(HostClockTest, SetRebasesDrift) {
  HostClock clock;
  clock.SetDrift(kT0, 50);
  EXPECT_EQ(clock.Offset(kT0 + kDay), 4320 * kMillisecond);
  // w32tm corrects the clock: drift restarts from here, at the same rate.
  clock.Set(kT0 + kDay, kT0 + kDay);
  EXPECT_EQ(clock.Offset(kT0 + kDay), 0);
  EXPECT_EQ(clock.drift_ppm(), 50);
  EXPECT_EQ(clock.Offset(kT0 + 2 * kDay), 4320 * kMillisecond);
  clock.SetOffset(kT0 + 2 * kDay, 0);
  EXPECT_EQ(clock.Offset(kT0 + 3 * kDay), 4320 * kMillisecond);
}

}  // namespace
}  // namespace trustsim::sim
