// Copyright 2026 The trustsim Authors.

#include "sim/simulator.h"

#include <string>
#include <vector>

#include "base/bytes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trustsim::sim {
namespace {

using ::testing::ElementsAre;

TEST(SimulatorTest, StartsAtTheEpoch) {
  Simulator sim(1, kDefaultEpoch);
  EXPECT_EQ(sim.now(), kDefaultEpoch);
  EXPECT_EQ(sim.epoch(), kDefaultEpoch);
  EXPECT_EQ(sim.events_run(), 0u);
  EXPECT_EQ(sim.pending(), 0u);
}

TEST(SimulatorTest, EventsRunInTimeOrder) {
  Simulator sim(1, kDefaultEpoch);
  std::vector<std::string> ran;
  const SimTime t0 = sim.now();
  sim.Schedule(t0 + 3 * kSecond, [&] { ran.push_back("c"); });
  sim.Schedule(t0 + 1 * kSecond, [&] { ran.push_back("a"); });
  sim.Schedule(t0 + 2 * kSecond, [&] { ran.push_back("b"); });
  EXPECT_EQ(sim.pending(), 3u);
  sim.RunUntil(t0 + 10 * kSecond);
  EXPECT_THAT(ran, ElementsAre("a", "b", "c"));
  EXPECT_EQ(sim.events_run(), 3u);
  EXPECT_EQ(sim.pending(), 0u);
}

TEST(SimulatorTest, SameTimeEventsRunInSchedulingOrder) {
  Simulator sim(1, kDefaultEpoch);
  std::vector<int> ran;
  const SimTime at = sim.now() + kMinute;
  for (int i = 0; i < 20; ++i) {
    sim.Schedule(at, [&ran, i] { ran.push_back(i); });
  }
  sim.RunUntil(at);
  ASSERT_EQ(ran.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(ran[i], i);
}

TEST(SimulatorTest, EventsSeeTheirOwnTime) {
  Simulator sim(1, kDefaultEpoch);
  std::vector<SimTime> seen;
  sim.Schedule(kDefaultEpoch + kHour, [&] { seen.push_back(sim.now()); });
  sim.Schedule(kDefaultEpoch + kDay, [&] { seen.push_back(sim.now()); });
  sim.RunUntil(kDefaultEpoch + 2 * kDay);
  EXPECT_THAT(seen, ElementsAre(kDefaultEpoch + kHour, kDefaultEpoch + kDay));
}

TEST(SimulatorTest, SchedulingInThePastRunsNow) {
  Simulator sim(1, kDefaultEpoch);
  sim.RunUntil(kDefaultEpoch + kHour);
  SimTime ran_at = 0;
  sim.Schedule(kDefaultEpoch, [&] { ran_at = sim.now(); });
  sim.RunUntil(sim.now());
  EXPECT_EQ(ran_at, kDefaultEpoch + kHour);
  EXPECT_EQ(sim.now(), kDefaultEpoch + kHour);
}

TEST(SimulatorTest, PastEventScheduledFromAnEventRunsAfterEarlierOnes) {
  Simulator sim(1, kDefaultEpoch);
  std::vector<std::string> ran;
  const SimTime t = kDefaultEpoch + kSecond;
  sim.Schedule(t, [&] {
    ran.push_back("first");
    sim.Schedule(kDefaultEpoch, [&] { ran.push_back("past"); });  // runs at t, after "second"
  });
  sim.Schedule(t, [&] { ran.push_back("second"); });
  sim.Schedule(t + kSecond, [&] { ran.push_back("later"); });
  sim.RunUntil(t + kHour);
  EXPECT_THAT(ran, ElementsAre("first", "second", "past", "later"));
}

TEST(SimulatorTest, EventsCanScheduleMoreEvents) {
  Simulator sim(1, kDefaultEpoch);
  int ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    sim.Schedule(sim.now() + kMinute, tick);
  };
  sim.Schedule(sim.now() + kMinute, tick);
  sim.RunUntil(kDefaultEpoch + kHour);
  EXPECT_EQ(ticks, 60);
  EXPECT_EQ(sim.pending(), 1u);
}

TEST(SimulatorTest, CancelPreventsTheEvent) {
  Simulator sim(1, kDefaultEpoch);
  std::vector<std::string> ran;
  sim.Schedule(kDefaultEpoch + 1, [&] { ran.push_back("a"); });
  const Simulator::EventId b = sim.Schedule(kDefaultEpoch + 2, [&] { ran.push_back("b"); });
  sim.Schedule(kDefaultEpoch + 3, [&] { ran.push_back("c"); });
  sim.Cancel(b);
  sim.RunUntil(kDefaultEpoch + kSecond);
  EXPECT_THAT(ran, ElementsAre("a", "c"));
  EXPECT_EQ(sim.events_run(), 2u);
}

TEST(SimulatorTest, CancelFromAnotherEvent) {
  Simulator sim(1, kDefaultEpoch);
  bool ran = false;
  const Simulator::EventId victim = sim.Schedule(kDefaultEpoch + 2 * kSecond, [&] { ran = true; });
  sim.Schedule(kDefaultEpoch + kSecond, [&] { sim.Cancel(victim); });
  sim.RunUntil(kDefaultEpoch + kMinute);
  EXPECT_FALSE(ran);
}

TEST(SimulatorTest, CancellingAnEventThatRanIsHarmless) {
  Simulator sim(1, kDefaultEpoch);
  int runs = 0;
  const Simulator::EventId id = sim.Schedule(kDefaultEpoch + 1, [&] { ++runs; });
  sim.RunUntil(kDefaultEpoch + kSecond);
  sim.Cancel(id);
  const Simulator::EventId next = sim.Schedule(kDefaultEpoch + 2 * kSecond, [&] { ++runs; });
  EXPECT_NE(next, id);
  sim.RunUntil(kDefaultEpoch + kMinute);
  EXPECT_EQ(runs, 2);
}

TEST(SimulatorTest, RunUntilAdvancesTheClock) {
  Simulator sim(1, kDefaultEpoch);
  sim.RunUntil(kDefaultEpoch + 365 * kDay);
  EXPECT_EQ(sim.now(), kDefaultEpoch + 365 * kDay);
  // Time never goes back.
  sim.RunUntil(kDefaultEpoch);
  EXPECT_EQ(sim.now(), kDefaultEpoch + 365 * kDay);
}

TEST(SimulatorTest, RunUntilLeavesLaterEventsPending) {
  Simulator sim(1, kDefaultEpoch);
  bool ran = false;
  sim.Schedule(kDefaultEpoch + 2 * kHour, [&] { ran = true; });
  sim.RunUntil(kDefaultEpoch + kHour);
  EXPECT_FALSE(ran);
  EXPECT_EQ(sim.now(), kDefaultEpoch + kHour);
  EXPECT_EQ(sim.pending(), 1u);
  sim.RunUntil(kDefaultEpoch + 2 * kHour);  // inclusive
  EXPECT_TRUE(ran);
  EXPECT_EQ(sim.now(), kDefaultEpoch + 2 * kHour);
}

TEST(SimulatorTest, LogStampsTheCurrentTime) {
  Simulator sim(1, kDefaultEpoch);
  sim.RunUntil(kDefaultEpoch + kMinute);
  sim.Log("WS01", "test", "hello", {{"k", "v"}});
  ASSERT_EQ(sim.trace().records().size(), 1u);
  EXPECT_EQ(sim.trace().records()[0].time, kDefaultEpoch + kMinute);
  EXPECT_EQ(sim.trace().records()[0].host, "WS01");
}

Bytes Draw(RandomSource& rng, size_t n) {
  Bytes b(n);
  rng.Fill(absl::MakeSpan(b));
  return b;
}

TEST(SimulatorTest, SameSeedSameDraws) {
  Simulator a(42, kDefaultEpoch), b(42, kDefaultEpoch);
  EXPECT_EQ(Draw(a.rng(), 64), Draw(b.rng(), 64));
  EXPECT_EQ(a.rng().Uniform(900), b.rng().Uniform(900));
  EXPECT_EQ(a.rng().NextU64(), b.rng().NextU64());
}

TEST(SimulatorTest, DifferentSeedsDifferentDraws) {
  Simulator a(1, kDefaultEpoch), b(2, kDefaultEpoch);
  EXPECT_NE(Draw(a.rng(), 32), Draw(b.rng(), 32));
}

}  // namespace
}  // namespace trustsim::sim
