// Conformance checks that need QEMU's edu device model behind vfio-pci: a DMA round trip
// through the vIOMMU (RAM -> device buffer -> RAM) and an MSI the device raises, delivered
// through an eventfd. Register layout from QEMU's docs/specs/edu.txt; BAR0 is reached with
// pread/pwrite on the device fd. Both SKIP on a fake kernel.
#include <linux/vfio.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vfio/vm/conformance_checks.h"

namespace vfio::vm::internal {
namespace {

constexpr char kNeedsEdu[] = "needs QEMU's edu model behind vfio-pci (a fake kernel runs none)";

// BAR0 registers.
constexpr std::uint64_t kIrqStatus = 0x24;
constexpr std::uint64_t kIrqRaise = 0x60;
constexpr std::uint64_t kIrqAck = 0x64;
constexpr std::uint64_t kDmaSource = 0x80;
constexpr std::uint64_t kDmaDestination = 0x88;
constexpr std::uint64_t kDmaCount = 0x90;
constexpr std::uint64_t kDmaCommand = 0x98;
constexpr std::uint32_t kDmaStart = 0x1;
constexpr std::uint32_t kDmaToRam = 0x2;

// edu's DMA mask is 28 bits: IOVAs must stay below 256 MiB.
constexpr std::uint64_t kDmaIova = 0x0400'0000;
// The device-side buffer. QEMU 7.2's range check is off by one and aborts QEMU for a
// transfer that reaches the buffer's last byte, so transfers stay well inside it.
constexpr std::uint32_t kDeviceBuffer = 0x4'0000;
constexpr std::uint32_t kTransferBytes = 0x800;
constexpr std::size_t kPage = 0x1000;
// DMA completes ~100 ms of virtual time after the command; TCG on a loaded host is slower.
constexpr int kDmaLimitMs = 5000;
constexpr int kIrqLimitMs = 2000;

constexpr std::uint32_t kCommandOffset = 0x04;
constexpr std::uint32_t kBusMaster = 0x4;

// Turns on bus mastering (edu's DMA and its MSI writes need it) for the lifetime of the
// object and restores Command afterwards. The Device must neither move nor die before it.
class BusMaster {
 public:
  static Result<BusMaster> Enable(Device& device) {
    VFIO_TRY(original, device.ReadConfig(kCommandOffset, 2));
    VFIO_TRY(device.WriteConfig(kCommandOffset, 2, original | kBusMaster));
    return BusMaster(device, original);
  }
  BusMaster(BusMaster&& other) noexcept : device_(other.device_), original_(other.original_) {
    other.device_ = nullptr;
  }
  BusMaster& operator=(BusMaster&&) = delete;
  // A failed restore cannot be reported from here; the next check opens the device afresh.
  ~BusMaster() {
    if (device_ != nullptr) (void)device_->WriteConfig(kCommandOffset, 2, original_);
  }

 private:
  BusMaster(Device& device, std::uint32_t original) : device_(&device), original_(original) {}

  Device* device_;
  std::uint32_t original_;
};

struct Edu {
  Session session;
  RegionInfo bar0;

