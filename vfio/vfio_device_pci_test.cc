// Device (the vfio-pci device fd) against the fake kernel: opening by BDF, region info and its
// capability chains, bounds-checked config access, and MSI-X eventfds with loopback triggers.
// Split from vfio_device_test.cc, which covers errors, Container and Group.
#include <linux/vfio.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vfio/fake_kernel.h"
#include "vfio/internal/tampering_backend.h"
#include "vfio/pci_address.h"
#include "vfio/vfio_device.h"

namespace vfio {
namespace {

using internal::TamperingBackend;

constexpr char kEdu[] = "0000:00:04.0";
constexpr char kE1000e[] = "0000:00:05.0";

// Group 7 (edu, e1000e) attached to a container with its IOMMU set, over `backend`.
class DeviceTest : public ::testing::Test {
 protected:
  DeviceTest() {
    kernel_.AddGroup({7, true, {FakeDevice::Edu(kEdu), FakeDevice::E1000e(kE1000e)}});
  }

  void BringUp() {
    ASSIGN_OR_FAIL(container, Container::Open(backend_));
    ASSIGN_OR_FAIL(group, Group::Open(backend_, 7));
    container_.emplace(std::move(container));
    group_.emplace(std::move(group));
    ASSERT_TRUE(group_->Attach(*container_));
    ASSERT_TRUE(container_->SetIommuType1v2());
  }

  Result<Device> Open(const char* name) {
    auto bdf = ParseBdf(name);
    if (!bdf) return bdf.error();
    return group_->OpenDevice(bdf.value());
  }

