// Tests of replay planning and the per-row check: rows pass and fail exactly when they should, and
// a failure says expected vs actual and how to rerun the row. Depends on runner/replay.h,
// runner/kernel.h, POSIX and GoogleTest only.
#include "runner/replay.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runner/kernel.h"

namespace replay_test {

kt::result<int> Inc(std::int32_t a) {
  KT_OBSERVE("twice", 2 * a);
  if (a < 0) return std::make_error_code(std::errc::invalid_argument);
  return a + 1;
}

int CrashesOn(bool crash) {
  if (crash) ::raise(SIGSEGV);
  return 0;
}

int Hangs(bool hang) {
  while (hang) ::pause();
  return 0;
}

int Touch(bool write) {
  const kt::Workspace* ws = kt::CurrentWorkspace();
  KT_CHECK(ws != nullptr);
  if (write) std::ofstream(ws->Path("f")) << "x";
  return 0;
}

}  // namespace replay_test

namespace kt {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIncTable =
    "kerneltest-table 1\n"
    "kernel inc\n"
    "param a i32 type=\"std::int32_t\"\n"
    "rows a | outcome twice\n"
    "gen 1 | ok(2) 2\n"                     // line 5
    "gen -1 | error(generic:EINVAL) -2\n";  // line 6

class ReplayPlanTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string dir = (fs::temp_directory_path() / "kt-replay-XXXXXX").string();
    ASSERT_NE(::mkdtemp(dir.data()), nullptr);
    options_.tables_dir = dir;
    options_.program = "suite_replay";
    registry_.Add(internal::MakeKernelInfo("inc", &replay_test::Inc, "kernels.cc", 10));
  }
  void TearDown() override { fs::remove_all(options_.tables_dir); }

  void Write(const std::string& name, std::string_view text) {
    std::ofstream(options_.tables_dir / name) << text;
  }
  std::vector<ReplayTest> Plan() { return PlanReplay(registry_, options_); }
  static const ReplayTest* Find(const std::vector<ReplayTest>& tests, std::string_view full) {
    for (const ReplayTest& t : tests) {
      if (t.suite + "." + t.name == full) return &t;
    }
    return nullptr;
  }
  static std::vector<std::string> Names(const std::vector<ReplayTest>& tests) {
    std::vector<std::string> names;
    for (const ReplayTest& t : tests) names.push_back(t.suite + "." + t.name);
    return names;
  }

  Registry registry_;
  ReplayOptions options_;
};

TEST_F(ReplayPlanTest, EachRowIsATestAndMatchingRowsPass) {
  Write("inc.ktable", kIncTable);
  const std::vector<ReplayTest> tests = Plan();
  EXPECT_EQ(Names(tests), (std::vector<std::string>{"inc.table", "inc.row_1", "inc.row_2"}));
  for (const ReplayTest& t : tests) {
    const RowVerdict v = t.run();
    EXPECT_TRUE(v.passed) << t.name << ": " << v.message;
  }
  EXPECT_EQ(tests[1].file, (options_.tables_dir / "inc.ktable").string());
  EXPECT_EQ(tests[1].line, 5);
  EXPECT_EQ(tests[2].line, 6);
}

TEST_F(ReplayPlanTest, ADifferentOutcomeFailsWithExpectedActualAndTheRerunCommand) {
  std::string text(kIncTable);
  text.replace(text.find("ok(2)"), 5, "ok(3)");
  Write("inc.ktable", text);
  const std::vector<ReplayTest> tests = Plan();
  EXPECT_TRUE(Find(tests, "inc.row_2")->run().passed);
  const RowVerdict v = Find(tests, "inc.row_1")->run();
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("row 1 of inc (line 5) differs"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("call:     a=1\n"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("expected: ok(3)  twice=2\n"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("actual:   ok(2)  twice=2\n"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("- outcome: expected ok(3), got ok(2)\n"), std::string::npos);
  EXPECT_NE(v.message.find("rerun:    suite_replay --tables " + options_.tables_dir.string() +
                           " --gtest_filter=inc.row_1\n"),
            std::string::npos)
      << v.message;
}

TEST_F(ReplayPlanTest, ADifferentObservationFails) {
  std::string text(kIncTable);
  text.replace(text.find("ok(2) 2"), 7, "ok(2) 5");
  Write("inc.ktable", text);
  const RowVerdict v = Find(Plan(), "inc.row_1")->run();
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("- twice: expected 5, got 2"), std::string::npos) << v.message;
}

TEST_F(ReplayPlanTest, AnUnexpectedOrMissingObservationFails) {
  std::string text(kIncTable);
  text.replace(text.find("ok(2) 2"), 7, "ok(2) -");
  Write("inc.ktable", text);
  const RowVerdict v = Find(Plan(), "inc.row_1")->run();
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("- twice: not expected, got 2"), std::string::npos) << v.message;
}

TEST_F(ReplayPlanTest, AKernelWithoutATableFailsItsTableTest) {
  const std::vector<ReplayTest> tests = Plan();
  ASSERT_EQ(Names(tests), std::vector<std::string>{"inc.table"});
  const RowVerdict v = tests[0].run();
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "kernel \"inc\" (kernels.cc:10) has no table " +
                           (options_.tables_dir / "inc.ktable").string() + "; generate it");
}

