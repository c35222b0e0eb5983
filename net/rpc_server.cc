// Copyright 2026 The trustsim Authors.

// Boost 1.74 Asio with g++ 12 in C++20 needs <utility> before any Asio header,
// so it comes first, even before this file's own header.
// clang-format off
#include <utility>
// clang-format on
#include "net/rpc_server.h"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace trustsim::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace internal {

class RpcConnection;

// Everything the server's asynchronous operations touch. Each pending
// operation holds a reference, so the core outlives the `RpcServer` until the
// cancelled operations have run; `stopped_` keeps them from calling the
// factory, which may be gone by then.
class RpcServerCore : public std::enable_shared_from_this<RpcServerCore> {
 public:
  RpcServerCore(asio::io_context& io, const RpcServerLimits& limits, RpcConnectionFactory& factory)
      : limits_(limits), factory_(factory), acceptor_(io), accept_retry_timer_(io) {}

  // Binds the listener. On failure nothing stays bound.
  absl::Status Bind(const RpcServerOptions& options);

  // Starts accepting.
  void Serve() { Accept(); }

  void Stop();

  const RpcServerLimits& limits() const { return limits_; }
  RpcServer::Stats& mutable_stats() { return stats_; }
  const RpcServer::Stats& stats() const { return stats_; }
  const std::string& address() const { return address_; }
  uint16_t port() const { return port_; }
  size_t open_connections() const { return connections_.size(); }

  // Called by a connection when it closes.
  void Forget(RpcConnection* connection) { connections_.erase(connection); }

 private:
  void Accept();
  void OnAccept(const error_code& error, tcp::socket socket);

  const RpcServerLimits limits_;
  RpcConnectionFactory& factory_;
  std::string address_;
  uint16_t port_ = 0;
  bool stopped_ = false;
  RpcServer::Stats stats_;

  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_timer_;
  // Weak: a connection holds the core, not the other way round.
  std::unordered_map<RpcConnection*, std::weak_ptr<RpcConnection>> connections_;
};

// One accepted connection and its handler. Reads, hands what arrived to the
// handler, writes what it returns, and closes on EOF, error, the handler's
// `ShouldClose()`, `max_buffered_bytes` or the idle timeout. Pending
// operations hold it through `shared_from_this`.
class RpcConnection : public std::enable_shared_from_this<RpcConnection> {
 public:
  RpcConnection(std::shared_ptr<RpcServerCore> core, tcp::socket socket,
                std::unique_ptr<RpcConnectionHandler> handler)
      : core_(std::move(core)),
        socket_(std::move(socket)),
        idle_timer_(socket_.get_executor()),
        handler_(std::move(handler)) {}

  ~RpcConnection() { core_->Forget(this); }

  void Start() {
    RestartIdleClock();
    WaitForIdleDeadline();
    Read();
  }

  // Closes the socket, cancels everything pending and destroys the handler
  // (once it returns, if it is running). Idempotent.
  void Close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    socket_.close(ignored);
    idle_timer_.cancel();
    core_->Forget(this);
    if (!in_handler_) handler_.reset();
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
                              self->core_->mutable_stats().bytes_received += size;
                              self->pending_begin_ = 0;
                              self->pending_end_ = size;
                              self->ProcessPending();
                            });
  }

  // Hands the unprocessed part of the last read to the handler, in pieces no
  // larger than `max_buffered_bytes` allows, until it answers, asks to close,
  // or the bytes run out (then reads more).
  void ProcessPending() {
    const size_t limit = core_->limits().max_buffered_bytes;
    while (pending_begin_ < pending_end_) {
      if (unanswered_bytes_ >= limit) {
        ++core_->mutable_stats().overflow_closes;
        Close();
        return;
      }
      const size_t n = std::min(pending_end_ - pending_begin_, limit - unanswered_bytes_);
      const ByteView chunk(read_buffer_.data() + pending_begin_, n);
      pending_begin_ += n;
      unanswered_bytes_ += n;

      in_handler_ = true;
      Bytes reply = handler_->OnData(chunk);
      in_handler_ = false;
      if (closed_) {  // The handler stopped the server.
        handler_.reset();
        return;
      }
      const bool close_after = handler_->ShouldClose();
      if (!reply.empty()) {
        unanswered_bytes_ = 0;
        Send(std::move(reply), close_after);
        return;
      }
      if (close_after) {
        ++core_->mutable_stats().handler_closes;
        CloseAfterSending();
        return;
      }
    }
    Read();
  }

  // Writes `reply`, then goes on with the rest of the last read, or closes if
  // `close_after`.
  void Send(Bytes reply, bool close_after) {
    write_buffer_ = std::move(reply);
    asio::async_write(
        socket_, asio::buffer(write_buffer_),
        [self = shared_from_this(), close_after](const error_code& error, size_t size) {
          if (self->closed_) return;
          if (error) {
            self->Close();
            return;
          }
          self->core_->mutable_stats().bytes_sent += size;
          self->write_buffer_.clear();
          if (close_after) {
            ++self->core_->mutable_stats().handler_closes;
            self->CloseAfterSending();
            return;
          }
          self->RestartIdleClock();
          self->ProcessPending();
        });
  }

  // FIN before closing, so the client reads everything sent before EOF.
  void CloseAfterSending() {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    Close();
  }

  std::shared_ptr<RpcServerCore> core_;
  tcp::socket socket_;
  asio::steady_timer idle_timer_;
  std::unique_ptr<RpcConnectionHandler> handler_;
  std::array<uint8_t, 8192> read_buffer_;
  // The part of `read_buffer_` not yet given to the handler.
  size_t pending_begin_ = 0;
  size_t pending_end_ = 0;
  // Bytes given to the handler since it last returned something to send.
  size_t unanswered_bytes_ = 0;
  Bytes write_buffer_;
  bool closed_ = false;
  // True while the handler runs: `Close()` then leaves it alive until it
  // returns.
  bool in_handler_ = false;
};

