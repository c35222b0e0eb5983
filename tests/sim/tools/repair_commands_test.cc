// Copyright 2026 The trustsim Authors.
//
// The repair commands against a small domain: netdom resetpwd and verify,
// Reset-ComputerMachinePassword, Test-ComputerSecureChannel, Remove-Computer
// and Add-Computer. Each breaks a member's trust the way it breaks in the
// field, checks the exact console output and the preconditions, and that a
// repair really lets a domain user log on again.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sim/tools/commands.h"
#include "sim/tools/shell.h"
#include "sim/world.h"

namespace trustsim::sim::tools {
namespace {

constexpr char kAdminPassword[] = "Adm1n-Passw0rd!";

constexpr char kResetOk[] =
    "The machine account password for the local machine has been successfully reset.\n"
    "\n"
    "The command completed successfully.\n";

std::string ResetFailed(absl::string_view message) {
  return absl::StrCat("The machine account password for the local machine could not be reset.\n\n",
                      message, "\n\nThe command failed to complete successfully.\n");
}

// One DC and five members, all joined:
//   WS01   Windows 10 (PowerShell 5.1, no netdom)
//   ADM01  Windows 10 with RSAT (netdom)
//   SRV01  Windows Server 2019 (netdom)
//   W7     Windows 7 (PowerShell 2.0)
//   W7PS3  Windows 7 with Windows PowerShell 3.0 installed
class RepairCommandsTest : public ::testing::Test {
 protected:
  RepairCommandsTest() : world_(1, kDefaultEpoch, DomainConfig{}), shell_(world_) {
    world_.AddDc("DC01", /*pdc=*/true, DcProfile::kWindows);
    OsVersion rsat, server, windows7, windows7_ps3;
    rsat.rsat = true;
    server.name = "server-2019";
    server.server = true;
    windows7.name = "windows-7";
    windows7_ps3.name = "windows-7";
    windows7_ps3.powershell = "3.0";
    world_.AddMember("WS01", OsVersion{});
    world_.AddMember("ADM01", rsat);
    world_.AddMember("SRV01", server);
    world_.AddMember("W7", windows7);
    world_.AddMember("W7PS3", windows7_ps3);
    world_.AddUser({.name = "alice", .password = "Passw0rd!"});
    world_.AddUser({.name = "dsmith", .password = kAdminPassword, .admin = true});
    for (const char* host : {"WS01", "ADM01", "SRV01", "W7", "W7PS3"}) {
      EXPECT_TRUE(world_.Join(host).ok()) << host;
    }
  }

  // An administrative reset of the computer account (ADUC "Reset Account")
  // and a restart: the member holds no password the DC accepts.
  void BreakTrust(absl::string_view host) {
    ASSERT_TRUE(world_.ResetAccount(host).ok());
    ASSERT_TRUE(world_.PowerOff(host).ok());
    ASSERT_TRUE(world_.PowerOn(host).ok());
    ASSERT_EQ(world_.Logon(host, "alice").win32, kErrorTrustedRelationshipFailure);
  }

  CommandResult Run(Session& session, absl::string_view line) { return shell_.Run(session, line); }

  bool Joined(absl::string_view host) { return world_.FindMember(host)->state().joined; }

  int Restarts(absl::string_view host) {
    int n = 0;
    for (const TraceRecord& r : world_.sim().trace().records()) {
      if (r.host == host && r.kind == "power") ++n;
    }
    return n;
  }

