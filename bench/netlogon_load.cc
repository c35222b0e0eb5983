// Copyright 2026 The trustsim Authors.
//
// netlogon_load: a Netlogon secure-channel handshake load generator, for
// docs/performance.md.
//
//   netlogon_load --netlogon 127.0.0.1:49664 --computer WS01 --account 'WS01$'
//                 (--keytab ws01.keytab | --password P) [--connections 16]
//                 [--seconds 5] [--warmup 1] [--threads 1] [--json]
//
// Each of `--connections` workers opens one persistent TCP connection
// (ncacn_ip_tcp), binds it once to the Netlogon interface
// (12345678-1234-abcd-ef00-01234567cffb v1.0, NDR 2.0, no auth), then runs
// full handshakes back to back, as a member setting up its secure channel:
//
//   NetrServerReqChallenge (opnum 4)   a random client challenge
//                                      -> the server challenge
//   NetrServerAuthenticate3 (opnum 26) the ClientCredential, flags 0x212fffff
//                                      -> the ServerCredential, checked
//                                         (ClientHandshake::Finish)
//
// A handshake's latency runs from sending the ReqChallenge to the verified
// ServerCredential; connecting and binding are not part of it.
//
// The machine password comes as its NT hash: the rc4-hmac key of `--account`
// in `--keytab` (an rc4-hmac key is the NT hash), or the NT hash of
// `--password`.
//
// Computer names. A DC keeps one pending challenge per computer name (as
// Windows and Samba do), so concurrent handshakes under one name overwrite
// each other's challenges and fail. Connection 0 therefore uses `--computer`
// and connection i > 0 uses `<computer>-<i>`, all authenticating as
// `--account` (the DC keys challenges and sessions by computer name and looks
// the password up by account name). `--shared-computer-name` makes every
// connection use `--computer` as is, to see the collisions.
//
// The run is `--warmup` seconds whose results are dropped, then `--seconds`
// measured: a handshake counts when it completes inside the measured window.
// A non-zero NTSTATUS, a fault, a reply that does not decode or verify, a
// socket error or a 10 s timeout is an error; after a fault or a transport
// error the worker reconnects and binds again. More than 1% errors makes the
// exit status 1; bad flags, keytab or address make it 2.
//
// Prints one line, or with --json one object: "handshakes_per_second",
// "p50_ms", "p99_ms", "max_ms", "errors", "error_rate", "reconnects" and the
// client's own CPU time, "client_cpu_seconds" (the client shares the machine
// with the DC on loopback). The distinct error messages go to stderr.

// Boost 1.74 Asio with g++ 12 in C++20 needs <utility> before any Asio header,
// so it comes first.
// clang-format off
#include <utility>
// clang-format on

#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/bytes.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/crypto/system_random.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/dcerpc/pdu.h"
#include "protocol/kerberos/keytab.h"
#include "protocol/netlogon/challenge.h"
#include "protocol/netlogon/handshake.h"
#include "protocol/netlogon/negotiate_flags.h"
#include "protocol/netlogon/rpc.h"
#include "protocol/netlogon/rpc_client.h"
#include "protocol/netlogon/server.h"
#include "protocol/ntstatus.h"

