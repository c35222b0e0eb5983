// Copyright 2026 The trustsim Authors.
//
// clock.h
// -----------------------------------------------------------------------------
//
// A host's clock: true time plus an offset plus drift. Drift is in parts per
// million and accumulates from the last time the clock was set or synced, so
// a clock with +50 ppm gains 4.32 s a day until w32tm corrects it.

#ifndef TRUSTSIM_SIM_CLOCK_H_
#define TRUSTSIM_SIM_CLOCK_H_

#include <string>

#include "sim/time.h"

namespace trustsim::sim {

// What the Windows Time service remembers of its last good synchronisation
// ("Last Successful Sync Time" and "Source" in w32tm /query /status).
struct TimeSyncRecord {
  SimTime local_time = 0;  // the host's clock right after the sync
  // The DC the host took its time from; "" for the PDC's external source.
  std::string source;
};

class HostClock {
 public:
  // What the host reads when true time is `true_now`.
  SimTime Read(SimTime true_now) const {
    const SimDuration since = true_now - base_true_;
    return true_now + offset_ +
           static_cast<SimDuration>(static_cast<double>(since) * drift_ppm_ / 1e6);
  }

  // The host's error against true time, at `true_now`.
  SimDuration Offset(SimTime true_now) const { return Read(true_now) - true_now; }

  // Sets the clock so that it reads `local` at `true_now`; drift restarts from here.
  void Set(SimTime true_now, SimTime local) {
    base_true_ = true_now;
    offset_ = local - true_now;
  }

  void SetOffset(SimTime true_now, SimDuration offset) { Set(true_now, true_now + offset); }

  // Changes the drift rate, keeping the current reading.
  void SetDrift(SimTime true_now, double ppm) {
    Set(true_now, Read(true_now));
    drift_ppm_ = ppm;
  }

  double drift_ppm() const { return drift_ppm_; }

 private:
  SimTime base_true_ = 0;
  SimDuration offset_ = 0;
  double drift_ppm_ = 0;
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_CLOCK_H_