  World world_;
  Shell shell_;
};

Session Admin(absl::string_view host) { return Session::LocalAdministrator(host); }
Session DomainAdmin(absl::string_view host, bool elevated = true) {
  return Session::DomainUser(host, "CORP", "dsmith", elevated);
}
Session DomainUser(absl::string_view host) {
  return Session::DomainUser(host, "CORP", "alice", /*elevated=*/false);
}

TEST_F(RepairCommandsTest, CommandsAreRegistered) {
  const std::vector<std::string> names = shell_.CommandNames();
  for (const char* name : {"netdom", "reset-computermachinepassword", "test-computersecurechannel",
                           "remove-computer", "add-computer"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

// --- netdom --------------------------------------------------------------------

TEST_F(RepairCommandsTest, NetdomIsNotOnAClientWithoutRsat) {
  Session s = Admin("WS01");
  const CommandResult r =
      Run(s, "netdom resetpwd /Server:DC01 /UserD:CORP\\dsmith /PasswordD:Adm1n-Passw0rd!");
  EXPECT_EQ(r.exit_code, 9009);
  EXPECT_EQ(r.out,
            "'netdom' is not recognized as an internal or external command,\n"
            "operable program or batch file.\n");
}

TEST_F(RepairCommandsTest, NetdomResetPwdRepairsWithoutReboot) {
  // The classic case: the VM is reverted to a snapshot older than the last
  // two password changes; the DC accepts neither CurrVal nor OldVal.
  ASSERT_TRUE(world_.Snapshot("SRV01", "before").ok());
  world_.sim().RunUntil(world_.sim().now() + 61 * kDay);
  ASSERT_TRUE(world_.Revert("SRV01", "before").ok());
  ASSERT_EQ(world_.Logon("SRV01", "alice").win32, kErrorTrustedRelationshipFailure);

  Session s = Admin("SRV01");
  const int restarts = Restarts("SRV01");
  const CommandResult r =
      Run(s, "netdom resetpwd /Server:DC01 /UserD:CORP\\dsmith /PasswordD:Adm1n-Passw0rd!");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, kResetOk);
  EXPECT_EQ(Restarts("SRV01"), restarts);  // no reboot
  EXPECT_TRUE(world_.Logon("SRV01", "alice").ok());
}

TEST_F(RepairCommandsTest, NetdomAbbreviationsPromptAndBareUser) {
  BreakTrust("ADM01");  // a client with RSAT has netdom
  Session s = Admin("ADM01");
  const CommandResult r = Run(s, "NETDOM.EXE RESETPWD /s:dc01.corp.example.com /ud:dsmith /pd:*");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            absl::StrCat("Type the password associated with the domain user:\n\n", kResetOk));
  EXPECT_TRUE(world_.Logon("ADM01", "alice").ok());
}

TEST_F(RepairCommandsTest, NetdomWrongPasswordIsLogonFailure) {
  BreakTrust("SRV01");
  Session s = Admin("SRV01");
  const CommandResult r =
      Run(s, "netdom resetpwd /Server:DC01 /UserD:CORP\\dsmith /PasswordD:nope");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, ResetFailed("The user name or password is incorrect."));
  EXPECT_EQ(world_.Logon("SRV01", "alice").win32, kErrorTrustedRelationshipFailure);
}

TEST_F(RepairCommandsTest, NetdomNeedsDomainAdminCredentials) {
  BreakTrust("SRV01");
  Session s = Admin("SRV01");
  const CommandResult r = Run(s, "netdom resetpwd /Server:DC01 /UserD:CORP\\alice /PasswordD:*");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, absl::StrCat("Type the password associated with the domain user:\n\n",
                                ResetFailed("Access is denied.")));
  const CommandResult other =
      Run(s, "netdom resetpwd /Server:DC01 /UserD:OTHER\\dsmith /PasswordD:Adm1n-Passw0rd!");
  EXPECT_EQ(other.out, ResetFailed("The user name or password is incorrect."));
}

TEST_F(RepairCommandsTest, NetdomNeedsAnElevatedLocalAdministrator) {
  BreakTrust("SRV01");
  for (Session s : {DomainAdmin("SRV01", /*elevated=*/false), DomainUser("SRV01")}) {
    const CommandResult r =
        Run(s, "netdom resetpwd /Server:DC01 /UserD:CORP\\dsmith /PasswordD:Adm1n-Passw0rd!");
    EXPECT_EQ(r.exit_code, 1) << s.Qualified();
    EXPECT_EQ(r.out, ResetFailed("Access is denied.")) << s.Qualified();
  }
  EXPECT_EQ(world_.Logon("SRV01", "alice").win32, kErrorTrustedRelationshipFailure);
}

TEST_F(RepairCommandsTest, NetdomUsage) {
  Session s = Admin("SRV01");
  const CommandResult missing = Run(s, "netdom resetpwd /UserD:CORP\\dsmith /PasswordD:*");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out.rfind("The syntax of this command is:\n\nNETDOM RESETPWD ", 0), 0u)
      << missing.out;
  const CommandResult unknown =
      Run(s, "netdom resetpwd /Server:DC01 /UserD:dsmith /PasswordD:* /Bogus");
  EXPECT_EQ(unknown.out, missing.out);
  for (const char* line : {"netdom", "netdom /?", "netdom frobnicate"}) {
    const CommandResult r = Run(s, line);
    EXPECT_EQ(r.exit_code, 1) << line;
    EXPECT_EQ(r.out.rfind("The syntax of this command is:\n\nNETDOM [ ADD |", 0), 0u) << r.out;
  }
}

