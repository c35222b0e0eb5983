// Copyright 2026 The trustsim Authors.
//
// The endpoint mapper's ept_map, against the exact request impacket 0.10's
// `epm.hept_map(host, nrpc.MSRPC_UUID_NRPC, protocol='ncacn_ip_tcp')` sends.
// The Impacket* tests run Debian's impacket (/usr/bin/python3) on our replies:
// they fail, never skip, if python or impacket is missing.

#include "protocol/dcerpc/epm.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/byte_writer.h"
#include "base/bytes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trustsim::dcerpc {
namespace {

using ::testing::ElementsAre;

// impacket 0.10's ept_map request stub from hept_map('127.0.0.1',
// nrpc.MSRPC_UUID_NRPC, protocol='ncacn_ip_tcp'); ImpacketHeptMapRoundTrip
// checks impacket still sends exactly these bytes.
constexpr char kImpacketEptMapRequest[] =
    "01000000"                          // object: referent 1
    "00000000000000000000000000000000"  //   nil UUID
    "02000000"                          // map_tower: referent 2
    "4b000000"                          //   max_count 75
    "4b000000"                          //   tower_length 75
    "0500"                              //   5 floors
    "1300"
    "0d"
    "785634123412cdabef0001234567cffb"
    "0100"
    "0200"
    "0000"  // Netlogon v1.0
    "1300"
    "0d"
    "045d888aeb1cc9119fe808002b104860"
    "0200"
    "0200"
    "0000"  // NDR v2.0
    "0100"
    "0b"
    "0200"
    "0000"  // ncacn
    "0100"
    "07"
    "0200"
    "0000"  // tcp port 0
    "0100"
    "09"
    "0400"
    "00000000"                                  // ip 0.0.0.0
    "ab"                                        // alignment padding (impacket's filler)
    "0000000000000000000000000000000000000000"  // entry_handle: null
    "01000000";                                 // max_towers 1

// The tower inside it: offset 32, 75 bytes.
constexpr size_t kTowerOffset = 32;
constexpr size_t kTowerSize = 75;

// Netlogon, 12345678-1234-abcd-ef00-01234567cffb v1.0, wire form.
constexpr Uuid kNetlogonUuid = {0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab,
                                0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0xcf, 0xfb};
const SyntaxId kNetlogon{kNetlogonUuid, 1, 0};

constexpr uint16_t kPort = 49664;  // 0xc200

// Our answer to kImpacketEptMapRequest with Netlogon at 127.0.0.1:49664.
constexpr char kNetlogonReply[] =
    "0000000000000000000000000000000000000000"  // entry_handle: null
    "01000000"                                  // num_towers 1
    "01000000"                                  // towers: max_count = max_towers
    "00000000"                                  //   offset 0
    "01000000"                                  //   actual_count 1
    "03000000"                                  //   referent 3
    "4b000000"                                  //   twr_t: max_count 75
    "4b000000"                                  //     tower_length 75
    "0500"
    "1300"
    "0d"
    "785634123412cdabef0001234567cffb"
    "0100"
    "0200"
    "0000"
    "1300"
    "0d"
    "045d888aeb1cc9119fe808002b104860"
    "0200"
    "0200"
    "0000"
    "0100"
    "0b"
    "0200"
    "0000"
    "0100"
    "07"
    "0200"
    "c200"  // port 49664, big-endian
    "0100"
    "09"
    "0400"
    "7f000001"   // 127.0.0.1
    "00"         // padding
    "00000000";  // status 0

Bytes Hex(absl::string_view hex) {
  absl::StatusOr<Bytes> bytes = FromHex(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *std::move(bytes) : Bytes();
}

Bytes ImpacketRequest() { return Hex(kImpacketEptMapRequest); }

Bytes ImpacketTower() {
  const Bytes request = ImpacketRequest();
  return Bytes(request.begin() + kTowerOffset, request.begin() + kTowerOffset + kTowerSize);
}

// The no-match answer for a given max_towers.
Bytes NotRegisteredReply(uint32_t max_towers) {
  ByteWriter w;
  w.WriteFill(20, 0);
  w.WriteU32Le(0);  // num_towers
  w.WriteU32Le(max_towers);
  w.WriteU32Le(0);
  w.WriteU32Le(0);
  w.WriteU32Le(kEptStatusNotRegistered);
  return std::move(w).Take();
}

// An ept_map request laid out as impacket lays it out. No tower when `tower`
// is null.
Bytes EptMapRequest(const Bytes* tower, uint32_t max_towers = 1, uint8_t handle_byte = 0) {
  ByteWriter w;
  w.WriteU32Le(1);
  w.WriteFill(16, 0);
  if (tower == nullptr) {
    w.WriteU32Le(0);
  } else {
    w.WriteU32Le(2);
    w.WriteU32Le(static_cast<uint32_t>(tower->size()));
    w.WriteU32Le(static_cast<uint32_t>(tower->size()));
    w.WriteBytes(*tower);
    w.Align(4, 0xab);
  }
  w.WriteFill(20, handle_byte);
  w.WriteU32Le(max_towers);
  return std::move(w).Take();
}

CallReply Map(EndpointMapper& epm, ByteView stub) {
  return epm.Call(CallContext{kEptMapOpnum, stub, std::nullopt});
}

// Builds a tower floor by floor: {lhs, rhs} pairs.
Bytes Tower(const std::vector<std::pair<Bytes, Bytes>>& floors) {
  ByteWriter w;
  w.WriteU16Le(static_cast<uint16_t>(floors.size()));
  for (const auto& [lhs, rhs] : floors) {
    w.WriteU16Le(static_cast<uint16_t>(lhs.size()));
    w.WriteBytes(lhs);
    w.WriteU16Le(static_cast<uint16_t>(rhs.size()));
    w.WriteBytes(rhs);
  }
  return std::move(w).Take();
}

// The floors of the impacket tower, to edit.
std::vector<std::pair<Bytes, Bytes>> ImpacketFloors() {
  const Bytes tower = ImpacketTower();
  absl::StatusOr<std::vector<TowerFloor>> floors = ParseTowerFloors(tower);
  EXPECT_TRUE(floors.ok()) << floors.status();
  std::vector<std::pair<Bytes, Bytes>> out;
  if (!floors.ok()) return out;
  for (const TowerFloor& floor : *floors) {
    out.emplace_back(Bytes(floor.lhs.begin(), floor.lhs.end()),
                     Bytes(floor.rhs.begin(), floor.rhs.end()));
  }
  return out;
}

TEST(EndpointMapperTest, ServesEpmV3) {
  EndpointMapper epm;
  EXPECT_EQ(ToHex(epm.syntax().uuid), "0883afe11f5dc91191a408002b14a0fa");
  EXPECT_EQ(epm.syntax().version_major, 3);
  EXPECT_EQ(epm.syntax().version_minor, 0);
}

TEST(EndpointMapperTest, KnownAnswerForImpacketsRequest) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  const CallReply reply = Map(epm, ImpacketRequest());
  EXPECT_EQ(reply.fault, 0u);
  EXPECT_EQ(ToHex(reply.stub), kNetlogonReply);
}

TEST(EndpointMapperTest, UnregisteredInterfaceGetsNoTowers) {
  EndpointMapper epm;
  const CallReply reply = Map(epm, ImpacketRequest());
  EXPECT_EQ(reply.fault, 0u);
  EXPECT_EQ(ToHex(reply.stub),
            "0000000000000000000000000000000000000000"
            "00000000"    // num_towers 0
            "01000000"    // max_count 1
            "00000000"    // offset 0
            "00000000"    // actual_count 0
            "d6a0c916");  // EPT_S_NOT_REGISTERED
}

TEST(EndpointMapperTest, OtherInterfacesDoNotMatch) {
  EndpointMapper epm;
  SyntaxId other = kNetlogon;
  other.uuid[0] ^= 1;
  epm.Register(other, kPort);
  EXPECT_EQ(Map(epm, ImpacketRequest()).stub, NotRegisteredReply(1));
}

TEST(EndpointMapperTest, TheTowerIsTheOneImpacketBuilds) {
  // impacket's tower: Netlogon v1.0, port 0, 0.0.0.0.
  EXPECT_EQ(BuildTcpTower(kNetlogon, 0, {0, 0, 0, 0}), ImpacketTower());
  // And our request builder is impacket's layout.
  const Bytes tower = ImpacketTower();
  EXPECT_EQ(EptMapRequest(&tower), ImpacketRequest());
}

TEST(EndpointMapperTest, ParsesTowerFloors) {
  const Bytes tower = ImpacketTower();
  absl::StatusOr<std::vector<TowerFloor>> floors = ParseTowerFloors(tower);
  ASSERT_TRUE(floors.ok()) << floors.status();
  ASSERT_EQ(floors->size(), 5u);
  EXPECT_EQ(ToHex((*floors)[0].lhs), "0d785634123412cdabef0001234567cffb0100");
  EXPECT_EQ(ToHex((*floors)[0].rhs), "0000");
  EXPECT_EQ(ToHex((*floors)[2].lhs), "0b");
  EXPECT_EQ(ToHex((*floors)[3].lhs), "07");
  EXPECT_EQ(ToHex((*floors)[4].lhs), "09");
  EXPECT_EQ(ToHex((*floors)[4].rhs), "00000000");

  EXPECT_EQ(ParseTowerFloors(Hex("")).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(ParseTowerFloors(Hex("0100"
                                 "0100"))
                .status()
                .code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(ParseTowerFloors(Hex("0000"
                                 "00"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ParseTowerFloors(Hex("0000")).ok());
}

TEST(EndpointMapperTest, OtherOpnumsAreOpRangeErrors) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  for (uint16_t opnum : {0, 1, 2, 4, 5, 6, 7, 8, 0xffff}) {
    const CallReply reply = epm.Call(CallContext{opnum, ImpacketRequest(), std::nullopt});
    EXPECT_EQ(reply.fault, kFaultOpRangeError) << opnum;
    EXPECT_TRUE(reply.stub.empty());
  }
}

TEST(EndpointMapperTest, EveryTruncationIsBadStubData) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  const Bytes request = ImpacketRequest();
  for (size_t n = 0; n < request.size(); ++n) {
    const CallReply reply = Map(epm, ByteView(request.data(), n));
    EXPECT_EQ(reply.fault, kFaultBadStubData) << n;
    EXPECT_TRUE(reply.stub.empty());
  }
}

TEST(EndpointMapperTest, TrailingBytesAreBadStubData) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  Bytes request = ImpacketRequest();
  request.push_back(0);
  EXPECT_EQ(Map(epm, request).fault, kFaultBadStubData);
}

TEST(EndpointMapperTest, TowerLengthMustMatchItsArray) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  Bytes request = ImpacketRequest();
  request[28] = 0x4a;  // tower_length 74, max_count 75
  EXPECT_EQ(Map(epm, request).fault, kFaultBadStubData);
}

TEST(EndpointMapperTest, FloorsMustFitTheTowerExactly) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  Bytes request = ImpacketRequest();
  request[kTowerOffset] = 6;  // a sixth floor that is not there
  EXPECT_EQ(Map(epm, request).fault, kFaultBadStubData);
  request[kTowerOffset] = 4;  // the fifth floor left over
  EXPECT_EQ(Map(epm, request).fault, kFaultBadStubData);
  request[kTowerOffset] = 5;
  request[kTowerOffset + 2] = 0xff;  // floor 1's LHS runs past the tower
  EXPECT_EQ(Map(epm, request).fault, kFaultBadStubData);
}