namespace {

namespace asio = boost::asio;
namespace crypto = trustsim::crypto;
namespace dcerpc = trustsim::dcerpc;
namespace netlogon = trustsim::netlogon;
using asio::ip::tcp;
using boost::system::error_code;
using trustsim::Bytes;
using trustsim::ByteView;
using Clock = std::chrono::steady_clock;

constexpr int kExitOk = 0;
constexpr int kExitTooManyErrors = 1;
constexpr int kExitUsage = 2;

// What a Windows member sends when it does not ask for schannel (MS-NRPC
// 3.1.4.2; negotiate_flags.h): AES, strong keys, and the rest.
constexpr uint32_t kDefaultFlags = netlogon::kWindowsClientFlagsNoSchannel;  // 0x212fffff
// NETLOGON_NEG_SUPPORTS_AES.
constexpr uint32_t kNegSupportsAes = 0x01000000;
// No reply to a request in this time is an error.
constexpr auto kRequestTimeout = std::chrono::seconds(10);
// How often each thread looks for requests past kRequestTimeout.
constexpr auto kWatchdogPeriod = std::chrono::milliseconds(250);
// After an error a worker waits this long, so a failing DC is not hammered in
// a tight loop.
constexpr auto kErrorPause = std::chrono::milliseconds(10);
// The error messages kept to show, by distinct text.
constexpr size_t kMaxErrorKinds = 8;
// The presentation context the workers bind.
constexpr uint16_t kContextId = 0;
// Fragment sizes offered in the bind (impacket's).
constexpr uint16_t kMaxFragment = 4280;
// A response larger than this, over all its fragments, is an error.
constexpr size_t kMaxResponseStub = 1 << 20;

// What one thread measured.
struct Stats {
  std::vector<int64_t> latencies_us;  // handshakes completed in the window
  uint64_t errors = 0;                // errors in the window
  uint64_t warmup_handshakes = 0;
  uint64_t warmup_errors = 0;
  uint64_t connects = 0;  // connections opened and bound, warm-up included
  std::map<std::string, uint64_t> error_kinds;
};

// Run-wide settings shared read-only by every worker.
struct Plan {
  tcp::endpoint server;
  crypto::NtHash nt_hash{};
  std::string account;
  std::optional<std::string> primary_name;
  uint32_t flags = kDefaultFlags;
  netlogon::SecureChannelType channel_type = netlogon::SecureChannelType::kWorkstation;
  Bytes bind_pdu;
  Clock::time_point measure_start;
  Clock::time_point measure_end;
};

uint16_t LoadLe16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | static_cast<uint16_t>(p[1]) << 8);
}

// One worker: one connection, handshakes back to back until the measured
// window ends. Every handler runs on the thread of its io_context, one at a
// time.
class Worker : public std::enable_shared_from_this<Worker> {
 public:
  Worker(asio::io_context& io, const Plan& plan, Stats& stats, trustsim::RandomSource& rng,
         std::string computer_name)
      : io_(io),
        plan_(plan),
        stats_(stats),
        rng_(rng),
        computer_name_(std::move(computer_name)),
        socket_(io),
        pause_(io),
        in_(2 * dcerpc::kMaxPduSize) {}

  void Start() { Connect(); }

  bool done() const { return done_; }

  // Called by the watchdog: fails the request in flight if it has waited too
  // long.
  void CheckTimeout(Clock::time_point now) {
    if (waiting_ && now - sent_at_ >= kRequestTimeout) {
      timed_out_ = true;
      error_code ignored;
      socket_.close(ignored);  // the pending read fails with operation_aborted
    }
  }

 private:
  enum class Step { kBind, kReqChallenge, kAuthenticate3 };

  bool WindowOver() const { return Clock::now() >= plan_.measure_end; }

