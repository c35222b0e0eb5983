// Copyright 2026 The trustsim Authors.
//
// RpcServer over real loopback sockets, with a line-based fake handler in
// place of DCE/RPC. The server and the test's clients share one io_context,
// run on the test's thread until what a test waits for has happened: no
// threads, no sleeps. `kGuard` only stops a broken test from hanging.

// Boost 1.74 Asio with g++ 12 in C++20 needs <utility> before any Asio header,
// so it comes first, even before the header under test.
// clang-format off
#include <utility>
// clang-format on
#include "net/rpc_server.h"

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trustsim::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// How long a test may wait for something that should happen in microseconds.
constexpr std::chrono::seconds kGuard{5};

const asio::ip::address kLoopback = asio::ip::make_address("127.0.0.1");

Bytes Text(absl::string_view text) { return Bytes(text.begin(), text.end()); }

std::string AsString(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

class FakeFactory;

// Frames lines itself, as a DCE/RPC handler frames PDUs. Answers each line
// with "echo:" + line, except: "quit" gets "bye" and closes, "hangup" closes
// without a word, "swallow" gets nothing, "big" gets 300000 bytes, and "stop"
// stops the server. Lines after a close are never looked at.
class FakeHandler : public RpcConnectionHandler {
 public:
  explicit FakeHandler(FakeFactory& factory) : factory_(factory) {}
  ~FakeHandler() override;

  Bytes OnData(ByteView data) override;
  bool ShouldClose() const override { return close_; }

 private:
  FakeFactory& factory_;
  std::string partial_;
  bool close_ = false;
};

// Makes FakeHandlers (or refuses, when `refuse` is set) and records what they
// all saw.
class FakeFactory : public RpcConnectionFactory {
 public:
  std::unique_ptr<RpcConnectionHandler> NewConnection() override {
    ++created;
    if (refuse) return nullptr;
    return std::make_unique<FakeHandler>(*this);
  }

  bool refuse = false;
  int created = 0;
  int destroyed = 0;
  // Every complete line, across connections, in order.
  std::vector<std::string> lines;
  // Bytes passed to OnData, and the largest single piece.
  size_t bytes_seen = 0;
  size_t largest_piece = 0;
  RpcServer* server = nullptr;
};

FakeHandler::~FakeHandler() { ++factory_.destroyed; }

Bytes FakeHandler::OnData(ByteView data) {
  factory_.bytes_seen += data.size();
  factory_.largest_piece = std::max(factory_.largest_piece, data.size());
  partial_.append(data.begin(), data.end());
  std::string reply;
  size_t newline;
  while (!close_ && (newline = partial_.find('\n')) != std::string::npos) {
    const std::string line = partial_.substr(0, newline);
    partial_.erase(0, newline + 1);
    factory_.lines.push_back(line);
    if (line == "quit") {
      reply += "bye\n";
      close_ = true;
    } else if (line == "hangup") {
      close_ = true;
    } else if (line == "swallow") {
    } else if (line == "big") {
      reply += std::string(300000, 'b') + "\n";
    } else if (line == "stop") {
      factory_.server->Stop();
      return Text("never sent\n");
    } else {
      reply += "echo:" + line + "\n";
    }
  }
  return Text(reply);
}

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

  void Write(absl::string_view text) {
    error_code error;
    asio::write(state_->socket, asio::buffer(text.data(), text.size()), error);
    ASSERT_FALSE(error) << error.message();
  }

  void Close() {
    error_code ignored;
    state_->socket.close(ignored);
  }

  std::string received() const { return AsString(state_->received); }
  size_t received_size() const { return state_->received.size(); }
  // True once the server closed the connection (EOF or reset).
  bool closed() const { return state_->closed; }

 private:
  struct State {
    explicit State(asio::io_context& io) : socket(io) {}
    tcp::socket socket;
    std::array<uint8_t, 65536> buffer;
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

class RpcServerTest : public ::testing::Test {
 protected:
  std::unique_ptr<RpcServer> StartServer(const RpcServerOptions& options = {}) {
    absl::StatusOr<std::unique_ptr<RpcServer>> server = RpcServer::Start(io_, options, factory_);
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return nullptr;
    factory_.server = server->get();
    return *std::move(server);
  }

  // Runs until `client` holds at least `size` bytes or is closed.
  bool WaitForBytes(const TcpClient& client, size_t size) {
    return RunUntil(io_, [&] { return client.received_size() >= size || client.closed(); });
  }

  bool WaitForClose(const TcpClient& client) {
    return RunUntil(io_, [&] { return client.closed(); });
  }

  asio::io_context io_;
  FakeFactory factory_;
};

TEST_F(RpcServerTest, DefaultsBindLoopbackOnAnEphemeralPort) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->address(), "127.0.0.1");
  EXPECT_NE(server->port(), 0);
  EXPECT_EQ(server->open_connections(), 0u);
}