TEST_F(RepairCommandsTest, NetdomVerify) {
  Session s = Admin("SRV01");
  const CommandResult healthy = Run(s, "netdom verify SRV01 /Domain:CORP");
  EXPECT_EQ(healthy.exit_code, 0);
  EXPECT_EQ(healthy.out,
            "The secure channel from SRV01 to the domain CORP has been verified.  The connection "
            "is with the machine \\\\DC01.corp.example.com.\n\nThe command completed "
            "successfully.\n");

  BreakTrust("SRV01");
  const CommandResult broken = Run(s, "netdom verify SRV01");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_EQ(broken.out,
            "The secure channel from SRV01 to the domain CORP is invalid.\n\nAccess is denied.\n\n"
            "The command failed to complete successfully.\n");

  // Another member, with the credentials of a domain admin for it.
  const CommandResult remote = Run(s, "netdom verify WS01 /UserO:CORP\\dsmith /PasswordO:*");
  EXPECT_EQ(remote.exit_code, 0);
  EXPECT_EQ(remote.out.rfind("Type the password associated with the object user:\n\nThe secure "
                             "channel from WS01 to the domain CORP has been verified.",
                             0),
            0u)
      << remote.out;
  // The local Administrator has no rights on another machine.
  EXPECT_EQ(Run(s, "netdom verify WS01").out,
            "Access is denied.\n\nThe command failed to complete successfully.\n");
  EXPECT_EQ(Run(s, "netdom verify NOSUCH").out,
            "The network path was not found.\n\nThe command failed to complete successfully.\n");
  EXPECT_EQ(Run(s, "netdom verify").exit_code, 1);

  ASSERT_EQ(Run(s, "netdom resetpwd /Server:DC01 /UserD:CORP\\dsmith /PasswordD:*").exit_code, 0);
  EXPECT_EQ(Run(s, "netdom verify SRV01").exit_code, 0);
}

// --- Reset-ComputerMachinePassword ---------------------------------------------------

TEST_F(RepairCommandsTest, ResetComputerMachinePasswordPrintsNothingAndRepairs) {
  BreakTrust("WS01");
  Session s = Admin("WS01");
  const CommandResult r =
      Run(s, "Reset-ComputerMachinePassword -Server DC01 -Credential CORP\\dsmith");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(world_.Logon("WS01", "alice").ok());
}

TEST_F(RepairCommandsTest, ResetComputerMachinePasswordBindsLikePowerShell) {
  BreakTrust("WS01");
  Session s = Admin("WS01");
  // A unique prefix, -Name:value, and any case.
  const CommandResult r = Run(s, "reset-computermachinepassword -cred:corp\\dsmith -SERVER dc01");
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(world_.Logon("WS01", "alice").ok());

  EXPECT_EQ(Run(s, "Reset-ComputerMachinePassword -Foo bar").out,
            "Reset-ComputerMachinePassword : A parameter cannot be found that matches parameter "
            "name 'Foo'.\n"
            "    + CategoryInfo          : InvalidArgument: (:) [Reset-ComputerMachinePassword], "
            "ParameterBindingException\n"
            "    + FullyQualifiedErrorId : "
            "NamedParameterNotFound,Microsoft.PowerShell.Commands."
            "ResetComputerMachinePasswordCommand\n");
  EXPECT_EQ(Run(s, "Reset-ComputerMachinePassword -Server").out,
            "Reset-ComputerMachinePassword : Missing an argument for parameter 'Server'. Specify "
            "a parameter of type 'System.String' and try again.\n"
            "    + CategoryInfo          : InvalidArgument: (:) [Reset-ComputerMachinePassword], "
            "ParameterBindingException\n"
            "    + FullyQualifiedErrorId : "
            "MissingArgument,Microsoft.PowerShell.Commands.ResetComputerMachinePasswordCommand\n");
  EXPECT_EQ(Run(s, "Reset-ComputerMachinePassword DC01").exit_code, 1);  // no positional
}

