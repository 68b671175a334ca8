// The HTML report in a real browser: renders the fixture suite's report, loads it in headless
// Chromium (Debian's chromium package) and checks the figures and the script's sorting on
// the rendered page. Labelled "browser"; skips without /usr/bin/chromium. With
// KT_REPORT_SCREENSHOT=<file.png> in the environment it also saves a screenshot there.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/html.h"
#include "report/internal/browser.h"
#include "report/internal/fixture_suite.h"
#include "report/internal/test_markers.h"
#include "report/report.h"

namespace kt::report {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

SuiteReport FixtureReport() {
  Expected<Symbolizer> symbolizer = Symbolizer::Start();
  if (!symbolizer) ADD_FAILURE() << symbolizer.error().message;
  ReportOptions options;
  options.suite = "fixtures";
  std::string root = KT_REPORT_FIXTURES_CC;
  options.source_root = root.erase(root.size() - std::string("report/test_fixtures.cc").size());
  Expected<SuiteReport> report = BuildReport(ProgramMap::FromRuntime(), internal::FixtureSuite(),
                                             symbolizer.value(), options);
  if (!report) ADD_FAILURE() << report.error().message;
  return std::move(report).value();
}

TEST(BrowserTest, RenderedPageShowsTheFiguresSortedByCoverage) {
  if (!internal::HaveChromium()) {
    GTEST_SKIP() << "no " << internal::kChromium << " (apt-get install chromium)";
  }
  const SuiteReport report = FixtureReport();
  internal::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path page = dir.path() / "report.html";
  std::ofstream(page, std::ios::binary) << RenderHtml(report);
  const internal::ProcessRun run = internal::RunChromium(dir.path(), page, {"--dump-dom"});
  ASSERT_TRUE(run.ok) << run.log;
  const std::string& dom = run.out;

  // The script ran: it marks the body and reorders the rows by coverage, lowest first, where
  // the page's own order is the suite's.
  EXPECT_THAT(dom, HasSubstr("data-sorted=\"coverage-asc\""));
  const std::vector<internal::PageKernelRow> rows = internal::KernelRowsOnPage(dom);
  ASSERT_EQ(rows.size(), report.kernels.size());
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.coverage < b.coverage;
  }));
  EXPECT_EQ(rows.front().kernel, "fixture.shapes_never_run");  // 0 edges reached
  EXPECT_NE(rows.front().kernel, report.kernels.front().name);

  // Every kernel's figures, as the report computed them.
  EXPECT_EQ(internal::TextOfId(dom, "total-edges"),
            std::to_string(report.total.reached) + "/" + std::to_string(report.total.reachable));
  for (const KernelReport& k : report.kernels) {
    const auto row = std::find_if(rows.begin(), rows.end(),
                                  [&](const internal::PageKernelRow& r) { return r.kernel == k.name; });
    ASSERT_NE(row, rows.end()) << k.name;
    EXPECT_EQ(row->edges_cell,
              std::to_string(k.figures.reached) + "/" + std::to_string(k.figures.reachable))
        << k.name;
    EXPECT_EQ(row->percent, FormatPercent(k.figures)) << k.name;
  }
  EXPECT_THAT(dom, HasSubstr("<td class=\"num edges\">4/7</td>"));  // fixture.diamond

  // The listing marks Diamond's else-line unreached, and the unreached edge names it.
  const std::string line = std::to_string(internal::MarkerLine("diamond-else"));
  EXPECT_THAT(dom, HasSubstr("<span class=\"line miss\" data-line=\"" + line + "\">"));
  EXPECT_THAT(dom, HasSubstr("<code class=\"loc\">report/test_fixtures.cc:" + line + ":"));

  if (const char* shot = std::getenv("KT_REPORT_SCREENSHOT")) {
    const internal::ProcessRun screenshot = internal::RunChromium(
        dir.path(), page,
        {"--hide-scrollbars", "--window-size=1280,1400", std::string("--screenshot=") + shot});
    EXPECT_TRUE(screenshot.ok) << screenshot.log;
  }
}

}  // namespace
}  // namespace kt::report
