// Copyright 2026 The trustsim Authors.

#include "cli/served_netlogon.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "protocol/dcerpc/connection.h"
#include "protocol/mutation.h"

namespace trustsim::cli {

// The Netlogon sessions schannel binds to: the DC's own server's.
class ServedNetlogon::Sessions final : public netlogon::SchannelSessionSource {
 public:
  explicit Sessions(sim::DomainController& dc) : dc_(dc) {}

  absl::StatusOr<netlogon::SchannelSession> FindSession(absl::string_view computer_name) override {
    std::optional<netlogon::SessionInfo> info = dc_.netlogon().SessionOf(computer_name);
    if (!info) return absl::NotFoundError(absl::StrCat("no Netlogon session for ", computer_name));
    return netlogon::SchannelSession{Bytes(info->session_key.begin(), info->session_key.end()),
                                     info->negotiated_flags};
  }

 private:
  sim::DomainController& dc_;
};

// NetrLogonControl2Ex on a served DC: the DC answers about its own domain,
// whose secure channel (a DC's, to the PDC emulator) is always up in the
// simulation; other domains are ERROR_NO_SUCH_DOMAIN. The flags are nltest's
// (HAS_IP | HAS_TIMESERV, plus VERIFY_STATUS_RETURNED for TC_VERIFY).
class ServedNetlogon::ControlBackend final : public netlogon::NetlogonControlBackend {
 public:
  ControlBackend(sim::World& world, sim::DomainController& dc) : world_(world), dc_(dc) {}

  netlogon::NetlogonControlReply Control(const netlogon::NetlogonControlRequest& r) override {
    netlogon::NetlogonControlReply reply;
    switch (r.function_code) {
      case netlogon::kNetlogonControlQuery:
        reply.win32_status = 0;
        reply.info = netlogon::NetlogonInfo2{};
        return reply;
      case netlogon::kNetlogonControlTcQuery:
      case netlogon::kNetlogonControlRediscover:
      case netlogon::kNetlogonControlTcVerify: {
        const std::string domain = r.domain_name.value_or("");
        if (!absl::EqualsIgnoreCase(domain, world_.domain().netbios_name) &&
            !absl::EqualsIgnoreCase(domain, world_.domain().dns_name)) {
          reply.win32_status = kErrorNoSuchDomain;
          return reply;
        }
        sim::DomainController* pdc = world_.Pdc();
        netlogon::NetlogonInfo2 info;
        info.flags = 0x30 | (r.function_code == netlogon::kNetlogonControlTcVerify ? 0x80 : 0);
        info.trusted_dc_name = absl::StrCat("\\\\", pdc != nullptr ? pdc->name() : dc_.name());
        reply.win32_status = 0;
        reply.info = info;
        return reply;
      }
      default:
        return reply;  // ERROR_NOT_SUPPORTED
    }
  }

 private:
  static constexpr uint32_t kErrorNoSuchDomain = 1355;
  sim::World& world_;
  sim::DomainController& dc_;
};

// A DCE/RPC association per TCP connection, serving the given interfaces.
class ServedNetlogon::Factory final : public net::RpcConnectionFactory {
 public:
  Factory(ServedNetlogon& owner, std::string protocol,
          std::vector<dcerpc::InterfaceHandler*> interfaces, dcerpc::SecurityProvider* security)
      : owner_(owner),
        protocol_(std::move(protocol)),
        interfaces_(std::move(interfaces)),
        security_(security) {}

  void set_port(uint16_t port) { port_ = absl::StrCat(port); }

  std::unique_ptr<net::RpcConnectionHandler> NewConnection() override {
    dcerpc::ConnectionOptions options;
    options.secondary_address = port_;
    auto connection = std::make_unique<Connection>(owner_, protocol_, options);
    for (dcerpc::InterfaceHandler* handler : interfaces_) connection->rpc.AddInterface(handler);
    if (security_ != nullptr) connection->rpc.AddSecurityProvider(security_);
    return connection;
  }

