// Container, Group and Device against the fake kernel: the whole bring-up, the error codes
// (operation and errno kept), the tracker checking before the kernel and staying unchanged
// when the kernel refuses, and corrupt capability chains.
#include "vfio/vfio_device.h"

#include <linux/vfio.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vfio/fake_kernel.h"
#include "vfio/internal/tampering_backend.h"

namespace vfio {
namespace {

constexpr char kEdu[] = "0000:00:04.0";
constexpr char kE1000e[] = "0000:00:05.0";

// Group 7 holds an edu and an e1000e; Attach() brings a container up to a set IOMMU.
class FakeVfio : public ::testing::Test {
 protected:
  explicit FakeVfio(FakeKernel::Options options = {}) : kernel_(std::move(options)) {
    kernel_.AddGroup({7, true, {FakeDevice::Edu(kEdu), FakeDevice::E1000e(kE1000e)}});
  }

  void BringUp() {
    ASSIGN_OR_FAIL(container, Container::Open(kernel_));
    ASSIGN_OR_FAIL(group, Group::Open(kernel_, 7));
    container_.emplace(std::move(container));
    group_.emplace(std::move(group));
    ASSERT_TRUE(group_->Attach(*container_));
    ASSERT_TRUE(container_->SetIommuType1v2());
  }

  FakeKernel kernel_;
  std::optional<Container> container_;
  std::optional<Group> group_;
};

using ContainerTest = FakeVfio;
using GroupTest = FakeVfio;

TEST(VfioErrorTest, ConditionsPrintAsSnakeCaseInTheLinuxCategory) {
  constexpr struct {
    VfioError error;
    const char* name;
  } kCases[] = {{VfioError::kApiVersion, "api_version"},
                {VfioError::kGroupNotViable, "group_not_viable"},
                {VfioError::kCorruptInfo, "corrupt_info"},
                {VfioError::kBadConfigAccess, "bad_config_access"},
                {VfioError::kReadIommuGroup, "read_iommu_group"}};
  for (const auto& c : kCases) {
    const std::error_code ec = c.error;
    EXPECT_STREQ(ec.category().name(), "vfio.linux");
    EXPECT_EQ(ec.message(), c.name);
    EXPECT_FALSE(GetSysError(ec)) << "no errno in a condition";
  }
}

TEST(VfioErrorTest, SysErrorsKeepTheOperationAndTheErrno) {
  const std::error_code ec = MakeSysError(VfioError::kMapDma, ENOMEM);
  EXPECT_STREQ(ec.category().name(), "vfio.linux.errno");
  EXPECT_EQ(ec.message(), "map_dma:ENOMEM");
  EXPECT_EQ(ec, std::errc::not_enough_memory);
  EXPECT_EQ(GetSysError(ec), (SysError{VfioError::kMapDma, ENOMEM}));
  EXPECT_EQ(GetSysError(MakeSysError(VfioError::kOpenGroup, 0)),
            (SysError{VfioError::kOpenGroup, EIO}))
      << "0 is not an errno";
  EXPECT_EQ(GetSysError(MakeSysError(VfioError::kOpenGroup, 5000)),
            (SysError{VfioError::kOpenGroup, EIO}));
}

TEST(VfioErrorTest, FromErrnoMapsOnlyTheUnambiguousErrnos) {
  const struct {
    VfioError what;
    int err;
    std::error_code expected;
  } kCases[] = {
      {VfioError::kMapDma, EEXIST, DmaError::kOverlap},
      {VfioError::kMapDma, ENOSPC, DmaError::kLimitReached},
      {VfioError::kSetIommu, EPERM, VfioError::kNoInterruptRemapping},
      {VfioError::kMapDma, EINVAL, MakeSysError(VfioError::kMapDma, EINVAL)},
      {VfioError::kUnmapDma, EEXIST, MakeSysError(VfioError::kUnmapDma, EEXIST)},
      {VfioError::kSetContainer, EPERM, MakeSysError(VfioError::kSetContainer, EPERM)},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(FromErrno(c.what, c.err), c.expected) << ToString(c.what) << " " << c.err;
  }
}

TEST_F(ContainerTest, OpenChecksTheApiVersionAndType1v2) {
  EXPECT_TRUE(Container::Open(kernel_));
  internal::TamperingBackend backend(kernel_);
  backend.value_result = [](unsigned long request, int rc) {
    return request == VFIO_GET_API_VERSION ? 1 : rc;
  };
  EXPECT_EQ(Container::Open(backend).error(), VfioError::kApiVersion);
  backend.value_result = [](unsigned long request, int rc) {
    return request == VFIO_CHECK_EXTENSION ? 0 : rc;
  };
  EXPECT_EQ(Container::Open(backend).error(), VfioError::kNoType1v2);
  kernel_.FailNext(FakeKernel::Call::kOpen, EACCES);
  EXPECT_EQ(GetSysError(Container::Open(kernel_).error()),
            (SysError{VfioError::kOpenContainer, EACCES}));
  kernel_.FailNextIoctl(VFIO_CHECK_EXTENSION, EIO);
  EXPECT_EQ(GetSysError(Container::Open(kernel_).error()),
            (SysError{VfioError::kCheckExtension, EIO}));
}

TEST_F(ContainerTest, SetIommuNeedsAnAttachedGroup) {
  ASSIGN_OR_FAIL(container, Container::Open(kernel_));
  EXPECT_EQ(container.SetIommuType1v2().error(), VfioError::kNoGroupAttached);
  EXPECT_EQ(kernel_.ioctl_calls(VFIO_SET_IOMMU), 0u) << "decided without asking the kernel";
  EXPECT_EQ(container.MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x1000, Perm::kRead).error(),
            VfioError::kIommuNotSet);
  EXPECT_EQ(kernel_.ioctl_calls(VFIO_IOMMU_MAP_DMA), 0u);
}

TEST_F(ContainerTest, SetIommuConfiguresTheTrackerFromTheKernelsInfo) {
  BringUp();
  const DmaMapTracker::Options& options = container_->tracker().options();
  EXPECT_EQ(options.page_size, 0x1000u);
  EXPECT_EQ(options.max_entries, 65535u);
  ASSERT_EQ(options.windows.size(), 2u);
  EXPECT_EQ(options.windows[0], IovaRange::FromInclusive(Iova(0), Iova(0xfedfffff)).value());
  EXPECT_EQ(options.windows[1],
            IovaRange::FromInclusive(Iova(0xfef00000), Iova(0x7fffffffff)).value());
  ASSIGN_OR_FAIL(ranges, container_->IovaRanges());
  EXPECT_EQ(ranges, options.windows);
  ASSERT_TRUE(container_->MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x1000, Perm::kRead));
  ASSIGN_OR_FAIL(info, container_->GetIommuInfo());
  EXPECT_EQ(info.dma_avail, 65534u);
  EXPECT_EQ(info.iova_pgsizes, 0x40201000u);
}

