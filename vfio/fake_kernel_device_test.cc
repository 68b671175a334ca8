// The fake kernel's vfio-pci device against the errnos Linux 6.1 gives: region and IRQ info,
// SET_IRQS validation (research/vfio.md §3.7) and its MSI/MSI-X/INTx paths, region reads and
// writes, and fault injection. Raw uapi structs, so the cases can run on a real kernel later.
#include <linux/vfio.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vfio/fake_kernel.h"

namespace vfio {
namespace {

constexpr char kEdu[] = "0000:00:04.0";
constexpr char kE1000e[] = "0000:00:05.0";

struct Fds {
  int container = -1;
  int group = -1;
  int device = -1;
};

// Container, group 7 attached, type1 v2 set, `device` opened.
Fds OpenDevice(FakeKernel& kernel, const char* device = kE1000e) {
  kernel.AddGroup({7, true, {FakeDevice::Edu(kEdu), FakeDevice::E1000e(kE1000e)}});
  Fds fds;
  fds.container = kernel.Open(kContainerPath);
  fds.group = kernel.Open("/dev/vfio/7");
  EXPECT_EQ(kernel.Ioctl(fds.group, VFIO_GROUP_SET_CONTAINER, &fds.container), 0);
  EXPECT_EQ(kernel.IoctlValue(fds.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
  fds.device = kernel.Ioctl(fds.group, VFIO_GROUP_GET_DEVICE_FD, const_cast<char*>(device));
  EXPECT_GE(fds.device, 0);
  return fds;
}

vfio_region_info RegionInfo(FakeKernel& kernel, int device, std::uint32_t index, int* rc,
                            std::vector<std::byte>* caps = nullptr,
                            std::uint32_t argsz = sizeof(vfio_region_info)) {
  std::vector<std::byte> buf(std::max<std::size_t>(argsz, sizeof(vfio_region_info)));
  vfio_region_info info{argsz, 0, index, 0, 0, 0};
  std::memcpy(buf.data(), &info, sizeof(info));
  *rc = kernel.Ioctl(device, VFIO_DEVICE_GET_REGION_INFO, buf.data());
  std::memcpy(&info, buf.data(), sizeof(info));
  if (caps != nullptr) *caps = buf;
  return info;
}

TEST(FakeKernelDeviceTest, RegionInfoUsesIndexShiftedOffsetsAndReportsMsixMappable) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel);
  int rc = 0;
  auto bar0 = RegionInfo(kernel, fds.device, 0, &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(bar0.size, 128u << 10);
  EXPECT_EQ(bar0.offset, 0u);
  EXPECT_EQ(bar0.flags, 0x7u);
  auto config = RegionInfo(kernel, fds.device, VFIO_PCI_CONFIG_REGION_INDEX, &rc);
  EXPECT_EQ(config.offset, std::uint64_t{7} << 40);
  EXPECT_EQ(config.size, 0x1000u);
  auto bar4 = RegionInfo(kernel, fds.device, 4, &rc);
  EXPECT_EQ(bar4.size, 0u) << "unimplemented BAR";
  EXPECT_EQ(bar4.flags, 0u);

  auto bar3 = RegionInfo(kernel, fds.device, 3, &rc);
  EXPECT_EQ(bar3.flags & VFIO_REGION_INFO_FLAG_CAPS, VFIO_REGION_INFO_FLAG_CAPS);
  EXPECT_EQ(bar3.argsz, 40u) << "what the e1000e guest saw";
  EXPECT_EQ(bar3.cap_offset, 0u);
  std::vector<std::byte> buf;
  bar3 = RegionInfo(kernel, fds.device, 3, &rc, &buf, bar3.argsz);
  ASSERT_EQ(bar3.cap_offset, 32u);
  vfio_info_cap_header header;
  std::memcpy(&header, buf.data() + 32, sizeof(header));
  EXPECT_EQ(header.id, VFIO_REGION_INFO_CAP_MSIX_MAPPABLE);
  EXPECT_EQ(header.next, 0u);

  RegionInfo(kernel, fds.device, VFIO_PCI_VGA_REGION_INDEX, &rc);
  EXPECT_EQ(rc, -EINVAL) << "no VGA";
  RegionInfo(kernel, fds.device, VFIO_PCI_NUM_REGIONS, &rc);
  EXPECT_EQ(rc, -EINVAL);
  RegionInfo(kernel, fds.device, 0, &rc, nullptr, sizeof(vfio_region_info) - 1);
  EXPECT_EQ(rc, -EINVAL);
}

TEST(FakeKernelDeviceTest, IrqInfoMatchesWhatTheGuestSaw) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel);
  constexpr struct {
    std::uint32_t index;
    int rc;
    std::uint32_t flags;
    std::uint32_t count;
  } kCases[] = {{VFIO_PCI_INTX_IRQ_INDEX, 0, 0x7, 1}, {VFIO_PCI_MSI_IRQ_INDEX, 0, 0x9, 1},
                {VFIO_PCI_MSIX_IRQ_INDEX, 0, 0x9, 5}, {VFIO_PCI_ERR_IRQ_INDEX, 0, 0x9, 1},
                {VFIO_PCI_REQ_IRQ_INDEX, 0, 0x9, 1},  {VFIO_PCI_NUM_IRQS, -EINVAL, 0, 0}};
  for (const auto& c : kCases) {
    vfio_irq_info info{sizeof(info), 0, c.index, 0};
    EXPECT_EQ(kernel.Ioctl(fds.device, VFIO_DEVICE_GET_IRQ_INFO, &info), c.rc) << c.index;
    if (c.rc != 0) continue;
    EXPECT_EQ(info.flags, c.flags) << c.index;
    EXPECT_EQ(info.count, c.count) << c.index;
  }
  char edu[] = "0000:00:04.0";
  const int edu_fd = kernel.Ioctl(fds.group, VFIO_GROUP_GET_DEVICE_FD, edu);
  vfio_irq_info err{sizeof(err), 0, VFIO_PCI_ERR_IRQ_INDEX, 0};
  EXPECT_EQ(kernel.Ioctl(edu_fd, VFIO_DEVICE_GET_IRQ_INFO, &err), -EINVAL) << "not PCIe";
}

constexpr std::uint32_t kEventfdTrigger = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
constexpr std::uint32_t kNoneTrigger = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;

// VFIO_DEVICE_SET_IRQS with `data` after the header; argsz fits it exactly unless given.
int SetIrqs(Backend& b, int device, std::uint32_t flags, std::uint32_t index,
            std::uint32_t start, std::uint32_t count, const std::vector<std::byte>& data = {},
            std::optional<std::uint32_t> argsz = std::nullopt) {
  std::vector<std::uint32_t> buf((sizeof(vfio_irq_set) + data.size()) / 4 + 1);
  const vfio_irq_set header{
      argsz.value_or(static_cast<std::uint32_t>(sizeof(vfio_irq_set) + data.size())), flags,
      index, start, count};
  std::memcpy(buf.data(), &header, sizeof(header));
  if (!data.empty()) {
    std::memcpy(reinterpret_cast<std::byte*>(buf.data()) + sizeof(header), data.data(),
                data.size());
  }
  return b.Ioctl(device, VFIO_DEVICE_SET_IRQS, buf.data());
}

std::vector<std::byte> FdBytes(const std::vector<std::int32_t>& fds) {
  std::vector<std::byte> out(fds.size() * sizeof(std::int32_t));
  if (!fds.empty()) std::memcpy(out.data(), fds.data(), out.size());
  return out;
}

std::uint64_t Fired(FakeKernel& kernel, int eventfd) {
  std::uint64_t count = 0;
  EXPECT_EQ(kernel.ReadEventfd(eventfd, &count), 0);
  return count;
}

enum class Data { kNone, kFiveEventfds, kFourEventfds, kUnopenedFd, kContainerFd, kBools };

struct IrqCase {
  const char* name;
  std::uint32_t flags;
  std::uint32_t index;
  std::uint32_t start;
  std::uint32_t count;
  Data data;
  std::optional<std::uint32_t> argsz;
  int result;
};

// On the e1000e (5 MSI-X vectors), with nothing enabled yet.
const IrqCase kIrqCases[] = {
    {"enable_all", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 5, Data::kFiveEventfds, {}, 0},
    {"enable_two", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 2, Data::kFiveEventfds, {}, 0},
    {"enable_msi", kEventfdTrigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, Data::kFiveEventfds, {}, 0},
    {"argsz_below_header", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 5, Data::kFiveEventfds,
     19, -EINVAL},
    {"index_past_req", kEventfdTrigger, VFIO_PCI_NUM_IRQS, 0, 1, Data::kFiveEventfds, {}, -EINVAL},
    {"start_past_count", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 5, 1, Data::kFiveEventfds, {},
     -EINVAL},
    {"count_past_max", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 6, Data::kFiveEventfds, {},
     -EINVAL},
    {"msi_count_past_max", kEventfdTrigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 2, Data::kFiveEventfds, {},
     -EINVAL},
    {"count_wraps", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 1, 0xffffffff, Data::kFiveEventfds,
     {}, -EINVAL},
    {"unknown_flag", kEventfdTrigger | 0x40, VFIO_PCI_MSIX_IRQ_INDEX, 0, 5, Data::kFiveEventfds,
     {}, -EINVAL},
    {"two_data_types", kNoneTrigger | VFIO_IRQ_SET_DATA_BOOL, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1,
     Data::kBools, {}, -EINVAL},
    {"data_shorter_than_count", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 5,
     Data::kFourEventfds, {}, -EINVAL},
    {"mask_msix", VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK, VFIO_PCI_MSIX_IRQ_INDEX,
     0, 1, Data::kFiveEventfds, {}, -ENOTTY},
    {"no_action", VFIO_IRQ_SET_DATA_NONE, VFIO_PCI_MSIX_IRQ_INDEX, 0, 0, Data::kNone, {},
     -ENOTTY},
    {"two_actions", kNoneTrigger | VFIO_IRQ_SET_ACTION_MASK, VFIO_PCI_MSIX_IRQ_INDEX, 0, 0,
     Data::kNone, {}, -ENOTTY},
    {"unopened_fd", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, Data::kUnopenedFd, {},
     -EBADF},
    {"not_an_eventfd", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, Data::kContainerFd, {},
     -EINVAL},
    {"zero_vectors", kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 0, Data::kNone, {}, -ERANGE},
    {"trigger_while_disabled", kNoneTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, Data::kNone, {},
     -EINVAL},
    {"disable_while_disabled", kNoneTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 0, Data::kNone, {},
     -EINVAL},
    {"intx_two_vectors", kEventfdTrigger, VFIO_PCI_INTX_IRQ_INDEX, 0, 2, Data::kFiveEventfds, {},
     -EINVAL},
    {"err_eventfd", kEventfdTrigger, VFIO_PCI_ERR_IRQ_INDEX, 0, 1, Data::kFiveEventfds, {}, 0},
    {"req_fire_without_eventfd", kNoneTrigger, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, Data::kNone, {},
     -EINVAL},
};

TEST(FakeKernelDeviceTest, SetIrqsValidatesLikeVfioPci) {
  for (const IrqCase& c : kIrqCases) {
    SCOPED_TRACE(c.name);
    FakeKernel kernel;
    const Fds fds = OpenDevice(kernel);
    std::vector<std::int32_t> eventfds;
    for (int i = 0; i < 5; ++i) eventfds.push_back(kernel.CreateEventfd());
    std::vector<std::byte> data;
    switch (c.data) {
      case Data::kNone: break;
      case Data::kFiveEventfds: data = FdBytes(eventfds); break;
      case Data::kFourEventfds: data = FdBytes({eventfds.begin(), eventfds.begin() + 4}); break;
      case Data::kUnopenedFd: data = FdBytes({9999}); break;
      case Data::kContainerFd: data = FdBytes({fds.container}); break;
      case Data::kBools: data = {std::byte{1}}; break;
    }
    EXPECT_EQ(SetIrqs(kernel, fds.device, c.flags, c.index, c.start, c.count, data, c.argsz),
              c.result);
  }
}

TEST(FakeKernelDeviceTest, LoopbackTriggerSignalsOnlyThatVector) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel);
  std::vector<std::int32_t> eventfds;
  for (int i = 0; i < 5; ++i) eventfds.push_back(kernel.CreateEventfd());
  ASSERT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 5,
                    FdBytes(eventfds)),
            0);
  ASSERT_EQ(SetIrqs(kernel, fds.device, kNoneTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 3, 1), 0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Fired(kernel, eventfds[i]), i == 3 ? 1u : 0u) << i;
  // DATA_BOOL fires the vectors whose byte is set.
  const std::vector<std::byte> bools = {std::byte{1}, std::byte{0}, std::byte{1}};
  ASSERT_EQ(SetIrqs(kernel, fds.device, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
                    VFIO_PCI_MSIX_IRQ_INDEX, 1, 3, bools),
            0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Fired(kernel, eventfds[i]), i == 1 || i == 3 ? 1u : 0u);
  EXPECT_EQ(SetIrqs(kernel, fds.device, kNoneTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 5, 1), -EINVAL);
}