TEST_F(RepairCommandsTest, ResetComputerMachinePasswordOnPowerShell2HasNoCredential) {
  BreakTrust("W7");
  Session s = Admin("W7");
  const CommandResult r =
      Run(s, "Reset-ComputerMachinePassword -Server DC01 -Credential CORP\\dsmith");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "Reset-ComputerMachinePassword : A parameter cannot be found that matches parameter "
            "name 'Credential'.\n"
            "    + CategoryInfo          : InvalidArgument: (:) [Reset-ComputerMachinePassword], "
            "ParameterBindingException\n"
            "    + FullyQualifiedErrorId : "
            "NamedParameterNotFound,Microsoft.PowerShell.Commands."
            "ResetComputerMachinePasswordCommand\n");

  // The cmdlet itself exists in 2.0; it runs as the caller, and the local
  // Administrator has no rights in the domain.
  const CommandResult local = Run(s, "Reset-ComputerMachinePassword -Server DC01");
  EXPECT_EQ(local.exit_code, 1);
  EXPECT_EQ(local.out,
            "Reset-ComputerMachinePassword : Cannot reset the secure channel password for the "
            "computer account in the domain. Operation failed with the following exception: "
            "Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED)).\n"
            "    + CategoryInfo          : OperationStopped: (W7:String) "
            "[Reset-ComputerMachinePassword], InvalidOperationException\n"
            "    + FullyQualifiedErrorId : "
            "FailToResetPasswordOnDomain,Microsoft.PowerShell.Commands."
            "ResetComputerMachinePasswordCommand\n");
  EXPECT_EQ(world_.Logon("W7", "alice").win32, kErrorTrustedRelationshipFailure);

  // A domain admin at the console (cached logon), elevated: it works.
  Session da = DomainAdmin("W7");
  EXPECT_EQ(Run(da, "Reset-ComputerMachinePassword -Server DC01").out, "");
  EXPECT_TRUE(world_.Logon("W7", "alice").ok());
}

TEST_F(RepairCommandsTest, ResetComputerMachinePasswordWithPowerShell3OnWindows7) {
  BreakTrust("W7PS3");
  Session s = Admin("W7PS3");
  const CommandResult r = Run(s, "Reset-ComputerMachinePassword -Credential CORP\\dsmith");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(world_.Logon("W7PS3", "alice").ok());
}

TEST_F(RepairCommandsTest, ResetComputerMachinePasswordPreconditions) {
  BreakTrust("WS01");
  Session not_elevated = DomainAdmin("WS01", /*elevated=*/false);
  EXPECT_EQ(Run(not_elevated, "Reset-ComputerMachinePassword").out,
            "Reset-ComputerMachinePassword : Administrator rights are required to reset the "
            "secure channel password on the local computer. Access is denied.\n"
            "    + CategoryInfo          : InvalidOperation: (WS01:String) "
            "[Reset-ComputerMachinePassword], InvalidOperationException\n"
            "    + FullyQualifiedErrorId : "
            "UnauthorizedAccessException,Microsoft.PowerShell.Commands."
            "ResetComputerMachinePasswordCommand\n");

  Session s = Admin("WS01");
  EXPECT_NE(Run(s, "Reset-ComputerMachinePassword -Credential CORP\\alice")
                .out.find("Operation failed with the following exception: Access is denied. "
                          "(Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))."),
            std::string::npos);
  EXPECT_NE(Run(s, "Reset-ComputerMachinePassword -Credential WS01\\Administrator")
                .out.find("exception: The user name or password is incorrect.\n.\n"),
            std::string::npos);
  const CommandResult unresolved = Run(s, "Reset-ComputerMachinePassword -Server DC99");
  EXPECT_EQ(unresolved.out,
            "Reset-ComputerMachinePassword : Computer name DC99 cannot be resolved with the "
            "exception: No such host is known.\n"
            "    + CategoryInfo          : InvalidArgument: (DC99:String) "
            "[Reset-ComputerMachinePassword], InvalidOperationException\n"
            "    + FullyQualifiedErrorId : "
            "AddressResolutionException,Microsoft.PowerShell.Commands."
            "ResetComputerMachinePasswordCommand\n");
  EXPECT_EQ(world_.Logon("WS01", "alice").win32, kErrorTrustedRelationshipFailure);

  // -WhatIf describes and changes nothing; -Verbose announces the operation.
  EXPECT_EQ(Run(s, "Reset-ComputerMachinePassword -Credential CORP\\dsmith -WhatIf").out,
            "What if: Performing the operation \"Reset-ComputerMachinePassword\" on target "
            "\"WS01\".\n");
  EXPECT_EQ(world_.Logon("WS01", "alice").win32, kErrorTrustedRelationshipFailure);
  EXPECT_EQ(Run(s, "Reset-ComputerMachinePassword -Credential CORP\\dsmith -Verbose").out,
            "VERBOSE: Performing the operation \"Reset-ComputerMachinePassword\" on target "
            "\"WS01\".\n");
  EXPECT_TRUE(world_.Logon("WS01", "alice").ok());
}

