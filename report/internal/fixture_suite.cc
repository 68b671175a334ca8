// The fixture suite (report/internal/fixture_suite.h). The coverage runtime and the fixtures.
#include "report/internal/fixture_suite.h"

#include <cstdint>
#include <functional>
#include <string>

#include "instrumentation/coverage.h"
#include "report/test_fixtures.h"

namespace kt::report::internal {
namespace {

template <class F>
std::uintptr_t Pc(F* function) {
  return reinterpret_cast<std::uintptr_t>(function);
}

RowEdges Row(std::string label, const std::function<void()>& run) {
  coverage::BeginExecution();
  run();
  coverage::EndExecution();
  RowEdges row{std::move(label), {}};
  for (const coverage::EdgeHit& hit : coverage::EdgesHit()) row.edges.push_back(hit.edge);
  return row;
}

}  // namespace

std::vector<KernelInput> FixtureSuite() {
  std::vector<KernelInput> kernels;
  kernels.push_back({"fixture.diamond", Pc(&fixtures::DiamondKernel), "report/test_fixtures.cc",
                     {Row("row_0", [] { fixtures::DiamondKernel(true, false); })},
                     TableStats{4, 7, 10, 100, false}});
  kernels.push_back({"fixture.checked", Pc(&fixtures::Checked), "",
                     {Row("row_0", [] { fixtures::Checked(1); })}, std::nullopt});
  kernels.push_back({"fixture.validate", Pc(&fixtures::Validate), "",
                     {Row("row_0", [] { fixtures::Validate(1); }),
                      Row("row_1", [] { fixtures::Validate(-1); })},
                     std::nullopt});
  kernels.push_back({"fixture.ticks", Pc(&fixtures::TickTimes), "",
                     {Row("row_0", [] { fixtures::TickTimes(2); })}, std::nullopt});
  kernels.push_back({"fixture.shapes_never_run", Pc(&fixtures::SpinWhen), "", {}, std::nullopt});
  kernels.push_back({"fixture.dead", Pc(&fixtures::Dead), "",
                     {Row("row_0", [] { fixtures::Dead(1); })}, std::nullopt});
  return kernels;
}

}  // namespace kt::report::internal
