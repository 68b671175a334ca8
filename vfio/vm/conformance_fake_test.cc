// Runs the QEMU guest's conformance checks against FakeKernel set up as the guest found the
// devices (edu 0000:00:02.0 in group 2, e1000e 0000:00:03.0 in group 3): every check that
// does not need a live device model must pass, which holds the fake to the values and errnos
// Linux 6.1 gave. Also the reporter's output and the check list's shape.
#include "vfio/vm/conformance.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vfio/fake_kernel.h"

namespace vfio::vm {
namespace {

constexpr char kEdu[] = "0000:00:02.0";
constexpr unsigned kEduGroup = 2;
constexpr char kE1000e[] = "0000:00:03.0";
constexpr unsigned kE1000eGroup = 3;

// The checks that need QEMU's device models and skip on a fake kernel.
const std::set<std::string> kLiveOnly = {"edu.bar0_liveness", "edu.dma_round_trip",
                                         "edu.msi_from_device"};

void AddGuestDevices(FakeKernel& kernel) {
  kernel.AddGroup({kEduGroup, true, {FakeDevice::Edu(kEdu)}});
  kernel.AddGroup({kE1000eGroup, true, {FakeDevice::E1000e(kE1000e)}});
}

Environment FakeEnvironment(FakeKernel& kernel) {
  return {&kernel, {ParseBdf(kEdu).value(), kEduGroup}, {ParseBdf(kE1000e).value(), kE1000eGroup},
          /*live_devices=*/false};
}

std::vector<std::string> CheckNames() {
  std::vector<std::string> names;
  for (const Check& check : AllChecks()) names.push_back(check.name);
  return names;
}

Outcome RunOne(const std::string& name, FakeKernel& kernel) {
  for (const Check& check : AllChecks()) {
    if (check.name == name) return check.run(FakeEnvironment(kernel));
  }
  return Outcome::Fail("a check named " + name, "none");
}

class FakeKernelConformanceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FakeKernelConformanceTest, AnswersAsLinuxDidInTheGuest) {
  FakeKernel kernel;
  AddGuestDevices(kernel);
  const Outcome outcome = RunOne(GetParam(), kernel);
  if (outcome.kind == Outcome::Kind::kSkip) {
    EXPECT_TRUE(kLiveOnly.count(GetParam())) << "only live-device checks may skip";
    GTEST_SKIP() << outcome.detail;
  }
  EXPECT_EQ(outcome.kind, Outcome::Kind::kPass) << outcome.detail;
  EXPECT_EQ(kernel.open_fds(), 0u) << "the check closes everything it opened";
}

// "dma.map.overlap_next" -> "dma_map_overlap_next": gtest names are identifiers.
std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(GuestChecks, FakeKernelConformanceTest,
                         ::testing::ValuesIn(CheckNames()), TestName);

// The whole list in the guest's order on one kernel: nothing a check leaves behind may upset
// a later one, exactly the live-device checks skip, and the output ends in DONE fails=0.
TEST(FakeKernelConformanceRunTest, TheWholeListPassesInOrderOnOneKernel) {
  FakeKernel kernel;
  AddGuestDevices(kernel);
  std::ostringstream out;
  Reporter reporter(out);
  EXPECT_EQ(RunChecks(FakeEnvironment(kernel), AllChecks(), reporter), 0) << out.str();
  reporter.Done();
  EXPECT_EQ(reporter.skips(), static_cast<int>(kLiveOnly.size()));
  EXPECT_EQ(reporter.passes() + reporter.skips(), static_cast<int>(AllChecks().size()));
  EXPECT_TRUE(out.str().ends_with("DONE fails=0\n")) << out.str();
}

// A fake that answers differently from Linux is caught, with the difference in the line.
TEST(FakeKernelConformanceRunTest, AFakeThatDisagreesWithLinuxFails) {
  constexpr struct {
    const char* check;
    void (*configure)(FakeKernel::Options&);
    const char* detail;
  } kCases[] = {
      {"container.extensions_after_iommu",
       [](FakeKernel::Options& o) { o.enforce_cache_coherency = true; },
       "expected CHECK_EXTENSION(DMA_CC)=0, got 1"},
      {"container.iommu_info", [](FakeKernel::Options& o) { o.dma_entry_limit = 100; },
       "expected dma_avail=0xffff, got 0x64"},
      {"dma.map.above_address_width", [](FakeKernel::Options& o) { o.iova_ranges.clear(); },
       "expected raw MAP_DMA=-EINVAL, got 0"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.check);
    FakeKernel::Options options;
    c.configure(options);
    FakeKernel kernel(options);
    AddGuestDevices(kernel);
    const Outcome outcome = RunOne(c.check, kernel);
    EXPECT_EQ(outcome.kind, Outcome::Kind::kFail);
    EXPECT_EQ(outcome.detail, c.detail);
  }
}

TEST(ConformanceChecksTest, NamesAreUniqueDottedSnakeCase) {
  const std::vector<std::string> names = CheckNames();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (const std::string& name : names) {
    EXPECT_NE(name.find('.'), std::string::npos) << name;
    EXPECT_TRUE(std::all_of(name.begin(), name.end(), [](char ch) {
      return std::islower(static_cast<unsigned char>(ch)) ||
             std::isdigit(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.';
    })) << name;
  }
}

TEST(ReporterTest, PrintsOneLinePerCheckAndCountsEachKind) {
  std::ostringstream out;
  Reporter reporter(out);
  reporter.Report("a.pass", Outcome::Pass());
  reporter.Report("a.fail", Outcome::Fail("size=0x1000", "0x0"));
  reporter.Report("a.skip", Outcome::Skip("needs QEMU"));
  reporter.Done();
  EXPECT_EQ(out.str(),
            "PASS a.pass\n"
            "FAIL a.fail: expected size=0x1000, got 0x0\n"
            "SKIP a.skip: needs QEMU\n"
            "DONE fails=1\n");
  EXPECT_EQ(reporter.passes(), 1);
  EXPECT_EQ(reporter.fails(), 1);
  EXPECT_EQ(reporter.skips(), 1);
}

}  // namespace
}  // namespace vfio::vm
