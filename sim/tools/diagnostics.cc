// Copyright 2026 The trustsim Authors.
//
// Diagnostic tools: w32tm (/resync, /query /status, /query /source), klist
// (tickets, purge), Get-WinEvent and wevtutil qe over the simulated event
// logs.
//
// Event logs: a member's log holds the NETLOGON events the world writes
// (3210, 5719, 5823); a DC's holds 5722 and 5723 (NETLOGON, "System") and
// 2974 (ActiveDirectory_DomainService, "Directory Service"). A console on a
// DC reads the DC's log. Times are the host's clock.
//
// W32Time follows the world's hierarchy (World::Resync): a member takes its
// time from the DC its locator finds, a DC from the PDC emulator, the PDC
// from an external source. docs/commands/w32tm.md, klist.md and event-logs.md
// give the sources and say what is trustsim's best effort.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sim/tools/commands.h"
#include "sim/tools/windows_text.h"

namespace trustsim::sim::tools {
namespace {

// --- w32tm -------------------------------------------------------------------------

constexpr char kW32tmUsage[] =
    "w32tm [/? | /register | /unregister ]\n"
    "w32tm /resync [/computer:<computer>] [/nowait] [/rediscover] [/soft]\n"
    "w32tm /query [/computer:<target>] {/source | /configuration | /peers | /status}\n"
    "      [/verbose]\n";

constexpr char kW32tmAccessDenied[] =
    "The following error occurred: Access is denied. (0x80070005)\n";

// A stand-in IPv4 address for a DC (trustsim has no addresses): 10.0.0.10 for
// the first DC, 10.0.0.11 for the second, ...
uint32_t DcAddress(World& world, absl::string_view dc) {
  const std::vector<DomainController*> dcs = world.dcs();
  for (size_t i = 0; i < dcs.size(); ++i) {
    if (absl::EqualsIgnoreCase(dcs[i]->name(), dc)) return 0x0A000000u + 10 + i;
  }
  return 0x0A000000u;
}

std::string Ipv4(uint32_t a) {
  return absl::StrFormat("%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

std::string W32tmStatus(World& world, const Session& session, bool source_only) {
  const std::optional<TimeSyncRecord> sync = world.LastTimeSync(session.host);
  if (!sync) {
    if (source_only) return "Local CMOS Clock\n";
    return "Leap Indicator: 3(not synchronized)\n"
           "Stratum: 0 (unspecified)\n"
           "Precision: -23 (119.209ns per tick)\n"
           "Root Delay: 0.0000000s\n"
           "Root Dispersion: 0.0000000s\n"
           "ReferenceId: 0x00000000 (unspecified)\n"
           "Last Successful Sync Time: unspecified\n"
           "Source: Local CMOS Clock\n"
           "Poll Interval: 6 (64s)\n";
  }
  // Stratum: the PDC's external source is 1, the PDC 2, each hop below +1.
  int stratum = 2;
  std::string source, reference;
  if (sync->source.empty()) {
    source = "time.windows.com,0x9";
    reference = "0x14653909 (source IP:  20.101.57.9)";
  } else {
    const DomainController* from = world.FindDc(sync->source);
    stratum = from != nullptr && from->pdc() ? 3 : 4;
    source = HostFqdn(world.domain(), sync->source);
    const uint32_t ip = DcAddress(world, sync->source);
    reference = absl::StrFormat("0x%08X (source IP:  %s)", ip, Ipv4(ip));
  }
  if (source_only) return absl::StrCat(source, "\n");
  return absl::StrCat("Leap Indicator: 0(no warning)\n", "Stratum: ", stratum,
                      " (secondary reference - syncd by (S)NTP)\n",
                      "Precision: -23 (119.209ns per tick)\n", "Root Delay: 0.0312500s\n",
                      "Root Dispersion: 10.0000000s\n", "ReferenceId: ", reference, "\n",
                      "Last Successful Sync Time: ", UsDateTime(sync->local_time), "\n",
                      "Source: ", source, "\n", "Poll Interval: 10 (1024s)\n");
}

CommandResult W32tm(Shell& shell, Session& session, const CommandLine& cmd) {
  World& world = shell.world();
  const SlashArgs args = SlashArgs::Parse(cmd.words, 1);
  if (!args.Unknown({"resync", "nowait", "rediscover", "force", "soft", "query", "status", "source",
                     "verbose"})
           .empty() ||
      !args.positional().empty() || (args.Has("resync") == args.Has("query"))) {
    return {1, kW32tmUsage};
  }
  if (args.Has("query") && args.Has("status") == args.Has("source")) return {1, kW32tmUsage};
  // Both talk to the W32Time service over RPC, which only administrators may.
  if (!session.elevated) return {1, kW32tmAccessDenied};
  if (args.Has("query")) {
    return {0, W32tmStatus(world, session, args.Has("source"))};
  }

  const Outcome outcome = world.Resync(session.host);
  std::string out = "Sending resync command to local computer\n";
  if (!outcome.ok()) {
    // w32tm reports this and still exits 0.
    return {0, absl::StrCat(out,
                            "The computer did not resync because no time data was "
                            "available.\n")};
  }
  return {0, absl::StrCat(out, "The command completed successfully.\n")};
}

// --- klist -------------------------------------------------------------------------

constexpr char kKlistUsage[] =
    "Usage: klist [-lh <LogonId.HighPart>] [-li <LogonId.LowPart>] tickets | tgt | purge\n";

// The logon session trustsim shows for every console (see docs/commands/klist.md).
constexpr char kLogonId[] = "Current LogonId is 0:0x3e7\n";

std::string Ticket(const World& world, const Session& session, size_t index,
                   const std::string& server) {
  const std::string realm = world.domain().Realm();
  const bool tgt = absl::StartsWith(server, "krbtgt/");
  const SimTime start = session.logon_time;
  return absl::StrCat(
      "#", index, ">\tClient: ", session.user, " @ ", realm, "\n",  //
      "\tServer: ", server, " @ ", realm, "\n",
      "\tKerbTicket Encryption Type: AES-256-CTS-HMAC-SHA1-96\n",
      tgt ? "\tTicket Flags 0x40e10000 -> forwardable renewable initial pre_authent "
            "name_canonicalize\n"
          : "\tTicket Flags 0x40a50000 -> forwardable renewable pre_authent ok_as_delegate "
            "name_canonicalize\n",
      "\tStart Time: ", UsDateTime24(start), " (local)\n",  //
      "\tEnd Time:   ", UsDateTime24(start + 10 * kHour), " (local)\n",
      "\tRenew Time: ", UsDateTime24(start + 7 * kDay), " (local)\n",
      "\tSession Key Type: AES-256-CTS-HMAC-SHA1-96\n",
      tgt ? "\tCache Flags: 0x1 -> PRIMARY\n" : "\tCache Flags: 0\n",  //
      "\tKdc Called: ", HostFqdn(world.domain(), session.logon_server), "\n");
}

CommandResult Klist(Shell& shell, Session& session, const CommandLine& cmd) {
  const World& world = shell.world();
  std::string verb = cmd.words.size() > 1 ? absl::AsciiStrToLower(cmd.words[1]) : "tickets";
  if (cmd.words.size() > 2) return {1, kKlistUsage};
  if (verb == "purge") {
    session.tickets.clear();
    return {0, absl::StrCat("\n", kLogonId, "\tDeleting all tickets:\n\tTicket(s) purged!\n")};
  }
  if (verb != "tickets") return {1, kKlistUsage};
  std::string out =
      absl::StrCat("\n", kLogonId, "\nCached Tickets: (", session.tickets.size(), ")\n");
  for (size_t i = 0; i < session.tickets.size(); ++i) {
    absl::StrAppend(&out, "\n", Ticket(world, session, i, session.tickets[i]));
  }
  return {0, out};
}

// --- Event logs --------------------------------------------------------------------------

struct LoggedEvent {
  const EventLogEntry* entry;
  size_t record_id;  // 1-based position in the host's log
  std::string log;   // "System", "Directory Service"
};

std::string LogOf(const EventLogEntry& entry) {
  if (entry.source == "ActiveDirectory_DomainService") return "Directory Service";
  if (entry.source == "Microsoft-Windows-Security-Auditing") return "Security";
  return "System";
}

// The logs the host has, as their canonical names.
std::vector<std::string> LogNames(Shell& shell, const Session& session) {
  std::vector<std::string> logs = {"Application", "Security", "System"};
  if (shell.world().FindDc(session.host) != nullptr) logs.push_back("Directory Service");
  return logs;
}

std::optional<std::string> CanonicalLog(Shell& shell, const Session& session,
                                        absl::string_view name) {
  for (const std::string& log : LogNames(shell, session)) {
    if (absl::EqualsIgnoreCase(log, name)) return log;
  }
  return std::nullopt;
}

const EventLog* HostEvents(Shell& shell, const Session& session) {
  if (Member* member = shell.MemberOf(session)) return &member->state().events;
  if (DomainController* dc = shell.world().FindDc(session.host)) return &dc->events();
  return nullptr;
}

std::string ComputerFqdn(Shell& shell, const Session& session) {
  std::string name = session.host;
  if (Member* member = shell.MemberOf(session)) name = member->state().computer_name;
  return HostFqdn(shell.world().domain(), name);
}

// What both tools filter on; empty sets match everything.
struct EventQuery {
  std::set<std::string> logs;  // canonical names
  std::set<uint32_t> ids;
  std::set<std::string> providers;  // lower-cased
  std::set<int> levels;             // 1 critical, 2 error, 3 warning, 4 information
};

int LevelNumber(absl::string_view level) {
  if (level == "Critical") return 1;
  if (level == "Error") return 2;
  if (level == "Warning") return 3;
  return 4;
}

// Matching events, oldest first.
std::vector<LoggedEvent> Select(Shell& shell, const Session& session, const EventQuery& q) {
  std::vector<LoggedEvent> out;
  const EventLog* events = HostEvents(shell, session);
  if (events == nullptr) return out;
  for (size_t i = 0; i < events->entries().size(); ++i) {
    const EventLogEntry& e = events->entries()[i];
    const std::string log = LogOf(e);
    if (!q.logs.empty() && q.logs.count(log) == 0) continue;
    if (!q.ids.empty() && q.ids.count(e.id) == 0) continue;
    if (!q.providers.empty() && q.providers.count(absl::AsciiStrToLower(e.source)) == 0) continue;
    if (!q.levels.empty() && q.levels.count(LevelNumber(e.level)) == 0) continue;
    out.push_back({&e, i + 1, log});
  }
  // Entries are appended as they happen; a clock stepped back can leave them
  // out of time order, and both tools order by time.
  std::stable_sort(out.begin(), out.end(), [](const LoggedEvent& a, const LoggedEvent& b) {
    return a.entry->local_time < b.entry->local_time;
  });
  return out;
}

// --- Get-WinEvent ------------------------------------------------------------------------

constexpr char kGetWinEvent[] = "Get-WinEvent";
constexpr size_t kConsoleWidth = 120;  // PowerShell writes lines of at most width - 1

CommandResult WinEventError(absl::string_view message, absl::string_view category,
                            absl::string_view id) {
  return {
      1,
      PowerShellError(
          {.command = kGetWinEvent,
           .message = std::string(message),
           .category = std::string(category),
           .activity = kGetWinEvent,
           // Parameter errors come from binding; the others from the cmdlet.
           .exception = category == "InvalidArgument" ? "ParameterBindingException" : "Exception",
           .error_id = absl::StrCat(id, ",Microsoft.PowerShell.Commands.GetWinEventCommand")})};
}

// Splits a PowerShell command line's arguments: quotes ('...' and "...") and
// @{...} hash literals stay single tokens.
std::vector<std::string> PsTokens(absl::string_view text) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && absl::ascii_isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) break;
    std::string token;
    int depth = 0;
    char quote = 0;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}') {
        --depth;
      } else if (depth <= 0 && absl::ascii_isspace(static_cast<unsigned char>(c))) {
        break;
      }
      token += c;
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::string Unquote(absl::string_view v) {
  v = absl::StripAsciiWhitespace(v);
  if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

// "'System','Application'" or "5722,5723" -> the items, unquoted.
std::vector<std::string> PsList(absl::string_view v) {
  std::vector<std::string> items;
  std::string current;
  char quote = 0;
  for (char c : v) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ',') {
      items.push_back(Unquote(current));
      current.clear();
      continue;
    }
    current += c;
  }
  if (!absl::StripAsciiWhitespace(current).empty()) items.push_back(Unquote(current));
  return items;
}

