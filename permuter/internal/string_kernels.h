// Test kernels with string and bytes parameters, compiled with kt_instrument() at -O0 as the
// hard-branch kernels are (permuter/internal/hard_kernels.h), for the libFuzzer search's
// end-to-end tests. The standard library only; nothing of the runner is instrumented.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace kt::permuter::text {

enum class Op : std::uint8_t { kRead, kWrite, kReset };

// 2 for exactly "vfio-pci", 1 for another "vfio" prefix, 0 otherwise.
int DriverName(std::string_view name);
// By length: -1 empty, 1 below 16, 2 up to 40, 3 above.
int Length(std::span<const std::byte> data);
// kRead: 0. kWrite: needs two bytes, the first 0x7f, then 2 when the second is above 0xf0,
// else 1 (-1 and -2 for the failures). kReset: 3 when empty, -3 otherwise.
int EnumBytes(Op op, std::span<const std::byte> data);

// A finding: writes through a null pointer when `name` starts with "boom".
int CrashOnPrefix(std::string_view name);

}  // namespace kt::permuter::text
