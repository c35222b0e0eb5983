// Copyright 2026 The trustsim Authors.

#include "sim/trace.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trustsim::sim {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

TraceRecord Sample() {
  return TraceRecord{kDefaultEpoch,
                     "WS01",
                     "password.change",
                     "changed the machine password on DC01 (v1 -> v2)",
                     {{"dc", "DC01"}}};
}

uint64_t HashOf(const std::vector<TraceRecord>& records) {
  Trace trace;
  for (const TraceRecord& r : records) trace.Add(r.time, r.host, r.kind, r.text, r.fields);
  return trace.hash();
}

TEST(CanonicalLineTest, Format) {
  EXPECT_EQ(CanonicalLine(Sample()),
            "2026-01-05 08:00:00 WS01 password.change: changed the machine password on DC01 "
            "(v1 -> v2) [dc=DC01]");
  TraceRecord world{kDefaultEpoch + 1, "", "world", "start", {}};
  EXPECT_EQ(CanonicalLine(world), "2026-01-05 08:00:00.000001 - world: start");
  TraceRecord two{kDefaultEpoch, "DC01", "k", "t", {{"a", "1"}, {"b", "2"}}};
  EXPECT_EQ(CanonicalLine(two), "2026-01-05 08:00:00 DC01 k: t [a=1 b=2]");
}

TEST(TraceTest, EmptyTraceHasTheFnvOffsetBasis) {
  Trace trace;
  EXPECT_EQ(trace.hash(), 0xcbf29ce484222325ULL);
  EXPECT_EQ(trace.HashHex(), "cbf29ce484222325");
  EXPECT_EQ(trace.size(), 0u);
}

TEST(TraceTest, HashHexIsSixteenLowercaseHexDigits) {
  Trace trace;
  const TraceRecord r = Sample();
  trace.Add(r.time, r.host, r.kind, r.text, r.fields);
  const std::string hex = trace.HashHex();
  EXPECT_THAT(hex, ::testing::MatchesRegex("[0-9a-f]{16}"));
  EXPECT_NE(trace.hash(), 0xcbf29ce484222325ULL);
}

TEST(TraceTest, IdenticalRecordsGiveIdenticalHashes) {
  const TraceRecord r = Sample();
  EXPECT_EQ(HashOf({r, r}), HashOf({r, r}));
}

TEST(TraceTest, AnyFieldChangesTheHash) {
  const TraceRecord base = Sample();
  const uint64_t h = HashOf({base});
  std::vector<TraceRecord> variants(7, base);
  variants[0].time += 1;
  variants[1].host = "WS02";
  variants[2].kind = "password.changed";
  variants[3].text += ".";
  variants[4].fields[0].second = "DC02";
  variants[5].fields[0].first = "DC";
  variants[6].fields.push_back({"x", "y"});
  for (size_t i = 0; i < variants.size(); ++i) {
    EXPECT_NE(HashOf({variants[i]}), h) << "variant " << i << ": " << CanonicalLine(variants[i]);
  }
  TraceRecord no_fields = base;
  no_fields.fields.clear();
  EXPECT_NE(HashOf({no_fields}), h);
}

TEST(TraceTest, OrderMattersAndRecordsAreSeparated) {
  TraceRecord a = Sample(), b = Sample();
  b.text = "other";
  EXPECT_NE(HashOf({a, b}), HashOf({b, a}));
  // The same bytes split differently across records hash differently.
  TraceRecord x{kDefaultEpoch, "H", "k", "ab", {}};
  TraceRecord y{kDefaultEpoch, "H", "k", "a", {}};
  EXPECT_NE(HashOf({x}), HashOf({y}));
}

TEST(TraceTest, RetainsRecordsInOrder) {
  Trace trace;
  trace.Add(kDefaultEpoch, "WS01", "a", "first");
  trace.Add(kDefaultEpoch + kSecond, "DC01", "b", "second", {{"k", "v"}});
  ASSERT_EQ(trace.records().size(), 2u);
  EXPECT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace.records()[0].text, "first");
  EXPECT_EQ(trace.records()[1].host, "DC01");
  EXPECT_EQ(trace.records()[1].fields, (Fields{{"k", "v"}}));
}

TEST(TraceTest, RetainOffKeepsTheHashAndCount) {
  Trace kept, dropped;
  dropped.set_retain(false);
  for (int i = 0; i < 5; ++i) {
    kept.Add(kDefaultEpoch + i * kSecond, "WS01", "k", "text", {{"i", std::to_string(i)}});
    dropped.Add(kDefaultEpoch + i * kSecond, "WS01", "k", "text", {{"i", std::to_string(i)}});
  }
  EXPECT_EQ(kept.records().size(), 5u);
  EXPECT_TRUE(dropped.records().empty());
  EXPECT_EQ(dropped.size(), 5u);
  EXPECT_EQ(dropped.hash(), kept.hash());
  EXPECT_EQ(dropped.HashHex(), kept.HashHex());
}

TEST(TraceTest, SinkSeesEveryRecordEvenWithoutRetention) {
  Trace trace;
  trace.set_retain(false);
  std::vector<std::string> lines;
  trace.set_sink([&](const TraceRecord& r) { lines.push_back(CanonicalLine(r)); });
  trace.Add(kDefaultEpoch, "WS01", "a", "one");
  trace.Add(kDefaultEpoch, "", "b", "two");
  EXPECT_THAT(lines, ::testing::ElementsAre("2026-01-05 08:00:00 WS01 a: one",
                                            "2026-01-05 08:00:00 - b: two"));
}

}  // namespace
}  // namespace trustsim::sim