TEST(EndpointMapperTest, NullTowerMaxTowersZeroAndAContinuationFindNothing) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  EXPECT_EQ(Map(epm, EptMapRequest(nullptr)).stub, NotRegisteredReply(1));
  const Bytes tower = ImpacketTower();
  EXPECT_EQ(Map(epm, EptMapRequest(&tower, /*max_towers=*/0)).stub, NotRegisteredReply(0));
  EXPECT_EQ(Map(epm, EptMapRequest(&tower, 1, /*handle_byte=*/0x11)).stub, NotRegisteredReply(1));
}

TEST(EndpointMapperTest, OnlyNdr20OverNcacnIpTcpMatches) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  const auto base = ImpacketFloors();
  ASSERT_EQ(base.size(), 5u);

  // ncacn_np, as hept_map's default protocol asks: pipe (0x0f), host (0x11).
  auto named_pipe = base;
  named_pipe[3] = {Hex("0f"), Hex("00")};
  named_pipe[4] = {Hex("11"), Hex("3132372e302e302e3100")};
  // ncadg_ip_udp: 0x0a, udp 0x08.
  auto udp = base;
  udp[2].first = Hex("0a");
  udp[3].first = Hex("08");
  // NDR64 as the transfer syntax.
  auto ndr64 = base;
  ndr64[1].first =
      Hex("0d"
          "33057171babe37498319b5dbef9ccc36"
          "0100");
  // A sixth floor.
  auto six = base;
  six.push_back({Hex("01"), Hex("")});
  // Four floors.
  auto four = base;
  four.pop_back();

  for (const auto& floors : {named_pipe, udp, ndr64, six, four}) {
    const Bytes tower = Tower(floors);
    EXPECT_EQ(Map(epm, EptMapRequest(&tower)).stub, NotRegisteredReply(1)) << ToHex(tower);
  }
  const Bytes same = Tower(base);
  EXPECT_EQ(ToHex(Map(epm, EptMapRequest(&same)).stub), kNetlogonReply);
}

