// The VFIO library's Linux backend held against a kernel: named checks over a vfio::Backend
// that run on the real vfio-pci driver in the QEMU guest (guest_main.cc) and on FakeKernel
// (conformance_fake_test.cc), so every value and errno the fake gives is one Linux gave.
// Depends on the vfio library and libc; never on a particular Backend.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "vfio/pci_address.h"
#include "vfio/vfio_device.h"

namespace vfio::vm {

// One PCI function bound to vfio-pci, and its IOMMU group.
struct TestDevice {
  Bdf bdf;
  unsigned group = 0;
};

// What the checks run against. The backend must outlive every check run with it.
struct Environment {
  Backend* backend = nullptr;
  TestDevice edu;     // QEMU's edu (1234:11e8)
  TestDevice e1000e;  // QEMU's e1000e (8086:10d3) started with romfile= (no expansion ROM)
  // True when device models run behind the backend: QEMU's edu performs DMA and raises MSIs.
  // Checks that need that report SKIP otherwise.
  bool live_devices = false;
};

// What one check concluded.
struct Outcome {
  enum class Kind { kPass, kFail, kSkip };

  static Outcome Pass() { return {Kind::kPass, {}}; }
  // detail becomes "expected <expected>, got <got>".
  static Outcome Fail(std::string_view expected, std::string_view got);
  static Outcome Skip(std::string reason) { return {Kind::kSkip, std::move(reason)}; }

  Kind kind = Kind::kPass;
  std::string detail;  // kFail: what differed; kSkip: why it did not run
};

// A named check. Names are "<area>.<what>" in snake_case ("dma.map.overlap_next").
struct Check {
  std::string name;
  std::function<Outcome(const Environment&)> run;
};

// Every check, in the order the guest runs them. Each one opens the container, group and
// device it needs and closes them again, so any subset runs in any order.
std::vector<Check> AllChecks();

// Prints one line per check, flushed at once so that a guest crash loses nothing:
//   PASS <name>
//   FAIL <name>: expected <X>, got <Y>
//   SKIP <name>: <reason>
// and "DONE fails=<N>" at the end. Thread-compatible; `out` must outlive it.
class Reporter {
 public:
  explicit Reporter(std::ostream& out) : out_(out) {}

  void Report(std::string_view name, const Outcome& outcome);
  void Done();

  int passes() const noexcept { return passes_; }
  int fails() const noexcept { return fails_; }
  int skips() const noexcept { return skips_; }

 private:
  std::ostream& out_;
  int passes_ = 0;
  int fails_ = 0;
  int skips_ = 0;
};

// Runs `checks` in order, reporting each; returns the number that failed.
int RunChecks(const Environment& env, const std::vector<Check>& checks, Reporter& reporter);

}  // namespace vfio::vm
