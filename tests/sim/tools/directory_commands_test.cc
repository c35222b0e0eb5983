// Copyright 2026 The trustsim Authors.
//
// setspn, ldifde, Get-ADComputer, Disable-/Enable-ADAccount, Remove-ADComputer
// and dsmod, run through the shell against a small domain.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/tools/shell.h"
#include "sim/world.h"

namespace trustsim::sim::tools {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kWs01Dn[] = "CN=WS01,CN=Computers,DC=corp,DC=example,DC=com";
constexpr char kWs01Sid[] = "S-1-5-21-1004336348-1177238915-682003330-1104";

// DC01 (PDC) and DC02; WS01 (no RSAT) and ADMIN01 (RSAT), both joined;
// alice (a user) and dsmith (a domain admin).
class DirectoryCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.AddDc("DC01", /*pdc=*/true, DcProfile::kWindows);
    world_.AddDc("DC02", /*pdc=*/false, DcProfile::kWindows);
    world_.AddMember("WS01", OsVersion{});
    OsVersion rsat;
    rsat.rsat = true;
    world_.AddMember("ADMIN01", rsat);
    world_.AddUser({.name = "alice", .password = "Passw0rd!"});
    world_.AddUser({.name = "dsmith", .password = "Adm1n-Passw0rd!", .admin = true});
    ASSERT_TRUE(world_.Join("WS01").ok());
    ASSERT_TRUE(world_.Join("ADMIN01").ok());
    RunFor(kMinute);  // replicate the new accounts to DC02
    shell_ = std::make_unique<Shell>(world_);
  }

  void RunFor(SimDuration d) { world_.sim().RunUntil(world_.sim().now() + d); }

  CommandResult Run(Session& session, absl::string_view line) { return shell_->Run(session, line); }

  Session Admin(absl::string_view host = "ADMIN01") {
    return Session::DomainUser(host, "CORP", "dsmith", /*elevated=*/true);
  }
  Session User(absl::string_view host = "ADMIN01") {
    return Session::DomainUser(host, "CORP", "alice", /*elevated=*/false);
  }

  World world_{/*seed=*/1, kDefaultEpoch, DomainConfig{}};
  std::unique_ptr<Shell> shell_;
};

// --- setspn ------------------------------------------------------------------------

TEST_F(DirectoryCommandsTest, SetspnListsAComputersSpns) {
  Session s = User("WS01");  // setspn ships with Windows: no RSAT needed
  const CommandResult r = Run(s, "setspn -L WS01");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Registered ServicePrincipalNames for CN=WS01,CN=Computers,DC=corp,DC=example,DC=com:\n"
            "\tHOST/WS01\n"
            "\tHOST/ws01.corp.example.com\n"
            "\tRestrictedKrbHost/WS01\n"
            "\tRestrictedKrbHost/ws01.corp.example.com\n"
            "\tTERMSRV/WS01\n"
            "\tTERMSRV/ws01.corp.example.com\n");
  // With "$", a domain prefix, or as a lower-case /l switch: the same account.
  EXPECT_EQ(Run(s, "setspn /l CORP\\WS01$").out, r.out);
}

TEST_F(DirectoryCommandsTest, SetspnUnknownAccount) {
  Session s = User();
  const CommandResult r = Run(s, "setspn -L WS09");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "FindDomainForAccount: Call to DsGetDcNameWithAccountW failed with return value "
            "0x00000525\nCould not find account WS09\n");
}

TEST_F(DirectoryCommandsTest, SetspnFromTheLocalAdministratorCannotBind) {
  Session s = Session::LocalAdministrator("WS01");
  const CommandResult r = Run(s, "setspn -L WS01");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "Ldap Error(0x31 -- Invalid Credentials): ldap_bind\n"
            "Failed to retrieve DN for domain \"\" : 0x00000031\n");
}

TEST_F(DirectoryCommandsTest, SetspnWithNoDcReachable) {
  world_.network().Partition("ADMIN01", "DC01");
  Session s = Admin();
  const CommandResult r = Run(s, "setspn -L WS01");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith("Ldap Error(0x51 -- Server Down): ldap_connect\n"));
  EXPECT_THAT(r.out, HasSubstr("Unable to locate account WS01\n"));
}

