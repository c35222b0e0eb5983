// Copyright 2026 The trustsim Authors.

// Boost 1.74 Asio with g++ 12 in C++20 needs <utility> before any Asio header,
// so it comes first, even before this file's own header.
// clang-format off
#include <utility>
// clang-format on
#include "net/kdc_server.h"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "net/kdc_tcp_framing.h"

namespace trustsim::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;

namespace internal {

class KdcTcpConnection;

// Everything the server's asynchronous operations touch. Each pending
// operation holds a reference, so the core outlives the `KdcServer` until the
// cancelled operations have run; `stopped_` keeps them from calling the
// handler, which may be gone by then.
class KdcServerCore : public std::enable_shared_from_this<KdcServerCore> {
 public:
  KdcServerCore(asio::io_context& io, const KdcServerLimits& limits, KdcRequestHandler& handler)
      : limits_(limits),
        handler_(handler),
        acceptor_(io),
        accept_retry_timer_(io),
        udp_socket_(io),
        // Room for one byte over the limit is enough to tell a datagram is
        // too large; no UDP datagram carries more than 65535 bytes.
        udp_buffer_(limits.max_message_bytes < 65535 ? limits.max_message_bytes + 1 : 65536) {}

  // Binds the enabled transports. On failure nothing stays bound.
  absl::Status Bind(const KdcServerOptions& options);

  // Starts accepting and receiving.
  void Serve();

  void Stop();

  const KdcServerLimits& limits() const { return limits_; }
  KdcRequestHandler& handler() { return handler_; }
  KdcServer::Stats& mutable_stats() { return stats_; }
  const KdcServer::Stats& stats() const { return stats_; }
  const std::string& address() const { return address_; }
  uint16_t tcp_port() const { return tcp_port_; }
  uint16_t udp_port() const { return udp_port_; }
  size_t open_tcp_connections() const { return connections_.size(); }

  // Called by a connection when it closes.
  void Forget(KdcTcpConnection* connection) { connections_.erase(connection); }

 private:
  absl::Status BindTcp(const asio::ip::address& address, uint16_t port);
  absl::Status BindUdp(const asio::ip::address& address, uint16_t port);
  void CloseSockets();

  void Accept();
  void OnAccept(const error_code& error, tcp::socket socket);
  void Receive();
  void OnReceive(const error_code& error, size_t size);

  const KdcServerLimits limits_;
  KdcRequestHandler& handler_;
  std::string address_;
  uint16_t tcp_port_ = 0;
  uint16_t udp_port_ = 0;
  bool stopped_ = false;
  KdcServer::Stats stats_;

  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_timer_;
  // Weak: a connection holds the core, not the other way round.
  std::unordered_map<KdcTcpConnection*, std::weak_ptr<KdcTcpConnection>> connections_;

  udp::socket udp_socket_;
  Bytes udp_buffer_;
  udp::endpoint udp_peer_;
  Bytes udp_reply_;
};

// One accepted TCP connection. Reads, answers one request at a time in order,
// and closes on EOF, error, framing error, an empty reply or the idle timeout.
// Pending operations hold it through `shared_from_this`.
class KdcTcpConnection : public std::enable_shared_from_this<KdcTcpConnection> {
 public:
  KdcTcpConnection(std::shared_ptr<KdcServerCore> core, tcp::socket socket)
      : core_(std::move(core)),
        socket_(std::move(socket)),
        idle_timer_(socket_.get_executor()),
        framer_(core_->limits().max_message_bytes) {}

  ~KdcTcpConnection() { core_->Forget(this); }

  void Start() {
    RestartIdleClock();
    WaitForIdleDeadline();
    Read();
  }

  // Closes the socket and cancels everything pending. Idempotent.
  void Close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    socket_.close(ignored);
    idle_timer_.cancel();
    core_->Forget(this);
  }

 private:
  void RestartIdleClock() { idle_timer_.expires_after(core_->limits().idle_timeout); }

  // One wait is always pending. Moving the deadline cancels it; the
  // cancelled wait then sees a deadline in the future and waits again.
  void WaitForIdleDeadline() {
    idle_timer_.async_wait([self = shared_from_this()](const error_code&) {
      if (self->closed_) return;
      if (self->idle_timer_.expiry() <= asio::steady_timer::clock_type::now()) {
        ++self->core_->mutable_stats().idle_closes;
        self->Close();
        return;
      }
      self->WaitForIdleDeadline();
    });
  }

  void Read() {
    socket_.async_read_some(asio::buffer(read_buffer_),
                            [self = shared_from_this()](const error_code& error, size_t size) {
                              if (self->closed_) return;
                              if (error) {  // EOF included.
                                self->Close();
                                return;
                              }
                              self->framer_.Append(ByteView(self->read_buffer_.data(), size));
                              self->ProcessBuffered();
                            });
  }

