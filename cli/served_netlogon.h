// Copyright 2026 The trustsim Authors.
//
// served_netlogon.h
// -----------------------------------------------------------------------------
//
// One DC's MS-NRPC endpoints for real clients: Netlogon over ncacn_ip_tcp
// (protocol/netlogon/rpc.h on the DC's own NetlogonServer, with schannel as
// the DC's `schannel_required` says) and an endpoint mapper that resolves the
// Netlogon interface to that port, each on its own loopback port. Part of
// ServedDomain; runs on its io_context's thread.

#ifndef TRUSTSIM_CLI_SERVED_NETLOGON_H_
#define TRUSTSIM_CLI_SERVED_NETLOGON_H_

// clang-format off
#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
// clang-format on

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "net/rpc_server.h"
#include "protocol/dcerpc/epm.h"
#include "protocol/netlogon/rpc.h"
#include "protocol/netlogon/schannel.h"
#include "sim/world.h"

namespace trustsim::cli {

class ServedNetlogon {
 public:
  struct Options {
    std::string address = "127.0.0.1";
    uint16_t netlogon_port = 0;
    uint16_t epm_port = 0;
    // Called before each batch of bytes is handled (to run simulated time).
    std::function<void()> before_call;
    // With `trustsim serve --mutate`: called with each reply PDU a connection
    // sends, and "netlogon" or "epm"; may replace the PDU. Returns true when
    // the connection is to be closed once the reply is sent (the client would
    // otherwise wait for bytes that never come: mutation::LeavesRpcClientWaiting).
    std::function<bool(Bytes& pdu, const std::string& protocol)> mutate_reply;
  };

  static absl::StatusOr<std::unique_ptr<ServedNetlogon>> Start(boost::asio::io_context& io,
                                                               sim::World& world,
                                                               sim::DomainController& dc,
                                                               Options options);
  ~ServedNetlogon();

  uint16_t netlogon_port() const { return netlogon_server_->port(); }
  uint16_t epm_port() const { return epm_server_->port(); }
  const std::string& address() const { return netlogon_server_->address(); }
  void Stop();

 private:
  class Sessions;
  class Factory;
  class ControlBackend;
  ServedNetlogon(sim::World& world, sim::DomainController& dc, Options options);

  sim::World& world_;
  sim::DomainController& dc_;
  Options options_;
  std::unique_ptr<netlogon::NetlogonRpcHandler> handler_;
  std::unique_ptr<ControlBackend> control_;
  std::unique_ptr<Sessions> sessions_;
  std::unique_ptr<netlogon::SchannelProvider> schannel_;
  dcerpc::EndpointMapper epm_;
  std::unique_ptr<Factory> netlogon_factory_;
  std::unique_ptr<Factory> epm_factory_;
  std::unique_ptr<net::RpcServer> netlogon_server_;
  std::unique_ptr<net::RpcServer> epm_server_;
};

}  // namespace trustsim::cli

#endif  // TRUSTSIM_CLI_SERVED_NETLOGON_H_
