// Test helper: runs programs (a suite's _kt binary, headless Chromium from Debian's chromium
// package) with a timeout, hands back the DOM of a report page after its scripts ran (or a
// screenshot), and reads the kernel table's figures off that DOM, for the tests that check a
// report in a real browser. POSIX and the standard library only; tests only.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kt::report::internal {

inline constexpr const char* kChromium = "/usr/bin/chromium";
// A cold start of Chromium on a loaded two-core machine takes seconds; a big page a few more.
inline constexpr std::chrono::seconds kChromiumTimeout{120};

// True when kChromium is installed and executable; tests skip otherwise.
bool HaveChromium();

// A fresh directory under the system's temporary directory, removed with everything in it
// when the object goes. path() is empty when it could not be made. Not copyable.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// What one program run left behind.
struct ProcessRun {
  bool ok = false;     // exited 0 within its timeout
  int exit_code = -1;  // -1 when killed or ended by a signal
  std::string out;     // its standard output (Chromium's DOM with --dump-dom)
  std::string log;     // its standard error, for failure messages
};

// Runs argv[0] (a path) with `argv`, standard output and error to files in `scratch`, and
// kills it at `timeout`.
ProcessRun RunProcess(const std::vector<std::string>& argv, const std::filesystem::path& scratch,
                      std::chrono::seconds timeout);

// Runs headless Chromium with `flags` on file://`page`, with its profile in `scratch`
// (never the user's), no network, no sandbox (tests run as root in containers). Kills it at
// kChromiumTimeout.
//
// Example usage:
//   ProcessRun run = RunChromium(dir.path(), page, {"--dump-dom"});
//   ASSERT_TRUE(run.ok) << run.log;
ProcessRun RunChromium(const std::filesystem::path& scratch, const std::filesystem::path& page,
                       const std::vector<std::string>& flags);

// The whole file, or "" when it cannot be read.
std::string ReadWholeFile(const std::filesystem::path& path);

// One row of the page's kernel table (report/html.h's hooks), as the browser left it.
struct PageKernelRow {
  std::string kernel;      // data-kernel
  double coverage = 0;     // data-coverage
  std::uint64_t reached = 0;    // data-reached
  std::uint64_t reachable = 0;  // data-reachable
  std::string edges_cell;  // the text of its td.edges: "41/57"
  std::string percent;     // the percentage its td.cov shows: "71.9%"
  std::string recorded;    // the text of its td.recorded: the table header's "41/57", or "-"
};

// The kernel table's rows in page order (after the script sorted them). A row whose hooks
// are missing or malformed is left out, so a count check catches it.
std::vector<PageKernelRow> KernelRowsOnPage(std::string_view dom);

// The text of the element with id `id` ("<span id=\"total-edges\">15/23</span>" gives
// "15/23"), or nullopt.
std::optional<std::string> TextOfId(std::string_view dom, std::string_view id);

}  // namespace kt::report::internal
