// Copyright 2026 The trustsim Authors.
//
// w32tm, klist, Get-WinEvent and wevtutil, run through the shell.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/tools/shell.h"
#include "sim/world.h"

namespace trustsim::sim::tools {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// DC01 (PDC) and DC02; WS01 joined; alice and dsmith (a domain admin).
class DiagnosticsCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.AddDc("DC01", /*pdc=*/true, DcProfile::kWindows);
    world_.AddDc("DC02", /*pdc=*/false, DcProfile::kWindows);
    world_.AddMember("WS01", OsVersion{});
    world_.AddUser({.name = "alice", .password = "Passw0rd!"});
    world_.AddUser({.name = "dsmith", .password = "Adm1n-Passw0rd!", .admin = true});
    ASSERT_TRUE(world_.Join("WS01").ok());
    shell_ = std::make_unique<Shell>(world_);
  }

  void RunFor(SimDuration d) { world_.sim().RunUntil(world_.sim().now() + d); }
  CommandResult Run(Session& session, absl::string_view line) { return shell_->Run(session, line); }

  // Breaks WS01's trust: ADUC "Reset Account", then the member tries its
  // channel and logs 3210 (and the DC 5722).
  void BreakTrust() {
    ASSERT_TRUE(world_.ResetAccount("WS01").ok());
    ASSERT_FALSE(world_.VerifySecureChannel(*world_.FindMember("WS01")).ok());
  }

  World world_{/*seed=*/1, kDefaultEpoch, DomainConfig{}};
  std::unique_ptr<Shell> shell_;
};

// --- w32tm -------------------------------------------------------------------------

TEST_F(DiagnosticsCommandsTest, W32tmNeedsElevation) {
  Session s = Session::DomainUser("WS01", "CORP", "alice", false);
  for (const char* line : {"w32tm /resync", "w32tm /query /status"}) {
    const CommandResult r = Run(s, line);
    EXPECT_EQ(r.exit_code, 1) << line;
    EXPECT_EQ(r.out, "The following error occurred: Access is denied. (0x80070005)\n") << line;
  }
}

TEST_F(DiagnosticsCommandsTest, W32tmStatusBeforeAnySync) {
  Session s = Session::LocalAdministrator("WS01");
  const CommandResult r = Run(s, "w32tm /query /status");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Leap Indicator: 3(not synchronized)\n"
            "Stratum: 0 (unspecified)\n"
            "Precision: -23 (119.209ns per tick)\n"
            "Root Delay: 0.0000000s\n"
            "Root Dispersion: 0.0000000s\n"
            "ReferenceId: 0x00000000 (unspecified)\n"
            "Last Successful Sync Time: unspecified\n"
            "Source: Local CMOS Clock\n"
            "Poll Interval: 6 (64s)\n");
  EXPECT_EQ(Run(s, "w32tm /query /source").out, "Local CMOS Clock\n");
}

TEST_F(DiagnosticsCommandsTest, W32tmResyncTakesTheDcsTimeAndStatusReportsIt) {
  world_.SetClockOffset("WS01", 10 * kMinute);
  RunFor(5 * kMinute);
  Session s = Session::LocalAdministrator("WS01");
  const CommandResult r = Run(s, "w32tm /resync");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Sending resync command to local computer\n"
            "The command completed successfully.\n");
  EXPECT_EQ(world_.LocalTime("WS01"), world_.LocalTime("DC01"));
  EXPECT_EQ(Run(s, "w32tm /query /status").out,
            "Leap Indicator: 0(no warning)\n"
            "Stratum: 3 (secondary reference - syncd by (S)NTP)\n"
            "Precision: -23 (119.209ns per tick)\n"
            "Root Delay: 0.0312500s\n"
            "Root Dispersion: 10.0000000s\n"
            "ReferenceId: 0x0A00000A (source IP:  10.0.0.10)\n"
            "Last Successful Sync Time: 1/5/2026 8:05:00 AM\n"
            "Source: DC01.corp.example.com\n"
            "Poll Interval: 10 (1024s)\n");
  EXPECT_EQ(Run(s, "w32tm /query /source").out, "DC01.corp.example.com\n");
}

TEST_F(DiagnosticsCommandsTest, W32tmStatusSeesSyncsTheWorldMade) {
  RunFor(kHour);
  ASSERT_TRUE(world_.Resync("DC02").ok());  // e.g. the periodic W32Time task
  Session s = Session::DomainUser("DC02", "CORP", "dsmith", true);
  const CommandResult r = Run(s, "w32tm /query /status");
  EXPECT_THAT(r.out, HasSubstr("Last Successful Sync Time: 1/5/2026 9:00:00 AM\n"
                               "Source: DC01.corp.example.com\n"));
  EXPECT_THAT(r.out, HasSubstr("Stratum: 3 "));
}

