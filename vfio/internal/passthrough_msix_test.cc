// MSI-X through a passed-through function against the FakeKernel: guest table and Message
// Control writes reaching SET_IRQS, eventfd delivery, pending bits, teardown, kernel refusals,
// hostile accesses and 1 and 2048 vectors. Depends on the vfio library and the fake.
#include "vfio/internal/passthrough_msix.h"

#include <linux/vfio.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "vfio/internal/passthrough_testing.h"
#include "vfio/passthrough.h"

namespace vfio::internal {
namespace {

using PassthroughMsixTest = PassthroughTest;

TEST_F(PassthroughMsixTest, GuestEnableAndUnmaskReachSetIrqsWithAnEventfdThatDelivers) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  GuestMsix guest{nic, kE1000eMsixCap};
  EXPECT_EQ(nic.ReadConfig(kE1000eMsixCap + 2, 2).value(), 0x0004u) << "N - 1, disabled";
  EXPECT_EQ(guest.Program(0, MessageFor(0)).error(), PassthroughError::kNoBarAtAddress)
      << "decode is off: the table is not reachable yet";
  const std::size_t set_irqs = kernel_.ioctl_calls(VFIO_DEVICE_SET_IRQS);
  ASSERT_TRUE(guest.Enable());
  EXPECT_EQ(kernel_.ioctl_calls(VFIO_DEVICE_SET_IRQS), set_irqs + 1) << "MSI-X on in the device";
  EXPECT_EQ(nic.ReadConfig(kE1000eMsixCap + 2, 2).value(), 0x8004u);
  ASSERT_TRUE(guest.Program(0, MessageFor(0)));
  ASSERT_TRUE(guest.Mask(0, false));
  EXPECT_EQ(kernel_.ioctl_calls(VFIO_DEVICE_SET_IRQS), set_irqs + 2) << "vector 0's eventfd";
  ASSERT_OK_AND_ASSIGN(config, nic.msix_vectors()->Config(0));
  EXPECT_EQ(nic.msix_vectors()->State(0).value(), MsixVectorState::kEnabled);
  EXPECT_EQ(config.message, MessageFor(0));
  EXPECT_EQ(config.gsi, kGsiBase);
  EXPECT_GE(config.eventfd, 0);
  // The device fires vector 0 (the kernel's loopback trigger signals the bound eventfd).
  ASSERT_TRUE(nic.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 0));
  EXPECT_EQ(nic.PollInterrupts().value(), 1u);
  EXPECT_EQ(nic.TakeInterrupts(), (std::vector<MsiDelivery>{{0, MessageFor(0)}}));
  EXPECT_EQ(nic.PollInterrupts().value(), 0u) << "the eventfd was drained";
}

TEST_F(PassthroughMsixTest, SeveralVectorsCoexistEachWithItsOwnEventfdAndMessage) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  GuestMsix guest{nic, kE1000eMsixCap};
  ASSERT_TRUE(guest.Enable());
  for (std::uint32_t v = 0; v < 5; ++v) {
    ASSERT_TRUE(guest.Program(v, MessageFor(v)));
    ASSERT_TRUE(guest.Mask(v, false));
  }
  EXPECT_EQ(nic.msix_vectors()->enabled_count(), 5u);
  std::vector<int> eventfds;
  for (std::uint32_t v = 0; v < 5; ++v) {
    eventfds.push_back(nic.msix_vectors()->Config(v).value().eventfd);
    for (std::size_t u = 0; u + 1 < eventfds.size(); ++u) EXPECT_NE(eventfds[u], eventfds.back());
  }
  ASSERT_TRUE(nic.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 3));
  ASSERT_TRUE(nic.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 1));
  EXPECT_EQ(nic.PollInterrupts().value(), 2u);
  ASSERT_TRUE(nic.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 3));
  EXPECT_EQ(nic.PollInterrupts().value(), 1u);
  EXPECT_EQ(nic.TakeInterrupts(),
            (std::vector<MsiDelivery>{{1, MessageFor(1)}, {3, MessageFor(3)}}))
      << "only the fired vectors, and two untaken fires of vector 3 coalesce";
}

