// Conformance checks of the container and the group: API version, extensions, SET_IOMMU
// ordering, GET_INFO, group status and device fds. Raw uapi calls go through vfio::Backend so
// the kernel's own errno is seen; the library's answer to the same situation is checked too.
#include <linux/vfio.h>

#include <cerrno>
#include <string>
#include <vector>

#include "vfio/vm/conformance_checks.h"

namespace vfio::vm::internal {
namespace {

struct ExtensionCase {
  const char* name;
  unsigned long extension;
  int before;  // on a container without an IOMMU
  int after;   // once TYPE1v2 is set
};

// Linux 6.1.y: DMA_CC and UPDATE_VADDR ask the IOMMU, so a bare container says 0; QEMU's
// intel-iommu has no snoop control, so DMA_CC stays 0.
constexpr ExtensionCase kExtensions[] = {
    {"TYPE1", VFIO_TYPE1_IOMMU, 1, 1},
    {"TYPE1v2", VFIO_TYPE1v2_IOMMU, 1, 1},
    {"TYPE1_NESTING", VFIO_TYPE1_NESTING_IOMMU, 1, 1},
    {"DMA_CC", VFIO_DMA_CC_IOMMU, 0, 0},
    {"UNMAP_ALL", VFIO_UNMAP_ALL, 1, 1},
    {"UPDATE_VADDR", VFIO_UPDATE_VADDR, 0, 1},
    {"NOIOMMU", VFIO_NOIOMMU_IOMMU, 0, 0},
    {"SPAPR_TCE", VFIO_SPAPR_TCE_IOMMU, 0, 0},
    {"SPAPR_TCE_v2", VFIO_SPAPR_TCE_v2_IOMMU, 0, 0},
};

Outcome ApiVersion(const Environment& env) {
  Expect expect;
  auto container = expect.Ok("Container::Open", Container::Open(*env.backend));
  if (!container) return expect.outcome();
  const int version = env.backend->IoctlValue(container->fd(), VFIO_GET_API_VERSION, 0);
  expect.Eq("GET_API_VERSION", Rc{VFIO_API_VERSION}, Rc{version});
  return expect.outcome();
}

Outcome Extensions(const Environment& env, bool after_iommu) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, after_iommu ? Stage::kIommuSet
                                                                              : Stage::kAttached));
  if (!session) return expect.outcome();
  for (const ExtensionCase& c : kExtensions) {
    const int got =
        env.backend->IoctlValue(session->container->fd(), VFIO_CHECK_EXTENSION, c.extension);
    expect.Eq(std::string("CHECK_EXTENSION(") + c.name + ")", Rc{after_iommu ? c.after : c.before},
              Rc{got});
  }
  return expect.outcome();
}

Outcome StatusViableThenContainerSet(const Environment& env) {
  Expect expect;
  auto container = expect.Ok("Container::Open", Container::Open(*env.backend));
  auto group = expect.Ok("Group::Open", Group::Open(*env.backend, env.edu.group));
  if (!container || !group) return expect.outcome();
  expect.Eq("status before SET_CONTAINER", std::uint32_t{VFIO_GROUP_FLAGS_VIABLE},
            ValueOr(group->Status(), 0));
  if (!expect.Ok("Attach", group->Attach(*container))) return expect.outcome();
  expect.Eq("status after SET_CONTAINER",
            std::uint32_t{VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET},
            ValueOr(group->Status(), 0));
  return expect.outcome();
}

// The kernel answers EINVAL; the library refuses first with kNoGroupAttached.
Outcome SetIommuBeforeAttach(const Environment& env) {
  Expect expect;
  auto container = expect.Ok("Container::Open", Container::Open(*env.backend));
  if (!container) return expect.outcome();
  const int rc = env.backend->IoctlValue(container->fd(), VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);
  expect.Eq("raw SET_IOMMU", Rc{-EINVAL}, Rc{rc});
  expect.Fails("SetIommuType1v2", make_error_code(VfioError::kNoGroupAttached),
               container->SetIommuType1v2());
  return expect.outcome();
}

Outcome SetIommuTwice(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kIommuSet));
  if (!session) return expect.outcome();
  const int rc =
      env.backend->IoctlValue(session->container->fd(), VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);
  expect.Eq("second raw SET_IOMMU", Rc{-EINVAL}, Rc{rc});
  return expect.outcome();
}

// Before SET_IOMMU the container has no IOMMU driver to pass these to: EINVAL. The library
// refuses first with kIommuNotSet.
Outcome IommuIoctlsNeedSetIommu(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kAttached));
  if (!session) return expect.outcome();
  Container& container = *session->container;
  vfio_iommu_type1_info info{};
  info.argsz = sizeof(info);
  expect.Eq("raw GET_INFO", Rc{-EINVAL},
            Rc{env.backend->Ioctl(container.fd(), VFIO_IOMMU_GET_INFO, &info)});
  expect.Eq("raw MAP_DMA", Rc{-EINVAL},
            Rc{RawMap(*env.backend, container.fd(), 0x100000, 0x100000, 0x1000,
                      VFIO_DMA_MAP_FLAG_READ)});
  const auto not_set = make_error_code(VfioError::kIommuNotSet);
  expect.Fails("GetIommuInfo", not_set, container.GetIommuInfo());
  expect.Fails("MapDma", not_set, container.MapDma(Iova(0x100000), Hva(0x100000), 0x1000,
                                                   Perm::kRead));
  return expect.outcome();
}