  void Finish() {
    done_ = true;
    waiting_ = false;
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  void Connect() {
    if (WindowOver()) return Finish();
    socket_ = tcp::socket(io_);
    in_begin_ = in_end_ = 0;
    call_id_ = 0;
    step_ = Step::kBind;
    sent_at_ = Clock::now();
    waiting_ = true;
    timed_out_ = false;
    socket_.async_connect(plan_.server, [self = shared_from_this()](const error_code& error) {
      if (error) return self->SocketError("connect", error);
      error_code ignored;
      self->socket_.set_option(tcp::no_delay(true), ignored);
      self->Send(self->plan_.bind_pdu);
    });
  }

  // Writes one PDU (already encoded, call id included) and reads the reply.
  void Send(Bytes pdu) {
    ++call_id_;
    out_ = std::move(pdu);
    sent_at_ = Clock::now();
    waiting_ = true;
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this()](const error_code& error, size_t) {
                        if (error) return self->SocketError("write", error);
                        self->ReadPdu();
                      });
  }

  // Completes one PDU in `in_`, reading as needed, then hands it on.
  void ReadPdu() {
    const size_t have = in_end_ - in_begin_;
    if (have >= dcerpc::kCommonHeaderSize) {
      const uint16_t frag_length = LoadLe16(in_.data() + in_begin_ + 8);
      if (frag_length < dcerpc::kCommonHeaderSize) {
        return Fail(absl::StrCat("frag_length ", frag_length), /*reconnect=*/true);
      }
      if (have >= frag_length) {
        const ByteView pdu(in_.data() + in_begin_, frag_length);
        in_begin_ += frag_length;
        if (in_begin_ == in_end_) in_begin_ = in_end_ = 0;
        return OnPdu(pdu);
      }
    }
    if (in_begin_ > 0) {
      std::memmove(in_.data(), in_.data() + in_begin_, have);
      in_begin_ = 0;
      in_end_ = have;
    }
    socket_.async_read_some(asio::buffer(in_.data() + in_end_, in_.size() - in_end_),
                            [self = shared_from_this()](const error_code& error, size_t size) {
                              if (error) return self->SocketError("read", error);
                              self->in_end_ += size;
                              self->ReadPdu();
                            });
  }

  void OnPdu(ByteView pdu) {
    absl::StatusOr<dcerpc::CommonHeader> header = dcerpc::ParseCommonHeader(pdu);
    if (!header.ok()) return Fail(absl::StrCat("reply: ", header.status().message()), true);
    if (header->call_id != call_id_) {
      return Fail(absl::StrCat("reply to call ", header->call_id, ", expected ", call_id_), true);
    }
    if (header->ptype == dcerpc::kPtypeFault) {
      absl::StatusOr<dcerpc::FaultPdu> fault = dcerpc::ParseFault(pdu);
      if (!fault.ok()) return Fail(absl::StrCat("fault: ", fault.status().message()), true);
      return Fail(absl::StrFormat("%s: fault 0x%08x", StepName(), fault->status), true);
    }
    if (step_ == Step::kBind) {
      if (header->ptype == dcerpc::kPtypeBindNak) return Fail("bind: bind_nak", true);
      absl::StatusOr<dcerpc::BindAckPdu> ack = dcerpc::ParseBindAck(pdu);
      if (!ack.ok()) return Fail(absl::StrCat("bind_ack: ", ack.status().message()), true);
      if (ack->results.empty() || ack->results[0].result != dcerpc::kResultAcceptance) {
        return Fail("bind: the Netlogon interface with NDR 2.0 was not accepted", true);
      }
      ++stats_.connects;
      waiting_ = false;
      return StartHandshake();
    }
    absl::StatusOr<dcerpc::ResponsePdu> response = dcerpc::ParseResponse(pdu);
    if (!response.ok()) {
      return Fail(absl::StrCat(StepName(), ": response: ", response.status().message()), true);
    }
    if (response->pfc_flags & dcerpc::kPfcFirstFrag) stub_.clear();
    if (stub_.size() + response->stub.size() > kMaxResponseStub) {
      return Fail(absl::StrCat(StepName(), ": response over ", kMaxResponseStub, " bytes"), true);
    }
    stub_.insert(stub_.end(), response->stub.begin(), response->stub.end());
    if (!(response->pfc_flags & dcerpc::kPfcLastFrag)) return ReadPdu();
    waiting_ = false;
    if (step_ == Step::kReqChallenge) return OnReqChallenge();
    return OnAuthenticate3();
  }

  const char* StepName() const {
    switch (step_) {
      case Step::kBind:
        return "bind";
      case Step::kReqChallenge:
        return "NetrServerReqChallenge";
      case Step::kAuthenticate3:
        return "NetrServerAuthenticate3";
    }
    return "?";
  }

  absl::Status SendRequest(uint16_t opnum, Bytes stub) {
    dcerpc::RequestPdu request;
    request.call_id = call_id_ + 1;
    request.alloc_hint = static_cast<uint32_t>(stub.size());
    request.context_id = kContextId;
    request.opnum = opnum;
    request.stub = std::move(stub);
    absl::StatusOr<Bytes> pdu = dcerpc::EncodeRequest(request);
    if (!pdu.ok()) return pdu.status();
    Send(*std::move(pdu));
    return absl::OkStatus();
  }

  void StartHandshake() {
    if (WindowOver()) return Finish();
    handshake_start_ = Clock::now();
    step_ = Step::kReqChallenge;
    // A challenge with its first five bytes equal is refused (Zerologon
    // hardening); draw again, as Windows does.
    do {
      rng_.Fill(absl::MakeSpan(client_challenge_));
    } while (!netlogon::CheckClientChallengeIsRandom(client_challenge_).ok());
    absl::StatusOr<Bytes> stub =
        netlogon::EncodeReqChallengeRequest(plan_.primary_name, computer_name_, client_challenge_);
    if (!stub.ok()) return Fail(absl::StrCat("encode: ", stub.status().message()), false);
    if (absl::Status st = SendRequest(netlogon::kOpNetrServerReqChallenge, *std::move(stub));
        !st.ok()) {
      return Fail(absl::StrCat("encode: ", st.message()), false);
    }
  }

  void OnReqChallenge() {
    absl::StatusOr<netlogon::ReqChallengeResponse> reply =
        netlogon::DecodeReqChallengeResponse(stub_);
    if (!reply.ok()) {
      return Fail(absl::StrCat("NetrServerReqChallenge: ", reply.status().message()), false);
    }
    if (reply->status != 0) {
      return Fail(absl::StrCat("NetrServerReqChallenge: ", StatusName(reply->status)), false);
    }
    handshake_.emplace(plan_.flags, plan_.nt_hash, client_challenge_, reply->server_challenge);
    step_ = Step::kAuthenticate3;
    absl::StatusOr<Bytes> stub = netlogon::EncodeAuthenticate3Request(
        plan_.primary_name, plan_.account, plan_.channel_type, computer_name_,
        handshake_->client_credential(), plan_.flags);
    if (!stub.ok()) return Fail(absl::StrCat("encode: ", stub.status().message()), false);
    if (absl::Status st = SendRequest(netlogon::kOpNetrServerAuthenticate3, *std::move(stub));
        !st.ok()) {
      return Fail(absl::StrCat("encode: ", st.message()), false);
    }
  }

  void OnAuthenticate3() {
    absl::StatusOr<netlogon::Authenticate3Response> reply =
        netlogon::DecodeAuthenticate3Response(stub_);
    if (!reply.ok()) {
      return Fail(absl::StrCat("NetrServerAuthenticate3: ", reply.status().message()), false);
    }
    if (reply->status != 0) {
      return Fail(absl::StrCat("NetrServerAuthenticate3: ", StatusName(reply->status)), false);
    }
    if ((reply->negotiate_flags & kNegSupportsAes) != (plan_.flags & kNegSupportsAes)) {
      return Fail(absl::StrFormat("NetrServerAuthenticate3: negotiated flags 0x%08x drop AES",
                                  reply->negotiate_flags),
                  false);
    }
    absl::StatusOr<netlogon::ClientCredentialChain> chain =
        handshake_->Finish(reply->server_credential);
    if (!chain.ok()) {
      return Fail(absl::StrCat("ServerCredential: ", chain.status().message()), false);
    }
    Succeed();
  }

  static std::string StatusName(uint32_t status) {
    return absl::StrFormat("%s (0x%08x)",
                           trustsim::NtStatusName(static_cast<trustsim::NtStatus>(status)), status);
  }

  void Succeed() {
    const Clock::time_point end = Clock::now();
    if (end >= plan_.measure_start && end < plan_.measure_end) {
      stats_.latencies_us.push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(end - handshake_start_).count());
    } else if (end < plan_.measure_start) {
      ++stats_.warmup_handshakes;
    }
    StartHandshake();
  }

  void SocketError(const char* what, const error_code& error) {
    Fail(timed_out_
             ? absl::StrCat(StepName(), ": ", what, ": no reply in ", kRequestTimeout.count(), " s")
             : absl::StrCat(StepName(), ": ", what, ": ", error.message()),
         /*reconnect=*/true);
  }

  // Counts an error; goes on after a pause, on a new connection if
  // `reconnect` (the connection's state is unknown).
  void Fail(const std::string& message, bool reconnect) {
    waiting_ = false;
    if (reconnect) {
      error_code ignored;
      socket_.close(ignored);
    }
    const Clock::time_point end = Clock::now();
    if (end < plan_.measure_start) {
      ++stats_.warmup_errors;
    } else if (end < plan_.measure_end) {
      ++stats_.errors;
    } else {
      return Finish();  // after the window: neither counted nor retried
    }
    auto kind = stats_.error_kinds.find(message);
    if (kind != stats_.error_kinds.end()) {
      ++kind->second;
    } else if (stats_.error_kinds.size() < kMaxErrorKinds) {
      stats_.error_kinds.emplace(message, 1);
    }
    pause_.expires_after(kErrorPause);
    pause_.async_wait([self = shared_from_this(), reconnect](const error_code&) {
      if (reconnect) {
        self->Connect();
      } else {
        self->StartHandshake();
      }
    });
  }

  asio::io_context& io_;
  const Plan& plan_;
  Stats& stats_;
  trustsim::RandomSource& rng_;
  const std::string computer_name_;
  tcp::socket socket_;
  asio::steady_timer pause_;
  Step step_ = Step::kBind;
  uint32_t call_id_ = 0;  // of the last request sent
  bool waiting_ = false;  // a request is in flight
  bool timed_out_ = false;
  bool done_ = false;
  Clock::time_point sent_at_;
  Clock::time_point handshake_start_;
  netlogon::NetlogonChallenge client_challenge_{};
  std::optional<netlogon::ClientHandshake> handshake_;
  Bytes out_;
  // Bytes read and not yet consumed: in_[in_begin_, in_end_).
  Bytes in_;
  size_t in_begin_ = 0;
  size_t in_end_ = 0;
  // The response stub being reassembled.
  Bytes stub_;
};