enum class MaskBy { kEntry, kFunction };
constexpr MaskBy kMaskCases[] = {MaskBy::kEntry, MaskBy::kFunction};

TEST_F(PassthroughMsixTest, FireWhileMaskedIsPendingThenDeliveredOnUnmask) {
  for (const MaskBy how : kMaskCases) {
    SCOPED_TRACE(how == MaskBy::kEntry ? "entry mask" : "function mask");
    ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
    GuestMsix guest{nic, kE1000eMsixCap};
    ASSERT_TRUE(guest.Enable());
    ASSERT_TRUE(guest.Program(2, MessageFor(2)));
    ASSERT_TRUE(guest.Mask(2, false));
    ASSERT_TRUE(how == MaskBy::kEntry ? guest.Mask(2, true)
                                      : guest.Control(kMsixEnable | kMsixFunctionMask));
    EXPECT_EQ(nic.msix_vectors()->State(2).value(), MsixVectorState::kConfigured) << "unrouted";
    ASSERT_TRUE(nic.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 2));
    EXPECT_EQ(nic.PollInterrupts().value(), 1u);
    EXPECT_TRUE(nic.TakeInterrupts().empty()) << "masked: not delivered";
    EXPECT_EQ(nic.ReadMmio(guest.Pba(), 8).value(), 1u << 2) << "the guest sees it pending";
    ASSERT_TRUE(how == MaskBy::kEntry ? guest.Mask(2, false) : guest.Control(kMsixEnable));
    EXPECT_EQ(nic.TakeInterrupts(), (std::vector<MsiDelivery>{{2, MessageFor(2)}}));
    EXPECT_EQ(nic.ReadMmio(guest.Pba(), 8).value(), 0u);
    EXPECT_EQ(nic.msix_vectors()->State(2).value(), MsixVectorState::kEnabled);
  }
}

TEST_F(PassthroughMsixTest, GuestDisableTearsDownEveryRouteAndTheKernelIrqs) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  GuestMsix guest{nic, kE1000eMsixCap};
  ASSERT_TRUE(guest.Enable());
  ASSERT_TRUE(guest.Mask(0, false));
  ASSERT_TRUE(guest.Mask(4, false));
  ASSERT_TRUE(guest.Control(0));
  EXPECT_EQ(nic.msix_vectors()->enabled_count(), 0u);
  EXPECT_EQ(nic.msix_vectors()->configured_count(), 0u);
  EXPECT_FALSE(nic.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 0)) << "MSI-X off in the kernel";
  EXPECT_EQ(nic.PollInterrupts().value(), 0u);
  ASSERT_TRUE(guest.Control(kMsixEnable)) << "and it can come back";
  EXPECT_EQ(nic.msix_vectors()->enabled_count(), 2u) << "entries 0 and 4 are still unmasked";
}

TEST_F(PassthroughMsixTest, KernelRefusalRevertsTheGuestVisibleEnable) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  GuestMsix guest{nic, kE1000eMsixCap};
  ASSERT_TRUE(nic.WriteConfig(kCommand, 2, kCommandMemory));
  kernel_.FailNextIoctl(VFIO_DEVICE_SET_IRQS, EINVAL);
  const auto refused = guest.Control(kMsixEnable);
  ASSERT_FALSE(refused);
  EXPECT_EQ(GetSysError(refused.error()), (SysError{VfioError::kSetIrqs, EINVAL}));
  EXPECT_EQ(nic.ReadConfig(kE1000eMsixCap + 2, 2).value(), 0x0004u) << "still disabled";
  EXPECT_FALSE(nic.msix()->enabled());
  EXPECT_TRUE(guest.Control(kMsixEnable)) << "a retry works";
}