TEST(FakeKernelDeviceTest, OneIndexAtATimeAndDisablingEndsTriggers) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel);
  const std::int32_t eventfd = kernel.CreateEventfd();
  ASSERT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1,
                    FdBytes({eventfd})),
            0);
  EXPECT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 1,
                    FdBytes({eventfd})),
            -EINVAL)
      << "MSI while MSI-X is enabled";
  ASSERT_EQ(SetIrqs(kernel, fds.device, kNoneTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 0), 0);
  EXPECT_EQ(SetIrqs(kernel, fds.device, kNoneTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1), -EINVAL);
  EXPECT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 1,
                    FdBytes({eventfd})),
            0);
}

TEST(FakeKernelDeviceTest, ABadFdUnbindsTheVectorsTheSameCallBound) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel);
  std::vector<std::int32_t> eventfds;
  for (int i = 0; i < 5; ++i) eventfds.push_back(kernel.CreateEventfd());
  ASSERT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 5,
                    FdBytes(eventfds)),
            0);
  EXPECT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 2,
                    FdBytes({eventfds[0], 9999})),
            -EBADF);
  ASSERT_EQ(SetIrqs(kernel, fds.device, kNoneTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 3), 0);
  EXPECT_EQ(Fired(kernel, eventfds[0]), 0u);
  EXPECT_EQ(Fired(kernel, eventfds[1]), 0u);
  EXPECT_EQ(Fired(kernel, eventfds[2]), 1u) << "outside the failed block";
}

