// Copyright 2026 The trustsim Authors.

#include "cli/served_domain.h"

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/member_keytab.h"
#include "protocol/kerberos/client.h"
#include "protocol/kerberos/kdc.h"
#include "protocol/mutation.h"

namespace trustsim::cli {
namespace {

// "WS-01" -> "WS_01", for environment variable names.
std::string EnvName(absl::string_view name) {
  std::string out = absl::AsciiStrToUpper(name);
  for (char& c : out) {
    if (!absl::ascii_isalnum(c)) c = '_';
  }
  return out;
}

std::string HostPort(const std::string& address, uint16_t port) {
  if (absl::StrContains(address, ':')) return absl::StrCat("[", address, "]:", port);
  return absl::StrCat(address, ":", port);
}

// Names a request and its reply for live output.
void Describe(ByteView request, ByteView reply, ServedRequest& out) {
  absl::StatusOr<kerberos::KdcReq> req = kerberos::ParseKdcReq(request);
  if (!req.ok()) {
    out.request = std::string("malformed request");
  } else if (req->msg_type == kerberos::kMsgTypeAsReq) {
    const bool preauth = req->padata && std::any_of(req->padata->begin(), req->padata->end(),
                                                    [](const kerberos::PaData& pa) {
                                                      return pa.type == kerberos::kPaEncTimestamp;
                                                    });
    out.request = absl::StrCat(
        "AS-REQ ",
        req->req_body.cname ? kerberos::FormatPrincipal(*req->req_body.cname, req->req_body.realm)
                            : "(no client)",
        preauth ? " with PA-ENC-TIMESTAMP" : "");
  } else {
    out.request = absl::StrCat(
        "TGS-REQ ", req->req_body.sname
                        ? kerberos::FormatPrincipal(*req->req_body.sname, req->req_body.realm)
                        : "(no service)");
  }
  absl::StatusOr<kerberos::KdcReply> rep = kerberos::ParseKdcReply(reply);
  if (!rep.ok()) {
    out.reply = std::string(1, '?');
  } else if (rep->error) {
    out.reply = absl::StrCat(kerberos::KrbErrorName(rep->error->error_code), " (",
                             rep->error->error_code, ")");
  } else {
    out.reply = std::string(rep->rep->msg_type == kerberos::kMsgTypeAsRep ? "AS-REP" : "TGS-REP");
  }
}

}  // namespace

class ServedDomain::Handler final : public net::KdcRequestHandler {
 public:
  Handler(ServedDomain& owner, sim::DomainController& dc) : owner_(owner), dc_(dc) {}

  Bytes HandleKdcRequest(ByteView request, net::KdcTransport transport) override {
    return owner_.Handle(dc_, request, transport);
  }
  Bytes KdcErrorReply(int32_t error_code) override {
    const int64_t now =
        owner_.WallMicros() + (owner_.world_.LocalTime(dc_.name()) - owner_.world_.sim().now());
    return owner_.world_.KdcOf(dc_).ErrorReply(error_code, now);
  }