TEST_F(PassthroughMsixTest, KernelRefusalOfDisableKeepsEveryRouteWorking) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  GuestMsix guest{nic, kE1000eMsixCap};
  ASSERT_TRUE(guest.Enable());
  ASSERT_TRUE(guest.Program(3, MessageFor(3)));
  ASSERT_TRUE(guest.Mask(3, false));
  kernel_.FailNextIoctl(VFIO_DEVICE_SET_IRQS, EBUSY);
  const Result<void> refused = guest.Control(0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(GetSysError(refused.error()), (SysError{VfioError::kSetIrqs, EBUSY}));
  EXPECT_EQ(nic.ReadConfig(kE1000eMsixCap + 2, 2).value(), 0x8004u) << "still enabled";
  EXPECT_EQ(nic.msix_vectors()->State(3).value(), MsixVectorState::kEnabled);
  // The undo must not re-enable MSI-X in the kernel, which would unbind every eventfd.
  ASSERT_TRUE(nic.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 3));
  EXPECT_EQ(nic.PollInterrupts().value(), 1u);
  EXPECT_EQ(nic.TakeInterrupts(), (std::vector<MsiDelivery>{{3, MessageFor(3)}}));
}

struct HostileMsixCase {
  const char* name;
  std::uint64_t offset;  // from BAR3, which holds the table (at 0) and the PBA (at 0x2000)
  std::uint32_t size;
  std::error_code error;
};

