// Forked jobs with one pipe each: "P<len>\n<executions> <edges>" progress frames, then one
// "R<len>\n<result>" frame. POSIX (fork, pipe, poll, waitpid).
#include "permuter/driver/jobs.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>
#include <vector>

namespace kt::driver {
namespace {

constexpr char kProgressFrame = 'P';
constexpr char kResultFrame = 'R';
// A header is the type, at most 20 digits and '\n'; anything longer is not a frame.
constexpr std::size_t kMaxHeader = 22;

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool WriteFrame(int fd, char type, std::string_view payload) {
  std::string frame(1, type);
  frame += std::to_string(payload.size()) + "\n";
  frame += payload;
  return WriteAll(fd, frame);
}

// The child: runs the job, sends its result and ends without running the parent's exit
// handlers or flushing its stdio buffers (they belong to the parent).
[[noreturn]] void RunChild(std::size_t index, int fd, const JobFn& job) {
  ::signal(SIGPIPE, SIG_IGN);  // a parent gone away is a failed write, not a signal
  const ProgressSink progress = [fd](std::uint64_t executions, std::uint64_t edges) {
    WriteFrame(fd, kProgressFrame, std::to_string(executions) + " " + std::to_string(edges));
  };
  int status = 0;
  try {
    status = WriteFrame(fd, kResultFrame, job(index, progress)) ? 0 : 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ERROR: job %zu: %s\n", index, e.what());
    status = 4;
  }
  ::_exit(status);
}

struct Child {
  std::size_t index = 0;
  pid_t pid = -1;
  int fd = -1;
  std::string inbox;
  std::optional<std::string> result;
};

std::string Ended(int status) {
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended with wait status " + std::to_string(status);
}

// Consumes every whole frame in child.inbox. False on bytes that are not a frame.
bool TakeFrames(Child& child, const JobEvents& events) {
  while (!child.inbox.empty()) {
    const std::size_t newline = child.inbox.find('\n');
    if (newline == std::string::npos) return child.inbox.size() <= kMaxHeader;
    const char type = child.inbox[0];
    std::size_t length = 0;
    for (std::size_t i = 1; i < newline; ++i) {
      const char c = child.inbox[i];
      if (c < '0' || c > '9' || newline > kMaxHeader) return false;
      length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (child.inbox.size() - newline - 1 < length) return true;  // wait for the rest
    std::string payload = child.inbox.substr(newline + 1, length);
    child.inbox.erase(0, newline + 1 + length);
    if (type == kResultFrame) {
      child.result = std::move(payload);
    } else if (type == kProgressFrame) {
      unsigned long long executions = 0, edges = 0;
      if (std::sscanf(payload.c_str(), "%llu %llu", &executions, &edges) == 2 &&
          events.on_progress) {
        events.on_progress(child.index, executions, edges);
      }
    } else {
      return false;
    }
  }
  return true;
}

Expected<Child> Start(std::size_t index, const std::vector<Child>& running, const JobFn& job) {
  int fds[2];
  if (::pipe(fds) != 0) {
    return MakeError(JobError::kPipe, std::string("pipe: ") + std::strerror(errno));
  }
  std::fflush(nullptr);  // or the child's copy of unflushed output could appear twice
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    for (const Child& other : running) ::close(other.fd);
    RunChild(index, fds[1], job);
  }
  const int fork_errno = errno;
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    return MakeError(JobError::kFork, std::string("fork: ") + std::strerror(fork_errno));
  }
  return Child{index, pid, fds[0], {}, std::nullopt};
}

// Reaps `child` and reports it. A child that broke the protocol is killed first.
Expected<void> Finish(Child& child, bool kill_first, const JobEvents& events) {
  ::close(child.fd);
  if (kill_first) ::kill(child.pid, SIGKILL);
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return MakeError(JobError::kWait, std::string("waitpid: ") + std::strerror(errno));
    }
  }
  const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0 && child.result;
  if (events.on_done) {
    events.on_done(child.index, clean ? std::move(child.result) : std::nullopt,
                   kill_first ? std::string("sent a malformed frame") : Ended(status));
  }
  return outcome::success();
}

// Reads what `child` sent; true once it is finished (result frame, end of file or garbage).
bool Drain(Child& child, const JobEvents& events, bool* garbage) {
  char chunk[64 * 1024];
  const ssize_t n = ::read(child.fd, chunk, sizeof chunk);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return false;
  if (n <= 0) return true;
  child.inbox.append(chunk, static_cast<std::size_t>(n));
  *garbage = !TakeFrames(child, events);
  return *garbage || child.result.has_value();
}

}  // namespace

const char* ToString(JobError e) noexcept {
  switch (e) {
    case JobError::kPipe: return "pipe";
    case JobError::kFork: return "fork";
    case JobError::kWait: return "wait";
  }
  return "unknown";
}

const std::error_category& JobCategory() noexcept {
  static const kt::internal::EnumCategory<JobError> category("kt.driver_jobs");
  return category;
}

std::error_code make_error_code(JobError e) noexcept {
  return {static_cast<int>(e), JobCategory()};
}

Expected<void> RunJobs(std::size_t count, unsigned parallel, const JobFn& job,
                       const JobEvents& events) {
  std::vector<Child> running;
  std::size_t next = 0;
  std::optional<Error> failure;
  while ((next < count && !failure) || !running.empty()) {
    while (!failure && next < count && running.size() < std::max(1u, parallel)) {
      Expected<Child> child = Start(next, running, job);
      if (!child) {
        failure = std::move(child).assume_error();  // stop starting; reap what runs
        break;
      }
      if (events.on_start) events.on_start(next);
      running.push_back(std::move(child).assume_value());
      ++next;
    }
    if (running.empty()) break;
    std::vector<pollfd> fds;
    for (const Child& c : running) fds.push_back({c.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return MakeError(JobError::kWait, std::string("poll: ") + std::strerror(errno));
    }
    for (std::size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0) continue;
      bool garbage = false;
      if (!Drain(running[i], events, &garbage)) continue;
      KT_TRY(Finish(running[i], garbage, events));
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  if (failure) return std::move(*failure);
  return outcome::success();
}

}  // namespace kt::driver
