// Tests of the driver's output: the lines of each result, the progress bar, printing in
// kernel order whatever order results arrive in, the JSON document and the exit code.
#include "permuter/driver/output.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace kt::driver {
namespace {

KernelResult Result(std::string kernel, KernelStatus status) {
  KernelResult r;
  r.kernel = std::move(kernel);
  r.status = status;
  r.table = "tables/" + r.kernel + ".ktable";
  r.stats.executions = 120;
  r.stats.edges_reached = 17;
  r.stats.edges_reachable = 20;
  r.rows = 6;
  return r;
}

// `r` as check leaves it once the checked-in rows ran.
KernelResult WithCoverage(KernelResult r, report::EdgeFigures now, report::EdgeFigures recorded) {
  r.coverage = CoverageFigures{now, recorded};
  return r;
}

TEST(OutputTest, EachStatusPrintsItsTaggedLines) {
  struct Case {
    KernelStatus status;
    Command command;
    const char* lines;
  };
  const Case cases[] = {
      {KernelStatus::kWritten, Command::kGenerate,
       "INFO: kernel k: 120 executions, 6 rows, edges 17/20 (85.0%); wrote tables/k.ktable\n"},
      {KernelStatus::kUnchanged, Command::kGenerate,
       "INFO: kernel k: 120 executions, 6 rows, edges 17/20 (85.0%); tables/k.ktable "
       "unchanged\n"},
      {KernelStatus::kOk, Command::kCheck,
       "INFO: kernel k: 120 executions, 6 rows; table up to date\n"
       "INFO: coverage k edges 17/20 (85.0%), table records 17/20 (85.0%)\n"},
      // report prints every kernel's figures in one table afterwards.
      {KernelStatus::kOk, Command::kReport, ""},
      {KernelStatus::kStale, Command::kCheck,
       "INFO: kernel k: 120 executions, 6 rows\n"
       "INFO: coverage k edges 17/20 (85.0%), table records 17/20 (85.0%)\n"
       "ERROR: kernel k: tables/k.ktable is stale; run `hello_kt generate --kernel k` and "
       "commit the diff:\n--- a\n+++ b\n"},
  };
  for (const Case& c : cases) {
    KernelResult r = Result("k", c.status);
    if (c.command != Command::kGenerate) r = WithCoverage(std::move(r), {17, 20}, {17, 20});
    if (c.status == KernelStatus::kStale) r.diff = "--- a\n+++ b\n";
    EXPECT_EQ(FormatResultLines(r, c.command, "hello_kt"), c.lines) << ToString(c.status);
  }
}

TEST(OutputTest, ProblemsNameTheKernelAndWhatToDo) {
  KernelResult missing = Result("k", KernelStatus::kMissing);
  missing.message = "kernel \"k\" (k.cc:3) has no table tables/k.ktable";
  EXPECT_EQ(FormatResultLines(missing, Command::kCheck, "hello_kt"),
            "ERROR: kernel \"k\" (k.cc:3) has no table tables/k.ktable; run `hello_kt generate "
            "--kernel k`\n");
  EXPECT_EQ(FormatResultLines(missing, Command::kReport, "hello_kt").rfind("WARNING: ", 0), 0u);

  KernelResult error = Result("k", KernelStatus::kError);
  error.message = "seeds/k.json: cannot read the seeder's document";
  EXPECT_EQ(FormatResultLines(error, Command::kGenerate, "hello_kt"),
            "ERROR: kernel k: seeds/k.json: cannot read the seeder's document\n");

  KernelResult unsettled = Result("k", KernelStatus::kWritten);
  unsettled.message = "the rows did not settle";
  EXPECT_NE(FormatResultLines(unsettled, Command::kGenerate, "hello_kt")
                .find("WARNING: kernel k: the rows did not settle\n"),
            std::string::npos);
}

TEST(OutputTest, AFindingPrintsItsOutcomeReproducerAndDetail) {
  KernelResult r = Result("k", KernelStatus::kFinding);
  r.finding = FindingReport{"crash(SIGSEGV)", "x=7", "x=1000", "SEGV at 0x0\nframe #0"};
  EXPECT_EQ(FormatResultLines(r, Command::kGenerate, "hello_kt"),
            "FINDING: kernel k: crash(SIGSEGV)\n"
            "FINDING: reproducer: x=7\n"
            "INFO: kernel k: first seen as x=1000\n"
            "  SEGV at 0x0\n"
            "  frame #0\n"
            "INFO: kernel k: table not written\n");
}

TEST(OutputTest, ProgressBarFillsWithFinishedKernels) {
  EXPECT_EQ(FormatProgressBar(2, 4, "hello.greet", 1234, 17, 9),
            "[=====     ] 2/4  hello.greet  1234 executions  17 edges  9 rows done");
  EXPECT_EQ(FormatProgressBar(0, 3, "a", 0, 0, 0),
            "[          ] 0/3  a  0 executions  0 edges  0 rows done");
}

// Runs `fn` with a printer writing to a memory stream and returns what it printed.
template <class Fn>
std::string Printed(RunPrinter::Config config, std::vector<std::string> kernels, Fn fn,
                    int* exit_code) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  {
    RunPrinter printer(out, std::move(config), std::move(kernels));
    fn(printer);
    *exit_code = printer.Finish();
  }
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST(OutputTest, ResultsPrintInKernelOrderWhateverOrderTheyArriveIn) {
  const auto run = [](std::vector<std::size_t> order) {
    int exit_code = 0;
    const std::string text = Printed(
        {Command::kCheck, "s", "s_kt", "tables", false, false}, {"a", "b", "c"},
        [&](RunPrinter& p) {
          for (const std::size_t i : order) {
            p.Progress(i, 5, 1);
            p.Done(i, Result(std::string(1, static_cast<char>('a' + i)), KernelStatus::kOk));
          }
        },
        &exit_code);
    EXPECT_EQ(exit_code, 0);
    return text;
  };
  const std::string in_order = run({0, 1, 2});
  EXPECT_EQ(run({2, 0, 1}), in_order);
  EXPECT_EQ(run({1, 2, 0}), in_order);
  EXPECT_LT(in_order.find("kernel a:"), in_order.find("kernel b:"));
  EXPECT_NE(in_order.find("INFO: check: 3 kernels: 3 ok; 0 with coverage dropped; 0 orphan "
                          "tables\n"),
            std::string::npos);
}

// The rows reaching fewer edges than the header records fails check, even with a table
// that is otherwise up to date; report shows the same figures without failing.
TEST(OutputTest, ACoverageDropFailsCheckWithItsLineButNotReport) {
  struct Case {
    Command command;
    report::EdgeFigures now;
    int exit_code;
    const char* line;
  };
  const Case kCases[] = {
      {Command::kCheck, {17, 20}, 0,
       "INFO: coverage k edges 17/20 (85.0%), table records 17/20 (85.0%)\n"},
      {Command::kCheck, {16, 20}, 1,
       "ERROR: coverage k dropped: edges 16/20 (80.0%), table records 17/20 (85.0%)\n"},
      // The same edges reached of more reachable ones: the code grew, the table did not.
      {Command::kCheck, {17, 24}, 1,
       "ERROR: coverage k dropped: edges 17/24 (70.8%), table records 17/20 (85.0%)\n"},
      {Command::kReport, {16, 20}, 0, ""},
  };
  for (const Case& c : kCases) {
    int exit_code = -1;
    const std::string text = Printed(
        {c.command, "s", "s_kt", "tables", false, false}, {"k"},
        [&](RunPrinter& p) {
          p.Done(0, WithCoverage(Result("k", KernelStatus::kOk), c.now, {17, 20}));
        },
        &exit_code);
    EXPECT_EQ(exit_code, c.exit_code) << c.line;
    if (c.line[0] != '\0') EXPECT_NE(text.find(c.line), std::string::npos) << text;
    if (c.exit_code != 0) {
      EXPECT_NE(text.find("1 with coverage dropped"), std::string::npos) << text;
    }
  }
}

TEST(OutputTest, ExitCodeIsTheWorstOfTheKernelsAndOrphansFailOnlyCheck) {
  struct Case {
    Command command;
    KernelStatus status;
    bool orphan;
    int exit_code;
  };
  constexpr Case kCases[] = {
      {Command::kCheck, KernelStatus::kOk, false, 0},
      {Command::kCheck, KernelStatus::kOk, true, 1},
      {Command::kGenerate, KernelStatus::kWritten, true, 0},
      {Command::kCheck, KernelStatus::kStale, false, 1},
      {Command::kCheck, KernelStatus::kMissing, false, 1},
      {Command::kGenerate, KernelStatus::kFinding, false, 1},
      {Command::kCheck, KernelStatus::kMalformed, false, 1},
      {Command::kGenerate, KernelStatus::kMalformed, false, 2},
      {Command::kCheck, KernelStatus::kError, true, 2},
  };
  for (const Case& c : kCases) {
    int exit_code = -1;
    const std::string text = Printed(
        {c.command, "s", "s_kt", "tables", false, false}, {"a", "b"},
        [&](RunPrinter& p) {
          p.Done(0, Result("a", c.command == Command::kGenerate ? KernelStatus::kUnchanged
                                                                : KernelStatus::kOk));
          KernelResult b = Result("b", c.status);
          if (c.status == KernelStatus::kFinding) {
            b.finding = FindingReport{"crash(SIGSEGV)", "x=1", "x=1", ""};
          }
          p.Done(1, std::move(b));
          if (c.orphan) p.SetOrphans({"tables/gone.ktable"});
        },
        &exit_code);
    EXPECT_EQ(exit_code, c.exit_code) << ToString(c.status) << " orphan=" << c.orphan;
    if (c.orphan) {
      const char* tag = c.command == Command::kCheck ? "ERROR: " : "WARNING: ";
      EXPECT_NE(text.find(std::string(tag) + "tables/gone.ktable is a table without a kernel"),
                std::string::npos)
          << text;
    }
  }
}

TEST(OutputTest, JsonIsOneDocumentWithEveryKernelAndTheExitCode) {
  int exit_code = 0;
  const std::string text = Printed(
      {Command::kCheck, "s", "s_kt", "tables", true, false}, {"a", "b"},
      [&](RunPrinter& p) {
        p.Done(1, Result("b", KernelStatus::kStale));
        p.Done(0, Result("a", KernelStatus::kOk));
        p.SetOrphans({"tables/gone.ktable"});
      },
      &exit_code);
  EXPECT_EQ(exit_code, 1);
  const Expected<JsonValue> doc = ParseJson(text);
  ASSERT_TRUE(doc.has_value()) << doc.error().message << "\n" << text;
  EXPECT_EQ(doc.value().Find("command")->text(), "check");
  ASSERT_EQ(doc.value().Find("kernels")->items().size(), 2u);
  const std::optional<KernelResult> first =
      KernelResultFromJson(doc.value().Find("kernels")->items()[0]);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->kernel, "a");
  EXPECT_EQ(first->stats, Result("a", KernelStatus::kOk).stats);
  EXPECT_EQ(doc.value().Find("orphan_tables")->items()[0].text(), "tables/gone.ktable");
  EXPECT_EQ(doc.value().Find("exit_code")->AsUint64(), 1u);
}