TEST_F(RepairCommandsTest, ResetComputerMachinePasswordNotInDomain) {
  Session s = Admin("WS01");
  ASSERT_EQ(Run(s, "Remove-Computer -UnjoinDomainCredential CORP\\dsmith -Force").exit_code, 0);
  EXPECT_EQ(Run(s, "Reset-ComputerMachinePassword -Credential CORP\\dsmith").out,
            "Reset-ComputerMachinePassword : Cannot reset the secure channel password for the "
            "account of the local computer. The local computer is not currently part of a "
            "domain.\n"
            "    + CategoryInfo          : InvalidOperation: (WS01:String) "
            "[Reset-ComputerMachinePassword], InvalidOperationException\n"
            "    + FullyQualifiedErrorId : "
            "ComputerNotInDomain,Microsoft.PowerShell.Commands."
            "ResetComputerMachinePasswordCommand\n");
}

// --- Test-ComputerSecureChannel -------------------------------------------------------

TEST_F(RepairCommandsTest, TestComputerSecureChannelTrueOrFalse) {
  Session user = DomainUser("WS01");  // testing needs no rights
  EXPECT_EQ(Run(user, "Test-ComputerSecureChannel").out, "True\n");
  BreakTrust("WS01");
  const CommandResult r = Run(user, "Test-ComputerSecureChannel");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "False\n");
}

TEST_F(RepairCommandsTest, TestComputerSecureChannelVerbose) {
  Session s = Admin("WS01");
  EXPECT_EQ(Run(s, "Test-ComputerSecureChannel -Verbose").out,
            "VERBOSE: Performing the operation \"Test-ComputerSecureChannel\" on target "
            "\"WS01\".\n"
            "True\n"
            "VERBOSE: The secure channel between the local computer and the domain "
            "corp.example.com is in good condition.\n");
  BreakTrust("WS01");
  EXPECT_EQ(Run(s, "Test-ComputerSecureChannel -Verbose").out,
            "VERBOSE: Performing the operation \"Test-ComputerSecureChannel\" on target "
            "\"WS01\".\n"
            "False\n"
            "VERBOSE: The secure channel between the local computer and the domain "
            "corp.example.com is broken.\n");
  // Windows PowerShell 2.0 words the ShouldProcess message differently.
  Session w7 = Admin("W7");
  EXPECT_EQ(Run(w7, "Test-ComputerSecureChannel -vb").out,
            "VERBOSE: Performing operation \"Test-ComputerSecureChannel\" on Target \"W7\".\n"
            "True\n"
            "VERBOSE: The secure channel between the local computer and the domain "
            "corp.example.com is in good condition.\n");
}

TEST_F(RepairCommandsTest, TestComputerSecureChannelRepair) {
  BreakTrust("WS01");
  Session s = Admin("WS01");
  const CommandResult r =
      Run(s, "Test-ComputerSecureChannel -Repair -Credential CORP\\dsmith -Verbose");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "VERBOSE: Performing the operation \"Test-ComputerSecureChannel\" on target "
            "\"WS01\".\n"
            "True\n"
            "VERBOSE: The secure channel between the local computer and the domain "
            "corp.example.com was successfully repaired.\n");
  EXPECT_TRUE(world_.Logon("WS01", "alice").ok());
  EXPECT_EQ(Run(s, "Test-ComputerSecureChannel").out, "True\n");
}