  FakeKernel kernel_;
  TamperingBackend backend_{kernel_};
  std::optional<Container> container_;
  std::optional<Group> group_;
};

TEST_F(DeviceTest, OpensByBdfAndReadsConfigSpaceThroughTheConfigRegion) {
  BringUp();
  ASSIGN_OR_FAIL(edu, Open(kEdu));
  EXPECT_EQ(edu.info().flags, VFIO_DEVICE_FLAGS_PCI);
  EXPECT_EQ(edu.config_region().offset, std::uint64_t{VFIO_PCI_CONFIG_REGION_INDEX} << 40);
  EXPECT_EQ(edu.config_region().size, 0x100u);
  EXPECT_EQ(edu.ReadConfig(0, 2).value(), 0x1234u);
  EXPECT_EQ(edu.ReadConfig(2, 2).value(), 0x11e8u);
  EXPECT_EQ(edu.ReadConfig(0, 4).value(), 0x11e81234u);
  EXPECT_EQ(edu.ReadConfig(0x3d, 1).value(), 1u) << "interrupt pin A";
  ASSIGN_OR_FAIL(e1000e, Open(kE1000e));
  EXPECT_EQ(e1000e.info().flags, VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET);
  EXPECT_EQ(e1000e.config_region().size, 0x1000u);
}

TEST_F(DeviceTest, ConfigAccessesAreCheckedBeforeTheKernelSeesThem) {
  constexpr struct {
    std::uint32_t offset;
    unsigned len;
    bool ok;
  } kCases[] = {{0, 4, true},      {2, 2, true},           {3, 1, true},    {0xfc, 4, true},
                {0xff, 1, true},   {1, 2, false},          {2, 4, false},   {0, 3, false},
                {0, 8, false},     {0, 0, false},          {0x100, 1, false}, {0xfe, 4, false},
                {0xfffffffc, 4, false}, {0xffffffff, 1, false}};
  BringUp();
  ASSIGN_OR_FAIL(edu, Open(kEdu));
  for (const auto& c : kCases) {
    const int transfers = backend_.transfers;
    const auto read = edu.ReadConfig(c.offset, c.len);
    const auto write = edu.WriteConfig(c.offset, c.len, 0);
    EXPECT_EQ(read.has_value(), c.ok) << c.offset << "/" << c.len;
    EXPECT_EQ(write.has_value(), c.ok) << c.offset << "/" << c.len;
    if (c.ok) continue;
    EXPECT_EQ(read.error(), VfioError::kBadConfigAccess);
    EXPECT_EQ(write.error(), VfioError::kBadConfigAccess);
    EXPECT_EQ(backend_.transfers, transfers) << "refused without a pread or pwrite";
  }
}

TEST_F(DeviceTest, ConfigWritesReachTheRegionLittleEndian) {
  BringUp();
  ASSIGN_OR_FAIL(edu, Open(kEdu));
  ASSERT_TRUE(edu.WriteConfig(0x04, 2, 0x0406));
  const std::vector<std::uint8_t> config = kernel_.config(kEdu);
  EXPECT_EQ(config[0x04], 0x06);
  EXPECT_EQ(config[0x05], 0x04);
  EXPECT_EQ(edu.ReadConfig(0x04, 2).value(), 0x0406u);
  EXPECT_EQ(edu.WriteConfig(0x04, 1, 0x1ff).error(), VfioError::kBadConfigAccess)
      << "a value wider than the access";
}

TEST_F(DeviceTest, ShortOrFailedConfigTransfersAreErrors) {
  BringUp();
  ASSIGN_OR_FAIL(edu, Open(kEdu));
  backend_.short_transfers = true;
  EXPECT_EQ(edu.ReadConfig(0, 4).error(), VfioError::kShortTransfer);
  EXPECT_EQ(edu.WriteConfig(0, 4, 0).error(), VfioError::kShortTransfer);
  backend_.short_transfers = false;
  kernel_.FailNext(FakeKernel::Call::kPread, EIO);
  EXPECT_EQ(GetSysError(edu.ReadConfig(0, 4).error()), (SysError{VfioError::kConfigRead, EIO}));
  kernel_.FailNext(FakeKernel::Call::kPwrite, EIO);
  EXPECT_EQ(GetSysError(edu.WriteConfig(4, 2, 0).error()),
            (SysError{VfioError::kConfigWrite, EIO}));
}

TEST_F(DeviceTest, OpeningRefusesWhatIsNotAUsablePciDevice) {
  const struct {
    const char* name;
    std::uint32_t flags;
    std::uint32_t num_regions;
    std::uint32_t num_irqs;
    VfioError error;
  } kCases[] = {{"platform_device", VFIO_DEVICE_FLAGS_PLATFORM, 9, 5, VfioError::kNotPci},
                {"no_config_region", VFIO_DEVICE_FLAGS_PCI, 7, 5, VfioError::kTooFewRegions},
                {"no_msix_index", VFIO_DEVICE_FLAGS_PCI, 9, 2, VfioError::kTooFewIrqs}};
  BringUp();
  for (const auto& c : kCases) {
    backend_.after_ioctl = [&](unsigned long request, void* arg) {
      if (request != VFIO_DEVICE_GET_INFO) return;
      auto* info = static_cast<vfio_device_info*>(arg);
      info->flags = c.flags;
      info->num_regions = c.num_regions;
      info->num_irqs = c.num_irqs;
    };
    EXPECT_EQ(Open(kEdu).error(), c.error) << c.name;
  }
  EXPECT_EQ(kernel_.open_fds(), 2u) << "every refused device fd was closed";
}

TEST_F(DeviceTest, RegionInfoReportsUnimplementedBarsAndMsixMappable) {
  BringUp();
  ASSIGN_OR_FAIL(e1000e, Open(kE1000e));
  ASSIGN_OR_FAIL(bar3, e1000e.GetRegionInfo(3));
  EXPECT_TRUE(bar3.implemented());
  EXPECT_TRUE(bar3.msix_mappable);
  EXPECT_EQ(bar3.size, 16u << 10);
  EXPECT_EQ(bar3.offset, std::uint64_t{3} << 40);
  ASSIGN_OR_FAIL(bar4, e1000e.GetRegionInfo(4));
  EXPECT_FALSE(bar4.implemented());
  EXPECT_EQ(GetSysError(e1000e.GetRegionInfo(VFIO_PCI_VGA_REGION_INDEX).error()),
            (SysError{VfioError::kRegionInfo, EINVAL}));
}

std::vector<std::byte> SparseCap(std::uint32_t next, std::uint32_t nr,
                                 const std::vector<SparseArea>& areas) {
  vfio_region_info_cap_sparse_mmap cap{};
  cap.header = {VFIO_REGION_INFO_CAP_SPARSE_MMAP, 1, next};
  cap.nr_areas = nr;
  std::vector<std::byte> out(sizeof(cap) + areas.size() * sizeof(vfio_region_sparse_mmap_area));
  std::memcpy(out.data(), &cap, sizeof(cap));
  for (std::size_t i = 0; i < areas.size(); ++i) {
    const vfio_region_sparse_mmap_area area{areas[i].offset, areas[i].size};
    std::memcpy(out.data() + sizeof(cap) + i * sizeof(area), &area, sizeof(area));
  }
  return out;
}

TEST_F(DeviceTest, SparseAreasAreParsedAndCorruptOnesRefused) {
  constexpr std::uint64_t kBar = 128 << 10;  // e1000e BAR0
  const struct {
    const char* name;
    std::vector<std::byte> caps;
    std::uint32_t cap_offset;
    bool ok;
  } kCases[] = {
      {"two_areas", SparseCap(0, 2, {{0, 0x3000}, {0x4000, kBar - 0x4000}}), 32, true},
      {"area_past_the_region", SparseCap(0, 1, {{0x4000, kBar}}), 32, false},
      {"area_wraps", SparseCap(0, 1, {{0x1000, UINT64_MAX}}), 32, false},
      {"more_areas_than_bytes", SparseCap(0, 50, {{0, 0x1000}}), 32, false},
      {"loops_to_itself", SparseCap(32, 1, {{0, 0x1000}}), 32, false},
      {"first_inside_fixed_struct", SparseCap(0, 1, {{0, 0x1000}}), 16, false},
  };
  BringUp();
  ASSIGN_OR_FAIL(e1000e, Open(kE1000e));
  for (const auto& c : kCases) {
    kernel_.SetRawRegionCaps(kE1000e, 0, c.caps, c.cap_offset);
    const auto info = e1000e.GetRegionInfo(0);
    ASSERT_EQ(info.has_value(), c.ok) << c.name;
    if (!c.ok) {
      EXPECT_EQ(info.error(), VfioError::kCorruptInfo) << c.name;
      continue;
    }
    const std::vector<SparseArea> expected = {{0, 0x3000}, {0x4000, kBar - 0x4000}};
    EXPECT_EQ(info.value().sparse_areas, expected);
  }
}

TEST_F(DeviceTest, MsixEventfdsFireOnlyTheirVectorAndStopWhenDisabled) {
  BringUp();
  ASSIGN_OR_FAIL(e1000e, Open(kE1000e));
  EXPECT_EQ(e1000e.IrqCount(VFIO_PCI_MSIX_IRQ_INDEX).value(), 5u);
  EXPECT_EQ(e1000e.IrqCount(VFIO_PCI_MSI_IRQ_INDEX).value(), 1u);
  EXPECT_EQ(GetSysError(e1000e.GetIrqInfo(VFIO_PCI_NUM_IRQS).error()),
            (SysError{VfioError::kIrqInfo, EINVAL}));
  std::vector<ScopedFd> eventfds;
  std::vector<int> fds;
  for (int i = 0; i < 5; ++i) {
    ASSIGN_OR_FAIL(eventfd, CreateEventfd(backend_));
    fds.push_back(eventfd.get());
    eventfds.push_back(std::move(eventfd));
  }
  ASSERT_TRUE(e1000e.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 0, fds));
  ASSERT_TRUE(e1000e.Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 3));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(ReadEventfd(backend_, fds[i]).value(), i == 3 ? 1u : 0u);

