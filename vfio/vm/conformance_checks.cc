// The conformance checks' shared helpers. Uses libc for host memory (mmap) and sleeping;
// every kernel call goes through vfio::Backend.
#include "vfio/vm/conformance_checks.h"

#include <string.h>  // strerrorname_np (GNU)
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace vfio::vm::internal {

std::string Show(const Rc& rc) {
  if (rc.value >= 0) return std::to_string(rc.value);
  const int err = static_cast<int>(-rc.value);
  const char* name = strerrorname_np(err);
  return "-" + (name != nullptr ? std::string(name) : "errno_" + std::to_string(err));
}

std::string Show(const std::error_code& ec) {
  return std::string(ec.category().name()) + ":" + ec.message();
}

bool Expect::Ok(std::string_view what, const Result<void>& result) {
  if (result) return true;
  Fail(std::string(what) + " to succeed", Show(result.error()));
  return false;
}

bool Expect::True(std::string_view what, bool condition) {
  if (condition) return true;
  Fail(std::string(what), "the opposite");
  return false;
}

void Expect::Fail(std::string expected, std::string got) {
  if (!failure_) failure_ = Outcome::Fail(expected, got);
}

Result<Session> OpenSession(const Environment& env, const TestDevice& device, Stage stage) {
  Session session;
  VFIO_TRY(container, Container::Open(*env.backend));
  session.container.emplace(std::move(container));
  VFIO_TRY(group, Group::Open(*env.backend, device.group));
  session.group.emplace(std::move(group));
  VFIO_TRY(session.group->Attach(*session.container));
  if (stage == Stage::kAttached) return session;
  VFIO_TRY(session.container->SetIommuType1v2());
  if (stage == Stage::kIommuSet) return session;
  VFIO_TRY(opened, session.group->OpenDevice(device.bdf));
  session.device.emplace(std::move(opened));
  return session;
}

Result<HostBuffer> HostBuffer::Create(std::size_t size) {
  void* data = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (data == MAP_FAILED) return std::error_code(errno, std::generic_category());
  return HostBuffer(static_cast<std::byte*>(data), size);
}

HostBuffer::HostBuffer(HostBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

HostBuffer::~HostBuffer() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

int RawMap(Backend& backend, int container_fd, std::uint64_t iova, std::uint64_t vaddr,
           std::uint64_t size, std::uint32_t flags) {
  vfio_iommu_type1_dma_map map{};
  map.argsz = sizeof(map);
  map.flags = flags;
  map.vaddr = vaddr;
  map.iova = iova;
  map.size = size;
  return backend.Ioctl(container_fd, VFIO_IOMMU_MAP_DMA, &map);
}

int RawUnmap(Backend& backend, int container_fd, std::uint64_t iova, std::uint64_t size,
             std::uint32_t flags, std::uint64_t* unmapped) {
  vfio_iommu_type1_dma_unmap unmap{};
  unmap.argsz = sizeof(unmap);
  unmap.flags = flags;
  unmap.iova = iova;
  unmap.size = size;
  const int rc = backend.Ioctl(container_fd, VFIO_IOMMU_UNMAP_DMA, &unmap);
  *unmapped = unmap.size;
  return rc;
}

int RawSetIrqs(Backend& backend, int device_fd, std::uint32_t flags, std::uint32_t index,
               std::uint32_t start, std::uint32_t count, std::span<const std::byte> data,
               int argsz_delta) {
  // uint32 storage keeps the s32 fds after the 20-byte header aligned.
  const std::size_t bytes = sizeof(vfio_irq_set) + data.size();
  std::vector<std::uint32_t> storage(bytes / sizeof(std::uint32_t) + 1);
  vfio_irq_set header{};
  header.argsz = static_cast<std::uint32_t>(static_cast<int>(bytes) + argsz_delta);
  header.flags = flags;
  header.index = index;
  header.start = start;
  header.count = count;
  auto* out = reinterpret_cast<std::byte*>(storage.data());
  std::memcpy(out, &header, sizeof(header));
  if (!data.empty()) std::memcpy(out + sizeof(header), data.data(), data.size());
  return backend.Ioctl(device_fd, VFIO_DEVICE_SET_IRQS, storage.data());
}

namespace {

Result<std::uint64_t> RegisterOffset(const RegionInfo& region, std::uint64_t offset) {
  if (offset > region.size || region.size - offset < 4 || region.offset > UINT64_MAX - offset) {
    return std::make_error_code(std::errc::invalid_argument);
  }
  return region.offset + offset;
}

}  // namespace

Result<std::uint32_t> ReadRegister(Backend& backend, const Device& device,
                                   const RegionInfo& region, std::uint64_t offset) {
  VFIO_TRY(at, RegisterOffset(region, offset));
  std::array<std::byte, 4> bytes{};
  const std::int64_t n = backend.Pread(device.fd(), bytes, at);
  if (n < 0) return std::error_code(static_cast<int>(-n), std::generic_category());
  if (n != 4) return make_error_code(VfioError::kShortTransfer);
  // PCI registers are little-endian whatever the host is.
  std::uint32_t value = 0;
  for (unsigned i = 0; i < 4; ++i) value |= std::to_integer<std::uint32_t>(bytes[i]) << (8 * i);
  return value;
}

Result<void> WriteRegister(Backend& backend, const Device& device, const RegionInfo& region,
                           std::uint64_t offset, std::uint32_t value) {
  VFIO_TRY(at, RegisterOffset(region, offset));
  std::array<std::byte, 4> bytes{};
  for (unsigned i = 0; i < 4; ++i) bytes[i] = static_cast<std::byte>(value >> (8 * i));
  const std::int64_t n = backend.Pwrite(device.fd(), bytes, at);
  if (n < 0) return std::error_code(static_cast<int>(-n), std::generic_category());
  if (n != 4) return make_error_code(VfioError::kShortTransfer);
  return success();
}

void SleepOneMillisecond() { ::usleep(1000); }

}  // namespace vfio::vm::internal