  Device& device() { return *session.device; }
};

Result<Edu> OpenEdu(const Environment& env) {
  VFIO_TRY(session, OpenSession(env, env.edu, Stage::kDeviceOpen));
  VFIO_TRY(bar0, session.device->GetRegionInfo(VFIO_PCI_BAR0_REGION_INDEX));
  return Edu{std::move(session), std::move(bar0)};
}

// Programs one transfer and waits for the command register's start bit to clear.
void Transfer(Expect& expect, const Environment& env, Edu& edu, std::uint64_t source,
              std::uint64_t destination, std::uint32_t command, const char* what) {
  Backend& b = *env.backend;
  const std::string name(what);
  for (const auto& [reg, value] : {std::pair{kDmaSource, static_cast<std::uint32_t>(source)},
                                   std::pair{kDmaDestination,
                                             static_cast<std::uint32_t>(destination)},
                                   std::pair{kDmaCount, kTransferBytes},
                                   std::pair{kDmaCommand, command}}) {
    if (!expect.Ok(name + " register write", WriteRegister(b, edu.device(), edu.bar0, reg, value)))
      return;
  }
  const auto waited = PollMilliseconds(kDmaLimitMs, [&] {
    auto status = ReadRegister(b, edu.device(), edu.bar0, kDmaCommand);
    return !status || (status.value() & kDmaStart) == 0;
  });
  expect.True(name + " to finish within " + std::to_string(kDmaLimitMs) + " ms",
              waited.has_value());
}

}  // namespace

Outcome EduDmaRoundTrip(const Environment& env) {
  if (!env.live_devices) return Outcome::Skip(kNeedsEdu);
  Expect expect;
  auto edu = expect.Ok("edu", OpenEdu(env));
  auto memory = expect.Ok("host buffer", HostBuffer::Create(2 * kPage));
  if (!edu || !memory) return expect.outcome();
  auto bus_master = expect.Ok("bus mastering", BusMaster::Enable(edu->device()));
  if (!bus_master) return expect.outcome();
  const std::span<std::byte> source = memory->bytes().first(kPage);
  const std::span<std::byte> sink = memory->bytes().subspan(kPage);
  for (std::size_t i = 0; i < kPage; ++i) source[i] = static_cast<std::byte>(i * 7 + 3);
  Container& container = *edu->session.container;
  if (!expect.Ok("MapDma", container.MapDma(Iova(kDmaIova), memory->hva(), 2 * kPage,
                                            Perm::kReadWrite))) {
    return expect.outcome();
  }
  Transfer(expect, env, *edu, kDmaIova, kDeviceBuffer, kDmaStart, "RAM -> edu");
  Transfer(expect, env, *edu, kDeviceBuffer, kDmaIova + kPage, kDmaStart | kDmaToRam,
           "edu -> RAM");
  expect.True("the bytes came back through the IOMMU",
              std::memcmp(sink.data(), source.data(), kTransferBytes) == 0);
  expect.True("nothing past the transfer was written",
              std::all_of(sink.begin() + kTransferBytes, sink.end(),
                          [](std::byte b) { return b == std::byte{0}; }));
  auto removed = expect.Ok("UnmapDma", container.UnmapDma(Iova(kDmaIova), 2 * kPage));
  if (removed) expect.Eq("bytes unmapped", std::uint64_t{2 * kPage}, *removed);
  return expect.outcome();
}

Outcome EduMsiFromDevice(const Environment& env) {
  if (!env.live_devices) return Outcome::Skip(kNeedsEdu);
  Expect expect;
  auto edu = expect.Ok("edu", OpenEdu(env));
  auto eventfd = expect.Ok("eventfd", CreateEventfd(*env.backend));
  if (!edu || !eventfd) return expect.outcome();
  auto bus_master = expect.Ok("bus mastering", BusMaster::Enable(edu->device()));
  if (!bus_master) return expect.outcome();
  Backend& b = *env.backend;
  const int fds[] = {eventfd->get()};
  if (!expect.Ok("SetIrqEventfds(MSI)", edu->device().SetIrqEventfds(VFIO_PCI_MSI_IRQ_INDEX, 0,
                                                                     fds))) {
    return expect.outcome();
  }
  expect.Ok("raise", WriteRegister(b, edu->device(), edu->bar0, kIrqRaise, 1));
  std::uint64_t fired = 0;
  const auto waited = PollMilliseconds(kIrqLimitMs, [&] {
    fired = ValueOr(ReadEventfd(b, eventfd->get()), 0);
    return fired != 0;
  });
  expect.True("the MSI to reach the eventfd within " + std::to_string(kIrqLimitMs) + " ms",
              waited.has_value());
  expect.Eq("eventfd count", std::uint64_t{1}, fired);
  expect.Eq("edu irq status", std::uint32_t{1},
            ValueOr(ReadRegister(b, edu->device(), edu->bar0, kIrqStatus), 0));
  expect.Ok("ack", WriteRegister(b, edu->device(), edu->bar0, kIrqAck, 1));
  expect.Eq("edu irq status after ack", std::uint32_t{0},
            ValueOr(ReadRegister(b, edu->device(), edu->bar0, kIrqStatus), ~0u));
  expect.Ok("DisableIrqs(MSI)", edu->device().DisableIrqs(VFIO_PCI_MSI_IRQ_INDEX));
  return expect.outcome();
}

}  // namespace vfio::vm::internal