TEST_F(PassthroughMsixTest, HostileTableAndPbaAccessesAreErrorsThatChangeNothing) {
  const HostileMsixCase cases[] = {
      {"one_byte", 0x0, 1, MsixError::kBadAccessSize},
      {"two_bytes", 0xc, 2, MsixError::kBadAccessSize},
      {"pba_one_byte", 0x2000, 1, MsixError::kBadAccessSize},
      {"unaligned_quad", 0x4, 8, PassthroughError::kBadAccessSize},
      {"past_the_bar", 16 << 10, 4, PassthroughError::kNoBarAtAddress},
  };
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  GuestMsix guest{nic, kE1000eMsixCap};
  ASSERT_TRUE(guest.Enable());
  const MsixState before = *nic.msix();
  const std::uint64_t bar3 = FindBar(nic, 3)->address.value();
  for (const HostileMsixCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(nic.WriteMmio(Gpa(bar3 + c.offset), c.size, 0).error(), c.error);
    EXPECT_EQ(nic.ReadMmio(Gpa(bar3 + c.offset), c.size).error(), c.error);
  }
  EXPECT_TRUE(nic.WriteMmio(guest.Pba(), 8, ~0ull)) << "the PBA ignores writes";
  EXPECT_TRUE(nic.WriteConfig(kE1000eMsixCap + 4, 4, 0x1234'5670)) << "read-only, ignored";
  EXPECT_EQ(nic.ReadConfig(kE1000eMsixCap + 4, 4).value(), 0x3u) << "table still in BAR3 at 0";
  EXPECT_TRUE(*nic.msix() == before);
}

struct VectorCountCase {
  std::uint32_t vectors;
};
constexpr VectorCountCase kVectorCounts[] = {{1}, {2048}};

TEST_F(PassthroughMsixTest, OneAndTwoThousandFortyEightVectorsWork) {
  for (const VectorCountCase& c : kVectorCounts) {
    SCOPED_TRACE(c.vectors);
    // Table at 0 of a 64 KiB BAR0, PBA right after the largest table (32 KiB).
    kernel_.AddGroup({kTestGroup + c.vectors, true,
                      {TestDevice(kTest, {{0, 0xfe00'0000, 64 << 10}},
                                  TestMsix{c.vectors, 0x0, 0x8000})}});
    ASSERT_OK_AND_ASSIGN(bdf, ParseBdf(kTest));
    ASSERT_OK_AND_ASSIGN(dev, PassthroughDevice::Open(backend_, *container_,
                                                      kTestGroup + c.vectors, bdf, *bars_));
    ASSERT_EQ(dev.msix_vectors()->size(), c.vectors);
    GuestMsix guest{dev, kTestMsixCap};
    ASSERT_TRUE(guest.Enable());
    const std::uint32_t last = c.vectors - 1;
    ASSERT_TRUE(guest.Program(last, MessageFor(last)));
    ASSERT_TRUE(guest.Mask(last, false));
    ASSERT_TRUE(dev.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, last));
    EXPECT_EQ(dev.PollInterrupts().value(), 1u);
    EXPECT_EQ(dev.TakeInterrupts(), (std::vector<MsiDelivery>{{last, MessageFor(last)}}));
    EXPECT_EQ(dev.msix()->Entry(c.vectors).error(), MsixError::kVectorOutOfRange);
    EXPECT_FALSE(dev.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, c.vectors)) << "nor in the kernel";
  }
}

TEST_F(PassthroughMsixTest, RefusedFunctionUnmaskStaysMaskedAndKeepsThePendingBit) {
  ASSERT_OK_AND_ASSIGN(nic, Open(kE1000eGroup, kE1000e));
  GuestMsix guest{nic, kE1000eMsixCap};
  ASSERT_TRUE(guest.Enable());
  ASSERT_TRUE(guest.Program(1, MessageFor(1)));
  ASSERT_TRUE(guest.Mask(1, false));  // vector 1 gets its eventfd
  ASSERT_TRUE(guest.Control(kMsixEnable | kMsixFunctionMask));
  ASSERT_TRUE(nic.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 1));
  ASSERT_EQ(nic.PollInterrupts().value(), 1u);
  ASSERT_TRUE(nic.msix()->IsPending(1).value());
  ASSERT_TRUE(guest.Mask(0, false));  // no route while the function is masked
  // Opening the function routes vector 0 first (its eventfd cannot be made), then would
  // deliver vector 1's pending fire.
  kernel_.FailNext(FakeKernel::Call::kCreateEventfd, EMFILE);
  const Result<void> refused = guest.Control(kMsixEnable);
  ASSERT_FALSE(refused);
  EXPECT_EQ(GetSysError(refused.error()), (SysError{VfioError::kEventfd, EMFILE}));
  EXPECT_EQ(nic.ReadConfig(kE1000eMsixCap + 2, 2).value(), 0xc004u) << "still function-masked";
  EXPECT_TRUE(nic.TakeInterrupts().empty());
  EXPECT_TRUE(nic.msix()->IsPending(1).value()) << "the undelivered fire is pending again";
  EXPECT_EQ(nic.msix_vectors()->enabled_count(), 0u);
  ASSERT_TRUE(guest.Control(kMsixEnable));
  EXPECT_EQ(nic.TakeInterrupts(), (std::vector<MsiDelivery>{{1, MessageFor(1)}}));
  EXPECT_EQ(nic.msix_vectors()->enabled_count(), 2u);
}

struct GsiCase {
  std::uint32_t gsi_base;
  std::error_code error;  // {} when the device opens
};

TEST_F(PassthroughMsixTest, GsiRangeMayEndAtTheLargestGsiButNotPassIt) {
  // e1000e has 5 vectors: GSIs gsi_base .. gsi_base + 4.
  const GsiCase cases[] = {
      {UINT32_MAX - 4, {}},
      {UINT32_MAX - 3, PassthroughError::kGsiOverflow},
      {UINT32_MAX, PassthroughError::kGsiOverflow},
  };
  ASSERT_OK_AND_ASSIGN(bdf, ParseBdf(kE1000e));
  for (const GsiCase& c : cases) {
    SCOPED_TRACE(c.gsi_base);
    auto opened = PassthroughDevice::Open(backend_, *container_, kE1000eGroup, bdf, *bars_,
                                          {.gsi_base = c.gsi_base});
    EXPECT_EQ(opened ? std::error_code() : opened.error(), c.error);
    if (!opened) continue;
    GuestMsix guest{opened.value(), kE1000eMsixCap};
    ASSERT_TRUE(guest.Enable());
    ASSERT_TRUE(guest.Mask(4, false));
    EXPECT_EQ(opened.value().msix_vectors()->Config(4).value().gsi, UINT32_MAX);
  }
}

}  // namespace
}  // namespace vfio::internal
