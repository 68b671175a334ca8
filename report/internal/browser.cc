// Headless Chromium and the page's figures for the browser tests (report/internal/browser.h).
// POSIX and the standard library only.
#include "report/internal/browser.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace kt::report::internal {

namespace fs = std::filesystem;

bool HaveChromium() { return ::access(kChromium, X_OK) == 0; }

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "kt-report-browser-XXXXXX").string();
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

std::string ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ProcessRun RunProcess(const std::vector<std::string>& argv, const fs::path& scratch,
                      std::chrono::seconds timeout) {
  std::vector<std::string> args = argv;
  std::vector<char*> pointers;
  for (std::string& arg : args) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  const fs::path out = scratch / "process-stdout.txt";
  const fs::path err = scratch / "process-stderr.txt";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int spawned =
      ::posix_spawn(&pid, args[0].c_str(), &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ProcessRun run;
  if (spawned != 0) {
    run.log = "posix_spawn " + args[0] + ": " + std::strerror(spawned);
    return run;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  bool killed = false;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      killed = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!killed && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  run.ok = run.exit_code == 0;
  run.out = ReadWholeFile(out);
  run.log = ReadWholeFile(err) + (killed ? "\n(killed after the timeout)" : "");
  return run;
}

ProcessRun RunChromium(const fs::path& scratch, const fs::path& page,
                       const std::vector<std::string>& flags) {
  std::vector<std::string> args = {kChromium, "--headless", "--no-sandbox", "--disable-gpu",
                                   "--disable-quic", "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update", "--disable-sync",
                                   "--user-data-dir=" + (scratch / "profile").string()};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back("file://" + fs::absolute(page).string());
  return RunProcess(args, scratch, kChromiumTimeout);
}

namespace {

// The value of attribute `name` in the start tag `tag` ("<tr a=\"1\" b=\"2\">"), or nullopt.
std::optional<std::string_view> Attribute(std::string_view tag, std::string_view name) {
  const std::string key = " " + std::string(name) + "=\"";
  const std::size_t at = tag.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t start = at + key.size();
  const std::size_t end = tag.find('"', start);
  if (end == std::string_view::npos) return std::nullopt;
  return tag.substr(start, end - start);
}

std::optional<std::uint64_t> Number(std::optional<std::string_view> text) {
  std::uint64_t value = 0;
  if (!text) return std::nullopt;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

// The text between the end of the start tag that `open` begins and the next '<', in `row`.
std::optional<std::string> CellText(std::string_view row, std::string_view open) {
  const std::size_t at = row.find(open);
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t start = row.find('>', at);
  const std::size_t end = row.find('<', start);
  if (start == std::string_view::npos || end == std::string_view::npos) return std::nullopt;
  return std::string(row.substr(start + 1, end - start - 1));
}

// The percentage in the coverage cell: its text after the bar's nested spans.
std::optional<std::string> PercentText(std::string_view row) {
  const std::size_t cell = row.find("<td class=\"num cov\">");
  if (cell == std::string_view::npos) return std::nullopt;
  const std::size_t end = row.find("</td>", cell);
  const std::size_t start = row.rfind('>', end);
  if (end == std::string_view::npos || start == std::string_view::npos || start < cell) {
    return std::nullopt;
  }
  return std::string(row.substr(start + 1, end - start - 1));
}

}  // namespace

std::vector<PageKernelRow> KernelRowsOnPage(std::string_view dom) {
  constexpr std::string_view kRowStart = "<tr data-kernel=\"";
  std::vector<PageKernelRow> rows;
  for (std::size_t at = dom.find(kRowStart); at != std::string_view::npos;
       at = dom.find(kRowStart, at + 1)) {
    const std::size_t end = dom.find("</tr>", at);
    if (end == std::string_view::npos) break;
    const std::string_view row = dom.substr(at, end - at);
    const std::string_view tag = row.substr(0, row.find('>'));
    const std::optional<std::string_view> kernel = Attribute(tag, "data-kernel");
    const std::optional<std::string_view> coverage = Attribute(tag, "data-coverage");
    const std::optional<std::uint64_t> reached = Number(Attribute(tag, "data-reached"));
    const std::optional<std::uint64_t> reachable = Number(Attribute(tag, "data-reachable"));
    const std::optional<std::string> edges = CellText(row, "<td class=\"num edges\"");
    const std::optional<std::string> percent = PercentText(row);
    const std::optional<std::string> recorded = CellText(row, "<td class=\"num recorded\"");
    if (!kernel || !coverage || !reached || !reachable || !edges || !percent || !recorded) {
      continue;
    }
    rows.push_back({std::string(*kernel), std::stod(std::string(*coverage)), *reached,
                    *reachable, *edges, *percent, *recorded});
  }
  return rows;
}

std::optional<std::string> TextOfId(std::string_view dom, std::string_view id) {
  const std::size_t at = dom.find(" id=\"" + std::string(id) + "\"");
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t start = dom.find('>', at);
  const std::size_t end = dom.find('<', start);
  if (start == std::string_view::npos || end == std::string_view::npos) return std::nullopt;
  return std::string(dom.substr(start + 1, end - start - 1));
}

}  // namespace kt::report::internal
