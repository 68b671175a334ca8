// Test fixtures for the libFuzzer search: fake kernels (permuter/internal/fake_kernels.h) with
// string and bytes parameters, run in-process by FakeExecutor. runner/ values and outcomes and
// permuter/ only; never the coverage runtime or libFuzzer.
#pragma once

#include "permuter/internal/fake_kernels.h"

namespace kt::permuter::internal {

ColumnSchema StringColumn(std::string name, std::size_t max_len);
ColumnSchema BytesColumn(std::string name, std::size_t max_len);

// name == "vfio-pci" (exact), else a "vfio" prefix, else neither; a string_view of at most 32.
const FakeKernel& DriverNameKernel();
// The length of a bytes buffer of at most 64: empty, 1..15, 16..40, or above 40.
const FakeKernel& LengthKernel();
// enum Op { kRead, kWrite, kReset } x bytes of at most 16: kWrite needs the magic first byte
// 0x7f and a second byte above 0xf0, kReset an empty buffer, kRead anything.
const FakeKernel& EnumBytesKernel();
// A failed check when the string starts with "BAD!"; a string_view of at most 64.
const FakeKernel& CheckOnPrefixKernel();
// Two strings (at most 8 each) and a bool: "kt" in the first and a second one longer than 4.
const FakeKernel& TwoStringsKernel();

}  // namespace kt::permuter::internal