TEST_F(ReplayPlanTest, ATableWithoutAKernelFailsUnlessAllowed) {
  Write("inc.ktable", kIncTable);
  std::string other(kIncTable);
  other.replace(other.find("kernel inc"), 10, "kernel gone");
  Write("gone.ktable", other);
  const std::vector<ReplayTest> tests = Plan();
  EXPECT_EQ(Names(tests),
            (std::vector<std::string>{"gone.table", "inc.table", "inc.row_1", "inc.row_2"}));
  const RowVerdict v = tests[0].run();
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, (options_.tables_dir / "gone.ktable").string() +
                           ": no kernel \"gone\" is registered in this binary");
  options_.check_orphan_tables = false;
  EXPECT_TRUE(Plan()[0].run().passed);
}

TEST_F(ReplayPlanTest, AMalformedTableFailsWithFileAndLineAndHasNoRows) {
  std::string text(kIncTable);
  text.replace(text.find("gen -1"), 6, "gen x");
  Write("inc.ktable", text);
  const std::vector<ReplayTest> tests = Plan();
  ASSERT_EQ(Names(tests), std::vector<std::string>{"inc.table"});
  const RowVerdict v = tests[0].run();
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, (options_.tables_dir / "inc.ktable").string() + ":6: a: bad integer 'x'");
}

TEST_F(ReplayPlanTest, ATableThatDoesNotFitTheSignatureFails) {
  Write("inc.ktable", "kerneltest-table 1\nkernel inc\nparam a bool\nrows a | outcome\n");
  const RowVerdict v = Plan()[0].run();
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("does not fit kernel \"inc\" (kernels.cc:10): parameter 1 (a): "
                           "column is bool but the parameter is int (int)"),
            std::string::npos)
      << v.message;
}

TEST_F(ReplayPlanTest, ATableMustBeNamedAfterItsKernel) {
  Write("renamed.ktable", kIncTable);
  const RowVerdict v = Plan()[0].run();
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("must be named inc.ktable"), std::string::npos) << v.message;
}

TEST_F(ReplayPlanTest, DuplicateKernelsFailWithBothLocations) {
  registry_.Add(internal::MakeKernelInfo("inc", &replay_test::Inc, "other.cc", 3));
  Write("inc.ktable", kIncTable);
  const std::vector<ReplayTest> tests = Plan();
  ASSERT_EQ(Names(tests), std::vector<std::string>{"inc.table"});
  EXPECT_EQ(tests[0].run().message,
            "kernel \"inc\" is registered twice: kernels.cc:10 and other.cc:3");
}

TEST_F(ReplayPlanTest, LeftoverTemporaryFilesAreNotTables) {
  Write("inc.ktable", kIncTable);
  Write(".inc.ktable.tmp-AbC123", "garbage");
  Write("notes.txt", "not a table");
  EXPECT_EQ(Plan().size(), 3u);
}

TEST_F(ReplayPlanTest, CrashRowsReplayInAChild) {
  registry_.Add(internal::MakeKernelInfo("crash", &replay_test::CrashesOn, "kernels.cc", 20));
  Write("crash.ktable",
        "kerneltest-table 1\nkernel crash\nparam c bool\nrows c | outcome\n"
        "gen false | ok(0)\npin true | crash(SIGSEGV)\n");
  for (const ReplayTest& t : Plan()) {
    if (t.suite == "crash") {
      EXPECT_TRUE(t.run().passed) << t.name;
    }
  }
}

TEST_F(ReplayPlanTest, AnUnexpectedCrashFailsTheRowWhenRowsAreForked) {
  registry_.Add(internal::MakeKernelInfo("crash", &replay_test::CrashesOn, "kernels.cc", 20));
  Write("crash.ktable",
        "kerneltest-table 1\nkernel crash\nparam c bool\nrows c | outcome\ngen true | ok(0)\n");
  options_.fork_every_row = true;
  const RowVerdict v = Find(Plan(), "crash.row_1")->run();
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("- outcome: expected ok(0), got crash(SIGSEGV)"), std::string::npos);
  EXPECT_NE(v.message.find("--fork --gtest_filter=crash.row_1"), std::string::npos) << v.message;
}

