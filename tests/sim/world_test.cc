// Copyright 2026 The trustsim Authors.

#include "sim/world.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trustsim::sim {
namespace {

using ::testing::HasSubstr;

constexpr char kHost[] = "WS01";

// A small domain: one or two DCs (DC01 is the PDC), one workstation WS01, a
// user and a domain admin.
std::unique_ptr<World> MakeWorld(int dc_count = 1, DcProfile profile = DcProfile::kWindows,
                                 uint64_t seed = 1) {
  auto world = std::make_unique<World>(seed, kDefaultEpoch, DomainConfig{});
  world->AddDc("DC01", /*pdc=*/true, profile);
  if (dc_count > 1) world->AddDc("DC02", /*pdc=*/false, profile);
  world->AddMember(kHost, OsVersion{});
  world->AddUser({.name = "alice", .password = "Passw0rd!"});
  world->AddUser({.name = "dsmith", .password = "Adm1n-Passw0rd!", .admin = true});
  return world;
}

void RunFor(World& world, SimDuration d) { world.sim().RunUntil(world.sim().now() + d); }

MemberState& StateOf(World& world) { return world.FindMember(kHost)->state(); }

int CurrVal(World& world) {
  const MemberState& s = StateOf(world);
  return s.lsa.current ? s.lsa.current->version : -1;
}

int OldVal(World& world) {
  const MemberState& s = StateOf(world);
  return s.lsa.old ? s.lsa.old->version : -1;
}

// The version of the account's current password on `dc` (default the PDC),
// or -1 without a live account.
int DcCurrent(World& world, absl::string_view dc = "") {
  const ComputerAccount* account = world.Account(kHost, dc);
  return account == nullptr ? -1 : account->current.version;
}

// Times of the trace records of `kind` from `host`.
std::vector<SimTime> TimesOf(World& world, absl::string_view host, absl::string_view kind) {
  std::vector<SimTime> out;
  for (const TraceRecord& r : world.sim().trace().records()) {
    if (r.host == host && r.kind == kind) out.push_back(r.time);
  }
  return out;
}

// --- A healthy year ------------------------------------------------------------

TEST(WorldTest, HealthyYearRotatesEvery30Days) {
  auto world = MakeWorld();
  const SimTime joined = world->sim().now();
  const Outcome join = world->Join(kHost);
  ASSERT_TRUE(join.ok()) << join.reason;
  EXPECT_EQ(CurrVal(*world), 0);
  EXPECT_EQ(world->Account(kHost)->kvno, 1u);

  RunFor(*world, 365 * kDay);

  const MemberState& s = StateOf(*world);
  EXPECT_EQ(s.password_changes, 12);
  const ComputerAccount* account = world->Account(kHost);
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(CurrVal(*world), account->current.version);
  EXPECT_EQ(CurrVal(*world), 12);
  EXPECT_EQ(OldVal(*world), 11);
  ASSERT_TRUE(account->previous.has_value());
  EXPECT_EQ(account->previous->version, 11);
  EXPECT_EQ(account->kvno, 13u);  // 1 at join + 12 changes
  EXPECT_EQ(s.events.Count(kEventNetlogonMachinePasswordSet), 12u);

  // The changes come every MaximumPasswordAge (30 days) after the join.
  const std::vector<SimTime> lsa_writes = TimesOf(*world, kHost, "lsa");
  ASSERT_EQ(lsa_writes.size(), 12u);
  for (size_t i = 0; i < lsa_writes.size(); ++i) {
    EXPECT_EQ(lsa_writes[i], joined + static_cast<SimTime>(i + 1) * 30 * kDay) << i;
  }

  const Outcome logon = world->Logon(kHost, "alice");
  EXPECT_TRUE(logon.ok()) << logon.message << " / " << logon.reason;
  EXPECT_EQ(s.channel.state, ChannelState::kEstablished);
  EXPECT_EQ(s.channel.authenticated_with, "CurrVal");
}

TEST(WorldTest, LogonAcceptsDomainQualifiedNamesAndRejectsUnknownUsers) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  EXPECT_TRUE(world->Logon(kHost, "CORP\\alice").ok());
  EXPECT_TRUE(world->Logon(kHost, "alice@corp.example.com").ok());
  EXPECT_EQ(world->Logon(kHost, "mallory").win32, kErrorLogonFailure);
}