TEST_F(RepairCommandsTest, TestComputerSecureChannelRepairPreconditions) {
  BreakTrust("WS01");
  // Without -Credential the caller's own account is used: a local account
  // has no rights in the domain.
  Session s = Admin("WS01");
  const CommandResult local = Run(s, "Test-ComputerSecureChannel -Repair");
  EXPECT_EQ(local.exit_code, 1);
  EXPECT_EQ(local.out.rfind("Test-ComputerSecureChannel : Cannot reset the secure channel "
                            "password for the computer account in the domain.",
                            0),
            0u)
      << local.out;
  // Not elevated: the LSA cannot be written.
  Session not_elevated = DomainAdmin("WS01", /*elevated=*/false);
  EXPECT_NE(Run(not_elevated, "Test-ComputerSecureChannel -Repair")
                .out.find("Administrator rights are required to reset the secure channel "
                          "password on the local computer. Access is denied."),
            std::string::npos);
  EXPECT_NE(Run(s, "Test-ComputerSecureChannel -Repair -Credential CORP\\alice")
                .out.find("FailToResetPasswordOnDomain"),
            std::string::npos);
  EXPECT_EQ(world_.Logon("WS01", "alice").win32, kErrorTrustedRelationshipFailure);

  // An elevated domain admin needs no -Credential.
  Session da = DomainAdmin("WS01");
  EXPECT_EQ(Run(da, "Test-ComputerSecureChannel -Repair").out, "True\n");
  EXPECT_TRUE(world_.Logon("WS01", "alice").ok());
}

TEST_F(RepairCommandsTest, TestComputerSecureChannelOnPowerShell2) {
  BreakTrust("W7");
  Session s = Admin("W7");
  EXPECT_EQ(Run(s, "Test-ComputerSecureChannel").out, "False\n");  // exists since 2.0
  EXPECT_NE(Run(s, "Test-ComputerSecureChannel -Repair -Credential CORP\\dsmith")
                .out.find("A parameter cannot be found that matches parameter name "
                          "'Credential'."),
            std::string::npos);
  Session da = DomainAdmin("W7");
  EXPECT_EQ(Run(da, "Test-ComputerSecureChannel -Repair").out, "True\n");

  BreakTrust("W7PS3");
  Session ps3 = Admin("W7PS3");
  EXPECT_EQ(Run(ps3, "Test-ComputerSecureChannel -Repair -Credential CORP\\dsmith").out, "True\n");
  EXPECT_TRUE(world_.Logon("W7PS3", "alice").ok());
}

TEST_F(RepairCommandsTest, TestComputerSecureChannelErrors) {
  Session s = Admin("WS01");
  EXPECT_EQ(Run(s, "Test-ComputerSecureChannel -Bogus").out,
            "Test-ComputerSecureChannel : A parameter cannot be found that matches parameter "
            "name 'Bogus'.\n"
            "    + CategoryInfo          : InvalidArgument: (:) [Test-ComputerSecureChannel], "
            "ParameterBindingException\n"
            "    + FullyQualifiedErrorId : "
            "NamedParameterNotFound,Microsoft.PowerShell.Commands."
            "TestComputerSecureChannelCommand\n");
  EXPECT_EQ(Run(s, "Test-ComputerSecureChannel -C CORP\\dsmith").out,
            "Test-ComputerSecureChannel : Parameter cannot be processed because the parameter "
            "name 'C' is ambiguous. Possible matches include: -Credential -Confirm.\n"
            "    + CategoryInfo          : InvalidArgument: (:) [Test-ComputerSecureChannel], "
            "ParameterBindingException\n"
            "    + FullyQualifiedErrorId : "
            "AmbiguousParameter,Microsoft.PowerShell.Commands.TestComputerSecureChannelCommand\n");
  ASSERT_EQ(Run(s, "Remove-Computer -UnjoinDomainCredential CORP\\dsmith -Force").exit_code, 0);
  EXPECT_EQ(Run(s, "Test-ComputerSecureChannel").out,
            "Test-ComputerSecureChannel : Cannot verify the secure channel password for the local "
            "computer. The local computer is not currently part of a domain.\n"
            "    + CategoryInfo          : InvalidOperation: (WS01:String) "
            "[Test-ComputerSecureChannel], InvalidOperationException\n"
            "    + FullyQualifiedErrorId : "
            "ComputerNotInDomain,Microsoft.PowerShell.Commands.TestComputerSecureChannelCommand\n");
}

// --- Remove-Computer and Add-Computer -------------------------------------------------