namespace {

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

absl::Status RpcServerCore::Bind(const RpcServerOptions& options) {
  error_code error;
  const asio::ip::address address = asio::ip::make_address(options.address, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("RPC server: not an IP address: \"", options.address, "\""));
  }
  address_ = address.to_string();

  const tcp::endpoint endpoint(address, options.port);
  acceptor_.open(endpoint.protocol(), error);
  if (error) {
    return BindError(error, "RPC server: opening TCP socket for", address, options.port);
  }
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
    return BindError(error, "RPC server: binding TCP", address, options.port);
  }
  port_ = bound.port();
  return absl::OkStatus();
}

void RpcServerCore::Stop() {
  if (stopped_) return;
  stopped_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  accept_retry_timer_.cancel();
  // Closing a connection forgets it; close from a copy.
  auto connections = std::move(connections_);
  connections_.clear();
  for (auto& [raw, weak] : connections) {
    if (std::shared_ptr<RpcConnection> connection = weak.lock()) connection->Close();
  }
}

void RpcServerCore::Accept() {
  acceptor_.async_accept([self = shared_from_this()](const error_code& error, tcp::socket socket) {
    self->OnAccept(error, std::move(socket));
  });
}

void RpcServerCore::OnAccept(const error_code& error, tcp::socket socket) {
  if (stopped_) return;  // `socket`, if any, closes as it goes.
  if (error) {
    if (error == asio::error::operation_aborted) return;
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([self = shared_from_this()](const error_code& error) {
      if (!self->stopped_ && !error) self->Accept();
    });
    return;
  }
  std::unique_ptr<RpcConnectionHandler> handler;
  if (connections_.size() < limits_.max_connections) {
    handler = factory_.NewConnection();
    if (stopped_) return;  // The factory stopped the server.
  }
  if (handler == nullptr) {
    ++stats_.connections_refused;
    error_code ignored;
    socket.close(ignored);
  } else {
    ++stats_.connections_accepted;
    auto connection =
        std::make_shared<RpcConnection>(shared_from_this(), std::move(socket), std::move(handler));
    connections_.emplace(connection.get(), connection);
    connection->Start();
  }
  Accept();
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<RpcServer>> RpcServer::Start(asio::io_context& io,
                                                            const RpcServerOptions& options,
                                                            RpcConnectionFactory& factory) {
  auto core = std::make_shared<internal::RpcServerCore>(io, options.limits, factory);
  absl::Status status = core->Bind(options);
  if (!status.ok()) return status;
  core->Serve();
  return std::unique_ptr<RpcServer>(new RpcServer(std::move(core)));
}

RpcServer::RpcServer(std::shared_ptr<internal::RpcServerCore> core) : core_(std::move(core)) {}

RpcServer::~RpcServer() { Stop(); }

uint16_t RpcServer::port() const { return core_->port(); }

const std::string& RpcServer::address() const { return core_->address(); }

void RpcServer::Stop() { core_->Stop(); }

size_t RpcServer::open_connections() const { return core_->open_connections(); }

const RpcServer::Stats& RpcServer::stats() const { return core_->stats(); }

}  // namespace trustsim::net
