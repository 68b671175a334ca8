// CheckCoverage (report/check.h). report/ and the standard library only.
#include "report/check.h"

#include "report/report.h"

namespace kt::report {

CoverageCheck CheckCoverage(std::string_view kernel, const EdgeFigures& now,
                            const TableStats& recorded) {
  const EdgeFigures then{recorded.edges_reached, recorded.edges_reachable};
  CoverageCheck check;
  // Cross-multiplied, so that no rounding of a percentage decides: edge counts stay far
  // below 2^32 (kMaxEdges is 2^20), so the products fit.
  check.dropped = then.reachable != 0 &&
                  (now.reached < then.reached ||
                   now.reached * then.reachable < then.reached * now.reachable);
  const std::string figures = "edges " + std::to_string(now.reached) + "/" +
                              std::to_string(now.reachable) + " (" + FormatPercent(now) + ")";
  const std::string header =
      then.reachable == 0 ? std::string("table records no edge figures")
                          : "table records " + std::to_string(then.reached) + "/" +
                                std::to_string(then.reachable) + " (" + FormatPercent(then) + ")";
  check.line = (check.dropped ? "ERROR: coverage " : "INFO: coverage ") + std::string(kernel) +
               (check.dropped ? " dropped: " : " ") + figures + ", " + header;
  return check;
}

}  // namespace kt::report