 private:
  ServedDomain& owner_;
  sim::DomainController& dc_;
};

ServedDomain::ServedDomain(sim::World& world, ServeOptions options)
    : world_(world), options_(std::move(options)), realm_(world.domain().Realm()) {}

ServedDomain::~ServedDomain() {
  Stop();
  for (sim::DomainController* dc : world_.dcs()) world_.KdcDatabaseOf(*dc).clock_shift = nullptr;
}

absl::StatusOr<std::unique_ptr<ServedDomain>> ServedDomain::Start(boost::asio::io_context& io,
                                                                  sim::World& world,
                                                                  ServeOptions options) {
  std::unique_ptr<ServedDomain> served(new ServedDomain(world, std::move(options)));
  if (served->options_.mutate_seed) {
    served->mutate_rng_ = std::make_unique<SeededRandom>(*served->options_.mutate_seed);
  }
  served->wall_anchor_ = served->WallMicros();
  served->sim_anchor_ = world.sim().now();
  bool first = true;
  for (sim::DomainController* dc : world.dcs()) {
    // A client authenticating as a member's account stands in for it.
    world.KdcDatabaseOf(*dc).clock_shift = [&world](absl::string_view account) -> int64_t {
      absl::string_view name = account;
      if (absl::EndsWith(name, "$")) name.remove_suffix(1);
      sim::Member* match = nullptr;
      for (sim::Member* m : world.members()) {
        if (!absl::EqualsIgnoreCase(m->state().computer_name, name)) continue;
        if (match == nullptr || (!match->powered_on() && m->powered_on())) match = m;
      }
      if (match == nullptr) return 0;
      return world.sim().now() - world.LocalTime(match->host());
    };
    auto handler = std::make_unique<Handler>(*served, *dc);
    net::KdcServerOptions server_options;
    server_options.address = served->options_.address;
    server_options.tcp_port = first ? served->options_.first_port : 0;
    server_options.limits = served->options_.limits;
    absl::StatusOr<std::unique_ptr<net::KdcServer>> server =
        net::KdcServer::Start(io, server_options, *handler);
    if (!server.ok()) {
      return absl::Status(server.status().code(),
                          absl::StrCat("cannot serve ", dc->name(), "'s KDC on ",
                                       HostPort(server_options.address, server_options.tcp_port),
                                       ": ", server.status().message()));
    }
    ServedNetlogon::Options netlogon_options;
    netlogon_options.address = served->options_.address;
    netlogon_options.netlogon_port = first ? served->options_.first_netlogon_port : 0;
    netlogon_options.epm_port = first ? served->options_.first_epm_port : 0;
    ServedDomain* raw = served.get();
    netlogon_options.before_call = [raw] { raw->AdvanceSimulatedTime(); };
    if (raw->mutate_rng_) {
      netlogon_options.mutate_reply = [raw, dc_name = dc->name()](Bytes& pdu,
                                                                  const std::string& protocol) {
        return raw->MutateRpcReply(dc_name, protocol, pdu);
      };
    }
    absl::StatusOr<std::unique_ptr<ServedNetlogon>> netlogon =
        ServedNetlogon::Start(io, world, *dc, netlogon_options);
    if (!netlogon.ok()) return netlogon.status();
    served->endpoints_.push_back({dc->name(), (*server)->address(), (*server)->tcp_port(),
                                  (*server)->udp_port(), (*netlogon)->netlogon_port(),
                                  (*netlogon)->epm_port()});
    served->netlogon_.push_back(*std::move(netlogon));
    served->servers_.push_back(*std::move(server));
    served->handlers_.push_back(std::move(handler));
    first = false;
  }
  if (absl::Status st = served->WriteKrb5Conf(); !st.ok()) return st;
  if (absl::Status st = served->WriteKeytabs(); !st.ok()) return st;
  return served;
}

void ServedDomain::Stop() {
  for (std::unique_ptr<net::KdcServer>& server : servers_) server->Stop();
  for (std::unique_ptr<ServedNetlogon>& netlogon : netlogon_) netlogon->Stop();
}

int64_t ServedDomain::WallMicros() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void ServedDomain::AdvanceSimulatedTime() {
  if (!options_.real_time) return;
  const sim::SimTime target = sim_anchor_ + (WallMicros() - wall_anchor_);
  if (target > world_.sim().now()) world_.sim().RunUntil(target);
}

Bytes ServedDomain::Handle(sim::DomainController& dc, ByteView request,
                           net::KdcTransport transport) {
  AdvanceSimulatedTime();
  const int64_t now = WallMicros() + (world_.LocalTime(dc.name()) - world_.sim().now());
  Bytes reply = world_.KdcOf(dc).Handle(request, now, world_.kdc_rng());
  ++requests_;
  const std::string transport_name = transport == net::KdcTransport::kTcp ? "tcp" : "udp";
  std::optional<mutation::Mutation> mutated;
  // An empty reply means "send nothing": there is nothing to mutate.
  if (mutate_rng_ && !reply.empty() && ChooseToMutate()) {
    mutated = mutation::MutateKerberos(reply, *mutate_rng_);
  }
  if (on_request) {
    ServedRequest r;
    r.dc = dc.name();
    r.transport = transport_name;
    Describe(request, reply, r);
    if (mutated) r.mutation = mutated->description;
    on_request(r);
  }
  if (!mutated) return reply;
  ReportMutation(dc.name(), "kerberos", transport_name, mutated->description);
  return std::move(mutated->bytes);
}

bool ServedDomain::ChooseToMutate() {
  // One draw per reply whatever the rate, so the stream stays in step.
  const double u = static_cast<double>(mutate_rng_->NextU64() >> 11) * 0x1.0p-53;
  return u < options_.mutate_rate;
}

bool ServedDomain::MutateRpcReply(const std::string& dc, const std::string& protocol, Bytes& pdu) {
  if (!mutate_rng_ || pdu.empty() || !ChooseToMutate()) return false;
  mutation::Mutation m = mutation::MutateRpc(pdu, *mutate_rng_);
  const bool close = mutation::LeavesRpcClientWaiting(pdu, m.bytes);
  ReportMutation(dc, protocol, "tcp",
                 close ? absl::StrCat(m.description, "; connection closed") : m.description);
  pdu = std::move(m.bytes);
  return close;
}

void ServedDomain::ReportMutation(const std::string& dc, const std::string& protocol,
                                  const std::string& transport, const std::string& description) {
  world_.sim().Log(dc, "mutation", absl::StrCat(protocol, " reply mutated: ", description));
  if (on_mutation) on_mutation(ServedMutation{dc, protocol, transport, description});
}

std::string ServedDomain::krb5_conf_path() const { return options_.dir + "/krb5.conf"; }

absl::Status ServedDomain::WriteKrb5Conf() const {
  const std::string dns = world_.domain().dns_name;
  std::string conf =
      absl::StrCat("# Written by trustsim: the simulated DCs of ", realm_,
                   ".\n"
                   "[libdefaults]\n"
                   "    default_realm = ",
                   realm_,
                   "\n"
                   "    dns_lookup_kdc = false\n"
                   "    dns_lookup_realm = false\n"
                   "    dns_canonicalize_hostname = false\n"
                   "    rdns = false\n"
                   "    # MIT kinit would otherwise adopt the KDC's time from its first reply\n"
                   "    # and hide a simulated member's clock skew.\n"
                   "    kdc_timesync = 0\n"
                   "\n[realms]\n    ",
                   realm_, " = {\n");
  for (const DcEndpoint& e : endpoints_) {
    // MIT's profile syntax has no trailing comments.
    absl::StrAppend(&conf, "        # ", e.dc, "\n        kdc = ", HostPort(e.address, e.tcp_port),
                    "\n");
  }
  absl::StrAppend(&conf, "    }\n\n[domain_realm]\n    .", dns, " = ", realm_, "\n    ", dns, " = ",
                  realm_, "\n");
  std::ofstream out(krb5_conf_path(), std::ios::trunc);
  out << conf;
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", krb5_conf_path()));
  return absl::OkStatus();
}

absl::Status ServedDomain::WriteKeytabs() {
  keytabs_.clear();
  for (sim::Member* member : world_.members()) {
    if (!member->state().lsa.current) continue;
    absl::StatusOr<MemberKeytab> keytab = BuildMemberKeytab(world_, member->host(), true);
    if (!keytab.ok()) continue;
    const std::string path =
        absl::StrCat(options_.dir, "/", absl::AsciiStrToLower(member->host()), ".keytab");
    if (absl::Status st = WriteKeytabFile(path, keytab->entries); !st.ok()) return st;
    keytabs_[member->host()] = path;
  }
  return absl::OkStatus();
}

std::map<std::string, std::string> ServedDomain::Environment() const {
  std::map<std::string, std::string> env;
  if (!endpoints_.empty()) {
    env["TRUSTSIM_KDC"] = HostPort(endpoints_.front().address, endpoints_.front().tcp_port);
  }
  if (!endpoints_.empty()) {
    const DcEndpoint& first = endpoints_.front();
    env["TRUSTSIM_NETLOGON"] = HostPort(first.address, first.netlogon_port);
    env["TRUSTSIM_EPM"] = HostPort(first.address, first.epm_port);
  }
  for (const DcEndpoint& e : endpoints_) {
    const std::string prefix = absl::StrCat("TRUSTSIM_DC_", EnvName(e.dc));
    env[prefix + "_KDC"] = HostPort(e.address, e.tcp_port);
    env[prefix + "_NETLOGON"] = HostPort(e.address, e.netlogon_port);
    env[prefix + "_EPM"] = HostPort(e.address, e.epm_port);
  }
  env["TRUSTSIM_DOMAIN"] = world_.domain().netbios_name;
  env["TRUSTSIM_REALM"] = realm_;
  env["KRB5_CONFIG"] = krb5_conf_path();
  env["KRB5CCNAME"] = absl::StrCat("FILE:", options_.dir, "/ccache");
  env["TRUSTSIM_KEYTAB_DIR"] = options_.dir;
  for (const auto& [host, path] : keytabs_)
    env[absl::StrCat("TRUSTSIM_KEYTAB_", EnvName(host))] = path;
  return env;
}

absl::StatusOr<std::string> MakeWorkDir(const std::string& wanted) {
  if (!wanted.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(wanted, ec);
    if (ec)
      return absl::UnavailableError(absl::StrCat("cannot create ", wanted, ": ", ec.message()));
    return std::filesystem::absolute(wanted).string();
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/trustsim-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot create a directory like ", pattern));
  }
  return pattern;
}

}  // namespace trustsim::cli
