// Outcomes and the per-execution context. The standard library and runner/ only.
#include "runner/outcome.h"

#include <algorithm>
#include <map>

#include "runner/internal/names.h"
#include "runner/internal/text.h"

namespace kt {
namespace {

thread_local internal::ExecutionContext* current_context = nullptr;

struct Form {
  std::string_view prefix;
  OutcomeKind kind;
};
constexpr Form kForms[] = {
    {"ok(", OutcomeKind::kValue},
    {"error(", OutcomeKind::kError},
    {"check-failed(", OutcomeKind::kCheckFailed},
    {"exception(", OutcomeKind::kException},
    {"crash(", OutcomeKind::kCrash},
    {"timeout(", OutcomeKind::kTimeout},
    {"sanitizer(", OutcomeKind::kSanitizer},
    {"exit(", OutcomeKind::kExit},
};

Outcome Make(OutcomeKind kind, std::string text) {
  Outcome o;
  o.kind = kind;
  o.text = std::move(text);
  return o;
}

std::string_view Basename(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::map<std::string, std::string> ByName(const std::vector<Observation>& observations) {
  std::map<std::string, std::string> m;
  for (const Observation& o : observations) m[o.name] = o.value;
  return m;
}

}  // namespace

const char* ToString(OutcomeKind kind) noexcept {
  switch (kind) {
    case OutcomeKind::kValue: return "value";
    case OutcomeKind::kError: return "error";
    case OutcomeKind::kCheckFailed: return "check-failed";
    case OutcomeKind::kException: return "exception";
    case OutcomeKind::kCrash: return "crash";
    case OutcomeKind::kTimeout: return "timeout";
    case OutcomeKind::kSanitizer: return "sanitizer";
    case OutcomeKind::kExit: return "exit";
  }
  return "unknown";
}

std::optional<OutcomeKind> OutcomeKindOf(std::string_view text) noexcept {
  if (text.empty() || text.back() != ')') return std::nullopt;
  for (const Form& f : kForms) {
    if (text.substr(0, f.prefix.size()) == f.prefix) return f.kind;
  }
  return std::nullopt;
}

Outcome CheckFailedOutcome(std::string_view expr, std::string_view file, int line) {
  return Make(OutcomeKind::kCheckFailed, "check-failed(" + std::string(expr) + " at " +
                                             std::string(Basename(file)) + ":" +
                                             std::to_string(line) + ")");
}

Outcome ExceptionOutcome(std::string_view type, std::string_view what) {
  return Make(OutcomeKind::kException,
              "exception(" + std::string(type) + ": " + std::string(what) + ")");
}

Outcome CrashOutcome(int signal) {
  return Make(OutcomeKind::kCrash, "crash(" + internal::SignalName(signal) + ")");
}

Outcome TimeoutOutcome() { return Make(OutcomeKind::kTimeout, "timeout()"); }

Outcome SanitizerOutcome(std::string_view summary) {
  return Make(OutcomeKind::kSanitizer, "sanitizer(" + std::string(summary) + ")");
}

Outcome ExitOutcome(int status) {
  return Make(OutcomeKind::kExit, "exit(" + std::to_string(status) + ")");
}

std::vector<std::string> Differences(const Outcome& expected, const Outcome& actual) {
  std::vector<std::string> diffs;
  if (expected.text != actual.text) {
    diffs.push_back("outcome: expected " + expected.text + ", got " + actual.text);
  }
  const auto want = ByName(expected.observations);
  const auto got = ByName(actual.observations);
  for (const auto& [name, value] : want) {
    const auto it = got.find(name);
    if (it == got.end()) {
      diffs.push_back(name + ": expected " + value + ", not observed");
    } else if (it->second != value) {
      diffs.push_back(name + ": expected " + value + ", got " + it->second);
    }
  }
  for (const auto& [name, value] : got) {
    if (want.count(name) == 0) diffs.push_back(name + ": not expected, got " + value);
  }
  if (expected.workspace_after != actual.workspace_after) {
    diffs.push_back("after: expected " + expected.workspace_after.value_or("(no workspace)") +
                    ", got " + actual.workspace_after.value_or("(no workspace)"));
  }
  return diffs;
}

std::string Summary(const Outcome& o) {
  std::string s = o.text;
  for (const auto& [name, value] : ByName(o.observations)) s += "  " + name + "=" + value;
  if (o.workspace_after) s += "  after=" + *o.workspace_after;
  return s;
}

namespace internal {

ExecutionContext::ExecutionContext(const Workspace* workspace) noexcept
    : workspace_(workspace), previous_(current_context) {
  current_context = this;
}

ExecutionContext::~ExecutionContext() { current_context = previous_; }

ExecutionContext* ExecutionContext::Current() noexcept { return current_context; }

void ExecutionContext::Observe(std::string_view name, std::string value) {
  const auto it = std::find_if(observations_.begin(), observations_.end(),
                               [&](const Observation& o) { return o.name == name; });
  if (it != observations_.end()) {
    it->value = std::move(value);
  } else {
    observations_.push_back({std::string(name), std::move(value)});
  }
}

void ExecutionContext::RecordCheckFailure(Outcome failure) {
  if (!check_failure_) check_failure_ = std::move(failure);
}

void CheckFailed(const char* expr, const char* file, int line) {
  Outcome failure = CheckFailedOutcome(expr, file, line);
  if (ExecutionContext* c = ExecutionContext::Current()) c->RecordCheckFailure(failure);
  throw CheckFailure{std::move(failure)};
}

void ObserveText(std::string_view name, std::string value, const char* file, int line) {
  ExecutionContext* c = ExecutionContext::Current();
  if (c == nullptr) return;
  if (!IsIdentifier(name)) {
    const std::string expr = "KT_OBSERVE name " + Quote(name) + " is an identifier";
    CheckFailed(expr.c_str(), file, line);
  }
  c->Observe(name, std::move(value));
}

}  // namespace internal
}  // namespace kt
