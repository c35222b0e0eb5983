// Copyright 2026 The trustsim Authors.
//
// End-to-end tests of the `trustsim` executable. Every test runs the built
// binary (TRUSTSIM_BIN) as a child process, with stdout and stderr sent to
// separate files in a per-test temporary directory, and checks the exit code
// (0 ok, 1 an expectation failed, 2 usage or file error) and the output.

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// The library scenario most tests use: it has randomness (passwords,
// challenges, scavenger jitter), a failure, a repair and an explanation.
constexpr char kRevert[] = "revert-two-rotations.yaml";
constexpr char kRevertName[] = "revert-two-rotations";

struct Output {
  int exit_code = -1;  // the exit status, or 128 + signal if killed
  std::string out;
  std::string err;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

fs::path Library(const std::string& file) { return fs::path(TRUSTSIM_SCENARIO_DIR) / file; }

size_t LibraryFileCount() {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(TRUSTSIM_SCENARIO_DIR)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) ++n;
  }
  return n;
}

// The 16-hex-digit trace hash of the first "PASS|FAIL name: ..." line.
std::string TraceHash(const std::string& out) {
  static const std::regex kSummary(R"((PASS|FAIL) [a-z0-9-]+: .*, trace ([0-9a-f]{16})\b)");
  std::smatch m;
  if (!std::regex_search(out, m, kSummary)) return "";
  return m[2].str();
}

// The `seed:` a scenario file sets (1 when it sets none).
std::string FileSeed(const fs::path& file) {
  std::smatch m;
  const std::string text = ReadFile(file);
  if (std::regex_search(text, m, std::regex(R"((^|\n)seed: *(\d+))"))) return m[2].str();
  return "1";
}

// The number of timeline steps in a scenario file: the entries of the
// top-level `timeline:` list, "  - " at indentation 2.
int StepCount(const fs::path& file) {
  const std::string text = ReadFile(file);
  const size_t timeline = text.find("\ntimeline:");
  if (timeline == std::string::npos) return 0;
  return static_cast<int>(Count(text.substr(timeline), "\n  - "));
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) / "trustsim_cli_test" /
           (std::string(info->test_suite_name()) + "." + info->name());
    std::error_code ec;
    fs::remove_all(dir_, ec);
    fs::create_directories(dir_);
  }

  // Runs trustsim with `args`; stdout and stderr go to files in the test's
  // directory and are read back once it exits.
  Output Run(const std::vector<std::string>& args, const std::string& input = "") {
    const fs::path in_path = dir_ / ("stdin." + std::to_string(runs_));
    {
      std::ofstream in(in_path, std::ios::binary);
      in << input;
    }
    const fs::path out_path = dir_ / ("stdout." + std::to_string(runs_));
    const fs::path err_path = dir_ / ("stderr." + std::to_string(runs_));
    ++runs_;
    std::vector<std::string> storage = {TRUSTSIM_BIN};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);

    Output result;
    const pid_t pid = fork();
    if (pid < 0) {
      ADD_FAILURE() << "fork: " << std::strerror(errno);
      return result;
    }
    if (pid == 0) {
      const int in = open(in_path.c_str(), O_RDONLY);
      const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in < 0 || out < 0 || err < 0 || dup2(in, STDIN_FILENO) < 0 ||
          dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0) {
        _exit(126);
      }
      close(in);
      close(out);
      close(err);
      execv(argv[0], argv.data());
      _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        ADD_FAILURE() << "waitpid: " << std::strerror(errno);
        return result;
      }
    }
    if (WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.exit_code = 128 + WTERMSIG(status);
    }
    result.out = ReadFile(out_path);
    result.err = ReadFile(err_path);
    EXPECT_NE(result.exit_code, 127) << "could not exec " << TRUSTSIM_BIN;
    EXPECT_LT(result.exit_code, 128) << "trustsim was killed by a signal\n" << result.err;
    return result;
  }

  // A copy of a library file with `from` replaced by `to` (the first
  // occurrence), written to the test's directory. Sets *line and *column to
  // the 1-based position of the replacement.
  fs::path Variant(const std::string& library_file, const std::string& from, const std::string& to,
                   const std::string& out_name, int* line = nullptr, int* column = nullptr) {
    std::string text = ReadFile(Library(library_file));
    const size_t pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << library_file << " no longer contains \"" << from << "\"";
    if (pos == std::string::npos) return {};
    text.replace(pos, from.size(), to);
    if (line != nullptr)
      *line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
    if (column != nullptr) {
      const size_t bol = text.rfind('\n', pos);
      *column = static_cast<int>(bol == std::string::npos ? pos + 1 : pos - bol);
    }
    const fs::path path = dir_ / out_name;
    WriteFile(path, text);
    return path;
  }

  // revert-two-rotations with the logon expected to succeed, where the
  // library (correctly) expects 1789. *line is the line of the changed key.
  fs::path FailingScenario(int* line = nullptr, int* column = nullptr) {
    return Variant(kRevert, "status: 1789", "status: success", "failing.yaml", line, column);
  }

  fs::path dir_;
  int runs_ = 0;
};