// Fails requests that waited past kRequestTimeout, every kWatchdogPeriod,
// until every worker of its thread is done. One timer per thread instead of
// one per request keeps timer bookkeeping off the measured path.
class Watchdog : public std::enable_shared_from_this<Watchdog> {
 public:
  explicit Watchdog(asio::io_context& io) : timer_(io) {}
  void Add(std::shared_ptr<Worker> worker) { workers_.push_back(std::move(worker)); }
  void Start() {
    timer_.expires_after(kWatchdogPeriod);
    timer_.async_wait([self = shared_from_this()](const error_code&) {
      const Clock::time_point now = Clock::now();
      bool all_done = true;
      for (const std::shared_ptr<Worker>& w : self->workers_) {
        w->CheckTimeout(now);
        all_done = all_done && w->done();
      }
      if (all_done) {
        self->workers_.clear();
        return;
      }
      self->Start();
    });
  }

 private:
  asio::steady_timer timer_;
  std::vector<std::shared_ptr<Worker>> workers_;
};

// The NT hash of `account` from a keytab: its rc4-hmac key of the highest
// kvno (an rc4-hmac key is the NT hash of the password).
absl::StatusOr<crypto::NtHash> NtHashFromKeytab(const std::string& path,
                                                const std::string& account) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open keytab ", path));
  const Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  absl::StatusOr<std::vector<trustsim::kerberos::KeytabEntry>> entries =
      trustsim::kerberos::ParseKeytab(file);
  if (!entries.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("keytab ", path, ": ", entries.status().message()));
  }
  std::optional<crypto::NtHash> hash;
  uint32_t best_kvno = 0;
  std::set<std::string> seen;
  for (const trustsim::kerberos::KeytabEntry& e : *entries) {
    seen.insert(absl::StrCat(absl::StrJoin(e.components, "/"), "@", e.realm, " etype ",
                             static_cast<int>(e.key.type)));
    if (e.components.size() != 1 || !absl::EqualsIgnoreCase(e.components[0], account)) continue;
    if (e.key.type != crypto::EncType::kRc4Hmac || e.key.bytes.size() != 16) continue;
    if (hash.has_value() && e.kvno < best_kvno) continue;
    crypto::NtHash h;
    std::copy(e.key.bytes.begin(), e.key.bytes.end(), h.begin());
    hash = h;
    best_kvno = e.kvno;
  }
  if (!hash.has_value()) {
    return absl::NotFoundError(absl::StrCat("keytab ", path, " has no rc4-hmac key for ", account,
                                            " (it holds: ", absl::StrJoin(seen, ", "), ")"));
  }
  return *hash;
}