TEST(OutputTest, KernelResultsRoundTripThroughJson) {
  KernelResult r = Result("k", KernelStatus::kFinding);
  r.finding = FindingReport{"check-failed(x at k.cc:1)", "x=1", "x=9", "stderr \xff"};
  r.diff = "--- a\n";
  r.message = "m";
  r.searches = 2;
  r.stats.exhaustive = true;
  r = WithCoverage(std::move(r), {16, 21}, {17, 20});
  r.row_edges = {{"row_1", {3, 4, 9}}, {"row_3", {}}};
  JsonWriter w;
  WriteKernelResult(r, w);
  const Expected<JsonValue> json = ParseJson(w.Take());
  ASSERT_TRUE(json.has_value()) << json.error().message;
  const std::optional<KernelResult> back = KernelResultFromJson(json.value());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->kernel, r.kernel);
  EXPECT_EQ(back->status, r.status);
  EXPECT_EQ(back->stats, r.stats);
  EXPECT_EQ(back->rows, r.rows);
  EXPECT_EQ(back->searches, 2u);
  EXPECT_EQ(back->diff, r.diff);
  ASSERT_TRUE(back->finding.has_value());
  EXPECT_EQ(back->finding->reproducer, "x=1");
  EXPECT_EQ(back->finding->detail, "stderr \xef\xbf\xbd") << "a stray byte becomes U+FFFD";
  ASSERT_TRUE(back->coverage.has_value());
  EXPECT_EQ(back->coverage->now, (report::EdgeFigures{16, 21}));
  EXPECT_EQ(back->coverage->recorded, (report::EdgeFigures{17, 20}));
  ASSERT_EQ(back->row_edges.size(), 2u);
  EXPECT_EQ(back->row_edges[0].label, "row_1");
  EXPECT_EQ(back->row_edges[0].edges, (std::vector<std::uint32_t>{3, 4, 9}));
  EXPECT_TRUE(back->row_edges[1].edges.empty());
  EXPECT_FALSE(KernelResultFromJson(ParseJson("{\"kernel\": \"k\"}").value()).has_value());
}

}  // namespace
}  // namespace kt::driver
