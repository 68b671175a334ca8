// Tests of the ast_seeder command itself: -p with this build's compile_commands.json (where
// cross-TU harvesting finds the helper sources), the files it writes, and its exit codes and
// compiler-style errors.
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "ast_seeder/seeder_testing.h"
#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"

namespace ast_seeder {
namespace {

using testing::ReadFile;
using testing::SourceRoot;
using testing::TestdataPath;

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs the tool with `args` from the repository root.
Outcome RunTool(const std::string& args) {
  const std::string command =
      "cd '" + SourceRoot() + "' && '" + KT_SEEDER_TOOL + "' " + args + " 2>&1";
  Outcome outcome;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    outcome.output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

std::string FreshDir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "/" + name;
  llvm::sys::fs::remove_directories(dir);
  return dir;
}

TEST(ToolTest, SeedsThroughTheBuildCompilationDatabase) {
  const std::string dir = FreshDir("kt_tool_test_db");
  const Outcome run =
      RunTool(std::string("-p '") + KT_BINARY_DIR + "' --out-dir='" + dir +
              "/seeds' --root=. --manifest='" + dir + "/harvest.kernels' --depfile='" + dir +
              "/harvest.d' ast_seeder/testdata/harvest.cc");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // The same document as the library's, cross-TU constants included: the helpers' flags came
  // from compile_commands.json.
  EXPECT_EQ(ReadFile(dir + "/seeds/harvest.main.json"),
            ReadFile(TestdataPath("harvest.main.expected.json")));
  EXPECT_EQ(ReadFile(dir + "/harvest.kernels"), "harvest.main.json\n");
  const std::string depfile = ReadFile(dir + "/harvest.d");
  EXPECT_EQ(depfile.rfind(dir + "/harvest.kernels:", 0), 0u) << depfile;
  EXPECT_NE(depfile.find(TestdataPath("harvest_far.cc")), std::string::npos) << depfile;
  EXPECT_NE(depfile.find(TestdataPath("kt_testing.h")), std::string::npos) << depfile;
  llvm::sys::fs::remove_directories(dir);
}

struct ErrorCase {
  const char* source;
  const char* expected;  // every line of it must appear in the tool's output
};
constexpr ErrorCase kErrorCases[] = {
    {"diag_unsupported.cc", "diag_unsupported.expected.txt"},
    {"diag_kernel.cc", "diag_kernel.expected.txt"},
    {"diag_annotations.cc", "diag_annotations.expected.txt"},
    {"diag_syntax.cc", "diag_syntax.expected.txt"},
};

TEST(ToolTest, ExitsOneWithCompilerStyleErrorsAndWritesNothing) {
  for (const ErrorCase& c : kErrorCases) {
    const std::string dir = FreshDir("kt_tool_test_errors");
    const Outcome run =
        RunTool("--out-dir='" + dir + "' ast_seeder/testdata/" + c.source + " -- -std=c++20 -I.");
    EXPECT_EQ(run.exit_code, 1) << c.source << "\n" << run.output;
    const std::string expected = ReadFile(TestdataPath(c.expected));
    ASSERT_FALSE(expected.empty()) << c.expected;
    for (std::size_t start = 0, end; start < expected.size(); start = end + 1) {
      end = expected.find('\n', start);
      const std::string line = SourceRoot() + "/" + expected.substr(start, end - start);
      EXPECT_NE(run.output.find(line), std::string::npos) << line << "\nin:\n" << run.output;
    }
    EXPECT_FALSE(llvm::sys::fs::exists(dir)) << c.source;
  }
}

TEST(ToolTest, ExitsTwoOnAUsageError) {
  const Outcome run = RunTool("ast_seeder/testdata/kinds.cc -- -std=c++20");  // no --out-dir
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("ERROR: "), std::string::npos) << run.output;
}

}  // namespace
}  // namespace ast_seeder