class LargePageContainerTest : public FakeVfio {
 protected:
  LargePageContainerTest() : FakeVfio(Options()) {}
  static FakeKernel::Options Options() {
    FakeKernel::Options options;
    options.iova_pgsizes = 0x40200000;  // 2 MiB and 1 GiB only
    options.dma_entry_limit = 3;
    options.iova_ranges = {};
    return options;
  }
};

TEST_F(LargePageContainerTest, TrackerTakesTheSmallestPageAndTheEntryLimit) {
  BringUp();
  const DmaMapTracker::Options& options = container_->tracker().options();
  EXPECT_EQ(options.page_size, 0x200000u);
  EXPECT_EQ(options.max_entries, 3u);
  EXPECT_TRUE(options.windows.empty()) << "no IOVA capability: no restriction";
  EXPECT_EQ(container_->MapDma(Iova(0x1000), Hva(0x1000), 0x1000, Perm::kRead).error(),
            DmaError::kUnaligned);
}

TEST_F(ContainerTest, SetIommuEpermMeansNoInterruptRemapping) {
  ASSIGN_OR_FAIL(container, Container::Open(kernel_));
  ASSIGN_OR_FAIL(group, Group::Open(kernel_, 7));
  ASSERT_TRUE(group.Attach(container));
  kernel_.FailNextIoctl(VFIO_SET_IOMMU, EPERM);
  EXPECT_EQ(container.SetIommuType1v2().error(), VfioError::kNoInterruptRemapping);
  EXPECT_FALSE(container.iommu_set());
}

struct BadMap {
  const char* name;
  std::uint64_t iova;
  std::uint64_t hva;
  std::uint64_t size;
  Perm perm;
  DmaError error;
};

