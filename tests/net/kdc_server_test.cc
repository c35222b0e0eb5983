// Copyright 2026 The trustsim Authors.
//
// KdcServer over real loopback sockets. The server and the test's clients
// share one io_context, run on the test's thread until what a test waits for
// has happened: no threads, no sleeps. `kGuard` only stops a broken test from
// hanging.

// Boost 1.74 Asio with g++ 12 in C++20 needs <utility> before any Asio header,
// so it comes first, even before the header under test.
// clang-format off
#include <utility>
// clang-format on
#include "net/kdc_server.h"

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/kdc_tcp_framing.h"

namespace trustsim::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// How long a test may wait for something that should happen in microseconds.
constexpr std::chrono::seconds kGuard{5};

const asio::ip::address kLoopback = asio::ip::make_address("127.0.0.1");

Bytes Text(absl::string_view text) { return Bytes(text.begin(), text.end()); }

Bytes Framed(absl::string_view text) { return FrameKdcTcpMessage(AsBytes(text)); }

Bytes Concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// What FakeHandler::KdcErrorReply returns: recognisable, and not Kerberos.
Bytes ErrorReply(int32_t code) { return {0x7e, static_cast<uint8_t>(code)}; }

// Answers "reply:" + request, except: "silence" gets an empty reply, "big" a
// 2000-byte one, and "stop" stops the server. Records every call.
class FakeHandler : public KdcRequestHandler {
 public:
  struct Call {
    std::string request;
    KdcTransport transport;
  };

  Bytes HandleKdcRequest(ByteView request, KdcTransport transport) override {
    const std::string text(request.begin(), request.end());
    calls.push_back({text, transport});
    if (text == "silence") return {};
    if (text == "big") return Bytes(2000, 'b');
    if (text == "stop") {
      server->Stop();
      return Text("never sent");
    }
    return Text("reply:" + text);
  }

  Bytes KdcErrorReply(int32_t error_code) override {
    error_codes.push_back(error_code);
    return ErrorReply(error_code);
  }

  std::vector<Call> calls;
  std::vector<int32_t> error_codes;
  KdcServer* server = nullptr;
};

// Runs `io` until `done()` holds or `kGuard` passes; returns `done()`.
bool RunUntil(asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + kGuard;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io.stopped()) io.restart();
    io.run_one_until(deadline);
  }
  return true;
}

// A TCP client that always has a read pending and collects what arrives. Its
// state is shared with the pending read, which may complete after the client
// is gone.
class TcpClient {
 public:
  explicit TcpClient(asio::io_context& io) : state_(std::make_shared<State>(io)) {}
  ~TcpClient() { Close(); }

  // Connects to the server; the kernel completes the handshake before the
  // server accepts.
  void Connect(uint16_t port) {
    error_code error;
    state_->socket.connect(tcp::endpoint(kLoopback, port), error);
    ASSERT_FALSE(error) << error.message();
    state_->socket.set_option(tcp::no_delay(true), error);
    ReadMore(state_);
  }

  void Write(ByteView bytes) {
    error_code error;
    asio::write(state_->socket, asio::buffer(bytes.data(), bytes.size()), error);
    ASSERT_FALSE(error) << error.message();
  }

  void Close() {
    error_code ignored;
    state_->socket.close(ignored);
  }

  const Bytes& received() const { return state_->received; }
  // True once the server closed the connection (EOF or reset).
  bool closed() const { return state_->closed; }

 private:
  struct State {
    explicit State(asio::io_context& io) : socket(io) {}
    tcp::socket socket;
    std::array<uint8_t, 4096> buffer;
    Bytes received;
    bool closed = false;
  };

  static void ReadMore(std::shared_ptr<State> state) {
    State& s = *state;
    s.socket.async_read_some(asio::buffer(s.buffer),
                             [state = std::move(state)](const error_code& error, size_t size) {
                               if (error) {
                                 state->closed = true;
                                 return;
                               }
                               state->received.insert(state->received.end(), state->buffer.begin(),
                                                      state->buffer.begin() + size);
                               ReadMore(state);
                             });
  }

  std::shared_ptr<State> state_;
};