std::optional<CommandResult> AddLogs(Shell& shell, const Session& session, absl::string_view value,
                                     EventQuery& q) {
  for (const std::string& name : PsList(value)) {
    std::optional<std::string> log = CanonicalLog(shell, session, name);
    if (!log) {
      return WinEventError(absl::StrCat("There is not an event log on the localhost computer "
                                        "that matches \"",
                                        name, "\"."),
                           "ObjectNotFound", "NoMatchingLogsFound");
    }
    q.logs.insert(*log);
  }
  return std::nullopt;
}

// The table cell PowerShell shows for a message: its first line, cut to the
// column with "..." when longer or when more lines follow.
std::string MessageCell(absl::string_view message, size_t width) {
  absl::string_view first = message.substr(0, message.find('\n'));
  first = absl::StripTrailingAsciiWhitespace(first);
  const bool more = first.size() < absl::StripTrailingAsciiWhitespace(message).size();
  if (first.size() > width || (more && first.size() + 3 > width)) {
    return absl::StrCat(first.substr(0, width - 3), "...");
  }
  return absl::StrCat(first, more ? "..." : "");
}

std::string TableRow(absl::string_view time, absl::string_view id, absl::string_view level,
                     absl::string_view message) {
  std::string line = absl::StrFormat("%-26s %7s %-16s %s", time, id, level, message);
  return absl::StrCat(absl::StripTrailingAsciiWhitespace(line), "\n");
}

