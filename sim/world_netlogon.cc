// Copyright 2026 The trustsim Authors.
//
// The member's Netlogon behaviour: the DC locator, secure-channel setup with
// the CurrVal -> OldVal fallback, the scavenger and the password change. Every
// exchange runs through protocol/netlogon: the member's ClientHandshake and
// credential chain against the DC's NetlogonServer.

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "protocol/netlogon/challenge.h"
#include "protocol/netlogon/handshake.h"
#include "protocol/netlogon/negotiate_flags.h"
#include "protocol/netlogon/rpc_client.h"
#include "protocol/netlogon/trust_password.h"
#include "sim/world.h"

namespace trustsim::sim {

// --- Netlogon calls as bytes -------------------------------------------------
//
// Members reach a DC's Netlogon RPC interface with NDR stubs over the simulated
// network: the same decoding and server code real clients reach through
// `trustsim serve`, without the PDU and schannel layers.

namespace {

absl::Status StatusFromWire(uint32_t status) {
  if (status == 0) return absl::OkStatus();
  const NtStatus code = static_cast<NtStatus>(status);
  return NtStatusError(code, NtStatusName(code));
}

}  // namespace

absl::StatusOr<Bytes> World::NetlogonCall(DomainController& dc, uint16_t opnum, ByteView stub) {
  dcerpc::CallContext call;
  call.opnum = opnum;
  call.stub = stub;
  dcerpc::CallReply reply = dc.netlogon_rpc().Call(call);
  if (reply.fault != 0) {
    return absl::InternalError(absl::StrCat("Netlogon RPC fault 0x", absl::Hex(reply.fault)));
  }
  return std::move(reply.stub);
}

absl::StatusOr<netlogon::ReqChallengeResponse> World::NetlogonReqChallenge(
    DomainController& dc, absl::string_view computer_name,
    const netlogon::NetlogonChallenge& client_challenge) {
  ASSIGN_OR_RETURN(Bytes request,
                   netlogon::EncodeReqChallengeRequest(absl::StrCat("\\\\", dc.name()),
                                                       computer_name, client_challenge));
  ASSIGN_OR_RETURN(Bytes response, NetlogonCall(dc, netlogon::kOpNetrServerReqChallenge, request));
  return netlogon::DecodeReqChallengeResponse(response);
}

netlogon::Authenticate3Reply World::NetlogonAuthenticate3(
    DomainController& dc, absl::string_view account_name, netlogon::SecureChannelType type,
    absl::string_view computer_name, const netlogon::NetlogonCredential& credential,
    uint32_t flags) {
  netlogon::Authenticate3Reply out;
  absl::StatusOr<Bytes> request = netlogon::EncodeAuthenticate3Request(
      absl::StrCat("\\\\", dc.name()), account_name, type, computer_name, credential, flags);
  absl::StatusOr<Bytes> response =
      request.ok() ? NetlogonCall(dc, netlogon::kOpNetrServerAuthenticate3, *request)
                   : request.status();
  absl::StatusOr<netlogon::Authenticate3Response> decoded =
      response.ok() ? netlogon::DecodeAuthenticate3Response(*response) : response.status();
  if (!decoded.ok()) {
    out.status = NtStatusError(NtStatus::kAccessDenied, decoded.status().message());
    return out;
  }
  out.status = StatusFromWire(decoded->status);
  out.server_credential = decoded->server_credential;
  out.negotiate_flags = decoded->negotiate_flags;
  out.account_rid = decoded->account_rid;
  return out;
}

netlogon::AuthenticatedReply World::NetlogonPasswordSet2(
    DomainController& dc, absl::string_view account_name, netlogon::SecureChannelType type,
    absl::string_view computer_name, const netlogon::NetlogonAuthenticator& authenticator,
    const netlogon::NlTrustPassword& encrypted) {
  netlogon::AuthenticatedReply out;
  absl::StatusOr<Bytes> request = netlogon::EncodePasswordSet2Request(
      absl::StrCat("\\\\", dc.name()), account_name, type, computer_name, authenticator, encrypted);
  absl::StatusOr<Bytes> response =
      request.ok() ? NetlogonCall(dc, netlogon::kOpNetrServerPasswordSet2, *request)
                   : request.status();
  absl::StatusOr<netlogon::PasswordSet2Response> decoded =
      response.ok() ? netlogon::DecodePasswordSet2Response(*response) : response.status();
  if (!decoded.ok()) {
    out.status = NtStatusError(NtStatus::kAccessDenied, decoded.status().message());
    return out;
  }
  out.status = StatusFromWire(decoded->status);
  out.return_authenticator = decoded->return_authenticator;
  return out;
}
namespace {

using netlogon::SecureChannelType;

SecureChannelType ChannelTypeFor(const Member& member) {
  return member.os().server ? SecureChannelType::kServer : SecureChannelType::kWorkstation;
}

std::string AccountName(const Member& member) {
  return absl::StrCat(member.state().computer_name, "$");
}

netlogon::NetlogonChallenge RandomChallenge(RandomSource& rng) {
  netlogon::NetlogonChallenge c;
  do {
    rng.Fill(absl::MakeSpan(c));
  } while (!netlogon::CheckClientChallengeIsRandom(c).ok());
  return c;
}

}  // namespace

const char* ChannelStateName(ChannelState state) {
  switch (state) {
    case ChannelState::kNone:
      return "none";
    case ChannelState::kEstablished:
      return "established";
    case ChannelState::kFailed:
      return "failed";
  }
  return "unknown";
}

std::vector<DomainController*> World::LocateDcs(Member& member, absl::string_view dc_name) {
  std::vector<DomainController*> order;
  if (!dc_name.empty()) {
    if (DomainController* dc = FindDc(dc_name)) order.push_back(dc);
  } else {
    // The locator sticks to the DC it used last and fails over in the
    // configured order.
    if (DomainController* preferred = FindDc(member.state().preferred_dc)) {
      order.push_back(preferred);
    }
    for (auto& dc : dcs_) {
      if (std::find(order.begin(), order.end(), dc.get()) == order.end()) order.push_back(dc.get());
    }
  }
  std::vector<DomainController*> reachable;
  for (DomainController* dc : order) {
    if (network_.Reachable(member.host(), dc->name())) reachable.push_back(dc);
  }
  return reachable;
}

Outcome World::SetupSecureChannel(Member& member, absl::string_view dc_name) {
  MemberState& s = member.state();
  SecureChannel& channel = s.channel;
  channel.chain.reset();
  if (!s.joined || !s.lsa.current.has_value()) {
    channel.state = ChannelState::kFailed;
    channel.last_status = NtStatus::kNoTrustLsaSecret;
    return Outcome::Failure(kErrorNoTrustLsaSecret, NtStatus::kNoTrustLsaSecret,
                            absl::StrCat(member.host(), " is not joined: it has no LSA secret"));
  }
  std::vector<DomainController*> dcs = LocateDcs(member, dc_name);
  if (dcs.empty()) {
    channel.state = ChannelState::kFailed;
    channel.last_status = NtStatus::kNoLogonServers;
    Log(member.host(), "netlogon.setup", "no domain controller reachable",
        {{"status", NtStatusName(NtStatus::kNoLogonServers)}});
    MemberEvent(member, kEventNetlogonNoDc, "Error",
                absl::StrCat("This computer was not able to set up a secure session with a "
                             "domain controller in domain ",
                             domain_.netbios_name,
                             " due to the following: \nThere are currently no logon servers "
                             "available to service the logon request."));
    return Outcome::Failure(kErrorNoLogonServers, NtStatus::kNoLogonServers,
                            absl::StrCat(member.host(), " cannot reach any domain controller"));
  }
  DomainController& dc = *dcs.front();
  s.preferred_dc = dc.name();
  channel.dc = dc.name();

  struct Candidate {
    const char* slot;
    const MachinePassword* password;
  };
  std::vector<Candidate> candidates = {{"CurrVal", &*s.lsa.current}};
  if (s.lsa.old.has_value()) candidates.push_back({"OldVal", &*s.lsa.old});

  const uint32_t flags = netlogon::kWindowsClientFlags;
  absl::Status last = absl::OkStatus();
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (i > 0) {
      Log(member.host(), "netlogon.setup", "NlSessionSetup: new password is bad, try old one");
    }
    const netlogon::NetlogonChallenge client_challenge = RandomChallenge(sim_.rng());
    absl::StatusOr<netlogon::ReqChallengeResponse> challenge =
        NetlogonReqChallenge(dc, s.computer_name, client_challenge);
    if (!challenge.ok()) {
      last = challenge.status();
      break;
    }
    netlogon::ClientHandshake handshake(flags, c.password->nt_hash, client_challenge,
                                        challenge->server_challenge);
    netlogon::Authenticate3Reply reply =
        NetlogonAuthenticate3(dc, AccountName(member), ChannelTypeFor(member), s.computer_name,
                              handshake.client_credential(), flags);
    if (reply.status.ok()) {
      absl::StatusOr<netlogon::ClientCredentialChain> chain =
          handshake.Finish(reply.server_credential);
      if (chain.ok()) {
        channel.state = ChannelState::kEstablished;
        channel.last_status = NtStatus::kSuccess;
        channel.authenticated_with = c.slot;
        channel.negotiated_flags = reply.negotiate_flags;
        channel.chain = *std::move(chain);
        Log(member.host(), "netlogon.setup",
            absl::StrCat("secure channel to ", dc.name(), " established with ", c.slot, " (",
                         c.password->Label(), ")"),
            {{"dc", dc.name()}, {"with", c.slot}, {"password", c.password->Label()}});
        return Outcome::Success(
            absl::StrCat(dc.name(), " accepted ", c.slot, " (", c.password->Label(), ")"));
      }
      last = chain.status();
    } else {
      last = reply.status;
    }
    const NtStatus status = GetNtStatus(last);
    Log(member.host(), "netlogon.setup",
        absl::StrCat("NlSessionSetup: Session setup: cannot I_NetServerAuthenticate with ",
                     dc.name(), " using ", c.slot, " (", c.password->Label(),
                     "): ", NtStatusName(status)),
        {{"dc", dc.name()}, {"with", c.slot}, {"status", NtStatusName(status)}});
    if (status == NtStatus::kNoTrustSamAccount) {
      DcEvent(dc, kEventNetlogonServerAuthNoTrustSamAccount, "Error", "NETLOGON",
              absl::StrCat("The session setup from computer '", s.computer_name,
                           "' failed because the security database does not contain a trust "
                           "account '",
                           AccountName(member), "' referenced by the specified computer."));
      break;  // the other password cannot help
    }
    DcEvent(dc, kEventNetlogonServerAuthFailed, "Error", "NETLOGON",
            absl::StrCat("The session setup from the computer ", s.computer_name,
                         " failed to authenticate. The name(s) of the account(s) referenced in "
                         "the security database is ",
                         AccountName(member),
                         ".  The following error occurred: \nAccess is "
                         "denied."));
  }
  const NtStatus status = GetNtStatus(last);
  channel.state = ChannelState::kFailed;
  channel.last_status = status;
  MemberEvent(member, kEventNetlogonAuthDcFail, "Error",
              absl::StrCat("This computer could not authenticate with \\\\", dc.name(), ".",
                           domain_.dns_name, ", a Windows domain controller for domain ",
                           domain_.netbios_name,
                           ", and therefore this computer might deny logon requests. This "
                           "inability to authenticate might be caused by another computer on "
                           "the same network using the same name or the password for this "
                           "computer account is not recognized. If this message appears again, "
                           "contact your system administrator."));
  return Outcome::Failure(Win32FromNtStatus(status), status,
                          absl::StrCat(dc.name(), " refused the secure channel (",
                                       NtStatusName(status), "): ", DescribePasswords(member)));
}

