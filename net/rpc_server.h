// Copyright 2026 The trustsim Authors.
//
// rpc_server.h
// -----------------------------------------------------------------------------
//
// `RpcServer` is the ncacn_ip_tcp transport of DCE/RPC: a TCP listener that
// carries bytes between real clients (impacket, Windows) and one
// `RpcConnectionHandler` per connection. It knows nothing of DCE/RPC: the
// handler (a connection-oriented PDU state machine) frames PDUs itself and
// returns whatever bytes should go back. The server only moves bytes, enforces
// limits, closes a connection when its handler asks, and counts what happened.
//
// The server is single-threaded by design. Every callback, and every change to
// its state, happens on the thread running its `io_context`; factories and
// handlers need no locking. Call `Stop()` (and destroy the server) on that
// thread, or while the `io_context` is not running. The `io_context` must
// outlive the server.
//
// Per connection, bytes are handed to the handler as they arrive, in whatever
// pieces TCP delivers them. While a reply is being written nothing more is
// read, so a client that sends and never reads stalls itself, not the server.
//
// Example:
//
//   boost::asio::io_context io;
//   MyRpcFactory factory;  // an RpcConnectionFactory
//   ASSIGN_OR_RETURN(std::unique_ptr<RpcServer> server,
//                    RpcServer::Start(io, RpcServerOptions{}, factory));
//   std::cout << "ncacn_ip_tcp:127.0.0.1[" << server->port() << "]\n";
//   io.run();

#ifndef TRUSTSIM_NET_RPC_SERVER_H_
#define TRUSTSIM_NET_RPC_SERVER_H_

// Boost 1.74 Asio with g++ 12 in C++20 needs <utility> before any Asio header,
// so it comes first.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "base/bytes.h"

namespace trustsim::net {

// The protocol logic of one connection. Created by an `RpcConnectionFactory`
// when a connection is accepted, destroyed when it closes. Always called on
// the thread running the server's `io_context`. A handler may call
// `RpcServer::Stop()`.
class RpcConnectionHandler {
 public:
  virtual ~RpcConnectionHandler() = default;

  // Bytes from the client, in any split; returns bytes to send (maybe empty).
  virtual Bytes OnData(ByteView data) = 0;

  // True once the connection should be closed (after sending what OnData
  // returned).
  virtual bool ShouldClose() const = 0;
};

// Makes one handler per accepted connection.
class RpcConnectionFactory {
 public:
  virtual ~RpcConnectionFactory() = default;

  // Returns the handler for a new connection. Returning nullptr refuses the
  // connection: it is closed at once and counted as refused.
  virtual std::unique_ptr<RpcConnectionHandler> NewConnection() = 0;
};

// What one client may cost the server.
struct RpcServerLimits {
  // Bytes a connection may send without getting anything back. The transport
  // cannot see PDU boundaries, so it counts the bytes handed to the handler
  // since it last returned a non-empty reply. Bytes past the limit are not
  // handed over: the connection is closed instead. This bounds what a handler
  // has to buffer for one incomplete request.
  size_t max_buffered_bytes = 1 << 20;
  // A connection is closed when the handler has returned nothing to send for
  // this long (counted from the accept, then from the end of each write).
  // Bytes that produce no reply are not activity, so a client trickling bytes
  // cannot hold a connection open.
  std::chrono::milliseconds idle_timeout{30000};
  // Connections open at once. Further connections are accepted and closed at
  // once, without asking the factory.
  size_t max_connections = 64;
};

// Where and how the server listens.
struct RpcServerOptions {
  // The address to bind, IPv4 or IPv6. Loopback unless the caller says
  // otherwise.
  std::string address = "127.0.0.1";
  // 0 picks an ephemeral port.
  uint16_t port = 0;
  RpcServerLimits limits;
};

namespace internal {
class RpcServerCore;
}  // namespace internal

// A DCE/RPC ncacn_ip_tcp listener. Non-copyable; create with `Start`.
class RpcServer {
 public:
  // Counters since `Start`.
  struct Stats {
    // Connections given a handler, and those closed at once because
    // `max_connections` were open or the factory returned nullptr.
    uint64_t connections_accepted = 0;
    uint64_t connections_refused = 0;
    // Bytes read from and written to clients.
    uint64_t bytes_received = 0;
    uint64_t bytes_sent = 0;
    // Connections closed because their handler's `ShouldClose()` said so.
    uint64_t handler_closes = 0;
    // Connections closed by the idle timeout.
    uint64_t idle_closes = 0;
    // Connections closed for passing `max_buffered_bytes`.
    uint64_t overflow_closes = 0;
  };

  // Binds the listener and starts serving on `io`. Bind failures come back as
  // a status: `kInvalidArgument` for an address that does not parse or is not
  // local, `kPermissionDenied` for a privileged port, `kUnavailable` for a
  // port in use. `io` and `factory` must outlive the server.
  static absl::StatusOr<std::unique_ptr<RpcServer>> Start(boost::asio::io_context& io,
                                                          const RpcServerOptions& options,
                                                          RpcConnectionFactory& factory);

  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  // Calls `Stop()`.
  ~RpcServer();

  // The bound TCP port.
  uint16_t port() const;
  // The bound address, as the system prints it ("127.0.0.1", "::1").
  const std::string& address() const;

  // Stops accepting, closes every connection and the listening socket, and
  // destroys every handler (a handler that is running, because it called
  // `Stop()`, is destroyed when it returns). No handler or factory is called
  // again. Idempotent. Pending operations finish (cancelled) the next time the
  // `io_context` runs.
  void Stop();

  // Connections open now.
  size_t open_connections() const;

  const Stats& stats() const;

 private:
  explicit RpcServer(std::shared_ptr<internal::RpcServerCore> core);

  // Shared with the pending asynchronous operations, which may outlive the
  // server by one turn of the `io_context`.
  std::shared_ptr<internal::RpcServerCore> core_;
};

}  // namespace trustsim::net

#endif  // TRUSTSIM_NET_RPC_SERVER_H_
