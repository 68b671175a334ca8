// A walkthrough of the VFIO core library: QEMU's e1000e NIC and edu device handed to a guest,
// end to end, against the in-memory FakeKernel (no hardware, no root). Depends on vfio/ only.
//
// Read it top to bottom. Each step prints an INFO line; the first failure prints one
// "ERROR: <step>: <category>:<error>" line and the program exits 1.
#include <linux/vfio.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <system_error>

#include "vfio/fake_kernel.h"
#include "vfio/passthrough.h"

namespace {

int Fail(const char* step, const char* why) {
  std::fprintf(stderr, "ERROR: %s: %s\n", step, why);
  return 1;
}

// Errors print as category:name, e.g. "vfio.dma:overlap".
int Fail(const char* step, const std::error_code& error) {
  const std::string why = std::string(error.category().name()) + ":" + error.message();
  return Fail(step, why.c_str());
}

vfio::GpaRange Window(std::uint64_t start, std::uint64_t size) {
  return vfio::GpaRange::Make(vfio::Gpa(start), size).value();  // constants below: cannot fail
}

void PrintBars(const char* name, const vfio::PassthroughDevice& device) {
  for (const vfio::PlacedBar& bar : device.bars()) {
    std::printf("INFO: %s BAR%u %-5s %7" PRIu64 " bytes at guest 0x%" PRIx64 "\n", name,
                bar.index, vfio::ToString(bar.info.kind), bar.info.size, bar.address.value());
  }
}

}  // namespace