// Against one mapping at [0x100000, 0x102000).
constexpr BadMap kBadMaps[] = {
    {"zero_size", 0x200000, 0x7f0000000000, 0, Perm::kRead, DmaError::kZeroSize},
    {"iova_unaligned", 0x200800, 0x7f0000000000, 0x1000, Perm::kRead, DmaError::kUnaligned},
    {"hva_unaligned", 0x200000, 0x7f0000000010, 0x1000, Perm::kRead, DmaError::kUnaligned},
    {"iova_wraps", 0xfffffffffffff000, 0x7f0000000000, 0x2000, Perm::kRead,
     DmaError::kIovaOverflow},
    {"no_permission", 0x200000, 0x7f0000000000, 0x1000, Perm::kNone, DmaError::kNoPermission},
    {"overlaps_next", 0xff000, 0x7f0000000000, 0x2000, Perm::kRead, DmaError::kOverlap},
    {"in_msi_hole", 0xfee00000, 0x7f0000000000, 0x1000, Perm::kRead,
     DmaError::kOutsideIovaWindow},
};

TEST_F(ContainerTest, TrackerRefusesBadMapsBeforeTheKernelSeesThem) {
  BringUp();
  ASSERT_TRUE(container_->MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x2000, Perm::kReadWrite));
  for (const BadMap& c : kBadMaps) {
    EXPECT_EQ(container_->MapDma(Iova(c.iova), Hva(c.hva), c.size, c.perm).error(), c.error)
        << c.name;
  }
  EXPECT_EQ(kernel_.ioctl_calls(VFIO_IOMMU_MAP_DMA), 1u);
}

TEST_F(ContainerTest, MapAndUnmapKeepKernelAndTrackerInStep) {
  BringUp();
  ASSERT_TRUE(container_->MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x2000, Perm::kReadWrite));
  ASSERT_TRUE(container_->MapDma(Iova(0x102000), Hva(0x7f0000100000), 0x1000, Perm::kRead));
  const std::vector<FakeDmaMapping> expected = {
      {0x100000, 0x7f0000000000, 0x2000, VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE},
      {0x102000, 0x7f0000100000, 0x1000, VFIO_DMA_MAP_FLAG_READ}};
  EXPECT_EQ(kernel_.dma_mappings(container_->fd()), expected);
  EXPECT_EQ(container_->tracker().count(), 2u);
  EXPECT_EQ(container_->UnmapDma(Iova(0x400000), 0x1000).value(), 0u) << "nothing there";
  EXPECT_EQ(container_->UnmapDma(Iova(0x101000), 0x1000).error(), DmaError::kPartialUnmap);
  EXPECT_EQ(kernel_.ioctl_calls(VFIO_IOMMU_UNMAP_DMA), 1u) << "the bisecting unmap never left";
  EXPECT_EQ(container_->UnmapDma(Iova(0x100000), 0x3000).value(), 0x3000u);
  EXPECT_TRUE(kernel_.dma_mappings(container_->fd()).empty());
  EXPECT_EQ(container_->tracker().count(), 0u);
  EXPECT_TRUE(container_->MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x2000, Perm::kWrite))
      << "map, unmap, map again";
}

TEST_F(ContainerTest, KernelRefusingAMapLeavesTheTrackerUnchanged) {
  const struct {
    int err;
    std::error_code expected;
  } kCases[] = {{ENOMEM, MakeSysError(VfioError::kMapDma, ENOMEM)},
                {EFAULT, MakeSysError(VfioError::kMapDma, EFAULT)},
                {EEXIST, DmaError::kOverlap},
                {ENOSPC, DmaError::kLimitReached}};
  BringUp();
  ASSERT_TRUE(container_->MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x1000, Perm::kRead));
  for (const auto& c : kCases) {
    kernel_.FailNextIoctl(VFIO_IOMMU_MAP_DMA, c.err);
    EXPECT_EQ(container_->MapDma(Iova(0x200000), Hva(0x7f0000200000), 0x1000, Perm::kRead).error(),
              c.expected)
        << c.err;
    EXPECT_EQ(container_->tracker().count(), 1u) << c.err;
    EXPECT_EQ(container_->tracker().total_bytes(), 0x1000u) << c.err;
    EXPECT_EQ(kernel_.dma_mappings(container_->fd()).size(), 1u) << c.err;
  }
}

