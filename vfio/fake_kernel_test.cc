// The fake kernel's container, group and type1 IOMMU against the errnos Linux 6.1 gives
// (research/vfio.md §3.2, §6), driven through raw uapi structs so the same cases can later run
// against the real kernel. Device ioctls are in fake_kernel_device_test.cc.
#include "vfio/fake_kernel.h"

#include <linux/vfio.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

namespace vfio {
namespace {

constexpr char kEdu[] = "0000:00:04.0";
constexpr char kE1000e[] = "0000:00:05.0";
constexpr unsigned kGroupId = 7;
constexpr std::uint32_t kRw = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
constexpr std::uint64_t kVaddr = 0x7f0000000000;

FakeGroup EduAndE1000e() {
  return {kGroupId, true, {FakeDevice::Edu(kEdu), FakeDevice::E1000e(kE1000e)}};
}

enum class Stage { kOpened, kAttached, kIommuSet, kDeviceOpen };

struct Fds {
  int container = -1;
  int group = -1;
  int device = -1;
};

// Walks the usual bring-up as far as `stage`.
Fds Bringup(FakeKernel& kernel, Stage stage, const char* device = kE1000e) {
  Fds fds;
  fds.container = kernel.Open(kContainerPath);
  fds.group = kernel.Open("/dev/vfio/7");
  EXPECT_GE(fds.container, 0);
  EXPECT_GE(fds.group, 0);
  if (stage == Stage::kOpened) return fds;
  EXPECT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_SET_CONTAINER, &fds.container), 0);
  if (stage == Stage::kAttached) return fds;
  EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
  if (stage == Stage::kIommuSet) return fds;
  fds.device = kernel.Ioctl(fds.group, VFIO_GROUP_GET_DEVICE_FD, const_cast<char*>(device));
  EXPECT_GE(fds.device, 0);
  return fds;
}

int Map(Backend& b, int container, std::uint64_t iova, std::uint64_t size,
        std::uint32_t flags = kRw, std::uint64_t vaddr = kVaddr,
        std::uint32_t argsz = sizeof(vfio_iommu_type1_dma_map)) {
  vfio_iommu_type1_dma_map map{argsz, flags, vaddr, iova, size};
  return b.Ioctl(container, VFIO_IOMMU_MAP_DMA, &map);
}

int Unmap(Backend& b, int container, std::uint64_t iova, std::uint64_t size,
          std::uint32_t flags = 0, std::uint64_t* unmapped = nullptr,
          std::uint32_t argsz = sizeof(vfio_iommu_type1_dma_unmap)) {
  vfio_iommu_type1_dma_unmap unmap{argsz, flags, iova, size};
  const int rc = b.Ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap);
  if (unmapped != nullptr) *unmapped = unmap.size;
  return rc;
}

int Status(FakeKernel& kernel, int group) {
  vfio_group_status status{sizeof(status), 0};
  const int rc = kernel.Ioctl(group, VFIO_GROUP_GET_STATUS, &status);
  return rc < 0 ? rc : static_cast<int>(status.flags);
}

// What Linux 6.1.192 answered in the QEMU guest (vfio/vm): DMA_CC and UPDATE_VADDR ask the
// IOMMU, so both are 0 on a bare container; DMA_CC stays 0 without snoop control.
TEST(FakeKernelTest, ReportsApiVersionAndTheExtensionsOfStockType1) {
  constexpr struct {
    unsigned long extension;
    int before;  // on a container without an IOMMU
    int after;   // once SET_IOMMU(TYPE1v2) succeeded
  } kCases[] = {{VFIO_TYPE1_IOMMU, 1, 1},     {VFIO_TYPE1v2_IOMMU, 1, 1},
                {VFIO_TYPE1_NESTING_IOMMU, 1, 1}, {VFIO_UNMAP_ALL, 1, 1},
                {VFIO_UPDATE_VADDR, 0, 1},    {VFIO_DMA_CC_IOMMU, 0, 0},
                {VFIO_NOIOMMU_IOMMU, 0, 0},   {VFIO_SPAPR_TCE_IOMMU, 0, 0},
                {999, 0, 0}};
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kAttached);
  EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_GET_API_VERSION, 0), VFIO_API_VERSION);
  for (const auto& k : kCases) {
    EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_CHECK_EXTENSION, k.extension), k.before)
        << "extension " << k.extension;
  }
  ASSERT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
  for (const auto& k : kCases) {
    EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_CHECK_EXTENSION, k.extension), k.after)
        << "extension " << k.extension;
  }
}

