// Copyright 2026 The trustsim Authors.
//
// nltest: /sc_query, /sc_verify, /sc_reset, /sc_change_pwd, /dsgetdc.
//
// Output follows the samples in protocol-facts.md §4.5 (Microsoft's gMSA
// article for /sc_verify, the broken-trust article for /sc_query): "Flags",
// "Trusted DC Name", "Trusted DC Connection Status Status = <n> 0x<hex>
// <NAME>", and always "The command completed successfully", even when a
// status line reports a failure. Only a failure of the call itself
// (I_NetLogonControl2) ends differently. The control calls run in the
// caller's context: /sc_reset, /sc_verify and /sc_change_pwd need a domain
// account with admin rights, so from the local Administrator they fail with
// ERROR_ACCESS_DENIED. See docs/commands/nltest.md.

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/tools/commands.h"

namespace trustsim::sim::tools {
namespace {

constexpr char kDone[] = "The command completed successfully\n";

std::string StatusLine(uint32_t win32) {
  return absl::StrFormat("Status = %u 0x%x %s", win32, win32, Win32ErrorName(win32));
}

CommandResult CallFailed(uint32_t win32) {
  return {1, absl::StrCat("I_NetLogonControl failed: ", StatusLine(win32), "\n")};
}

bool IsOurDomain(const World& world, absl::string_view name) {
  return absl::EqualsIgnoreCase(name, world.domain().netbios_name) ||
         absl::EqualsIgnoreCase(name, world.domain().dns_name);
}

std::string DcFqdn(const World& world, absl::string_view dc) {
  return absl::StrCat("\\\\", absl::AsciiStrToLower(dc), ".", world.domain().dns_name);
}

// The secure-channel lines of /sc_query, /sc_reset and /sc_verify.
std::string ChannelReport(World& world, const Member& member, bool verify, uint32_t verification) {
  const SecureChannel& channel = member.state().channel;
  const bool up = channel.state == ChannelState::kEstablished;
  const uint32_t status = up ? 0 : Win32FromNtStatus(channel.last_status);
  std::string flags =
      up ? (verify ? "b0 HAS_IP  HAS_TIMESERV" : "30 HAS_IP  HAS_TIMESERV") : (verify ? "80" : "0");
  std::string out = absl::StrCat("Flags: ", flags, "\n", "Trusted DC Name",
                                 up ? absl::StrCat(" ", DcFqdn(world, channel.dc)) : "", "\n",
                                 "Trusted DC Connection Status ", StatusLine(status), "\n");
  if (verify) absl::StrAppend(&out, "Trust Verification ", StatusLine(verification), "\n");
  return out;
}

CommandResult Nltest(Shell& shell, Session& session, const CommandLine& cmd) {
  World& world = shell.world();
  const SlashArgs args = SlashArgs::Parse(cmd.words, 1);
  Member* member = shell.MemberOf(session);
  if (!args.Unknown({"sc_query", "sc_verify", "sc_reset", "sc_change_pwd", "dsgetdc", "server"})
           .empty() ||
      args.positional().size() > 0 || cmd.words.size() < 2) {
    return {1,
            "Usage: nltest [/OPTIONS]\n"
            "    /SC_QUERY:<DomainName> - Query Secure Channel for <Domain> on <ServerName>\n"
            "    /SC_RESET:<DomainName>[\\<DcName>] - Reset Secure Channel for <Domain>\n"
            "    /SC_VERIFY:<DomainName> - Verify Secure Channel for <Domain>\n"
            "    /SC_CHANGE_PWD:<DomainName> - Change a secure channel password for <Domain>\n"
            "    /DSGETDC:<DomainName> - Call DsGetDcName\n"};
  }
  if (auto domain = args.Get("dsgetdc")) {
    if (!IsOurDomain(world, *domain))
      return {1, "Getting DC name failed: " + StatusLine(1355) + "\n"};
    std::vector<DomainController*> dcs;
    for (DomainController* dc : world.dcs()) {
      if (member == nullptr || world.network().Reachable(session.host, dc->name())) {
        dcs.push_back(dc);
      }
    }
    if (dcs.empty())
      return {1, "Getting DC name failed: " + StatusLine(kErrorNoLogonServers) + "\n"};
    DomainController* dc = dcs.front();
    return {0, absl::StrCat("           DC: ", DcFqdn(world, dc->name()), "\n",
                            "     Dom Name: ", world.domain().dns_name, "\n",
                            "  Forest Name: ", world.domain().dns_name, "\n",
                            " Dc Site Name: Default-First-Site-Name\n",
                            "Our Site Name: Default-First-Site-Name\n",
                            "        Flags: ", dc->pdc() ? "PDC " : "",
                            "GC DS LDAP KDC TIMESERV WRITABLE DNS_DC DNS_DOMAIN DNS_FOREST "
                            "CLOSE_SITE FULL_SECRET WS DS_8\n",
                            kDone)};
  }
  if (member == nullptr) return CallFailed(1355);  // a DC has no secure channel of its own here
  std::string target;
  for (const char* op : {"sc_query", "sc_verify", "sc_reset", "sc_change_pwd"}) {
    if (args.Has(op)) target = *args.Get(op);
  }
  std::string dc_name;
  if (size_t slash = target.find('\\'); slash != std::string::npos) {
    dc_name = target.substr(slash + 1);
    target = target.substr(0, slash);
  }
  if (!IsOurDomain(world, target)) return CallFailed(1355);  // ERROR_NO_SUCH_DOMAIN
  if (!member->state().joined) return CallFailed(kErrorNoTrustLsaSecret);

  const bool needs_domain_admin = !args.Has("sc_query");
  if (needs_domain_admin && !(session.domain_account && shell.IsLocalAdmin(session))) {
    return CallFailed(kErrorAccessDenied);
  }
  if (args.Has("sc_query")) {
    if (member->state().channel.state == ChannelState::kNone) world.VerifySecureChannel(*member);
    return {0, absl::StrCat(ChannelReport(world, *member, false, 0), kDone)};
  }
  if (args.Has("sc_reset")) {
    if (!dc_name.empty() && world.FindDc(dc_name) == nullptr) return CallFailed(1355);
    member->state().channel = SecureChannel{};
    world.SetupSecureChannel(*member, dc_name);
    return {0, absl::StrCat(ChannelReport(world, *member, false, 0), kDone)};
  }
  if (args.Has("sc_verify")) {
    const Outcome channel = world.VerifySecureChannel(*member);
    // Trust verification compares the DC's password with the member's
    // (Samba's TC_VERIFY; protocol-facts.md §4.5): only meaningful on a
    // working channel; otherwise it reports the channel's failure.
    uint32_t verification = channel.ok() ? 0 : channel.win32;
    if (channel.ok()) {
      const ComputerAccount* account =
          world.Account(member->state().computer_name, member->state().channel.dc);
      const auto& lsa = member->state().lsa;
      if (account == nullptr || !lsa.current || !(account->current == *lsa.current)) {
        verification = kErrorWrongPassword;
      }
    }
    return {0, absl::StrCat(ChannelReport(world, *member, true, verification), kDone)};
  }
  // sc_change_pwd
  const Outcome change = world.ChangeMachinePassword(*member);
  if (!change.ok()) return CallFailed(change.win32);
  return {0, kDone};
}

}  // namespace

void RegisterNltest(Shell& shell) { shell.Register("nltest", Nltest); }

}  // namespace trustsim::sim::tools