TEST(FakeKernelDeviceTest, AFailedFirstEnableLeavesTheIndexDisabled) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel);
  const std::int32_t eventfd = kernel.CreateEventfd();
  EXPECT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 2,
                    FdBytes({eventfd, 9999})),
            -EBADF);
  EXPECT_EQ(SetIrqs(kernel, fds.device, kNoneTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1), -EINVAL);
  EXPECT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 1,
                    FdBytes({eventfd})),
            0);
}

TEST(FakeKernelDeviceTest, ClosingTheLastDeviceFdDisablesInterrupts) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel);
  const std::int32_t eventfd = kernel.CreateEventfd();
  ASSERT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1,
                    FdBytes({eventfd})),
            0);
  ASSERT_EQ(kernel.Close(fds.device), 0);
  const int device = kernel.Ioctl(fds.group, VFIO_GROUP_GET_DEVICE_FD, const_cast<char*>(kE1000e));
  EXPECT_EQ(SetIrqs(kernel, device, kNoneTrigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1), -EINVAL);
}

TEST(FakeKernelDeviceTest, IntxTriggersMasksAndChecksItsUnmaskEventfd) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel, kEdu);
  const std::int32_t eventfd = kernel.CreateEventfd();
  const auto unmask = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK;
  EXPECT_EQ(SetIrqs(kernel, fds.device, unmask, VFIO_PCI_INTX_IRQ_INDEX, 0, 1,
                    FdBytes({eventfd})),
            -EINVAL)
      << "INTx not enabled yet";
  ASSERT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_INTX_IRQ_INDEX, 0, 1,
                    FdBytes({eventfd})),
            0);
  ASSERT_EQ(SetIrqs(kernel, fds.device, kNoneTrigger, VFIO_PCI_INTX_IRQ_INDEX, 0, 1), 0);
  EXPECT_EQ(Fired(kernel, eventfd), 1u);
  EXPECT_EQ(SetIrqs(kernel, fds.device, unmask, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, FdBytes({9999})),
            -EBADF);
  EXPECT_EQ(SetIrqs(kernel, fds.device, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK,
                    VFIO_PCI_INTX_IRQ_INDEX, 0, 1, FdBytes({eventfd})),
            -ENOTTY);
  EXPECT_EQ(SetIrqs(kernel, fds.device, kEventfdTrigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 1,
                    FdBytes({eventfd})),
            -EINVAL)
      << "MSI while INTx is enabled";
}