TEST_F(RepairCommandsTest, RejoinWithRemoveAndAddComputer) {
  ASSERT_TRUE(world_.Logon("WS01", "alice").ok());  // alice has a profile on WS01
  BreakTrust("WS01");
  Session s = Admin("WS01");
  const CommandResult removed =
      Run(s, "Remove-Computer -UnjoinDomainCredential CORP\\dsmith -WorkgroupName WG -Force");
  EXPECT_EQ(removed.exit_code, 0);
  EXPECT_EQ(removed.out,
            "WARNING: The changes will take effect after you restart the computer WS01.\n");
  EXPECT_FALSE(Joined("WS01"));
  EXPECT_TRUE(world_.Account("WS01")->disabled());

  const CommandResult added =
      Run(s, "Add-Computer -DomainName corp.example.com -Credential CORP\\dsmith");
  EXPECT_EQ(added.exit_code, 0);
  EXPECT_EQ(added.out,
            "WARNING: The changes will take effect after you restart the computer WS01.\n"
            "WARNING: [trustsim] Check the local profiles of domain users on WS01 (corp\\alice): a "
            "rejoin keeps them linked only while the domain and the users' SIDs stay the same.\n");
  EXPECT_TRUE(Joined("WS01"));
  EXPECT_FALSE(world_.Account("WS01")->disabled());
  EXPECT_TRUE(world_.Logon("WS01", "alice").ok());
}

TEST_F(RepairCommandsTest, RestartEndsTheSession) {
  Session s = Admin("SRV01");
  const CommandResult removed = Run(s, "Remove-Computer CORP\\dsmith -Restart -Force");
  EXPECT_EQ(removed.out, "");  // positional credential; no warning with -Restart
  EXPECT_FALSE(Joined("SRV01"));
  EXPECT_TRUE(s.user.empty());

  s = Admin("SRV01");
  const CommandResult added =
      Run(s, "Add-Computer CORP -Credential CORP\\dsmith -Restart -Verbose");
  EXPECT_EQ(added.out,
            "VERBOSE: Performing the operation \"Join in domain 'CORP'\" on target \"SRV01\".\n");
  EXPECT_TRUE(Joined("SRV01"));
  EXPECT_TRUE(s.user.empty());
  EXPECT_TRUE(world_.Logon("SRV01", "alice").ok());
}

TEST_F(RepairCommandsTest, RemoveComputerPreconditions) {
  Session s = Admin("WS01");
  // The local Administrator's own account cannot disable the domain account.
  const CommandResult local = Run(s, "Remove-Computer -Force");
  EXPECT_EQ(local.out,
            "Remove-Computer : Failed to unjoin computer 'WS01' from domain 'corp.example.com' "
            "with the following error message: Access is denied.\n"
            "    + CategoryInfo          : OperationStopped: (WS01:String) [Remove-Computer], "
            "InvalidOperationException\n"
            "    + FullyQualifiedErrorId : "
            "FailToUnjoinDomain,Microsoft.PowerShell.Commands.RemoveComputerCommand\n");
  Session not_elevated = DomainAdmin("WS01", /*elevated=*/false);
  EXPECT_EQ(Run(not_elevated, "Remove-Computer -Force").exit_code, 1);
  EXPECT_TRUE(Joined("WS01"));

  // Windows PowerShell 2.0 calls the credential -Credential and has no
  // -WorkgroupName or -Restart.
  Session w7 = Admin("W7");
  EXPECT_NE(Run(w7, "Remove-Computer -Credential CORP\\dsmith -WorkgroupName WG")
                .out.find("matches parameter name 'WorkgroupName'."),
            std::string::npos);
  EXPECT_NE(Run(w7, "Remove-Computer -UnjoinDomainCredential CORP\\dsmith")
                .out.find("matches parameter name 'UnjoinDomainCredential'."),
            std::string::npos);
  EXPECT_EQ(Run(w7, "Remove-Computer -Credential CORP\\dsmith -Force").exit_code, 0);
  EXPECT_FALSE(Joined("W7"));

  EXPECT_EQ(Run(w7, "Remove-Computer -Credential CORP\\dsmith -Force").out,
            "Remove-Computer : Cannot remove computer 'W7' because it is not in a domain.\n"
            "    + CategoryInfo          : InvalidOperation: (W7:String) [Remove-Computer], "
            "InvalidOperationException\n"
            "    + FullyQualifiedErrorId : "
            "ComputerNotInDomain,Microsoft.PowerShell.Commands.RemoveComputerCommand\n");
}

