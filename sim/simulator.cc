// Copyright 2026 The trustsim Authors.

#include "sim/simulator.h"

namespace trustsim::sim {

Simulator::EventId Simulator::Schedule(SimTime at, std::function<void()> action) {
  const EventId id = next_sequence_;
  queue_.push(Event{at < now_ ? now_ : at, next_sequence_++, id, std::move(action)});
  return id;
}

void Simulator::Cancel(EventId id) { cancelled_.insert(id); }

void Simulator::RunUntil(SimTime until) {
  while (!queue_.empty() && queue_.top().time <= until) {
    // Moving out of the top is safe: it is popped before anything else runs.
    Event event = std::move(const_cast<Event&>(queue_.top()));
    queue_.pop();
    if (cancelled_.erase(event.id) > 0) continue;
    now_ = event.time;
    ++events_run_;
    event.action();
  }
  if (until > now_) now_ = until;
}

}  // namespace trustsim::sim
