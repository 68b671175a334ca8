// Tests of the driver's command line: subcommands, flags in both spellings, defaults, and a
// usage error naming the bad flag for each misuse.
#include "permuter/driver/flags.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kt::driver {
namespace {

const SuiteDefaults kDefaults{"hello", "/src/tables", "/build/seeds", "/src", 500};

Expected<DriverOptions> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "hello_kt");
  return ParseDriverFlags(args, kDefaults);
}

TEST(FlagsTest, TakesTheDefaultsWithoutFlags) {
  const Expected<DriverOptions> o = Parse({"check"});
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o.value().command, Command::kCheck);
  EXPECT_EQ(o.value().tables_dir, "/src/tables");
  EXPECT_EQ(o.value().seeds_dir, "/build/seeds");
  EXPECT_EQ(o.value().jobs, 1u);
  EXPECT_FALSE(o.value().budget.has_value());
  EXPECT_FALSE(o.value().json);
  EXPECT_TRUE(o.value().kernels.empty());
}

TEST(FlagsTest, ReadsEveryFlagInBothSpellings) {
  const Expected<DriverOptions> o =
      Parse({"--jobs", "3", "generate", "--kernel=a.b", "--kernel", "c", "--budget=99", "--json",
             "--tables", "/t", "--seeds=/s", "--timeout_ms", "250"});
  ASSERT_TRUE(o.has_value()) << o.error().message;
  EXPECT_EQ(o.value().command, Command::kGenerate);
  EXPECT_EQ(o.value().jobs, 3u);
  EXPECT_EQ(o.value().kernels, (std::vector<std::string>{"a.b", "c"}));
  EXPECT_EQ(o.value().budget, 99u);
  EXPECT_TRUE(o.value().json);
  EXPECT_EQ(o.value().tables_dir, "/t");
  EXPECT_EQ(o.value().seeds_dir, "/s");
  EXPECT_EQ(o.value().timeout.count(), 250);
  EXPECT_EQ(Parse({"report", "-j", "2"}).value().jobs, 2u);
  const Expected<DriverOptions> report = Parse({"report", "--html=/out/r.html", "--details"});
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report.value().html, "/out/r.html");
  EXPECT_TRUE(report.value().details);
  EXPECT_EQ(Parse({"report", "--html", "r.html", "--json"}).value().html, "r.html");
}

TEST(FlagsTest, HelpWinsOverEverythingElse) {
  for (const std::vector<const char*>& args :
       {std::vector<const char*>{"--help"}, {"help"}, {"check", "-h"}}) {
    const Expected<DriverOptions> o = Parse(args);
    ASSERT_TRUE(o.has_value()) << o.error().message;
    EXPECT_EQ(o.value().command, Command::kHelp);
  }
}

TEST(FlagsTest, EachMisuseIsAUsageErrorNamingTheFlag) {
  struct Case {
    std::vector<const char*> args;
    const char* message;
  };
  const Case cases[] = {
      {{}, "no subcommand (expected list, generate, check or report)"},
      {{"frobnicate"},
       "unknown subcommand 'frobnicate' (expected list, generate, check or report)"},
      {{"check", "generate"}, "two subcommands: 'generate' after another"},
      {{"check", "--verbose"}, "unknown flag '--verbose'"},
      {{"check", "--jobs"}, "--jobs needs a value"},
      {{"check", "--jobs", "0"}, "--jobs takes a count from 1 to 256, not '0'"},
      {{"check", "--jobs=-2"}, "--jobs takes a count from 1 to 256, not '-2'"},
      {{"check", "-j", "many"}, "-j takes a count from 1 to 256, not 'many'"},
      {{"generate", "--budget", "1e6"},
       "--budget takes a count of executions from 1 to 18446744073709551615, not '1e6'"},
      {{"check", "--budget", "10"},
       "--budget applies to generate only (check uses each table's own budget)"},
      {{"list", "--jobs", "2"}, "--jobs does not apply to list, which runs nothing"},
      {{"report", "--timeout_ms", "0"},
       "--timeout_ms takes milliseconds from 1 to 3600000, not '0'"},
      {{"check", "--kernel="}, "--kernel needs a non-empty value"},
      {{"check", "--json=yes"}, "--json takes no value"},
      {{"check", "--html", "r.html"}, "--html applies to report only"},
      {{"generate", "--details"}, "--details applies to report only"},
      {{"report", "--html"}, "--html needs a value"},
      {{"report", "--details=1"}, "--details takes no value"},
      {{"report", "--details", "--json"},
       "--details shapes the text report; --json always has every detail"},
  };
  for (const Case& c : cases) {
    const Expected<DriverOptions> o = Parse(c.args);
    ASSERT_FALSE(o.has_value()) << c.message;
    EXPECT_EQ(o.error().code, make_error_code(FlagError::kUsage));
    EXPECT_EQ(o.error().message, c.message);
  }
}

TEST(FlagsTest, WithoutBakedDefaultsTheDirectoriesAreRequired) {
  const SuiteDefaults none{"x", "", "", "", 0};
  const char* check[] = {"x_kt", "check"};
  const Expected<DriverOptions> o = ParseDriverFlags(check, none);
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error().message, "--tables DIR is required: this binary has no default");
  const char* with_tables[] = {"x_kt", "generate", "--tables", "/t"};
  const Expected<DriverOptions> g = ParseDriverFlags(with_tables, none);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().message, "--seeds DIR is required: this binary has no default");
  const char* report[] = {"x_kt", "report", "--tables", "/t"};
  EXPECT_TRUE(ParseDriverFlags(report, none).has_value()) << "report reads no seeds";
}

TEST(FlagsTest, UsageNamesTheProgramAndTheDefaults) {
  const std::string usage = Usage("hello_kt", kDefaults);
  EXPECT_EQ(usage.rfind("usage: hello_kt <list|generate|check|report>", 0), 0u) << usage;
  EXPECT_NE(usage.find("default /src/tables"), std::string::npos) << usage;
  EXPECT_NE(usage.find("(default 500)"), std::string::npos) << usage;
}

}  // namespace
}  // namespace kt::driver