TEST(WorldTest, DisabledUserCannotLogOn) {
  auto world = MakeWorld();
  world->AddUser({.name = "bob", .password = "Passw0rd!", .enabled = false});
  ASSERT_TRUE(world->Join(kHost).ok());
  const Outcome logon = world->Logon(kHost, "bob");
  EXPECT_FALSE(logon.ok());
  // Windows refuses a disabled account that gives the right password with
  // STATUS_ACCOUNT_DISABLED (win32 1331), not "user name or password is
  // incorrect".
  EXPECT_EQ(logon.win32, kErrorAccountDisabled) << logon.reason;
}

// --- Secure channel --------------------------------------------------------------

TEST(WorldTest, SecureChannelFallsBackToOldVal) {
  // WS01 rotates on DC01; before the change replicates (15 s) it loses DC01
  // and fails over to DC02, which still holds the old password only.
  auto world = MakeWorld(/*dc_count=*/2);
  const SimTime joined = world->sim().now();
  ASSERT_TRUE(world->Join(kHost).ok());
  RunFor(*world, kHour);
  ASSERT_EQ(DcCurrent(*world, "DC02"), 0);

  world->sim().RunUntil(joined + 30 * kDay + kSecond);
  ASSERT_EQ(StateOf(*world).password_changes, 1);
  ASSERT_EQ(CurrVal(*world), 1);
  ASSERT_EQ(OldVal(*world), 0);
  ASSERT_EQ(DcCurrent(*world, "DC01"), 1);
  ASSERT_EQ(DcCurrent(*world, "DC02"), 0);  // not replicated yet

  world->network().Partition(kHost, "DC01");
  Member& member = *world->FindMember(kHost);
  const Outcome setup = world->SetupSecureChannel(member);
  EXPECT_TRUE(setup.ok()) << setup.reason;
  EXPECT_EQ(member.state().channel.state, ChannelState::kEstablished);
  EXPECT_EQ(member.state().channel.dc, "DC02");
  EXPECT_EQ(member.state().channel.authenticated_with, "OldVal");
  // DC02 refused CurrVal first.
  EXPECT_TRUE(world->FindDc("DC02")->events().Contains(kEventNetlogonServerAuthFailed));
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
}

TEST(WorldTest, SecureChannelFailsWhenNeitherPasswordIsKnown) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  Member& member = *world->FindMember(kHost);
  // Two changes the member never hears of.
  ComputerAccount* account = world->Account(kHost);
  account->previous = MachinePassword::Random(world->sim().rng(), 98);
  account->current = MachinePassword::Random(world->sim().rng(), 99);
  const Outcome setup = world->SetupSecureChannel(member);
  EXPECT_FALSE(setup.ok());
  EXPECT_EQ(member.state().channel.state, ChannelState::kFailed);
  EXPECT_TRUE(member.state().events.Contains(kEventNetlogonAuthDcFail));
}

// --- DC profiles and snapshots -----------------------------------------------------

class ProfileTest : public ::testing::TestWithParam<DcProfile> {};

TEST_P(ProfileTest, RevertPastOneRotation) {
  auto world = MakeWorld(1, GetParam());
  const SimTime joined = world->sim().now();
  ASSERT_TRUE(world->Join(kHost).ok());
  RunFor(*world, kDay);
  ASSERT_TRUE(world->Snapshot(kHost, "before").ok());
  world->sim().RunUntil(joined + 30 * kDay + kHour);
  ASSERT_EQ(StateOf(*world).password_changes, 1);
  ASSERT_EQ(DcCurrent(*world), 1);

  ASSERT_TRUE(world->Revert(kHost, "before").ok());
  ASSERT_EQ(CurrVal(*world), 0);  // the DC holds v1, previous v0
  const Outcome logon = world->Logon(kHost, "alice");
  if (GetParam() == DcProfile::kWindows) {
    EXPECT_TRUE(logon.ok()) << logon.reason;
  } else {
    EXPECT_EQ(logon.win32, kErrorTrustedRelationshipFailure) << logon.reason;
    EXPECT_EQ(logon.message, Win32ErrorMessage(kErrorTrustedRelationshipFailure));
  }
}

