// In-process execution of one kernel call. The standard library and <cxxabi.h> only.
#include "runner/execute.h"

#include <cxxabi.h>

#include <exception>
#include <optional>
#include <typeinfo>

#include "runner/internal/names.h"

namespace kt {
namespace {

// Calls the kernel and turns an escaping exception into its finding.
Expected<Outcome> CallCatching(const KernelInfo& kernel, std::span<const Value> args) {
  try {
    return kernel.invoke(kernel.fn, args);
  } catch (const internal::CheckFailure& failure) {
    return failure.outcome;
  } catch (const std::exception& e) {
    return ExceptionOutcome(internal::DemangledName(typeid(e)), e.what());
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    return ExceptionOutcome(type != nullptr ? internal::DemangledName(*type) : "unknown",
                            "not a std::exception");
  }
}

}  // namespace

Expected<Outcome> Execute(const KernelInfo& kernel, std::span<const Value> args,
                          const WorkspaceTemplate* workspace) {
  std::optional<Workspace> ws;
  if (workspace != nullptr) {
    auto created = Workspace::Create(*workspace);
    if (!created) return std::move(created).assume_error();
    ws.emplace(std::move(created).assume_value());
  }
  internal::ExecutionContext context(ws ? &*ws : nullptr);
  auto called = CallCatching(kernel, args);
  if (!called) return std::move(called).assume_error();
  Outcome outcome = std::move(called).assume_value();
  // A kernel whose catch (...) swallowed KT_CHECK's throw still fails the check.
  if (context.check_failure() && outcome.kind != OutcomeKind::kCheckFailed) {
    outcome.kind = OutcomeKind::kCheckFailed;
    outcome.text = context.check_failure()->text;
  }
  outcome.observations = context.TakeObservations();
  if (ws) {
    auto after = ws->Snapshot();
    if (!after) return std::move(after).assume_error();
    outcome.workspace_after = FormatManifest(std::move(after).assume_value());
  }
  return outcome;
}

}  // namespace kt
