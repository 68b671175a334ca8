// End to end: the driver over instrumented fixture kernels in a scratch directory. Generate
// then check, byte-identical regeneration, stale tables with their diff, missing and orphan
// tables, findings, exit codes, --json and --jobs determinism.
#include "permuter/driver/driver.h"

#include <stdlib.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "permuter/driver/driver_test_kernels.h"
#include "permuter/driver/json.h"
#include "runner/table.h"

namespace kt::driver {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKernelsFile = "permuter/driver/driver_test_kernels.cc";
constexpr const char* kBudget = "3000";

std::string IntParam(const char* name, const char* lo, const char* hi) {
  return std::string("{\"name\": \"") + name +
         "\", \"type\": \"int\", \"kind\": \"int\", \"bits\": 32, \"signed\": true, "
         "\"range\": [\"" + lo + "\", \"" + hi + "\"], \"range_source\": \"kt_range\"}";
}

std::string Constant(const char* value) {
  return std::string("{\"value\": \"") + value +
         "\", \"bits\": 32, \"signed\": true, \"kind\": \"compare\", \"origin\": \"t.cc:1\"}";
}

// A seeder document as ast_seeder writes it (docs/seeder-json.md).
std::string SeedDoc(const std::string& kernel, const std::string& params,
                    const std::string& constants) {
  return "{\"format\": \"kerneltest.seeder.v1\", \"kernel\": \"" + kernel +
         "\", \"function\": \"f\", \"source\": \"" + kKernelsFile + "\", \"line\": 1, " +
         "\"return\": {\"type\": \"int\", \"kind\": \"value\", \"value_type\": \"int\"}, " +
         "\"call_depth\": 3, \"params\": [" + params + "], \"constants\": [" + constants + "]}\n";
}

const std::string kShadeParam =
    "{\"name\": \"shade\", \"type\": \"kt::driver::testing::Shade\", \"kind\": \"enum\", "
    "\"bits\": 8, \"signed\": false, \"range\": [\"0\", \"255\"], \"range_source\": \"type\", "
    "\"underlying\": \"uint8_t\", \"flags\": \"none\", \"enumerators\": ["
    "{\"name\": \"kt::driver::testing::Shade::kLight\", \"value\": \"0\"}, "
    "{\"name\": \"kt::driver::testing::Shade::kDark\", \"value\": \"1\"}]}";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The 1-based number of the first line of `file` (relative to the repository) holding `text`.
int LineOf(const std::string& file, const std::string& text) {
  std::ifstream in(fs::path(KT_SOURCE_ROOT) / file);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find(text) != std::string::npos) return number;
  }
  return 0;
}

struct DriverRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class DriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kt_driver_test_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    tables_ = dir_ / "tables";
    seeds_ = dir_ / "seeds";
    fs::create_directories(seeds_);
    WriteFile(seeds_ / "fixture.classify.json",
              SeedDoc("fixture.classify", IntParam("x", "-50", "50") + ", " + kShadeParam,
                      Constant("0") + ", " + Constant("42")));
    WriteFile(seeds_ / "fixture.divide.json",
              SeedDoc("fixture.divide", IntParam("a", "0", "9") + ", " + IntParam("b", "0", "3"),
                      Constant("0")));
    WriteFile(seeds_ / "fixture.check.json",
              SeedDoc("fixture.check", IntParam("x", "0", "100"), Constant("77")));
    kernels_.Add(kt::internal::MakeKernelInfo("fixture.classify", &testing::Classify,
                                              kKernelsFile, 10));
    kernels_.Add(kt::internal::MakeKernelInfo("fixture.divide", &testing::Divide,
                                              kKernelsFile, 20));
    finding_.Add(kt::internal::MakeKernelInfo("fixture.check", &testing::CheckNot77,
                                              kKernelsFile, 30));
  }

  void TearDown() override { fs::remove_all(dir_); }

  // Runs the driver in-process on `registry` with this test's directories as defaults.
  DriverRun Driver(std::vector<std::string> args, const Registry* registry = nullptr) {
    const SuiteDefaults defaults{"fixture", tables_, seeds_, "", 0};
    std::vector<const char*> argv{"fixture_kt"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    char* out_buf = nullptr;
    char* err_buf = nullptr;
    std::size_t out_size = 0, err_size = 0;
    std::FILE* out = open_memstream(&out_buf, &out_size);
    std::FILE* err = open_memstream(&err_buf, &err_size);
    DriverRun run;
    run.exit_code = RunDriver(argv, registry ? *registry : kernels_, defaults, out, err);
    std::fclose(out);
    std::fclose(err);
    run.out.assign(out_buf, out_size);
    run.err.assign(err_buf, err_size);
    std::free(out_buf);
    std::free(err_buf);
    return run;
  }

  DriverRun Generate(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"generate", "--budget", kBudget};
    args.insert(args.end(), extra.begin(), extra.end());
    return Driver(args);
  }

  fs::path Table(const std::string& kernel) const { return tables_ / (kernel + ".ktable"); }

  fs::path dir_, tables_, seeds_;
  Registry kernels_;
  Registry finding_;
};