TEST_P(ProfileTest, RevertPastTwoRotationsFails) {
  auto world = MakeWorld(1, GetParam());
  const SimTime joined = world->sim().now();
  ASSERT_TRUE(world->Join(kHost).ok());
  RunFor(*world, kDay);
  ASSERT_TRUE(world->Snapshot(kHost, "before").ok());
  world->sim().RunUntil(joined + 60 * kDay + kHour);
  ASSERT_EQ(StateOf(*world).password_changes, 2);
  ASSERT_EQ(DcCurrent(*world), 2);

  ASSERT_TRUE(world->Revert(kHost, "before").ok());
  ASSERT_EQ(CurrVal(*world), 0);  // the DC holds v2, previous v1
  const Outcome logon = world->Logon(kHost, "alice");
  EXPECT_EQ(logon.win32, kErrorTrustedRelationshipFailure) << logon.reason;
  EXPECT_EQ(logon.ntstatus, NtStatus::kTrustedRelationshipFailure);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ProfileTest,
                         ::testing::Values(DcProfile::kWindows, DcProfile::kSambaAd),
                         [](const ::testing::TestParamInfo<DcProfile>& info) {
                           return info.param == DcProfile::kWindows ? "Windows" : "SambaAd";
                         });

// --- SPN uniqueness ------------------------------------------------------------------

TEST(WorldTest, DuplicateSpnLeavesTheJoinedAccountDisabled) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->AddSpn("svc-web", "HOST/ws01.corp.example.com").ok());

  const Outcome join = world->Join(kHost);
  EXPECT_TRUE(join.ok()) << join.reason;
  EXPECT_THAT(join.reason, HasSubstr("svc-web"));
  const ComputerAccount* account = world->Account(kHost);
  ASSERT_NE(account, nullptr);
  EXPECT_TRUE(account->disabled());
  EXPECT_TRUE(world->Pdc()->events().Contains(kEventDuplicateSpn));

  const Outcome logon = world->Logon(kHost, "alice");
  EXPECT_EQ(logon.win32, kErrorNoTrustSamAccount) << logon.reason;
  EXPECT_EQ(logon.message, Win32ErrorMessage(kErrorNoTrustSamAccount));
}

TEST(WorldTest, AddSpnAlreadyHeldFails) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  ASSERT_FALSE(world->Account(kHost)->disabled());

  const Outcome dup = world->AddSpn("svc-web", "HOST/ws01.corp.example.com");
  EXPECT_EQ(dup.win32, kErrorDsSpnValueNotUniqueInForest);
  EXPECT_FALSE(dup.ok());
  EXPECT_THAT(dup.reason, HasSubstr("WS01$"));
  // Uniqueness ignores case.
  EXPECT_EQ(world->AddSpn("svc-web", "host/WS01.CORP.EXAMPLE.COM").win32,
            kErrorDsSpnValueNotUniqueInForest);
  EXPECT_TRUE(world->Pdc()->events().Contains(kEventDuplicateSpn));

  EXPECT_TRUE(world->AddSpn("svc-web", "HTTP/web.corp.example.com").ok());
  EXPECT_EQ(world->AddSpn("svc-other", "HTTP/web.corp.example.com").win32,
            kErrorDsSpnValueNotUniqueInForest);
}

TEST(WorldTest, ServiceAccountKeepsAllItsSpns) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->AddSpn("svc-web", "HTTP/a.corp.example.com").ok());
  ASSERT_TRUE(world->AddSpn("svc-web", "HTTP/b.corp.example.com").ok());
  // A service account keeps every SPN added to it, so a duplicate of the
  // first is still refused with 8647.
  EXPECT_EQ(world->AddSpn("svc-other", "HTTP/a.corp.example.com").win32,
            kErrorDsSpnValueNotUniqueInForest);
  EXPECT_EQ(world->AddSpn("svc-other", "HTTP/b.corp.example.com").win32,
            kErrorDsSpnValueNotUniqueInForest);
}

// --- Replication ---------------------------------------------------------------------

