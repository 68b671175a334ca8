// Runs the hand-picked call sets of every registered VFIO kernel in-process through the
// runner's Execute: each must end in a value or an expected error, never a finding, and the
// pinned ones in their exact outcome. Depends on the kernels, runner/execute.h and GoogleTest.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/internal/smoke_cases.h"
#include "kernels/kernel_params.h"
#include "runner/execute.h"
#include "runner/outcome.h"
#include "runner/registry.h"
#include "runner/value.h"
#include "vfio/dma_map.h"

namespace vfio_kernels::internal {
namespace {

std::vector<SmokeCase> AllCases() {
  std::vector<SmokeCase> all;
  for (const auto cases : {CoreSmokeCases(), AllocatorMsixSmokeCases(),
                           ConfigCrossEdgeSmokeCases()}) {
    all.insert(all.end(), cases.begin(), cases.end());
  }
  return all;
}

std::vector<std::string> KernelNames() {
  std::vector<std::string> names;
  for (const SmokeCase& c : AllCases()) {
    if (std::find(names.begin(), names.end(), c.kernel) == names.end()) names.push_back(c.kernel);
  }
  return names;
}

kt::CallSet CallSetOf(const SmokeCase& c) {
  kt::CallSet args;
  for (const Arg& a : c.args) {
    switch (a.kind) {
      case Arg::Kind::kNone: return args;
      case Arg::Kind::kUnsigned: args.push_back(kt::Value::Int(kt::Integer(a.bits))); break;
      case Arg::Kind::kNegative:
        args.push_back(kt::Value::Int(kt::Integer::Negative(a.bits)));
        break;
      case Arg::Kind::kEnum: args.push_back(kt::Value::Enum(kt::Integer(a.bits))); break;
      case Arg::Kind::kBool: args.push_back(kt::Value::Bool(a.bits != 0)); break;
    }
  }
  return args;
}

template <class E>
kt::Value EnumValue(E e) {
  return kt::Value::Enum(kt::Integer(static_cast<std::underlying_type_t<E>>(e)));
}

std::string Describe(const kt::CallSet& args) {
  std::string s = "(";
  for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + kt::DebugString(args[i]);
  return s + ")";
}

// A handful per kernel: a value path and an error path at least.
constexpr std::size_t kMinCasesPerKernel = 3;

// Kernels over operations that cannot fail: ordering of addresses, and Message Control
// writes (any 16-bit value is a valid write). Every other kernel has error paths.
constexpr const char* kInfallible[] = {"address.ordering", "msix.control"};

bool Infallible(const std::string& kernel) {
  return std::find(std::begin(kInfallible), std::end(kInfallible), kernel) !=
         std::end(kInfallible);
}

// An error outcome, or an error a sequence kernel observed for one of its steps.
bool ShowsAnError(const kt::Outcome& o) {
  if (o.kind == kt::OutcomeKind::kError) return true;
  return std::any_of(o.observations.begin(), o.observations.end(),
                     [](const kt::Observation& ob) { return ob.value.rfind("error(", 0) == 0; });
}

TEST(KernelsSmokeTest, RegistryHasNoDuplicateNames) {
  const kt::Expected<void> valid = kt::Registry::Global().Validate();
  EXPECT_TRUE(valid.has_value()) << (valid ? "" : valid.error().message);
}

TEST(KernelsSmokeTest, EveryRegisteredKernelHasAHandfulOfCases) {
  const std::vector<SmokeCase> cases = AllCases();
  ASSERT_FALSE(kt::Registry::Global().kernels().empty());
  for (const kt::KernelInfo& kernel : kt::Registry::Global().kernels()) {
    const auto n = std::count_if(cases.begin(), cases.end(),
                                 [&](const SmokeCase& c) { return kernel.name == c.kernel; });
    EXPECT_GE(static_cast<std::size_t>(n), kMinCasesPerKernel) << kernel.Location();
  }
}

TEST(KernelsSmokeTest, EveryCaseNamesARegisteredKernel) {
  for (const std::string& name : KernelNames()) {
    EXPECT_TRUE(kt::Registry::Global().Find(name).has_value()) << name;
  }
}

class KernelSmokeTest : public testing::TestWithParam<std::string> {};

TEST_P(KernelSmokeTest, EndsInValueOrExpectedErrorNeverAFinding) {
  const kt::Expected<const kt::KernelInfo*> kernel = kt::Registry::Global().Find(GetParam());
  ASSERT_TRUE(kernel.has_value()) << GetParam();
  std::size_t errors = 0;
  for (const SmokeCase& c : AllCases()) {
    if (GetParam() != c.kernel) continue;
    const kt::CallSet args = CallSetOf(c);
    const kt::Expected<kt::Outcome> outcome = kt::Execute(*kernel.value(), args);
    ASSERT_TRUE(outcome.has_value()) << Describe(args) << ": " << outcome.error().message;
    const kt::Outcome& o = outcome.value();
    EXPECT_FALSE(kt::IsFinding(o.kind)) << Describe(args) << " -> " << o.text << "\n" << o.detail;
    if (c.expected != nullptr) {
      EXPECT_EQ(o.text, c.expected) << Describe(args);
    }
    errors += ShowsAnError(o);
  }
  // Every fallible kernel has error paths its parameters reach; the cases must show one.
  if (!Infallible(GetParam())) {
    EXPECT_GT(errors, 0u) << "no case of " << GetParam() << " shows an error";
  }
}

// "dma.map_two" -> "dma_map_two": test names are identifiers.
std::string TestName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Kernels, KernelSmokeTest, testing::ValuesIn(KernelNames()), TestName);

// The research file's known DMA bug, end to end through the runner: a mapping that overlaps
// the *next* one is refused, and the tracker's observation shows the refused IOVA.
TEST(KernelsSmokeTest, OverlapWithNextMappingIsAnErrorWithItsObservation) {
  const auto kernel = kt::Registry::Global().Find("dma.map_two");
  ASSERT_TRUE(kernel.has_value());
  // A: 16 pages from page 0x800 (IOVA 0x800000); B: 64 KiB ending a page into A.
  const kt::CallSet args = {kt::Value::Int(0x800), kt::Value::Int(0x10),
                            EnumValue(MapOrder::kOverlapNext), kt::Value::Int(0x1'0000),
                            EnumValue(vfio::Perm::kReadWrite)};
  const auto outcome = kt::Execute(*kernel.value(), args);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome.value().text, "error(vfio.dma:overlap)");
  const std::vector<kt::Observation> expected = {{"iova_b", "0x7f1000"}};
  EXPECT_EQ(outcome.value().observations, expected);
}

// Sequence kernels observe every step: the refused steps are visible in the table.
TEST(KernelsSmokeTest, OpSequenceObservesEveryStep) {
  const auto kernel = kt::Registry::Global().Find("dma.op_sequence");
  ASSERT_TRUE(kernel.has_value());
  const kt::CallSet args = {EnumValue(DmaOp::kMapA), EnumValue(DmaOp::kMapB),
                            EnumValue(DmaOp::kMapSpan), EnumValue(DmaOp::kUnmapHalfA)};
  const auto outcome = kt::Execute(*kernel.value(), args);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome.value().text, "ok(DmaStats{count=2, bytes=0x20000})");
  const std::vector<kt::Observation> expected = {{"step1", "ok()"},
                                                 {"step2", "ok()"},
                                                 {"step3", "error(vfio.dma:overlap)"},
                                                 {"step4", "error(vfio.dma:partial_unmap)"}};
  EXPECT_EQ(outcome.value().observations, expected);
}

}  // namespace
}  // namespace vfio_kernels::internal