TEST_F(DirectoryCommandsTest, SetspnAddsAnSpnAfterCheckingForDuplicates) {
  Session s = Admin();
  const CommandResult r = Run(s, "setspn -S HTTP/intranet.corp.example.com WS01");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Checking domain DC=corp,DC=example,DC=com\n"
            "\n"
            "Registering ServicePrincipalNames for CN=WS01,CN=Computers,DC=corp,DC=example,DC=com\n"
            "\tHTTP/intranet.corp.example.com\n"
            "Updated object\n");
  const ComputerAccount* account = world_.Account("WS01");
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->service_principal_names.back(), "HTTP/intranet.corp.example.com");
  EXPECT_THAT(Run(s, "setspn -L WS01").out, HasSubstr("\tHTTP/intranet.corp.example.com\n"));
}

TEST_F(DirectoryCommandsTest, SetspnRefusesADuplicateWithoutWriting) {
  Session s = Admin();
  const size_t events_before = world_.Pdc()->events().Count(kEventDuplicateSpn);
  const CommandResult r = Run(s, "setspn -S host/WS01.corp.example.com ADMIN01");
  EXPECT_EQ(r.exit_code, 1);
  // protocol-facts.md §7: "Duplicate SPN found, aborting operation!", after
  // the holder and its value.
  EXPECT_EQ(r.out,
            "Checking domain DC=corp,DC=example,DC=com\n"
            "CN=WS01,CN=Computers,DC=corp,DC=example,DC=com\n"
            "\tHOST/ws01.corp.example.com\n"
            "\n"
            "Duplicate SPN found, aborting operation!\n");
  // setspn searched first and never wrote, so the DC logged nothing.
  EXPECT_EQ(world_.Pdc()->events().Count(kEventDuplicateSpn), events_before);
  EXPECT_THAT(Run(s, "setspn -L ADMIN01").out, Not(HasSubstr("ws01")));
  // -A checks too (Windows Server 2012 and later).
  EXPECT_THAT(Run(s, "setspn -A HOST/WS01 ADMIN01").out,
              HasSubstr("Duplicate SPN found, aborting operation!\n"));
}

TEST_F(DirectoryCommandsTest, SetspnAddNeedsADomainAdmin) {
  Session s = User();
  const CommandResult r = Run(s, "setspn -S HTTP/app WS01");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "Checking domain DC=corp,DC=example,DC=com\n"
            "\n"
            "Registering ServicePrincipalNames for CN=WS01,CN=Computers,DC=corp,DC=example,DC=com\n"
            "\tHTTP/app\n"
            "Failed to assign SPN on account 'CN=WS01,CN=Computers,DC=corp,DC=example,DC=com', "
            "error 0x2098/8344 -> Insufficient access rights to perform the operation.\n");
  EXPECT_THAT(world_.Account("WS01")->service_principal_names,
              Not(::testing::Contains("HTTP/app")));
}

TEST_F(DirectoryCommandsTest, SetspnDeletesAnSpn) {
  Session s = Admin();
  const CommandResult r = Run(s, "setspn -D TERMSRV/WS01 WS01");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Unregistering ServicePrincipalNames for "
            "CN=WS01,CN=Computers,DC=corp,DC=example,DC=com\n"
            "\tTERMSRV/WS01\n"
            "Updated object\n");
  EXPECT_THAT(Run(s, "setspn -L WS01").out, Not(HasSubstr("TERMSRV/WS01\n")));
  const CommandResult again = Run(s, "setspn -D TERMSRV/WS01 WS01");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.out, HasSubstr("error 0x200a/8202"));
}

TEST_F(DirectoryCommandsTest, SetspnQueryFindsTheHolder) {
  Session s = User();
  const CommandResult r = Run(s, "setspn -Q */admin01.corp.example.com");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Checking domain DC=corp,DC=example,DC=com\n"
            "CN=ADMIN01,CN=Computers,DC=corp,DC=example,DC=com\n"
            "\tHOST/ADMIN01\n"
            "\tHOST/admin01.corp.example.com\n"
            "\tRestrictedKrbHost/ADMIN01\n"
            "\tRestrictedKrbHost/admin01.corp.example.com\n"
            "\tTERMSRV/ADMIN01\n"
            "\tTERMSRV/admin01.corp.example.com\n"
            "\n"
            "Existing SPN found!\n");
  const CommandResult none = Run(s, "setspn -Q MSSQLSvc/sql01.corp.example.com:1433");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.out,
            "Checking domain DC=corp,DC=example,DC=com\n"
            "\n"
            "No such SPN found.\n");
}