TEST(WorldTest, PasswordChangeReplicatesAfterTheLatency) {
  auto world = MakeWorld(/*dc_count=*/2);
  ASSERT_TRUE(world->Join(kHost).ok());
  EXPECT_EQ(DcCurrent(*world, "DC02"), -1);  // the new account is not there yet
  RunFor(*world, kHour);
  ASSERT_EQ(DcCurrent(*world, "DC02"), 0);

  Member& member = *world->FindMember(kHost);
  const Outcome change = world->ChangeMachinePassword(member);
  ASSERT_TRUE(change.ok()) << change.reason;
  const SimTime changed = world->sim().now();
  EXPECT_EQ(DcCurrent(*world, "DC01"), 1);
  EXPECT_EQ(DcCurrent(*world, "DC02"), 0);

  // Replication latency plus the link's own (1 ms by default).
  const SimDuration latency =
      world->domain().replication_latency + world->network().Latency("DC01", "DC02");
  ASSERT_EQ(latency, 15 * kSecond + kMillisecond);
  world->sim().RunUntil(changed + latency - 1);
  EXPECT_EQ(DcCurrent(*world, "DC02"), 0);
  world->sim().RunUntil(changed + latency);
  EXPECT_EQ(DcCurrent(*world, "DC02"), 1);
  EXPECT_EQ(world->Account(kHost, "DC02")->kvno, world->Account(kHost, "DC01")->kvno);

  // Partitioned DCs do not replicate; the change arrives after Heal.
  world->network().Partition("DC01", "DC02");
  ASSERT_TRUE(world->ChangeMachinePassword(member).ok());
  EXPECT_EQ(DcCurrent(*world, "DC01"), 2);
  RunFor(*world, kHour);
  EXPECT_EQ(DcCurrent(*world, "DC02"), 1);
  world->network().Heal("DC02", "DC01");
  RunFor(*world, latency);
  EXPECT_EQ(DcCurrent(*world, "DC02"), 2);
  ASSERT_TRUE(world->Account(kHost, "DC02")->previous.has_value());
  EXPECT_EQ(world->Account(kHost, "DC02")->previous->version, 1);
}

// --- Account administration ------------------------------------------------------------

TEST(WorldTest, DisabledAccountGives1787) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  ASSERT_TRUE(world->SetAccountEnabled(kHost, false).ok());
  const Outcome logon = world->Logon(kHost, "alice");
  EXPECT_EQ(logon.win32, kErrorNoTrustSamAccount) << logon.reason;
  EXPECT_TRUE(world->Pdc()->events().Contains(kEventNetlogonServerAuthNoTrustSamAccount));

  ASSERT_TRUE(world->SetAccountEnabled(kHost, true).ok());
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
}

TEST(WorldTest, DeletedAccountGives1787) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  ASSERT_TRUE(world->DeleteAccount(kHost).ok());
  EXPECT_EQ(world->Account(kHost), nullptr);
  const Outcome logon = world->Logon(kHost, "alice");
  EXPECT_EQ(logon.win32, kErrorNoTrustSamAccount) << logon.reason;
  EXPECT_EQ(world->DeleteAccount(kHost).win32, kErrorNoTrustSamAccount);
}

TEST(WorldTest, ResetAccountBreaksTrustAndAdminRepairFixesIt) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  ASSERT_TRUE(world->ResetAccount(kHost).ok());
  Outcome logon = world->Logon(kHost, "alice");
  EXPECT_EQ(logon.win32, kErrorTrustedRelationshipFailure) << logon.reason;

  // A user without admin rights cannot reset the machine password.
  const Outcome denied = world->Repair({RepairKind::kResetMachinePassword, kHost, "", "alice"});
  EXPECT_FALSE(denied.ok());
  EXPECT_EQ(denied.win32, kErrorAccessDenied);
  EXPECT_EQ(world->Logon(kHost, "alice").win32, kErrorTrustedRelationshipFailure);

  // nltest /sc_reset cannot fix a password mismatch.
  EXPECT_FALSE(world->Repair({RepairKind::kResetSecureChannel, kHost, "", ""}).ok());

  const Outcome repaired = world->Repair({RepairKind::kResetMachinePassword, kHost, "", "dsmith"});
  EXPECT_TRUE(repaired.ok()) << repaired.reason;
  EXPECT_EQ(CurrVal(*world), DcCurrent(*world));
  logon = world->Logon(kHost, "alice");
  EXPECT_TRUE(logon.ok()) << logon.reason;
}

// --- Time ------------------------------------------------------------------------------

TEST(WorldTest, ClockSkewGives1398UntilResync) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  world->SetClockOffset(kHost, 10 * kMinute);
  EXPECT_EQ(world->LocalTime(kHost), world->sim().now() + 10 * kMinute);
  Outcome logon = world->Logon(kHost, "alice");
  EXPECT_EQ(logon.win32, kErrorTimeSkew) << logon.reason;
  // The KDC audits the refused pre-authentication with failure code 0x25.
  EXPECT_TRUE(world->Pdc()->events().Contains(kEventKerberosPreauthFailed));
  EXPECT_EQ(logon.ntstatus, NtStatus::kTimeDifferenceAtDc);

  EXPECT_TRUE(world->Resync(kHost).ok());
  EXPECT_EQ(world->LocalTime(kHost), world->LocalTime("DC01"));
  logon = world->Logon(kHost, "alice");
  EXPECT_TRUE(logon.ok()) << logon.reason;
}

