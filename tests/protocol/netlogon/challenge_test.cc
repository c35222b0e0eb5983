// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/challenge.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "protocol/ntstatus.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::netlogon {
namespace {

using ::trustsim::testing::Hex;

NetlogonChallenge Chal(absl::string_view hex) { return ToArray<8>(Hex(hex)); }

TEST(ChallengeTest, ZerologonStyleChallengesAreRejected) {
  EXPECT_EQ(GetNtStatus(CheckClientChallengeIsRandom(Chal("0000000000000000"))),
            NtStatus::kAccessDenied);
  EXPECT_EQ(GetNtStatus(CheckClientChallengeIsRandom(Chal("4141414141ffffff"))),
            NtStatus::kAccessDenied);
}

TEST(ChallengeTest, AnyDifferenceInTheFirstFiveBytesIsAccepted) {
  EXPECT_TRUE(CheckClientChallengeIsRandom(Chal("0102030405060708")).ok());
  EXPECT_TRUE(CheckClientChallengeIsRandom(Chal("0000000001000000")).ok());
  EXPECT_TRUE(CheckClientChallengeIsRandom(Chal("0100000000000000")).ok());
  // Bytes 5..7 do not count.
  EXPECT_FALSE(CheckClientChallengeIsRandom(Chal("0000000000010203")).ok());
}

TEST(ChallengeStoreTest, ChallengesAreSingleUse) {
  ChallengeStore store;
  store.Put("WS01", {Chal("0102030405060708"), Chal("1112131415161718")});
  auto pair = store.Take("ws01");  // names are case-insensitive
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(ToHex(pair->server), "1112131415161718");
  const auto again = store.Take("WS01");
  EXPECT_EQ(GetNtStatus(again.status()), NtStatus::kAccessDenied);
}

TEST(ChallengeStoreTest, NewRequestReplacesOldAndNamesAreSeparate) {
  ChallengeStore store;
  store.Put("WS01", {Chal("0102030405060708"), Chal("aaaaaaaaaaaaaaaa")});
  store.Put("WS01", {Chal("0102030405060708"), Chal("bbbbbbbbbbbbbbbb")});
  store.Put("WS02", {Chal("0102030405060708"), Chal("cccccccccccccccc")});
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(ToHex(store.Take("WS01")->server), "bbbbbbbbbbbbbbbb");
  EXPECT_EQ(ToHex(store.Take("WS02")->server), "cccccccccccccccc");
}

TEST(ChallengeStoreTest, IsBoundedAndDropsTheOldest) {
  ChallengeStore store(/*max_entries=*/3);
  for (int i = 0; i < 5; ++i) {
    store.Put(absl::StrCat("HOST", i), {Chal("0102030405060708"), Chal("0102030405060708")});
  }
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.Take("HOST0").ok());
  EXPECT_FALSE(store.Take("HOST1").ok());
  EXPECT_TRUE(store.Take("HOST4").ok());
}

}  // namespace
}  // namespace trustsim::netlogon