TEST(FakeKernelDeviceTest, ConfigAccessOutsideTheRegionIsEfault) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel, kEdu);
  constexpr std::uint64_t kConfig = std::uint64_t{VFIO_PCI_CONFIG_REGION_INDEX} << 40;
  constexpr struct {
    std::uint64_t offset;
    std::size_t len;
    std::int64_t result;
  } kCases[] = {{0, 4, 4}, {0xfc, 4, 4}, {0xff, 1, 1}, {0xfe, 4, -EFAULT}, {0x100, 1, -EFAULT}};
  for (const auto& c : kCases) {
    std::byte buf[4];
    EXPECT_EQ(kernel.Pread(fds.device, std::span(buf, c.len), kConfig + c.offset), c.result)
        << c.offset;
    EXPECT_EQ(kernel.Pwrite(fds.device, std::span<const std::byte>(buf, c.len), kConfig + c.offset),
              c.result)
        << c.offset;
  }
}

constexpr std::uint64_t kConfigRegion = std::uint64_t{VFIO_PCI_CONFIG_REGION_INDEX} << 40;

std::uint32_t ReadConfig(FakeKernel& kernel, int device, std::uint64_t offset, std::size_t len) {
  std::uint32_t value = 0;
  const auto bytes = std::as_writable_bytes(std::span(&value, 1)).first(len);
  EXPECT_EQ(kernel.Pread(device, bytes, kConfigRegion + offset), static_cast<std::int64_t>(len));
  return value;
}