// A UDP client bound to loopback that collects every datagram it receives.
class UdpClient {
 public:
  explicit UdpClient(asio::io_context& io) : state_(std::make_shared<State>(io)) {
    error_code error;
    state_->socket.open(udp::v4(), error);
    if (!error) state_->socket.bind(udp::endpoint(kLoopback, 0), error);
    EXPECT_FALSE(error) << error.message();
    ReadMore(state_);
  }
  ~UdpClient() {
    error_code ignored;
    state_->socket.close(ignored);
  }

  void Send(uint16_t port, ByteView bytes) {
    error_code error;
    state_->socket.send_to(asio::buffer(bytes.data(), bytes.size()), udp::endpoint(kLoopback, port),
                           0, error);
    ASSERT_FALSE(error) << error.message();
  }

  const std::vector<Bytes>& datagrams() const { return state_->datagrams; }

 private:
  struct State {
    explicit State(asio::io_context& io) : socket(io), buffer(65536) {}
    udp::socket socket;
    Bytes buffer;
    udp::endpoint sender;
    std::vector<Bytes> datagrams;
  };

  static void ReadMore(std::shared_ptr<State> state) {
    State& s = *state;
    s.socket.async_receive_from(asio::buffer(s.buffer), s.sender,
                                [state = std::move(state)](const error_code& error, size_t size) {
                                  if (error == asio::error::operation_aborted) return;
                                  if (!error)
                                    state->datagrams.emplace_back(state->buffer.begin(),
                                                                  state->buffer.begin() + size);
                                  ReadMore(state);
                                });
  }

  std::shared_ptr<State> state_;
};

class KdcServerTest : public ::testing::Test {
 protected:
  std::unique_ptr<KdcServer> StartServer(const KdcServerOptions& options = {}) {
    absl::StatusOr<std::unique_ptr<KdcServer>> server = KdcServer::Start(io_, options, handler_);
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return nullptr;
    handler_.server = server->get();
    return *std::move(server);
  }

  // Runs until `client` holds at least `size` bytes or is closed.
  bool WaitForBytes(const TcpClient& client, size_t size) {
    return RunUntil(io_, [&] { return client.received().size() >= size || client.closed(); });
  }

  bool WaitForClose(const TcpClient& client) {
    return RunUntil(io_, [&] { return client.closed(); });
  }

  bool WaitForDatagrams(const UdpClient& client, size_t count) {
    return RunUntil(io_, [&] { return client.datagrams().size() >= count; });
  }

  asio::io_context io_;
  FakeHandler handler_;
};

TEST_F(KdcServerTest, DefaultsBindLoopbackOnOneEphemeralPort) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->address(), "127.0.0.1");
  EXPECT_NE(server->tcp_port(), 0);
  EXPECT_EQ(server->udp_port(), server->tcp_port());
}

TEST_F(KdcServerTest, PortsCanDifferOrOneTransportBeOff) {
  KdcServerOptions options;
  options.same_port = false;
  std::unique_ptr<KdcServer> both = StartServer(options);
  ASSERT_NE(both, nullptr);
  EXPECT_NE(both->tcp_port(), 0);
  EXPECT_NE(both->udp_port(), 0);

  options = {};
  options.enable_udp = false;
  std::unique_ptr<KdcServer> tcp_only = StartServer(options);
  ASSERT_NE(tcp_only, nullptr);
  EXPECT_NE(tcp_only->tcp_port(), 0);
  EXPECT_EQ(tcp_only->udp_port(), 0);

  options = {};
  options.enable_tcp = false;
  std::unique_ptr<KdcServer> udp_only = StartServer(options);
  ASSERT_NE(udp_only, nullptr);
  EXPECT_EQ(udp_only->tcp_port(), 0);
  EXPECT_NE(udp_only->udp_port(), 0);
}

TEST_F(KdcServerTest, TcpRoundTrip) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Framed("hello"));

  const Bytes expected = Framed("reply:hello");
  ASSERT_TRUE(WaitForBytes(client, expected.size()));
  EXPECT_EQ(client.received(), expected);
  ASSERT_EQ(handler_.calls.size(), 1u);
  EXPECT_EQ(handler_.calls[0].request, "hello");
  EXPECT_EQ(handler_.calls[0].transport, KdcTransport::kTcp);
  EXPECT_EQ(server->stats().tcp_connections_accepted, 1u);
  EXPECT_EQ(server->stats().tcp_requests, 1u);
  EXPECT_EQ(server->open_tcp_connections(), 1u);
  EXPECT_FALSE(client.closed());
}

