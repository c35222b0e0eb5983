// Copyright 2026 The trustsim Authors.

// clang-format off
#include "cli/exec_host.h"

#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 needs it
// clang-format on

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/served_domain.h"

extern char** environ;

namespace trustsim::cli {
namespace {

constexpr size_t kMaxOutput = size_t{4} << 20;

// Reads a pipe to its end into `into`, keeping at most kMaxOutput bytes.
class PipeReader {
 public:
  PipeReader(boost::asio::io_context& io, int fd, std::string& into, bool& done)
      : pipe_(io, fd), into_(into), done_(done) {}

  void Start() {
    pipe_.async_read_some(
        boost::asio::buffer(buffer_), [this](const boost::system::error_code& ec, size_t n) {
          if (n > 0) {
            if (into_.size() < kMaxOutput) {
              into_.append(buffer_.data(), std::min(n, kMaxOutput - into_.size()));
              if (into_.size() == kMaxOutput) into_ += "\n[output truncated]\n";
            }
          }
          if (ec) {
            done_ = true;
            return;
          }
          Start();
        });
  }
  void Close() {
    boost::system::error_code ignored;
    pipe_.close(ignored);
  }

 private:
  boost::asio::posix::stream_descriptor pipe_;
  std::array<char, 8192> buffer_{};
  std::string& into_;
  bool& done_;
};

sim::scenario::ExecResult RunExec(const sim::scenario::Action& action, sim::World& world) {
  sim::scenario::ExecResult result;
  const std::string& command = action.Param("exec");
  absl::StatusOr<std::string> dir = MakeWorkDir("");
  if (!dir.ok()) {
    result.error = std::string(dir.status().message());
    return result;
  }
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{*dir};

  boost::asio::io_context io;
  ServeOptions options;
  options.dir = *dir;
  options.real_time = false;
  absl::StatusOr<std::unique_ptr<ServedDomain>> served = ServedDomain::Start(io, world, options);
  if (!served.ok()) {
    result.error = std::string(served.status().message());
    return result;
  }

  // The environment: ours over the inherited one.
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    const size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (auto& [k, v] : (*served)->Environment()) env[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string sh = "/bin/sh", dash_c = "-c", cmd = command;
  // The program starts in its scenario file's directory, so a tool kept next
  // to the scenario is "./tool".
  const std::string cwd =
      std::filesystem::absolute(std::filesystem::path(action.pos.file)).parent_path().string();
  char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    result.error = "cannot create a pipe";
    return result;
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    result.error = "cannot create a pipe";
    return result;
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    result.error = "cannot fork";
    return result;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);

  bool out_done = false, err_done = false, exited = false;
  int status = 0;
  PipeReader out(io, out_pipe[0], result.out, out_done);
  PipeReader err(io, err_pipe[0], result.err, err_done);
  out.Start();
  err.Start();

  boost::asio::steady_timer deadline(io);
  deadline.expires_after(std::chrono::microseconds(action.exec_timeout));
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (ec || exited) return;
    result.timed_out = true;
    ::kill(-pid, SIGKILL);
  });
  // Reaps the child; stops once it has exited and its pipes are drained (or,
  // if something it started holds them open, two seconds later).
  boost::asio::steady_timer poll(io);
  std::chrono::steady_clock::time_point exited_at;
  std::function<void()> watch = [&] {
    poll.expires_after(std::chrono::milliseconds(5));
    poll.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      if (!exited && ::waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        exited_at = std::chrono::steady_clock::now();
      }
      if (exited && ((out_done && err_done) ||
                     std::chrono::steady_clock::now() - exited_at > std::chrono::seconds(2))) {
        io.stop();
        return;
      }
      watch();
    });
  };
  watch();
  io.run();
  if (!exited) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  out.Close();
  err.Close();
  (*served)->Stop();
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

}  // namespace

sim::scenario::ExecHost MakeExecHost() { return RunExec; }

}  // namespace trustsim::cli