void WriteConfig(FakeKernel& kernel, int device, std::uint64_t offset, std::size_t len,
                 std::uint32_t value) {
  const auto bytes = std::as_bytes(std::span(&value, 1)).first(len);
  EXPECT_EQ(kernel.Pwrite(device, bytes, kConfigRegion + offset), static_cast<std::int64_t>(len));
}

// The readbacks Linux 6.1's vfio-pci gave for QEMU's e1000e and edu in the guest: the size
// mask with vfio's flag bits, 0 for an absent BAR; the original value comes back on restore.
TEST(FakeKernelDeviceTest, BarSizingReadsBackTheSizeMaskAndRestores) {
  constexpr struct {
    const char* device;
    std::uint32_t offset;
    std::uint32_t probe;
    std::uint32_t readback;
  } kCases[] = {{kE1000e, 0x10, 0xffffffff, 0xfffe0000}, {kE1000e, 0x14, 0xffffffff, 0xfffe0000},
                {kE1000e, 0x18, 0xffffffff, 0xffffffe1}, {kE1000e, 0x1c, 0xffffffff, 0xffffc000},
                {kE1000e, 0x20, 0xffffffff, 0},          {kE1000e, 0x24, 0xffffffff, 0},
                {kE1000e, 0x30, 0xfffff800, 0},          {kEdu, 0x10, 0xffffffff, 0xfff00000},
                {kEdu, 0x14, 0xffffffff, 0}};
  for (const auto& c : kCases) {
    SCOPED_TRACE(std::string(c.device) + " @" + std::to_string(c.offset));
    FakeKernel kernel;
    const Fds fds = OpenDevice(kernel, c.device);
    const std::uint32_t original = ReadConfig(kernel, fds.device, c.offset, 4);
    WriteConfig(kernel, fds.device, c.offset, 4, c.probe);
    EXPECT_EQ(ReadConfig(kernel, fds.device, c.offset, 4), c.readback);
    WriteConfig(kernel, fds.device, c.offset, 4, original);
    EXPECT_EQ(ReadConfig(kernel, fds.device, c.offset, 4), original);
  }
}

