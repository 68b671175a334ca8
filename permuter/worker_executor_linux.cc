// The forked worker: one long-lived process per executor, a socket for call sets and
// replies, a pipe for its stderr, a deadline per execution. Linux (prctl, MSG_NOSIGNAL).
#include "permuter/worker_executor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include "instrumentation/coverage.h"
#include "permuter/internal/wire.h"
#include "runner/execute.h"

namespace kt::permuter {
namespace {

using Clock = std::chrono::steady_clock;

// Enough for any sanitizer report's SUMMARY line, which comes last.
constexpr std::size_t kMaxStderr = 64 * 1024;
// How long a worker that closed its socket may take to finish dying (a sanitizer still
// symbolising its report) before it is killed.
constexpr std::chrono::seconds kDeathGrace{10};

// Appends, keeping about the last kMaxStderr bytes: the end of a report says what it was.
void KeepTail(std::string* text, const char* data, std::size_t n) {
  text->append(data, n);
  if (text->size() > 2 * kMaxStderr) text->erase(0, text->size() - kMaxStderr);
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Blocks until a whole frame is in `buffer` (the worker's side); false at EOF or error.
bool ReceiveFrame(int fd, std::string* buffer, std::string* payload) {
  while (true) {
    std::size_t consumed = 0;
    if (const auto frame = internal::Unframe(*buffer, &consumed)) {
      payload->assign(*frame);
      buffer->erase(0, consumed);
      return true;
    }
    char chunk[16 * 1024];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer->append(chunk, static_cast<std::size_t>(n));
  }
}

CompareKind KindOf(coverage::CompareKind kind) {
  switch (kind) {
    case coverage::CompareKind::kCmp: return CompareKind::kCmp;
    case coverage::CompareKind::kConstCmp: return CompareKind::kConstCmp;
    case coverage::CompareKind::kSwitch: return CompareKind::kSwitch;
    case coverage::CompareKind::kDiv: return CompareKind::kDiv;
    case coverage::CompareKind::kGep: return CompareKind::kGep;
  }
  return CompareKind::kCmp;
}

// The last window's edges and compares, with `outcome`.
Execution Collect(Outcome outcome) {
  Execution e;
  for (const coverage::EdgeHit& hit : coverage::EdgesHit()) e.edges.push_back(hit.edge);
  for (const coverage::CompareRecord& r : coverage::CompareLog()) {
    const std::span<const std::uint64_t> cases = coverage::SwitchCases(r);
    e.compares.push_back({r.pc, KindOf(r.kind), r.width, r.arg1, r.arg2,
                          std::vector<std::uint64_t>(cases.begin(), cases.end())});
  }
  e.outcome = std::move(outcome);
  return e;
}

internal::Reply RunOne(const KernelInfo& kernel, std::span<const Value> call_set) {
  const WorkspaceTemplate* workspace = nullptr;
  if (!kernel.workspaces.empty()) {
    // The controller checked the index before sending.
    workspace = &kernel.workspaces[call_set.back().as_integer().bits()];
    call_set = call_set.first(call_set.size() - 1);
  }
  coverage::BeginExecution();
  Expected<Outcome> outcome = Execute(kernel, call_set, workspace);
  coverage::EndExecution();
  if (!outcome) return outcome.error().message;
  return Collect(std::move(outcome).assume_value());
}

[[noreturn]] void WorkerMain(const KernelInfo& kernel, int socket, int err_fd) {
  // A worker must not outlive the controller it serves.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::dup2(err_fd, STDERR_FILENO);
  ::close(err_fd);
  std::string buffer;
  std::string payload;
  while (ReceiveFrame(socket, &buffer, &payload)) {
    const std::optional<std::vector<Value>> call_set = internal::DecodeCallSet(payload);
    const internal::Reply reply =
        call_set ? RunOne(kernel, *call_set) : internal::Reply(std::string("undecodable call set"));
    if (!SendAll(socket, internal::Frame(internal::EncodeReply(reply)))) break;
  }
  // No atexit handlers, no static destructors: they belong to the controller.
  ::_exit(0);
}

int MillisUntil(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

int SignalOfSanitizerKind(std::string_view kind) {
  constexpr std::pair<std::string_view, int> kSignals[] = {
      {"SEGV", SIGSEGV}, {"BUS", SIGBUS},   {"FPE", SIGFPE},
      {"ILL", SIGILL},   {"ABRT", SIGABRT}, {"TRAP", SIGTRAP},
  };
  for (const auto& [name, sig] : kSignals) {
    if (kind == name) return sig;
  }
  return 0;
}

// True once a sanitizer has started a report on `err` (its first line names the tool).
bool SanitizerReporting(std::string_view err) {
  return err.find("Sanitizer:") != std::string_view::npos ||
         err.find("runtime error:") != std::string_view::npos;
}

// The finding of a sanitizer's "SUMMARY: <Tool>: <kind> ..." line, read as runner/child.h
// reads it: a deadly signal the sanitizer caught is the crash it would have been without.
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
  if (const int sig = SignalOfSanitizerKind(kind)) return CrashOutcome(sig);
  return SanitizerOutcome(std::string(tool) + ": " + std::string(kind));
}

}  // namespace

const char* ToString(WorkerError e) noexcept {
  switch (e) {
    case WorkerError::kSocket: return "socket";
    case WorkerError::kFork: return "fork";
    case WorkerError::kProtocol: return "protocol";
    case WorkerError::kSetup: return "setup";
    case WorkerError::kWorkspace: return "workspace";
  }
  return "unknown";
}

const std::error_category& WorkerCategory() noexcept {
  static const kt::internal::EnumCategory<WorkerError> category("kt.worker");
  return category;
}

std::error_code make_error_code(WorkerError e) noexcept {
  return {static_cast<int>(e), WorkerCategory()};
}

std::optional<ColumnSchema> WorkspaceColumn(const KernelInfo& kernel) {
  if (kernel.workspaces.empty()) return std::nullopt;
  ColumnSchema c;
  c.name = "workspace";
  c.kind = ParamKind::kEnum;
  c.cpp_type = "kt::Workspaces";
  c.int_type = {32, false};
  c.enum_name = "workspace";
  for (std::size_t i = 0; i < kernel.workspaces.size(); ++i) {
    c.enumerators.push_back({kernel.workspaces[i].name, Integer(i)});
  }
  return c;
}

WorkerExecutor::WorkerExecutor(const KernelInfo& kernel, WorkerOptions options)
    : kernel_(kernel), options_(options) {}

WorkerExecutor::~WorkerExecutor() { Stop(/*kill_first=*/true); }

Expected<void> WorkerExecutor::Start() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return MakeError(WorkerError::kSocket, std::string("socketpair: ") + std::strerror(errno));
  }
  int err[2];
  if (::pipe2(err, O_CLOEXEC) != 0) {
    const int saved = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    return MakeError(WorkerError::kSocket, std::string("pipe: ") + std::strerror(saved));
  }
  std::fflush(nullptr);  // or the worker would write the controller's buffered output again
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(sv[0]);
    ::close(err[0]);
    WorkerMain(kernel_, sv[1], err[1]);
  }
  const int fork_errno = errno;
  ::close(sv[1]);
  ::close(err[1]);
  if (pid < 0) {
    ::close(sv[0]);
    ::close(err[0]);
    return MakeError(WorkerError::kFork, std::string("fork: ") + std::strerror(fork_errno));
  }
  pid_ = pid;
  socket_ = sv[0];
  stderr_ = err[0];
  inbox_.clear();
  ++starts_;
  return outcome::success();
}

