// Copyright 2026 The trustsim Authors.

#include "sim/event_log.h"

namespace trustsim::sim {

bool EventLog::Contains(uint32_t id) const { return Count(id) > 0; }

size_t EventLog::Count(uint32_t id) const {
  size_t n = 0;
  for (const EventLogEntry& e : entries_) n += e.id == id;
  return n;
}

}  // namespace trustsim::sim
