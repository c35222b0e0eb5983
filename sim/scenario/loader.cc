// Copyright 2026 The trustsim Authors.

#include "sim/scenario/loader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "base/status_macros.h"
#include "sim/windows_error.h"
#include "yaml-cpp/depthguard.h"
#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/parser.h"
#include "yaml-cpp/yaml.h"

namespace trustsim::sim::scenario {
namespace {

// --- The action table ---------------------------------------------------------
//
// Every `do:` with its parameters, in one place: the loader validates steps
// against it, ActionName() and Step::Describe() read it.

enum class ParamType {
  kText,              // any non-empty string
  kMember,            // a domain member (VM) known at this step
  kNewMember,         // a new VM name, known from this step on (clone's new_host)
  kHostOrDc,          // a member or a DC
  kPeer,              // a member, a DC or "*" (every other host)
  kDc,                // a DC
  kUser,              // a user declared under domain.users
  kComputer,          // a computer account: a member's computer name, optionally with '$'
  kNewComputerName,   // a computer name a clone takes
  kDuration,          // "10m", "-2h"
  kPositiveDuration,  // "30d"
  kBool,              // stored as "true" or "false"
  kNumber,            // a decimal number (ppm)
  kRepairMethod,      // a repair method name, also filling Action::repair
};

constexpr bool kRequired = true;
constexpr bool kOptional = false;

struct ParamSpec {
  const char* name;
  ParamType type;
  bool required;
};

struct ActionSpec {
  ActionKind kind;
  const char* name;
  std::vector<ParamSpec> params;
  // For Step::Describe(): "{param}" becomes the parameter's value; a "[...]"
  // part is left out unless every parameter inside it is given.
  const char* description;
  // True when at least one optional parameter must be given.
  bool needs_an_option = false;
};

const std::vector<ActionSpec>& Actions() {
  using T = ParamType;
  static const auto* const kActions = new std::vector<ActionSpec>{
      {ActionKind::kJoin,
       "join",
       {{"host", T::kMember, kRequired}, {"dc", T::kDc, kOptional}},
       "join {host}[ via {dc}]"},
      {ActionKind::kUnjoin, "unjoin", {{"host", T::kMember, kRequired}}, "unjoin {host}"},
      {ActionKind::kLogon,
       "logon",
       {{"host", T::kMember, kRequired}, {"user", T::kUser, kRequired}},
       "logon {host} as {user}"},
      {ActionKind::kChangePassword,
       "change_password",
       {{"host", T::kMember, kRequired}},
       "change_password {host}"},
      {ActionKind::kSetupChannel,
       "setup_channel",
       {{"host", T::kMember, kRequired}, {"dc", T::kDc, kOptional}},
       "setup_channel {host}[ with {dc}]"},
      {ActionKind::kSnapshot,
       "snapshot",
       {{"host", T::kMember, kRequired}, {"name", T::kText, kRequired}},
       "snapshot {host} as \"{name}\""},
      {ActionKind::kRevert,
       "revert",
       {{"host", T::kMember, kRequired}, {"name", T::kText, kRequired}},
       "revert {host} to snapshot \"{name}\""},
      {ActionKind::kClone,
       "clone",
       {{"host", T::kMember, kRequired},
        {"new_host", T::kNewMember, kRequired},
        {"sysprep", T::kBool, kOptional},
        {"computer_name", T::kNewComputerName, kOptional}},
       "clone {host} as {new_host}[ (sysprep: {sysprep})][ named {computer_name}]"},
      {ActionKind::kPowerOff, "power_off", {{"host", T::kHostOrDc, kRequired}}, "power_off {host}"},
      {ActionKind::kPowerOn, "power_on", {{"host", T::kHostOrDc, kRequired}}, "power_on {host}"},
      {ActionKind::kResetAccount,
       "reset_account",
       {{"computer", T::kComputer, kRequired}},
       "reset_account {computer}"},
      {ActionKind::kDisableAccount,
       "disable_account",
       {{"computer", T::kComputer, kRequired}},
       "disable_account {computer}"},
      {ActionKind::kEnableAccount,
       "enable_account",
       {{"computer", T::kComputer, kRequired}},
       "enable_account {computer}"},
      {ActionKind::kDeleteAccount,
       "delete_account",
       {{"computer", T::kComputer, kRequired}},
       "delete_account {computer}"},
      {ActionKind::kAddSpn,
       "add_spn",
       {{"account", T::kText, kRequired}, {"spn", T::kText, kRequired}},
       "add_spn {spn} to {account}"},
      {ActionKind::kRemoveSpn,
       "remove_spn",
       {{"account", T::kText, kRequired}, {"spn", T::kText, kRequired}},
       "remove_spn {spn} from {account}"},
      {ActionKind::kBackupDc,
       "backup_dc",
       {{"dc", T::kDc, kRequired}, {"name", T::kText, kRequired}},
       "backup_dc {dc} as \"{name}\""},
      {ActionKind::kRestoreDc,
       "restore_dc",
       {{"dc", T::kDc, kRequired}, {"name", T::kText, kRequired}},
       "restore_dc {dc} from \"{name}\""},
      {ActionKind::kSetClock,
       "set_clock",
       {{"host", T::kHostOrDc, kRequired}, {"offset", T::kDuration, kRequired}},
       "set_clock {host} to {offset}"},
      {ActionKind::kSetDrift,
       "set_drift",
       {{"host", T::kHostOrDc, kRequired}, {"ppm", T::kNumber, kRequired}},
       "set_drift {host} to {ppm} ppm"},
      {ActionKind::kResync, "resync", {{"host", T::kHostOrDc, kRequired}}, "resync {host}"},
      {ActionKind::kSetLatency,
       "set_latency",
       {{"a", T::kPeer, kRequired},
        {"b", T::kPeer, kRequired},
        {"latency", T::kPositiveDuration, kRequired}},
       "set_latency {a} <-> {b} to {latency}"},
      {ActionKind::kPartition,
       "partition",
       {{"a", T::kPeer, kRequired}, {"b", T::kPeer, kRequired}},
       "partition {a} from {b}"},
      {ActionKind::kHeal,
       "heal",
       {{"a", T::kPeer, kRequired}, {"b", T::kPeer, kRequired}},
       "heal {a} with {b}"},
      {ActionKind::kSetNetlogon,
       "set_netlogon",
       {{"host", T::kMember, kRequired},
        {"maximum_password_age", T::kPositiveDuration, kOptional},
        {"disable_password_change", T::kBool, kOptional},
        {"scavenge_interval", T::kPositiveDuration, kOptional}},
       "set_netlogon {host}[ maximum_password_age={maximum_password_age}]"
       "[ disable_password_change={disable_password_change}]"
       "[ scavenge_interval={scavenge_interval}]",
       /*needs_an_option=*/true},
      {ActionKind::kRefusePasswordChange,
       "refuse_password_change",
       {{"dc", T::kDc, kRequired}, {"value", T::kBool, kRequired}},
       "refuse_password_change on {dc}: {value}"},
      {ActionKind::kCrashDuringPasswordChange,
       "crash_during_password_change",
       {{"host", T::kMember, kRequired}},
       "crash_during_password_change {host}"},
      {ActionKind::kRun,
       "run",
       {{"run", T::kText, kRequired},
        {"as", T::kText, kOptional},
        {"elevated", T::kBool, kOptional}},
       "run \"{run}\"[ as {as}]"},
      {ActionKind::kExec,
       "exec",
       {{"exec", T::kText, kRequired}, {"timeout", T::kPositiveDuration, kOptional}},
       "exec \"{exec}\""},
      {ActionKind::kRepair,
       "repair",
       {{"host", T::kMember, kRequired},
        {"method", T::kRepairMethod, kRequired},
        {"server", T::kDc, kOptional},
        {"user", T::kUser, kOptional}},
       "repair {host} with {method}[ against {server}][ as {user}]"},
  };
  return *kActions;
}

const ActionSpec* FindAction(ActionKind kind) {
  for (const ActionSpec& spec : Actions()) {
    if (spec.kind == kind) return &spec;
  }
  return nullptr;
}

const ActionSpec* FindAction(absl::string_view name) {
  for (const ActionSpec& spec : Actions()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

struct RepairMethod {
  const char* name;
  RepairKind kind;
};

constexpr RepairMethod kRepairMethods[] = {
    {"reset_machine_password", RepairKind::kResetMachinePassword},
    {"repair_secure_channel", RepairKind::kRepairSecureChannel},
    {"reset_secure_channel", RepairKind::kResetSecureChannel},
    {"rejoin", RepairKind::kRejoin},
    {"resync_time", RepairKind::kResyncTime},
};

constexpr const char* kOperatingSystems[] = {
    "windows-7",     "windows-8.1", "windows-10",  "windows-11",  "server-2008r2",
    "server-2012r2", "server-2016", "server-2019", "server-2022",
};

constexpr const char* kPowerShellVersions[] = {"2.0", "3.0", "4.0", "5.1"};

constexpr const char* kChannelStates[] = {"none", "established", "failed"};

// Keys, per level of the file.
constexpr const char* kTopKeys[] = {"name",   "title", "explain", "seed",     "epoch",
                                    "domain", "dcs",   "hosts",   "policies", "timeline"};
constexpr const char* kDomainKeys[] = {"dns", "netbios", "max_skew", "replication_latency",
                                       "users"};
constexpr const char* kUserKeys[] = {"name", "password", "admin", "enabled"};
constexpr const char* kDcKeys[] = {"name",     "pdc",         "profile", "refuse_password_change",
                                   "schannel", "clock_offset"};
constexpr const char* kHostKeys[] = {"name",      "os",
                                     "join",      "clock_offset",
                                     "drift_ppm", "hypervisor_time_sync",
                                     "netlogon",  "time_sync_interval",
                                     "rsat",      "powershell"};
constexpr const char* kNetlogonKeys[] = {"maximum_password_age", "disable_password_change",
                                         "scavenge_interval"};
constexpr const char* kPolicyKeys[] = {"profile", "password_change_order", "boot_jitter"};
constexpr const char* kStepKeys[] = {"at", "do", "expect"};
constexpr const char* kExpectKeys[] = {"status",  "message",          "reason", "host",   "lsa",
                                       "channel", "password_changes", "dc",     "events", "exit",
                                       "lines",   "contains",         "stdout", "stderr"};
constexpr const char* kLsaKeys[] = {"current", "old"};
constexpr const char* kDcExpectKeys[] = {"name", "current", "previous",
                                         "kvno", "enabled", "exists"};
constexpr const char* kEventsKeys[] = {"host", "present", "absent"};

// The earliest and latest epoch: Netlogon carries Unix seconds in 32 bits.
constexpr SimTime kMinEpoch = 0;
constexpr SimTime kMaxEpoch = 4102444800LL * kSecond;  // 2100-01-01T00:00:00Z

// Files larger than this are refused before parsing.
constexpr std::uintmax_t kMaxFileSize = 16 << 20;

// --- Suggestions --------------------------------------------------------------

// Optimal string alignment distance (Levenshtein plus transpositions),
// ignoring case.
int EditDistance(absl::string_view a_in, absl::string_view b_in) {
  const std::string a = absl::AsciiStrToLower(a_in);
  const std::string b = absl::AsciiStrToLower(b_in);
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

// " (did you mean "x"?)" for the closest candidate when it is close enough,
// else "".
std::string Suggestion(absl::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return "";
  const std::string* best = nullptr;
  int best_distance = std::numeric_limits<int>::max();
  for (const std::string& candidate : candidates) {
    if (candidate.size() > 64) continue;
    const int distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  if (best == nullptr) return "";
  const int limit = std::max(word.size(), best->size()) <= 4 ? 1 : 2;
  if (best_distance > limit || best_distance >= static_cast<int>(word.size())) return "";
  return absl::StrCat(" (did you mean \"", *best, "\"?)");
}

std::vector<std::string> Strings(absl::Span<const char* const> names) {
  return std::vector<std::string>(names.begin(), names.end());
}

// "a, b, c", at most `limit` names.
std::string NameList(const std::vector<std::string>& names, size_t limit = 12) {
  if (names.size() <= limit) return absl::StrJoin(names, ", ");
  std::vector<std::string> head(names.begin(), names.begin() + limit);
  return absl::StrCat(absl::StrJoin(head, ", "), ", ...");
}

// The suggestion if there is one, else the list of what is allowed.
std::string SuggestionOrList(absl::string_view word, const std::vector<std::string>& candidates,
                             absl::string_view list_label) {
  std::string suggestion = Suggestion(word, candidates);
  if (!suggestion.empty()) return suggestion;
  if (candidates.empty()) return "";
  return absl::StrCat(" (", list_label, ": ", NameList(candidates), ")");
}

// For messages: what a node is, e.g. "a list", "nothing", "\"abc\"".
std::string Show(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar: {
      std::string text = node.Scalar();
      if (text.size() > 40) text = absl::StrCat(text.substr(0, 37), "...");
      return absl::StrCat("\"", absl::CHexEscape(text), "\"");
    }
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

bool IsComputerName(absl::string_view name) {
  if (name.empty() || name.size() > 15) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

bool IsScenarioName(absl::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
}

bool IsUserName(absl::string_view name) {
  if (name.empty() || name.size() > 20) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    const unsigned char u = static_cast<unsigned char>(c);
    return u > ' ' && u != 0x7f && std::strchr("\"/\\[]:;|=,+*?<>@", c) == nullptr;
  });
}

// "v2" or "none".
bool IsPasswordVersion(absl::string_view text) {
  if (text == "none") return true;
  if (text.size() < 2 || text.size() > 7 || text[0] != 'v') return false;
  return std::all_of(text.begin() + 1, text.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

// --- Maps with positions ------------------------------------------------------

struct Field {
  std::string key;
  SourcePos key_pos;
  YAML::Node value;
  // The value's position; the key's when the value is empty.
  SourcePos value_pos;
};

struct Map {
  SourcePos pos;
  std::vector<Field> fields;

  const Field* Find(absl::string_view key) const {
    for (const Field& f : fields) {
      if (f.key == key) return &f;
    }
    return nullptr;
  }
};

// --- The loader ---------------------------------------------------------------

class Loader {
 public:
  explicit Loader(std::string file) : file_(std::move(file)) {}

  absl::StatusOr<Scenario> Load(absl::string_view text);

  SourcePos Pos(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0 || mark.column < 0) return SourcePos{file_, 1, 1};
    return SourcePos{file_, mark.line + 1, mark.column + 1};
  }

  // An InvalidArgument error "file:line:col: message", control characters in
  // `message` escaped so that it stays one printable line.
  absl::Status Error(const SourcePos& pos, absl::string_view message) const {
    std::string text = absl::StrCat(pos.ToString(), ": ");
    for (const char c : message) {
      const unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) {
        absl::StrAppend(&text, "\\x", absl::Hex(u, absl::kZeroPad2));
      } else {
        text += c;
      }
    }
    return absl::InvalidArgumentError(text);
  }

 private:
  // A host or DC declared so far.
  struct Known {
    std::string name;  // as declared
    bool dc = false;
    SourcePos pos;
  };

  SourcePos Pos(const YAML::Node& node, const SourcePos& fallback) const {
    if (!node.IsDefined() || node.IsNull()) return fallback;
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return fallback;
    return Pos(mark);
  }

  // Reads a map, refusing non-scalar and duplicate keys and, if `known` is
  // not empty, keys not in it. `label` names the map in messages ("domain"),
  // `context` the place of an unknown key ("in domain").
  absl::StatusOr<Map> ReadMap(const YAML::Node& node, const SourcePos& pos, absl::string_view label,
                              absl::Span<const char* const> known, absl::string_view context);
  absl::Status UnknownKey(const Field& f, const std::vector<std::string>& known,
                          absl::string_view context) const;

  // Typed values. `label` is the key, for messages.
  absl::StatusOr<std::string> String(const YAML::Node& node, const SourcePos& pos,
                                     absl::string_view label) const;
  absl::StatusOr<std::string> String(const Field& f) const {
    return String(f.value, f.value_pos, f.key);
  }
  absl::StatusOr<std::string> NonEmptyString(const Field& f) const;
  absl::StatusOr<bool> Bool(const YAML::Node& node, const SourcePos& pos,
                            absl::string_view label) const;
  absl::StatusOr<bool> Bool(const Field& f) const { return Bool(f.value, f.value_pos, f.key); }
  absl::StatusOr<uint64_t> Unsigned(const YAML::Node& node, const SourcePos& pos,
                                    absl::string_view label, uint64_t max) const;
  absl::StatusOr<uint64_t> Unsigned(const Field& f, uint64_t max) const {
    return Unsigned(f.value, f.value_pos, f.key, max);
  }
  absl::StatusOr<double> Number(const YAML::Node& node, const SourcePos& pos,
                                absl::string_view label) const;
  enum class Sign { kAny, kNonNegative, kPositive };
  absl::StatusOr<SimDuration> Duration(const YAML::Node& node, const SourcePos& pos,
                                       absl::string_view label, Sign sign) const;
  absl::StatusOr<SimDuration> Duration(const Field& f, Sign sign) const {
    return Duration(f.value, f.value_pos, f.key, sign);
  }
  absl::StatusOr<std::string> Choice(const Field& f, absl::Span<const char* const> choices,
                                     absl::string_view what) const;
  absl::StatusOr<std::string> Version(const Field& f) const;
  absl::StatusOr<std::vector<uint32_t>> EventIds(const Field& f) const;
  absl::StatusOr<YAML::Node> List(const Field& f) const;

  // Names.
  // Declares a member or DC; `computer`: a member whose VM name is also its
  // computer name.
  absl::Status DeclareHost(const std::string& name, bool dc, const SourcePos& pos,
                           absl::string_view what, bool computer = true);
  // Resolves a reference to a member and/or DC (and "*" if allowed) to its
  // declared spelling.
  absl::StatusOr<std::string> ResolveHost(const std::string& name, const SourcePos& pos,
                                          bool member, bool dc, bool star,
                                          absl::string_view role) const;
  absl::StatusOr<std::string> ResolveUser(const std::string& name, const SourcePos& pos) const;
  absl::StatusOr<std::string> ResolveComputer(const std::string& name, const SourcePos& pos) const;
  bool IsMember(const std::string& name) const;

  // Sections.
  absl::Status LoadDomain(const Field& f, Scenario& s);
  absl::Status LoadPolicies(const Field& f, Scenario& s);
  absl::Status LoadDcs(const Field& f, Scenario& s);
  absl::Status LoadHosts(const Field& f, Scenario& s);
  absl::Status LoadNetlogon(const Field& f, NetlogonParameters& netlogon);
  absl::Status LoadTimeline(const Field& f, Scenario& s);
  absl::Status LoadStep(const YAML::Node& node, const SourcePos& fallback, SimTime& previous,
                        Scenario& s);
  absl::Status LoadParam(const Field& f, const ParamSpec& spec, Action& action);
  absl::Status LoadExpect(const Field& f, Step& step);
  absl::Status LoadDcExpectation(const YAML::Node& node, const SourcePos& pos, DcExpectation& out);

  std::string file_;
  SimTime epoch_ = kDefaultEpoch;
  // Members and DCs by upper-case name; the declaration order for messages.
  std::map<std::string, Known> hosts_;
  std::vector<std::string> member_names_;
  std::vector<std::string> dc_names_;
  // Users by lower-case name -> declared spelling.
  std::map<std::string, std::string> users_;
  std::vector<std::string> user_names_;
  // Computer names (upper case) -> declared spelling: members' host names and
  // the computer names clones take.
  std::map<std::string, std::string> computers_;
  std::vector<std::string> computer_names_;
};

absl::StatusOr<Map> Loader::ReadMap(const YAML::Node& node, const SourcePos& pos,
                                    absl::string_view label, absl::Span<const char* const> known,
                                    absl::string_view context) {
  if (!node.IsMap()) {
    return Error(pos, absl::StrCat(label, ": expected a map of keys, got ", Show(node)));
  }
  Map map;
  map.pos = Pos(node, pos);
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    const SourcePos key_pos = Pos(key, map.pos);
    if (!key.IsScalar()) {
      return Error(key_pos,
                   absl::StrCat("a key in ", label, " must be a plain word, got ", Show(key)));
    }
    Field f{key.Scalar(), key_pos, value, key_pos};
    if (value.IsDefined() && !value.IsNull()) f.value_pos = Pos(value, key_pos);
    if (const Field* first = map.Find(f.key); first != nullptr) {
      return Error(key_pos, absl::StrCat("duplicate key \"", absl::CHexEscape(f.key), "\" in ",
                                         label, " (first at ", first->key_pos.line, ":",
                                         first->key_pos.column, ")"));
    }
    map.fields.push_back(std::move(f));
  }
  if (!known.empty()) {
    const std::vector<std::string> names = Strings(known);
    for (const Field& f : map.fields) {
      if (std::find(names.begin(), names.end(), f.key) == names.end()) {
        return UnknownKey(f, names, context);
      }
    }
  }
  return map;
}

absl::Status Loader::UnknownKey(const Field& f, const std::vector<std::string>& known,
                                absl::string_view context) const {
  return Error(f.key_pos, absl::StrCat("unknown key \"", absl::CHexEscape(f.key), "\" ", context,
                                       SuggestionOrList(f.key, known, "known keys")));
}

absl::StatusOr<std::string> Loader::String(const YAML::Node& node, const SourcePos& pos,
                                           absl::string_view label) const {
  if (!node.IsScalar()) {
    return Error(pos, absl::StrCat(label, ": expected a string, got ", Show(node)));
  }
  return node.Scalar();
}

absl::StatusOr<std::string> Loader::NonEmptyString(const Field& f) const {
  ASSIGN_OR_RETURN(std::string text, String(f));
  if (text.empty()) return Error(f.value_pos, absl::StrCat(f.key, ": must not be empty"));
  return text;
}

absl::StatusOr<bool> Loader::Bool(const YAML::Node& node, const SourcePos& pos,
                                  absl::string_view label) const {
  if (node.IsScalar()) {
    const std::string text = absl::AsciiStrToLower(node.Scalar());
    if (text == "true" || text == "yes" || text == "on") return true;
    if (text == "false" || text == "no" || text == "off") return false;
  }
  return Error(pos, absl::StrCat(label, ": expected true or false, got ", Show(node)));
}

absl::StatusOr<uint64_t> Loader::Unsigned(const YAML::Node& node, const SourcePos& pos,
                                          absl::string_view label, uint64_t max) const {
  uint64_t value = 0;
  const bool digits = node.IsScalar() && !node.Scalar().empty() &&
                      std::all_of(node.Scalar().begin(), node.Scalar().end(), [](char c) {
                        return absl::ascii_isdigit(static_cast<unsigned char>(c));
                      });
  if (!digits) {
    return Error(pos, absl::StrCat(label, ": expected a non-negative integer, got ", Show(node)));
  }
  if (!absl::SimpleAtoi(node.Scalar(), &value) || value > max) {
    return Error(pos, absl::StrCat(label, ": ", Show(node), " is too large (at most ", max, ")"));
  }
  return value;
}

absl::StatusOr<double> Loader::Number(const YAML::Node& node, const SourcePos& pos,
                                      absl::string_view label) const {
  double value = 0;
  if (!node.IsScalar() || !absl::SimpleAtod(node.Scalar(), &value) || !std::isfinite(value) ||
      absl::StrContains(absl::AsciiStrToLower(node.Scalar()), "n")) {  // no nan, inf
    return Error(pos, absl::StrCat(label, ": expected a number, got ", Show(node)));
  }
  return value;
}

absl::StatusOr<SimDuration> Loader::Duration(const YAML::Node& node, const SourcePos& pos,
                                             absl::string_view label, Sign sign) const {
  if (!node.IsScalar()) {
    return Error(pos, absl::StrCat(label, ": expected a duration such as 30d, 1h30m or 90s, got ",
                                   Show(node)));
  }
  absl::StatusOr<SimDuration> d = ParseDuration(node.Scalar());
  if (!d.ok()) return Error(pos, absl::StrCat(label, ": ", d.status().message()));
  if (sign == Sign::kNonNegative && *d < 0) {
    return Error(pos, absl::StrCat(label, ": must not be negative, got ", Show(node)));
  }
  if (sign == Sign::kPositive && *d <= 0) {
    return Error(pos, absl::StrCat(label, ": must be longer than zero, got ", Show(node)));
  }
  return *d;
}

absl::StatusOr<std::string> Loader::Choice(const Field& f, absl::Span<const char* const> choices,
                                           absl::string_view what) const {
  ASSIGN_OR_RETURN(std::string text, String(f));
  for (const char* choice : choices) {
    if (text == choice) return text;
  }
  return Error(f.value_pos, absl::StrCat(f.key, ": unknown ", what, " \"", absl::CHexEscape(text),
                                         "\"", SuggestionOrList(text, Strings(choices), "use")));
}

absl::StatusOr<std::string> Loader::Version(const Field& f) const {
  if (f.value.IsScalar() && IsPasswordVersion(f.value.Scalar())) return f.value.Scalar();
  return Error(f.value_pos,
               absl::StrCat(f.key, ": expected a password version such as v0 or v2, or none; got ",
                            Show(f.value)));
}

absl::StatusOr<YAML::Node> Loader::List(const Field& f) const {
  if (!f.value.IsSequence()) {
    return Error(f.value_pos, absl::StrCat(f.key, ": expected a list, got ", Show(f.value)));
  }
  return f.value;
}

absl::StatusOr<std::vector<uint32_t>> Loader::EventIds(const Field& f) const {
  std::vector<uint32_t> ids;
  if (f.value.IsScalar()) {
    ASSIGN_OR_RETURN(uint64_t id, Unsigned(f, 0xFFFFFFFFu));
    ids.push_back(static_cast<uint32_t>(id));
    return ids;
  }
  if (!f.value.IsSequence()) {
    return Error(f.value_pos,
                 absl::StrCat(f.key, ": expected a list of event IDs, got ", Show(f.value)));
  }
  for (const YAML::Node& item : f.value) {
    ASSIGN_OR_RETURN(uint64_t id, Unsigned(item, Pos(item, f.value_pos), f.key, 0xFFFFFFFFu));
    ids.push_back(static_cast<uint32_t>(id));
  }
  return ids;
}

// --- Names --------------------------------------------------------------------

absl::Status Loader::DeclareHost(const std::string& name, bool dc, const SourcePos& pos,
                                 absl::string_view what, bool computer) {
  if (!IsComputerName(name)) {
    return Error(pos, absl::StrCat(what, " name \"", absl::CHexEscape(name),
                                   "\": use 1 to 15 letters, digits and '-' (a NetBIOS name)"));
  }
  const std::string key = absl::AsciiStrToUpper(name);
  if (auto it = hosts_.find(key); it != hosts_.end()) {
    return Error(
        pos, absl::StrCat("duplicate host name \"", name, "\": ", it->second.dc ? "a DC" : "a host",
                          " named \"", it->second.name, "\" is declared at ", it->second.pos.line,
                          ":", it->second.pos.column, " (names are case-insensitive)"));
  }
  hosts_[key] = Known{name, dc, pos};
  if (dc) {
    dc_names_.push_back(name);
  } else {
    member_names_.push_back(name);
    if (computer && computers_.emplace(key, name).second) computer_names_.push_back(name);
  }
  return absl::OkStatus();
}

bool Loader::IsMember(const std::string& name) const {
  auto it = hosts_.find(absl::AsciiStrToUpper(name));
  return it != hosts_.end() && !it->second.dc;
}

absl::StatusOr<std::string> Loader::ResolveHost(const std::string& name, const SourcePos& pos,
                                                bool member, bool dc, bool star,
                                                absl::string_view role) const {
  if (star && name == "*") return name;
  auto it = hosts_.find(absl::AsciiStrToUpper(name));
  if (it != hosts_.end()) {
    if (it->second.dc ? dc : member) return it->second.name;
    return Error(pos, absl::StrCat("\"", name, "\" is ", it->second.dc ? "a DC" : "a member host",
                                   ", but ", role, " must be ",
                                   it->second.dc ? "a domain member (hosts:)" : "a DC (dcs:)"));
  }
  std::vector<std::string> candidates;
  if (member) candidates.insert(candidates.end(), member_names_.begin(), member_names_.end());
  if (dc) candidates.insert(candidates.end(), dc_names_.begin(), dc_names_.end());
  const char* kind = member && dc ? "host or DC" : dc ? "DC" : "host";
  std::string known = SuggestionOrList(name, candidates,
                                       member && dc ? "known hosts and DCs"
                                       : dc         ? "known DCs"
                                                    : "known hosts");
  if (candidates.empty()) known = member ? " (no hosts are declared)" : "";
  return Error(pos, absl::StrCat("unknown ", kind, " \"", absl::CHexEscape(name), "\" in ", role,
                                 known, star ? "; \"*\" means every other host" : ""));
}

absl::StatusOr<std::string> Loader::ResolveUser(const std::string& name,
                                                const SourcePos& pos) const {
  auto it = users_.find(absl::AsciiStrToLower(name));
  if (it != users_.end()) return it->second;
  std::string known = SuggestionOrList(name, user_names_, "declared users");
  if (user_names_.empty()) known = " (no users are declared under domain: users:)";
  return Error(pos, absl::StrCat("unknown user \"", absl::CHexEscape(name), "\"", known));
}

absl::StatusOr<std::string> Loader::ResolveComputer(const std::string& name,
                                                    const SourcePos& pos) const {
  absl::string_view bare = name;
  absl::ConsumeSuffix(&bare, "$");
  auto it = computers_.find(absl::AsciiStrToUpper(bare));
  if (it != computers_.end()) return it->second;
  if (IsMember(std::string(bare))) {
    return Error(pos, absl::StrCat("unknown computer \"", absl::CHexEscape(name), "\": host ", bare,
                                   " is a clone without sysprep and has its source's "
                                   "computer name"));
  }
  return Error(
      pos, absl::StrCat("unknown computer \"", absl::CHexEscape(name), "\"",
                        SuggestionOrList(std::string(bare), computer_names_, "known computers")));
}

// --- Sections -----------------------------------------------------------------

absl::Status Loader::LoadDomain(const Field& f, Scenario& s) {
  ASSIGN_OR_RETURN(Map map, ReadMap(f.value, f.value_pos, "domain", kDomainKeys, "in domain"));
  if (const Field* x = map.Find("dns")) {
    ASSIGN_OR_RETURN(s.domain.dns_name, NonEmptyString(*x));
  }
  if (const Field* x = map.Find("netbios")) {
    ASSIGN_OR_RETURN(s.domain.netbios_name, NonEmptyString(*x));
    if (!IsComputerName(s.domain.netbios_name)) {
      return Error(x->value_pos, "netbios: use 1 to 15 letters, digits and '-'");
    }
  }
  if (const Field* x = map.Find("max_skew")) {
    ASSIGN_OR_RETURN(s.domain.max_skew, Duration(*x, Sign::kNonNegative));
  }
  if (const Field* x = map.Find("replication_latency")) {
    ASSIGN_OR_RETURN(s.domain.replication_latency, Duration(*x, Sign::kNonNegative));
  }
  if (const Field* x = map.Find("users")) {
    ASSIGN_OR_RETURN(YAML::Node list, List(*x));
    std::map<std::string, SourcePos> seen;
    for (const YAML::Node& item : list) {
      const SourcePos pos = Pos(item, x->value_pos);
      ASSIGN_OR_RETURN(Map user, ReadMap(item, pos, "a user", kUserKeys, "in a user"));
      DomainUser u;
      const Field* name = user.Find("name");
      if (name == nullptr) return Error(user.pos, "a user needs a name");
      ASSIGN_OR_RETURN(u.name, String(*name));
      if (!IsUserName(u.name)) {
        return Error(
            name->value_pos,
            absl::StrCat("user name \"", absl::CHexEscape(u.name),
                         "\": use 1 to 20 characters, without spaces or \"/\\[]:;|=,+*?<>@"));
      }
      const Field* password = user.Find("password");
      if (password == nullptr) {
        return Error(user.pos, absl::StrCat("user \"", u.name, "\" needs a password"));
      }
      ASSIGN_OR_RETURN(u.password, String(*password));
      if (const Field* admin = user.Find("admin")) {
        ASSIGN_OR_RETURN(u.admin, Bool(*admin));
      }
      if (const Field* enabled = user.Find("enabled")) {
        ASSIGN_OR_RETURN(u.enabled, Bool(*enabled));
      }
      const std::string key = absl::AsciiStrToLower(u.name);
      if (auto it = users_.find(key); it != users_.end()) {
        return Error(
            name->value_pos,
            absl::StrCat("duplicate user \"", u.name, "\": already declared at ", seen[key].line,
                         ":", seen[key].column, " (names are case-insensitive)"));
      }
      users_[key] = u.name;
      seen[key] = name->value_pos;
      user_names_.push_back(u.name);
      s.users.push_back(std::move(u));
    }
  }
  return absl::OkStatus();
}

absl::Status Loader::LoadPolicies(const Field& f, Scenario& s) {
  ASSIGN_OR_RETURN(Map map, ReadMap(f.value, f.value_pos, "policies", kPolicyKeys, "in policies"));
  if (const Field* x = map.Find("profile")) {
    ASSIGN_OR_RETURN(std::string text, String(*x));
    absl::StatusOr<DcProfile> profile = ParseDcProfile(text);
    if (!profile.ok()) {
      return Error(x->value_pos, absl::StrCat("profile: ", profile.status().message()));
    }
    s.policies.profile = *profile;
  }
  if (const Field* x = map.Find("password_change_order")) {
    constexpr const char* kOrders[] = {"dc_first", "lsa_first"};
    ASSIGN_OR_RETURN(std::string order, Choice(*x, kOrders, "password change order"));
    s.policies.password_change_order =
        order == "dc_first" ? PasswordChangeOrder::kDcFirst : PasswordChangeOrder::kLsaFirst;
  }
  if (const Field* x = map.Find("boot_jitter")) {
    ASSIGN_OR_RETURN(s.policies.boot_jitter, Duration(*x, Sign::kNonNegative));
  }
  return absl::OkStatus();
}

absl::Status Loader::LoadDcs(const Field& f, Scenario& s) {
  if (!f.value.IsSequence() || f.value.size() == 0) {
    return Error(f.value_pos,
                 absl::StrCat("dcs: expected a list of at least one DC, got ", Show(f.value)));
  }
  int pdc = -1;  // index in s.dcs
  for (const YAML::Node& item : f.value) {
    const SourcePos pos = Pos(item, f.value_pos);
    ASSIGN_OR_RETURN(Map map, ReadMap(item, pos, "a DC", kDcKeys, "in a DC"));
    DcSpec dc;
    dc.pos = map.pos;
    const Field* name = map.Find("name");
    if (name == nullptr) return Error(map.pos, "a DC needs a name");
    ASSIGN_OR_RETURN(dc.name, String(*name));
    RETURN_IF_ERROR(DeclareHost(dc.name, /*dc=*/true, name->value_pos, "DC"));
    if (const Field* x = map.Find("pdc")) {
      ASSIGN_OR_RETURN(dc.pdc, Bool(*x));
      if (dc.pdc && pdc >= 0) {
        const DcSpec& first = s.dcs[pdc];
        return Error(x->value_pos, absl::StrCat("two PDCs: ", first.name, " (", first.pos.line, ":",
                                                first.pos.column,
                                                ") already has pdc: true; a domain has one PDC "
                                                "emulator"));
      }
    }
    if (const Field* x = map.Find("profile")) {
      ASSIGN_OR_RETURN(std::string text, String(*x));
      absl::StatusOr<DcProfile> profile = ParseDcProfile(text);
      if (!profile.ok()) {
        return Error(x->value_pos, absl::StrCat("profile: ", profile.status().message()));
      }
      dc.profile = *profile;
    }
    if (const Field* x = map.Find("refuse_password_change")) {
      ASSIGN_OR_RETURN(dc.refuse_password_change, Bool(*x));
    }
    if (const Field* x = map.Find("clock_offset")) {
      ASSIGN_OR_RETURN(dc.clock_offset, Duration(*x, Sign::kAny));
    }
    if (const Field* x = map.Find("schannel")) {
      ASSIGN_OR_RETURN(std::string text, String(*x));
      if (text != "require" && text != "allow-plain") {
        return Error(x->value_pos, absl::StrCat("schannel: expected require or allow-plain, got \"",
                                                absl::CHexEscape(text), "\""));
      }
      dc.schannel_required = text == "require";
    }
    if (dc.pdc) pdc = static_cast<int>(s.dcs.size());
    s.dcs.push_back(std::move(dc));
  }
  if (pdc < 0) s.dcs.front().pdc = true;
  return absl::OkStatus();
}

absl::Status Loader::LoadNetlogon(const Field& f, NetlogonParameters& netlogon) {
  ASSIGN_OR_RETURN(Map map,
                   ReadMap(f.value, f.value_pos, "netlogon", kNetlogonKeys, "in netlogon"));
  if (const Field* x = map.Find("maximum_password_age")) {
    ASSIGN_OR_RETURN(netlogon.maximum_password_age, Duration(*x, Sign::kPositive));
  }
  if (const Field* x = map.Find("disable_password_change")) {
    ASSIGN_OR_RETURN(netlogon.disable_password_change, Bool(*x));
  }
  if (const Field* x = map.Find("scavenge_interval")) {
    ASSIGN_OR_RETURN(netlogon.scavenge_interval, Duration(*x, Sign::kPositive));
  }
  return absl::OkStatus();
}

absl::Status Loader::LoadHosts(const Field& f, Scenario& s) {
  if (f.value.IsNull()) return absl::OkStatus();  // "hosts:" with no members
  ASSIGN_OR_RETURN(YAML::Node list, List(f));
  for (const YAML::Node& item : list) {
    const SourcePos pos = Pos(item, f.value_pos);
    ASSIGN_OR_RETURN(Map map, ReadMap(item, pos, "a host", kHostKeys, "in a host"));
    HostSpec host;
    host.pos = map.pos;
    const Field* name = map.Find("name");
    if (name == nullptr) return Error(map.pos, "a host needs a name");
    ASSIGN_OR_RETURN(host.name, String(*name));
    RETURN_IF_ERROR(DeclareHost(host.name, /*dc=*/false, name->value_pos, "host"));
    if (const Field* x = map.Find("os")) {
      ASSIGN_OR_RETURN(host.os.name, Choice(*x, kOperatingSystems, "operating system"));
      host.os.server = absl::StartsWith(host.os.name, "server-");
    }
    if (const Field* x = map.Find("join")) {
      ASSIGN_OR_RETURN(host.join, Bool(*x));
    }
    if (const Field* x = map.Find("clock_offset")) {
      ASSIGN_OR_RETURN(host.clock_offset, Duration(*x, Sign::kAny));
    }
    if (const Field* x = map.Find("drift_ppm")) {
      ASSIGN_OR_RETURN(host.drift_ppm, Number(x->value, x->value_pos, x->key));
      if (std::fabs(host.drift_ppm) >= 1e6) {
        return Error(x->value_pos,
                     "drift_ppm: must be between -1000000 and 1000000 (a clock that stops or runs "
                     "backwards)");
      }
    }
    if (const Field* x = map.Find("hypervisor_time_sync")) {
      ASSIGN_OR_RETURN(host.hypervisor_time_sync, Bool(*x));
    }
    if (const Field* x = map.Find("netlogon")) {
      RETURN_IF_ERROR(LoadNetlogon(*x, host.netlogon));
    }
    if (const Field* x = map.Find("rsat")) {
      ASSIGN_OR_RETURN(host.os.rsat, Bool(*x));
    }
    if (const Field* x = map.Find("powershell")) {
      ASSIGN_OR_RETURN(host.os.powershell,
                       Choice(*x, kPowerShellVersions, "Windows PowerShell version"));
    }
    if (const Field* x = map.Find("time_sync_interval")) {
      ASSIGN_OR_RETURN(host.time_sync_interval, Duration(*x, Sign::kPositive));
    }
    s.hosts.push_back(std::move(host));
  }
  return absl::OkStatus();
}

absl::Status Loader::LoadTimeline(const Field& f, Scenario& s) {
  if (!f.value.IsSequence() || f.value.size() == 0) {
    return Error(f.value_pos, absl::StrCat("timeline: expected a list of at least one step, got ",
                                           Show(f.value)));
  }
  SimTime previous = epoch_;
  for (const YAML::Node& item : f.value) {
    RETURN_IF_ERROR(LoadStep(item, f.value_pos, previous, s));
  }
  return absl::OkStatus();
}

absl::Status Loader::LoadStep(const YAML::Node& node, const SourcePos& fallback, SimTime& previous,
                              Scenario& s) {
  const SourcePos pos = Pos(node, fallback);
  ASSIGN_OR_RETURN(Map map, ReadMap(node, pos, "a step", {}, ""));
  Step step;
  step.pos = map.pos;
  step.action.pos = map.pos;

  // The action first: it decides which keys the step may have.
  const ActionSpec* spec = nullptr;
  if (const Field* x = map.Find("exec")) {
    // One action per step: exec: is one on its own (`do: exec` says it twice).
    for (const char* other : {"do", "run"}) {
      const Field* y = map.Find(other);
      if (y != nullptr && !(y->key == "do" && y->value.IsScalar() && y->value.Scalar() == "exec")) {
        return Error(x->key_pos, absl::StrCat("a step has one action, and this one already has ",
                                              other, ": (put exec: in a step of its own)"));
      }
    }
    spec = FindAction(ActionKind::kExec);
    step.action.kind = ActionKind::kExec;
    step.action.pos = x->key_pos;
  } else if (const Field* x = map.Find("run"); x != nullptr && map.Find("do") == nullptr) {
    spec = FindAction(ActionKind::kRun);
    step.action.kind = ActionKind::kRun;
    step.action.pos = x->key_pos;
  } else if (const Field* x = map.Find("do")) {
    ASSIGN_OR_RETURN(std::string name, String(*x));
    spec = FindAction(name);
    if (spec == nullptr) {
      std::vector<std::string> names;
      for (const ActionSpec& a : Actions()) names.push_back(a.name);
      return Error(x->value_pos, absl::StrCat("unknown action \"", absl::CHexEscape(name), "\"",
                                              SuggestionOrList(name, names, "actions")));
    }
    step.action.kind = spec->kind;
    step.action.pos = x->key_pos;
  }
  std::vector<std::string> known = Strings(kStepKeys);
  if (spec != nullptr) {
    for (const ParamSpec& p : spec->params) known.push_back(p.name);
  }
  for (const Field& field : map.fields) {
    if (std::find(known.begin(), known.end(), field.key) != known.end()) continue;
    if (field.key == "timeout") {
      return Error(field.key_pos,
                   "\"timeout\" is the time limit of an exec: step's program; this step has "
                   "no exec:");
    }
    bool is_param = false;
    for (const ActionSpec& a : Actions()) {
      for (const ParamSpec& p : a.params) is_param = is_param || field.key == p.name;
    }
    // A near-miss of a valid key is more likely than a parameter of another action.
    if (is_param && Suggestion(field.key, known).empty()) {
      if (spec == nullptr) {
        return Error(field.key_pos, absl::StrCat("\"", field.key,
                                                 "\" is an action parameter, but this step has "
                                                 "no do:"));
      }
      std::vector<std::string> takes;
      for (const ParamSpec& p : spec->params) takes.push_back(p.name);
      return Error(field.key_pos,
                   absl::StrCat("unknown parameter \"", field.key, "\" for ", spec->name, " (",
                                spec->name, " takes ", absl::StrJoin(takes, ", "), ")"));
    }
    return UnknownKey(field, known, "in a step");
  }
  if (spec == nullptr && map.Find("expect") == nullptr) {
    return Error(map.pos, "a step needs do: (an action) or expect: (checks), or both");
  }

  // Time.
  if (const Field* x = map.Find("at")) {
    ASSIGN_OR_RETURN(step.at_text, String(*x));
    const bool relative = absl::StartsWith(step.at_text, "+");
    ASSIGN_OR_RETURN(SimDuration offset, Duration(*x, Sign::kAny));
    const SimTime base = relative ? previous : epoch_;
    if (__builtin_add_overflow(base, offset, &step.at)) {
      return Error(x->value_pos, absl::StrCat("at: \"", step.at_text, "\" is too far away"));
    }
    if (step.at < previous) {
      return Error(
          x->value_pos,
          absl::StrCat("at: ", step.at_text, " (", FormatDuration(step.at - epoch_),
                       " after the epoch) is before the previous step (",
                       FormatDuration(previous - epoch_), "); steps must not go back in time"));
    }
  } else {
    step.at = previous;
  }
  previous = step.at;

  // Parameters.
  if (spec != nullptr) {
    bool any_option = false;
    for (const ParamSpec& p : spec->params) {
      const Field* x = map.Find(p.name);
      if (x == nullptr) {
        if (!p.required) continue;
        std::vector<std::string> takes;
        for (const ParamSpec& q : spec->params) {
          takes.push_back(q.required ? q.name : absl::StrCat(q.name, " (optional)"));
        }
        return Error(step.action.pos,
                     absl::StrCat("missing parameter \"", p.name, "\" for ", spec->name, " (",
                                  spec->name, " takes ", absl::StrJoin(takes, ", "), ")"));
      }
      any_option = any_option || !p.required;
      RETURN_IF_ERROR(LoadParam(*x, p, step.action));
    }
    if (spec->needs_an_option && !any_option) {
      std::vector<std::string> options;
      for (const ParamSpec& p : spec->params) {
        if (!p.required) options.push_back(p.name);
      }
      return Error(step.action.pos, absl::StrCat(spec->name,
                                                 " changes nothing: give at least one "
                                                 "of ",
                                                 absl::StrJoin(options, ", ")));
    }
    Action& a = step.action;
    if (a.kind == ActionKind::kPartition || a.kind == ActionKind::kHeal) {
      std::string& pa = a.params["a"];
      std::string& pb = a.params["b"];
      if (pa == pb && pa != "*") {
        return Error(map.Find("b")->value_pos,
                     absl::StrCat(spec->name, ": a and b are the same host (", pa, ")"));
      }
      if (pa == "*" && pb == "*" && a.kind == ActionKind::kPartition) {
        return Error(map.Find("b")->value_pos,
                     "partition: a and b cannot both be \"*\"; name one host to cut off");
      }
      if (pa == "*" && pb != "*") std::swap(pa, pb);  // "*" always in b
    }
    if (a.kind == ActionKind::kClone) {
      // Without sysprep the clone keeps its source's computer name; with it,
      // the clone takes computer_name, or its VM name.
      const bool sysprep = a.Param("sysprep") == "true";
      const std::string& computer_name = a.Param("computer_name");
      if (!sysprep && !computer_name.empty()) {
        return Error(map.Find("computer_name")->value_pos,
                     "computer_name: a clone without sysprep: true keeps the computer name of its "
                     "source");
      }
      RETURN_IF_ERROR(DeclareHost(a.Param("new_host"), /*dc=*/false,
                                  map.Find("new_host")->value_pos, "host",
                                  /*computer=*/sysprep && computer_name.empty()));
      if (!computer_name.empty() &&
          computers_.emplace(absl::AsciiStrToUpper(computer_name), computer_name).second) {
        computer_names_.push_back(computer_name);
      }
    }
    if (a.kind == ActionKind::kRun) {
      // "ws01> nltest /sc_verify:corp.example.com": the prompt names the host.
      const Field* run = map.Find("run");
      const std::string& line = a.Param("run");
      const size_t prompt = line.find('>');
      if (prompt == std::string::npos || prompt == 0) {
        return Error(run->value_pos,
                     "run: start with the host's prompt, e.g. 'ws01> nltest /sc_query:corp'");
      }
      ASSIGN_OR_RETURN(std::string host,
                       ResolveHost(std::string(absl::StripAsciiWhitespace(line.substr(0, prompt))),
                                   run->value_pos, true, true, false, "run's host"));
      a.params["host"] = host;
      a.params["command"] = std::string(absl::StripAsciiWhitespace(line.substr(prompt + 1)));
      if (a.params["command"].empty())
        return Error(run->value_pos, "run: no command after the prompt");
      if (const Field* as = map.Find("as")) {
        std::string who = a.Param("as");
        const size_t slash = who.find('\\');
        const std::string domain = slash == std::string::npos ? "" : who.substr(0, slash);
        const std::string account = slash == std::string::npos ? who : who.substr(slash + 1);
        const bool local = domain == "." || absl::EqualsIgnoreCase(domain, host) ||
                           (domain.empty() && absl::EqualsIgnoreCase(account, "Administrator"));
        if (local) {
          if (!absl::EqualsIgnoreCase(account, "Administrator")) {
            return Error(as->value_pos, "as: the only local account modelled is .\\Administrator");
          }
          a.params["as"] = ".\\Administrator";
        } else {
          ASSIGN_OR_RETURN(std::string user, ResolveUser(account, as->value_pos));
          a.params["as"] = user;
        }
      }
    }
    if (a.kind == ActionKind::kExec) {
      const Field* exec = map.Find("exec");
      if (absl::StripAsciiWhitespace(a.Param("exec")).empty()) {
        return Error(exec->value_pos, "exec: no command (give the command line /bin/sh runs)");
      }
      a.params["command"] = a.Param("exec");
      if (const Field* timeout = map.Find("timeout")) {
        ASSIGN_OR_RETURN(a.exec_timeout, Duration(*timeout, Sign::kPositive));
      }
    }
    if (a.kind == ActionKind::kRepair) {
      a.repair.host = a.Param("host");
      a.repair.server = a.Param("server");
      a.repair.user = a.Param("user");
    }
  }

  if (const Field* x = map.Find("expect")) {
    RETURN_IF_ERROR(LoadExpect(*x, step));
  }
  s.steps.push_back(std::move(step));
  return absl::OkStatus();
}

absl::Status Loader::LoadParam(const Field& f, const ParamSpec& spec, Action& action) {
  using T = ParamType;
  const std::string role = absl::StrCat("\"", spec.name, "\" of ", ActionName(action.kind));
  if (spec.type == T::kBool) {
    ASSIGN_OR_RETURN(bool value, Bool(f));
    action.params[spec.name] = value ? "true" : "false";
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::string value, String(f));
  if (value.empty()) return Error(f.value_pos, absl::StrCat(f.key, ": must not be empty"));
  switch (spec.type) {
    case T::kText:
    case T::kBool:
      break;
    case T::kMember: {
      ASSIGN_OR_RETURN(value, ResolveHost(value, f.value_pos, true, false, false, role));
      break;
    }
    case T::kHostOrDc: {
      ASSIGN_OR_RETURN(value, ResolveHost(value, f.value_pos, true, true, false, role));
      break;
    }
    case T::kPeer: {
      ASSIGN_OR_RETURN(value, ResolveHost(value, f.value_pos, true, true, true, role));
      break;
    }
    case T::kDc: {
      ASSIGN_OR_RETURN(value, ResolveHost(value, f.value_pos, false, true, false, role));
      break;
    }
    case T::kUser: {
      ASSIGN_OR_RETURN(value, ResolveUser(value, f.value_pos));
      break;
    }
    case T::kComputer: {
      ASSIGN_OR_RETURN(value, ResolveComputer(value, f.value_pos));
      break;
    }
    case T::kNewMember: {
      // Declared by the caller once every parameter is valid; check the
      // name now so the error points here.
      if (!IsComputerName(value)) {
        return Error(f.value_pos,
                     absl::StrCat(f.key, ": host name \"", absl::CHexEscape(value),
                                  "\": use 1 to 15 letters, digits and '-' (a NetBIOS name)"));
      }
      auto it = hosts_.find(absl::AsciiStrToUpper(value));
      if (it != hosts_.end()) {
        return Error(
            f.value_pos,
            absl::StrCat("duplicate host name \"", value, "\": ", it->second.dc ? "a DC" : "a host",
                         " named \"", it->second.name, "\" already exists (declared at ",
                         it->second.pos.line, ":", it->second.pos.column, ")"));
      }
      break;
    }
    case T::kNewComputerName:
      if (!IsComputerName(value)) {
        return Error(f.value_pos,
                     absl::StrCat(f.key, ": computer name \"", absl::CHexEscape(value),
                                  "\": use 1 to 15 letters, digits and '-' (a NetBIOS name)"));
      }
      break;
    case T::kDuration:
      RETURN_IF_ERROR(Duration(f, Sign::kAny).status());
      break;
    case T::kPositiveDuration:
      RETURN_IF_ERROR(Duration(f, Sign::kPositive).status());
      break;
    case T::kNumber: {
      ASSIGN_OR_RETURN(double ppm, Number(f.value, f.value_pos, f.key));
      if (std::fabs(ppm) >= 1e6) {
        return Error(f.value_pos, absl::StrCat(f.key, ": must be between -1000000 and 1000000"));
      }
      break;
    }
    case T::kRepairMethod: {
      const RepairMethod* method = nullptr;
      std::vector<std::string> names;
      for (const RepairMethod& m : kRepairMethods) {
        names.push_back(m.name);
        if (value == m.name) method = &m;
      }
      if (method == nullptr) {
        return Error(f.value_pos, absl::StrCat("unknown repair method \"", absl::CHexEscape(value),
                                               "\"", SuggestionOrList(value, names, "methods")));
      }
      action.repair.kind = method->kind;
      break;
    }
  }
  action.params[spec.name] = value;
  return absl::OkStatus();
}

absl::Status Loader::LoadDcExpectation(const YAML::Node& node, const SourcePos& pos,
                                       DcExpectation& out) {
  ASSIGN_OR_RETURN(Map map,
                   ReadMap(node, pos, "a dc expectation", kDcExpectKeys, "in a dc expectation"));
  out.pos = map.pos;
  if (const Field* x = map.Find("name")) {
    ASSIGN_OR_RETURN(std::string name, String(*x));
    ASSIGN_OR_RETURN(out.dc, ResolveHost(name, x->value_pos, false, true, false, "dc: name"));
  }
  if (const Field* x = map.Find("current")) {
    ASSIGN_OR_RETURN(out.current, Version(*x));
  }
  if (const Field* x = map.Find("previous")) {
    ASSIGN_OR_RETURN(out.previous, Version(*x));
  }
  if (const Field* x = map.Find("kvno")) {
    ASSIGN_OR_RETURN(uint64_t kvno, Unsigned(*x, 0xFFFFFFFFu));
    out.kvno = static_cast<uint32_t>(kvno);
  }
  if (const Field* x = map.Find("enabled")) {
    ASSIGN_OR_RETURN(out.enabled, Bool(*x));
  }
  if (const Field* x = map.Find("exists")) {
    ASSIGN_OR_RETURN(out.exists, Bool(*x));
  }
  return absl::OkStatus();
}

absl::Status Loader::LoadExpect(const Field& f, Step& step) {
  ASSIGN_OR_RETURN(Map map, ReadMap(f.value, f.value_pos, "expect", kExpectKeys, "in expect"));
  Expectation e;
  e.pos = map.pos;
  for (const Field& field : map.fields) e.key_pos[field.key] = field.key_pos;
  const bool has_action = step.action.kind != ActionKind::kNone;
  const bool run = step.action.kind == ActionKind::kRun;
  const bool exec = step.action.kind == ActionKind::kExec;
  for (const char* key : {"status", "message", "reason"}) {
    const Field* x = map.Find(key);
    if (x != nullptr && !has_action) {
      return Error(x->key_pos, absl::StrCat("\"", key,
                                            "\" checks the step's action, but this step has no "
                                            "do:"));
    }
    if (x != nullptr && exec) {
      return Error(x->key_pos, absl::StrCat("\"", key,
                                            "\" checks a Windows result; an exec: step's program "
                                            "is checked with exit:, stdout:, stderr: and "
                                            "contains:"));
    }
  }
  if (const Field* x = map.Find("status")) {
    ASSIGN_OR_RETURN(std::string text, String(*x));
    absl::StatusOr<uint32_t> code = ParseWin32Error(text);
    if (!code.ok()) return Error(x->value_pos, absl::StrCat("status: ", code.status().message()));
    e.status = *code;
    e.status_text = text;
  }
  if (const Field* x = map.Find("message")) {
    ASSIGN_OR_RETURN(e.message, NonEmptyString(*x));
  }
  if (const Field* x = map.Find("reason")) {
    ASSIGN_OR_RETURN(e.reason, NonEmptyString(*x));
  }
  if (const Field* x = map.Find("host")) {
    ASSIGN_OR_RETURN(std::string host, String(*x));
    ASSIGN_OR_RETURN(e.host, ResolveHost(host, x->value_pos, true, false, false, "expect: host"));
  } else if (const std::string& host = step.action.Param("host"); IsMember(host)) {
    e.host = host;
  }
  if (const Field* x = map.Find("lsa")) {
    ASSIGN_OR_RETURN(Map lsa, ReadMap(x->value, x->value_pos, "lsa", kLsaKeys, "in lsa"));
    if (const Field* y = lsa.Find("current")) {
      ASSIGN_OR_RETURN(e.lsa_current, Version(*y));
    }
    if (const Field* y = lsa.Find("old")) {
      ASSIGN_OR_RETURN(e.lsa_old, Version(*y));
    }
  }
  if (const Field* x = map.Find("channel")) {
    ASSIGN_OR_RETURN(e.channel, Choice(*x, kChannelStates, "channel state"));
  }
  if (const Field* x = map.Find("password_changes")) {
    ASSIGN_OR_RETURN(uint64_t n, Unsigned(*x, std::numeric_limits<int>::max()));
    e.password_changes = static_cast<int>(n);
  }
  for (const char* key : {"exit", "contains"}) {
    const Field* x = map.Find(key);
    if (x != nullptr && !run && !exec) {
      return Error(x->key_pos, absl::StrCat("\"", key,
                                            "\" checks a command's output: the step needs run: or "
                                            "exec:"));
    }
  }
  if (const Field* x = map.Find("lines"); x != nullptr && !run) {
    return Error(x->key_pos,
                 exec ? "\"lines\" checks a console command's lines, which only run: has; for an "
                        "exec: step's program use stdout:, stderr: or contains:"
                      : "\"lines\" checks a command's output: the step needs run:");
  }
  for (const char* key : {"stdout", "stderr"}) {
    const Field* x = map.Find(key);
    if (x != nullptr && !exec) {
      return Error(x->key_pos,
                   absl::StrCat("\"", key, "\" checks a program's output: the step needs exec:",
                                run ? " (for run:, use contains: or lines:)" : ""));
    }
  }
  if (const Field* x = map.Find("exit")) {
    ASSIGN_OR_RETURN(uint64_t n, Unsigned(*x, 65535));
    e.exit_code = static_cast<int>(n);
  }
  for (const char* key : {"lines", "contains", "stdout", "stderr"}) {
    const Field* x = map.Find(key);
    if (x == nullptr) continue;
    const std::string name = key;
    std::vector<std::string>& out = name == "lines"    ? e.output_lines
                                    : name == "stdout" ? e.stdout_contains
                                    : name == "stderr" ? e.stderr_contains
                                                       : e.output_contains;
    if (x->value.IsScalar()) {
      ASSIGN_OR_RETURN(std::string one, NonEmptyString(*x));
      out.push_back(std::move(one));
      continue;
    }
    ASSIGN_OR_RETURN(YAML::Node list, List(*x));
    for (const YAML::Node& item : list) {
      ASSIGN_OR_RETURN(std::string one, String(item, Pos(item, x->value_pos), key));
      out.push_back(std::move(one));
    }
  }
  if (e.host.empty()) {
    for (const char* key : {"lsa", "channel", "password_changes"}) {
      if (const Field* x = map.Find(key)) {
        return Error(x->key_pos,
                     absl::StrCat("\"", key,
                                  "\" checks a member, but this step's action names none: add "
                                  "host: to expect"));
      }
    }
  }
  if (const Field* x = map.Find("dc")) {
    if (x->value.IsSequence()) {
      for (const YAML::Node& item : x->value) {
        DcExpectation dc;
        RETURN_IF_ERROR(LoadDcExpectation(item, Pos(item, x->value_pos), dc));
        e.dcs.push_back(std::move(dc));
      }
    } else {
      DcExpectation dc;
      RETURN_IF_ERROR(LoadDcExpectation(x->value, x->value_pos, dc));
      e.dcs.push_back(std::move(dc));
    }
  }
  if (const Field* x = map.Find("events")) {
    ASSIGN_OR_RETURN(Map events,
                     ReadMap(x->value, x->value_pos, "events", kEventsKeys, "in events"));
    if (const Field* y = events.Find("host")) {
      ASSIGN_OR_RETURN(std::string host, String(*y));
      ASSIGN_OR_RETURN(e.events_host,
                       ResolveHost(host, y->value_pos, true, true, false, "events: host"));
    } else if (e.host.empty()) {
      return Error(events.pos, "events: give host: (whose event log to look at)");
    }
    if (const Field* y = events.Find("present")) {
      ASSIGN_OR_RETURN(e.events_present, EventIds(*y));
    }
    if (const Field* y = events.Find("absent")) {
      ASSIGN_OR_RETURN(e.events_absent, EventIds(*y));
    }
  }
  step.expect = std::move(e);
  return absl::OkStatus();
}

// --- The document -------------------------------------------------------------

// Where each document of a YAML stream starts, and where its root node is.
//
// YAML::LoadAll of yaml-cpp 0.7 never returns on a stream whose top level
// holds a token that no document can start with, such as a lone "," or "!,":
// each round reports another empty document at the same place and allocates
// it, until memory runs out (jbeder/yaml-cpp#1040, fixed upstream in #1319).
// The loader therefore reads at most kMaxDocuments documents with yaml-cpp's
// event parser and calls a document that starts where the previous one did a
// syntax error.
class DocumentScanner final : public YAML::EventHandler {
 public:
  struct Document {
    YAML::Mark start;
    YAML::Mark root;         // of the first node event
    bool null_root = false;  // the document is empty (or null)
    bool has_root = false;
  };

  // Two documents are an error; the third shows whether the second is real.
  static constexpr size_t kMaxDocuments = 3;

  const std::vector<Document>& documents() const { return documents_; }

  void OnDocumentStart(const YAML::Mark& mark) override { documents_.push_back({mark, mark}); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Root(mark, true); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Root(mark, false); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Root(mark, false);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Root(mark, false);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Root(mark, false);
  }
  void OnMapEnd() override {}

 private:
  void Root(const YAML::Mark& mark, bool null) {
    if (documents_.empty() || documents_.back().has_root) return;
    documents_.back().root = mark;
    documents_.back().null_root = null;
    documents_.back().has_root = true;
  }

  std::vector<Document> documents_;
};

absl::StatusOr<Scenario> Loader::Load(absl::string_view text) {
  std::vector<DocumentScanner::Document> documents;
  YAML::Node root;
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    DocumentScanner scanner;
    while (scanner.documents().size() < DocumentScanner::kMaxDocuments &&
           parser.HandleNextDocument(scanner)) {
      const std::vector<DocumentScanner::Document>& d = scanner.documents();
      if (d.size() >= 2 && d[d.size() - 1].start.pos == d[d.size() - 2].start.pos) {
        const YAML::Mark& at = d.back().start;
        const std::string token =
            at.pos >= 0 && static_cast<size_t>(at.pos) < text.size()
                ? absl::StrCat(": unexpected \"", absl::CHexEscape(text.substr(at.pos, 1)), "\"")
                : "";
        return Error(Pos(at), absl::StrCat("YAML syntax error", token));
      }
    }
    documents = scanner.documents();
    if (documents.size() == 1) root = YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp 0.7 gives this one the message "bad file".
    return Error(Pos(e.mark),
                 absl::StrCat("YAML syntax error: nested more than ", e.depth(), " levels deep"));
  } catch (const YAML::Exception& e) {
    return Error(Pos(e.mark), absl::StrCat("YAML syntax error: ", e.msg));
  }
  if (documents.empty() || (documents.size() == 1 && root.IsNull())) {
    return Error(SourcePos{file_, 1, 1},
                 "the file is empty; a scenario needs at least name:, dcs: and timeline:");
  }
  if (documents.size() > 1) {
    const DocumentScanner::Document& second = documents[1];
    return Error(second.has_root && !second.null_root ? Pos(second.root) : SourcePos{file_, 1, 1},
                 "a scenario file holds one YAML document; this is a second one (remove the "
                 "\"---\")");
  }
  if (!root.IsMap()) {
    return Error(Pos(root, SourcePos{file_, 1, 1}),
                 absl::StrCat("a scenario must be a map of keys (name:, dcs:, timeline:, ...), "
                              "got ",
                              Show(root)));
  }
  ASSIGN_OR_RETURN(
      Map map, ReadMap(root, SourcePos{file_, 1, 1}, "the scenario", kTopKeys, "at the top level"));
  auto missing = [&](absl::string_view key, absl::string_view why) {
    return Error(map.pos, absl::StrCat("missing required key \"", key, "\": ", why));
  };
  Scenario s;
  s.file = file_;
  if (const Field* x = map.Find("name")) {
    ASSIGN_OR_RETURN(s.name, String(*x));
    if (!IsScenarioName(s.name)) {
      return Error(x->value_pos, absl::StrCat("name \"", absl::CHexEscape(s.name),
                                              "\": use lower-case letters, digits and '-'"));
    }
  }
  if (const Field* x = map.Find("title")) {
    ASSIGN_OR_RETURN(s.title, String(*x));
  }
  if (const Field* x = map.Find("explain")) {
    ASSIGN_OR_RETURN(s.explanation, String(*x));
  }
  if (const Field* x = map.Find("seed")) {
    ASSIGN_OR_RETURN(s.seed, Unsigned(*x, std::numeric_limits<uint64_t>::max()));
  }
  if (const Field* x = map.Find("epoch")) {
    ASSIGN_OR_RETURN(std::string text, String(*x));
    absl::StatusOr<SimTime> epoch = ParseTime(text);
    if (!epoch.ok()) return Error(x->value_pos, absl::StrCat("epoch: ", epoch.status().message()));
    if (*epoch < kMinEpoch || *epoch >= kMaxEpoch) {
      return Error(x->value_pos,
                   absl::StrCat("epoch: ", text, " is out of range (1970-01-01 to 2099-12-31)"));
    }
    s.epoch = *epoch;
  }
  epoch_ = s.epoch;
  if (const Field* x = map.Find("domain")) RETURN_IF_ERROR(LoadDomain(*x, s));
  if (const Field* x = map.Find("policies")) RETURN_IF_ERROR(LoadPolicies(*x, s));
  if (const Field* x = map.Find("dcs")) RETURN_IF_ERROR(LoadDcs(*x, s));
  if (const Field* x = map.Find("hosts")) RETURN_IF_ERROR(LoadHosts(*x, s));
  // Missing keys last, so that errors at a position come first.
  if (map.Find("name") == nullptr) {
    return missing("name", "give the scenario a name (lower-case letters, digits and '-')");
  }
  if (map.Find("dcs") == nullptr) return missing("dcs", "a scenario needs at least one DC");
  if (map.Find("timeline") == nullptr) {
    return missing("timeline", "a scenario needs a list of steps");
  }
  RETURN_IF_ERROR(LoadTimeline(*map.Find("timeline"), s));
  return s;
}

// Renders an ActionSpec::description.
std::string Render(absl::string_view text, const Action& action, bool& missing) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '[') {
      const size_t end = text.find(']', i);
      if (end == absl::string_view::npos) break;
      bool inner_missing = false;
      std::string inner = Render(text.substr(i + 1, end - i - 1), action, inner_missing);
      if (!inner_missing) out += inner;
      i = end + 1;
    } else if (c == '{') {
      const size_t end = text.find('}', i);
      if (end == absl::string_view::npos) break;
      const std::string& value = action.Param(std::string(text.substr(i + 1, end - i - 1)));
      if (value.empty()) missing = true;
      out += value;
      i = end + 1;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace

// --- scenario.h -----------------------------------------------------------------

std::string SourcePos::ToString() const { return absl::StrCat(file, ":", line, ":", column); }

const char* ActionName(ActionKind kind) {
  if (kind == ActionKind::kNone) return "none";
  const ActionSpec* spec = FindAction(kind);
  return spec == nullptr ? "unknown" : spec->name;
}

const std::string& Action::Param(const std::string& key) const {
  static const auto* const kEmpty = new std::string();
  auto it = params.find(key);
  return it == params.end() ? *kEmpty : it->second;
}

std::string Step::Describe() const {
  if (action.kind == ActionKind::kNone) {
    if (expect.has_value() && !expect->host.empty())
      return absl::StrCat("expect on ", expect->host);
    return "expect";
  }
  if (action.kind == ActionKind::kExec) {
    // One line, however many lines the command has (`exec: |`).
    const std::string command(absl::StripTrailingAsciiWhitespace(action.Param("exec")));
    return absl::StrCat("exec \"", absl::StrReplaceAll(command, {{"\n", "\\n"}}), "\"");
  }
  const ActionSpec* spec = FindAction(action.kind);
  if (spec == nullptr) return ActionName(action.kind);
  bool missing = false;
  return Render(spec->description, action, missing);
}

// --- Loading ----------------------------------------------------------------------

absl::StatusOr<Scenario> LoadScenarioText(absl::string_view yaml, const std::string& file_name) {
  try {
    Loader loader(file_name);
    return loader.Load(yaml);
  } catch (const YAML::Exception& e) {
    Loader loader(file_name);
    return loader.Error(loader.Pos(e.mark), e.msg);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ":1:1: cannot load the scenario: ", e.what()));
  }
}

absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return absl::NotFoundError(absl::StrCat(
        path, ":1:1: cannot read the scenario file: ", ec ? ec.message() : "no such file"));
  }
  if (std::filesystem::is_directory(status)) {
    return absl::NotFoundError(
        absl::StrCat(path, ":1:1: cannot read the scenario file: it is a directory"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ":1:1: cannot read the scenario file: ", std::strerror(errno)));
  }
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxFileSize) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":1:1: the scenario file is larger than ", kMaxFileSize >> 20, " MiB"));
    }
  }
  if (in.bad()) {
    return absl::NotFoundError(
        absl::StrCat(path, ":1:1: cannot read the scenario file: ", std::strerror(errno)));
  }
  return LoadScenarioText(text, path);
}

}  // namespace trustsim::sim::scenario
