// Copyright 2026 The trustsim Authors.
//
// kdc_server.h
// -----------------------------------------------------------------------------
//
// `KdcServer` carries Kerberos messages between real clients (MIT kinit,
// impacket, Windows) and a `KdcRequestHandler`, over TCP and UDP as RFC 4120
// section 7.2 describes. It knows nothing of Kerberos itself: the handler
// decodes requests and builds replies, and the server only moves bytes,
// enforces limits and counts what happened.
//
// The server is single-threaded by design. Every callback, and every change
// to its state, happens on the thread running its `io_context`; the handler
// needs no locking. Call `Stop()` (and destroy the server) on that thread, or
// while the `io_context` is not running. The `io_context` must outlive the
// server.
//
// Over TCP every message is preceded by its length (see `kdc_tcp_framing.h`).
// A length with the high bit set, or above `max_message_bytes`, is answered
// with KRB_ERR_FIELD_TOOLONG and the connection closed; a zero length closes
// it. A connection carries any number of requests, answered in order.
//
// Over UDP one datagram is one request. A reply larger than
// `max_udp_reply_bytes` is replaced by KRB_ERR_RESPONSE_TOO_BIG so the client
// retries over TCP, as MIT's KDC does.
//
// Example:
//
//   boost::asio::io_context io;
//   MyKdc kdc;  // a KdcRequestHandler
//   ASSIGN_OR_RETURN(std::unique_ptr<KdcServer> server,
//                    KdcServer::Start(io, KdcServerOptions{}, kdc));
//   std::cout << "KDC on 127.0.0.1:" << server->tcp_port() << "\n";
//   io.run();

#ifndef TRUSTSIM_NET_KDC_SERVER_H_
#define TRUSTSIM_NET_KDC_SERVER_H_

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

// KRB_ERR_FIELD_TOOLONG: the answer to an unusable TCP length prefix.
inline constexpr int32_t kKrbErrFieldTooLong = 61;
// KRB_ERR_RESPONSE_TOO_BIG: tells a UDP client to retry over TCP.
inline constexpr int32_t kKrbErrResponseTooBig = 52;

// The transport a request arrived on.
enum class KdcTransport { kTcp, kUdp };

// What one client may cost the server.
struct KdcServerLimits {
  // The largest request accepted. Larger TCP length prefixes are answered with
  // KRB_ERR_FIELD_TOOLONG; larger UDP datagrams are dropped.
  size_t max_message_bytes = 65536;
  // A TCP connection is closed when no complete request has arrived, and no
  // reply has been sent, for this long. Partial requests do not count as
  // activity, so a client trickling bytes cannot hold a connection open.
  std::chrono::milliseconds idle_timeout{30000};
  // TCP connections open at once. Further connections are accepted and closed
  // at once.
  size_t max_connections = 64;
  // The largest reply sent over UDP. Larger replies become
  // KRB_ERR_RESPONSE_TOO_BIG (which is sent whatever its size).
  size_t max_udp_reply_bytes = 1400;
};

// Where and how the server listens.
struct KdcServerOptions {
  // The address to bind, IPv4 or IPv6. Loopback unless the caller says
  // otherwise.
  std::string address = "127.0.0.1";
  // 0 picks an ephemeral port.
  uint16_t tcp_port = 0;
  // 0 picks an ephemeral port, unless `same_port` applies.
  uint16_t udp_port = 0;
  // With both transports enabled and `udp_port` 0, UDP binds the port TCP got.
  // If TCP's port was ephemeral and UDP cannot have it, both are bound again,
  // a few times, before `Start` gives up.
  bool same_port = true;
  bool enable_tcp = true;
  bool enable_udp = true;
  KdcServerLimits limits;
};

// The Kerberos logic behind a `KdcServer`. Always called on the thread running
// the server's `io_context`. A handler may call `KdcServer::Stop()`.
class KdcRequestHandler {
 public:
  virtual ~KdcRequestHandler() = default;

  // Returns the reply to one request: a whole KDC message, without the TCP
  // length prefix. An empty reply means: send nothing (UDP) or close the
  // connection (TCP).
  virtual Bytes HandleKdcRequest(ByteView request, KdcTransport transport) = 0;

  // Returns a KRB-ERROR carrying `error_code`. The server asks for
  // `kKrbErrFieldTooLong` and `kKrbErrResponseTooBig`. An empty reply means:
  // send nothing.
  virtual Bytes KdcErrorReply(int32_t error_code) = 0;
};

namespace internal {
class KdcServerCore;
}  // namespace internal

// A KDC's TCP and UDP listeners. Non-copyable; create with `Start`.
class KdcServer {
 public:
  // Counters since `Start`.
  struct Stats {
    // TCP connections taken on, and those closed at once because
    // `max_connections` were open.
    uint64_t tcp_connections_accepted = 0;
    uint64_t tcp_connections_refused = 0;
    // Requests handed to the handler, per transport.
    uint64_t tcp_requests = 0;
    uint64_t udp_requests = 0;
    // Unusable TCP length prefixes (high bit, too long, zero), and UDP
    // datagrams dropped for being empty or above `max_message_bytes`.
    uint64_t framing_errors = 0;
    // TCP connections closed by the idle timeout.
    uint64_t idle_closes = 0;
    // UDP replies replaced by KRB_ERR_RESPONSE_TOO_BIG.
    uint64_t too_big_replies = 0;
  };

  // Binds the enabled transports and starts serving on `io`. Bind failures
  // come back as a status: `kInvalidArgument` for an address that does not
  // parse or is not local, `kPermissionDenied` for a privileged port,
  // `kUnavailable` for a port in use. `io` and `handler` must outlive the
  // server.
  static absl::StatusOr<std::unique_ptr<KdcServer>> Start(boost::asio::io_context& io,
                                                          const KdcServerOptions& options,
                                                          KdcRequestHandler& handler);

  KdcServer(const KdcServer&) = delete;
  KdcServer& operator=(const KdcServer&) = delete;

  // Calls `Stop()`.
  ~KdcServer();

  // The bound TCP port, or 0 when TCP is disabled.
  uint16_t tcp_port() const;
  // The bound UDP port, or 0 when UDP is disabled.
  uint16_t udp_port() const;
  // The bound address, as the system prints it ("127.0.0.1", "::1").
  const std::string& address() const;

  // Stops accepting and receiving, and closes every connection and socket.
  // The handler is not called again. Idempotent; safe to call from the
  // handler. Pending operations finish (cancelled) the next time the
  // `io_context` runs.
  void Stop();

  // TCP connections open now.
  size_t open_tcp_connections() const;

  const Stats& stats() const;

 private:
  explicit KdcServer(std::shared_ptr<internal::KdcServerCore> core);

  // Shared with the pending asynchronous operations, which may outlive the
  // server by one turn of the `io_context`.
  std::shared_ptr<internal::KdcServerCore> core_;
};

}  // namespace trustsim::net

#endif  // TRUSTSIM_NET_KDC_SERVER_H_