TEST_F(DriverTest, GenerateWritesEveryTableAndCheckThenPasses) {
  const DriverRun gen = Generate();
  ASSERT_EQ(gen.exit_code, 0) << gen.out << gen.err;
  EXPECT_TRUE(fs::exists(Table("fixture.classify")));
  EXPECT_TRUE(fs::exists(Table("fixture.divide")));
  EXPECT_NE(gen.out.find("INFO: kernel fixture.classify: "), std::string::npos) << gen.out;
  EXPECT_NE(gen.out.find("; wrote " + Table("fixture.divide").string()), std::string::npos);
  const DriverRun check = Driver({"check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("kernel fixture.classify: "), std::string::npos);
  EXPECT_NE(check.out.find("table up to date"), std::string::npos) << check.out;
  // The magic branch was found: some row is a dark 42.
  const Expected<kt::Table> t = ReadTable(Table("fixture.classify"));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_TRUE(std::any_of(t.value().rows.begin(), t.value().rows.end(), [](const Row& r) {
    return r.values[0] == Value::Int(Integer(42)) && r.values[1] == Value::Enum(Integer(1));
  }));
  EXPECT_EQ(t.value().kernel.source_file, kKernelsFile);
}

// Generate searches until the rows settle, each search in a worker of its own, as check's
// one search is: a worker reused across searches has run the code's once-per-process
// initialisation already, so its last search would record what a fresh process never does
// and check would call the table stale.
TEST_F(DriverTest, EachSearchOfGenerateStartsInAFreshProcessAsCheckDoes) {
  WriteFile(seeds_ / "fixture.once.json", SeedDoc("fixture.once", IntParam("x", "0", "3"), ""));
  Registry once;
  once.Add(kt::internal::MakeKernelInfo("fixture.once", &testing::OncePerProcess, kKernelsFile,
                                        40));
  const DriverRun gen = Driver({"generate", "--budget", kBudget}, &once);
  ASSERT_EQ(gen.exit_code, 0) << gen.out << gen.err;
  const Expected<kt::Table> t = ReadTable(Table("fixture.once"));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  // Exactly one row ran first in its process: the table's first, as in every search.
  const auto first = std::count_if(t.value().rows.begin(), t.value().rows.end(), [](const Row& r) {
    return r.expected.text.starts_with("ok(10");
  });
  EXPECT_EQ(first, 1) << ReadFile(Table("fixture.once"));
  const DriverRun check = Driver({"check"}, &once);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("table up to date"), std::string::npos) << check.out;
}

TEST_F(DriverTest, RegeneratingGivesByteIdenticalTablesAndLeavesTheFilesAlone) {
  ASSERT_EQ(Generate().exit_code, 0);
  const std::string first = ReadFile(Table("fixture.classify"));
  const auto mtime = fs::last_write_time(Table("fixture.classify"));
  const DriverRun again = Generate();
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find(Table("fixture.classify").string() + " unchanged"), std::string::npos)
      << again.out;
  EXPECT_EQ(ReadFile(Table("fixture.classify")), first);
  EXPECT_EQ(fs::last_write_time(Table("fixture.classify")), mtime);
}