 private:
  struct Connection final : net::RpcConnectionHandler {
    Connection(ServedNetlogon& owner, std::string protocol, dcerpc::ConnectionOptions options)
        : owner(owner), protocol(std::move(protocol)), rpc(std::move(options)) {}
    Bytes OnData(ByteView data) override {
      if (owner.options_.before_call) owner.options_.before_call();
      Bytes out = rpc.Receive(data);
      if (!owner.options_.mutate_reply || out.empty()) return out;
      // The reply may hold several PDUs (fragments, pipelined calls): each is
      // a candidate on its own.
      Bytes sent;
      for (ByteView pdu : mutation::SplitRpcPdus(out)) {
        Bytes piece(pdu.begin(), pdu.end());
        if (owner.options_.mutate_reply(piece, protocol)) close_after_reply = true;
        sent.insert(sent.end(), piece.begin(), piece.end());
      }
      return sent;
    }
    bool ShouldClose() const override { return rpc.closed() || close_after_reply; }

    ServedNetlogon& owner;
    std::string protocol;
    dcerpc::Connection rpc;
    bool close_after_reply = false;
  };

  ServedNetlogon& owner_;
  std::string protocol_;
  std::vector<dcerpc::InterfaceHandler*> interfaces_;
  dcerpc::SecurityProvider* security_;
  std::string port_;
};

ServedNetlogon::ServedNetlogon(sim::World& world, sim::DomainController& dc, Options options)
    : world_(world), dc_(dc), options_(std::move(options)) {}

ServedNetlogon::~ServedNetlogon() { Stop(); }

void ServedNetlogon::Stop() {
  if (netlogon_server_) netlogon_server_->Stop();
  if (epm_server_) epm_server_->Stop();
}

absl::StatusOr<std::unique_ptr<ServedNetlogon>> ServedNetlogon::Start(boost::asio::io_context& io,
                                                                      sim::World& world,
                                                                      sim::DomainController& dc,
                                                                      Options options) {
  std::unique_ptr<ServedNetlogon> s(new ServedNetlogon(world, dc, std::move(options)));
  s->handler_ = std::make_unique<netlogon::NetlogonRpcHandler>(
      dc.netlogon(), dc.schannel_required() ? netlogon::SchannelPolicy::kRequire
                                            : netlogon::SchannelPolicy::kAllowPlain);
  s->control_ = std::make_unique<ControlBackend>(world, dc);
  s->handler_->set_control_backend(s->control_.get());
  s->sessions_ = std::make_unique<Sessions>(dc);
  netlogon::SchannelProviderOptions schannel_options;
  s->schannel_ = std::make_unique<netlogon::SchannelProvider>(*s->sessions_, world.kdc_rng(),
                                                              schannel_options);
  s->netlogon_factory_ = std::make_unique<Factory>(
      *s, "netlogon", std::vector<dcerpc::InterfaceHandler*>{s->handler_.get()},
      s->schannel_.get());
  s->epm_factory_ = std::make_unique<Factory>(
      *s, "epm", std::vector<dcerpc::InterfaceHandler*>{&s->epm_}, nullptr);

  net::RpcServerOptions netlogon_options;
  netlogon_options.address = s->options_.address;
  netlogon_options.port = s->options_.netlogon_port;
  absl::StatusOr<std::unique_ptr<net::RpcServer>> netlogon_server =
      net::RpcServer::Start(io, netlogon_options, *s->netlogon_factory_);
  if (!netlogon_server.ok()) {
    return absl::Status(
        netlogon_server.status().code(),
        absl::StrCat("cannot serve ", dc.name(), "'s Netlogon on ", s->options_.address, ":",
                     s->options_.netlogon_port, ": ", netlogon_server.status().message()));
  }
  s->netlogon_server_ = *std::move(netlogon_server);
  s->netlogon_factory_->set_port(s->netlogon_server_->port());

  net::RpcServerOptions epm_options;
  epm_options.address = s->options_.address;
  epm_options.port = s->options_.epm_port;
  absl::StatusOr<std::unique_ptr<net::RpcServer>> epm_server =
      net::RpcServer::Start(io, epm_options, *s->epm_factory_);
  if (!epm_server.ok()) {
    return absl::Status(
        epm_server.status().code(),
        absl::StrCat("cannot serve ", dc.name(), "'s endpoint mapper on ", s->options_.address, ":",
                     s->options_.epm_port, ": ", epm_server.status().message()));
  }
  s->epm_server_ = *std::move(epm_server);
  s->epm_factory_->set_port(s->epm_server_->port());
  s->epm_.Register(netlogon::NetlogonSyntax(), s->netlogon_server_->port(),
                   s->netlogon_server_->address());
  return s;
}

}  // namespace trustsim::cli
