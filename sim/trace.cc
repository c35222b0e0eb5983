// Copyright 2026 The trustsim Authors.

#include "sim/trace.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace trustsim::sim {

std::string CanonicalLine(const TraceRecord& record) {
  std::string line =
      absl::StrCat(FormatTime(record.time), " ", record.host.empty() ? "-" : record.host, " ",
                   record.kind, ": ", record.text);
  if (!record.fields.empty()) {
    line += " [";
    for (size_t i = 0; i < record.fields.size(); ++i) {
      absl::StrAppend(&line, i ? " " : "", record.fields[i].first, "=", record.fields[i].second);
    }
    line += "]";
  }
  return line;
}

void Trace::Add(SimTime time, std::string host, std::string kind, std::string text,
                std::vector<std::pair<std::string, std::string>> fields) {
  TraceRecord record{time, std::move(host), std::move(kind), std::move(text), std::move(fields)};
  const std::string line = CanonicalLine(record);
  for (unsigned char c : line) {
    hash_ ^= c;
    hash_ *= 0x100000001b3ULL;  // FNV-1a prime
  }
  hash_ ^= '\n';
  hash_ *= 0x100000001b3ULL;
  ++count_;
  if (sink_) sink_(record);
  if (retain_) records_.push_back(std::move(record));
}

std::string Trace::HashHex() const { return absl::StrFormat("%016x", hash_); }

}  // namespace trustsim::sim
