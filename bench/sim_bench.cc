// Copyright 2026 The trustsim Authors.
//
// Simulator throughput, for docs/performance.md. Wall-clock figures are
// measured here and only here.
//
//   sim_bench library DIR [REPEATS]   run every scenario in DIR, median of REPEATS
//   sim_bench year [REPEATS]          one member, one DC, a simulated year
//   sim_bench fleet MEMBERS DAYS      MEMBERS members for DAYS days; reports peak RSS
//
// Run `fleet` in its own process so its peak memory is its own.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"
#include "sim/world.h"

namespace {

using trustsim::sim::kDay;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

long PeakRssKib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

int Library(const std::string& dir, int repeats) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    for (const std::string& f : files) {
      auto scenario = trustsim::sim::scenario::LoadScenarioFile(f);
      if (!scenario.ok()) {
        std::fprintf(stderr, "%s\n", std::string(scenario.status().message()).c_str());
        return 2;
      }
      trustsim::sim::scenario::RunOptions options;
      options.retain_trace = false;
      auto result = trustsim::sim::scenario::Runner(*scenario, options).Run();
      if (result.failed_checks != 0) {
        std::fprintf(stderr, "%s failed\n", f.c_str());
        return 1;
      }
    }
    times.push_back(Seconds(start));
  }
  std::printf("library: %zu scenarios, load + run, median of %d: %.1f ms\n", files.size(), repeats,
              Median(times) * 1e3);
  return 0;
}

int Year(int repeats) {
  std::vector<double> times;
  uint64_t events = 0;
  int changes = 0;
  for (int r = 0; r < repeats; ++r) {
    trustsim::sim::World world(r + 1, trustsim::sim::kDefaultEpoch, {});
    world.sim().trace().set_retain(false);
    world.AddDc("DC01", true, trustsim::sim::DcProfile::kWindows);
    world.AddMember("WS01", {});
    const auto start = Clock::now();
    world.Join("WS01");
    world.sim().RunUntil(world.sim().now() + 365 * kDay);
    times.push_back(Seconds(start));
    events = world.sim().events_run();
    changes = world.FindMember("WS01")->state().password_changes;
  }
  const double median = Median(times);
  std::printf(
      "year: 1 member, 365 days, %d password changes, %llu events, median of %d: %.1f us "
      "(%.2e x real time)\n",
      changes, static_cast<unsigned long long>(events), repeats, median * 1e6,
      365.0 * 86400 / median);
  return 0;
}

int Fleet(int members, int days) {
  const long rss_before = PeakRssKib();
  const auto start = Clock::now();
  trustsim::sim::World world(1, trustsim::sim::kDefaultEpoch, {});
  world.sim().trace().set_retain(false);
  world.AddDc("DC01", true, trustsim::sim::DcProfile::kWindows);
  world.AddDc("DC02", false, trustsim::sim::DcProfile::kWindows);
  for (int i = 0; i < members; ++i) {
    const std::string name = absl::StrCat("WS", i);
    world.AddMember(name, {});
    world.Join(name);
  }
  const double setup = Seconds(start);
  world.sim().RunUntil(world.sim().now() + days * kDay);
  const double total = Seconds(start);
  long changes = 0;
  for (auto* m : world.members()) changes += m->state().password_changes;
  std::printf(
      "fleet: %d members x %d days on 2 DCs: %ld password changes, %llu events, "
      "%llu trace records; setup %.2f s, total %.2f s; peak RSS %.0f MiB (%.0f MiB "
      "before)\n",
      members, days, changes, static_cast<unsigned long long>(world.sim().events_run()),
      static_cast<unsigned long long>(world.sim().trace().size()), setup, total,
      PeakRssKib() / 1024.0, rss_before / 1024.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "library" && argc > 2) return Library(argv[2], argc > 3 ? std::atoi(argv[3]) : 5);
  if (mode == "year") return Year(argc > 2 ? std::atoi(argv[2]) : 5);
  if (mode == "fleet" && argc > 3) return Fleet(std::atoi(argv[2]), std::atoi(argv[3]));
  std::fprintf(stderr,
               "usage: sim_bench library DIR [REPEATS] | year [REPEATS] | fleet MEMBERS DAYS\n");
  return 2;
}
