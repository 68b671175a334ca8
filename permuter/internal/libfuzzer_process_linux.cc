// The libFuzzer child and the controller's end of its socket. Linux (memfd_create, prctl,
// MSG_NOSIGNAL). The child side calls the libFuzzer runtime under the names
// permuter/rename_libfuzzer.cmake gave its SanitizerCoverage callbacks, so that those never
// clash with the coverage runtime's and libFuzzer only sees what the controller forwards.
#include "permuter/internal/libfuzzer_process.h"

#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "permuter/fuzz_search.h"
#include "permuter/internal/wire.h"

extern "C" {
int LLVMFuzzerRunDriver(int* argc, char*** argv,
                        int (*callback)(const std::uint8_t* data, std::size_t size));
// libFuzzer's own compare callbacks, renamed: they fill its table of recent compares, which
// its "CMP" mutation splices into inputs (input-to-state).
void __kt_libfuzzer_sanitizer_cov_trace_cmp4(std::uint32_t arg1, std::uint32_t arg2);
void __kt_libfuzzer_sanitizer_cov_trace_cmp8(std::uint64_t arg1, std::uint64_t arg2);
void __kt_libfuzzer_sanitizer_cov_trace_switch(std::uint64_t value, std::uint64_t* cases);
}

namespace kt::permuter::internal {
namespace {

using Clock = std::chrono::steady_clock;

// What libFuzzer reads as coverage after each callback, and clears before the next. The
// section's __start/__stop symbols are how it finds the array.
alignas(64) __attribute__((section("__libfuzzer_extra_counters"), used))
std::uint8_t g_counters[kNumCounters];

// Compares forwarded per input: enough for any parser's loop, bounded so that an answer
// stays small whatever the compare log holds.
constexpr std::size_t kMaxForwardedCompares = 1024;
constexpr std::size_t kOutputTail = 4096;
constexpr char kInputTag = 'I';
constexpr char kAnswerTag = 'C';
// The child's exit status when LLVMFuzzerRunDriver returned instead of exiting: libFuzzer
// refused its flags or dictionary.
constexpr int kDriverReturned = 3;

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Appends what one recv() gives; false at EOF or on an error.
bool ReceiveSome(int fd, std::string* buffer) {
  char chunk[16 * 1024];
  while (true) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer->append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

void PutLe(std::string* out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Reads little-endian integers; fails, and keeps failing, once the input is short.
class LeReader {
 public:
  explicit LeReader(std::string_view in) : in_(in) {}
  bool Get(int bytes, std::uint64_t* v) {
    if (in_.size() < static_cast<std::size_t>(bytes)) return false;
    *v = 0;
    for (int i = 0; i < bytes; ++i) {
      *v |= std::uint64_t{static_cast<unsigned char>(in_[static_cast<std::size_t>(i)])} << (8 * i);
    }
    in_.remove_prefix(static_cast<std::size_t>(bytes));
    return true;
  }

 private:
  std::string_view in_;
};

// --- The child ---------------------------------------------------------------------------

struct ChildState {
  int socket = -1;
  std::string buffer;
};
// Set in the child only, after the fork: LLVMFuzzerRunDriver's callback takes no context.
ChildState* g_child = nullptr;

void ForwardCompare(LeReader& in) {
  std::uint64_t kind = 0, width = 0, a = 0, b = 0, num_cases = 0;
  if (!in.Get(1, &kind) || !in.Get(1, &width) || !in.Get(8, &a) || !in.Get(8, &b) ||
      !in.Get(4, &num_cases)) {
    return;
  }
  // The layout SanitizerCoverage gives a switch: count, width in bits, cases ascending.
  std::vector<std::uint64_t> cases = {num_cases, width * 8};
  for (std::uint64_t i = 0; i < num_cases; ++i) {
    std::uint64_t c = 0;
    if (!in.Get(8, &c)) return;
    cases.push_back(c);
  }
  const auto k = static_cast<CompareKind>(kind);
  if (k == CompareKind::kSwitch && num_cases > 0) {
    __kt_libfuzzer_sanitizer_cov_trace_switch(a, cases.data());
  } else if ((k == CompareKind::kCmp || k == CompareKind::kConstCmp) && width == 4) {
    __kt_libfuzzer_sanitizer_cov_trace_cmp4(static_cast<std::uint32_t>(a),
                                            static_cast<std::uint32_t>(b));
  } else if ((k == CompareKind::kCmp || k == CompareKind::kConstCmp) && width == 8) {
    __kt_libfuzzer_sanitizer_cov_trace_cmp8(a, b);
  }
}

void ApplyAnswer(std::string_view answer) {
  LeReader in(answer.substr(1));
  std::uint64_t n = 0;
  if (!in.Get(4, &n)) return;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t feature = 0;
    if (!in.Get(4, &feature)) return;
    g_counters[feature % kNumCounters] = 1;
  }
  if (!in.Get(4, &n)) return;
  for (std::uint64_t i = 0; i < n; ++i) ForwardCompare(in);
}

// LLVMFuzzerRunDriver's callback: the input to the controller, its answer into libFuzzer.
int ChildCallback(const std::uint8_t* data, std::size_t size) {
  std::string message(1, kInputTag);
  message.append(reinterpret_cast<const char*>(data), size);
  // The controller ends the child by killing it; a closed socket means it is gone.
  if (!SendAll(g_child->socket, Frame(message))) ::_exit(0);
  while (true) {
    std::size_t consumed = 0;
    if (const auto frame = Unframe(g_child->buffer, &consumed)) {
      if (!frame->empty() && frame->front() == kAnswerTag) ApplyAnswer(*frame);
      g_child->buffer.erase(0, consumed);
      return 0;
    }
    if (!ReceiveSome(g_child->socket, &g_child->buffer)) ::_exit(0);
  }
}

// libFuzzer ends with exit(0) once its runs are spent. Registered after every handler of the
// controller's, so it runs first and no destructor or leak check of the controller's state
// runs in this copy of it.
void ChildAtExit() { ::_exit(0); }

[[noreturn]] void ChildMain(int socket, int output, std::span<const std::string> flags) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the controller
  ::dup2(output, STDOUT_FILENO);
  ::dup2(output, STDERR_FILENO);
  g_child = new ChildState{socket, {}};
  std::atexit(ChildAtExit);
  std::vector<std::string> args = {"kerneltest-libfuzzer"};
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  char** argv_ptr = argv.data();
  LLVMFuzzerRunDriver(&argc, &argv_ptr, &ChildCallback);
  ::_exit(kDriverReturned);
}

std::string DescribeStatus(int status) {
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status) && WEXITSTATUS(status) == kDriverReturned) {
    return "refused its flags (LLVMFuzzerRunDriver returned)";
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended with wait status " + std::to_string(status);
}

}  // namespace

