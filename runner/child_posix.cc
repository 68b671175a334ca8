// ExecuteInChild: fork, run, report through a pipe, wait with a deadline. POSIX only.
#include "runner/child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "runner/execute.h"
#include "runner/internal/names.h"

namespace kt {
namespace {

using Clock = std::chrono::steady_clock;

// Enough for any sanitizer report's SUMMARY line, which comes last.
constexpr std::size_t kMaxStderr = 64 * 1024;

void PutString(std::string& out, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((n >> shift) & 0xff);
  out += s;
}

std::optional<std::string> GetString(std::string_view& in) {
  if (in.size() < 4) return std::nullopt;
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= std::uint32_t{static_cast<unsigned char>(in[i])} << (8 * i);
  in.remove_prefix(4);
  if (in.size() < n) return std::nullopt;
  std::string s(in.substr(0, n));
  in.remove_prefix(n);
  return s;
}

// The child's report: "E" + message, or "O" + the outcome's fields.
std::string Encode(const Expected<Outcome>& r) {
  std::string out;
  if (!r) {
    out = "E";
    PutString(out, r.error().message);
    return out;
  }
  const Outcome& o = r.value();
  out = "O";
  PutString(out, std::to_string(static_cast<int>(o.kind)));
  PutString(out, o.text);
  PutString(out, std::to_string(o.observations.size()));
  for (const Observation& obs : o.observations) {
    PutString(out, obs.name);
    PutString(out, obs.value);
  }
  PutString(out, o.workspace_after ? "1" : "0");
  PutString(out, o.workspace_after.value_or(""));
  return out;
}

// What the child reported: an outcome, a runner error, or neither when the report is
// missing or cut short (the child died while writing).
struct Report {
  std::optional<Outcome> outcome;
  std::optional<std::string> error;
};

Report Decode(std::string_view in) {
  Report report;
  if (in.empty()) return report;
  const char tag = in.front();
  in.remove_prefix(1);
  if (tag == 'E') {
    report.error = GetString(in);
    return report;
  }
  Outcome o;
  const std::optional<std::string> kind = GetString(in);
  const std::optional<std::string> text = GetString(in);
  const std::optional<std::string> count = GetString(in);
  if (tag != 'O' || !kind || !text || !count) return report;
  o.kind = static_cast<OutcomeKind>(std::stoi(*kind));
  o.text = *text;
  for (unsigned long i = std::stoul(*count); i > 0; --i) {
    std::optional<std::string> name = GetString(in);
    std::optional<std::string> value = GetString(in);
    if (!name || !value) return report;
    o.observations.push_back({std::move(*name), std::move(*value)});
  }
  const std::optional<std::string> has_after = GetString(in);
  const std::optional<std::string> after = GetString(in);
  if (!has_after || !after) return report;
  if (*has_after == "1") o.workspace_after = *after;
  report.outcome = std::move(o);
  return report;
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

[[noreturn]] void RunChild(const KernelInfo& kernel, std::span<const Value> args,
                           const WorkspaceTemplate* workspace, int result_fd, int err_fd) {
  ::dup2(err_fd, STDERR_FILENO);
  WriteAll(result_fd, Encode(Execute(kernel, args, workspace)));
  // No atexit handlers, no static destructors: the parent owns the process's state.
  ::_exit(0);
}

int MillisUntil(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

// Reads both pipes to EOF; false when the deadline passes first.
bool Drain(int result_fd, int err_fd, Clock::time_point deadline, std::string* result,
           std::string* err) {
  pollfd fds[2] = {{result_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {result, err};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const int timeout = MillisUntil(deadline);
    if (timeout == 0) return false;
    const int ready = ::poll(fds, 2, timeout);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return false;
    if (ready < 0) return true;  // poll itself failed: stop reading, let the wait decide
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        continue;
      }
      sinks[i]->append(buf, static_cast<std::size_t>(n));
      if (i == 1 && err->size() > 2 * kMaxStderr) err->erase(0, err->size() - kMaxStderr);
    }
  }
  return true;
}

// Reaps the child; false when the deadline passes first (it is still running).
bool WaitUntil(pid_t pid, Clock::time_point deadline, int* status) {
  while (true) {
    const pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return true;  // already reaped elsewhere: nothing to wait for
    if (Clock::now() >= deadline) return false;
    const timespec pause{0, 1'000'000};
    ::nanosleep(&pause, nullptr);
  }
}

// The finding of a sanitizer's "SUMMARY: <Tool>: <kind> ..." line, if stderr has one.
std::optional<Outcome> SanitizerFinding(std::string_view err) {
  const std::size_t pos = err.rfind("SUMMARY: ");
  if (pos == std::string_view::npos) return std::nullopt;
  std::string_view line = err.substr(pos + 9);
  line = line.substr(0, line.find('\n'));
  const std::size_t colon = line.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view tool = line.substr(0, colon);
  std::string_view kind = line.substr(colon + 2);
  kind = kind.substr(0, kind.find(' '));
  // A deadly signal the sanitizer caught reads as the crash it would have been without it.
  if (const int sig = internal::SignalFromName("SIG" + std::string(kind))) return CrashOutcome(sig);
  return SanitizerOutcome(std::string(tool) + ": " + std::string(kind));
}

Outcome Classify(int status, const std::string& result, const std::string& err,
                 std::optional<std::string>* child_error) {
  if (WIFSIGNALED(status)) return CrashOutcome(WTERMSIG(status));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    Report report = Decode(result);
    if (report.outcome) return std::move(*report.outcome);
    if (report.error) {
      *child_error = std::move(report.error);
      return {};
    }
  }
  if (std::optional<Outcome> finding = SanitizerFinding(err)) return *finding;
  return ExitOutcome(WIFEXITED(status) ? WEXITSTATUS(status) : status);
}

}  // namespace

const char* ToString(ChildError e) noexcept {
  switch (e) {
    case ChildError::kPipe: return "pipe";
    case ChildError::kFork: return "fork";
    case ChildError::kWait: return "wait";
    case ChildError::kSetup: return "setup";
  }
  return "unknown";
}

const std::error_category& ChildCategory() noexcept {
  static const internal::EnumCategory<ChildError> category("kt.child");
  return category;
}

std::error_code make_error_code(ChildError e) noexcept {
  return {static_cast<int>(e), ChildCategory()};
}

Expected<Outcome> ExecuteInChild(const KernelInfo& kernel, std::span<const Value> args,
                                 const WorkspaceTemplate* workspace, const ChildOptions& options) {
  KT_TRY(kernel.validate(args));
  int result_pipe[2];
  int err_pipe[2];
  if (::pipe2(result_pipe, O_CLOEXEC) != 0) {
    return MakeError(ChildError::kPipe, std::string("pipe: ") + std::strerror(errno));
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    const int err = errno;
    ::close(result_pipe[0]);
    ::close(result_pipe[1]);
    return MakeError(ChildError::kPipe, std::string("pipe: ") + std::strerror(err));
  }
  std::fflush(nullptr);  // or the child would write the parent's buffered output again
  const Clock::time_point deadline = Clock::now() + options.timeout;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(result_pipe[0]);
    ::close(err_pipe[0]);
    RunChild(kernel, args, workspace, result_pipe[1], err_pipe[1]);
  }
  const int fork_errno = errno;
  ::close(result_pipe[1]);
  ::close(err_pipe[1]);
  std::string result;
  std::string err;
  int status = 0;
  bool done = false;
  if (pid > 0) {
    done = Drain(result_pipe[0], err_pipe[0], deadline, &result, &err) &&
           WaitUntil(pid, deadline, &status);
  }
  ::close(result_pipe[0]);
  ::close(err_pipe[0]);
  if (pid < 0)
    return MakeError(ChildError::kFork, std::string("fork: ") + std::strerror(fork_errno));
  if (!done) {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    Outcome timeout = TimeoutOutcome();
    timeout.detail = std::move(err);
    return timeout;
  }
  std::optional<std::string> child_error;
  Outcome o = Classify(status, result, err, &child_error);
  if (child_error) return MakeError(ChildError::kSetup, *child_error);
  o.detail = std::move(err);
  return o;
}

}  // namespace kt
