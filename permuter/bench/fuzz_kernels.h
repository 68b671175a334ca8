// The permuter's hard-branch kernels (permuter/internal/hard_kernels.h) as libFuzzer sees
// them: each kernel's typed parameters decoded from fixed-width little-endian bytes. The
// table binds to whichever build of hard_kernels.cc the executable links (libFuzzer's in the
// fuzz target, kt_instrument's in the benchmark driver); never libFuzzer, the coverage
// runtime or the runner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace kt::permuter::bench {

// One kernel. The decoding is total: an input shorter than input_size reads as if padded
// with zero bytes and bytes past it are ignored, so every input libFuzzer makes is a call.
struct FuzzKernel {
  std::string_view name;   // as registered in permuter/internal/hard_kernel_registry.cc
  std::size_t input_size;  // the bytes the decoder reads: the fuzz run's -max_len
  int (*run)(std::span<const std::uint8_t> input);
  void (*function)();  // the kernel function itself: where its edges start in a pc-table
};

// The eight kernels the benchmark compares on, in the registry's order. The finding kernels
// (check, crash, hang) are left out: they have no "full coverage" to reach.
std::span<const FuzzKernel> FuzzKernels() noexcept;

// The kernel named `name`, or nullptr.
const FuzzKernel* FindFuzzKernel(std::string_view name) noexcept;

// `width` (1..8) bytes of `input` from `offset`, little-endian; bytes past the end of
// `input` read as zero.
std::uint64_t LoadLittleEndian(std::span<const std::uint8_t> input, std::size_t offset,
                               std::size_t width) noexcept;

}  // namespace kt::permuter::bench
