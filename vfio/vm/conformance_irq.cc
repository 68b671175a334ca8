// Conformance checks of VFIO_DEVICE_SET_IRQS: MSI-X with eventfds on e1000e and the kernel's
// loopback trigger, MSI on edu, and the errno of every malformed or ill-timed request
// (vfio_set_irqs_validate_and_prepare and vfio_pci_set_msi_trigger), sent raw.
#include <linux/vfio.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "vfio/vm/conformance_checks.h"

namespace vfio::vm::internal {
namespace {

constexpr std::uint32_t kEventfdTrigger = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
constexpr std::uint32_t kNoneTrigger = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
constexpr std::uint32_t kMsixVectors = 5;  // e1000e

// `count` eventfds, and their numbers as Device::SetIrqEventfds takes them.
struct Eventfds {
  std::vector<ScopedFd> owned;
  std::vector<int> fds;
};

Result<Eventfds> MakeEventfds(Backend& backend, std::size_t count) {
  Eventfds out;
  for (std::size_t i = 0; i < count; ++i) {
    VFIO_TRY(fd, CreateEventfd(backend));
    out.fds.push_back(fd.get());
    out.owned.push_back(std::move(fd));
  }
  return out;
}

std::vector<std::uint64_t> Counts(Backend& backend, const std::vector<int>& fds) {
  std::vector<std::uint64_t> counts;
  for (int fd : fds) counts.push_back(ValueOr(ReadEventfd(backend, fd), ~std::uint64_t{0}));
  return counts;
}

// All five vectors bound; a loopback trigger of vector 3 signals eventfd 3 and no other.
Outcome MsixLoopback(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.e1000e, Stage::kDeviceOpen));
  auto eventfds = expect.Ok("eventfds", MakeEventfds(*env.backend, kMsixVectors));
  if (!session || !eventfds) return expect.outcome();
  Device& device = *session->device;
  if (!expect.Ok("SetIrqEventfds(MSI-X, 0, 5 fds)",
                 device.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 0, eventfds->fds))) {
    return expect.outcome();
  }
  expect.Eq("counts before", std::vector<std::uint64_t>(kMsixVectors, 0),
            Counts(*env.backend, eventfds->fds));
  expect.Ok("Trigger(MSI-X, 3)", device.Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 3));
  expect.Eq("counts after triggering vector 3", std::vector<std::uint64_t>{0, 0, 0, 1, 0},
            Counts(*env.backend, eventfds->fds));
  expect.Fails("Trigger(MSI-X, 5)", Sys(VfioError::kSetIrqs, EINVAL),
               device.Trigger(VFIO_PCI_MSIX_IRQ_INDEX, kMsixVectors));
  expect.Ok("DisableIrqs(MSI-X)", device.DisableIrqs(VFIO_PCI_MSIX_IRQ_INDEX));
  expect.Fails("Trigger(MSI-X, 3) after disabling", Sys(VfioError::kSetIrqs, EINVAL),
               device.Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 3));
  return expect.outcome();
}

Outcome MsiLoopback(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kDeviceOpen));
  auto eventfds = expect.Ok("eventfd", MakeEventfds(*env.backend, 1));
  if (!session || !eventfds) return expect.outcome();
  Device& device = *session->device;
  if (!expect.Ok("SetIrqEventfds(MSI)",
                 device.SetIrqEventfds(VFIO_PCI_MSI_IRQ_INDEX, 0, eventfds->fds))) {
    return expect.outcome();
  }
  expect.Ok("Trigger(MSI, 0)", device.Trigger(VFIO_PCI_MSI_IRQ_INDEX, 0));
  expect.Eq("eventfd count", std::vector<std::uint64_t>{1}, Counts(*env.backend, eventfds->fds));
  expect.Ok("DisableIrqs(MSI)", device.DisableIrqs(VFIO_PCI_MSI_IRQ_INDEX));
  return expect.outcome();
}