TEST_F(DiagnosticsCommandsTest, W32tmResyncWithNoDcReachable) {
  world_.network().Partition("WS01", "DC01");
  world_.network().Partition("WS01", "DC02");
  Session s = Session::LocalAdministrator("WS01");
  const CommandResult r = Run(s, "w32tm /resync");
  EXPECT_EQ(r.exit_code, 0);  // w32tm reports the failure and exits 0
  EXPECT_EQ(r.out,
            "Sending resync command to local computer\n"
            "The computer did not resync because no time data was available.\n");
  EXPECT_THAT(Run(s, "w32tm /query /status").out,
              HasSubstr("Last Successful Sync Time: unspecified\n"));
}

// --- klist -------------------------------------------------------------------------

TEST_F(DiagnosticsCommandsTest, KlistAfterADomainLogon) {
  Session s = Session::LocalAdministrator("WS01");
  ASSERT_EQ(Run(s, "logon CORP\\alice").exit_code, 0);
  const CommandResult r = Run(s, "klist");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "\n"
            "Current LogonId is 0:0x3e7\n"
            "\n"
            "Cached Tickets: (2)\n"
            "\n"
            "#0>\tClient: alice @ CORP.EXAMPLE.COM\n"
            "\tServer: krbtgt/CORP.EXAMPLE.COM @ CORP.EXAMPLE.COM\n"
            "\tKerbTicket Encryption Type: AES-256-CTS-HMAC-SHA1-96\n"
            "\tTicket Flags 0x40e10000 -> forwardable renewable initial pre_authent "
            "name_canonicalize\n"
            "\tStart Time: 1/5/2026 8:00:00 (local)\n"
            "\tEnd Time:   1/5/2026 18:00:00 (local)\n"
            "\tRenew Time: 1/12/2026 8:00:00 (local)\n"
            "\tSession Key Type: AES-256-CTS-HMAC-SHA1-96\n"
            "\tCache Flags: 0x1 -> PRIMARY\n"
            "\tKdc Called: DC01.corp.example.com\n"
            "\n"
            "#1>\tClient: alice @ CORP.EXAMPLE.COM\n"
            "\tServer: LDAP/DC01.corp.example.com/corp.example.com @ CORP.EXAMPLE.COM\n"
            "\tKerbTicket Encryption Type: AES-256-CTS-HMAC-SHA1-96\n"
            "\tTicket Flags 0x40a50000 -> forwardable renewable pre_authent ok_as_delegate "
            "name_canonicalize\n"
            "\tStart Time: 1/5/2026 8:00:00 (local)\n"
            "\tEnd Time:   1/5/2026 18:00:00 (local)\n"
            "\tRenew Time: 1/12/2026 8:00:00 (local)\n"
            "\tSession Key Type: AES-256-CTS-HMAC-SHA1-96\n"
            "\tCache Flags: 0\n"
            "\tKdc Called: DC01.corp.example.com\n");
}

TEST_F(DiagnosticsCommandsTest, KlistForTheLocalAdministratorAndPurge) {
  Session admin = Session::LocalAdministrator("WS01");
  EXPECT_EQ(Run(admin, "klist").out, "\nCurrent LogonId is 0:0x3e7\n\nCached Tickets: (0)\n");

  Session s = Session::LocalAdministrator("WS01");
  ASSERT_EQ(Run(s, "logon CORP\\alice").exit_code, 0);
  const CommandResult purge = Run(s, "klist purge");
  EXPECT_EQ(purge.exit_code, 0);
  EXPECT_EQ(purge.out,
            "\nCurrent LogonId is 0:0x3e7\n\tDeleting all tickets:\n\tTicket(s) purged!\n");
  EXPECT_THAT(Run(s, "klist").out, HasSubstr("Cached Tickets: (0)\n"));
  ASSERT_EQ(Run(s, "logoff").exit_code, 0);
  EXPECT_EQ(Run(s, "klist bogus").exit_code, 1);
}

// --- Get-WinEvent --------------------------------------------------------------------------

TEST_F(DiagnosticsCommandsTest, GetWinEventShowsNetlogon3210) {
  RunFor(5 * kMinute);
  BreakTrust();
  Session s = Session::LocalAdministrator("WS01");
  const CommandResult r = Run(s, "Get-WinEvent -FilterHashtable @{LogName='System'; Id=3210}");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "\n"
            "   ProviderName: NETLOGON\n"
            "\n"
            "TimeCreated                     Id LevelDisplayName Message\n"
            "-----------                     -- ---------------- -------\n"
            "1/5/2026 8:05:00 AM           3210 Error            This computer could not "
            "authenticate with \\\\DC01.corp.example.co...\n"
            "\n");
  // Every line fits a 120-column console.
  for (absl::string_view line : absl::StrSplit(r.out, '\n')) EXPECT_LE(line.size(), 119u);
}

