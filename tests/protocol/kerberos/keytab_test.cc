// Copyright 2026 The trustsim Authors.

#include "protocol/kerberos/keytab.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/protocol/crypto/test_util.h"

namespace trustsim::kerberos {
namespace {

using ::trustsim::testing::Hex;

// protocol-facts.md §8: WS01$ @ CORP.EXAMPLE.COM, password "Passw0rd!".
constexpr char kAes256[] = "c707fddc95861731fcf6b0d4e963164cde89afaa32c72556cf2ac33b1a6bf427";
constexpr char kRc4[] = "fc525c9683e8fe067095ba2ddc971889";

std::vector<KeytabEntry> Sample() {
  KeytabEntry machine{
      "CORP.EXAMPLE.COM", {"WS01$"}, kNtPrincipal,
      1767600000,         3,         {crypto::EncType::kAes256CtsHmacSha196, Hex(kAes256)}};
  KeytabEntry host{"CORP.EXAMPLE.COM",
                   {"host", "ws01.corp.example.com"},
                   kNtSrvHst,
                   1767600000,
                   300,
                   {crypto::EncType::kRc4Hmac, Hex(kRc4)}};
  return {machine, host};
}

TEST(KeytabTest, RoundTrips) {
  const Bytes file = WriteKeytab(Sample());
  EXPECT_EQ(ToHex(ByteView(file).first(2)), "0502");
  auto parsed = ParseKeytab(file);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, Sample());
  EXPECT_EQ((*parsed)[1].kvno, 300u);  // beyond 8 bits: the 32-bit field carries it
}

TEST(KeytabTest, KnownEncodingOfOneEntry) {
  const Bytes file = WriteKeytab({Sample()[0]});
  // version | size | count=1 | realm | "WS01$" | type 1 | timestamp | kvno8 3 | etype 18 |
  // key (32) | kvno32 3
  EXPECT_EQ(ToHex(file),
            "0502"
            "0000004c"
            "0001"
            "0010" +
                ToHex(AsBytes("CORP.EXAMPLE.COM")) + "0005" + ToHex(AsBytes("WS01$")) +
                "00000001"
                "695b6f80"
                "03"
                "0012"
                "0020" +
                kAes256 + "00000003");
}

TEST(KeytabTest, SkipsHoles) {
  Bytes file = {0x05, 0x02, 0xff, 0xff, 0xff, 0xfc, 0, 0, 0, 0};  // a 4-byte hole
  const Bytes one = WriteKeytab({Sample()[0]});
  file.insert(file.end(), one.begin() + 2, one.end());
  auto parsed = ParseKeytab(file);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size(), 1u);
}

TEST(KeytabTest, RejectsBadFiles) {
  EXPECT_FALSE(ParseKeytab(Hex("0501")).ok());            // version 1
  EXPECT_FALSE(ParseKeytab(Hex("05020000000000")).ok());  // size 0
  EXPECT_FALSE(ParseKeytab(Hex("050200100000")).ok());    // entry past the end
  Bytes trailing = WriteKeytab({Sample()[0]});
  trailing[5] += 1;  // size one larger than the fields
  trailing.push_back(0);
  EXPECT_FALSE(ParseKeytab(trailing).ok());
  Bytes des = WriteKeytab({Sample()[0]});
  des[des.size() - 4 - 32 - 2 - 1] = 0x03;  // enctype 3 (des-cbc-md5): not implemented
  EXPECT_EQ(ParseKeytab(des).status().code(), absl::StatusCode::kUnimplemented);
}

TEST(KeytabTest, EveryTruncationFailsCleanly) {
  const Bytes file = WriteKeytab(Sample());
  const size_t first_entry_end = WriteKeytab({Sample()[0]}).size();
  for (size_t n = 0; n < file.size(); ++n) {
    auto parsed = ParseKeytab(ByteView(file).first(n));
    // Cut exactly between entries, a keytab is still whole, only shorter.
    if (n == 2 || n == first_entry_end) {
      ASSERT_TRUE(parsed.ok()) << n;
      EXPECT_EQ(parsed->size(), n == 2 ? 0u : 1u);
      continue;
    }
    EXPECT_FALSE(parsed.ok()) << n;
  }
}

// MIT's own klist reads what trustsim writes (Debian's krb5-user).
TEST(KeytabInteropTest, MitKlistReadsIt) {
  const std::string path = ::testing::TempDir() + "/trustsim-keytab-test.keytab";
  {
    const Bytes file = WriteKeytab(Sample());
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(file.data()),
              static_cast<std::streamsize>(file.size()));
  }
  const std::string command = "klist -k -t -e -K " + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  ASSERT_EQ(status, 0) << "klist (krb5-user) failed or is missing:\n" << output;
  EXPECT_NE(output.find("WS01$@CORP.EXAMPLE.COM (aes256-cts-hmac-sha1-96)"), std::string::npos)
      << output;
  EXPECT_NE(output.find(std::string("(0x") + kAes256 + ")"), std::string::npos) << output;
  EXPECT_NE(output.find("host/ws01.corp.example.com@CORP.EXAMPLE.COM"), std::string::npos)
      << output;
  EXPECT_NE(output.find(" 300 "), std::string::npos) << output;  // the 32-bit kvno
}

}  // namespace
}  // namespace trustsim::kerberos

namespace trustsim::kerberos {
namespace {

// Found by keytab_fuzzer: an entry the reader accepts at the 64 KiB limit
// without the optional 32-bit kvno must be written back without it.
TEST(KeytabRegressionTest, LargestEntryRoundTrips) {
  KeytabEntry e;
  e.realm = "R";
  e.components = {std::string(65536 - 20, 'A')};
  e.kvno = 3;
  e.key = crypto::KerberosKey{crypto::EncType::kAes128CtsHmacSha196, Bytes(16, 0x11)};
  int round_trips = 0;
  for (size_t trim = 0; trim < 40; ++trim) {
    KeytabEntry entry = e;
    entry.components[0].resize(entry.components[0].size() - trim);
    const Bytes file = WriteKeytab({entry});
    auto parsed = ParseKeytab(file);
    if (!parsed.ok()) {
      // Too large even without the 32-bit kvno: then the writer's output is
      // simply not readable, which the fuzzer does not require.
      continue;
    }
    ASSERT_EQ(parsed->size(), 1u);
    EXPECT_EQ((*parsed)[0], entry) << trim;
    ++round_trips;
  }
  // Entries of 65,497..65,500 bytes fit only without the 32-bit kvno: 24 of
  // the 40 sizes tried round-trip, 20 before the fix.
  EXPECT_EQ(round_trips, 24);
}

}  // namespace
}  // namespace trustsim::kerberos