// What type1 reported under QEMU's intel-iommu (39-bit address width, interrupt remapping):
// 4 KiB/2 MiB/1 GiB pages, 65535 mappings, and the IOVA space minus the MSI window.
Outcome IommuInfoConfiguresTheTracker(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kIommuSet));
  if (!session) return expect.outcome();
  const Container& container = *session->container;
  auto info = expect.Ok("GetIommuInfo", container.GetIommuInfo());
  if (!info) return expect.outcome();
  const std::vector<IovaRange> windows = {
      IovaRange::FromInclusive(Iova(0), Iova(0xfedf'ffff)).value(),
      IovaRange::FromInclusive(Iova(0xfef0'0000), Iova(0x7f'ffff'ffff)).value()};
  expect.Eq("iova_pgsizes", std::uint64_t{0x4020'1000}, info->iova_pgsizes);
  expect.Eq("dma_avail", std::uint32_t{65535}, info->dma_avail.value_or(0));
  expect.Eq("iova range count", windows.size(), info->iova_ranges.size());
  expect.True("iova ranges [0x0, 0xfedfffff] and [0xfef00000, 0x7fffffffff]",
              info->iova_ranges == windows);
  const DmaMapTracker::Options& options = container.tracker().options();
  expect.Eq("tracker page_size", std::uint64_t{0x1000}, options.page_size);
  expect.Eq("tracker max_entries", std::size_t{65535}, options.max_entries);
  expect.True("tracker windows are the kernel's IOVA ranges", options.windows == windows);
  return expect.outcome();
}

Outcome GroupOpenIsExclusive(const Environment& env) {
  Expect expect;
  auto first = expect.Ok("first Group::Open", Group::Open(*env.backend, env.edu.group));
  if (!first) return expect.outcome();
  expect.Fails("second Group::Open", Sys(VfioError::kOpenGroup, EBUSY),
               Group::Open(*env.backend, env.edu.group));
  return expect.outcome();
}

Outcome DeviceFdNeedsAnIommu(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kAttached));
  if (!session) return expect.outcome();
  expect.Fails("OpenDevice before SET_IOMMU", Sys(VfioError::kGetDeviceFd, EINVAL),
               session->group->OpenDevice(env.edu.bdf));
  return expect.outcome();
}

// The name is looked up before anything else: no such device in the group is ENODEV.
Outcome DeviceFdOfAnUnknownName(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kIommuSet));
  if (!session) return expect.outcome();
  expect.Fails("OpenDevice(\"0000:00:1f.7\")", Sys(VfioError::kGetDeviceFd, ENODEV),
               session->group->OpenDevice(std::string("0000:00:1f.7")));
  expect.Fails("OpenDevice of the other group's device", Sys(VfioError::kGetDeviceFd, ENODEV),
               session->group->OpenDevice(env.e1000e.bdf));
  return expect.outcome();
}

// UNSET_CONTAINER waits for the device fds (EBUSY); once they are closed the last group
// leaves and takes the IOMMU along, in the kernel and in the library.
Outcome UnsetContainerWaitsForDevices(const Environment& env) {
  Expect expect;
  auto session = expect.Ok("session", OpenSession(env, env.edu, Stage::kDeviceOpen));
  if (!session) return expect.outcome();
  expect.Fails("Detach with a device open", Sys(VfioError::kUnsetContainer, EBUSY),
               session->group->Detach());
  session->device.reset();
  if (!expect.Ok("Detach", session->group->Detach())) return expect.outcome();
  expect.Eq("iommu_set after the last group left", false, session->container->iommu_set());
  std::uint64_t unmapped = 0;
  expect.Eq("raw UNMAP_DMA without an IOMMU", Rc{-EINVAL},
            Rc{RawUnmap(*env.backend, session->container->fd(), 0, 0,
                        VFIO_DMA_UNMAP_FLAG_ALL, &unmapped)});
  return expect.outcome();
}

}  // namespace

std::vector<Check> ContainerChecks() {
  return {
      {"container.api_version", ApiVersion},
      {"container.extensions_before_iommu",
       [](const Environment& e) { return Extensions(e, /*after_iommu=*/false); }},
      {"container.extensions_after_iommu",
       [](const Environment& e) { return Extensions(e, /*after_iommu=*/true); }},
      {"group.status_viable_then_container_set", StatusViableThenContainerSet},
      {"container.set_iommu_before_attach", SetIommuBeforeAttach},
      {"container.set_iommu_twice", SetIommuTwice},
      {"container.iommu_ioctls_need_set_iommu", IommuIoctlsNeedSetIommu},
      {"container.iommu_info", IommuInfoConfiguresTheTracker},
      {"group.open_is_exclusive", GroupOpenIsExclusive},
      {"group.device_fd_needs_iommu", DeviceFdNeedsAnIommu},
      {"group.device_fd_unknown_name", DeviceFdOfAnUnknownName},
      {"group.unset_container_waits_for_devices", UnsetContainerWaitsForDevices},
  };
}

}  // namespace vfio::vm::internal