TEST(FakeKernelTest, DmaCcFollowsTheIommusCacheCoherency) {
  FakeKernel::Options options;
  options.enforce_cache_coherency = true;
  FakeKernel kernel(options);
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kAttached);
  EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU), 0)
      << "no IOMMU to ask yet";
  ASSERT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
  EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU), 1);
}

TEST(FakeKernelTest, RejectsSetIommuBeforeAGroupIsAttached) {
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kOpened);
  EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), -EINVAL);
}

TEST(FakeKernelTest, GroupViabilityFlagsGoFrom1To3AfterSetContainer) {
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kOpened);
  EXPECT_EQ(Status(kernel, fds.group), 0x1);
  ASSERT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_SET_CONTAINER, const_cast<int*>(&fds.container)),
            0);
  EXPECT_EQ(Status(kernel, fds.group), 0x3);
}

TEST(FakeKernelTest, SetIommuRefusesTypesType1CannotOpenAndASecondCall) {
  constexpr struct {
    unsigned long type;
    int result;
  } kCases[] = {{VFIO_UNMAP_ALL, -EINVAL},      {VFIO_UPDATE_VADDR, -EINVAL},
                {VFIO_NOIOMMU_IOMMU, -ENODEV},  {VFIO_SPAPR_TCE_IOMMU, -ENODEV},
                {VFIO_TYPE1v2_IOMMU, 0}};
  for (const auto& c : kCases) {
    FakeKernel kernel;
    kernel.AddGroup(EduAndE1000e());
    const Fds fds = Bringup(kernel, Stage::kAttached);
    EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, c.type), c.result)
        << "type " << c.type;
  }
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kIommuSet);
  EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), -EINVAL);
}

TEST(FakeKernelTest, SetIommuWithoutInterruptRemappingIsEperm) {
  FakeKernel::Options options;
  options.interrupt_remapping = false;
  FakeKernel kernel(options);
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kAttached);
  EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), -EPERM);
}

TEST(FakeKernelTest, IommuIoctlsWithoutAnIommuAreEinvalAndUnknownOnesEnotty) {
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kAttached);
  EXPECT_EQ(Map(kernel, fds.container, 0x100000, 0x1000), -EINVAL);
  vfio_iommu_type1_info info{sizeof(info), 0, 0, 0};
  EXPECT_EQ(kernel.Ioctl(fds.container, VFIO_IOMMU_GET_INFO, &info), -EINVAL);
  ASSERT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
  EXPECT_EQ(kernel.Ioctl(fds.container, VFIO_IOMMU_ENABLE, nullptr), -ENOTTY);
}