  // Answers the next buffered request, or reads more. Nothing is read while a
  // reply is being written, so a client that pipelines requests and never
  // reads replies stalls itself, not the server.
  void ProcessBuffered() {
    KdcTcpFrame frame = framer_.Next();
    switch (frame.status) {
      case KdcTcpFrameStatus::kNeedMore:
        Read();
        return;
      case KdcTcpFrameStatus::kEmptyMessage:
        ++core_->mutable_stats().framing_errors;
        Close();
        return;
      case KdcTcpFrameStatus::kTooLong: {
        ++core_->mutable_stats().framing_errors;
        Bytes error = core_->handler().KdcErrorReply(kKrbErrFieldTooLong);
        if (closed_) return;  // The handler stopped the server.
        Send(std::move(error), /*close_after=*/true);
        return;
      }
      case KdcTcpFrameStatus::kMessage: {
        ++core_->mutable_stats().tcp_requests;
        RestartIdleClock();
        Bytes reply = core_->handler().HandleKdcRequest(frame.message, KdcTransport::kTcp);
        if (closed_) return;  // The handler stopped the server.
        Send(std::move(reply), /*close_after=*/false);
        return;
      }
    }
  }

  // Writes `message` framed, then goes on with the next request, or closes if
  // `close_after`. An empty message, or one too long to frame, closes at once.
  void Send(Bytes message, bool close_after) {
    if (message.empty() || message.size() > kKdcTcpMaxFramedLength) {
      Close();
      return;
    }
    write_buffer_ = FrameKdcTcpMessage(message);
    asio::async_write(socket_, asio::buffer(write_buffer_),
                      [self = shared_from_this(), close_after](const error_code& error, size_t) {
                        if (self->closed_) return;
                        if (error) {
                          self->Close();
                          return;
                        }
                        if (close_after) {
                          // FIN after the reply, so the client reads it before EOF.
                          error_code ignored;
                          self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
                          self->Close();
                          return;
                        }
                        self->RestartIdleClock();
                        self->ProcessBuffered();
                      });
  }

  std::shared_ptr<KdcServerCore> core_;
  tcp::socket socket_;
  asio::steady_timer idle_timer_;
  KdcTcpFramer framer_;
  std::array<uint8_t, 8192> read_buffer_;
  Bytes write_buffer_;
  bool closed_ = false;
};

namespace {

// How often `Bind` binds TCP to a fresh ephemeral port when UDP cannot have
// the same number.
constexpr int kSamePortAttempts = 8;

// How long accepting pauses after an error such as running out of file
// descriptors, which would otherwise fail again at once, forever.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

absl::Status BindError(const error_code& error, absl::string_view what,
                       const asio::ip::address& address, uint16_t port) {
  std::string message = absl::StrCat(what, " ", address.to_string(), " port ", port, ": ",
                                     std::string(error.message()));
  if (error == boost::system::errc::permission_denied) {
    return absl::PermissionDeniedError(message);
  }
  if (error == boost::system::errc::address_not_available ||
      error == boost::system::errc::address_family_not_supported) {
    return absl::InvalidArgumentError(message);
  }
  return absl::UnavailableError(message);
}

}  // namespace

absl::Status KdcServerCore::Bind(const KdcServerOptions& options) {
  if (!options.enable_tcp && !options.enable_udp) {
    return absl::InvalidArgumentError("KDC server: neither TCP nor UDP is enabled");
  }
  error_code error;
  const asio::ip::address address = asio::ip::make_address(options.address, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("KDC server: not an IP address: \"", options.address, "\""));
  }
  address_ = address.to_string();

  const bool udp_follows_tcp =
      options.enable_tcp && options.enable_udp && options.same_port && options.udp_port == 0;
  const int attempts = udp_follows_tcp && options.tcp_port == 0 ? kSamePortAttempts : 1;
  absl::Status status;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (options.enable_tcp) {
      status = BindTcp(address, options.tcp_port);
      if (!status.ok()) break;  // Another ephemeral port would fail the same way.
    }
    if (options.enable_udp) {
      status = BindUdp(address, udp_follows_tcp ? tcp_port_ : options.udp_port);
      if (!status.ok()) {
        CloseSockets();
        continue;
      }
    }
    return absl::OkStatus();
  }
  CloseSockets();
  return status;
}

absl::Status KdcServerCore::BindTcp(const asio::ip::address& address, uint16_t port) {
  const tcp::endpoint endpoint(address, port);
  error_code error;
  acceptor_.open(endpoint.protocol(), error);
  if (error) return BindError(error, "KDC server: opening TCP socket for", address, port);
  // Lets a restarted server take its port back from connections in TIME_WAIT.
  // On Linux it does not let two listeners share a port.
  acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  tcp::endpoint bound;
  if (!error) bound = acceptor_.local_endpoint(error);
  if (error) {
    error_code ignored;
    acceptor_.close(ignored);
    return BindError(error, "KDC server: binding TCP", address, port);
  }
  tcp_port_ = bound.port();
  return absl::OkStatus();
}

