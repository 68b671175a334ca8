// The plain-text rendering of a suite report, for the driver's terminal output and CI logs:
// one tagged line per kernel with its figures, one per unreached edge with its source line
// (libFuzzer's UNCOVERED_PC, with the line itself). report/report.h only.
#pragma once

#include <string>

#include "report/report.h"

namespace kt::report {

// Lines end in '\n'; each starts with "INFO: " so scripts can grep them:
//   INFO: report fixture.diamond edges 4/7 (57.1%), paths exercised 2/5, table records 4/7
//   INFO: unreached fixture.diamond report/test_fixtures.cc:15:12 in Diamond(bool): result = 2;
//   INFO: report total edges 15/23 (65.2%) in 6 kernels
//   INFO: unreached fixture.diamond 12 more outside the source root
// The source line is shown without its indentation; edges outside the source root are only
// counted.
std::string RenderText(const SuiteReport& report);

}  // namespace kt::report
