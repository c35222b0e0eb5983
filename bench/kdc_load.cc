// Copyright 2026 The trustsim Authors.
//
// kdc_load: a Kerberos KDC load generator, for docs/performance.md.
//
//   kdc_load --kdc 127.0.0.1:40123 --principal 'WS01$' --realm CORP.EXAMPLE.COM
//            --keytab ws01.keytab [--connections 16] [--seconds 5] [--warmup 1]
//            [--threads 1] [--json]
//
// Each of `--connections` workers runs full AS exchanges with
// pre-authentication, one after another, as `kinit -k` does:
//
//   AS-REQ without padata         -> KRB-ERROR 25 (KDC_ERR_PREAUTH_REQUIRED)
//   read PA-ETYPE-INFO2, pick the keytab key of that enctype
//   AS-REQ with PA-ENC-TIMESTAMP  -> AS-REP, decrypted and its nonce checked
//
// Every request goes over a fresh TCP connection (RFC 4120 §7.2.2 framing),
// again as MIT's kinit does, so connecting is part of the measured latency.
// An exchange's latency runs from the first connect to the decrypted AS-REP.
//
// The run is `--warmup` seconds whose results are dropped, then `--seconds`
// measured: an exchange counts when it completes inside the measured window.
// Any other reply, a socket error or a 10 s timeout is an error. More than 1%
// errors makes the exit status 1; bad flags, keytab or address make it 2.
//
// Prints one line, or with --json one object: "requests_per_second" (full
// exchanges per second, two requests each), "p50_ms", "p99_ms", "max_ms",
// "errors", "error_rate", and the client's own CPU time, "client_cpu_seconds"
// (the client shares the machine with a KDC on loopback). The distinct error
// messages go to stderr.

// Boost 1.74 Asio with g++ 12 in C++20 needs <utility> before any Asio header,
// so it comes first.
// clang-format off
#include <utility>
// clang-format on

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
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
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/bytes.h"
#include "net/kdc_tcp_framing.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/crypto/system_random.h"
#include "protocol/kerberos/client.h"
#include "protocol/kerberos/keytab.h"
#include "protocol/kerberos/messages.h"

namespace {

namespace asio = boost::asio;
namespace kerberos = trustsim::kerberos;
namespace crypto = trustsim::crypto;
using asio::ip::tcp;
using boost::system::error_code;
using trustsim::Bytes;
using trustsim::ByteView;
using Clock = std::chrono::steady_clock;

constexpr int kExitOk = 0;
constexpr int kExitTooManyErrors = 1;
constexpr int kExitUsage = 2;

constexpr int32_t kKdcErrPreauthRequired = 25;
// No reply to a request in this time is an error.
constexpr auto kRequestTimeout = std::chrono::seconds(10);
// After an error a worker waits this long, so a dead KDC is not hammered in a
// tight loop of refused connections.
constexpr auto kErrorPause = std::chrono::milliseconds(10);
// Replies larger than this are an error (an AS-REP here is about 1 KiB).
constexpr uint32_t kMaxReplyBytes = 1 << 20;
// The error messages kept to show, by distinct text.
constexpr size_t kMaxErrorKinds = 8;

// The keys a worker may need: the highest kvno of each enctype, and every
// (enctype, kvno) pair for replies that name their kvno.
struct Keys {
  std::map<int32_t, crypto::KerberosKey> newest;
  std::map<std::pair<int32_t, uint32_t>, crypto::KerberosKey> by_kvno;
  std::vector<int32_t> etypes;  // the request's list, in order of preference
};

// What one thread measured.
struct Stats {
  std::vector<int64_t> latencies_us;  // exchanges completed in the window
  uint64_t errors = 0;                // errors in the window
  uint64_t warmup_exchanges = 0;
  uint64_t warmup_errors = 0;
  std::map<std::string, uint64_t> error_kinds;
};

// Run-wide settings shared read-only by every worker.
struct Plan {
  tcp::endpoint kdc;
  kerberos::AsRequest request;
  Keys keys;
  Clock::time_point measure_start;
  Clock::time_point measure_end;
};

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Reads the keytab and keeps the keys of `principal` in `realm`.
absl::StatusOr<Keys> LoadKeys(const std::string& path, const std::vector<std::string>& components,
                              const std::string& realm) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open keytab ", path));
  const Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  absl::StatusOr<std::vector<kerberos::KeytabEntry>> entries = kerberos::ParseKeytab(file);
  if (!entries.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("keytab ", path, ": ", entries.status().message()));
  }
  Keys keys;
  std::map<int32_t, uint32_t> newest_kvno;
  std::set<std::string> seen;
  for (const kerberos::KeytabEntry& e : *entries) {
    seen.insert(absl::StrCat(absl::StrJoin(e.components, "/"), "@", e.realm));
    if (e.components != components || e.realm != realm) continue;
    const int32_t etype = static_cast<int32_t>(e.key.type);
    keys.by_kvno[{etype, e.kvno}] = e.key;
    auto [it, inserted] = newest_kvno.emplace(etype, e.kvno);
    if (inserted || e.kvno >= it->second) {
      it->second = e.kvno;
      keys.newest.insert_or_assign(etype, e.key);
    }
  }
  if (keys.newest.empty()) {
    return absl::NotFoundError(absl::StrCat("keytab ", path, " has no key for ",
                                            absl::StrJoin(components, "/"), "@", realm,
                                            " (it holds: ", absl::StrJoin(seen, ", "), ")"));
  }
  // Ask only for enctypes there is a key for, strongest first, as `kinit -k`.
  for (int32_t etype : {18, 17, 23}) {
    if (keys.newest.contains(etype)) keys.etypes.push_back(etype);
  }
  return keys;
}

