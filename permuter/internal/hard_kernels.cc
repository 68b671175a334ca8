// The hard-branch kernels. Instrumented; keep each a single function (no helpers) so its
// edges are exactly the guards of that function.
#include "permuter/internal/hard_kernels.h"

#include "runner/kernel.h"

namespace kt::permuter::hard {

int Magic32(std::uint32_t x) {
  if (x == 0xdeadbeef) return 1;
  return 0;
}

int Magic64(std::uint64_t x) {
  if (x == 0x0123456789abcdef) return 1;
  return 0;
}

int Linear(std::uint32_t x) {
  if (3 * x + 7 == 1234567) return 1;
  return 0;
}

int NarrowRange(std::int64_t x) {
  if (x > 1000000 && x < 1000010) return 1;
  return 0;
}

int EnumFlags(Mode mode, Flags flags) {
  if (mode != Mode::kAppend) return 0;
  if ((static_cast<std::uint32_t>(flags) & 29) == 13) return 2;
  return 1;
}

int Switch(std::int32_t x) {
  switch (x) {
    case -5: return 1;
    case 17: return 2;
    case 42: return 3;
    case 1000: return 4;
    default: return 0;
  }
}

int Divide(std::uint32_t d) {
  if (d == 0) return -1;
  if (10000 / d == 7) return 1;
  return 0;
}

int ArrayIndex(std::int32_t i) {
  static const int kLut[8] = {3, 1, 4, 1, 5, 42, 2, 6};
  if (i < 0 || i >= 8) return -1;
  if (kLut[i] == 42) return 1;
  return 0;
}

int CheckAbove1000(std::uint32_t x) {
  KT_CHECK(x <= 1000);
  return 0;
}

int CrashOnMagic(std::uint32_t x) {
  if (x == 0xabad1dea) {
    volatile int* volatile p = nullptr;
    *p = 1;
  }
  return 0;
}

int HangOnMagic(std::uint32_t x) {
  if (x == 0x5ca1ab1e) {
    for (volatile unsigned spin = 0;; spin = spin + 1) {
    }
  }
  return 0;
}

}  // namespace kt::permuter::hard
