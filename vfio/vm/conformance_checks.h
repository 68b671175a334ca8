// What the conformance checks share: printing values for FAIL lines, first-mismatch
// bookkeeping, container/group/device bring-up, pinned host memory, raw uapi calls and
// region registers. Private to vfio/vm/conformance*.cc; depends on the vfio library, the uapi
// headers and libc.
#pragma once

#include <linux/vfio.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "vfio/address.h"
#include "vfio/result.h"
#include "vfio/vfio_device.h"
#include "vfio/vm/conformance.h"

namespace vfio::vm::internal {

// A syscall-style return value (bytes, an fd, 0, or -errno), shown as "8" or "-EINVAL".
struct Rc {
  std::int64_t value = 0;

  friend bool operator==(const Rc&, const Rc&) = default;
};

std::string Show(const Rc& rc);
// "vfio.dma:overlap", "vfio.linux.errno:set_irqs:EINVAL".
std::string Show(const std::error_code& ec);

// Unsigned integers in hex (addresses, flags, sizes), signed ones in decimal, bools as
// true/false, anything else through operator<<.
template <class T>
std::string Show(const T& value) {
  std::ostringstream os;
  if constexpr (std::is_same_v<T, bool>) {
    os << (value ? "true" : "false");
  } else if constexpr (std::is_unsigned_v<T>) {
    os << "0x" << std::hex << static_cast<std::uint64_t>(value);
  } else if constexpr (std::is_integral_v<T>) {
    os << static_cast<std::int64_t>(value);
  } else {
    os << value;
  }
  return os.str();
}

template <class T>
std::string Show(const std::vector<T>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i == 0 ? "" : ", ") + Show(values[i]);
  return out + "]";
}

// The value, or `fallback` when the call failed (the caller then reports the mismatch).
template <class T>
T ValueOr(const Result<T>& result, std::type_identity_t<T> fallback) {
  return result ? result.value() : fallback;
}

// Keeps the first mismatch a check finds; later ones usually follow from it.
class Expect {
 public:
  // Records "expected <what>=<expected>, got <got>" unless they are equal.
  template <class T>
  bool Eq(std::string_view what, const T& expected, const std::type_identity_t<T>& got) {
    if (expected == got) return true;
    Fail(std::string(what) + "=" + Show(expected), Show(got));
    return false;
  }

  // The value, or nullopt after recording "expected <what> to succeed, got <error>".
  template <class T>
  std::optional<T> Ok(std::string_view what, Result<T> result) {
    if (result) return std::optional<T>(std::move(result).value());
    Fail(std::string(what) + " to succeed", Show(result.error()));
    return std::nullopt;
  }
  bool Ok(std::string_view what, const Result<void>& result);

  // Records a mismatch unless `result` failed with exactly `expected`.
  template <class T>
  bool Fails(std::string_view what, const std::error_code& expected, const Result<T>& result) {
    if (!result.has_value() && result.error() == expected) return true;
    Fail(std::string(what) + " to fail with " + Show(expected),
         result.has_value() ? std::string("success") : Show(result.error()));
    return false;
  }

  // Records a mismatch unless `condition` holds.
  bool True(std::string_view what, bool condition);

  void Fail(std::string expected, std::string got);
  bool failed() const noexcept { return failure_.has_value(); }
  Outcome outcome() const { return failure_ ? *failure_ : Outcome::Pass(); }

 private:
  std::optional<Outcome> failure_;
};

// A container with one device's group attached, brought up as far as a Stage. Members are
// destroyed device first, then group, then container: the order the kernel needs.
struct Session {
  std::optional<Container> container;
  std::optional<Group> group;
  std::optional<Device> device;
};

enum class Stage {
  kAttached,    // container open, group attached
  kIommuSet,    // and SetIommuType1v2 done
  kDeviceOpen,  // and the device fd open
};

Result<Session> OpenSession(const Environment& env, const TestDevice& device, Stage stage);

// The error a Device call gives for a failed syscall: MakeSysError(op, err).
inline std::error_code Sys(VfioError op, int err) { return MakeSysError(op, err); }

// Anonymous host memory for DMA: page-aligned, zeroed and populated, so that type1 can pin it.
// Move-only; unmapped on destruction.
class HostBuffer {
 public:
  static Result<HostBuffer> Create(std::size_t size);
  HostBuffer(HostBuffer&& other) noexcept;
  HostBuffer& operator=(HostBuffer&&) = delete;
  ~HostBuffer();

  Hva hva() const noexcept { return Hva(reinterpret_cast<std::uintptr_t>(data_)); }
  std::span<std::byte> bytes() const noexcept { return {data_, size_}; }

 private:
  HostBuffer(std::byte* data, std::size_t size) noexcept : data_(data), size_(size) {}

  std::byte* data_;
  std::size_t size_;
};

// VFIO_IOMMU_MAP_DMA / UNMAP_DMA straight to the container fd, past the tracker: the kernel's
// own answer. RawUnmap stores the size the kernel wrote back in *unmapped.
int RawMap(Backend& backend, int container_fd, std::uint64_t iova, std::uint64_t vaddr,
           std::uint64_t size, std::uint32_t flags);
int RawUnmap(Backend& backend, int container_fd, std::uint64_t iova, std::uint64_t size,
             std::uint32_t flags, std::uint64_t* unmapped);

// VFIO_DEVICE_SET_IRQS with `data` after the header; argsz is the exact size plus argsz_delta.
int RawSetIrqs(Backend& backend, int device_fd, std::uint32_t flags, std::uint32_t index,
               std::uint32_t start, std::uint32_t count, std::span<const std::byte> data,
               int argsz_delta = 0);

// A 4-byte register of a device region (a BAR), through pread/pwrite at region.offset + offset.
Result<std::uint32_t> ReadRegister(Backend& backend, const Device& device,
                                   const RegionInfo& region, std::uint64_t offset);
Result<void> WriteRegister(Backend& backend, const Device& device, const RegionInfo& region,
                           std::uint64_t offset, std::uint32_t value);

// Sleeps a millisecond at a time until done() holds, at most limit_ms times; the milliseconds
// waited, or nullopt. Sleeping, not spinning: edu's DMA and interrupts run on QEMU timers,
// and under TCG a busy guest starves them (research/vfio.md §6.2).
void SleepOneMillisecond();

template <class F>
std::optional<int> PollMilliseconds(int limit_ms, F&& done) {
  for (int waited = 0; waited <= limit_ms; ++waited) {
    if (done()) return waited;
    SleepOneMillisecond();
  }
  return std::nullopt;
}

// The checks that need QEMU's edu model (conformance_edu.cc); they SKIP without live devices.
Outcome EduDmaRoundTrip(const Environment& env);
Outcome EduMsiFromDevice(const Environment& env);

// The check lists, one per area, in the order AllChecks runs them.
std::vector<Check> ContainerChecks();
std::vector<Check> DeviceChecks();
std::vector<Check> DeviceIoChecks();  // part of DeviceChecks
std::vector<Check> DmaChecks();
std::vector<Check> IrqChecks();

}  // namespace vfio::vm::internal
