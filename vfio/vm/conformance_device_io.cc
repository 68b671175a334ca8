// Conformance checks of reads and writes on the vfio-pci device fd: vfio-pci's config write
// permissions, accesses outside a region, edu's BAR0 registers, the raw MSIX_MAPPABLE reply
// and VFIO_DEVICE_RESET.
#include <linux/vfio.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <string>
#include <vector>

#include "vfio/vm/conformance_checks.h"

namespace vfio::vm::internal {
namespace {

constexpr std::uint32_t kEduIdent = 0x0100'00ed;    // BAR0 + 0: edu's identification
constexpr std::uint32_t kEduLiveness = 0x04;        // BAR0 + 4: reads back the inverse

struct ConfigWrite {
  std::uint32_t offset;
  unsigned len;
  std::uint32_t value;
};

// vfio-pci gives these no write permission: the write succeeds and changes nothing.
constexpr ConfigWrite kReadOnly[] = {
    {0x00, 2, 0xabcd},      {0x02, 2, 0xabcd}, {0x06, 2, 0xffff}, {0x08, 4, 0xffff'ffff},
    {0x0e, 1, 0x80},        {0x2c, 4, 0},      {0x34, 1, 0x80},   {0x3d, 1, 0x02},
};
// These reach a register that keeps them: cache line size, interrupt line, and bus master
// in Command.
constexpr ConfigWrite kWritable[] = {{0x0c, 1, 0x10}, {0x3c, 1, 0x0a}, {0x04, 2, 0x0004}};

Outcome ReadOnlyConfigFields(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  Device& device = *session->device;
  for (const ConfigWrite& c : kReadOnly) {
    const std::string what = "config[" + Show(c.offset) + "]/" + std::to_string(c.len);
    auto before = expect.Ok(what + " read", device.ReadConfig(c.offset, c.len));
    if (!before || !expect.Ok(what + " write", device.WriteConfig(c.offset, c.len, c.value))) {
      continue;
    }
    expect.Eq(what + " after a write", *before, ValueOr(device.ReadConfig(c.offset, c.len), 0));
  }
  return expect.outcome();
}

// Each value is ORed into the original (Command keeps its other bits) and then restored.
Outcome WritableConfigFields(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  Device& device = *session->device;
  for (const ConfigWrite& c : kWritable) {
    const std::string what = "config[" + Show(c.offset) + "]/" + std::to_string(c.len);
    auto before = expect.Ok(what + " read", device.ReadConfig(c.offset, c.len));
    if (!before) continue;
    const std::uint32_t value = c.offset == 0x04 ? *before | c.value : c.value;
    if (!expect.Ok(what + " write", device.WriteConfig(c.offset, c.len, value))) continue;
    expect.Eq(what + " after a write", value, ValueOr(device.ReadConfig(c.offset, c.len), 0));
    expect.Ok(what + " restore", device.WriteConfig(c.offset, c.len, *before));
  }
  return expect.outcome();
}

// The kernel refuses config accesses past the region with EFAULT; the library refuses them
// before any pread, with kBadConfigAccess.
Outcome ConfigOutsideTheRegion(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  const Device& device = *session->device;
  const RegionInfo& config = device.config_region();
  std::array<std::byte, 4> buf{};
  Backend& b = *env.backend;
  expect.Eq("raw pread of 4 at size - 2", Rc{-EFAULT},
            Rc{b.Pread(device.fd(), buf, config.offset + config.size - 2)});
  expect.Eq("raw pread of 1 at size", Rc{-EFAULT},
            Rc{b.Pread(device.fd(), std::span(buf).first(1), config.offset + config.size)});
  expect.Eq("raw pwrite of 4 at size - 2", Rc{-EFAULT},
            Rc{b.Pwrite(device.fd(), buf, config.offset + config.size - 2)});
  const auto bad = make_error_code(VfioError::kBadConfigAccess);
  expect.Fails("ReadConfig(size, 1)", bad,
               device.ReadConfig(static_cast<std::uint32_t>(config.size), 1));
  expect.Fails("ReadConfig(size - 2, 4)", bad,
               device.ReadConfig(static_cast<std::uint32_t>(config.size) - 2, 4));
  return expect.outcome();
}

Outcome EduIdent(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  auto bar0 = expect.Ok("BAR0 region", session->device->GetRegionInfo(0));
  if (!bar0) return expect.outcome();
  auto ident = expect.Ok("BAR0 + 0 read", ReadRegister(*env.backend, *session->device, *bar0, 0));
  if (ident) expect.Eq("edu ident", kEduIdent, *ident);
  return expect.outcome();
}

// edu answers a write to its liveness register with the inverse: the write reached the
// device model, not just memory.
Outcome EduLiveness(const Environment& env) {
  if (!env.live_devices) return Outcome::Skip("needs QEMU's edu model behind the BAR");
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  auto bar0 = expect.Ok("BAR0 region", session->device->GetRegionInfo(0));
  if (!bar0) return expect.outcome();
  constexpr std::uint32_t kValue = 0x1234'5678;
  if (!expect.Ok("liveness write",
                 WriteRegister(*env.backend, *session->device, *bar0, kEduLiveness, kValue))) {
    return expect.outcome();
  }
  auto read = expect.Ok("liveness read",
                        ReadRegister(*env.backend, *session->device, *bar0, kEduLiveness));
  if (read) expect.Eq("liveness", ~kValue, *read);
  return expect.outcome();
}

// A BAR region clips an access at its end, refuses one past it, and an absent BAR refuses
// everything, all with EINVAL (unlike the config region's EFAULT).
Outcome RegionAccessBounds(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  const Device& device = *session->device;
  auto bar0 = expect.Ok("BAR0 region", device.GetRegionInfo(0));
  auto bar1 = expect.Ok("BAR1 region", device.GetRegionInfo(1));
  if (!bar0 || !bar1) return expect.outcome();
  std::array<std::byte, 8> buf{};
  Backend& b = *env.backend;
  const std::uint64_t end = bar0->offset + bar0->size;
  expect.Eq("raw pread of 8 at BAR0 end - 4", Rc{4}, Rc{b.Pread(device.fd(), buf, end - 4)});
  expect.Eq("raw pread at BAR0 end", Rc{-EINVAL}, Rc{b.Pread(device.fd(), buf, end)});
  expect.Eq("raw pread of absent BAR1", Rc{-EINVAL}, Rc{b.Pread(device.fd(), buf, bar1->offset)});
  return expect.outcome();
}

// The capability does not fit the 32 bytes asked for: the kernel says how much it needs
// (vfio_region_info 32 + the 8-byte MSIX_MAPPABLE header) and gives no chain yet.
Outcome MsixMappableReply(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.e1000e, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  vfio_region_info info{};
  info.argsz = sizeof(info);
  info.index = VFIO_PCI_BAR3_REGION_INDEX;
  const int rc = env.backend->Ioctl(session->device->fd(), VFIO_DEVICE_GET_REGION_INFO, &info);
  if (!expect.Eq("raw GET_REGION_INFO(BAR3)", Rc{0}, Rc{rc})) return expect.outcome();
  expect.Eq("argsz", std::uint32_t{sizeof(info) + sizeof(vfio_info_cap_header)}, info.argsz);
  expect.Eq("flags", std::uint32_t{VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
                                   VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS},
            info.flags);
  expect.Eq("cap_offset", std::uint32_t{0}, info.cap_offset);
  auto full = expect.Ok("GetRegionInfo(BAR3)",
                        session->device->GetRegionInfo(VFIO_PCI_BAR3_REGION_INDEX));
  if (full) expect.Eq("msix_mappable", true, full->msix_mappable);
  return expect.outcome();
}

// edu has no reset method vfio-pci can use (EINVAL); e1000e, a PCIe function with FLR, has.
Outcome Reset(const Environment& env, const TestDevice& device, int expected) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, device, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  expect.Eq("raw VFIO_DEVICE_RESET", Rc{expected},
            Rc{env.backend->IoctlValue(session->device->fd(), VFIO_DEVICE_RESET, 0)});
  return expect.outcome();
}

}  // namespace

std::vector<Check> DeviceIoChecks() {
  return {
      {"edu.config_read_only_fields", ReadOnlyConfigFields},
      {"edu.config_writable_fields", WritableConfigFields},
      {"edu.config_outside_region", ConfigOutsideTheRegion},
      {"edu.bar0_ident", EduIdent},
      {"edu.bar0_liveness", EduLiveness},
      {"edu.region_access_bounds", RegionAccessBounds},
      {"e1000e.msix_mappable_reply", MsixMappableReply},
      {"edu.reset_unsupported", [](const Environment& e) { return Reset(e, e.edu, -EINVAL); }},
      {"e1000e.reset", [](const Environment& e) { return Reset(e, e.e1000e, 0); }},
  };
}

}  // namespace vfio::vm::internal