TEST_F(DirectoryCommandsTest, SetspnSearchesForDuplicates) {
  Session s = Admin();
  EXPECT_EQ(Run(s, "setspn -X").out,
            "Checking domain DC=corp,DC=example,DC=com\n"
            "Processing entry 0\n"
            "found 0 group of duplicate SPNs.\n");
  // A replicated write that raced the uniqueness check: ADMIN01's copy on the
  // PDC arrives holding WS01's FQDN SPN.
  ComputerAccount copy = *world_.Account("ADMIN01");
  copy.service_principal_names.push_back("HOST/ws01.corp.example.com");
  world_.Pdc()->PutAccount(copy);
  const CommandResult r = Run(s, "setspn -X");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Checking domain DC=corp,DC=example,DC=com\n"
            "Processing entry 0\n"
            "HOST/ws01.corp.example.com is registered on these accounts:\n"
            "\tCN=ADMIN01,CN=Computers,DC=corp,DC=example,DC=com\n"
            "\tCN=WS01,CN=Computers,DC=corp,DC=example,DC=com\n"
            "\n"
            "found 1 group of duplicate SPNs.\n");
}

// The duplicate-SPN join of Microsoft's KB (protocol-facts.md §7): the join
// "succeeds", the DC refuses the SPN write and logs event 2974, the account
// is left disabled without SPNs, and setspn shows who holds the value.
TEST_F(DirectoryCommandsTest, DuplicateSpnAtJoinLogs2974AndSetspnShowsTheHolder) {
  ASSERT_TRUE(world_.AddSpn("svc-web", "HOST/ws03.corp.example.com").ok());
  world_.AddMember("WS03", OsVersion{});
  ASSERT_TRUE(world_.Join("WS03").ok());
  EXPECT_TRUE(world_.Pdc()->events().Contains(kEventDuplicateSpn));

  Session s = Admin();
  EXPECT_EQ(Run(s, "setspn -L WS03").out,
            "Registered ServicePrincipalNames for CN=WS03,CN=Computers,DC=corp,DC=example,DC=com:"
            "\n");
  EXPECT_EQ(Run(s, "setspn -Q HOST/ws03.corp.example.com").out,
            "Checking domain DC=corp,DC=example,DC=com\n"
            "CN=svc-web,CN=Users,DC=corp,DC=example,DC=com\n"
            "\tHOST/ws03.corp.example.com\n"
            "\n"
            "Existing SPN found!\n");
  EXPECT_THAT(Run(s, "Get-ADComputer WS03").out, HasSubstr("Enabled           : False\n"));

  Session on_dc = Session::DomainUser("DC01", "CORP", "dsmith", true);
  const CommandResult events =
      Run(on_dc, "Get-WinEvent -FilterHashtable @{LogName='Directory Service'; Id=2974}");
  EXPECT_EQ(events.exit_code, 0);
  EXPECT_THAT(events.out, HasSubstr("   ProviderName: ActiveDirectory_DomainService\n"));
  EXPECT_THAT(events.out, HasSubstr("  2974 Error            The attribute value provided is not "
                                    "unique in the forest or part...\n"));
  const CommandResult text =
      Run(on_dc, "wevtutil qe \"Directory Service\" /q:\"*[System[(EventID=2974)]]\" /f:text /c:1");
  EXPECT_THAT(text.out, HasSubstr("  Log Name: Directory Service\n"
                                  "  Source: ActiveDirectory_DomainService\n"));
  EXPECT_THAT(text.out, HasSubstr("Attribute: servicePrincipalName "
                                  "Value=HOST/ws03.corp.example.com svc-web Winerror: 8647\n"));
  // The fix: remove the value from the wrong account, then the SPN can go on.
  EXPECT_EQ(Run(s, "setspn -D HOST/ws03.corp.example.com svc-web").exit_code, 0);
  EXPECT_EQ(Run(s, "setspn -S HOST/ws03.corp.example.com WS03").exit_code, 0);
}

// --- ldifde ------------------------------------------------------------------------