Outcome World::VerifySecureChannel(Member& member) {
  SecureChannel& channel = member.state().channel;
  if (channel.state == ChannelState::kEstablished && channel.chain.has_value()) {
    DomainController* dc = FindDc(channel.dc);
    if (dc != nullptr && network_.Reachable(member.host(), dc->name()) &&
        dc->netlogon()
            .CheckSession(member.state().computer_name, AccountName(member), ChannelTypeFor(member),
                          channel.chain->session_key())
            .ok()) {
      return Outcome::Success(absl::StrCat("secure channel to ", dc->name(), " is alive"));
    }
    Log(member.host(), "netlogon.setup",
        absl::StrCat("secure channel to ", channel.dc,
                     dc != nullptr && network_.Reachable(member.host(), dc->name())
                         ? " is no longer held by the DC (it restarted, the account changed, "
                           "or another machine with this name set one up); setting it up again"
                         : " lost: the DC is unreachable; setting it up again"));
  }
  return SetupSecureChannel(member);
}

void World::SetNetlogonParameters(Member& member, const NetlogonParameters& parameters) {
  member.state().netlogon = parameters;
  if (member.powered_on() && member.state().joined) {
    ScheduleScavenger(member, sim_.now() + parameters.scavenge_interval);
  }
}

void World::ScheduleScavenger(Member& member, SimTime at) {
  if (member.scavenger_event) sim_.Cancel(*member.scavenger_event);
  Member* m = &member;
  member.scavenger_event = sim_.Schedule(at, [this, m] { RunScavenger(*m); });
}