TEST_F(ContainerTest, KernelRefusingAnUnmapLeavesTheTrackerUnchanged) {
  BringUp();
  ASSERT_TRUE(container_->MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x1000, Perm::kRead));
  kernel_.FailNextIoctl(VFIO_IOMMU_UNMAP_DMA, EINVAL);
  EXPECT_EQ(GetSysError(container_->UnmapDma(Iova(0x100000), 0x1000).error()),
            (SysError{VfioError::kUnmapDma, EINVAL}));
  EXPECT_EQ(container_->tracker().count(), 1u);
  EXPECT_EQ(container_->UnmapDma(Iova(0x100000), 0x1000).value(), 0x1000u);
}

TEST_F(ContainerTest, DisagreementAboutUnmappedBytesIsReported) {
  BringUp();
  ASSERT_TRUE(container_->MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x1000, Perm::kRead));
  // A mapping the tracker never saw, made behind its back.
  vfio_iommu_type1_dma_map map{sizeof(map), VFIO_DMA_MAP_FLAG_READ, 0x7f0000200000, 0x200000,
                               0x1000};
  ASSERT_EQ(kernel_.Ioctl(container_->fd(), VFIO_IOMMU_MAP_DMA, &map), 0);
  EXPECT_EQ(container_->UnmapDma(Iova(0x100000), 0x200000).error(),
            VfioError::kUnmapSizeMismatch);
  EXPECT_TRUE(kernel_.dma_mappings(container_->fd()).empty());
  EXPECT_EQ(container_->tracker().count(), 0u);
}

TEST_F(ContainerTest, UnmapAllDmaEmptiesBothSides) {
  BringUp();
  ASSERT_TRUE(container_->MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x1000, Perm::kRead));
  ASSERT_TRUE(container_->MapDma(Iova(0x300000), Hva(0x7f0000001000), 0x2000, Perm::kRead));
  EXPECT_EQ(container_->UnmapAllDma().value(), 0x3000u);
  EXPECT_TRUE(kernel_.dma_mappings(container_->fd()).empty());
  EXPECT_EQ(container_->tracker().total_bytes(), 0u);
}

TEST_F(ContainerTest, TheLastGroupLeavingTakesTheIommuAndMappingsAlong) {
  BringUp();
  ASSERT_TRUE(container_->MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x1000, Perm::kRead));
  ASSERT_TRUE(group_->Detach());
  EXPECT_EQ(container_->num_groups(), 0u);
  EXPECT_FALSE(container_->iommu_set());
  EXPECT_EQ(container_->tracker().count(), 0u);
  // Destroying an attached group detaches it too.
  ASSERT_TRUE(group_->Attach(*container_));
  EXPECT_EQ(container_->num_groups(), 1u);
  group_.reset();
  EXPECT_EQ(container_->num_groups(), 0u);
}

TEST_F(ContainerTest, AnAttachedGroupMayOutliveItsContainer) {
  BringUp();
  const int container_fd = container_->fd();
  container_.reset();
  ASSERT_EQ(kernel_.open_fds(), 2u) << "the group keeps the container open";
  vfio_iommu_type1_dma_map map{sizeof(map), VFIO_DMA_MAP_FLAG_READ, 0x7f0000000000, 0x100000,
                               0x1000};
  EXPECT_EQ(kernel_.Ioctl(container_fd, VFIO_IOMMU_MAP_DMA, &map), 0);
  group_.reset();
  EXPECT_EQ(kernel_.open_fds(), 0u);
}

TEST_F(GroupTest, OpenTestsTheViableBitNotTheWholeFlagsWord) {
  internal::TamperingBackend backend(kernel_);
  std::uint32_t reported = 0;
  backend.after_ioctl = [&](unsigned long request, void* arg) {
    if (request == VFIO_GROUP_GET_STATUS) static_cast<vfio_group_status*>(arg)->flags = reported;
  };
  reported = VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET;
  EXPECT_TRUE(Group::Open(backend, 7));
  reported = VFIO_GROUP_FLAGS_CONTAINER_SET;
  EXPECT_EQ(Group::Open(backend, 7).error(), VfioError::kGroupNotViable);
  kernel_.AddGroup({9, /*viable=*/false, {FakeDevice::Edu("0000:00:09.0")}});
  EXPECT_EQ(Group::Open(kernel_, 9).error(), VfioError::kGroupNotViable);
  EXPECT_EQ(GetSysError(Group::Open(kernel_, 8).error()),
            (SysError{VfioError::kOpenGroup, ENOENT}));
  ASSIGN_OR_FAIL(group, Group::Open(kernel_, 7));
  EXPECT_EQ(GetSysError(Group::Open(kernel_, 7).error()), (SysError{VfioError::kOpenGroup, EBUSY}));
}