TEST_F(RpcServerTest, RoundTrip) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("hello\n");

  const std::string expected = "echo:hello\n";
  ASSERT_TRUE(WaitForBytes(client, expected.size()));
  EXPECT_EQ(client.received(), expected);
  EXPECT_THAT(factory_.lines, ElementsAre("hello"));
  EXPECT_EQ(factory_.created, 1);
  EXPECT_EQ(server->stats().connections_accepted, 1u);
  EXPECT_EQ(server->stats().bytes_received, 6u);
  EXPECT_EQ(server->stats().bytes_sent, expected.size());
  EXPECT_EQ(server->open_connections(), 1u);
  EXPECT_FALSE(client.closed());
}

TEST_F(RpcServerTest, EachConnectionGetsItsOwnHandler) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient a(io_), b(io_);
  a.Connect(server->port());
  b.Connect(server->port());
  // Half a line on each: the handlers' buffers must not mix.
  a.Write("al");
  b.Write("be");
  ASSERT_TRUE(RunUntil(io_, [&] { return factory_.bytes_seen == 4; }));
  a.Write("pha\n");
  b.Write("ta\n");
  ASSERT_TRUE(WaitForBytes(a, std::string("echo:alpha\n").size()));
  ASSERT_TRUE(WaitForBytes(b, std::string("echo:beta\n").size()));
  EXPECT_EQ(a.received(), "echo:alpha\n");
  EXPECT_EQ(b.received(), "echo:beta\n");
  EXPECT_EQ(factory_.created, 2);
}

TEST_F(RpcServerTest, BytesSplitOneByOneReachTheHandler) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());

  // Letting the server run between bytes makes separate reads likely.
  for (char c : std::string("split\n")) {
    client.Write(absl::string_view(&c, 1));
    io_.poll();
  }
  ASSERT_TRUE(WaitForBytes(client, std::string("echo:split\n").size()));
  EXPECT_EQ(client.received(), "echo:split\n");
  EXPECT_THAT(factory_.lines, ElementsAre("split"));
}

TEST_F(RpcServerTest, SeveralRequestsInOneWriteAreAnsweredInOrder) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("one\ntwo\nthree\n");

  const std::string expected = "echo:one\necho:two\necho:three\n";
  ASSERT_TRUE(WaitForBytes(client, expected.size()));
  EXPECT_EQ(client.received(), expected);
  client.Write("four\n");
  ASSERT_TRUE(WaitForBytes(client, expected.size() + std::string("echo:four\n").size()));
  EXPECT_THAT(factory_.lines, ElementsAre("one", "two", "three", "four"));
}

TEST_F(RpcServerTest, ShouldCloseClosesAfterTheReply) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("hi\nquit\n");

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_EQ(client.received(), "echo:hi\nbye\n");
  EXPECT_EQ(server->stats().handler_closes, 1u);
  EXPECT_EQ(server->open_connections(), 0u);
  EXPECT_EQ(factory_.destroyed, 1);
}

TEST_F(RpcServerTest, ShouldCloseWithNothingToSendClosesAtOnce) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("hangup\n");

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_THAT(client.received(), IsEmpty());
  EXPECT_EQ(server->stats().handler_closes, 1u);
  EXPECT_EQ(factory_.destroyed, 1);
}

TEST_F(RpcServerTest, AnEmptyReplyKeepsTheConnection) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("swallow\n");
  ASSERT_TRUE(RunUntil(io_, [&] { return factory_.lines.size() == 1; }));
  client.Write("after\n");

  ASSERT_TRUE(WaitForBytes(client, std::string("echo:after\n").size()));
  EXPECT_EQ(client.received(), "echo:after\n");
  EXPECT_FALSE(client.closed());
}