CommandResult GetWinEvent(Shell& shell, Session& session, const CommandLine& cmd) {
  absl::string_view raw = cmd.raw;
  raw = absl::StripLeadingAsciiWhitespace(raw.substr(std::min(raw.size(), cmd.words[0].size())));
  const std::vector<std::string> tokens = PsTokens(raw);
  EventQuery q;
  std::optional<size_t> max_events;
  bool filtered = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string name = absl::AsciiStrToLower(tokens[i]);
    if (name.empty() || name[0] != '-') {
      // The first positional parameter is -LogName.
      if (auto failed = AddLogs(shell, session, tokens[i], q)) return *failed;
      filtered = true;
      continue;
    }
    if (i + 1 >= tokens.size()) {
      return WinEventError(absl::StrCat("Missing an argument for parameter '", tokens[i].substr(1),
                                        "'. Specify a parameter of type 'System.String' and try "
                                        "again."),
                           "InvalidArgument", "MissingArgument");
    }
    const std::string value = tokens[++i];
    if (name == "-logname") {
      if (auto failed = AddLogs(shell, session, value, q)) return *failed;
      filtered = true;
    } else if (name == "-maxevents") {
      int64_t n = 0;
      if (!absl::SimpleAtoi(value, &n) || n < 1) {
        return WinEventError(
            absl::StrCat("Cannot validate argument on parameter 'MaxEvents'. The ", value,
                         " argument is less than the minimum allowed range of 1. "
                         "Supply an argument that is greater than or equal to 1 "
                         "and then try the command again."),
            "InvalidData", "ParameterArgumentValidationError");
      }
      max_events = static_cast<size_t>(n);
    } else if (name == "-filterhashtable") {
      absl::string_view body = absl::StripAsciiWhitespace(value);
      if (!absl::ConsumePrefix(&body, "@{") || !absl::ConsumeSuffix(&body, "}")) {
        return WinEventError("Cannot bind parameter 'FilterHashtable'.", "InvalidArgument",
                             "CannotConvertArgumentNoMessage");
      }
      for (absl::string_view pair : absl::StrSplit(body, absl::ByAnyChar(";\n"))) {
        if (absl::StripAsciiWhitespace(pair).empty()) continue;
        const size_t eq = pair.find('=');
        const std::string key =
            absl::AsciiStrToLower(absl::StripAsciiWhitespace(pair.substr(0, eq)));
        const absl::string_view v = eq == absl::string_view::npos ? "" : pair.substr(eq + 1);
        if (key == "logname") {
          if (auto failed = AddLogs(shell, session, v, q)) return *failed;
        } else if (key == "id" || key == "level") {
          for (const std::string& item : PsList(v)) {
            uint32_t n = 0;
            if (!absl::SimpleAtoi(item, &n)) {
              return WinEventError(absl::StrCat("Cannot convert \"", item, "\" to an integer."),
                                   "InvalidArgument", "InvalidCastFromStringToInteger");
            }
            if (key == "id") {
              q.ids.insert(n);
            } else {
              q.levels.insert(static_cast<int>(n));
            }
          }
        } else if (key == "providername") {
          for (const std::string& item : PsList(v)) q.providers.insert(absl::AsciiStrToLower(item));
        } else {
          return WinEventError(
              absl::StrCat("The specified key is not valid. The valid keys are LogName, "
                           "ProviderName, Path, Keywords, ID, Level, StartTime, EndTime, "
                           "UserID, and Data. Key: ",
                           absl::StripAsciiWhitespace(pair.substr(0, eq))),
              "InvalidArgument", "InvalidHashtableKey");
        }
      }
      filtered = true;
    } else {
      return WinEventError(absl::StrCat("A parameter cannot be found that matches parameter "
                                        "name '",
                                        tokens[i - 1].substr(1), "'."),
                           "InvalidArgument", "NamedParameterNotFound");
    }
  }
  if (!filtered) {
    return WinEventError(
        "Cannot process command because of one or more missing mandatory parameters: LogName.",
        "InvalidArgument", "MissingMandatoryParameter");
  }

  std::vector<LoggedEvent> events = Select(shell, session, q);
  std::reverse(events.begin(), events.end());  // newest first
  if (max_events && events.size() > *max_events) events.resize(*max_events);
  if (events.empty()) {
    return WinEventError("No events were found that match the specified selection criteria.",
                         "ObjectNotFound", "NoMatchingEventsFound");
  }
  // Default table view, grouped by provider as the objects arrive.
  const size_t message_width = kConsoleWidth - 1 - 52;
  std::string out;
  std::string provider;
  for (const LoggedEvent& e : events) {
    if (out.empty() || e.entry->source != provider) {
      provider = e.entry->source;
      absl::StrAppend(&out, out.empty() ? "" : "\n", "\n   ProviderName: ", provider, "\n\n",
                      TableRow("TimeCreated", "Id", "LevelDisplayName", "Message"),
                      TableRow("-----------", "--", "----------------", "-------"));
    }
    absl::StrAppend(&out, TableRow(UsDateTime(e.entry->local_time), absl::StrCat(e.entry->id),
                                   e.entry->level, MessageCell(e.entry->message, message_width)));
  }
  absl::StrAppend(&out, "\n");
  return {0, out};
}