// The layout type1 produces: migration (32 bytes) at 24, DMA avail (12) at 56, IOVA ranges at
// 68 (unaligned), after a first call that only learns the size.
TEST(FakeKernelTest, GetInfoReportsPageSizesDmaAvailAndTheMsiHole) {
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kIommuSet);
  vfio_iommu_type1_info info{sizeof(info), 0, 0, 0};
  ASSERT_EQ(kernel.Ioctl(fds.container, VFIO_IOMMU_GET_INFO, &info), 0);
  EXPECT_EQ(info.flags, VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS);
  EXPECT_EQ(info.iova_pgsizes, 0x40201000u);
  EXPECT_EQ(info.cap_offset, 0u) << "no chain when it does not fit";
  ASSERT_EQ(info.argsz, 24u + 32 + 12 + 16 + 2 * 16);

  std::vector<std::byte> buf(info.argsz);
  info.argsz = static_cast<std::uint32_t>(buf.size());
  std::memcpy(buf.data(), &info, sizeof(info));
  ASSERT_EQ(kernel.Ioctl(fds.container, VFIO_IOMMU_GET_INFO, buf.data()), 0);
  std::memcpy(&info, buf.data(), sizeof(info));
  ASSERT_EQ(info.cap_offset, 24u);
  auto header_at = [&](std::uint32_t offset) {
    vfio_info_cap_header h;
    std::memcpy(&h, buf.data() + offset, sizeof(h));
    return h;
  };
  EXPECT_EQ(header_at(24).id, VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION);
  ASSERT_EQ(header_at(24).next, 56u);
  EXPECT_EQ(header_at(56).id, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
  std::uint32_t avail = 0;
  std::memcpy(&avail, buf.data() + 56 + sizeof(vfio_info_cap_header), sizeof(avail));
  EXPECT_EQ(avail, 65535u);
  ASSERT_EQ(header_at(56).next, 68u);
  EXPECT_EQ(header_at(68).id, VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
  EXPECT_EQ(header_at(68).next, 0u);
  vfio_iova_range ranges[2];
  std::memcpy(ranges, buf.data() + 68 + 16, sizeof(ranges));
  EXPECT_EQ(ranges[0].start, 0u);
  EXPECT_EQ(ranges[0].end, 0xfedfffffu);
  EXPECT_EQ(ranges[1].start, 0xfef00000u);
  EXPECT_EQ(ranges[1].end, 0x7fffffffffu);

  info.argsz = 15;
  EXPECT_EQ(kernel.Ioctl(fds.container, VFIO_IOMMU_GET_INFO, &info), -EINVAL);
}

TEST(FakeKernelTest, GroupOpenIsExclusiveAndUnknownGroupsDoNotExist) {
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  EXPECT_GE(kernel.Open("/dev/vfio/7"), 0);
  EXPECT_EQ(kernel.Open("/dev/vfio/7"), -EBUSY);
  EXPECT_EQ(kernel.Open("/dev/vfio/8"), -ENOENT);
  EXPECT_EQ(kernel.Open("/dev/vfio/x"), -ENOENT);
  EXPECT_EQ(kernel.Open("/dev/vfio/07"), -ENOENT);
  EXPECT_EQ(kernel.Open("/dev/vfio/99999999999999999999"), -ENOENT);
}

TEST(FakeKernelTest, SetContainerChecksTheFdTheOwnershipAndAnExistingContainer) {
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  kernel.AddGroup({8, /*viable=*/false, {FakeDevice::Edu("0000:00:06.0")}});
  const Fds fds = Bringup(kernel, Stage::kOpened);
  int not_open = 9999;
  EXPECT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_SET_CONTAINER, &not_open), -EBADF);
  int eventfd = kernel.CreateEventfd();
  EXPECT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_SET_CONTAINER, &eventfd), -EBADFD);
  int container = fds.container;
  const int busy_group = kernel.Open("/dev/vfio/8");
  EXPECT_EQ(Status(kernel, busy_group), 0) << "a host driver owns a device: not viable";
  EXPECT_EQ(kernel.Ioctl(busy_group, VFIO_GROUP_SET_CONTAINER, &container), -EPERM);
  ASSERT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_SET_CONTAINER, &container), 0);
  EXPECT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_SET_CONTAINER, &container), -EINVAL);
}

TEST(FakeKernelTest, GetDeviceFdNeedsAKnownNameAndAnIommu) {
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kOpened);
  char unknown[] = "0000:00:1f.0";
  char edu[] = "0000:00:04.0";
  EXPECT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_GET_DEVICE_FD, unknown), -ENODEV);
  EXPECT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_GET_DEVICE_FD, edu), -EINVAL) << "no container";
  int container = fds.container;
  ASSERT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_SET_CONTAINER, &container), 0);
  EXPECT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_GET_DEVICE_FD, edu), -EINVAL) << "no IOMMU";
  ASSERT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
  EXPECT_GE(kernel.Ioctl(fds.group, VFIO_GROUP_GET_DEVICE_FD, edu), 0);
  EXPECT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_GET_DEVICE_FD, unknown), -ENODEV);
}

TEST(FakeKernelTest, UnsetContainerWaitsForDeviceFdsAndDropsTheLastGroupsMappings) {
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kDeviceOpen);
  ASSERT_EQ(Map(kernel, fds.container, 0x100000, 0x1000), 0);
  EXPECT_EQ(kernel.IoctlValue(fds.group, VFIO_GROUP_UNSET_CONTAINER, 0), -EBUSY);
  ASSERT_EQ(kernel.Close(fds.device), 0);
  EXPECT_EQ(kernel.IoctlValue(fds.group, VFIO_GROUP_UNSET_CONTAINER, 0), 0);
  EXPECT_TRUE(kernel.dma_mappings(fds.container).empty());
  EXPECT_EQ(Map(kernel, fds.container, 0x100000, 0x1000), -EINVAL) << "the IOMMU went too";
  EXPECT_EQ(kernel.IoctlValue(fds.group, VFIO_GROUP_UNSET_CONTAINER, 0), -EINVAL);
}

struct MapCase {
  const char* name;
  std::uint32_t argsz;
  std::uint32_t flags;
  std::uint64_t iova;
  std::uint64_t vaddr;
  std::uint64_t size;
  int result;
};