// --- run: narrated -------------------------------------------------------

TEST_F(CliTest, RunPassingScenarioNarratesAndPasses) {
  const Output r = Run({"run", Library(kRevert)});
  ASSERT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find(std::string("=== ") + kRevertName + ": "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(Library(kRevert).string()), std::string::npos) << "the file is named";

  int step_lines = 0;
  for (const std::string& line : Lines(r.out)) step_lines += line.rfind("> day", 0) == 0;
  EXPECT_EQ(step_lines, StepCount(Library(kRevert))) << "one '> day' line per timeline step\n"
                                                     << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(R"(\n> day +\d+ \d\d:\d\d:\d\d  line \d+: logon WS01 as alice\n)")))
      << r.out;
  EXPECT_NE(r.out.find("ERROR_TRUSTED_RELATIONSHIP_FAILURE (1789)"), std::string::npos);
  EXPECT_EQ(r.out.find("FAILED"), std::string::npos);

  const std::regex pass(std::string("(^|\n)PASS ") + kRevertName +
                        R"(: (\d+) checks, 0 failed, seed )" + FileSeed(Library(kRevert)) +
                        R"(, trace [0-9a-f]{16}\n)");
  EXPECT_TRUE(std::regex_search(r.out, pass)) << r.out;
  EXPECT_EQ(TraceHash(r.out).size(), 16u);
  // A single scenario has no "N scenarios" total.
  EXPECT_EQ(r.out.find("scenarios:"), std::string::npos);
}

TEST_F(CliTest, RunQuietPrintsOnlyTheSummaryLine) {
  const Output r = Run({"run", "--quiet", Library(kRevert)});
  ASSERT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_EQ(lines[0].rfind(std::string("PASS ") + kRevertName + ": ", 0), 0u) << lines[0];
}

TEST_F(CliTest, RunFailingExpectationExitsOneAndPointsAtTheFile) {
  int line = 0, column = 0;
  const fs::path file = FailingScenario(&line, &column);
  ASSERT_FALSE(file.empty());
  const Output r = Run({"run", file});
  EXPECT_EQ(r.exit_code, kExitFailed) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  // The failure points at file:line:col of the expectation that failed.
  const std::string where = "FAILED " + file.string() + ":" + std::to_string(line) + ":";
  const size_t at = r.out.find(where);
  ASSERT_NE(at, std::string::npos) << "want \"" << where << "\" in\n" << r.out;
  EXPECT_TRUE(
      std::regex_search(r.out.substr(at + where.size()), std::regex(R"(^\d+: expected status)")))
      << r.out.substr(at);
  EXPECT_NE(r.out.find("got ERROR_TRUSTED_RELATIONSHIP_FAILURE (1789)"), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(std::string("(^|\n)FAIL ") + kRevertName + R"(: \d+ checks, 1 failed, )")))
      << r.out;
}

// --- run: files that cannot be used --------------------------------------