TEST_F(KdcServerTest, TwoRequestsInTurnOnOneConnection) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());

  client.Write(Framed("one"));
  const Bytes first = Framed("reply:one");
  ASSERT_TRUE(WaitForBytes(client, first.size()));
  client.Write(Framed("two"));
  const Bytes both = Concat(first, Framed("reply:two"));
  ASSERT_TRUE(WaitForBytes(client, both.size()));

  EXPECT_EQ(client.received(), both);
  EXPECT_EQ(server->stats().tcp_connections_accepted, 1u);
  EXPECT_EQ(server->stats().tcp_requests, 2u);
}

TEST_F(KdcServerTest, RequestSplitByteByByte) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());

  // Letting the server run between bytes makes separate reads likely; the
  // framer's own tests cover the split deterministically.
  for (uint8_t byte : Framed("split")) {
    client.Write(ByteView(&byte, 1));
    io_.poll();
  }
  const Bytes expected = Framed("reply:split");
  ASSERT_TRUE(WaitForBytes(client, expected.size()));
  EXPECT_EQ(client.received(), expected);
  EXPECT_EQ(server->stats().tcp_requests, 1u);
}

TEST_F(KdcServerTest, TwoRequestsInOneWriteAreAnsweredInOrder) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Concat(Framed("one"), Framed("two")));

  const Bytes expected = Concat(Framed("reply:one"), Framed("reply:two"));
  ASSERT_TRUE(WaitForBytes(client, expected.size()));
  EXPECT_EQ(client.received(), expected);
  ASSERT_EQ(handler_.calls.size(), 2u);
  EXPECT_EQ(handler_.calls[0].request, "one");
  EXPECT_EQ(handler_.calls[1].request, "two");
}

TEST_F(KdcServerTest, HighBitLengthGetsFieldTooLongThenEof) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Bytes{0x80, 0x00, 0x00, 0x05});

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_EQ(client.received(), FrameKdcTcpMessage(ErrorReply(kKrbErrFieldTooLong)));
  EXPECT_THAT(handler_.error_codes, ElementsAre(61));
  EXPECT_THAT(handler_.calls, IsEmpty());
  EXPECT_EQ(server->stats().framing_errors, 1u);
  EXPECT_TRUE(RunUntil(io_, [&] { return server->open_tcp_connections() == 0; }));
}

TEST_F(KdcServerTest, LengthOverTheLimitGetsFieldTooLongThenEof) {
  KdcServerOptions options;
  options.limits.max_message_bytes = 16;
  std::unique_ptr<KdcServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Bytes{0x00, 0x00, 0x00, 17});

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_EQ(client.received(), FrameKdcTcpMessage(ErrorReply(kKrbErrFieldTooLong)));
  EXPECT_THAT(handler_.error_codes, ElementsAre(61));
  EXPECT_THAT(handler_.calls, IsEmpty());
  EXPECT_EQ(server->stats().framing_errors, 1u);
}

TEST_F(KdcServerTest, LengthAtTheLimitIsServed) {
  KdcServerOptions options;
  options.limits.max_message_bytes = 16;
  std::unique_ptr<KdcServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Framed("sixteen-bytes-ok"));

  const Bytes expected = Framed("reply:sixteen-bytes-ok");
  ASSERT_TRUE(WaitForBytes(client, expected.size()));
  EXPECT_EQ(client.received(), expected);
}

TEST_F(KdcServerTest, ZeroLengthCloses) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Bytes{0x00, 0x00, 0x00, 0x00});

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_THAT(client.received(), IsEmpty());
  EXPECT_THAT(handler_.error_codes, IsEmpty());
  EXPECT_EQ(server->stats().framing_errors, 1u);
}

TEST_F(KdcServerTest, EmptyHandlerReplyClosesTcp) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Framed("silence"));

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_THAT(client.received(), IsEmpty());
  EXPECT_EQ(handler_.calls.size(), 1u);
}