// --- wevtutil ------------------------------------------------------------------------------

constexpr char kWevtutilUsage[] =
    "Windows Events Command Line Utility.\n"
    "\n"
    "Usage: wevtutil COMMAND [ARGUMENT [ARGUMENT] ...] [/OPTION:VALUE [/OPTION:VALUE] ...]\n"
    "\n"
    "  el | enum-logs          List log names.\n"
    "  qe | query-events       Query events from a log or log file.\n";

std::string XmlEscape(absl::string_view text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"'", "&apos;"}, {"\"", "&quot;"}});
}

// Reads what trustsim understands of an XPath event query: EventID=n,
// Level=n and Provider[@Name='x'] terms (combined with "or" within a kind).
void ParseXPath(absl::string_view xpath, EventQuery& q) {
  auto numbers_after = [&](absl::string_view key, auto add) {
    for (size_t pos = 0; (pos = xpath.find(key, pos)) != absl::string_view::npos;) {
      pos += key.size();
      while (pos < xpath.size() && xpath[pos] == ' ') ++pos;
      if (pos >= xpath.size() || xpath[pos] != '=') continue;
      ++pos;
      while (pos < xpath.size() && xpath[pos] == ' ') ++pos;
      size_t end = pos;
      while (end < xpath.size() && absl::ascii_isdigit(static_cast<unsigned char>(xpath[end]))) {
        ++end;
      }
      uint32_t n = 0;
      if (absl::SimpleAtoi(xpath.substr(pos, end - pos), &n)) add(n);
    }
  };
  numbers_after("EventID", [&](uint32_t n) { q.ids.insert(n); });
  numbers_after("Level", [&](uint32_t n) { q.levels.insert(static_cast<int>(n)); });
  constexpr absl::string_view kProvider = "@Name=";
  for (size_t pos = 0; (pos = xpath.find(kProvider, pos)) != absl::string_view::npos;) {
    pos += kProvider.size();
    if (pos >= xpath.size()) break;
    const char quote = xpath[pos];
    const size_t end = xpath.find(quote, pos + 1);
    if (end == absl::string_view::npos) break;
    q.providers.insert(absl::AsciiStrToLower(xpath.substr(pos + 1, end - pos - 1)));
    pos = end;
  }
}