TEST_F(CliTest, RunUnknownKeyIsAFileError) {
  int line = 0;
  const fs::path file =
      Variant(kRevert, "seed: 4\n", "seed: 4\nbogus: 1\n", "unknown-key.yaml", &line);
  ASSERT_FALSE(file.empty());
  const Output r = Run({"run", file});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.out << r.err;
  // "bogus" is on the line after "seed: 4", in column 1.
  const std::string where = file.string() + ":" + std::to_string(line + 1) + ":1: ";
  EXPECT_NE(r.err.find(where), std::string::npos) << "want \"" << where << "\" in\n" << r.err;
  EXPECT_NE(r.err.find("unknown key \"bogus\""), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "") << "nothing runs when a file cannot be used";
}

TEST_F(CliTest, RunBadDurationIsAFileError) {
  int line = 0, column = 0;
  const fs::path file = Variant(kRevert, "at: +5m", "at: +5x", "bad-duration.yaml", &line, &column);
  ASSERT_FALSE(file.empty());
  const Output r = Run({"run", file});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(
      r.err,
      std::regex(std::regex_replace(file.string(), std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                 ":" + std::to_string(line) + R"(:\d+: .*duration)")))
      << r.err;
  EXPECT_NE(r.err.find("+5x"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, RunMissingFileIsAFileError) {
  const fs::path file = dir_ / "no-such-scenario.yaml";
  const Output r = Run({"run", file});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("no-such-scenario\\.yaml:\\d+:\\d+: "))) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, RunDirectoryWithoutYamlIsAnError) {
  const fs::path empty = dir_ / "empty";
  fs::create_directories(empty);
  WriteFile(empty / "README.txt", "not a scenario\n");
  const Output r = Run({"run", empty});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.out << r.err;
  // A directory has no line and column: the message names the directory.
  EXPECT_NE(r.err.find(empty.string() + ": no .yaml scenario files"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, RunDirectoryWithOneBadFileRunsNothing) {
  const fs::path lib = dir_ / "lib";
  fs::create_directories(lib);
  fs::copy_file(Library("healthy-year.yaml"), lib / "a.yaml");
  WriteFile(lib / "b.yaml", "name: broken\ntitle: x\nwhatever: 1\n");
  const Output r = Run({"run", lib});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.out << r.err;
  EXPECT_NE(r.err.find((lib / "b.yaml").string() + ":"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("PASS"), std::string::npos) << r.out;
}

// --- run --seed -----------------------------------------------------------

TEST_F(CliTest, RunSeedIsDeterministicAndReachesTheTrace) {
  const Output a = Run({"run", "--seed", "42", Library(kRevert)});
  const Output b = Run({"run", "--seed", "42", Library(kRevert)});
  const Output c = Run({"run", "--seed", "43", Library(kRevert)});
  ASSERT_EQ(a.exit_code, kExitOk) << a.out << a.err;
  ASSERT_EQ(b.exit_code, kExitOk) << b.out << b.err;
  ASSERT_EQ(c.exit_code, kExitOk) << c.out << c.err;
  EXPECT_NE(a.out.find("seed 42, trace "), std::string::npos) << a.out;
  EXPECT_NE(c.out.find("seed 43, trace "), std::string::npos) << c.out;
  ASSERT_EQ(TraceHash(a.out).size(), 16u) << a.out;
  EXPECT_EQ(TraceHash(a.out), TraceHash(b.out)) << "same seed, different trace";
  EXPECT_EQ(a.out, b.out) << "same seed, different narration";
  EXPECT_NE(TraceHash(a.out), TraceHash(c.out)) << "the seed does not reach the trace";
}

TEST_F(CliTest, RunSeedEqualToTheFileSeedChangesNothing) {
  const Output plain = Run({"run", "-q", Library(kRevert)});
  const Output seeded = Run({"run", "-q", "--seed", FileSeed(Library(kRevert)), Library(kRevert)});
  ASSERT_EQ(plain.exit_code, kExitOk);
  ASSERT_EQ(seeded.exit_code, kExitOk);
  EXPECT_EQ(plain.out, seeded.out);
}

TEST_F(CliTest, TraceHashDoesNotDependOnTheOutputMode) {
  const Output narrated = Run({"run", "--seed", "7", Library(kRevert)});
  const Output quiet = Run({"run", "--quiet", "--seed", "7", Library(kRevert)});
  const Output json = Run({"run", "--json", "--seed", "7", Library(kRevert)});
  ASSERT_EQ(narrated.exit_code, kExitOk);
  ASSERT_EQ(quiet.exit_code, kExitOk);
  ASSERT_EQ(json.exit_code, kExitOk);
  const std::string hash = TraceHash(narrated.out);
  ASSERT_EQ(hash.size(), 16u);
  EXPECT_EQ(TraceHash(quiet.out), hash);
  const nlohmann::json summary = nlohmann::json::parse(Lines(json.out).back());
  EXPECT_EQ(summary.value("trace_hash", ""), hash);
}

// `--seed` agrees with the file's `seed:`: negative or out-of-range values
// are usage errors (exit 2), and "010" is ten, not octal. (CLI11 2.1.2 alone
// would read it with strtoull base 0 and saturate.)
TEST_F(CliTest, RunSeedOutOfRangeIsAUsageError) {
  for (const char* bad : {"-1", "18446744073709551616", "99999999999999999999999"}) {
    const Output r = Run({"run", "-q", "--seed", bad, Library(kRevert)});
    EXPECT_EQ(r.exit_code, kExitUsage) << "--seed " << bad << " was accepted:\n" << r.out;
  }
  const Output octal = Run({"run", "-q", "--seed", "010", Library(kRevert)});
  if (octal.exit_code == kExitOk) {
    EXPECT_NE(octal.out.find("seed 10, trace"), std::string::npos) << "--seed 010 read as octal:\n"
                                                                   << octal.out;
  } else {
    EXPECT_EQ(octal.exit_code, kExitUsage) << octal.out << octal.err;
  }
}

// --- run --json -----------------------------------------------------------

TEST_F(CliTest, RunJsonPrintsOnlyJsonLines) {
  const Output r = Run({"run", "--json", "--seed", "5", Library(kRevert)});
  ASSERT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  std::map<std::string, int> types;
  nlohmann::json summary;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(j.is_discarded()) << "not JSON: " << line;
    ASSERT_TRUE(j.is_object()) << line;
    ASSERT_TRUE(j.contains("type")) << line;
    const std::string type = j["type"].get<std::string>();
    ++types[type];
    EXPECT_EQ(j.value("scenario", ""), kRevertName) << line;
    if (type == "summary") summary = j;
    if (type == "step") {
      EXPECT_TRUE(j.contains("line")) << line;
      EXPECT_TRUE(j.contains("passed")) << line;
    }
  }
  EXPECT_GT(types["event"], 0);
  EXPECT_EQ(types["step"], StepCount(Library(kRevert)));
  ASSERT_EQ(types["summary"], 1);
  EXPECT_EQ(lines.back(), summary.dump()) << "the summary comes last";
  EXPECT_EQ(types.size(), 3u) << "only event, step and summary objects";

  EXPECT_EQ(summary["passed"], true);
  EXPECT_EQ(summary["failed"], 0);
  EXPECT_EQ(summary["seed"], 5);
  ASSERT_TRUE(summary["trace_hash"].is_string());
  EXPECT_TRUE(
      std::regex_match(summary["trace_hash"].get<std::string>(), std::regex("[0-9a-f]{16}")))
      << summary.dump();
  EXPECT_EQ(summary.value("file", ""), Library(kRevert).string());
  EXPECT_GT(summary.value("checks", 0), 0);
}

TEST_F(CliTest, RunJsonReportsAFailingExpectation) {
  int line = 0;
  const fs::path file = FailingScenario(&line);
  ASSERT_FALSE(file.empty());
  const Output r = Run({"run", "--json", file});
  EXPECT_EQ(r.exit_code, kExitFailed) << r.out << r.err;
  int failing_steps = 0;
  nlohmann::json summary;
  for (const std::string& text : Lines(r.out)) {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (j["type"] == "summary") summary = j;
    if (j["type"] == "step" && j["passed"] == false) {
      ++failing_steps;
      ASSERT_TRUE(j.contains("failures")) << text;
      EXPECT_EQ(j["failures"][0]["where"].get<std::string>().rfind(
                    file.string() + ":" + std::to_string(line) + ":", 0),
                0u)
          << text;
    }
  }
  EXPECT_EQ(failing_steps, 1);
  EXPECT_EQ(summary["passed"], false);
  EXPECT_EQ(summary["failed"], 1);
}

// --- run --junit ----------------------------------------------------------

TEST_F(CliTest, RunJunitOnTheLibrary) {
  const fs::path xml = dir_ / "library.xml";
  const Output r = Run({"run", "--quiet", "--junit", xml.string(), TRUSTSIM_SCENARIO_DIR});
  ASSERT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  ASSERT_TRUE(fs::exists(xml));
  const std::string text = ReadFile(xml);
  EXPECT_EQ(text.rfind("<?xml", 0), 0u) << text.substr(0, 80);
  const size_t files = LibraryFileCount();
  EXPECT_EQ(Count(text, "<testsuite "), files) << "one <testsuite> per scenario file";
  EXPECT_EQ(Count(text, "</testsuite>"), files);
  EXPECT_EQ(Count(text, "<testsuites "), 1u);
  EXPECT_EQ(Count(text, "</testsuites>"), 1u);
  EXPECT_GE(Count(text, "<testcase "), files) << "every library scenario checks something";
  EXPECT_EQ(Count(text, "<testcase "), Count(text, "</testcase>"));
  EXPECT_EQ(Count(text, "<failure"), 0u) << text;
  EXPECT_NE(text.find("failures=\"0\""), std::string::npos);
  for (const auto& entry : fs::directory_iterator(TRUSTSIM_SCENARIO_DIR)) {
    if (entry.path().extension() != ".yaml") continue;
    EXPECT_NE(text.find("<testsuite name=\"" + entry.path().stem().string() + "\""),
              std::string::npos)
        << entry.path();
  }
}

TEST_F(CliTest, RunJunitOnAFailingScenario) {
  const fs::path file = FailingScenario();
  ASSERT_FALSE(file.empty());
  const fs::path xml = dir_ / "failing.xml";
  const Output r = Run({"run", "--quiet", "--junit", xml.string(), file});
  EXPECT_EQ(r.exit_code, kExitFailed) << r.out << r.err;
  const std::string text = ReadFile(xml);
  EXPECT_EQ(text.rfind("<?xml", 0), 0u);
  EXPECT_EQ(Count(text, "<testsuite "), 1u);
  EXPECT_EQ(Count(text, "<failure"), 1u) << text;
  EXPECT_NE(text.find("failures=\"1\""), std::string::npos) << text;
  EXPECT_NE(text.find("</failure>"), std::string::npos);
}

TEST_F(CliTest, RunJunitEscapesXml) {
  // A snapshot name and a failing reason with every XML-special character.
  std::string text = ReadFile(Library(kRevert));
  for (size_t pos; (pos = text.find("name: day0")) != std::string::npos;) {
    text.replace(pos, 10, R"(name: "a<b>&c\"d")");
  }
  const size_t reason = text.find("reason: \"DC01 holds current v2, previous v1\"");
  ASSERT_NE(reason, std::string::npos);
  text.replace(reason, std::string("reason: \"DC01 holds current v2, previous v1\"").size(),
               R"(reason: "x<y & \"z\"")");
  const fs::path file = dir_ / "escape.yaml";
  WriteFile(file, text);
  const fs::path xml = dir_ / "escape.xml";
  const Output r = Run({"run", "--quiet", "--junit", xml.string(), file});
  EXPECT_EQ(r.exit_code, kExitFailed) << r.out << r.err;
  const std::string out = ReadFile(xml);
  EXPECT_EQ(out.find("a<b>"), std::string::npos) << out;
  EXPECT_EQ(out.find("x<y &"), std::string::npos) << out;
  EXPECT_NE(out.find("a&lt;b&gt;&amp;c&quot;d"), std::string::npos) << out;
  EXPECT_NE(out.find("x&lt;y &amp; &quot;z&quot;"), std::string::npos) << out;
}

TEST_F(CliTest, RunJunitToAnUnwritablePathIsAnError) {
  const fs::path xml = dir_ / "no-such-dir" / "out.xml";
  const Output r = Run({"run", "--quiet", "--junit", xml.string(), Library(kRevert)});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot write " + xml.string()), std::string::npos) << r.err;
}

// --- run on directories ---------------------------------------------------

TEST_F(CliTest, RunDirectoryRunsTheWholeLibrary) {
  const Output r = Run({"run", TRUSTSIM_SCENARIO_DIR});
  ASSERT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  const size_t n = LibraryFileCount();
  ASSERT_GE(n, 16u);
  EXPECT_EQ(Count(r.out, "\n=== "), n - 1) << "a header per scenario (the first opens the output)";
  EXPECT_EQ(r.out.rfind("=== ", 0), 0u);
  const std::vector<std::string> lines = Lines(r.out);
  size_t passes = 0;
  for (const std::string& line : lines) passes += line.rfind("PASS ", 0) == 0;
  EXPECT_EQ(passes, n);
  const std::string total =
      std::to_string(n) + " scenarios: " + std::to_string(n) + " passed, 0 failed";
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), total) << r.out.substr(r.out.size() > 2000 ? r.out.size() - 2000 : 0);
}

