// LinuxBackend: each Backend call is one libc call, EINTR retried, errno turned into -errno
// right where it appears. Depends on libc and vfio/vfio_device.h only.
#include "vfio/vfio_linux.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <climits>
#include <vector>

namespace vfio {

namespace {

// -errno for a failed libc call, the value itself otherwise.
template <class T>
T OrErrno(T result) {
  return result < 0 ? static_cast<T>(-errno) : result;
}

}  // namespace

int LinuxBackend::Open(const std::string& path) {
  return OrErrno(internal::RetryOnEintr([&] { return ::open(path.c_str(), O_RDWR | O_CLOEXEC); }));
}

// No retry: Linux releases the fd even when close reports EINTR, so a retry could close an fd
// another thread has just been given.
int LinuxBackend::Close(int fd) { return OrErrno(::close(fd)); }

int LinuxBackend::Ioctl(int fd, unsigned long request, void* arg) {
  return OrErrno(internal::RetryOnEintr([&] { return ::ioctl(fd, request, arg); }));
}

int LinuxBackend::IoctlValue(int fd, unsigned long request, unsigned long value) {
  return OrErrno(internal::RetryOnEintr([&] { return ::ioctl(fd, request, value); }));
}

// Device-fd offsets reach index << 40; anything past off_t's range cannot be a region.
std::int64_t LinuxBackend::Pread(int fd, std::span<std::byte> buf, std::uint64_t offset) {
  if (offset > static_cast<std::uint64_t>(INT64_MAX)) return -EINVAL;
  return OrErrno<std::int64_t>(internal::RetryOnEintr([&] {
    return ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
  }));
}

std::int64_t LinuxBackend::Pwrite(int fd, std::span<const std::byte> buf, std::uint64_t offset) {
  if (offset > static_cast<std::uint64_t>(INT64_MAX)) return -EINVAL;
  return OrErrno<std::int64_t>(internal::RetryOnEintr([&] {
    return ::pwrite(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
  }));
}

// Non-blocking so that ReadEventfd can report "not signalled" instead of hanging.
int LinuxBackend::CreateEventfd() { return OrErrno(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)); }

int LinuxBackend::ReadEventfd(int fd, std::uint64_t* count) {
  const ssize_t n = internal::RetryOnEintr([&] { return ::read(fd, count, sizeof(*count)); });
  if (n < 0 && errno == EAGAIN) {
    *count = 0;
    return 0;
  }
  if (n < 0) return -errno;
  // An eventfd read is all 8 bytes or an error; anything else is not an eventfd.
  return n == sizeof(*count) ? 0 : -EINVAL;
}

bool VfioPresent(const std::string& container_path) {
  return ::access(container_path.c_str(), F_OK) == 0;
}

Result<unsigned> IommuGroupOf(const std::string& device_name, const std::string& sysfs_devices) {
  const std::string link = sysfs_devices + "/" + device_name + "/iommu_group";
  std::vector<char> target(PATH_MAX);
  const ssize_t n = ::readlink(link.c_str(), target.data(), target.size());
  if (n < 0) return MakeSysError(VfioError::kReadIommuGroup, errno);
  // readlink does not terminate; a full buffer may mean a truncated target.
  if (static_cast<std::size_t>(n) == target.size()) {
    return MakeSysError(VfioError::kReadIommuGroup, ENAMETOOLONG);
  }
  const std::string_view path(target.data(), static_cast<std::size_t>(n));
  const std::string_view base = path.substr(path.find_last_of('/') + 1);
  unsigned group = 0;
  const auto [end, ec] = std::from_chars(base.data(), base.data() + base.size(), group);
  if (base.empty() || ec != std::errc() || end != base.data() + base.size()) {
    return make_error_code(VfioError::kCorruptInfo);
  }
  return group;
}

}  // namespace vfio