  const int unbind[] = {-1};
  ASSERT_TRUE(e1000e.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 2, unbind));
  ASSERT_TRUE(e1000e.Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 2));
  EXPECT_EQ(ReadEventfd(backend_, fds[2]).value(), 0u) << "vector 2 was unbound";

  ASSERT_TRUE(e1000e.DisableIrqs(VFIO_PCI_MSIX_IRQ_INDEX));
  EXPECT_EQ(GetSysError(e1000e.Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 3).error()),
            (SysError{VfioError::kSetIrqs, EINVAL}));
  EXPECT_EQ(GetSysError(e1000e.DisableIrqs(VFIO_PCI_MSIX_IRQ_INDEX).error()),
            (SysError{VfioError::kSetIrqs, EINVAL}))
      << "nothing left to disable";
  EXPECT_EQ(GetSysError(e1000e.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 4, fds).error()),
            (SysError{VfioError::kSetIrqs, EINVAL}))
      << "start + count past the 5 vectors";
}

TEST_F(DeviceTest, SetIrqEventfdsRefusesEmptyAndOversizedListsItself) {
  BringUp();
  ASSIGN_OR_FAIL(e1000e, Open(kE1000e));
  EXPECT_EQ(e1000e.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 0, {}).error(),
            VfioError::kNoEventfds);
  const std::vector<int> too_many(Device::kMaxIrqVectors + 1, -1);
  EXPECT_EQ(e1000e.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 0, too_many).error(),
            VfioError::kTooManyEventfds);
  EXPECT_EQ(kernel_.ioctl_calls(VFIO_DEVICE_SET_IRQS), 0u);
}