// Against one existing mapping [0x100000, 0x102000).
constexpr std::uint32_t kMapSize = sizeof(vfio_iommu_type1_dma_map);
constexpr MapCase kMapCases[] = {
    {"fits", kMapSize, kRw, 0x200000, kVaddr, 0x1000, 0},
    {"read_only", kMapSize, VFIO_DMA_MAP_FLAG_READ, 0x200000, kVaddr, 0x1000, 0},
    {"adjacent_after", kMapSize, kRw, 0x102000, kVaddr, 0x1000, 0},
    {"adjacent_before", kMapSize, kRw, 0xff000, kVaddr, 0x1000, 0},
    {"short_argsz", kMapSize - 1, kRw, 0x200000, kVaddr, 0x1000, -EINVAL},
    {"unknown_flag", kMapSize, kRw | 0x8, 0x200000, kVaddr, 0x1000, -EINVAL},
    {"no_permission", kMapSize, 0, 0x200000, kVaddr, 0x1000, -EINVAL},
    {"vaddr_with_prot", kMapSize, kRw | VFIO_DMA_MAP_FLAG_VADDR, 0x100000, kVaddr, 0x2000,
     -EINVAL},
    {"zero_size", kMapSize, kRw, 0x200000, kVaddr, 0, -EINVAL},
    {"iova_unaligned", kMapSize, kRw, 0x200800, kVaddr, 0x1000, -EINVAL},
    {"vaddr_unaligned", kMapSize, kRw, 0x200000, kVaddr + 0x10, 0x1000, -EINVAL},
    {"size_unaligned", kMapSize, kRw, 0x200000, kVaddr, 0x800, -EINVAL},
    {"iova_wraps", kMapSize, kRw, 0xfffffffffffff000, kVaddr, 0x2000, -EINVAL},
    {"vaddr_wraps", kMapSize, kRw, 0x200000, 0xfffffffffffff000, 0x2000, -EINVAL},
    {"same_range", kMapSize, kRw, 0x100000, kVaddr, 0x2000, -EEXIST},
    {"overlaps_start", kMapSize, kRw, 0xff000, kVaddr, 0x2000, -EEXIST},
    {"overlaps_end", kMapSize, kRw, 0x101000, kVaddr, 0x2000, -EEXIST},
    {"covers", kMapSize, kRw, 0xf0000, kVaddr, 0x100000, -EEXIST},
    {"in_msi_hole", kMapSize, kRw, 0xfee00000, kVaddr, 0x1000, -EINVAL},
    {"across_window_end", kMapSize, kRw, 0xfedff000, kVaddr, 0x2000, -EINVAL},
    {"above_39_bits", kMapSize, kRw, 0x8000000000, kVaddr, 0x1000, -EINVAL},
    {"vaddr_update_of_valid", kMapSize, VFIO_DMA_MAP_FLAG_VADDR, 0x100000, kVaddr, 0x2000,
     -EINVAL},
    {"vaddr_update_of_nothing", kMapSize, VFIO_DMA_MAP_FLAG_VADDR, 0x400000, kVaddr, 0x1000,
     -ENOENT},
};

TEST(FakeKernelTest, MapDmaGivesType1sErrnos) {
  for (const MapCase& c : kMapCases) {
    SCOPED_TRACE(c.name);
    FakeKernel kernel;
    kernel.AddGroup(EduAndE1000e());
    const Fds fds = Bringup(kernel, Stage::kIommuSet);
    ASSERT_EQ(Map(kernel, fds.container, 0x100000, 0x2000), 0);
    EXPECT_EQ(Map(kernel, fds.container, c.iova, c.size, c.flags, c.vaddr, c.argsz), c.result);
    EXPECT_EQ(kernel.dma_mappings(fds.container).size(), c.result == 0 ? 2u : 1u);
  }
}

TEST(FakeKernelTest, MapDmaChecksOverlapBeforeTheEntryLimit) {
  FakeKernel::Options options;
  options.dma_entry_limit = 2;
  FakeKernel kernel(options);
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kIommuSet);
  ASSERT_EQ(Map(kernel, fds.container, 0x100000, 0x1000), 0);
  ASSERT_EQ(Map(kernel, fds.container, 0x200000, 0x1000), 0);
  EXPECT_EQ(Map(kernel, fds.container, 0x300000, 0x1000), -ENOSPC);
  EXPECT_EQ(Map(kernel, fds.container, 0x100000, 0x1000), -EEXIST);
  ASSERT_EQ(Unmap(kernel, fds.container, 0x100000, 0x1000), 0);
  EXPECT_EQ(Map(kernel, fds.container, 0x300000, 0x1000), 0) << "unmap returns the entry";
}