TEST_F(CliTest, RunDirectoryWithAFailureCountsIt) {
  const fs::path lib = dir_ / "lib";
  fs::create_directories(lib);
  fs::copy_file(Library("healthy-year.yaml"), lib / "a-healthy.yaml");
  const fs::path failing = FailingScenario();
  ASSERT_FALSE(failing.empty());
  fs::copy_file(failing, lib / "b-failing.yaml");
  const Output r = Run({"run", "--quiet", lib});
  EXPECT_EQ(r.exit_code, kExitFailed) << r.out << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0].rfind("PASS healthy-year: ", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind(std::string("FAIL ") + kRevertName + ": ", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2], "2 scenarios: 1 passed, 1 failed");
}

// --- lint -----------------------------------------------------------------

TEST_F(CliTest, LintTheLibrary) {
  const Output r = Run({"lint", TRUSTSIM_SCENARIO_DIR});
  ASSERT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_EQ(lines.size(), LibraryFileCount()) << r.out;
  std::set<std::string> seen;
  for (const std::string& line : lines) {
    std::smatch m;
    ASSERT_TRUE(
        std::regex_match(line, m, std::regex(R"(ok +(\S+\.yaml) \(([a-z0-9-]+), \d+ steps\))")))
        << line;
    EXPECT_EQ(fs::path(m[1].str()).stem().string(), m[2].str()) << "file named after scenario";
    seen.insert(m[1].str());
  }
  EXPECT_EQ(seen.size(), lines.size()) << "each file once";
}

