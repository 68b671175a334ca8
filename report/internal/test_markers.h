// Test helper: the line of a "// marker: <name>" comment in report/test_fixtures.cc, so that
// tests name fixture lines without hard-coding numbers. The build passes the file's path as
// KT_REPORT_FIXTURES_CC. The standard library only; tests only.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

namespace kt::report::internal {

inline std::uint32_t MarkerLine(const std::string& marker) {
  std::ifstream in(KT_REPORT_FIXTURES_CC);
  std::uint32_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find("// marker: " + marker) != std::string::npos) return number;
  }
  return 0;
}

}  // namespace kt::report::internal