TEST_F(DirectoryCommandsTest, LdifdeExportsMatchingSpnsToTheConsole) {
  Session s = Admin();
  const CommandResult r =
      Run(s, "ldifde -f CON -r \"(servicePrincipalName=HOST/ws01*)\" -l servicePrincipalName");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Connecting to \"dc01.corp.example.com\"\n"
            "Logging in as current user using SSPI\n"
            "Exporting directory to file CON\n"
            "Searching for entries...\n"
            "Writing out entries.\n"
            "dn: CN=WS01,CN=Computers,DC=corp,DC=example,DC=com\n"
            "changetype: add\n"
            "servicePrincipalName: HOST/WS01\n"
            "servicePrincipalName: HOST/ws01.corp.example.com\n"
            "servicePrincipalName: RestrictedKrbHost/WS01\n"
            "servicePrincipalName: RestrictedKrbHost/ws01.corp.example.com\n"
            "servicePrincipalName: TERMSRV/WS01\n"
            "servicePrincipalName: TERMSRV/ws01.corp.example.com\n"
            "\n"
            "1 entries exported\n"
            "\n"
            "The command has completed successfully\n");
}

TEST_F(DirectoryCommandsTest, LdifdeToAFileAndWithNoMatch) {
  Session s = Admin();
  EXPECT_EQ(
      Run(s, "ldifde -f spns.ldf -s DC02 -r (&(objectClass=computer)(servicePrincipalName=*))").out,
      "Connecting to \"dc02.corp.example.com\"\n"
      "Logging in as current user using SSPI\n"
      "Exporting directory to file spns.ldf\n"
      "Searching for entries...\n"
      "Writing out entries.\n"
      "2 entries exported\n"
      "\n"
      "The command has completed successfully\n");
  EXPECT_THAT(Run(s, "ldifde -f con -r (servicePrincipalName=MSSQLSvc/*)").out,
              HasSubstr("Searching for entries...\nNo Entries found\n"));
}

TEST_F(DirectoryCommandsTest, LdifdeNeedsRsat) {
  Session s = Admin("WS01");
  const CommandResult r = Run(s, "ldifde -f con");
  EXPECT_EQ(r.exit_code, 9009);
  EXPECT_EQ(r.out, NotRecognized("ldifde"));
}

// --- Get-ADComputer ------------------------------------------------------------------

TEST_F(DirectoryCommandsTest, GetAdComputerDefaultProperties) {
  Session s = User();
  const CommandResult r = Run(s, "Get-ADComputer WS01");
  EXPECT_EQ(r.exit_code, 0);
  const std::string guid_line = r.out.substr(r.out.find("ObjectGUID"), 56);
  EXPECT_THAT(guid_line,
              ::testing::MatchesRegex(
                  "ObjectGUID        : [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]"
                  "{3}-[0-9a-f]{12}"));
  EXPECT_EQ(r.out,
            absl::StrCat("\n"
                         "DistinguishedName : CN=WS01,CN=Computers,DC=corp,DC=example,DC=com\n"
                         "DNSHostName       : ws01.corp.example.com\n"
                         "Enabled           : True\n"
                         "Name              : WS01\n"
                         "ObjectClass       : computer\n",
                         guid_line,
                         "\n"
                         "SamAccountName    : WS01$\n"
                         "SID               : ",
                         kWs01Sid,
                         "\n"
                         "UserPrincipalName :\n"
                         "\n"));
  // The GUID is deterministic, and the identity may be the SAM name, DN or SID.
  EXPECT_EQ(Run(s, "Get-ADComputer -Identity WS01$").out, r.out);
  EXPECT_EQ(Run(s, absl::StrCat("Get-ADComputer \"", kWs01Dn, "\"")).out, r.out);
  EXPECT_EQ(Run(s, absl::StrCat("Get-ADComputer ", kWs01Sid)).out, r.out);
}

