// LinuxBackend on the real kernel without VFIO: eventfds, errnos passed through, pread/pwrite
// offsets, the EINTR retry and the sysfs iommu_group lookup. Needs Linux, not /dev/vfio; the
// tests that need VFIO are in vfio_linux_hw_test.cc.
#include "vfio/vfio_linux.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace vfio {
namespace {

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vfio_linux_test.XXXXXX");
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    if (!path_.empty()) std::filesystem::remove_all(path_);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(LinuxBackendTest, EventfdsCountSignalsAndDoNotBlockWhenQuiet) {
  LinuxBackend backend;
  auto eventfd = CreateEventfd(backend);
  ASSERT_TRUE(eventfd) << eventfd.error().message();
  const int fd = eventfd.value().get();
  EXPECT_EQ(ReadEventfd(backend, fd).value(), 0u) << "nothing signalled yet";
  ASSERT_EQ(::eventfd_write(fd, 3), 0);
  EXPECT_EQ(ReadEventfd(backend, fd).value(), 3u);
  EXPECT_EQ(ReadEventfd(backend, fd).value(), 0u) << "a read clears the counter";
}

TEST(LinuxBackendTest, FailuresKeepTheKernelsErrno) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  LinuxBackend backend;
  const std::string missing = dir.path() + "/vfio";
  EXPECT_FALSE(VfioPresent(missing));
  EXPECT_EQ(GetSysError(Container::Open(backend, missing).error()),
            (SysError{VfioError::kOpenContainer, ENOENT}));
  EXPECT_EQ(GetSysError(Group::OpenPath(backend, dir.path() + "/7").error()),
            (SysError{VfioError::kOpenGroup, ENOENT}));
  // A regular file opens, but answers no VFIO ioctl.
  const std::string file = dir.path() + "/file";
  ::close(::open(file.c_str(), O_CREAT | O_WRONLY, 0600));
  EXPECT_TRUE(VfioPresent(file));
  EXPECT_EQ(GetSysError(Container::Open(backend, file).error()),
            (SysError{VfioError::kGetApiVersion, ENOTTY}));
  EXPECT_EQ(backend.Close(-1), -EBADF);
}

TEST(LinuxBackendTest, PreadAndPwriteUseTheOffsetGiven) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  LinuxBackend backend;
  const int fd = backend.Open(dir.path() + "/region");
  EXPECT_EQ(fd, -ENOENT) << "Open never creates";
  const std::string path = dir.path() + "/region";
  ::close(::open(path.c_str(), O_CREAT | O_WRONLY, 0600));
  ScopedFd region(backend, backend.Open(path));
  ASSERT_TRUE(region.valid());
  const std::byte data[] = {std::byte{0xde}, std::byte{0xad}};
  ASSERT_EQ(backend.Pwrite(region.get(), data, 8), 2);
  std::byte back[4] = {};
  EXPECT_EQ(backend.Pread(region.get(), back, 7), 3) << "short at the end of the file";
  EXPECT_EQ(back[1], std::byte{0xde});
  EXPECT_EQ(back[2], std::byte{0xad});
  EXPECT_EQ(backend.Pread(region.get(), back, std::uint64_t{1} << 63), -EINVAL);
  EXPECT_EQ(backend.Ioctl(region.get(), VFIO_DEVICE_GET_INFO, back), -ENOTTY);
}

TEST(LinuxBackendTest, IommuGroupOfReadsTheLinkBasename) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const struct {
    const char* device;
    const char* target;
    std::optional<unsigned> group;
  } kCases[] = {{"0000:00:03.0", "../../../kernel/iommu_groups/7", 7},
                {"0000:00:04.0", "../../../kernel/iommu_groups/123", 123},
                {"0000:00:05.0", "../../../kernel/iommu_groups/x7", {}},
                {"0000:00:06.0", "../../../kernel/iommu_groups/", {}},
                {"0000:00:07.0", "99999999999", {}}};
  for (const auto& c : kCases) {
    const std::filesystem::path device = std::filesystem::path(dir.path()) / c.device;
    std::filesystem::create_directory(device);
    std::filesystem::create_symlink(c.target, device / "iommu_group");
    const auto group = IommuGroupOf(c.device, dir.path());
    if (c.group) {
      EXPECT_EQ(group.value(), *c.group) << c.device;
    } else {
      EXPECT_EQ(group.error(), VfioError::kCorruptInfo) << c.device;
    }
  }
  EXPECT_EQ(GetSysError(IommuGroupOf("0000:00:1f.0", dir.path()).error()),
            (SysError{VfioError::kReadIommuGroup, ENOENT}));
}

TEST(RetryOnEintrTest, RetriesWhileTheCallFailsWithEintrOnly) {
  int calls = 0;
  const int result = internal::RetryOnEintr([&] {
    ++calls;
    if (calls < 3) {
      errno = EINTR;
      return -1;
    }
    return 5;
  });
  EXPECT_EQ(result, 5);
  EXPECT_EQ(calls, 3);
  calls = 0;
  const int failure = internal::RetryOnEintr([&] {
    ++calls;
    errno = EBADF;
    return -1;
  });
  EXPECT_EQ(failure, -1);
  EXPECT_EQ(calls, 1) << "other errors are returned at once";
}

}  // namespace
}  // namespace vfio