TEST(WorldTest, SkewWithinToleranceAndBehindTheDc) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  world->SetClockOffset(kHost, 4 * kMinute);
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
  world->SetClockOffset(kHost, -6 * kMinute);
  EXPECT_EQ(world->Logon(kHost, "alice").win32, kErrorTimeSkew);
  EXPECT_TRUE(world->Repair({RepairKind::kResyncTime, kHost, "", ""}).ok());
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
}

TEST(WorldTest, DriftAccumulatesIntoSkew) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  world->SetClockDrift(kHost, 50);  // 4.32 s a day: 5 min after ~69.4 days
  RunFor(*world, 60 * kDay);
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
  RunFor(*world, 10 * kDay);
  EXPECT_EQ(world->Logon(kHost, "alice").win32, kErrorTimeSkew);
}

// --- No DC reachable ---------------------------------------------------------------------

TEST(WorldTest, NoDcReachableUsesCachedLogons) {
  auto world = MakeWorld(/*dc_count=*/2);
  ASSERT_TRUE(world->Join(kHost).ok());
  RunFor(*world, kHour);
  ASSERT_TRUE(world->Logon(kHost, "alice").ok());

  world->network().Partition(kHost, "DC01");
  world->network().Partition(kHost, "DC02");
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
  const Outcome never = world->Logon(kHost, "dsmith");
  EXPECT_EQ(never.win32, kErrorNoLogonServers) << never.reason;
  EXPECT_EQ(never.message, Win32ErrorMessage(kErrorNoLogonServers));

  world->network().HealAll();
  EXPECT_TRUE(world->Logon(kHost, "dsmith").ok());
}

TEST(WorldTest, NoDcReachableLogsEvent5719) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  world->network().SetUp("DC01", false);
  const Outcome setup = world->SetupSecureChannel(*world->FindMember(kHost));
  EXPECT_EQ(setup.win32, kErrorNoLogonServers);
  EXPECT_TRUE(StateOf(*world).events.Contains(kEventNetlogonNoDc));
}

// --- Netlogon parameters and DC policy -------------------------------------------------

TEST(WorldTest, DisablePasswordChangeStopsRotation) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  StateOf(*world).netlogon.disable_password_change = true;
  RunFor(*world, 365 * kDay);
  EXPECT_EQ(StateOf(*world).password_changes, 0);
  EXPECT_EQ(CurrVal(*world), 0);
  EXPECT_EQ(DcCurrent(*world), 0);
  EXPECT_EQ(world->Account(kHost)->kvno, 1u);
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
}

TEST(WorldTest, MaximumPasswordAgeSetsTheInterval) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  StateOf(*world).netlogon.maximum_password_age = 7 * kDay;
  RunFor(*world, 70 * kDay + kHour);
  EXPECT_EQ(StateOf(*world).password_changes, 10);
}

TEST(WorldTest, RefusePasswordChangeKeepsThePassword) {
  auto world = MakeWorld();
  const SimTime joined = world->sim().now();
  ASSERT_TRUE(world->Join(kHost).ok());
  world->Pdc()->set_refuse_password_change(true);
  world->sim().RunUntil(joined + 31 * kDay);

  const MemberState& s = StateOf(*world);
  EXPECT_EQ(s.password_changes, 0);
  EXPECT_EQ(CurrVal(*world), 0);
  EXPECT_EQ(OldVal(*world), -1);
  EXPECT_EQ(DcCurrent(*world), 0);
  EXPECT_EQ(world->Account(kHost)->kvno, 1u);
  // The scavenger kept trying.
  size_t attempts = 0;
  for (const TraceRecord& r : world->sim().trace().records()) {
    attempts += r.kind == "password.change" && r.text == "NlChangePassword: Doing it.";
  }
  EXPECT_GT(attempts, 10u);
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());

  // Once the DC allows changes again, the next attempt succeeds.
  world->Pdc()->set_refuse_password_change(false);
  RunFor(*world, kHour);
  EXPECT_EQ(s.password_changes, 1);
  EXPECT_EQ(CurrVal(*world), 1);
  EXPECT_EQ(DcCurrent(*world), 1);
}