// --- The controller ------------------------------------------------------------------------

LibFuzzerProcess::~LibFuzzerProcess() {
  Stop();
  if (output_ >= 0) ::close(output_);
}

Expected<void> LibFuzzerProcess::Start(std::span<const std::string> flags) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return MakeError(FuzzError::kSocket, std::string("socketpair: ") + std::strerror(errno));
  }
  const int output = ::memfd_create("kerneltest-libfuzzer", MFD_CLOEXEC);
  if (output < 0) {
    const int saved = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    return MakeError(FuzzError::kSocket, std::string("memfd_create: ") + std::strerror(saved));
  }
  std::fflush(nullptr);  // or the child would write the controller's buffered output again
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(sv[0]);
    ChildMain(sv[1], output, flags);
  }
  const int fork_errno = errno;
  ::close(sv[1]);
  if (pid < 0) {
    ::close(sv[0]);
    ::close(output);
    return MakeError(FuzzError::kFork, std::string("fork: ") + std::strerror(fork_errno));
  }
  pid_ = pid;
  socket_ = sv[0];
  output_ = output;
  return outcome::success();
}

Expected<std::optional<std::string>> LibFuzzerProcess::Next(std::chrono::milliseconds silence) {
  const Clock::time_point deadline = Clock::now() + silence;
  while (true) {
    std::size_t consumed = 0;
    if (const auto frame = Unframe(inbox_, &consumed)) {
      if (frame->empty() || frame->front() != kInputTag) {
        Reap(/*kill_first=*/true);
        return MakeError(FuzzError::kProtocol, "the libFuzzer child sent an unknown message");
      }
      std::string input(frame->substr(1));
      inbox_.erase(0, consumed);
      ++callbacks_;
      return std::optional<std::string>(std::move(input));
    }
    if (pid_ < 0) return ChildError("is not running");
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd fd = {socket_, POLLIN, 0};
    const int ready = left.count() <= 0 ? 0 : ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      Reap(/*kill_first=*/true);
      return ChildError("sent no input for " + std::to_string(silence.count()) + " ms");
    }
    if (ready > 0 && ReceiveSome(socket_, &inbox_)) continue;
    // End of stream: libFuzzer finished (exit 0 through ChildAtExit) or the child died.
    const std::optional<int> status = Reap(/*kill_first=*/false);
    if (status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) return std::nullopt;
    return ChildError(status ? DescribeStatus(*status) : std::string("could not be reaped"));
  }
}

Expected<void> LibFuzzerProcess::Answer(std::span<const std::uint32_t> features,
                                        std::span<const CompareEvent> compares) {
  std::string answer(1, kAnswerTag);
  PutLe(&answer, features.size(), 4);
  for (const std::uint32_t f : features) PutLe(&answer, f, 4);
  const std::size_t n = std::min(compares.size(), kMaxForwardedCompares);
  PutLe(&answer, n, 4);
  for (const CompareEvent& e : compares.first(n)) {
    PutLe(&answer, static_cast<std::uint8_t>(e.kind), 1);
    PutLe(&answer, e.width, 1);
    PutLe(&answer, e.arg1, 8);
    PutLe(&answer, e.arg2, 8);
    PutLe(&answer, e.cases.size(), 4);
    for (const std::uint64_t c : e.cases) PutLe(&answer, c, 8);
  }
  if (pid_ < 0 || !SendAll(socket_, Frame(answer))) return ChildError("is gone");
  return outcome::success();
}

void LibFuzzerProcess::Stop() {
  if (pid_ >= 0) Reap(/*kill_first=*/true);
}

std::string LibFuzzerProcess::OutputTail() const {
  if (output_ < 0) return {};
  const off_t size = ::lseek(output_, 0, SEEK_END);
  if (size <= 0) return {};
  const off_t from = size > static_cast<off_t>(kOutputTail) ? size - static_cast<off_t>(kOutputTail) : 0;
  std::string text(static_cast<std::size_t>(size - from), '\0');
  const ssize_t n = ::pread(output_, text.data(), text.size(), from);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return text;
}

std::optional<int> LibFuzzerProcess::Reap(bool kill_first) {
  if (pid_ < 0) return std::nullopt;
  if (kill_first) ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t r = -1;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  ::close(socket_);
  socket_ = -1;
  pid_ = -1;
  if (r < 0) return std::nullopt;
  return status;
}

Error LibFuzzerProcess::ChildError(const std::string& what) const {
  std::string message = "the libFuzzer child " + what;
  if (const std::string tail = OutputTail(); !tail.empty()) message += "; its output ends:\n" + tail;
  return MakeError(FuzzError::kLibFuzzer, std::move(message));
}

}  // namespace kt::permuter::internal