TEST_F(DiagnosticsCommandsTest, GetWinEventNewestFirstAndMaxEvents) {
  BreakTrust();
  RunFor(kHour);
  ASSERT_FALSE(world_.VerifySecureChannel(*world_.FindMember("WS01")).ok());
  Session s = Session::LocalAdministrator("WS01");
  const CommandResult r = Run(s, "Get-WinEvent -LogName System -MaxEvents 1");
  EXPECT_THAT(r.out, HasSubstr("\n1/5/2026 9:00:00 AM           3210 Error "));
  EXPECT_THAT(r.out, Not(HasSubstr("8:00:00 AM")));
  const CommandResult both = Run(s, "Get-WinEvent -FilterHashtable @{LogName='System';Id=3210}");
  EXPECT_LT(both.out.find("9:00:00 AM"), both.out.find("8:00:00 AM"));
}

TEST_F(DiagnosticsCommandsTest, GetWinEventOnTheDc) {
  BreakTrust();
  Session s = Session::DomainUser("DC01", "CORP", "dsmith", true);
  const CommandResult r = Run(s, "Get-WinEvent -FilterHashtable @{LogName='System'; Id=5722,5723}");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("   ProviderName: NETLOGON\n"));
  EXPECT_THAT(r.out, HasSubstr("5722 Error            The session setup from the computer WS01 "
                               "failed to authenticate....\n"));
}

TEST_F(DiagnosticsCommandsTest, GetWinEventErrors) {
  Session s = Session::LocalAdministrator("WS01");
  const CommandResult none = Run(s, "Get-WinEvent -FilterHashtable @{LogName='System'; Id=3210}");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.out,
            "Get-WinEvent : No events were found that match the specified selection criteria.\n"
            "    + CategoryInfo          : ObjectNotFound: (:) [Get-WinEvent], Exception\n"
            "    + FullyQualifiedErrorId : NoMatchingEventsFound,Microsoft.PowerShell.Commands."
            "GetWinEventCommand\n");
  // A member has no Directory Service log.
  EXPECT_THAT(Run(s, "Get-WinEvent -LogName 'Directory Service'").out,
              HasSubstr("There is not an event log on the localhost computer that matches "
                        "\"Directory Service\"."));
}

// --- wevtutil ------------------------------------------------------------------------------

TEST_F(DiagnosticsCommandsTest, WevtutilQueryAsText) {
  RunFor(5 * kMinute);
  BreakTrust();
  Session s = Session::DomainUser("WS01", "CORP", "alice", false);
  const CommandResult r =
      Run(s, "wevtutil qe System /q:\"*[System[(EventID=3210)]]\" /f:text /c:1 /rd:true");
  EXPECT_EQ(r.exit_code, 0);
  const EventLogEntry& e = world_.FindMember("WS01")->state().events.entries().back();
  EXPECT_EQ(r.out, absl::StrCat("Event[0]:\n"
                                "  Log Name: System\n"
                                "  Source: NETLOGON\n"
                                "  Date: 2026-01-05T08:05:00.000\n"
                                "  Event ID: 3210\n"
                                "  Task: N/A\n"
                                "  Level: Error\n"
                                "  Opcode: Info\n"
                                "  Keyword: Classic\n"
                                "  User: N/A\n"
                                "  User Name: N/A\n"
                                "  Computer: WS01.corp.example.com\n"
                                "  Description: \n",
                                e.message, "\n\n"));
  EXPECT_THAT(e.message, StartsWith("This computer could not authenticate with \\\\DC01."));
  // Without /q every System event comes, oldest first; XML is the default.
  const CommandResult xml = Run(s, "wevtutil qe System");
  EXPECT_THAT(xml.out, StartsWith("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/"
                                  "event'><System><Provider Name='NETLOGON'/>"));
  EXPECT_THAT(xml.out, HasSubstr("<EventID Qualifiers='0'>3210</EventID><Level>2</Level>"));
}

TEST_F(DiagnosticsCommandsTest, WevtutilUnknownChannel) {
  Session s = Session::LocalAdministrator("WS01");
  const CommandResult r = Run(s, "wevtutil qe \"Directory Service\" /f:text");
  EXPECT_EQ(r.exit_code, 15007);
  EXPECT_EQ(r.out, "Failed to read events. The specified channel could not be found.\n");
  EXPECT_EQ(Run(s, "wevtutil qe System /f:text").out, "");  // no events yet
}

}  // namespace
}  // namespace trustsim::sim::tools