// One worker: runs exchanges back to back until the measured window ends.
// Every handler runs on the thread of its io_context, one at a time.
class Worker : public std::enable_shared_from_this<Worker> {
 public:
  Worker(asio::io_context& io, const Plan& plan, Stats& stats, trustsim::RandomSource& rng)
      : io_(io), plan_(plan), stats_(stats), rng_(rng), socket_(io), timer_(io), pause_(io) {}

  void Start() { StartExchange(); }

 private:
  enum class Step { kFirstRequest, kSecondRequest };

  uint32_t NewNonce() {
    // MIT and Windows keep nonces below 2^31; some decoders read them as signed.
    return static_cast<uint32_t>(rng_.NextU64()) & 0x7fffffff;
  }

  void StartExchange() {
    if (Clock::now() >= plan_.measure_end) return;
    exchange_start_ = Clock::now();
    step_ = Step::kFirstRequest;
    nonce_ = NewNonce();
    absl::StatusOr<Bytes> request =
        kerberos::BuildAsReq(plan_.request, nonce_, NowMicros(), std::nullopt, rng_);
    if (!request.ok()) return Fail(absl::StrCat("build AS-REQ: ", request.status().message()));
    Send(*std::move(request));
  }

  // Sends one request over a new connection and reads one reply.
  void Send(Bytes request) {
    const uint64_t id = ++request_id_;
    out_ = trustsim::net::FrameKdcTcpMessage(request);
    socket_ = tcp::socket(io_);
    timer_.expires_after(kRequestTimeout);
    timer_.async_wait([self = shared_from_this(), id](const error_code& error) {
      if (error || id != self->request_id_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->socket_.close(ignored);
    });
    timed_out_ = false;
    socket_.async_connect(plan_.kdc, [self = shared_from_this()](const error_code& error) {
      if (error) return self->SocketError("connect", error);
      error_code ignored;
      self->socket_.set_option(tcp::no_delay(true), ignored);
      asio::async_write(self->socket_, asio::buffer(self->out_),
                        [self](const error_code& error, size_t) {
                          if (error) return self->SocketError("write", error);
                          self->ReadLength();
                        });
    });
  }

  void ReadLength() {
    asio::async_read(socket_, asio::buffer(length_),
                     [self = shared_from_this()](const error_code& error, size_t) {
                       if (error) return self->SocketError("read length", error);
                       const uint32_t length =
                           (uint32_t{self->length_[0]} << 24) | (uint32_t{self->length_[1]} << 16) |
                           (uint32_t{self->length_[2]} << 8) | uint32_t{self->length_[3]};
                       if (length == 0 || length > kMaxReplyBytes) {
                         return self->Fail(absl::StrCat("reply length ", length));
                       }
                       self->in_.resize(length);
                       self->ReadBody();
                     });
  }

  void ReadBody() {
    asio::async_read(socket_, asio::buffer(in_),
                     [self = shared_from_this()](const error_code& error, size_t) {
                       if (error) return self->SocketError("read reply", error);
                       self->CloseConnection();
                       self->OnReply();
                     });
  }

  void CloseConnection() {
    ++request_id_;  // disarms the timeout
    timer_.cancel();
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  void OnReply() {
    absl::StatusOr<kerberos::KdcReply> reply = kerberos::ParseKdcReply(in_);
    if (!reply.ok()) return Fail(absl::StrCat("parse reply: ", reply.status().message()));
    if (step_ == Step::kFirstRequest) {
      if (!reply->error) return Fail("first AS-REQ: an AS-REP without pre-authentication");
      if (reply->error->error_code != kKdcErrPreauthRequired) {
        return Fail(absl::StrCat("first AS-REQ: KRB-ERROR ", reply->error->error_code,
                                 reply->error->e_text ? " " + *reply->error->e_text : ""));
      }
      absl::StatusOr<kerberos::EtypeInfo2Entry> info = kerberos::PreferredEtypeInfo(*reply->error);
      if (!info.ok()) return Fail(absl::StrCat("ETYPE-INFO2: ", info.status().message()));
      auto key = plan_.keys.newest.find(info->etype);
      if (key == plan_.keys.newest.end()) {
        return Fail(absl::StrCat("KDC asks for enctype ", info->etype, ", not in the keytab"));
      }
      step_ = Step::kSecondRequest;
      nonce_ = NewNonce();
      absl::StatusOr<Bytes> request =
          kerberos::BuildAsReq(plan_.request, nonce_, NowMicros(), key->second, rng_);
      if (!request.ok()) return Fail(absl::StrCat("build AS-REQ: ", request.status().message()));
      return Send(*std::move(request));
    }
    if (!reply->rep) {
      return Fail(absl::StrCat("second AS-REQ: KRB-ERROR ", reply->error->error_code,
                               reply->error->e_text ? " " + *reply->error->e_text : ""));
    }
    const kerberos::EncryptedData& enc = reply->rep->enc_part;
    const crypto::KerberosKey* key = nullptr;
    if (enc.kvno) {
      auto it = plan_.keys.by_kvno.find({enc.etype, *enc.kvno});
      if (it != plan_.keys.by_kvno.end()) key = &it->second;
    }
    if (key == nullptr) {
      auto it = plan_.keys.newest.find(enc.etype);
      if (it == plan_.keys.newest.end()) {
        return Fail(
            absl::StrCat("AS-REP encrypted with enctype ", enc.etype, ", not in the keytab"));
      }
      key = &it->second;
    }
    absl::StatusOr<kerberos::Credentials> creds = kerberos::DecryptAsRep(*reply->rep, *key, nonce_);
    if (!creds.ok()) return Fail(absl::StrCat("AS-REP: ", creds.status().message()));
    Succeed();
  }

  void Succeed() {
    const Clock::time_point end = Clock::now();
    if (end >= plan_.measure_start && end < plan_.measure_end) {
      stats_.latencies_us.push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(end - exchange_start_).count());
    } else if (end < plan_.measure_start) {
      ++stats_.warmup_exchanges;
    }
    StartExchange();
  }

  void SocketError(const char* what, const error_code& error) {
    Fail(timed_out_ ? absl::StrCat(what, ": no reply in ", kRequestTimeout.count(), " s")
                    : absl::StrCat(what, ": ", error.message()));
  }

  void Fail(const std::string& message) {
    CloseConnection();
    const Clock::time_point end = Clock::now();
    if (end < plan_.measure_start) {
      ++stats_.warmup_errors;
    } else if (end < plan_.measure_end) {
      ++stats_.errors;
    } else {
      return;  // after the window: neither counted nor retried
    }
    auto kind = stats_.error_kinds.find(message);
    if (kind != stats_.error_kinds.end()) {
      ++kind->second;
    } else if (stats_.error_kinds.size() < kMaxErrorKinds) {
      stats_.error_kinds.emplace(message, 1);
    }
    pause_.expires_after(kErrorPause);
    pause_.async_wait([self = shared_from_this()](const error_code&) { self->StartExchange(); });
  }

  asio::io_context& io_;
  const Plan& plan_;
  Stats& stats_;
  trustsim::RandomSource& rng_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::steady_timer pause_;
  uint64_t request_id_ = 0;
  bool timed_out_ = false;
  Step step_ = Step::kFirstRequest;
  uint32_t nonce_ = 0;
  Clock::time_point exchange_start_;
  Bytes out_;
  std::array<uint8_t, trustsim::net::kKdcTcpLengthBytes> length_{};
  Bytes in_;
};

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

absl::StatusOr<tcp::endpoint> ResolveKdc(const std::string& kdc) {
  const size_t colon = kdc.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat("--kdc: expected HOST:PORT, got \"", kdc, "\""));
  }
  std::string host = kdc.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  uint32_t port = 0;
  if (!absl::SimpleAtoi(kdc.substr(colon + 1), &port) || port == 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("--kdc: bad port in \"", kdc, "\""));
  }
  asio::io_context io;
  tcp::resolver resolver(io);
  error_code error;
  auto results = resolver.resolve(host, std::to_string(port), error);
  if (error || results.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--kdc: cannot resolve \"", host, "\": ", error.message()));
  }
  return results.begin()->endpoint();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kdc_load: full AS exchanges with pre-authentication against a KDC over TCP"};
  std::string kdc, principal, realm, keytab_path;
  int connections = 16;
  int threads = 1;
  double seconds = 5;
  double warmup = 1;
  bool json = false;
  app.add_option("--kdc", kdc, "The KDC, HOST:PORT")->required();
  app.add_option("--principal", principal, "Client principal, e.g. 'WS01$'")->required();
  app.add_option("--realm", realm, "Realm, e.g. CORP.EXAMPLE.COM")->required();
  app.add_option("--keytab", keytab_path, "Keytab holding the principal's keys")->required();
  app.add_option("--connections", connections, "Concurrent exchanges in flight")
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
  app.add_flag("--json", json, "Print one JSON object");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  Plan plan;
  absl::StatusOr<tcp::endpoint> endpoint = ResolveKdc(kdc);
  if (!endpoint.ok()) {
    std::fprintf(stderr, "kdc_load: %s\n", std::string(endpoint.status().message()).c_str());
    return kExitUsage;
  }
  plan.kdc = *endpoint;
  const std::vector<std::string> components = absl::StrSplit(principal, '/');
  absl::StatusOr<Keys> keys = LoadKeys(keytab_path, components, realm);
  if (!keys.ok()) {
    std::fprintf(stderr, "kdc_load: %s\n", std::string(keys.status().message()).c_str());
    return kExitUsage;
  }
  plan.keys = *std::move(keys);
  plan.request.cname = {kerberos::kNtPrincipal, components};
  plan.request.realm = realm;
  plan.request.etypes = plan.keys.etypes;

  threads = std::min(threads, connections);
  std::vector<std::unique_ptr<asio::io_context>> ios;
  std::vector<Stats> stats(threads);
  std::vector<crypto::SystemRandom> rngs(threads);
  for (int t = 0; t < threads; ++t) ios.push_back(std::make_unique<asio::io_context>(1));

  const Clock::time_point start = Clock::now();
  plan.measure_start =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  plan.measure_end = plan.measure_start + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(seconds));
  for (int c = 0; c < connections; ++c) {
    const int t = c % threads;
    std::make_shared<Worker>(*ios[t], plan, stats[t], rngs[t])->Start();
  }
  std::vector<std::thread> runners;
  for (int t = 1; t < threads; ++t) runners.emplace_back([&ios, t] { ios[t]->run(); });
  ios[0]->run();
  for (std::thread& r : runners) r.join();
  // Workers stop starting exchanges at the end of the window and finish the
  // ones in flight; those complete after it and are not counted.
  const double window =
      std::chrono::duration<double>(plan.measure_end - plan.measure_start).count();

  Stats total;
  for (Stats& s : stats) {
    total.latencies_us.insert(total.latencies_us.end(), s.latencies_us.begin(),
                              s.latencies_us.end());
    total.errors += s.errors;
    total.warmup_exchanges += s.warmup_exchanges;
    total.warmup_errors += s.warmup_errors;
    for (const auto& [message, count] : s.error_kinds) total.error_kinds[message] += count;
  }
  std::sort(total.latencies_us.begin(), total.latencies_us.end());
  const uint64_t exchanges = total.latencies_us.size();
  const double rate = static_cast<double>(exchanges) / window;
  const double p50 = QuantileMs(total.latencies_us, 0.50);
  const double p99 = QuantileMs(total.latencies_us, 0.99);
  const double max =
      total.latencies_us.empty() ? 0 : static_cast<double>(total.latencies_us.back()) / 1000.0;
  const uint64_t attempts = exchanges + total.errors;
  const double error_rate =
      attempts == 0 ? 1.0 : static_cast<double>(total.errors) / static_cast<double>(attempts);

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu_seconds =
      static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;

  for (const auto& [message, count] : total.error_kinds) {
    std::fprintf(stderr, "kdc_load: error (x%llu, warm-up included): %s\n",
                 static_cast<unsigned long long>(count), message.c_str());
  }
  if (json) {
    std::printf(
        "{\"kdc\":\"%s\",\"connections\":%d,\"threads\":%d,\"seconds\":%.3f,"
        "\"exchanges\":%llu,\"requests_per_second\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
        "\"max_ms\":%.3f,\"errors\":%llu,\"error_rate\":%.6f,\"warmup_exchanges\":%llu,"
        "\"warmup_errors\":%llu,\"client_cpu_seconds\":%.3f}\n",
        JsonEscape(kdc).c_str(), connections, threads, window,
        static_cast<unsigned long long>(exchanges), rate, p50, p99, max,
        static_cast<unsigned long long>(total.errors), error_rate,
        static_cast<unsigned long long>(total.warmup_exchanges),
        static_cast<unsigned long long>(total.warmup_errors), cpu_seconds);
  } else {
    std::printf(
        "%s: %.1f exchanges/s (%llu in %.1f s, %d connections), latency p50 %.3f ms, "
        "p99 %.3f ms, max %.3f ms, errors %llu (%.2f%%)\n",
        kdc.c_str(), rate, static_cast<unsigned long long>(exchanges), window, connections, p50,
        p99, max, static_cast<unsigned long long>(total.errors), 100.0 * error_rate);
  }
  return error_rate > 0.01 ? kExitTooManyErrors : kExitOk;
}