TEST_F(DeviceTest, MsiOnEduDeliversThroughItsOneVector) {
  BringUp();
  ASSIGN_OR_FAIL(edu, Open(kEdu));
  ASSIGN_OR_FAIL(eventfd, CreateEventfd(backend_));
  const int fds[] = {eventfd.get()};
  ASSERT_TRUE(edu.SetIrqEventfds(VFIO_PCI_MSI_IRQ_INDEX, 0, fds));
  ASSERT_TRUE(edu.Trigger(VFIO_PCI_MSI_IRQ_INDEX, 0));
  ASSERT_TRUE(edu.Trigger(VFIO_PCI_MSI_IRQ_INDEX, 0));
  EXPECT_EQ(ReadEventfd(backend_, eventfd.get()).value(), 2u);
  EXPECT_EQ(GetSysError(edu.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 0, fds).error()),
            (SysError{VfioError::kSetIrqs, EINVAL}))
      << "edu has no MSI-X";
  kernel_.FailNext(FakeKernel::Call::kCreateEventfd, EMFILE);
  EXPECT_EQ(GetSysError(CreateEventfd(backend_).error()), (SysError{VfioError::kEventfd, EMFILE}));
}

TEST_F(DeviceTest, WholeFlowFromContainerToInterruptAndBack) {
  ASSIGN_OR_FAIL(container, Container::Open(backend_));
  ASSIGN_OR_FAIL(group, Group::Open(backend_, 7));
  EXPECT_EQ(group.Status().value(), VFIO_GROUP_FLAGS_VIABLE);
  ASSERT_TRUE(group.Attach(container));
  EXPECT_EQ(group.Status().value(), VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET);
  ASSERT_TRUE(container.SetIommuType1v2());
  ASSIGN_OR_FAIL(bdf, ParseBdf(kEdu));
  {
    ASSIGN_OR_FAIL(edu, group.OpenDevice(bdf));
    EXPECT_EQ(edu.ReadConfig(0, 4).value(), 0x11e81234u);
    ASSERT_TRUE(container.MapDma(Iova(0x100000), Hva(0x7f0000000000), 0x10000, Perm::kReadWrite));
    ASSIGN_OR_FAIL(eventfd, CreateEventfd(backend_));
    const int fds[] = {eventfd.get()};
    ASSERT_TRUE(edu.SetIrqEventfds(VFIO_PCI_MSI_IRQ_INDEX, 0, fds));
    ASSERT_TRUE(edu.Trigger(VFIO_PCI_MSI_IRQ_INDEX, 0));
    EXPECT_EQ(ReadEventfd(backend_, eventfd.get()).value(), 1u);
    ASSERT_TRUE(edu.DisableIrqs(VFIO_PCI_MSI_IRQ_INDEX));
    EXPECT_EQ(container.UnmapDma(Iova(0x100000), 0x10000).value(), 0x10000u);
  }
  ASSERT_TRUE(group.Detach()) << "no device fd left open";
  EXPECT_EQ(container.num_groups(), 0u);
  EXPECT_EQ(kernel_.open_fds(), 2u) << "container and group only";
}

TEST_F(DeviceTest, RegionCapabilityChainsCarrySparseAreasAndMsixMappable) {
  FakeDevice sparse = FakeDevice::E1000e("0000:00:08.0");
  sparse.regions[0].sparse_areas = {{0, 0x2000}, {0x3000, 0x1d000}};
  sparse.regions[0].msix_mappable = true;
  kernel_.AddGroup({8, true, {std::move(sparse)}});
  ASSIGN_OR_FAIL(container, Container::Open(backend_));
  ASSIGN_OR_FAIL(group, Group::Open(backend_, 8));
  ASSERT_TRUE(group.Attach(container));
  ASSERT_TRUE(container.SetIommuType1v2());
  ASSIGN_OR_FAIL(device, group.OpenDevice(std::string("0000:00:08.0")));
  ASSIGN_OR_FAIL(bar0, device.GetRegionInfo(0));
  const std::vector<SparseArea> expected = {{0, 0x2000}, {0x3000, 0x1d000}};
  EXPECT_EQ(bar0.sparse_areas, expected);
  EXPECT_TRUE(bar0.msix_mappable) << "the second capability of the chain";
  EXPECT_EQ(bar0.flags & VFIO_REGION_INFO_FLAG_CAPS, VFIO_REGION_INFO_FLAG_CAPS);
}

}  // namespace
}  // namespace vfio