TEST_F(RepairCommandsTest, WithNoDcReachable) {
  world_.network().Partition("WS01", "DC01");
  world_.network().Partition("SRV01", "DC01");
  Session srv = Admin("SRV01");
  EXPECT_EQ(Run(srv, "netdom resetpwd /Server:DC01 /UserD:CORP\\dsmith /PasswordD:*").out,
            absl::StrCat("Type the password associated with the domain user:\n\n",
                         ResetFailed("There are currently no logon servers available to service "
                                     "the logon request.")));
  Session s = Admin("WS01");
  EXPECT_NE(Run(s, "Reset-ComputerMachinePassword -Credential CORP\\dsmith")
                .out.find("Operation failed with the following exception: The server is not "
                          "operational.\n.\n"),
            std::string::npos);
  // Remove-Computer cannot disable the account; only -Force leaves anyway.
  EXPECT_NE(Run(s, "Remove-Computer -UnjoinDomainCredential CORP\\dsmith")
                .out.find("with the following error message: The specified domain either does "
                          "not exist or could not be contacted.\n"),
            std::string::npos);
  EXPECT_TRUE(Joined("WS01"));
  EXPECT_EQ(Run(s, "Remove-Computer -UnjoinDomainCredential CORP\\dsmith -Force").exit_code, 0);
  EXPECT_FALSE(Joined("WS01"));
}

TEST_F(RepairCommandsTest, AddComputerPreconditions) {
  Session s = Admin("WS01");
  EXPECT_EQ(Run(s, "Add-Computer -DomainName corp.example.com -Credential CORP\\dsmith").out,
            "Add-Computer : Cannot add computer 'WS01' to domain 'corp.example.com' because it is "
            "already in that domain.\n"
            "    + CategoryInfo          : InvalidOperation: (WS01:String) [Add-Computer], "
            "InvalidOperationException\n"
            "    + FullyQualifiedErrorId : "
            "AddComputerToSameDomain,Microsoft.PowerShell.Commands.AddComputerCommand\n");
  EXPECT_EQ(Run(s, "Add-Computer -DomainName corp.example.com").out,
            "Add-Computer : Cannot process command because of one or more missing mandatory "
            "parameters: Credential.\n"
            "    + CategoryInfo          : InvalidArgument: (:) [Add-Computer], "
            "ParameterBindingException\n"
            "    + FullyQualifiedErrorId : "
            "MissingMandatoryParameter,Microsoft.PowerShell.Commands.AddComputerCommand\n");

  ASSERT_EQ(Run(s, "Remove-Computer -UnjoinDomainCredential CORP\\dsmith -Force").exit_code, 0);
  const std::string prefix =
      "Add-Computer : Computer 'WS01' failed to join domain 'corp.example.com' from its current "
      "workgroup 'WORKGROUP' with following error message: ";
  EXPECT_EQ(Run(s, "Add-Computer -DomainName corp.example.com -Credential CORP\\alice")
                .out.rfind(prefix + "Access is denied.\n", 0),
            0u);
  Session not_elevated = DomainAdmin("WS01", /*elevated=*/false);
  EXPECT_EQ(Run(not_elevated, "Add-Computer -DomainName corp.example.com -Credential CORP\\dsmith")
                .out.rfind(prefix + "Access is denied.\n", 0),
            0u);
  EXPECT_NE(Run(s, "Add-Computer -DomainName fabrikam.com -Credential CORP\\dsmith")
                .out.find("The specified domain either does not exist or could not be "
                          "contacted.\n"),
            std::string::npos);
  EXPECT_NE(Run(s, "Add-Computer corp.example.com -Credential CORP\\dsmith -Server CORP\\DC99")
                .out.find("The specified server name CORP\\DC99 cannot be resolved."),
            std::string::npos);
  EXPECT_FALSE(Joined("WS01"));

  // Windows PowerShell 2.0 has no -Restart.
  Session w7 = Admin("W7");
  EXPECT_NE(Run(w7, "Add-Computer -DomainName CORP -Credential CORP\\dsmith -Restart")
                .out.find("matches parameter name 'Restart'."),
            std::string::npos);

  EXPECT_EQ(Run(s,
                "Add-Computer -DomainName corp.example.com -Credential CORP\\dsmith "
                "-Server CORP\\DC01")
                .exit_code,
            0);
  EXPECT_TRUE(Joined("WS01"));
}

}  // namespace
}  // namespace trustsim::sim::tools