void World::RunScavenger(Member& member) {
  member.scavenger_event.reset();
  MemberState& s = member.state();
  if (!member.powered_on() || !s.joined) return;
  const NetlogonParameters& p = s.netlogon;
  if (p.disable_password_change) {
    // Nothing to do; a change of the policy reschedules the scavenger.
    ScheduleScavenger(member, sim_.now() + p.maximum_password_age);
    return;
  }
  const SimDuration age = LocalTime(member.host()) - s.lsa.updated_local;
  if (age < p.maximum_password_age) {
    // NlWksScavenger: "Can be called again in N days" — it sleeps until the
    // change is due, checking at least every ScavengeInterval.
    ScheduleScavenger(member,
                      sim_.now() + std::max(p.scavenge_interval, p.maximum_password_age - age));
    return;
  }
  const Outcome outcome = ChangeMachinePassword(member);
  if (!member.powered_on()) return;  // crashed; rescheduled at boot
  ScheduleScavenger(member,
                    sim_.now() + (outcome.ok() ? p.maximum_password_age : p.scavenge_interval));
}

void World::InjectCrashDuringPasswordChange(absl::string_view host) {
  crash_next_change_.insert(absl::AsciiStrToUpper(host));
  Log(host, "fault", "armed: crash between the two writes of the next password change");
}