// MSI-X is NORESIZE: with two vectors enabled, those two may be rebound, nothing beyond them
// bound or triggered until the index is disabled.
Outcome MsixNoResize(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.e1000e, Stage::kDeviceOpen));
  auto eventfds = expect.Ok("eventfds", MakeEventfds(*env.backend, 3));
  if (!session || !eventfds) return expect.outcome();
  Device& device = *session->device;
  const std::vector<int>& fds = eventfds->fds;
  if (!expect.Ok("enable 2 vectors",
                 device.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 0, {fds.data(), 2}))) {
    return expect.outcome();
  }
  expect.Ok("rebind vector 1", device.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 1, {&fds[2], 1}));
  expect.Fails("bind vector 2", Sys(VfioError::kSetIrqs, EINVAL),
               device.SetIrqEventfds(VFIO_PCI_MSIX_IRQ_INDEX, 2, {&fds[2], 1}));
  expect.Fails("trigger vector 4", Sys(VfioError::kSetIrqs, EINVAL),
               device.Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 4));
  expect.Ok("trigger vector 1", device.Trigger(VFIO_PCI_MSIX_IRQ_INDEX, 1));
  expect.Eq("counts", std::vector<std::uint64_t>{0, 0, 1}, Counts(*env.backend, fds));
  expect.Ok("DisableIrqs(MSI-X)", device.DisableIrqs(VFIO_PCI_MSIX_IRQ_INDEX));
  return expect.outcome();
}

enum class Before { kNothing, kMsixAll, kMsixTwo };  // what is enabled before the request
enum class Data { kNone, kEventfds, kDeviceFd, kClosedFd };

struct SetIrqsCase {
  const char* name;
  TestDevice Environment::*device;
  Before before;
  std::uint32_t flags;
  std::uint32_t index;
  std::uint32_t start;
  std::uint32_t count;
  Data data;  // kEventfds: `count` fresh eventfds
  int argsz_delta;
  int err;
};

constexpr auto kE1000e = &Environment::e1000e;
constexpr auto kEdu = &Environment::edu;
constexpr std::uint32_t kMsix = VFIO_PCI_MSIX_IRQ_INDEX;

constexpr SetIrqsCase kSetIrqsCases[] = {
    {"trigger_while_disabled", kE1000e, Before::kNothing, kNoneTrigger, kMsix, 3, 1, Data::kNone,
     0, EINVAL},
    {"disable_while_disabled", kE1000e, Before::kNothing, kNoneTrigger, kMsix, 0, 0, Data::kNone,
     0, EINVAL},
    {"start_beyond_count", kE1000e, Before::kNothing, kEventfdTrigger, kMsix, 5, 1,
     Data::kEventfds, 0, EINVAL},
    {"count_beyond_count", kE1000e, Before::kNothing, kEventfdTrigger, kMsix, 0, 6,
     Data::kEventfds, 0, EINVAL},
    {"argsz_short_of_data", kE1000e, Before::kNothing, kEventfdTrigger, kMsix, 0, 5,
     Data::kEventfds, -4, EINVAL},
    {"index_beyond_req", kE1000e, Before::kNothing, kEventfdTrigger, VFIO_PCI_NUM_IRQS, 0, 1,
     Data::kEventfds, 0, EINVAL},
    {"unknown_flag", kE1000e, Before::kNothing, kEventfdTrigger | 0x80, kMsix, 0, 1,
     Data::kEventfds, 0, EINVAL},
    {"two_data_types", kE1000e, Before::kNothing, kEventfdTrigger | VFIO_IRQ_SET_DATA_BOOL, kMsix,
     0, 1, Data::kEventfds, 0, EINVAL},
    {"not_an_eventfd", kE1000e, Before::kNothing, kEventfdTrigger, kMsix, 0, 1, Data::kDeviceFd,
     0, EINVAL},
    {"closed_fd", kE1000e, Before::kNothing, kEventfdTrigger, kMsix, 0, 1, Data::kClosedFd, 0,
     EBADF},
    {"zero_vectors", kE1000e, Before::kNothing, kEventfdTrigger, kMsix, 0, 0, Data::kNone, 0,
     ERANGE},
    {"mask_msix", kE1000e, Before::kNothing, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
     kMsix, 0, 1, Data::kNone, 0, ENOTTY},
    {"msi_while_msix", kE1000e, Before::kMsixAll, kEventfdTrigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 1,
     Data::kEventfds, 0, EINVAL},
    {"trigger_beyond_enabled", kE1000e, Before::kMsixTwo, kNoneTrigger, kMsix, 4, 1, Data::kNone,
     0, EINVAL},
    {"grow_while_enabled", kE1000e, Before::kMsixTwo, kEventfdTrigger, kMsix, 2, 1,
     Data::kEventfds, 0, EINVAL},
    {"edu_has_no_msix", kEdu, Before::kNothing, kEventfdTrigger, kMsix, 0, 1, Data::kEventfds, 0,
     EINVAL},
    {"edu_has_no_err", kEdu, Before::kNothing, kEventfdTrigger, VFIO_PCI_ERR_IRQ_INDEX, 0, 1,
     Data::kEventfds, 0, EINVAL},
};

