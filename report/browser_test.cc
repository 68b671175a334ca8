// The HTML report in a real browser: renders the fixture suite's report, loads it in headless
// Chromium (Debian's chromium package) and checks the figures and the script's sorting on
// the rendered page. Labelled "browser"; skips without /usr/bin/chromium. With
// KT_REPORT_SCREENSHOT=<file.png> in the environment it also saves a screenshot there.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/html.h"
#include "report/internal/fixture_suite.h"
#include "report/internal/test_markers.h"
#include "report/report.h"

extern char** environ;

namespace kt::report {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr auto kBrowserTimeout = std::chrono::seconds(120);

// A fresh directory for the page, the browser profile and its output; removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "kt-report-browser-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Runs headless Chromium with `extra` flags on `page`, stdout to `out`; true when it exited 0
// within the timeout.
bool RunChromium(const fs::path& dir, const fs::path& page, std::vector<std::string> extra,
                 const fs::path& out) {
  std::vector<std::string> args = {kChromium, "--headless", "--no-sandbox", "--disable-gpu",
                                   "--disable-quic", "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update", "--disable-sync",
                                   "--user-data-dir=" + (dir / "profile").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("file://" + page.string());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir / "stderr.txt").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, kChromium, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return false;
  const auto deadline = std::chrono::steady_clock::now() + kBrowserTimeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

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

// The kernel rows of the rendered table, in page order: name and data-coverage.
std::vector<std::pair<std::string, double>> KernelRows(const std::string& dom) {
  static const std::regex kRow(R"re(<tr data-kernel="([^"]+)" data-coverage="([0-9.]+)")re");
  std::vector<std::pair<std::string, double>> rows;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), kRow); it != std::sregex_iterator();
       ++it) {
    rows.emplace_back((*it)[1].str(), std::stod((*it)[2].str()));
  }
  return rows;
}

TEST(BrowserTest, RenderedPageShowsTheFiguresSortedByCoverage) {
  if (access(kChromium, X_OK) != 0) GTEST_SKIP() << "no " << kChromium << " (apt-get install chromium)";
  const SuiteReport report = FixtureReport();
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path page = dir.path() / "report.html";
  std::ofstream(page, std::ios::binary) << RenderHtml(report);
  ASSERT_TRUE(RunChromium(dir.path(), page, {"--dump-dom"}, dir.path() / "dom.html"))
      << ReadFile(dir.path() / "stderr.txt");
  const std::string dom = ReadFile(dir.path() / "dom.html");

  // The script ran: it marks the body and reorders the rows by coverage, lowest first, where
  // the page's own order is the suite's.
  EXPECT_THAT(dom, HasSubstr("data-sorted=\"coverage-asc\""));
  const auto rows = KernelRows(dom);
  ASSERT_EQ(rows.size(), report.kernels.size());
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; }));
  EXPECT_EQ(rows.front().first, "fixture.shapes_never_run");  // 0 edges reached
  EXPECT_NE(rows.front().first, report.kernels.front().name);

  // Every kernel's figures, as the report computed them.
  EXPECT_THAT(dom, HasSubstr("<span id=\"total-edges\">" + std::to_string(report.total.reached) +
                             "/" + std::to_string(report.total.reachable) + "</span>"));
  for (const KernelReport& k : report.kernels) {
    const std::regex row("<tr data-kernel=\"" + std::regex_replace(k.name, std::regex("\\."), "\\.") +
                         "\"[^>]*>.*?<td class=\"num edges\">" +
                         std::to_string(k.figures.reached) + "/" +
                         std::to_string(k.figures.reachable) + "</td>");
    EXPECT_TRUE(std::regex_search(dom, row)) << k.name;
  }
  EXPECT_THAT(dom, HasSubstr("<td class=\"num edges\">4/7</td>"));  // fixture.diamond

  // The listing marks Diamond's else-line unreached, and the unreached edge names it.
  const std::string line = std::to_string(internal::MarkerLine("diamond-else"));
  EXPECT_THAT(dom, HasSubstr("<span class=\"line miss\" data-line=\"" + line + "\">"));
  EXPECT_THAT(dom, HasSubstr("<code class=\"loc\">report/test_fixtures.cc:" + line + ":"));

  if (const char* shot = std::getenv("KT_REPORT_SCREENSHOT")) {
    EXPECT_TRUE(RunChromium(dir.path(), page,
                            {"--hide-scrollbars", "--window-size=1280,1400",
                             std::string("--screenshot=") + shot},
                            dir.path() / "screenshot-stdout.txt"))
        << ReadFile(dir.path() / "stderr.txt");
  }
}

}  // namespace
}  // namespace kt::report