TEST(EndpointMapperTest, MajorVersionMustMatchMinorIsIgnored) {
  EndpointMapper epm;
  epm.Register(SyntaxId{kNetlogonUuid, 1, 2}, kPort);

  // Asking for v2.0: no.
  const Bytes v2 = BuildTcpTower(SyntaxId{kNetlogonUuid, 2, 0}, 0, {0, 0, 0, 0});
  EXPECT_EQ(Map(epm, EptMapRequest(&v2)).stub, NotRegisteredReply(1));

  // Asking for v1.5: yes (as Samba, which compares floor 1's LHS only), and
  // the tower names the registered version, v1.2.
  const Bytes v15 = BuildTcpTower(SyntaxId{kNetlogonUuid, 1, 5}, 0, {0, 0, 0, 0});
  const CallReply reply = Map(epm, EptMapRequest(&v15));
  EXPECT_EQ(reply.fault, 0u);
  const Bytes expected_tower = BuildTcpTower(SyntaxId{kNetlogonUuid, 1, 2}, kPort, {127, 0, 0, 1});
  const std::string hex = ToHex(reply.stub);
  EXPECT_NE(hex.find(ToHex(expected_tower)), std::string::npos) << hex;
}

TEST(EndpointMapperTest, RegisteringAgainMovesTheEndpoint) {
  EndpointMapper epm;
  epm.Register(kNetlogon, 1000, "10.0.0.1");
  epm.Register(kNetlogon, kPort);
  EXPECT_EQ(ToHex(Map(epm, ImpacketRequest()).stub), kNetlogonReply);
}

