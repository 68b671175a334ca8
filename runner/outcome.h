// How one execution of a kernel ended (value, error or finding) plus what it observed, and
// the per-execution context that KT_OBSERVE and KT_CHECK report into. The standard library
// and runner/print.h only; never GoogleTest or the table format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/print.h"

namespace kt {

class Workspace;

// Every execution ends in exactly one of these. kValue and kError are expected outcomes;
// the rest are findings (bugs).
enum class OutcomeKind {
  kValue = 1,    // ok(DmaStats{count=2}), ok()
  kError,        // error(vfio.dma:overlap)
  kCheckFailed,  // check-failed(m.no_overlaps() at dma_kernels.cc:41)
  kException,    // exception(std::out_of_range: index 9)
  kCrash,        // crash(SIGSEGV)
  kTimeout,      // timeout(): the limit is configuration, never table content
  kSanitizer,    // sanitizer(AddressSanitizer: heap-use-after-free)
  kExit,         // exit(3): the kernel ended the process itself
};
// "value", "error", "check-failed", "exception", "crash", "timeout", "sanitizer", "exit".
const char* ToString(OutcomeKind kind) noexcept;
constexpr bool IsFinding(OutcomeKind kind) noexcept {
  return kind != OutcomeKind::kValue && kind != OutcomeKind::kError;
}
// True for the findings that only a child process survives (crash, timeout, sanitizer, exit).
constexpr bool NeedsChild(OutcomeKind kind) noexcept {
  return kind == OutcomeKind::kCrash || kind == OutcomeKind::kTimeout ||
         kind == OutcomeKind::kSanitizer || kind == OutcomeKind::kExit;
}

struct Observation {
  std::string name;   // an identifier: mappings
  std::string value;  // canonical text (runner/print.h)
  friend bool operator==(const Observation&, const Observation&) = default;
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kValue;
  std::string text;  // the canonical spelling, e.g. "error(generic:ENOENT)"
  // In the order KT_OBSERVE ran; a name observed twice keeps its last value.
  std::vector<Observation> observations;
  // The workspace after the call as a manifest (runner/workspace.h); only with a workspace.
  std::optional<std::string> workspace_after;
  // Not compared: what explains a finding (a child's stderr, a sanitizer report).
  std::string detail;
};

// The outcome class of a recorded outcome text ("ok(" -> kValue, "crash(" -> kCrash), or
// nullopt when the text has no known outcome form.
std::optional<OutcomeKind> OutcomeKindOf(std::string_view text) noexcept;

// Outcome constructors that give every finding its one spelling. The file of a failed check
// is printed without its directories, so tables do not depend on the build's paths.
Outcome CheckFailedOutcome(std::string_view expr, std::string_view file, int line);
Outcome ExceptionOutcome(std::string_view type, std::string_view what);
Outcome CrashOutcome(int signal);
Outcome TimeoutOutcome();
Outcome SanitizerOutcome(std::string_view summary);
Outcome ExitOutcome(int status);

// What replay compares: the outcome text, the observations by name and the workspace after.
// One line per difference ("outcome: expected ok(1), got ok(2)"); empty when they agree.
std::vector<std::string> Differences(const Outcome& expected, const Outcome& actual);

// "ok(2)  mappings=2  after={a="x"}": everything Differences compares, on one line.
std::string Summary(const Outcome& o);

namespace internal {

// Thrown by KT_CHECK to end the execution. Not a std::exception, so a kernel's
// catch (const std::exception&) lets it through; a catch (...) that swallows it does not
// hide the finding either, since the context has recorded it first.
struct CheckFailure {
  Outcome outcome;
};

// The state of the execution running on this thread: installed by Execute for the duration
// of one kernel call, restoring the previous one (nullptr outside executions) when it ends.
// Thread-compatible; one per execution.
class ExecutionContext {
 public:
  explicit ExecutionContext(const Workspace* workspace) noexcept;
  ~ExecutionContext();
  ExecutionContext(const ExecutionContext&) = delete;
  ExecutionContext& operator=(const ExecutionContext&) = delete;

  // nullptr when no execution runs on this thread (a kernel called directly).
  static ExecutionContext* Current() noexcept;

  void Observe(std::string_view name, std::string value);
  void RecordCheckFailure(Outcome failure);

  const Workspace* workspace() const noexcept { return workspace_; }
  const std::optional<Outcome>& check_failure() const noexcept { return check_failure_; }
  std::vector<Observation> TakeObservations() { return std::move(observations_); }

 private:
  const Workspace* workspace_;
  ExecutionContext* previous_;
  std::vector<Observation> observations_;
  std::optional<Outcome> check_failure_;  // the first failed check
};

// KT_CHECK's slow path: records the failure in the current context and throws CheckFailure.
[[noreturn]] void CheckFailed(const char* expr, const char* file, int line);

// KT_OBSERVE's body. A name that is not an identifier is a failed check.
void ObserveText(std::string_view name, std::string value, const char* file, int line);

template <class T>
void Observe(std::string_view name, const T& value, const char* file, int line) {
  if (ExecutionContext::Current() == nullptr) return;
  ObserveText(name, PrintToString(value), file, line);
}

}  // namespace internal
}  // namespace kt
