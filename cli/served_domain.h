// Copyright 2026 The trustsim Authors.
//
// served_domain.h
// -----------------------------------------------------------------------------
//
// Serves a simulated domain's DCs to real clients: per DC a KDC (TCP and UDP),
// Netlogon over ncacn_ip_tcp and an endpoint mapper (served_netlogon.h), all
// on loopback; a krb5.conf that points MIT tools at the KDCs, and the
// members' keytabs. `trustsim serve` and scenario `exec:` steps both use it.
//
// Time. Real clients stamp requests with this machine's clock, so each KDC
// answers in that frame: its time is the wall clock plus the DC's own offset
// from true simulated time. A client authenticating as a member's account
// stands in for that member, so the KDC's time is shifted once more by the
// member's offset: kinit run here as WS01$ sees exactly WS01's skew.
// With `real_time`, simulated time runs on at real speed (the simulator is
// advanced before each request and by `AdvanceSimulatedTime`); otherwise it
// stands still, as during an `exec:` step.
//
// A hostile DC. With `mutate_seed` (`trustsim serve --mutate`), KDC replies
// and Netlogon/endpoint-mapper PDUs are mutated by protocol/mutation.h, each
// reported through `on_request` and `on_mutation`.
//
// Everything runs on the thread of the given io_context; the world is not
// touched from anywhere else.
//
// Example:
//
//   boost::asio::io_context io;
//   ASSIGN_OR_RETURN(auto served, ServedDomain::Start(io, world, options));
//   for (const DcEndpoint& e : served->endpoints()) ...
//   io.run();

#ifndef TRUSTSIM_CLI_SERVED_DOMAIN_H_
#define TRUSTSIM_CLI_SERVED_DOMAIN_H_

// clang-format off
#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
// clang-format on

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/random.h"
#include "cli/served_netlogon.h"
#include "net/kdc_server.h"
#include "sim/world.h"

namespace trustsim::cli {

struct ServeOptions {
  std::string address = "127.0.0.1";
  // The first DC's ports (the KDC's for TCP and UDP); 0 = ephemeral. Further
  // DCs get ephemeral ports.
  uint16_t first_port = 0;
  uint16_t first_netlogon_port = 0;
  uint16_t first_epm_port = 0;
  bool real_time = false;
  // Where krb5.conf and the keytabs are written; must exist.
  std::string dir;
  net::KdcServerLimits limits;
  // A hostile DC (`trustsim serve --mutate`): every KDC, Netlogon and
  // endpoint-mapper reply is mutated (protocol/mutation.h) with probability
  // `mutate_rate`, all choices from one SeededRandom(mutate_seed), so the
  // same sequence of requests meets the same mutations.
  std::optional<uint64_t> mutate_seed;
  double mutate_rate = 1.0;
};

struct DcEndpoint {
  std::string dc;
  std::string address;
  uint16_t tcp_port = 0;  // the KDC's
  uint16_t udp_port = 0;
  uint16_t netlogon_port = 0;
  uint16_t epm_port = 0;
};

// One request as served, for live output.
struct ServedRequest {
  std::string dc;
  std::string transport;  // "tcp" | "udp"
  std::string request;    // "AS-REQ WS01$@CORP.EXAMPLE.COM" / "TGS-REQ host/ws02..."
  std::string reply;      // "AS-REP" | "TGS-REP" | "KDC_ERR_PREAUTH_FAILED (24)"
  // With --mutate: what was done to the reply ("" when sent as built).
  std::string mutation;
};

// One mutated reply (ServeOptions::mutate_seed), for live output.
struct ServedMutation {
  std::string dc;
  std::string protocol;   // "kerberos" | "netlogon" | "epm"
  std::string transport;  // "tcp" | "udp"
  std::string description;
};

class ServedDomain {
 public:
  static absl::StatusOr<std::unique_ptr<ServedDomain>> Start(boost::asio::io_context& io,
                                                             sim::World& world,
                                                             ServeOptions options);
  ~ServedDomain();

  const std::vector<DcEndpoint>& endpoints() const { return endpoints_; }
  const std::string& realm() const { return realm_; }
  std::string krb5_conf_path() const;
  // Member host -> keytab path, as of the last `WriteKeytabs`.
  const std::map<std::string, std::string>& keytabs() const { return keytabs_; }

  // Writes every joined member's keytab (CurrVal and OldVal) as the world
  // stands now.
  absl::Status WriteKeytabs();
  // The environment a program under test gets: TRUSTSIM_KDC, TRUSTSIM_REALM,
  // KRB5_CONFIG, KRB5CCNAME, TRUSTSIM_KEYTAB_DIR, TRUSTSIM_KEYTAB_<HOST>,
  // TRUSTSIM_NETLOGON, TRUSTSIM_EPM, TRUSTSIM_DOMAIN (the NetBIOS name), and
  // per DC TRUSTSIM_DC_<NAME>_KDC, _NETLOGON and _EPM.
  std::map<std::string, std::string> Environment() const;
  // With `real_time`, runs the simulator up to the time the wall clock maps to.
  void AdvanceSimulatedTime();
  uint64_t requests() const { return requests_; }
  // Stops every server; idempotent.
  void Stop();

  // Called after each request.
  std::function<void(const ServedRequest&)> on_request;
  // Called for each mutated reply (after `on_request` for a KDC reply).
  std::function<void(const ServedMutation&)> on_mutation;

 private:
  class Handler;
  ServedDomain(sim::World& world, ServeOptions options);
  Bytes Handle(sim::DomainController& dc, ByteView request, net::KdcTransport transport);
  int64_t WallMicros() const;
  // With --mutate: draws whether the next reply is mutated.
  bool ChooseToMutate();
  // With --mutate: maybe mutates one reply PDU of `dc`'s Netlogon or endpoint
  // mapper; true when the connection must close after it.
  bool MutateRpcReply(const std::string& dc, const std::string& protocol, Bytes& pdu);
  void ReportMutation(const std::string& dc, const std::string& protocol,
                      const std::string& transport, const std::string& description);
  absl::Status WriteKrb5Conf() const;

  sim::World& world_;
  ServeOptions options_;
  std::string realm_;
  std::vector<std::unique_ptr<Handler>> handlers_;
  std::vector<std::unique_ptr<net::KdcServer>> servers_;
  std::vector<std::unique_ptr<ServedNetlogon>> netlogon_;
  std::vector<DcEndpoint> endpoints_;
  std::map<std::string, std::string> keytabs_;
  int64_t wall_anchor_ = 0;
  sim::SimTime sim_anchor_ = 0;
  uint64_t requests_ = 0;
  std::unique_ptr<SeededRandom> mutate_rng_;
};

// Creates `wanted` (and its parents), or with "" a fresh private directory
// under $TMPDIR (default /tmp); returns its absolute path.
absl::StatusOr<std::string> MakeWorkDir(const std::string& wanted);

}  // namespace trustsim::cli

#endif  // TRUSTSIM_CLI_SERVED_DOMAIN_H_