TEST_F(RpcServerTest, LargeRepliesArriveWhole) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("big\nafter\n");

  const std::string expected = std::string(300000, 'b') + "\necho:after\n";
  ASSERT_TRUE(WaitForBytes(client, expected.size()));
  EXPECT_EQ(client.received(), expected);
  EXPECT_EQ(server->stats().bytes_sent, expected.size());
}

TEST_F(RpcServerTest, IdleTimeoutClosesEvenWithBytesPending) {
  RpcServerOptions options;
  options.limits.idle_timeout = std::chrono::milliseconds(100);
  std::unique_ptr<RpcServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  const auto start = std::chrono::steady_clock::now();
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("half a li");  // Bytes that get no answer are no activity.

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_GE(std::chrono::steady_clock::now() - start, options.limits.idle_timeout);
  EXPECT_THAT(client.received(), IsEmpty());
  EXPECT_EQ(server->stats().idle_closes, 1u);
  EXPECT_EQ(server->open_connections(), 0u);
  EXPECT_EQ(factory_.destroyed, 1);
}

TEST_F(RpcServerTest, UnansweredBytesOverTheLimitClose) {
  RpcServerOptions options;
  options.limits.max_buffered_bytes = 16;
  std::unique_ptr<RpcServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());

  // 16 bytes, then an answer: the count starts again.
  client.Write("fifteen-chars-.\n");
  ASSERT_TRUE(WaitForBytes(client, std::string("echo:fifteen-chars-.\n").size()));
  client.Write("fifteen-chars-!\n");
  ASSERT_TRUE(WaitForBytes(client, 2 * std::string("echo:fifteen-chars-.\n").size()));
  EXPECT_FALSE(client.closed());

  // 17 bytes without an answer: the 17th is never handed over.
  client.Write("seventeen-bytes-x");
  ASSERT_TRUE(WaitForClose(client));
  EXPECT_EQ(factory_.bytes_seen, 16u + 16u + 16u);
  EXPECT_EQ(server->stats().overflow_closes, 1u);
  EXPECT_EQ(server->stats().bytes_received, 16u + 16u + 17u);
  EXPECT_EQ(factory_.destroyed, 1);
}

TEST_F(RpcServerTest, TheLimitAppliesBetweenAnswersNotPerRead) {
  RpcServerOptions options;
  options.limits.max_buffered_bytes = 16;
  std::unique_ptr<RpcServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  // 29 bytes in one write, but never more than 16 without an answer.
  client.Write("first-line\nsecond-line\nthird\n");

  const std::string expected = "echo:first-line\necho:second-line\necho:third\n";
  ASSERT_TRUE(WaitForBytes(client, expected.size()));
  EXPECT_EQ(client.received(), expected);
  EXPECT_LE(factory_.largest_piece, 16u);
  EXPECT_FALSE(client.closed());
  EXPECT_EQ(server->stats().overflow_closes, 0u);
}

TEST_F(RpcServerTest, ConnectionsOverTheLimitAreClosedAtOnce) {
  RpcServerOptions options;
  options.limits.max_connections = 2;
  std::unique_ptr<RpcServer> server = StartServer(options);
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->port();

  TcpClient a(io_), b(io_);
  a.Connect(port);
  b.Connect(port);
  a.Write("a\n");
  b.Write("b\n");
  ASSERT_TRUE(WaitForBytes(a, std::string("echo:a\n").size()));
  ASSERT_TRUE(WaitForBytes(b, std::string("echo:b\n").size()));

  TcpClient refused(io_);
  refused.Connect(port);
  ASSERT_TRUE(WaitForClose(refused));
  EXPECT_THAT(refused.received(), IsEmpty());
  EXPECT_EQ(server->stats().connections_accepted, 2u);
  EXPECT_EQ(server->stats().connections_refused, 1u);
  EXPECT_EQ(server->open_connections(), 2u);
  EXPECT_EQ(factory_.created, 2);  // The factory is not asked.

  // Once one leaves, a newcomer gets its place.
  b.Close();
  ASSERT_TRUE(RunUntil(io_, [&] { return server->open_connections() == 1; }));
  EXPECT_EQ(factory_.destroyed, 1);
  TcpClient newcomer(io_);
  newcomer.Connect(port);
  newcomer.Write("c\n");
  ASSERT_TRUE(WaitForBytes(newcomer, std::string("echo:c\n").size()));
  EXPECT_EQ(newcomer.received(), "echo:c\n");
  EXPECT_EQ(server->stats().connections_accepted, 3u);
  EXPECT_EQ(server->stats().connections_refused, 1u);
}