// A 64-bit prefetchable BAR keeps its flags and the upper half the bits above the size; an
// expansion ROM keeps its enable bit; address bits below the size never stick.
TEST(FakeKernelDeviceTest, BarFixupCoversMem64UpperHalvesAndTheRom) {
  FakeKernel kernel;
  FakeDevice device = FakeDevice::Edu("0000:00:06.0");
  device.regions[0].size = std::uint64_t{1} << 33;  // 8 GiB, 64-bit prefetchable
  device.regions[6] = {64 << 10, VFIO_REGION_INFO_FLAG_READ, {}, {}, false};
  std::vector<std::uint8_t>& config = device.regions[VFIO_PCI_CONFIG_REGION_INDEX].data;
  config[0x10] = 0x0c;
  kernel.AddGroup({9, true, {std::move(device)}});
  const int container = kernel.Open(kContainerPath);
  const int group = kernel.Open("/dev/vfio/9");
  int container_fd = container;
  ASSERT_EQ(kernel.Ioctl(group, VFIO_GROUP_SET_CONTAINER, &container_fd), 0);
  ASSERT_EQ(kernel.IoctlValue(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
  char name[] = "0000:00:06.0";
  const int fd = kernel.Ioctl(group, VFIO_GROUP_GET_DEVICE_FD, name);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(ReadConfig(kernel, fd, 0x10, 4), 0x0000000cu) << "the fixup ran at open";
  WriteConfig(kernel, fd, 0x10, 4, 0xffffffff);
  WriteConfig(kernel, fd, 0x14, 4, 0xffffffff);
  EXPECT_EQ(ReadConfig(kernel, fd, 0x10, 4), 0x0000000cu);
  EXPECT_EQ(ReadConfig(kernel, fd, 0x14, 4), 0xfffffffeu);
  WriteConfig(kernel, fd, 0x30, 4, 0xffffffff);
  EXPECT_EQ(ReadConfig(kernel, fd, 0x30, 4), 0xffff0001u);
  WriteConfig(kernel, fd, 0x31, 1, 0x12);
  EXPECT_EQ(ReadConfig(kernel, fd, 0x30, 4), 0xffff0001u) << "a byte inside the size mask";
}

// vfio-pci's header permissions over QEMU's write masks, as seen in the guest: identity,
// class, status, capability pointer and pin ignore writes; Command keeps I/O, memory, master,
// SERR and INTx disable; cache line size and interrupt line are plain registers.
TEST(FakeKernelDeviceTest, HeaderWritesFollowVfioPciPermissions) {
  constexpr struct {
    std::uint32_t offset;
    std::size_t len;
    std::uint32_t value;
    std::uint32_t readback;
  } kCases[] = {{0x00, 2, 0xabcd, 0x1234},         {0x02, 2, 0xabcd, 0x11e8},
                {0x04, 2, 0xffff, 0x0507},         {0x06, 2, 0xffff, 0x0010},
                {0x08, 4, 0xffffffff, 0x00ff0010}, {0x0c, 1, 0x10, 0x10},
                {0x0d, 1, 0xff, 0x00},             {0x0e, 1, 0x80, 0x00},
                {0x2c, 4, 0, 0x11001af4},          {0x34, 1, 0x80, 0x40},
                {0x3c, 1, 0x0a, 0x0a},             {0x3d, 1, 0x02, 0x01},
                {0x48, 4, 0x12345678, 0x12345678}};
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.offset);
    FakeKernel kernel;
    const Fds fds = OpenDevice(kernel, kEdu);
    WriteConfig(kernel, fds.device, c.offset, c.len, c.value);
    EXPECT_EQ(ReadConfig(kernel, fds.device, c.offset, c.len), c.readback);
  }
}

