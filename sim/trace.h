// Copyright 2026 The trustsim Authors.
//
// trace.h
// -----------------------------------------------------------------------------
//
// Every event in a run becomes one trace record: when (true time), where (a
// host, or "" for the world), what kind, and a human sentence. Records may
// carry key/value fields for machine readers (`--json`).
//
// The trace keeps a running 64-bit FNV-1a hash of every record's canonical
// line. Two runs of the same scenario and seed must end with the same hash;
// the hash is for comparing runs, not for security.
//
// Example:
//
//   trace.Add(now, "WS01", "password.change",
//             "changed the machine password on DC01 (v1 -> v2)", {{"dc", "DC01"}});

#ifndef TRUSTSIM_SIM_TRACE_H_
#define TRUSTSIM_SIM_TRACE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sim/time.h"

namespace trustsim::sim {

struct TraceRecord {
  SimTime time = 0;
  std::string host;
  std::string kind;
  std::string text;
  std::vector<std::pair<std::string, std::string>> fields;
};

// Returns the canonical one-line form that is hashed:
// "2026-01-05 08:00:00 WS01 password.change: text [k=v k=v]".
std::string CanonicalLine(const TraceRecord& record);

class Trace {
 public:
  using Sink = std::function<void(const TraceRecord&)>;

  // Whether records are kept in memory (`records()`); the hash is kept
  // either way. Large benchmarks turn retention off.
  void set_retain(bool retain) { retain_ = retain; }
  // Called for every record as it is added, e.g. to stream output.
  void set_sink(Sink sink) { sink_ = std::move(sink); }

  void Add(SimTime time, std::string host, std::string kind, std::string text,
           std::vector<std::pair<std::string, std::string>> fields = {});

  uint64_t hash() const { return hash_; }
  // The hash as 16 lowercase hex digits.
  std::string HashHex() const;
  size_t size() const { return count_; }
  const std::vector<TraceRecord>& records() const { return records_; }

 private:
  bool retain_ = true;
  Sink sink_;
  uint64_t hash_ = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  size_t count_ = 0;
  std::vector<TraceRecord> records_;
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_TRACE_H_