TEST_F(RpcServerTest, AFactoryMayRefuse) {
  factory_.refuse = true;
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("hello\n");

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_THAT(client.received(), IsEmpty());
  EXPECT_EQ(factory_.created, 1);
  EXPECT_EQ(server->stats().connections_accepted, 0u);
  EXPECT_EQ(server->stats().connections_refused, 1u);
}

TEST_F(RpcServerTest, StopClosesEverythingAndIsIdempotent) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->port();
  TcpClient a(io_), b(io_);
  a.Connect(port);
  b.Connect(port);
  b.Write("part of a li");
  ASSERT_TRUE(RunUntil(io_, [&] { return factory_.bytes_seen == 12; }));
  ASSERT_EQ(server->open_connections(), 2u);

  server->Stop();
  server->Stop();
  EXPECT_EQ(server->open_connections(), 0u);
  EXPECT_EQ(factory_.destroyed, 2);  // At once, not when the io_context runs.
  ASSERT_TRUE(WaitForClose(a));
  ASSERT_TRUE(WaitForClose(b));

  tcp::socket late(io_);
  error_code error;
  late.connect(tcp::endpoint(kLoopback, port), error);
  EXPECT_EQ(error, asio::error::connection_refused);
  EXPECT_THAT(factory_.lines, IsEmpty());

  server.reset();  // Stops a third time.
  io_.poll();      // Cancelled operations finish without a server.
}

TEST_F(RpcServerTest, HandlerMayStopTheServer) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("stop\n");

  ASSERT_TRUE(WaitForClose(client));
  EXPECT_THAT(client.received(), IsEmpty());
  EXPECT_THAT(factory_.lines, ElementsAre("stop"));
  EXPECT_EQ(factory_.destroyed, 1);
  EXPECT_EQ(server->open_connections(), 0u);
}

TEST_F(RpcServerTest, ClientHangupDestroysTheHandler) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("hello\n");
  ASSERT_TRUE(WaitForBytes(client, std::string("echo:hello\n").size()));

  client.Close();
  ASSERT_TRUE(RunUntil(io_, [&] { return server->open_connections() == 0; }));
  EXPECT_EQ(factory_.destroyed, 1);
}

TEST_F(RpcServerTest, DestroyingTheServerClosesOpenConnections) {
  std::unique_ptr<RpcServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  TcpClient client(io_);
  client.Connect(server->port());
  client.Write("hello\n");
  ASSERT_TRUE(WaitForBytes(client, std::string("echo:hello\n").size()));

  server.reset();
  EXPECT_EQ(factory_.destroyed, 1);
  ASSERT_TRUE(WaitForClose(client));
}

TEST_F(RpcServerTest, BadAddressIsAnError) {
  RpcServerOptions options;
  options.address = "not-an-address";
  absl::StatusOr<std::unique_ptr<RpcServer>> server = RpcServer::Start(io_, options, factory_);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RpcServerTest, NonLocalAddressIsAnError) {
  RpcServerOptions options;
  options.address = "192.0.2.1";  // TEST-NET-1 (RFC 5737): on no interface.
  absl::StatusOr<std::unique_ptr<RpcServer>> server = RpcServer::Start(io_, options, factory_);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument) << server.status();
}

TEST_F(RpcServerTest, PortInUseIsAnError) {
  tcp::acceptor taken(io_, tcp::endpoint(kLoopback, 0));
  RpcServerOptions options;
  options.port = taken.local_endpoint().port();
  absl::StatusOr<std::unique_ptr<RpcServer>> server = RpcServer::Start(io_, options, factory_);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable) << server.status();
}

}  // namespace
}  // namespace trustsim::net