std::optional<int> WorkerExecutor::Stop(bool kill_first) {
  if (pid_ < 0) return std::nullopt;
  if (kill_first) ::kill(pid_, SIGKILL);
  int status = 0;
  std::optional<int> result;
  const Clock::time_point deadline = Clock::now() + kDeathGrace;
  while (true) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      result = status;
      break;
    }
    if (r < 0 && errno != EINTR) break;
    if (Clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    const timespec pause{0, 1'000'000};
    ::nanosleep(&pause, nullptr);
  }
  ::close(socket_);
  ::close(stderr_);
  pid_ = -1;
  socket_ = -1;
  stderr_ = -1;
  return result;
}

WorkerExecutor::Wait WorkerExecutor::ReadReply(Clock::time_point deadline, std::string* payload) {
  pollfd fds[2] = {{socket_, POLLIN, 0}, {stderr_, POLLIN, 0}};
  while (true) {
    std::size_t consumed = 0;
    if (const auto frame = internal::Unframe(inbox_, &consumed)) {
      payload->assign(*frame);
      inbox_.erase(0, consumed);
      return Wait::kReply;
    }
    const int timeout = MillisUntil(deadline);
    if (timeout == 0) return Wait::kTimeout;
    const int ready = ::poll(fds, 2, timeout);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Wait::kTimeout;
    if (ready < 0) return Wait::kDied;
    char chunk[16 * 1024];
    if (fds[1].revents != 0) {
      const ssize_t n = ::read(stderr_, chunk, sizeof chunk);
      if (n > 0) {
        KeepTail(&stderr_text_, chunk, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[1].fd = -1;  // stderr closed: keep waiting on the socket alone
      }
    }
    if (fds[0].revents != 0) {
      const ssize_t n = ::recv(socket_, chunk, sizeof chunk, 0);
      if (n == 0 || (n < 0 && errno != EINTR)) return Wait::kDied;
      if (n > 0) inbox_.append(chunk, static_cast<std::size_t>(n));
    }
  }
}

void WorkerExecutor::DrainStderr(std::int64_t timeout_ms) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  char chunk[16 * 1024];
  while (stderr_ >= 0) {
    pollfd fd = {stderr_, POLLIN, 0};
    const int ready = ::poll(&fd, 1, MillisUntil(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return;
    const ssize_t n = ::read(stderr_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    KeepTail(&stderr_text_, chunk, static_cast<std::size_t>(n));
  }
}

Outcome WorkerExecutor::Died(int status) {
  Outcome o;
  if (WIFSIGNALED(status)) {
    o = CrashOutcome(WTERMSIG(status));
  } else if (std::optional<Outcome> finding = SanitizerFinding(stderr_text_)) {
    o = std::move(*finding);
  } else {
    o = ExitOutcome(WIFEXITED(status) ? WEXITSTATUS(status) : status);
  }
  o.detail = stderr_text_;
  return o;
}

Expected<Execution> WorkerExecutor::Run(std::span<const Value> call_set) {
  std::span<const Value> args = call_set;
  if (!kernel_.workspaces.empty()) {
    if (call_set.empty() || call_set.back().kind() != ValueKind::kEnum ||
        call_set.back().as_integer() >= Integer(kernel_.workspaces.size())) {
      return MakeError(WorkerError::kWorkspace,
                       kernel_.name + ": the last value must index one of " +
                           std::to_string(kernel_.workspaces.size()) + " workspace templates");
    }
    args = call_set.first(call_set.size() - 1);
  }
  // Decoding errors are the caller's and come back as the runner reports them.
  KT_TRY(kernel_.validate(args));
  if (pid_ < 0) {
    KT_TRY(Start());
  }
  stderr_text_.clear();
  const Clock::time_point deadline = Clock::now() + options_.timeout;
  std::string payload;
  Wait wait = SendAll(socket_, internal::Frame(internal::EncodeCallSet(call_set)))
                  ? ReadReply(deadline, &payload)
                  : Wait::kDied;
  if (wait == Wait::kTimeout && SanitizerReporting(stderr_text_)) {
    // Not a hang: the kernel already died and a sanitizer is symbolising its report, which
    // can take longer than any sensible timeout. The report decides the outcome.
    wait = Wait::kDied;
  }
  if (wait == Wait::kTimeout) {
    Stop(/*kill_first=*/true);
    Outcome timeout = TimeoutOutcome();
    timeout.detail = std::move(stderr_text_);
    return Execution{{}, {}, std::move(timeout)};
  }
  if (wait == Wait::kDied) {
    // Its stderr ends when it does; a sanitizer may still be writing its report.
    DrainStderr(std::chrono::duration_cast<std::chrono::milliseconds>(kDeathGrace).count());
    const std::optional<int> status = Stop(/*kill_first=*/false);
    return Execution{{}, {}, Died(status.value_or(0))};
  }
  std::optional<internal::Reply> reply = internal::DecodeReply(payload);
  if (!reply) {
    Stop(/*kill_first=*/true);
    return MakeError(WorkerError::kProtocol, kernel_.name + ": the worker's reply does not decode");
  }
  if (auto* message = std::get_if<std::string>(&*reply)) {
    return MakeError(WorkerError::kSetup, std::move(*message));
  }
  return std::get<Execution>(std::move(*reply));
}

}  // namespace kt::permuter
