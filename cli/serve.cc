// Copyright 2026 The trustsim Authors.
//
// `trustsim serve`: runs a scenario to a point, then serves every DC's KDC to
// real clients with simulated time going on at real speed, until Ctrl-C.

// clang-format off
#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
// clang-format on

#include <stdlib.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/exec_host.h"
#include "cli/member_keytab.h"
#include "cli/output.h"
#include "cli/point_in_time.h"
#include "cli/served_domain.h"
#include "nlohmann/json.hpp"
#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"

namespace trustsim::cli {
namespace {

// Parses "ADDR:PORT", "[v6]:PORT" or ":PORT".
absl::Status ParseEndpoint(const char* flag, const std::string& text, std::string& address,
                           uint16_t& port) {
  const size_t colon = text.rfind(':');
  uint32_t value = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(text.substr(colon + 1), &value) ||
      value > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, " ", text, ": expected ADDRESS:PORT, e.g. 127.0.0.1:8888 (0 = any free port)"));
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (!host.empty()) address = host;
  port = static_cast<uint16_t>(value);
  return absl::OkStatus();
}

void Emit(const nlohmann::json& j) {
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
}

}  // namespace

int ServeCommand(const ServeFlags& flags) {
  absl::StatusOr<sim::scenario::Scenario> loaded = sim::scenario::LoadScenarioFile(flags.path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return kExitUsage;
  }
  absl::StatusOr<PointInTime> point = ResolvePointInTime(*loaded, flags.until_line, flags.at);
  if (!point.ok()) {
    std::fprintf(stderr, "trustsim serve: %s\n", std::string(point.status().message()).c_str());
    return kExitUsage;
  }
  ServeOptions options;
  for (const auto& [flag, text, port] :
       {std::tuple{"--kdc", &flags.kdc, &options.first_port},
        std::tuple{"--netlogon", &flags.netlogon, &options.first_netlogon_port},
        std::tuple{"--epm", &flags.epm, &options.first_epm_port}}) {
    if (text->empty()) continue;
    if (absl::Status st = ParseEndpoint(flag, *text, options.address, *port); !st.ok()) {
      std::fprintf(stderr, "trustsim serve: %s\n", std::string(st.message()).c_str());
      return kExitUsage;
    }
  }
  absl::StatusOr<std::string> dir = MakeWorkDir(flags.dir);
  if (!dir.ok()) {
    std::fprintf(stderr, "trustsim serve: %s\n", std::string(dir.status().message()).c_str());
    return kExitUsage;
  }
  options.dir = *dir;
  options.real_time = true;
  if (flags.max_udp_reply > 0) options.limits.max_udp_reply_bytes = flags.max_udp_reply;
  options.mutate_seed = flags.mutate_seed;
  options.mutate_rate = flags.mutate_rate;

  sim::scenario::RunOptions run_options;
  run_options.retain_trace = false;
  run_options.step_limit = point->step_limit;
  run_options.exec_host = MakeExecHost();
  sim::scenario::Runner runner(*loaded, run_options);
  sim::scenario::RunResult result = RunToPoint(runner, *point);
  sim::World& world = runner.world();

  boost::asio::io_context io;
  absl::StatusOr<std::unique_ptr<ServedDomain>> served = ServedDomain::Start(io, world, options);
  if (!served.ok()) {
    std::fprintf(stderr, "trustsim serve: %s\n", std::string(served.status().message()).c_str());
    return kExitUsage;
  }
  ServedDomain& domain = **served;

  std::string as_of = sim::FormatTime(world.sim().now());
  if (point->description.empty()) {
    as_of += " (the end of the timeline)";
  } else if (!point->time) {
    absl::StrAppend(&as_of, " (", point->description, ")");
  }
  if (flags.json) {
    nlohmann::json j = {{"event", "serving"},
                        {"scenario", loaded->name},
                        {"realm", domain.realm()},
                        {"simulated_time", sim::FormatTime(world.sim().now())},
                        {"failed_checks", result.failed_checks},
                        {"krb5_conf", domain.krb5_conf_path()},
                        {"dir", options.dir}};
    j["kdcs"] = nlohmann::json::array();
    j["netlogon"] = nlohmann::json::array();
    j["epm"] = nlohmann::json::array();
    for (const DcEndpoint& e : domain.endpoints()) {
      j["kdcs"].push_back({{"dc", e.dc},
                           {"address", e.address},
                           {"tcp_port", e.tcp_port},
                           {"udp_port", e.udp_port}});
      j["netlogon"].push_back({{"dc", e.dc}, {"address", e.address}, {"port", e.netlogon_port}});
      j["epm"].push_back({{"dc", e.dc}, {"address", e.address}, {"port", e.epm_port}});
    }
    j["keytabs"] = domain.keytabs();
    if (flags.mutate_seed) {
      j["mutate"] = {{"seed", *flags.mutate_seed}, {"rate", flags.mutate_rate}};
    }
    Emit(j);
  } else {
    std::printf("trustsim: serving %s (realm %s) from %s as of %s\n",
                world.domain().dns_name.c_str(), domain.realm().c_str(), flags.path.c_str(),
                as_of.c_str());
    for (const DcEndpoint& e : domain.endpoints()) {
      std::printf("  %-8s KDC on %s:%u (TCP and UDP)\n", e.dc.c_str(), e.address.c_str(),
                  e.tcp_port);
      std::printf("  %-8s Netlogon on %s:%u (ncacn_ip_tcp), endpoint mapper on %s:%u\n", "",
                  e.address.c_str(), e.netlogon_port, e.address.c_str(), e.epm_port);
    }
    if (flags.mutate_seed) {
      if (flags.mutate_rate >= 1.0) {
        std::printf("  MUTATING   every KDC, Netlogon and endpoint-mapper reply (seed %llu)\n",
                    static_cast<unsigned long long>(*flags.mutate_seed));
      } else {
        std::printf(
            "  MUTATING   KDC, Netlogon and endpoint-mapper replies with probability %g (seed "
            "%llu)\n",
            flags.mutate_rate, static_cast<unsigned long long>(*flags.mutate_seed));
      }
    }
    std::printf("  krb5.conf  %s\n", domain.krb5_conf_path().c_str());
    for (const auto& [host, path] : domain.keytabs()) {
      absl::StatusOr<MemberKeytab> k = BuildMemberKeytab(world, host, true);
      std::printf("  keytab     %s  (%s: %s)\n", path.c_str(), host.c_str(),
                  k.ok() ? k->summary.c_str() : "?");
    }
    if (!domain.keytabs().empty()) {
      const std::string host = domain.keytabs().begin()->first;
      sim::Member* m = world.FindMember(host);
      std::printf(
          "\nTry:\n  export KRB5_CONFIG=%s KRB5CCNAME=FILE:%s/ccache\n"
          "  kinit -k -t %s '%s$@%s' && klist\n",
          domain.krb5_conf_path().c_str(), options.dir.c_str(),
          domain.keytabs().begin()->second.c_str(),
          m != nullptr ? m->state().computer_name.c_str() : host.c_str(), domain.realm().c_str());
    }
    std::printf("\nSimulated time runs at real speed. Ctrl-C stops.\n");
    std::fflush(stdout);
  }

  // Request lines are flushed at once on a terminal; into a pipe or file they
  // are flushed every second (and at the end), so a busy KDC does not make a
  // system call per request.
  const bool interactive = ::isatty(STDOUT_FILENO) != 0;
  domain.on_request = [&](const ServedRequest& r) {
    if (flags.json) {
      nlohmann::json j = {{"event", "request"},
                          {"dc", r.dc},
                          {"transport", r.transport},
                          {"request", r.request},
                          {"reply", r.reply}};
      if (!r.mutation.empty()) j["mutation"] = r.mutation;
      std::printf("%s\n", j.dump().c_str());
    } else if (r.mutation.empty()) {
      std::printf("[%s %s] %s -> %s\n", r.dc.c_str(), r.transport.c_str(), r.request.c_str(),
                  r.reply.c_str());
    } else {
      std::printf("[%s %s] %s -> %s (mutated: %s)\n", r.dc.c_str(), r.transport.c_str(),
                  r.request.c_str(), r.reply.c_str(), r.mutation.c_str());
    }
    if (interactive) std::fflush(stdout);
  };
  // Mutated replies (--mutate): a JSON event each; in text, the KDC's are on
  // their request lines and Netlogon's get a line of their own.
  domain.on_mutation = [&](const ServedMutation& m) {
    if (flags.json) {
      std::printf("%s\n", nlohmann::json({{"event", "mutation"},
                                          {"dc", m.dc},
                                          {"protocol", m.protocol},
                                          {"transport", m.transport},
                                          {"description", m.description}})
                              .dump()
                              .c_str());
    } else if (m.protocol != "kerberos") {
      std::printf("[%s %s] reply mutated: %s\n", m.dc.c_str(), m.protocol.c_str(),
                  m.description.c_str());
    }
    if (interactive) std::fflush(stdout);
  };
  if (!flags.json) {
    world.sim().trace().set_sink([](const sim::TraceRecord& record) {
      // The request and mutation lines say these.
      if (record.kind == "kdc" || record.kind == "eventlog" || record.kind == "mutation") return;
      std::printf("  %s %s %s: %s\n", sim::FormatTime(record.time).c_str(), record.host.c_str(),
                  record.kind.c_str(), record.text.c_str());
      std::fflush(stdout);
    });
  }

  // Simulated time goes on between requests too.
  boost::asio::steady_timer tick(io);
  std::function<void()> schedule = [&] {
    tick.expires_after(std::chrono::seconds(1));
    tick.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      domain.AdvanceSimulatedTime();
      std::fflush(stdout);
      schedule();
    });
  };
  schedule();

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    domain.Stop();
    tick.cancel();
    if (flags.json) {
      Emit({{"event", "stopped"}, {"signal", signal}, {"requests", domain.requests()}});
    } else {
      std::printf("\ntrustsim: stopped after %llu requests.\n",
                  static_cast<unsigned long long>(domain.requests()));
      std::fflush(stdout);
    }
    io.stop();
  });
  io.run();
  world.sim().trace().set_sink(nullptr);
  return kExitOk;
}

}  // namespace trustsim::cli
