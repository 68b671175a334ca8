// The decoders of the hard-branch kernels' parameters. Not instrumented: libFuzzer's
// coverage, like the permuter's, is the kernel function's alone.
#include "permuter/bench/fuzz_kernels.h"

#include <array>

#include "permuter/internal/hard_kernels.h"

namespace kt::permuter::bench {
namespace {

namespace hard = ::kt::permuter::hard;
using Bytes = std::span<const std::uint8_t>;

// The enumerators in declaration order: an enum parameter is one byte, its index modulo
// the count, so every byte value is an enumerator and each is equally likely.
constexpr std::array kModes = {hard::Mode::kRead, hard::Mode::kWrite, hard::Mode::kAppend};
// The flags in declaration order: a flags parameter is one byte whose bit i selects flag i,
// so every byte value is a combination of declared flags and nothing else.
constexpr std::array kFlags = {hard::Flags::kSync, hard::Flags::kDirect, hard::Flags::kAtomic,
                               hard::Flags::kTemp, hard::Flags::kLarge};
static_assert(kFlags.size() <= 8, "one byte selects the flags");

std::uint32_t U32(Bytes in) { return static_cast<std::uint32_t>(LoadLittleEndian(in, 0, 4)); }
std::int32_t I32(Bytes in) { return static_cast<std::int32_t>(U32(in)); }

hard::Flags FlagsAt(Bytes in, std::size_t offset) {
  const std::uint64_t bits = LoadLittleEndian(in, offset, 1);
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < kFlags.size(); ++i) {
    if ((bits >> i) & 1) value |= static_cast<std::uint32_t>(kFlags[i]);
  }
  return static_cast<hard::Flags>(value);
}

int RunMagic32(Bytes in) { return hard::Magic32(U32(in)); }
int RunMagic64(Bytes in) { return hard::Magic64(LoadLittleEndian(in, 0, 8)); }
int RunLinear(Bytes in) { return hard::Linear(U32(in)); }
int RunNarrowRange(Bytes in) {
  return hard::NarrowRange(static_cast<std::int64_t>(LoadLittleEndian(in, 0, 8)));
}
int RunEnumFlags(Bytes in) {
  const hard::Mode mode = kModes[LoadLittleEndian(in, 0, 1) % kModes.size()];
  return hard::EnumFlags(mode, FlagsAt(in, 1));
}
int RunSwitch(Bytes in) { return hard::Switch(I32(in)); }
int RunDivide(Bytes in) { return hard::Divide(U32(in)); }
int RunArrayIndex(Bytes in) { return hard::ArrayIndex(I32(in)); }

template <class F>
void (*Entry(F* function))() {
  return reinterpret_cast<void (*)()>(function);
}

// A function-local static: the entries' addresses are not constant expressions, and the
// table must be whole whenever it is first asked for.
std::span<const FuzzKernel> Table() {
  static const FuzzKernel kKernels[] = {
      {"hard.magic32", 4, &RunMagic32, Entry(&hard::Magic32)},
      {"hard.magic64", 8, &RunMagic64, Entry(&hard::Magic64)},
      {"hard.linear", 4, &RunLinear, Entry(&hard::Linear)},
      {"hard.narrow_range", 8, &RunNarrowRange, Entry(&hard::NarrowRange)},
      {"hard.enum_flags", 2, &RunEnumFlags, Entry(&hard::EnumFlags)},
      {"hard.switch", 4, &RunSwitch, Entry(&hard::Switch)},
      {"hard.divide", 4, &RunDivide, Entry(&hard::Divide)},
      {"hard.array_index", 4, &RunArrayIndex, Entry(&hard::ArrayIndex)},
  };
  return kKernels;
}

}  // namespace

std::span<const FuzzKernel> FuzzKernels() noexcept { return Table(); }

const FuzzKernel* FindFuzzKernel(std::string_view name) noexcept {
  for (const FuzzKernel& k : Table()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::uint64_t LoadLittleEndian(std::span<const std::uint8_t> input, std::size_t offset,
                               std::size_t width) noexcept {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width && i < 8; ++i) {
    const std::size_t at = offset + i;
    if (at < input.size()) value |= std::uint64_t{input[at]} << (8 * i);
  }
  return value;
}

}  // namespace kt::permuter::bench
