// Copyright 2026 The trustsim Authors.

#include "sim/network.h"

#include "gtest/gtest.h"

namespace trustsim::sim {
namespace {

TEST(NetworkTest, EverythingReachableByDefault) {
  Network net;
  EXPECT_TRUE(net.IsUp("WS01"));
  EXPECT_TRUE(net.Reachable("WS01", "DC01"));
  EXPECT_TRUE(net.Reachable("WS01", "WS01"));
}

TEST(NetworkTest, PartitionIsSymmetric) {
  Network net;
  net.Partition("WS01", "DC01");
  EXPECT_FALSE(net.Reachable("WS01", "DC01"));
  EXPECT_FALSE(net.Reachable("DC01", "WS01"));
  EXPECT_TRUE(net.Reachable("WS01", "DC02"));
  EXPECT_TRUE(net.Reachable("DC01", "DC02"));
}

TEST(NetworkTest, PartitionIsCaseInsensitive) {
  Network net;
  net.Partition("ws01", "Dc01");
  EXPECT_FALSE(net.Reachable("WS01", "DC01"));
  EXPECT_FALSE(net.Reachable("dc01", "ws01"));
  net.Heal("DC01", "WS01");
  EXPECT_TRUE(net.Reachable("ws01", "dc01"));
}

TEST(NetworkTest, HealRestoresOnlyThatLink) {
  Network net;
  net.Partition("WS01", "DC01");
  net.Partition("WS01", "DC02");
  net.Heal("DC01", "WS01");
  EXPECT_TRUE(net.Reachable("WS01", "DC01"));
  EXPECT_FALSE(net.Reachable("WS01", "DC02"));
  // Healing a link that was never cut is harmless.
  net.Heal("WS02", "DC01");
  EXPECT_TRUE(net.Reachable("WS02", "DC01"));
}

TEST(NetworkTest, HealAllRestoresEveryLink) {
  Network net;
  net.Partition("WS01", "DC01");
  net.Partition("WS01", "DC02");
  net.Partition("DC01", "DC02");
  net.HealAll();
  EXPECT_TRUE(net.Reachable("WS01", "DC01"));
  EXPECT_TRUE(net.Reachable("WS01", "DC02"));
  EXPECT_TRUE(net.Reachable("DC01", "DC02"));
}

TEST(NetworkTest, DownHostIsUnreachableFromEverywhere) {
  Network net;
  net.SetUp("dc01", false);
  EXPECT_FALSE(net.IsUp("DC01"));
  EXPECT_FALSE(net.Reachable("WS01", "DC01"));
  EXPECT_FALSE(net.Reachable("DC01", "DC02"));
  EXPECT_TRUE(net.Reachable("WS01", "DC02"));
  net.SetUp("DC01", true);
  EXPECT_TRUE(net.IsUp("dc01"));
  EXPECT_TRUE(net.Reachable("WS01", "DC01"));
}

TEST(NetworkTest, HealAllDoesNotBringHostsUp) {
  Network net;
  net.SetUp("DC01", false);
  net.HealAll();
  EXPECT_FALSE(net.Reachable("WS01", "DC01"));
}

TEST(NetworkTest, PartitionSurvivesHostComingBackUp) {
  Network net;
  net.Partition("WS01", "DC01");
  net.SetUp("DC01", false);
  net.SetUp("DC01", true);
  EXPECT_FALSE(net.Reachable("WS01", "DC01"));
}

TEST(NetworkTest, DefaultLatency) {
  Network net;
  EXPECT_EQ(net.Latency("WS01", "DC01"), kMillisecond);
  Network slow(20 * kMillisecond);
  EXPECT_EQ(slow.Latency("WS01", "DC01"), 20 * kMillisecond);
  slow.SetDefaultLatency(5 * kMillisecond);
  EXPECT_EQ(slow.Latency("WS01", "DC01"), 5 * kMillisecond);
}

TEST(NetworkTest, PerPairLatencyIsSymmetricAndCaseInsensitive) {
  Network net;
  net.SetLatency("ws01", "DC02", 80 * kMillisecond);
  EXPECT_EQ(net.Latency("WS01", "dc02"), 80 * kMillisecond);
  EXPECT_EQ(net.Latency("DC02", "WS01"), 80 * kMillisecond);
  EXPECT_EQ(net.Latency("WS01", "DC01"), kMillisecond);
  // A later default does not override the per-pair value.
  net.SetDefaultLatency(3 * kMillisecond);
  EXPECT_EQ(net.Latency("WS01", "DC02"), 80 * kMillisecond);
  EXPECT_EQ(net.Latency("WS01", "DC01"), 3 * kMillisecond);
}

}  // namespace
}  // namespace trustsim::sim