TEST_F(GroupTest, AttachAndDetachFailuresKeepTheirErrnoAndTheGroupCount) {
  BringUp();
  EXPECT_EQ(GetSysError(group_->Attach(*container_).error()),
            (SysError{VfioError::kSetContainer, EINVAL}));
  EXPECT_EQ(container_->num_groups(), 1u);
  ASSIGN_OR_FAIL(device, group_->OpenDevice(std::string(kEdu)));
  EXPECT_EQ(GetSysError(group_->Detach().error()), (SysError{VfioError::kUnsetContainer, EBUSY}));
  EXPECT_EQ(container_->num_groups(), 1u);
  EXPECT_TRUE(container_->iommu_set());
  EXPECT_EQ(GetSysError(group_->OpenDevice(std::string("0000:00:1f.0")).error()),
            (SysError{VfioError::kGetDeviceFd, ENODEV}));
}

std::vector<std::byte> Cap(std::uint16_t id, std::uint32_t next,
                           const std::vector<std::uint32_t>& body = {}) {
  std::vector<std::byte> out(sizeof(vfio_info_cap_header) + 4 * body.size());
  const vfio_info_cap_header header{id, 1, next};
  std::memcpy(out.data(), &header, sizeof(header));
  if (!body.empty()) std::memcpy(out.data() + sizeof(header), body.data(), 4 * body.size());
  return out;
}

std::vector<std::byte> Concat(std::vector<std::byte> a, const std::vector<std::byte>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// An IOVA-range capability body: nr_iovas, reserved, then (start, end) pairs as 32-bit halves.
std::vector<std::uint32_t> Ranges(std::uint32_t nr, std::vector<std::uint64_t> bounds) {
  std::vector<std::uint32_t> body = {nr, 0};
  for (std::uint64_t b : bounds) {
    body.push_back(static_cast<std::uint32_t>(b));
    body.push_back(static_cast<std::uint32_t>(b >> 32));
  }
  return body;
}

constexpr std::uint16_t kIovaCap = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE;
constexpr std::uint16_t kAvailCap = VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL;

TEST_F(ContainerTest, CorruptIommuCapabilityChainsAreErrorsNotCrashes) {
  const struct {
    const char* name;
    std::vector<std::byte> caps;  // placed at offset 24
    std::uint32_t cap_offset;
    std::optional<std::size_t> ranges;  // nullopt: kCorruptInfo expected
  } kCases[] = {
      {"valid", Cap(kIovaCap, 0, Ranges(1, {0x1000, 0x1fff})), 24, 1},
      {"unknown_then_ranges",
       Concat(Cap(99, 32), Cap(kIovaCap, 0, Ranges(2, {0, 0xfff, 0x2000, 0x2fff}))), 24, 2},
      {"whole_64_bit_space", Cap(kIovaCap, 0, Ranges(1, {0, UINT64_MAX})), 24, 0},
      {"first_inside_fixed_struct", Cap(kIovaCap, 0, Ranges(1, {0x1000, 0x1fff})), 8, {}},
      {"first_past_the_end", Cap(kIovaCap, 0, Ranges(1, {0x1000, 0x1fff})), 200, {}},
      {"header_cut_short", std::vector<std::byte>(4), 24, {}},
      {"next_points_at_itself", Cap(99, 24), 24, {}},
      {"two_cap_cycle", Concat(Cap(99, 32), Cap(98, 24)), 24, {}},
      {"more_ranges_than_bytes", Cap(kIovaCap, 0, Ranges(1000, {0x1000, 0x1fff})), 24, {}},
      {"range_ends_before_it_starts", Cap(kIovaCap, 0, Ranges(1, {0x2000, 0x1000})), 24, {}},
      {"dma_avail_cut_short", Cap(kAvailCap, 0), 24, {}},
      {"argsz_beyond_any_real_reply", std::vector<std::byte>(70000), 24, {}},
  };
  BringUp();
  for (const auto& c : kCases) {
    kernel_.SetRawIommuCaps(c.caps, c.cap_offset);
    const auto info = container_->GetIommuInfo();
    if (c.ranges) {
      ASSERT_TRUE(info) << c.name << ": " << info.error().message();
      EXPECT_EQ(info.value().iova_ranges.size(), *c.ranges) << c.name;
    } else {
      EXPECT_EQ(info.error(), VfioError::kCorruptInfo) << c.name;
    }
  }
}

}  // namespace
}  // namespace vfio