TEST(WorldTest, RefusedPasswordChangeKeepsTheCredentialChainInStep) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  world->Pdc()->set_refuse_password_change(true);
  Member& member = *world->FindMember(kHost);
  const Outcome first = world->ChangeMachinePassword(member);
  EXPECT_EQ(first.win32, kErrorAccountRestriction) << first.reason;
  EXPECT_EQ(member.state().channel.state, ChannelState::kEstablished);
  // The DC stepped its credential chain before refusing and returned a valid
  // return authenticator; the member verifies it (MS-NRPC 3.4.5.2.6) and
  // stays in step, so the next call on the same channel gets the real answer
  // rather than an authenticator failure.
  const Outcome second = world->ChangeMachinePassword(member);
  EXPECT_EQ(second.win32, kErrorAccountRestriction) << second.reason;
  EXPECT_EQ(member.state().channel.state, ChannelState::kEstablished);
  EXPECT_EQ(CurrVal(*world), 0);
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
  world->Pdc()->set_refuse_password_change(false);
  EXPECT_TRUE(world->ChangeMachinePassword(member).ok());
  EXPECT_EQ(CurrVal(*world), 1);
}

// --- Crash during a password change ---------------------------------------------------

TEST(WorldTest, CrashAfterDcWriteIsSurvivableWithWindowsDc) {
  auto world = MakeWorld();
  const SimTime joined = world->sim().now();
  ASSERT_EQ(world->password_change_order(), PasswordChangeOrder::kDcFirst);
  ASSERT_TRUE(world->Join(kHost).ok());
  world->InjectCrashDuringPasswordChange(kHost);
  world->sim().RunUntil(joined + 30 * kDay + kSecond);

  // The DC took v1; the member crashed before writing it.
  EXPECT_EQ(DcCurrent(*world), 1);
  ASSERT_EQ(CurrVal(*world), 0);
  EXPECT_EQ(StateOf(*world).password_changes, 0);
  Outcome logon = world->Logon(kHost, "alice");
  EXPECT_TRUE(logon.ok()) << logon.reason;
  EXPECT_EQ(StateOf(*world).channel.authenticated_with, "CurrVal");  // the DC's previous

  // After the reboot the scavenger changes the password again.
  world->sim().RunUntil(joined + 31 * kDay);
  EXPECT_EQ(StateOf(*world).password_changes, 1);
  EXPECT_EQ(CurrVal(*world), DcCurrent(*world));
  logon = world->Logon(kHost, "alice");
  EXPECT_TRUE(logon.ok()) << logon.reason;
}

TEST(WorldTest, CrashAfterDcWriteBreaksTrustWithSambaDc) {
  auto world = MakeWorld(1, DcProfile::kSambaAd);
  const SimTime joined = world->sim().now();
  ASSERT_TRUE(world->Join(kHost).ok());
  world->InjectCrashDuringPasswordChange(kHost);
  world->sim().RunUntil(joined + 30 * kDay + kSecond);
  ASSERT_EQ(DcCurrent(*world), 1);
  ASSERT_EQ(CurrVal(*world), 0);
  EXPECT_EQ(world->Logon(kHost, "alice").win32, kErrorTrustedRelationshipFailure);
}

TEST(WorldTest, CrashAfterLsaWriteAuthenticatesWithOldVal) {
  auto world = MakeWorld();
  world->set_password_change_order(PasswordChangeOrder::kLsaFirst);
  const SimTime joined = world->sim().now();
  ASSERT_TRUE(world->Join(kHost).ok());
  world->InjectCrashDuringPasswordChange(kHost);
  world->sim().RunUntil(joined + 30 * kDay + kHour);

  // The member wrote v1 into the LSA and crashed before telling the DC.
  EXPECT_EQ(CurrVal(*world), 1);
  EXPECT_EQ(OldVal(*world), 0);
  EXPECT_EQ(DcCurrent(*world), 0);
  const Outcome logon = world->Logon(kHost, "alice");
  EXPECT_TRUE(logon.ok()) << logon.reason;
  EXPECT_EQ(StateOf(*world).channel.authenticated_with, "OldVal");

  // The next change, 30 days on, goes through on the OldVal channel.
  world->sim().RunUntil(joined + 61 * kDay);
  EXPECT_EQ(StateOf(*world).password_changes, 1);
  EXPECT_EQ(CurrVal(*world), DcCurrent(*world));
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
}