TEST_F(CliTest, LintABadFile) {
  const fs::path file = Variant(kRevert, "at: +5m", "at: +5x", "bad-duration.yaml");
  ASSERT_FALSE(file.empty());
  const Output r = Run({"lint", file});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.out << r.err;
  EXPECT_NE(r.err.find(file.string() + ":"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, LintDoesNotRunTheScenario) {
  // An expectation that fails at run time is still a valid file.
  const fs::path file = FailingScenario();
  ASSERT_FALSE(file.empty());
  const Output r = Run({"lint", file});
  EXPECT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("ok ", 0), 0u) << r.out;
}

// --- explain --------------------------------------------------------------

TEST_F(CliTest, ExplainRevertTwoRotations) {
  const Output r = Run({"explain", Library(kRevert)});
  ASSERT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("Windows says: The trust relationship between this workstation and the "
                       "primary domain failed."),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("ERROR_TRUSTED_RELATIONSHIP_FAILURE, 1789"), std::string::npos);
  EXPECT_NE(r.out.find("Who holds which password"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no match for v0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Repaired by"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Reset-ComputerMachinePassword -Credential"), std::string::npos) << r.out;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex(R"(\nExpectations: [1-9]\d* checks, 0 failed\.\n$)")))
      << r.out;
}

TEST_F(CliTest, ExplainAScenarioWithNoFailure) {
  const Output r = Run({"explain", Library("healthy-year.yaml")});
  ASSERT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  EXPECT_NE(r.out.find("Nothing failed in this scenario"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Failure 1"), std::string::npos);
}

TEST_F(CliTest, ExplainErrors) {
  EXPECT_EQ(Run({"explain", (dir_ / "missing.yaml").string()}).exit_code, kExitUsage);
  const fs::path failing = FailingScenario();
  ASSERT_FALSE(failing.empty());
  const Output r = Run({"explain", failing});
  EXPECT_EQ(r.exit_code, kExitFailed) << "an expectation failed\n" << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\nExpectations: \d+ checks, 1 failed\.\n$)")))
      << r.out;
}

// --- selfcheck ------------------------------------------------------------

TEST_F(CliTest, SelfCheckPasses) {
  const Output r = Run({"selfcheck"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(std::regex_match(lines.back(), std::regex(R"([1-9]\d* passed, 0 failed)")))
      << lines.back();
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_EQ(lines[i].rfind("ok ", 0), 0u) << lines[i];
  }
}

// --- usage errors ---------------------------------------------------------

TEST_F(CliTest, UsageErrorsExitTwo) {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate"},
      {"run"},
      {"lint"},
      {"explain"},
      {"run", "--seed", "abc", Library(kRevert)},
      {"run", "--no-such-flag", Library(kRevert)},
      {"selfcheck", "extra"},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& a : args) joined += " " + a;
    const Output r = Run(args);
    EXPECT_EQ(r.exit_code, kExitUsage) << "trustsim" << joined << "\n" << r.out << r.err;
    EXPECT_NE(r.err, "") << "trustsim" << joined << " says nothing on stderr";
  }
}