TEST_F(KdcServerTest, IdleTimeoutClosesEvenWithAPartialRequest) {
  KdcServerOptions options;
  options.limits.idle_timeout = std::chrono::milliseconds(100);
  std::unique_ptr<KdcServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  const auto start = std::chrono::steady_clock::now();
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Bytes{0x00, 0x00});  // Half a length prefix is no activity.

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_GE(std::chrono::steady_clock::now() - start, options.limits.idle_timeout);
  EXPECT_THAT(client.received(), IsEmpty());
  EXPECT_EQ(server->stats().idle_closes, 1u);
  EXPECT_EQ(server->open_tcp_connections(), 0u);
}

TEST_F(KdcServerTest, ConnectionsOverTheLimitAreClosedAtOnce) {
  KdcServerOptions options;
  options.limits.max_connections = 2;
  std::unique_ptr<KdcServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->tcp_port();

  TcpClient a(io_), b(io_);
  a.Connect(port);
  b.Connect(port);
  a.Write(Framed("a"));
  b.Write(Framed("b"));
  ASSERT_TRUE(WaitForBytes(a, Framed("reply:a").size()));
  ASSERT_TRUE(WaitForBytes(b, Framed("reply:b").size()));

  TcpClient refused(io_);
  refused.Connect(port);
  ASSERT_TRUE(WaitForClose(refused));
  EXPECT_THAT(refused.received(), IsEmpty());
  EXPECT_EQ(server->stats().tcp_connections_accepted, 2u);
  EXPECT_EQ(server->stats().tcp_connections_refused, 1u);
  EXPECT_EQ(server->open_tcp_connections(), 2u);

  // The two that got in still work.
  a.Write(Framed("again"));
  const Bytes a_expected = Concat(Framed("reply:a"), Framed("reply:again"));
  ASSERT_TRUE(WaitForBytes(a, a_expected.size()));
  EXPECT_EQ(a.received(), a_expected);

  // Once one leaves, a newcomer gets its place.
  b.Close();
  ASSERT_TRUE(RunUntil(io_, [&] { return server->open_tcp_connections() == 1; }));
  TcpClient newcomer(io_);
  newcomer.Connect(port);
  newcomer.Write(Framed("c"));
  ASSERT_TRUE(WaitForBytes(newcomer, Framed("reply:c").size()));
  EXPECT_EQ(newcomer.received(), Framed("reply:c"));
  EXPECT_EQ(server->stats().tcp_connections_accepted, 3u);
  EXPECT_EQ(server->stats().tcp_connections_refused, 1u);
}

TEST_F(KdcServerTest, UdpRoundTrip) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  UdpClient client(io_);
  client.Send(server->udp_port(), AsBytes("hello"));

  ASSERT_TRUE(WaitForDatagrams(client, 1));
  EXPECT_THAT(client.datagrams(), ElementsAre(Text("reply:hello")));
  ASSERT_EQ(handler_.calls.size(), 1u);
  EXPECT_EQ(handler_.calls[0].request, "hello");
  EXPECT_EQ(handler_.calls[0].transport, KdcTransport::kUdp);
  EXPECT_EQ(server->stats().udp_requests, 1u);
}

TEST_F(KdcServerTest, UdpReplyTooBigBecomesResponseTooBig) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  UdpClient client(io_);
  client.Send(server->udp_port(), AsBytes("big"));

  ASSERT_TRUE(WaitForDatagrams(client, 1));
  EXPECT_THAT(client.datagrams(), ElementsAre(ErrorReply(kKrbErrResponseTooBig)));
  EXPECT_THAT(handler_.error_codes, ElementsAre(52));
  EXPECT_EQ(server->stats().too_big_replies, 1u);
}

TEST_F(KdcServerTest, TcpCarriesWhatUdpCannot) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Framed("big"));

  const Bytes expected = FrameKdcTcpMessage(Bytes(2000, 'b'));
  ASSERT_TRUE(WaitForBytes(client, expected.size()));
  EXPECT_EQ(client.received(), expected);
  EXPECT_EQ(server->stats().too_big_replies, 0u);
}