// The `q` quantile of sorted latencies, nearest-rank, in milliseconds.
double QuantileMs(const std::vector<int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / 1000.0;
}

// `s` as the inside of a JSON string.
std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", static_cast<int>(c));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<tcp::endpoint> Resolve(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--netlogon: expected HOST:PORT, got \"", host_port, "\""));
  }
  std::string host = host_port.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  uint32_t port = 0;
  if (!absl::SimpleAtoi(host_port.substr(colon + 1), &port) || port == 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("--netlogon: bad port in \"", host_port, "\""));
  }
  asio::io_context io;
  tcp::resolver resolver(io);
  error_code error;
  auto results = resolver.resolve(host, std::to_string(port), error);
  if (error || results.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--netlogon: cannot resolve \"", host, "\": ", error.message()));
  }
  return results.begin()->endpoint();
}

absl::StatusOr<Bytes> BindPdu() {
  dcerpc::BindPdu bind;
  bind.call_id = 1;
  bind.max_xmit_frag = kMaxFragment;
  bind.max_recv_frag = kMaxFragment;
  bind.contexts.push_back(
      dcerpc::PresentationContext{kContextId, netlogon::NetlogonSyntax(), {dcerpc::Ndr20Syntax()}});
  return dcerpc::EncodeBind(bind);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "netlogon_load: Netlogon handshakes (NetrServerReqChallenge + NetrServerAuthenticate3) "
      "against a DC over ncacn_ip_tcp"};
  std::string server, computer, account, keytab_path, password, primary_name;
  int connections = 16;
  int threads = 1;
  double seconds = 5;
  double warmup = 1;
  bool json = false;
  bool shared_name = false;
  app.add_option("--netlogon", server, "The DC's Netlogon endpoint, HOST:PORT")->required();
  app.add_option("--computer", computer, "Computer name, e.g. WS01")->required();
  app.add_option("--account", account, "Machine account, e.g. 'WS01$'")->required();
  auto* keytab_opt =
      app.add_option("--keytab", keytab_path, "Keytab holding the account's rc4-hmac key");
  auto* password_opt = app.add_option("--password", password, "The machine password (UTF-8)");
  keytab_opt->excludes(password_opt);
  app.add_option("--primary-name", primary_name,
                 "PrimaryName sent in each call, e.g. '\\\\DC01' (default: NULL)");
  app.add_option("--connections", connections, "Concurrent connections, one handshake each")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--threads", threads, "Client threads (each with its own io_context)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--seconds", seconds, "Measured seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--warmup", warmup, "Seconds run first and not measured")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_flag("--shared-computer-name", shared_name,
               "Every connection uses --computer (their challenges collide)");
  app.add_flag("--json", json, "Print one JSON object");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (keytab_opt->count() == 0 && password_opt->count() == 0) {
    std::fprintf(stderr, "netlogon_load: give --keytab or --password\n");
    return kExitUsage;
  }

  Plan plan;
  absl::StatusOr<tcp::endpoint> endpoint = Resolve(server);
  if (!endpoint.ok()) {
    std::fprintf(stderr, "netlogon_load: %s\n", std::string(endpoint.status().message()).c_str());
    return kExitUsage;
  }
  plan.server = *endpoint;
  absl::StatusOr<crypto::NtHash> nt_hash = keytab_opt->count() > 0
                                               ? NtHashFromKeytab(keytab_path, account)
                                               : crypto::NtHashOfPassword(password);
  if (!nt_hash.ok()) {
    std::fprintf(stderr, "netlogon_load: %s\n", std::string(nt_hash.status().message()).c_str());
    return kExitUsage;
  }
  plan.nt_hash = *nt_hash;
  plan.account = account;
  if (!primary_name.empty()) plan.primary_name = primary_name;
  absl::StatusOr<Bytes> bind = BindPdu();
  if (!bind.ok()) {
    std::fprintf(stderr, "netlogon_load: bind: %s\n", std::string(bind.status().message()).c_str());
    return kExitUsage;
  }
  plan.bind_pdu = *std::move(bind);

  threads = std::min(threads, connections);
  std::vector<std::unique_ptr<asio::io_context>> ios;
  std::vector<Stats> stats(threads);
  std::vector<crypto::SystemRandom> rngs(threads);
  std::vector<std::shared_ptr<Watchdog>> watchdogs;
  for (int t = 0; t < threads; ++t) {
    ios.push_back(std::make_unique<asio::io_context>(1));
    watchdogs.push_back(std::make_shared<Watchdog>(*ios[t]));
  }

  const Clock::time_point start = Clock::now();
  plan.measure_start =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  plan.measure_end = plan.measure_start + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(seconds));
  for (int c = 0; c < connections; ++c) {
    const int t = c % threads;
    std::string name = shared_name || c == 0 ? computer : absl::StrCat(computer, "-", c);
    auto worker = std::make_shared<Worker>(*ios[t], plan, stats[t], rngs[t], std::move(name));
    watchdogs[t]->Add(worker);
    worker->Start();
  }
  for (std::shared_ptr<Watchdog>& w : watchdogs) w->Start();
  std::vector<std::thread> runners;
  for (int t = 1; t < threads; ++t) runners.emplace_back([&ios, t] { ios[t]->run(); });
  ios[0]->run();
  for (std::thread& r : runners) r.join();
  const double window =
      std::chrono::duration<double>(plan.measure_end - plan.measure_start).count();

  Stats total;
  for (Stats& s : stats) {
    total.latencies_us.insert(total.latencies_us.end(), s.latencies_us.begin(),
                              s.latencies_us.end());
    total.errors += s.errors;
    total.warmup_handshakes += s.warmup_handshakes;
    total.warmup_errors += s.warmup_errors;
    total.connects += s.connects;
    for (const auto& [message, count] : s.error_kinds) total.error_kinds[message] += count;
  }
  std::sort(total.latencies_us.begin(), total.latencies_us.end());
  const uint64_t handshakes = total.latencies_us.size();
  const double rate = static_cast<double>(handshakes) / window;
  const double p50 = QuantileMs(total.latencies_us, 0.50);
  const double p99 = QuantileMs(total.latencies_us, 0.99);
  const double max =
      total.latencies_us.empty() ? 0 : static_cast<double>(total.latencies_us.back()) / 1000.0;
  const uint64_t attempts = handshakes + total.errors;
  const double error_rate =
      attempts == 0 ? 1.0 : static_cast<double>(total.errors) / static_cast<double>(attempts);
  const uint64_t reconnects =
      total.connects > static_cast<uint64_t>(connections) ? total.connects - connections : 0;

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu_seconds =
      static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;

  for (const auto& [message, count] : total.error_kinds) {
    std::fprintf(stderr, "netlogon_load: error (x%llu, warm-up included): %s\n",
                 static_cast<unsigned long long>(count), message.c_str());
  }
  if (json) {
    std::printf(
        "{\"netlogon\":\"%s\",\"connections\":%d,\"threads\":%d,\"seconds\":%.3f,"
        "\"handshakes\":%llu,\"handshakes_per_second\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
        "\"max_ms\":%.3f,\"errors\":%llu,\"error_rate\":%.6f,\"warmup_handshakes\":%llu,"
        "\"warmup_errors\":%llu,\"reconnects\":%llu,\"client_cpu_seconds\":%.3f}\n",
        JsonEscape(server).c_str(), connections, threads, window,
        static_cast<unsigned long long>(handshakes), rate, p50, p99, max,
        static_cast<unsigned long long>(total.errors), error_rate,
        static_cast<unsigned long long>(total.warmup_handshakes),
        static_cast<unsigned long long>(total.warmup_errors),
        static_cast<unsigned long long>(reconnects), cpu_seconds);
  } else {
    std::printf(
        "%s: %.1f handshakes/s (%llu in %.1f s, %d connections), latency p50 %.3f ms, "
        "p99 %.3f ms, max %.3f ms, errors %llu (%.2f%%), reconnects %llu\n",
        server.c_str(), rate, static_cast<unsigned long long>(handshakes), window, connections, p50,
        p99, max, static_cast<unsigned long long>(total.errors), 100.0 * error_rate,
        static_cast<unsigned long long>(reconnects));
  }
  return error_rate > 0.01 ? kExitTooManyErrors : kExitOk;
}
