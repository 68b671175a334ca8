// Test helper: a suite of fixture kernels (report/test_fixtures.h) with rows run in coverage
// windows of this process, the input the report's tests build reports from. Tests only;
// needs the instrumented fixtures and the coverage runtime linked in.
#pragma once

#include <vector>

#include "report/report.h"

namespace kt::report::internal {

// Six kernels, in this order and with these rows:
//   fixture.diamond           DiamondKernel(true, false)            header records 4/7
//   fixture.checked           Checked(1)
//   fixture.validate          Validate(1), Validate(-1)
//   fixture.ticks             TickTimes(2)
//   fixture.shapes_never_run  SpinWhen, no rows
//   fixture.dead              Dead(1)
std::vector<KernelInput> FixtureSuite();

}  // namespace kt::report::internal
