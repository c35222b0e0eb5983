// Copyright 2026 The trustsim Authors.
//
// simulator.h
// -----------------------------------------------------------------------------
//
// The deterministic engine: virtual time, one event queue ordered by
// (time, sequence number), one seeded random generator and the trace. Nothing
// in the simulated world reads a real clock or a global generator; everything
// goes through here, so a scenario and a seed always produce the same trace.
//
// Events scheduled for the same instant run in the order they were scheduled.
// Time only moves forward: scheduling in the past runs the event "now".
//
// Example:
//
//   Simulator sim(/*seed=*/42, kDefaultEpoch);
//   sim.Schedule(sim.now() + 30 * kDay, [&] { member.RunScavenger(); });
//   sim.RunUntil(sim.now() + 365 * kDay);

#ifndef TRUSTSIM_SIM_SIMULATOR_H_
#define TRUSTSIM_SIM_SIMULATOR_H_

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "base/random.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace trustsim::sim {

class Simulator {
 public:
  using EventId = uint64_t;

  Simulator(uint64_t seed, SimTime epoch) : rng_(seed), now_(epoch), epoch_(epoch) {}

  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  SimTime now() const { return now_; }
  SimTime epoch() const { return epoch_; }
  RandomSource& rng() { return rng_; }
  Trace& trace() { return trace_; }

  // Adds a record stamped with the current time.
  void Log(std::string host, std::string kind, std::string text,
           std::vector<std::pair<std::string, std::string>> fields = {}) {
    trace_.Add(now_, std::move(host), std::move(kind), std::move(text), std::move(fields));
  }

  // Schedules `action` at `at` (or now, if `at` is in the past).
  EventId Schedule(SimTime at, std::function<void()> action);

  // Cancels a pending event; cancelling one that already ran is harmless.
  void Cancel(EventId id);

  // Runs every event due at or before `until`, in order, then sets the clock
  // to `until`. Events may schedule more events.
  void RunUntil(SimTime until);

  // Number of events run so far.
  uint64_t events_run() const { return events_run_; }
  size_t pending() const { return queue_.size(); }

 private:
  struct Event {
    SimTime time;
    uint64_t sequence;
    EventId id;
    std::function<void()> action;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
  };

  SeededRandom rng_;
  SimTime now_;
  SimTime epoch_;
  Trace trace_;
  uint64_t next_sequence_ = 0;
  uint64_t events_run_ = 0;
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  absl::flat_hash_set<EventId> cancelled_;
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_SIMULATOR_H_