TEST(EndpointMapperTest, AnUnparsableIpBecomesZero) {
  for (const char* ip : {"localhost", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "+1.2.3.4"}) {
    EndpointMapper epm;
    epm.Register(kNetlogon, kPort, ip);
    const std::string hex = ToHex(Map(epm, ImpacketRequest()).stub);
    EXPECT_NE(hex.find("0100"
                       "09"
                       "0400"
                       "00000000"),
              std::string::npos)
        << ip;
  }
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort, "192.168.1.20");
  EXPECT_NE(ToHex(Map(epm, ImpacketRequest()).stub)
                .find("0400"
                      "c0a80114"),
            std::string::npos);
}

TEST(EndpointMapperTest, SeveralMatchesUpToMaxTowers) {
  EndpointMapper epm;
  epm.Register(SyntaxId{kNetlogonUuid, 1, 0}, 1111);
  epm.Register(SyntaxId{kNetlogonUuid, 1, 1}, 2222);
  const Bytes tower = ImpacketTower();

  const Bytes one = Map(epm, EptMapRequest(&tower, 1)).stub;
  EXPECT_EQ(ToHex(Bytes(one.begin() + 20, one.begin() + 40)),
            "01000000"
            "01000000"
            "00000000"
            "01000000"
            "03000000");

  const Bytes two = Map(epm, EptMapRequest(&tower, 4)).stub;
  EXPECT_EQ(ToHex(Bytes(two.begin() + 20, two.begin() + 44)),
            "02000000"
            "04000000"
            "00000000"
            "02000000"
            "03000000"
            "04000000");
  EXPECT_EQ(two.size(), 20u + 4 + 12 + 8 + 2 * (8 + 76) + 4);
}

// Flipping any byte of a real request, to any of a few values, yields a reply
// or a fault, never a crash.
TEST(EndpointMapperTest, SurvivesMutatedRequests) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  const Bytes request = ImpacketRequest();
  for (size_t i = 0; i < request.size(); ++i) {
    for (uint8_t value : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
      Bytes mutated = request;
      mutated[i] = value;
      const CallReply reply = Map(epm, mutated);
      EXPECT_TRUE(reply.fault == kFaultBadStubData || (reply.fault == 0 && !reply.stub.empty()));
    }
  }
}

// --- impacket ----------------------------------------------------------------

// Debian's interpreter, the one that sees python3-impacket.
constexpr char kSystemPython[] = "/usr/bin/python3";

struct PythonRun {
  std::vector<std::string> lines;
  int exit_status = -1;
};

// Runs `script` (no single quotes in it) with `args` (shell-safe) and
// collects stdout's lines.
PythonRun RunPython(absl::string_view script, const std::vector<std::string>& args) {
  std::string command = absl::StrCat(kSystemPython, " -c '", script, "'");
  for (const std::string& arg : args) absl::StrAppend(&command, " ", arg);
  PythonRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  run.exit_status = pclose(pipe);
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    run.lines.emplace_back(line);
  }
  return run;
}