// --- Determinism -------------------------------------------------------------------------

// A year with two DCs, a snapshot revert, a crash, clock drift and a
// partition: enough that the boot jitter shows in the trace.
std::string RunYear(uint64_t seed, size_t* records = nullptr) {
  auto world = MakeWorld(/*dc_count=*/2, DcProfile::kWindows, seed);
  World& w = *world;
  w.Join(kHost);
  RunFor(w, kHour);
  w.Logon(kHost, "alice");
  w.Snapshot(kHost, "clean");
  w.SetClockDrift(kHost, 20);
  RunFor(w, 45 * kDay);
  w.InjectCrashDuringPasswordChange(kHost);
  w.network().Partition(kHost, "DC01");
  RunFor(w, 30 * kDay);
  w.network().HealAll();
  w.Revert(kHost, "clean");
  RunFor(w, 100 * kDay);
  w.Logon(kHost, "alice");
  w.Resync(kHost);
  w.sim().RunUntil(kDefaultEpoch + 365 * kDay);
  w.Logon(kHost, "alice");
  if (records != nullptr) *records = w.sim().trace().size();
  return w.sim().trace().HashHex();
}

TEST(WorldTest, SameSeedSameTrace) {
  size_t a_records = 0, b_records = 0;
  const std::string a = RunYear(7, &a_records);
  const std::string b = RunYear(7, &b_records);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a_records, b_records);
  EXPECT_GT(a_records, 50u);
}

TEST(WorldTest, DifferentSeedsDifferentTraces) { EXPECT_NE(RunYear(7), RunYear(8)); }

// --- Account identity and Kerberos keys -----------------------------------------------

TEST(WorldTest, AccountHasSidAndLazilyDerivedKerberosKeys) {
  auto world = MakeWorld();
  ASSERT_TRUE(world->Join(kHost).ok());
  const ComputerAccount* account = world->Account(kHost);
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->sid, absl::StrCat(world->domain().domain_sid, "-", account->rid));
  auto key = account->CurrentKey(crypto::EncType::kAes256CtsHmacSha196, world->domain().Realm());
  ASSERT_TRUE(key.ok()) << key.status();
  // The same derivation the member would do from its LSA secret.
  auto member_key = StateOf(*world).lsa.current->KerberosKey(
      crypto::EncType::kAes256CtsHmacSha196,
      crypto::AdComputerSalt(world->domain().Realm(), "WS01$"));
  ASSERT_TRUE(member_key.ok());
  EXPECT_EQ(key->bytes, member_key->bytes);
  auto rc4 = account->CurrentKey(crypto::EncType::kRc4Hmac, world->domain().Realm());
  ASSERT_TRUE(rc4.ok());
  EXPECT_EQ(ToHex(rc4->bytes), ToHex(account->current.nt_hash));
}

// --- Network latency and W32Time ----------------------------------------------------

TEST(WorldTest, ReplicationWaitsForLinkLatencyToo) {
  auto world = MakeWorld(/*dc_count=*/2);
  const SimTime start = world->sim().now();
  world->network().SetLatency("DC01", "DC02", 10 * kMinute);
  ASSERT_TRUE(world->Join(kHost, "DC01").ok());
  world->sim().RunUntil(start + world->domain().replication_latency + 5 * kMinute);
  EXPECT_EQ(world->Account(kHost, "DC02"), nullptr);
  world->sim().RunUntil(start + world->domain().replication_latency + 10 * kMinute);
  EXPECT_NE(world->Account(kHost, "DC02"), nullptr);
}

TEST(WorldTest, PeriodicTimeSyncKeepsADriftingClockInTolerance) {
  auto world = MakeWorld();
  const SimTime start = world->sim().now();
  ASSERT_TRUE(world->Join(kHost).ok());
  // 5000 ppm gains 7.2 minutes a day: past the 5-minute limit within a day.
  world->SetClockDrift(kHost, 5000);
  world->SetTimeSyncInterval(kHost, kHour);
  world->sim().RunUntil(start + 3 * kDay);
  EXPECT_LT(std::abs(world->FindMember(kHost)->state().clock.Offset(world->sim().now())), kMinute);
  EXPECT_TRUE(world->Logon(kHost, "alice").ok());
}

}  // namespace
}  // namespace trustsim::sim