// The s32 fds a case sends after the header.
Result<std::vector<std::int32_t>> CaseFds(const Environment& env, const SetIrqsCase& c,
                                          const Device& device, Eventfds& keep) {
  switch (c.data) {
    case Data::kNone: return std::vector<std::int32_t>{};
    case Data::kDeviceFd: return std::vector<std::int32_t>{device.fd()};
    case Data::kClosedFd: {
      VFIO_TRY(closed, CreateEventfd(*env.backend));
      const int number = closed.get();
      closed.Reset();
      return std::vector<std::int32_t>{number};
    }
    case Data::kEventfds: {
      VFIO_TRY(made, MakeEventfds(*env.backend, c.count));
      keep = std::move(made);
      return std::vector<std::int32_t>(keep.fds.begin(), keep.fds.end());
    }
  }
  return std::vector<std::int32_t>{};
}

Outcome SetIrqsCaseCheck(const Environment& env, const SetIrqsCase& c) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.*c.device, Stage::kDeviceOpen));
  auto enabled = expect.Ok("eventfds", MakeEventfds(*env.backend, kMsixVectors));
  if (!session || !enabled) return expect.outcome();
  Device& device = *session->device;
  if (c.before != Before::kNothing) {
    const std::size_t n = c.before == Before::kMsixAll ? kMsixVectors : 2;
    if (!expect.Ok("enabling MSI-X first",
                   device.SetIrqEventfds(kMsix, 0, {enabled->fds.data(), n}))) {
      return expect.outcome();
    }
  }
  Eventfds sent;
  auto fds = expect.Ok("the request's fds", CaseFds(env, c, device, sent));
  if (!fds) return expect.outcome();
  std::vector<std::byte> data(fds->size() * sizeof(std::int32_t));
  if (!data.empty()) std::memcpy(data.data(), fds->data(), data.size());
  const int rc = RawSetIrqs(*env.backend, device.fd(), c.flags, c.index, c.start, c.count, data,
                            c.argsz_delta);
  expect.Eq("raw SET_IRQS", Rc{-c.err}, Rc{rc});
  return expect.outcome();
}

}  // namespace

std::vector<Check> IrqChecks() {
  std::vector<Check> checks = {
      {"e1000e.msix_eventfds_and_loopback", MsixLoopback},
      {"e1000e.msix_no_resize", MsixNoResize},
      {"edu.msi_loopback", MsiLoopback},
      {"edu.msi_from_device", EduMsiFromDevice},
  };
  for (const SetIrqsCase& c : kSetIrqsCases) {
    checks.push_back({std::string("set_irqs.") + c.name,
                      [&c](const Environment& e) { return SetIrqsCaseCheck(e, c); }});
  }
  return checks;
}

}  // namespace vfio::vm::internal