// Prints, for each reply given in hex, how impacket reads it.
constexpr char kSummarizeReplies[] = R"py(
import socket, sys
from impacket.dcerpc.v5 import epm
def summarize(reply):
    r = epm.ept_mapResponse(reply)
    out = ["status=%08x" % r["status"], "num_towers=%d" % r["num_towers"],
           "handle=%s" % r["entry_handle"].getData().hex()]
    for t in r["ITowers"]:
        tower = epm.EPMTower(b"".join(t["Data"]["tower_octet_string"]))
        f = tower["Floors"]
        out.append("[%s | %s | %s" % (f[0], f[1], f[2]["ProtocolData"].hex()))
        out.append("port=%d" % epm.EPMPortAddr(f[3].getData())["IpPort"])
        out.append("ip=%s]" % socket.inet_ntoa(epm.EPMHostAddr(f[4].getData())["Ip4addr"]))
    return " ".join(out)
)py";

// hept_map() itself over a fake connection: prints the interface it binds,
// the request it sends, and the binding string it makes of our reply
// (argv[1]); then summarizes the other replies.
constexpr char kHeptMap[] = R"py(
from impacket.dcerpc.v5 import nrpc
class FakeDce:
    def bind(self, iface):
        print("bind=" + iface.hex())
    def request(self, request):
        print("opnum=%d" % request.opnum)
        print("request=" + request.getData().hex())
        return epm.ept_mapResponse(bytes.fromhex(sys.argv[1]))
print("binding=" + epm.hept_map("127.0.0.1", nrpc.MSRPC_UUID_NRPC, protocol="ncacn_ip_tcp",
                                 dce=FakeDce()))
for reply in sys.argv[2:]:
    print(summarize(bytes.fromhex(reply)))
)py";

TEST(EndpointMapperImpacketTest, HeptMapRoundTrip) {
  EndpointMapper epm;
  epm.Register(kNetlogon, kPort);
  const CallReply reply = Map(epm, ImpacketRequest());
  ASSERT_EQ(reply.fault, 0u);

  const PythonRun run = RunPython(absl::StrCat(kSummarizeReplies, kHeptMap), {ToHex(reply.stub)});
  ASSERT_EQ(run.exit_status, 0) << "needs " << kSystemPython << " with impacket 0.10";
  EXPECT_THAT(run.lines,
              ElementsAre(absl::StrCat("bind=", ToHex(EndpointMapperSyntax().uuid), "03000000"),
                          "opnum=3", absl::StrCat("request=", kImpacketEptMapRequest),
                          "binding=ncacn_ip_tcp:127.0.0.1[49664]"));
}

TEST(EndpointMapperImpacketTest, ImpacketReadsEveryReplyShape) {
  EndpointMapper none;
  EndpointMapper one;
  one.Register(kNetlogon, kPort, "10.1.2.3");
  EndpointMapper two;
  two.Register(SyntaxId{kNetlogonUuid, 1, 0}, 1111);
  two.Register(SyntaxId{kNetlogonUuid, 1, 1}, 2222);
  const Bytes tower = ImpacketTower();

  const PythonRun run = RunPython(
      absl::StrCat(kSummarizeReplies, kHeptMap),
      {std::string(kNetlogonReply), ToHex(Map(none, ImpacketRequest()).stub),
       ToHex(Map(one, ImpacketRequest()).stub), ToHex(Map(two, EptMapRequest(&tower, 4)).stub)});
  ASSERT_EQ(run.exit_status, 0) << "needs " << kSystemPython << " with impacket 0.10";
  ASSERT_EQ(run.lines.size(), 7u);
  const std::string null_handle(40, '0');
  const std::string netlogon = "12345678-1234-ABCD-EF00-01234567CFFB";
  const std::string ndr = "8A885D04-1CEB-11C9-9FE8-08002B104860 v2.0";
  EXPECT_EQ(run.lines[4], absl::StrCat("status=16c9a0d6 num_towers=0 handle=", null_handle));
  EXPECT_EQ(run.lines[5], absl::StrCat("status=00000000 num_towers=1 handle=", null_handle, " [",
                                       netlogon, " v1.0 | ", ndr, " | 0b port=49664 ip=10.1.2.3]"));
  EXPECT_EQ(run.lines[6], absl::StrCat("status=00000000 num_towers=2 handle=", null_handle, " [",
                                       netlogon, " v1.0 | ", ndr, " | 0b port=1111 ip=127.0.0.1] [",
                                       netlogon, " v1.1 | ", ndr, " | 0b port=2222 ip=127.0.0.1]"));
}

}  // namespace
}  // namespace trustsim::dcerpc
