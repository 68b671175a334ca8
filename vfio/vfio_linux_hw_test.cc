// LinuxBackend against the real VFIO driver (label "hardware"). Every test skips without
// /dev/vfio/vfio; the device test also needs KT_VFIO_DEVICE=<BDF> naming a device bound to
// vfio-pci, as the QEMU integration test sets it (research/vfio.md §6). The errnos checked are
// the ones the fake kernel's tests expect.
#include <linux/vfio.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vfio/pci_address.h"
#include "vfio/vfio_device.h"
#include "vfio/vfio_linux.h"

namespace vfio {
namespace {

#define ASSIGN_OR_FAIL(lhs, expr)                              \
  auto lhs##_result = (expr);                                  \
  ASSERT_TRUE(lhs##_result) << lhs##_result.error().message(); \
  auto lhs = std::move(lhs##_result).value()

#define SKIP_WITHOUT_VFIO()                                                         \
  if (!VfioPresent()) GTEST_SKIP() << "no " << kContainerPath << ": vfio not loaded"

TEST(VfioLinuxHwTest, ContainerChecksVersionAndRefusesSetIommuWithoutAGroup) {
  SKIP_WITHOUT_VFIO();
  LinuxBackend backend;
  ASSIGN_OR_FAIL(container, Container::Open(backend));
  EXPECT_EQ(backend.IoctlValue(container.fd(), VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU), 0);
  EXPECT_EQ(backend.IoctlValue(container.fd(), VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), -EINVAL);
  EXPECT_EQ(container.SetIommuType1v2().error(), VfioError::kNoGroupAttached);
}

TEST(VfioLinuxHwTest, BringsUpTheDeviceNamedByKtVfioDevice) {
  SKIP_WITHOUT_VFIO();
  const char* name = std::getenv("KT_VFIO_DEVICE");
  if (name == nullptr) GTEST_SKIP() << "KT_VFIO_DEVICE (a BDF bound to vfio-pci) is not set";
  LinuxBackend backend;
  ASSIGN_OR_FAIL(bdf, ParseBdf(name));
  ASSIGN_OR_FAIL(group_id, IommuGroupOf(FormatBdf(bdf)));
  ASSIGN_OR_FAIL(container, Container::Open(backend));
  ASSIGN_OR_FAIL(group, Group::Open(backend, group_id));
  ASSERT_TRUE(group.Attach(container));
  EXPECT_EQ(group.Status().value(), VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET);
  ASSERT_TRUE(container.SetIommuType1v2());
  ASSIGN_OR_FAIL(ranges, container.IovaRanges());
  ASSERT_FALSE(ranges.empty());
  ASSIGN_OR_FAIL(device, group.OpenDevice(bdf));
  EXPECT_NE(device.ReadConfig(0, 2).value(), 0xffffu) << "vendor id";
  EXPECT_GE(device.config_region().size, 0x100u);

  // DMA: one page of our memory at the first usable IOVA page.
  const std::uint64_t page = container.tracker().options().page_size;
  void* memory = ::mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(memory, MAP_FAILED);
  ASSIGN_OR_FAIL(iova, ranges[0].start().AlignUp(page));
  const Hva hva(reinterpret_cast<std::uintptr_t>(memory));
  ASSERT_TRUE(container.MapDma(iova, hva, page, Perm::kReadWrite));
  EXPECT_EQ(container.MapDma(iova, hva, page, Perm::kReadWrite).error(), DmaError::kOverlap);
  vfio_iommu_type1_dma_map again{sizeof(again), VFIO_DMA_MAP_FLAG_READ, hva.value(),
                                 iova.value(), page};
  EXPECT_EQ(backend.Ioctl(container.fd(), VFIO_IOMMU_MAP_DMA, &again), -EEXIST);
  EXPECT_EQ(container.UnmapDma(iova, page).value(), page);
  ::munmap(memory, page);

  // Interrupts: bind every MSI-X vector (or the MSI ones) and loop one back.
  std::uint32_t index = VFIO_PCI_MSIX_IRQ_INDEX;
  ASSIGN_OR_FAIL(count, device.IrqCount(index));
  if (count == 0) {
    index = VFIO_PCI_MSI_IRQ_INDEX;
    ASSIGN_OR_FAIL(msi, device.IrqCount(index));
    count = msi;
  }
  if (count == 0) GTEST_SKIP() << "the device has neither MSI nor MSI-X";
  std::vector<ScopedFd> eventfds;
  std::vector<int> fds;
  for (std::uint32_t i = 0; i < count; ++i) {
    ASSIGN_OR_FAIL(eventfd, CreateEventfd(backend));
    fds.push_back(eventfd.get());
    eventfds.push_back(std::move(eventfd));
  }
  ASSERT_TRUE(device.SetIrqEventfds(index, 0, fds));
  ASSERT_TRUE(device.Trigger(index, count - 1));
  EXPECT_EQ(ReadEventfd(backend, fds[count - 1]).value(), 1u);
  EXPECT_EQ(GetSysError(device.Trigger(index, count).error()),
            (SysError{VfioError::kSetIrqs, EINVAL}));
  EXPECT_TRUE(device.DisableIrqs(index));
}

}  // namespace
}  // namespace vfio
