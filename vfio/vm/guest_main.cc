// The QEMU guest's test program: runs every conformance check on LinuxBackend against the
// edu and e1000e functions /init bound to vfio-pci, printing PASS/FAIL/SKIP lines and
// "DONE fails=N" on the serial console. Linked statically; depends on vfio/vm/conformance.h
// and vfio/vfio_linux.h.
//
// Usage: vfio_vm_test --edu BDF GROUP --e1000e BDF GROUP
#include <chrono>
#include <charconv>
#include <iostream>
#include <optional>
#include <string_view>

#include "vfio/pci_address.h"
#include "vfio/vfio_linux.h"
#include "vfio/vm/conformance.h"

namespace {

std::optional<vfio::vm::TestDevice> ParseDevice(std::string_view bdf, std::string_view group) {
  auto parsed = vfio::ParseBdf(bdf);
  unsigned id = 0;
  const auto [end, ec] = std::from_chars(group.data(), group.data() + group.size(), id);
  if (!parsed || ec != std::errc() || end != group.data() + group.size()) return std::nullopt;
  return vfio::vm::TestDevice{parsed.value(), id};
}

// Fills env from "--edu BDF GROUP --e1000e BDF GROUP" in either order.
bool ParseArgs(int argc, char** argv, vfio::vm::Environment& env) {
  bool edu = false;
  bool e1000e = false;
  if ((argc - 1) % 3 != 0) return false;
  for (int i = 1; i < argc; i += 3) {
    const std::string_view flag(argv[i]);
    const auto device = ParseDevice(argv[i + 1], argv[i + 2]);
    if (!device) return false;
    if (flag == "--edu") {
      env.edu = *device;
      edu = true;
    } else if (flag == "--e1000e") {
      env.e1000e = *device;
      e1000e = true;
    } else {
      return false;
    }
  }
  return edu && e1000e;
}

}  // namespace

int main(int argc, char** argv) {
  vfio::LinuxBackend backend;
  vfio::vm::Environment env;
  env.backend = &backend;
  env.live_devices = true;
  vfio::vm::Reporter reporter(std::cout);
  if (!ParseArgs(argc, argv, env)) {
    std::cout << "FAIL setup: usage: vfio_vm_test --edu BDF GROUP --e1000e BDF GROUP\n";
    reporter.Done();
    return 2;
  }
  if (!vfio::VfioPresent()) {
    std::cout << "FAIL setup: no " << vfio::kContainerPath << " (vfio modules not loaded)\n";
    reporter.Done();
    return 2;
  }
  std::cout << "INFO: edu " << env.edu.bdf << " group " << env.edu.group << ", e1000e "
            << env.e1000e.bdf << " group " << env.e1000e.group << std::endl;
  const auto start = std::chrono::steady_clock::now();
  const int fails = vfio::vm::RunChecks(env, vfio::vm::AllChecks(), reporter);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::cout << "INFO: " << reporter.passes() << " passed, " << reporter.skips() << " skipped, "
            << fails << " failed in " << elapsed.count() << " ms" << std::endl;
  reporter.Done();
  return fails == 0 ? 0 : 1;
}
