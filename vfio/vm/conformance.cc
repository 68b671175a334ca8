// The check runner and reporter, and the list of every check. Depends on the vfio library
// through conformance_checks.h only.
#include "vfio/vm/conformance.h"

#include <ostream>
#include <string>
#include <utility>

#include "vfio/vm/conformance_checks.h"

namespace vfio::vm {

Outcome Outcome::Fail(std::string_view expected, std::string_view got) {
  std::string detail = "expected ";
  detail.append(expected).append(", got ").append(got);
  return {Kind::kFail, std::move(detail)};
}

std::vector<Check> AllChecks() {
  std::vector<Check> checks;
  for (auto list : {internal::ContainerChecks, internal::DeviceChecks, internal::DmaChecks,
                    internal::IrqChecks}) {
    for (Check& check : list()) checks.push_back(std::move(check));
  }
  return checks;
}

void Reporter::Report(std::string_view name, const Outcome& outcome) {
  switch (outcome.kind) {
    case Outcome::Kind::kPass:
      ++passes_;
      out_ << "PASS " << name << "\n";
      break;
    case Outcome::Kind::kFail:
      ++fails_;
      out_ << "FAIL " << name << ": " << outcome.detail << "\n";
      break;
    case Outcome::Kind::kSkip:
      ++skips_;
      out_ << "SKIP " << name << ": " << outcome.detail << "\n";
      break;
  }
  out_.flush();
}

void Reporter::Done() {
  out_ << "DONE fails=" << fails_ << "\n";
  out_.flush();
}

int RunChecks(const Environment& env, const std::vector<Check>& checks, Reporter& reporter) {
  const int before = reporter.fails();
  for (const Check& check : checks) reporter.Report(check.name, check.run(env));
  return reporter.fails() - before;
}

}  // namespace vfio::vm