TEST_F(KdcServerTest, UdpDropsOversizeDatagramsAndSilentReplies) {
  KdcServerOptions options;
  options.limits.max_message_bytes = 16;
  std::unique_ptr<KdcServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  UdpClient client(io_);
  client.Send(server->udp_port(), Bytes(17, 'x'));
  client.Send(server->udp_port(), AsBytes("silence"));
  client.Send(server->udp_port(), AsBytes("last"));

  // Datagrams are answered one at a time, in order: when the reply to "last"
  // is in, the first two have been dealt with.
  ASSERT_TRUE(WaitForDatagrams(client, 1));
  EXPECT_THAT(client.datagrams(), ElementsAre(Text("reply:last")));
  ASSERT_EQ(handler_.calls.size(), 2u);
  EXPECT_EQ(handler_.calls[0].request, "silence");
  EXPECT_EQ(server->stats().framing_errors, 1u);
  EXPECT_EQ(server->stats().udp_requests, 2u);
}

TEST_F(KdcServerTest, StopClosesEverythingAndIsIdempotent) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->tcp_port();
  TcpClient a(io_), b(io_);
  a.Connect(port);
  b.Connect(port);
  b.Write(Bytes{0x00, 0x00, 0x00, 0x09, 'p'});  // Part of a request, pending.
  ASSERT_TRUE(RunUntil(io_, [&] { return server->open_tcp_connections() == 2; }));

  server->Stop();
  server->Stop();
  EXPECT_EQ(server->open_tcp_connections(), 0u);
  ASSERT_TRUE(WaitForClose(a));
  ASSERT_TRUE(WaitForClose(b));

  tcp::socket late(io_);
  error_code error;
  late.connect(tcp::endpoint(kLoopback, port), error);
  EXPECT_EQ(error, asio::error::connection_refused);
  EXPECT_THAT(handler_.calls, IsEmpty());

  server.reset();  // Stops a third time.
  io_.poll();      // Cancelled operations finish without a server.
}

TEST_F(KdcServerTest, HandlerMayStopTheServer) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Framed("stop"));

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_THAT(client.received(), IsEmpty());
  EXPECT_EQ(handler_.calls.size(), 1u);
}

TEST_F(KdcServerTest, HandlerMayStopTheServerOverUdp) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  UdpClient client(io_);
  client.Send(server->udp_port(), AsBytes("stop"));

  ASSERT_TRUE(RunUntil(io_, [&] { return handler_.calls.size() == 1; }));
  io_.poll();
  EXPECT_THAT(client.datagrams(), IsEmpty());
}

TEST_F(KdcServerTest, DestroyingTheServerClosesOpenConnections) {
  std::unique_ptr<KdcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->tcp_port());
  client.Write(Framed("hello"));
  ASSERT_TRUE(WaitForBytes(client, Framed("reply:hello").size()));

  server.reset();
  ASSERT_TRUE(WaitForClose(client));
  EXPECT_EQ(handler_.calls.size(), 1u);
}

TEST_F(KdcServerTest, BadAddressIsAnError) {
  KdcServerOptions options;
  options.address = "not-an-address";
  absl::StatusOr<std::unique_ptr<KdcServer>> server = KdcServer::Start(io_, options, handler_);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(KdcServerTest, NoTransportIsAnError) {
  KdcServerOptions options;
  options.enable_tcp = false;
  options.enable_udp = false;
  absl::StatusOr<std::unique_ptr<KdcServer>> server = KdcServer::Start(io_, options, handler_);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(KdcServerTest, TcpPortInUseIsAnError) {
  tcp::acceptor taken(io_, tcp::endpoint(kLoopback, 0));
  KdcServerOptions options;
  options.tcp_port = taken.local_endpoint().port();
  absl::StatusOr<std::unique_ptr<KdcServer>> server = KdcServer::Start(io_, options, handler_);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable) << server.status();
}

TEST_F(KdcServerTest, UdpPortInUseIsAnError) {
  udp::socket taken(io_, udp::endpoint(kLoopback, 0));
  KdcServerOptions options;
  options.udp_port = taken.local_endpoint().port();
  absl::StatusOr<std::unique_ptr<KdcServer>> server = KdcServer::Start(io_, options, handler_);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable) << server.status();
}

}  // namespace
}  // namespace trustsim::net
