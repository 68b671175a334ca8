// The fuzzer as a child: posix_spawn with stdout and stderr on one pipe, read line by line
// with a silence bound, SIGKILL once the target coverage shows. Linux.
#include "permuter/bench/libfuzzer_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "permuter/bench/libfuzzer_log.h"

extern char** environ;

namespace kt::permuter::bench {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Enough of the fuzzer's output to show why it failed.
constexpr std::size_t kMaxTail = 4 * 1024;

// The child, killed (if still running) and reaped when this goes out of scope.
class Child {
 public:
  Child(pid_t pid, int output) : pid_(pid), output_(output) {}
  ~Child() {
    if (pid_ > 0) Reap(/*kill_first=*/true);
    if (output_ >= 0) ::close(output_);
  }
  Child(Child&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)), output_(std::exchange(other.output_, -1)) {}
  Child& operator=(Child&&) = delete;

  int output() const { return output_; }

  // Kills (if `kill_first`) and reaps the child; its wait status.
  int Reap(bool kill_first) {
    if (kill_first) ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
  int output_;
};

Expected<Child> Spawn(const FuzzRunOptions& options) {
  std::vector<std::string> args = LibFuzzerArgs(options);
  args.insert(args.begin(), options.fuzzer);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return MakeError(BenchError::kSpawn, std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears close-on-exec on the copies; every other descriptor of ours stays closed.
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, options.fuzzer.c_str(), &actions, nullptr, argv.data(),
                               environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return MakeError(BenchError::kSpawn, options.fuzzer + ": " + std::strerror(rc));
  }
  return Child(pid, fds[0]);
}

// What the lines so far said.
struct Watch {
  FuzzRun run;
  std::string tail;  // the output's end, for errors
};

// Takes one line of the fuzzer's output; true once it reached full coverage. An error when
// a status line comes before the kernel's edges are known.
Expected<bool> OnLine(std::string_view line, Clock::time_point start, Watch* watch) {
  watch->tail.append(line).push_back('\n');
  if (watch->tail.size() > 2 * kMaxTail) watch->tail.erase(0, watch->tail.size() - kMaxTail);
  FuzzRun& run = watch->run;
  if (const std::optional<std::uint64_t> edges = ParseKernelEdges(line)) {
    run.edges = *edges;
    return false;
  }
  const std::optional<StatusLine> status = ParseStatusLine(line);
  if (!status) return false;
  if (run.edges == 0) {
    return MakeError(BenchError::kFuzzerFailed, "no kernel edges before the first status line");
  }
  if (status->event == "INITED") run.startup_seconds = SecondsSince(start);
  run.executions = status->executions;
  if (status->cov > run.cov) run.cov = status->cov;
  if (status->cov < run.edges) return false;
  run.reached = true;
  run.seconds = SecondsSince(start);
  return true;
}

Error FuzzerError(BenchError e, const std::string& what, const Watch& watch) {
  return MakeError(e, what + "\n" + watch.tail);
}

}  // namespace

std::vector<std::string> LibFuzzerArgs(const FuzzRunOptions& options) {
  return {"--kernel=" + options.kernel,
          "-use_value_profile=1",
          "-seed=" + std::to_string(options.seed),
          "-runs=" + std::to_string(options.max_runs),
          "-max_len=" + std::to_string(options.max_len)};
}

Expected<FuzzRun> RunLibFuzzer(const FuzzRunOptions& options) {
  const Clock::time_point start = Clock::now();
  Expected<Child> spawned = Spawn(options);
  if (!spawned) return spawned.error();
  Child& child = spawned.value();
  Watch watch;
  std::string pending;
  const auto silence_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options.silence);
  while (true) {
    pollfd p{child.output(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(silence_ms.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return FuzzerError(BenchError::kSilent, options.kernel + ": no output", watch);
    char chunk[4096];
    const ssize_t n = ::read(child.output(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the fuzzer ended
    pending.append(chunk, static_cast<std::size_t>(n));
    std::size_t begin = 0;
    for (std::size_t nl; (nl = pending.find('\n', begin)) != std::string::npos; begin = nl + 1) {
      const Expected<bool> full =
          OnLine(std::string_view(pending).substr(begin, nl - begin), start, &watch);
      if (!full) {
        return FuzzerError(BenchError::kFuzzerFailed, options.kernel + ": " + full.error().message,
                           watch);
      }
      if (full.value()) return watch.run;  // ~Child kills and reaps the fuzzer
    }
    pending.erase(0, begin);
  }
  const int status = child.Reap(/*kill_first=*/false);
  watch.run.seconds = SecondsSince(start);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return FuzzerError(BenchError::kFuzzerFailed,
                       options.kernel + ": the fuzzer failed (wait status " +
                           std::to_string(status) + ")",
                       watch);
  }
  if (watch.run.edges == 0) {
    return FuzzerError(BenchError::kFuzzerFailed,
                       options.kernel + ": the fuzzer announced no kernel edges", watch);
  }
  return watch.run;
}

}  // namespace kt::permuter::bench