Outcome World::ChangeMachinePassword(Member& member) {
  MemberState& s = member.state();
  Log(member.host(), "password.change", "NlChangePassword: Doing it.");
  if (!s.joined) {
    return Outcome::Failure(kErrorNoTrustLsaSecret, NtStatus::kNoTrustLsaSecret,
                            "not joined to a domain");
  }
  Outcome channel = VerifySecureChannel(member);
  if (!channel.ok()) {
    Log(member.host(), "password.change",
        absl::StrCat("password change abandoned: no secure channel (", channel.reason, ")"));
    return channel;
  }
  DomainController* dc = FindDc(s.channel.dc);

  // The new password gets its version number once a side stores it, so a
  // refused attempt does not use up a number.
  MachinePassword fresh = MachinePassword::Random(sim_.rng(), 0);
  const bool crash = crash_next_change_.erase(absl::AsciiStrToUpper(member.host())) > 0;
  const LsaMachineSecret before = s.lsa;
  auto write_lsa = [&] {
    fresh.version = PasswordVersion(s.computer_name, fresh.nt_hash);
    s.lsa.old = s.lsa.current;
    s.lsa.current = fresh;
    s.lsa.updated_local = LocalTime(member.host());
    Log(member.host(), "lsa",
        absl::StrCat("LSA $MACHINE.ACC: CurrVal ", fresh.Label(), ", OldVal ",
                     s.lsa.old ? s.lsa.old->Label() : "(none)"),
        {{"CurrVal", fresh.Label()},
         {"OldVal", s.lsa.old ? s.lsa.old->Label() : "none"},
         {"nt", ToHex(ByteView(fresh.nt_hash).first(4))}});
  };
  auto crash_now = [&](absl::string_view between) {
    Log(member.host(), "fault", absl::StrCat("crashed ", between, ": ", DescribePasswords(member)));
    Reboot(member, "crash");
  };

  if (order_ == PasswordChangeOrder::kLsaFirst) {
    write_lsa();
    if (crash) {
      crash_now("after writing the LSA, before telling the DC");
      return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied, "crashed");
    }
  }

  absl::StatusOr<netlogon::NlTrustPassword> plain =
      netlogon::BuildTrustPassword(fresh.utf16le, sim_.rng());
  if (!plain.ok()) {
    return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied,
                            std::string(plain.status().message()));
  }
  const netlogon::NlTrustPassword encrypted = netlogon::EncryptTrustPassword(
      s.channel.negotiated_flags, s.channel.chain->session_key(), *plain);
  const netlogon::NetlogonAuthenticator authenticator =
      s.channel.chain->Next(ToUnixSeconds(LocalTime(member.host())));
  netlogon::AuthenticatedReply reply = NetlogonPasswordSet2(
      *dc, AccountName(member), ChannelTypeFor(member), s.computer_name, authenticator, encrypted);
  if (!reply.status.ok()) {
    // MS-NRPC 3.4.5.2.6: the client verifies the ReturnAuthenticator after the
    // call. A server that checked our authenticator before refusing has moved
    // its chain on; a zero one (authenticator refused) leaves ours as it was.
    s.channel.chain->Accept(reply.return_authenticator).IgnoreError();
    const NtStatus status = GetNtStatus(reply.status);
    Log(member.host(), "password.change",
        absl::StrCat("NetrServerPasswordSet2 to ", dc->name(), " failed: ", NtStatusName(status),
                     " (", reply.status.message(), ")"),
        {{"dc", dc->name()}, {"status", NtStatusName(status)}});
    if (order_ == PasswordChangeOrder::kLsaFirst) s.lsa = before;  // the pending value is dropped
    if (status == NtStatus::kAccessDenied) s.channel.state = ChannelState::kNone;
    return Outcome::Failure(
        Win32FromNtStatus(status), status,
        absl::StrCat(dc->name(), " refused the new password: ", reply.status.message()));
  }
  if (absl::Status accepted = s.channel.chain->Accept(reply.return_authenticator); !accepted.ok()) {
    Log(member.host(), "password.change", "return authenticator did not verify");
  }
  fresh.version = PasswordVersion(s.computer_name, fresh.nt_hash);
  Log(member.host(), "password.change",
      absl::StrCat("NlChangePassword: Successful response from DC \\\\", dc->name(), " (",
                   fresh.Label(), ")"));

  if (order_ == PasswordChangeOrder::kDcFirst) {
    if (crash) {
      crash_now("after the DC accepted the new password, before writing the LSA");
      return Outcome::Failure(kErrorAccessDenied, NtStatus::kAccessDenied, "crashed");
    }
    write_lsa();
  }
  ++s.password_changes;
  MemberEvent(member, kEventNetlogonMachinePasswordSet, "Information",
              absl::StrCat("The system successfully changed its password on the domain "
                           "controller \\\\",
                           dc->name(), ".", domain_.dns_name, "."));
  return Outcome::Success(absl::StrCat("new password ", fresh.Label(), " set on ", dc->name()));
}

void World::Reboot(Member& member, absl::string_view why) {
  member.state().channel = SecureChannel{};
  Log(member.host(), "power", absl::StrCat("restarted (", why, ")"));
  SimDuration jitter =
      boot_jitter_ > 0 ? static_cast<SimDuration>(sim_.rng().Uniform(boot_jitter_)) : 0;
  ScheduleScavenger(member, sim_.now() + jitter);
}

}  // namespace trustsim::sim
