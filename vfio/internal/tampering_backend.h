// Test helpers for the VFIO backend tests: TamperingBackend rewrites a FakeKernel's answers to
// play a buggy or hostile kernel, and ASSIGN_OR_FAIL unwraps a Result. Depends on
// vfio/fake_kernel.h and GoogleTest; included by tests only, never by the library.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include <gtest/gtest.h>

#include "vfio/fake_kernel.h"
#include "vfio/vfio_device.h"

// Unwraps a Result into `lhs`, or fails the test with the error's message.
#define ASSIGN_OR_FAIL(lhs, expr)                              \
  auto lhs##_result = (expr);                                  \
  ASSERT_TRUE(lhs##_result) << lhs##_result.error().message(); \
  auto lhs = std::move(lhs##_result).value()

namespace vfio::internal {

// Forwards to a FakeKernel and lets a test rewrite its answers: what a buggy or hostile kernel
// could say, which the fake itself never does.
class TamperingBackend final : public Backend {
 public:
  explicit TamperingBackend(FakeKernel& kernel) : kernel_(kernel) {}

  int Open(const std::string& path) override { return kernel_.Open(path); }
  int Close(int fd) override { return kernel_.Close(fd); }
  int Ioctl(int fd, unsigned long request, void* arg) override {
    const int rc = kernel_.Ioctl(fd, request, arg);
    if (rc >= 0 && after_ioctl) after_ioctl(request, arg);
    return rc;
  }
  int IoctlValue(int fd, unsigned long request, unsigned long value) override {
    const int rc = kernel_.IoctlValue(fd, request, value);
    return value_result ? value_result(request, rc) : rc;
  }
  std::int64_t Pread(int fd, std::span<std::byte> buf, std::uint64_t offset) override {
    ++transfers;
    const std::int64_t n = kernel_.Pread(fd, buf, offset);
    return short_transfers && n > 0 ? n - 1 : n;
  }
  std::int64_t Pwrite(int fd, std::span<const std::byte> buf, std::uint64_t offset) override {
    ++transfers;
    const std::int64_t n = kernel_.Pwrite(fd, buf, offset);
    return short_transfers && n > 0 ? n - 1 : n;
  }
  int CreateEventfd() override { return kernel_.CreateEventfd(); }
  int ReadEventfd(int fd, std::uint64_t* count) override { return kernel_.ReadEventfd(fd, count); }

  std::function<void(unsigned long request, void* arg)> after_ioctl;
  std::function<int(unsigned long request, int result)> value_result;
  bool short_transfers = false;
  int transfers = 0;

 private:
  FakeKernel& kernel_;
};

}  // namespace vfio::internal
