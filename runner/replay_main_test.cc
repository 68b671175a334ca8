// End-to-end tests of a replay binary (runner/replay_main.cc with the fixture's kernels): rows are
// tests ctest can list, a failing row prints expected vs actual and a command that reruns exactly
// that row, and startup errors exit 2. Depends on the fixture binaries, POSIX and GoogleTest only;
// never links the runner.
#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace kt {
namespace {

namespace fs = std::filesystem;

struct ShellRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

ShellRun Shell(const std::string& command) {
  ShellRun r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  while (const std::size_t n = std::fread(buf, 1, sizeof buf, p)) r.output.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

constexpr std::string_view kAddTable =
    "kerneltest-table 1\n"
    "kernel fixture.add\n"
    "param a i32 type=\"std::int32_t\"\n"
    "param b i32 type=\"std::int32_t\"\n"
    "rows a b | outcome even\n"
    "gen 1 2 | ok(3) false\n"
    "gen 2 2 | ok(4) true\n"
    "pin -1 0 | error(generic:EINVAL) false\n";

constexpr std::string_view kCrashTable =
    "kerneltest-table 1\n"
    "kernel fixture.crash\n"
    "param c bool\n"
    "rows c | outcome\n"
    "gen false | ok(0)\n"
    "gen true | crash(SIGSEGV)\n";

class ReplayMainTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string dir = (fs::temp_directory_path() / "kt-replay-main-XXXXXX").string();
    ASSERT_NE(::mkdtemp(dir.data()), nullptr);
    dir_ = dir;
    Write("fixture.add.ktable", kAddTable);
    Write("fixture.crash.ktable", kCrashTable);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, std::string_view text) { std::ofstream(dir_ / name) << text; }
  ShellRun Replay(const std::string& args) {
    return Shell(std::string(KT_REPLAY_FIXTURE) + " --tables " + dir_.string() + " " + args);
  }

  fs::path dir_;
};

TEST_F(ReplayMainTest, MatchingTablesPass) {
  const ShellRun r = Replay("");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("[  PASSED  ] 7 tests."), std::string::npos) << r.output;
}

TEST_F(ReplayMainTest, ListsOneTestPerRowForCtest) {
  const ShellRun r = Replay("--gtest_list_tests");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output,
            "fixture.add.\n  table\n  row_1\n  row_2\n  row_3\n"
            "fixture.crash.\n  table\n  row_1\n  row_2\n");
}

TEST_F(ReplayMainTest, AFailingRowPrintsBothOutcomesAndTheCommandThatRerunsIt) {
  std::string table(kAddTable);
  table.replace(table.find("ok(4) true"), 10, "ok(5) true");
  Write("fixture.add.ktable", table);
  const ShellRun r = Replay("");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(dir_.string() + "/fixture.add.ktable:7: Failure"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("expected: ok(5)  even=true"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("actual:   ok(4)  even=true"), std::string::npos) << r.output;
  const std::string rerun_prefix = "  rerun:    ";
  const std::size_t at = r.output.find(rerun_prefix);
  ASSERT_NE(at, std::string::npos) << r.output;
  const std::size_t end = r.output.find('\n', at);
  const std::string rerun =
      r.output.substr(at + rerun_prefix.size(), end - at - rerun_prefix.size());
  EXPECT_EQ(rerun, std::string(KT_REPLAY_FIXTURE) + " --tables " + dir_.string() +
                       " --gtest_filter=fixture.add.row_2");
  // The command runs that row and nothing else.
  const ShellRun again = Shell(rerun);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("[==========] 1 test from 1 test suite ran."), std::string::npos)
      << again.output;
  EXPECT_NE(again.output.find("[  FAILED  ] fixture.add.row_2"), std::string::npos);
}

TEST_F(ReplayMainTest, AMissingTableFailsTheKernelsTableTest) {
  fs::remove(dir_ / "fixture.crash.ktable");
  const ShellRun r = Replay("--gtest_filter=fixture.crash.*");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("kernel \"fixture.crash\" ("), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("has no table " + dir_.string() + "/fixture.crash.ktable"),
            std::string::npos)
      << r.output;
}

TEST_F(ReplayMainTest, UsageErrorsExitTwo) {
  const ShellRun r = Shell(std::string(KT_REPLAY_FIXTURE));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("ERROR: --tables DIR is required"), std::string::npos) << r.output;
  EXPECT_EQ(Replay("--bogus").exit_code, 2);
}

TEST_F(ReplayMainTest, DuplicateKernelNamesExitTwoWithBothLocations) {
  const ShellRun r = Shell(std::string(KT_REPLAY_DUPLICATE_FIXTURE) + " --tables " + dir_.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("ERROR: kernel \"fixture.twice\" is registered 2 times:"),
            std::string::npos)
      << r.output;
  // Both KT_KERNEL lines, wherever the fixture has them.
  const std::regex location(R"(replay_fixture_duplicate\.cc:(\d+))");
  std::vector<std::string> lines;
  for (std::sregex_iterator it(r.output.begin(), r.output.end(), location), end; it != end; ++it) {
    lines.push_back((*it)[1]);
  }
  ASSERT_EQ(lines.size(), 2u) << r.output;
  EXPECT_NE(lines[0], lines[1]);
}

}  // namespace
}  // namespace kt