struct UnmapCase {
  const char* name;
  std::uint32_t argsz;
  std::uint32_t flags;
  std::uint64_t iova;
  std::uint64_t size;
  int result;
  std::uint64_t unmapped;
  std::size_t left;  // mappings left
};

// Against [0x100000, 0x102000) and [0x102000, 0x103000).
constexpr std::uint32_t kUnmapSize = sizeof(vfio_iommu_type1_dma_unmap);
constexpr UnmapCase kUnmapCases[] = {
    {"exact", kUnmapSize, 0, 0x100000, 0x2000, 0, 0x2000, 1},
    {"both", kUnmapSize, 0, 0x100000, 0x3000, 0, 0x3000, 0},
    {"wider", kUnmapSize, 0, 0x0, 0x400000, 0, 0x3000, 0},
    {"nothing_there", kUnmapSize, 0, 0x400000, 0x1000, 0, 0, 2},
    {"starts_inside", kUnmapSize, 0, 0x101000, 0x2000, -EINVAL, 0, 2},
    {"ends_inside", kUnmapSize, 0, 0x100000, 0x1000, -EINVAL, 0, 2},
    {"iova_unaligned", kUnmapSize, 0, 0x100800, 0x1000, -EINVAL, 0, 2},
    {"zero_size", kUnmapSize, 0, 0x100000, 0, -EINVAL, 0, 2},
    {"size_unaligned", kUnmapSize, 0, 0x100000, 0x1800, -EINVAL, 0, 2},
    {"wraps", kUnmapSize, 0, 0xfffffffffffff000, 0x2000, -EINVAL, 0, 2},
    {"short_argsz", kUnmapSize - 1, 0, 0x100000, 0x2000, -EINVAL, 0, 2},
    {"unknown_flag", kUnmapSize, 0x8, 0x100000, 0x2000, -EINVAL, 0, 2},
    {"all", kUnmapSize, VFIO_DMA_UNMAP_FLAG_ALL, 0, 0, 0, 0x3000, 0},
    {"all_with_range", kUnmapSize, VFIO_DMA_UNMAP_FLAG_ALL, 0x100000, 0x2000, -EINVAL, 0, 2},
    {"dirty_bitmap", kUnmapSize, VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, 0x100000, 0x2000, -EINVAL,
     0, 2},
    {"invalidate_vaddr", kUnmapSize, VFIO_DMA_UNMAP_FLAG_VADDR, 0x100000, 0x2000, 0, 0x2000, 2},
};

TEST(FakeKernelTest, UnmapDmaGivesType1v2sErrnosAndSizes) {
  for (const UnmapCase& c : kUnmapCases) {
    SCOPED_TRACE(c.name);
    FakeKernel kernel;
    kernel.AddGroup(EduAndE1000e());
    const Fds fds = Bringup(kernel, Stage::kIommuSet);
    ASSERT_EQ(Map(kernel, fds.container, 0x100000, 0x2000), 0);
    ASSERT_EQ(Map(kernel, fds.container, 0x102000, 0x1000), 0);
    std::uint64_t unmapped = 0;
    EXPECT_EQ(Unmap(kernel, fds.container, c.iova, c.size, c.flags, &unmapped, c.argsz),
              c.result);
    if (c.result == 0) {
      EXPECT_EQ(unmapped, c.unmapped);
    }
    EXPECT_EQ(kernel.dma_mappings(fds.container).size(), c.left);
  }
}

TEST(FakeKernelTest, VaddrInvalidationThenUpdateRestoresTheMapping) {
  FakeKernel kernel;
  kernel.AddGroup(EduAndE1000e());
  const Fds fds = Bringup(kernel, Stage::kIommuSet);
  ASSERT_EQ(Map(kernel, fds.container, 0x100000, 0x2000), 0);
  ASSERT_EQ(Unmap(kernel, fds.container, 0x100000, 0x2000, VFIO_DMA_UNMAP_FLAG_VADDR), 0);
  EXPECT_EQ(Unmap(kernel, fds.container, 0x100000, 0x2000, VFIO_DMA_UNMAP_FLAG_VADDR), -EINVAL)
      << "already invalid";
  EXPECT_EQ(Map(kernel, fds.container, 0x100000, 0x2000, VFIO_DMA_MAP_FLAG_VADDR, 0x5000), 0);
  ASSERT_EQ(kernel.dma_mappings(fds.container).size(), 1u);
  EXPECT_EQ(kernel.dma_mappings(fds.container)[0].vaddr, 0x5000u);
}

}  // namespace
}  // namespace vfio