TEST_F(DirectoryCommandsTest, GetAdComputerRequestedProperties) {
  Session s = User();
  const CommandResult r = Run(s,
                              "Get-ADComputer WS01 -Properties "
                              "pwdLastSet,msDS-KeyVersionNumber,servicePrincipalName,"
                              "PasswordLastSet");
  EXPECT_EQ(r.exit_code, 0);
  // Sorted by name, names padded to the longest; four items of a collection.
  EXPECT_THAT(r.out, HasSubstr("\nDistinguishedName     : CN=WS01,CN=Computers,"));
  EXPECT_THAT(r.out, HasSubstr("\nmsDS-KeyVersionNumber : 1\nName                  : WS01\n"));
  EXPECT_THAT(r.out,
              HasSubstr("\nPasswordLastSet       : 1/5/2026 8:00:00 AM\n"
                        "pwdLastSet            : 134120736000000000\n"
                        "SamAccountName        : WS01$\n"
                        "servicePrincipalName  : {HOST/WS01, HOST/ws01.corp.example.com, "
                        "RestrictedKrbHost/WS01, RestrictedKrbHost/ws01.corp.example.com...}\n"
                        "SID                   : "));
  EXPECT_EQ(ToFileTime(kDefaultEpoch), 134120736000000000ULL);
  EXPECT_THAT(Run(s, "Get-ADComputer WS01 -Properties *").out,
              HasSubstr("userAccountControl    : 4096\nUserPrincipalName     :\n"));
}

TEST_F(DirectoryCommandsTest, GetAdComputerUnknownComputer) {
  Session s = User();
  const CommandResult r = Run(s, "Get-ADComputer WS09");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "Get-ADComputer : Cannot find an object with identity: 'WS09' under: "
            "'DC=corp,DC=example,DC=com'.\n"
            "    + CategoryInfo          : ObjectNotFound: (:) [Get-ADComputer], "
            "ADIdentityNotFoundException\n"
            "    + FullyQualifiedErrorId : ActiveDirectoryCmdlet:Microsoft.ActiveDirectory."
            "Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands."
            "GetADComputer\n");
  EXPECT_THAT(Run(s, "Get-ADComputer WS01 -Properties Foo").out,
              HasSubstr("One or more properties are invalid.\nParameter name: Foo"));
}

TEST_F(DirectoryCommandsTest, GetAdComputerNeedsTheModule) {
  Session s = User("WS01");
  const CommandResult r = Run(s, "Get-ADComputer WS01");
  EXPECT_EQ(r.exit_code, 9009);
  EXPECT_EQ(r.out, NotRecognized("Get-ADComputer"));
  // A DC has the module.
  Session on_dc = Session::DomainUser("DC01", "CORP", "alice", false);
  EXPECT_EQ(Run(on_dc, "Get-ADComputer WS01").exit_code, 0);
}

TEST_F(DirectoryCommandsTest, GetAdComputerFromTheLocalAdministrator) {
  Session s = Session::LocalAdministrator("ADMIN01");
  EXPECT_THAT(Run(s, "Get-ADComputer WS01").out,
              HasSubstr("Get-ADComputer : The server has rejected the client credentials.\n"));
}

TEST_F(DirectoryCommandsTest, GetAdComputerServerShowsThatReplicasLag) {
  Session s = Admin();
  const CommandResult reset = Run(s, absl::StrCat("dsmod computer \"", kWs01Dn, "\" -reset"));
  EXPECT_EQ(reset.exit_code, 0);
  EXPECT_EQ(reset.out, absl::StrCat("dsmod succeeded:", kWs01Dn, "\n"));
  const std::string kvno = "msDS-KeyVersionNumber : ";
  EXPECT_THAT(Run(s, "Get-ADComputer WS01 -Properties msDS-KeyVersionNumber").out,
              HasSubstr(kvno + "2\n"));
  EXPECT_THAT(Run(s, "Get-ADComputer WS01 -Server DC02 -Properties msDS-KeyVersionNumber").out,
              HasSubstr(kvno + "1\n"));
  RunFor(kMinute);
  EXPECT_THAT(
      Run(s, "Get-ADComputer WS01 -Server dc02.corp.example.com -Properties msDS-KeyVersionNumber")
          .out,
      HasSubstr(kvno + "2\n"));
  const CommandResult unknown_server = Run(s, "Get-ADComputer WS01 -Server DC07");
  EXPECT_EQ(unknown_server.exit_code, 1);
  EXPECT_THAT(unknown_server.out, HasSubstr("Unable to contact the server."));
}

// --- Account actions -------------------------------------------------------------------

