// The plain-text renderer (report/text.h). report/ and the standard library only.
#include "report/text.h"

namespace kt::report {
namespace {

std::string Figures(const EdgeFigures& f) {
  return std::to_string(f.reached) + "/" + std::to_string(f.reachable) + " (" +
         FormatPercent(f) + ")";
}

std::string Trimmed(const std::string& text) {
  const std::size_t start = text.find_first_not_of(" \t");
  return start == std::string::npos ? std::string() : text.substr(start);
}

}  // namespace

std::string RenderText(const SuiteReport& report) {
  std::string out;
  for (const KernelReport& k : report.kernels) {
    const PathCounts paths = KernelPathCounts(k);
    out += "INFO: report " + k.name + " edges " + Figures(k.figures) + ", paths exercised " +
           std::to_string(paths.Exercised()) + "/" + std::to_string(paths.Total());
    if (k.recorded) {
      out += ", table records " + std::to_string(k.recorded->edges_reached) + "/" +
             std::to_string(k.recorded->edges_reachable);
    }
    out += "\n";
    std::size_t outside = 0;
    for (const EdgeReport& e : k.unreached) {
      if (!e.under_test) {
        ++outside;
        continue;
      }
      out += "INFO: unreached " + k.name + " " +
             (e.site.file.empty() ? std::string("(unknown)")
                                  : e.site.file + ":" + std::to_string(e.site.line) + ":" +
                                        std::to_string(e.site.column)) +
             " in " + (e.site.function.empty() ? std::string("?") : e.site.function);
      if (e.site.text) out += ": " + Trimmed(*e.site.text);
      out += "\n";
    }
    if (outside != 0) {
      out += "INFO: unreached " + k.name + " " + std::to_string(outside) +
             " more outside the source root\n";
    }
  }
  out += "INFO: report total edges " + Figures(report.total) + " in " +
         std::to_string(report.kernels.size()) + " kernels\n";
  return out;
}

}  // namespace kt::report