TEST_F(ReplayPlanTest, TimeoutRowsReplayInAChildWithTheConfiguredTimeout) {
  registry_.Add(internal::MakeKernelInfo("hang", &replay_test::Hangs, "kernels.cc", 30));
  Write("hang.ktable",
        "kerneltest-table 1\nkernel hang\nparam h bool\nrows h | outcome\ngen true | timeout()\n");
  options_.timeout = std::chrono::milliseconds(100);
  EXPECT_TRUE(Find(Plan(), "hang.row_1")->run().passed);
}

TEST_F(ReplayPlanTest, WorkspaceRowsCompareTheStateAfter) {
  registry_.Add(internal::MakeKernelInfo("touch", &replay_test::Touch, "kernels.cc", 40,
                                         Workspaces{{{"empty", {}}}}));
  Write("touch.ktable",
        "kerneltest-table 1\nkernel touch\nworkspace empty {}\nworkspace full {f=\"x\"}\n"
        "param w bool\nrows w workspace | outcome after\n"
        "gen false empty | ok(0) empty\n"
        "gen true empty | ok(0) {f=\"x\"}\n"
        "pin false full | ok(0) empty\n");
  const std::vector<ReplayTest> tests = Plan();
  const RowVerdict table = Find(tests, "touch.table")->run();
  ASSERT_TRUE(table.passed) << table.message;
  EXPECT_TRUE(Find(tests, "touch.row_1")->run().passed);
  EXPECT_TRUE(Find(tests, "touch.row_2")->run().passed);
  const RowVerdict v = Find(tests, "touch.row_3")->run();
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("- after: expected {}, got {f=\"x\"}"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("call:     w=false  workspace=full"), std::string::npos) << v.message;
}

TEST_F(ReplayPlanTest, WorkspacesOnOneSideOnlyDoNotFit) {
  registry_.Add(internal::MakeKernelInfo("touch", &replay_test::Touch, "kernels.cc", 40,
                                         Workspaces{{{"empty", {}}}}));
  Write("touch.ktable", "kerneltest-table 1\nkernel touch\nparam w bool\nrows w | outcome\n");
  const RowVerdict v = Find(Plan(), "touch.table")->run();
  EXPECT_NE(v.message.find("the kernel has workspace templates, the table none"), std::string::npos)
      << v.message;
}

TEST(ReplayNamesTest, SuiteNamesKeepOnlyWhatGoogleTestFiltersAccept) {
  EXPECT_EQ(TestSuiteName("dma.map_two"), "dma.map_two");
  EXPECT_EQ(TestSuiteName("fs:create-file*"), "fs_create_file_");
  EXPECT_EQ(TestSuiteName(""), "_");
}

TEST(ReplayFlagsTest, ParsesTheReplayFlags) {
  const char* argv[] = {
      "bin", "--tables", "t", "--timeout_ms", "250", "--fork", "--allow_orphan_tables"};
  const Expected<ReplayOptions> o = ParseReplayFlags(7, argv);
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o.value().tables_dir, "t");
  EXPECT_EQ(o.value().program, "bin");
  EXPECT_EQ(o.value().timeout, std::chrono::milliseconds(250));
  EXPECT_TRUE(o.value().fork_every_row);
  EXPECT_FALSE(o.value().check_orphan_tables);
  const char* eq[] = {"bin", "--tables=dir"};
  EXPECT_EQ(ParseReplayFlags(2, eq).value().tables_dir, "dir");
}

TEST(ReplayFlagsTest, RejectsMissingOrUnknownFlags) {
  const char* none[] = {"bin"};
  EXPECT_EQ(ParseReplayFlags(1, none).error().message, "--tables DIR is required");
  const char* unknown[] = {"bin", "--tables", "t", "--colour"};
  EXPECT_EQ(ParseReplayFlags(4, unknown).error().message, "unknown or incomplete flag '--colour'");
  const char* bad_timeout[] = {"bin", "--tables", "t", "--timeout_ms", "1s"};
  EXPECT_EQ(ParseReplayFlags(5, bad_timeout).error().code, make_error_code(ReplayError::kUsage));
  const char* dangling[] = {"bin", "--tables"};
  EXPECT_FALSE(ParseReplayFlags(2, dangling).has_value());
}

}  // namespace
}  // namespace kt
