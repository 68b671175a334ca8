// The VFIO suite's coverage report in a real browser: runs `vfio_kt report --json --html`,
// loads the page in headless Chromium (Debian's chromium package) and checks that the page,
// after its script ran, shows every kernel's figures exactly as the JSON document has them,
// sorted by coverage. Labelled "browser"; skips without /usr/bin/chromium. With
// KT_REPORT_SCREENSHOT=<file.png> in the environment it also saves a screenshot there (how
// docs/report-screenshot.png is made). report/internal/browser.h and the driver's JSON
// reader only.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "permuter/driver/json.h"
#include "report/internal/browser.h"

namespace kt {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using report::internal::PageKernelRow;

// Replaying 47 tables and symbolising them takes seconds; this allows for a loaded machine.
constexpr std::chrono::seconds kReportTimeout{300};

struct JsonKernel {
  std::string name;
  std::uint64_t reached = 0;
  std::uint64_t reachable = 0;
  std::optional<std::string> recorded;  // "R/N", or nullopt for no table
};

std::uint64_t Uint(const driver::JsonValue* v) {
  return v == nullptr ? ~std::uint64_t{0} : v->AsUint64().value_or(~std::uint64_t{0});
}

std::string Figures(std::uint64_t reached, std::uint64_t reachable) {
  return std::to_string(reached) + "/" + std::to_string(reachable);
}

// The kernels of the report's JSON document (report/json.h), in document order.
std::vector<JsonKernel> KernelsOf(const driver::JsonValue& doc) {
  std::vector<JsonKernel> kernels;
  for (const driver::JsonValue& k : doc.Find("kernels")->items()) {
    JsonKernel out{k.Find("name")->text(), Uint(k.Find("edges")->Find("reached")),
                   Uint(k.Find("edges")->Find("reachable")), std::nullopt};
    if (const driver::JsonValue* r = k.Find("recorded");
        r != nullptr && r->type() == driver::JsonValue::Type::kObject) {
      out.recorded = Figures(Uint(r->Find("reached")), Uint(r->Find("reachable")));
    }
    kernels.push_back(out);
  }
  return kernels;
}

TEST(VfioReportBrowserTest, PageShowsEveryKernelsFiguresAsTheJsonHasThem) {
  if (!report::internal::HaveChromium()) {
    GTEST_SKIP() << "no " << report::internal::kChromium << " (apt-get install chromium)";
  }
  report::internal::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path page = dir.path() / "vfio-report.html";
  const report::internal::ProcessRun kt = report::internal::RunProcess(
      {KT_VFIO_KT, "report", "--json", "--jobs", "2", "--html", page.string()}, dir.path(),
      kReportTimeout);
  ASSERT_TRUE(kt.ok) << "vfio_kt report exited " << kt.exit_code << "\n" << kt.log;
  const Expected<driver::JsonValue> doc = driver::ParseJson(kt.out);
  ASSERT_TRUE(doc.has_value()) << doc.error().message;
  const std::vector<JsonKernel> kernels = KernelsOf(doc.value());
  ASSERT_GE(kernels.size(), 40u) << "the VFIO suite has 47 kernels";

  const report::internal::ProcessRun chromium =
      report::internal::RunChromium(dir.path(), page, {"--dump-dom"});
  ASSERT_TRUE(chromium.ok) << chromium.log;
  const std::string& dom = chromium.out;

  // The script ran and sorted the table by coverage, lowest first.
  EXPECT_THAT(dom, HasSubstr("data-sorted=\"coverage-asc\""));
  const std::vector<PageKernelRow> rows = report::internal::KernelRowsOnPage(dom);
  ASSERT_EQ(rows.size(), kernels.size());
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.coverage < b.coverage;
  }));

  const driver::JsonValue& total = *doc.value().Find("edges");
  EXPECT_EQ(report::internal::TextOfId(dom, "total-edges"),
            Figures(Uint(total.Find("reached")), Uint(total.Find("reachable"))));
  for (const JsonKernel& k : kernels) {
    const auto row = std::find_if(rows.begin(), rows.end(),
                                  [&](const PageKernelRow& r) { return r.kernel == k.name; });
    ASSERT_NE(row, rows.end()) << k.name;
    EXPECT_EQ(row->reached, k.reached) << k.name;
    EXPECT_EQ(row->reachable, k.reachable) << k.name;
    EXPECT_EQ(row->edges_cell, Figures(k.reached, k.reachable)) << k.name;
    // Every kernel has a checked-in table, whose header the page shows.
    ASSERT_TRUE(k.recorded.has_value()) << k.name << " has no table";
    EXPECT_EQ(row->recorded, *k.recorded) << k.name;
  }

  if (const char* shot = std::getenv("KT_REPORT_SCREENSHOT")) {
    const report::internal::ProcessRun screenshot = report::internal::RunChromium(
        dir.path(), page,
        {"--hide-scrollbars", "--window-size=1280,1000", std::string("--screenshot=") + shot});
    EXPECT_TRUE(screenshot.ok) << screenshot.log;
  }
}

}  // namespace
}  // namespace kt