CommandResult Wevtutil(Shell& shell, Session& session, const CommandLine& cmd) {
  const SlashArgs args = SlashArgs::Parse(cmd.words, 1);
  if (args.positional().empty()) return {1, kWevtutilUsage};
  const std::string verb = absl::AsciiStrToLower(args.positional()[0]);
  if (verb == "el" || verb == "enum-logs") {
    std::vector<std::string> logs = LogNames(shell, session);
    std::sort(logs.begin(), logs.end());
    return {0, absl::StrCat(absl::StrJoin(logs, "\n"), "\n")};
  }
  if (verb != "qe" && verb != "query-events") return {1, kWevtutilUsage};
  if (args.positional().size() != 2 ||
      !args.Unknown({"q", "query", "c", "count", "rd", "reversedirection", "f", "format", "e",
                     "element"})
           .empty()) {
    return {87, "The parameter is incorrect.\n"};
  }
  auto option = [&](absl::string_view s, absl::string_view l) {
    std::optional<std::string> v = args.Get(s);
    return v ? v : args.Get(l);
  };
  std::optional<std::string> log = CanonicalLog(shell, session, args.positional()[1]);
  if (!log) {
    return {15007, "Failed to read events. The specified channel could not be found.\n"};
  }
  EventQuery q;
  q.logs.insert(*log);
  if (auto xpath = option("q", "query")) ParseXPath(*xpath, q);
  std::vector<LoggedEvent> events = Select(shell, session, q);
  const std::string rd = absl::AsciiStrToLower(option("rd", "reversedirection").value_or(""));
  if (rd == "true" || rd == "1") std::reverse(events.begin(), events.end());
  if (auto count = option("c", "count")) {
    size_t n = 0;
    if (!absl::SimpleAtoi(*count, &n)) return {87, "The parameter is incorrect.\n"};
    if (events.size() > n) events.resize(n);
  }
  const std::string format = absl::AsciiStrToLower(option("f", "format").value_or("xml"));
  if (format != "xml" && format != "text" && format != "renderedxml") {
    return {87, "The parameter is incorrect.\n"};
  }
  const std::string computer = ComputerFqdn(shell, session);
  std::string out;
  for (size_t i = 0; i < events.size(); ++i) {
    const EventLogEntry& e = *events[i].entry;
    if (format == "text") {
      absl::StrAppend(&out, "Event[", i, "]:\n", "  Log Name: ", events[i].log, "\n",
                      "  Source: ", e.source, "\n", "  Date: ", IsoMillis(e.local_time), "\n",
                      "  Event ID: ", e.id, "\n", "  Task: N/A\n", "  Level: ", e.level, "\n",
                      "  Opcode: Info\n", "  Keyword: Classic\n", "  User: N/A\n",
                      "  User Name: N/A\n", "  Computer: ", computer, "\n", "  Description: \n",
                      e.message, "\n\n");
    } else {
      absl::StrAppend(
          &out,
          "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
          "<Provider Name='",
          XmlEscape(e.source), "'/><EventID Qualifiers='0'>", e.id, "</EventID><Level>",
          LevelNumber(e.level), "</Level><Task>0</Task><Keywords>0x80000000000000</Keywords>",
          "<TimeCreated SystemTime='", IsoMillis(e.local_time), "000000Z'/><EventRecordID>",
          events[i].record_id, "</EventRecordID><Channel>", events[i].log, "</Channel><Computer>",
          computer, "</Computer><Security/></System><EventData><Data>", XmlEscape(e.message),
          "</Data></EventData></Event>\n");
    }
  }
  return {0, out};
}

}  // namespace

void RegisterDiagnosticCommands(Shell& shell) {
  shell.Register("w32tm", W32tm);
  shell.Register("klist", Klist);
  shell.Register("Get-WinEvent", GetWinEvent);
  shell.Register("wevtutil", Wevtutil);
}

}  // namespace trustsim::sim::tools
