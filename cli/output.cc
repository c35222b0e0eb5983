// Copyright 2026 The trustsim Authors.

#include "cli/output.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace trustsim::cli {
namespace {

using sim::scenario::StepResult;

// "day  31 08:15:00": days since the scenario's epoch (day 0), then the time
// of day (UTC).
std::string When(sim::SimTime t, sim::SimTime epoch) {
  // Calendar days (UTC) since the epoch's date, so the day and the time of
  // day never disagree.
  const int64_t day = (t - t % sim::kDay - (epoch - epoch % sim::kDay)) / sim::kDay;
  const std::string stamp = sim::FormatTime(t);  // "2026-02-05 08:15:00[.us]"
  return absl::StrFormat("day %3d %s", day, stamp.substr(11, 8));
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string NarrateRecord(const sim::TraceRecord& record, sim::SimTime epoch) {
  if (record.kind == "step" || record.kind == "result") return "";
  if (record.kind == "output") return absl::StrCat("  ", std::string(27, ' '), "| ", record.text);
  return absl::StrFormat("  %s  %-8s %s", When(record.time, epoch),
                         record.host.empty() ? "-" : record.host, record.text);
}

std::string NarrateStep(const StepResult& r, sim::SimTime epoch) {
  std::string out = absl::StrFormat("> %s  line %d: %s\n", When(r.time, epoch), r.step->pos.line,
                                    r.step->Describe());
  if (r.command.has_value()) {
    absl::StrAppend(&out, "    = exit ", r.command->exit_code, "\n");
  } else if (r.exec.has_value()) {
    // A program's exit code is not a Windows error.
    absl::StrAppend(&out, "    = ", r.outcome.reason, "\n");
  } else if (r.has_outcome) {
    if (r.outcome.ok()) {
      absl::StrAppend(&out, "    = success", r.outcome.reason.empty() ? "" : ": ", r.outcome.reason,
                      "\n");
    } else {
      absl::StrAppend(&out, "    = ", sim::Win32ErrorName(r.outcome.win32), " (", r.outcome.win32,
                      "): ", r.outcome.message, "\n");
      if (!r.outcome.reason.empty()) absl::StrAppend(&out, "      why: ", r.outcome.reason, "\n");
    }
  }
  if (r.checks > 0 || !r.failures.empty()) {
    if (r.failures.empty()) {
      absl::StrAppend(&out, "    ok: ", r.checks, r.checks == 1 ? " check" : " checks",
                      " passed\n");
    }
    for (const auto& f : r.failures) {
      absl::StrAppend(&out, "    FAILED ", f.pos.ToString(), ": ", f.message, "\n");
    }
  }
  return out;
}

std::string RecordJson(const std::string& scenario, const sim::TraceRecord& record) {
  nlohmann::json j = {
      {"type", "event"},     {"scenario", scenario}, {"time", sim::FormatTime(record.time)},
      {"host", record.host}, {"kind", record.kind},  {"text", record.text}};
  for (const auto& [k, v] : record.fields) j["fields"][k] = v;
  return j.dump();
}

std::string StepJson(const std::string& scenario, const StepResult& r) {
  nlohmann::json j = {{"type", "step"},
                      {"scenario", scenario},
                      {"time", sim::FormatTime(r.time)},
                      {"line", r.step->pos.line},
                      {"step", r.step->Describe()},
                      {"checks", r.checks},
                      {"passed", r.failures.empty()}};
  if (r.has_outcome) {
    j["result"] = {
        {"win32", r.outcome.win32},
        {"name", sim::Win32ErrorName(r.outcome.win32)},
        {"ntstatus", absl::StrFormat("0x%08X", static_cast<uint32_t>(r.outcome.ntstatus))},
        {"message", r.outcome.message},
        {"reason", r.outcome.reason}};
  }
  for (const auto& f : r.failures) {
    j["failures"].push_back({{"where", f.pos.ToString()}, {"message", f.message}});
  }
  return j.dump();
}

std::string SummaryJson(const sim::scenario::Scenario& scenario,
                        const sim::scenario::RunResult& result) {
  nlohmann::json j = {{"type", "summary"},
                      {"scenario", scenario.name},
                      {"file", scenario.file},
                      {"seed", result.seed},
                      {"checks", result.checks},
                      {"failed", result.failed_checks},
                      {"passed", result.failed_checks == 0},
                      {"trace_hash", result.trace_hash},
                      {"events", result.events_run}};
  return j.dump();
}

bool WriteJUnit(const std::string& path, const std::vector<ScenarioReport>& reports,
                std::string* error) {
  std::ofstream out(path);
  if (!out) {
    *error = absl::StrCat("cannot write ", path);
    return false;
  }
  int tests = 0, failures = 0;
  for (const auto& r : reports) {
    for (const auto& s : r.result.steps) {
      if (s.checks == 0 && s.failures.empty()) continue;
      ++tests;
      failures += !s.failures.empty();
    }
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"trustsim\" tests=\"" << tests << "\" failures=\"" << failures
      << "\">\n";
  for (const auto& r : reports) {
    int suite_tests = 0, suite_failures = 0;
    for (const auto& s : r.result.steps) {
      if (s.checks == 0 && s.failures.empty()) continue;
      ++suite_tests;
      suite_failures += !s.failures.empty();
    }
    out << "  <testsuite name=\"" << XmlEscape(r.scenario->name) << "\" tests=\"" << suite_tests
        << "\" failures=\"" << suite_failures << "\" time=\"" << absl::StrFormat("%.3f", r.seconds)
        << "\" file=\"" << XmlEscape(r.scenario->file) << "\">\n";
    out << "    <properties><property name=\"seed\" value=\"" << r.result.seed
        << "\"/><property name=\"trace_hash\" value=\"" << r.result.trace_hash
        << "\"/></properties>\n";
    for (const auto& s : r.result.steps) {
      if (s.checks == 0 && s.failures.empty()) continue;
      out << "    <testcase classname=\"" << XmlEscape(r.scenario->name) << "\" name=\""
          << XmlEscape(absl::StrCat("line ", s.step->pos.line, ": ", s.step->Describe()))
          << "\" file=\"" << XmlEscape(r.scenario->file) << "\" line=\"" << s.step->pos.line
          << "\">";
      if (!s.failures.empty()) {
        std::string text;
        for (const auto& f : s.failures)
          absl::StrAppend(&text, f.pos.ToString(), ": ", f.message, "\n");
        out << "\n      <failure message=\"" << XmlEscape(s.failures.front().message) << "\">"
            << XmlEscape(text) << "</failure>\n    ";
      }
      out << "</testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return static_cast<bool>(out);
}

}  // namespace trustsim::cli