absl::Status KdcServerCore::BindUdp(const asio::ip::address& address, uint16_t port) {
  const udp::endpoint endpoint(address, port);
  error_code error;
  udp_socket_.open(endpoint.protocol(), error);
  if (error) return BindError(error, "KDC server: opening UDP socket for", address, port);
  udp_socket_.bind(endpoint, error);
  udp::endpoint bound;
  if (!error) bound = udp_socket_.local_endpoint(error);
  if (error) {
    error_code ignored;
    udp_socket_.close(ignored);
    return BindError(error, "KDC server: binding UDP", address, port);
  }
  udp_port_ = bound.port();
  return absl::OkStatus();
}

void KdcServerCore::CloseSockets() {
  error_code ignored;
  acceptor_.close(ignored);
  udp_socket_.close(ignored);
  tcp_port_ = 0;
  udp_port_ = 0;
}

void KdcServerCore::Serve() {
  if (acceptor_.is_open()) Accept();
  if (udp_socket_.is_open()) Receive();
}

void KdcServerCore::Stop() {
  if (stopped_) return;
  stopped_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  accept_retry_timer_.cancel();
  udp_socket_.close(ignored);
  // Closing a connection forgets it; close from a copy.
  auto connections = std::move(connections_);
  connections_.clear();
  for (auto& [raw, weak] : connections) {
    if (std::shared_ptr<KdcTcpConnection> connection = weak.lock()) connection->Close();
  }
}

void KdcServerCore::Accept() {
  acceptor_.async_accept([self = shared_from_this()](const error_code& error, tcp::socket socket) {
    self->OnAccept(error, std::move(socket));
  });
}

void KdcServerCore::OnAccept(const error_code& error, tcp::socket socket) {
  if (stopped_) return;  // `socket`, if any, closes as it goes.
  if (error) {
    if (error == asio::error::operation_aborted) return;
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([self = shared_from_this()](const error_code& error) {
      if (!self->stopped_ && !error) self->Accept();
    });
    return;
  }
  if (connections_.size() >= limits_.max_connections) {
    ++stats_.tcp_connections_refused;
    error_code ignored;
    socket.close(ignored);
  } else {
    ++stats_.tcp_connections_accepted;
    auto connection = std::make_shared<KdcTcpConnection>(shared_from_this(), std::move(socket));
    connections_.emplace(connection.get(), connection);
    connection->Start();
  }
  Accept();
}

// One datagram at a time: receive, answer, and only then receive the next, so
// at most one reply is ever buffered. The kernel queues datagrams meanwhile.
void KdcServerCore::Receive() {
  udp_socket_.async_receive_from(asio::buffer(udp_buffer_), udp_peer_,
                                 [self = shared_from_this()](const error_code& error, size_t size) {
                                   self->OnReceive(error, size);
                                 });
}

void KdcServerCore::OnReceive(const error_code& error, size_t size) {
  if (stopped_) return;
  if (error) {
    if (error == asio::error::operation_aborted) return;
    Receive();  // An error about one datagram is no reason to stop serving.
    return;
  }
  if (size == 0 || size > limits_.max_message_bytes) {
    ++stats_.framing_errors;
    Receive();
    return;
  }
  ++stats_.udp_requests;
  Bytes reply = handler_.HandleKdcRequest(ByteView(udp_buffer_.data(), size), KdcTransport::kUdp);
  if (stopped_) return;  // The handler stopped the server.
  if (reply.size() > limits_.max_udp_reply_bytes) {
    ++stats_.too_big_replies;
    reply = handler_.KdcErrorReply(kKrbErrResponseTooBig);
    if (stopped_) return;
  }
  if (reply.empty()) {
    Receive();
    return;
  }
  udp_reply_ = std::move(reply);
  udp_socket_.async_send_to(asio::buffer(udp_reply_), udp_peer_,
                            [self = shared_from_this()](const error_code&, size_t) {
                              // A reply that could not be sent is lost, as UDP
                              // replies may be; the client retries.
                              if (!self->stopped_) self->Receive();
                            });
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<KdcServer>> KdcServer::Start(asio::io_context& io,
                                                            const KdcServerOptions& options,
                                                            KdcRequestHandler& handler) {
  auto core = std::make_shared<internal::KdcServerCore>(io, options.limits, handler);
  absl::Status status = core->Bind(options);
  if (!status.ok()) return status;
  core->Serve();
  return std::unique_ptr<KdcServer>(new KdcServer(std::move(core)));
}

KdcServer::KdcServer(std::shared_ptr<internal::KdcServerCore> core) : core_(std::move(core)) {}

KdcServer::~KdcServer() { Stop(); }

uint16_t KdcServer::tcp_port() const { return core_->tcp_port(); }

uint16_t KdcServer::udp_port() const { return core_->udp_port(); }

const std::string& KdcServer::address() const { return core_->address(); }

void KdcServer::Stop() { core_->Stop(); }

size_t KdcServer::open_tcp_connections() const { return core_->open_tcp_connections(); }

const KdcServer::Stats& KdcServer::stats() const { return core_->stats(); }

}  // namespace trustsim::net