TEST_F(DirectoryCommandsTest, DisableAndEnableAdAccount) {
  Session s = Admin();
  const CommandResult r = Run(s, "Disable-ADAccount -Identity WS01$");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(world_.Account("WS01")->disabled());
  EXPECT_THAT(Run(s, "Get-ADComputer WS01").out, HasSubstr("Enabled           : False\n"));
  EXPECT_EQ(Run(s, "Enable-ADAccount WS01$").exit_code, 0);
  EXPECT_FALSE(world_.Account("WS01")->disabled());
  // An ADAccount identity is the exact sAMAccountName: "WS01" names nothing.
  const CommandResult bare = Run(s, "Disable-ADAccount -Identity WS01");
  EXPECT_EQ(bare.exit_code, 1);
  EXPECT_THAT(bare.out, HasSubstr("Disable-ADAccount : Cannot find an object with identity: "
                                  "'WS01' under: 'DC=corp,DC=example,DC=com'."));
}

TEST_F(DirectoryCommandsTest, AccountActionsNeedADomainAdmin) {
  Session s = User();
  const CommandResult r = Run(s, "Disable-ADAccount -Identity WS01$");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(
      r.out,
      "Disable-ADAccount : Access is denied\n"
      "    + CategoryInfo          : PermissionDenied: (:) [Disable-ADAccount], "
      "UnauthorizedAccessException\n"
      "    + FullyQualifiedErrorId : ActiveDirectoryCmdlet:System.UnauthorizedAccessException,"
      "Microsoft.ActiveDirectory.Management.Commands.DisableADAccount\n");
  EXPECT_FALSE(world_.Account("WS01")->disabled());
  EXPECT_THAT(Run(s, "Remove-ADComputer WS01 -Confirm:$false").out, HasSubstr("Access is denied"));
  EXPECT_NE(world_.Account("WS01"), nullptr);
  const CommandResult dsmod = Run(s, absl::StrCat("dsmod computer \"", kWs01Dn, "\" -reset"));
  EXPECT_EQ(dsmod.exit_code, 1);
  EXPECT_EQ(dsmod.out, absl::StrCat("dsmod failed:", kWs01Dn,
                                    ":Access is denied.\ntype dsmod /? for help.\n"));
  EXPECT_EQ(world_.Account("WS01")->kvno, 1u);
}

TEST_F(DirectoryCommandsTest, RemoveAdComputerAsksFirst) {
  Session s = Admin();
  const CommandResult ask = Run(s, "Remove-ADComputer -Identity WS01");
  EXPECT_EQ(ask.exit_code, 1);
  EXPECT_THAT(ask.out, HasSubstr(absl::StrCat("Performing the operation \"Remove\" on target \"",
                                              kWs01Dn, "\".\n")));
  EXPECT_NE(world_.Account("WS01"), nullptr);

  const CommandResult r = Run(s, "Remove-ADComputer -Identity WS01 -Confirm:$false");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(world_.Account("WS01"), nullptr);
  EXPECT_THAT(Run(s, "Get-ADComputer WS01").out,
              HasSubstr("Cannot find an object with identity: 'WS01'"));
}

TEST_F(DirectoryCommandsTest, DsmodResetAndDisable) {
  Session s = Admin();
  EXPECT_EQ(Run(s, absl::StrCat("dsmod computer \"", kWs01Dn, "\" -disabled yes")).out,
            absl::StrCat("dsmod succeeded:", kWs01Dn, "\n"));
  EXPECT_TRUE(world_.Account("WS01")->disabled());
  // Reset Account breaks the member's secure channel (ADUC's own warning).
  ASSERT_EQ(Run(s, absl::StrCat("dsmod computer \"", kWs01Dn, "\" -reset -disabled no")).exit_code,
            0);
  EXPECT_FALSE(world_.Account("WS01")->disabled());
  EXPECT_EQ(world_.Account("WS01")->kvno, 2u);
  EXPECT_FALSE(world_.VerifySecureChannel(*world_.FindMember("WS01")).ok());
  const CommandResult missing =
      Run(s, "dsmod computer \"CN=WS09,CN=Computers,DC=corp,DC=example,DC=com\" -reset");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out,
            "dsmod failed:CN=WS09,CN=Computers,DC=corp,DC=example,DC=com:Directory object not "
            "found.\ntype dsmod /? for help.\n");
  Session ws01 = Admin("WS01");
  EXPECT_EQ(Run(ws01, "dsmod computer x -reset").exit_code, 9009);  // no RSAT
}

}  // namespace
}  // namespace trustsim::sim::tools
