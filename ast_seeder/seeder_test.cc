// End-to-end tests of the seeder library on testdata/: the JSON of every kernel against the
// expected file beside its source, cross-TU harvesting and its depth limit, the depfile's
// inputs, and the exact text of every diagnostic.
#include <algorithm>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "ast_seeder/json_writer.h"
#include "ast_seeder/seeder_testing.h"
#include "gtest/gtest.h"
#include "llvm/Support/raw_ostream.h"

namespace ast_seeder {
namespace {

using testing::FindKernel;
using testing::ReadFile;
using testing::SeedFiles;
using testing::SeedRun;
using testing::TestdataPath;

// Every source of harvest.cc's call chain: the cross-TU candidates.
std::vector<std::string> HarvestSources() {
  return {TestdataPath("harvest.cc"), TestdataPath("harvest_helper.cc"),
          TestdataPath("harvest_far.cc")};
}

SeedRun SeedHarvest(unsigned call_depth) {
  SeederOptions options;
  options.call_depth = call_depth;
  options.index_sources = HarvestSources();
  return SeedFiles({TestdataPath("harvest.cc")}, options);
}

constexpr const char* kKindsKernels[] = {
    "kinds.bytes",  "kinds.enums",          "kinds.flags",   "kinds.no_params",
    "kinds.ranges", "kinds.returns_result", "kinds.scalars", "kinds.strong_ints"};
constexpr const char* kHarvestKernels[] = {"harvest.main"};
constexpr const char* kFileCreateKernels[] = {"file_create.test_file_create"};

struct GoldenCase {
  const char* source;
  std::span<const char* const> kernels;  // every kernel the source registers
};
constexpr GoldenCase kGoldenCases[] = {
    {"kinds.cc", kKindsKernels},
    {"harvest.cc", kHarvestKernels},
    {"test_file_create.cc", kFileCreateKernels},
};

// With KT_UPDATE_EXPECTED=1 in the environment the expected files (JSON and diagnostics) are
// rewritten instead, then reviewed like any other change.
TEST(SeederTest, WritesTheExpectedJsonForEveryTestdataKernel) {
  const bool update = std::getenv("KT_UPDATE_EXPECTED") != nullptr;
  for (const GoldenCase& c : kGoldenCases) {
    SeederOptions options;
    options.index_sources = HarvestSources();
    const SeedRun run = SeedFiles({TestdataPath(c.source)}, options);
    ASSERT_TRUE(run.ok) << c.source << "\n" << run.diagnostics;
    ASSERT_EQ(run.output.kernels.size(), c.kernels.size()) << c.source;
    for (const char* name : c.kernels) {
      const KernelDomain* kernel = FindKernel(run, name);
      ASSERT_NE(kernel, nullptr) << name;
      const std::string expected_path = TestdataPath(std::string(name) + ".expected.json");
      const std::string json = KernelDomainToJson(*kernel);
      if (update) {
        std::error_code ec;
        llvm::raw_fd_ostream(expected_path, ec) << json;
        ASSERT_FALSE(ec) << expected_path;
      }
      EXPECT_EQ(json, ReadFile(expected_path)) << "differs from " << expected_path;
    }
  }
}

TEST(SeederTest, DerivesTheReadmeFileCreateDomainWithoutHandWrittenRows) {
  const SeedRun run = SeedFiles({TestdataPath("test_file_create.cc")});
  const KernelDomain* kernel = FindKernel(run, "file_create.test_file_create");
  ASSERT_NE(kernel, nullptr) << run.diagnostics;
  // The README's enums in full: 7 modes, 4 creations, 8 cachings, and 6 flags plus none.
  struct Expected {
    const char* param;
    ParamKind kind;
    std::size_t enumerators;
  };
  constexpr Expected kExpected[] = {{"_mode", ParamKind::kEnum, 7},
                                    {"_creation", ParamKind::kEnum, 4},
                                    {"_caching", ParamKind::kEnum, 8},
                                    {"flags", ParamKind::kFlags, 7}};
  ASSERT_EQ(kernel->params.size(), std::size(kExpected));
  for (std::size_t i = 0; i < std::size(kExpected); ++i) {
    EXPECT_EQ(kernel->params[i].name, kExpected[i].param);
    EXPECT_EQ(kernel->params[i].kind, kExpected[i].kind) << kExpected[i].param;
    EXPECT_EQ(kernel->params[i].enumerators.size(), kExpected[i].enumerators) << kExpected[i].param;
  }
  EXPECT_EQ(kernel->ret.kind, ReturnKind::kResult);
  EXPECT_EQ(kernel->ret.value_type, "minimal_afio::file_handle");
}

struct DepthCase {
  unsigned depth;
  const char* markers;  // the chain's markers harvested, in order
};
constexpr DepthCase kDepthCases[] = {
    {0, ""}, {1, "1001,"}, {2, "1001,1002,"}, {3, "1001,1002,1003,"}, {4, "1001,1002,1003,1004,"},
};

TEST(SeederTest, FollowsCallsAcrossTranslationUnitsUpToTheDepthLimit) {
  for (const DepthCase& c : kDepthCases) {
    const SeedRun run = SeedHarvest(c.depth);
    const KernelDomain* kernel = FindKernel(run, "harvest.main");
    ASSERT_NE(kernel, nullptr) << run.diagnostics;
    std::string markers;
    for (const HarvestedConstant& k : kernel->constants) {
      const std::string v = k.value.ToDecimal();
      if (v.size() == 4 && v.rfind("100", 0) == 0) markers += v + ",";
    }
    EXPECT_EQ(markers, c.markers) << "depth " << c.depth;
    EXPECT_EQ(kernel->call_depth, c.depth);
  }
}

// harvest_far.cc sorts first and names Deep1 too (in a comment), but harvest_helper.cc is
// named like the header declaring Deep1: it is parsed first, so one helper unit is enough
// for Deep1 and Deep2. Searching in path order would spend the unit on harvest_far.cc.
TEST(SeederTest, TriesTheSourceNamedLikeTheDeclaringHeaderFirst) {
  SeederOptions options;
  options.call_depth = 4;
  options.max_cross_tu_units = 1;
  options.index_sources = HarvestSources();
  const SeedRun run = SeedFiles({TestdataPath("harvest.cc")}, options);
  const KernelDomain* kernel = FindKernel(run, "harvest.main");
  ASSERT_NE(kernel, nullptr) << run.diagnostics;
  std::string markers;
  for (const HarvestedConstant& k : kernel->constants) {
    const std::string v = k.value.ToDecimal();
    if (v.size() == 4 && v.rfind("100", 0) == 0) markers += v + ",";
  }
  EXPECT_EQ(markers, "1001,1002,");
  EXPECT_EQ(run.output.dependencies.end(),
            std::find(run.output.dependencies.begin(), run.output.dependencies.end(),
                      TestdataPath("harvest_far.cc")))
      << "the unit limit stops before harvest_far.cc";
}

TEST(SeederTest, NamesTheTranslationUnitEachHarvestedConstantCameFrom) {
  const SeedRun run = SeedHarvest(4);
  const KernelDomain* kernel = FindKernel(run, "harvest.main");
  ASSERT_NE(kernel, nullptr) << run.diagnostics;
  std::string origins;
  for (const HarvestedConstant& k : kernel->constants) {
    if (k.value.ToDecimal().rfind("100", 0) == 0 && k.value.ToDecimal().size() == 4) {
      origins += k.origin_file + ":" + std::to_string(k.origin_line) + "\n";
    }
  }
  EXPECT_EQ(origins,
            "ast_seeder/testdata/harvest_helper.cc:7\n"
            "ast_seeder/testdata/harvest_helper.cc:12\n"
            "ast_seeder/testdata/harvest_far.cc:7\n"
            "ast_seeder/testdata/harvest_far.cc:11\n");
}

TEST(SeederTest, StaysInTheTranslationUnitWithoutOtherCandidates) {
  SeederOptions options;
  options.index_sources = {TestdataPath("harvest.cc")};
  const SeedRun run = SeedFiles({TestdataPath("harvest.cc")}, options);
  const KernelDomain* kernel = FindKernel(run, "harvest.main");
  ASSERT_NE(kernel, nullptr) << run.diagnostics;
  for (const HarvestedConstant& k : kernel->constants) {
    EXPECT_NE(k.origin_file, "ast_seeder/testdata/harvest_helper.cc");
  }
}

TEST(SeederTest, DependsOnTheSourceItsHeadersAndTheTranslationUnitsItFollowed) {
  const SeedRun run = SeedHarvest(4);
  ASSERT_TRUE(run.ok) << run.diagnostics;
  const std::vector<std::string> expected = {
      TestdataPath("harvest.cc"),        TestdataPath("harvest_far.cc"),
      TestdataPath("harvest_helper.cc"), TestdataPath("harvest_helper.h"),
      TestdataPath("kt_testing.h"),      testing::SourceRoot() + "/runner/annotations.h",
  };
  EXPECT_EQ(run.output.dependencies, expected);  // system headers left out
}

struct DiagnosticCase {
  const char* source;
  const char* expected;  // testdata file holding the exact diagnostics
};
constexpr DiagnosticCase kDiagnosticCases[] = {
    {"diag_unsupported.cc", "diag_unsupported.expected.txt"},
    {"diag_kernel.cc", "diag_kernel.expected.txt"},
    {"diag_annotations.cc", "diag_annotations.expected.txt"},
    {"diag_syntax.cc", "diag_syntax.expected.txt"},
};

TEST(SeederTest, ReportsEachErrorInCompilerFormAndFails) {
  for (const DiagnosticCase& c : kDiagnosticCases) {
    const SeedRun run = SeedFiles({TestdataPath(c.source)});
    EXPECT_FALSE(run.ok) << c.source;
    if (std::getenv("KT_UPDATE_EXPECTED") != nullptr) {
      std::error_code ec;
      llvm::raw_fd_ostream(TestdataPath(c.expected), ec) << run.diagnostics;
      ASSERT_FALSE(ec) << c.expected;
    }
    EXPECT_EQ(run.diagnostics, ReadFile(TestdataPath(c.expected))) << c.source;
  }
}

}  // namespace
}  // namespace ast_seeder