TEST(FakeKernelDeviceTest, OtherRegionsClipAtTheEndAndRefuseWhatIsNotThere) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel, kEdu);
  std::uint32_t ident = 0;
  auto bytes = std::as_writable_bytes(std::span(&ident, 1));
  ASSERT_EQ(kernel.Pread(fds.device, bytes, 0), 4);
  EXPECT_EQ(ident, 0x010000edu) << "edu's identification register";
  std::byte buf[8];
  EXPECT_EQ(kernel.Pread(fds.device, buf, (1 << 20) - 4), 4) << "clipped at the BAR's end";
  EXPECT_EQ(kernel.Pread(fds.device, buf, 1 << 20), -EINVAL);
  EXPECT_EQ(kernel.Pread(fds.device, buf, std::uint64_t{1} << 40), -EINVAL) << "BAR1 absent";
  EXPECT_EQ(kernel.Pread(fds.device, buf, std::uint64_t{VFIO_PCI_NUM_REGIONS} << 40), -EINVAL);
  EXPECT_EQ(kernel.Pread(fds.group, buf, 0), -EINVAL) << "not a device fd";
  EXPECT_EQ(kernel.Pread(9999, buf, 0), -EBADF);
}

TEST(FakeKernelDeviceTest, InjectedFaultsHitOnlyTheirCallAndOnlyThatOften) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel, kEdu);
  kernel.FailNextIoctl(VFIO_DEVICE_GET_IRQ_INFO, EIO, 2);
  kernel.FailNext(FakeKernel::Call::kCreateEventfd, EMFILE);
  vfio_irq_info info{sizeof(info), 0, VFIO_PCI_MSI_IRQ_INDEX, 0};
  vfio_device_info dev{sizeof(dev), 0, 0, 0, 0};
  EXPECT_EQ(kernel.Ioctl(fds.device, VFIO_DEVICE_GET_INFO, &dev), 0);
  EXPECT_EQ(kernel.Ioctl(fds.device, VFIO_DEVICE_GET_IRQ_INFO, &info), -EIO);
  EXPECT_EQ(kernel.Ioctl(fds.device, VFIO_DEVICE_GET_IRQ_INFO, &info), -EIO);
  EXPECT_EQ(kernel.Ioctl(fds.device, VFIO_DEVICE_GET_IRQ_INFO, &info), 0);
  EXPECT_EQ(kernel.ioctl_calls(VFIO_DEVICE_GET_IRQ_INFO), 3u);
  EXPECT_EQ(kernel.CreateEventfd(), -EMFILE);
  EXPECT_GE(kernel.CreateEventfd(), 0);
}

TEST(FakeKernelDeviceTest, DeviceInfoAndResetFollowTheDeviceFlags) {
  FakeKernel kernel;
  const Fds fds = OpenDevice(kernel, kEdu);
  vfio_device_info info{sizeof(info), 0, 0, 0, 0};
  ASSERT_EQ(kernel.Ioctl(fds.device, VFIO_DEVICE_GET_INFO, &info), 0);
  EXPECT_EQ(info.flags, VFIO_DEVICE_FLAGS_PCI) << "edu: 0x2";
  EXPECT_EQ(info.num_regions, 9u);
  EXPECT_EQ(info.num_irqs, 5u);
  EXPECT_EQ(kernel.IoctlValue(fds.device, VFIO_DEVICE_RESET, 0), -EINVAL) << "edu cannot reset";
  info.argsz = 15;
  EXPECT_EQ(kernel.Ioctl(fds.device, VFIO_DEVICE_GET_INFO, &info), -EINVAL);
  EXPECT_EQ(kernel.Ioctl(fds.device, _IO(VFIO_TYPE, VFIO_BASE + 30), &info), -ENOTTY);
}

}  // namespace
}  // namespace vfio