TEST_F(DriverTest, CheckFailsWithAUnifiedDiffWhenARowNoLongerMatches) {
  ASSERT_EQ(Generate().exit_code, 0);
  Expected<kt::Table> t = ReadTable(Table("fixture.divide"));
  ASSERT_TRUE(t.has_value());
  t.value().rows[0].expected.text = "ok(12345)";  // what the kernel used to return, say
  ASSERT_TRUE(WriteTable(Table("fixture.divide"), t.value()).has_value());
  const DriverRun check = Driver({"check"});
  EXPECT_EQ(check.exit_code, 1) << check.out;
  const std::string path = Table("fixture.divide").string();
  EXPECT_NE(check.out.find("ERROR: kernel fixture.divide: " + path + " is stale; run "
                           "`fixture_kt generate --kernel fixture.divide`"),
            std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("--- " + path + "\n+++ " + path + " (regenerated)\n@@ "),
            std::string::npos)
      << check.out;
  const std::size_t removed = check.out.find("\n-gen");
  ASSERT_NE(removed, std::string::npos) << check.out;
  EXPECT_NE(check.out.find("ok(12345)", removed), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("\n+gen"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("table up to date"), std::string::npos) << "classify is fresh";
}

TEST_F(DriverTest, CheckReportsKernelsWithoutTablesAndTablesWithoutKernels) {
  ASSERT_EQ(Generate({"--kernel", "fixture.classify"}).exit_code, 0);
  fs::copy_file(Table("fixture.classify"), tables_ / "fixture.gone.ktable");
  WriteFile(tables_ / ".fixture.tmp-123.ktable", "an interrupted write, ignored\n");
  const DriverRun check = Driver({"check"});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.out.find("ERROR: kernel \"fixture.divide\" (" + std::string(kKernelsFile) +
                           ":20) has no table " + Table("fixture.divide").string()),
            std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("ERROR: " + (tables_ / "fixture.gone.ktable").string() +
                           " is a table without a kernel"),
            std::string::npos)
      << check.out;
  EXPECT_EQ(check.out.find(".fixture.tmp"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("1 missing"), std::string::npos);
  EXPECT_NE(check.out.find("1 orphan tables"), std::string::npos);

  const DriverRun only = Driver({"check", "--kernel", "fixture.classify"});
  EXPECT_EQ(only.exit_code, 0) << "with --kernel no other table is in question\n" << only.out;
  const DriverRun gen = Generate();
  EXPECT_EQ(gen.exit_code, 0) << "an orphan is a warning for generate\n" << gen.out;
  EXPECT_NE(gen.out.find("WARNING: " + (tables_ / "fixture.gone.ktable").string()),
            std::string::npos);
}

TEST_F(DriverTest, AFindingExitsOneWithTheShrunkReproducerAndWritesNothing) {
  const DriverRun gen = Driver({"generate", "--budget", kBudget}, &finding_);
  EXPECT_EQ(gen.exit_code, 1) << gen.out << gen.err;
  EXPECT_NE(gen.out.find("FINDING: kernel fixture.check: check-failed(x != 77 at "
                         "driver_test_kernels.cc:"),
            std::string::npos)
      << gen.out;
  EXPECT_NE(gen.out.find("FINDING: reproducer: x=77\n"), std::string::npos) << gen.out;
  EXPECT_FALSE(fs::exists(Table("fixture.check")));
}

TEST_F(DriverTest, UsageAndSetupErrorsExitTwoNamingTheProblem) {
  const DriverRun html_for_check = Driver({"check", "--html", "x.html"});
  EXPECT_EQ(html_for_check.exit_code, 2);
  EXPECT_EQ(html_for_check.err.rfind("ERROR: --html applies to report only\n", 0), 0u)
      << html_for_check.err;
  const DriverRun unwritable =
      Driver({"report", "--html", (dir_ / "no" / "such" / "dir.html").string()});
  EXPECT_EQ(unwritable.exit_code, 2);
  EXPECT_NE(unwritable.out.find("ERROR: --html " + (dir_ / "no" / "such" / "dir.html").string() +
                                ": cannot write"),
            std::string::npos)
      << unwritable.out;

  const DriverRun bad_flag = Driver({"check", "--frobnicate"});
  EXPECT_EQ(bad_flag.exit_code, 2);
  EXPECT_EQ(bad_flag.err.rfind("ERROR: unknown flag '--frobnicate'\nusage: fixture_kt", 0), 0u)
      << bad_flag.err;
  const DriverRun bad_kernel = Driver({"check", "--kernel", "fixture.nope"});
  EXPECT_EQ(bad_kernel.exit_code, 2);
  EXPECT_NE(bad_kernel.err.find("--kernel: no kernel named 'fixture.nope' in this binary "
                                "(kernels: fixture.classify, fixture.divide)"),
            std::string::npos)
      << bad_kernel.err;

  fs::remove(seeds_ / "fixture.divide.json");
  const DriverRun no_seeds = Generate();
  EXPECT_EQ(no_seeds.exit_code, 2);
  EXPECT_NE(no_seeds.out.find("ERROR: kernel fixture.divide: " +
                              (seeds_ / "fixture.divide.json").string() +
                              ": cannot read the seeder's document"),
            std::string::npos)
      << no_seeds.out;
  EXPECT_TRUE(fs::exists(Table("fixture.classify"))) << "the other kernels still run";

  WriteFile(seeds_ / "fixture.divide.json",
            SeedDoc("fixture.divide", IntParam("a", "0", "9"), Constant("0")));
  const DriverRun old_seeds = Driver({"check"});
  EXPECT_EQ(old_seeds.exit_code, 2);
  EXPECT_NE(old_seeds.out.find("the seeds have 1 parameters, the kernel 2; rebuild to reseed"),
            std::string::npos)
      << old_seeds.out;

  Registry twice;
  twice.Add(kt::internal::MakeKernelInfo("fixture.divide", &testing::Divide, "a.cc", 1));
  twice.Add(kt::internal::MakeKernelInfo("fixture.divide", &testing::Divide, "b.cc", 2));
  const DriverRun duplicate = Driver({"list"}, &twice);
  EXPECT_EQ(duplicate.exit_code, 2);
  EXPECT_NE(duplicate.err.find("a.cc:1"), std::string::npos) << duplicate.err;
}

TEST_F(DriverTest, AMalformedTableFailsCheckAndStopsGenerateFromOverwritingIt) {
  ASSERT_EQ(Generate().exit_code, 0);
  const std::string broken = "kerneltest-table 1\nkernel fixture.divide\nparam\n";
  WriteFile(Table("fixture.divide"), broken);
  const DriverRun check = Driver({"check"});
  EXPECT_EQ(check.exit_code, 1) << check.out;
  EXPECT_NE(check.out.find("ERROR: " + Table("fixture.divide").string() + ":3: "),
            std::string::npos)
      << check.out;
  const DriverRun gen = Generate();
  EXPECT_EQ(gen.exit_code, 2) << gen.out;
  EXPECT_NE(gen.out.find("generate does not overwrite a table it cannot read"), std::string::npos);
  EXPECT_EQ(ReadFile(Table("fixture.divide")), broken);
}

TEST_F(DriverTest, PinnedRowsAndTheirCommentsSurviveRegeneration) {
  ASSERT_EQ(Generate().exit_code, 0);
  Expected<kt::Table> t = ReadTable(Table("fixture.divide"));
  ASSERT_TRUE(t.has_value());
  // A call set the generated rows do not have, added by hand as a regression row.
  Row pin;
  pin.pinned = true;
  for (int a = 9; a >= 0 && pin.values.empty(); --a) {
    for (int b = 3; b >= 1 && pin.values.empty(); --b) {
      const std::vector<Value> values = {Value::Int(Integer(a)), Value::Int(Integer(b))};
      if (std::none_of(t.value().rows.begin(), t.value().rows.end(),
                       [&](const Row& r) { return r.values == values; })) {
        pin.values = values;
      }
    }
  }
  ASSERT_FALSE(pin.values.empty());
  const std::int64_t a = static_cast<std::int64_t>(pin.values[0].as_integer().bits());
  const std::int64_t b = static_cast<std::int64_t>(pin.values[1].as_integer().bits());
  pin.expected.text = "ok(-1)";  // wrong on purpose: regeneration records what the kernel does
  pin.comments = {" regression: a / b"};
  t.value().rows.push_back(pin);
  ASSERT_TRUE(WriteTable(Table("fixture.divide"), t.value()).has_value());
  ASSERT_EQ(Generate().exit_code, 0);
  const std::string text = ReadFile(Table("fixture.divide"));
  const std::size_t comment = text.find("# regression: a / b\npin ");
  ASSERT_NE(comment, std::string::npos) << text;
  const std::size_t end = text.find('\n', text.find("pin ", comment));
  const std::string line = text.substr(comment, end - comment);
  EXPECT_NE(line.find("ok(" + std::to_string(a / b) + ")"), std::string::npos) << line;
  EXPECT_EQ(Driver({"check"}).exit_code, 0);
}

TEST_F(DriverTest, JobsChangeNeitherTheTablesNorTheOutput) {
  const DriverRun serial = Generate({"--jobs", "1"});
  ASSERT_EQ(serial.exit_code, 0);
  const std::string classify = ReadFile(Table("fixture.classify"));
  const std::string divide = ReadFile(Table("fixture.divide"));
  fs::remove_all(tables_);
  const DriverRun parallel = Generate({"--jobs", "3"});
  ASSERT_EQ(parallel.exit_code, 0);
  EXPECT_EQ(parallel.out, serial.out);
  EXPECT_EQ(ReadFile(Table("fixture.classify")), classify);
  EXPECT_EQ(ReadFile(Table("fixture.divide")), divide);

  Expected<kt::Table> t = ReadTable(Table("fixture.classify"));
  ASSERT_TRUE(t.has_value());
  t.value().rows.pop_back();
  ASSERT_TRUE(WriteTable(Table("fixture.classify"), t.value()).has_value());
  const DriverRun check1 = Driver({"check", "--jobs", "1"});
  const DriverRun check2 = Driver({"check", "--jobs", "2"});
  EXPECT_EQ(check1.exit_code, 1);
  EXPECT_EQ(check2.exit_code, 1);
  EXPECT_EQ(check1.out, check2.out);
  const DriverRun json1 = Driver({"check", "--json", "-j", "1"});
  const DriverRun json2 = Driver({"check", "--json", "-j", "2"});
  EXPECT_EQ(json1.out, json2.out);
}

TEST_F(DriverTest, JsonIsOneDocumentWithEachKernelsFigures) {
  ASSERT_EQ(Generate().exit_code, 0);
  const DriverRun check = Driver({"check", "--json"});
  EXPECT_EQ(check.exit_code, 0);
  const Expected<JsonValue> doc = ParseJson(check.out);
  ASSERT_TRUE(doc.has_value()) << doc.error().message << "\n" << check.out;
  EXPECT_EQ(doc.value().Find("command")->text(), "check");
  const std::vector<JsonValue>& kernels = doc.value().Find("kernels")->items();
  ASSERT_EQ(kernels.size(), 2u);
  EXPECT_EQ(kernels[0].Find("kernel")->text(), "fixture.classify");
  EXPECT_EQ(kernels[0].Find("status")->text(), "ok");
  EXPECT_GT(kernels[0].Find("edges_reached")->AsUint64().value_or(0), 0u);
  EXPECT_GT(kernels[0].Find("rows")->AsUint64().value_or(0), 0u);
  EXPECT_EQ(doc.value().Find("exit_code")->AsUint64(), 0u);
}

// The figures a kernel's table header records are the ones check and report compute from
// the same rows, so a fresh table is never "dropped" and the report agrees with the file.
TEST_F(DriverTest, GenerateCheckAndReportAgreeOnEveryKernelsEdgeFigures) {
  ASSERT_EQ(Generate().exit_code, 0);
  const DriverRun check = Driver({"check", "--json"});
  ASSERT_EQ(check.exit_code, 0) << check.out;
  const DriverRun report = Driver({"report", "--json"});
  ASSERT_EQ(report.exit_code, 0) << report.out << report.err;
  const Expected<JsonValue> checked = ParseJson(check.out);
  const Expected<JsonValue> reported = ParseJson(report.out);
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  ASSERT_TRUE(reported.has_value()) << reported.error().message << "\n" << report.out;
  const std::vector<JsonValue>& check_kernels = checked.value().Find("kernels")->items();
  const std::vector<JsonValue>& report_kernels = reported.value().Find("kernels")->items();
  ASSERT_EQ(check_kernels.size(), 2u);
  ASSERT_EQ(report_kernels.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string name = report_kernels[i].Find("name")->text();
    const Expected<kt::Table> table = ReadTable(Table(name));
    ASSERT_TRUE(table.has_value()) << name;
    const std::uint64_t reached = table.value().stats.edges_reached;
    const std::uint64_t reachable = table.value().stats.edges_reachable;
    EXPECT_GT(reached, 0u) << name;
    EXPECT_LE(reached, reachable) << name;
    const JsonValue& edges = *report_kernels[i].Find("edges");
    EXPECT_EQ(edges.Find("reached")->AsUint64(), reached) << name;
    EXPECT_EQ(edges.Find("reachable")->AsUint64(), reachable) << name;
    EXPECT_EQ(check_kernels[i].Find("kernel")->text(), name);
    const JsonValue& coverage = *check_kernels[i].Find("coverage");
    EXPECT_EQ(coverage.Find("now")->Find("reached")->AsUint64(), reached) << name;
    EXPECT_EQ(coverage.Find("now")->Find("reachable")->AsUint64(), reachable) << name;
    EXPECT_FALSE(coverage.Find("dropped")->as_bool()) << name;
  }
}

TEST_F(DriverTest, CheckPrintsEachKernelsCoverageAndFailsWhenTheRowsReachLess) {
  ASSERT_EQ(Generate().exit_code, 0);
  const DriverRun fresh = Driver({"check"});
  EXPECT_EQ(fresh.exit_code, 0) << fresh.out;
  EXPECT_NE(fresh.out.find("INFO: coverage fixture.divide edges "), std::string::npos)
      << fresh.out;
  // The dark 42 is the only row reaching `return 42`: without it the rows reach one edge
  // less than the header, which still records the old figures.
  Expected<kt::Table> t = ReadTable(Table("fixture.classify"));
  ASSERT_TRUE(t.has_value());
  const TableStats recorded = t.value().stats;
  std::erase_if(t.value().rows,
                [](const Row& r) { return r.values[0] == Value::Int(Integer(42)); });
  ASSERT_TRUE(WriteTable(Table("fixture.classify"), t.value()).has_value());
  const DriverRun check = Driver({"check"});
  EXPECT_EQ(check.exit_code, 1) << check.out;
  const std::string expected = "ERROR: coverage fixture.classify dropped: edges " +
                               std::to_string(recorded.edges_reached - 1) + "/" +
                               std::to_string(recorded.edges_reachable);
  EXPECT_NE(check.out.find(expected), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("1 with coverage dropped"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("INFO: coverage fixture.divide "), std::string::npos) << check.out;
}

TEST_F(DriverTest, ReportPrintsOneTableRowPerKernelAndWritesTheHtmlPage) {
  ASSERT_EQ(Generate({"--kernel", "fixture.classify"}).exit_code, 0);
  const fs::path page = dir_ / "out" / "report.html";
  fs::create_directories(page.parent_path());
  const DriverRun report = Driver({"report", "--html", page.string()});
  // fixture.divide has no table: a warning, exit 1, and a row showing what it could reach.
  EXPECT_EQ(report.exit_code, 1) << report.out << report.err;
  const Expected<kt::Table> t = ReadTable(Table("fixture.classify"));
  ASSERT_TRUE(t.has_value());
  const std::string figures = std::to_string(t.value().stats.edges_reached) + "/" +
                              std::to_string(t.value().stats.edges_reachable);
  const std::size_t header = report.out.find("kernel            edges");
  const std::size_t classify = report.out.find("\nfixture.classify  ");
  const std::size_t divide = report.out.find("\nfixture.divide    ");
  ASSERT_NE(header, std::string::npos) << report.out;
  ASSERT_NE(classify, std::string::npos) << report.out;
  ASSERT_NE(divide, std::string::npos) << report.out;
  EXPECT_LT(header, classify);
  EXPECT_LT(classify, divide);
  const std::string classify_row =
      report.out.substr(classify, report.out.find('\n', classify + 1) - classify);
  EXPECT_NE(classify_row.find(figures), std::string::npos) << classify_row;
  EXPECT_NE(report.out.find("no table\n"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("WARNING: kernel \"fixture.divide\""), std::string::npos);
  EXPECT_NE(report.out.find("INFO: report: wrote " + page.string()), std::string::npos);
  EXPECT_EQ(report.out.find("INFO: unreached"), std::string::npos) << "details need --details";

  const std::string html = ReadFile(page);
  EXPECT_NE(html.find("<tr data-kernel=\"fixture.classify\""), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num edges\">" + figures + "</td>"), std::string::npos);
  EXPECT_FALSE(fs::exists(page.parent_path() / ".report.html.tmp"));

  // Without its dark 42 the table misses `return 42`: --details names that line.
  Expected<kt::Table> fewer = ReadTable(Table("fixture.classify"));
  ASSERT_TRUE(fewer.has_value());
  std::erase_if(fewer.value().rows,
                [](const Row& r) { return r.values[0] == Value::Int(Integer(42)); });
  ASSERT_TRUE(WriteTable(Table("fixture.classify"), fewer.value()).has_value());
  const DriverRun details = Driver({"report", "--details", "--kernel", "fixture.classify"});
  EXPECT_EQ(details.exit_code, 0) << "report shows a drop, check fails on it\n" << details.out;
  EXPECT_NE(details.out.find("dropped below the table's figures\n"), std::string::npos)
      << details.out;
  const std::string unreached = std::string(kKernelsFile) + ":" +
                                std::to_string(LineOf(kKernelsFile, "return 42;")) + ":";
  const std::size_t at = details.out.find("INFO: unreached fixture.classify ");
  ASSERT_NE(at, std::string::npos) << details.out;
  EXPECT_NE(details.out.find(unreached, at), std::string::npos) << details.out;
  EXPECT_NE(details.out.find("): if (shade == Shade::kDark && x == 42) return 42;\n", at),
            std::string::npos)
      << details.out;
  EXPECT_NE(details.out.find("INFO: function fixture.classify kt::driver::testing::Classify("),
            std::string::npos)
      << details.out;
}

TEST_F(DriverTest, ListShowsEachKernelsTableAndSeeds) {
  ASSERT_EQ(Generate({"--kernel", "fixture.divide"}).exit_code, 0);
  const DriverRun list = Driver({"list"});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("fixture.classify  table missing"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("fixture.divide    table ok ("), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("seeds ok"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace kt::driver