TEST_F(CliTest, HelpExitsZero) {
  const Output r = Run({"--help"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  for (const char* sub : {"run", "explain", "lint", "selfcheck"}) {
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
  }
}

// --- failure positions ----------------------------------------------------

// A failed expectation points at the key that failed, not at the start of
// its `expect:` map: here `status: 1789` holds and `reason:` on the next
// line fails.
TEST_F(CliTest, FailurePointsAtTheFailingKey) {
  int line = 0;
  const fs::path file = Variant(kRevert, "reason: \"DC01 holds current v2, previous v1\"",
                                "reason: \"no such explanation\"", "bad-reason.yaml", &line);
  ASSERT_FALSE(file.empty());
  const Output r = Run({"run", file});
  EXPECT_EQ(r.exit_code, kExitFailed) << r.out << r.err;
  const std::string where = "FAILED " + file.string() + ":" + std::to_string(line) + ":";
  EXPECT_NE(r.out.find(where), std::string::npos)
      << "want \"" << where << "\" (the reason: line); got\n"
      << r.out.substr(std::min(r.out.find("FAILED"), r.out.size()), 300);
}

// --- console ---------------------------------------------------------------------

TEST_F(CliTest, ConsoleIsScriptableFromStdin) {
  const Output r = Run({"console", Library("revert-two-rotations.yaml")},
                       "# a trainer's script\n"
                       "nltest /sc_query:CORP\n"
                       "nltest /sc_reset:CORP\n"
                       "Reset-ComputerMachinePassword -Credential CORP\\dsmith\n"
                       "nltest /sc_query:CORP\n"
                       "snapshot lesson\n"
                       "wait 31d\n"
                       "status\n"
                       "use dc01\n"
                       "whoami\n"
                       "frobnicate\n"
                       "exit\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Commands are echoed after the host's prompt, so the transcript reads
  // like a session.
  EXPECT_NE(r.out.find("WS01> nltest /sc_query:CORP"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("I_NetLogonControl failed: Status = 5 0x5 ERROR_ACCESS_DENIED"),
            std::string::npos);
  EXPECT_NE(r.out.find("Trusted DC Connection Status Status = 0 0x0 NERR_Success"),
            std::string::npos);
  EXPECT_NE(r.out.find("Now: "), std::string::npos);
  EXPECT_NE(r.out.find("CurrVal"), std::string::npos);  // status table
  EXPECT_NE(r.out.find("DC01> whoami\ncorp\\dsmith"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("'frobnicate' is not recognized"), std::string::npos);
}

TEST_F(CliTest, ConsoleAtStopsTheScenarioEarly) {
  const Output r = Run({"console", "--at", "999", Library("revert-two-rotations.yaml")}, "exit\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no step starts on line 999"), std::string::npos) << r.err;
}

// --- matrix ----------------------------------------------------------------------

TEST_F(CliTest, MatrixPrintsATableAndJson) {
  const Output table = Run({"matrix", Library("revert-two-rotations.yaml")});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("REPAIR"), std::string::npos);
  EXPECT_NE(table.out.find("of 8 repairs fix it"), std::string::npos) << table.out;
  const Output json = Run({"matrix", "--json", Library("revert-two-rotations.yaml")});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["host"], "WS01");
  ASSERT_EQ(j["tries"].size(), 8u);
  EXPECT_EQ(j["tries"][0]["as"], ".\\Administrator");
  EXPECT_FALSE(j["tries"][0]["fixed"].get<bool>());
  EXPECT_EQ(Run({"matrix", Library("healthy-year.yaml")}).exit_code, 2);
}

// --- keytab ----------------------------------------------------------------------

TEST_F(CliTest, KeytabIsReadByMitKlistWithTheDcsKvno) {
  const std::string keytab = (dir_ / "ws01.keytab").string();
  const Output r =
      Run({"keytab", Library("healthy-year.yaml"), "WS01", "--with-old", "-o", keytab});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // healthy-year ends with CurrVal v12 at kvno 13 (the scenario asserts the DC's kvno).
  EXPECT_NE(r.out.find("CurrVal v12 at kvno 13, OldVal v11 at kvno 12"), std::string::npos)
      << r.out;
  FILE* pipe = popen(("klist -k -e " + keytab + " 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string listing;
  char buffer[512];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) listing += buffer;
  ASSERT_EQ(pclose(pipe), 0) << listing;
  EXPECT_NE(listing.find("  13 WS01$@CORP.EXAMPLE.COM (aes256-cts-hmac-sha1-96)"),
            std::string::npos)
      << listing;
  EXPECT_NE(listing.find("  12 WS01$@CORP.EXAMPLE.COM (aes256-cts-hmac-sha1-96)"),
            std::string::npos)
      << listing;
  EXPECT_EQ(Run({"keytab", Library("healthy-year.yaml"), "WS09", "-o", keytab}).exit_code, 2);
}

TEST_F(CliTest, KeytabAtATimeHoldsThePasswordOfThatMoment) {
  const std::string keytab = (dir_ / "ws01.keytab").string();
  // revert-two-rotations reverts WS01 to its day-0 snapshot on day 61: on day 45
  // it holds v1 (after one change), on day 61 v0 again, while the DC is at kvno 3.
  Output r =
      Run({"keytab", Library("revert-two-rotations.yaml"), "WS01", "--at", "45d", "-o", keytab});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CurrVal v1 at kvno 2"), std::string::npos) << r.out;
  r = Run({"keytab", Library("revert-two-rotations.yaml"), "WS01", "--at", "2026-03-07T08:00:00Z",
           "-o", keytab});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CurrVal v0 at kvno 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("host/ws01.corp.example.com"), std::string::npos) << r.out;
  // Bad times are usage errors with a message.
  for (const char* bad : {"yesterday", "2025-01-01T00:00:00Z", "-3d"}) {
    r = Run({"keytab", Library("revert-two-rotations.yaml"), "WS01", "--at", bad, "-o", keytab});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--at"), std::string::npos) << bad << ": " << r.err;
  }
}

}  // namespace