int main() {
  // 1. The "kernel". FakeKernel answers the same ioctls as Linux's vfio-pci; here it holds
  // two IOMMU groups with one device each. A real VMM would use vfio::LinuxBackend instead.
  vfio::FakeKernel kernel;
  kernel.AddGroup({7, true, {vfio::FakeDevice::E1000e("0000:00:03.0")}});
  kernel.AddGroup({8, true, {vfio::FakeDevice::Edu("0000:00:04.0")}});
  vfio::Backend& backend = kernel;

  // 2. The container: one IOMMU address space that every device we pass through shares.
  auto opened = vfio::Container::Open(backend);
  if (!opened) return Fail("open the container", opened.error());
  vfio::Container& container = opened.value();
  std::printf("INFO: container open (VFIO API version checked, type1 v2 IOMMU available)\n");

  // 3. Where BARs may live in the guest's physical address space. The allocator places each
  // BAR at a multiple of its own size (natural alignment), 32-bit BARs below 4 GiB.
  const vfio::BarWindows windows{Window(0xc000, 0x4000), Window(0xe000'0000, 0x1000'0000),
                                 Window(0x40'0000'0000, 0x10'0000'0000), std::nullopt};
  auto allocator = vfio::BarAllocator::Create(windows);
  if (!allocator) return Fail("create the BAR allocator", allocator.error());
  vfio::BarAllocator& bars = allocator.value();

  // 4. Bring-up: open group, attach it, set the IOMMU, open the device, size its BARs through
  // the config region, place them, and build the guest's view of its config space and MSI-X.
  const vfio::Bdf nic_bdf = vfio::ParseBdf("0000:00:03.0").value();
  auto nic_opened = vfio::PassthroughDevice::Open(backend, container, 7, nic_bdf, bars,
                                                  {.gsi_base = 24});
  if (!nic_opened) return Fail("bring up e1000e", nic_opened.error());
  vfio::PassthroughDevice& nic = nic_opened.value();
  if (nic.msix() == nullptr) return Fail("bring up e1000e", "no MSI-X capability found");
  std::printf("INFO: group 7 attached, e1000e 0000:00:03.0 open, %u MSI-X vectors\n",
              nic.msix()->size());
  PrintBars("e1000e", nic);
  auto edu_opened = vfio::PassthroughDevice::Open(backend, container, 8,
                                                  vfio::ParseBdf("0000:00:04.0").value(), bars);
  if (!edu_opened) return Fail("bring up edu", edu_opened.error());
  vfio::PassthroughDevice& edu = edu_opened.value();
  std::printf("INFO: group 8 attached to the same container, edu 0000:00:04.0 open\n");
  PrintBars("edu", edu);

  // 5. Guest RAM for DMA: 1 GiB at guest address 0, mapped in the IOMMU at IOVA = GPA. The
  // host address stands for the VMM's mmap of guest memory (the fake never dereferences it).
  vfio::GuestMemory ram(container, windows);
  if (auto mapped = ram.Map(vfio::Gpa(0), vfio::Hva(0x7f00'0000'0000), 1 << 30); !mapped)
    return Fail("map guest RAM", mapped.error());
  std::printf("INFO: guest RAM [0x0, 0x40000000) mapped for DMA; %zu IOMMU mapping(s)\n",
              container.tracker().count());
  // RAM inside a BAR window would make DMA to those addresses ambiguous: refused.
  auto clash = ram.Map(vfio::Gpa(0xe000'0000), vfio::Hva(0x7f80'0000'0000), 1 << 20);
  if (clash) return Fail("refuse RAM over a BAR window", "the map succeeded");
  std::printf("INFO: RAM over the mmio32 window refused: %s:%s\n",
              clash.error().category().name(), clash.error().message().c_str());

  // 6. The guest's driver at work: it reads BAR addresses from config space (the guest
  // addresses, never the host's), turns on memory decode, and reads edu's ident register.
  if (auto on = edu.WriteConfig(0x04, 2, 0x0002); !on) return Fail("edu memory on", on.error());
  auto bar0_register = edu.ReadConfig(0x10, 4);
  if (!bar0_register) return Fail("read edu BAR0", bar0_register.error());
  const vfio::Gpa edu_bar0(bar0_register.value() & ~0xfu);  // the low 4 bits are flags
  auto ident = edu.ReadMmio(edu_bar0, 4);
  if (!ident) return Fail("read edu ident", ident.error());
  std::printf("INFO: guest read edu ident 0x%08" PRIx64 " at 0x%" PRIx64 "\n", ident.value(),
              edu_bar0.value());

  // 7. MSI-X: the guest writes vector 0's message into the table (emulated by the VMM, in
  // BAR3 of the e1000e), unmasks it, and sets the enable bit in Message Control. The library
  // turns that into VFIO_DEVICE_SET_IRQS with an eventfd for vector 0.
  const vfio::MsiMessage message{0xfee0'0000, 0x41};  // LAPIC 0, vector 0x41
  const vfio::MsixCapability& msix = *nic.msix_capability();
  auto table_bar = nic.BarAddress(msix.table_bir);
  if (!table_bar) return Fail("find the MSI-X table", table_bar.error());
  const std::uint64_t table = table_bar.value().value() + msix.table_offset;
  // VFIO_TRY returns the first error from the enclosing function, here a lambda.
  auto programmed = [&]() -> vfio::Result<void> {
    VFIO_TRY(nic.WriteConfig(0x04, 2, 0x0002));                          // memory decode on
    VFIO_TRY(nic.WriteMmio(vfio::Gpa(table + 0x0), 8, message.address));  // address lo, hi
    VFIO_TRY(nic.WriteMmio(vfio::Gpa(table + 0x8), 4, message.data));
    VFIO_TRY(nic.WriteMmio(vfio::Gpa(table + 0xc), 4, 0));  // vector control: unmask
    return nic.WriteConfig(msix.offset + 2, 2, 0x8000);     // Message Control: enable
  }();
  if (!programmed) return Fail("guest programs MSI-X", programmed.error());
  auto route = nic.msix_vectors()->Config(0);
  if (!route) return Fail("route vector 0", route.error());
  std::printf("INFO: SET_IRQS done: %zu call(s); vector 0 routed via eventfd %d, GSI %u\n",
              kernel.ioctl_calls(VFIO_DEVICE_SET_IRQS), route.value().eventfd,
              route.value().gsi);

  // 8. The device raises vector 0 (here: the kernel's loopback trigger). The VMM polls the
  // eventfds and gets the MSI to inject into the guest.
  if (auto fire = nic.device().Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 0); !fire)
    return Fail("fire vector 0", fire.error());
  if (auto polled = nic.PollInterrupts(); !polled) return Fail("poll", polled.error());
  const auto delivered = nic.TakeInterrupts();
  if (delivered.size() != 1 || delivered[0].message != message)
    return Fail("deliver vector 0", "no delivery with vector 0's message");
  std::printf("INFO: vector %u delivered: address 0x%" PRIx64 " data 0x%x\n",
              delivered[0].vector, delivered[0].message.address, delivered[0].message.data);
  std::printf("INFO: done\n");
  return 0;
}
